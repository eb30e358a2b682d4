// Stands in for koffi inside the executable: src/build/build.mjs resolves `koffi` here. koffi's
// API is its native module's (its JavaScript entry only locates that module and adds deprecated
// aliases); the prebuilt koffi.node travels embedded in the executable as "koffi.node" and is
// loaded from a verified private copy (see native-assets.ts), or in init from the descriptor of
// the copy runts verified (koffi-native-file.ts).
import { closeSync } from 'node:fs';
import { inheritedKoffiFile, rememberKoffiFile } from './koffi-native-file.js';
import { openVerifiedAsset } from './native-assets.js';
import { embeddedFile } from './embedded.js';

/** Set by the build: koffi's version and a digest of its native module, naming the copy. */
declare const RUNTS_KOFFI_ASSET_VERSION: string;

function loadKoffiNative(): unknown {
  // init loads the copy runts verified and handed down (koffi-native-file.ts); runts verifies
  // its own and keeps it open for the inits it starts.
  const inherited = inheritedKoffiFile();
  const fd = inherited ?? openVerifiedAsset('koffi.node', RUNTS_KOFFI_ASSET_VERSION, embeddedFile('koffi.node'));
  const module = { exports: {} as unknown };
  try {
    process.dlopen(module, `/proc/self/fd/${fd}`);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (inherited === undefined) rememberKoffiFile(fd);
  else closeSync(fd);
  return module.exports;
}

// CommonJS on purpose: `require('koffi')` (ffi/koffi.ts) gets the native module's exports.
module.exports = loadKoffiNative();
