// Where a container's cgroup is: linux.cgroupsPath resolved in each hierarchy, as runc's fs
// drivers do. An absolute path is taken from each hierarchy's root; a relative one (and the
// default, the container id, when the field is absent) from the cgroup runts itself is in.
import { posix } from 'node:path';
import { RuntsError } from '../errors.js';
import type { CgroupLayout } from './layout.js';

/** hierarchy key → the cgroup's directory in it. */
export type CgroupPaths = Record<string, string>;

/**
 * The directories of the container's cgroup in every hierarchy of the layout. `own` is runts's
 * place in each hierarchy (/proc/self/cgroup). `where` names the field for errors.
 */
export function resolveCgroupPaths(
  cgroupsPath: string | undefined,
  id: string,
  layout: CgroupLayout,
  own: Map<string, string>,
  where: string,
): CgroupPaths {
  const inner = cgroupsPath ?? id;
  // runc's systemd driver takes "slice:prefix:name"; runts has only the fs drivers.
  if (/^[^/]*:[^/]*:[^/]*$/.test(inner)) {
    throw new RuntsError(`${where}: ${JSON.stringify(inner)} is a systemd slice:prefix:name path, and runts has no systemd cgroup driver`);
  }
  if (inner.split('/').includes('..')) throw new RuntsError(`${where}: ${JSON.stringify(inner)} must not contain ".."`);
  const paths: CgroupPaths = {};
  for (const hierarchy of layout.hierarchies) {
    const base = posix.isAbsolute(inner) ? '/' : (own.get(hierarchy.key) ?? '/');
    const path = posix.join(base, inner);
    if (path === '/') throw new RuntsError(`${where}: ${JSON.stringify(inner)} names the root cgroup, which a container cannot own`);
    paths[hierarchy.key] = `${hierarchy.mountPoint}${path}`;
  }
  return paths;
}
