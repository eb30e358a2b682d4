// The entry point of the CLI (bundled into dist/runts.cjs; for create, run and exec the
// launcher bundle, src/cli/launcher.ts, runs before it, and `runts init` has a bundle of its
// own, src/init/main.ts: src/cli/sea-main.cjs picks). Modules are loaded with require()
// where they are needed: esbuild then evaluates a module only when first required, so a command
// evaluates only what it uses (`state` never loads the container side, nor koffi).

const { leaveVanishedDirectory } = require('./working-directory.js') as typeof import('./working-directory.js');
leaveVanishedDirectory();
const args = process.argv.slice(2);
const { Timings } = require('../timing.js') as typeof import('../timing.js');
// A create, run or exec starts its init before yargs and the checks, which then overlap init's
// start: the launcher bundle did already (src/cli/launcher.ts), or this entry does it now.
// (The same words as sea-main.cjs's guess, which cannot share code with the bundles.)
const early = args.includes('create') || args.includes('run') || args.includes('exec') ? (require('./early-start.js') as typeof import('./early-start.js')) : undefined;
const launched = early?.timingsFromLauncher();
const timings = launched ?? new Timings();
if (launched) timings.mark('cli');
else if (early) {
  early.startInitEarly(args);
  timings.mark('prelaunch');
}
const { main } = require('./main.js') as typeof import('./main.js');
void main(args, timings).then((code) => {
  process.exitCode = code;
  early?.discardPrelaunched();
});
