// Kernel and libc constants (x86_64 and aarch64 Linux ABI values), named as in the C headers.

// <errno.h>
export const EINTR = 4;

// <fcntl.h>
export const AT_FDCWD = -100;
export const AT_RECURSIVE = 0x8000;
export const AT_EMPTY_PATH = 0x1000;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;
export const O_PATH = 0o10000000;
export const O_CLOEXEC = 0o2000000;

// <signal.h>
export const SIGPIPE = 13;
export const SIGXFSZ = 25;

// <spawn.h>
export const POSIX_SPAWN_SETSIGDEF = 0x04;
export const POSIX_SPAWN_SETSIGMASK = 0x08;

// <poll.h>
export const POLLIN = 0x1;

// <sys/file.h>
export const LOCK_EX = 2;

// <linux/fs.h>
export const RENAME_NOREPLACE = 1;

// <sys/stat.h>
export const S_ISVTX = 0o1000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;

// <sched.h>
export const CLONE_NEWTIME = 0x00000080;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

// <sys/mount.h>
export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_SYNCHRONOUS = 0x10;
export const MS_REMOUNT = 0x20;
export const MS_MANDLOCK = 0x40;
export const MS_DIRSYNC = 0x80;
export const MS_NOSYMFOLLOW = 0x100;
export const MS_NOATIME = 0x400;
export const MS_NODIRATIME = 0x800;
export const MS_BIND = 0x1000;
export const MS_MOVE = 0x2000;
export const MS_REC = 0x4000;
export const MS_SILENT = 0x8000;
export const MS_POSIXACL = 0x10000;
export const MS_UNBINDABLE = 0x20000;
export const MS_PRIVATE = 0x40000;
export const MS_SLAVE = 0x80000;
export const MS_SHARED = 0x100000;
export const MS_RELATIME = 0x200000;
export const MS_I_VERSION = 0x800000;
export const MS_STRICTATIME = 0x1000000;
export const MS_LAZYTIME = 0x2000000;
export const MNT_DETACH = 2;

// <linux/capability.h>
export const _LINUX_CAPABILITY_VERSION_3 = 0x20080522;

// <sys/prctl.h>
export const PR_SET_DUMPABLE = 4;
export const PR_SET_KEEPCAPS = 8;
export const PR_CAPBSET_DROP = 24;
export const PR_SET_CHILD_SUBREAPER = 36;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_CAP_AMBIENT = 47;
export const PR_CAP_AMBIENT_RAISE = 2;

// <sys/syscall.h>: the numbers that differ by architecture, and the unified new ones.
export const SYS_pivot_root = process.arch === 'arm64' ? 41 : 155;
export const SYS_execveat = process.arch === 'arm64' ? 281 : 322;
/** openat2(2): the same number on every architecture. */
export const SYS_openat2 = 437;
/** openat2's resolve flags: the path is resolved as if the directory were /, never through /proc's magic links. */
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_IN_ROOT = 0x10;
export const SYS_keyctl = process.arch === 'arm64' ? 219 : 250;
export const SYS_pidfd_send_signal = 424;
export const SYS_pidfd_open = 434;
export const SYS_mount_setattr = 442;
export const SYS_bpf = process.arch === 'arm64' ? 280 : 321;

// bpf(2): loading and attaching a cgroup v2 device filter (linux/bpf.h).
export const BPF_PROG_LOAD = 5;
export const BPF_PROG_ATTACH = 8;
export const BPF_PROG_TYPE_CGROUP_DEVICE = 15;
export const BPF_CGROUP_DEVICE = 6;
export const BPF_F_ALLOW_MULTI = 2;

// <sys/resource.h>
export const RLIMIT_NUMBERS: Record<string, number> = {
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
};

// <sys/personality.h>
export const PER_LINUX = 0x0000;
export const PER_LINUX32 = 0x0008;

// <linux/keyctl.h>
export const KEYCTL_JOIN_SESSION_KEYRING = 1;

// <sys/socket.h>, for passing a pty master over a unix socket (64-bit layout of cmsghdr)
export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const MSG_CMSG_CLOEXEC = 0x40000000;
export const CMSG_LEN_INT = 20;
export const CMSG_SPACE_INT = 24;

// <asm-generic/ioctls.h>
export const TIOCSCTTY = 0x540e;
export const TIOCSWINSZ = 0x5414;
export const TIOCGPTN = 0x80045430;
export const TIOCSPTLCK = 0x40045431;
