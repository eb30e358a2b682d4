// Cgroups, checked from outside (the files under /sys/fs/cgroup) and from inside (what the
// limits do to the container's processes). One suite for both drivers: it runs on this hybrid
// host (v1) and in the cgroup v2 guest (`npm run test:cgroup-v2`, conformance/vm/).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { sleepSync } from '../src/sleep.js';
import { cgroupsNamed, useTestHost } from './helpers/bundle.js';
import { killCreateDuringHook, processesWith } from './helpers/processes.js';
import { cgroupDir, cgroupLines, cgroupMountPoints, everyHierarchy, isUnified, readCgroupFile, versionOf } from './helpers/cgroups.js';
import { RUNTS } from './helpers/runts.js';

const host = useTestHost();

type Change = (config: Config) => void;

const withResources =
  (resources: NonNullable<Config['linux']>['resources'], more: Change = () => undefined): Change =>
  (config) => {
    config.linux!.resources = { ...config.linux!.resources, ...resources };
    more(config);
  };

/** A running container; returns its init's host pid. */
function running(id: string, args: string[] = ['sleep', '600'], change: Change = () => undefined): number {
  const result = host.runts(['run', '--detach', '--bundle', host.bundle(args, change), id]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return stateOf(id).pid;
}

function stateOf(id: string): { pid: number; status: string } {
  return JSON.parse(host.runts(['state', id]).stdout);
}

/** The counter of cpu time the container's cgroup has used, in ns. */
function cpuUsage(id: string): number {
  const stats = JSON.parse(host.runts(['events', '--stats', id]).stdout);
  return stats.data.cpu.usage.total;
}

/** major:minor of a disk of this machine (the guest of conformance/vm/ has a scratch one). */
function firstBlockDevice(): { major: number; minor: number } {
  const disk = readdirSync('/sys/block').find((name) => !name.startsWith('loop') && !name.startsWith('ram'));
  if (!disk) throw new Error('no block device to limit');
  const [major, minor] = readFileSync(`/sys/block/${disk}/dev`, 'utf8').trim().split(':').map(Number);
  return { major: major!, minor: minor! };
}

function expectDeleted(id: string, path: string): void {
  expect(host.runts(['delete', '--force', id]).code).toBe(0);
  expect(everyHierarchy(path)).toEqual([]);
}

describe('the host', () => {
  // npm run test:cgroup-v2 sets this: the suite must really be running on a pure v2 kernel.
  it.runIf(process.env.RUNTS_EXPECT_CGROUP === 'v2')('is pure cgroup v2', () => {
    expect(isUnified()).toBe(true);
  });
});

describe('the container cgroup', () => {
  it('is made at linux.cgroupsPath in every hierarchy, holds init and exec, and goes with delete', () => {
    const pid = running('place');
    const path = `/${host.cgroupPrefix}-1`;
    for (const [controllers, cgroup] of cgroupLines(pid)) expect(cgroup, controllers).toBe(path);
    expect(host.runts(['exec', '-d', 'place', 'sleep', '600']).code).toBe(0);
    const execPid = processesWith('sleep\u0000600').find((candidate) => candidate !== pid)!;
    expect(cgroupLines(execPid).get('')).toBe(path);
    // ps and kill --all use the cgroup.
    expect(JSON.parse(host.runts(['ps', '--format', 'json', 'place']).stdout).sort()).toEqual([pid, execPid].sort());
    expectDeleted('place', path);
    expect(processesWith('sleep\u0000600')).toEqual([]);
  });

  it('defaults to the container id below the cgroup runts runs in', () => {
    const id = `runts-default-${process.pid}`;
    const pid = running(id, ['sleep', '600'], (config) => delete config.linux!.cgroupsPath);
    const own = cgroupLines('self');
    for (const [controllers, cgroup] of cgroupLines(pid)) expect(cgroup, controllers).toBe(`${own.get(controllers)!.replace(/\/$/, '')}/${id}`);
    const dir = cgroupDir(pid, 'pids');
    expect(host.runts(['delete', '--force', id]).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a systemd slice path clearly, and leaves nothing', () => {
    const result = host.runts(['create', '--bundle', host.bundle(['true'], (config) => (config.linux!.cgroupsPath = 'system.slice:runts:x')), 'slice']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('/linux/cgroupsPath: \\"system.slice:runts:x\\" is a systemd slice:prefix:name path');
    expect(host.containers()).toEqual([]);
    const systemd = host.runts(['--systemd-cgroup', 'create', '--bundle', host.bundle(['true']), 'systemd']);
    expect(systemd.code).not.toBe(0);
    expect(systemd.stderr).toContain('--systemd-cgroup: runts has no systemd cgroup driver');
    expect(host.containers()).toEqual([]);
  });

  it('roots a new cgroup namespace at the container cgroup', () => {
    const bundle = host.bundle(['cat', '/proc/self/cgroup'], (config) => config.linux!.namespaces!.push({ type: 'cgroup' }));
    const result = host.runts(['run', '--bundle', bundle, 'cgroupns']);
    expect(result.stderr).toBe('');
    // Every line ends in the namespace's root: the container cannot see where it is on the host.
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/:\/$/);
  });

  it('is removed after a create that fails half-way', () => {
    const bundle = host.bundle(['true'], (config) => (config.hooks = { createRuntime: [{ path: '/bin/false' }] }));
    const result = host.runts(['create', '--bundle', bundle, 'halfway']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('createRuntime');
    expect(cgroupsNamed(host.cgroupPrefix)).toEqual([]);
  });

  it('is removed by delete --force after runts was killed half-way through create', async () => {
    await killCreateDuringHook(host, 'killed', 'createRuntime', () => {
      expect(cgroupsNamed(host.cgroupPrefix).length).toBeGreaterThan(0);
      expect(host.runts(['delete', '--force', 'killed']).code).toBe(0);
      expect(cgroupsNamed(host.cgroupPrefix)).toEqual([]);
    });
  });
});

describe('linux.resources', () => {
  it('lands in the right files with the right values', () => {
    const pid = running(
      'limits',
      ['sleep', '600'],
      withResources({
        memory: { limit: 64 * 2 ** 20, reservation: 32 * 2 ** 20 },
        cpu: { shares: 512, quota: 20000, period: 100000, cpus: '0' },
        pids: { limit: 32 },
      }),
    );
    const file = (controller: string, name: string) => readCgroupFile(pid, controller, name);
    expect(file('cpuset', 'cpuset.cpus')).toBe('0');
    expect(file('pids', 'pids.max')).toBe('32');
    if (versionOf('memory') === 1) {
      expect(file('memory', 'memory.limit_in_bytes')).toBe(String(64 * 2 ** 20));
      expect(file('memory', 'memory.soft_limit_in_bytes')).toBe(String(32 * 2 ** 20));
    } else {
      expect(file('memory', 'memory.max')).toBe(String(64 * 2 ** 20));
      expect(file('memory', 'memory.low')).toBe(String(32 * 2 ** 20));
    }
    if (versionOf('cpu') === 1) {
      expect([file('cpu', 'cpu.shares'), file('cpu', 'cpu.cfs_quota_us'), file('cpu', 'cpu.cfs_period_us')]).toEqual(['512', '20000', '100000']);
    } else {
      // runc's conversion: weight = 1 + (shares - 2) * 9999 / 262142.
      expect([file('cpu', 'cpu.weight'), file('cpu', 'cpu.max')]).toEqual(['20', '20000 100000']);
    }
    expectDeleted('limits', `/${host.cgroupPrefix}-1`);
  });

  it('the other fields land in their files too (v1-only fields where the host is v1)', () => {
    const blockDevice = firstBlockDevice();
    const memoryV1 = versionOf('memory') === 1;
    const pid = running(
      'more',
      ['sleep', '600'],
      withResources({
        memory: { limit: 64 * 2 ** 20, swap: 128 * 2 ** 20, ...(memoryV1 ? { swappiness: 10, disableOOMKiller: true, kernelTCP: 16 * 2 ** 20 } : {}) },
        cpu: { quota: 50000, period: 100000, burst: 1000, idle: 1, mems: '0' },
        blockIO: { throttleReadBpsDevice: [{ ...blockDevice, rate: 1048576 }] },
        hugepageLimits: [{ pageSize: '2MB', limit: 4 * 2 ** 21 }],
      }),
    );
    const file = (controller: string, name: string) => readCgroupFile(pid, controller, name);
    const device = `${blockDevice.major}:${blockDevice.minor}`;
    expect(file('cpuset', 'cpuset.mems')).toBe('0');
    expect(file('cpu', 'cpu.idle')).toBe('1');
    expect(file('hugetlb', `hugetlb.2MB.${versionOf('hugetlb') === 1 ? 'limit_in_bytes' : 'max'}`)).toBe(String(4 * 2 ** 21));
    if (memoryV1) {
      expect(file('memory', 'memory.memsw.limit_in_bytes')).toBe(String(128 * 2 ** 20));
      expect(file('memory', 'memory.swappiness')).toBe('10');
      expect(file('memory', 'memory.oom_control')).toContain('oom_kill_disable 1');
      expect(file('memory', 'memory.kmem.tcp.limit_in_bytes')).toBe(String(16 * 2 ** 20));
    } else {
      // The spec's swap is memory+swap; v2's memory.swap.max is the swap alone.
      expect(file('memory', 'memory.swap.max')).toBe(String(64 * 2 ** 20));
    }
    if (versionOf('cpu') === 1) expect(file('cpu', 'cpu.cfs_burst_us')).toBe('1000');
    else expect(file('cpu', 'cpu.max.burst')).toBe('1000');
    if (versionOf('blkio') === 1) expect(file('blkio', 'blkio.throttle.read_bps_device')).toBe(`${device} 1048576`);
    else expect(file('io', 'io.max')).toBe(`${device} rbps=1048576 wbps=max riops=max wiops=max`);
    expect(host.runts(['delete', '--force', 'more']).code).toBe(0);
  });

  it('linux.resources.unified is written as given on cgroup v2, and refused elsewhere', () => {
    const change = withResources({ unified: { 'memory.high': '104857600', 'pids.max': '12' } });
    if (!isUnified()) {
      const result = host.runts(['create', '--bundle', host.bundle(['true'], change), 'unified']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('linux.resources.unified: needs a cgroup v2 host');
      expect(cgroupsNamed(host.cgroupPrefix)).toEqual([]);
      return;
    }
    const pid = running('unified', ['sleep', '600'], change);
    expect([readCgroupFile(pid, 'memory', 'memory.high'), readCgroupFile(pid, 'pids', 'pids.max')]).toEqual(['104857600', '12']);
    expect(host.runts(['delete', '--force', 'unified']).code).toBe(0);
  });

  it('a memory limit OOM-kills a process that goes over it, and events reports the OOM', async () => {
    running('oom', ['sleep', '600'], withResources({ memory: { limit: 32 * 2 ** 20 } }));
    const events = spawn(RUNTS, ['--root', host.root, 'events', '--interval', '60s', 'oom'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    events.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      // The stream starts with a stats event: after it, the stream is watching.
      for (let i = 0; i < 3000 && !output.includes('"stats"'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      // dd's 64 MiB buffer cannot fit: the kernel kills dd (SIGKILL, status 137).
      const result = host.runts(['exec', 'oom', 'sh', '-c', 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo status $?']);
      expect(result.stdout).toContain('status 137');
      for (let i = 0; i < 3000 && !output.includes('"type":"oom"'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(output).toContain('{"type":"oom","id":"oom"}');
    } finally {
      events.kill();
    }
    expect(host.runts(['delete', '--force', 'oom']).code).toBe(0);
  });

  it('pids.max stops a fork loop', () => {
    const bundle = host.bundle(['sh', '-c', 'for i in $(seq 30); do sleep 30 & done; echo forked'], withResources({ pids: { limit: 8 } }));
    const result = host.runts(['run', '--bundle', bundle, 'forks']);
    expect(result.stderr).toContain("can't fork");
    expect(result.stdout).not.toContain('forked');
  });

  it('a device the rules deny cannot be opened; an allowed one can', () => {
    // /dev/kmsg (c 1:11) is made in the container; the default config denies every device
    // but runc's default list (null, zero, tty...).
    const script = 'echo -n > /dev/kmsg && echo kmsg-ok; echo -n > /dev/null && echo null-ok';
    const kmsg = (config: Config) => (config.linux!.devices = [{ path: '/dev/kmsg', type: 'c', major: 1, minor: 11, fileMode: 0o600 }]);
    const denied = host.runts(['run', '--bundle', host.bundle(['sh', '-c', script], kmsg), 'denied']);
    expect(denied.stderr).toContain("can't create /dev/kmsg: Operation not permitted");
    expect(denied.stdout).toBe('null-ok\n');
    const allow = withResources({ devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 11, access: 'w' }] }, kmsg);
    const allowed = host.runts(['run', '--bundle', host.bundle(['sh', '-c', script], allow), 'allowed']);
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toBe('kmsg-ok\nnull-ok\n');
  });

  it('a limit runts cannot apply is an error, and nothing is left', () => {
    const result = host.runts(['create', '--bundle', host.bundle(['true'], withResources({ network: { classID: 1 } })), 'netcls']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('linux.resources.network.classID: the net_cls cgroup controller is not available on this host');
    expect(host.containers()).toEqual([]);
    expect(cgroupsNamed(host.cgroupPrefix)).toEqual([]);
    // init was already starting when the cgroup was refused (it starts before the cgroup is made).
    expect(processesWith('\0init\0netcls')).toEqual([]);
  });
});

describe('pause and resume', () => {
  it('freeze stops progress and resume continues it; exec needs --ignore-paused; kill works on a paused container', () => {
    running('frozen', ['sh', '-c', 'while :; do :; done']);
    expect(host.runts(['pause', 'frozen']).code).toBe(0);
    expect(stateOf('frozen').status).toBe('paused');
    const frozenAt = cpuUsage('frozen');
    sleepSync(300);
    expect(cpuUsage('frozen')).toBe(frozenAt);
    const exec = host.runts(['exec', 'frozen', 'true']);
    expect(exec.code).not.toBe(0);
    expect(exec.stderr).toContain('it is paused');
    expect(host.runts(['pause', 'frozen']).stderr).toContain('it is paused, not running');

    expect(host.runts(['resume', 'frozen']).code).toBe(0);
    expect(stateOf('frozen').status).toBe('running');
    sleepSync(300);
    expect(cpuUsage('frozen')).toBeGreaterThan(frozenAt);

    expect(host.runts(['pause', 'frozen']).code).toBe(0);
    expect(host.runts(['kill', 'frozen', 'KILL']).code).toBe(0);
    for (let i = 0; i < 500 && stateOf('frozen').status !== 'stopped'; i++) sleepSync(10);
    expect(stateOf('frozen').status).toBe('stopped');
    expect(host.runts(['delete', 'frozen']).code).toBe(0);
  });

  it('exec --ignore-paused joins a paused container and runs once it is resumed', async () => {
    running('sleepy');
    expect(host.runts(['pause', 'sleepy']).code).toBe(0);
    const exec = spawn(RUNTS, ['--root', host.root, 'exec', '--ignore-paused', 'sleepy', 'echo', 'woke'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    exec.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exec.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => exec.on('exit', resolve));
    // Frozen with the container: nothing runs until resume.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(exec.exitCode).toBe(null);
    expect(output).toBe('');
    expect(host.runts(['resume', 'sleepy']).code).toBe(0);
    expect(await exited).toBe(0);
    expect(output).toBe('woke\n');
    expect(host.runts(['delete', '--force', 'sleepy']).code).toBe(0);
  });

  it('resume of a running container and pause of a stopped one are refused', () => {
    running('awake');
    expect(host.runts(['resume', 'awake']).stderr).toContain('it is running, not paused');
    expect(host.runts(['kill', 'awake', 'KILL']).code).toBe(0);
    for (let i = 0; i < 500 && stateOf('awake').status !== 'stopped'; i++) sleepSync(10);
    expect(host.runts(['pause', 'awake']).stderr).toContain('it is stopped, not running');
    expect(host.runts(['delete', 'awake']).code).toBe(0);
  });
});

describe('runts update', () => {
  it('changes limits of a live container, from flags and from --resources, and records them', () => {
    const pid = running('grow', ['sleep', '600'], withResources({ memory: { limit: 64 * 2 ** 20 }, pids: { limit: 32 } }));
    const memoryFile = versionOf('memory') === 1 ? 'memory.limit_in_bytes' : 'memory.max';
    expect(host.runts(['update', '--memory', '48m', '--pids-limit', '16', 'grow']).code).toBe(0);
    expect(readCgroupFile(pid, 'memory', memoryFile)).toBe(String(48 * 2 ** 20));
    expect(readCgroupFile(pid, 'pids', 'pids.max')).toBe('16');

    // --resources - (stdin), as containerd sends it: only what is given changes.
    const update = spawnSync(RUNTS, ['--root', host.root, 'update', '--resources', '-', 'grow'], { input: JSON.stringify({ pids: { limit: 20 } }), encoding: 'utf8' });
    expect(update.stderr).toBe('');
    expect(readCgroupFile(pid, 'pids', 'pids.max')).toBe('20');
    expect(readCgroupFile(pid, 'memory', memoryFile)).toBe(String(48 * 2 ** 20));
    const record = JSON.parse(readFileSync(`${host.root}/grow/state.json`, 'utf8'));
    expect(record.cgroup.resources).toMatchObject({ memory: { limit: 48 * 2 ** 20 }, pids: { limit: 20 } });

    const bad = spawnSync(RUNTS, ['--root', host.root, 'update', '--resources', '-', 'grow'], { input: '{"pids": {"limit": "many"}}', encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('/linux/resources/pids/limit');
    expect(host.runts(['update', '--memory', 'lots', 'grow']).stderr).toMatch(/--memory .*lots.*: not a size/);
    expect(host.runts(['delete', '--force', 'grow']).code).toBe(0);
    expect(host.runts(['update', '--memory', '48m', 'grow']).code).not.toBe(0);
  });
});

describe('a v1 cpuset parent without CPUs', () => {
  it.skipIf(versionOf('cpuset') !== 1)('is filled from its own parent, as runc, so that the container can join its cpuset cgroup', () => {
    // A parent made by someone else, empty as v1 makes every new cpuset cgroup.
    const parent = `${host.cgroupPrefix}-cpuset-parent`;
    const cpusetRoot = cgroupMountPoints().find((root) => existsSync(`${root}/cpuset.cpus`) && !existsSync(`${root}/cgroup.controllers`))!;
    mkdirSync(`${cpusetRoot}/${parent}`);
    try {
      const pid = running('cpus', ['sleep', '600'], (config) => (config.linux!.cgroupsPath = `/${parent}/child`));
      expect(readCgroupFile(pid, 'cpuset', 'cpuset.cpus')).toBe(readFileSync(`${cpusetRoot}/cpuset.cpus`, 'utf8').trim());
      expect(readFileSync(`${cpusetRoot}/${parent}/cpuset.mems`, 'utf8').trim()).toBe(readFileSync(`${cpusetRoot}/cpuset.mems`, 'utf8').trim());
      expect(host.runts(['delete', '--force', 'cpus']).code).toBe(0);
    } finally {
      // Ours, not runts's: runts leaves it (a cgroup it did not make), the test removes it.
      for (const root of cgroupMountPoints()) if (existsSync(`${root}/${parent}`)) rmdirSync(`${root}/${parent}`);
    }
  });
});

describe('runts update --memory -1', () => {
  // On v1 the memory+swap limit must stay at or above the memory limit: the case runc fixes up.
  it.skipIf(versionOf('memory') !== 1)('lifts the memory limit of a container that has a swap limit too, as runc (swap goes with it)', () => {
    const pid = running('lift', ['sleep', '600'], withResources({ memory: { limit: 64 * 2 ** 20, swap: 128 * 2 ** 20 } }));
    expect(host.runts(['update', '--memory', '-1', 'lift'])).toMatchObject({ code: 0, stderr: '' });
    expect(Number(readCgroupFile(pid, 'memory', 'memory.limit_in_bytes'))).toBeGreaterThan(2 ** 60);
    expect(Number(readCgroupFile(pid, 'memory', 'memory.memsw.limit_in_bytes'))).toBeGreaterThan(2 ** 60);
    expect(host.runts(['delete', '--force', 'lift']).code).toBe(0);
  });
});

describe('runts events --stats', () => {
  it('reports real numbers in runc\'s shape', () => {
    running('counted', ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 600'], withResources({ memory: { limit: 64 * 2 ** 20 }, pids: { limit: 32 } }));
    sleepSync(200);
    const result = host.runts(['events', '--stats', 'counted']);
    expect(result.code).toBe(0);
    const event = JSON.parse(result.stdout);
    expect(event).toMatchObject({ type: 'stats', id: 'counted' });
    expect(event.data.cpu.usage.total).toBeGreaterThan(0);
    expect(event.data.memory.usage.usage).toBeGreaterThan(0);
    expect(event.data.memory.usage.limit).toBe(64 * 2 ** 20);
    expect(event.data.pids).toEqual({ current: expect.any(Number), limit: 32 });
    expect(event.data.pids.current).toBeGreaterThanOrEqual(1);
    expect(host.runts(['delete', '--force', 'counted']).code).toBe(0);
    expect(host.runts(['events', '--stats', 'counted']).stderr).toContain('does not exist');
  });
});
