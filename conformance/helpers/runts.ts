// Runs the built executable as a user (or an engine) would, and captures what it says.
//
// Output goes to files, not pipes: a container created by `create` or `run --detach` inherits
// runts's stdio and keeps it open, so a reader waiting for the end of a pipe would wait for the
// container (engines hand runc files or their own fifos for the same reason).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const RUNTS = resolve(import.meta.dirname, '../../dist/runts');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runts(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  if (!existsSync(RUNTS)) throw new Error(`${RUNTS} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'runts-output-'));
  const out = openSync(join(dir, 'stdout'), 'w+');
  const err = openSync(join(dir, 'stderr'), 'w+');
  try {
    const result = spawnSync(RUNTS, args, {
      cwd: options.cwd,
      // A clean environment, as engines give their runtime (and no NODE_* from the test runner).
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['ignore', out, err],
      timeout: 30_000,
    });
    if (result.error) throw result.error;
    return { code: result.status, stdout: readFileSync(join(dir, 'stdout'), 'utf8'), stderr: readFileSync(join(dir, 'stderr'), 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}
