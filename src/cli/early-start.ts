// A create, run or exec starts its init from the raw command line, before yargs and the checks,
// which then overlap init's start (see src/container/prelaunch.ts). In the executable this
// runs in a bundle of its own before the CLI's is compiled (src/cli/launcher.ts); the CLI's
// entry does it itself when that bundle did not run (tests, the code-cache warm-ups).
import { prelaunchCreate, prelaunchExec } from '../container/prelaunch.js';
// For the CLI's entry, at the end of the command: an init no command took on is killed.
export { discardPrelaunched } from '../container/prelaunch.js';
import { handOver, take } from '../process-singletons.js';
import type { Timings } from '../timing.js';
import { guessCommandLine } from './args.js';
import { defaultRoot, GLOBAL_VALUE_FLAGS } from './globals.js';

/** Under this name the launcher hands its Timings to the CLI's entry (process-singletons.ts). */
const LAUNCHED = 'launched';

/** The launcher's: the init is started; its timings go on in the CLI's entry. */
export function handOverToCli(timings: Timings): void {
  handOver(LAUNCHED, timings);
}

/** In the CLI's entry: the launcher's timings, if the launcher ran (and started init). */
export function timingsFromLauncher(): Timings | undefined {
  return take<Timings>(LAUNCHED);
}

/** Starts the init of the container the command line is about, if it can tell which. */
export function startInitEarly(args: string[]): void {
  const guess = guessCommandLine(args, GLOBAL_VALUE_FLAGS);
  if (guess?.command === 'exec') prelaunchExec({ id: guess.id, root: guess.values['--root'] ?? defaultRoot() });
  else if (guess) prelaunchCreate({ id: guess.id, bundle: guess.values['--bundle'] ?? guess.values['-b'] ?? '.' });
}
