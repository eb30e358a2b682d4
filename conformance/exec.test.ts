// runts exec: a process joining a running container sees what its init sees (namespaces,
// mounts, hostname), takes the identity the flags give it, and exits with its own status.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSameProcessAlive } from '../src/container/process-info.js';
import { useTestHost } from './helpers/bundle.js';
import { cgroupLines, everyHierarchy, isUnified } from './helpers/cgroups.js';
import { processesWith } from './helpers/processes.js';
import { RUNTS } from './helpers/runts.js';
import { sleepSync } from '../src/sleep.js';

const host = useTestHost();

/** A running container (sleep) with hostname "execbox"; returns its init's host pid. */
function runningContainer(id = 'box'): number {
  const result = host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '60'], (config) => (config.hostname = 'execbox')), id]);
  expect(result.code).toBe(0);
  return JSON.parse(host.runts(['state', id]).stdout).pid;
}

describe('runts exec', () => {
  it('joins the container: its pid namespace, mounts and hostname, and returns the exit status', () => {
    const initPid = runningContainer();
    const result = host.runts(['exec', 'box', 'sh', '-c', 'hostname; cat /proc/1/cmdline | tr "\\0" " "; echo; readlink /proc/self/ns/net; ls /bin/busybox; exit 7']);
    expect(result.code).toBe(7);
    const [hostname, pid1, net, busybox] = result.stdout.trim().split('\n');
    expect(hostname).toBe('execbox');
    expect(pid1).toBe('sleep 60 ');
    expect(net).toBe(readlinkSync(`/proc/${initPid}/ns/net`));
    expect(busybox).toBe('/bin/busybox');
    expect(result.stderr).toBe('');
    host.runts(['delete', '--force', 'box']);
  });

  it('runs as -u with --additional-gids, in --cwd, with -e added to the container\'s env', () => {
    runningContainer();
    const result = host.runts(['exec', '-u', '1000:1000', '--additional-gids', '5', '--cwd', '/tmp', '-e', 'FOO=bar', '-e', 'PATH=/bin', 'box', 'sh', '-c', 'id; pwd; echo $FOO $PATH']);
    expect(result.stdout).toBe('uid=1000 gid=1000 groups=5\n/tmp\nbar /bin\n');
    host.runts(['delete', '--force', 'box']);
  });

  it('starts the process with no signal ignored or blocked, as runc does', () => {
    runningContainer();
    const result = host.runts(['exec', 'box', 'grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status']);
    expect(result.stdout).toBe('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
    host.runts(['delete', '--force', 'box']);
  });

  it('adds --cap capabilities and sets --no-new-privs', () => {
    runningContainer();
    const statusOf = (args: string[]) => host.runts(['exec', ...args, 'box', 'cat', '/proc/self/status']).stdout;
    const plain = statusOf([]);
    const more = statusOf(['--cap', 'CAP_SYS_ADMIN']);
    const field = (text: string, name: string) => BigInt(`0x${new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)![1]}`);
    expect(field(plain, 'CapEff') & (1n << 21n)).toBe(0n);
    expect(field(more, 'CapEff') & (1n << 21n)).toBe(1n << 21n);
    expect(field(more, 'CapBnd') & (1n << 21n)).toBe(1n << 21n);
    expect(/^NoNewPrivs:\s*1/m.test(statusOf(['--no-new-privs']))).toBe(true);
    host.runts(['delete', '--force', 'box']);
  });

  it('runs the process in an existing sub-cgroup with --cgroup, as runc 1.1, and refuses ".." or a missing one', () => {
    const initPid = runningContainer();
    const path = cgroupLines(initPid).get(isUnified() ? '' : [...cgroupLines(initPid).keys()].find((key) => key.split(',').includes('pids'))!)!;
    for (const dir of everyHierarchy(path)) {
      mkdirSync(`${dir}/sub`);
      // A new v1 cpuset cgroup has no CPUs of its own; whoever makes a sub-cgroup gives it some.
      for (const file of ['cpuset.cpus', 'cpuset.mems']) {
        if (existsSync(`${dir}/sub/${file}`) && !existsSync(`${dir}/cgroup.controllers`)) writeFileSync(`${dir}/sub/${file}`, readFileSync(`${dir}/${file}`, 'utf8').trim());
      }
    }
    const joined = host.runts(['exec', '--cgroup', 'sub', 'box', 'cat', '/proc/self/cgroup']);
    expect(joined.stderr).toBe('');
    // Seen from the container's cgroup namespace, or from the host's: either way it ends in /sub.
    const lines = joined.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/\/sub$/);
    const up = host.runts(['exec', '--cgroup', '../elsewhere', 'box', 'true']);
    expect(up.code).toBe(255);
    expect(up.stderr).toContain('give a sub-cgroup of the container\'s, without \\"..\\"');
    const missing = host.runts(['exec', '--cgroup', 'nope', 'box', 'true']);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toContain('the sub-cgroup must be made first');
    host.runts(['delete', '--force', 'box']);
  });

  it('puts the process into the container\'s cgroups', () => {
    const initPid = runningContainer();
    // A cgroup of the test's own (named for runts, so a leak is easy to find), with init in it.
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((line) => line.split(' '));
    const pidsV1 = mounts.find((fields) => fields.includes('cgroup') && fields.at(-1)?.split(',').includes('pids'))?.[4];
    const hierarchy = pidsV1 ?? mounts.find((fields) => fields.includes('cgroup2'))![4]!;
    const cgroup = `/runts-test-exec-${process.pid}`;
    mkdirSync(`${hierarchy}${cgroup}`);
    try {
      writeFileSync(`${hierarchy}${cgroup}/cgroup.procs`, String(initPid));
      const pidFile = join(host.work, 'exec.pid');
      expect(host.runts(['exec', '--detach', '--pid-file', pidFile, 'box', 'sleep', '60']).code).toBe(0);
      const execPid = Number(readFileSync(pidFile, 'utf8'));
      const key = pidsV1 ? /^\d+:pids:(.*)$/m : /^0::(.*)$/m;
      expect(key.exec(readFileSync(`/proc/${execPid}/cgroup`, 'utf8'))?.[1]).toBe(cgroup);
    } finally {
      // Empty the cgroup (the container's processes go with it), then remove it.
      host.runts(['delete', '--force', 'box']);
      const procs = `${hierarchy}${cgroup}/cgroup.procs`;
      for (let i = 0; i < 300 && readFileSync(procs, 'utf8').trim() !== ''; i++) sleepSync(10);
      rmdirSync(`${hierarchy}${cgroup}`);
    }
  });

  it('runs the process of a --process file', () => {
    runningContainer();
    const file = join(host.work, 'process.json');
    writeFileSync(file, JSON.stringify({ args: ['sh', '-c', 'echo $GREETING from $(pwd)'], env: ['GREETING=hello', 'PATH=/bin'], cwd: '/etc', user: { uid: 0, gid: 0 } }));
    const result = host.runts(['exec', '--process', file, 'box']);
    expect(result.stdout).toBe('hello from /etc\n');
    writeFileSync(file, JSON.stringify({ args: ['true'] }));
    const invalid = host.runts(['exec', '--process', file, 'box']);
    // As runc: an exec that fails exits 255.
    expect(invalid.code).toBe(255);
    expect(invalid.stderr).toContain(`${file}: /process/cwd: is required`);
    host.runts(['delete', '--force', 'box']);
  });

  it('returns at once with --detach and writes the process\'s pid', () => {
    const initPid = runningContainer();
    const pidFile = join(host.work, 'exec.pid');
    expect(host.runts(['exec', '--detach', '--pid-file', pidFile, 'box', 'sleep', '60']).code).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\x0060\x00');
    expect(readlinkSync(`/proc/${pid}/ns/pid`)).toBe(readlinkSync(`/proc/${initPid}/ns/pid`));
    // Killing the container's init takes every process of its pid namespace with it.
    host.runts(['delete', '--force', 'box']);
    for (let i = 0; i < 200 && isSameProcessAlive(pid, undefined); i++) sleepSync(10);
    expect(isSameProcessAlive(pid, undefined)).toBe(false);
  });

  it('reports a program that cannot be found with the words engines map to 127', () => {
    runningContainer();
    const result = host.runts(['exec', 'box', 'no-such-program']);
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('exec: \\"no-such-program\\": executable file not found in $PATH');
    host.runts(['delete', '--force', 'box']);
  });

  it('leaves no init behind when the command line fails after its init was started early', () => {
    // exec's init starts from the raw arguments (src/container/prelaunch.ts), before --user is read.
    runningContainer();
    const result = host.runts(['exec', '--user', 'nobody', 'box', 'true']);
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('invalid --user');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(processesWith('\0init\0box')).toEqual([]);
    host.runts(['delete', '--force', 'box']);
  });

  it('refuses a stopped or unknown container, and a detached terminal with nowhere to go', () => {
    expect(host.runts(['exec', 'ghost', 'true']).stderr).toContain('container \\"ghost\\" does not exist');
    host.runts(['run', '--keep', '--bundle', host.bundle(['true']), 'done']);
    const stopped = host.runts(['exec', 'done', 'true']);
    expect(stopped.code).toBe(255);
    expect(stopped.stderr).toContain('cannot exec in container \\"done\\": it is stopped');
    host.runts(['delete', 'done']);
    runningContainer();
    expect(host.runts(['exec', '-t', '--detach', 'box', 'true']).stderr).toContain('process.terminal is true: give --console-socket');
    host.runts(['delete', '--force', 'box']);
  });
});

