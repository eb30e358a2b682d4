// One error type for everything runts reports: a message that says what was being done and where
// (file, JSON path, container id), with the errno name when the kernel said why.
import { getSystemErrorMap } from 'node:util';

export class RuntsError extends Error {
  /** The errno name (ENOENT, EBUSY...) when a system call failed. */
  readonly errno: string | undefined;

  constructor(message: string, options: { errno?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntsError';
    this.errno = options.errno;
  }

  /**
   * Adds what the caller was doing in front of an error from below, keeping its errno:
   * `RuntsError.wrap('read state of "web"', e)` gives `read state of "web": no such file...`.
   */
  static wrap(context: string, err: unknown): RuntsError {
    return new RuntsError(`${context}: ${describe(err)}`, { errno: errnoOf(err), cause: err });
  }

  /** An error for a failed system call given its positive errno number. */
  static fromErrno(context: string, errno: number): RuntsError {
    const [name, text] = systemError(errno);
    return new RuntsError(`${context}: ${text} (${name})`, { errno: name });
  }
}

let errorMap: Map<number, [string, string]> | undefined;

/** The errno name and libuv's text for it ("ENOENT", "no such file or directory"). */
export function systemError(errno: number): [string, string] {
  errorMap ??= getSystemErrorMap();
  return errorMap.get(-Math.abs(errno)) ?? [`errno ${errno}`, `error ${errno}`];
}

function errnoOf(err: unknown): string | undefined {
  if (err instanceof RuntsError) return err.errno;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('E') ? code : undefined;
}

/** The message of an error from below, with the runtime's "ENOENT: ..., open '/x'" turned into plain words. */
export function describe(err: unknown): string {
  if (err instanceof RuntsError) return err.message;
  const sys = err as NodeJS.ErrnoException | undefined;
  if (sys && typeof sys.errno === 'number' && typeof sys.code === 'string') {
    return `${systemError(sys.errno)[1]} (${sys.code})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The longest run of non-space characters (a path, a value from the config) a message keeps whole. */
const LONGEST_RUN = 256;
/** What a cut run keeps of its end (the colon after a path, say). */
const RUN_END = 8;
/** The longest message printed whole. */
const LONGEST_MESSAGE = 4096;

/**
 * `message` as it is printed: each run of non-space characters longer than LONGEST_RUN cut to
 * its start and its last few characters, and a message still longer than LONGEST_MESSAGE cut in the middle, so that one
 * oversized field cannot turn a one-line error into many kilobytes, and the end of the message
 * (why, and the errno) stays.
 */
export function boundedMessage(message: string): string {
  const runsCut = message.replace(new RegExp(`\\S{${LONGEST_RUN + 1},}`, 'g'), (run) => `${run.slice(0, LONGEST_RUN - RUN_END)} ...(${run.length - LONGEST_RUN} characters)... ${run.slice(-RUN_END)}`);
  if (runsCut.length <= LONGEST_MESSAGE) return runsCut;
  const head = runsCut.slice(0, LONGEST_MESSAGE / 2);
  const tail = runsCut.slice(-LONGEST_MESSAGE / 4);
  return `${head} ... (${runsCut.length - head.length - tail.length} characters left out) ... ${tail}`;
}
