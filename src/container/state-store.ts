// The state store: one directory per container under the root (default /run/runts), holding
// state.json. Three rules make concurrent runts processes safe on one id:
//
// - A container comes into being whole: its directory is prepared under a temporary name (with
//   `~`, which no id can contain) and renamed into place with RENAME_NOREPLACE, so two creates
//   of one id cannot both succeed and nobody ever sees a directory without its state.json.
// - Every change happens under flock(2) on the container directory; a process that waited for
//   the lock checks that the directory still has a link (a concurrent delete may have won).
// - state.json is replaced atomically (write a temporary file, rename it over the old one), so
//   readers without the lock see the old or the new record, never half of one. There is no
//   fsync: the state describes processes that a crash or reboot ends too (runc does not sync
//   either).
import { closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { libc as realLibc, type Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';
import { validateContainerRecord } from '../../spec-schemas/validators.js';
import type { ContainerRecord } from '../spec/state.js';
import { checkShape } from '../spec/validate.js';
import { checkContainerId, isValidContainerId } from './id.js';

export const DEFAULT_ROOT = '/run/runts';
const STATE_FILE = 'state.json';

/** A container whose lock the caller holds, for the duration of a callback. */
/** A container whose state.json is there but cannot be read as a record (truncated, garbage...). */
export class CorruptState extends RuntsError {
  constructor(
    message: string,
    /** What the file holds, for what can still be salvaged from it (salvage.ts). */
    readonly text: string,
  ) {
    super(message);
  }
}

export interface LockedContainer {
  readonly id: string;
  readonly dir: string;
  /** The record; a CorruptState error if state.json cannot be read as one. */
  read(): ContainerRecord;
  write(record: ContainerRecord): void;
  /** Removes the container's directory and everything in it. */
  remove(): void;
}

export class StateStore {
  constructor(
    readonly root: string,
    private readonly libc: () => Libc = realLibc,
  ) {}

  containerDir(id: string): string {
    return join(this.root, checkContainerId(id));
  }

  exists(id: string): boolean {
    try {
      return statSync(join(this.containerDir(id), STATE_FILE)).isFile();
    } catch {
      return false;
    }
  }

  /** Reads a container's record without the lock (the record is always replaced whole). */
  read(id: string): ContainerRecord {
    const dir = this.containerDir(id);
    let text: string;
    try {
      text = readFileSync(join(dir, STATE_FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(id);
      throw RuntsError.wrap(`read state of container ${JSON.stringify(id)}`, err);
    }
    return parseRecord(text, join(dir, STATE_FILE));
  }

  /**
   * The init process a container's record names, read as stored, without the schema's check
   * (its first use compiles the record's validator, on the way to exec's early start of
   * init). For a guess only (prelaunch.ts): the command reads the record again with read().
   */
  peekInit(id: string): { pid: number; startTime: number | undefined } | undefined {
    const { pid, initStartTime } = JSON.parse(readFileSync(join(this.containerDir(id), STATE_FILE), 'utf8')) as { pid?: unknown; initStartTime?: unknown };
    if (!Number.isInteger(pid)) return undefined;
    return { pid: pid as number, startTime: Number.isInteger(initStartTime) ? (initStartTime as number) : undefined };
  }

  /** The ids of all containers in the root, sorted; a missing root holds none. */
  list(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw RuntsError.wrap(`list state root ${this.root}`, err);
    }
    return names.filter((name) => isValidContainerId(name) && this.exists(name)).sort();
  }

  /** The uid that owns a container's state directory (runc reports it as the owner). */
  ownerUid(id: string): number {
    return statSync(this.containerDir(id)).uid;
  }

  /**
   * Creates a container with its first record and runs `during` with its lock held (until the
   * promise it returns settles); fails if the id is taken. If `during` fails, the container is
   * removed again.
   */
  async create<T>(record: ContainerRecord, during: (container: LockedContainer) => T | Promise<T>): Promise<T> {
    const id = checkContainerId(record.id);
    const finalDir = join(this.root, id);
    this.ensureRoot();
    this.sweepAbandonedCreations();
    // Unique, not secret (the rename refuses to replace): no node:crypto to load.
    const unique = Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
    const preparing = join(this.root, `~creating-${id}-${process.pid}-${unique}`);
    mkdirSync(preparing, { mode: 0o711 });
    let fd: number | undefined;
    try {
      fd = openSync(preparing, constants.O_RDONLY | constants.O_DIRECTORY);
      this.libc().lockExclusive(fd, `lock new container ${JSON.stringify(id)}`);
      writeAtomically(preparing, STATE_FILE, serialize(record));
      try {
        this.libc().renameNoReplace(preparing, finalDir, `create state directory ${finalDir}`);
      } catch (err) {
        if (err instanceof RuntsError && (err.errno === 'EEXIST' || err.errno === 'ENOTEMPTY')) throw this.taken(id);
        throw err;
      }
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(preparing, { recursive: true, force: true });
      throw err;
    }
    const container = this.locked(id, finalDir);
    try {
      return await during(container);
    } catch (err) {
      container.remove();
      throw err;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Refuses an id that is taken now, before a create starts anything for it; create() checks
   * again, under the lock.
   */
  checkFree(id: string): void {
    if (this.exists(id)) throw this.taken(id);
  }

  private taken(id: string): RuntsError {
    return new RuntsError(`container ${JSON.stringify(id)} already exists (in ${this.root})`, { errno: 'EEXIST' });
  }

  /** Runs `fn` holding the container's lock; waits for a concurrent holder to finish. */
  withLock<T>(id: string, fn: (container: LockedContainer) => T): T {
    const dir = this.containerDir(id);
    let fd: number;
    try {
      fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(id);
      throw RuntsError.wrap(`open state directory ${dir}`, err);
    }
    try {
      this.libc().lockExclusive(fd, `lock container ${JSON.stringify(id)}`);
      // A delete that held the lock before us has unlinked the directory we opened.
      if (fstatSync(fd).nlink === 0) throw notFound(id);
      return fn(this.locked(id, dir));
    } finally {
      closeSync(fd);
    }
  }

  /** Applies `change` to a container's record under its lock and stores the result. */
  update(id: string, change: (record: ContainerRecord) => ContainerRecord): ContainerRecord {
    return this.withLock(id, (container) => {
      const next = change(container.read());
      container.write(next);
      return next;
    });
  }

  private locked(id: string, dir: string): LockedContainer {
    return {
      id,
      dir,
      read: () => this.read(id),
      write: (record) => writeAtomically(dir, STATE_FILE, serialize(record)),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  }

  /**
   * Removes what creates that died before their rename left behind: a `~creating-` directory
   * whose process is gone. (One whose pid now names another process is left; it is harmless.)
   */
  private sweepAbandonedCreations(): void {
    for (const name of readdirSync(this.root)) {
      const match = /^~creating-.+-(\d+)-[0-9a-f]{8}$/.exec(name);
      if (match && !existsSync(`/proc/${match[1]}`)) rmSync(join(this.root, name), { recursive: true, force: true });
    }
  }

  private ensureRoot(): void {
    try {
      mkdirSync(this.root, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw RuntsError.wrap(`create state root ${this.root}`, err);
    }
  }
}

function notFound(id: string): RuntsError {
  return new RuntsError(`container ${JSON.stringify(id)} does not exist`, { errno: 'ENOENT' });
}

function serialize(record: ContainerRecord): string {
  return JSON.stringify(record);
}

function parseRecord(text: string, path: string): ContainerRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CorruptState(`${path}: corrupt state: ${text === '' ? 'empty' : (err as Error).message}`, text);
  }
  try {
    return checkShape<ContainerRecord>(validateContainerRecord, value, `${path}: corrupt state`);
  } catch (err) {
    throw new CorruptState((err as Error).message, text);
  }
}

/** Replaces dir/name with `data` so that readers see the old or the new file, whole. */
export function writeAtomically(dir: string, name: string, data: string): void {
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
    try {
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw RuntsError.wrap(`write ${target}`, err);
  }
}
