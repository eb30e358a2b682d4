// What `runts --version` prints: runts, the spec it implements, and the native parts it uses.
import packageJson from '../package.json';
import { SPEC_VERSION } from './spec/version.js';

/** Set by the build (git commit of the source); absent when running from source. */
declare const RUNTS_COMMIT: string | undefined;

export const RUNTS_VERSION: string = packageJson.version;

export function commit(): string {
  return typeof RUNTS_COMMIT === 'string' && RUNTS_COMMIT !== '' ? RUNTS_COMMIT : 'unknown';
}

export interface NativeVersions {
  koffi: string;
  libseccomp: string | undefined;
}

export function versionText(native: NativeVersions): string {
  return [
    `runts version ${RUNTS_VERSION}`,
    `commit: ${commit()}`,
    `spec: ${SPEC_VERSION}`,
    // The JavaScript runtime the executable carries (Bun's; Node's when run from source in tests).
    process.versions.bun ? `bun: ${process.versions.bun}` : `node: ${process.version}`,
    `koffi: ${native.koffi}`,
    `libseccomp: ${native.libseccomp ?? 'not found'}`,
  ].join('\n');
}
