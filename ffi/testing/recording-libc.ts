// A Libc that records calls instead of making them, for unit tests of logic that talks to the
// kernel (mount order and flags, capability sets). Paths given as /proc/self/fd/N are recorded
// as the file the descriptor names, so records do not depend on descriptor numbers.
import { readlinkSync } from 'node:fs';
import { type CapabilitySets, type ChildExit, type Libc, libc } from '../libc.js';

export interface Call {
  name: string;
  args: unknown[];
}

/** /proc/self/fd/N[/rest] as the file it names. */
const resolveFd = (path: unknown) => {
  const match = typeof path === 'string' ? /^(\/proc\/self\/fd\/\d+)(\/.*)?$/.exec(path) : null;
  return match ? `${readlinkSync(match[1]!)}${match[2] ?? ''}` : path;
};

export class RecordingLibc implements Libc {
  readonly calls: Call[] = [];
  private record(name: string, ...args: unknown[]): void {
    this.calls.push({ name, args: args.map(resolveFd) });
  }

  named(name: string): unknown[][] {
    return this.calls.filter((call) => call.name === name).map((call) => call.args);
  }

  lockExclusive(): void {}
  renameNoReplace(from: string, to: string): void {
    this.record('renameNoReplace', from, to);
  }
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void {
    this.record('mount', source, target, fstype, flags, data);
  }
  umount2(target: string, flags: number): void {
    this.record('umount2', target, flags);
  }
  mountSetattr(path: string, set: number, clear: number): void {
    this.record('mountSetattr', path, set, clear);
  }
  /** What mountFlags answers for every path (statfs's f_flags). */
  statfsFlags = 0;
  mountFlags(path: string): number {
    this.record('mountFlags', path);
    return this.statfsFlags;
  }
  pivotRoot(newRoot: string, putOld: string): void {
    this.record('pivotRoot', newRoot, putOld);
  }
  chroot(path: string): void {
    this.record('chroot', path);
  }
  chdir(path: string): void {
    this.record('chdir', path);
  }
  fchdir(fd: number): void {
    this.record('fchdir', readlinkSync(`/proc/self/fd/${fd}`));
  }
  /** Records, and leaves a FIFO (a node anyone may make) where the node would be, for the code that follows. */
  mknod(path: string, mode: number, dev: bigint): void {
    this.record('mknod', path, mode, dev);
    libc().mkfifo(path, 0o600);
  }
  mkfifo(path: string, mode: number): void {
    this.record('mkfifo', path, mode);
  }
  sethostname(name: string): void {
    this.record('sethostname', name);
  }
  setdomainname(name: string): void {
    this.record('setdomainname', name);
  }
  setrlimit(resource: number, soft: bigint, hard: bigint): void {
    this.record('setrlimit', resource, soft, hard);
  }
  setgroups(gids: number[]): void {
    this.record('setgroups', gids);
  }
  setresgid(gid: number): void {
    this.record('setresgid', gid);
  }
  setresuid(uid: number): void {
    this.record('setresuid', uid);
  }
  capset(sets: CapabilitySets): void {
    this.record('capset', sets);
  }
  prctl(option: number, arg2 = 0, arg3 = 0): number {
    this.record('prctl', option, arg2, arg3);
    return 0;
  }
  personality(persona: number): void {
    this.record('personality', persona);
  }
  setsid(): void {
    this.record('setsid');
  }
  unshare(flags: number): void {
    this.record('unshare', flags);
  }
  setns(fd: number, nstype: number): void {
    this.record('setns', fd, nstype);
  }
  joinSessionKeyring(name: string): void {
    this.record('joinSessionKeyring', name);
  }
  restoreDefaultSignal(signal: number): void {
    this.record('restoreDefaultSignal', signal);
  }
  keepAcrossExec(fd: number): void {
    this.record('keepAcrossExec', fd);
  }
  closeOnExec(fd: number): void {
    this.record('closeOnExec', fd);
  }
  execve(path: string, argv: string[], envp: string[]): never {
    this.record('execve', path, argv, envp);
    throw new Error('execve recorded');
  }
  execveat(fd: number, argv: string[], envp: string[]): never {
    this.record('execveat', fd, argv, envp);
    throw new Error('execveat recorded');
  }
  /** Resolves for real (openat2 changes nothing): the code under test goes on with real files. */
  openInRoot(rootFd: number, path: string, flags: number): number {
    return libc().openInRoot(rootFd, path, flags);
  }
  socketpair(): [number, number] {
    this.record('socketpair');
    return [-1, -1];
  }
  connectUnix(path: string): number {
    this.record('connectUnix', path);
    return -1;
  }
  sendFd(socket: number, fd: number, name: string): void {
    this.record('sendFd', socket, fd, name);
  }
  recvFd(socket: number): number {
    this.record('recvFd', socket);
    return -1;
  }
  unlockPty(master: number): number {
    this.record('unlockPty', master);
    return 0;
  }
  setControllingTerminal(fd: number): void {
    this.record('setControllingTerminal', fd);
  }
  setWindowSize(fd: number, rows: number, columns: number): void {
    this.record('setWindowSize', fd, rows, columns);
  }
  dup2(from: number, to: number): void {
    this.record('dup2', from, to);
  }
  spawn(path: string, argv: string[], envp: string[], fds: number[], cwd: string): number {
    this.record('spawn', path, argv, envp, fds, cwd);
    return -1;
  }
  waitReadable(fd: number, timeoutMs: number): boolean {
    this.record('waitReadable', fd, timeoutMs);
    return true;
  }
  reapChild(pid: number): ChildExit {
    this.record('reapChild', pid);
    return { code: 0 };
  }
  waitForChild(): Promise<ChildExit> {
    return Promise.resolve({ code: 0 });
  }
  pidfdOpen(pid: number): number {
    this.record('pidfdOpen', pid);
    return -1;
  }
  pidfdSendSignal(pidfd: number, signal: number): void {
    this.record('pidfdSendSignal', pidfd, signal);
  }
  loadCgroupDeviceProgram(instructions: Buffer): number {
    this.record('loadCgroupDeviceProgram', instructions);
    return -1;
  }
  attachCgroupDeviceProgram(cgroupFd: number, programFd: number): void {
    this.record('attachCgroupDeviceProgram', cgroupFd, programFd);
  }
}
