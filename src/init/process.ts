// The container process's own settings (config.md "process"), applied by `runts init` after the
// root switch and before exec: limits, identity, capabilities, and finally execve.
//
// Order matters (as in runc's finalizeNamespace): what needs root comes first (rlimits,
// oom_score_adj, the cwd's creation), then the bounding set is cut, the user switched with
// PR_SET_KEEPCAPS so permitted capabilities survive, then the final capability sets are set.
import { readdirSync, writeFileSync } from 'node:fs';
import { CAPABILITY_NAMES, kernelCapabilities } from '../../ffi/capabilities.js';
import { PER_LINUX, PER_LINUX32, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, PR_CAPBSET_DROP, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, RLIMIT_NUMBERS, SIGPIPE, SIGXFSZ } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { describe, RuntsError } from '../errors.js';
import { passwdEntry } from '../passwd.js';
import type { Config, Process } from '../spec/config.js';
import { capabilityPlan } from './capabilities.js';

/** RLIM_INFINITY, which config.json writes as 18446744073709551615 (arriving as 2^64). */
const RLIM_INFINITY = 0xffffffffffffffffn;

const toRlim = (value: number): bigint => (value >= 2 ** 64 - 1 ? RLIM_INFINITY : BigInt(value));

/** Settings that need root: rlimits, oom_score_adj, personality. */
export function applyPrivilegedSettings(config: Config, process: Process, libc: Libc): void {
  for (const rlimit of process.rlimits ?? []) {
    const resource = RLIMIT_NUMBERS[rlimit.type];
    if (resource === undefined) throw new RuntsError(`process.rlimits: unknown type ${rlimit.type}`);
    try {
      libc.setrlimit(resource, toRlim(rlimit.soft), toRlim(rlimit.hard));
    } catch (err) {
      // Raising a hard limit needs CAP_SYS_RESOURCE; say which limit and values were refused.
      throw RuntsError.wrap(`process.rlimits: set ${rlimit.type} to soft ${rlimit.soft}, hard ${rlimit.hard}`, err);
    }
  }
  if (process.oomScoreAdj !== undefined) {
    try {
      writeFileSync('/proc/self/oom_score_adj', String(process.oomScoreAdj));
    } catch (err) {
      throw RuntsError.wrap('set process.oomScoreAdj', err);
    }
  }
  const personality = config.linux?.personality;
  if (personality) libc.personality(personality.domain === 'LINUX32' ? PER_LINUX32 : PER_LINUX);
}

/** Becomes the configured user with the configured capabilities. */
export function becomeUser(process: Process, libc: Libc, log: (level: 'debug' | 'warning', message: string) => void): void {
  const lastCap = kernelCapabilities().length - 1;
  const caps = capabilityPlan(process.capabilities, lastCap);
  if (caps.unknown.length) log('warning', `ignoring capabilities unknown to this kernel or to runts: ${caps.unknown.join(', ')}`);

  // As runc: the cwd is entered while init is still root, so that a directory only root can
  // reach works; refused for lack of permission, it is tried again as the user below (a
  // directory only that user can reach, such as a root-squashed network volume).
  let inCwd = false;
  try {
    libc.chdir(process.cwd);
    inCwd = true;
  } catch (err) {
    if (!(err instanceof RuntsError && (err.errno === 'EACCES' || err.errno === 'EPERM'))) throw err;
  }
  libc.prctl(PR_SET_KEEPCAPS, 1);
  for (let cap = 0; cap <= lastCap; cap++) {
    if ((caps.bounding & (1n << BigInt(cap))) === 0n) libc.prctl(PR_CAPBSET_DROP, cap);
  }
  const user = process.user ?? {};
  libc.setgroups(user.additionalGids ?? []);
  libc.setresgid(user.gid ?? 0);
  libc.setresuid(user.uid ?? 0);
  if (!inCwd) libc.chdir(process.cwd);
  libc.capset({ effective: caps.effective, permitted: caps.permitted, inheritable: caps.inheritable });
  libc.prctl(PR_SET_KEEPCAPS, 0);
  for (const cap of caps.ambient) {
    try {
      libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap);
    } catch (err) {
      // The kernel raises an ambient capability only if it is permitted and inheritable; runc
      // goes on quietly (its own default config asks for ambient without inheritable).
      log('debug', `ambient capability ${CAPABILITY_NAMES[cap]} not raised: ${describe(err)}`);
    }
  }
  if (user.umask !== undefined) globalThis.process.umask(user.umask);
  if (process.noNewPrivileges) libc.prctl(PR_SET_NO_NEW_PRIVS, 1);
}

/**
 * The environment of the container process: config's env, plus HOME from the container's
 * /etc/passwd (or /) when the config does not set it, and the socket activation variables
 * when descriptors came that way (the program is the namespace's pid 1), as runc does.
 */
export function processEnvironment(process: Process, listenFds: number): string[] {
  const env = [...(process.env ?? [])];
  if (!env.some((entry) => entry.startsWith('HOME='))) env.push(`HOME=${homeOf(process.user?.uid ?? 0)}`);
  if (listenFds > 0) env.push(`LISTEN_FDS=${listenFds}`, 'LISTEN_PID=1');
  return env;
}

function homeOf(uid: number): string {
  return passwdEntry(uid)?.home || '/';
}

/**
 * The runtime (Bun, as Node does) ignores SIGPIPE and SIGXFSZ in every process it runs, init
 * too, and an ignored signal stays ignored across execve: the
 * program would get EPIPE where it expects to die of SIGPIPE (`yes | head`). Both go back to
 * their defaults, so the program starts with no signal ignored, as under runc. (Signals init
 * handles are reset by execve itself.) Named rather than asked for one by one: sixty sigaction
 * calls through koffi would sit on init's critical path; the conformance suite checks that
 * none is left.
 */
export function restoreSignalsRuntimeIgnores(libc: Libc): void {
  for (const signal of [SIGPIPE, SIGXFSZ]) libc.restoreDefaultSignal(signal);
}

/**
 * Prepares the descriptors for the exec that ends init. The runtime opens its own descriptors
 * close-on-exec, and what was inherited may carry the flag too: stdio, the preserved
 * descriptors and `alsoKeep` are made inheritable, everything else is closed by the exec.
 */
export function prepareDescriptorsForExec(preserveFds: number, libc: Libc, alsoKeep: number[] = []): void {
  const keep = 3 + preserveFds;
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch (err) {
    throw RuntsError.wrap("list init's descriptors in /proc/self/fd (is /proc among the container's mounts?)", err);
  }
  for (const name of names) {
    const fd = Number(name);
    try {
      if (fd < keep || alsoKeep.includes(fd)) libc.keepAcrossExec(fd);
      else libc.closeOnExec(fd);
    } catch {
      // The descriptor used to list /proc/self/fd is gone already.
    }
  }
}
