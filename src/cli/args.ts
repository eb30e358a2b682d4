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
