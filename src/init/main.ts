// The entry point of `runts init` (src/executable.ts): nsexec starts it inside the container's
// namespaces for every create and exec, and its start is on the critical path of both.
import { KOFFI_FD_ENV, takeInheritedKoffiFile } from '../../ffi/koffi-native-file.js';
import { runInit } from './init.js';

// Before koffi is loaded (see ffi/koffi-native-file.ts); the variable goes, so nothing else sees it.
const koffiFd = Number(process.env[KOFFI_FD_ENV]);
delete process.env[KOFFI_FD_ENV];
if (Number.isInteger(koffiFd) && koffiFd > 2) takeInheritedKoffiFile(koffiFd);

process.exitCode = runInit();
