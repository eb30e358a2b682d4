// Putting a process into the cgroups of another: what `exec` does so that a process joining a
// container is counted, limited and frozen with it. Every hierarchy the container's init is in
// is joined, the cgroup2 one and each v1 hierarchy: nsexec writes its pid to these files
// before it forks the process.
import { readMountInfo } from '../init/mountinfo.js';
import { cgroupsOf, mountPointOf } from './hierarchies.js';

/** The cgroup.procs files of every cgroup `pid` is in (in hierarchies that are mounted). */
export function cgroupProcsFilesOf(pid: number): string[] {
  const mounts = readMountInfo();
  const files: string[] = [];
  for (const [key, path] of cgroupsOf(pid)) {
    const mountPoint = mountPointOf(key, mounts);
    if (mountPoint) files.push(`${mountPoint}${path === '/' ? '' : path}/cgroup.procs`);
  }
  return files;
}
