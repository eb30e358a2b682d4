// The global flags every runts command accepts (runc's), and what they select.
import { join } from 'node:path';
import type { InferredOptionTypes, Options } from 'yargs';
import { DEFAULT_ROOT, StateStore } from '../container/state-store.js';
import { LOG_FORMATS, type LogFormat } from '../log.js';

/** runc's default: /run/runc for root, $XDG_RUNTIME_DIR/runc for others. */
export function defaultRoot(): string {
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  if (process.geteuid?.() !== 0 && runtimeDir) return join(runtimeDir, 'runts');
  return DEFAULT_ROOT;
}

/** Built per invocation: the default root depends on who runs runts. */
export const globalOptions = () =>
  ({
    root: {
      type: 'string',
      default: defaultRoot(),
      describe: 'root directory for storage of container state (this should be located in tmpfs)',
    },
    log: { type: 'string', describe: "set the log file to write runts logs to (default is '/dev/stderr')" },
    'log-format': { type: 'string', default: 'text', describe: "set the log format ('text' (default), or 'json')" },
    debug: { type: 'boolean', default: false, describe: 'enable debug logging' },
    // No yargs default: `runts spec --rootless` (a bare flag, as runc's spec takes it) must be
    // told apart from an absent one, and a default would hide the difference.
    rootless: { type: 'string', describe: "ignore cgroup permission errors ('true', 'false', or 'auto' (default))" },
    'systemd-cgroup': {
      type: 'boolean',
      default: false,
      describe: 'enable systemd cgroup support, expects cgroupsPath to be of form "slice:prefix:name"',
    },
  }) as const satisfies Record<string, Options>;

export type GlobalArgs = InferredOptionTypes<ReturnType<typeof globalOptions>>;

/** Global flags that take a value (`--root DIR`), as opposed to switches (`--debug`). */
export const GLOBAL_VALUE_FLAGS = Object.entries(globalOptions())
  .filter(([, option]) => option.type === 'string')
  .map(([name]) => `--${name}`);

export const ROOTLESS_VALUES = ['true', 'false', 'auto'];

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

export function stateStore(args: { root: string }): StateStore {
  return new StateStore(args.root);
}
