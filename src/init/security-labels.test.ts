import { describe, expect, it } from 'vitest';
import { withMountLabel } from './security-labels.js';

describe('withMountLabel', () => {
  const label = 'system_u:object_r:container_file_t:s0';
  it('adds context= to the mounts that take it, after their own data', () => {
    expect(withMountLabel('mode=755,size=65536k', 'tmpfs', label)).toBe(`mode=755,size=65536k,context="${label}"`);
    expect(withMountLabel('', 'devpts', label)).toBe(`context="${label}"`);
  });
  it('leaves proc, sysfs, mqueue and cgroup mounts, and every mount without a label, alone', () => {
    for (const type of ['proc', 'sysfs', 'mqueue', 'cgroup']) expect(withMountLabel('', type, label)).toBe('');
    expect(withMountLabel('mode=755', 'tmpfs', undefined)).toBe('mode=755');
  });
});
