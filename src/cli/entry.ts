// The executable's entry point (bundled into dist/runts).
import { main } from './main.js';

process.exitCode = main(process.argv.slice(2));
