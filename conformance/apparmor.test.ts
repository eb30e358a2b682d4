// process.apparmorProfile. This host has no AppArmor, so here the suite checks the refusal; in
// the guest of conformance/vm/ (Debian's kernel, AppArmor on, apparmor_parser from Debian's
// package) it loads a profile of its own and checks that the container's process, and a
// process exec'd with the profile, run confined by it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { useTestHost } from './helpers/bundle.js';

const host = useTestHost();

const enabled = (() => {
  try {
    return readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').trim() === 'Y';
  } catch {
    return false;
  }
})();
const parser = spawnSync('sh', ['-c', 'command -v apparmor_parser'], { encoding: 'utf8' }).stdout.trim();

describe('on a host without AppArmor', () => {
  it.skipIf(enabled)('a profile is refused clearly and nothing is left', () => {
    const bundle = host.bundle(['true'], (config) => (config.process!.apparmorProfile = 'runts-default'));
    const result = host.runts(['create', '--bundle', bundle, 'confined']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('/process/apparmorProfile: AppArmor is not enabled on this host');
    expect(host.containers()).toEqual([]);
  });
});

// npm run test:vm sets RUNTS_EXPECT_APPARMOR: there the suite must not skip itself.
describe.runIf(enabled || process.env.RUNTS_EXPECT_APPARMOR)('with AppArmor', () => {
  const profile = `runts-test-${process.pid}`;
  // Everything allowed but writing below /dev/shm: enough to tell confined from not.
  const text = `profile ${profile} flags=(attach_disconnected,mediate_deleted) {
  file, capability, network, mount, umount, pivot_root, signal, ptrace, unix,
  deny /dev/shm/** w,
}
`;
  beforeAll(() => {
    expect(enabled, 'AppArmor is enabled').toBe(true);
    expect(parser, 'apparmor_parser is on PATH').not.toBe('');
    const load = spawnSync(parser, ['--replace', '--skip-cache'], { input: text, encoding: 'utf8' });
    // (It warns that the unpacked parser has no /etc/apparmor/parser.conf: the defaults do.)
    expect(load.status, load.stderr).toBe(0);
  });
  afterAll(() => {
    // The kernel keeps a loaded profile until it is removed: the suite leaves none behind.
    if (parser) spawnSync(parser, ['--remove', '--skip-cache'], { input: text });
  });

  const script = 'cat /proc/self/attr/current; echo x > /dev/shm/probe && echo wrote';
  const confined = (config: Config) => (config.process!.apparmorProfile = profile);

  it('confines the container process by the profile from its first instruction', () => {
    const result = host.runts(['run', '--bundle', host.bundle(['sh', '-c', script], confined), 'confined']);
    expect(result.stdout).toBe(`${profile} (enforce)\n`);
    expect(result.stderr).toContain('/dev/shm/probe: Permission denied');
    // The same container without the profile writes.
    const free = host.runts(['run', '--bundle', host.bundle(['sh', '-c', script]), 'free']);
    expect(free.stdout).toBe('unconfined\nwrote\n');
  });

  it('applies the profile of an exec --process, and leaves an exec without one unconfined', () => {
    expect(host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '600']), 'box']).code).toBe(0);
    const processFile = join(host.work, 'process.json');
    writeFileSync(processFile, JSON.stringify({ args: ['sh', '-c', script], cwd: '/', env: ['PATH=/bin'], apparmorProfile: profile }));
    const inside = host.runts(['exec', '--process', processFile, 'box']);
    expect(inside.stdout).toBe(`${profile} (enforce)\n`);
    expect(inside.stderr).toContain('Permission denied');
    expect(host.runts(['exec', 'box', 'cat', '/proc/self/attr/current']).stdout).toBe('unconfined\n');
    expect(host.runts(['delete', '--force', 'box']).code).toBe(0);
  });
});
