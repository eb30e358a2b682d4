// Opening and creating paths inside the container's rootfs relative to a descriptor of it, with
// the kernel resolving every path as if the rootfs were / (openat2's RESOLVE_IN_ROOT): no symlink
// or `..` leads out of it, even one swapped in while runts works (CVE-2024-45310 class: a rootfs
// sharing a volume with another container can change under init between a check and a call).
// Creations name one new component in a directory already opened this way, through
// /proc/self/fd/N/NAME, which mkdir and an exclusive create never follow.
import { closeSync, constants, lstatSync, mkdirSync, openSync, readlinkSync, writeFileSync } from 'node:fs';
import { O_PATH } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';

/** As the kernel's limit on symlinks followed in one path. */
const MAX_SYMLINKS = 40;

export class InRoot {
  /** The rootfs's directory (O_PATH), opened once it is the mount the container will see. */
  private readonly fd: number;

  constructor(
    readonly rootfs: string,
    private readonly libc: Libc,
  ) {
    this.fd = openSync(rootfs, O_PATH | constants.O_DIRECTORY);
  }

  close(): void {
    closeSync(this.fd);
  }

  /** A descriptor of `path` (absolute, as the container will see it), resolved inside the rootfs. */
  open(path: string, flags = O_PATH): number {
    return this.libc.openInRoot(this.fd, relative(path), flags);
  }

  /**
   * mkdir -p of `path` inside the rootfs; returns an O_PATH descriptor of it. A symlink on the
   * way whose target is missing has its target made (inside the rootfs), as a path resolved
   * there would lead.
   */
  makeDirectories(path: string, links = 0): number {
    const components = relative(path).split('/').filter((component) => component !== '' && component !== '.');
    let dir = this.open('/', O_PATH | constants.O_DIRECTORY);
    try {
      for (let i = 0; i < components.length; i++) {
        const prefix = components.slice(0, i + 1).join('/');
        let next: number;
        try {
          next = this.open(prefix, O_PATH | constants.O_DIRECTORY);
        } catch (err) {
          if (!(err instanceof RuntsError && err.errno === 'ENOENT')) throw err;
          const link = this.danglingLink(dir, components[i]!, components.slice(0, i).join('/'), links);
          if (link !== undefined) {
            closeSync(dir);
            dir = -1;
            return this.makeDirectories(`${link}/${components.slice(i + 1).join('/')}`, links + 1);
          }
          try {
            mkdirSync(`/proc/self/fd/${dir}/${components[i]}`, { mode: 0o755 });
          } catch (made) {
            // Made by someone else meanwhile: it is resolved again below, inside the rootfs.
            if ((made as NodeJS.ErrnoException).code !== 'EEXIST') throw made;
          }
          next = this.open(prefix, O_PATH | constants.O_DIRECTORY);
        }
        closeSync(dir);
        dir = next;
      }
      return dir;
    } catch (err) {
      if (dir !== -1) closeSync(dir);
      throw err;
    }
  }

  /**
   * Where the symlink `name` in `dir` (the directory at `parent`) leads, as a path inside the
   * rootfs, if `name` is a symlink; undefined if it is not.
   */
  private danglingLink(dir: number, name: string, parent: string, links: number): string | undefined {
    const entry = `/proc/self/fd/${dir}/${name}`;
    if (!lstatSync(entry, { throwIfNoEntry: false })?.isSymbolicLink()) return undefined;
    if (links >= MAX_SYMLINKS) throw new RuntsError(`resolve ${name} in ${this.rootfs}: too many levels of symbolic links (ELOOP)`, { errno: 'ELOOP' });
    const target = readlinkSync(entry);
    return target.startsWith('/') ? target : `/${parent}/${target}`;
  }

  /** What `path`'s last component is inside the rootfs, not following it: undefined if it is missing. */
  kindOf(path: string): 'directory' | 'symlink' | 'other' | undefined {
    const [parent, name] = parentAndName(path);
    const dir = this.makeDirectories(parent);
    try {
      const stat = lstatSync(`/proc/self/fd/${dir}/${name}`, { throwIfNoEntry: false });
      if (!stat) return undefined;
      return stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : 'other';
    } finally {
      closeSync(dir);
    }
  }

  /** Makes `path` an empty file inside the rootfs unless something is there already (a file to bind a file on). */
  makeFile(path: string, links = 0): void {
    const [parent, name] = parentAndName(path);
    if (name === '' || name === '.' || name === '..') throw new RuntsError(`${path}: not a file name`);
    const dir = this.makeDirectories(parent);
    let link: string | undefined;
    try {
      writeFileSync(`/proc/self/fd/${dir}/${name}`, '', { flag: 'wx', mode: 0o644 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A symlink to a missing file: the file it names is made.
      link = this.danglingLink(dir, name, relative(parent), links);
      if (link !== undefined && this.exists(link)) link = undefined;
    } finally {
      closeSync(dir);
    }
    if (link !== undefined) this.makeFile(link, links + 1);
  }

  private exists(path: string): boolean {
    try {
      closeSync(this.open(path));
      return true;
    } catch (err) {
      if (err instanceof RuntsError && err.errno === 'ENOENT') return false;
      throw err;
    }
  }
}

/** `path`'s parent directory and last component ("/a/b" → "/a", "b"). */
export function parentAndName(path: string): [string, string] {
  const at = path.lastIndexOf('/');
  return [path.slice(0, at) || '/', path.slice(at + 1)];
}

/** `path` relative to the root ("." for the root itself). */
function relative(path: string): string {
  const stripped = path.replace(/^\/+/, '');
  return stripped === '' ? '.' : stripped;
}
