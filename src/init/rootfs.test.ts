// The order and flags of the mounts runts init makes, recorded through the ffi seam (the
// conformance tests check the same logic on a real kernel).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MNT_DETACH, MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY, MS_REC, MS_REMOUNT, MS_SLAVE, MS_STRICTATIME } from '../../ffi/constants.js';
import { RecordingLibc } from '../../ffi/testing/recording-libc.js';
import type { Config } from '../spec/config.js';
import { defaultConfig } from '../spec/defaults.js';
import { MOUNT_ATTR_RDONLY } from '../spec/mount-options.js';
import { finishRootfs, prepareRootfs } from './rootfs.js';

let work: string;
let rootfs: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'runts-rootfs-unit-'));
  rootfs = join(work, 'rootfs');
  mkdirSync(rootfs);
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

function prepare(config: Config, noPivot = false): RecordingLibc {
  const libc = new RecordingLibc();
  prepareRootfs({ config, rootfs, bundle: work, noPivot, beforeRootSwitch: () => libc.calls.push({ name: 'hooks', args: [] }) }, libc);
  return libc;
}

describe('prepareRootfs', () => {
  it('makes the tree a slave, binds the rootfs, mounts in config order, then pivots', () => {
    const libc = prepare(defaultConfig());
    const mounts = libc.named('mount');
    expect(mounts[0]).toEqual([null, '/', null, MS_SLAVE | MS_REC, null]);
    expect(mounts).toContainEqual([rootfs, rootfs, null, MS_BIND | MS_REC, null]);
    const targets = mounts.map((args) => args[1]).filter((target) => typeof target === 'string' && target.startsWith(`${rootfs}/`));
    expect(targets.slice(0, 6)).toEqual(['proc', 'dev', 'dev/pts', 'dev/shm', 'dev/mqueue', 'sys'].map((p) => `${rootfs}/${p}`));
    expect(mounts).toContainEqual(['tmpfs', `${rootfs}/dev`, 'tmpfs', MS_NOSUID | MS_STRICTATIME, 'mode=755,size=65536k']);
    expect(mounts).toContainEqual(['sysfs', `${rootfs}/sys`, 'sysfs', MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, null]);
    const tail = libc.calls.slice(-7).map((call) => call.name);
    expect(tail).toEqual(['hooks', 'fchdir', 'pivotRoot', 'fchdir', 'mount', 'umount2', 'chdir']);
    expect(libc.named('pivotRoot')).toEqual([['.', '.']]);
    expect(libc.named('umount2')).toEqual([['.', MNT_DETACH]]);
  });

  it('binds, then remounts for the flags a bind ignores', () => {
    const source = join(work, 'data');
    mkdirSync(source);
    const config = defaultConfig();
    config.mounts = [{ destination: '/data', type: 'bind', source: 'data', options: ['rbind', 'ro', 'nosuid', 'rro'] }];
    const mounts = prepare(config).named('mount').filter((args) => args[1] === `${rootfs}/data`);
    expect(mounts).toEqual([
      [source, `${rootfs}/data`, null, MS_BIND | MS_REC, null],
      [null, `${rootfs}/data`, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID, null],
    ]);
  });

  it('records recursive attributes with mount_setattr', () => {
    mkdirSync(join(work, 'tree'));
    const config = defaultConfig();
    config.mounts = [{ destination: '/tree', type: 'bind', source: join(work, 'tree'), options: ['rbind', 'rro'] }];
    expect(prepare(config).named('mountSetattr')).toEqual([[`${rootfs}/tree`, MOUNT_ATTR_RDONLY, 0]]);
  });

  it('creates mount points inside the rootfs even through hostile symlinks', () => {
    // An absolute link that would lead to the host's /usr/etc if followed outside the rootfs.
    symlinkSync('/usr/etc', join(rootfs, 'etc'));
    symlinkSync('../../../../../../var', join(rootfs, 'up'));
    writeFileSync(join(work, 'hosts'), '');
    const config = defaultConfig();
    config.mounts = [
      { destination: '/etc/hosts', type: 'bind', source: join(work, 'hosts'), options: ['bind'] },
      { destination: '/up/lib', type: 'tmpfs', source: 'tmpfs' },
    ];
    const mounts = prepare(config).named('mount');
    expect(mounts).toContainEqual([join(work, 'hosts'), `${rootfs}/usr/etc/hosts`, null, MS_BIND, null]);
    expect(mounts).toContainEqual(['tmpfs', `${rootfs}/var/lib`, 'tmpfs', 0, null]);
  });

  it('moves the rootfs and chroots with noPivot', () => {
    const libc = prepare(defaultConfig(), true);
    expect(libc.calls.slice(-4).map((call) => [call.name, ...call.args])).toEqual([
      ['chdir', rootfs],
      ['mount', rootfs, '/', null, 0x2000, null],
      ['chroot', '.'],
      ['chdir', '/'],
    ]);
  });

  it('creates the default devices with their numbers', () => {
    const nodes = prepare(defaultConfig()).named('mknod').map(([path, , dev]) => [String(path).slice(rootfs.length), dev]);
    expect(nodes).toEqual([
      ['/dev/null', 0x103n],
      ['/dev/zero', 0x105n],
      ['/dev/full', 0x107n],
      ['/dev/random', 0x108n],
      ['/dev/urandom', 0x109n],
      ['/dev/tty', 0x500n],
    ]);
  });
});

describe('finishRootfs', () => {
  it('remounts a read-only path keeping the nosuid, nodev and noexec of the mount it binds', () => {
    const libc = new RecordingLibc();
    // statfs's flags of a /proc mounted nosuid,nodev,noexec,relatime (ST_RELATIME is 4096).
    libc.statfsFlags = MS_NOSUID | MS_NODEV | MS_NOEXEC | 4096;
    finishRootfs({ ...defaultConfig(), root: { path: 'rootfs' }, linux: { readonlyPaths: ['/proc/sys'] } }, libc);
    expect(libc.named('mount')).toEqual([
      ['/proc/sys', '/proc/sys', null, MS_BIND | MS_REC, null],
      [null, '/proc/sys', null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | MS_NOSUID | MS_NODEV | MS_NOEXEC, null],
    ]);
  });
});
