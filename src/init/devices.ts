// /dev inside the container: runc's default device nodes, linux.devices, and the symlinks
// programs expect (/dev/fd, /dev/stdin..., /dev/ptmx → pts/ptmx).
import { chmodSync, chownSync, closeSync, constants, existsSync, fstatSync, lstatSync, openSync, symlinkSync, unlinkSync } from 'node:fs';
import { O_PATH, S_IFBLK, S_IFCHR, S_IFIFO } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';
import type { Mount } from '../spec/config.js';
import { isBindMount } from '../spec/mount-options.js';
import { type InRoot, parentAndName } from './in-root.js';

export interface DeviceNode {
  path: string;
  type: 'c' | 'b' | 'u' | 'p';
  major?: number | undefined;
  minor?: number | undefined;
  fileMode?: number | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
}

/** The devices every container gets (config-linux.md "Default Devices"). */
export const DEFAULT_DEVICES: DeviceNode[] = [
  { path: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666 },
  { path: '/dev/zero', type: 'c', major: 1, minor: 5, fileMode: 0o666 },
  { path: '/dev/full', type: 'c', major: 1, minor: 7, fileMode: 0o666 },
  { path: '/dev/random', type: 'c', major: 1, minor: 8, fileMode: 0o666 },
  { path: '/dev/urandom', type: 'c', major: 1, minor: 9, fileMode: 0o666 },
  { path: '/dev/tty', type: 'c', major: 5, minor: 0, fileMode: 0o666 },
];

/** True when config.json binds the host's /dev (then its nodes are already there). */
export function isHostDevBound(mounts: Mount[]): boolean {
  return mounts.some((mount) => mount.destination.replace(/\/+$/, '') === '/dev' && isBindMount(mount));
}

/** glibc's makedev(). */
export function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}

const TYPE_BITS = { c: S_IFCHR, u: S_IFCHR, b: S_IFBLK, p: S_IFIFO };

export function createDevices(root: InRoot, configured: DeviceNode[], libc: Libc): void {
  const byPath = new Map<string, DeviceNode>();
  for (const device of [...DEFAULT_DEVICES, ...configured]) byPath.set(device.path, device);
  for (const device of byPath.values()) createDevice(root, device, libc);
  createDevSymlinks(root);
}

/**
 * The node is made by name in its directory, opened inside the rootfs (in-root.ts); its owner
 * and mode are set through a descriptor of what was made, checked to be a device, so that a
 * name swapped meanwhile can never lead a chmod or chown elsewhere.
 */
function createDevice(root: InRoot, device: DeviceNode, libc: Libc): void {
  const [parent, name] = parentAndName(device.path);
  const dir = root.makeDirectories(parent);
  try {
    const path = `/proc/self/fd/${dir}/${name}`;
    if (lstatSync(path, { throwIfNoEntry: false })) unlinkSync(path);
    const permissions = (device.fileMode ?? 0o666) & 0o7777;
    libc.mknod(path, TYPE_BITS[device.type] | permissions, makedev(device.major ?? 0, device.minor ?? 0));
    const node = openSync(path, O_PATH | constants.O_NOFOLLOW);
    try {
      const stat = fstatSync(node);
      if (!stat.isCharacterDevice() && !stat.isBlockDevice() && !stat.isFIFO()) throw new RuntsError(`device ${device.path} was replaced while it was made`);
      // mknod applies the umask: set the mode the config asked for.
      chmodSync(`/proc/self/fd/${node}`, permissions);
      chownSync(`/proc/self/fd/${node}`, device.uid ?? 0, device.gid ?? 0);
    } finally {
      closeSync(node);
    }
  } catch (err) {
    throw RuntsError.wrap(`create device ${device.path}`, err);
  } finally {
    closeSync(dir);
  }
}

function createDevSymlinks(root: InRoot): void {
  const devFd = root.makeDirectories('/dev');
  const dev = `/proc/self/fd/${devFd}`;
  try {
    const links: [string, string][] = [
      ['/proc/self/fd', 'fd'],
      ['/proc/self/fd/0', 'stdin'],
      ['/proc/self/fd/1', 'stdout'],
      ['/proc/self/fd/2', 'stderr'],
    ];
    if (existsSync('/proc/kcore')) links.push(['/proc/kcore', 'core']);
    // With a devpts instance of its own, /dev/ptmx must be that instance's ptmx.
    if (existsSync(`${dev}/pts/ptmx`)) links.push(['pts/ptmx', 'ptmx']);
    for (const [target, name] of links) {
      const path = `${dev}/${name}`;
      try {
        if (lstatSync(path, { throwIfNoEntry: false })) unlinkSync(path);
        symlinkSync(target, path);
      } catch (err) {
        throw RuntsError.wrap(`symlink /dev/${name}`, err);
      }
    }
  } finally {
    closeSync(devFd);
  }
}
