// What must exist once per process although two bundles may carry the code that makes it.
//
// For create, run and exec, src/cli/sea-main.cjs runs a small bundle first (src/cli/launcher.ts)
// that starts the container's init before the CLI's own bundle is even compiled; the CLI's
// bundle then takes that init on. Each bundle has its own copy of every module it uses, but
// koffi's native module, libc's declarations, the prelaunched init and the RuntsError class
// (for instanceof) must be the same objects in both: they are kept here, in one map on
// globalThis. Everything else may be evaluated twice.
const registry = ((globalThis as Record<symbol, unknown>)[Symbol.for('runts.singletons')] ??= new Map<string, unknown>()) as Map<string, unknown>;

/** The process's one `name`, made by `make` when a bundle first asks for it. */
export function singleton<T>(name: string, make: () => T): T {
  if (!registry.has(name)) registry.set(name, make());
  return registry.get(name) as T;
}

/** Hands `value` from one bundle to the next (see take). */
export function handOver(name: string, value: unknown): void {
  registry.set(name, value);
}

/** What an earlier bundle handed over under `name`, once. */
export function take<T>(name: string): T | undefined {
  const value = registry.get(name) as T | undefined;
  registry.delete(name);
  return value;
}
