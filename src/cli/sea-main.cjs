// The main script of the single executable (dist/runts). It runs bundles, each through a V8
// code cache made at build time (src/build/code-cache.cjs):
// - runts-init.cjs for `runts init <id>` (internal: nsexec starts it inside the container's
//   namespaces for every create and exec), with a cache of all its functions compiled;
// - for create, run and exec, runts-launch.cjs first (src/cli/launcher.ts: it starts the
//   container's init before the CLI's bundle is compiled), with a cache of all its functions;
// - runts.cjs, the CLI, with a warm cache made after warm-up runs of common commands. Node's
//   own SEA code cache holds only the top level of a script; a warm one also holds the
//   functions those runs compiled (yargs, the config validators...), which every command
//   otherwise compiles again: about 4 ms off `state`, 10 ms off `validate`. V8 reads a cache
//   whole before the script runs, so the CLI has two: one with the config validators for the
//   commands that check a config.json (or a process.json), and a smaller one for the rest
//   (~3 ms less on state, start, kill, delete).
// A rejected cache (another V8) costs only that time back.
'use strict';
const { getAsset, getRawAsset } = require('node:sea');
const { Script } = require('node:vm');

/** Compiles the bundle `name` with the code cache `cache` and runs it. */
function runBundle(name, cache) {
  // Each bundle is a function of a CommonJS module's arguments (the build wraps it so).
  const script = new Script(getAsset(`${name}.cjs`, 'utf8'), {
    filename: `${name}.cjs`,
    // The cache's bytes as they lie in the executable (getAsset would copy them first).
    cachedData: Buffer.from(getRawAsset(`${cache}.codecache`)),
  });
  // Read by `runts --debug` (src/cli/main.ts), so that a rejected cache does not go unseen.
  const rejected = Symbol.for('runts.codeCacheRejected');
  globalThis[rejected] = globalThis[rejected] === true || script.cachedDataRejected === true;
  script.runInThisContext()(module.exports, require, module, __filename, __dirname);
}

// Guesses from the words on the command line (as src/cli/entry.ts's): a wrong one, such as a
// container named "run", costs time only.
const words = process.argv.slice(2);
// Like runc's, `runts init` is not offered on the command line; the id is there for ps.
if (words[0] === 'init' && words.length === 2) {
  runBundle('runts-init', 'runts-init');
} else {
  // create, run and exec start their init from a small bundle first (src/cli/launcher.ts).
  if (['create', 'run', 'exec'].some((word) => words.includes(word))) runBundle('runts-launch', 'runts-launch');
  const CONFIG_COMMANDS = ['create', 'run', 'exec', 'spec', 'validate', 'update'];
  runBundle('runts', words.some((word) => CONFIG_COMMANDS.includes(word)) ? 'runts-config' : 'runts-lifecycle');
}
