// npm run bench: the same workloads with runts and with runc, interleaved round by round so both
// see the same machine, each figure reported as median, min and max, with the ratio
// runts/runc. Writes bench/results.json. Needs root, dist/runts (npm run build), busybox-static,
// and runc (Debian's package; without it only runts is measured).
//   BENCH_ROUNDS=N (default 20) rounds of each timed workload.
//   BENCH_ALSO=NAME=PATH[,NAME=PATH...] other runts executables measured in the same rounds
//   (another build, to compare with), each with its own ratio to runc.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const MEMORY_CONTAINERS = 20;
const SCALE_COUNTS = [20, 50];
/** Runtimes get a clean environment, as engines give them. */
const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

function which(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

const work = mkdtempSync(join(tmpdir(), 'runts-bench-'));
// State roots on tmpfs, where engines keep them (/run): no disk flush in the figures.
const stateDir = mkdtempSync('/run/runts-bench-');
const runtimes = [{ name: 'runts', bin: join(top, 'dist/runts'), root: join(stateDir, 'runts') }];
for (const entry of (process.env.BENCH_ALSO ?? '').split(',').filter(Boolean)) {
  const [name, bin] = entry.split('=');
  if (!name || !bin || !existsSync(bin)) throw new Error(`BENCH_ALSO: ${entry}: give NAME=PATH of an executable`);
  runtimes.push({ name, bin: resolve(bin), root: join(stateDir, name) });
}
const runc = which('runc');
if (runc) runtimes.push({ name: 'runc', bin: runc, root: join(stateDir, 'runc') });
else console.log('runc is not installed (apt-get install runc): measuring runts alone, without ratios');
if (!existsSync(runtimes[0].bin)) throw new Error('dist/runts is missing: run npm run build');

function makeBundle(name, ...args) {
  const dir = join(work, name);
  execFileSync('bash', [join(top, 'conformance/make-bundle.sh'), dir, ...args], { stdio: 'ignore', env: { ...process.env, RUNTS: runtimes[0].bin } });
  return dir;
}

/** Runs one runtime command, output discarded; returns milliseconds. */
function timed(runtime, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(runtime.bin, ['--root', runtime.root, ...args], { stdio: 'ignore', env: ENV });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${runtime.name} ${args.join(' ')} exited with ${result.status}`);
  return ms;
}

function quiet(runtime, args) {
  return spawnSync(runtime.bin, ['--root', runtime.root, ...args], { encoding: 'utf8', env: ENV });
}

function stateOf(runtime, id) {
  return JSON.parse(quiet(runtime, ['state', id]).stdout);
}

function waitStopped(runtime, id) {
  for (let i = 0; i < 1000 && stateOf(runtime, id).status !== 'stopped'; i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
}

/** Rounds alternate which runtime goes first, so neither always meets a warmer machine. */
function interleaved(rounds, body) {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? runtimes : [...runtimes].reverse();
    for (const runtime of order) body(runtime, round);
  }
}

const samples = {}; // figure -> runtime -> number[]
function record(figure, runtime, value) {
  samples[figure] ??= {};
  (samples[figure][runtime.name] ??= []).push(value);
}

const trueBundle = makeBundle('true-bundle', '/bin/true');
const sleepBundle = makeBundle('sleep-bundle', 'sleep', '1000');

// 1. run of /bin/true in the foreground (create + start + wait + delete).
interleaved(ROUNDS, (runtime, round) => record('run /bin/true', runtime, timed(runtime, ['run', '--bundle', trueBundle, `run-${round}`])));

// 2. The engine pattern, one command at a time.
interleaved(ROUNDS, (runtime, round) => {
  const id = `engine-${round}`;
  record('create', runtime, timed(runtime, ['create', '--bundle', sleepBundle, id]));
  record('start', runtime, timed(runtime, ['start', id]));
  record('state', runtime, timed(runtime, ['state', id]));
  record('kill', runtime, timed(runtime, ['kill', id, 'KILL']));
  waitStopped(runtime, id);
  record('delete', runtime, timed(runtime, ['delete', id]));
});

// 3. exec of /bin/true into a running container.
for (const runtime of runtimes) timed(runtime, ['run', '--detach', '--bundle', sleepBundle, 'exec-target']);
interleaved(ROUNDS, (runtime) => record('exec /bin/true', runtime, timed(runtime, ['exec', 'exec-target', '/bin/true'])));
for (const runtime of runtimes) timed(runtime, ['delete', '--force', 'exec-target']);

// 4. Memory: containers in the created state, and what their processes hold (PSS).
function pss(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^Pss:\s+(\d+) kB/m.exec(text)[1]);
}
for (const runtime of runtimes) {
  const ids = Array.from({ length: MEMORY_CONTAINERS }, (_, i) => `mem-${i}`);
  for (const id of ids) timed(runtime, ['create', '--bundle', sleepBundle, id]);
  const totalKb = ids.reduce((sum, id) => sum + pss(stateOf(runtime, id).pid), 0);
  record(`memory per created container (KiB PSS, ${MEMORY_CONTAINERS} at once)`, runtime, totalKb / MEMORY_CONTAINERS);
  for (const id of ids) timed(runtime, ['delete', '--force', id]);
}

// 5. The peak resident memory of a command's processes (KiB; for run, the largest of the CLI,
// init and the program), as the kernel counts it for the children waited for.
function peakRssKb(runtime, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', runtime.bin, '--root', runtime.root, ...args], { encoding: 'utf8', env: ENV });
  if (result.status !== 0) throw new Error(`${runtime.name} ${args.join(' ')} exited with ${result.status}`);
  return Number(result.stderr.trim().split('\n').at(-1));
}
if (existsSync('/usr/bin/time')) {
  for (const runtime of runtimes) timed(runtime, ['create', '--bundle', sleepBundle, 'rss-target']);
  interleaved(ROUNDS, (runtime, round) => {
    record('peak RSS of state (KiB)', runtime, peakRssKb(runtime, ['state', 'rss-target']));
    record('peak RSS of run /bin/true (KiB)', runtime, peakRssKb(runtime, ['run', '--bundle', trueBundle, `rss-${round}`]));
  });
  for (const runtime of runtimes) timed(runtime, ['delete', '--force', 'rss-target']);
} else {
  console.log('/usr/bin/time is missing (apt-get install time): no peak memory figures');
}

// 6. Scale: N containers started at once (run --detach), then deleted at once.
function all(runtime, argsOf, count) {
  const start = process.hrtime.bigint();
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      new Promise((done, fail) => {
        const child = spawn(runtime.bin, ['--root', runtime.root, ...argsOf(i)], { stdio: 'ignore', env: ENV });
        child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${runtime.name} ${argsOf(i).join(' ')} exited with ${code}`))));
      }),
    ),
  ).then(() => Number(process.hrtime.bigint() - start) / 1e6);
}
for (const count of SCALE_COUNTS) {
  for (let round = 0; round < 2; round++) {
    for (const runtime of round % 2 === 0 ? runtimes : [...runtimes].reverse()) {
      record(`${count} x run --detach, all running`, runtime, await all(runtime, (i) => ['run', '--detach', '--bundle', sleepBundle, `scale-${i}`], count));
      record(`${count} x delete --force`, runtime, await all(runtime, (i) => ['delete', '--force', `scale-${i}`], count));
    }
  }
}

