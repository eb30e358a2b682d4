// The runts command line: runc's global flags and subcommands. This module only parses and
// dispatches; each command lives in its own module and the work happens below src/cli/.
import yargs, { type CommandModule } from 'yargs';
import { describe, RuntsError } from '../errors.js';
import { loadKoffi } from '../../ffi/koffi.js';
import { libseccompVersion } from '../../ffi/libseccomp.js';
import { Logger } from '../log.js';
import { Timings } from '../timing.js';
import { versionText } from '../version.js';
import { commandName, helpAsFlag, splitAfterId } from './args.js';
import { GLOBAL_VALUE_FLAGS, globalOptions, type GlobalArgs, isLogFormat, ROOTLESS_VALUES } from './globals.js';
import { printOut } from './output.js';

/** runc's exit status for an unknown command ("No help topic for ..."). */
const EXIT_UNKNOWN_COMMAND = 3;

type Command = CommandModule<GlobalArgs, never>;

/**
 * The commands by name, in the order --help lists them; `log` is the logger of this invocation.
 * Each command's module (and what it imports) is loaded only when that command is registered:
 * a command evaluates its own code, not every other command's.
 */
function commands(log: Logger, timings: Timings, exitWith: (code: number) => void, afterId: () => string[]): [string, () => Command][] {
  const table: [string, () => unknown][] = [
    ['create', () => (require('./create.js') as typeof import('./create.js')).createCommand(log, timings)],
    ['start', () => (require('./start.js') as typeof import('./start.js')).startCommand(log)],
    ['run', () => (require('./run.js') as typeof import('./run.js')).runCommand(log, timings, exitWith)],
    ['exec', () => (require('./exec.js') as typeof import('./exec.js')).execCommand(log, timings, exitWith, afterId)],
    ['state', () => (require('./state.js') as typeof import('./state.js')).stateCommand],
    ['kill', () => (require('./kill.js') as typeof import('./kill.js')).killCommand],
    ['delete', () => (require('./delete.js') as typeof import('./delete.js')).deleteCommand(log)],
    ['list', () => (require('./list.js') as typeof import('./list.js')).listCommand],
    ['ps', () => (require('./ps.js') as typeof import('./ps.js')).psCommand(afterId)],
    ['pause', () => (require('./pause.js') as typeof import('./pause.js')).pauseCommand],
    ['resume', () => (require('./pause.js') as typeof import('./pause.js')).resumeCommand],
    ['update', () => (require('./update.js') as typeof import('./update.js')).updateCommand],
    ['events', () => (require('./events.js') as typeof import('./events.js')).eventsCommand],
    ['spec', () => (require('./spec.js') as typeof import('./spec.js')).specCommand],
    ['features', () => (require('./features.js') as typeof import('./features.js')).featuresCommand],
    ['validate', () => (require('./validate.js') as typeof import('./validate.js')).validateCommand],
  ];
  return table as [string, () => Command][];
}

/** Commands whose arguments after the id are passed on, with their own flags that take a value. */
const PASSED_ON_AFTER_ID: Record<string, () => string[]> = {
  exec: () => (require('./exec.js') as typeof import('./exec.js')).EXEC_VALUE_FLAGS,
  ps: () => (require('./ps.js') as typeof import('./ps.js')).PS_VALUE_FLAGS,
};

const DESCRIPTION =
  'runts is an Open Container Initiative runtime written in TypeScript: a drop-in replacement for runc. ' +
  'Containers are configured using bundles: a directory that holds a specification file named "config.json" ' +
  'and a root filesystem. `runts spec` writes a starter config.json.';

/**
 * `--resources -` (update reads stdin): yargs would take a lone "-" for no value, so it is
 * joined to its flag (`--resources=-`).
 */
function stdinAsValue(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === '--resources' || args[i] === '-r') && args[i + 1] === '-') joined.push(`${args[i++]}=-`);
    else joined.push(args[i]!);
  }
  return joined;
}

