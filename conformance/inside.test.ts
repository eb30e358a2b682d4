// What the container's process sees, checked from inside (config.md, config-linux.md): mounts,
// /dev, masked and read-only paths, hostname, identity, capabilities, limits, descriptors.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { mkdirp, useTestHost } from './helpers/bundle.js';
import { RUNTS } from './helpers/runts.js';

const host = useTestHost();

/** Runs `script` in a container (configured by `change`) and returns its stdout. */
function inside(script: string, change: (config: Config) => void = () => undefined): string {
  const result = host.runts(['run', '--bundle', host.bundle(['sh', '-c', script], change), 'probe']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

const statusField = (status: string, field: string) => new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status)?.[1];

describe('namespaces', () => {
  it('runs the program as pid 1 of new pid, uts, ipc, net and mount namespaces', () => {
    const out = inside('echo $$; for ns in pid uts ipc net mnt; do readlink /proc/self/ns/$ns; done');
    const [pid, ...namespaces] = out.trim().split('\n');
    expect(pid).toBe('1');
    for (const link of namespaces) {
      const type = link.split(':')[0]!;
      expect(link).not.toBe(readlinkSync(`/proc/self/ns/${type === 'mnt' ? 'mnt' : type}`));
    }
  });

  it('shares the namespaces config.json does not list', () => {
    const out = inside('readlink /proc/self/ns/net', (config) => {
      config.linux!.namespaces = config.linux!.namespaces!.filter((namespace) => namespace.type !== 'network');
    });
    expect(out.trim()).toBe(readlinkSync('/proc/self/ns/net'));
  });

  it('joins a namespace given by path', () => {
    host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '30'], (config) => (config.hostname = 'first')), 'first']);
    const pid = JSON.parse(host.runts(['state', 'first']).stdout).pid;
    const result = host.runts([
      'run',
      '--bundle',
      host.bundle(['sh', '-c', 'hostname; readlink /proc/self/ns/net'], (config) => {
        delete config.hostname;
        config.linux!.namespaces = config.linux!.namespaces!.map((namespace) =>
          namespace.type === 'uts' || namespace.type === 'network' ? { ...namespace, path: `/proc/${pid}/ns/${namespace.type === 'network' ? 'net' : 'uts'}` } : namespace,
        );
      }),
      'second',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['first', readlinkSync(`/proc/${pid}/ns/net`)]);
    // As runc: a hostname is set in a joined UTS namespace too, for every process in it.
    const renamed = host.runts([
      'run',
      '--bundle',
      host.bundle(['hostname'], (config) => {
        config.hostname = 'renamed';
        config.linux!.namespaces = config.linux!.namespaces!.map((namespace) => (namespace.type === 'uts' ? { ...namespace, path: `/proc/${pid}/ns/uts` } : namespace));
      }),
      'third',
    ]);
    expect(renamed).toMatchObject({ code: 0, stdout: 'renamed\n' });
    expect(host.runts(['exec', 'first', 'hostname']).stdout).toBe('renamed\n');
    host.runts(['delete', '--force', 'first']);
  });

  it('creates cgroup and time namespaces, with timeOffsets applied', () => {
    const hostUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const out = inside('readlink /proc/self/ns/cgroup; cut -d" " -f1 /proc/uptime', (config) => {
      config.linux!.namespaces!.push({ type: 'cgroup' }, { type: 'time' });
      config.linux!.timeOffsets = { boottime: { secs: 86400 * 3, nanosecs: 0 } };
    });
    const [cgroup, uptime] = out.trim().split('\n');
    expect(cgroup).not.toBe(readlinkSync('/proc/self/ns/cgroup'));
    const shift = Number(uptime) - hostUptime;
    expect(shift).toBeGreaterThan(86400 * 3 - 60);
    expect(shift).toBeLessThan(86400 * 3 + 60);
  });

  it('refuses a namespace path of the wrong type, leaving nothing behind', () => {
    const result = host.runts([
      'run',
      '--bundle',
      host.bundle(['true'], (config) => {
        config.linux!.namespaces = config.linux!.namespaces!.map((namespace) =>
          namespace.type === 'ipc' ? { ...namespace, path: '/proc/self/ns/net' } : namespace,
        );
      }),
      'wrong',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('setns ipc:/proc/self/ns/net: invalid argument (EINVAL)');
    expect(host.containers()).toEqual([]);
  });
});

