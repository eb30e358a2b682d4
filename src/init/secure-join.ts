// Resolving a container path inside the rootfs without ever leaving it.
//
// A rootfs is untrusted: /etc could be a symlink to /host/etc, or `../../..`. Mount
// destinations, device paths and the like are resolved here component by component, the way
// the kernel would resolve them if the rootfs were `/`: an absolute symlink restarts at the
// rootfs, `..` stops at the rootfs. The result is a host path that is inside the rootfs and has
// no symlink in its existing part (the rest does not exist yet and is created by the caller).
import { lstatSync, readlinkSync } from 'node:fs';
import { RuntsError } from '../errors.js';

/** The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINKS = 40;

export interface FileSystemView {
  lstat(path: string): { isSymbolicLink(): boolean } | undefined;
  readlink(path: string): string;
}

const realFileSystem: FileSystemView = {
  lstat(path) {
    try {
      return lstatSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
  },
  readlink: (path) => readlinkSync(path),
};

/** `root` joined with `unsafePath`, with every symlink resolved as if `root` were `/`. */
export function secureJoin(root: string, unsafePath: string, fs: FileSystemView = realFileSystem): string {
  const resolved: string[] = [];
  let pending = split(unsafePath);
  let links = 0;
  while (pending.length > 0) {
    const component = pending.shift()!;
    if (component === '..') {
      resolved.pop();
      continue;
    }
    const candidate = `${root}/${[...resolved, component].join('/')}`;
    const stat = fs.lstat(candidate);
    if (!stat?.isSymbolicLink()) {
      resolved.push(component);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new RuntsError(`resolve ${unsafePath} in ${root}: too many levels of symbolic links (ELOOP)`, { errno: 'ELOOP' });
    const target = fs.readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending = [...split(target), ...pending];
  }
  return resolved.length ? `${root}/${resolved.join('/')}` : root;
}

function split(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}
