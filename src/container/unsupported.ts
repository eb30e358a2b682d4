// Security settings runts cannot apply (yet, or on this host). Running without them would run
// the container less confined than its config asks, so asking for them is an error, not
// something to ignore. (runts features reports SELinux and seccomp as disabled.)
import { readFileSync } from 'node:fs';
import { RuntsError } from '../errors.js';
import type { Config, Process } from '../spec/config.js';

/** The kernel says Y here when AppArmor is the (or a) security module in force. */
const APPARMOR_ENABLED = '/sys/module/apparmor/parameters/enabled';

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
  if (process?.selinuxLabel) throw new RuntsError(`${where}: ${base}/selinuxLabel: SELinux labels are not supported by runts yet`);
}

export function checkConfigSupported(config: Config, file: string): void {
  checkProcessSupported(config.process, file);
  if (config.linux?.mountLabel) throw new RuntsError(`${file}: /linux/mountLabel: SELinux labels are not supported by runts yet`);
  if (config.linux?.seccomp) throw new RuntsError(`${file}: /linux/seccomp: seccomp filters are not supported by runts yet`);
}
