// Reading the JSON files runts is handed (config.json, exec's process.json, update's
// resources), with bounds: a path may name anything, and reading a device (/dev/zero) or a
// FIFO would never end, or never begin.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { RuntsError } from '../errors.js';
import { sleepSync } from '../sleep.js';

/**
 * The largest file runts reads as JSON. Real configs are far smaller (a full default seccomp
 * profile with hundreds of mounts and variables stays under a mebibyte); the bound only keeps a
 * mistaken or hostile file from taking the memory and time of the whole machine.
 */
export const MAX_JSON_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The text of `path`, which must be a regular file (a symlink to one is followed) of at most
 * MAX_JSON_FILE_BYTES. A FIFO is opened without blocking, so that it is refused at once too.
 * System errors are thrown as they come, for the caller to say which file it was reading.
 */
export function readJsonFileText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RuntsError(`not a regular file but ${kindOf(stat)}`);
    if (stat.size > MAX_JSON_FILE_BYTES) throw tooLarge();
    // Bounded again as it is read: the file may grow meanwhile.
    return readBounded(fd);
  } finally {
    closeSync(fd);
  }
}

/** Bytes read at a time: a config is a few kilobytes, so most take one read. */
const READ_CHUNK = 64 * 1024;

/** The text on descriptor `fd` (a pipe, such as stdin) up to its end, at most MAX_JSON_FILE_BYTES. */
export function readBounded(fd: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, MAX_JSON_FILE_BYTES + 1 - total));
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      // A non-blocking pipe with nothing in it yet: wait for the writer.
      sleepSync(1);
      continue;
    }
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > MAX_JSON_FILE_BYTES) throw tooLarge();
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = () => new RuntsError(`larger than the ${MAX_JSON_FILE_BYTES / 1024 / 1024} MiB runts reads as JSON`);

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
