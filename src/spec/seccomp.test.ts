import { describe, expect, it } from 'vitest';
import { planSeccomp } from './seccomp.js';

describe('planSeccomp', () => {
  it('turns actions, errno values and architectures into libseccomp numbers and names', () => {
    const plan = planSeccomp(
      {
        defaultAction: 'SCMP_ACT_ERRNO',
        defaultErrnoRet: 38,
        architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
        flags: ['SECCOMP_FILTER_FLAG_LOG'],
        syscalls: [
          { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
          { names: ['mkdir'], action: 'SCMP_ACT_ERRNO' },
          { names: ['uname'], action: 'SCMP_ACT_KILL_PROCESS' },
        ],
      },
      'c',
    );
    expect(plan.defaultAction).toBe(0x00050026);
    expect(plan.architectures).toEqual(['x86_64', 'x86']);
    expect(plan.flags).toEqual(['SECCOMP_FILTER_FLAG_LOG']);
    expect(plan.rules.map((rule) => [rule.syscall, rule.action])).toEqual([
      ['read', 0x7fff0000],
      ['write', 0x7fff0000],
      ['mkdir', 0x00050001],
      ['uname', 0x80000000],
    ]);
  });

  it('drops rules that do what the default does, and splits comparisons of one argument into alternatives', () => {
    const plan = planSeccomp(
      {
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [
          { names: ['read'], action: 'SCMP_ACT_ALLOW' },
          { names: ['personality'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }, { index: 0, value: 9, op: 'SCMP_CMP_EQ' }] },
          { names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 1, op: 'SCMP_CMP_GT' }, { index: 1, value: 0, op: 'SCMP_CMP_EQ' }] },
        ],
      },
      'c',
    );
    expect(plan.rules.map((rule) => [rule.syscall, rule.args.map((arg) => `${arg.index}:${arg.op}:${arg.value}`)])).toEqual([
      ['personality', ['0:4:8']],
      ['personality', ['0:4:9']],
      ['kill', ['0:6:1', '1:4:0']],
    ]);
  });

  it('refuses what runts cannot load, naming the field', () => {
    expect(() => planSeccomp({ defaultAction: 'SCMP_ACT_NOTIFY' }, 'c: /linux/seccomp')).toThrow('c: /linux/seccomp/defaultAction: SCMP_ACT_NOTIFY');
    expect(() => planSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['x'], action: 'SCMP_ACT_NOTIFY' }] }, 'c')).toThrow('c/syscalls/0/action');
  });
});
