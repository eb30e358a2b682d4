// `runts pause <id>` / `runts resume <id>`: freeze and thaw every process of a container.
import type { CommandModule } from 'yargs';
import { setContainerPaused } from '../container/lifecycle.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface PauseArgs extends GlobalArgs {
  id: string;
}

const freezeCommand = (name: 'pause' | 'resume', describe: string): CommandModule<GlobalArgs, PauseArgs> => ({
  command: `${name} <id>`,
  describe,
  builder: (yargs) => yargs.positional('id', { type: 'string', demandOption: true, describe: 'the container id' }),
  handler: (argv) => {
    setContainerPaused(stateStore(argv), argv.id, name === 'pause');
  },
});

export const pauseCommand = freezeCommand('pause', 'pause suspends all processes inside the container');
export const resumeCommand = freezeCommand('resume', 'resumes all processes that have been previously paused');
