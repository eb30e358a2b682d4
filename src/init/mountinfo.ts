// /proc/self/mountinfo (proc(5)): which mount holds a path, its propagation, its type.
import { readFileSync } from 'node:fs';

export interface MountInfo {
  /** The path within its filesystem that is mounted ("/" unless a bind of a part of it). */
  root: string;
  mountPoint: string;
  /** Optional fields: "shared:N", "master:N"... */
  optional: string[];
  fsType: string;
  source: string;
  superOptions: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040...). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function parseMountInfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const separator = fields.indexOf('-');
    if (separator < 6) continue;
    mounts.push({
      root: unescape(fields[3]!),
      mountPoint: unescape(fields[4]!),
      optional: fields.slice(6, separator),
      fsType: fields[separator + 1]!,
      source: unescape(fields[separator + 2]!),
      superOptions: fields[separator + 3] ?? '',
    });
  }
  return mounts;
}

export function readMountInfo(): MountInfo[] {
  return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
}

/** The mount that contains `path` (the last-mounted of the longest matching mount points). */
export function mountContaining(mounts: MountInfo[], path: string): MountInfo | undefined {
  let best: MountInfo | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const contains = point === '/' || path === point || path.startsWith(`${point}/`);
    if (contains && (!best || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}
