// The Bun runtime the executable is built with (the devDependency), for tests that run a piece
// of runts from source in a process of its own, on the same runtime as dist/runts.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const BUN = join(dirname(createRequire(import.meta.url).resolve('@oven/bun-linux-x64/package.json')), 'bin/bun');
