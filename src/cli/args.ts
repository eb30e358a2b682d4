// Reading runts's own command line before yargs does: which command it names, and where the
// arguments that belong to someone else begin (exec's program, ps's options).

/** The first argument that is neither a flag nor the value of one of `valueFlags`: the command. */
export function commandName(args: string[], valueFlags: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args[i + 1];
    if (!arg.startsWith('-')) return arg;
    if (valueFlags.includes(arg)) i++;
  }
  return undefined;
}

/** runc's `help [command]` is `[command] --help` here. */
export function helpAsFlag(args: string[], valueFlags: string[]): string[] {
  const at = args.indexOf('help');
  if (at === -1 || commandName(args, valueFlags) !== 'help') return args;
  return [...args.slice(0, at), ...args.slice(at + 1), '--help'];
}

/**
 * Splits `runts [globals] exec [flags] ID COMMAND ARGS...` (runc stops reading flags at the
 * command, so `exec web ls -l` runs `ls -l`; `ps web -o pid` passes `-o pid` to ps) into what
 * yargs parses and what comes after the id. `commandValueFlags` are the command's own options
 * that take a value.
 */
export function splitAfterId(args: string[], globalValueFlags: string[], commandValueFlags: string[]): { cli: string[]; command: string[] } {
  let seenCommand = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return { cli: args.slice(0, i), command: args.slice(i + 1) };
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && (globalValueFlags.includes(arg) || (seenCommand && commandValueFlags.includes(arg)))) i++;
      continue;
    }
    if (!seenCommand) {
      seenCommand = true; // the command name
      continue;
    }
    // i is the id; a `--` after it only marks where the command starts.
    const rest = args.slice(i + 1);
    return { cli: args.slice(0, i + 1), command: rest[0] === '--' ? rest.slice(1) : rest };
  }
  return { cli: args, command: [] };
}

/** What the guess below knows of each command it reads; any other flag stops it. */
interface GuessableCommand {
  switches: string[];
  valueFlags: string[];
}

const CREATE_FLAGS: GuessableCommand = { switches: ['--no-pivot', '--no-new-keyring', '--detach', '-d', '--keep'], valueFlags: ['--pid-file', '--bundle', '-b'] };
const GUESSABLE: Record<string, GuessableCommand> = {
  create: CREATE_FLAGS,
  run: CREATE_FLAGS,
  // Not -t, --console-socket, --preserve-fds: a terminal or more descriptors change how init starts.
  exec: {
    switches: ['--detach', '-d', '--no-new-privs', '--ignore-paused'],
    valueFlags: ['--process', '-p', '--pid-file', '--cwd', '--env', '-e', '--user', '-u', '--additional-gids', '-g', '--cap', '-c'],
  },
};
const GLOBAL_SWITCHES = ['--debug', '--systemd-cgroup'];

/** A command line read before yargs reads it: the command, its container id, and flag values (last wins). */
export interface CommandLineGuess {
  command: string;
  id: string;
  values: Record<string, string>;
}

/**
 * The container a `create`, `run` or `exec` command line is about, read before yargs reads it,
 * so that the init can start early (src/container/prelaunch.ts). Only plain command lines are
 * read: help, an unknown flag, a terminal or preserved descriptors give no guess. A wrong guess
 * costs only time: the command takes the prelaunched init only if it is the right one.
 */
export function guessCommandLine(args: string[], globalValueFlags: string[]): CommandLineGuess | undefined {
  let command: string | undefined;
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inlineValue] = arg.startsWith('-') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const shape = command === undefined ? { switches: GLOBAL_SWITCHES, valueFlags: globalValueFlags } : GUESSABLE[command]!;
    if (shape.valueFlags.includes(flag)) {
      const value = inlineValue ?? args[++i];
      if (value === undefined) return undefined;
      values[flag] = value;
    } else if (shape.switches.includes(arg)) {
      continue;
    } else if (arg.startsWith('-')) {
      return undefined;
    } else if (command === undefined) {
      if (!Object.hasOwn(GUESSABLE, arg)) return undefined;
      command = arg;
    } else {
      // The id. What follows is exec's program (runc stops reading flags there) or, for create
      // and run, a stray argument yargs will refuse.
      if (command !== 'exec' && i !== args.length - 1) return undefined;
      return { command, id: arg, values };
    }
  }
  return undefined;
}
