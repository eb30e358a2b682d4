// `runts update`: new limits for a live container, applied to its cgroup and recorded. As runc
// does, the given fields are merged into the limits in force and the result is applied whole
// (so that v1's memory and memory+swap limits are written in an order the kernel accepts).
import type { Libc } from '../../ffi/libc.js';
import { applyResources } from '../cgroups/manager.js';
import { RuntsError } from '../errors.js';
import type { Resources } from '../spec/config.js';
import type { StateStore } from './state-store.js';
import { liveStatus } from './status.js';

export function updateContainer(store: StateStore, id: string, changes: Resources, libc: Libc): void {
  store.withLock(id, (container) => {
    const record = container.read();
    const status = liveStatus(record);
    if (status === 'stopped') throw new RuntsError(`cannot update container ${JSON.stringify(id)}: it is stopped`);
    if (!record.cgroup?.created.length) throw new RuntsError(`cannot update container ${JSON.stringify(id)}: it has no cgroup of its own`);
    if (changes.devices) throw new RuntsError('update: the device rules of a live container cannot be changed (linux.resources.devices)');
    const merged = mergeResources(record.cgroup.resources ?? {}, unlimitedSwapWithMemory(changes));
    const { devices, ...withoutDevices } = merged;
    applyResources(record.cgroup, withoutDevices, libc);
    container.write({ ...record, cgroup: { ...record.cgroup, resources: { ...withoutDevices, ...(devices ? { devices } : {}) } } });
  });
}

/**
 * As runc: a memory limit lifted (-1) without a word on swap lifts the memory+swap limit too;
 * the one in force would otherwise stay below it, which the kernel refuses.
 */
function unlimitedSwapWithMemory(changes: Resources): Resources {
  const memory = changes.memory;
  if (memory?.limit !== -1 || memory.swap !== undefined) return changes;
  return { ...changes, memory: { ...memory, swap: -1 } };
}

/** The recorded limits with `changes` laid over them, one level deep (memory.limit replaces memory.limit only). */
export function mergeResources(current: Resources, changes: Resources): Resources {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    const before = merged[key];
    const isPlainObject = (candidate: unknown) => candidate !== null && typeof candidate === 'object' && !Array.isArray(candidate);
    merged[key] = isPlainObject(value) && isPlainObject(before) && key !== 'rdma' && key !== 'unified' ? { ...(before as object), ...(value as object) } : value;
  }
  return merged as Resources;
}
