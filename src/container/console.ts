// Where the pty of a process with process.terminal goes: to the engine's --console-socket (as
// runc: connect, and init sends the master over it), or, for a foreground run or exec with no
// console socket, to runts itself, which relays it to its own terminal (console-relay.ts).
import { closeSync } from 'node:fs';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';

export interface ConsoleEnds {
  /** The descriptor init gets, to send the master on. */
  forInit: number;
  /** runts's end, to receive the master on (foreground without --console-socket). */
  forRuntime?: number | undefined;
  /** Closes runts's copy of init's end once init has it. */
  closeInitEnd(): void;
}

export function openConsole(terminal: boolean, consoleSocket: string | undefined, foreground: boolean, libc: () => Libc): ConsoleEnds | undefined {
  if (!terminal) {
    if (consoleSocket) throw new RuntsError('--console-socket is for a process with a terminal, and process.terminal is false');
    return undefined;
  }
  if (consoleSocket) {
    const fd = libc().connectUnix(consoleSocket);
    return { forInit: fd, closeInitEnd: () => closeSync(fd) };
  }
  if (!foreground) {
    throw new RuntsError('process.terminal is true: give --console-socket (without runts in the foreground, the terminal has nowhere else to go)');
  }
  const [ours, theirs] = libc().socketpair();
  return { forInit: theirs, forRuntime: ours, closeInitEnd: () => closeSync(theirs) };
}

/** The pty master init sent over runts's end of the console socket (closed after). */
export function receiveMaster(consoleFd: number, libc: Libc): number {
  try {
    return libc.recvFd(consoleFd);
  } finally {
    closeSync(consoleFd);
  }
}
