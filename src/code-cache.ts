// Whether V8 took the code cache built into the executable (set by src/cli/sea-main.cjs): a
// rejected cache works, only slower, so it is reported in debug output rather than failing.
export const CODE_CACHE_REJECTED = 'V8 rejected the code cache built into runts: start-up is slower';

export function codeCacheRejected(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for('runts.codeCacheRejected')] === true;
}
