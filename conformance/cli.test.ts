// The command line as users and engines meet it: dist/runts run as a separate process.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import featuresSchema from '../spec-schemas/features.schema.json';
import stateSchema from '../spec-schemas/state.schema.json';
import { StateStore } from '../src/container/state-store.js';
import { readProcStat } from '../src/container/process-info.js';
import { defaultConfig } from '../src/spec/defaults.js';
import { RUNTS, runts } from './helpers/runts.js';

let work: string;
let root: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'runts-cli-'));
  root = join(work, 'state');
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const ajv = new Ajv({ strict: false });

const COMMANDS = ['create', 'start', 'run', 'exec', 'state', 'kill', 'delete', 'list', 'ps', 'pause', 'resume', 'update', 'events', 'spec', 'features', 'validate'];

describe('the executable', () => {
  it('reads no configuration from its working directory (.env, bunfig.toml)', () => {
    // A root process is often started in a directory others can write (a bundle, a user's
    // home): Bun's compiled executables read .env and bunfig.toml there unless built not to.
    const probe = join(work, 'probe');
    writeFileSync(join(work, '.env'), 'RUNTS_PROBE=1\n');
    writeFileSync(join(work, 'preload.js'), `require('node:fs').writeFileSync(${JSON.stringify(probe)}, 'loaded');\n`);
    writeFileSync(join(work, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
    const bundle = join(work, 'bundle');
    execFileSync('bash', [resolve(import.meta.dirname, 'make-bundle.sh'), bundle, 'true'], { stdio: 'ignore' });
    const trace = join(work, 'trace');
    const result = spawnSync('strace', ['-f', '-e', 'trace=openat,open,stat,statx,newfstatat,access', '-o', trace, RUNTS, '--root', root, 'run', '--bundle', bundle, `cwd-${process.pid}`], { cwd: work, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const configReads = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => /"[^"]*(\.env[^"/]*|bunfig\.toml)"/.test(line));
    expect(configReads).toEqual([]);
    expect(existsSync(probe)).toBe(false);
  });

  it('does not read the certificates NODE_EXTRA_CA_CERTS names (a Node executable reads them at every start)', () => {
    const certificates = join(work, 'extra-ca.pem');
    writeFileSync(certificates, '');
    const trace = join(work, 'trace');
    const result = spawnSync('strace', ['-f', '-e', 'trace=openat,open,stat,statx,newfstatat', '-o', trace, RUNTS, '--root', root, 'list'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: certificates },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes(certificates))).toEqual([]);
  });

  it('runs a container from an empty native-file directory, writing the private copies it loads', () => {
    // Any machine that ran runts before holds those copies in /run/runts.native: this run gets
    // an empty /run of its own, in a mount namespace of its own, as a new machine has.
    const bundle = join(work, 'bundle');
    execFileSync('bash', [resolve(import.meta.dirname, 'make-bundle.sh'), bundle, 'true'], { stdio: 'ignore' });
    const script = 'mount -t tmpfs tmpfs /run && "$0" --root "$1" run --bundle "$2" "$3" && find /run/runts.native -printf "%M %u %p\\n"';
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, RUNTS, root, bundle, `fresh-${process.pid}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.status, result.stderr).toBe(0);
    const entries = result.stdout.trim().split('\n');
    expect(entries[0]).toBe('drwx------ root /run/runts.native');
    expect(entries.some((line) => /^-r-x------ root \/run\/runts.native\/.+\/koffi\.node$/.test(line))).toBe(true);
    expect(entries.every((line) => !/^\S{5}w|^\S{8}w/.test(line))).toBe(true);
  });
});

describe('koffi\'s native module', () => {
  it('is verified once per create: init loads the copy runts verified, from the descriptor runts hands down', () => {
    const bundle = join(work, 'bundle');
    execFileSync('bash', [resolve(import.meta.dirname, 'make-bundle.sh'), bundle, 'true'], { stdio: 'ignore' });
    const trace = join(work, 'trace');
    const result = spawnSync('strace', ['-f', '-e', 'trace=openat', '-o', trace, RUNTS, '--root', root, 'run', '--bundle', bundle, `koffi-${process.pid}`], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    // The CLI's open of its private copy, and none of init's.
    const opens = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => line.includes('/koffi.node"'));
    expect(opens).toHaveLength(1);
  });
});

describe('runts --help and --version', () => {
  it('lists the commands that exist, and no others', () => {
    const { code, stdout } = runts(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`runts ${command}\\b`));
    for (const missing of ['checkpoint', 'restore']) expect(stdout).not.toMatch(new RegExp(`runts ${missing}\\b`));
  });

  it.each(COMMANDS)('has help for %s', (command) => {
    const { code, stdout } = runts([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`runts ${command}`);
    expect(stdout).toContain('--root');
  });

  it('prints its version, the spec version and the native parts', () => {
    const { code, stdout } = runts(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^runts version \d+\.\d+\.\d+\ncommit: \S+\nspec: 1\.3\.0\nbun: \d+\.\d+\.\d+\n/);
    expect(stdout).toMatch(/\nkoffi: \d+\.\d+\.\d+\n/);
    expect(stdout).toMatch(/\nlibseccomp: (\d+\.\d+\.\d+|not found)\n$/);
  });

  it('works as one file copied anywhere: koffi comes from inside the executable', () => {
    const copy = join(work, 'bin', 'runts');
    mkdirSync(join(work, 'bin'));
    copyFileSync(RUNTS, copy);
    const result = spawnSync(copy, ['--version'], { cwd: '/', env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/\nkoffi: \d+\.\d+\.\d+\n/);
    expect(result.status).toBe(0);
  });

  it('refuses an unknown command with runc\'s exit status 3', () => {
    const { code, stderr } = runts(['--root', root, 'frobnicate']);
    expect(code).toBe(3);
    expect(stderr).toContain('unknown command \\"frobnicate\\"');
  });

  it('refuses unknown flags and stray arguments with status 1, pointing at the help', () => {
    for (const args of [['--frobnicate', 'list'], ['list', 'extra'], ['state']]) {
      const { code, stderr } = runts(args);
      expect(code).toBe(1);
      expect(stderr).toMatch(/see runts (list|state) --help/);
    }
  });

  it('takes runc\'s `help [command]`', () => {
    expect(runts(['help']).stdout).toContain('runts state <id>');
    expect(runts(['help', 'list']).stdout).toContain('--format');
  });

  it('refuses an unknown log format before doing anything', () => {
    const { code, stderr } = runts(['--log-format', 'xml', 'list']);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid log-format: xml');
  });
});

describe('runts spec', () => {
  it('writes the starter config.json into the bundle, and it validates', () => {
    mkdirSync(join(work, 'rootfs'));
    expect(runts(['spec'], { cwd: work }).code).toBe(0);
    const written = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(defaultConfig())));
    const check = runts(['validate', '--bundle', work]);
    expect(check.stdout).toContain('valid');
    expect(check.code).toBe(0);
  });

  it('writes the rootless variant with --rootless into --bundle', () => {
    expect(runts(['spec', '--rootless', '--bundle', work]).code).toBe(0);
    const written = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8'));
    expect(written.linux.namespaces.map((n: { type: string }) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount', 'user']);
  });

  it('refuses to overwrite an existing config.json and leaves it untouched', () => {
    writeFileSync(join(work, 'config.json'), 'mine');
    const { code, stderr } = runts(['spec', '-b', work]);
    expect(code).toBe(1);
    expect(stderr).toContain(`File ${join(work, 'config.json')} exists. Remove it first`);
    expect(readFileSync(join(work, 'config.json'), 'utf8')).toBe('mine');
  });
});

describe('runts features', () => {
  it('prints features.json that matches its schema and claims nothing unimplemented', () => {
    const { code, stdout } = runts(['features']);
    expect(code).toBe(0);
    const features = JSON.parse(stdout);
    expect(ajv.validate(featuresSchema, features), JSON.stringify(ajv.errors)).toBe(true);
    expect(features.ociVersionMin).toBe('1.0.0');
    expect(features.ociVersionMax).toBe('1.3.0');
    // What is claimed is what the conformance tests exercise; what is not there is not claimed.
    expect(features.hooks).toEqual(['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']);
    expect(features.linux.namespaces).toEqual(['pid', 'network', 'mount', 'ipc', 'uts', 'cgroup', 'time']);
    expect(features.mountOptions).toEqual(expect.arrayContaining(['rbind', 'ro', 'nosuid', 'rro', 'rslave', 'strictatime']));
    expect(features.linux.capabilities).toContain('CAP_SYS_ADMIN');
    expect(features.linux.cgroup).toMatchObject({ v1: true, v2: true, systemd: false });
    expect(features.linux.seccomp).toMatchObject({ enabled: true, supportedFlags: ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'] });
    expect(features.linux.seccomp.actions).not.toContain('SCMP_ACT_NOTIFY');
  });
});

describe('runts validate (config.json as create will read it)', () => {
  const bundleWith = (config: string) => {
    mkdirSync(join(work, 'rootfs'), { recursive: true });
    writeFileSync(join(work, 'config.json'), config);
    return runts(['validate', '--bundle', work]);
  };

  it('names line and column of malformed JSON', () => {
    const { code, stderr } = bundleWith('{\n  "ociVersion": "1.3.0",\n  "root": {"path": "rootfs"}\n  "process": {}\n}');
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(work, 'config.json')}: line 4, column 3: malformed JSON`);
  });

  it('names the JSON path and the rule of an invalid field', () => {
    const config = defaultConfig();
    config.linux!.namespaces![2] = { type: 'ipcs' as 'ipc' };
    const { code, stderr } = bundleWith(JSON.stringify(config));
    expect(code).toBe(1);
    expect(stderr).toContain('/linux/namespaces/2/type: must be one of pid, network, mount, ipc, uts, user, cgroup, time');
  });

  it('reports errors as JSON log lines with --log-format json --log FILE', () => {
    const log = join(work, 'log.json');
    mkdirSync(join(work, 'rootfs'), { recursive: true });
    writeFileSync(join(work, 'config.json'), '{"ociVersion": "1.3.0"}');
    const { code } = runts(['--log-format', 'json', '--log', log, 'validate', '--bundle', work]);
    expect(code).toBe(1);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: expect.stringContaining('/root: is required on Linux') });
    expect(lines.at(-1).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('says when the rootfs is missing', () => {
    writeFileSync(join(work, 'config.json'), JSON.stringify(defaultConfig()));
    const { code, stderr } = runts(['validate', '--bundle', work]);
    expect(code).toBe(1);
    expect(stderr).toContain(`/root/path: rootfs ${join(work, 'rootfs')}: no such file or directory (ENOENT)`);
  });

  it('says when there is no config.json', () => {
    const { code, stderr } = runts(['validate', '--bundle', work]);
    expect(code).toBe(1);
    expect(stderr).toContain(`bundle ${work}: read config.json: no such file or directory (ENOENT)`);
  });
});

describe('runts state and list', () => {
  const store = () => new StateStore(root);
  const add = async (id: string, pid: number, startTime: number | undefined) =>
    await store().create(
      {
        ociVersion: '1.3.0',
        id,
        status: 'running',
        pid,
        initStartTime: startTime,
        bundle: `/bundles/${id}`,
        rootfs: `/bundles/${id}/rootfs`,
        created: '2026-11-23T20:00:00.000Z',
        annotations: { owner: 'test' },
      },
      () => undefined,
    );

  it('says clearly that an unknown container does not exist, and creates nothing', () => {
    for (const args of [['state', 'nope'], ['--log-format', 'json', 'state', 'nope']]) {
      const { code, stdout, stderr } = runts(['--root', root, ...args]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('container \\"nope\\" does not exist');
    }
    expect(readdirSync(work)).toEqual([]);
  });

  it.each(['../x', 'a/b', '..', ''])('refuses the id %j', (id) => {
    const { code, stderr } = runts(['--root', root, 'state', id]);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid container id');
  });

  it('prints the OCI state with the status derived from the process', async () => {
    const self = readProcStat(process.pid)!;
    await add('alive', process.pid, self.startTime);
    await add('reused', process.pid, self.startTime + 1);
    const alive = JSON.parse(runts(['--root', root, 'state', 'alive']).stdout);
    expect(ajv.validate(stateSchema, alive), JSON.stringify(ajv.errors)).toBe(true);
    expect(alive).toEqual({
      ociVersion: '1.3.0',
      id: 'alive',
      pid: process.pid,
      status: 'running',
      bundle: '/bundles/alive',
      rootfs: '/bundles/alive/rootfs',
      created: '2026-11-23T20:00:00.000Z',
      owner: '',
      annotations: { owner: 'test' },
    });
    // Same pid, other start time: the init is gone and the pid belongs to someone else.
    const reused = JSON.parse(runts(['--root', root, 'state', 'reused']).stdout);
    expect(reused).toMatchObject({ status: 'stopped', pid: 0 });
  });

  it('lists containers as runc does: table, json and -q', async () => {
    const self = readProcStat(process.pid)!;
    await add('web', process.pid, self.startTime);
    await add('db', 2 ** 22 + 7, undefined);
    const table = runts(['--root', root, 'list']).stdout.split('\n');
    // Go's tabwriter: each column as wide as its widest cell plus 3, at least 12.
    expect(table[0]).toBe('ID          PID         STATUS      BUNDLE         CREATED                    OWNER');
    expect(table[1]).toBe('db          0           stopped     /bundles/db    2026-11-23T20:00:00.000Z   root');
    expect(table[2]).toBe(`web         ${String(process.pid).padEnd(12)}running     /bundles/web   2026-11-23T20:00:00.000Z   root`);
    const json = JSON.parse(runts(['--root', root, 'list', '--format', 'json']).stdout);
    expect(json.map((s: { id: string; status: string }) => `${s.id} ${s.status}`)).toEqual(['db stopped', 'web running']);
    expect(runts(['--root', root, 'list', '-q']).stdout).toBe('db\nweb\n');
  });

  it('lists an empty or missing root as runc does', () => {
    expect(runts(['--root', root, 'list']).stdout).toBe('ID          PID         STATUS      BUNDLE      CREATED     OWNER\n');
    expect(runts(['--root', root, 'list', '--format', 'json']).stdout).toBe('null\n');
    expect(runts(['--root', root, 'list', '-q']).stdout).toBe('');
  });
});