describe('root filesystem', () => {
  it('pivots into the rootfs, read-only as root.readonly says, with the configured mounts', () => {
    const out = inside('cat /proc/self/mountinfo; touch /x 2>/dev/null && echo root-writable || echo root-readonly');
    const mounts = out.split('\n').map((line) => line.split(' '));
    const at = (path: string) => mounts.find((fields) => fields[4] === path);
    expect(at('/')?.[5]).toMatch(/^ro/);
    expect(at('/proc')?.[at('/proc')!.indexOf('-') + 1]).toBe('proc');
    expect(at('/dev')?.[at('/dev')!.indexOf('-') + 1]).toBe('tmpfs');
    expect(at('/dev/pts')?.[at('/dev/pts')!.indexOf('-') + 1]).toBe('devpts');
    expect(at('/sys')?.[5]).toMatch(/^ro/);
    expect(at('/dev/mqueue')?.[at('/dev/mqueue')!.indexOf('-') + 1]).toBe('mqueue');
    expect(at('/dev/shm')?.[at('/dev/shm')!.indexOf('-') + 1]).toBe('tmpfs');
    // The cgroup mount: cgroup2 on a unified host; on a hybrid one, a tmpfs of v1 hierarchies.
    const cgroups = mounts.filter((fields) => fields[4]?.startsWith('/sys/fs/cgroup'));
    expect(cgroups.length).toBeGreaterThan(0);
    expect(cgroups.every((fields) => fields[5]?.startsWith('ro'))).toBe(true);
    expect(out).toContain('root-readonly');
    // Mount points are the container's own paths (field 4, the mount's source root, may name the host's).
    expect(mounts.map((fields) => fields[4] ?? '').filter((point) => point.includes(host.work))).toEqual([]);
  });

  it('moves into the rootfs with --no-pivot (MS_MOVE and chroot)', () => {
    const result = host.runts(['run', '--no-pivot', '--bundle', host.bundle(['sh', '-c', 'ls /bin/busybox; cat /proc/self/mountinfo | wc -l']), 'np']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\/bin\/busybox\n\d+\n$/);
  });

  it('binds host directories with their options, read-only when asked', () => {
    const data = mkdirp(join(host.work, 'data'));
    writeFileSync(join(data, 'file'), 'from host');
    const out = inside('cat /data/file; echo; touch /data/new 2>/dev/null && echo writable || echo readonly; grep " /data " /proc/self/mountinfo', (config) => {
      config.mounts!.push({ destination: '/data', type: 'bind', source: data, options: ['rbind', 'ro', 'nosuid', 'nodev'] });
    });
    expect(out).toContain('from host\nreadonly\n');
    expect(out).toMatch(/ \/data ro,nosuid,nodev/);
  });

  it('applies recursive read-only (rro) to a bind and everything under it', () => {
    const data = mkdirp(join(host.work, 'tree'));
    const out = inside('mount -t tmpfs tmpfs /tree 2>/dev/null; touch /tree/x 2>/dev/null && echo writable || echo readonly; grep " /tree " /proc/self/mountinfo | cut -d" " -f6', (config) => {
      config.mounts!.push({ destination: '/tree', type: 'bind', source: data, options: ['rbind', 'rro'] });
    });
    expect(out).toBe('readonly\nro,relatime\n');
  });

  it('applies rootfsPropagation to the container\'s root', () => {
    const out = inside('awk \'$5 == "/"\' /proc/self/mountinfo', (config) => (config.linux!.rootfsPropagation = 'shared'));
    expect(out).toMatch(/ shared:\d+ /);
  });

  it('binds a file onto a file it creates inside the rootfs', () => {
    const file = join(host.work, 'motd');
    writeFileSync(file, 'hello file');
    expect(inside('cat /etc/motd', (config) => config.mounts!.push({ destination: '/etc/motd', type: 'bind', source: file, options: ['bind', 'ro'] }))).toBe('hello file');
  });

  it('mounts a tmpfs with its data options', () => {
    const out = inside('grep " /scratch " /proc/self/mountinfo', (config) => config.mounts!.push({ destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['size=1m', 'mode=700'] }));
    expect(out).toMatch(/tmpfs tmpfs rw,size=1024k,mode=700/);
  });

  it('fills a tmpfs with what its mount point held (tmpcopyup), and gives a tmpfs without mode= the mount point\'s mode', () => {
    const bundle = host.bundle(['sh', '-c', 'stat -c "%a %u:%g %n" /data /data/file /data/sub /tmp; cat /data/file; readlink /data/link; grep " /data " /proc/self/mountinfo | grep -c " - tmpfs "; echo new > /data/added; (echo x > /ro/file) 2>/dev/null || echo ro-refused; ls /ro'], (config) => {
      config.mounts!.push(
        { destination: '/data', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'tmpcopyup'] },
        { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid'] },
        { destination: '/ro', type: 'tmpfs', source: 'tmpfs', options: ['ro', 'tmpcopyup'] },
      );
    });
    const rootfs = join(bundle, 'rootfs');
    mkdirSync(join(rootfs, 'data', 'sub'), { recursive: true });
    writeFileSync(join(rootfs, 'data', 'file'), 'from the image\n', { mode: 0o604 });
    chownSync(join(rootfs, 'data', 'file'), 1000, 1000);
    symlinkSync('file', join(rootfs, 'data', 'link'));
    chmodSync(join(rootfs, 'data'), 0o2775);
    chmodSync(join(rootfs, 'tmp'), 0o3777);
    mkdirSync(join(rootfs, 'ro'));
    writeFileSync(join(rootfs, 'ro', 'kept'), '');
    const result = host.runts(['run', '--bundle', bundle, 'copyup']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        `2775 0:0 /data`,
        `604 1000:1000 /data/file`,
        `755 0:0 /data/sub`,
        `3777 0:0 /tmp`,
        'from the image',
        'file',
        '1',
        'ro-refused',
        'kept',
        '',
      ].join('\n'),
    );
    // The image's directory is as it was: the new file went to the tmpfs.
    expect(readdirSync(join(rootfs, 'data')).sort()).toEqual(['file', 'link', 'sub']);
  });

  it('never lets a symlink in the rootfs put a mount outside it', () => {
    const outside = mkdirp(join(host.work, 'outside'));
    const source = mkdirp(join(host.work, 'source'));
    writeFileSync(join(source, 'marker'), 'mounted');
    const bundle = host.bundle(['sh', '-c', 'cat /escape/marker'], (config) => {
      config.mounts!.push({ destination: '/escape', type: 'bind', source, options: ['bind'] });
    });
    symlinkSync(outside, join(bundle, 'rootfs', 'escape'));
    const result = host.runts(['run', '--bundle', bundle, 'esc']);
    // The symlink resolves inside the rootfs (to <rootfs><outside>), never to the host path:
    // that is where the mount point was made.
    expect(result.stdout).toBe('mounted');
    expect(existsSync(join(bundle, 'rootfs', outside))).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('creates the default devices and /dev symlinks, and linux.devices', () => {
    const out = inside('ls -l /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/fuse; for l in fd stdin stdout stderr ptmx; do readlink /dev/$l; done', (config) => {
      config.linux!.devices = [{ path: '/dev/fuse', type: 'c', major: 10, minor: 229, fileMode: 0o640, uid: 0, gid: 0 }];
    });
    expect(out).toMatch(/crw-rw-rw-\s+1 root\s+root\s+1,\s+3 .* \/dev\/null/);
    expect(out).toMatch(/crw-rw-rw-\s+1 root\s+root\s+5,\s+0 .* \/dev\/tty/);
    expect(out).toMatch(/crw-r-----\s+1 root\s+root\s+10,\s+229 .* \/dev\/fuse/);
    expect(out).toContain('/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2\npts/ptmx\n');
  });

  it('masks maskedPaths (files and directories) and makes readonlyPaths read-only', () => {
    const script = 'cat /proc/cpuinfo | wc -c; ls /proc/tty | wc -l; (echo 1 > /proc/sys/kernel/ns_last_pid) 2>/dev/null && echo sys-writable || echo sys-readonly';
    const out = inside(script, (config) => config.linux!.maskedPaths!.push('/proc/cpuinfo', '/proc/tty', '/does/not/exist'));
    expect(out).toBe('0\n0\nsys-readonly\n');
  });

  it('keeps the nosuid, nodev and noexec of /proc on its read-only paths, as runc', () => {
    // The remount that makes a path read-only clears every flag it does not name. /proc as
    // docker and podman mount it (runc spec's has no options).
    const script = 'for path in /proc /proc/sys /proc/bus; do grep " $path " /proc/self/mounts | cut -d" " -f4; done';
    const options = inside(script, (config) => (config.mounts!.find((mount) => mount.destination === '/proc')!.options = ['nosuid', 'noexec', 'nodev'])).split('\n');
    const flags = (line: string) => line.split(',').filter((option) => ['nosuid', 'nodev', 'noexec'].includes(option));
    expect(flags(options[0]!)).toEqual(['nosuid', 'nodev', 'noexec']);
    expect(options[1]!.split(',')[0]).toBe('ro');
    expect(flags(options[1]!)).toEqual(['nosuid', 'nodev', 'noexec']);
    expect(flags(options[2]!)).toEqual(['nosuid', 'nodev', 'noexec']);
  });

  it('sets hostname and domainname in the new UTS namespace', () => {
    expect(inside('hostname; cat /proc/sys/kernel/domainname', (config) => {
      config.hostname = 'box';
      config.domainname = 'example.org';
    })).toBe('box\nexample.org\n');
  });

  it('applies linux.sysctl inside the container, before /proc/sys becomes read-only (default config)', () => {
    const script = 'cat /proc/sys/net/ipv4/ip_forward; grep " /proc/sys " /proc/self/mounts | grep -c "[ ,]ro[ ,]"';
    expect(inside(script, (config) => (config.linux!.sysctl = { 'net.ipv4.ip_forward': '1' }))).toBe('1\n1\n');
  });
});

describe('process', () => {
  it('runs with the configured user, groups, cwd, env, umask and no new privileges', () => {
    const out = inside('id; pwd; echo $GREETING; umask; grep -E "^(NoNewPrivs|Groups)" /proc/self/status', (config) => {
      config.process!.user = { uid: 1000, gid: 1000, additionalGids: [5, 7], umask: 0o027 };
      config.process!.cwd = '/home/app';
      config.process!.env!.push('GREETING=hi');
      config.process!.noNewPrivileges = true;
    });
    expect(out).toContain('uid=1000 gid=1000 groups=5,7');
    expect(out).toContain('/home/app\nhi\n0027\n');
    expect(statusField(out, 'NoNewPrivs')).toBe('1');
  });

  it('starts a non-root user in a cwd only root can reach, entered before the user switch, as runc', () => {
    const bundle = host.bundle(['pwd'], (config) => {
      config.process!.user = { uid: 1000, gid: 1000 };
      config.process!.cwd = '/root-only';
    });
    mkdirSync(join(bundle, 'rootfs', 'root-only'), { mode: 0o700 });
    expect(host.runts(['run', '--bundle', bundle, 'cwd'])).toMatchObject({ code: 0, stdout: '/root-only\n', stderr: '' });
  });

  it('lets a non-root user\'s capabilities count at the program\'s exec, as runc (CAP_DAC_OVERRIDE into a directory only root can enter)', () => {
    const bundle = host.bundle(['/restricted/true'], (config) => {
      config.process!.user = { uid: 1000, gid: 1000 };
      const caps = ['CAP_DAC_OVERRIDE'];
      config.process!.capabilities = { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] };
    });
    mkdirSync(join(bundle, 'rootfs', 'restricted'), { mode: 0o700 });
    copyFileSync('/bin/busybox', join(bundle, 'rootfs', 'restricted', 'true'));
    chmodSync(join(bundle, 'rootfs', 'restricted', 'true'), 0o700);
    expect(host.runts(['run', '--bundle', bundle, 'caps'])).toMatchObject({ code: 0, stderr: '' });
  });

  it('gets exactly the configured capability sets', () => {
    const out = inside('cat /proc/self/status', (config) => {
      config.process!.capabilities = {
        bounding: ['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_CHOWN'],
        effective: ['CAP_KILL', 'CAP_CHOWN'],
        permitted: ['CAP_KILL', 'CAP_CHOWN'],
        inheritable: ['CAP_KILL'],
        ambient: ['CAP_KILL'],
      };
    });
    const bit = (n: number) => 1n << BigInt(n);
    const hex = (mask: bigint) => mask.toString(16).padStart(16, '0');
    expect(statusField(out, 'CapBnd')).toBe(hex(bit(5) | bit(10) | bit(0)));
    expect(statusField(out, 'CapInh')).toBe(hex(bit(5)));
    // The shell got CAP_KILL and CAP_CHOWN through exec: ambient CAP_KILL is effective too.
    expect(statusField(out, 'CapPrm')).toBe(hex(bit(5) | bit(0)));
    expect(statusField(out, 'CapAmb')).toBe(hex(bit(5)));
  });

  it('applies rlimits and oomScoreAdj', () => {
    const out = inside('ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj', (config) => {
      config.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 321, hard: 654 }];
      config.process!.oomScoreAdj = 123;
    });
    expect(out).toBe('321\n654\n123\n');
  });

  it('finds the program in the container\'s PATH and passes args untouched', () => {
    expect(inside('printf "%s|" "$0" "$1"', (config) => {
      config.process!.args = ['sh', '-c', 'printf "%s|" "$0" "$1"', 'a b', 'c'];
    })).toBe('a b|c|');
  });

  it('applies linux.personality', () => {
    expect(inside('uname -m', (config) => (config.linux!.personality = { domain: 'LINUX32' }))).toBe('i686\n');
  });

  it('gives the container a session keyring of its own unless --no-new-keyring', () => {
    const script = 'grep -c "_ses.probe" /proc/keys || true';
    const unmask = (config: Config) => (config.linux!.maskedPaths = []);
    expect(inside(script, unmask)).toBe('1\n');
    const shared = host.runts(['run', '--no-new-keyring', '--bundle', host.bundle(['sh', '-c', script], unmask), 'probe']);
    expect(shared.stdout).toBe('0\n');
  });

  it('starts the program with no signal ignored or blocked, as runc does (init, a Bun process, ignores SIGPIPE and SIGXFSZ)', () => {
    const result = host.runts(['run', '--bundle', host.bundle(['grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status']), 'signals']);
    expect(result.stdout).toBe('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  it('leaks no descriptor of the runtime into the container', () => {
    // ls lists its own directory descriptor (3) besides the three stdio ones.
    expect(inside('ls /proc/self/fd')).toBe('0\n1\n2\n3\n');
  });

  it('passes --preserve-fds descriptors to the container', () => {
    const file = join(host.work, 'preserved');
    writeFileSync(file, 'kept open');
    const bundle = host.bundle(['sh', '-c', 'cat <&3; echo " $LISTEN_FDS"']);
    expect(runWithExtraFd(['runts', 'run', '--preserve-fds', '1', '--bundle', bundle, 'fds'], file)).toBe('kept open \n');
  });

  it('passes socket-activation descriptors with LISTEN_FDS and LISTEN_PID=1', () => {
    const file = join(host.work, 'activated');
    writeFileSync(file, 'activated');
    const bundle = host.bundle(['sh', '-c', 'cat <&3; echo " $LISTEN_FDS $LISTEN_PID"']);
    // LISTEN_PID must name runts itself: a shell sets it to its own pid and execs runts.
    const script = `LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"`;
    expect(runWithExtraFd(['sh', '-c', script, 'sh', 'runts', 'run', '--bundle', bundle, 'activated'], file)).toBe('activated 1 1\n');
  });
});

/**
 * Runs a command line ("runts" stands for dist/runts) with the file open as descriptor 3, as
 * an engine passing --preserve-fds or systemd passing a socket does.
 */
function runWithExtraFd(command: string[], file: string): string {
  const fd = openSync(file, 'r');
  const outFile = join(host.work, 'fd-out');
  const out = openSync(outFile, 'w');
  const argv = command.map((arg) => (arg === 'runts' ? RUNTS : arg));
  const at = argv.indexOf(RUNTS);
  argv.splice(at + 1, 0, '--root', host.root);
  try {
    spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', out, 'inherit', fd], env: { PATH: process.env.PATH } });
  } finally {
    closeSync(fd);
    closeSync(out);
  }
  return readFileSync(outFile, 'utf8');
}
