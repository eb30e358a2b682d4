// koffi, loaded on first use. A require() inside a function is bundled by esbuild as a module
// evaluated when first called, so the commands that never call libc (state, list, spec...)
// never load koffi's native module.
import type Koffi from 'koffi';
import { singleton } from '../src/process-singletons.js';

export function loadKoffi(): typeof Koffi {
  // Once per process, whichever bundle loads it first (see src/process-singletons.ts).
  return singleton('koffi', () => require('koffi') as typeof Koffi);
}
