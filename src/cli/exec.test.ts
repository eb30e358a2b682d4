import { describe, expect, it } from 'vitest';
import { splitExecCommand } from './exec.js';

const GLOBAL_VALUE_FLAGS = ['--root', '--log', '--log-format', '--rootless'];

describe('exec command lines', () => {
  it.each([
    [['exec', 'web', 'ls', '-l'], ['exec', 'web'], ['ls', '-l']],
    [['--root', '/r', 'exec', '-u', '1:1', '--cwd', '/tmp', '-e', 'A=1', 'web', 'sh', '-c', 'x --y'], ['--root', '/r', 'exec', '-u', '1:1', '--cwd', '/tmp', '-e', 'A=1', 'web'], ['sh', '-c', 'x --y']],
    [['exec', '--detach', 'web', '--', 'echo', '--flag'], ['exec', '--detach', 'web'], ['echo', '--flag']],
    [['exec', '--process', 'p.json', 'web'], ['exec', '--process', 'p.json', 'web'], []],
    [['exec', '--cwd=/x', 'web', 'true'], ['exec', '--cwd=/x', 'web'], ['true']],
  ])('%j → runts flags and the command', (args, cli, command) => {
    expect(splitExecCommand(args, GLOBAL_VALUE_FLAGS)).toEqual({ cli, command });
  });
});
