// The messages between `runts create` (the parent), nsexec and `runts init`, as zod schemas:
// the TypeScript types come from here, and spec-schemas/ holds their JSON Schemas and compiled
// validators (used at run time by protocol.ts, so zod is not loaded on any command's path).
import { z } from 'zod';
import { Config, Process, Seccomp } from '../spec/config.js';
import { State } from '../spec/state.js';

/** What the parent tells init: everything it needs to build the container. */
export const InitRequest = z.object({
  type: z.literal('init'),
  id: z.string(),
  config: Config,
  bundle: z.string(),
  rootfs: z.string(),
  /** The exec fifo on the host; init opens it before the root switch. */
  fifoPath: z.string(),
  /** nsexec on the host: init becomes `nsexec --wait-fifo` to wait for start cheaply. */
  waiterPath: z.string(),
  noPivot: z.boolean(),
  /** runc's --no-new-keyring: keep the caller's session keyring instead of a new one. */
  noNewKeyring: z.boolean(),
  /** Descriptors after stdio that the container keeps (socket activation's, then --preserve-fds). */
  preserveFds: z.int().min(0),
  /** How many of those came by socket activation (LISTEN_FDS): the program is told so. */
  listenFds: z.int().min(0),
  /** The state hooks get on stdin (status creating, init's host pid). */
  state: State,
  /** process.terminal: the descriptor of the console socket to send the pty master to. */
  consoleSocketFd: z.int().min(3).optional(),
});
export type InitRequest = z.infer<typeof InitRequest>;

/** What the parent tells the init of `runts exec`: the process to become, inside the container. */
export const ExecRequest = z.object({
  type: z.literal('exec'),
  id: z.string(),
  process: Process,
  /**
   * The container's mount namespace (/proc/<init>/ns/mnt). init joins it itself, last: its
   * own program (node, runts) must be loaded from the host's filesystem first.
   */
  mountNamespace: z.string(),
  /** The container's linux.seccomp: a joining process is filtered as the container's are (runc). */
  seccomp: Seccomp.optional(),
  preserveFds: z.int().min(0),
  listenFds: z.int().min(0),
  consoleSocketFd: z.int().min(3).optional(),
});
export type ExecRequest = z.infer<typeof ExecRequest>;

export const ChildMessage = z.discriminatedUnion('type', [
  /** nsexec: the init process exists, inside its namespaces, with this host pid. */
  z.object({ type: z.literal('init-pid'), pid: z.int().positive() }),
  /** init: namespaces and mounts are ready: run prestart and createRuntime hooks, then resume. */
  z.object({ type: z.literal('hooks') }),
  /** init: the container is created; init waits on the exec fifo. */
  z.object({ type: z.literal('ready'), timings: z.record(z.string(), z.number()).optional() }),
  /** init: something for runts's log that does not stop creation. */
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'warning']), message: z.string() }),
  /** nsexec (step and errno) or init (message and errno name): creation failed. */
  z.object({ type: z.literal('error'), step: z.string().optional(), message: z.string().optional(), errno: z.union([z.int(), z.string()]).optional() }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;
