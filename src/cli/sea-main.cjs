// The main script of the single executable (dist/runts). It runs the bundled runts (the SEA
// asset runts.cjs) through a V8 code cache made at build time after warm-up runs of common
// commands (src/build/code-cache.cjs). Node's own SEA code cache holds only the top level of a
// script; this one also holds the functions those runs compiled (yargs, the config
// validators...), which every command otherwise compiles again: about 4 ms off `state`, 10 ms
// off `validate`. `runts init` runs none of those and takes the cold cache (the top level
// only), which is quicker to load. A rejected cache (another V8) costs only that time back.
'use strict';
const { getAsset } = require('node:sea');
const { Script } = require('node:vm');

const wrapper = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new Script(wrapper(getAsset('runts.cjs', 'utf8')), {
  filename: 'runts.cjs',
  cachedData: Buffer.from(getAsset(process.argv[2] === 'init' ? 'runts-init.codecache' : 'runts.codecache')),
});
// Read by `runts --debug` (src/cli/main.ts), so that a rejected cache does not go unseen.
globalThis[Symbol.for('runts.codeCacheRejected')] = script.cachedDataRejected === true;
script.runInThisContext()(module.exports, require, module, __filename, __dirname);
