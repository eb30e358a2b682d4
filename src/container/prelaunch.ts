// Starting a container's init before the command line is parsed and the bundle checked.
//
// init is a second Node process, and its start is the longest step of `create` and `run`
// (DESIGN.md: ~16 ms each). The CLI's own preparation before it can start init (loading yargs,
// parsing, checking the bundle) is another ~7 ms; done in parallel, both overlap. So entry.ts
// guesses from the raw arguments which container a `create` or `run` will make, and this
// module starts its init at once, from config.json as it reads: nsexec makes the namespaces,
// and init starts and waits for its orders (it does nothing for the container before them).
//
// The guess decides nothing: create.ts takes the prelaunched init only when it is exactly the
// one it would start itself (same id, bundle, namespaces, descriptors), after yargs and the full
// checks of the bundle. Anything else, a failed check, a usage error or another command,
// kills it (discardPrelaunched, at the end of every command), and nothing is left behind.
// Whatever is unusual (a terminal, preserved descriptors, a new cgroup namespace, which needs
// the cgroup made first) is not guessed at: create then starts init itself, as before.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Libc } from '../../ffi/libc.js';
import { warmCgroupMoves } from '../cgroups/join.js';
import type { Logger } from '../log.js';
import type { Config } from '../spec/config.js';
import type { Timings } from '../timing.js';
import { checkContainerId } from './id.js';
import { type InitStart, StartingInit } from './launch.js';
import { checkNamespaces, KERNEL_NAMES, namespacePlan } from './namespaces.js';

/** What entry.ts read off the command line: `create`/`run` of `id` from `bundle`. */
export interface ContainerGuess {
  id: string;
  bundle: string;
}

let prelaunched: { bundle: string; init: StartingInit } | undefined;

/** Starts the init of the guessed container, if its config.json is plain enough to be sure of. */
export function prelaunchInit(guess: ContainerGuess): void {
  try {
    const bundle = resolve(guess.bundle);
    const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as Config;
    const id = checkContainerId(guess.id);
    if (!hasPlainNamespaces(config)) return;
    checkNamespaces(config, 'config.json');
    const plan = namespacePlan(config);
    if (plan.creates('cgroup') || config.process?.terminal || process.env.LISTEN_FDS !== undefined) return;
    prelaunched = { bundle, init: new StartingInit({ id, preserveFds: 0, nsexecArgs: plan.nsexecArgs }) };
    // The container's cgroup move comes once the bundle is checked; its wait can begin now.
    warmCgroupMoves();
  } catch {
    // Not the place to report anything: the command reads the bundle again and says what is wrong.
  }
}

/**
 * The prelaunched init, for create to take on, if it is the one `start` describes; one that is
 * not is killed (the caller starts the right one).
 */
export async function takePrelaunched(bundle: string, start: InitStart, log: Logger, timings: Timings, libc: () => Libc): Promise<StartingInit | undefined> {
  const candidate = prelaunched;
  prelaunched = undefined;
  if (!candidate) return undefined;
  const wanted = candidate.init.start;
  const same =
    candidate.bundle === bundle &&
    wanted.id === start.id &&
    wanted.preserveFds === start.preserveFds &&
    wanted.console === undefined &&
    start.console === undefined &&
    JSON.stringify(wanted.nsexecArgs) === JSON.stringify(start.nsexecArgs);
  if (same) return candidate.init.adopt(log, timings);
  await candidate.init.abort(libc);
  return undefined;
}

/** Kills a prelaunched init that no command took on: called at the end of every command. */
export async function discardPrelaunched(libc: () => Libc): Promise<void> {
  const candidate = prelaunched;
  prelaunched = undefined;
  await candidate?.init.abort(libc);
}

/** linux.namespaces as namespacePlan can read it: an array of known types and string paths. */
function hasPlainNamespaces(config: Config): boolean {
  const namespaces: unknown = config?.linux?.namespaces;
  return (
    Array.isArray(namespaces) &&
    namespaces.every(
      (namespace: { type?: unknown; path?: unknown } | null) =>
        typeof namespace?.type === 'string' && Object.hasOwn(KERNEL_NAMES, namespace.type) && (namespace.path === undefined || typeof namespace.path === 'string'),
    ) &&
    (config.linux?.timeOffsets === undefined)
  );
}
