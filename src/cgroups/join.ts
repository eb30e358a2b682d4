// Putting a process into cgroups: create places the container's init in the container's
// cgroup, exec places a joining process where the init is (every hierarchy: the cgroup2 one and
// each v1 hierarchy), so that it is counted, limited and frozen with the container.
import { closeSync, existsSync, openSync, write, writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';
import { readMountInfo } from '../init/mountinfo.js';
import { cgroupsOf, mountPointOf } from './hierarchies.js';

/** The directory of every cgroup `pid` is in, by hierarchy key (in hierarchies that are mounted). */
function cgroupDirsOf(pid: number): { key: string; dir: string }[] {
  const mounts = readMountInfo();
  const dirs: { key: string; dir: string }[] = [];
  for (const [key, path] of cgroupsOf(pid)) {
    const mountPoint = mountPointOf(key, mounts);
    if (mountPoint) dirs.push({ key, dir: `${mountPoint}${path === '/' ? '' : path}` });
  }
  return dirs;
}

/** The cgroup.procs files of every cgroup `pid` is in (in hierarchies that are mounted). */
export function cgroupProcsFilesOf(pid: number): string[] {
  return cgroupDirsOf(pid).map(({ dir }) => `${dir}/cgroup.procs`);
}

/**
 * exec --cgroup (runc's): the cgroup.procs files of existing sub-cgroups of the cgroups `pid` is
 * in. Each request is `PATH` (every hierarchy) or `CONTROLLER:PATH` (the v1 hierarchy with that
 * controller; a cgroup2 host takes one PATH only); PATH is relative, and `..` is refused.
 */
export function subCgroupProcsFiles(pid: number, requests: string[]): string[] {
  const parsed = requests.map((request) => {
    const at = request.indexOf(':');
    const controller = at === -1 ? undefined : request.slice(0, at);
    const path = (at === -1 ? request : request.slice(at + 1)).replace(/^\/+/, '');
    if (path === '' || path.split('/').includes('..')) throw new RuntsError(`exec --cgroup ${JSON.stringify(request)}: give a sub-cgroup of the container's, without ".."`);
    return { controller, path };
  });
  return cgroupDirsOf(pid).map(({ key, dir: own }) => {
    const controllers = key.split(',');
    if (key === '' && parsed.some((request) => request.controller !== undefined)) {
      throw new RuntsError('exec --cgroup: on cgroup v2 give one sub-cgroup path, without a controller');
    }
    const request = parsed.find((candidate) => candidate.controller !== undefined && controllers.includes(candidate.controller)) ?? parsed.find((candidate) => candidate.controller === undefined);
    const dir = request ? `${own}/${request.path}` : own;
    if (!existsSync(dir)) throw new RuntsError(`exec --cgroup: ${dir} does not exist (the sub-cgroup must be made first)`);
    return `${dir}/cgroup.procs`;
  });
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

/**
 * Starts, in the background, a move of runts into the cgroup it is already in: it changes
 * nothing, but it pays a wait that the container's own move would otherwise pay later. The
 * kernel serialises cgroup moves with one global lock whose writer first waits for an RCU
 * grace period, unless another move took it within about one grace period (the first move
 * waits, the ones that follow soon after do not). Issued while the command line and the
 * bundle are read, that wait overlaps them; the container's move then comes within the window
 * (bench/HISTORY.md has what it bought). Any failure is ignored: a
 * runts without the right to write its own cgroup only loses the head start.
 */
export function warmCgroupMoves(): void {
  try {
    const fd = openSync(cgroupProcsFilesOf(process.pid)[0]!, 'w');
    // One write of the thread pool's (an open and a write chained by writeFile would wait for
    // this busy main thread between them): the wait happens there, not here.
    write(fd, String(process.pid), () => closeSync(fd));
  } catch {
    // No cgroup file, no permission: nothing to warm.
  }
}
