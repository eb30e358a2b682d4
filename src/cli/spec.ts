// `runts spec [--rootless] [--bundle DIR]`: write runc's starter config.json into a bundle.
import { constants, openSync, closeSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { RuntsError } from '../errors.js';
import { defaultConfig, rootlessConfig } from '../spec/defaults.js';

interface SpecArgs {
  bundle: string;
  rootless?: string | undefined;
}

export const specCommand: CommandModule<object, SpecArgs> = {
  command: 'spec',
  describe: 'create a new specification file',
  builder: (yargs) =>
    yargs
      .option('bundle', { alias: 'b', type: 'string', default: '', describe: 'path to the root of the bundle directory' })
      .usage('runts spec [--rootless] [--bundle DIR]')
      .epilogue(
        'Writes a starter config.json for the bundle (the current directory unless --bundle is given); ' +
          'with --rootless, one for a container run by an unprivileged user. Its process runs "sh": edit args for the program your rootfs holds.',
      ),
  handler: (argv) => {
    // `spec --rootless` shares its name with the global `--rootless value`: bare, it is ''.
    const rootless = argv.rootless === '' || argv.rootless === 'true';
    const config = rootless ? rootlessConfig(process.geteuid?.() ?? 0, process.getegid?.() ?? 0) : defaultConfig();
    writeNewFile(join(resolve(argv.bundle), 'config.json'), JSON.stringify(config, null, '\t'));
  },
};

/** Writes a file that must not exist yet (O_EXCL: no check-then-write race). */
function writeNewFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new RuntsError(`File ${path} exists. Remove it first`);
    throw RuntsError.wrap(`create ${path}`, err);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
