// runts as docker's runtime (dockerd 20.10 from Debian, `docker run --runtime runts`). docker
// goes through containerd's runc shim as ctr does, but writes its own config.json: zeros for
// the limits a user did not give (blockIO.weight 0 once failed every `docker run` here), its
// masked and read-only paths, its default seccomp profile and capabilities. The test starts a
// dockerd of its own (data, state and socket in a temporary directory, no bridge, no iptables,
// a cgroup parent of its own), imports an image made from the busybox rootfs, and compares what
// a process sees under runts with what it sees under runc, through the same dockerd.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTemplate, TestHost } from './helpers/bundle.js';
import { cgroupMountPoints, readCgroupFile, versionOf } from './helpers/cgroups.js';
import { processesWith, runCommand, waitFor } from './helpers/processes.js';
import { RUNTS } from './helpers/runts.js';

const IMAGE = 'runts-busybox:latest';
const CGROUP_PARENT = `runts-docker-${process.pid}`;
// dockerd 20.10 keeps a trust key in /etc/docker whatever its other paths: removed afterwards
// if this test is what made it.
const TRUST_KEY = '/etc/docker/key.json';

let work: string;
let host: TestHost;
let dockerd: ChildProcess;
let madeTrustKey = false;

const docker = (args: string[], input?: Buffer) => runCommand('docker', ['--host', `unix://${join(work, 'docker.sock')}`, ...args], input);

/** The container's cgroup directories left anywhere (they must all go with the container). */
function cgroupsOf(id: string): string[] {
  return cgroupMountPoints()
    .map((root) => join(root, CGROUP_PARENT, id))
    .filter((dir) => existsSync(dir));
}

// docker.io comes with `bash .ci/run` (Debian's package; its service is not started).
describe('docker with --runtime runts', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'runts-docker-'));
    host = new TestHost();
    madeTrustKey = !existsSync(TRUST_KEY);
    const config = join(work, 'daemon.json');
    writeFileSync(config, JSON.stringify({ runtimes: { runts: { path: RUNTS } } }));
    const flags = ['--config-file', config, '--data-root', join(work, 'data'), '--exec-root', join(work, 'exec'), '--pidfile', join(work, 'docker.pid')];
    const network = ['--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-forward=false', '--ip-masq=false'];
    // A clean environment, as a service manager gives it (nothing of the test runner's).
    dockerd = spawn('dockerd', [...flags, ...network, '--host', `unix://${join(work, 'docker.sock')}`, '--cgroup-parent', `/${CGROUP_PARENT}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH },
    });
    let log = '';
    dockerd.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(() => `dockerd to answer (its log: ${log})`, () => (docker(['version']).code === 0 ? true : undefined));
    const tar = spawnSync('tar', ['-C', join(host.bundle(['true']), 'rootfs'), '-c', '.'], { maxBuffer: 256 * 2 ** 20 });
    const imported = docker(['import', '-', IMAGE], tar.stdout);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    const all = docker(['ps', '--all', '--quiet']).stdout.split('\n').filter(Boolean);
    if (all.length > 0) docker(['rm', '--force', ...all]);
    if (dockerd.exitCode === null) {
      const exited = new Promise((resolve) => dockerd.on('exit', resolve));
      dockerd.kill('SIGTERM');
      await exited;
    }
    // dockerd stops its containerd and the shims; none may outlive the test.
    expect(processesWith(work)).toEqual([]);
    // dockerd binds its data directory on itself, and unbinds it as it stops.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(work);
    rmSync(work, { recursive: true, force: true });
    if (madeTrustKey) rmSync(TRUST_KEY, { force: true });
    for (const root of cgroupMountPoints()) if (existsSync(join(root, CGROUP_PARENT))) rmdirSync(join(root, CGROUP_PARENT));
    expect(host.cleanup()).toEqual([]);
    removeTemplate();
  }, 120_000);

  it('runs a container that sees what it sees under runc', () => {
    // Where runts differs from runc on purpose it is left out: runts mounts masked directories
    // and the cgroup tmpfs nosuid,nodev,noexec and read-only, and binds the cgroup2 hierarchy of
    // a hybrid host too.
    const probe = [
      'id',
      'grep -E "^(Cap|Seccomp|NoNewPrivs)" /proc/self/status',
      'for path in /proc /proc/sys /proc/bus /proc/fs /proc/irq /proc/sysrq-trigger /proc/kcore /dev /dev/shm /dev/mqueue /sys; do echo "$path $(grep " $path " /proc/self/mounts | cut -d" " -f3,4)"; done',
      'ls /dev',
      'cat /proc/self/oom_score_adj',
      'ulimit -n -u',
      '(echo 1 > /proc/sys/kernel/ns_last_pid) 2>&1 || echo refused',
    ].join('; ');
    const seen = (runtime: string) => {
      const result = docker(['run', '--rm', '--runtime', runtime, '--network', 'none', IMAGE, 'sh', '-c', probe]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return result.stdout;
    };
    const underRunts = seen('runts');
    expect(underRunts).toContain('/proc/sys proc ro,nosuid,nodev,noexec');
    expect(underRunts).toMatch(/^Seccomp:\s+2$/m);
    expect(underRunts).toBe(seen('runc'));
  });

  it('drives a long-running container: exec, pause and unpause, update, stop, rm', () => {
    const started = docker(['run', '--detach', '--runtime', 'runts', '--network', 'none', '--name', 'long', IMAGE, 'sleep', '600']);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    const status = () => docker(['inspect', '--format', '{{.State.Status}}', 'long']).stdout.trim();
    expect(docker(['exec', 'long', 'sh', '-c', 'echo joined; cat /proc/1/cmdline']).stdout).toBe('joined\nsleep\u0000600\u0000');

    expect(docker(['pause', 'long']).code).toBe(0);
    expect(status()).toBe('paused');
    expect(docker(['unpause', 'long']).code).toBe(0);
    expect(status()).toBe('running');

    expect(docker(['update', '--memory', '64m', '--memory-swap', '128m', 'long']).code).toBe(0);
    const pid = Number(docker(['inspect', '--format', '{{.State.Pid}}', 'long']).stdout.trim());
    const limitFile = versionOf('memory') === 1 ? 'memory.limit_in_bytes' : 'memory.max';
    expect(readCgroupFile(pid, 'memory', limitFile)).toBe(String(64 * 2 ** 20));

    // As its pid namespace's init, sleep is not ended by the SIGTERM it has no handler for:
    // docker's SIGKILL follows a second later.
    expect(docker(['stop', '--time', '1', 'long']).code).toBe(0);
    expect(status()).toBe('exited');
    expect(docker(['inspect', '--format', '{{.State.ExitCode}}', 'long']).stdout.trim()).toBe('137');
    expect(docker(['rm', 'long']).code).toBe(0);
    expect(cgroupsOf(id)).toEqual([]);
  });
});
