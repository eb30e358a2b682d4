// `runts run <id> [--bundle DIR] [--detach] [--pid-file F] [--keep] ...`: create + start; in the
// foreground, wait and exit with the container's status.
import type { Argv, CommandModule } from 'yargs';
import { libc } from '../../ffi/libc.js';
import { runContainer } from '../container/run.js';
import type { Logger } from '../log.js';
import type { Timings } from '../timing.js';
import { type CreateArgs, createOptions, createRequest } from './create.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface RunArgs extends CreateArgs {
  detach: boolean;
  keep: boolean;
}

export function runCommand(log: Logger, timings: Timings, exitWith: (code: number) => void): CommandModule<GlobalArgs, RunArgs> {
  return {
    command: 'run <id>',
    describe: 'create and run a container',
    builder: (yargs) =>
      createOptions(yargs)
        .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'detach from the container\'s process' })
        .option('keep', { type: 'boolean', default: false, describe: 'do not delete the container after it exits' }) as unknown as Argv<RunArgs>,
    handler: async (argv) => {
      const code = await runContainer(stateStore(argv), { ...createRequest(argv), detach: argv.detach, keep: argv.keep }, libc, log, timings);
      exitWith(code);
    },
  };
}
