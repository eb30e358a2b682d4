// Host processes as the tests see them through /proc, and the one scenario several suites
// share: a `runts create` killed half-way, at a moment the test can prove.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestHost } from './bundle.js';
import { RUNTS } from './runts.js';

/** The command line of a live process; '' once it has exited (a zombie has none either). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Host pids whose command line mentions `marker` (a unique string given to the container). */
export function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => commandLine(pid).includes(marker));
}

/** The children of `pid`'s main thread (where Node and runts fork theirs). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an engine's command line (podman, ctr, docker) to its end, for at most a minute. */
export function runCommand(command: string, args: string[], input?: Buffer): CommandResult {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 2 ** 20 });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * Polls `probe` every 10 ms until it gives a value, for at most 30 s (the VM's guests are slow).
 * `what` names it in the error; a function is asked only then (for a log gathered meanwhile).
 */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleepingChildOf = (pid: number) => childrenOf(pid).find((child) => commandLine(child).startsWith('sleep\0'));

/**
 * Starts `runts create` of container `id` with a `sleep 60` hook at `stage`, waits until the
 * hook runs, SIGKILLs runts, and hands over to `check`. runts runs createRuntime hooks itself
 * (init waits on its socket meanwhile, and ends when the socket closes with runts); init runs
 * createContainer hooks, so init and its hook outlive runts. runts and the hook are killed in
 * the end whatever happens: a create left waiting would hold the container's lock.
 */
export async function killCreateDuringHook(
  host: TestHost,
  id: string,
  stage: 'createRuntime' | 'createContainer',
  check: (pids: { init: number; hook: number }) => Promise<void> | void,
): Promise<void> {
  const bundle = host.bundle(['true'], (config) => (config.hooks = { [stage]: [{ path: '/bin/sleep', args: ['sleep', '60'] }] }));
  const runts = spawn(RUNTS, ['--root', host.root, 'create', '--bundle', bundle, id], { stdio: 'ignore', env: { PATH: process.env.PATH } });
  const exited = new Promise((resolve) => runts.on('exit', resolve));
  // nsexec, which forks init, carries init's command line too: init is the one with the hook.
  const hookParents = () => (stage === 'createRuntime' ? [runts.pid!] : processesWith(`\0init\0${id}`));
  let hook: number | undefined;
  try {
    hook = await waitFor(`the ${stage} hook`, () => hookParents().map(sleepingChildOf).find((pid) => pid !== undefined));
    const { status, pid: init } = JSON.parse(host.runts(['state', id]).stdout) as { status: string; pid: number };
    expect(status).toBe('creating');
    runts.kill('SIGKILL');
    await exited;
    await check({ init, hook });
  } finally {
    runts.kill('SIGKILL');
    if (hook !== undefined && commandLine(hook) !== '') process.kill(hook, 'SIGKILL');
  }
}
