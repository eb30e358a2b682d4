// runts as podman's runtime (`podman --runtime dist/runts`), the way an engine drives it: conmon,
// --log and --pid-file, the default seccomp profile, cgroupfs cgroups, exec, pause, update, stop,
// rm. podman works in a private directory (storage, run root) of the test's own, with an image
// imported from the busybox rootfs: nothing of the host's podman is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, removeTemplate } from './helpers/bundle.js';
import { cgroupMountPoints, readCgroupFile, versionOf } from './helpers/cgroups.js';
import { runCommand } from './helpers/processes.js';
import { RUNTS } from './helpers/runts.js';

const IMAGE = 'localhost/runts-busybox';
// This machine's processes may not raise their file limit (no CAP_SYS_RESOURCE; runc fails
// the same way on podman's default of 1048576): limits within the current ones.
// A cgroup parent of the test's own: podman puts conmon beside the containers, in <parent>/conmon.
const CGROUP_PARENT = `runts-podman-${process.pid}`;
const RUN_FLAGS = ['--network', 'none', '--ulimit', 'nofile=1024:4096', '--ulimit', 'nproc=4096:4096', '--cgroup-parent', `/${CGROUP_PARENT}`];

let work: string;
let host: TestHost;

function podman(args: string[], input?: Buffer) {
  const global = ['--root', join(work, 'storage'), '--runroot', join(work, 'run'), '--tmpdir', join(work, 'tmp'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none', '--runtime', RUNTS];
  return runCommand('podman', [...global, ...args], input);
}

/** The container's cgroup directories left anywhere (they must all go with the container). */
function cgroupsOf(id: string): string[] {
  return cgroupMountPoints()
    .map((root) => join(root, CGROUP_PARENT, `libpod-${id}`))
    .filter((dir) => existsSync(dir));
}

// podman comes with `bash .ci/run` (Debian's package).
describe('podman with --runtime runts', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'runts-podman-'));
    host = new TestHost();
    const rootfs = join(host.bundle(['true']), 'rootfs');
    const tar = spawnSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 256 * 2 ** 20 });
    const imported = podman(['import', '-', IMAGE], tar.stdout);
    expect(imported.code, imported.stderr).toBe(0);
  });

  afterAll(() => {
    podman(['rm', '--all', '--force']);
    podman(['rmi', '--all', '--force']);
    rmSync(work, { recursive: true, force: true });
    // What podman made for conmon (runts made and removed the containers' own).
    for (const root of cgroupMountPoints()) {
      for (const dir of [join(root, CGROUP_PARENT, 'conmon'), join(root, CGROUP_PARENT)]) if (existsSync(dir)) rmdirSync(dir);
    }
    expect(host.cleanup()).toEqual([]);
    removeTemplate();
  });

  it('runs a container under podman\'s seccomp profile and cgroup, and removes the cgroup with it', () => {
    const result = podman(['run', '--name', 'once', ...RUN_FLAGS, IMAGE, 'sh', '-c', 'echo hello; grep "^Seccomp:" /proc/self/status; grep pids /proc/self/cgroup']);
    expect(result.stderr).toBe('');
    const [hello, seccomp, cgroup] = result.stdout.trim().split('\n');
    expect(hello).toBe('hello');
    expect(seccomp).toMatch(/^Seccomp:\s+2$/); // a filter is loaded
    const id = /libpod-([0-9a-f]{64})$/.exec(cgroup!)![1]!;
    expect(podman(['rm', 'once']).code).toBe(0);
    expect(cgroupsOf(id)).toEqual([]);
  });

  it('runs a --read-only container (its /tmp, /var/tmp and /run are tmpfs with tmpcopyup)', () => {
    const result = podman(['run', '--rm', '--read-only', ...RUN_FLAGS, IMAGE, 'sh', '-c', 'echo ok > /tmp/f && cat /tmp/f; (echo x > /etc/x) 2>/dev/null || echo read-only']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok\nread-only\n');
  });

  it('drives a long-running container: exec, pause and unpause, update, stop, rm', () => {
    const started = podman(['run', '--detach', '--name', 'long', ...RUN_FLAGS, IMAGE, 'sleep', '600']);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(podman(['exec', 'long', 'sh', '-c', 'echo joined; cat /proc/1/cmdline']).stdout).toBe('joined\nsleep\u0000600\u0000');

    expect(podman(['pause', 'long']).code).toBe(0);
    expect(podman(['inspect', '--format', '{{.State.Status}}', 'long']).stdout.trim()).toBe('paused');
    expect(podman(['unpause', 'long']).code).toBe(0);
    expect(podman(['inspect', '--format', '{{.State.Status}}', 'long']).stdout.trim()).toBe('running');

    expect(podman(['update', '--memory', '64m', 'long']).code).toBe(0);
    const pid = Number(podman(['inspect', '--format', '{{.State.Pid}}', 'long']).stdout.trim());
    const limitFile = versionOf('memory') === 1 ? 'memory.limit_in_bytes' : 'memory.max';
    expect(readCgroupFile(pid, 'memory', limitFile)).toBe(String(64 * 2 ** 20));

    expect(podman(['stop', '--time', '1', 'long']).code).toBe(0);
    expect(podman(['inspect', '--format', '{{.State.Status}}', 'long']).stdout.trim()).toBe('exited');
    expect(podman(['rm', 'long']).code).toBe(0);
    expect(cgroupsOf(id)).toEqual([]);
  });
});
