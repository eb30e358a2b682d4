// The libc calls runts makes, declared once through koffi. Everything that needs the kernel goes
// through the Libc interface, so logic modules can take a recording double in unit tests.
//
// koffi (and its native module) is loaded on first use only: commands such as `state` and
// `list` never pay for it. Every call that fails throws a RuntsError naming what was being done
// and the errno, so callers never inspect return codes.
import type { LibraryHandle } from 'koffi';
import { loadKoffi } from './koffi.js';
import { RuntsError } from '../src/errors.js';
import {
  _LINUX_CAPABILITY_VERSION_3,
  AF_UNIX,
  AT_EMPTY_PATH,
  CMSG_LEN_INT,
  CMSG_SPACE_INT,
  MSG_CMSG_CLOEXEC,
  SCM_RIGHTS,
  SOCK_CLOEXEC,
  SOCK_STREAM,
  SOL_SOCKET,
  TIOCGPTN,
  TIOCSCTTY,
  TIOCSPTLCK,
  TIOCSWINSZ,
  AT_FDCWD,
  EINTR,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  LOCK_EX,
  RENAME_NOREPLACE,
  AT_RECURSIVE,
  SYS_mount_setattr,
  KEYCTL_JOIN_SESSION_KEYRING,
  SYS_execveat,
  SYS_openat2,
  O_CLOEXEC,
  RESOLVE_IN_ROOT,
  RESOLVE_NO_MAGICLINKS,
  SYS_keyctl,
  SYS_pidfd_open,
  SYS_pidfd_send_signal,
  SYS_pivot_root,
  SYS_bpf,
  BPF_PROG_LOAD,
  BPF_PROG_ATTACH,
  BPF_PROG_TYPE_CGROUP_DEVICE,
  BPF_CGROUP_DEVICE,
  BPF_F_ALLOW_MULTI,
  POLLIN,
  POSIX_SPAWN_SETSIGDEF,
  POSIX_SPAWN_SETSIGMASK,
} from './constants.js';

/** The three capability sets as 64-bit masks (bit n = capability n). */
export interface CapabilitySets {
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
}

/** How a process ended: its exit code, or the signal that killed it. */
export type ChildExit = { code: number; signal?: undefined } | { code?: undefined; signal: number };

export interface Libc {
  /** flock(2) LOCK_EX on fd, waiting for a holder to let go; released when fd is closed. */
  lockExclusive(fd: number, context: string): void;
  /** renameat2(2) with RENAME_NOREPLACE: fails with EEXIST instead of replacing `to`. */
  renameNoReplace(from: string, to: string, context: string): void;

  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  /** mount_setattr(2) on the mount at path and, with AT_RECURSIVE, every mount below it. */
  mountSetattr(path: string, set: number, clear: number): void;
  /** statfs(2)'s f_flags for path: its mount's ST_* flags (ST_NOSUID, ST_NODEV and ST_NOEXEC are MS_'s values). */
  mountFlags(path: string): number;
  pivotRoot(newRoot: string, putOld: string): void;
  chroot(path: string): void;
  /** chdir(2). The runtime's process.cwd() is not told: init does not use it after the root switch. */
  chdir(path: string): void;
  fchdir(fd: number): void;
  mknod(path: string, mode: number, dev: bigint): void;
  mkfifo(path: string, mode: number): void;
  sethostname(name: string): void;
  setdomainname(name: string): void;

  setrlimit(resource: number, soft: bigint, hard: bigint): void;
  setgroups(gids: number[]): void;
  setresgid(gid: number): void;
  setresuid(uid: number): void;
  capset(sets: CapabilitySets): void;
  /** prctl(2) with unsigned long arguments; returns the result (some options return values). */
  prctl(option: number, arg2?: number, arg3?: number, arg4?: number, arg5?: number): number;
  personality(persona: number): void;
  setsid(): void;
  unshare(flags: number): void;
  setns(fd: number, nstype: number): void;
  /** keyctl(KEYCTL_JOIN_SESSION_KEYRING): a new session keyring of this name for this process. */
  joinSessionKeyring(name: string): void;

