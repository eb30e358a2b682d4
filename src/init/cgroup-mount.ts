// The `cgroup` mount type of config.json: what the container sees at /sys/fs/cgroup.
// On a unified host that is cgroup2; on a hybrid or legacy host (v1 controllers under
// /sys/fs/cgroup/<name>), runc's layout: a tmpfs holding one mount per hierarchy of the host,
// the host's comount symlinks (cpu -> cpu,cpuacct) and cgroup2 at unified/ when present.
// With a cgroup namespace, each hierarchy shows the container's own part.
import { lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { MS_RDONLY, MS_REMOUNT } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { readMountInfo } from './mountinfo.js';

const HOST_CGROUP_ROOT = '/sys/fs/cgroup';
/** Per-mount options of mountinfo's super options that are not controller names. */
const NOT_CONTROLLERS = new Set(['rw', 'ro']);

/**
 * `target` is the verified destination inside the rootfs, `onTarget` runs a mount call on it
 * through a freshly opened descriptor (see rootfs.ts); the v1 hierarchies go into the new tmpfs,
 * which nothing but runts can see yet.
 */
export function mountCgroups(target: string, flags: number, libc: Libc, onTarget: (step: (path: string) => void) => void): void {
  const mounts = readMountInfo();
  const root = mounts.filter((m) => m.mountPoint === HOST_CGROUP_ROOT).at(-1);
  if (root?.fsType === 'cgroup2') {
    onTarget((path) => libc.mount('cgroup2', path, 'cgroup2', flags, null));
    return;
  }
  onTarget((path) => libc.mount('tmpfs', path, 'tmpfs', flags & ~MS_RDONLY, 'mode=755'));
  for (const hierarchy of mounts.filter((m) => m.mountPoint.startsWith(`${HOST_CGROUP_ROOT}/`))) {
    const dir = `${target}/${basename(hierarchy.mountPoint)}`;
    mkdirSync(dir, { recursive: true });
    if (hierarchy.fsType === 'cgroup2') {
      libc.mount('cgroup2', dir, 'cgroup2', flags, null);
    } else if (hierarchy.fsType === 'cgroup') {
      const controllers = hierarchy.superOptions.split(',').filter((o) => !NOT_CONTROLLERS.has(o));
      libc.mount('cgroup', dir, 'cgroup', flags, controllers.join(','));
    }
  }
  for (const name of readdirSync(HOST_CGROUP_ROOT)) {
    const hostPath = `${HOST_CGROUP_ROOT}/${name}`;
    if (lstatSync(hostPath).isSymbolicLink()) symlinkSync(readlinkSync(hostPath), `${target}/${name}`);
  }
  if (flags & MS_RDONLY) onTarget((path) => libc.mount(null, path, null, MS_REMOUNT | flags, null));
}
