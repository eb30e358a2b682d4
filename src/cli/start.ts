// `runts start <id>`: run the user program of a created container.
import type { CommandModule } from 'yargs';
import { startContainer } from '../container/lifecycle.js';
import type { Logger } from '../log.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface StartArgs extends GlobalArgs {
  id: string;
}

export function startCommand(log: Logger): CommandModule<GlobalArgs, StartArgs> {
  return {
    command: 'start <id>',
    describe: 'executes the user defined process in a created container',
    builder: (yargs) => yargs.positional('id', { type: 'string', demandOption: true, describe: 'the container id' }),
    handler: (argv) => {
      startContainer(stateStore(argv), argv.id, log);
    },
  };
}
