// The live OCI state of a container: the stored record, with the status derived from the init
// process (runtime.md: once the process has exited, the status is "stopped") and from the
// freezer of its cgroup (paused).
import { isFrozen } from '../cgroups/manager.js';
import { passwdEntry } from '../passwd.js';
import type { ContainerRecord, State } from '../spec/state.js';
import { isSameProcessAlive } from './process-info.js';

/** The status now: stopped once init is gone, paused while the cgroup is frozen. */
export function liveStatus(record: ContainerRecord): State['status'] {
  if (record.status === 'stopped' || record.pid === undefined) return record.status;
  if (!isSameProcessAlive(record.pid, record.initStartTime)) return 'stopped';
  if (record.status === 'running' && record.cgroup && isFrozen(record.cgroup)) return 'paused';
  return record.status;
}

/** The state as `runts state` prints it (runc's fields, in runc's order). */
export function ociState(record: ContainerRecord, owner: string): State {
  const status = liveStatus(record);
  return {
    ociVersion: record.ociVersion,
    id: record.id,
    // runc prints pid 0 once the container has stopped.
    pid: status === 'stopped' ? 0 : (record.pid ?? 0),
    status,
    bundle: record.bundle,
    rootfs: record.rootfs,
    created: record.created,
    owner,
    ...(record.annotations ? { annotations: record.annotations } : {}),
  };
}

/** The name of a uid from /etc/passwd, or the number when it has none (as runc's list). */
export function userName(uid: number): string {
  return passwdEntry(uid)?.name ?? String(uid);
}
