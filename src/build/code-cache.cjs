// Build-time only: the V8 code caches that src/cli/sea-main.cjs runs the bundles with.
//
//   node src/build/code-cache.cjs eager dist/runts-init.cjs CACHE   (and dist/runts-launch.cjs)
//   node src/build/code-cache.cjs config dist/runts.cjs CACHE
//   node src/build/code-cache.cjs lifecycle dist/runts.cjs CACHE
//
// A bundle is compiled exactly as sea-main.cjs compiles it.
// - eager, for `runts init` and the launcher: every function of the bundle is compiled at once
//   (V8's --no-lazy, set for that compilation only: a cache made under another flag would be
//   rejected, and V8 checks the flags as they are when the cache is written). Neither can be
//   run at build time to warm a cache (they start and are containers), and compiling the
//   functions init runs one by one cost it ~1.7 ms of its work after its orders, on the
//   critical path of every create and exec; both bundles are small (~100 KB), so the whole of
//   each is a cache of 150-170 KB.
// - warm, for the CLI: the bundle is first run several times as commands that touch nothing
//   outside a temporary directory, and the cache holds every function those runs compiled.
//   The CLI has two warm caches, because V8 reads a cache whole before anything runs:
//   `config` for the commands that check a config.json (its validators are most of it),
//   `lifecycle` for those that only read a container's record (state, list, start, kill,
//   delete...), which a cache with the config validators in it slows by ~3 ms.
// It must run on the node binary the executable is made from (a cache is specific to that V8).
'use strict';
const { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

const [kind, bundlePath, cachePath] = process.argv.slice(2);
if (!['eager', 'config', 'lifecycle'].includes(kind)) throw new Error(`unknown kind of code cache ${kind}`);
if (kind === 'eager') setFlagsFromString('--no-lazy');
const script = new Script(readFileSync(bundlePath, 'utf8'), { filename: bundlePath.split('/').pop() });
if (kind === 'eager') {
  setFlagsFromString('--lazy');
  writeFileSync(cachePath, script.createCachedData());
  process.exit(0);
}
const runBundle = script.runInThisContext();

const work = mkdtempSync(join(tmpdir(), 'runts-code-cache-'));
const root = join(work, 'state');
const bundle = join(work, 'bundle');
mkdirSync(join(bundle, 'rootfs'), { recursive: true });
// A container that looks running to state and list: its init is this process (never signalled:
// only commands that read run on it).
const record = {
  ociVersion: '1.3.0',
  id: 'warm-up-record',
  status: 'running',
  pid: process.pid,
  initStartTime: Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[19]),
  bundle,
  rootfs: join(bundle, 'rootfs'),
  created: new Date().toISOString(),
  process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['sh'], env: ['PATH=/bin'], cwd: '/' },
  cgroup: { paths: { '': join(work, 'cgroup') }, created: [] },
};
mkdirSync(join(root, record.id), { recursive: true });
writeFileSync(join(root, record.id, 'state.json'), JSON.stringify(record));

/** Each run: its arguments, and the exit code it must end with (a record the schema no longer accepts must not pass unseen). */
const warmUps = {
  config: [
    [['spec', '--bundle', bundle], 0],
    [['validate', '--bundle', bundle], 0],
    [['--root', root, 'create', '--bogus-flag', 'warm-up'], 1],
  ],
  lifecycle: [
    [['--root', root, 'state', record.id], 0],
    [['--root', root, 'state', 'warm-up'], 1],
    [['--root', root, 'list'], 0],
    [['--root', root, 'list', '--format', 'json'], 0],
    [['--root', root, 'start', 'warm-up'], 1],
    [['--root', root, 'kill', 'warm-up', 'KILL'], 1],
    [['--root', root, 'delete', 'warm-up'], 1],
  ],
}[kind];
/** Each run ends when its main() settles: the entry sets process.exitCode then. */
async function run(args, expectedCode) {
  process.argv = [process.argv[0], 'runts', ...args];
  process.exitCode = undefined;
  const module = { exports: {} };
  runBundle(module.exports, require, module, bundlePath, work);
  for (let i = 0; i < 1000 && process.exitCode === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (process.exitCode === undefined) throw new Error(`warm-up run ${args.join(' ')} did not finish within a second`);
  if (process.exitCode !== expectedCode) throw new Error(`warm-up run ${args.join(' ')} ended with ${process.exitCode}, not ${expectedCode}`);
}

(async () => {
  try {
    for (const [args, expectedCode] of warmUps) await run(args, expectedCode);
    writeFileSync(cachePath, script.createCachedData());
    process.exitCode = 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
})();
