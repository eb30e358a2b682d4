// The launcher bundle and the CLI's each carry a copy of every module they use; a module
// evaluated a second time stands in for the other bundle's copy here.
import { describe, expect, it, vi } from 'vitest';

describe('process-wide singletons', () => {
  it('give a second copy of errors.ts the same RuntsError class, so instanceof holds across bundles', async () => {
    const first = await import('./errors.js');
    vi.resetModules();
    const second = await import('./errors.js');
    expect(second.RuntsError).toBe(first.RuntsError);
    expect(new second.RuntsError('from the launcher')).toBeInstanceOf(first.RuntsError);
  });

  it('give a second copy of ffi/libc.ts the same libc, koffi and its named types declared once', async () => {
    const first = await import('../ffi/libc.js');
    vi.resetModules();
    const second = await import('../ffi/libc.js');
    expect(second.libc()).toBe(first.libc());
  });

  it('hand a value over once', async () => {
    const { handOver, take } = await import('./process-singletons.js');
    handOver('test-value', 42);
    expect(take('test-value')).toBe(42);
    expect(take('test-value')).toBeUndefined();
  });
});
