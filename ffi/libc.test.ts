// libc's process calls on the real kernel: posix_spawn with a descriptor map, a working
// directory, a clean environment and default signals; poll with a time limit; waitpid.
import { closeSync, mkdtempSync, openSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { libc } from './libc.js';

let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'runts-libc-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('spawn', () => {
  it('gives the program the descriptors as mapped (stdio too, which may come close-on-exec), the directory, the environment and default signals', () => {
    const [ours, theirs] = libc().socketpair();
    const out = join(work, 'out');
    const outFd = openSync(out, 'w');
    const targetOf = (fd: number) => readlinkSync(`/proc/self/fd/${fd}`);
    const [oursTarget, theirsTarget] = [targetOf(ours), targetOf(theirs)];
    const script = 'echo "$VAR $(pwd)"; grep -E "^Sig(Ign|Blk)" /proc/self/status; for fd in /proc/$$/fd/*; do echo "${fd##*/} $(readlink $fd)"; done; echo over-the-socket >&4; exit 3';
    try {
      // The file goes to 1 and 3, the socket's end to 4.
      const pid = libc().spawn('/bin/sh', ['sh', '-c', script], ['VAR=value'], [0, outFd, 2, outFd, theirs], '/');
      closeSync(theirs);
      expect(libc().reapChild(pid)).toEqual({ code: 3 });
      expect(libc().waitReadable(ours, 1000)).toBe(true);
      expect(readFileSync(ours).toString()).toBe('over-the-socket\n');
    } finally {
      closeSync(ours);
      closeSync(outFd);
    }
    const [echoed, blocked, ignored, ...fdLines] = readFileSync(out, 'utf8').trim().split('\n');
    expect(echoed).toBe('value /');
    // Node (the tests' runtime, as Bun) ignores SIGPIPE and SIGXFSZ in this very process: the program must not.
    expect(blocked).toBe('SigBlk:\t0000000000000000');
    expect(ignored).toBe('SigIgn:\t0000000000000000');
    const fds = new Map(fdLines.map((line) => line.split(' ') as [string, string]));
    expect([fds.has('0'), fds.get('1'), fds.has('2'), fds.get('3'), fds.get('4')]).toEqual([true, out, true, out, theirsTarget]);
    // Nothing else of ours: not our end of the socket, not the copies made for the map.
    const others = [...fds].filter(([fd]) => !['0', '1', '2', '3', '4'].includes(fd)).map(([, target]) => target);
    expect(others).not.toContain(oursTarget);
    expect(others).not.toContain(theirsTarget);
    expect(others).not.toContain(out);
  });

  it('says which program could not be started', () => {
    expect(() => libc().spawn(join(work, 'missing'), ['missing'], [], [0, 1, 2], '/')).toThrow(/start .*missing: posix_spawn: .*ENOENT/);
  });
});

describe('waitReadable', () => {
  it('returns false when nothing comes within the time, true at the peer\'s hang-up', () => {
    const [ours, theirs] = libc().socketpair();
    try {
      expect(libc().waitReadable(ours, 20)).toBe(false);
      closeSync(theirs);
      expect(libc().waitReadable(ours, 1000)).toBe(true);
    } finally {
      closeSync(ours);
    }
  });
});
