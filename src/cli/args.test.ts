import { describe, expect, it } from 'vitest';
import { EXEC_VALUE_FLAGS } from './exec.js';
import { guessContainerToCreate, splitAfterId } from './args.js';

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

describe('the container a create or run makes, guessed before yargs (prelaunch)', () => {
  it.each([
    [['create', 'web'], { id: 'web', bundle: '.' }],
    [['--root', '/r', '--log-format=json', '--debug', 'run', '-b', '/b', '--detach', 'web'], { id: 'web', bundle: '/b' }],
    [['create', '--bundle=/b', '--pid-file', '/p', '--no-pivot', 'web'], { id: 'web', bundle: '/b' }],
    [['run', '--keep', '-b=/b', 'web'], { id: 'web', bundle: '/b' }],
  ])('%j → %j', (args, guess) => {
    expect(guessContainerToCreate(args, GLOBAL_VALUE_FLAGS)).toEqual(guess);
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
  ])('%j → no guess (create starts its init itself)', (args) => {
    expect(guessContainerToCreate(args, GLOBAL_VALUE_FLAGS)).toBeUndefined();
  });
});
