import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUN } from '../../conformance/helpers/bun.js';
import type { ContainerRecord } from '../spec/state.js';
import { StateStore } from './state-store.js';

const record = (id: string): ContainerRecord => ({
  ociVersion: '1.3.0',
  id,
  status: 'created',
  pid: 1,
  bundle: '/bundle',
  rootfs: '/bundle/rootfs',
  created: '2026-11-23T20:00:00.000Z',
});

/** The worker runs in its own process, on the runtime of the executable (Bun runs it from source). */
const WORKER = resolve('src/container/testdata/store-worker.ts');

function runWorker(...args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(BUN, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`worker exited with ${code}`))));
  });
}

let root: string;
let store: StateStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'runts-store-'));
  store = new StateStore(join(root, 'state'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the state store', () => {
  it('creates a container with its record, private to root', async () => {
    await store.create(record('web'), (container) => expect(container.read()).toEqual(record('web')));
    expect(store.read('web')).toEqual(record('web'));
    expect(store.list()).toEqual(['web']);
    expect(readdirSync(store.root)).toEqual(['web']);
  });

  it('refuses a duplicate id and leaves the first container as it was', async () => {
    await store.create(record('web'), () => undefined);
    await expect(store.create({ ...record('web'), pid: 2 }, () => undefined)).rejects.toThrow('container "web" already exists');
    expect(store.read('web').pid).toBe(1);
    expect(readdirSync(store.root)).toEqual(['web']);
  });

  it('removes a container whose creation failed half-way, leaving nothing behind', async () => {
    await expect(
      store.create(record('web'), async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        throw new Error('nsexec failed');
      }),
    ).rejects.toThrow('nsexec failed');
    expect(store.exists('web')).toBe(false);
    expect(readdirSync(store.root)).toEqual([]);
  });

  it('shows the init a record names without checking the record, for a guess', async () => {
    await store.create({ ...record('web'), initStartTime: 77 }, () => undefined);
    expect(store.peekInit('web')).toEqual({ pid: 1, startTime: 77 });
    await store.create({ ...record('new'), pid: undefined }, () => undefined);
    expect(store.peekInit('new')).toBeUndefined();
    expect(() => store.peekInit('../x')).toThrow(/invalid container id/);
  });

  it('refuses bad ids before building a path from them', async () => {
    expect(() => store.read('../x')).toThrow(/invalid container id/);
    await expect(store.create(record('a/b'), () => undefined)).rejects.toThrow(/invalid container id/);
    expect(existsSync(store.root)).toBe(false);
  });

  it('says clearly that an unknown container does not exist', () => {
    expect(() => store.read('nope')).toThrow('container "nope" does not exist');
    expect(() => store.withLock('nope', () => undefined)).toThrow('container "nope" does not exist');
  });

  it('tells a waiter that the container it waited for was deleted meanwhile', async () => {
    await store.create(record('web'), () => undefined);
    store.withLock('web', (container) => container.remove());
    expect(() => store.update('web', (r) => r)).toThrow('container "web" does not exist');
  });

  it('lists only containers, not the directories of creates in progress', async () => {
    await store.create(record('b'), () => undefined);
    await store.create(record('a'), () => {
      expect(store.list()).toEqual(['a', 'b']);
    });
    mkdirSync(join(store.root, '~creating-c-1-abcd'));
    expect(store.list()).toEqual(['a', 'b']);
  });

  it('holds the lock until an asynchronous creation settles', async () => {
    let inside = false;
    const creating = store.create(record('slow'), async () => {
      inside = true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(inside).toBe(true);
    // Another process cannot take the lock meanwhile.
    const waited = Date.now();
    const other = runWorker('increment', store.root, 'slow', '1');
    await creating;
    await other;
    expect(Date.now() - waited).toBeGreaterThanOrEqual(30);
    expect(store.read('slow').annotations?.count).toBe('1');
  });

  it('sweeps the directories of creates that died before their rename, and only those', async () => {
    mkdirSync(store.root, { recursive: true });
    const dead = join(store.root, `~creating-x-${2 ** 22 + 11}-0123abcd`);
    const alive = join(store.root, `~creating-y-${process.pid}-0123abcd`);
    mkdirSync(dead);
    mkdirSync(alive);
    await store.create(record('web'), () => undefined);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
  });

  it('lets exactly one of many processes racing to create one id win', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => runWorker('create', store.root, 'race')));
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(results.filter((r) => r === `container "race" already exists (in ${store.root})`)).toHaveLength(5);
    expect(readdirSync(store.root)).toEqual(['race']);
  });

  it('never loses an update when two processes change one container at once', async () => {
    await store.create(record('counter'), () => undefined);
    await Promise.all([runWorker('increment', store.root, 'counter', '150'), runWorker('increment', store.root, 'counter', '150')]);
    expect(store.read('counter').annotations?.count).toBe('300');
  });

  it('never shows a reader half a state.json while another process rewrites it', async () => {
    await store.create(record('busy'), () => undefined);
    const writer = runWorker('increment', store.root, 'busy', '300');
    let reads = 0;
    let finished = false;
    void writer.then(() => (finished = true));
    while (!finished) {
      JSON.parse(readFileSync(join(store.root, 'busy', 'state.json'), 'utf8'));
      reads++;
      await new Promise((r) => setImmediate(r));
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(join(store.root, 'busy'))).toEqual(['state.json']);
  });
});
