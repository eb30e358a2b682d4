// Which file koffi's native module was loaded from, in the executable.
//
// The CLI verifies its private copy of koffi.node (native-assets.ts), loads it and keeps that
// descriptor open (close-on-exec); when it starts init it hands the descriptor down, and init
// loads the very file runts verified instead of walking the asset directory and comparing the
// whole module again, on the critical path of every create and exec. Only init takes a descriptor this way, and only from the environment runts gave it.

/** The environment variable naming, in init, the descriptor of runts's verified koffi.node. */
export const KOFFI_FD_ENV = '_RUNTS_KOFFI_FD';

/** The CLI's copy, or init's inherited one. */
const files = { loadedFrom: undefined as number | undefined, inherited: undefined as number | undefined };

/** In init, before koffi is loaded: the descriptor runts passed (see launch.ts). */
export function takeInheritedKoffiFile(fd: number): void {
  files.inherited = fd;
}

/** The descriptor koffi.node is to be loaded from without a check, if init was given one. */
export function inheritedKoffiFile(): number | undefined {
  return files.inherited;
}

/** The CLI's verified copy, once koffi is loaded from it: kept open for init. */
export function rememberKoffiFile(fd: number): void {
  files.loadedFrom = fd;
}

export function koffiFileDescriptor(): number | undefined {
  return files.loadedFrom;
}
