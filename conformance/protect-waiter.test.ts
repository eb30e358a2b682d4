// CVE-2019-5736 for the waiter: until `runts start`, a created container's pid 1 is nsexec's
// wait for start, and a root process exec'd into the container can hold /proc/1/exe. Once start
// has exec'd the program, nothing executes that file any more, and the held descriptor would
// let the container write it. The waiter runs from a sealed copy, so the host's nsexec is never
// within reach; checked with the attack itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkdirp, useTestHost } from './helpers/bundle.js';
import { sleepSync } from '../src/sleep.js';

const host = useTestHost();
const MARKER = 'RUNTS-WAITER-MARKER';

/** The host's copies of nsexec that runts unpacked (see ffi/native-assets.ts). */
function hostNsexecCopies(): string[] {
  const top = '/run/runts.native';
  return readdirSync(top)
    .filter((name) => name.startsWith('nsexec-'))
    .map((name) => join(top, name, 'nsexec'));
}

describe('the waiter of a created container', () => {
  it('cannot be written through a /proc/1/exe held across start, by a root process with every capability it needs', () => {
    const shared = mkdirp(join(host.work, 'shared'));
    const bundle = host.bundle(['sleep', '300'], (config) => {
      config.mounts!.push({ destination: '/shared', type: 'bind', source: shared, options: ['bind'] });
    });
    expect(host.runts(['create', '--bundle', bundle, 'held']).code).toBe(0);
    expect(readFileSync(`/proc/${JSON.parse(host.runts(['state', 'held']).stdout).pid}/cmdline`, 'utf8')).toMatch(/^runts-init:held\0/);
    const script = [
      'exec 3</proc/1/exe',
      'echo held > /shared/attack-held',
      'while [ "$(readlink /proc/1/exe)" != /bin/busybox ]; do sleep 0.02; done',
      `echo ${MARKER} >> /proc/self/fd/3 2>/dev/null; echo "$?" > /shared/attack-done`,
    ].join('; ');
    const exec = host.runts(['exec', '--detach', '--cap', 'CAP_DAC_OVERRIDE', '--cap', 'CAP_SYS_PTRACE', 'held', 'sh', '-c', script]);
    expect(exec.code, exec.stderr).toBe(0);
    for (let i = 0; i < 500 && !existsSync(join(shared, 'attack-held')); i++) sleepSync(10);
    expect(host.runts(['start', 'held']).code).toBe(0);
    for (let i = 0; i < 500 && !existsSync(join(shared, 'attack-done')); i++) sleepSync(10);
    expect(readFileSync(join(shared, 'attack-done'), 'utf8').trim()).not.toBe('0');
    for (const copy of hostNsexecCopies()) expect(readFileSync(copy).includes(MARKER), copy).toBe(false);
    expect(host.runts(['delete', '--force', 'held']).code).toBe(0);
  });
});
