// The main script of the single executable (dist/runts). It runs one of two bundles, each
// through a V8 code cache made at build time (src/build/code-cache.cjs):
// - runts-init.cjs for `runts init <id>` (internal: nsexec starts it inside the container's
//   namespaces for every create and exec), with a cold cache (its top level only);
// - runts.cjs, the CLI, with a warm cache made after warm-up runs of common commands. Node's
//   own SEA code cache holds only the top level of a script; this one also holds the functions
//   those runs compiled (yargs, the config validators...), which every command otherwise
//   compiles again: about 4 ms off `state`, 10 ms off `validate`.
// A rejected cache (another V8) costs only that time back.
'use strict';
const { getAsset } = require('node:sea');
const { Script } = require('node:vm');

// Like runc's, `runts init` is not offered on the command line; the id is there for ps.
const name = process.argv[2] === 'init' && process.argv.length === 4 ? 'runts-init' : 'runts';
const wrapper = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new Script(wrapper(getAsset(`${name}.cjs`, 'utf8')), {
  filename: `${name}.cjs`,
  cachedData: Buffer.from(getAsset(`${name}.codecache`)),
});
// Read by `runts --debug` (src/cli/main.ts), so that a rejected cache does not go unseen.
globalThis[Symbol.for('runts.codeCacheRejected')] = script.cachedDataRejected === true;
script.runInThisContext()(module.exports, require, module, __filename, __dirname);
