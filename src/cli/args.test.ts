import { describe, expect, it } from 'vitest';
import { EXEC_VALUE_FLAGS } from './exec.js';
import { guessCommandLine, splitAfterId } from './args.js';

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

describe('the container a create, run or exec is about, guessed before yargs (prelaunch)', () => {
  it.each([
    [['create', 'web'], { command: 'create', id: 'web', values: {} }],
    [['--root', '/r', '--log-format=json', '--debug', 'run', '-b', '/b', '--detach', 'web'], { command: 'run', id: 'web', values: { '--root': '/r', '--log-format': 'json', '-b': '/b' } }],
    [['create', '--bundle=/b', '--pid-file', '/p', '--no-pivot', 'web'], { command: 'create', id: 'web', values: { '--bundle': '/b', '--pid-file': '/p' } }],
    [['run', '--keep', '-b=/b', 'web'], { command: 'run', id: 'web', values: { '-b': '/b' } }],
    [['--root', '/r', 'exec', '-e', 'A=1', '--cwd', '/tmp', 'web', 'ls', '-l', '--color'], { command: 'exec', id: 'web', values: { '--root': '/r', '-e': 'A=1', '--cwd': '/tmp' } }],
    [['exec', '--detach', '--pid-file=/p', 'web', 'sleep', '9'], { command: 'exec', id: 'web', values: { '--pid-file': '/p' } }],
  ])('%j → %j', (args, guess) => {
    expect(guessCommandLine(args, GLOBAL_VALUE_FLAGS)).toEqual(guess);
  });

  it.each([
    [['state', 'web']],
    [['create']],
    [['create', '--help', 'web']],
    [['--help', 'run', 'web']],
    [['create', '--console-socket', '/s', 'web']],
    [['create', '--preserve-fds', '2', 'web']],
    [['create', 'web', 'extra']],
    [['create', '--bundle']],
    [['create', '--no-such-flag', 'web']],
    [['--root', 'create', 'state', 'web']],
    [['exec', '-t', 'web', 'sh']],
    [['exec', '--console-socket', '/s', 'web', 'sh']],
    [['exec', '--preserve-fds', '1', 'web', 'sh']],
  ])('%j → no guess (the command starts its init itself)', (args) => {
    expect(guessCommandLine(args, GLOBAL_VALUE_FLAGS)).toBeUndefined();
  });
});
