// CVE-2024-45310 class: a rootfs that shares a volume with someone else can change while init
// works in it. Here a directory on the way to a mount point is swapped, as fast as the kernel
// allows, with a symlink to a host directory, while containers are created: every path init
// makes or opens is resolved by the kernel inside the rootfs (src/init/in-root.ts), so nothing
// is ever made outside it. (Resolved in user space, as before, this made the mount point in the
// host directory within a few dozen creates.)
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdirp, useTestHost } from './helpers/bundle.js';

const host = useTestHost();
const CREATES = 40;

describe('a rootfs changing under init', () => {
  it('never lets a swapped-in symlink put a mount point outside the rootfs', { timeout: 120_000 }, async () => {
    const outside = mkdirp(join(host.work, 'outside'));
    const bundle = host.bundle(['true'], (config) => config.mounts!.push({ destination: '/vol/sub/new', type: 'tmpfs', source: 'tmpfs' }));
    const vol = join(bundle, 'rootfs', 'vol');
    mkdirSync(join(vol, 'sub'), { recursive: true });
    symlinkSync(outside, join(vol, 'sub.other'));
    const swapper = spawn('python3', [resolve(import.meta.dirname, 'helpers/exchange_loop.py'), 'sub', 'sub.other', '60'], { cwd: vol, stdio: 'ignore' });
    try {
      for (let i = 0; i < CREATES; i++) {
        const id = `race-${i}`;
        // A create may fail when it meets the link half-way (cleanly: failures.test.ts); one that
        // succeeds has its mount inside the rootfs.
        if (host.runts(['create', '--bundle', bundle, id]).code === 0) expect(host.runts(['delete', '--force', id]).code).toBe(0);
        expect(readdirSync(outside), `after create ${i}`).toEqual([]);
      }
    } finally {
      swapper.kill('SIGKILL');
      await new Promise((done) => swapper.once('exit', done));
    }
  });
});
