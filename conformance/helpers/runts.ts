// Runs the built executable as a user (or an engine) would, and captures what it says.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const RUNTS = resolve(import.meta.dirname, '../../dist/runts');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runts(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  if (!existsSync(RUNTS)) throw new Error(`${RUNTS} is missing: run npm run build first`);
  const result = spawnSync(RUNTS, args, {
    cwd: options.cwd,
    // A clean environment, as engines give their runtime (and no NODE_* from the test runner).
    env: { PATH: process.env.PATH, ...options.env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
