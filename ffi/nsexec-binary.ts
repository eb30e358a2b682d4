// Where the nsexec helper (ffi/nsexec.c) is: carried in the single executable as the SEA asset
// "nsexec" and unpacked into the verified private directory (native-assets.ts) on first use.
import { closeSync } from 'node:fs';
import { assetDirectory, assetPath, openVerifiedAsset } from './native-assets.js';
import { seaAsset } from './sea.js';
import { singleton } from '../src/process-singletons.js';

/** Set by the build: a digest of nsexec, naming its private copy. */
declare const RUNTS_NSEXEC_ASSET_VERSION: string;

/** Verified once per process (see src/process-singletons.ts), on first use. */
export function nsexecPath(): string {
  return singleton('nsexec-path', () => {
    const version = typeof RUNTS_NSEXEC_ASSET_VERSION === 'string' ? RUNTS_NSEXEC_ASSET_VERSION : 'unbuilt';
    // Verified now and executed by path: only root (or this user) can write that directory.
    closeSync(openVerifiedAsset('nsexec', version, seaAsset('nsexec'), assetDirectory(), 0o555));
    return assetPath('nsexec', version);
  });
}
