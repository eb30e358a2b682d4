// A container's cgroup, from creation to removal: the one interface create, update, pause,
// events and delete use, whatever the host's layout (v2, v1 or both). What runts made is
// recorded (ContainerCgroup, kept in state.json) so that delete removes exactly that: a cgroup
// runts did not create is never removed.
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';
import type { Resources } from '../spec/config.js';
import { sleepSync } from '../sleep.js';
import { deviceFilterProgram, deviceRules, v1DeviceLine } from './devices.js';
import { cgroupsOf } from './hierarchies.js';
import { type CgroupLayout, hierarchyOf, readCgroupLayout } from './layout.js';
import { type CgroupPaths, resolveCgroupPaths } from './path.js';
import { type CgroupWrite, resourceWrites } from './resources.js';

export interface ContainerCgroup {
  /** hierarchy key ("" for cgroup2) → the container's cgroup directory in it. */
  paths: CgroupPaths;
  /** The directories runts created (and so removes), outermost first. */
  created: string[];
}

/**
 * Where the container's cgroup goes, from linux.cgroupsPath (or the id), and which directories
 * are missing and so will be runts's. Recorded before anything is made: a runts killed half-way
 * through creation leaves a record that `delete --force` can clean up from.
 */
export function planContainerCgroup(cgroupsPath: string | undefined, id: string, where: string): ContainerCgroup {
  const layout = readCgroupLayout();
  const paths = resolveCgroupPaths(cgroupsPath, id, layout, cgroupsOf('self'), where);
  const created: string[] = [];
  for (const hierarchy of layout.hierarchies) {
    const missing: string[] = [];
    for (let dir = paths[hierarchy.key]!; dir !== hierarchy.mountPoint && !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
    created.push(...missing);
  }
  return { paths, created };
}

/**
 * Makes the planned directories and applies the resources; on failure removes what it made.
 * Returns the cgroup as it is: a directory someone else made meanwhile is not runts's.
 */
export function createContainerCgroup(planned: ContainerCgroup, resources: Resources | undefined, libc: Libc): ContainerCgroup {
  const layout = readCgroupLayout();
  const cgroup: ContainerCgroup = { paths: planned.paths, created: [] };
  try {
    for (const dir of planned.created) {
      if (!mkdirCgroup(dir)) continue;
      cgroup.created.push(dir);
      const hierarchy = layout.hierarchies.find((candidate) => dir.startsWith(`${candidate.mountPoint}/`) && planned.paths[candidate.key]?.startsWith(dir));
      if (hierarchy?.version === 1 && hierarchy.controllers.includes('cpuset')) inheritCpuset(dir);
    }
    // On a v2 host every controller is made available to the container's cgroup, as runc
    // does: update and events can then reach all of them.
    const unified = layout.hierarchies[0]!;
    if (layout.mode === 'unified') enableControllers(unified.mountPoint, planned.paths['']!, unified.controllers);
    if (resources) applyResources(cgroup, resources, libc, layout);
    return cgroup;
  } catch (err) {
    destroyContainerCgroup(cgroup, libc);
    throw err;
  }
}

/** mkdir; false when the directory exists already (then it is not runts's). */
function mkdirCgroup(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw RuntsError.wrap(`create cgroup ${dir}`, err);
  }
}

/** A new v1 cpuset cgroup has no cpus or mems (no process could join it): take the parent's. */
function inheritCpuset(dir: string): void {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    if (readFileSync(`${dir}/${file}`, 'utf8').trim() !== '') continue;
    const parent = dirname(dir);
    // An empty parent (one runts did not make, say) is filled from its own first, as runc does:
    // a process cannot join a cpuset cgroup without CPUs and memory nodes (ENOSPC).
    if (readFileSync(`${parent}/${file}`, 'utf8').trim() === '') inheritCpuset(parent);
    writeCgroupFile(dir, file, readFileSync(`${parent}/${file}`, 'utf8').trim(), `cgroup ${dir}`);
  }
}

/** Enables `controllers` in cgroup.subtree_control of every level from `root` down to target's parent. */
function enableControllers(root: string, target: string, controllers: string[]): void {
  if (controllers.length === 0) return;
  const levels: string[] = [];
  for (let dir = dirname(target); dir.startsWith(root); dir = dirname(dir)) {
    levels.unshift(dir);
    if (dir === root) break;
  }
  for (const dir of levels) {
    const enabled = new Set(readFileSync(`${dir}/cgroup.subtree_control`, 'utf8').trim().split(/\s+/));
    const available = new Set(readFileSync(`${dir}/cgroup.controllers`, 'utf8').trim().split(/\s+/));
    for (const controller of controllers) {
      if (enabled.has(controller) || !available.has(controller)) continue;
      try {
        writeFileSync(`${dir}/cgroup.subtree_control`, `+${controller}`);
      } catch (err) {
        // A level with processes of its own cannot hand controllers down (cgroup v2's "no
        // internal processes" rule); the write of a limit that needs it then says so.
        if ((err as NodeJS.ErrnoException).code !== 'EBUSY') throw RuntsError.wrap(`enable the ${controller} controller in ${dir}`, err);
      }
    }
  }
}

