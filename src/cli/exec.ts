// `runts exec <id> [--process FILE | COMMAND [ARGS...]] [-d] [--pid-file F] [--cwd DIR] [-e K=V]
//  [-u UID[:GID]] [--additional-gids G] [--cap CAP] [--no-new-privs] [--preserve-fds N]
//  [--ignore-paused]`: run a new process inside a running container.
import type { Argv, CommandModule } from 'yargs';
import { libc } from '../../ffi/libc.js';
import { execInContainer } from '../container/exec.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface ExecArgs extends GlobalArgs {
  id: string;
  process?: string | undefined;
  detach: boolean;
  'pid-file'?: string | undefined;
  cwd?: string | undefined;
  env: string[];
  user?: string | undefined;
  'additional-gids': number[];
  cap: string[];
  'no-new-privs': boolean;
  'preserve-fds': number;
  'ignore-paused': boolean;
  tty: boolean;
  'console-socket'?: string | undefined;
  cgroup: string[];
}

/** runc's exit status for an exec that fails before the program runs. */
const EXEC_FAILED = 255;

/** exec's options that take a value: the command to run starts after the id and these. */
export const EXEC_VALUE_FLAGS = ['--process', '-p', '--pid-file', '--cwd', '--env', '-e', '--user', '-u', '--additional-gids', '-g', '--cap', '-c', '--preserve-fds', '--console-socket', '--cgroup'];

export function execCommand(log: Logger, timings: Timings, exitWith: (code: number) => void, command: () => string[]): CommandModule<GlobalArgs, ExecArgs> {
  return {
    command: 'exec <id> [command..]',
    describe: 'execute new process inside the container',
    builder: (yargs) =>
      yargs
        .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
        .positional('command', { type: 'string', array: true, describe: 'the program and its arguments (or give --process)' })
        .option('process', { alias: 'p', type: 'string', describe: 'path to the process.json' })
        .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'detach from the container\'s process' })
        .option('pid-file', { type: 'string', describe: 'file to write the process id to' })
        .option('cwd', { type: 'string', describe: 'current working directory in the container' })
        .option('env', { alias: 'e', type: 'string', array: true, default: [], describe: 'set environment variables (KEY=VALUE)' })
        .option('user', { alias: 'u', type: 'string', describe: 'UID (format: <uid>[:<gid>])' })
        .option('additional-gids', { alias: 'g', type: 'number', array: true, default: [], describe: 'additional gids' })
        .option('cap', { alias: 'c', type: 'string', array: true, default: [], describe: 'add a capability to the bounding set for the process' })
        .option('no-new-privs', { type: 'boolean', default: false, describe: 'set the no new privileges value for the process' })
        .option('preserve-fds', { type: 'number', default: 0, describe: 'pass N additional file descriptors to the process' })
        .option('ignore-paused', { type: 'boolean', default: false, describe: 'allow exec in a paused container' })
        .option('cgroup', { type: 'string', array: true, default: [], describe: 'run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.' })
        .option('tty', { alias: 't', type: 'boolean', default: false, describe: 'allocate a pseudo-TTY' })
        .option('console-socket', { type: 'string', describe: "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal" }) as unknown as Argv<ExecArgs>,
    handler: async (argv) => {
      // As runc: a failed exec exits 255 (runc's fatalWithCode), not 1; the program's own
      // status is passed on as it is.
      exitWith(EXEC_FAILED);
      const code = await execInContainer(
        stateStore(argv),
        {
          id: argv.id,
          processFile: argv.process,
          args: command(),
          detach: argv.detach,
          pidFile: argv['pid-file'],
          cwd: argv.cwd,
          env: argv.env,
          user: argv.user,
          additionalGids: argv['additional-gids'],
          caps: argv.cap,
          noNewPrivs: argv['no-new-privs'],
          preserveFds: argv['preserve-fds'],
          ignorePaused: argv['ignore-paused'],
          tty: argv.tty,
          consoleSocket: argv['console-socket'],
          cgroups: argv.cgroup,
        },
        libc,
        log,
        timings,
      );
      exitWith(code);
    },
  };
}