  /** sigaction(2): `signal` back to SIG_DFL. */
  restoreDefaultSignal(signal: number): void;

  /** Makes fd survive execve (clears FD_CLOEXEC) and blocking (clears O_NONBLOCK). */
  keepAcrossExec(fd: number): void;
  closeOnExec(fd: number): void;
  /** execve(2): returns only by throwing. */
  execve(path: string, argv: string[], envp: string[]): never;
  /**
   * openat2(2) of `path` below the directory `rootFd`, resolved as if it were / (RESOLVE_IN_ROOT:
   * absolute symlinks and `..` stay inside it) and never through /proc's magic links; the
   * descriptor is close-on-exec. ENOENT and the like come as RuntsErrors with their errno.
   */
  openInRoot(rootFd: number, path: string, flags: number): number;
  /** execveat(fd, "", ..., AT_EMPTY_PATH): runs the file an (O_PATH) descriptor names. */
  execveat(fd: number, argv: string[], envp: string[]): never;

  /** socketpair(AF_UNIX, SOCK_STREAM), close-on-exec. */
  socketpair(): [number, number];
  /** A close-on-exec AF_UNIX stream socket connected to `path`. */
  connectUnix(path: string): number;
  /** sendmsg(2) with `fd` in SCM_RIGHTS and `name` as the data, as runc sends the pty master. */
  sendFd(socket: number, fd: number, name: string): void;
  /** recvmsg(2) of one SCM_RIGHTS descriptor. */
  recvFd(socket: number): number;
  /** Unlocks a pty master (TIOCSPTLCK) and returns its pts number (TIOCGPTN). */
  unlockPty(master: number): number;
  /** TIOCSCTTY: fd's terminal becomes the controlling terminal of this (session leader) process. */
  setControllingTerminal(fd: number): void;
  /** TIOCSWINSZ. */
  setWindowSize(fd: number, rows: number, columns: number): void;
  dup2(from: number, to: number): void;

  /**
   * posix_spawn(3) of `path` (no PATH search) in `cwd`: `fds[i]` becomes the child's
   * descriptor i, every signal is at its default and none is blocked (as node:child_process
   * starts a program). Returns the pid. glibc clones with CLONE_VM|CLONE_VFORK, so none of
   * the runtime's memory is copied, and starting one costs no more than a small program's exec.
   */
  spawn(path: string, argv: string[], envp: string[], fds: number[], cwd: string): number;
  /** poll(2): whether fd has input (or its peer hung up) within timeoutMs. */
  waitReadable(fd: number, timeoutMs: number): boolean;
  /** waitpid(2) on this thread: blocks until the child `pid` has ended, and says how. */
  reapChild(pid: number): ChildExit;
  /** waitpid(2) on a worker thread: how the child (or adopted orphan) `pid` ended. */
  waitForChild(pid: number): Promise<ChildExit>;

  pidfdOpen(pid: number): number;
  pidfdSendSignal(pidfd: number, signal: number): void;

  /**
   * bpf(BPF_PROG_LOAD) of a BPF_PROG_TYPE_CGROUP_DEVICE program (struct bpf_insn array);
   * returns its fd. A program the verifier rejects throws with the verifier's log.
   */
  loadCgroupDeviceProgram(instructions: Buffer): number;
  /** bpf(BPF_PROG_ATTACH): the program filters device access of the cgroup open at cgroupFd. */
  attachCgroupDeviceProgram(cgroupFd: number, programFd: number): void;
}

const NO_ERROR = 0;
/** struct statfs on 64-bit Linux: f_flags after f_type, six counts, f_fsid, f_namelen and f_frsize. */
const STATFS_SIZE = 120;
const STATFS_FLAGS_OFFSET = 80;

