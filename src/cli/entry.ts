// The entry point of the command line (src/executable.ts picks it for everything but `runts
// init`). Modules are loaded with require() where they are needed: the bundler then evaluates a
// module only when first required, so a command evaluates only what it uses (`state` never
// loads the container side, nor koffi).

const { leaveVanishedDirectory } = require('./working-directory.js') as typeof import('./working-directory.js');
leaveVanishedDirectory();
const args = process.argv.slice(2);
const { Timings } = require('../timing.js') as typeof import('../timing.js');
const timings = new Timings();
// A create, run or exec starts its init before yargs and the checks, which then overlap init's
// start (src/container/prelaunch.ts).
const early = args.includes('create') || args.includes('run') || args.includes('exec') ? (require('./early-start.js') as typeof import('./early-start.js')) : undefined;
if (early) {
  early.startInitEarly(args);
  timings.mark('prelaunch');
}
const { main } = require('./main.js') as typeof import('./main.js');
void main(args, timings).then((code) => {
  process.exitCode = code;
  early?.discardPrelaunched();
});
