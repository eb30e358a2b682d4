// `runts init`, started by nsexec inside the container's namespaces, with its orders on the sync
// socket. For `create` it is the container's first process: it builds the container (rootfs,
// hostname, sysctl, terminal, the process's identity), reports ready, leaves the wait for
// `runts start` on the exec fifo to nsexec (or waits itself when startContainer hooks need it),
// and becomes the container's program. Until its exec (or that wait), runts listens: an error
// on the way still fails the command. For `exec` it joins the container's mount namespace,
// takes the process's identity and becomes its program at once.
import { closeSync, constants, openSync, writeFileSync, writeSync } from 'node:fs';
import { CLONE_NEWCGROUP, CLONE_NEWNS, MS_BIND, MS_RDONLY, MS_REMOUNT, O_PATH, PR_SET_DUMPABLE } from '../../ffi/constants.js';
import { libc as realLibc, type Libc } from '../../ffi/libc.js';
import { type ExecRequest, type InitRequest, parseRequest, parseResume, SYNC_FD_ENV } from '../container/protocol.js';
import { initCreatesCgroupNamespace } from '../container/namespaces.js';
import { runHooks } from '../hooks.js';
import { boundedMessage, describe, RuntsError } from '../errors.js';
import type { Config, Seccomp } from '../spec/config.js';
import { planSeccomp } from '../spec/seccomp.js';
import { openSeccomp } from '../../ffi/libseccomp.js';
import { Timings } from '../timing.js';
import { SyncChannel } from './channel.js';
import { lookupProgram } from './lookup.js';
import { applyPrivilegedSettings, becomeUser, prepareDescriptorsForExec, processEnvironment, restoreSignalsRuntimeIgnores } from './process.js';
import { finishRootfs, prepareRootfs } from './rootfs.js';
import { setupTerminal } from './terminal.js';
import { applyAppArmorProfile, applySelinuxLabel } from './security-labels.js';

export function runInit(): number {
  const timings = new Timings();
  const channel = new SyncChannel(Number(process.env[SYNC_FD_ENV] ?? 3));
  /** Whether runts has stopped listening: after a create whose init waits for start itself. */
  let closed = false;
  try {
    // koffi is loaded before the orders are read: runts is usually still making the cgroup
    // and the state directory (see launch.ts), and this wait would be spent idle.
    const libc = realLibc();
    // runts reads the end of this socket as init's exec (see launch.ts): nothing init starts
    // (a hook, the program) may hold it open.
    libc.closeOnExec(channel.fd);
    timings.mark('libc');
    const request = parseRequest(channel.receive());
    timings.mark('request');
    if (request.type === 'exec') joinContainer(request, channel, libc, timings);
    else initContainer(request, channel, libc, timings, () => (closed = true));
  } catch (err) {
    const message = boundedMessage(describe(err));
    if (closed) {
      // The container is created and runts gone: the caller's stderr is all there is.
      writeSync(2, `runts init: ${message}\n`);
    } else {
      try {
        channel.send({ type: 'error', message, errno: err instanceof RuntsError ? err.errno : undefined });
      } catch {
        writeSync(2, `runts init: ${message}\n`);
      }
    }
  }
  return 1;
}

