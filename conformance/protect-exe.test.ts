// CVE-2019-5736: a container process that gets hold of /proc/<pid>/exe of a runtime binary
// running among its processes (runts init, for create and exec) must never be able to write
// that host file, not even after the runtime exec'd something else. nsexec --protect-exe runs
// the binary through a read-only bind mount of itself; this is checked on the real kernel, with
// a copy of busybox standing in for runts and the attack done the way the CVE did it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const NSEXEC = resolve(import.meta.dirname, '../dist/nsexec');
let work: string;
let binary: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'runts-protect-'));
  // Named sh, so that busybox runs its shell.
  binary = join(work, 'sh');
  copyFileSync('/bin/busybox', binary);
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Keeps /proc/self/exe open, execs another program, then writes the kept file through it. */
function attack(protect: boolean): string {
  const script = 'exec 3</proc/self/exe; exec /bin/busybox sh -c "echo RUNTS-CVE-MARKER >> /proc/self/fd/3" 2>&1';
  // nsexec does not wait for its child, but the child holds stdout: spawnSync returns once the
  // child has finished too.
  return spawnSync(NSEXEC, ['--sync-fd', '1', ...(protect ? ['--protect-exe'] : []), '--', binary, '-c', script], { encoding: 'utf8' }).stdout;
}

describe('nsexec --protect-exe', () => {
  it('leaves the binary unwritable through /proc/<pid>/exe even after it exec\'d another program', () => {
    attack(true);
    expect(readFileSync(binary).includes('RUNTS-CVE-MARKER')).toBe(false);
  });

  it('is what stops the attack (without it, the same steps overwrite the file)', () => {
    attack(false);
    expect(readFileSync(binary).includes('RUNTS-CVE-MARKER')).toBe(true);
  });
});
