// The cgroup hierarchies of this host and where a process is in them: /proc/<pid>/cgroup read
// against the cgroup mounts of /proc/self/mountinfo. A hierarchy is named by its key: "" for
// cgroup2, else its v1 controllers (or name=...) sorted and comma-joined, so that a mount and a
// /proc/<pid>/cgroup line of one hierarchy always agree.
import { readFileSync } from 'node:fs';
import type { MountInfo } from '../init/mountinfo.js';

/** Per-mount options in a v1 cgroup mount's super options that are not controller names. */
const NOT_CONTROLLERS = new Set(['rw', 'ro', 'xattr', 'nsdelegate', 'memory_recursiveprot']);

const keyOf = (controllers: string[]) => [...controllers].sort().join(',');

/** The key of a cgroup mount, or undefined for a mount that is not one. */
export function hierarchyKey(mount: MountInfo): string | undefined {
  if (mount.fsType === 'cgroup2') return '';
  if (mount.fsType !== 'cgroup') return undefined;
  return keyOf(mount.superOptions.split(',').filter((option) => !NOT_CONTROLLERS.has(option)));
}

/** /proc/<pid>/cgroup: hierarchy key → the process's cgroup path in it. */
export function cgroupsOf(pid: number | 'self'): Map<string, string> {
  const cgroups = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match) cgroups.set(keyOf(match[1] ? match[1].split(',') : []), match[2]!);
  }
  return cgroups;
}

/** Where the hierarchy of `key` is mounted (the last such mount), if anywhere. */
export function mountPointOf(key: string, mounts: MountInfo[]): string | undefined {
  return mounts.filter((mount) => hierarchyKey(mount) === key).at(-1)?.mountPoint;
}
