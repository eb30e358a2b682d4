// The runtime-spec versions runts reads and writes.

/** The version runts implements and writes into `runts spec` and state. */
export const SPEC_VERSION = '1.3.0';
/** The oldest config version runts accepts: 1.0.0 (every 1.x is backward compatible). */
export const SPEC_VERSION_MIN = '1.0.0';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The major version of an ociVersion string, or undefined when it is not SemVer 2.0.0. */
export function majorOf(version: string): number | undefined {
  const match = SEMVER.exec(version);
  return match ? Number(match[1]) : undefined;
}
