// Putting a process into cgroups: create places the container's init in the container's
// cgroup, exec places a joining process where the init is (every hierarchy: the cgroup2 one and
// each v1 hierarchy), so that it is counted, limited and frozen with the container.
import { writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';
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

/** Moves `pid` (all its threads) into the cgroup of each cgroup.procs file. */
export function moveToCgroups(pid: number, procsFiles: string[]): void {
  for (const file of procsFiles) {
    try {
      writeFileSync(file, String(pid));
    } catch (err) {
      throw RuntsError.wrap(`move process ${pid} into the cgroup ${file}`, err);
    }
  }
}
