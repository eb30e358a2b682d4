// Starting `runts init` through nsexec and talking to it until it reports ready: shared by
// create (a new container) and exec (a process joining one). On any failure the init is killed
// before the error goes up, so nothing is left running.
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../child-process.js';
import type { Socket } from 'node:net';
import type { Libc } from '../../ffi/libc.js';
import { nsexecPath } from '../../ffi/nsexec-binary.js';
import { RuntsError, systemError } from '../errors.js';
import { SYNC_FD_ENV } from '../init/init.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { type ChildMessage, MessageDecoder, RESUME } from './protocol.js';
import type { ConsoleEnds } from './console.js';
import { killAndWait } from './signal-process.js';

/** How long init may take before the caller gives up on it. */
const INIT_TIMEOUT_MS = 120_000;

/**
 * What init inherits beyond stdio, in this order: the socket-activation descriptors
 * (LISTEN_FDS), the --preserve-fds ones, the sync socket, and the console socket if any.
 */
export interface InitDescriptors {
  /** All the descriptors after stdio that the program keeps (socket activation's first). */
  preserveFds: number;
  /** How many of those came by socket activation: the program is told (LISTEN_FDS). */
  listenFds: number;
  consoleSocketFd?: number;
}

export interface InitLaunch<Request> {
  id: string;
  /** The orders for init, once its host pid is known (hooks get it in the state). */
  request: (pid: number, descriptors: InitDescriptors) => Request;
  /** --preserve-fds. */
  preserveFds: number;
  /** Where the pty master goes, for a process with a terminal. */
  console?: ConsoleEnds | undefined;
  nsexecArgs: string[];
  /** Told init's host pid as soon as nsexec reports it. */
  onPid?: (pid: number) => void;
  /** init paused for the runtime-namespace hooks (create only). */
  onHooks?: (sent: Request) => void;
}

/**
 * Descriptors passed by systemd socket activation (sd_listen_fds(3)): LISTEN_FDS of them from
 * 3 on, when LISTEN_PID names this process. runc hands them to the container before the
 * --preserve-fds ones.
 */
function socketActivationFds(): number {
  if (process.env.LISTEN_PID !== String(process.pid)) return 0;
  const count = Number(process.env.LISTEN_FDS);
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/**
 * Starts nsexec with the sync socket after the preserved descriptors, waits for init's pid,
 * sends the request and waits for `ready`. Returns init's host pid.
 */
export async function launchInit<Request>(launch: InitLaunch<Request>, libc: Libc, log: Logger, timings: Timings): Promise<number> {
  const listenFds = socketActivationFds();
  const preserveFds = listenFds + launch.preserveFds;
  const syncFd = 3 + preserveFds;
  const descriptors: InitDescriptors = { preserveFds, listenFds, ...(launch.console ? { consoleSocketFd: syncFd + 1 } : {}) };
  const preserved = Array.from({ length: preserveFds }, (_, i) => 3 + i);
  // --protect-exe: runts is a host binary running inside the container's namespaces until it
  // execs; the container must never be able to write it through /proc/<pid>/exe.
  const args = ['--sync-fd', String(syncFd), ...launch.nsexecArgs, '--protect-exe', '--', process.execPath, 'init', launch.id];
  let child: ChildProcess;
  try {
    child = childProcess().spawn(nsexecPath(), args, {
      stdio: ['inherit', 'inherit', 'inherit', ...preserved, 'pipe', ...(launch.console ? [launch.console.forInit] : [])],
      // A clean environment: nothing of the caller's (NODE_OPTIONS...) reaches init.
      env: { [SYNC_FD_ENV]: String(syncFd) },
      cwd: '/',
    });
  } finally {
    // nsexec has its own copy now (or never will): runts's copy of init's end goes.
    launch.console?.closeInitEnd();
  }
  const socket = child.stdio[syncFd] as Socket;
  let initPid: number | undefined;
  try {
    await converse(child, socket, launch, descriptors, log, timings, (pid) => {
      initPid = pid;
      launch.onPid?.(pid);
    });
    return initPid!;
  } catch (err) {
    if (initPid !== undefined) killAndWait(initPid, undefined, libc);
    throw err;
  } finally {
    socket.destroy();
  }
}

function converse<Request>(
  child: ChildProcess,
  socket: Socket,
  launch: InitLaunch<Request>,
  descriptors: InitDescriptors,
  log: Logger,
  timings: Timings,
  onPid: (pid: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new MessageDecoder();
    const timer = setTimeout(() => finish(new RuntsError(`container init did not finish within ${INIT_TIMEOUT_MS / 1000} s`)), INIT_TIMEOUT_MS);
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    let sent: Request | undefined;
    const handle = (message: ChildMessage) => {
      switch (message.type) {
        case 'init-pid':
          timings.mark('nsexec');
          onPid(message.pid);
          sent = launch.request(message.pid, descriptors);
          socket.write(`${JSON.stringify(sent)}\n`);
          break;
        case 'hooks':
          launch.onHooks?.(sent!);
          socket.write(`${JSON.stringify(RESUME)}\n`);
          break;
        case 'log':
          if (message.level === 'warning') log.warn(message.message);
          else log.debug(message.message);
          break;
        case 'ready':
          timings.mark('init');
          if (message.timings) timings.merge('init', message.timings);
          finish();
          break;
        case 'error':
          finish(childError(message));
          break;
      }
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      try {
        for (const message of decoder.push(chunk)) if (!done) handle(message);
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.on('error', (err) => finish(RuntsError.wrap('talk to the container init', err)));
    socket.on('close', () => finish(new RuntsError('container init exited before it was ready')));
    child.on('error', (err) => finish(RuntsError.wrap('start nsexec', err)));
  });
}

function childError(message: Extract<ChildMessage, { type: 'error' }>): RuntsError {
  if (typeof message.errno === 'number') {
    const [name, text] = systemError(message.errno);
    return new RuntsError(`container init: ${message.step ?? message.message}: ${text} (${name})`, { errno: name });
  }
  return new RuntsError(message.message ?? 'container init failed', { errno: message.errno });
}
