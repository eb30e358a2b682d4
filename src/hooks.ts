// config.md hooks: each hook is run with the container's state on its stdin, its own args and
// env (nothing inherited), and killed when its timeout passes. Where a hook runs (runtime or
// container namespace) is decided by the caller; this module only runs and judges them.
import { childProcess } from './child-process.js';
import { RuntsError } from './errors.js';
import type { Hook, HookName } from './spec/config.js';
import type { State } from './spec/state.js';

/**
 * Runs the hooks of one stage in order; throws at the first that fails. `cwd` is their working
 * directory: the container's root for the stages that run in its mount namespace (as runc), so
 * that a relative path a hook writes never lands on the host's files; the caller's otherwise.
 */
export function runHooks(stage: HookName, hooks: Hook[] | undefined, state: State, cwd?: string): void {
  (hooks ?? []).forEach((hook, index) => runHook(stage, index, hook, state, cwd));
}

/** Runs the hooks of a stage whose failures only warn (poststart, poststop). */
export function runHooksWarning(stage: HookName, hooks: Hook[] | undefined, state: State, warn: (message: string) => void): void {
  (hooks ?? []).forEach((hook, index) => {
    try {
      runHook(stage, index, hook, state);
    } catch (err) {
      warn((err as Error).message);
    }
  });
}

function runHook(stage: HookName, index: number, hook: Hook, state: State, cwd?: string): void {
  const name = `${stage} hook #${index} (${hook.path})`;
  const [argv0, ...args] = hook.args ?? [hook.path];
  const result = childProcess().spawnSync(hook.path, args, {
    argv0: argv0 ?? hook.path,
    cwd,
    input: JSON.stringify(state),
    env: Object.fromEntries((hook.env ?? []).map((entry) => splitEnv(entry))),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: hook.timeout === undefined ? undefined : hook.timeout * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 1024 * 1024,
  });
  const output = `${result.stderr?.toString() ?? ''}${result.stdout?.toString() ?? ''}`.trim();
  const detail = output ? `: ${output}` : '';
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    throw new RuntsError(`${name} timed out after ${hook.timeout} s`, { errno: 'ETIMEDOUT' });
  }
  // A hook need not read the state: one that exits first makes writing it fail with EPIPE,
  // and what counts is still how it exited.
  if (result.error && (result.error as NodeJS.ErrnoException).code !== 'EPIPE') throw RuntsError.wrap(`${name}: run`, result.error);
  if (result.signal) throw new RuntsError(`${name} was killed by ${result.signal}${detail}`);
  if (result.status !== 0) throw new RuntsError(`${name} failed with exit status ${result.status}${detail}`);
}

function splitEnv(entry: string): [string, string] {
  const at = entry.indexOf('=');
  return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
}
