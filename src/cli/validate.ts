// `runts validate [--bundle DIR]` (a runts addition, not in runc): check a bundle the way
// `create` reads it — config.json against the schema and the spec's rules, and the rootfs —
// without creating anything.
import type { CommandModule } from 'yargs';
import { loadBundle } from '../spec/load.js';
import { printOut } from './output.js';

interface ValidateArgs {
  bundle: string;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'check a bundle\'s config.json and rootfs without creating a container (runts only)',
  builder: (yargs) =>
    yargs.option('bundle', { alias: 'b', type: 'string', default: '.', describe: 'path to the root of the bundle directory' }),
  handler: (argv) => {
    const bundle = loadBundle(argv.bundle);
    printOut(`${bundle.dir}/config.json: valid (ociVersion ${bundle.config.ociVersion}, rootfs ${bundle.rootfs})\n`);
  },
};
