// The `cgroup` mount type of config.json: what the container sees at /sys/fs/cgroup.
//
// On a unified host that is cgroup2. On a hybrid or legacy host (v1 hierarchies under
// /sys/fs/cgroup/<name>) it is runc's layout: a tmpfs holding one mount per hierarchy of the
// host, the host's comount symlinks (cpu -> cpu,cpuacct) and cgroup2 at unified/ when present.
// With a cgroup namespace of its own, each hierarchy is mounted afresh and shows the
// container's part. Without one, as runc does, each hierarchy is the bind of the cgroup init is
// in: the container sees its own cgroup as the root, and nothing above it (it is also much
// cheaper: a v1 cgroup mount costs the kernel milliseconds).
import { lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { MS_BIND, MS_RDONLY, MS_REC, MS_REMOUNT } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { cgroupsOf, hierarchyKey } from '../cgroups/hierarchies.js';
import { type MountInfo, readMountInfo } from './mountinfo.js';

const HOST_CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * `onTarget` runs a step on the destination through a freshly opened descriptor of it, resolved
 * inside the rootfs (see rootfs.ts); the hierarchies go into the new tmpfs, each reached below
 * such a descriptor, never by a path from the host's root.
 */
export function mountCgroups(
  flags: number,
  ownNamespace: boolean,
  libc: Libc,
  onTarget: (step: (path: string) => void) => void,
): void {
  const mounts = readMountInfo();
  const root = mounts.filter((m) => m.mountPoint === HOST_CGROUP_ROOT).at(-1);
  if (root?.fsType === 'cgroup2') {
    if (ownNamespace) onTarget((path) => libc.mount('cgroup2', path, 'cgroup2', flags, null));
    else bindReadOnly(`${HOST_CGROUP_ROOT}${cgroupPathOf(root, cgroupsOf('self'))}`, onTarget, flags, libc);
    return;
  }
  onTarget((path) => libc.mount('tmpfs', path, 'tmpfs', flags & ~MS_RDONLY, 'mode=755'));
  const own = cgroupsOf('self');
  for (const hierarchy of mounts.filter((m) => m.mountPoint.startsWith(`${HOST_CGROUP_ROOT}/`) && hierarchyKey(m) !== undefined)) {
    const name = basename(hierarchy.mountPoint);
    onTarget((path) => mkdirSync(`${path}/${name}`, { recursive: true }));
    const onDir = (step: (path: string) => void) => onTarget((path) => step(`${path}/${name}`));
    if (!ownNamespace) {
      bindReadOnly(`${hierarchy.mountPoint}${cgroupPathOf(hierarchy, own)}`, onDir, flags, libc);
    } else if (hierarchy.fsType === 'cgroup2') {
      onDir((dir) => libc.mount('cgroup2', dir, 'cgroup2', flags, null));
    } else {
      onDir((dir) => libc.mount('cgroup', dir, 'cgroup', flags, hierarchyKey(hierarchy)!));
    }
  }
  for (const name of readdirSync(HOST_CGROUP_ROOT)) {
    const hostPath = `${HOST_CGROUP_ROOT}/${name}`;
    if (lstatSync(hostPath).isSymbolicLink()) onTarget((path) => symlinkSync(readlinkSync(hostPath), `${path}/${name}`));
  }
  if (flags & MS_RDONLY) onTarget((path) => libc.mount(null, path, null, MS_REMOUNT | flags, null));
}

function bindReadOnly(source: string, onTarget: (step: (path: string) => void) => void, flags: number, libc: Libc): void {
  onTarget((path) => libc.mount(source, path, null, MS_BIND | MS_REC, null));
  if (flags & MS_RDONLY) onTarget((path) => libc.mount(null, path, null, MS_BIND | MS_REMOUNT | flags, null));
}

/** The path of init's cgroup within a hierarchy ("" for its root). */
function cgroupPathOf(hierarchy: MountInfo, own: Map<string, string>): string {
  const path = own.get(hierarchyKey(hierarchy)!) ?? '/';
  return path === '/' ? '' : path;
}
