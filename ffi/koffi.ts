// koffi, loaded on first use. A require() inside a function is bundled by esbuild as a module
// evaluated when first called, so the commands that never call libc (state, list, spec...)
// never load koffi's native module.
import type Koffi from 'koffi';

let koffi: typeof Koffi | undefined;

export function loadKoffi(): typeof Koffi {
  koffi ??= require('koffi') as typeof Koffi;
  return koffi;
}
