// Bad input and failures half-way through create: one clear error naming what, where and why,
// a non-zero exit, and nothing left behind — no state, no fifo, no process.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { useTestHost } from './helpers/bundle.js';
import { commandLine, killCreateDuringHook, processesWith, waitFor } from './helpers/processes.js';
import { RUNTS } from './helpers/runts.js';

const host = useTestHost();
let id: string;

beforeEach(() => {
  id = `fail-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
});

/** create must fail with `message`, and leave no state and no init process. */
function expectCreateToFail(bundle: string, message: string): string {
  const result = host.runts(['create', '--bundle', bundle, id]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(message);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(host.containers()).toEqual([]);
  expect(processesWith(`\0init\0${id}`)).toEqual([]);
  return result.stderr;
}

const withConfig = (change: (config: Config) => void) => host.bundle(['true'], change);

describe('create refuses bad bundles', () => {
  it('a missing rootfs', () => {
    const bundle = host.bundle(['true']);
    rmSync(join(bundle, 'rootfs'), { recursive: true });
    expectCreateToFail(bundle, `/root/path: rootfs ${join(bundle, 'rootfs')}: no such file or directory (ENOENT)`);
  });

  it('a missing config.json', () => {
    const bundle = host.bundle(['true']);
    rmSync(join(bundle, 'config.json'));
    expectCreateToFail(bundle, 'read config.json: no such file or directory (ENOENT)');
  });

  it('malformed JSON, naming line and column', () => {
    const bundle = host.bundle(['true']);
    writeFileSync(join(bundle, 'config.json'), '{\n  "ociVersion": "1.3.0",,\n}');
    expectCreateToFail(bundle, 'config.json: line 2, column 25: malformed JSON');
  });

  it('a config.json that is not a regular file, at once (a device, a FIFO), or is too large', () => {
    const zero = host.bundle(['true']);
    rmSync(join(zero, 'config.json'));
    symlinkSync('/dev/zero', join(zero, 'config.json'));
    expectCreateToFail(zero, 'read config.json: not a regular file but a character device');
    const fifo = host.bundle(['true']);
    rmSync(join(fifo, 'config.json'));
    execFileSync('mkfifo', [join(fifo, 'config.json')]);
    expectCreateToFail(fifo, 'read config.json: not a regular file but a FIFO');
    const big = host.bundle(['true']);
    truncateSync(join(big, 'config.json'), 17 * 1024 * 1024);
    expectCreateToFail(big, 'read config.json: larger than the 16 MiB runts reads as JSON');
    expect(host.runts(['validate', '--bundle', zero]).stderr).toContain('not a regular file but a character device');
  });

  it('objects and arrays nested too deep (in a field runts ignores), as validate says too', () => {
    const bundle = host.bundle(['true']);
    const config = readFileSync(join(bundle, 'config.json'), 'utf8').trim();
    writeFileSync(join(bundle, 'config.json'), `${config.slice(0, -1)}, "x-deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expectCreateToFail(bundle, 'objects and arrays nested deeper than 64 levels');
    const validate = host.runts(['validate', '--bundle', bundle]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('objects and arrays nested deeper than 64 levels');
  });

  it('an invalid field, naming its JSON path', () => {
    expectCreateToFail(withConfig((config) => ((config.process!.user as { uid: unknown }).uid = 'root')), '/process/user/uid: must be an integer');
  });

  it('no mount namespace (runts never touches the host\'s mounts)', () => {
    expectCreateToFail(
      withConfig((config) => (config.linux!.namespaces = config.linux!.namespaces!.filter((n) => n.type !== 'mount'))),
      'runts needs a mount namespace',
    );
  });

  it.each([
    ['/linux/seccomp/defaultAction', (config: Config) => (config.linux!.seccomp = { defaultAction: 'SCMP_ACT_NOTIFY' }), 'SCMP_ACT_NOTIFY (a seccomp user-space listener) is not supported'],
    ['/linux/seccomp/listenerPath', (config: Config) => (config.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/run/l.sock' }), 'a seccomp user-space listener is not supported'],
    ['/linux/seccomp/flags', (config: Config) => (config.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'] }), 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported'],
  ])('%s, which runts cannot apply (running less confined than asked is not an option)', (path, change, message) => {
    expectCreateToFail(withConfig(change), `${path}: ${message}`);
  });

  it('a hostname without a UTS namespace', () => {
    expectCreateToFail(
      withConfig((config) => (config.linux!.namespaces = config.linux!.namespaces!.filter((n) => n.type !== 'uts'))),
      '/hostname: setting it needs a UTS namespace',
    );
  });
});

describe('create fails cleanly half-way', () => {
  it('a program that is not in PATH', () => {
    expectCreateToFail(host.bundle(['no-such-program']), 'exec: \\"no-such-program\\": executable file not found in $PATH');
  });

  it('a program path that does not exist', () => {
    expectCreateToFail(host.bundle(['/bin/nope']), 'exec: \\"/bin/nope\\": no such file or directory');
  });

  it('a program that is not executable', () => {
    const bundle = host.bundle(['/etc/passwd']);
    chmodSync(join(bundle, 'rootfs/etc/passwd'), 0o644);
    expectCreateToFail(bundle, 'exec: \\"/etc/passwd\\": permission denied');
  });

  it('a program that the kernel cannot start (E2BIG: an environment string over 128 KiB)', () => {
    const bundle = withConfig((config) => config.process!.env!.push(`BIG=${'x'.repeat(200_000)}`));
    expectCreateToFail(bundle, 'argument list too long (E2BIG)');
  });

  it('a 70,000-character value (destination, cwd, hostname, capability) quoted in a bounded line', () => {
    const long = 'x'.repeat(70_000);
    const failures: [(config: Config) => void, string][] = [
      [(config) => config.mounts!.push({ destination: `/${long}`, type: 'tmpfs', source: 'tmpfs' }), 'create mount point /xxx'],
      [(config) => (config.process!.cwd = `/${long}`), 'create /xxx'],
      [(config) => (config.hostname = long), 'sethostname \\"xxx'],
    ];
    for (const [change, what] of failures) {
      const stderr = expectCreateToFail(withConfig(change), what);
      expect(stderr.length).toBeLessThan(2048);
    }
    // An unknown capability is left out with a warning, as runc does: the warning is bounded too.
    const created = host.runts(['create', '--bundle', withConfig((config) => config.process!.capabilities!.bounding!.push(`CAP_${long}`)), id]);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('ignoring capabilities unknown to this kernel or to runts: CAP_xxx');
    expect(created.stderr.length).toBeLessThan(2048);
    expect(host.runts(['delete', '--force', id]).code).toBe(0);
  });

  it('a config without mounts: init cannot do without /proc, and create says so', () => {
    expectCreateToFail(withConfig((config) => (config.mounts = [])), "list init's descriptors in /proc/self/fd (is /proc among the container's mounts?): no such file or directory (ENOENT)");
  });

  it('a mount on the container\'s root itself (/, or a path that resolves to it)', () => {
    expectCreateToFail(withConfig((config) => config.mounts!.push({ destination: '/', type: 'tmpfs', source: 'tmpfs' })), "mount destination / is the container's root itself");
    expectCreateToFail(withConfig((config) => config.mounts!.push({ destination: '/tmp/..', type: 'tmpfs', source: 'tmpfs' })), "mount destination /tmp/.. is the container's root itself");
  });

  it('a rootfs whose /proc is a symlink (proc and sysfs go on ordinary directories only, as runc)', () => {
    const bundle = host.bundle(['true']);
    rmSync(join(bundle, 'rootfs', 'proc'), { recursive: true, force: true });
    symlinkSync('/tmp', join(bundle, 'rootfs', 'proc'));
    expectCreateToFail(bundle, 'mount proc on /proc: it is a symlink in the rootfs; proc must be mounted on an ordinary directory');
  });

  it('a bind mount whose source does not exist', () => {
    const missing = join(host.work, 'missing');
    expectCreateToFail(
      withConfig((config) => config.mounts!.push({ destination: '/data', type: 'bind', source: missing, options: ['bind'] })),
      `mount /data: bind source ${missing}: no such file or directory (ENOENT)`,
    );
  });

  it('a mount the kernel refuses, with its errno', () => {
    expectCreateToFail(
      withConfig((config) => config.mounts!.push({ destination: '/bad', type: 'tmpfs', source: 'tmpfs', options: ['size=lots'] })),
      'invalid argument (EINVAL)',
    );
  });

  it('a sysctl that does not exist', () => {
    expectCreateToFail(withConfig((config) => (config.linux!.sysctl = { 'kernel.no_such_knob': '1' })), 'set sysctl kernel.no_such_knob');
  });
});

describe('create starts init before it records the container', () => {
  // init starts as soon as the bundle is checked, while runts records the container and makes
  // its cgroup (see src/container/launch.ts): a create that loses then must take its init down.
  it('of creates racing for one id, one wins and the others leave no init behind', async () => {
    const bundle = host.bundle(['sleep', '30']);
    const create = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(RUNTS, ['--root', host.root, 'create', '--bundle', bundle, id], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH } });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([create(), create(), create(), create()]);
    expect(results.filter((result) => result.code === 0)).toHaveLength(1);
    for (const lost of results.filter((result) => result.code !== 0)) expect(lost.stderr).toContain(`container \\"${id}\\" already exists`);
    expect(host.containers()).toEqual([id]);
    // The winner's init has become nsexec's waiter (named runts-init:ID); a loser's would still
    // be `runts init ID`, waiting for orders that never come.
    expect(processesWith(`runts-init:${id}\0`)).toHaveLength(1);
    expect(processesWith(`\0init\0${id}`)).toEqual([]);
    expect(host.runts(['delete', '--force', id]).code).toBe(0);
    expect(processesWith(`runts-init:${id}\0`)).toEqual([]);
  });

  it('a command line that fails after its init was started early leaves no init behind', () => {
    // The raw arguments name a create of a plain bundle, so init starts before they are parsed;
    // then the log format turns out to be bad.
    const result = host.runts(['--log-format', 'xml', 'create', '--bundle', host.bundle(['true']), id]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('xml');
    // One line: the killed init says nothing of its own.
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(host.containers()).toEqual([]);
    expect(processesWith(`\0init\0${id}`)).toEqual([]);
  });

  it('an init whose runts is gone before it sends the orders ends by itself', async () => {
    // What a runts killed right after starting init leaves: an init with no one to talk to.
    const init = spawn(RUNTS, ['init', id], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { _RUNTS_SYNC_FD: '3' } });
    let stderr = '';
    init.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    (init.stdio[3] as import('node:net').Socket).destroy();
    const code = await new Promise((resolve) => init.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('runts init:');
  });
});

describe('a runts killed half-way through create', () => {
  it('in a createContainer hook: init lives on, and delete --force removes it, its hook and the rest', async () => {
    await killCreateDuringHook(host, id, 'createContainer', ({ init, hook }) => {
      expect(commandLine(init)).toContain(`init\0${id}`);
      expect(host.runts(['delete', '--force', id]).code).toBe(0);
      expect(host.containers()).toEqual([]);
      expect(commandLine(init)).toBe('');
      expect(commandLine(hook)).toBe('');
    });
  }, 60_000);

  it('in a createRuntime hook: init ends by itself, and delete --force removes the rest', async () => {
    await killCreateDuringHook(host, id, 'createRuntime', async ({ init }) => {
      await waitFor('init to end', () => (commandLine(init) === '' ? true : undefined));
      expect(host.runts(['delete', '--force', id]).code).toBe(0);
      expect(host.containers()).toEqual([]);
    });
  }, 60_000);
});