// 7. Where runts's time goes: the steps of `run /bin/true`, from --debug.
const steps = {};
for (let round = 0; round < ROUNDS; round++) {
  const result = spawnSync(runtimes[0].bin, ['--root', runtimes[0].root, '--debug', '--log-format', 'json', 'run', '--bundle', trueBundle, `steps-${round}`], { encoding: 'utf8', env: ENV });
  for (const line of result.stderr.split('\n')) {
    const match = /^timing (\S+)=([\d.]+)ms$/.exec(line ? JSON.parse(line).msg : '');
    if (match) (steps[match[1]] ??= []).push(Number(match[2]));
  }
}

rmSync(work, { recursive: true, force: true });
rmSync(stateDir, { recursive: true, force: true });

// Report.
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const summary = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length });
const runts = runtimes.filter((runtime) => runtime.name !== 'runc');
const figures = Object.entries(samples).map(([figure, byRuntime]) => {
  const stats = Object.fromEntries(Object.entries(byRuntime).map(([name, values]) => [name, summary(values)]));
  const ratios = Object.fromEntries(runts.filter((r) => stats[r.name] && stats.runc).map((r) => [r.name, stats[r.name].median / stats.runc.median]));
  return { figure, ...stats, ratios };
});
const breakdown = Object.fromEntries(Object.entries(steps).map(([step, values]) => [step, summary(values)]));

const fmt = (s) => (s ? `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '-');
console.log(`\nruntimes: ${runtimes.map((r) => r.name).join(', ')}; ${ROUNDS} rounds; times in ms, median (min–max)\n`);
const columns = [...runts.map((r) => r.name), ...(runc ? ['runc'] : [])];
const ratioColumns = runc ? runts.map((r) => `${r.name}/runc`) : [];
console.log(`| workload | ${[...columns, ...ratioColumns].join(' | ')} |`);
console.log(`| --- |${' --- |'.repeat(columns.length + ratioColumns.length)}`);
for (const row of figures) {
  const ratios = runc ? runts.map((r) => (row.ratios[r.name] ? `${row.ratios[r.name].toFixed(2)}x` : '-')) : [];
  console.log(`| ${row.figure} | ${[...columns.map((name) => fmt(row[name])), ...ratios].join(' | ')} |`);
}
console.log('\nrunts run /bin/true, step by step (ms, median of the rounds):\n');
console.log('| step | median | min | max |');
console.log('| --- | --- | --- | --- |');
for (const [step, s] of Object.entries(breakdown)) console.log(`| ${step} | ${s.median.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} |`);

const versionOf = (runtime) => spawnSync(runtime.bin, ['--version'], { encoding: 'utf8', env: ENV }).stdout.split('\n').filter((line) => /^(runc version|bun|node):? /.test(line)).join(', ');
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), runtimes: Object.fromEntries(runtimes.map((r) => [r.name, versionOf(r)])) };
const results = { date: new Date().toISOString(), machine, rounds: ROUNDS, figures, breakdown };
writeFileSync(join(top, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nmachine: ${machine.cpus} x ${machine.cpu}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}; ${Object.entries(machine.runtimes).map(([name, version]) => `${name}: ${version}`).join('; ')}`);
console.log('wrote bench/results.json');