/** glibc's struct sigaction on 64-bit Linux: handler, a 1024-bit mask, flags, restorer. */
const SIGACTION_SIZE = 152;
/** glibc's sigset_t: 1024 bits. */
const SIGSET_SIZE = 128;
/** Room for glibc's posix_spawn_file_actions_t (80 bytes) and posix_spawnattr_t (336), to spare. */
const SPAWN_STRUCT_SIZE = 512;

/**
 * The functions of `prototypes` as koffi functions, each declared when first used: a process
 * calls a few of them (the CLI, init and a hook each their own), and declaring all of them at
 * once would cost every process that loads libc.
 */
type KoffiFunction = ReturnType<LibraryHandle['func']>;

function declaredOnFirstUse<Names extends string>(lib: LibraryHandle, prototypes: Record<Names, string>): Record<Names, KoffiFunction> {
  const functions = {} as Record<Names, KoffiFunction>;
  for (const name of Object.keys(prototypes) as Names[]) {
    Object.defineProperty(functions, name, {
      configurable: true,
      get: () => {
        const declared = lib.func(prototypes[name]);
        Object.defineProperty(functions, name, { value: declared });
        return declared;
      },
    });
  }
  return functions;
}

function createLibc(): Libc {
  const koffi = loadKoffi();
  const lib = koffi.load('libc.so.6');
  // Named structs, referred to by name in the declarations below.
  koffi.struct('runts_cap_header', { version: 'uint32', pid: 'int' });
  koffi.struct('runts_cap_data', { effective: 'uint32', permitted: 'uint32', inheritable: 'uint32' });
  koffi.struct('runts_rlimit', { rlim_cur: 'uint64', rlim_max: 'uint64' });
  koffi.struct('runts_iovec', { base: 'void *', len: 'size_t' });
  koffi.struct('runts_msghdr', {
    name: 'void *',
    namelen: 'uint32',
    iov: 'runts_iovec *',
    iovlen: 'size_t',
    control: 'void *',
    controllen: 'size_t',
    flags: 'int',
  });
  koffi.struct('runts_pollfd', { fd: 'int', events: 'short', revents: 'short' });
  koffi.struct('runts_mount_attr', { attr_set: 'uint64', attr_clr: 'uint64', propagation: 'uint64', userns_fd: 'uint64' });
  // The parts of union bpf_attr used for BPF_PROG_LOAD and BPF_PROG_ATTACH.
  koffi.struct('runts_bpf_prog_load', {
    prog_type: 'uint32',
    insn_cnt: 'uint32',
    insns: 'void *',
    license: 'const char *',
    log_level: 'uint32',
    log_size: 'uint32',
    log_buf: 'void *',
    kern_version: 'uint32',
    prog_flags: 'uint32',
    prog_name: 'char[16]',
    prog_ifindex: 'uint32',
    expected_attach_type: 'uint32',
  });
  koffi.struct('runts_bpf_prog_attach', { target_fd: 'uint32', attach_bpf_fd: 'uint32', attach_type: 'uint32', attach_flags: 'uint32', replace_bpf_fd: 'uint32' });

  const fn = declaredOnFirstUse(lib, {
    flock: 'int flock(int fd, int operation)',
    renameat2: 'int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)',
    mount: 'int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const char *data)',
    umount2: 'int umount2(const char *target, int flags)',
    statfs: 'int statfs(const char *path, void *buf)',
    syscall: 'long syscall(long number, ...)',
    chroot: 'int chroot(const char *path)',
    chdir: 'int chdir(const char *path)',
    fchdir: 'int fchdir(int fd)',
    mknod: 'int mknod(const char *path, uint32_t mode, uint64_t dev)',
    mkfifo: 'int mkfifo(const char *path, uint32_t mode)',
    sethostname: 'int sethostname(const char *name, size_t len)',
    setdomainname: 'int setdomainname(const char *name, size_t len)',
    setrlimit: 'int setrlimit(int resource, const runts_rlimit *rlim)',
    setgroups: 'int setgroups(size_t size, const uint32_t *list)',
    setresgid: 'int setresgid(uint32_t rgid, uint32_t egid, uint32_t sgid)',
    setresuid: 'int setresuid(uint32_t ruid, uint32_t euid, uint32_t suid)',
    capset: 'int capset(runts_cap_header *header, const runts_cap_data *data)',
    prctl: 'int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)',
    personality: 'int personality(unsigned long persona)',
    setsid: 'int setsid(void)',
    unshare: 'int unshare(int flags)',
    setns: 'int setns(int fd, int nstype)',
    fcntl: 'int fcntl(int fd, int cmd, ...)',
    posix_spawn: 'int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)',
    posix_spawn_file_actions_init: 'int posix_spawn_file_actions_init(void *actions)',
    posix_spawn_file_actions_adddup2: 'int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)',
    posix_spawn_file_actions_addchdir_np: 'int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)',
    posix_spawn_file_actions_destroy: 'int posix_spawn_file_actions_destroy(void *actions)',
    posix_spawnattr_init: 'int posix_spawnattr_init(void *attr)',
    posix_spawnattr_setflags: 'int posix_spawnattr_setflags(void *attr, short flags)',
    posix_spawnattr_setsigdefault: 'int posix_spawnattr_setsigdefault(void *attr, const void *signals)',
    posix_spawnattr_setsigmask: 'int posix_spawnattr_setsigmask(void *attr, const void *signals)',
    posix_spawnattr_destroy: 'int posix_spawnattr_destroy(void *attr)',
    sigemptyset: 'int sigemptyset(void *set)',
    poll: 'int poll(_Inout_ runts_pollfd *fds, unsigned long nfds, int timeout)',
    // glibc's struct sigaction, as bytes: SIG_DFL, an empty mask and no flags are all zeros.
    sigaction: 'int sigaction(int signal, const void *action, void *old)',
    execve: 'int execve(const char *path, const char **argv, const char **envp)',
    waitpid: 'int waitpid(int pid, _Out_ int *status, int options)',
    socketpair: 'int socketpair(int domain, int type, int protocol, _Out_ int *sv)',
    socket: 'int socket(int domain, int type, int protocol)',
    connect: 'int connect(int fd, const void *addr, uint32_t len)',
    sendmsg: 'long sendmsg(int fd, const runts_msghdr *msg, int flags)',
    recvmsg: 'long recvmsg(int fd, _Inout_ runts_msghdr *msg, int flags)',
    ioctl: 'int ioctl(int fd, unsigned long request, ...)',
    dup2: 'int dup2(int from, int to)',
    close: 'int close(int fd)',
  });
  /** Runs a call, retrying on EINTR, and throws with context when it returns -1. */
  const check = (context: () => string, call: () => number | bigint): number => {
    for (;;) {
      koffi.errno(NO_ERROR);
      const result = Number(call());
      if (result !== -1) return result;
      const errno = koffi.errno();
      if (errno !== EINTR) throw RuntsError.fromErrno(context(), errno);
    }
  };

  const capHeader = () => ({ version: _LINUX_CAPABILITY_VERSION_3, pid: 0 });
  const low = (mask: bigint) => Number(mask & 0xffffffffn);
  const high = (mask: bigint) => Number((mask >> 32n) & 0xffffffffn);

  return {
    lockExclusive(fd, context) {
      check(() => context, () => fn.flock(fd, LOCK_EX));
    },
    renameNoReplace(from, to, context) {
      check(() => context, () => fn.renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE));
    },
    mount(source, target, fstype, flags, data) {
      check(
        () => `mount ${source ?? 'none'} on ${target}${fstype ? ` (type ${fstype})` : ''} with flags 0x${flags.toString(16)}${data ? ` and ${data}` : ''}`,
        () => fn.mount(source, target, fstype, flags, data),
      );
    },
    umount2(target, flags) {
      check(() => `unmount ${target}`, () => fn.umount2(target, flags));
    },
    mountSetattr(path, set, clear) {
      const attr = { attr_set: set, attr_clr: clear, propagation: 0, userns_fd: 0 };
      check(
        () => `set attributes of the mounts under ${path}`,
        () => fn.syscall(SYS_mount_setattr, 'int', AT_FDCWD, 'const char *', path, 'unsigned int', AT_RECURSIVE, 'runts_mount_attr *', attr, 'size_t', 32),
      );
    },
    mountFlags(path) {
      const buf = Buffer.alloc(STATFS_SIZE);
      check(() => `statfs ${path}`, () => fn.statfs(path, buf));
      return Number(buf.readBigUInt64LE(STATFS_FLAGS_OFFSET));
    },
    pivotRoot(newRoot, putOld) {
      check(() => `pivot_root ${newRoot}`, () => fn.syscall(SYS_pivot_root, 'const char *', newRoot, 'const char *', putOld));
    },
    chroot(path) {
      check(() => `chroot ${path}`, () => fn.chroot(path));
    },
    chdir(path) {
      check(() => `chdir ${path}`, () => fn.chdir(path));
    },
    fchdir(fd) {
      check(() => `fchdir ${fd}`, () => fn.fchdir(fd));
    },
    mknod(path, mode, dev) {
      check(() => `mknod ${path}`, () => fn.mknod(path, mode, dev));
    },
    mkfifo(path, mode) {
      check(() => `mkfifo ${path}`, () => fn.mkfifo(path, mode));
    },
    sethostname(name) {
      check(() => `sethostname ${JSON.stringify(name)}`, () => fn.sethostname(name, Buffer.byteLength(name)));
    },
    setdomainname(name) {
      check(() => `setdomainname ${JSON.stringify(name)}`, () => fn.setdomainname(name, Buffer.byteLength(name)));
    },
    setrlimit(resource, soft, hard) {
      check(() => `setrlimit ${resource}`, () => fn.setrlimit(resource, { rlim_cur: soft, rlim_max: hard }));
    },
    setgroups(gids) {
      check(() => `setgroups ${gids.join(',')}`, () => fn.setgroups(gids.length, gids.length ? gids : null));
    },
    setresgid(gid) {
      check(() => `setresgid ${gid}`, () => fn.setresgid(gid, gid, gid));
    },
    setresuid(uid) {
      check(() => `setresuid ${uid}`, () => fn.setresuid(uid, uid, uid));
    },
    capset(sets) {
      // Version 3 takes two data structs: the low and the high 32 bits of each set.
      const data = [
        { effective: low(sets.effective), permitted: low(sets.permitted), inheritable: low(sets.inheritable) },
        { effective: high(sets.effective), permitted: high(sets.permitted), inheritable: high(sets.inheritable) },
      ];
      check(() => 'capset', () => fn.capset(capHeader(), data));
    },
    prctl(option, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0) {
      return check(() => `prctl ${option}`, () => fn.prctl(option, arg2, arg3, arg4, arg5));
    },
    personality(persona) {
      check(() => `personality 0x${persona.toString(16)}`, () => fn.personality(persona));
    },
    setsid() {
      check(() => 'setsid', () => fn.setsid());
    },
    unshare(flags) {
      check(() => `unshare 0x${flags.toString(16)}`, () => fn.unshare(flags));
    },
    setns(fd, nstype) {
      check(() => `setns 0x${nstype.toString(16)}`, () => fn.setns(fd, nstype));
    },
    joinSessionKeyring(name) {
      check(() => `join session keyring ${name}`, () => fn.syscall(SYS_keyctl, 'int', KEYCTL_JOIN_SESSION_KEYRING, 'const char *', name));
    },
    restoreDefaultSignal(signal) {
      check(() => `sigaction ${signal} SIG_DFL`, () => fn.sigaction(signal, Buffer.alloc(SIGACTION_SIZE), null));
    },
    keepAcrossExec(fd) {
      const fdFlags = check(() => `fcntl ${fd} F_GETFD`, () => fn.fcntl(fd, F_GETFD));
      check(() => `fcntl ${fd} F_SETFD`, () => fn.fcntl(fd, F_SETFD, 'int', fdFlags & ~FD_CLOEXEC));
      const statusFlags = check(() => `fcntl ${fd} F_GETFL`, () => fn.fcntl(fd, F_GETFL));
      if (statusFlags & O_NONBLOCK) check(() => `fcntl ${fd} F_SETFL`, () => fn.fcntl(fd, F_SETFL, 'int', statusFlags & ~O_NONBLOCK));
    },
    closeOnExec(fd) {
      const fdFlags = check(() => `fcntl ${fd} F_GETFD`, () => fn.fcntl(fd, F_GETFD));
      check(() => `fcntl ${fd} F_SETFD`, () => fn.fcntl(fd, F_SETFD, 'int', fdFlags | FD_CLOEXEC));
    },
    execve(path, argv, envp) {
      fn.execve(path, [...argv, null], [...envp, null]);
      throw RuntsError.fromErrno(`exec ${JSON.stringify(path)}`, koffi.errno());
    },
    spawn(path, argv, envp, fds, cwd) {
      // Each descriptor is first copied above the targets (close-on-exec): a dup2 onto another
      // number clears close-on-exec in the child (a descriptor may carry it, stdio included),
      // and no later dup2 overwrites a source an earlier one still needs.
      const copies: number[] = [];
      const actions = Buffer.alloc(SPAWN_STRUCT_SIZE);
      const attr = Buffer.alloc(SPAWN_STRUCT_SIZE);
      const signals = Buffer.alloc(SIGSET_SIZE);
      const spawnCheck = (context: string, error: number) => {
        if (error !== 0) throw RuntsError.fromErrno(`start ${path}: ${context}`, error);
      };
      try {
        // (Destroying the zeroed structs is harmless should an init below fail.)
        spawnCheck('file actions', fn.posix_spawn_file_actions_init(actions));
        spawnCheck('attributes', fn.posix_spawnattr_init(attr));
        for (const fd of fds) copies.push(check(() => `duplicate descriptor ${fd}`, () => fn.fcntl(fd, F_DUPFD_CLOEXEC, 'int', fds.length)));
        copies.forEach((copy, target) => spawnCheck(`descriptor ${target}`, fn.posix_spawn_file_actions_adddup2(actions, copy, target)));
        spawnCheck(`working directory ${cwd}`, fn.posix_spawn_file_actions_addchdir_np(actions, cwd));
        // Every bit set, glibc's own 32 and 33 too (sigfillset leaves them out, and glibc then
        // makes them ignored in the child, and ignored they would stay through every exec).
        signals.fill(0xff);
        spawnCheck('default signals', fn.posix_spawnattr_setsigdefault(attr, signals));
        fn.sigemptyset(signals);
        spawnCheck('signal mask', fn.posix_spawnattr_setsigmask(attr, signals));
        spawnCheck('flags', fn.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
        const pid = new Int32Array(1);
        spawnCheck('posix_spawn', fn.posix_spawn(pid, path, actions, attr, [...argv, null], [...envp, null]));
        return pid[0]!;
      } finally {
        fn.posix_spawn_file_actions_destroy(actions);
        fn.posix_spawnattr_destroy(attr);
        for (const copy of copies) fn.close(copy);
      }
    },
    waitReadable(fd, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pollfd = { fd, events: POLLIN, revents: 0 };
        koffi.errno(NO_ERROR);
        const ready = fn.poll(pollfd, 1, Math.max(0, deadline - Date.now()));
        if (ready > 0) return true;
        if (ready === 0) return false;
        // Interrupted by a signal: poll again for what is left of the time.
        if (koffi.errno() !== EINTR) throw RuntsError.fromErrno(`poll descriptor ${fd}`, koffi.errno());
      }
    },
    reapChild(pid) {
      const status = new Int32Array(1);
      check(() => `wait for process ${pid}`, () => fn.waitpid(pid, status, 0));
      return exitOf(status[0]!);
    },
    waitForChild(pid) {
      return new Promise((resolve, reject) => {
        const status = new Int32Array(1);
        fn.waitpid.async(pid, status, 0, (err: unknown, result: number) => {
          if (err) return reject(err);
          if (result === -1) return reject(RuntsError.fromErrno(`wait for process ${pid}`, koffi.errno()));
          resolve(exitOf(status[0]!));
        });
      });
    },
    execveat(fd, argv, envp) {
      fn.syscall(SYS_execveat, 'int', fd, 'const char *', '', 'const char **', [...argv, null], 'const char **', [...envp, null], 'int', AT_EMPTY_PATH);
      throw RuntsError.fromErrno(`exec descriptor ${fd}`, koffi.errno());
    },
    openInRoot(rootFd, path, flags) {
      const how = Buffer.alloc(24);
      how.writeBigUInt64LE(BigInt(flags | O_CLOEXEC), 0);
      how.writeBigUInt64LE(BigInt(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), 16);
      return check(
        () => `open ${path} inside the container's root`,
        () => fn.syscall(SYS_openat2, 'int', rootFd, 'const char *', path, 'void *', how, 'size_t', how.length),
      );
    },
    socketpair() {
      const pair = new Int32Array(2);
      check(() => 'socketpair', () => fn.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair));
      return [pair[0]!, pair[1]!];
    },
    connectUnix(path) {
      // struct sockaddr_un: sa_family_t, then the path, NUL-terminated, at most 108 bytes.
      const address = Buffer.alloc(110);
      address.writeUInt16LE(AF_UNIX, 0);
      if (address.write(path, 2) >= 107) throw new RuntsError(`connect to ${path}: the path is too long for a unix socket`);
      const fd = check(() => `socket for ${path}`, () => fn.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
      try {
        check(() => `connect to ${path}`, () => fn.connect(fd, address, address.length));
      } catch (err) {
        fn.close(fd);
        throw err;
      }
      return fd;
    },
    sendFd(socket, fd, name) {
      const data = Buffer.from(name);
      const control = rightsControl(fd);
      check(
        () => 'send the terminal to the console socket',
        () => fn.sendmsg(socket, { name: null, namelen: 0, iov: [{ base: data, len: data.length }], iovlen: 1, control, controllen: control.length, flags: 0 }, 0),
      );
    },
    recvFd(socket) {
      const data = Buffer.alloc(4096);
      const control = Buffer.alloc(CMSG_SPACE_INT);
      const message = { name: null, namelen: 0, iov: [{ base: data, len: data.length }], iovlen: 1, control, controllen: control.length, flags: 0 };
      const read = check(() => 'receive a descriptor', () => fn.recvmsg(socket, message, MSG_CMSG_CLOEXEC));
      if (read === 0 || control.readInt32LE(12) !== SCM_RIGHTS) throw new RuntsError('receive a descriptor: none was sent');
      return control.readInt32LE(16);
    },
    unlockPty(master) {
      check(() => 'unlock the pty', () => fn.ioctl(master, TIOCSPTLCK, 'int *', new Int32Array([0])));
      const number = new Int32Array(1);
      check(() => 'find the pty number', () => fn.ioctl(master, TIOCGPTN, 'int *', number));
      return number[0]!;
    },
    setControllingTerminal(fd) {
      check(() => 'make the pty the controlling terminal', () => fn.ioctl(fd, TIOCSCTTY, 'int', 0));
    },
    setWindowSize(fd, rows, columns) {
      const size = new Uint16Array([rows, columns, 0, 0]);
      check(() => `set the terminal size to ${rows}x${columns}`, () => fn.ioctl(fd, TIOCSWINSZ, 'void *', size));
    },
    dup2(from, to) {
      check(() => `dup2 ${from} ${to}`, () => fn.dup2(from, to));
    },
    pidfdOpen(pid) {
      return check(() => `pidfd_open ${pid}`, () => fn.syscall(SYS_pidfd_open, 'int', pid, 'unsigned int', 0));
    },
    pidfdSendSignal(pidfd, signal) {
      check(
        () => `send signal ${signal}`,
        () => fn.syscall(SYS_pidfd_send_signal, 'int', pidfd, 'int', signal, 'void *', null, 'unsigned int', 0),
      );
    },
    loadCgroupDeviceProgram(instructions) {
      const load = (log: Buffer | null) => {
        const attr = {
          prog_type: BPF_PROG_TYPE_CGROUP_DEVICE,
          insn_cnt: instructions.length / 8,
          insns: instructions,
          license: 'Apache-2.0',
          log_level: log ? 1 : 0,
          log_size: log ? log.length : 0,
          log_buf: log,
          kern_version: 0,
          prog_flags: 0,
          prog_name: 'runts_devices',
          prog_ifindex: 0,
          expected_attach_type: BPF_CGROUP_DEVICE,
        };
        return Number(fn.syscall(SYS_bpf, 'int', BPF_PROG_LOAD, 'runts_bpf_prog_load *', attr, 'unsigned int', koffi.sizeof('runts_bpf_prog_load')));
      };
      koffi.errno(NO_ERROR);
      const fd = load(null);
      if (fd >= 0) return fd;
      const errno = koffi.errno();
      // Load again with the verifier's log, to say why.
      const log = Buffer.alloc(64 * 1024);
      load(log);
      const text = log.toString('utf8', 0, Math.max(0, log.indexOf(0))).trim();
      const error = RuntsError.fromErrno('load the cgroup device filter (BPF)', errno);
      throw text ? new RuntsError(`${error.message}: ${text.split('\n').slice(-3).join(' / ')}`, { errno: error.errno }) : error;
    },
    attachCgroupDeviceProgram(cgroupFd, programFd) {
      const attr = { target_fd: cgroupFd, attach_bpf_fd: programFd, attach_type: BPF_CGROUP_DEVICE, attach_flags: BPF_F_ALLOW_MULTI, replace_bpf_fd: 0 };
      check(
        () => 'attach the cgroup device filter (BPF)',
        () => fn.syscall(SYS_bpf, 'int', BPF_PROG_ATTACH, 'runts_bpf_prog_attach *', attr, 'unsigned int', koffi.sizeof('runts_bpf_prog_attach')),
      );
    },
  };
}

/** A control message carrying one descriptor: cmsghdr (len, level, type) then the int. */
function rightsControl(fd: number): Buffer {
  const control = Buffer.alloc(CMSG_SPACE_INT);
  control.writeBigUInt64LE(BigInt(CMSG_LEN_INT), 0);
  control.writeInt32LE(SOL_SOCKET, 8);
  control.writeInt32LE(SCM_RIGHTS, 12);
  control.writeInt32LE(fd, 16);
  return control;
}

/** A waitpid(2) status as a ChildExit. */
function exitOf(status: number): ChildExit {
  // <sys/wait.h>: WIFEXITED when the low 7 bits are 0, else WTERMSIG is those bits.
  return (status & 0x7f) === 0 ? { code: (status >> 8) & 0xff } : { signal: status & 0x7f };
}

const FD_CLOEXEC = 1;
const O_NONBLOCK = 0o4000;

let loaded: Libc | undefined;

/** The real libc, loaded on first use, once per process (koffi's named types are declared once). */
export function libc(): Libc {
  loaded ??= createLibc();
  return loaded;
}
