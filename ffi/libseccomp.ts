// libseccomp, loaded only when asked for (it is optional on the host).
import type { LibraryHandle } from 'koffi';
import { loadKoffi } from './koffi.js';

/** The version of the host's libseccomp ("2.5.4"), or undefined when it is not installed. */
export function libseccompVersion(): string | undefined {
  const koffi = loadKoffi();
  let lib: LibraryHandle;
  try {
    lib = koffi.load('libseccomp.so.2');
  } catch {
    return undefined;
  }
  try {
    const ScmpVersion = koffi.struct({ major: 'uint', minor: 'uint', micro: 'uint' });
    const seccompVersion = lib.func('seccomp_version', koffi.pointer(ScmpVersion), []);
    const version = koffi.decode(seccompVersion(), ScmpVersion) as { major: number; minor: number; micro: number };
    return `${version.major}.${version.minor}.${version.micro}`;
  } finally {
    lib.unload();
  }
}
