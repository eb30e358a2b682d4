// process.terminal: the pty is made inside the container and handed to the engine's console
// socket exactly as runc hands it; without a console socket, a foreground run or exec relays it
// to runts's own terminal (raw mode, window size followed).
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { useTestHost } from './helpers/bundle.js';
import { RUNTS } from './helpers/runts.js';

const host = useTestHost();
const HELPERS = resolve(import.meta.dirname, 'helpers');

const withTerminal = (size?: { height: number; width: number }) => (config: Config) => {
  config.process!.terminal = true;
  if (size) config.process!.consoleSize = size;
};

/** Starts the console receiver on a socket and returns the socket and its (future) report. */
async function consoleReceiver(input: string): Promise<{ socket: string; report: Promise<{ message: string; descriptors: number; output: string }> }> {
  const socket = join(host.work, 'console.sock');
  const child = spawn('python3', [join(HELPERS, 'console_receiver.py'), socket, input], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  await new Promise<void>((ready) => child.stderr.once('data', () => ready()));
  const report = new Promise<{ message: string; descriptors: number; output: string }>((done) => child.on('exit', () => done(JSON.parse(stdout))));
  return { socket, report };
}

/** Runs `runts ARGS` on a pty of its own, typing each step at the shell's prompt. */
function atTerminal(args: string[], steps: object[], rows = 24, cols = 80): { output: string; code: number } {
  const result = spawnSync('python3', [join(HELPERS, 'pty_driver.py'), String(rows), String(cols), JSON.stringify(steps), '--', RUNTS, '--root', host.root, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    timeout: 60_000,
  });
  return JSON.parse(result.stdout);
}

describe('terminals', () => {
  it('sends the pty master to --console-socket; typing into it reaches the container and output comes back', async () => {
    const { socket, report } = await consoleReceiver('echo hello-$((1+1)); tty; stty size; stat -c %t /dev/console; exit\n');
    const bundle = host.bundle(['sh'], withTerminal({ height: 30, width: 100 }));
    expect(host.runts(['create', '--bundle', bundle, '--console-socket', socket, 'tty']).code).toBe(0);
    expect(host.runts(['start', 'tty']).code).toBe(0);
    const { message, descriptors, output } = await report;
    expect(message).toBe('/dev/ptmx');
    expect(descriptors).toBe(1);
    // The pty is the container's own devpts instance; /dev/console is that pty (major 136).
    expect(output).toMatch(/hello-2\r?\n\/dev\/pts\/0\r?\n30 100\r?\n88\r?\n/);
    host.runts(['delete', '--force', 'tty']);
  });

  it('gives an exec\'d process a terminal of its own through --console-socket', async () => {
    host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '60']), 'box']);
    const { socket, report } = await consoleReceiver('tty; echo exec-$((2*3)); exit\n');
    expect(host.runts(['exec', '--detach', '--tty', '--console-socket', socket, 'box', 'sh']).code).toBe(0);
    expect((await report).output).toMatch(/\/dev\/pts\/0\r?\nexec-6\r?\n/);
    host.runts(['delete', '--force', 'box']);
  });

  it('gives the pty to the process\'s user, in run and in exec, as runc', async () => {
    const user = (config: Config) => {
      withTerminal()(config);
      config.process!.user = { uid: 1000, gid: 1000 };
    };
    const { socket, report } = await consoleReceiver('stat -c pty-%u:%g $(tty); exit\n');
    expect(host.runts(['run', '--detach', '--console-socket', socket, '--bundle', host.bundle(['sh'], user), 'owned']).code).toBe(0);
    expect((await report).output).toMatch(/pty-1000:1000\r?\n/);
    host.runts(['delete', '--force', 'owned']);
    host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '60']), 'base']);
    // The receiver binds the same socket path again.
    rmSync(socket);
    const exec = await consoleReceiver('stat -c pty-%u:%g $(tty); exit\n');
    expect(host.runts(['exec', '--detach', '--tty', '--user', '1000:1000', '--console-socket', exec.socket, 'base', 'sh']).code).toBe(0);
    expect((await exec.report).output).toMatch(/pty-1000:1000\r?\n/);
    host.runts(['delete', '--force', 'base']);
  });

  it('relays a foreground run to runts\'s own terminal, follows its window size, and exits with the status', () => {
    const { output, code } = atTerminal(['run', '--bundle', host.bundle(['sh'], withTerminal()), 'fg'], [
      { type: 'stty size; tty\n' },
      { resize: [40, 120] },
      { type: 'stty size; exit 5\n' },
    ], 25, 90);
    expect(output).toContain('25 90\n/dev/pts/0\n');
    expect(output).toContain('40 120\n');
    expect(code).toBe(5);
    expect(host.containers()).toEqual([]);
  });

  it('relays a foreground exec -t', () => {
    host.runts(['run', '--detach', '--bundle', host.bundle(['sleep', '60']), 'box']);
    const { output, code } = atTerminal(['exec', '-t', 'box', 'sh'], [{ type: 'echo in-$((3+4)); cat /proc/1/cmdline; echo; exit 4\n' }]);
    expect(output).toMatch(/in-7\nsleep.60/);
    expect(code).toBe(4);
    host.runts(['delete', '--force', 'box']);
  });

  it('refuses what runc refuses, leaving nothing behind', () => {
    const tty = host.bundle(['sh'], withTerminal());
    const detached = host.runts(['run', '--detach', '--bundle', tty, 'a']);
    expect(detached.code).toBe(1);
    expect(detached.stderr).toContain('process.terminal is true: give --console-socket');
    const created = host.runts(['create', '--bundle', tty, 'b']);
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('give --console-socket');
    const noTerminal = host.runts(['create', '--console-socket', join(host.work, 'nowhere.sock'), '--bundle', host.bundle(['true']), 'c']);
    expect(noTerminal.code).toBe(1);
    expect(noTerminal.stderr).toContain('process.terminal is false');
    expect(host.containers()).toEqual([]);
  });
});
