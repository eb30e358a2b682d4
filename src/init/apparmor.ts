// process.apparmorProfile: the AppArmor profile the program runs under. init asks the kernel to
// switch to it at its next execve (change_onexec), so that runts itself is never confined by
// the container's profile and the program is from its first instruction.
import { writeFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';

/** Where a thread names its profile for its next exec: per thread (Linux 5.8+), else the older shared file. */
const EXEC_ATTRIBUTES = ['/proc/thread-self/attr/apparmor/exec', '/proc/self/attr/exec'];

export function applyAppArmorProfile(profile: string): void {
  let lastError: unknown;
  for (const file of EXEC_ATTRIBUTES) {
    try {
      // Written from the main thread, the one that will execve (Node's fs calls run on it).
      writeFileSync(file, `exec ${profile}`);
      return;
    } catch (err) {
      lastError = err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') break;
    }
  }
  throw RuntsError.wrap(`apply AppArmor profile ${JSON.stringify(profile)}`, lastError);
}
