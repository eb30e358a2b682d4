// The entry point of the CLI (bundled into dist/runts.cjs; `runts init` has its own bundle,
// src/init/main.ts, and src/cli/sea-main.cjs picks one). Modules are loaded with require()
// where they are needed: esbuild then evaluates a module only when first required, so a command
// evaluates only what it uses (`state` never loads the container side, nor koffi).

// An engine may run runts in a directory that is gone (containerd's shim cleans up from the
// bundle it just removed): yargs asks for the working directory as it loads, and Node throws
// for a deleted one. runc works there; so does runts, from / (relative paths meant nothing).
try {
  process.cwd();
} catch {
  process.chdir('/');
}
const args = process.argv.slice(2);
const { Timings } = require('../timing.js') as typeof import('../timing.js');
const timings = new Timings();
// A create, run or exec starts its init now, before yargs and the checks, which then overlap
// init's start (see src/container/prelaunch.ts).
const prelaunch = args.includes('create') || args.includes('run') || args.includes('exec') ? (require('../container/prelaunch.js') as typeof import('../container/prelaunch.js')) : undefined;
if (prelaunch) {
  const { guessCommandLine } = require('./args.js') as typeof import('./args.js');
  const { defaultRoot, GLOBAL_VALUE_FLAGS } = require('./globals.js') as typeof import('./globals.js');
  const guess = guessCommandLine(args, GLOBAL_VALUE_FLAGS);
  if (guess?.command === 'exec') prelaunch.prelaunchExec({ id: guess.id, root: guess.values['--root'] ?? defaultRoot() });
  else if (guess) prelaunch.prelaunchCreate({ id: guess.id, bundle: guess.values['--bundle'] ?? guess.values['-b'] ?? '.' });
  timings.mark('prelaunch');
}
const { main } = require('./main.js') as typeof import('./main.js');
void main(args, timings).then((code) => {
  process.exitCode = code;
  prelaunch?.discardPrelaunched();
});
