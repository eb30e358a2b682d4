// Small busybox bundles for conformance tests, and the bookkeeping that proves a test left
// nothing behind: every test gets its own --root and work directory, and cleanup checks that
// no container state, process or mount of the test survives it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import type { Config } from '../../src/spec/config.js';
import { cgroupMountPoints } from './cgroups.js';
import { runts, type RunResult } from './runts.js';

const MAKE_BUNDLE = resolve(import.meta.dirname, '../make-bundle.sh');

/** A template bundle, built once per test file and copied for each test. */
let template: string | undefined;

function templateBundle(): string {
  if (!template) {
    template = mkdtempSync(join(tmpdir(), 'runts-template-'));
    execFileSync('bash', [MAKE_BUNDLE, join(template, 'bundle')], { stdio: 'ignore' });
  }
  return join(template, 'bundle');
}

export function removeTemplate(): void {
  if (template) rmSync(template, { recursive: true, force: true });
  template = undefined;
}

export class TestHost {
  readonly work = mkdtempSync(join(tmpdir(), 'runts-test-'));
  readonly root = join(this.work, 'state');
  /** The name every cgroup of this host's bundles starts with (it contains "runts", as the leak checks expect). */
  readonly cgroupPrefix = basename(this.work);
  private bundles = 0;

  /** A bundle running `args`; `change` edits its config.json. */
  bundle(args: string[], change: (config: Config) => void = () => undefined): string {
    const dir = join(this.work, `bundle${++this.bundles}`);
    cpSync(templateBundle(), dir, { recursive: true, verbatimSymlinks: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Config;
    config.process!.args = args;
    // A cgroup of its own per bundle: tests of several files run at once and reuse ids.
    config.linux!.cgroupsPath = `/${this.cgroupPrefix}-${this.bundles}`;
    change(config);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
    return dir;
  }

  runts(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunResult {
    return runts(['--root', this.root, ...args], options);
  }

  /** The container ids still recorded under this host's root. */
  containers(): string[] {
    try {
      return readdirSync(this.root);
    } catch {
      return [];
    }
  }

  /**
   * Removes what a test left and reports it: a test that leaves containers, state or mounts
   * behind fails here, after the cleanup, so one leak does not spoil the next test.
   */
  cleanup(): string[] {
    const leaks: string[] = [];
    for (const id of this.containers()) {
      leaks.push(`container state ${id}`);
      this.runts(['delete', '--force', id]);
    }
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((line) => line.includes(this.work));
    leaks.push(...mounts.map((line) => `mount ${line}`));
    leaks.push(...cgroupsNamed(this.cgroupPrefix).map((dir) => `cgroup ${dir}`));
    rmSync(this.work, { recursive: true, force: true });
    return leaks;
  }
}

/** Directories directly under a cgroup hierarchy's root (or one level below) whose name starts with `prefix`. */
export function cgroupsNamed(prefix: string): string[] {
  const found: string[] = [];
  for (const root of cgroupMountPoints()) {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name.startsWith(prefix)) found.push(join(root, entry.name));
    }
  }
  return found;
}

export function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * A TestHost for each test of the calling file: made before each test, checked for leaks and
 * removed after it. The returned object always stands for the current test's host.
 */
export function useTestHost(): TestHost {
  let current: TestHost | undefined;
  beforeEach(() => {
    current = new TestHost();
  });
  afterEach(() => {
    expect(current!.cleanup()).toEqual([]);
  });
  afterAll(removeTemplate);
  return new Proxy({} as TestHost, {
    get(_, key) {
      const value = Reflect.get(current!, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
