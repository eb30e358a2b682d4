// An engine may run runts in a directory that is gone (containerd's shim cleans up from the
// bundle it just removed): the runtime throws when asked for the working directory there (yargs asks
// as it loads; path.resolve asks). runc works there; so does runts, from / (relative paths
// meant nothing).
export function leaveVanishedDirectory(): void {
  try {
    process.cwd();
  } catch {
    process.chdir('/');
  }
}
