// `runts exec`: a new process inside a running container (runc's setns path). nsexec joins every
// namespace of the container's init, forks (so the process is inside the container's pid
// namespace too), and execs `runts init`; runts moves it into the init's cgroups, and init takes
// the process's identity and becomes its program. In the foreground, runts waits for it and
// exits with its status.
import { PR_SET_CHILD_SUBREAPER } from '../../ffi/constants.js';
import type { Libc } from '../../ffi/libc.js';
import { cgroupProcsFilesOf, moveToCgroups, subCgroupProcsFiles } from '../cgroups/join.js';
import { RuntsError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Process } from '../spec/config.js';
import { parseJsonFile } from '../spec/json.js';
import { readJsonFileText } from '../spec/read-json-file.js';
import { SPEC_VERSION } from '../spec/version.js';
import { validateConfigShape } from '../spec/validate.js';
import type { Timings } from '../timing.js';
import { writePidFile } from './pid-file.js';
import { followInForeground } from './foreground.js';
import { openConsole, receiveMaster } from './console.js';
import { relayTerminal } from './console-relay.js';
import { StartingInit } from './launch.js';
import { EXEC_KEY, takePrelaunched } from './prelaunch.js';
import { execJoinArgs } from './namespaces.js';
import type { ExecRequest } from './protocol.js';
import { isSameProcessAlive } from './process-info.js';
import type { StateStore } from './state-store.js';
import { liveStatus } from './status.js';
import { checkProcessSupported } from './unsupported.js';

export interface ExecOptions {
  id: string;
  /** A process.json (config.md's process object), instead of the container's process + args. */
  processFile?: string | undefined;
  args: string[];
  detach: boolean;
  pidFile?: string | undefined;
  cwd?: string | undefined;
  env: string[];
  /** "uid" or "uid:gid". */
  user?: string | undefined;
  additionalGids: number[];
  caps: string[];
  noNewPrivs: boolean;
  preserveFds: number;
  ignorePaused: boolean;
  /** -t: a terminal for the process (process.terminal). */
  tty: boolean;
  consoleSocket?: string | undefined;
  /** --cgroup: sub-cgroups of the container's to run the process in (join.ts). */
  cgroups?: string[] | undefined;
}

/** Returns the exit status runts should exit with (0 with --detach). */
export async function execInContainer(store: StateStore, options: ExecOptions, libc: () => Libc, log: Logger, timings: Timings): Promise<number> {
  const record = store.read(options.id);
  const status = liveStatus(record);
  if (status === 'stopped' || status === 'creating' || record.pid === undefined) {
    throw new RuntsError(`cannot exec in container ${JSON.stringify(options.id)}: it is ${status}`);
  }
  if (status === 'paused' && !options.ignorePaused) {
    throw new RuntsError(`cannot exec in container ${JSON.stringify(options.id)}: it is paused (use --ignore-paused)`);
  }
  const processSpec = execProcess(options, record.process);
  const initPid = record.pid;
  const cgroups = options.cgroups?.length ? subCgroupProcsFiles(initPid, options.cgroups) : cgroupProcsFilesOf(initPid);
  const joins = execJoinArgs(initPid);
  // The namespace files were read from the init's pid: make sure it is still that init.
  if (!isSameProcessAlive(initPid, record.initStartTime)) throw new RuntsError(`cannot exec in container ${JSON.stringify(options.id)}: it has stopped`);

  const console = openConsole(processSpec.terminal ?? false, options.consoleSocket, !options.detach, libc);
  // The entry may have started this very init already, before the command line was parsed (prelaunch.ts).
  const start = { id: options.id, preserveFds: options.preserveFds, console, nsexecArgs: joins };
  const init = takePrelaunched(EXEC_KEY, start, log, timings) ?? new StartingInit(start, libc(), log, timings);
  let pid: number;
  try {
    pid = init.pid();
    // Into the container's cgroups while init starts (the first cgroup move costs the kernel
    // a grace period, which overlaps init's start this way); init waits for its
    // orders, sent after this, before it runs anything of the container's.
    moveToCgroups(pid, cgroups);
    const request: ExecRequest = {
      type: 'exec',
      id: options.id,
      process: processSpec,
      mountNamespace: `/proc/${initPid}/ns/mnt`,
      ...(record.seccomp ? { seccomp: record.seccomp } : {}),
      ...init.descriptors,
    };
    init.run(request);
    if (options.pidFile) writePidFile(options.pidFile, pid);
  } catch (err) {
    init.abort();
    throw err;
  }
  if (options.detach) return 0;

  // As runc: what the process leaves behind (a container without a pid namespace of its own)
  // comes back to runts.
  libc().prctl(PR_SET_CHILD_SUBREAPER, 1);
  const exited = followInForeground(pid, libc(), log);
  const relay = console?.forRuntime === undefined ? undefined : relayTerminal(receiveMaster(console.forRuntime, libc()), libc());
  try {
    const exitStatus = await exited;
    timings.mark('program');
    return exitStatus;
  } finally {
    await relay?.finish();
  }
}

/** The process to run: a process.json, or the container's own process with the flags applied (as runc). */
export function execProcess(options: ExecOptions, containerProcess: Process | undefined): Process {
  let base: Process;
  if (options.processFile) {
    let text: string;
    try {
      text = readJsonFileText(options.processFile);
    } catch (err) {
      throw RuntsError.wrap(`read --process ${options.processFile}`, err);
    }
    const parsed = parseJsonFile(text, options.processFile);
    base = validateConfigShape({ ociVersion: SPEC_VERSION, process: parsed }, options.processFile).process!;
  } else {
    if (options.args.length === 0) throw new RuntsError('exec: give the command to run (runts exec ID COMMAND [ARGS...]) or --process FILE');
    base = { ...(containerProcess ?? { cwd: '/' }), args: options.args, terminal: false };
    delete base.consoleSize;
  }
  if (!base.args?.length) throw new RuntsError(`${options.processFile}: /args: must hold at least the program to run`);

  const process: Process = { ...base, env: withEnv(base.env ?? [], options.env) };
  if (options.cwd) process.cwd = options.cwd;
  if (options.user) process.user = { ...process.user, ...parseUser(options.user) };
  if (options.additionalGids.length) process.user = { ...process.user, additionalGids: options.additionalGids };
  if (options.caps.length) {
    const caps = process.capabilities ?? {};
    const add = (set: string[] | undefined) => [...new Set([...(set ?? []), ...options.caps])];
    process.capabilities = { ...caps, bounding: add(caps.bounding), effective: add(caps.effective), permitted: add(caps.permitted) };
  }
  if (options.noNewPrivs) process.noNewPrivileges = true;
  if (options.tty) process.terminal = true;
  checkProcessSupported(process, options.processFile ?? 'exec', options.processFile ? '' : '/process');
  return process;
}

/** -e KEY=V entries replace the same KEY of the process's env, or are added. */
function withEnv(env: string[], overrides: string[]): string[] {
  const result = [...env];
  for (const entry of overrides) {
    const key = entry.split('=')[0];
    const at = result.findIndex((existing) => existing.split('=')[0] === key);
    if (at === -1) result.push(entry);
    else result[at] = entry;
  }
  return result;
}

function parseUser(value: string): { uid: number; gid?: number } {
  const match = /^(\d+)(?::(\d+))?$/.exec(value);
  if (!match) throw new RuntsError(`invalid --user ${JSON.stringify(value)}: give uid or uid:gid (numbers)`);
  return match[2] === undefined ? { uid: Number(match[1]) } : { uid: Number(match[1]), gid: Number(match[2]) };
}
