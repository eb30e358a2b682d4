// Finding the program to exec, inside the container, with the container's PATH. The error texts
// are the ones engines match: podman and docker turn "no such file or directory" and
// "executable file not found" into exit 127 and "permission denied" into 126.
import { accessSync, constants, statSync } from 'node:fs';
import { RuntsError } from '../errors.js';

export function lookupProgram(name: string, env: string[]): string {
  if (name.includes('/')) {
    checkExecutable(name, name);
    return name;
  }
  const path = env.find((entry) => entry.startsWith('PATH='))?.slice(5) ?? '';
  for (const dir of path.split(':')) {
    const candidate = `${dir === '' ? '.' : dir}/${name}`;
    try {
      const stat = statSync(candidate);
      if (stat.isFile() && (stat.mode & 0o111) !== 0) return candidate;
    } catch {
      // Not in this directory.
    }
  }
  throw new RuntsError(`exec: ${JSON.stringify(name)}: executable file not found in $PATH`, { errno: 'ENOENT' });
}

function checkExecutable(name: string, path: string): void {
  let isFile: boolean;
  try {
    isFile = !statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RuntsError(`exec: ${JSON.stringify(name)}: no such file or directory`, { errno: 'ENOENT' });
    throw RuntsError.wrap(`exec: ${JSON.stringify(name)}`, err);
  }
  try {
    if (!isFile) throw new Error('directory');
    accessSync(path, constants.X_OK);
  } catch {
    throw new RuntsError(`exec: ${JSON.stringify(name)}: permission denied`, { errno: 'EACCES' });
  }
}
