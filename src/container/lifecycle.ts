// start, kill and delete of an existing container (runtime.md "Operations"), each under the
// container's lock so that concurrent runts processes see one order of events.
import { closeSync, constants, openSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Libc } from '../../ffi/libc.js';
import { RuntsError } from '../errors.js';
import { runHooksWarning } from '../hooks.js';
import type { Logger } from '../log.js';
import type { ContainerRecord } from '../spec/state.js';
import { EXEC_FIFO } from './create.js';
import { isSameProcessAlive, processesInPidNamespaceOf } from './process-info.js';
import { killAndWait, signalProcess } from './signal-process.js';
import { salvageRecord } from './salvage.js';
import { CorruptState, type LockedContainer, type StateStore } from './state-store.js';
import { liveStatus, ociState } from './status.js';
import { sleepSync } from '../sleep.js';
import { cgroupProcesses, destroyContainerCgroup, setFrozen } from '../cgroups/manager.js';

const SIGKILL = 9;

/** runtime.md start: runs the user program of a created container, then the poststart hooks. */
export function startContainer(store: StateStore, id: string, log: Logger): ContainerRecord {
  const running = store.withLock(id, (container) => {
    const record = container.read();
    const status = liveStatus(record);
    if (status !== 'created') throw new RuntsError(`cannot start container ${JSON.stringify(id)}: it is ${status}, not created`);
    const fifo = join(container.dir, EXEC_FIFO);
    try {
      releaseInit(fifo, record);
    } finally {
      rmSync(fifo, { force: true });
    }
    const started: ContainerRecord = { ...record, status: 'running' };
    container.write(started);
    return started;
  });
  // runtime.md: a failing poststart hook is a warning; the container runs on. The hooks get the
  // state of the container as it was started: a program that has already exited must not make
  // it "stopped" with no pid.
  runHooksWarning('poststart', running.hooks?.poststart, { ...ociState(running, ''), status: 'running', pid: running.pid }, (message) => log.warn(message));
  return running;
}

/**
 * Opens the exec fifo for reading, which lets init's blocked open for writing return; init then
 * writes one byte and execs. Non-blocking, so that an init that died cannot hang start.
 */
function releaseInit(fifo: string, record: ContainerRecord): void {
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const byte = Buffer.alloc(1);
    /** One byte from the fifo, or undefined when there is none yet. */
    const readByte = (): string | undefined => {
      try {
        return readSync(fd, byte, 0, 1, null) === 1 ? byte.toString() : undefined;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw RuntsError.wrap(`read exec fifo ${fifo}`, err);
        return undefined;
      }
    };
    for (;;) {
      // An init found dead may have written its byte and run a short program to its end
      // since the last read: the fifo is read once more before that counts as a failure.
      const alive = isSameProcessAlive(record.pid!, record.initStartTime);
      const got = readByte();
      if (got === '0') return;
      if (got !== undefined) throw new RuntsError(`start container ${JSON.stringify(record.id)}: ${readRest(fd, record)}`);
      if (!alive) throw new RuntsError(`cannot start container ${JSON.stringify(record.id)}: its init process exited`);
      sleepSync(1);
    }
  } finally {
    closeSync(fd);
  }
}

/** The error init wrote after its failure byte, up to its end of the fifo closing. */
function readRest(fd: number, record: ContainerRecord): string {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(4096);
  for (;;) {
    try {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, read)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') break;
      if (!isSameProcessAlive(record.pid!, record.initStartTime)) break;
      sleepSync(1);
    }
  }
  return Buffer.concat(chunks).toString() || 'the container init failed';
}

/** The init's pid of a container whose init is alive (created, running or paused). */
function liveInitPid(record: ContainerRecord): number {
  if (liveStatus(record) === 'stopped' || record.pid === undefined) throw new RuntsError(`container ${JSON.stringify(record.id)} is not running`);
  return record.pid;
}

/**
 * runtime.md kill: sends a signal to the container's init (or, with all, to every process).
 * A paused container is thawed after SIGKILL, as runc does: frozen processes would not die.
 */
export function killContainer(store: StateStore, id: string, signal: number, all: boolean, libc: Libc): void {
  const record = store.read(id);
  const initPid = liveInitPid(record);
  const paused = liveStatus(record) === 'paused';
  if (all) {
    for (const pid of processesOf(record, initPid)) signalProcess(pid, undefined, signal, libc);
  }
  if (!signalProcess(initPid, record.initStartTime, signal, libc) && !all) {
    throw new RuntsError(`container ${JSON.stringify(id)} is not running`);
  }
  if (paused && signal === SIGKILL) setFrozen(record.cgroup!, false);
}