/** The v2 controller a file belongs to ("memory.max" → memory). */
const controllerOfFile = (file: string) => file.split('.')[0]!;

/** Writes linux.resources (all of it, or what update changes) to the container's cgroup. */
export function applyResources(cgroup: ContainerCgroup, resources: Resources, libc: Libc, layout: CgroupLayout = readCgroupLayout()): void {
  const writes = resourceWrites(resources, layout, cgroup.paths, (dir, file) => {
    try {
      return readFileSync(`${dir}/${file}`, 'utf8').trim();
    } catch {
      return undefined;
    }
  });
  const unified = cgroup.paths[''];
  const unifiedRoot = layout.hierarchies.find((hierarchy) => hierarchy.version === 2)?.mountPoint;
  if (unified && unifiedRoot) {
    const needed = [...new Set(writes.filter((write) => write.dir === unified).map((write) => controllerOfFile(write.file)))];
    enableControllers(unifiedRoot, unified, needed.filter((controller) => controller !== 'cgroup'));
  }
  for (const write of writes) applyWrite(write);
  applyDevices(cgroup, resources.devices, layout, libc);
}

function applyWrite(write: CgroupWrite): void {
  if (write.orElse && !existsSync(`${write.dir}/${write.file}`)) writeCgroupFile(write.dir, write.orElse.file, write.orElse.value, write.field);
  else writeCgroupFile(write.dir, write.file, write.value, write.field);
}

function writeCgroupFile(dir: string, file: string, value: string, why: string): void {
  try {
    writeFileSync(`${dir}/${file}`, value);
  } catch (err) {
    throw RuntsError.wrap(`${why}: write ${JSON.stringify(value)} to ${dir}/${file}`, err);
  }
}

function applyDevices(cgroup: ContainerCgroup, devices: Resources['devices'], layout: CgroupLayout, libc: Libc): void {
  const rules = deviceRules(devices);
  if (rules.length === 0) return;
  const hierarchy = hierarchyOf(layout, 'devices');
  if (hierarchy) {
    for (const rule of rules) writeCgroupFile(cgroup.paths[hierarchy.key]!, rule.allow ? 'devices.allow' : 'devices.deny', v1DeviceLine(rule), 'linux.resources.devices');
    return;
  }
  const dir = cgroup.paths[''];
  if (dir === undefined || layout.mode !== 'unified') throw new RuntsError('linux.resources.devices: this host has no devices cgroup controller');
  const program = libc.loadCgroupDeviceProgram(deviceFilterProgram(rules));
  try {
    const cgroupFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      libc.attachCgroupDeviceProgram(cgroupFd, program);
    } finally {
      closeSync(cgroupFd);
    }
  } finally {
    // The cgroup holds the program now; it goes when the cgroup is removed.
    closeSync(program);
  }
}

/** The cgroup.procs files a process writes its pid to in order to join the container's cgroup. */
export function procsFiles(cgroup: ContainerCgroup): string[] {
  return Object.values(cgroup.paths).map((dir) => `${dir}/cgroup.procs`);
}

/** The directory that counts the container's processes: cgroup2, or a v1 hierarchy every process is in. */
function mainDir(cgroup: ContainerCgroup): string {
  const keys = Object.keys(cgroup.paths);
  if (keys.length === 1) return cgroup.paths[keys[0]!]!; // a unified host: cgroup2 alone
  const withController = (name: string) => keys.find((key) => key.split(',').includes(name));
  return cgroup.paths[withController('pids') ?? withController('freezer') ?? keys[0]!]!;
}

