// `runts events`: runc's event stream for a container. `--stats` prints one stats event; without
// it, a stats event every interval and an oom event whenever the kernel OOM-kills in the
// container's cgroup, until the container stops.
import { oomKillCount, readCgroupStats, statsJson } from '../cgroups/stats.js';
import { RuntsError } from '../errors.js';
import type { ContainerRecord } from '../spec/state.js';
import type { StateStore } from './state-store.js';
import { liveStatus } from './status.js';

/** How often the stream looks for OOM kills and for the container's end. */
const POLL_MS = 100;

/** One stats event of a live container (`events --stats`). */
export function statsEvent(record: ContainerRecord): string {
  if (liveStatus(record) === 'stopped') throw new RuntsError(`container ${JSON.stringify(record.id)} is not running`);
  if (!record.cgroup) throw new RuntsError(`container ${JSON.stringify(record.id)} has no cgroup`);
  return statsLine(record.id, record.cgroup);
}

function statsLine(id: string, cgroup: NonNullable<ContainerRecord['cgroup']>): string {
  return statsJson({ type: 'stats', id, data: { ...readCgroupStats(cgroup), intel_rdt: {}, network_interfaces: null } });
}

/** Streams events to `print` until the container stops. */
export async function streamEvents(store: StateStore, id: string, intervalMs: number, print: (line: string) => void): Promise<void> {
  const record = store.read(id);
  // The first event, and a clear error for a stopped container or one without a cgroup.
  print(statsEvent(record));
  const cgroup = record.cgroup!;
  let ooms = oomKillCount(cgroup);
  let nextStats = Date.now() + intervalMs;
  while (liveStatus(record) !== 'stopped') {
    const now = oomKillCount(cgroup);
    if (now > ooms) print(JSON.stringify({ type: 'oom', id }));
    ooms = now;
    if (Date.now() >= nextStats) {
      // The container may stop meanwhile: its counters then read as absent, never as an error.
      print(statsLine(id, cgroup));
      nextStats = Date.now() + intervalMs;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