function initContainer(request: InitRequest, channel: SyncChannel, libc: Libc, timings: Timings, markClosed: () => void): never {
  const { config } = request;
  // First, now that runts has moved this process into the container's cgroup: the new cgroup
  // namespace is rooted there (see namespaces.ts).
  if (initCreatesCgroupNamespace(config)) libc.unshare(CLONE_NEWCGROUP);
  // Opened now, while the host's paths are visible; reopened for writing after the root switch.
  const fifo = openSync(request.fifoPath, O_PATH);
  const hooks = config.hooks ?? {};
  // Without startContainer hooks (which need init), the wait for start is left to nsexec: a
  // created container then holds a few hundred kilobytes, not a runts process. Not with an
  // AppArmor profile or SELinux label: they apply at the next exec, and the waiter would have to
  // do its work (reopen the fifo through /proc/self/fd) confined by them. Nor for a user other
  // than root with capabilities beyond the ambient ones: the exec into the waiter would drop
  // them, and the program's own exec would then run without them (as runc's does not).
  const waitsItself =
    hooks.startContainer?.length || config.process?.apparmorProfile || config.process?.selinuxLabel || capabilitiesLostAtExec(config.process);
  // libseccomp is opened now: after the root switch the host's libraries are out of reach.
  const seccomp = seccompFor(config.linux?.seccomp);
  let waiter: number | undefined;

  const beforeRootSwitch = () => {
    if (hooks.prestart?.length || hooks.createRuntime?.length) {
      channel.send({ type: 'hooks' });
      parseResume(channel.receive());
    }
    // config.md: createContainer hooks run in the container's namespaces, before the root switch.
    runHooks('createContainer', hooks.createContainer, request.state, request.rootfs);
    // The waiter runs through a read-only bind of itself, made in this mount namespace once its
    // mounts are slaves (so it never reaches the host) and gone from the container's view with
    // the old root: the container's pid 1 is the waiter until start, and a process of the
    // container holding /proc/1/exe could otherwise write the host's nsexec once nothing
    // executes it (CVE-2019-5736).
    if (!waitsItself) waiter = openReadOnlyBinary(request.waiterPath, libc);
  };
  prepareRootfs({ config, rootfs: request.rootfs, bundle: request.bundle, noPivot: request.noPivot, beforeRootSwitch }, libc);
  if (config.hostname !== undefined) libc.sethostname(config.hostname);
  if (config.domainname !== undefined) libc.setdomainname(config.domainname);
  // Before the read-only and masked paths (as runc): the default config makes /proc/sys read-only.
  for (const [key, value] of Object.entries(config.linux?.sysctl ?? {})) {
    try {
      writeFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, value);
    } catch (err) {
      throw RuntsError.wrap(`set sysctl ${key}`, err);
    }
  }
  finishRootfs(config, libc);
  timings.mark('rootfs');

  if (request.consoleSocketFd !== undefined) {
    setupTerminal({ consoleSocket: request.consoleSocketFd, consoleSize: config.process?.consoleSize, bindConsole: true, owner: config.process?.user }, libc);
  }
  // A session keyring of its own, so the container cannot read the keys of whoever ran runts.
  if (!request.noNewKeyring) joinNewKeyring(request.id, libc);
  const { program, args, env } = becomeProcess(config, request.listenFds, channel, libc, seccomp);
  timings.mark('process');
  channel.send({ type: 'ready', timings: timings.steps });
  if (waiter !== undefined) {
    prepareDescriptorsForExec(request.preserveFds, libc, [fifo]);
    return libc.execveat(waiter, [`runts-init:${request.id}`, '--wait-fifo', String(fifo), '--', program, ...args], env);
  }
  // create returns once this end is closed, and init waits on as the container.
  closeSync(channel.fd);
  markClosed();
  // Blocks until `runts start` opens the other end. Then the startContainer hooks run (in the
  // container), and one byte tells start how they went: "0", or "1" and the error.
  const writer = openSync(`/proc/self/fd/${fifo}`, constants.O_WRONLY);
  try {
    runHooks('startContainer', hooks.startContainer, { ...request.state, status: 'created' }, '/');
  } catch (err) {
    writeSync(writer, `1${describe(err)}`);
    throw err;
  }
  writeSync(writer, '0');
  closeSync(writer);
  closeSync(fifo);
  prepareDescriptorsForExec(request.preserveFds, libc);
  return libc.execve(program, args, env);
}

/**
 * `runts exec`: nsexec has put this process in the container's namespaces; it takes the
 * process's identity and becomes its program at once (there is nothing to wait for).
 */
