// runts under containerd (1.6, its runc v2 shim, `ctr run --runc-binary dist/runts`): the path
// docker and Kubernetes take. The test starts a containerd of its own (root, state and socket in
// a temporary directory, the CRI plugin off), imports an image made from the busybox rootfs
// (saved by podman as a docker archive), and stops it all afterwards.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepSync } from '../src/sleep.js';
import { removeTemplate, TestHost } from './helpers/bundle.js';
import { processesWith, runCommand, waitFor } from './helpers/processes.js';
import { cgroupLines } from './helpers/cgroups.js';
import { RUNTS } from './helpers/runts.js';

const IMAGE = 'localhost/runts-busybox:latest';

let work: string;
let host: TestHost;
let containerd: ChildProcess;

const ctr = (args: string[]) => runCommand('ctr', ['--address', join(work, 'containerd.sock'), ...args]);

/** The image, as a docker archive: made from the busybox rootfs by a podman of the test's own. */
function imageArchive(rootfs: string): string {
  const podmanArgs = ['--root', join(work, 'podman/storage'), '--runroot', join(work, 'podman/run'), '--tmpdir', join(work, 'podman/tmp'), '--storage-driver', 'vfs', '--events-backend', 'none'];
  const tar = spawnSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 256 * 2 ** 20 });
  const imported = spawnSync('podman', [...podmanArgs, 'import', '-', IMAGE], { input: tar.stdout, encoding: 'utf8' });
  expect(imported.status, imported.stderr).toBe(0);
  const archive = join(work, 'image.tar');
  const saved = spawnSync('podman', [...podmanArgs, 'save', '--format', 'docker-archive', '-o', archive, IMAGE], { encoding: 'utf8' });
  expect(saved.status, saved.stderr).toBe(0);
  spawnSync('podman', [...podmanArgs, 'rmi', '--all', '--force']);
  return archive;
}

describe('containerd with --runc-binary runts', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'runts-containerd-'));
    host = new TestHost();
    mkdirSync(join(work, 'podman'));
    const config = join(work, 'config.toml');
    writeFileSync(
      config,
      [
        'version = 2',
        `root = "${join(work, 'root')}"`,
        `state = "${join(work, 'state')}"`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
        '[grpc]',
        `  address = "${join(work, 'containerd.sock')}"`,
        '',
      ].join('\n'),
    );
    // A clean environment, as a service manager gives it (nothing of the test runner's).
    containerd = spawn('containerd', ['--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH } });
    let log = '';
    containerd.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(() => `containerd's socket (its log: ${log})`, () => (existsSync(join(work, 'containerd.sock')) ? true : undefined));
    const imported = ctr(['images', 'import', imageArchive(join(host.bundle(['true']), 'rootfs'))]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const id of ctr(['containers', 'list', '--quiet']).stdout.split('\n').filter(Boolean)) {
      ctr(['tasks', 'kill', '--signal', 'SIGKILL', id]);
      ctr(['tasks', 'delete', '--force', id]);
      ctr(['containers', 'delete', id]);
    }
    if (containerd.exitCode === null) {
      containerd.kill('SIGTERM');
      await new Promise((resolve) => containerd.on('exit', resolve));
    }
    // Its shims end with their tasks; none may outlive the test.
    expect(processesWith(work)).toEqual([]);
    rmSync(work, { recursive: true, force: true });
    expect(host.cleanup()).toEqual([]);
    removeTemplate();
  });

  it('runs a container in its cgroup', () => {
    const result = ctr(['run', '--rm', '--runc-binary', RUNTS, IMAGE, 'runts-once', 'sh', '-c', 'echo hello; cat /proc/self/cgroup']);
    expect(result.stderr).toBe('');
    const [hello, ...cgroups] = result.stdout.trim().split('\n');
    expect(hello).toBe('hello');
    for (const line of cgroups) expect(line).toMatch(/:\/default\/runts-once$/);
    expect(ctr(['containers', 'list', '--quiet']).stdout).toBe('');
  });

  it('drives a long-running task: exec, pause and resume, kill, delete', () => {
    expect(ctr(['run', '--detach', '--runc-binary', RUNTS, IMAGE, 'runts-long', 'sleep', '600']).code).toBe(0);
    const status = () => ctr(['tasks', 'list']).stdout.split('\n').find((line) => line.startsWith('runts-long'))?.trim().split(/\s+/)[2];
    expect(status()).toBe('RUNNING');
    const pid = Number(ctr(['tasks', 'list']).stdout.split('\n').find((line) => line.startsWith('runts-long'))!.trim().split(/\s+/)[1]);
    expect([...cgroupLines(pid).values()].every((path) => path === '/default/runts-long')).toBe(true);

    const exec = ctr(['tasks', 'exec', '--exec-id', 'probe', 'runts-long', 'sh', '-c', 'echo joined; cat /proc/1/cmdline']);
    expect(exec.stdout).toBe('joined\nsleep\u0000600\u0000');

    expect(ctr(['tasks', 'pause', 'runts-long']).code).toBe(0);
    expect(status()).toBe('PAUSED');
    expect(ctr(['tasks', 'resume', 'runts-long']).code).toBe(0);
    expect(status()).toBe('RUNNING');

    expect(ctr(['tasks', 'kill', '--signal', 'SIGKILL', 'runts-long']).code).toBe(0);
    for (let i = 0; i < 200 && status() !== 'STOPPED'; i++) sleepSync(20);
    expect(status()).toBe('STOPPED');
    expect(ctr(['tasks', 'delete', 'runts-long']).code).toBe(0);
    expect(ctr(['containers', 'delete', 'runts-long']).code).toBe(0);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain('runts-long');
  });
});
