// runtime.md's lifecycle, checked from outside: create, start, state, kill, delete and run,
// with the statuses, pid file, exit codes and signals engines rely on, and nothing left behind.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSameProcessAlive } from '../src/container/process-info.js';
import { mkdirp, useTestHost } from './helpers/bundle.js';
import { processesWith } from './helpers/processes.js';
import { RUNTS } from './helpers/runts.js';
import { sleepSync } from '../src/sleep.js';

const host = useTestHost();

const stateOf = (id: string) => JSON.parse(host.runts(['state', id]).stdout);

describe('create and start', () => {
  it('creates a container whose program has not run, then start runs it', () => {
    const shared = mkdirp(join(host.work, 'shared'));
    const bundle = host.bundle(['sh', '-c', 'echo ran > /shared/out; sleep 30'], (config) => {
      config.mounts!.push({ destination: '/shared', type: 'bind', source: shared, options: ['bind'] });
    });
    const pidFile = join(host.work, 'init.pid');
    const created = host.runts(['create', '--bundle', bundle, '--pid-file', pidFile, 'web']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);

    const state = stateOf('web');
    expect(state).toMatchObject({ ociVersion: '1.3.0', id: 'web', status: 'created', bundle, rootfs: join(bundle, 'rootfs') });
    expect(readFileSync(pidFile, 'utf8')).toBe(String(state.pid));
    expect(existsSync(`/proc/${state.pid}`)).toBe(true);
    expect(existsSync(join(shared, 'out'))).toBe(false);

    expect(host.runts(['start', 'web']).code).toBe(0);
    expect(stateOf('web').status).toBe('running');
    for (let i = 0; i < 500 && !existsSync(join(shared, 'out')); i++) sleepSync(10);
    expect(readFileSync(join(shared, 'out'), 'utf8')).toBe('ran\n');

    expect(host.runts(['delete', '--force', 'web']).code).toBe(0);
    expect(isSameProcessAlive(state.pid, undefined)).toBe(false);
  });

  it('holds a created container with a small static waiter, not a runts process', () => {
    host.runts(['create', '--bundle', host.bundle(['sleep', '30']), 'cheap']);
    const pid = stateOf('cheap').pid;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe('runts-init:cheap');
    const pssKb = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))![1]);
    expect(pssKb).toBeLessThan(4096);
    // Only stdio and the exec fifo are open in it.
    expect(readdirSync(`/proc/${pid}/fd`).length).toBe(4);
    expect(host.runts(['start', 'cheap']).code).toBe(0);
    expect(readdirSync(`/proc/${pid}/fd`).sort()).toEqual(['0', '1', '2']);
    host.runts(['delete', '--force', 'cheap']);
  });

  it('refuses to start a container twice', () => {
    host.runts(['create', '--bundle', host.bundle(['sleep', '30']), 'twice']);
    expect(host.runts(['start', 'twice']).code).toBe(0);
    const again = host.runts(['start', 'twice']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cannot start container \\"twice\\": it is running, not created');
    host.runts(['delete', '--force', 'twice']);
  });

  it('refuses a duplicate id and leaves the first container alone', () => {
    const bundle = host.bundle(['sleep', '30']);
    expect(host.runts(['create', '--bundle', bundle, 'dup']).code).toBe(0);
    const pid = stateOf('dup').pid;
    const second = host.runts(['create', '--bundle', bundle, 'dup']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('container \\"dup\\" already exists');
    expect(stateOf('dup')).toMatchObject({ status: 'created', pid });
    host.runts(['delete', 'dup']);
  });
});

