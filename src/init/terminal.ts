// process.terminal: a pty allocated inside the container (its own devpts instance, through
// /dev/ptmx → pts/ptmx), its master sent to the console socket the way runc sends it (one
// message, the descriptor in SCM_RIGHTS), its slave made the process's stdin, stdout, stderr
// and controlling terminal, and bound on /dev/console for a new container.
import { closeSync, constants, existsSync, fchownSync, openSync, writeFileSync } from 'node:fs';
import { MS_BIND } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';

export interface TerminalPlan {
  /** The descriptor of the console socket, inherited from runts. */
  consoleSocket: number;
  consoleSize?: { height: number; width: number } | undefined;
  /** A new container's /dev/console shows its terminal; an exec'd process leaves it be. */
  bindConsole: boolean;
  /** The process's user, who gets the pty (as runc gives it). */
  owner: { uid?: number | undefined; gid?: number | undefined } | undefined;
}

/** Runs inside the container (after the root switch or the mount namespace join), as root. */
export function setupTerminal(plan: TerminalPlan, libc: Libc): void {
  let master: number;
  try {
    master = openSync('/dev/ptmx', constants.O_RDWR | constants.O_NOCTTY);
  } catch (err) {
    throw RuntsError.wrap('open /dev/ptmx in the container (a terminal needs a devpts mount)', err);
  }
  let slave: number;
  try {
    const slavePath = `/dev/pts/${libc.unlockPty(master)}`;
    slave = openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY);
    fchownSync(slave, plan.owner?.uid ?? 0, plan.owner?.gid ?? 0);
    if (plan.consoleSize) libc.setWindowSize(slave, plan.consoleSize.height, plan.consoleSize.width);
    if (plan.bindConsole) {
      if (!existsSync('/dev/console')) writeFileSync('/dev/console', '', { mode: 0o600 });
      libc.mount(slavePath, '/dev/console', null, MS_BIND, null);
    }
    libc.sendFd(plan.consoleSocket, master, '/dev/ptmx');
  } finally {
    closeSync(master);
    closeSync(plan.consoleSocket);
  }
  // A session of its own, with the pty as its controlling terminal, on stdin/stdout/stderr.
  libc.setsid();
  libc.setControllingTerminal(slave);
  for (const fd of [0, 1, 2]) libc.dup2(slave, fd);
  if (slave > 2) closeSync(slave);
}
