import { describe, expect, it } from 'vitest';
import { checkContainerId, isValidContainerId } from './id.js';

describe('container ids', () => {
  it.each(['web', 'a', 'A-b_c.d+e', '0', '..a', 'a..', '.hidden', 'x'.repeat(200)])('accepts %s', (id) => {
    expect(isValidContainerId(id)).toBe(true);
    expect(checkContainerId(id)).toBe(id);
  });

  it.each(['', '.', '..', '../x', 'a/b', '/abs', 'sp ace', 'tab\t', 'new\nline', 'ü', 'a:b', '~creating-x'])('refuses %j', (id) => {
    expect(isValidContainerId(id)).toBe(false);
    expect(() => checkContainerId(id)).toThrow(/invalid container id/);
  });

  it('says an empty id is empty', () => {
    expect(() => checkContainerId('')).toThrow('invalid container id: it is empty');
  });
});
