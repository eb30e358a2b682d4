// `runts run` in the foreground: create and start a container, pass signals on to it, wait for
// its init to end and report how. The init is runts's child (nsexec starts it so), so it can
// be waited for; runts is also made a child subreaper, as runc makes itself, so that what the
// container's processes leave behind (without a pid namespace of its own) comes back to it.
import { PR_SET_CHILD_SUBREAPER } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { type CreateOptions, createContainer } from './create.js';
import { receiveMaster } from './console.js';
import { relayTerminal } from './console-relay.js';
import { followInForeground } from './foreground.js';
import { deleteContainer, startContainer } from './lifecycle.js';
import type { StateStore } from './state-store.js';

export interface RunOptions extends CreateOptions {
  detach: boolean;
  keep: boolean;
}

/** Returns the exit status runts should exit with: the container's, or 128+signal. */
export async function runContainer(store: StateStore, options: RunOptions, libc: () => Libc, log: Logger, timings: Timings): Promise<number> {
  if (options.detach) {
    await createContainer(store, options, libc, log, timings);
    startOrDelete(store, options.id, libc(), log);
    timings.mark('start');
    return 0;
  }
  const { record, consoleFd } = await createContainer(store, { ...options, foreground: true }, libc, log, timings);
  // Before start: nothing of the container's has run yet.
  libc().prctl(PR_SET_CHILD_SUBREAPER, 1);
  const pid = record.pid!;
  const exited = followInForeground(pid, libc(), log);
  // init sent the master during create: it waits in runts's end of the console socket.
  const relay = consoleFd === undefined ? undefined : relayTerminal(receiveMaster(consoleFd, libc()), libc());
  try {
    startContainer(store, options.id, log);
    timings.mark('start');
    const status = await exited;
    timings.mark('program');
    return status;
  } finally {
    await relay?.finish();
    // Without --keep the container goes when run ends; after a failed start it goes anyway.
    const neverStarted = store.exists(options.id) && store.read(options.id).status === 'created';
    if ((!options.keep || neverStarted) && store.exists(options.id)) deleteContainer(store, options.id, true, libc(), log);
    timings.mark('delete');
  }
}

function startOrDelete(store: StateStore, id: string, libc: Libc, log: Logger): void {
  try {
    startContainer(store, id, log);
  } catch (err) {
    deleteContainer(store, id, true, libc, log);
    throw err;
  }
}
