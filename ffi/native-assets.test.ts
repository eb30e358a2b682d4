import { spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, fstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVerifiedAsset } from './native-assets.js';

const BYTES = new Uint8Array(Buffer.from('\x7fELF pretend shared object'));
let work: string;
let top: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'runts-assets-'));
  chmodSync(work, 0o755);
  top = join(work, 'runts.native');
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const contentOf = (fd: number) => readFileSync(`/proc/self/fd/${fd}`);

describe('native assets unpacked from the executable', () => {
  it('writes the asset once into a private directory and opens it', () => {
    const fd = openVerifiedAsset('lib.so', 'v1', BYTES, top);
    try {
      expect(contentOf(fd).equals(BYTES)).toBe(true);
      expect(fstatSync(fd).mode & 0o777).toBe(0o500);
    } finally {
      closeSync(fd);
    }
    closeSync(openVerifiedAsset('lib.so', 'v1', BYTES, top));
  });

  it('replaces a copy whose bytes differ (a torn write, or tampering)', () => {
    mkdirSync(join(top, 'v1'), { recursive: true, mode: 0o700 });
    writeFileSync(join(top, 'v1', 'lib.so'), 'evil', { mode: 0o500 });
    const fd = openVerifiedAsset('lib.so', 'v1', BYTES, top);
    expect(contentOf(fd).equals(BYTES)).toBe(true);
    closeSync(fd);
  });

  it('compares every byte of a copy larger than one read, not just its size', () => {
    const large = new Uint8Array(200 * 1024).map((_, i) => i % 251);
    closeSync(openVerifiedAsset('big.so', 'v1', large, top));
    const tampered = Buffer.from(large);
    tampered[tampered.length - 1]! ^= 0xff;
    writeFileSync(join(top, 'v1', 'big.so'), tampered, { mode: 0o500 });
    const fd = openVerifiedAsset('big.so', 'v1', large, top);
    expect(contentOf(fd).equals(large)).toBe(true);
    closeSync(fd);
  });

  it('rewrites a copy whose permissions differ from the ones asked for', () => {
    closeSync(openVerifiedAsset('tool', 'v1', BYTES, top));
    const fd = openVerifiedAsset('tool', 'v1', BYTES, top, 0o555);
    expect(fstatSync(fd).mode & 0o777).toBe(0o555);
    closeSync(fd);
  });

  it('refuses a directory that others can write to', () => {
    mkdirSync(join(top, 'v1'), { recursive: true, mode: 0o700 });
    chmodSync(join(top, 'v1'), 0o777);
    expect(() => openVerifiedAsset('lib.so', 'v1', BYTES, top)).toThrow(/writable by group or others \(mode 777\); refusing to load code/);
  });

  it('refuses a copy owned by another user', () => {
    mkdirSync(join(top, 'v1'), { recursive: true, mode: 0o700 });
    writeFileSync(join(top, 'v1', 'lib.so'), BYTES, { mode: 0o500 });
    chownSync(join(top, 'v1', 'lib.so'), 4242, 4242);
    expect(() => openVerifiedAsset('lib.so', 'v1', BYTES, top)).toThrow(/owned by uid 4242/);
  });

  it('does not follow a symlink planted in place of the copy', () => {
    mkdirSync(join(top, 'v1'), { recursive: true, mode: 0o700 });
    writeFileSync(join(work, 'elsewhere'), BYTES);
    symlinkSync(join(work, 'elsewhere'), join(top, 'v1', 'lib.so'));
    expect(() => openVerifiedAsset('lib.so', 'v1', BYTES, top)).toThrow(/ELOOP/);
  });
});

describe('versions of an asset', () => {
  it('keeps, when a new version is unpacked, only the old ones a live process still uses', async () => {
    closeSync(openVerifiedAsset('prog', 'v1', BYTES, top));
    closeSync(openVerifiedAsset('prog', 'v2', BYTES, top));
    // v2 stands for a build still running: a process executes its copy of a real program.
    const sleep = join(top, 'v2', 'sleep');
    copyFileSync('/bin/sleep', sleep);
    chmodSync(sleep, 0o500);
    const running = spawn(sleep, ['30'], { stdio: 'ignore' });
    try {
      await new Promise((done) => running.once('spawn', done));
      closeSync(openVerifiedAsset('other', 'w1', BYTES, top));
      closeSync(openVerifiedAsset('prog', 'v3', BYTES, top));
      expect(readdirSync(top).sort()).toEqual(['v2', 'v3', 'w1']);
    } finally {
      running.kill('SIGKILL');
    }
  });
});
