// `runts state <id>`: print the OCI state of a container.
import type { CommandModule } from 'yargs';
import { ociState } from '../container/status.js';
import { stateStore, type GlobalArgs } from './globals.js';
import { printJson } from './output.js';

interface StateArgs extends GlobalArgs {
  id: string;
}

export const stateCommand: CommandModule<GlobalArgs, StateArgs> = {
  command: 'state <id>',
  describe: 'output the state of a container',
  builder: (yargs) => yargs.positional('id', { type: 'string', demandOption: true, describe: 'the container id' }),
  handler: (argv) => {
    const store = stateStore(argv);
    const record = store.read(argv.id);
    // runc leaves owner empty in `state` and names the user in `list`.
    printJson(ociState(record, ''));
  },
};
