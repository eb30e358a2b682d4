// init's end of the socket to the parent: blocking reads and writes on a plain descriptor (init
// has nothing else to do while it waits, and must not depend on the event loop before exec).
import { readSync, writeSync } from 'node:fs';
import { RuntsError } from '../errors.js';

export class SyncChannel {
  private buffered = '';
  /** A stream decoder: a UTF-8 character may be split between two reads. */
  private readonly text = new TextDecoder();

  constructor(readonly fd: number) {}

  /** The next JSON line from the parent. */
  receive(): unknown {
    const chunk = Buffer.alloc(65536);
    while (!this.buffered.includes('\n')) {
      let read: number;
      try {
        read = readSync(this.fd, chunk, 0, chunk.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw RuntsError.wrap('read from runts (create or exec)', err);
      }
      if (read === 0) throw new RuntsError('read from runts (create or exec): it went away');
      this.buffered += this.text.decode(chunk.subarray(0, read), { stream: true });
    }
    const at = this.buffered.indexOf('\n');
    const line = this.buffered.slice(0, at);
    this.buffered = this.buffered.slice(at + 1);
    return JSON.parse(line);
  }

  send(message: object): void {
    const data = Buffer.from(`${JSON.stringify(message)}\n`);
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset);
  }
}
