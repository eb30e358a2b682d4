// `runts create`: the parent side of container creation (runc's process_linux.go). It checks
// the bundle, records the container, starts nsexec → `runts init` in the new namespaces, hands
// init its orders over the sync socket and waits until init reports the container created.
// Any failure kills what was started and removes what was recorded: nothing is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Libc } from '../../ffi/libc.js';
import { nsexecPath } from '../../ffi/nsexec-binary.js';
import { RuntsError, systemError } from '../errors.js';
import { runHooks } from '../hooks.js';
import { SYNC_FD_ENV } from '../init/init.js';
import type { Logger } from '../log.js';
import { Timings } from '../timing.js';
import { loadBundle } from '../spec/load.js';
import type { ContainerRecord } from '../spec/state.js';
import { SPEC_VERSION } from '../spec/version.js';
import { checkContainerId } from './id.js';
import { checkNamespaces, namespacePlan } from './namespaces.js';
import { type ChildMessage, type InitRequest, MessageDecoder, RESUME } from './protocol.js';
import { killAndWait, startTimeOf } from './signal-process.js';
import { type StateStore, writeAtomically } from './state-store.js';
import { ociState } from './status.js';

export const EXEC_FIFO = 'exec.fifo';

export interface CreateOptions {
  id: string;
  bundle: string;
  pidFile?: string | undefined;
  noPivot: boolean;
  noNewKeyring: boolean;
  preserveFds: number;
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

/** How long init may take to build the container before create gives up on it. */
const INIT_TIMEOUT_MS = 120_000;

export async function createContainer(
  store: StateStore,
  options: CreateOptions,
  libc: Libc,
  log: Logger,
  timings: Timings = new Timings(),
): Promise<ContainerRecord> {
  const id = checkContainerId(options.id);
  const bundle = loadBundle(options.bundle);
  const configFile = join(bundle.dir, 'config.json');
  checkNamespaces(bundle.config, configFile);
  timings.mark('validate');
  const record: ContainerRecord = {
    ociVersion: SPEC_VERSION,
    id,
    status: 'creating',
    bundle: bundle.dir,
    rootfs: bundle.rootfs,
    created: new Date().toISOString(),
    ...(bundle.config.annotations ? { annotations: bundle.config.annotations } : {}),
    ...(bundle.config.hooks ? { hooks: bundle.config.hooks } : {}),
  };
  return store.create(record, async (container) => {
    const fifoPath = join(container.dir, EXEC_FIFO);
    libc.mkfifo(fifoPath, 0o622);
    // A container user that is not root must be able to open it for writing (init does, after
    // switching user), and mkfifo applied the umask.
    chmodSync(fifoPath, 0o622);
    const listenFds = socketActivationFds();
    const extraFds = listenFds + options.preserveFds;
    const request = (pid: number): InitRequest => ({
      type: 'init',
      id,
      config: bundle.config,
      bundle: bundle.dir,
      rootfs: bundle.rootfs,
      fifoPath,
      waiterPath: nsexecPath(),
      noPivot: options.noPivot,
      noNewKeyring: options.noNewKeyring,
      preserveFds: extraFds,
      listenFds,
      state: ociState({ ...record, pid }, ''),
    });
    const pid = await startInit(
      {
        id,
        request,
        preserveFds: extraFds,
        nsexecArgs: namespacePlan(bundle.config).nsexecArgs,
        // Recorded at once: should this runts be killed now, `delete --force` finds the init.
        onPid: (initPid) => container.write({ ...record, pid: initPid, initStartTime: startTimeOf(initPid) }),
      },
      libc,
      log,
      timings,
    );
    const created: ContainerRecord = { ...record, status: 'created', pid, initStartTime: startTimeOf(pid) };
    try {
      container.write(created);
      if (options.pidFile) writePidFile(options.pidFile, pid);
      timings.mark('record');
    } catch (err) {
      killAndWait(pid, created.initStartTime, libc);
      throw err;
    }
    return created;
  });
}

function writePidFile(path: string, pid: number): void {
  const at = path.lastIndexOf('/');
  const dir = at === -1 ? '.' : path.slice(0, at) || '/';
  writeAtomically(dir, path.slice(at + 1), String(pid));
}

interface InitLaunch {
  id: string;
  /** The orders for init, once its host pid is known (hooks get it in the state). */
  request: (pid: number) => InitRequest;
  preserveFds: number;
  nsexecArgs: string[];
  onPid: (pid: number) => void;
}

/**
 * Starts nsexec with the sync socket after the preserved descriptors, waits for init's pid,
 * sends the request and waits for `ready`. Returns init's host pid.
 */
async function startInit(launch: InitLaunch, libc: Libc, log: Logger, timings: Timings): Promise<number> {
  const syncFd = 3 + launch.preserveFds;
  const preserved = Array.from({ length: launch.preserveFds }, (_, i) => 3 + i);
  const child = spawn(nsexecPath(), ['--sync-fd', String(syncFd), ...launch.nsexecArgs, '--', process.execPath, 'init', launch.id], {
    stdio: ['inherit', 'inherit', 'inherit', ...preserved, 'pipe'],
    // A clean environment: nothing of the caller's (NODE_OPTIONS...) reaches init.
    env: { [SYNC_FD_ENV]: String(syncFd) },
    cwd: '/',
  });
  const socket = child.stdio[syncFd] as Socket;
  let initPid: number | undefined;
  try {
    await converse(child, socket, launch.request, log, timings, (pid) => {
      initPid = pid;
      launch.onPid(pid);
    });
    return initPid!;
  } catch (err) {
    if (initPid !== undefined) killAndWait(initPid, undefined, libc);
    throw err;
  } finally {
    socket.destroy();
  }
}

function converse(
  child: ChildProcess,
  socket: Socket,
  request: (pid: number) => InitRequest,
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
    let sent: InitRequest | undefined;
    const handle = (message: ChildMessage) => {
      switch (message.type) {
        case 'init-pid':
          timings.mark('nsexec');
          onPid(message.pid);
          sent = request(message.pid);
          socket.write(`${JSON.stringify(sent)}\n`);
          break;
        case 'hooks':
          // config.md: prestart and createRuntime run in the runtime namespace, after the
          // container's namespaces exist and before the root switch.
          runHooks('prestart', sent?.config.hooks?.prestart, sent!.state);
          runHooks('createRuntime', sent?.config.hooks?.createRuntime, sent!.state);
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
    socket.on('close', () => finish(new RuntsError('container init exited before the container was created')));
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

