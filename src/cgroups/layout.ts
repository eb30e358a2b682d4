// Which cgroup hierarchies this host has and where they are mounted: unified (one cgroup2 at
// /sys/fs/cgroup), hybrid (v1 controllers plus a cgroup2, usually at /sys/fs/cgroup/unified) or
// legacy (v1 only). Every other cgroup module works from this one reading.
import { readFileSync } from 'node:fs';
import { type MountInfo, readMountInfo } from '../init/mountinfo.js';
import { hierarchyKey } from './hierarchies.js';

export type CgroupMode = 'unified' | 'hybrid' | 'legacy';

export interface Hierarchy {
  /** "" for cgroup2, else the v1 controllers (or name=...) sorted and comma-joined. */
  key: string;
  mountPoint: string;
  version: 1 | 2;
  /** The controllers it can control (a v2 one: those in its root's cgroup.controllers). */
  controllers: string[];
}

export interface CgroupLayout {
  mode: CgroupMode;
  hierarchies: Hierarchy[];
}

export const HOST_CGROUP_ROOT = '/sys/fs/cgroup';

/** Reads the layout from the mounts (only mounts of a hierarchy's root count: not binds of a part). */
export function readCgroupLayout(mounts: MountInfo[] = readMountInfo()): CgroupLayout {
  const byKey = new Map<string, Hierarchy>();
  for (const mount of mounts) {
    const key = hierarchyKey(mount);
    if (key === undefined || mount.root !== '/') continue;
    const version = key === '' ? 2 : 1;
    const controllers = version === 2 ? v2Controllers(mount.mountPoint) : key.split(',').filter((name) => !name.startsWith('name='));
    byKey.set(key, { key, mountPoint: mount.mountPoint, version, controllers });
  }
  const hierarchies = [...byKey.values()];
  const unified = byKey.get('');
  const mode: CgroupMode = unified?.mountPoint === HOST_CGROUP_ROOT ? 'unified' : unified ? 'hybrid' : 'legacy';
  return { mode, hierarchies: mode === 'unified' ? [unified!] : hierarchies };
}

function v2Controllers(mountPoint: string): string[] {
  try {
    return readFileSync(`${mountPoint}/cgroup.controllers`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** The hierarchy that controls `controller`: a v1 one if it has it, else a cgroup2 that does. */
export function hierarchyOf(layout: CgroupLayout, controller: string): Hierarchy | undefined {
  return (
    layout.hierarchies.find((hierarchy) => hierarchy.version === 1 && hierarchy.controllers.includes(controller)) ??
    layout.hierarchies.find((hierarchy) => hierarchy.version === 2 && hierarchy.controllers.includes(controller))
  );
}
