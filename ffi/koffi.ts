// koffi, loaded on first use. A require() inside a function is bundled as a module evaluated
// when first called, so the commands that never call libc (state, list, spec...) never load
// koffi's native module.
import type Koffi from 'koffi';

export function loadKoffi(): typeof Koffi {
  return require('koffi') as typeof Koffi;
}
