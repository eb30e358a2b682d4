// What /proc says about a process: whether a pid still names the process runts started.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), T... */
  state: string;
  /** Field 22: start time in clock ticks after boot; with the pid it names one process. */
  startTime: number;
}

/** Parses /proc/<pid>/stat, or returns undefined when the process does not exist. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStat(text);
}

export function parseProcStat(text: string): ProcStat {
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const afterName = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: afterName[0] ?? '?', startTime: Number(afterName[19]) };
}

/**
 * True when `pid` is alive and is the process that had `startTime` (a reused pid is another
 * process); a zombie has finished, so it is not alive.
 */
export function isSameProcessAlive(pid: number, startTime: number | undefined): boolean {
  const stat = readProcStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}

/**
 * The host pids of every process in the pid namespace of `pid` (when the container has one of
 * its own; otherwise only `pid`). Until cgroups arrive this is how `kill --all`
 * and `ps` find them.
 */
export function processesInPidNamespaceOf(pid: number): number[] {
  let namespace: string;
  try {
    namespace = readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return [];
  }
  if (namespace === readlinkSync('/proc/self/ns/pid')) return [pid];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((other) => {
      try {
        return readlinkSync(`/proc/${other}/ns/pid`) === namespace;
      } catch {
        return false;
      }
    });
}
