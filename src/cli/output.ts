// Command output goes to stdout synchronously: process.stdout is asynchronous on pipes, and a
// runtime that exits right after printing must not lose what an engine is waiting to read.
import { writeSync } from 'node:fs';
import { sleepSync } from '../sleep.js';

export function printOut(text: string): void {
  const buffer = Buffer.from(text);
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset);
    } catch (err) {
      // stdout may be a non-blocking pipe (README.md, "The JavaScript runtime"): wait for room and go on.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      sleepSync(1);
    }
  }
}

export function printJson(value: unknown, indent: string | number = 2): void {
  printOut(JSON.stringify(value, null, indent) + '\n');
}
