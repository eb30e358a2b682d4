// What `delete --force` can still learn about a container whose record cannot be read (a
// truncated, emptied or garbled state.json): its init and its cgroups, so that they go with it
// instead of being stranded.
//
// Only what the file still says, or the cgroup the id names by default, is trusted, and a cgroup
// only if it lies strictly inside a hierarchy and holds neither runts itself nor the host's pid 1:
// a garbled record must never make runts kill or remove what is not the container's.
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { cgroupsOf } from '../cgroups/hierarchies.js';
import { readCgroupLayout } from '../cgroups/layout.js';
import { cgroupProcesses, type ContainerCgroup, planContainerCgroup } from '../cgroups/manager.js';

export interface Salvaged {
  pid?: number | undefined;
  initStartTime?: number | undefined;
  cgroup?: ContainerCgroup | undefined;
  /** Where the cgroup came from: the record's text, or the id's default path. */
  cgroupFrom?: 'record' | 'default' | undefined;
}

/** What `text` (the unreadable state.json of container `id`) still tells. */
export function salvageRecord(id: string, text: string): Salvaged {
  const fields = fieldsOf(text);
  const fromRecord = safeCgroup(fields.cgroup);
  if (fromRecord) return { pid: fields.pid, initStartTime: fields.initStartTime, cgroup: fromRecord, cgroupFrom: 'record' };
  const fromDefault = safeCgroup(defaultCgroup(id));
  return { pid: fields.pid, initStartTime: fields.initStartTime, cgroup: fromDefault, cgroupFrom: fromDefault ? 'default' : undefined };
}

interface Fields {
  pid?: number | undefined;
  initStartTime?: number | undefined;
  cgroup?: ContainerCgroup | undefined;
}

/** The fields from a record that parses, or found in what is left of one that does not. */
function fieldsOf(text: string): Fields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Truncated or garbled: the fields that survive, each as the record writes it.
    const number = (name: string) => {
      const match = new RegExp(`"${name}":(\\d+)[,}]`).exec(text);
      return match ? Number(match[1]) : undefined;
    };
    return { pid: number('pid'), initStartTime: number('initStartTime'), cgroup: asCgroup(objectAfter(text, '"cgroup":')) };
  }
  const record = (value ?? {}) as { pid?: unknown; initStartTime?: unknown; cgroup?: unknown };
  return {
    pid: positiveInteger(record.pid),
    initStartTime: positiveInteger(record.initStartTime),
    cgroup: asCgroup(record.cgroup),
  };
}

/** The JSON object that follows `key` in `text`, if it is there whole. */
function objectAfter(text: string, key: string): unknown {
  const at = text.indexOf(key);
  if (at === -1) return undefined;
  let depth = 0;
  for (let end = at + key.length; end < text.length; end++) {
    if (text[end] === '{') depth++;
    else if (text[end] === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(at + key.length, end + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function asCgroup(value: unknown): ContainerCgroup | undefined {
  const cgroup = value as { paths?: unknown; created?: unknown } | undefined;
  if (typeof cgroup?.paths !== 'object' || cgroup.paths === null || !Array.isArray(cgroup.created)) return undefined;
  const paths = Object.entries(cgroup.paths);
  if (!paths.every(([, dir]) => typeof dir === 'string') || !cgroup.created.every((dir) => typeof dir === 'string')) return undefined;
  return { paths: Object.fromEntries(paths) as Record<string, string>, created: cgroup.created as string[] };
}

/** The cgroup a container without linux.cgroupsPath gets (see cgroups/path.ts): its existing leaves. */
function defaultCgroup(id: string): ContainerCgroup | undefined {
  let planned: ContainerCgroup;
  try {
    planned = planContainerCgroup(undefined, id, 'the default cgroup');
  } catch {
    return undefined;
  }
  const existing = Object.fromEntries(Object.entries(planned.paths).filter(([, dir]) => existsSync(dir)));
  const dirs = Object.values(existing);
  return dirs.length > 0 ? { paths: existing, created: dirs } : undefined;
}

/**
 * `cgroup` if every directory of it lies strictly inside one of this host's hierarchies, none is
 * runts's own cgroup or holds it, and none holds the host's pid 1.
 */
function safeCgroup(cgroup: ContainerCgroup | undefined): ContainerCgroup | undefined {
  if (!cgroup || cgroup.created.length === 0) return undefined;
  const layout = readCgroupLayout();
  const own = cgroupsOf('self');
  const ownDirs = layout.hierarchies.map((hierarchy) => posix.join(hierarchy.mountPoint, own.get(hierarchy.key) ?? '/'));
  const dirs = [...cgroup.created, ...Object.values(cgroup.paths)];
  const inside = (dir: string) =>
    posix.isAbsolute(dir) &&
    posix.normalize(dir) === dir &&
    layout.hierarchies.some((hierarchy) => dir.startsWith(`${hierarchy.mountPoint}/`));
  const holdsRunts = (dir: string) => ownDirs.some((ownDir) => ownDir === dir || ownDir.startsWith(`${dir}/`));
  if (!dirs.every((dir) => inside(dir) && !holdsRunts(dir))) return undefined;
  try {
    if (cgroupProcesses(cgroup).includes(1)) return undefined;
  } catch {
    // A directory that is gone holds nothing.
  }
  return cgroup;
}
