// Stands in for koffi's prebuilt package (@koromix/koffi-linux-x64 and friends) inside the single
// executable: src/build/build.mjs redirects that import here. The prebuilt koffi.node travels as
// the SEA asset "koffi.node" and is loaded from a verified private copy (see native-assets.ts).
import { closeSync } from 'node:fs';
import { openVerifiedAsset } from './native-assets.js';
import { seaAsset } from './sea.js';

/** Set by the build: koffi's version and a digest of its native module, naming the copy. */
declare const RUNTS_KOFFI_ASSET_VERSION: string;

function loadKoffiNative(): unknown {
  const bytes = seaAsset('koffi.node');
  const fd = openVerifiedAsset('koffi.node', RUNTS_KOFFI_ASSET_VERSION, bytes);
  try {
    const module = { exports: {} as unknown };
    process.dlopen(module, `/proc/self/fd/${fd}`);
    return module.exports;
  } finally {
    closeSync(fd);
  }
}

// CommonJS on purpose: koffi require()s this module and reads the native module's exports.
module.exports = loadKoffiNative();
