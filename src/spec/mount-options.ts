// config.json mount options (mount(8) names, as runc reads them) turned into what the kernel
// takes: mount(2) flags to set and clear, propagation changes, mount_setattr(2) attributes for
// the recursive forms (rro, rnosuid...), and the rest joined as the filesystem's data string.
import {
  MS_BIND,
  MS_DIRSYNC,
  MS_I_VERSION,
  MS_LAZYTIME,
  MS_MANDLOCK,
  MS_NOATIME,
  MS_NODEV,
  MS_NODIRATIME,
  MS_NOEXEC,
  MS_NOSUID,
  MS_NOSYMFOLLOW,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_RELATIME,
  MS_REMOUNT,
  MS_SHARED,
  MS_SILENT,
  MS_SLAVE,
  MS_STRICTATIME,
  MS_SYNCHRONOUS,
  MS_UNBINDABLE,
} from '../../ffi/constants.js';
import type { Mount } from './config.js';

/** Options that set (clear: false) or clear (clear: true) a mount(2) flag. */
const FLAG_OPTIONS: Record<string, { flag: number; clear: boolean }> = {
  async: { flag: MS_SYNCHRONOUS, clear: true },
  atime: { flag: MS_NOATIME, clear: true },
  bind: { flag: MS_BIND, clear: false },
  defaults: { flag: 0, clear: false },
  dev: { flag: MS_NODEV, clear: true },
  diratime: { flag: MS_NODIRATIME, clear: true },
  dirsync: { flag: MS_DIRSYNC, clear: false },
  exec: { flag: MS_NOEXEC, clear: true },
  iversion: { flag: MS_I_VERSION, clear: false },
  lazytime: { flag: MS_LAZYTIME, clear: false },
  loud: { flag: MS_SILENT, clear: true },
  mand: { flag: MS_MANDLOCK, clear: false },
  noatime: { flag: MS_NOATIME, clear: false },
  nodev: { flag: MS_NODEV, clear: false },
  nodiratime: { flag: MS_NODIRATIME, clear: false },
  noexec: { flag: MS_NOEXEC, clear: false },
  noiversion: { flag: MS_I_VERSION, clear: true },
  nolazytime: { flag: MS_LAZYTIME, clear: true },
  nomand: { flag: MS_MANDLOCK, clear: true },
  norelatime: { flag: MS_RELATIME, clear: true },
  nostrictatime: { flag: MS_STRICTATIME, clear: true },
  nosuid: { flag: MS_NOSUID, clear: false },
  nosymfollow: { flag: MS_NOSYMFOLLOW, clear: false },
  rbind: { flag: MS_BIND | MS_REC, clear: false },
  relatime: { flag: MS_RELATIME, clear: false },
  remount: { flag: MS_REMOUNT, clear: false },
  ro: { flag: MS_RDONLY, clear: false },
  rw: { flag: MS_RDONLY, clear: true },
  silent: { flag: MS_SILENT, clear: false },
  strictatime: { flag: MS_STRICTATIME, clear: false },
  suid: { flag: MS_NOSUID, clear: true },
  symfollow: { flag: MS_NOSYMFOLLOW, clear: true },
  sync: { flag: MS_SYNCHRONOUS, clear: false },
};

const PROPAGATION_OPTIONS: Record<string, number> = {
  shared: MS_SHARED,
  slave: MS_SLAVE,
  private: MS_PRIVATE,
  unbindable: MS_UNBINDABLE,
  rshared: MS_SHARED | MS_REC,
  rslave: MS_SLAVE | MS_REC,
  rprivate: MS_PRIVATE | MS_REC,
  runbindable: MS_UNBINDABLE | MS_REC,
};

// <linux/mount.h> MOUNT_ATTR_*: applied to a whole tree with mount_setattr(AT_RECURSIVE).
export const MOUNT_ATTR_RDONLY = 0x1;
export const MOUNT_ATTR_NOSUID = 0x2;
export const MOUNT_ATTR_NODEV = 0x4;
export const MOUNT_ATTR_NOEXEC = 0x8;
export const MOUNT_ATTR__ATIME = 0x70;
export const MOUNT_ATTR_RELATIME = 0x0;
export const MOUNT_ATTR_NOATIME = 0x10;
export const MOUNT_ATTR_STRICTATIME = 0x20;
export const MOUNT_ATTR_NODIRATIME = 0x80;
export const MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

