import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secureJoin } from './secure-join.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'runts-securejoin-'));
  mkdirSync(join(root, 'etc'));
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
  writeFileSync(join(root, 'etc/hosts'), '');
  symlinkSync('/etc', join(root, 'abs-etc'));
  symlinkSync('../../../../../../../etc', join(root, 'escape'));
  symlinkSync('usr/lib', join(root, 'lib'));
  symlinkSync('/', join(root, 'slash'));
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));
  symlinkSync('../etc/hosts', join(root, 'usr/hosts-link'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolving paths inside a rootfs', () => {
  it.each([
    ['/etc/hosts', 'etc/hosts'],
    ['etc//./hosts', 'etc/hosts'],
    ['/../../etc', 'etc'],
    ['/abs-etc/passwd', 'etc/passwd'],
    ['/escape/shadow', 'etc/shadow'],
    ['/lib/x', 'usr/lib/x'],
    ['/slash/../../tmp', 'tmp'],
    ['/usr/hosts-link', 'etc/hosts'],
    ['/new/dir/that/does/not/exist', 'new/dir/that/does/not/exist'],
    ['/', ''],
  ])('%s stays inside as %s', (path, inside) => {
    expect(secureJoin(root, path)).toBe(inside ? `${root}/${inside}` : root);
  });

  it('gives up on symlink loops', () => {
    expect(() => secureJoin(root, '/loop1/x')).toThrow(/ELOOP/);
  });
});
