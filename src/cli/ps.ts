// `runts ps <id> [--format table|json] [ps options]`: the container's processes. json: their
// host pids; table: ps's own output (default `ps -ef`) limited to them, as runc prints it.
import { childProcess } from '../child-process.js';
import type { CommandModule } from 'yargs';
import { containerProcesses } from '../container/lifecycle.js';
import { RuntsError } from '../errors.js';
import { stateStore, type GlobalArgs } from './globals.js';
import { printOut } from './output.js';

interface PsArgs extends GlobalArgs {
  id: string;
  format: string;
}

/** ps's options that take a value, for splitting the command line. */
export const PS_VALUE_FLAGS = ['--format', '-f'];

export function psCommand(psOptions: () => string[]): CommandModule<GlobalArgs, PsArgs> {
  return {
    command: 'ps <id>',
    describe: 'ps displays the processes running inside a container',
    builder: (yargs) =>
      yargs
        .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
        .option('format', { alias: 'f', type: 'string', default: 'table', choices: ['table', 'json'], describe: 'select one of: table or json' }),
    handler: (argv) => {
      const pids = containerProcesses(stateStore(argv), argv.id);
      if (argv.format === 'json') {
        // runc encodes no processes as a nil slice: `null`.
        printOut(`${JSON.stringify(pids.length ? pids : null)}\n`);
        return;
      }
      printOut(filterPsTable(runPs(psOptions()), new Set(pids)));
    },
  };
}

function runPs(options: string[]): string {
  const result = childProcess().spawnSync('ps', options.length ? options : ['-ef'], { encoding: 'utf8' });
  if (result.error) throw RuntsError.wrap('run ps', result.error);
  if (result.status !== 0) throw new RuntsError(`ps ${options.join(' ')}: ${result.stderr.trim() || `exit status ${result.status}`}`);
  return result.stdout;
}

/** ps's header and the lines whose PID column names one of `pids`. */
export function filterPsTable(table: string, pids: Set<number>): string {
  const [header = '', ...lines] = table.split('\n');
  const column = header.trim().split(/\s+/).indexOf('PID');
  if (column === -1) throw new RuntsError('ps output has no PID column');
  const kept = lines.filter((line) => pids.has(Number(line.trim().split(/\s+/)[column])));
  return [header, ...kept].join('\n') + '\n';
}
