import { describe, expect, it } from 'vitest';
import { EXEC_VALUE_FLAGS } from './exec.js';
import { splitAfterId } from './args.js';

const GLOBAL_VALUE_FLAGS = ['--root', '--log', '--log-format', '--rootless'];

describe('exec command lines', () => {
  it.each([
    [['exec', 'web', 'ls', '-l'], ['exec', 'web'], ['ls', '-l']],
    [['--root', '/r', 'exec', '-u', '1:1', '--cwd', '/tmp', '-e', 'A=1', 'web', 'sh', '-c', 'x --y'], ['--root', '/r', 'exec', '-u', '1:1', '--cwd', '/tmp', '-e', 'A=1', 'web'], ['sh', '-c', 'x --y']],
    [['exec', '--detach', 'web', '--', 'echo', '--flag'], ['exec', '--detach', 'web'], ['echo', '--flag']],
    [['exec', '--process', 'p.json', 'web'], ['exec', '--process', 'p.json', 'web'], []],
    [['exec', '--cwd=/x', 'web', 'true'], ['exec', '--cwd=/x', 'web'], ['true']],
    [['ps', '-f', 'json', 'web'], ['ps', '-f', 'json', 'web'], []],
    [['ps', 'web', '-o', 'pid,args'], ['ps', 'web'], ['-o', 'pid,args']],
  ])('%j → runts flags and the command', (args, cli, command) => {
    expect(splitAfterId(args, GLOBAL_VALUE_FLAGS, args[0] === 'ps' ? ['--format', '-f'] : EXEC_VALUE_FLAGS)).toEqual({ cli, command });
  });
});
