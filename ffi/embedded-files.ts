// The native files carried inside the executable, by name: the path inside the executable at
// which the program reads each one. The build (src/build/build.mjs) replaces this module with
// one that embeds them; outside the executable (the unit tests) there are none.
export const EMBEDDED_FILES: Readonly<Record<string, string>> = {};
