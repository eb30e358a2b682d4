// `runts run` in the foreground: create and start a container, pass signals on to it, wait for
// its init to end and report how. runts makes itself a child subreaper first, so the init
// (nsexec's child, orphaned when nsexec exits) becomes its child and can be waited for.
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import { PR_SET_CHILD_SUBREAPER } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { type CreateOptions, createContainer } from './create.js';
import { deleteContainer, startContainer } from './lifecycle.js';
import type { StateStore } from './state-store.js';

/** Signals a foreground run passes on to the container instead of dying of them. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT'];

export interface RunOptions extends CreateOptions {
  detach: boolean;
  keep: boolean;
}

/** Returns the exit status runts should exit with: the container's, or 128+signal. */
export async function runContainer(store: StateStore, options: RunOptions, libc: Libc, log: Logger, timings: Timings): Promise<number> {
  if (options.detach) {
    await createContainer(store, options, libc, log, timings);
    startOrDelete(store, options.id, libc, log);
    timings.mark('start');
    return 0;
  }
  libc.prctl(PR_SET_CHILD_SUBREAPER, 1);
  const record = await createContainer(store, options, libc, log, timings);
  const pid = record.pid!;
  const pidfd = libc.pidfdOpen(pid);
  const forward = (signal: NodeJS.Signals) => {
    try {
      libc.pidfdSendSignal(pidfd, osSignal(signal));
    } catch (err) {
      log.debug(`forward ${signal}: ${(err as Error).message}`);
    }
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  // Waiting starts before start: a program that exits at once is still ours to reap.
  const exited = libc.waitForChild(pid);
  try {
    startContainer(store, options.id, log);
    timings.mark('start');
    const how = await exited;
    timings.mark('program');
    return how.signal === undefined ? how.code : 128 + how.signal;
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    closeSync(pidfd);
    // Without --keep the container goes when run ends; after a failed start it goes anyway.
    const neverStarted = store.exists(options.id) && store.read(options.id).status === 'created';
    if ((!options.keep || neverStarted) && store.exists(options.id)) deleteContainer(store, options.id, true, libc, log);
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

function osSignal(signal: NodeJS.Signals): number {
  return constants.signals[signal];
}
