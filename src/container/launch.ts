// Starting `runts init` through nsexec and talking to it until it reports ready: shared by
// create (a new container) and exec (a process joining one).
//
// Starting comes first, on its own: init is a second runts process, and its start is the
// longest step of a create. The caller starts it as soon as it knows the namespaces and
// does its own work (the state directory, the cgroup, the exec fifo) while init starts; init
// waits for its orders before it does anything for the container. nsexec makes init a child of
// this process (CLONE_PARENT), so it can be waited for without a subreaper.
// A caller that fails calls abort(): init is killed before the error goes up.
//
// nsexec is started with posix_spawn through libc, and the socket to it is read with blocking
// reads: node:child_process would cost the CLI more (loading it and node:net, a fork of the
// runtime, the stream machinery of a piped socket), and the CLI has nothing else to do while it
// waits for init.
import { closeSync, readSync, writeSync } from 'node:fs';
import { KOFFI_FD_ENV, koffiFileDescriptor } from '../../ffi/koffi-native-file.js';
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
  /** nsexec, which exits once it has reported init's pid; reaped when the conversation ends. */
  private readonly nsexecPid: number;
  /** runts's end of the sync socket. */
  private readonly socket: number;
  private readonly decoder = new MessageDecoder();
  private readonly text = new TextDecoder();
  private readonly inbox: ChildMessage[] = [];
  private readonly deadline = Date.now() + INIT_TIMEOUT_MS;
  /** What ended the conversation early: an error from init, its exit, the time limit. */
  private failure: Error | undefined;
  /** init's end of the socket is closed: its exec, or its end. */
  private closed = false;
  private initPid: number | undefined;
  private ended = false;
  private aborted = false;

  /** Set by adopt() for an init started before the command line was read (prelaunch.ts). */
  private log: Logger | undefined;
  private timings: Timings | undefined;

  constructor(
    readonly start: InitStart,
    private readonly libc: Libc,
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
    const nsexec = nsexecPath();
    const args = ['--sync-fd', String(syncFd), ...start.nsexecArgs, '--protect-exe', '--', process.execPath, 'init', start.id];
    const [ours, theirs] = libc.socketpair();
    try {
      const fds = [0, 1, 2, ...preserved, theirs, ...(start.console ? [start.console.forInit] : [])];
      // A clean environment: nothing of the caller's (NODE_OPTIONS...) reaches init.
      const env = [`${SYNC_FD_ENV}=${syncFd}`];
      // The koffi.node runts verified and loaded, for init to load without checking it again.
      const koffiFile = koffiFileDescriptor();
      if (koffiFile !== undefined) env.push(`${KOFFI_FD_ENV}=${fds.push(koffiFile) - 1}`);
      this.nsexecPid = libc.spawn(nsexec, [nsexec, ...args], env, fds, '/');
    } catch (err) {
      closeSync(ours);
      throw RuntsError.wrap('start nsexec', err);
    } finally {
      // nsexec has its own copies now (or never will): runts's copies of init's ends go.
      closeSync(theirs);
      start.console?.closeInitEnd();
    }
    this.socket = ours;
  }

  /** Gives an init started early the logger and timings of the command that takes it on. */
  adopt(log: Logger, timings: Timings): this {
    this.log = log;
    this.timings = timings;
    return this;
  }

  /** init's host pid, as nsexec reports it once the namespaces are made. */
  pid(): number {
    if (this.initPid !== undefined) return this.initPid;
    const message = this.next();
    if (message.type !== 'init-pid') throw unexpected(message, 'its pid');
    this.initPid = message.pid;
    this.timings?.mark('nsexec');
    return message.pid;
  }

  /**
   * Sends init its orders and waits until it reports ready and then leaves the socket, as its
   * exec closes it (init marks its end close-on-exec): a program that cannot be executed fails
   * the command, and the pid the caller is given runs the program (or nsexec's wait for start)
   * when this returns, as with runc. `onHooks` runs when init pauses for the runtime-namespace
   * hooks (create only).
   */
  run(request: unknown, onHooks?: () => void): void {
    this.pid();
    this.send(request);
    for (;;) {
      const message = this.next();
      if (message.type === 'hooks') {
        onHooks?.();
        this.send(RESUME);
      } else if (message.type === 'ready') {
        this.timings?.mark('init');
        if (message.timings) this.timings?.merge('init', message.timings);
        this.awaitClose();
        this.timings?.mark('exec');
        this.end();
        return;
      } else {
        throw unexpected(message, 'ready');
      }
    }
  }

  /** After ready: waits for init's end of the socket to close; an error before that fails. */
  private awaitClose(): void {
    while (!this.closed) {
      const message = this.nextQueued(false);
      if (message === undefined) return;
      if (message.type === 'log') this.logMessage(message);
      else throw unexpected(message, 'the end of the socket');
    }
  }

  /**
   * Undoes the start after a failure, also one after ready: init (once nsexec has named it) is
   * killed and waited for.
   */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    let pid = this.initPid;
    if (pid === undefined && !this.ended && this.failure === undefined) {
      try {
        pid = this.pid();
      } catch {
        // nsexec failed (and said why) or died: there is no init to kill.
      }
    }
    // Killed before its socket closes: an init that saw the socket close first would report
    // that runts "went away" on the caller's stderr, beside the real error.
    try {
      if (pid !== undefined) killAndWait(pid, undefined, this.libc);
    } finally {
      this.end();
    }
  }

  /** Closes the socket and reaps nsexec (gone by now, or about to be: it exits after the pid). */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    closeSync(this.socket);
    this.libc.reapChild(this.nsexecPid);
  }

  private send(message: unknown): void {
    const data = Buffer.from(`${JSON.stringify(message)}\n`);
    try {
      for (let offset = 0; offset < data.length; ) offset += writeSync(this.socket, data, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw RuntsError.wrap('talk to the container init', err);
      // init is gone: what it said before it went (an error) is still in the socket.
      while (this.failure === undefined && !this.closed) this.receive();
      throw this.failure ?? new RuntsError('container init exited before it was ready');
    }
  }

  /** The next message that is not a log line; log lines on the way are logged. */
  private next(): ChildMessage {
    for (;;) {
      const message = this.nextQueued(true)!;
      if (message.type !== 'log') return message;
      this.logMessage(message);
    }
  }

  private logMessage(message: Extract<ChildMessage, { type: 'log' }>): void {
    if (message.level === 'warning') this.log?.warn(message.message);
    else this.log?.debug(message.message);
  }

  /** The next message; at the end of the socket, an error if one was `expected`, or nothing. */
  private nextQueued(expected: boolean): ChildMessage | undefined {
    while (this.inbox.length === 0 && this.failure === undefined && !this.closed) this.receive();
    const queued = this.inbox.shift();
    if (queued) return queued;
    if (this.failure) throw this.failure;
    if (expected) throw new RuntsError('container init exited before it was ready');
    return undefined;
  }

  /**
   * Waits for what init (or nsexec) sends and reads it: messages go to the inbox in order, until
   * the end of the socket, or an error message or the time limit, which set the failure.
   */
  private receive(): void {
    if (!this.libc.waitReadable(this.socket, this.deadline - Date.now())) {
      this.failure = new RuntsError(`container init did not finish within ${INIT_TIMEOUT_MS / 1000} s`);
      return;
    }
    const chunk = Buffer.allocUnsafe(65536);
    let read: number;
    try {
      read = readSync(this.socket, chunk, 0, chunk.length, null);
    } catch (err) {
      this.failure = RuntsError.wrap('talk to the container init', err);
      return;
    }
    if (read === 0) {
      this.closed = true;
      return;
    }
    try {
      // A stream decoder: a UTF-8 character may be split between two reads.
      for (const message of this.decoder.push(this.text.decode(chunk.subarray(0, read), { stream: true }))) {
        if (message.type === 'error') {
          this.failure = childError(message);
          return;
        }
        this.inbox.push(message);
      }
    } catch (err) {
      this.failure = err as Error;
    }
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
