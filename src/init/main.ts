// The entry point of `runts init` (its own bundle, dist/runts-init.cjs, run by
// src/cli/sea-main.cjs): nsexec starts it inside the container's namespaces for every create
// and exec, and its start is on the critical path of both. A bundle of the init side alone is
// a sixth of the whole and compiles and loads about 2 ms quicker.
import { runInit } from './init.js';

process.exitCode = runInit();
