// A process that `run` or `exec` waits for in the foreground: the signals runts gets are passed
// on to it (through a pidfd), and its end becomes runts's exit status. runts must be its
// parent or its subreaper (it is waited for with waitpid).
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import type { Libc } from '../../ffi/libc.js';
import type { Logger } from '../log.js';

/** Signals a foreground runts passes on instead of dying of them. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT'];

/**
 * Starts waiting for `pid` at once (a program that exits before the caller is ready is still
 * reaped) and resolves with its exit code, or 128+signal when a signal killed it.
 */
export function followInForeground(pid: number, libc: Libc, log: Logger): Promise<number> {
  // The pidfd first: until it is waited for, even an exited process (a zombie) has one.
  const pidfd = libc.pidfdOpen(pid);
  const forward = (signal: NodeJS.Signals) => {
    try {
      libc.pidfdSendSignal(pidfd, constants.signals[signal]);
    } catch (err) {
      log.debug(`forward ${signal}: ${(err as Error).message}`);
    }
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return libc.waitForChild(pid).then(
    (how) => (how.signal === undefined ? how.code : 128 + how.signal),
  ).finally(() => {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    closeSync(pidfd);
  });
}
