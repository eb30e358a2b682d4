// What a tmpfs takes from the directory it covers, as runc does: its mode, when the options set
// none (a /tmp of mode 1777, or with setgid bits, stays so), and with tmpcopyup its contents.
// The covered directory is opened before the mount and read through that descriptor after it:
// the tmpfs hides it from every path, not from the descriptor.
import { chmodSync, closeSync, constants, copyFileSync, fstatSync, lchownSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';

export interface CoveredDirectory {
  fd: number;
  mode: number;
}

/** Opens the mount point a tmpfs is about to cover, through the checked descriptor path of it (rootfs.ts). */
export function openCovered(target: string): CoveredDirectory {
  let fd: number;
  try {
    fd = openSync(target, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (err) {
    throw RuntsError.wrap(`open tmpfs mount point ${target}`, err);
  }
  return { fd, mode: fstatSync(fd).mode & 0o7777 };
}

/**
 * Gives the new tmpfs at `tmpfsRoot` the covered directory's mode unless `data` sets one, and
 * with `copyUp` a copy of its contents (owners and modes kept, symlinks copied as links, never
 * followed). Closes the covered directory.
 */
export function fillTmpfs(covered: CoveredDirectory, tmpfsRoot: string, data: string, copyUp: boolean, libc: Libc): void {
  try {
    if (!data.split(',').some((option) => option.startsWith('mode='))) chmodSync(tmpfsRoot, covered.mode);
    if (copyUp) copyTree(`/proc/self/fd/${covered.fd}`, tmpfsRoot, libc);
  } catch (err) {
    throw RuntsError.wrap(`fill the tmpfs at ${tmpfsRoot} from what it covers`, err);
  } finally {
    closeSync(covered.fd);
  }
}

function copyTree(from: string, to: string, libc: Libc): void {
  for (const name of readdirSync(from)) {
    const source = `${from}/${name}`;
    const target = `${to}/${name}`;
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) {
      symlinkSync(readlinkSync(source), target);
    } else if (stat.isDirectory()) {
      mkdirSync(target);
      copyTree(source, target, libc);
    } else if (stat.isFile()) {
      copyFileSync(source, target);
    } else {
      // Devices, FIFOs and sockets, as they are.
      libc.mknod(target, stat.mode, BigInt(stat.rdev));
    }
    lchownSync(target, stat.uid, stat.gid);
    if (!stat.isSymbolicLink()) chmodSync(target, stat.mode & 0o7777);
  }
}
