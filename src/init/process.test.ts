// The order in which init becomes the container's user, recorded through the ffi seam: the
// bounding set is cut and the user switched with KEEPCAPS before the final capability sets.
import { describe, expect, it } from 'vitest';
import { kernelCapabilities } from '../../ffi/capabilities.js';
import { PR_CAP_AMBIENT, PR_CAPBSET_DROP, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS } from '../../ffi/constants.js';
import { RecordingLibc } from '../../ffi/testing/recording-libc.js';
import { defaultConfig } from '../spec/defaults.js';
import { becomeUser, processEnvironment, restoreSignalsRuntimeIgnores } from './process.js';

describe('becomeUser', () => {
  it('drops the bounding set, switches user keeping capabilities, then sets the final sets', () => {
    const libc = new RecordingLibc();
    const process = {
      ...defaultConfig().process!,
      cwd: '/work',
      user: { uid: 1000, gid: 100, additionalGids: [5] },
      capabilities: { bounding: ['CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'], inheritable: [], ambient: ['CAP_KILL'] },
      noNewPrivileges: true,
    };
    const logged: string[] = [];
    becomeUser(process, libc, (level, message) => logged.push(`${level}: ${message}`));

    const names = libc.calls.map((call) => (call.name === 'prctl' ? `prctl ${call.args[0]}` : call.name));
    const lastCap = kernelCapabilities().length - 1;
    const drops = libc.named('prctl').filter(([option]) => option === PR_CAPBSET_DROP).map(([, cap]) => cap);
    expect(drops).toEqual(Array.from({ length: lastCap + 1 }, (_, cap) => cap).filter((cap) => cap !== 5));
    const order = names.filter((name) => name !== `prctl ${PR_CAPBSET_DROP}`);
    expect(order).toEqual([
      // The cwd first, while init is root (runc's order: a directory only root can reach works).
      'chdir',
      `prctl ${PR_SET_KEEPCAPS}`,
      'setgroups',
      'setresgid',
      'setresuid',
      'capset',
      `prctl ${PR_SET_KEEPCAPS}`,
      `prctl ${PR_CAP_AMBIENT}`,
      `prctl ${PR_SET_NO_NEW_PRIVS}`,
    ]);
    expect(libc.named('setgroups')).toEqual([[[5]]]);
    expect(libc.named('setresuid')).toEqual([[1000]]);
    expect(libc.named('capset')).toEqual([[{ effective: 1n << 5n, permitted: 1n << 5n, inheritable: 0n }]]);
    expect(logged).toEqual([]);
  });

  it('warns about capabilities it does not know and goes on', () => {
    const libc = new RecordingLibc();
    const logged: string[] = [];
    becomeUser({ cwd: '/', args: ['sh'], capabilities: { bounding: ['CAP_KILL', 'CAP_FLY'] } }, libc, (level, message) => logged.push(`${level}: ${message}`));
    expect(logged).toEqual(['warning: ignoring capabilities unknown to this kernel or to runts: CAP_FLY']);
  });
});

describe('processEnvironment', () => {
  it('adds HOME when missing and the socket activation variables when fds came that way', () => {
    expect(processEnvironment({ cwd: '/', env: ['A=1'] }, 0)).toEqual(['A=1', expect.stringMatching(/^HOME=/)]);
    expect(processEnvironment({ cwd: '/', env: ['HOME=/root'] }, 2)).toEqual(['HOME=/root', 'LISTEN_FDS=2', 'LISTEN_PID=1']);
  });
});

describe('restoreSignalsRuntimeIgnores', () => {
  it('puts SIGPIPE and SIGXFSZ back to their defaults', () => {
    const libc = new RecordingLibc();
    restoreSignalsRuntimeIgnores(libc);
    expect(libc.calls).toEqual([
      { name: 'restoreDefaultSignal', args: [13] },
      { name: 'restoreDefaultSignal', args: [25] },
    ]);
  });
});
