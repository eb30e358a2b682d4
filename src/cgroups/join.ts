// Putting a process into the cgroups of another: what `exec` does so that a process joining a
// container is counted, limited and frozen with it. Every hierarchy init is in is joined: the
// cgroup2 one and each v1 hierarchy (by its controllers, or its name=).
import { readFileSync, writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';
import { type MountInfo, readMountInfo } from '../init/mountinfo.js';

/** /proc/<pid>/cgroup: hierarchy key (controllers, "" for cgroup2) → path. */
export function cgroupsOf(pid: number | 'self'): Map<string, string> {
  const cgroups = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match) cgroups.set(match[1]!, match[2]!);
  }
  return cgroups;
}

/** Where the hierarchy of a /proc/<pid>/cgroup key is mounted on the host. */
function mountOf(key: string, mounts: MountInfo[]): string | undefined {
  if (key === '') return mounts.find((m) => m.fsType === 'cgroup2')?.mountPoint;
  const wanted = key.split(',').sort().join(',');
  return mounts.find((m) => {
    if (m.fsType !== 'cgroup') return false;
    const options = m.superOptions.split(',').filter((option) => option !== 'rw' && option !== 'ro' && option !== 'xattr');
    return options.sort().join(',') === wanted;
  })?.mountPoint;
}

/** Moves `pid` into every cgroup `source` is in (where it is not already). */
export function joinCgroupsOf(source: number, pid: number): void {
  const target = cgroupsOf(source);
  const current = cgroupsOf(pid);
  const mounts = readMountInfo();
  for (const [key, path] of target) {
    if (current.get(key) === path) continue;
    const mountPoint = mountOf(key, mounts);
    if (!mountPoint) continue; // A hierarchy nobody mounted has no cgroup.procs to write.
    const procs = `${mountPoint}${path === '/' ? '' : path}/cgroup.procs`;
    try {
      writeFileSync(procs, String(pid));
    } catch (err) {
      throw RuntsError.wrap(`join the container's cgroup ${procs}`, err);
    }
  }
}
