import { describe, expect, it } from 'vitest';
import { boundedMessage } from './errors.js';

describe('boundedMessage', () => {
  it('keeps ordinary messages as they are', () => {
    const message = 'mount /bundle/rootfs/proc on /proc (type proc): no such file or directory (ENOENT)';
    expect(boundedMessage(message)).toBe(message);
  });

  it('cuts a long run of non-space characters to its start and keeps the end of the message', () => {
    const path = `/${'a'.repeat(70_000)}`;
    const bounded = boundedMessage(`mount tmpfs on ${path}: file name too long (ENAMETOOLONG)`);
    expect(bounded).toBe(`mount tmpfs on ${path.slice(0, 248)} ...(${path.length + 1 - 256} characters)... aaaaaaa: file name too long (ENAMETOOLONG)`);
  });

  it('leaves a message it bounded as it is', () => {
    const once = boundedMessage(`sethostname "${'x'.repeat(70_000)}": invalid argument (EINVAL)`);
    expect(boundedMessage(once)).toBe(once);
  });

  it('cuts a long message of short words in its middle', () => {
    const bounded = boundedMessage(`cwd ${'a '.repeat(35_000)}: invalid (EINVAL)`);
    expect(bounded.length).toBeLessThan(4200);
    expect(bounded).toMatch(/^cwd a a .* \.\.\. \(\d+ characters left out\) \.\.\. .*a a : invalid \(EINVAL\)$/);
  });
});
