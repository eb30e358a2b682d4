// init's end of the sync socket, on a real socketpair.
import { closeSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { libc } from '../../ffi/libc.js';
import { SyncChannel } from './channel.js';

describe('SyncChannel', () => {
  it('reads a message whose UTF-8 characters straddle its reads, and the one after it', () => {
    const [ours, theirs] = libc().socketpair();
    try {
      // "é" is two bytes; the first read ends (at 64 KiB) between them.
      const message = { note: `${'a'.repeat(65536 - '{"note":"'.length - 1)}é and more` };
      const line = Buffer.from(`${JSON.stringify(message)}\n${JSON.stringify({ type: 'next' })}\n`);
      expect(line.indexOf('é')).toBe(65535);
      // Two writes, the first of exactly one read's worth: the read cannot take more.
      writeSync(theirs, line, 0, 65536);
      writeSync(theirs, line, 65536);
      const channel = new SyncChannel(ours);
      expect(channel.receive()).toEqual(message);
      expect(channel.receive()).toEqual({ type: 'next' });
    } finally {
      closeSync(ours);
      closeSync(theirs);
    }
  });
});
