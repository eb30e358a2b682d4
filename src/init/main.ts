// The entry point of `runts init` (its own bundle, dist/runts-init.cjs, run by
// src/cli/sea-main.cjs): nsexec starts it inside the container's namespaces for every create
// and exec, and its start is on the critical path of both. A bundle of the init side alone is
// a sixth of the whole and compiles and loads about 2 ms quicker.
import { KOFFI_FD_ENV, takeInheritedKoffiFile } from '../../ffi/koffi-native-file.js';
import { runInit } from './init.js';

// Before koffi is loaded (see ffi/koffi-native-file.ts); the variable goes, so nothing else sees it.
const koffiFd = Number(process.env[KOFFI_FD_ENV]);
delete process.env[KOFFI_FD_ENV];
if (Number.isInteger(koffiFd) && koffiFd > 2) takeInheritedKoffiFile(koffiFd);

process.exitCode = runInit();
