// npm run soak: many create/start/delete cycles of a container with limits, counting what the
// host holds before and after (mounts, cgroups, open files, processes, state entries, unpacked
// native versions); exits non-zero if anything was left behind. Not part of npm test (it takes
// minutes). Needs root, dist/runts and busybox-static.
//   SOAK_CYCLES=N (default 1000)
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNTS = join(top, 'dist/runts');
const CYCLES = Number(process.env.SOAK_CYCLES ?? 1000);
const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
if (!existsSync(RUNTS)) throw new Error('dist/runts is missing: run npm run build');

const work = mkdtempSync(join(tmpdir(), 'runts-soak-'));
const root = join(work, 'state');
const prefix = `soak-${process.pid}`;
const bundle = join(work, 'bundle');
execFileSync('bash', [join(top, 'conformance/make-bundle.sh'), bundle, 'sleep', '1000'], { stdio: 'ignore' });
const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
config.linux.resources = { memory: { limit: 64 * 1024 * 1024 }, pids: { limit: 64 }, cpu: { shares: 512 } };
config.linux.cgroupsPath = `/${prefix}`;
writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));

/**
 * Runs runts with its output in a file: a container keeps the stdio runts gives it, and a pipe
 * would not end while the container lives.
 */
function runts(...args) {
  const output = openSync(join(work, 'output'), 'w+');
  try {
    const result = spawnSync(RUNTS, ['--root', root, ...args], { stdio: ['ignore', output, output], env: ENV });
    if (result.status !== 0) throw new Error(`runts ${args.join(' ')} exited with ${result.status}: ${readFileSync(join(work, 'output'), 'utf8')}`);
  } finally {
    closeSync(output);
  }
}

function countDirectories(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) count += 1 + countDirectories(join(dir, entry.name));
  return count;
}

/** What the host holds that a container or runts could leave behind. */
function census() {
  const processes = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(prefix) || readlinkSync(`/proc/${pid}/exe`) === RUNTS;
      } catch {
        return false;
      }
    });
  return {
    mounts: readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n').length,
    cgroups: countDirectories('/sys/fs/cgroup'),
    'open files (system)': Number(readFileSync('/proc/sys/fs/file-nr', 'utf8').split(/\s+/)[0]),
    'open files (this process)': readdirSync('/proc/self/fd').length,
    'runts processes': processes.length,
    'state entries': existsSync(root) ? readdirSync(root).length : 0,
    'native versions': existsSync('/run/runts.native') ? readdirSync('/run/runts.native').sort().join(' ') : '',
  };
}

// One cycle first, so that the native files of this build are unpacked (and older ones pruned).
runts('run', '--detach', '--bundle', bundle, `${prefix}-warm`);
runts('delete', '--force', `${prefix}-warm`);
const before = census();
const started = Date.now();
for (let i = 0; i < CYCLES; i++) {
  const id = `${prefix}-${i}`;
  runts('create', '--bundle', bundle, id);
  runts('start', id);
  runts('delete', '--force', id);
}
const seconds = (Date.now() - started) / 1000;
const after = census();
rmSync(work, { recursive: true, force: true });

// The system-wide count of open files moves with everything else on the machine: reported, and
// judged with a margin; the rest must be exactly as before.
const tolerance = { 'open files (system)': 64 };
let leaks = 0;
console.log(`${CYCLES} create/start/delete cycles in ${seconds.toFixed(1)} s\n`);
console.log('| what | before | after |');
console.log('| --- | --- | --- |');
for (const [what, value] of Object.entries(before)) {
  const now = after[what];
  const leaked = typeof value === 'number' ? now - value > (tolerance[what] ?? 0) : now !== value;
  if (leaked) leaks++;
  console.log(`| ${what} | ${value} | ${now}${leaked ? ' (left behind)' : ''} |`);
}
console.log(leaks === 0 ? '\nnothing left behind' : `\n${leaks} kinds of things left behind`);
process.exitCode = leaks === 0 ? 0 : 1;
