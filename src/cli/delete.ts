// `runts delete <id> [--force]`: remove a container and everything create made for it.
import type { CommandModule } from 'yargs';
import { libc } from '../../ffi/libc.js';
import { deleteContainer } from '../container/lifecycle.js';
import type { Logger } from '../log.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface DeleteArgs extends GlobalArgs {
  id: string;
  force: boolean;
}

export function deleteCommand(log: Logger): CommandModule<GlobalArgs, DeleteArgs> {
  return {
    command: 'delete <id>',
    describe: 'delete any resources held by the container often used with detached container',
    builder: (yargs) =>
      yargs
        .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
        .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'forcibly delete the container if it is still running (uses SIGKILL)' }),
    handler: (argv) => {
      deleteContainer(stateStore(argv), argv.id, argv.force, libc(), log);
    },
  };
}
