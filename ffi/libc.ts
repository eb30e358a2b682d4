// The libc calls runts makes, declared once through koffi. Everything that needs the kernel goes
// through the Libc interface, so logic modules can take a recording double in unit tests.
//
// koffi (and its native module) is loaded on first use only: commands such as `state` and
// `list` never pay for it.
import koffi from 'koffi';
import { RuntsError } from '../src/errors.js';
import { LOCK_EX, LOCK_NB, LOCK_UN, RENAME_NOREPLACE } from './constants.js';

export interface Libc {
  /** flock(2) LOCK_EX on fd, waiting unless `wait` is false (then false means "held elsewhere"). */
  lockExclusive(fd: number, context: string, wait?: boolean): boolean;
  unlock(fd: number, context: string): void;
  /** renameat2(2) with RENAME_NOREPLACE: fails with EEXIST instead of replacing `to`. */
  renameNoReplace(from: string, to: string, context: string): void;
}

const AT_FDCWD = -100;

function createLibc(): Libc {
  const lib = koffi.load('libc.so.6');
  const flock = lib.func('int flock(int fd, int operation)');
  const renameat2 = lib.func(
    'int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)',
  );

  const fail = (context: string): never => {
    throw RuntsError.fromErrno(context, koffi.errno());
  };

  return {
    lockExclusive(fd, context, wait = true) {
      for (;;) {
        if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) === 0) return true;
        const errno = koffi.errno();
        if (errno === EINTR) continue;
        if (!wait && errno === EWOULDBLOCK) return false;
        return fail(context);
      }
    },
    unlock(fd, context) {
      if (flock(fd, LOCK_UN) !== 0) fail(context);
    },
    renameNoReplace(from, to, context) {
      if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) !== 0) fail(context);
    },
  };
}

const EINTR = 4;
const EWOULDBLOCK = 11;

let instance: Libc | undefined;

/** The real libc, loaded on first use. */
export function libc(): Libc {
  instance ??= createLibc();
  return instance;
}
