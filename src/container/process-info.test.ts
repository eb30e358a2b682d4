import { describe, expect, it } from 'vitest';
import { isSameProcessAlive, parseProcStat, readProcStat } from './process-info.js';

describe('/proc/<pid>/stat', () => {
  it('parses state and start time past a command name with spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    fields[19] = '123456';
    expect(parseProcStat(`42 (a) b (c)) ${fields.join(' ')}`)).toEqual({ state: 'S', startTime: 123456 });
  });

  it('tells this process from a reused pid', () => {
    const self = readProcStat(process.pid)!;
    expect(isSameProcessAlive(process.pid, self.startTime)).toBe(true);
    expect(isSameProcessAlive(process.pid, self.startTime + 1)).toBe(false);
    expect(isSameProcessAlive(2 ** 22 + 1, undefined)).toBe(false);
  });
});
