// The main script of the single executable (dist/runts). It runs one of two bundles, each
// through a V8 code cache made at build time (src/build/code-cache.cjs):
// - runts-init.cjs for `runts init <id>` (internal: nsexec starts it inside the container's
//   namespaces for every create and exec), with a cache of all its functions compiled;
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

// Like runc's, `runts init` is not offered on the command line; the id is there for ps.
const name = process.argv[2] === 'init' && process.argv.length === 4 ? 'runts-init' : 'runts';
// A guess from the words on the command line (as src/cli/entry.ts's): a wrong one, such as a
// container named "run", costs time only.
const CONFIG_COMMANDS = ['create', 'run', 'exec', 'spec', 'validate', 'update'];
const cache = name === 'runts-init' ? 'runts-init' : process.argv.some((word) => CONFIG_COMMANDS.includes(word)) ? 'runts-config' : 'runts-lifecycle';
// Each bundle is a function of a CommonJS module's arguments (the build wraps it so).
const script = new Script(getAsset(`${name}.cjs`, 'utf8'), {
  filename: `${name}.cjs`,
  // The cache's bytes as they lie in the executable (getAsset would copy them first).
  cachedData: Buffer.from(getRawAsset(`${cache}.codecache`)),
});
// Read by `runts --debug` (src/cli/main.ts), so that a rejected cache does not go unseen.
globalThis[Symbol.for('runts.codeCacheRejected')] = script.cachedDataRejected === true;
script.runInThisContext()(module.exports, require, module, __filename, __dirname);