function joinContainer(request: ExecRequest, channel: SyncChannel, libc: Libc, timings: Timings): never {
  // Nothing in the container may open this process (a host binary) through /proc/<pid>/exe
  // (CVE-2019-5736): not dumpable, /proc/<pid> is root's and needs CAP_SYS_PTRACE to follow.
  libc.prctl(PR_SET_DUMPABLE, 0);
  // setns into a mount namespace needs a thread that shares no filesystem context; the
  // runtime's threads do, and unshare(CLONE_NEWNS) gives this one its own. execve from this
  // thread keeps the namespace for the program.
  const seccomp = seccompFor(request.seccomp);
  const mountNamespace = openSync(request.mountNamespace, constants.O_RDONLY);
  try {
    libc.unshare(CLONE_NEWNS);
    libc.setns(mountNamespace, CLONE_NEWNS);
  } finally {
    closeSync(mountNamespace);
  }
  if (request.consoleSocketFd !== undefined) {
    setupTerminal({ consoleSocket: request.consoleSocketFd, consoleSize: request.process.consoleSize, bindConsole: false, owner: request.process.user }, libc);
  }
  const { program, args, env } = becomeProcess({ ociVersion: '', process: request.process }, request.listenFds, channel, libc, seccomp);
  timings.mark('process');
  channel.send({ type: 'ready', timings: timings.steps });
  prepareDescriptorsForExec(request.preserveFds, libc);
  return libc.execve(program, args, env);
}

/**
 * What create and exec share: the settings that need root, the program found in the
 * container's PATH (before the switch, so a missing program fails while the caller listens),
 * then the user and capabilities. Returns what to exec.
 */
function becomeProcess(config: Config, listenFds: number, channel: SyncChannel, libc: Libc, seccomp?: () => void): { program: string; args: string[]; env: string[] } {
  const processSpec = config.process!;
  applyPrivilegedSettings(config, processSpec, libc);
  // Before the seccomp filter, which may refuse sigaction.
  restoreSignalsRuntimeIgnores(libc);
  // Before the user switch and no_new_privs, as runc: an unconfined root process may choose
  // any profile or label for its next exec.
  if (processSpec.apparmorProfile) applyAppArmorProfile(processSpec.apparmorProfile);
  if (processSpec.selinuxLabel) applySelinuxLabel(processSpec.selinuxLabel);
  const env = processEnvironment(processSpec, listenFds);
  const args = processSpec.args!;
  const program = lookupProgram(args[0]!, env);
  // As runc: without no_new_privs, loading a filter needs CAP_SYS_ADMIN, so it is loaded while
  // init still has it; with no_new_privs, as late as possible (after the user switch).
  if (!processSpec.noNewPrivileges) seccomp?.();
  becomeUser(processSpec, libc, (level, message) => channel.send({ type: 'log', level, message }));
  if (processSpec.noNewPrivileges) seccomp?.();
  return { program, args, env };
}

/** The loading of linux.seccomp's filter, with libseccomp opened now; nothing without one. */
function seccompFor(config: Seccomp | undefined): (() => void) | undefined {
  if (!config) return undefined;
  const plan = planSeccomp(config, 'linux.seccomp');
  const loader = openSeccomp();
  return () => loader.load(plan);
}

/** Whether an exec by the process's user, before the program's own, would cost it capabilities. */
function capabilitiesLostAtExec(process: Config['process']): boolean {
  if ((process?.user?.uid ?? 0) === 0) return false;
  const caps = process?.capabilities;
  const ambient = new Set(caps?.ambient ?? []);
  return [...(caps?.effective ?? []), ...(caps?.permitted ?? [])].some((cap) => !ambient.has(cap));
}

/** An O_PATH descriptor of `path` reached through a read-only bind mount of the file on itself. */
function openReadOnlyBinary(path: string, libc: Libc): number {
  libc.mount(path, path, null, MS_BIND, null);
  libc.mount(null, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
  return openSync(path, O_PATH);
}

function joinNewKeyring(id: string, libc: Libc): void {
  try {
    libc.joinSessionKeyring(`_ses.${id}`);
  } catch (err) {
    // A kernel built without keys has nothing to share either.
    if (!(err instanceof RuntsError && err.errno === 'ENOSYS')) throw err;
  }
}
