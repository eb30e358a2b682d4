// Starting a container's init before the command line is parsed and the bundle checked.
//
// init is a second runts process, and its start is the longest step of `create`, `run` and
// `exec`. The CLI's own preparation before it can start init (loading yargs, parsing, checking
// the bundle) is the next longest; done in parallel, both overlap. So src/cli/early-start.ts
// guesses from the raw arguments which container the command is about, and this module starts
// its init at once: for create and run from config.json as it reads, for exec from the
// container's record; nsexec makes or joins the namespaces, and init starts and waits for its
// orders (it does nothing for the container before them).
//
// The guess decides nothing: the command takes the prelaunched init only when it is exactly the
// one it would start itself (same id, bundle or container, namespaces, descriptors), after
// yargs and the full checks. Anything else, a failed check, a usage error or another command,
// kills it (discardPrelaunched, at the end of every command), and nothing is left behind.
// Whatever is unusual (a terminal, preserved descriptors, time offsets) is not guessed at: the
// command then starts init itself, as before.
import { join, resolve } from 'node:path';
import { libc } from '../../ffi/libc.js';
import { warmCgroupMoves } from '../cgroups/join.js';
import type { Logger } from '../log.js';
import type { Config } from '../spec/config.js';
import type { Timings } from '../timing.js';
import { checkContainerId } from './id.js';
import { type InitStart, StartingInit } from './launch.js';
import { readJsonFileText } from '../spec/read-json-file.js';
import { checkNamespaces, execJoinArgs, KERNEL_NAMES, nsexecNamespaceArgs } from './namespaces.js';
import { isSameProcessAlive } from './process-info.js';
import { StateStore } from './state-store.js';

/** Which command a prelaunched init is for: `create <bundle dir>` or `exec`. */
type PrelaunchKey = string;

/** The init started early. */
const early = { prelaunched: undefined as { key: PrelaunchKey; init: StartingInit } | undefined };

export const createKey = (bundleDir: string): PrelaunchKey => `create ${bundleDir}`;
export const EXEC_KEY: PrelaunchKey = 'exec';

/** create/run of `id` from `bundle`: starts its init, if config.json is plain enough to be sure of. */
export function prelaunchCreate(guess: { id: string; bundle: string }): void {
  try {
    const bundle = resolve(guess.bundle);
    const config = JSON.parse(readJsonFileText(join(bundle, 'config.json'))) as Config;
    const id = checkContainerId(guess.id);
    if (!hasPlainNamespaces(config)) return;
    checkNamespaces(config, 'config.json');
    if (config.process?.terminal) return;
    prelaunch(createKey(bundle), { id, preserveFds: 0, nsexecArgs: nsexecNamespaceArgs(config) });
  } catch {
    // Not the place to report anything: the command reads the bundle again and says what is wrong.
  }
}

/** exec into `id` (recorded under `root`): starts the init that joins it, if it is running. */
export function prelaunchExec(guess: { id: string; root: string }): void {
  try {
    const init = new StateStore(guess.root).peekInit(guess.id);
    if (init === undefined || !isSameProcessAlive(init.pid, init.startTime)) return;
    prelaunch(EXEC_KEY, { id: guess.id, preserveFds: 0, nsexecArgs: execJoinArgs(init.pid) });
  } catch {
    // The command reads the record again and says what is wrong.
  }
}

function prelaunch(key: PrelaunchKey, start: InitStart): void {
  early.prelaunched = { key, init: new StartingInit(start, libc()) };
  // The cgroup move of the new process comes once the command line and the bundle or record
  // are checked; its wait in the kernel can begin now (see warmCgroupMoves).
  warmCgroupMoves();
}

/**
 * The prelaunched init, for the command to take on, if it is the one `start` describes; one
 * that is not is killed (the caller starts the right one).
 */
export function takePrelaunched(key: PrelaunchKey, start: InitStart, log: Logger, timings: Timings): StartingInit | undefined {
  const candidate = early.prelaunched;
  early.prelaunched = undefined;
  if (!candidate) return undefined;
  const wanted = candidate.init.start;
  const same =
    candidate.key === key &&
    wanted.id === start.id &&
    wanted.preserveFds === start.preserveFds &&
    wanted.console === undefined &&
    start.console === undefined &&
    JSON.stringify(wanted.nsexecArgs) === JSON.stringify(start.nsexecArgs);
  if (same) return candidate.init.adopt(log, timings);
  candidate.init.abort();
  return undefined;
}

/** Kills a prelaunched init that no command took on: called at the end of every command. */
export function discardPrelaunched(): void {
  const candidate = early.prelaunched;
  early.prelaunched = undefined;
  candidate?.init.abort();
}

/** linux.namespaces as nsexecNamespaceArgs can read it (an array of known types and string paths), and no time offsets. */
function hasPlainNamespaces(config: Config): boolean {
  const namespaces: unknown = config?.linux?.namespaces;
  return (
    Array.isArray(namespaces) &&
    namespaces.every(
      (namespace: { type?: unknown; path?: unknown } | null) =>
        typeof namespace?.type === 'string' && Object.hasOwn(KERNEL_NAMES, namespace.type) && (namespace.path === undefined || typeof namespace.path === 'string'),
    ) &&
    config.linux?.timeOffsets === undefined
  );
}
