// The security module settings of the program: process.apparmorProfile, process.selinuxLabel
// and linux.mountLabel. The profile or label is set for init's next execve (the per-thread
// exec attribute of /proc), so that the program is confined from its first instruction and
// runts itself never is.
import { writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';

/** Writes `value` to the first of `files` the kernel has (per thread since Linux 5.8, else per process). */
function setExecAttribute(files: string[], value: string, what: string): void {
  let lastError: unknown;
  for (const file of files) {
    try {
      // Written from the main thread, the one that will execve (the runtime's synchronous fs calls run on it).
      writeFileSync(file, value);
      return;
    } catch (err) {
      lastError = err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
  throw RuntsError.wrap(what, lastError);
}

export function applyAppArmorProfile(profile: string): void {
  setExecAttribute(['/proc/thread-self/attr/apparmor/exec', '/proc/self/attr/exec'], `exec ${profile}`, `apply AppArmor profile ${JSON.stringify(profile)}`);
}

export function applySelinuxLabel(label: string): void {
  setExecAttribute(['/proc/thread-self/attr/exec', '/proc/self/attr/exec'], label, `apply SELinux label ${JSON.stringify(label)}`);
}

/** Mount types that take no context= option (runc's list): the kernel labels them itself. */
const UNLABELED_TYPES = new Set(['proc', 'sysfs', 'mqueue', 'cgroup', 'cgroup2']);

/** Mount data with the context= option of linux.mountLabel added, for the types that take it. */
export function withMountLabel(data: string, type: string | undefined, mountLabel: string | undefined): string {
  if (!mountLabel || (type !== undefined && UNLABELED_TYPES.has(type))) return data;
  const context = `context="${mountLabel}"`;
  return data ? `${data},${context}` : context;
}
