import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_JSON_FILE_BYTES, readJsonFileText } from './read-json-file.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'runts-read-json-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('readJsonFileText', () => {
  it('reads a regular file, also through a symlink', () => {
    writeFileSync(join(work, 'config.json'), '{"a": 1}');
    symlinkSync(join(work, 'config.json'), join(work, 'link.json'));
    expect(readJsonFileText(join(work, 'link.json'))).toBe('{"a": 1}');
  });

  it('refuses at once what is not a regular file: a device, a FIFO, a directory', () => {
    symlinkSync('/dev/zero', join(work, 'zero.json'));
    expect(() => readJsonFileText(join(work, 'zero.json'))).toThrow('not a regular file but a character device');
    execFileSync('mkfifo', [join(work, 'fifo.json')]);
    expect(() => readJsonFileText(join(work, 'fifo.json'))).toThrow('not a regular file but a FIFO');
    expect(() => readJsonFileText(work)).toThrow('not a regular file but a directory');
  });

  it('refuses a file larger than the bound, and reads one at the bound', () => {
    const file = join(work, 'big.json');
    writeFileSync(file, '');
    truncateSync(file, MAX_JSON_FILE_BYTES + 1);
    expect(() => readJsonFileText(file)).toThrow('larger than the 16 MiB runts reads as JSON');
    truncateSync(file, MAX_JSON_FILE_BYTES);
    expect(readJsonFileText(file)).toHaveLength(MAX_JSON_FILE_BYTES);
  });

  it('passes system errors on, for the caller to name the file', () => {
    expect(() => readJsonFileText(join(work, 'missing.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
