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

/** create's and run's flags that the guess below knows; any other flag stops it. */
const CREATE_SWITCHES = ['--no-pivot', '--no-new-keyring', '--detach', '-d', '--keep'];
const CREATE_VALUE_FLAGS = ['--pid-file', '--bundle', '-b'];
const GLOBAL_SWITCHES = ['--debug', '--systemd-cgroup'];

/**
 * The container a `create` or `run` command line makes, read before yargs reads it, so that its
 * init can start early (src/container/prelaunch.ts). Only plain command lines are read: help,
 * an unknown flag, --preserve-fds, --console-socket or a second id give no guess. A wrong
 * guess costs only time: create takes the prelaunched init only if it is the right one.
 */
export function guessContainerToCreate(args: string[], globalValueFlags: string[]): { id: string; bundle: string } | undefined {
  let command: string | undefined;
  let id: string | undefined;
  let bundle = '.';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inlineValue] = arg.startsWith('-') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const valueFlags = command === undefined ? globalValueFlags : CREATE_VALUE_FLAGS;
    const switches = command === undefined ? GLOBAL_SWITCHES : CREATE_SWITCHES;
    if (valueFlags.includes(flag)) {
      const value = inlineValue ?? args[++i];
      if (value === undefined) return undefined;
      if (command !== undefined && (flag === '--bundle' || flag === '-b')) bundle = value;
    } else if (switches.includes(arg)) {
      continue;
    } else if (arg.startsWith('-')) {
      return undefined;
    } else if (command === undefined) {
      if (arg !== 'create' && arg !== 'run') return undefined;
      command = arg;
    } else if (id === undefined) {
      id = arg;
    } else {
      return undefined;
    }
  }
  return id === undefined ? undefined : { id, bundle };
}
