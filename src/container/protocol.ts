// The messages between `runts create` (the parent), nsexec and `runts init`: one union, so an
// unexpected message is a typed error, not a hang. On the wire each is one JSON line over the
// socket the parent hands to nsexec (and nsexec to init). The schemas are in
// protocol-schema.ts; here they are checked with their compiled validators.
import { validateChildMessage, validateExecRequest, validateInitRequest } from '../../spec-schemas/validators.js';
import { RuntsError } from '../errors.js';
import { checkShape } from '../spec/validate.js';
import type { ChildMessage, ExecRequest, InitRequest } from './protocol-schema.js';

export type { ChildMessage, ExecRequest, InitRequest } from './protocol-schema.js';

/** The environment variable naming the sync socket's descriptor in init (after any preserved fds). */
export const SYNC_FD_ENV = '_RUNTS_SYNC_FD';

/** The parent's answer to `hooks`: init goes on to createContainer hooks and the root switch. */
export const RESUME = { type: 'resume' } as const;

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
    throw new RuntsError(`unexpected output from the container's init: ${JSON.stringify(line.slice(0, 200))}`);
  }
  return checkShape<ChildMessage>(validateChildMessage, value, "message from the container's init");
}

/** The first message init gets: build a container (create) or join one (exec). */
export function parseRequest(value: unknown): InitRequest | ExecRequest {
  if ((value as { type?: unknown } | null)?.type === 'exec') return checkShape<ExecRequest>(validateExecRequest, value, 'orders from runts exec');
  return checkShape<InitRequest>(validateInitRequest, value, 'orders from runts create');
}

export function parseResume(value: unknown): void {
  if ((value as { type?: unknown } | null)?.type !== RESUME.type) {
    throw new RuntsError(`unexpected message from runts create: ${JSON.stringify(value).slice(0, 200)}`);
  }
}