/** The host pids of a container's processes, ascending (`ps`). */
export function containerProcesses(store: StateStore, id: string): number[] {
  const record = store.read(id);
  // As runc: a stopped container has no processes, which is not an error.
  if (liveStatus(record) === 'stopped' || record.pid === undefined) return [];
  return processesOf(record, record.pid).sort((a, b) => a - b);
}

/**
 * A container's processes: those in the cgroup runts made for it, or (in a cgroup it shares
 * with others) those in its pid namespace.
 */
function processesOf(record: ContainerRecord, initPid: number): number[] {
  return record.cgroup?.created.length ? cgroupProcesses(record.cgroup) : processesInPidNamespaceOf(initPid);
}

/** pause/resume: freezes or thaws every process of a running container. */
export function setContainerPaused(store: StateStore, id: string, paused: boolean): void {
  store.withLock(id, (container) => {
    const record = container.read();
    const status = liveStatus(record);
    const wanted = paused ? 'running' : 'paused';
    if (status !== wanted) throw new RuntsError(`cannot ${paused ? 'pause' : 'resume'} container ${JSON.stringify(id)}: it is ${status}, not ${wanted}`);
    if (!record.cgroup) throw new RuntsError(`cannot ${paused ? 'pause' : 'resume'} container ${JSON.stringify(id)}: it has no cgroup`);
    setFrozen(record.cgroup, paused);
  });
}

/**
 * runtime.md delete: removes a stopped container (--force, or a created one, is killed first),
 * then runs the poststop hooks, whose failures only warn.
 */
export function deleteContainer(store: StateStore, id: string, force: boolean, libc: Libc, log: Logger): void {
  // As runc: `delete --force` of a container that is already gone succeeds, quietly.
  // containerd's shim cleans up with it after a delete that already happened.
  if (force) {
    store.containerDir(id); // An invalid id is an error all the same.
    if (!store.exists(id)) return;
  }
  const removed = store.withLock(id, (container) => {
    let record: ContainerRecord;
    try {
      record = container.read();
    } catch (err) {
      if (!(force && err instanceof CorruptState)) throw err;
      removeBroken(container, err, libc, log);
      return undefined;
    }
    const status = liveStatus(record);
    // runc deletes a created container without --force: its program never ran.
    if ((status === 'running' || status === 'paused') && !force) {
      throw new RuntsError(`cannot delete container ${JSON.stringify(id)} that is not stopped: ${status} (use --force)`);
    }
    if (status === 'paused') setFrozen(record.cgroup!, false);
    if (status !== 'stopped' && record.pid !== undefined && !killAndWait(record.pid, record.initStartTime, libc)) {
      throw new RuntsError(`delete container ${JSON.stringify(id)}: its init ${record.pid} did not exit after SIGKILL`);
    }
    // Whatever is left in the cgroup runts made is the container's, and goes with it.
    if (record.cgroup) destroyContainerCgroup(record.cgroup, libc);
    container.remove();
    return record;
  });
  if (removed) runHooksWarning('poststop', removed.hooks?.poststop, { ...ociState(removed, ''), status: 'stopped' }, (message) => log.warn(message));
}

/**
 * delete --force of a container whose record cannot be read: its init and cgroups, as far as
 * what is left of the record (or the id's default cgroup) names them (salvage.ts), then its
 * state. What cannot be found is said; its poststop hooks are unknown and do not run.
 */
function removeBroken(container: LockedContainer, corrupt: CorruptState, libc: Libc, log: Logger): void {
  const salvaged = salvageRecord(container.id, corrupt.text);
  const name = JSON.stringify(container.id);
  log.warn(`${corrupt.message}: removing what can still be found of container ${name} (its poststop hooks, if any, do not run)`);
  if (salvaged.pid !== undefined && salvaged.initStartTime !== undefined) {
    if (!killAndWait(salvaged.pid, salvaged.initStartTime, libc)) throw new RuntsError(`delete container ${name}: its init ${salvaged.pid} did not exit after SIGKILL`);
  }
  if (salvaged.cgroup) {
    if (salvaged.cgroupFrom === 'default') log.warn(`container ${name}: its cgroup is taken to be the one its id names by default: ${Object.values(salvaged.cgroup.paths).join(', ')}`);
    destroyContainerCgroup(salvaged.cgroup, libc);
  } else {
    log.warn(`container ${name}: no cgroup of it could be found${salvaged.initStartTime === undefined ? ' nor its init' : ''}: whatever of it still runs is left`);
  }
  container.remove();
}