export async function main(rawArgs: string[], timings = new Timings()): Promise<number> {
  let args = stdinAsValue(helpAsFlag(rawArgs, GLOBAL_VALUE_FLAGS));
  const logger = loggerFor(args);
  if (logger instanceof RuntsError) {
    new Logger({ format: 'text', debug: false }).error(logger.message);
    return 1;
  }
  let exitCode = 0;
  const command = commandName(args, GLOBAL_VALUE_FLAGS);
  // What follows the id of exec (the program) and ps (ps's options) is not runts's: yargs
  // never sees it.
  let afterId: string[] = [];
  const commandValueFlags = command !== undefined && Object.hasOwn(PASSED_ON_AFTER_ID, command) ? PASSED_ON_AFTER_ID[command]!() : undefined;
  if (commandValueFlags) ({ cli: args, command: afterId } = splitAfterId(args, GLOBAL_VALUE_FLAGS, commandValueFlags));
  const modules = commands(logger, timings, (code) => (exitCode = code), () => afterId);
  if (command !== undefined && !modules.some(([name]) => name === command)) {
    logger.error(`unknown command ${JSON.stringify(command)}: see runts --help`);
    logger.close();
    return EXIT_UNKNOWN_COMMAND;
  }
  try {
    let parser = yargs(args)
      .options(globalOptions())
      .scriptName('runts')
      .usage('runts [global options] command [command options] [arguments...]')
      .epilogue(DESCRIPTION)
      .version(false)
      .option('version', { alias: 'v', type: 'boolean', describe: 'print the version' })
      .help('help')
      .alias('help', 'h')
      .strict()
      // runc's flags include --no-pivot and --no-new-keyring: names, not negations of --pivot;
      // and a repeated flag (-e A=1 -e B=2) takes one value each time, as runc's.
      .parserConfiguration({ 'boolean-negation': false, 'greedy-arrays': false })
      .wrap(null)
      // yargs's messages are English here: guessing a locale from LANG looks for locale files
      // the bundle does not carry (a failed read on every call).
      .detectLocale(false)
      .exitProcess(false)
      .middleware(checkGlobalValues)
      .fail((message, error) => {
        throw error ?? new RuntsError(`${message}: see runts ${command ?? ''} --help`.replace('  ', ' '));
      });
    // yargs's work grows with what it is given: for a named command only that one is
    // registered; help and bare runts get them all.
    const asksForHelp = args.includes('--help') || args.includes('-h');
    const registered = command !== undefined && !asksForHelp ? modules.filter(([name]) => name === command) : modules;
    for (const [, load] of registered) parser = parser.command(load() as CommandModule);
    skipHelpCaching(parser);
    const argv = await parser.parseAsync();
    if (argv._.length === 0 && !argv.help) {
      if (argv.version) printOut(`${versionText({ koffi: loadKoffi().version, libseccomp: libseccompVersion() })}\n`);
      else parser.showHelp((text) => printOut(`${text}\n`));
    }
    return exitCode;
  } catch (err) {
    logger.error(describe(err));
    // A command may have said what its failure exits with (exec: 255, as runc).
    return exitCode !== 0 ? exitCode : 1;
  } finally {
    timings.mark('done');
    for (const line of timings.lines()) logger.debug(line);
    logger.close();
  }
}

/**
 * yargs lays out a command's whole help text after running its handler (its usage instance's
 * cacheHelpMessage), for a showHelp() called from inside the handler. runts never calls that:
 * help is printed for --help and bare `runts` only, neither of which runs a handler. The
 * layout would cost every command, so it is turned off. (Reached through yargs's
 * getInternalMethods(), which its own command module uses; an older or newer yargs without it
 * just keeps caching.)
 */
function skipHelpCaching(parser: unknown): void {
  type Internals = { getUsageInstance?: () => { cacheHelpMessage?: () => void } };
  const usage = (parser as { getInternalMethods?: () => Internals }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** Global flags whose values yargs cannot check by itself; runs before any command. */
function checkGlobalValues(argv: { _: (string | number)[]; rootless?: string | undefined }): void {
  const rootless = argv.rootless;
  // `spec --rootless` is spec's own bare flag (see spec.ts).
  if (rootless !== undefined && argv._[0] !== 'spec' && !ROOTLESS_VALUES.includes(rootless)) {
    throw new RuntsError(`invalid --rootless value ${JSON.stringify(rootless)}: must be one of ${ROOTLESS_VALUES.join(', ')}`);
  }
}

/**
 * The logger is set up from the raw arguments, before yargs runs, so that a usage error is
 * reported in the format and to the file the caller asked for (engines read --log).
 */
function loggerFor(args: string[]): Logger | RuntsError {
  const flag = (name: string): string | undefined => {
    let value: string | undefined;
    args.forEach((arg, i) => {
      if (arg === `--${name}`) value = args[i + 1];
      else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
    });
    return value;
  };
  const format = flag('log-format') ?? 'text';
  if (!isLogFormat(format)) return new RuntsError(`invalid log-format: ${format}`);
  try {
    return new Logger({ file: flag('log'), format, debug: args.includes('--debug') });
  } catch (err) {
    return err as RuntsError;
  }
}
