// Build-time only (never bundled): `npm run build` turns the TypeScript into dist/runts, one
// executable file: a Node single-executable application (SEA) carrying the bundled CLI, with
// koffi's native module and the nsexec helper embedded as assets (ffi/native-assets.ts).
//
// Steps: regenerate spec-schemas/ from the zod schemas, compile ffi/nsexec.c, bundle
// src/cli/entry.ts and src/init/main.ts with esbuild, make their V8 code caches
// (src/build/code-cache.cjs), make the SEA blob (main: src/cli/sea-main.cjs, which runs one
// bundle with its cache), inject it
// into a copy of this node binary with postject.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { inject } from 'postject';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(top, 'dist');
const require = createRequire(import.meta.url);
/** koffi's CommonJS entry (index.cjs), at the top of its package directory. */
const koffiEntry = require.resolve('koffi', { paths: [top] });
const koffiDir = dirname(koffiEntry);

/**
 * The prebuilt koffi.node for this machine, as koffi's own loader would pick it, and of koffi's
 * own version (which koffi's JavaScript entry checked at run time; the executable skips it).
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
  const out = join(dist, 'write-schemas.mjs');
  await esbuild.build({
    entryPoints: [join(top, 'src/spec/json-schemas.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    packages: 'external',
    logLevel: 'warning',
  });
  const { generatedFiles } = await import(pathToFileURL(out).href);
  for (const [name, text] of Object.entries(generatedFiles())) writeFileSync(join(top, 'spec-schemas', name), text);
  rmSync(out);
}

/**
 * koffi in the executable is its native module itself, loaded from the copy carried inside
 * (ffi/koffi-sea-native.ts). koffi's JavaScript entry only finds that module for the platform,
 * checks its version and adds deprecated aliases; the build embeds the module of that very
 * package, and runts uses none of the aliases. Skipping it takes ~1 ms off each koffi load.
 */
const koffiInExecutable = {
  name: 'koffi-in-executable',
  setup(build) {
    build.onResolve({ filter: /^koffi$/ }, () => ({ path: join(top, 'ffi/koffi-sea-native.ts') }));
  },
};

/**
 * Runs yargs on src/cli/yargs-platform.ts instead of its own platform layer, which creates
 * Node's stdout and stderr streams as it loads (~3 ms on every call; see that file).
 */
const yargsPlatform = {
  name: 'yargs-platform',
  setup(build) {
    build.onResolve({ filter: /platform-shims\/esm\.mjs$/ }, (args) =>
      args.importer.includes('/node_modules/yargs/') ? { path: join(top, 'src/cli/yargs-platform.ts') } : undefined,
    );
  },
};

/**
 * Compiles ffi/nsexec.c statically (it also runs inside rootfses without a libc, as the waiter
 * of created containers), against musl: 59 KB instead of glibc's 810 KB, so runts verifies its
 * copy ~1 ms quicker before every container start, and it starts 0.4 ms quicker. CC overrides.
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
 * The three bundles, each self-contained, each a function of a CommonJS module's arguments:
 * the CLI (runts.cjs), the launcher that starts init before it (runts-launch.cjs, for create,
 * run and exec) and `runts init` (runts-init.cjs).
 */
async function bundle(koffiNative, nsexec) {
  await bundleEntry('src/cli/entry.ts', 'runts.cjs', koffiNative, nsexec);
  await bundleEntry('src/cli/launcher.ts', 'runts-launch.cjs', koffiNative, nsexec);
  await bundleEntry('src/init/main.ts', 'runts-init.cjs', koffiNative, nsexec);
}

async function bundleEntry(entry, outName, koffiNative, nsexec) {
  const digest = digestOf(koffiNative);
  const koffiVersion = JSON.parse(readFileSync(join(koffiDir, 'package.json'), 'utf8')).version;
  await esbuild.build({
    entryPoints: [join(top, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: join(dist, outName),
    // The file is one function expression, as src/cli/sea-main.cjs compiles it: wrapping it at
    // run time made V8 flatten a copy of the whole source first.
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
    plugins: [koffiInExecutable, yargsPlatform],
    define: {
      RUNTS_COMMIT: JSON.stringify(gitCommit()),
      RUNTS_KOFFI_ASSET_VERSION: JSON.stringify(`koffi-${koffiVersion}-${digest}`),
      RUNTS_NSEXEC_ASSET_VERSION: JSON.stringify(`nsexec-${digestOf(nsexec)}`),
    },
    logLevel: 'warning',
  });
}

/**
 * The CLI's two warm code caches (see src/build/code-cache.cjs) and the eager ones of the
 * launcher and init, by asset name; made by this very node binary, which the executable copies.
 */
function makeCodeCaches() {
  const caches = {
    'runts-config.codecache': { kind: 'config', bundle: 'runts.cjs' },
    'runts-lifecycle.codecache': { kind: 'lifecycle', bundle: 'runts.cjs' },
    'runts-init.codecache': { kind: 'eager', bundle: 'runts-init.cjs' },
    'runts-launch.codecache': { kind: 'eager', bundle: 'runts-launch.cjs' },
  };
  const script = join(top, 'src/build/code-cache.cjs');
  const options = { stdio: 'ignore', env: { PATH: process.env.PATH } };
  const assets = {};
  for (const [name, { kind, bundle }] of Object.entries(caches)) {
    // The old cache goes first: one left from an earlier build would be embedded, and
    // silently rejected by V8, if the script ever ended without writing a new one.
    const cache = join(dist, name);
    rmSync(cache, { force: true });
    // stdio ignored: the warm-up runs print what runts prints (a spec notice, a usage error...).
    execFileSync(process.execPath, [script, kind, join(dist, bundle), cache], options);
    readFileSync(cache);
    assets[name] = cache;
  }
  return assets;
}

function makeExecutable(koffiNative, nsexec, codeCaches) {
  const seaConfig = join(dist, 'sea-config.json');
  const blob = join(dist, 'runts.blob');
  writeFileSync(
    seaConfig,
    JSON.stringify({
      main: join(top, 'src/cli/sea-main.cjs'),
      output: blob,
      disableExperimentalSEAWarning: true,
      assets: {
        'runts.cjs': join(dist, 'runts.cjs'),
        'runts-init.cjs': join(dist, 'runts-init.cjs'),
        'runts-launch.cjs': join(dist, 'runts-launch.cjs'),
        ...codeCaches,
        'koffi.node': koffiNative,
        nsexec,
      },
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });
  const executable = join(dist, 'runts');
  rmSync(executable, { force: true });
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  return inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), {
    sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  }).then(() => {
    rmSync(blob);
    rmSync(seaConfig);
  });
}

mkdirSync(dist, { recursive: true });
await writeSchemas();
const koffiNative = koffiNativePath();
const nsexec = buildNsexec();
await bundle(koffiNative, nsexec);
await makeExecutable(koffiNative, nsexec, makeCodeCaches());
console.log(`built ${join(dist, 'runts')}`);
