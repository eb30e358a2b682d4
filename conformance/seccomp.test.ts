// linux.seccomp: the container's processes (and those exec joins to it) run under the filter
// the config describes, loaded by libseccomp in init right before the program.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config, Seccomp } from '../src/spec/config.js';
import { useTestHost } from './helpers/bundle.js';

const host = useTestHost();

/** A bundle running `script` with a writable /tmp under `seccomp`. */
function filtered(script: string, seccomp: Seccomp, change: (config: Config) => void = () => undefined): string {
  return host.bundle(['sh', '-c', script], (config) => {
    config.mounts!.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs' });
    config.linux!.seccomp = seccomp;
    change(config);
  });
}

const denyMkdir = (errnoRet?: number): Seccomp => ({
  defaultAction: 'SCMP_ACT_ALLOW',
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', ...(errnoRet === undefined ? {} : { errnoRet }) }],
});

describe('linux.seccomp', () => {
  it('makes a listed syscall fail with errnoRet (EPERM when not given), and nothing else', () => {
    const script = 'mkdir /tmp/x; echo mkdir=$?; echo ok > /tmp/file && cat /tmp/file';
    const eperm = host.runts(['run', '--bundle', filtered(script, denyMkdir()), 'eperm']);
    expect(eperm.stderr).toContain("can't create directory '/tmp/x': Operation not permitted");
    expect(eperm.stdout).toBe('mkdir=1\nok\n');
    const enosys = host.runts(['run', '--bundle', filtered(script, denyMkdir(38)), 'enosys']);
    expect(enosys.stderr).toContain('Function not implemented');
  });

  it('matches arguments: kill with signal 0 is denied, other signals are not', () => {
    const seccomp: Seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 0, op: 'SCMP_CMP_EQ' }] }] };
    const result = host.runts(['run', '--bundle', filtered('kill -0 $$; echo zero=$?; kill -CONT $$; echo cont=$?', seccomp), 'args']);
    expect(result.stdout).toBe('zero=1\ncont=0\n');
  });

  it('kills the process for SCMP_ACT_KILL_PROCESS (SIGSYS)', () => {
    const seccomp: Seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['uname'], action: 'SCMP_ACT_KILL_PROCESS' }] };
    const result = host.runts(['run', '--bundle', filtered('uname -m; echo survived', seccomp), 'killed']);
    expect(result.code).toBe(128 + 31);
    expect(result.stdout).not.toContain('survived');
  });

  it('denies by default with an allow list, with defaultErrnoRet (how engines use it)', () => {
    const allowed = JSON.parse(readFileSync(resolve(import.meta.dirname, 'seccomp/allowed-syscalls.json'), 'utf8')) as string[];
    const seccomp: Seccomp = { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 13, syscalls: [{ names: allowed, action: 'SCMP_ACT_ALLOW' }] };
    const result = host.runts(['run', '--bundle', filtered('mkdir /tmp/x; echo mkdir=$?; echo still running', seccomp), 'allowlist']);
    expect(result.stderr).toContain("can't create directory '/tmp/x': Permission denied");
    expect(result.stdout).toBe('mkdir=1\nstill running\n');
  });

  it('is loaded before the capabilities go when no_new_privs is off (loading then needs CAP_SYS_ADMIN)', () => {
    const bundle = filtered('mkdir /tmp/x; echo mkdir=$?', denyMkdir(), (config) => {
      config.process!.noNewPrivileges = false;
      config.process!.user = { uid: 1000, gid: 1000 };
    });
    const result = host.runts(['run', '--bundle', bundle, 'privs']);
    expect(result.stderr).toContain('Operation not permitted');
    expect(result.stdout).toBe('mkdir=1\n');
  });

  it('filters a process exec joins to the container, with --process too', () => {
    expect(host.runts(['run', '--detach', '--bundle', filtered('sleep 600', denyMkdir()), 'box']).code).toBe(0);
    const joined = host.runts(['exec', 'box', 'sh', '-c', 'mkdir /tmp/y; echo mkdir=$?']);
    expect(joined.stdout).toBe('mkdir=1\n');
    expect(joined.stderr).toContain('Operation not permitted');
    const processFile = join(host.work, 'process.json');
    writeFileSync(processFile, JSON.stringify({ args: ['mkdir', '/tmp/z'], cwd: '/', env: ['PATH=/bin'] }));
    expect(host.runts(['exec', '--process', processFile, 'box']).code).toBe(1);
    expect(host.runts(['delete', '--force', 'box']).code).toBe(0);
  });
});
