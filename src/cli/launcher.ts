// The first bundle of `runts create`, `run` and `exec` (dist/runts-launch.cjs, run by
// src/cli/sea-main.cjs before the CLI's bundle): it starts the container's init at once, so
// that init's start (~14 ms, the longest step) also overlaps the ~3 ms the CLI's much larger
// bundle takes to compile. It hands its timings to the CLI's entry; the init it started, koffi
// and libc are process-wide (src/process-singletons.ts).
import { Timings } from '../timing.js';
import { handOverToCli, startInitEarly } from './early-start.js';
import { leaveVanishedDirectory } from './working-directory.js';

leaveVanishedDirectory();
const timings = new Timings();
startInitEarly(process.argv.slice(2));
timings.mark('prelaunch');
handOverToCli(timings);
