import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLogLine, Logger } from './log.js';

const WHEN = new Date('2026-11-23T20:14:29.123Z');

describe('log lines in runc formats', () => {
  it('writes logrus text lines, quoting only what needs it', () => {
    expect(formatLogLine('error', 'container does not exist', WHEN, 'text')).toBe(
      'time="2026-11-23T20:14:29Z" level=error msg="container does not exist"',
    );
    expect(formatLogLine('warning', 'plain', WHEN, 'text')).toBe('time="2026-11-23T20:14:29Z" level=warning msg=plain');
    expect(formatLogLine('info', 'say "hi"\nthere', WHEN, 'text')).toBe('time="2026-11-23T20:14:29Z" level=info msg="say \\"hi\\"\\nthere"');
  });

  it('writes one JSON object per line with level, msg and time', () => {
    const line = formatLogLine('error', 'exec: "x": executable file not found in $PATH', WHEN, 'json');
    expect(JSON.parse(line)).toEqual({ level: 'error', msg: 'exec: "x": executable file not found in $PATH', time: '2026-11-23T20:14:29Z' });
    expect(line).toBe('{"level":"error","msg":"exec: \\"x\\": executable file not found in $PATH","time":"2026-11-23T20:14:29Z"}');
  });

  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('appends to the --log file and drops debug lines unless --debug', () => {
    dir = mkdtempSync(join(tmpdir(), 'runts-log-'));
    const file = join(dir, 'log.json');
    for (const debug of [false, true]) {
      const logger = new Logger({ file, format: 'json', debug });
      logger.debug(`debug ${debug}`);
      logger.error(`error ${debug}`);
      logger.close();
    }
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => `${line.level} ${line.msg}`)).toEqual(['error error false', 'debug debug true', 'error error true']);
  });
});
