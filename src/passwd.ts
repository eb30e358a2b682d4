// The passwd database (/etc/passwd) of whatever root this process is in: the host's for `list`'s
// owner column, the container's for the HOME of its process.
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  name: string;
  home: string;
}

/** The first /etc/passwd entry for `uid`, or undefined when there is none (or no file). */
export function passwdEntry(uid: number): PasswdEntry | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [name, , id, , , home] = line.split(':');
    if (name && id === String(uid)) return { name, home: home ?? '' };
  }
  return undefined;
}
