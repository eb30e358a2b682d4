// Starting `runts init` through nsexec and talking to it until it reports ready: shared by
// create (a new container) and exec (a process joining one).
//
// Starting comes first, on its own: init is a second Node process, and its start (~16 ms here)
// is the longest step of a create. The caller starts it as soon as it knows the namespaces and
// does its own work (loading koffi, the state directory, the cgroup, the exec fifo) while init
// starts; init waits for its orders before it does anything for the container. nsexec makes
// init a child of this process (CLONE_PARENT), so it can be waited for without a subreaper.
// A caller that fails calls abort(): init is killed before the error goes up.
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { childProcess } from '../child-process.js';
import type { Libc } from '../../ffi/libc.js';
import { nsexecPath } from '../../ffi/nsexec-binary.js';
import { RuntsError, systemError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { type ChildMessage, MessageDecoder, RESUME, SYNC_FD_ENV } from './protocol.js';
import type { ConsoleEnds } from './console.js';
import { killAndWait } from './signal-process.js';

/** How long init may take, from its start to ready, before the caller gives up on it. */
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

export interface InitStart {
  id: string;
  /** --preserve-fds. */
  preserveFds: number;
  /** Where the pty master goes, for a process with a terminal. */
  console?: ConsoleEnds | undefined;
  nsexecArgs: string[];
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

/** A `runts init` on its way: started by nsexec, not yet given its orders. */
export class StartingInit {
  readonly descriptors: InitDescriptors;
  private readonly child: ChildProcess;
  private readonly socket: Socket;
  private readonly inbox: ChildMessage[] = [];
  private waiter: ((message: ChildMessage | Error) => void) | undefined;
  private failure: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private initPid: number | undefined;
  private ended = false;
  private aborted = false;

  /** Set by adopt() for an init started before the command line was read (prelaunch.ts). */
  private log: Logger | undefined;
  private timings: Timings | undefined;

  constructor(
    readonly start: InitStart,
    log?: Logger,
    timings?: Timings,
  ) {
    this.log = log;
    this.timings = timings;
    const listenFds = socketActivationFds();
    const preserveFds = listenFds + start.preserveFds;
    const syncFd = 3 + preserveFds;
    this.descriptors = { preserveFds, listenFds, ...(start.console ? { consoleSocketFd: syncFd + 1 } : {}) };
    const preserved = Array.from({ length: preserveFds }, (_, i) => 3 + i);
    // --protect-exe: runts is a host binary running inside the container's namespaces until it
    // execs; the container must never be able to write it through /proc/<pid>/exe.
    const args = ['--sync-fd', String(syncFd), ...start.nsexecArgs, '--protect-exe', '--', process.execPath, 'init', start.id];
    try {
      this.child = childProcess().spawn(nsexecPath(), args, {
        stdio: ['inherit', 'inherit', 'inherit', ...preserved, 'pipe', ...(start.console ? [start.console.forInit] : [])],
        // A clean environment: nothing of the caller's (NODE_OPTIONS...) reaches init.
        env: { [SYNC_FD_ENV]: String(syncFd) },
        cwd: '/',
      });
    } finally {
      // nsexec has its own copy now (or never will): runts's copy of init's end goes.
      start.console?.closeInitEnd();
    }
    this.socket = this.child.stdio[syncFd] as Socket;
    this.timer = setTimeout(() => this.fail(new RuntsError(`container init did not finish within ${INIT_TIMEOUT_MS / 1000} s`)), INIT_TIMEOUT_MS);
    const decoder = new MessageDecoder();
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      try {
        for (const message of decoder.push(chunk)) this.deliver(message);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    this.socket.on('error', (err) => this.fail(RuntsError.wrap('talk to the container init', err)));
    this.socket.on('close', () => this.fail(new RuntsError('container init exited before it was ready')));
    this.child.on('error', (err) => this.fail(RuntsError.wrap('start nsexec', err)));
  }

  /** Gives an init started early the logger and timings of the command that takes it on. */
  adopt(log: Logger, timings: Timings): this {
    this.log = log;
    this.timings = timings;
    return this;
  }

  /** init's host pid, as nsexec reports it once the namespaces are made. */
  async pid(): Promise<number> {
    if (this.initPid !== undefined) return this.initPid;
    const message = await this.next();
    if (message.type !== 'init-pid') throw unexpected(message, 'its pid');
    this.initPid = message.pid;
    this.timings?.mark('nsexec');
    return message.pid;
  }

  /**
   * Sends init its orders and waits until it reports ready; `onHooks` runs when init pauses
   * for the runtime-namespace hooks (create only).
   */
  async run(request: unknown, onHooks?: () => void): Promise<void> {
    await this.pid();
    this.socket.write(`${JSON.stringify(request)}\n`);
    for (;;) {
      const message = await this.next();
      if (message.type === 'hooks') {
        onHooks?.();
        this.socket.write(`${JSON.stringify(RESUME)}\n`);
      } else if (message.type === 'ready') {
        this.timings?.mark('init');
        if (message.timings) this.timings?.merge('init', message.timings);
        this.end();
        return;
      } else {
        throw unexpected(message, 'ready');
      }
    }
  }

  /**
   * Undoes the start after a failure, also one after ready: init (once nsexec has named it) is
   * killed and waited for.
   */
  async abort(libc: () => Libc): Promise<void> {
    if (this.aborted) return;
    this.aborted = true;
    let pid = this.initPid;
    if (pid === undefined && !this.ended && this.failure === undefined) pid = await this.pid().catch(() => undefined);
    // Killed before its socket closes: an init that saw the socket close first would report
    // that runts "went away" on the caller's stderr, beside the real error.
    try {
      if (pid !== undefined) killAndWait(pid, undefined, libc());
    } finally {
      this.end();
    }
  }

  private end(): void {
    this.ended = true;
    clearTimeout(this.timer);
    this.socket.destroy();
  }

  /** An error ends the conversation; the rest queue (log lines too, until there is a logger). */
  private deliver(message: ChildMessage): void {
    if (message.type === 'error') {
      this.fail(childError(message));
    } else if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(message);
    } else {
      this.inbox.push(message);
    }
  }

  private fail(err: Error): void {
    if (this.failure || this.ended) return;
    this.failure = err;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(err);
  }

  /** The next message that is not a log line; log lines on the way are logged. */
  private async next(): Promise<ChildMessage> {
    for (;;) {
      const message = await this.nextQueued();
      if (message.type !== 'log') return message;
      if (message.level === 'warning') this.log?.warn(message.message);
      else this.log?.debug(message.message);
    }
  }

  private nextQueued(): Promise<ChildMessage> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = (message) => (message instanceof Error ? reject(message) : resolve(message));
    });
  }
}

function unexpected(message: ChildMessage, expected: string): RuntsError {
  return new RuntsError(`container init: expected ${expected}, got a ${JSON.stringify(message.type)} message`);
}

function childError(message: Extract<ChildMessage, { type: 'error' }>): RuntsError {
  if (typeof message.errno === 'number') {
    const [name, text] = systemError(message.errno);
    return new RuntsError(`container init: ${message.step ?? message.message}: ${text} (${name})`, { errno: name });
  }
  return new RuntsError(message.message ?? 'container init failed', { errno: message.errno });
}
