// `runts kill <id> [SIGNAL] [--all]`: signal the container's init (default SIGTERM).
import type { CommandModule } from 'yargs';
import { libc } from '../../ffi/libc.js';
import { killContainer } from '../container/lifecycle.js';
import { parseSignal } from '../container/signals.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface KillArgs extends GlobalArgs {
  id: string;
  signal: string;
  all: boolean;
}

export const killCommand: CommandModule<GlobalArgs, KillArgs> = {
  command: 'kill <id> [signal]',
  describe: "kill sends the specified signal (default: SIGTERM) to the container's init process",
  builder: (yargs) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
      .positional('signal', { type: 'string', default: 'SIGTERM', describe: 'a signal name (KILL, SIGKILL) or number' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'send the signal to all processes inside the container' }),
  handler: (argv) => {
    killContainer(stateStore(argv), argv.id, parseSignal(String(argv.signal)), argv.all, libc());
  },
};