describe('kill and delete', () => {
  it('kills with names and numbers through the pidfd, and the status follows the process', () => {
    host.runts(['create', '--bundle', host.bundle(['sleep', '30']), 'k']);
    host.runts(['start', 'k']);
    expect(host.runts(['kill', 'k', 'KILL']).code).toBe(0);
    for (let i = 0; i < 200 && stateOf('k').status !== 'stopped'; i++) sleepSync(10);
    expect(stateOf('k')).toMatchObject({ status: 'stopped', pid: 0 });
    const again = host.runts(['kill', 'k', '9']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('container \\"k\\" is not running');
    expect(host.runts(['delete', 'k']).code).toBe(0);
    expect(host.containers()).toEqual([]);
  });

  it('refuses an unknown signal', () => {
    host.runts(['create', '--bundle', host.bundle(['sleep', '30']), 's']);
    const bad = host.runts(['kill', 's', 'SIGNOPE']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid signal');
    host.runts(['delete', 's']);
  });

  it('takes signal 0 to ask whether the container is alive, and lists no processes of a stopped one, as runc', () => {
    host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '30']), 'alive']);
    expect(host.runts(['kill', 'alive', '0']).code).toBe(0);
    expect(host.runts(['ps', '--format', 'json', 'alive']).stdout).toMatch(/^\[\d+\]\n$/);
    expect(host.runts(['kill', 'alive', 'KILL']).code).toBe(0);
    for (let i = 0; i < 200 && stateOf('alive').status !== 'stopped'; i++) sleepSync(5);
    const zero = host.runts(['kill', 'alive', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('container \\"alive\\" is not running');
    expect(host.runts(['ps', '--format', 'json', 'alive'])).toMatchObject({ code: 0, stdout: 'null\n' });
    const table = host.runts(['ps', 'alive']);
    expect(table.code).toBe(0);
    expect(table.stdout.trim().split('\n')).toHaveLength(1);
    expect(host.runts(['delete', 'alive']).code).toBe(0);
  });

  it('refuses to delete a running container without --force, and removes everything with it', () => {
    host.runts(['create', '--bundle', host.bundle(['sleep', '30']), 'd']);
    host.runts(['start', 'd']);
    const refused = host.runts(['delete', 'd']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('that is not stopped: running');
    const pid = stateOf('d').pid;
    expect(host.runts(['delete', '--force', 'd']).code).toBe(0);
    expect(host.containers()).toEqual([]);
    expect(isSameProcessAlive(pid, undefined)).toBe(false);
  });

  it('deletes a created container (its program never ran) without --force', () => {
    host.runts(['create', '--bundle', host.bundle(['sleep', '30']), 'c']);
    expect(host.runts(['delete', 'c']).code).toBe(0);
    expect(host.containers()).toEqual([]);
  });

  it('says clearly that an unknown container cannot be deleted, started or killed', () => {
    for (const command of ['delete', 'start', 'kill']) {
      const result = host.runts([command, 'ghost']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('container \\"ghost\\" does not exist');
    }
  });

  it('works from a working directory that is gone (containerd\'s shim cleans up from a removed bundle)', () => {
    const gone = mkdtempSync(join(host.work, 'gone-'));
    const child = spawnSync('sh', ['-c', `cd ${gone} && rmdir ${gone} && exec ${RUNTS} --root ${host.root} delete --force ghost`], { encoding: 'utf8' });
    expect({ code: child.status, stderr: child.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('succeeds quietly in delete --force of a container already gone, as runc (containerd relies on it)', () => {
    expect(host.runts(['delete', '--force', 'ghost'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const invalid = host.runts(['delete', '--force', '../ghost']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('../ghost');
  });
});

describe('a container whose state.json is corrupt', () => {
  /** A running container whose record is then spoilt by `spoil`; what delete --force must remove. */
  function broken(id: string, spoil: (text: string) => string, withCgroupsPath = true) {
    const bundle = host.bundle(['sleep', '300'], (config) => {
      if (!withCgroupsPath) delete config.linux!.cgroupsPath;
    });
    expect(host.runts(['run', '--detach', '--bundle', bundle, id]).code).toBe(0);
    const file = join(host.root, id, 'state.json');
    const record = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, spoil(readFileSync(file, 'utf8')));
    return { pid: record.pid as number, startTime: record.initStartTime as number, cgroups: record.cgroup.created as string[] };
  }

  it('is listed as broken, refused by state and kill, and removed whole by delete --force', () => {
    const cases: [string, (text: string) => string, boolean][] = [
      ['wrong-shape', (text) => text.replace('"status":"running"', '"status":5').replace('"status":"created"', '"status":5'), true],
      ['truncated', (text) => text.slice(0, text.indexOf('"pid":')), true],
      ['garbage', () => 'zz{{', false],
      ['empty', () => '', false],
    ];
    for (const [name, spoil, withCgroupsPath] of cases) {
      const id = `broken-${name}-${process.pid}`;
      const left = broken(id, spoil, withCgroupsPath);
      const list = host.runts(['list']);
      expect(list.stdout).toMatch(new RegExp(`^${id}\\s+0\\s+broken`, 'm'));
      expect(host.runts(['state', id])).toMatchObject({ code: 1, stderr: expect.stringContaining('corrupt state') });
      expect(host.runts(['kill', id, 'KILL'])).toMatchObject({ code: 1, stderr: expect.stringContaining('corrupt state') });
      const deleted = host.runts(['delete', '--force', id]);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stderr).toContain(`removing what can still be found of container \\"${id}\\"`);
      expect(isSameProcessAlive(left.pid, left.startTime), name).toBe(false);
      expect(left.cgroups.filter((dir) => existsSync(dir)), name).toEqual([]);
      expect(existsSync(join(host.root, id)), name).toBe(false);
    }
  });
});

describe('kill --all', () => {
  it('signals every process in the container\'s pid namespace', () => {
    const marker = `all-${process.pid}`;
    host.runts(['run', '--detach', '--bundle', host.bundle(['sh', '-c', 'sleep 60 & sleep 60 & wait', marker]), 'all']);
    for (let i = 0; i < 200 && processesWith('sleep').filter((pid) => isInContainer(pid, 'all')).length < 2; i++) {
      sleepSync(10);
    }
    const sleepers = processesWith('sleep').filter((pid) => isInContainer(pid, 'all'));
    expect(sleepers).toHaveLength(2);
    expect(host.runts(['kill', '--all', 'all', 'KILL']).code).toBe(0);
    for (let i = 0; i < 200 && sleepers.some((pid) => isSameProcessAlive(pid, undefined)); i++) sleepSync(10);
    expect(sleepers.filter((pid) => isSameProcessAlive(pid, undefined))).toEqual([]);
    host.runts(['delete', '--force', 'all']);
  });
});

/** True when `pid` shares the pid namespace of container `id`'s init. */
function isInContainer(pid: number, id: string): boolean {
  try {
    const init = JSON.parse(host.runts(['state', id]).stdout).pid;
    return readlinkSync(`/proc/${pid}/ns/pid`) === readlinkSync(`/proc/${init}/ns/pid`) && pid !== init;
  } catch {
    return false;
  }
}

describe('run', () => {
  it('passes the signals it gets on to the container and exits with its status', async () => {
    const bundle = host.bundle(['sh', '-c', 'trap "exit 42" TERM; echo ready; while true; do sleep 0.05; done']);
    const out = join(host.work, 'out');
    const outFd = openSync(out, 'w');
    const child = spawn(RUNTS, ['--root', host.root, 'run', '--bundle', bundle, 'fwd'], { stdio: ['ignore', outFd, 'inherit'], env: { PATH: process.env.PATH } });
    closeSync(outFd);
    for (let i = 0; i < 500 && !readFileSync(out, 'utf8').includes('ready'); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(42);
    expect(host.containers()).toEqual([]);
  });

  it('exits with the container program\'s exit code and removes the container', () => {
    const result = host.runts(['run', '--bundle', host.bundle(['sh', '-c', 'echo out; echo err >&2; exit 3']), 'r']);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toBe('err\n');
    expect(result.code).toBe(3);
    expect(host.containers()).toEqual([]);
  });

  it('exits with 128+signal when the program is killed', () => {
    // Without a pid namespace of its own the program is not a namespace's init, which the
    // kernel would protect from its own SIGKILL.
    const bundle = host.bundle(['sh', '-c', 'kill -9 $$'], (config) => {
      config.linux!.namespaces = config.linux!.namespaces!.filter((namespace) => namespace.type !== 'pid');
    });
    expect(host.runts(['run', '--bundle', bundle, 'sig']).code).toBe(128 + 9);
  });

  it('keeps the stopped container with --keep', () => {
    expect(host.runts(['run', '--keep', '--bundle', host.bundle(['true']), 'kept']).code).toBe(0);
    expect(stateOf('kept').status).toBe('stopped');
    expect(host.runts(['delete', 'kept']).code).toBe(0);
  });

  it('returns at once with --detach, the container running', () => {
    const marker = `detached-${process.pid}`;
    const pidFile = join(host.work, 'pid');
    const result = host.runts(['run', '--detach', '--pid-file', pidFile, '--bundle', host.bundle(['sh', '-c', 'sleep 30; true', marker]), 'det']);
    expect(result.code).toBe(0);
    expect(stateOf('det').status).toBe('running');
    expect(processesWith(marker)).toContain(Number(readFileSync(pidFile, 'utf8')));
    host.runts(['delete', '--force', 'det']);
    expect(processesWith(marker)).toEqual([]);
  });
});
