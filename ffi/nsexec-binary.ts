// Where the nsexec helper (ffi/nsexec.c) is: carried in the executable as the embedded file
// "nsexec" and unpacked into the verified private directory (native-assets.ts) on first use.
import { closeSync } from 'node:fs';
import { assetDirectory, assetPath, openVerifiedAsset } from './native-assets.js';
import { embeddedFile } from './embedded.js';

/** Set by the build: a digest of nsexec, naming its private copy. */
declare const RUNTS_NSEXEC_ASSET_VERSION: string;

let verified: string | undefined;

/** Verified once per process, on first use. */
export function nsexecPath(): string {
  if (verified === undefined) {
    const version = typeof RUNTS_NSEXEC_ASSET_VERSION === 'string' ? RUNTS_NSEXEC_ASSET_VERSION : 'unbuilt';
    // Verified now and executed by path: only root (or this user) can write that directory.
    closeSync(openVerifiedAsset('nsexec', version, embeddedFile('nsexec'), assetDirectory(), 0o555));
    verified = assetPath('nsexec', version);
  }
  return verified;
}
