// process.selinuxLabel and linux.mountLabel. This host has no SELinux, so here the suite checks
// the refusal; in the guest of conformance/vm/ booted with SELinux (`--lsm selinux`) it compiles
// and loads a minimal policy of its own (conformance/selinux/policy.conf, permissive) and
// checks that the container's process and an exec'd one run in the label asked for, and that
// the container's mounts carry the mount label.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { useTestHost } from './helpers/bundle.js';

const host = useTestHost();

const enabled = existsSync('/sys/fs/selinux/enforce');
const PROCESS_LABEL = 'system_u:system_r:container_t';
const MOUNT_LABEL = 'system_u:object_r:container_file_t';

describe('on a host without SELinux', () => {
  it.skipIf(enabled).each([
    ['/process/selinuxLabel', (config: Config) => (config.process!.selinuxLabel = PROCESS_LABEL)],
    ['/linux/mountLabel', (config: Config) => (config.linux!.mountLabel = MOUNT_LABEL)],
  ])('%s is refused clearly and nothing is left', (path, change) => {
    const result = host.runts(['create', '--bundle', host.bundle(['true'], change), 'labelled']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${path}: SELinux is not enabled on this host`);
    expect(host.containers()).toEqual([]);
  });
});

// Only where npm run test:vm says so, in its SELinux guest: loading this policy on a real
// SELinux host would replace the host's own.
describe.runIf(process.env.RUNTS_EXPECT_SELINUX)('with SELinux', () => {
  beforeAll(() => {
    expect(enabled, 'SELinux is on').toBe(true);
    // Loaded once per boot; loading it again replaces it with the same.
    const dir = mkdtempSync(join(tmpdir(), 'runts-selinux-'));
    try {
      const policy = join(dir, 'policy');
      const compile = spawnSync('checkpolicy', ['-U', 'allow', '-o', policy, resolve(import.meta.dirname, 'selinux/policy.conf')], { encoding: 'utf8' });
      expect(compile.status, compile.stderr).toBe(0);
      writeFileSync('/sys/fs/selinux/load', readFileSync(policy));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const script = 'cat /proc/self/attr/current; echo; grep " /dev/shm " /proc/self/mounts';
  const labelled = (config: Config) => {
    config.process!.selinuxLabel = PROCESS_LABEL;
    config.linux!.mountLabel = MOUNT_LABEL;
  };

  it('runs the container process in its label, and labels its mounts', () => {
    const result = host.runts(['run', '--bundle', host.bundle(['sh', '-c', script], labelled), 'labelled']);
    expect(result.stderr).toBe('');
    const [current, shm] = result.stdout.replace(/\0/g, '').split('\n');
    expect(current).toBe(PROCESS_LABEL);
    // The kernel prints the option without the quotes it was given with.
    expect(shm).toMatch(new RegExp(`[ ,]context="?${MOUNT_LABEL}"?[ ,]`));
  });

  it('runs an exec --process in its label, and an exec without one in runts\'s own', () => {
    expect(host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '600']), 'box']).code).toBe(0);
    const processFile = join(host.work, 'process.json');
    writeFileSync(processFile, JSON.stringify({ args: ['cat', '/proc/self/attr/current'], cwd: '/', env: ['PATH=/bin'], selinuxLabel: PROCESS_LABEL }));
    expect(host.runts(['exec', '--process', processFile, 'box']).stdout.replace(/\0/g, '')).toBe(PROCESS_LABEL);
    expect(host.runts(['exec', 'box', 'cat', '/proc/self/attr/current']).stdout.replace(/\0/g, '')).not.toBe(PROCESS_LABEL);
    expect(host.runts(['delete', '--force', 'box']).code).toBe(0);
  });
});