/** Every process in the container's cgroup and the cgroups below it. */
export function cgroupProcesses(cgroup: ContainerCgroup): number[] {
  const pids = new Set<number>();
  const visit = (dir: string) => {
    let text: string;
    try {
      text = readFileSync(`${dir}/cgroup.procs`, 'utf8');
    } catch {
      return; // Removed meanwhile.
    }
    for (const line of text.split('\n')) if (line) pids.add(Number(line));
    for (const child of subdirectories(dir)) visit(`${dir}/${child}`);
  };
  visit(mainDir(cgroup));
  return [...pids];
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

// --- freezer ----------------------------------------------------------------------------------

const FREEZE_TIMEOUT_MS = 10_000;

/** v1's freezer hierarchy when there is one, else cgroup2's cgroup.freeze (kernel >= 5.2). */
function freezerOf(cgroup: ContainerCgroup): { version: 1 | 2; dir: string } {
  const v1 = Object.keys(cgroup.paths).find((key) => key.split(',').includes('freezer'));
  if (v1 !== undefined) return { version: 1, dir: cgroup.paths[v1]! };
  const v2 = cgroup.paths[''];
  if (v2 === undefined) throw new RuntsError('this host has no cgroup freezer');
  return { version: 2, dir: v2 };
}

/** Freezes (pause) or thaws (resume) every process of the container, and waits until it is so. */
export function setFrozen(cgroup: ContainerCgroup, frozen: boolean): void {
  const freezer = freezerOf(cgroup);
  const [file, value] = freezer.version === 1 ? ['freezer.state', frozen ? 'FROZEN' : 'THAWED'] : ['cgroup.freeze', frozen ? '1' : '0'];
  const deadline = Date.now() + FREEZE_TIMEOUT_MS;
  for (;;) {
    writeCgroupFile(freezer.dir, file, value, frozen ? 'freeze' : 'thaw');
    if (isFrozenAt(freezer) === frozen) return;
    if (Date.now() > deadline) {
      if (frozen) writeCgroupFile(freezer.dir, file, freezer.version === 1 ? 'THAWED' : '0', 'thaw');
      throw new RuntsError(`${frozen ? 'freeze' : 'thaw'} ${freezer.dir}: the processes did not ${frozen ? 'stop' : 'resume'} within ${FREEZE_TIMEOUT_MS / 1000} s`);
    }
    sleepSync(1);
  }
}

function isFrozenAt(freezer: { version: 1 | 2; dir: string }): boolean {
  try {
    if (freezer.version === 1) return readFileSync(`${freezer.dir}/freezer.state`, 'utf8').trim() === 'FROZEN';
    // cgroup.events says "frozen 1" once every process has stopped, not when asked.
    return /^frozen 1$/m.test(readFileSync(`${freezer.dir}/cgroup.events`, 'utf8'));
  } catch {
    return false;
  }
}

export function isFrozen(cgroup: ContainerCgroup): boolean {
  try {
    return isFrozenAt(freezerOf(cgroup));
  } catch {
    return false;
  }
}

// --- removal ----------------------------------------------------------------------------------

const EMPTY_TIMEOUT_MS = 10_000;

/**
 * Kills what is left in the container's cgroup, waits for it to empty and removes the
 * directories runts created, innermost first: the container's own cgroups with any the
 * container made below them; a parent runts made only if nobody else uses it by now.
 */
export function destroyContainerCgroup(cgroup: ContainerCgroup, libc: Libc): void {
  if (cgroup.created.length === 0) return;
  killEverything(cgroup, libc);
  const leaves = new Set(Object.values(cgroup.paths));
  const byDepth = [...cgroup.created].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of byDepth) {
    if (leaves.has(dir)) removeTree(dir);
    else removeIfUnused(dir);
  }
}

/** rmdir of a parent cgroup; another container's cgroup inside it keeps it (and is not touched). */
function removeIfUnused(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EBUSY' && code !== 'ENOTEMPTY') throw RuntsError.wrap(`remove cgroup ${dir}`, err);
  }
}

function killEverything(cgroup: ContainerCgroup, libc: Libc): void {
  // Frozen processes would not die (v1) until thawed.
  if (isFrozen(cgroup)) setFrozen(cgroup, false);
  const killFile = cgroup.paths[''] === undefined ? undefined : `${cgroup.paths['']}/cgroup.kill`;
  const deadline = Date.now() + EMPTY_TIMEOUT_MS;
  for (;;) {
    const pids = cgroupProcesses(cgroup);
    if (pids.length === 0) return;
    if (killFile && existsSync(killFile)) writeFileSync(killFile, '1');
    else for (const pid of pids) sigkill(pid, libc);
    if (Date.now() > deadline) throw new RuntsError(`remove cgroup ${mainDir(cgroup)}: processes ${pids.join(', ')} did not exit after SIGKILL`);
    sleepSync(2);
  }
}

function sigkill(pid: number, libc: Libc): void {
  try {
    const pidfd = libc.pidfdOpen(pid);
    try {
      libc.pidfdSendSignal(pidfd, 9);
    } finally {
      closeSync(pidfd);
    }
  } catch (err) {
    if (!(err instanceof RuntsError && err.errno === 'ESRCH')) throw err;
  }
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const child of subdirectories(dir)) removeTree(`${dir}/${child}`);
  // A process that just exited may be counted for a moment more: EBUSY is retried.
  const deadline = Date.now() + EMPTY_TIMEOUT_MS;
  for (;;) {
    try {
      rmdirSync(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline) throw RuntsError.wrap(`remove cgroup ${dir}`, err);
      sleepSync(2);
    }
  }
}
