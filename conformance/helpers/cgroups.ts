// Reading a process's cgroups from outside, the way an administrator would: /proc/<pid>/cgroup
// against the cgroup mounts. Works on v1, hybrid and v2 hosts, so that one cgroup suite runs
// on this machine (hybrid) and in the cgroup v2 guest (conformance/vm/).
import { existsSync, readFileSync } from 'node:fs';

interface CgroupMount {
  mountPoint: string;
  version: 1 | 2;
  /** v1: the controllers (or name=...) of the hierarchy. */
  controllers: string[];
}

function cgroupMounts(): CgroupMount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[3] === '/' && /^cgroup2?$/.test(fields[fields.indexOf('-') + 1] ?? ''))
    .map((fields) => {
      const separator = fields.indexOf('-');
      const version = fields[separator + 1] === 'cgroup2' ? 2 : 1;
      return { mountPoint: fields[4]!, version, controllers: version === 1 ? fields[separator + 3]!.split(',') : [] };
    });
}

/** Where every cgroup hierarchy of this host is mounted. */
export function cgroupMountPoints(): string[] {
  return cgroupMounts().map((mount) => mount.mountPoint);
}

/** True on a pure cgroup v2 host. */
export function isUnified(): boolean {
  return cgroupMounts().some((mount) => mount.version === 2 && mount.mountPoint === '/sys/fs/cgroup');
}

/** Lines of /proc/<pid>/cgroup: controllers → path. */
export function cgroupLines(pid: number | 'self'): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match) lines.set(match[1]!, match[2]!);
  }
  return lines;
}

/**
 * The directory of `pid`'s cgroup that holds `controller`'s files: its v1 hierarchy if the
 * controller has one, else cgroup2.
 */
export function cgroupDir(pid: number, controller: string): string {
  const lines = cgroupLines(pid);
  const mounts = cgroupMounts();
  const v1 = mounts.find((mount) => mount.version === 1 && mount.controllers.includes(controller));
  if (v1) {
    const key = [...lines.keys()].find((controllers) => controllers.split(',').includes(controller))!;
    return `${v1.mountPoint}${lines.get(key)}`;
  }
  const v2 = mounts.find((mount) => mount.version === 2)!;
  return `${v2.mountPoint}${lines.get('')}`;
}

/** Which cgroup version holds `controller` on this host. */
export function versionOf(controller: string): 1 | 2 {
  return cgroupMounts().some((mount) => mount.version === 1 && mount.controllers.includes(controller)) ? 1 : 2;
}

export function readCgroupFile(pid: number, controller: string, file: string): string {
  return readFileSync(`${cgroupDir(pid, controller)}/${file}`, 'utf8').trim();
}

/** Every directory a cgroup path would have in the mounted hierarchies (for "is it gone?"). */
export function everyHierarchy(path: string): string[] {
  return cgroupMounts()
    .map((mount) => `${mount.mountPoint}${path}`)
    .filter((dir) => existsSync(dir));
}
