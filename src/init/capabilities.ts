// process.capabilities → the masks the kernel takes. Names the kernel does not know are left
// out with a warning, as runc does (a config written for a newer kernel still runs).
import { CAPABILITY_NAMES } from '../../ffi/capabilities.js';
import type { Process } from '../spec/config.js';

export interface CapabilityPlan {
  bounding: bigint;
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  /** Ambient capabilities to raise, by number. */
  ambient: number[];
  /** Names that were ignored (unknown to runts or to this kernel). */
  unknown: string[];
}

export function capabilityPlan(capabilities: Process['capabilities'], lastCap: number): CapabilityPlan {
  const unknown = new Set<string>();
  const numbers = (names: string[] = []): number[] =>
    names.flatMap((name) => {
      const number = (CAPABILITY_NAMES as readonly string[]).indexOf(name);
      if (number === -1 || number > lastCap) {
        unknown.add(name);
        return [];
      }
      return [number];
    });
  const mask = (names: string[] | undefined) => numbers(names).reduce((bits, n) => bits | (1n << BigInt(n)), 0n);
  return {
    bounding: mask(capabilities?.bounding),
    effective: mask(capabilities?.effective),
    permitted: mask(capabilities?.permitted),
    inheritable: mask(capabilities?.inheritable),
    ambient: numbers(capabilities?.ambient),
    unknown: [...unknown],
  };
}
