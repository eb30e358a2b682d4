// Build-time only (never bundled), run by Bun (`npm run build`): turns the TypeScript into
// dist/runts, one executable file made by Bun's compiler (the bundle as bytecode and a copy of
// the Bun runtime), with koffi's native module and the nsexec helper embedded as files
// (ffi/native-assets.ts writes them out before loading them).
//
// Steps: regenerate spec-schemas/ from the zod schemas, compile ffi/nsexec.c, bundle
// src/executable.ts and compile it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const top = resolve(import.meta.dir, '../..');
const dist = join(top, 'dist');
const require = createRequire(import.meta.url);
/** koffi's CommonJS entry (index.cjs), at the top of its package directory. */
const koffiDir = dirname(require.resolve('koffi', { paths: [top] }));

/**
 * The prebuilt koffi.node for this machine, as koffi's own loader would pick it, and of koffi's
 * own version (which koffi's JavaScript entry checks at run time; the executable skips it).
 */
function koffiNativePath() {
  const arch = { x64: 'x64', arm64: 'arm64', ia32: 'ia32', arm: 'arm', riscv64: 'riscv64' }[process.arch];
  const pkg = dirname(require.resolve(`@koromix/koffi-linux-${arch}/package.json`, { paths: [koffiDir] }));
  const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  if (versionOf(pkg) !== versionOf(koffiDir)) throw new Error(`koffi ${versionOf(koffiDir)} with its native module ${versionOf(pkg)}: reinstall (npm ci)`);
  return join(pkg, `linux_${arch}`, 'koffi.node');
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

async function writeSchemas() {
  const { generatedFiles } = await import(join(top, 'src/spec/json-schemas.ts'));
  for (const [name, text] of Object.entries(generatedFiles())) writeFileSync(join(top, 'spec-schemas', name), text);
}

/**
 * Compiles ffi/nsexec.c statically (it also runs inside rootfses without a libc, as the waiter
 * of created containers), against musl: a fraction of glibc's size, so runts verifies its copy
 * quicker before every container start, and it starts quicker. CC overrides.
 */
function buildNsexec() {
  const out = join(dist, 'nsexec');
  const cc = process.env.CC ?? 'musl-gcc';
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-static', '-s', '-o', out, join(top, 'ffi/nsexec.c')], { stdio: 'inherit' });
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error(`${cc} is missing: apt-get install musl-tools (or set CC to another C compiler)`);
    throw err;
  }
  return out;
}

const digestOf = (path) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);

/**
 * How the bundle differs from the source run by the tests:
 * - ffi/embedded-files.ts names the files embedded in the executable;
 * - koffi is its native module itself, loaded from the copy carried inside
 *   (ffi/koffi-embedded.ts): koffi's JavaScript entry only finds that module for the platform,
 *   checks its version and adds deprecated aliases, and runts uses none of the aliases;
 * - yargs runs on src/cli/yargs-platform.ts instead of its own platform layer, which creates
 *   the process's stdout and stderr streams as it loads (see that file).
 */
function executablePlugin(koffiNative, nsexec) {
  return {
    name: 'runts-executable',
    setup(build) {
      build.onLoad({ filter: /\/ffi\/embedded-files\.ts$/ }, () => ({
        loader: 'ts',
        contents: [
          `import koffi from ${JSON.stringify(koffiNative)} with { type: 'file' };`,
          `import nsexec from ${JSON.stringify(nsexec)} with { type: 'file' };`,
          `export const EMBEDDED_FILES: Readonly<Record<string, string>> = { 'koffi.node': koffi, nsexec };`,
        ].join('\n'),
      }));
      build.onResolve({ filter: /^koffi$/ }, () => ({ path: join(top, 'ffi/koffi-embedded.ts') }));
      build.onResolve({ filter: /platform-shims\/esm\.mjs$/ }, (args) =>
        args.importer.includes('/node_modules/yargs/') ? { path: join(top, 'src/cli/yargs-platform.ts') } : undefined,
      );
    },
  };
}

async function makeExecutable(koffiNative, nsexec) {
  const koffiVersion = JSON.parse(readFileSync(join(koffiDir, 'package.json'), 'utf8')).version;
  // Written beside and renamed into place: a runts started meanwhile (a test, an engine) runs
  // the old file or the new one, never half of one.
  const outfile = join(dist, `.runts.${process.pid}.tmp`);
  rmSync(outfile, { force: true });
  const result = await Bun.build({
    entrypoints: [join(top, 'src/executable.ts')],
    compile: {
      outfile,
      // A root process started from any directory (a bundle's, a user's) reads no
      // configuration from it: no .env, no bunfig.toml.
      autoloadDotenv: false,
      autoloadBunfig: false,
      // With an execArgv, the executable starts in a working directory that was removed (as
      // containerd's shim calls delete from a bundle directory it removed), where Bun would
      // otherwise refuse to start. --no-install is what runts wants anyway.
      execArgv: ['--no-install'],
    },
    bytecode: true,
    format: 'cjs',
    define: {
      RUNTS_COMMIT: JSON.stringify(gitCommit()),
      RUNTS_KOFFI_ASSET_VERSION: JSON.stringify(`koffi-${koffiVersion}-${digestOf(koffiNative)}`),
      RUNTS_NSEXEC_ASSET_VERSION: JSON.stringify(`nsexec-${digestOf(nsexec)}`),
    },
    plugins: [executablePlugin(koffiNative, nsexec)],
  });
  if (!result.success) {
    rmSync(outfile, { force: true });
    throw new AggregateError(result.logs, 'bun build failed');
  }
  renameSync(outfile, join(dist, 'runts'));
}

mkdirSync(dist, { recursive: true });
await writeSchemas();
const koffiNative = koffiNativePath();
const nsexec = buildNsexec();
await makeExecutable(koffiNative, nsexec);
console.log(`built ${join(dist, 'runts')}`);
