// `runts create`: the parent side of container creation (runc's process_linux.go). It checks
// the bundle, starts nsexec → `runts init` in the new namespaces, records the container and
// makes its cgroup while init starts, hands init its orders over the sync socket and waits
// until init reports the container created. Any failure kills what was started and removes
// what was recorded: nothing is left behind.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Libc } from '../../ffi/libc.js';
import { nsexecPath } from '../../ffi/nsexec-binary.js';
import { runHooks } from '../hooks.js';
import type { Logger } from '../log.js';
import { Timings } from '../timing.js';
import { loadBundle } from '../spec/load.js';
import type { ContainerRecord } from '../spec/state.js';
import { SPEC_VERSION } from '../spec/version.js';
import { checkContainerId } from './id.js';
import { checkNamespaces, nsexecNamespaceArgs } from './namespaces.js';
import { checkConfigSupported } from './unsupported.js';
import { openConsole } from './console.js';
import { StartingInit } from './launch.js';
import { createKey, takePrelaunched } from './prelaunch.js';
import { writePidFile } from './pid-file.js';
import type { InitRequest } from './protocol.js';
import { startTimeOf } from './signal-process.js';
import type { LockedContainer, StateStore } from './state-store.js';
import { type ContainerCgroup, createContainerCgroup, destroyContainerCgroup, planContainerCgroup, procsFiles } from '../cgroups/manager.js';
import { moveToCgroups } from '../cgroups/join.js';
import { ociState } from './status.js';

export const EXEC_FIFO = 'exec.fifo';

export interface CreateOptions {
  id: string;
  bundle: string;
  pidFile?: string | undefined;
  noPivot: boolean;
  noNewKeyring: boolean;
  preserveFds: number;
  /** The engine's socket to send the pty master to (process.terminal). */
  consoleSocket?: string | undefined;
  /** A foreground run without a console socket: the terminal comes back to runts itself. */
  foreground?: boolean;
}

export interface CreatedContainer {
  record: ContainerRecord;
  /** runts's end of the console when it receives the terminal itself (see console.ts). */
  consoleFd?: number | undefined;
}

export async function createContainer(
  store: StateStore,
  options: CreateOptions,
  libc: () => Libc,
  log: Logger,
  timings: Timings = new Timings(),
): Promise<CreatedContainer> {
  const id = checkContainerId(options.id);
  const bundle = loadBundle(options.bundle);
  const configFile = join(bundle.dir, 'config.json');
  checkNamespaces(bundle.config, configFile);
  checkConfigSupported(bundle.config, configFile);
  // Spares starting an init for an id that is plainly taken.
  store.checkFree(id);
  timings.mark('validate');
  const resources = bundle.config.linux?.resources;
  const plannedCgroup = planContainerCgroup(bundle.config.linux?.cgroupsPath, id, `${configFile}: /linux/cgroupsPath`);
  const console = openConsole(bundle.config.process?.terminal ?? false, options.consoleSocket, options.foreground ?? false, libc);
  // init starts now (the entry may have started this very init already, before the command line
  // was parsed: prelaunch.ts), and runts moves it into the cgroup while it starts.
  const start = { id, preserveFds: options.preserveFds, console, nsexecArgs: nsexecNamespaceArgs(bundle.config) };
  const init = takePrelaunched(createKey(bundle.dir), start, log, timings) ?? new StartingInit(start, libc(), log, timings);
  const record: ContainerRecord = {
    ociVersion: SPEC_VERSION,
    id,
    status: 'creating',
    bundle: bundle.dir,
    rootfs: bundle.rootfs,
    created: new Date().toISOString(),
    ...(bundle.config.annotations ? { annotations: bundle.config.annotations } : {}),
    ...(bundle.config.hooks ? { hooks: bundle.config.hooks } : {}),
    process: bundle.config.process,
    ...(bundle.config.linux?.seccomp ? { seccomp: bundle.config.linux.seccomp } : {}),
    // Recorded before anything is made, for a delete --force after a runts killed half-way.
    cgroup: { ...plannedCgroup, ...(resources ? { resources } : {}) },
  };
  try {
    return await store.create(record, (container) => {
      const cgroup = createContainerCgroup(plannedCgroup, resources, libc());
      record.cgroup = { ...cgroup, ...(resources ? { resources } : {}) };
      timings.mark('cgroup');
      try {
        return createInCgroup(container, cgroup);
      } catch (err) {
        // init first: the cgroup can be removed only once nothing is left in it.
        init.abort();
        destroyContainerCgroup(cgroup, libc());
        throw err;
      }
    });
  } catch (err) {
    init.abort();
    throw err;
  }

  function createInCgroup(container: LockedContainer, cgroup: ContainerCgroup): CreatedContainer {
    const fifoPath = join(container.dir, EXEC_FIFO);
    libc().mkfifo(fifoPath, 0o622);
    // A container user that is not root must be able to open it for writing (init does, after
    // switching user), and mkfifo applied the umask.
    chmodSync(fifoPath, 0o622);
    const initPid = init.pid();
    // Recorded at once: should this runts be killed now, `delete --force` finds the init.
    const initStartTime = startTimeOf(initPid);
    container.write({ ...record, pid: initPid, initStartTime });
    // Into the cgroup while init starts (the first cgroup move costs the kernel a grace period,
    // which overlaps init's start this way); init waits for its orders, sent after this,
    // before it does anything for the container (a new cgroup namespace included).
    moveToCgroups(initPid, procsFiles(cgroup));
    const request: InitRequest = {
      type: 'init',
      id,
      config: bundle.config,
      bundle: bundle.dir,
      rootfs: bundle.rootfs,
      fifoPath,
      waiterPath: nsexecPath(),
      noPivot: options.noPivot,
      noNewKeyring: options.noNewKeyring,
      state: ociState({ ...record, pid: initPid }, ''),
      ...init.descriptors,
    };
    // config.md: prestart and createRuntime run in the runtime namespace, after the
    // container's namespaces exist and before the root switch.
    init.run(request, () => {
      runHooks('prestart', bundle.config.hooks?.prestart, request.state);
      runHooks('createRuntime', bundle.config.hooks?.createRuntime, request.state);
    });
    const created: ContainerRecord = { ...record, status: 'created', pid: initPid, initStartTime };
    container.write(created);
    if (options.pidFile) writePidFile(options.pidFile, initPid);
    timings.mark('record');
    return { record: created, consoleFd: console?.forRuntime };
  }
}
