// A foreground `run` or `exec` of a process with a terminal and no --console-socket: runts
// holds the pty master and relays it to its own terminal, as `runc run` does by hand. Its stdin
// goes raw while the container runs (keys reach the container's line discipline, not runts's),
// window size changes follow, and everything is restored at the end.
import { createReadStream, writeSync } from 'node:fs';
import type { Libc } from '../../ffi/libc.js';

export interface Relay {
  /** Waits for the last output, restores the terminal and closes the master. */
  finish(): Promise<void>;
}

export function relayTerminal(master: number, libc: Libc): Relay {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const resize = () => {
    if (stdout.isTTY) libc.setWindowSize(master, stdout.rows, stdout.columns);
  };
  resize();
  stdout.on('resize', resize);
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (stdin.isTTY) stdin.setRawMode(true);
  const input = (chunk: Buffer) => {
    try {
      writeSync(master, chunk);
    } catch {
      // The container's side is gone; its output's end finishes the relay.
    }
  };
  stdin.on('data', input);
  stdin.resume();

  // The output ends when the last holder of the slave closes it: reads then fail with EIO.
  // The stream owns the master and closes it when destroyed.
  const output = createReadStream('', { fd: master, autoClose: true, highWaterMark: 16384 });
  const drained = new Promise<void>((resolve) => {
    output.on('data', (chunk) => stdout.write(chunk));
    output.on('error', () => resolve());
    output.on('end', () => resolve());
  });

  let finished: Promise<void> | undefined;
  return {
    finish() {
      finished ??= end();
      return finished;
    },
  };

  async function end(): Promise<void> {
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 2000))]);
    output.destroy();
    stdin.off('data', input);
    stdin.pause();
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
    stdout.off('resize', resize);
  }
}
