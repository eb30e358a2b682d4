// The messages between `runts create` (the parent), nsexec and `runts init`: one zod union, so
// an unexpected message is a typed error, not a hang. On the wire each is one JSON line over the
// socket the parent hands to nsexec (and nsexec to init).
import { z } from 'zod';
import { Config } from '../spec/config.js';
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
  noPivot: z.boolean(),
  /** runc's --no-new-keyring: keep the caller's session keyring instead of a new one. */
  noNewKeyring: z.boolean(),
  /** Descriptors after stdio that the container keeps (socket activation's, then --preserve-fds). */
  preserveFds: z.int().min(0),
  /** How many of those came by socket activation (LISTEN_FDS): the program is told so. */
  listenFds: z.int().min(0),
  /** The state hooks get on stdin (status creating, init's host pid). */
  state: State,
});
export type InitRequest = z.infer<typeof InitRequest>;

export const ChildMessage = z.discriminatedUnion('type', [
  /** nsexec: the init process exists, inside its namespaces, with this host pid. */
  z.object({ type: z.literal('init-pid'), pid: z.int().positive() }),
  /** init: namespaces and mounts are ready: run prestart and createRuntime hooks, then resume. */
  z.object({ type: z.literal('hooks') }),
  /** init: the container is created; init waits on the exec fifo. */
  z.object({ type: z.literal('ready') }),
  /** init: something for runts's log that does not stop creation. */
  z.object({ type: z.literal('log'), level: z.enum(['debug', 'warning']), message: z.string() }),
  /** nsexec (step and errno) or init (message and errno name): creation failed. */
  z.object({ type: z.literal('error'), step: z.string().optional(), message: z.string().optional(), errno: z.union([z.int(), z.string()]).optional() }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;

/** The parent's answer to `hooks`: init goes on to createContainer hooks and the root switch. */
export const Resume = z.object({ type: z.literal('resume') });

/** Splits a byte stream into JSON lines and parses each as a ChildMessage. */
export class MessageDecoder {
  private pending = '';

  push(chunk: string): ChildMessage[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '').map(parseChildMessage);
  }
}

export function parseChildMessage(line: string): ChildMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`unexpected output from the container's init: ${JSON.stringify(line.slice(0, 200))}`);
  }
  const result = ChildMessage.safeParse(value);
  if (!result.success) throw new Error(`unexpected message from the container's init: ${line.slice(0, 200)}`);
  return result.data;
}
