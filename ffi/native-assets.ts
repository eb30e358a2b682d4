// Native files carried inside the executable (ffi/embedded.ts) and loaded from it.
//
// A process cannot dlopen or exec a file from memory, so each asset is written once into a
// private directory and loaded from there. Whoever can write that file could run code as root in
// every later runts process, so the directory must be ours alone: every component from / down is
// owned by root or by us and not writable by group or others (a sticky /tmp is acceptable only
// as an ancestor), and the bytes are compared with the asset before each load. The load goes
// through /proc/self/fd/N of the very descriptor whose bytes were compared, so nothing can swap
// the file between the check and the load. (The runtime opens every file close-on-exec, so none
// of these descriptors reaches a child.)
import { chmodSync, closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuntsError } from '../src/errors.js';
import { S_ISVTX } from './constants.js';

/** Where extracted assets live: tmpfs, so a reboot clears old versions. */
export function assetDirectory(): string {
  const euid = process.geteuid?.() ?? 0;
  if (euid === 0) return '/run/runts.native';
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  return runtimeDir ? join(runtimeDir, 'runts.native') : `/tmp/runts-${euid}.native`;
}

/** Where the copy of an asset lives. */
export function assetPath(name: string, version: string, top = assetDirectory()): string {
  return join(top, version, name);
}

/**
 * Returns an open, verified descriptor of `name` (content `bytes`, permissions `mode`) in the
 * asset directory, writing it first if needed. The caller loads it through `/proc/self/fd/<fd>`
 * and closes it. (A program that the container's user must run, such as nsexec's waiter, gets
 * 0555: exec through a descriptor needs the file's x bit, not the directory's.)
 */
export function openVerifiedAsset(name: string, version: string, bytes: Uint8Array, top = assetDirectory(), mode = 0o500): number {
  const dir = join(top, version);
  ensurePrivateDirectory(dir, top);
  const path = assetPath(name, version, top);
  let fd = tryOpenMatching(path, bytes, mode);
  if (fd !== undefined) return fd;
  // Missing or different (a partial write from a crashed run): write anew and rename into place.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes, { mode, flag: 'wx' });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
  fd = tryOpenMatching(path, bytes, mode);
  if (fd === undefined) throw new RuntsError(`native asset ${path}: content differs after writing it`);
  return fd;
}

/** Bytes compared at a time when an asset's copy is verified. */
const COMPARE_CHUNK = 64 * 1024;

function tryOpenMatching(path: string, bytes: Uint8Array, mode: number): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw RuntsError.wrap(`open native asset ${path}`, err);
  }
  try {
    const stat = fstatSync(fd);
    checkOwnership(path, stat, false);
    if (stat.isFile() && (stat.mode & 0o7777) === mode && stat.size === bytes.length && contentEquals(fd, bytes)) return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  closeSync(fd);
  return undefined;
}

/**
 * Compared a chunk at a time through one small buffer: reading koffi's module into a buffer of
 * its own size is slower (its fresh pages fault in one by one), and this runs before every
 * load, in the CLI and in every init.
 */
function contentEquals(fd: number, bytes: Uint8Array): boolean {
  const chunk = Buffer.allocUnsafe(Math.min(COMPARE_CHUNK, bytes.length));
  for (let offset = 0; offset < bytes.length; ) {
    const read = readSync(fd, chunk, 0, Math.min(chunk.length, bytes.length - offset), offset);
    if (read === 0 || !chunk.subarray(0, read).equals(bytes.subarray(offset, offset + read))) return false;
    offset += read;
  }
  return true;
}

function ensurePrivateDirectory(dir: string, top: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw RuntsError.wrap(`create native asset directory ${dir}`, err);
  }
  // Walk from the directory up to /: the directory and its runts-made parents must be ours and
  // private; system ancestors must be root's and, unless sticky, not writable by others.
  for (let current = dir; ; current = dirname(current)) {
    const stat = lstatSync(current);
    if (!stat.isDirectory()) throw new RuntsError(`native asset directory ${current}: not a directory`);
    checkOwnership(current, stat, !current.startsWith(top));
    if (current === '/') break;
  }
}

function checkOwnership(path: string, stat: { uid: number; mode: number }, isAncestor: boolean): void {
  const euid = process.geteuid?.() ?? 0;
  if (stat.uid !== euid && stat.uid !== 0) {
    throw new RuntsError(`native asset path ${path}: owned by uid ${stat.uid}, not by root or uid ${euid}; refusing to load code from it`);
  }
  const sticky = (stat.mode & S_ISVTX) !== 0;
  if ((stat.mode & 0o022) !== 0 && !(isAncestor && sticky)) {
    throw new RuntsError(`native asset path ${path}: writable by group or others (mode ${(stat.mode & 0o7777).toString(8)}); refusing to load code from it`);
  }
}
