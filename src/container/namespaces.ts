// config-linux.md namespaces → what nsexec is told: files to join (setns) and flags to unshare.
// A type that is not listed is shared with the runtime, as the spec says.
import { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS } from '../../ffi/constants.js';
import { readlinkSync } from 'node:fs';
import { RuntsError } from '../errors.js';
import type { Config, NamespaceType } from '../spec/config.js';

/**
 * The spec's type names → the kernel's (/proc/<pid>/ns file names and CLONE_NEW* flags), in the
 * order a joining process enters them: the user namespace first (it grants the rights to
 * enter the others); nsexec itself keeps the mount namespace for last.
 */
export const KERNEL_NAMES: Record<NamespaceType, { file: string; flag: number }> = {
  user: { file: 'user', flag: CLONE_NEWUSER },
  pid: { file: 'pid', flag: CLONE_NEWPID },
  network: { file: 'net', flag: CLONE_NEWNET },
  mount: { file: 'mnt', flag: CLONE_NEWNS },
  ipc: { file: 'ipc', flag: CLONE_NEWIPC },
  uts: { file: 'uts', flag: CLONE_NEWUTS },
  cgroup: { file: 'cgroup', flag: CLONE_NEWCGROUP },
  time: { file: 'time', flag: CLONE_NEWTIME },
};

/** nsexec's arguments for the namespaces of `config` (before its `--`): what to join and create. */
export function nsexecNamespaceArgs(config: Config): string[] {
  const namespaces = config.linux?.namespaces ?? [];
  const args: string[] = [];
  let unshare = 0;
  for (const namespace of namespaces) {
    const kernel = KERNEL_NAMES[namespace.type];
    if (namespace.path) args.push('--join', `${kernel.file}:${namespace.path}`);
    // A new cgroup namespace is rooted at its creator's cgroup: init makes it (initCreatesCgroupNamespace),
    // once runts has moved it into the container's cgroup.
    else if (namespace.type !== 'cgroup') unshare |= kernel.flag;
  }
  if (unshare) args.push('--unshare', String(unshare));
  const timeOffsets = config.linux?.timeOffsets ?? {};
  for (const [clock, offset] of Object.entries(timeOffsets)) {
    args.push('--time-offset', `${clock}:${offset.secs ?? 0}:${offset.nanosecs ?? 0}`);
  }
  return args;
}

/** What runts needs of a config before it starts anything (config-linux.md's MUSTs). */
export function checkNamespaces(config: Config, file: string): void {
  const namespaces = config.linux?.namespaces ?? [];
  const find = (type: NamespaceType) => namespaces.find((namespace) => namespace.type === type);
  if (!find('mount')) {
    throw new RuntsError(`${file}: /linux/namespaces: runts needs a mount namespace to set up the rootfs (it never changes the host's mounts)`);
  }
  if (find('user')) throw new RuntsError(`${file}: /linux/namespaces: user namespaces are not supported by runts yet`);
  // config.md: hostname and domainname need a UTS namespace of the container's, new or joined
  // (runc sets them in a joined one too); never the host's.
  for (const field of ['hostname', 'domainname'] as const) {
    if (config[field] !== undefined && !find('uts')) {
      throw new RuntsError(`${file}: /${field}: setting it needs a UTS namespace in /linux/namespaces`);
    }
  }
  // config-linux.md: timeOffsets apply when a new time namespace is created, not joined.
  if (config.linux?.timeOffsets && find('time')?.path) {
    throw new RuntsError(`${file}: /linux/timeOffsets: cannot be set when joining an existing time namespace`);
  }
  if (!config.process) throw new RuntsError(`${file}: /process: is required to create a container`);
}

/**
 * Namespace files of /proc/<pid>/ns that nsexec enters for exec. Not mnt: `runts init` is
 * loaded from the host's filesystem, so it joins the mount namespace itself (see init.ts).
 */
const JOINED_BY_NSEXEC = Object.values(KERNEL_NAMES)
  .map((names) => names.file)
  .filter((file) => file !== 'mnt');

/** nsexec's arguments for an exec into the container of `initPid`: every namespace it does not share with runts. */
export function execJoinArgs(initPid: number): string[] {
  return JOINED_BY_NSEXEC.filter((type) => namespaceOf(initPid, type) !== namespaceOf('self', type)).flatMap((type) => ['--join', `${type}:/proc/${initPid}/ns/${type}`]);
}

function namespaceOf(pid: number | 'self', type: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${type}`);
  } catch {
    return undefined;
  }
}

/**
 * A new cgroup namespace is made by init itself, not by nsexec: it is rooted where its creator
 * is, and init is in the container's cgroup by the time it gets its orders (runts moves it there
 * while it starts), whereas nsexec would have to be moved first and pay the kernel's wait for
 * a cgroup move before init could even start. unshare(CLONE_NEWCGROUP) works from the runtime's main
 * thread, and the program init execs keeps it.
 */
export function initCreatesCgroupNamespace(config: Config): boolean {
  return (config.linux?.namespaces ?? []).some((namespace) => namespace.type === 'cgroup' && !namespace.path);
}
