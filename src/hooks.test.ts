import { describe, expect, it } from 'vitest';
import { runHooks } from './hooks.js';

const state = { ociVersion: '1.3.0', id: 'x', status: 'creating' as const, pid: 1, bundle: '/b', rootfs: '/b/r', created: '', owner: '' };
// A state large enough that writing it to a hook that never reads it cannot fit in a pipe.
const bigState = { ...state, annotations: { big: 'x'.repeat(1 << 20) } };

describe('runHooks', () => {
  it('judges a hook by how it exits, even when it did not read the state', () => {
    expect(() => runHooks('prestart', [{ path: '/bin/sh', args: ['sh', '-c', 'exit 0'] }], bigState)).not.toThrow();
    expect(() => runHooks('prestart', [{ path: '/bin/sh', args: ['sh', '-c', 'echo no >&2; exit 7'] }], bigState)).toThrow(
      'prestart hook #0 (/bin/sh) failed with exit status 7: no',
    );
  });

  it('gives the state on stdin, and only the hook\'s own env', () => {
    expect(() => runHooks('poststart', [{ path: '/bin/sh', args: ['sh', '-c', 'grep -q \'"id":"x"\' && [ "$A" = 1 ] && [ -z "$HOME" ]'], env: ['A=1'] }], state)).not.toThrow();
  });
});
