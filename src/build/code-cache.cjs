// Build-time only: the V8 code caches that src/cli/sea-main.cjs runs the bundles with.
//
//   node src/build/code-cache.cjs cold dist/runts-init.cjs CACHE
//   node src/build/code-cache.cjs warm dist/runts.cjs CACHE
//
// A bundle is compiled exactly as sea-main.cjs compiles it. A cold cache is taken at once (the
// top level only: small to load, for `runts init`); for a warm one the bundle is first run
// several times as commands that touch nothing outside a temporary directory (spec, validate,
// state, list, usage errors), and the cache holds every function those runs compiled. It must
// run on the node binary the executable is made from (a cache is specific to that V8).
'use strict';
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Script } = require('node:vm');

const [kind, bundlePath, cachePath] = process.argv.slice(2);
const wrapper = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new Script(wrapper(readFileSync(bundlePath, 'utf8')), { filename: bundlePath.split('/').pop() });
if (kind === 'cold') {
  writeFileSync(cachePath, script.createCachedData());
  process.exit(0);
}
const runBundle = script.runInThisContext();

const work = mkdtempSync(join(tmpdir(), 'runts-code-cache-'));
const root = join(work, 'state');
const bundle = join(work, 'bundle');
mkdirSync(join(bundle, 'rootfs'), { recursive: true });
const warmUps = [
  ['spec', '--bundle', bundle],
  ['validate', '--bundle', bundle],
  ['--root', root, 'state', 'warm-up'],
  ['--root', root, 'list'],
  ['--root', root, 'list', '--format', 'json'],
  ['--root', root, 'kill', 'warm-up', 'KILL'],
  ['--root', root, 'delete', 'warm-up'],
  ['--root', root, 'create', '--bogus-flag', 'warm-up'],
];

/** Each run ends when its main() settles: the entry sets process.exitCode then. */
async function run(args) {
  process.argv = [process.argv[0], 'runts', ...args];
  process.exitCode = undefined;
  const module = { exports: {} };
  runBundle(module.exports, require, module, bundlePath, work);
  for (let i = 0; i < 1000 && process.exitCode === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (process.exitCode === undefined) throw new Error(`warm-up run ${args.join(' ')} did not finish within a second`);
}

(async () => {
  try {
    for (const args of warmUps) await run(args);
    writeFileSync(cachePath, script.createCachedData());
    process.exitCode = 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
})();
