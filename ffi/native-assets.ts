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
import { chmodSync, closeSync, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  const isNew = ensurePrivateDirectory(dir, top);
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
  if (isNew) removeUnusedVersions(name, version, top);
  return fd;
}

/**
 * Removes the other versions of `name` (what earlier builds unpacked) that no live process uses:
 * none has a file of them mapped or is executing one. Done when a version is first unpacked,
 * so that the directory holds what is in use and not one copy per build ever run.
 */
function removeUnusedVersions(name: string, version: string, top = assetDirectory()): void {
  let others: string[];
  try {
    others = readdirSync(top).filter((entry) => entry !== version && existsSync(join(top, entry, name)));
  } catch {
    return;
  }
  if (others.length === 0) return;
  const used = filesInUse();
  for (const other of others) {
    const dir = join(top, other);
    if (![...used].some((file) => file.startsWith(`${dir}/`))) rmSync(dir, { recursive: true, force: true });
  }
}

/** The files live processes have mapped (shared libraries) or execute. */
function filesInUse(): Set<string> {
  const files = new Set<string>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      files.add(readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // Gone, or a kernel thread.
    }
    try {
      for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
        const at = line.indexOf('/');
        if (at !== -1) files.add(line.slice(at).replace(/ \(deleted\)$/, ''));
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return files;
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

/** Makes `dir` (and `top`) if missing and checks them; true if `dir` was made now. */
function ensurePrivateDirectory(dir: string, top: string): boolean {
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true, mode: 0o700 });
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
  return made !== undefined;
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
