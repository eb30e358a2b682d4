// A create, run or exec starts its init from the raw command line, before yargs and the checks,
// which then overlap init's start (see src/container/prelaunch.ts).
import { prelaunchCreate, prelaunchExec } from '../container/prelaunch.js';
// For the CLI's entry, at the end of the command: an init no command took on is killed.
export { discardPrelaunched } from '../container/prelaunch.js';
import { guessCommandLine } from './args.js';
import { defaultRoot, GLOBAL_VALUE_FLAGS } from './globals.js';

/** Starts the init of the container the command line is about, if it can tell which. */
export function startInitEarly(args: string[]): void {
  const guess = guessCommandLine(args, GLOBAL_VALUE_FLAGS);
  if (guess?.command === 'exec') prelaunchExec({ id: guess.id, root: guess.values['--root'] ?? defaultRoot() });
  else if (guess) prelaunchCreate({ id: guess.id, bundle: guess.values['--bundle'] ?? guess.values['-b'] ?? '.' });
}
