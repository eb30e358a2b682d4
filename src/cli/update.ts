// `runts update <id> [--resources FILE|-] [--memory 512m] [--cpu-quota N] [--pids-limit N]...`:
// change the limits of a live container (runc's flags; with --resources the others are ignored).
import type { CommandModule } from 'yargs';
import { libc } from '../../ffi/libc.js';
import { updateContainer } from '../container/update.js';
import { RuntsError } from '../errors.js';
import type { Resources } from '../spec/config.js';
import { parseJsonFile } from '../spec/json.js';
import { readBounded, readJsonFileText } from '../spec/read-json-file.js';
import { validateConfigShape } from '../spec/validate.js';
import { SPEC_VERSION } from '../spec/version.js';
import { stateStore, type GlobalArgs } from './globals.js';

interface UpdateArgs extends GlobalArgs {
  id: string;
  resources?: string | undefined;
  'blkio-weight'?: number | undefined;
  'cpu-period'?: string | undefined;
  'cpu-quota'?: string | undefined;
  'cpu-share'?: string | undefined;
  'cpu-rt-period'?: string | undefined;
  'cpu-rt-runtime'?: string | undefined;
  'cpuset-cpus'?: string | undefined;
  'cpuset-mems'?: string | undefined;
  memory?: string | undefined;
  'memory-reservation'?: string | undefined;
  'memory-swap'?: string | undefined;
  'pids-limit'?: number | undefined;
  'l3-cache-schema'?: string | undefined;
  'mem-bw-schema'?: string | undefined;
}

export const updateCommand: CommandModule<GlobalArgs, UpdateArgs> = {
  command: 'update <id>',
  describe: 'update container resource constraints',
  builder: (yargs) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'the container id' })
      .option('resources', { alias: 'r', type: 'string', describe: "path to the file containing the resources to update or '-' to read from the standard input" })
      .option('blkio-weight', { type: 'number', describe: 'Specifies per cgroup weight, range is from 10 to 1000' })
      .option('cpu-period', { type: 'string', describe: 'CPU CFS period to be used for hardcapping (in usecs). 0 to use system default' })
      .option('cpu-quota', { type: 'string', describe: 'CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period' })
      .option('cpu-share', { type: 'string', describe: 'CPU shares (relative weight vs. other containers)' })
      .option('cpu-rt-period', { type: 'string', describe: 'CPU realtime period to be used for hardcapping (in usecs). 0 to use system default' })
      .option('cpu-rt-runtime', { type: 'string', describe: 'CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period' })
      .option('cpuset-cpus', { type: 'string', describe: 'CPU(s) to use' })
      .option('cpuset-mems', { type: 'string', describe: 'Memory node(s) to use' })
      .option('memory', { type: 'string', describe: 'Memory limit (in bytes, or with a unit: 512m)' })
      .option('memory-reservation', { type: 'string', describe: 'Memory reservation or soft_limit (in bytes)' })
      .option('memory-swap', { type: 'string', describe: "Total memory usage (memory + swap); set '-1' to enable unlimited swap" })
      .option('pids-limit', { type: 'number', describe: 'Maximum number of pids allowed in the container' })
      .option('l3-cache-schema', { type: 'string', describe: 'The string of Intel RDT/CAT L3 cache schema' })
      .option('mem-bw-schema', { type: 'string', describe: 'The string of Intel RDT/MBA memory bandwidth schema' }),
  handler: (argv) => {
    const changes = argv.resources === undefined ? resourcesFromFlags(argv) : readResources(argv.resources);
    updateContainer(stateStore(argv), argv.id, changes, libc());
  },
};

function readResources(file: string): Resources {
  const where = file === '-' ? 'update --resources (stdin)' : file;
  let text: string;
  try {
    text = file === '-' ? readBounded(0) : readJsonFileText(file);
  } catch (err) {
    throw RuntsError.wrap(`read ${where}`, err);
  }
  const config = validateConfigShape({ ociVersion: SPEC_VERSION, linux: { resources: parseJsonFile(text, where) } }, where);
  return config.linux!.resources!;
}

function resourcesFromFlags(argv: UpdateArgs): Resources {
  if (argv['l3-cache-schema'] !== undefined || argv['mem-bw-schema'] !== undefined) {
    throw new RuntsError('update: Intel RDT (--l3-cache-schema, --mem-bw-schema) is not supported by runts');
  }
  const resources: Resources = {};
  const int = (flag: keyof UpdateArgs) => {
    const value = argv[flag];
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(String(value))) throw new RuntsError(`update: --${flag} ${JSON.stringify(value)}: not an integer`);
    return Number(value);
  };
  const bytes = (flag: keyof UpdateArgs) => {
    const value = argv[flag];
    return value === undefined ? undefined : parseBytes(String(value), flag);
  };
  const defined = <T extends object>(object: T): T | undefined => {
    const kept = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
    return Object.keys(kept).length ? (kept as T) : undefined;
  };
  const cpu = defined({
    shares: int('cpu-share'),
    quota: int('cpu-quota'),
    period: int('cpu-period'),
    realtimePeriod: int('cpu-rt-period'),
    realtimeRuntime: int('cpu-rt-runtime'),
    cpus: argv['cpuset-cpus'],
    mems: argv['cpuset-mems'],
  });
  const memory = defined({ limit: bytes('memory'), reservation: bytes('memory-reservation'), swap: bytes('memory-swap') });
  if (cpu) resources.cpu = cpu;
  if (memory) resources.memory = memory;
  if (argv['pids-limit'] !== undefined) resources.pids = { limit: int('pids-limit')! };
  if (argv['blkio-weight'] !== undefined) resources.blockIO = { weight: int('blkio-weight')! };
  return resources;
}

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

/** A byte count as runc's flags take it (docker's RAMInBytes): "1048576", "512m", "1.5g", or -1. */
export function parseBytes(value: string, flag: string): number {
  if (value === '-1') return -1;
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(value);
  if (!match) throw new RuntsError(`update: --${flag} ${JSON.stringify(value)}: not a size (bytes, or a number with k, m, g, t)`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()]!);
}
