// Access to the assets of the single executable application (node:sea).
import { getRawAsset, isSea } from 'node:sea';
import { RuntsError } from '../src/errors.js';

/** The bytes of an asset embedded in the executable by the build. */
export function seaAsset(key: string): Uint8Array {
  if (!isSea()) {
    throw new RuntsError(`native asset ${key}: this bundle must run as the runts single executable (dist/runts)`);
  }
  const asset = getRawAsset(key);
  return typeof asset === 'string' ? Buffer.from(asset) : new Uint8Array(asset);
}
