// `runts create <id> [--bundle DIR] [--pid-file F] [--no-pivot] [--no-new-keyring] [--preserve-fds N]`
import type { Argv, CommandModule } from 'yargs';
import { libc } from '../../ffi/libc.js';
import { createContainer } from '../container/create.js';
import { RuntsError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { stateStore, type GlobalArgs } from './globals.js';

export interface CreateArgs extends GlobalArgs {
  id: string;
  bundle: string;
  'pid-file'?: string | undefined;
  'no-pivot': boolean;
  'no-new-keyring': boolean;
  'preserve-fds': number;
  'console-socket'?: string | undefined;
}

/** The options create and run share (runc's). */
export function createOptions<T>(yargs: Argv<T>) {
  return yargs
    .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
    .option('bundle', { alias: 'b', type: 'string', default: '.', describe: 'path to the root of the bundle directory' })
    .option('pid-file', { type: 'string', describe: 'file to write the process id to' })
    .option('no-pivot', { type: 'boolean', default: false, describe: 'do not use pivot_root to jail the container inside the rootfs (MS_MOVE and chroot instead)' })
    .option('no-new-keyring', { type: 'boolean', default: false, describe: 'do not create a new session keyring for the container' })
    .option('preserve-fds', { type: 'number', default: 0, describe: 'pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)' })
    .option('console-socket', { type: 'string', describe: 'path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console\'s pseudoterminal' });
}

export function createRequest(argv: CreateArgs) {
  // runc's --systemd-cgroup asks systemd to make the cgroup; runts has only the fs drivers, and
  // making it some other way than asked would surprise whoever asked.
  if (argv['systemd-cgroup']) throw new RuntsError('--systemd-cgroup: runts has no systemd cgroup driver; it manages cgroups itself (cgroupfs)');
  return {
    id: argv.id,
    bundle: argv.bundle,
    pidFile: argv['pid-file'],
    noPivot: argv['no-pivot'],
    noNewKeyring: argv['no-new-keyring'],
    preserveFds: argv['preserve-fds'],
    consoleSocket: argv['console-socket'],
  };
}

export function createCommand(log: Logger, timings: Timings): CommandModule<GlobalArgs, CreateArgs> {
  return {
    command: 'create <id>',
    describe: 'create a container',
    builder: (yargs) => createOptions(yargs) as unknown as Argv<CreateArgs>,
    handler: async (argv) => {
      await createContainer(stateStore(argv), createRequest(argv), libc, log, timings);
    },
  };
}