describe('runts ps', () => {
  it('lists the container\'s processes as pids (json) and as ps\'s table, with ps options', () => {
    const initPid = runningContainer();
    const pidFile = join(host.work, 'exec.pid');
    host.runts(['exec', '--detach', '--pid-file', pidFile, 'box', 'sleep', '60']);
    const execPid = Number(readFileSync(pidFile, 'utf8'));
    expect(JSON.parse(host.runts(['ps', '--format', 'json', 'box']).stdout)).toEqual([initPid, execPid].sort((a, b) => a - b));
    const table = host.runts(['ps', 'box']).stdout.trim().split('\n');
    expect(table[0]).toMatch(/^UID\s+PID\s+PPID/);
    expect(table.slice(1).map((line) => Number(line.trim().split(/\s+/)[1]))).toEqual([initPid, execPid].sort((a, b) => a - b));
    expect(host.runts(['ps', 'box', '-o', 'pid,comm']).stdout).toMatch(/^\s*PID COMMAND\n\s*\d+ sleep\n\s*\d+ sleep\n$/);
    host.runts(['delete', '--force', 'box']);
  });
});

describe('CVE-2019-5736 from inside a container', () => {
  it('cannot write the runts binary through a kept /proc/<pid>/exe of an exec\'d init', () => {
    // A copy of runts runs this test: if the protection failed, only the copy is overwritten.
    const runtsCopy = join(host.work, 'runts-copy');
    copyFileSync(RUNTS, runtsCopy);
    chmodSync(runtsCopy, 0o755);
    const shared = join(host.work, 'shared');
    mkdirSync(shared);
    // The attacker: root with CAP_SYS_PTRACE, watching for a runts process among its own.
    const watcher = [
      'while [ ! -e /shared/caught ]; do',
      '  for p in /proc/[0-9]*; do',
      '    case "$(readlink $p/exe 2>/dev/null)" in *runts-copy*) exec 3< $p/exe && touch /shared/caught && break;; esac',
      '  done',
      'done',
      'while [ ! -e /shared/go ]; do sleep 0.05; done',
      '(echo RUNTS-CVE-MARKER >> /proc/self/fd/3) 2> /shared/result',
      'echo "exit $?" >> /shared/result',
      'sleep 60',
    ].join('\n');
    const all = ['CAP_SYS_PTRACE', 'CAP_DAC_OVERRIDE', 'CAP_KILL', 'CAP_CHOWN', 'CAP_FOWNER'];
    const bundle = host.bundle(['sh', '-c', watcher], (config) => {
      config.process!.capabilities = { bounding: all, effective: all, permitted: all, inheritable: [], ambient: [] };
      config.mounts!.push({ destination: '/shared', type: 'bind', source: shared, options: ['bind'] });
    });
    const copy = (args: string[]) => spawnSync(runtsCopy, ['--root', host.root, ...args], { stdio: 'ignore', env: { PATH: process.env.PATH } });
    expect(copy(['run', '--detach', '--bundle', bundle, 'victim']).status).toBe(0);
    for (let i = 0; i < 40 && !existsSync(join(shared, 'caught')); i++) copy(['exec', 'victim', 'true']);
    expect(existsSync(join(shared, 'caught'))).toBe(true);
    // Every runts process of the copy has ended: only the kept descriptor could still write it.
    writeFileSync(join(shared, 'go'), '');
    for (let i = 0; i < 300 && !readFileSync(join(shared, 'result'), { flag: 'a+' }).toString().includes('exit'); i++) {
      sleepSync(10);
    }
    const result = readFileSync(join(shared, 'result'), 'utf8');
    expect(result).toMatch(/Read-only file system/);
    expect(result).toMatch(/exit [1-9]/);
    expect(readFileSync(runtsCopy).includes('RUNTS-CVE-MARKER')).toBe(false);
    copy(['delete', '--force', 'victim']);
  });
});

