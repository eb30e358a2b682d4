// node:child_process, loaded on first use: loading it (and node:net under it) costs every
// command that does, and only hooks and `ps` need it (nsexec is started through libc, see
// container/launch.ts).
import { createRequire } from 'node:module';

type ChildProcessModule = typeof import('node:child_process');

let loaded: ChildProcessModule | undefined;

export function childProcess(): ChildProcessModule {
  // createRequire, not require: the same code runs as the CommonJS bundle and as ESM in tests.
  loaded ??= createRequire('/')('node:child_process') as ChildProcessModule;
  return loaded;
}
