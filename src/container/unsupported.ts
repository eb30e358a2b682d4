// Security settings runts cannot apply (yet, or on this host). Running without them would run
// the container less confined than its config asks, so asking for them is an error, not
// something to ignore.
import { existsSync, readFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';
import type { Config, Process } from '../spec/config.js';
import { planSeccomp } from '../spec/seccomp.js';

/** The kernel says Y here when AppArmor is the (or a) security module in force. */
const APPARMOR_ENABLED = '/sys/module/apparmor/parameters/enabled';

/** There when SELinux is on and its file system mounted (enforcing or permissive). */
const SELINUX_ENFORCE = '/sys/fs/selinux/enforce';

function isSelinuxEnabled(): boolean {
  return existsSync(SELINUX_ENFORCE);
}

function isAppArmorEnabled(): boolean {
  try {
    return readFileSync(APPARMOR_ENABLED, 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
}

export function checkProcessSupported(process: Process | undefined, where: string, base = '/process'): void {
  if (process?.apparmorProfile && !isAppArmorEnabled()) {
    throw new RuntsError(`${where}: ${base}/apparmorProfile: AppArmor is not enabled on this host (${APPARMOR_ENABLED})`);
  }
  if (process?.selinuxLabel && !isSelinuxEnabled()) {
    throw new RuntsError(`${where}: ${base}/selinuxLabel: SELinux is not enabled on this host (${SELINUX_ENFORCE} is missing)`);
  }
}

export function checkConfigSupported(config: Config, file: string): void {
  checkProcessSupported(config.process, file);
  if (config.linux?.mountLabel && !isSelinuxEnabled()) {
    throw new RuntsError(`${file}: /linux/mountLabel: SELinux is not enabled on this host (${SELINUX_ENFORCE} is missing)`);
  }
  // What runts cannot load (a user-space listener, unknown flags) fails here, before anything starts.
  if (config.linux?.seccomp) planSeccomp(config.linux.seccomp, `${file}: /linux/seccomp`);
}
