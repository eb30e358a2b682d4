// SELinux: process.selinuxLabel is the context the program runs in, linux.mountLabel the
// context of the file systems mounted for the container. As with AppArmor, the process label is
// set for init's next execve (/proc/thread-self/attr/exec), so runts itself never runs in it.
import { writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';

export function applySelinuxLabel(label: string): void {
  let lastError: unknown;
  for (const file of ['/proc/thread-self/attr/exec', '/proc/self/attr/exec']) {
    try {
      writeFileSync(file, label);
      return;
    } catch (err) {
      lastError = err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
  throw RuntsError.wrap(`apply SELinux label ${JSON.stringify(label)}`, lastError);
}

/** Mount types that take no context= option (runc's list): the kernel labels them itself. */
const UNLABELED_TYPES = new Set(['proc', 'sysfs', 'mqueue', 'cgroup', 'cgroup2']);

/** Mount data with the context= option of linux.mountLabel added, for the types that take it. */
export function withMountLabel(data: string, type: string | undefined, mountLabel: string | undefined): string {
  if (!mountLabel || (type !== undefined && UNLABELED_TYPES.has(type))) return data;
  const context = `context="${mountLabel}"`;
  return data ? `${data},${context}` : context;
}
