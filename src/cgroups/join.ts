// Putting a process into the cgroups of another: what `exec` does so that a process joining a
// container is counted, limited and frozen with it. Every hierarchy init is in is joined: the
// cgroup2 one and each v1 hierarchy.
import { writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';
import { readMountInfo } from '../init/mountinfo.js';
import { cgroupsOf, mountPointOf } from './hierarchies.js';

/** Moves `pid` into every cgroup `source` is in (where it is not already). */
export function joinCgroupsOf(source: number, pid: number): void {
  const target = cgroupsOf(source);
  const current = cgroupsOf(pid);
  const mounts = readMountInfo();
  for (const [key, path] of target) {
    if (current.get(key) === path) continue;
    const mountPoint = mountPointOf(key, mounts);
    if (!mountPoint) continue; // A hierarchy nobody mounted has no cgroup.procs to write.
    const procs = `${mountPoint}${path === '/' ? '' : path}/cgroup.procs`;
    try {
      writeFileSync(procs, String(pid));
    } catch (err) {
      throw RuntsError.wrap(`join the container's cgroup ${procs}`, err);
    }
  }
}
