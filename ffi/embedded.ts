// The files embedded in the executable by the build (see embedded-files.ts).
import { readFileSync } from 'node:fs';
import { RuntsError } from '../src/errors.js';
import { EMBEDDED_FILES } from './embedded-files.js';

/** The bytes of the file `name` embedded in the executable. */
export function embeddedFile(name: string): Uint8Array {
  const path = EMBEDDED_FILES[name];
  if (path === undefined) throw new RuntsError(`native file ${name}: this code must run as the runts executable (dist/runts)`);
  return readFileSync(path);
}
