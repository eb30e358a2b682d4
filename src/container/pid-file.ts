// --pid-file: the pid an engine waits for (conmon and containerd's shim read it right after
// create or exec returns), written whole or not at all.
import { writeAtomically } from './state-store.js';

export function writePidFile(path: string, pid: number): void {
  const at = path.lastIndexOf('/');
  const dir = at === -1 ? '.' : path.slice(0, at) || '/';
  writeAtomically(dir, path.slice(at + 1), String(pid));
}
