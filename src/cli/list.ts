// `runts list [--format table|json] [-q]`: the containers under --root, as runc lists them.
import type { CommandModule } from 'yargs';
import { CorruptState } from '../container/state-store.js';
import { ociState, userName } from '../container/status.js';
import type { State } from '../spec/state.js';
import { stateStore, type GlobalArgs } from './globals.js';
import { printOut } from './output.js';

/** A container as listed: its state, or "broken" when its record cannot be read (delete --force removes it). */
type ListEntry = Pick<State, 'ociVersion' | 'id' | 'bundle' | 'rootfs' | 'created' | 'owner' | 'annotations'> & { pid?: number | undefined; status: State['status'] | 'broken' };

interface ListArgs extends GlobalArgs {
  format: string;
  quiet: boolean;
}

export const listCommand: CommandModule<GlobalArgs, ListArgs> = {
  command: 'list',
  describe: 'lists containers started by runts with the given root',
  builder: (yargs) =>
    yargs
      .option('format', { alias: 'f', type: 'string', default: 'table', choices: ['table', 'json'], describe: 'select one of: table or json' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'display only container IDs' }),
  handler: (argv) => {
    const store = stateStore(argv);
    const states: ListEntry[] = [];
    for (const id of store.list()) {
      try {
        states.push(ociState(store.read(id), userName(store.ownerUid(id))));
      } catch (err) {
        if (err instanceof CorruptState) states.push({ ociVersion: '', id, pid: 0, status: 'broken', bundle: '', rootfs: '', created: '', owner: '' });
        // Otherwise deleted between listing and reading: it is no longer there to list.
      }
    }
    if (argv.quiet) {
      printOut(states.map((state) => `${state.id}\n`).join(''));
    } else if (argv.format === 'json') {
      // runc encodes a nil slice: `null` when there are no containers.
      printOut(`${JSON.stringify(states.length ? states : null)}\n`);
    } else {
      printOut(formatTable(states));
    }
  },
};

const HEADER = ['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'];

/** runc's table: Go's tabwriter with a minimum cell width of 12 and padding 3; the last column is not padded. */
export function formatTable(states: ListEntry[]): string {
  const rows = [HEADER, ...states.map((s) => [s.id, String(s.pid ?? 0), s.status, s.bundle, s.created, s.owner])];
  const widths = HEADER.map((_, column) => Math.max(12, ...rows.map((row) => (row[column] ?? '').length + 3)));
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 12))).join(''))
    .join('\n') + '\n';
}
