// The container's root filesystem, set up by `runts init` inside the new mount namespace
// (runc's rootfs_linux.go): propagation, the rootfs bind, config.json's mounts in order, /dev,
// pivot_root, then masked and read-only paths. Runs before anything of the container runs, so
// only the rootfs's own content (symlinks) is hostile: every destination is resolved inside it.
import { closeSync, existsSync, openSync, readlinkSync, statSync } from 'node:fs';
import { constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { MNT_DETACH, MS_BIND, MS_MOVE, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC, MS_REMOUNT, MS_SLAVE } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';
import type { Config, Mount } from '../spec/config.js';
import { mountCgroups } from './cgroup-mount.js';
import { createDevices, isHostDevBound } from './devices.js';
import { isBindMount, parseMountOptions, rootPropagationFlags } from '../spec/mount-options.js';
import { mountContaining, readMountInfo } from './mountinfo.js';
import { withMountLabel } from './security-labels.js';
import { fillTmpfs, openCovered } from './tmpfs.js';
import { InRoot } from './in-root.js';

export interface RootfsPlan {
  config: Config;
  /** The rootfs on the host, absolute. */
  rootfs: string;
  /** The bundle on the host: relative bind sources are relative to it. */
  bundle: string;
  noPivot: boolean;
  /** Runs after the mounts, before the root switch (hooks: createRuntime, createContainer). */
  beforeRootSwitch: () => void;
}

/** Everything up to and including the switch to the new root. */
export function prepareRootfs(plan: RootfsPlan, libc: Libc): void {
  const { config, rootfs } = plan;
  // Nothing done below may propagate back to the host: the namespace's copy of every mount
  // becomes a slave (it still receives the host's mounts, it sends none). Copies of shared host
  // mounts are peers of the host's own, so runts never makes them shared: rootfsPropagation is
  // applied to the container's root after the switch (finishRootfs), a peer group of its own.
  // The rootfs's parent mount is made private too, which pivot_root requires.
  libc.mount(null, '/', null, MS_SLAVE | MS_REC, null);
  makeParentMountPrivate(rootfs, libc);
  libc.mount(rootfs, rootfs, null, MS_BIND | MS_REC, null);

  // Every path inside the rootfs is resolved and created relative to it from now on.
  const root = new InRoot(rootfs, libc);
  try {
    for (const mount of config.mounts ?? []) mountEntry(mount, plan, root, libc);
    // A /dev bound from the host already has its devices; a fresh one gets runc's set.
    if (!isHostDevBound(config.mounts ?? [])) createDevices(root, config.linux?.devices ?? [], libc);
    // process.cwd is created now, while the root is still writable (root.readonly comes later).
    if (config.process?.cwd) createDirectory(root, config.process.cwd);
  } finally {
    root.close();
  }

  plan.beforeRootSwitch();
  if (plan.noPivot) moveRoot(rootfs, libc);
  else pivotRoot(rootfs, libc);
}

/** What follows the switch: masked paths, read-only paths, a read-only root. */
export function finishRootfs(config: Config, libc: Libc): void {
  const propagation = rootPropagationFlags(config.linux?.rootfsPropagation);
  if (propagation !== undefined) libc.mount(null, '/', null, propagation, null);
  for (const path of config.linux?.readonlyPaths ?? []) readonlyPath(path, libc);
  for (const path of config.linux?.maskedPaths ?? []) maskPath(path, libc);
  if (config.root?.readonly) libc.mount(null, '/', null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
}

function makeParentMountPrivate(rootfs: string, libc: Libc): void {
  const parent = mountContaining(readMountInfo(), rootfs);
  if (parent?.optional.some((field) => field.startsWith('shared:'))) libc.mount(null, parent.mountPoint, null, MS_PRIVATE, null);
}

function mountEntry(mount: Mount, plan: RootfsPlan, root: InRoot, libc: Libc): void {
  const options = parseMountOptions(mount.options);
  const bind = isBindMount(mount);
  const source = bind ? resolve(plan.bundle, mount.source ?? '') : (mount.source ?? mount.type ?? 'none');
  let sourceIsDirectory = true;
  if (bind) {
    try {
      sourceIsDirectory = statSync(source).isDirectory();
    } catch (err) {
      throw RuntsError.wrap(`mount ${mount.destination}: bind source ${source}`, err);
    }
  }
  // As runc: proc and sysfs only on an ordinary directory; through a symlink, the masked and
  // read-only paths below them could be made to point anywhere.
  if (mount.type === 'proc' || mount.type === 'sysfs') {
    const kind = root.kindOf(mount.destination);
    if (kind !== undefined && kind !== 'directory') {
      throw new RuntsError(`mount ${mount.type} on ${mount.destination}: it is ${kind === 'symlink' ? 'a symlink' : 'not a directory'} in the rootfs; ${mount.type} must be mounted on an ordinary directory`);
    }
  }
  createMountPoint(root, mount.destination, sourceIsDirectory);
  // Each step opens the target afresh: a descriptor opened before a mount names the mount
  // point underneath, and a remount through it would change that mount (the rootfs) instead.
  const onTarget = <T>(step: (procPath: string) => T): T => withVerifiedTarget(root, mount.destination, step);
  if (bind) {
    onTarget((path) => libc.mount(source, path, null, options.flags & (MS_BIND | MS_REC), null));
    // A bind ignores every other flag: they take a remount of the new mount.
    const remountFlags = options.flags & ~(MS_BIND | MS_REC);
    if (remountFlags !== 0) onTarget((path) => libc.mount(null, path, null, MS_BIND | MS_REMOUNT | remountFlags, null));
  } else if (mount.type === 'cgroup') {
    const ownNamespace = (plan.config.linux?.namespaces ?? []).some((namespace) => namespace.type === 'cgroup');
    mountCgroups(options.flags, ownNamespace, libc, onTarget);
  } else {
    const data = withMountLabel(options.data, mount.type, plan.config.linux?.mountLabel);
    const covered = mount.type === 'tmpfs' ? onTarget(openCovered) : undefined;
    // A read-only tmpfs is filled first and made read-only after, as runc does.
    const flags = covered ? options.flags & ~MS_RDONLY : options.flags;
    try {
      onTarget((path) => libc.mount(source, path, mount.type ?? null, flags, data || null));
    } catch (err) {
      if (covered) closeSync(covered.fd);
      throw err;
    }
    if (covered) {
      onTarget((path) => fillTmpfs(covered, path, options.data, options.copyUp, libc));
      if (flags !== options.flags) onTarget((path) => libc.mount(null, path, null, MS_REMOUNT | options.flags, data || null));
    }
  }
  for (const propagation of options.propagation) onTarget((path) => libc.mount(null, path, null, propagation, null));
  const recursive = options.recursive;
  if (recursive) onTarget((path) => libc.mountSetattr(path, recursive.set, recursive.clear));
}

function createDirectory(root: InRoot, path: string): void {
  try {
    closeSync(root.makeDirectories(path));
  } catch (err) {
    throw RuntsError.wrap(`create ${path} in ${root.rootfs}`, err);
  }
}

/** Creates the destination inside the rootfs (a directory, or a file to bind a file on). */
function createMountPoint(root: InRoot, destination: string, directory: boolean): void {
  try {
    if (directory) closeSync(root.makeDirectories(destination));
    else root.makeFile(destination);
  } catch (err) {
    throw RuntsError.wrap(`create mount point ${destination} in ${root.rootfs}`, err);
  }
}

/**
 * Runs `mountOn` with /proc/self/fd/N of the destination resolved inside the rootfs by the
 * kernel (in-root.ts). Mounting on that path mounts on that inode, whatever happens to the
 * name meanwhile. The rootfs itself is refused: it is the container's root, not a mount point.
 */
function withVerifiedTarget<T>(root: InRoot, destination: string, mountOn: (procPath: string) => T): T {
  let fd: number;
  try {
    fd = root.open(destination);
  } catch (err) {
    throw RuntsError.wrap(`open mount point ${destination} in ${root.rootfs}`, err);
  }
  try {
    const procPath = `/proc/self/fd/${fd}`;
    const real = readlinkSync(procPath);
    if (real === root.rootfs) throw new RuntsError(`mount destination ${destination} is the container's root itself; refusing to mount there`);
    if (!real.startsWith(`${root.rootfs}/`)) {
      throw new RuntsError(`mount point ${destination} resolves to ${real}, outside the rootfs ${root.rootfs}; refusing to mount there`);
    }
    return mountOn(procPath);
  } finally {
    closeSync(fd);
  }
}

/** runc's pivot: pivot_root(".", ".") stacks the old root on the new one, then detach it. */
function pivotRoot(rootfs: string, libc: Libc): void {
  const oldRoot = openSync('/', constants.O_DIRECTORY | constants.O_RDONLY);
  const newRoot = openSync(rootfs, constants.O_DIRECTORY | constants.O_RDONLY);
  try {
    libc.fchdir(newRoot);
    libc.pivotRoot('.', '.');
    libc.fchdir(oldRoot);
    // The old root must not propagate the unmount to the host.
    libc.mount(null, '.', null, MS_SLAVE | MS_REC, null);
    libc.umount2('.', MNT_DETACH);
  } finally {
    closeSync(oldRoot);
    closeSync(newRoot);
  }
  libc.chdir('/');
}

/** --no-pivot: move the rootfs over / and chroot (for filesystems where pivot_root fails). */
function moveRoot(rootfs: string, libc: Libc): void {
  libc.chdir(rootfs);
  libc.mount(rootfs, '/', null, MS_MOVE, null);
  libc.chroot('.');
  libc.chdir('/');
}

function readonlyPath(path: string, libc: Libc): void {
  if (!isAbsolute(path) || !existsSync(path)) return;
  libc.mount(path, path, null, MS_BIND | MS_REC, null);
  // A remount sets every per-mount flag anew: those not given are cleared. As runc, the bind
  // keeps the nosuid, nodev and noexec of the mount it copies (/proc's, for /proc/sys).
  const kept = libc.mountFlags(path) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
  libc.mount(null, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | kept, null);
}

/** A masked directory gets an empty read-only tmpfs; a masked file gets /dev/null. */
function maskPath(path: string, libc: Libc): void {
  let directory: boolean;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    return; // Nothing there to mask.
  }
  if (directory) libc.mount('tmpfs', path, 'tmpfs', MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
  else libc.mount('/dev/null', path, null, MS_BIND, null);
}
