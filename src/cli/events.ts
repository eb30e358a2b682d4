// `runts events <id> [--stats] [--interval 5s]`: runc's JSON event stream of a container.
import type { CommandModule } from 'yargs';
import { statsEvent, streamEvents } from '../container/events.js';
import { RuntsError } from '../errors.js';
import { stateStore, type GlobalArgs } from './globals.js';
import { printOut } from './output.js';

interface EventsArgs extends GlobalArgs {
  id: string;
  stats: boolean;
  interval: string;
}

export const eventsCommand: CommandModule<GlobalArgs, EventsArgs> = {
  command: 'events <id>',
  describe: 'display container events such as OOM notifications, cpu, memory, and IO usage statistics',
  builder: (yargs) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
      .option('interval', { type: 'string', default: '5s', describe: 'set the stats collection interval' })
      .option('stats', { type: 'boolean', default: false, describe: 'display the container\'s stats then exit' }),
  handler: async (argv) => {
    const store = stateStore(argv);
    if (argv.stats) {
      printOut(`${statsEvent(store.read(argv.id))}\n`);
      return;
    }
    await streamEvents(store, argv.id, parseDuration(argv.interval), (line) => printOut(`${line}\n`));
  },
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as runc's --interval takes it: "5s", "500ms", "1m30s". */
export function parseDuration(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) {
    throw new RuntsError(`events: --interval ${JSON.stringify(value)}: not a duration (such as 5s or 500ms)`);
  }
  const ms = parts.reduce((total, part) => total + Number(part[1]) * DURATION_UNITS[part[2]!]!, 0);
  if (ms <= 0) throw new RuntsError(`events: --interval ${JSON.stringify(value)}: must be positive`);
  return ms;
}
