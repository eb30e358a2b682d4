// Signals go through a pidfd: once the pidfd is open it names one process for good,
// and checking the start time after opening it proves it is the container's init, not a
// process that got the same pid later.
import { closeSync } from 'node:fs';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';
import { isSameProcessAlive, readProcStat } from './process-info.js';
import { sleepSync } from '../sleep.js';

/** Sends `signal`; returns false when the process is already gone. */
export function signalProcess(pid: number, startTime: number | undefined, signal: number, libc: Libc): boolean {
  let pidfd: number;
  try {
    pidfd = libc.pidfdOpen(pid);
  } catch (err) {
    if (err instanceof RuntsError && err.errno === 'ESRCH') return false;
    throw err;
  }
  try {
    if (!isSameProcessAlive(pid, startTime)) return false;
    libc.pidfdSendSignal(pidfd, signal);
    return true;
  } catch (err) {
    if (err instanceof RuntsError && err.errno === 'ESRCH') return false;
    throw err;
  } finally {
    closeSync(pidfd);
  }
}

/**
 * Waits until the process is gone or a zombie; false on timeout. It is not our child (so no
 * waitpid): /proc is polled, blocking, which a short-lived CLI process can afford.
 */
export function waitForExit(pid: number, startTime: number | undefined, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (isSameProcessAlive(pid, startTime)) {
    if (Date.now() > deadline) return false;
    sleepSync(2);
  }
  return true;
}

/** SIGKILL and wait: used to undo a create and by delete. */
export function killAndWait(pid: number, startTime: number | undefined, libc: Libc): boolean {
  signalProcess(pid, startTime, 9, libc);
  return waitForExit(pid, startTime, 10_000);
}

/** The start time that, with the pid, names the process (see process-info.ts). */
export function startTimeOf(pid: number): number | undefined {
  return readProcStat(pid)?.startTime;
}
