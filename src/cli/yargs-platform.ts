// The platform layer yargs runs on in the built runts, in place of yargs's own ESM one
// (yargs/lib/platform-shims/esm.mjs; src/build/build.mjs points yargs here). It gives yargs
// the same services, minus three costs that yargs's layer puts on every call, none of which
// runts needs:
// - The process's stdout and stderr streams: yargs's layer reads process.stdout.columns as it
//   loads, its help layout (cached after every command) reads it again, and its two assertions
//   come from node:assert, whose colour support opens process.stderr. Making those streams
//   loads node:net and node:stream; runts writes to descriptors 1 and 2 directly
//   (src/cli/output.ts, src/log.ts). Help is laid out for 80 columns, as it was whenever
//   stdout was not a terminal (runts sets .wrap(null): lines are never wrapped).
// - A search for a package.json above the working directory (a directory read per level, and
//   a read of whatever package.json it finds): yargs guesses a version from it, which runts
//   sets itself, and runts reads no configuration from package.json files.
// - A look for a locale file (y18n reads <working directory>/../../../locales/en.json, as the
//   bundle carries none): yargs's messages are English as written, formatted as y18n does.
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { format, inspect } from 'node:util';
import cliui from 'cliui';
import Parser from 'yargs-parser';

/** The width yargs lays help out for when stdout is not a terminal (cliui's default). */
const HELP_WIDTH = 80;

function assertionFailed(message: string): never {
  throw new Error(message);
}

/** y18n's interface, for English only: the text as given, formatted as y18n formats it. */
function englishMessages() {
  let locale = 'en';
  return {
    __: (text: string, ...values: unknown[]) => format(text, ...values),
    // As y18n: the quantity fills a %d in the chosen form.
    __n: (singular: string, plural: string, quantity: number, ...values: unknown[]) => {
      const text = quantity === 1 ? singular : plural;
      return text.includes('%d') ? format(text, quantity, ...values) : format(text, ...values);
    },
    setLocale: (name: string) => {
      locale = name;
    },
    getLocale: () => locale,
    updateLocale: () => {},
  };
}

const unsupported = (what: string) => () => {
  throw new Error(`${what} is not supported by runts's yargs`);
};

export default {
  assert: {
    notStrictEqual(actual: unknown, expected: unknown, message?: string): void {
      if (actual === expected) assertionFailed(message ?? 'yargs: expected values to be strictly unequal');
    },
    strictEqual(actual: unknown, expected: unknown, message?: string): void {
      if (actual !== expected) assertionFailed(message ?? 'yargs: expected values to be strictly equal');
    },
  },
  cliui: (options: { width?: number | null; wrap?: boolean }) => cliui({ ...options, width: options.width || HELP_WIDTH }),
  findUp: () => undefined,
  getEnv: (key: string) => process.env[key],
  inspect,
  getCallerFile: unsupported('loading a directory of commands'),
  getProcessArgvBin: () => process.argv[1],
  mainFilename: process.cwd(),
  Parser,
  path: { basename, dirname, extname, relative, resolve },
  process: {
    argv: () => process.argv,
    cwd: process.cwd,
    emitWarning: (warning: string, type?: string) => process.emitWarning(warning, type),
    execPath: () => process.execPath,
    exit: process.exit,
    nextTick: process.nextTick,
    stdColumns: null,
  },
  readFileSync,
  require: unsupported('require'),
  requireDirectory: unsupported('loading a directory of commands'),
  stringWidth: (text: string) => [...text].length,
  y18n: englishMessages(),
};
