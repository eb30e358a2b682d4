// The rules of config.md and config-linux.md that a JSON Schema cannot express. Each problem is
// reported like a schema error: the JSON path of the field and what is wrong with it.
import { isAbsolute } from 'node:path';
import type { Config } from './config.js';
import { COPY_UP_OPTION, PROPAGATION_NAMES } from './mount-options.js';
import { majorOf } from './version.js';

export interface SemanticProblem {
  path: string;
  message: string;
}

export function checkSemantics(config: Config): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const mustBeAbsolute = (path: string, value: string | undefined) => {
    if (value !== undefined && !isAbsolute(value)) report(path, `must be an absolute path, not ${JSON.stringify(value)}`);
  };

  const major = majorOf(config.ociVersion);
  if (major === undefined) report('/ociVersion', `must be a SemVer 2.0.0 version, not ${JSON.stringify(config.ociVersion)}`);
  else if (major !== 1) report('/ociVersion', `major version ${major} is not supported (runts reads 1.x)`);

  // config.md: root is REQUIRED on every platform but Windows' Hyper-V containers.
  if (!config.root) report('/root', 'is required on Linux');

  config.mounts?.forEach((mount, i) => {
    mustBeAbsolute(`/mounts/${i}/destination`, mount.destination);
    const copyUp = mount.options?.indexOf(COPY_UP_OPTION) ?? -1;
    if (copyUp !== -1 && mount.type !== 'tmpfs') report(`/mounts/${i}/options/${copyUp}`, `${COPY_UP_OPTION} fills a tmpfs, and this mount is of type ${JSON.stringify(mount.type)}`);
  });

  const process = config.process;
  if (process) {
    mustBeAbsolute('/process/cwd', process.cwd);
    // config.md extends POSIX: on Linux at least one entry in args is REQUIRED.
    if (!process.args || process.args.length === 0) report('/process/args', 'must hold at least the program to run');
    const seen = new Map<string, number>();
    process.rlimits?.forEach((rlimit, i) => {
      // config.md: duplicated rlimit types MUST be an error.
      const first = seen.get(rlimit.type);
      if (first !== undefined) report(`/process/rlimits/${i}/type`, `${rlimit.type} is already set by /process/rlimits/${first}`);
      else seen.set(rlimit.type, i);
      if (rlimit.soft > rlimit.hard) report(`/process/rlimits/${i}/soft`, `must not exceed hard (${rlimit.hard})`);
    });
  }

  for (const [name, hooks] of Object.entries(config.hooks ?? {})) {
    if (!Array.isArray(hooks)) continue;
    hooks.forEach((hook, i) => mustBeAbsolute(`/hooks/${name}/${i}/path`, (hook as { path: string }).path));
  }

  const linux = config.linux;
  if (linux) {
    const namespaceIndex = new Map<string, number>();
    linux.namespaces?.forEach((namespace, i) => {
      // config-linux.md: duplicated namespace types MUST be an error.
      const first = namespaceIndex.get(namespace.type);
      if (first !== undefined) report(`/linux/namespaces/${i}/type`, `${namespace.type} is already listed at /linux/namespaces/${first}`);
      else namespaceIndex.set(namespace.type, i);
      mustBeAbsolute(`/linux/namespaces/${i}/path`, namespace.path);
    });

    const userNamespace = linux.namespaces?.find((namespace) => namespace.type === 'user');
    const hasMappings = (linux.uidMappings?.length ?? 0) > 0 || (linux.gidMappings?.length ?? 0) > 0;
    if (hasMappings && !userNamespace) {
      report(linux.uidMappings?.length ? '/linux/uidMappings' : '/linux/gidMappings', 'needs a user namespace in /linux/namespaces');
    }
    if (userNamespace && !userNamespace.path && !(linux.uidMappings?.length && linux.gidMappings?.length)) {
      report('/linux/namespaces', 'a new user namespace needs /linux/uidMappings and /linux/gidMappings');
    }
    if (linux.timeOffsets && !namespaceIndex.has('time')) report('/linux/timeOffsets', 'needs a time namespace in /linux/namespaces');

    linux.devices?.forEach((device, i) => {
      mustBeAbsolute(`/linux/devices/${i}/path`, device.path);
      // config-linux.md: major and minor are REQUIRED unless the type is p (a FIFO).
      if (device.type !== 'p' && (device.major === undefined || device.minor === undefined)) {
        report(`/linux/devices/${i}`, `a device of type ${device.type} needs major and minor`);
      }
    });

    // The spec names shared, slave, private and unbindable; runc accepts the r forms too.
    if (linux.rootfsPropagation !== undefined && !PROPAGATION_NAMES.includes(linux.rootfsPropagation)) {
      report('/linux/rootfsPropagation', `must be one of ${PROPAGATION_NAMES.join(', ')}`);
    }
    linux.maskedPaths?.forEach((path, i) => mustBeAbsolute(`/linux/maskedPaths/${i}`, path));
    linux.readonlyPaths?.forEach((path, i) => mustBeAbsolute(`/linux/readonlyPaths/${i}`, path));
    mustBeAbsolute('/linux/seccomp/listenerPath', linux.seccomp?.listenerPath);
  }
  return problems;
}
