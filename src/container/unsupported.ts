// Security settings runts cannot apply yet. Running without them would run the container less
// confined than its config asks, so asking for them is an error, not something to ignore.
// (runts features reports AppArmor, SELinux and seccomp as disabled.)
import { RuntsError } from '../errors.js';
import type { Config, Process } from '../spec/config.js';

export function checkProcessSupported(process: Process | undefined, where: string, base = '/process'): void {
  if (process?.apparmorProfile) {
    throw new RuntsError(`${where}: ${base}/apparmorProfile: AppArmor profiles are not supported by runts yet`);
  }
  if (process?.selinuxLabel) throw new RuntsError(`${where}: ${base}/selinuxLabel: SELinux labels are not supported by runts yet`);
}

export function checkConfigSupported(config: Config, file: string): void {
  checkProcessSupported(config.process, file);
  if (config.linux?.mountLabel) throw new RuntsError(`${file}: /linux/mountLabel: SELinux labels are not supported by runts yet`);
  if (config.linux?.seccomp) throw new RuntsError(`${file}: /linux/seccomp: seccomp filters are not supported by runts yet`);
}
