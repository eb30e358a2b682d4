// The executable's entry point (bundled into dist/runts).
//
// Each side is loaded with require() where it is needed: esbuild then evaluates a module only
// when first required, so `runts init` (started for every container and exec) never evaluates
// the CLI and yargs, and the CLI never evaluates the container side of init.

// `runts init <id>` is internal (nsexec starts it inside the container's namespaces); like
// runc's, it is not offered on the command line, and it skips the CLI entirely. The id is
// there for people reading ps.
if (process.argv[2] === 'init' && process.argv.length === 4) {
  const { runInit } = require('../init/init.js') as typeof import('../init/init.js');
  process.exitCode = runInit();
} else {
  // An engine may run runts in a directory that is gone (containerd's shim cleans up from the
  // bundle it just removed): yargs asks for the working directory as it loads, and Node throws
  // for a deleted one. runc works there; so does runts, from / (relative paths meant nothing).
  try {
    process.cwd();
  } catch {
    process.chdir('/');
  }
  const args = process.argv.slice(2);
  // A create or run starts its container's init now, before yargs and the bundle's checks,
  // which then overlap init's start (see src/container/prelaunch.ts).
  const prelaunch = args.includes('create') || args.includes('run') ? (require('../container/prelaunch.js') as typeof import('../container/prelaunch.js')) : undefined;
  if (prelaunch) {
    const { guessContainerToCreate } = require('./args.js') as typeof import('./args.js');
    const { GLOBAL_VALUE_FLAGS } = require('./globals.js') as typeof import('./globals.js');
    const guess = guessContainerToCreate(args, GLOBAL_VALUE_FLAGS);
    if (guess) prelaunch.prelaunchInit(guess);
  }
  const { main } = require('./main.js') as typeof import('./main.js');
  void main(args)
    .then(async (code) => {
      process.exitCode = code;
      if (prelaunch) await prelaunch.discardPrelaunched((require('../../ffi/libc.js') as typeof import('../../ffi/libc.js')).libc);
    });
}