/** Recursive options: attributes to set and to clear on every mount of the tree. */
const RECURSIVE_OPTIONS: Record<string, { set: number; clear: number }> = {
  rro: { set: MOUNT_ATTR_RDONLY, clear: 0 },
  rrw: { set: 0, clear: MOUNT_ATTR_RDONLY },
  rnosuid: { set: MOUNT_ATTR_NOSUID, clear: 0 },
  rsuid: { set: 0, clear: MOUNT_ATTR_NOSUID },
  rnodev: { set: MOUNT_ATTR_NODEV, clear: 0 },
  rdev: { set: 0, clear: MOUNT_ATTR_NODEV },
  rnoexec: { set: MOUNT_ATTR_NOEXEC, clear: 0 },
  rexec: { set: 0, clear: MOUNT_ATTR_NOEXEC },
  rnodiratime: { set: MOUNT_ATTR_NODIRATIME, clear: 0 },
  rdiratime: { set: 0, clear: MOUNT_ATTR_NODIRATIME },
  rrelatime: { set: MOUNT_ATTR_RELATIME, clear: MOUNT_ATTR__ATIME },
  rnorelatime: { set: 0, clear: MOUNT_ATTR__ATIME },
  rnoatime: { set: MOUNT_ATTR_NOATIME, clear: MOUNT_ATTR__ATIME },
  ratime: { set: 0, clear: MOUNT_ATTR_NOATIME },
  rstrictatime: { set: MOUNT_ATTR_STRICTATIME, clear: MOUNT_ATTR__ATIME },
  rnostrictatime: { set: 0, clear: MOUNT_ATTR__ATIME },
  rnosymfollow: { set: MOUNT_ATTR_NOSYMFOLLOW, clear: 0 },
  rsymfollow: { set: 0, clear: MOUNT_ATTR_NOSYMFOLLOW },
};

/** The propagation names, valid as mount options and as linux.rootfsPropagation. */
export const PROPAGATION_NAMES = Object.keys(PROPAGATION_OPTIONS);

/** A bind mount: type "bind", or a bind or rbind option (runc accepts either). */
export function isBindMount(mount: Mount): boolean {
  return mount.type === 'bind' || (mount.options ?? []).some((option) => option === 'bind' || option === 'rbind');
}

/**
 * runc's extension for tmpfs: the new tmpfs starts with a copy of what the mount point held
 * (podman asks for it on /tmp, /var/tmp and /run with --read-only).
 */
export const COPY_UP_OPTION = 'tmpcopyup';

/** Every option name runts understands (features.json lists them). */
export const KNOWN_MOUNT_OPTIONS = [...Object.keys(FLAG_OPTIONS), ...Object.keys(PROPAGATION_OPTIONS), ...Object.keys(RECURSIVE_OPTIONS), COPY_UP_OPTION].sort();

export interface ParsedMountOptions {
  /** mount(2) flags to set. */
  flags: number;
  /** Propagation changes, each applied with its own mount(2) call, in order. */
  propagation: number[];
  /** mount_setattr(2) attributes for the whole tree, when a recursive option was given. */
  recursive: { set: number; clear: number } | undefined;
  /** Everything else, for the filesystem (e.g. "mode=755,size=65536k"). */
  data: string;
  /** tmpcopyup: fill the new tmpfs with what the mount point held. */
  copyUp: boolean;
}

export function parseMountOptions(options: readonly string[] = []): ParsedMountOptions {
  let flags = 0;
  const propagation: number[] = [];
  let recursive: { set: number; clear: number } | undefined;
  const data: string[] = [];
  let copyUp = false;
  for (const option of options) {
    if (option === COPY_UP_OPTION) {
      copyUp = true;
      continue;
    }
    const flag = FLAG_OPTIONS[option];
    if (flag) {
      flags = flag.clear ? flags & ~flag.flag : flags | flag.flag;
      continue;
    }
    const change = PROPAGATION_OPTIONS[option];
    if (change !== undefined) {
      propagation.push(change);
      continue;
    }
    const attr = RECURSIVE_OPTIONS[option];
    if (attr) {
      recursive ??= { set: 0, clear: 0 };
      recursive.set = (recursive.set & ~attr.clear) | attr.set;
      recursive.clear |= attr.clear;
      continue;
    }
    data.push(option);
  }
  return { flags, propagation, recursive, data: data.join(','), copyUp };
}

/** rootfsPropagation → the mount(2) flags applied to the container's `/`. */
export function rootPropagationFlags(value: string | undefined): number | undefined {
  return value === undefined ? undefined : PROPAGATION_OPTIONS[value];
}
