// config.md hooks: each stage at its moment, in its namespace, with the state on stdin, its own
// args and env; failures fail the operation (poststart and poststop only warn); timeouts kill.
import { chmodSync, existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config, Hook } from '../src/spec/config.js';
import { mkdirp, useTestHost } from './helpers/bundle.js';
import { processesWith } from './helpers/processes.js';
import { sleepSync } from '../src/sleep.js';

const host = useTestHost();

/** A host hook that appends "<stage> <uts namespace> <argv0 and args> <env> <stdin>" to log. */
function recordingHook(stage: string): Hook {
  const script = join(host.work, 'record-hook.sh');
  if (!existsSync(script)) {
    writeFileSync(script, '#!/bin/sh\nstdin=$(cat)\necho "$1 $(readlink /proc/self/ns/uts) $0 $2 [$HOOK_ENV$CALLER_ENV] $stdin" >> "$(dirname "$0")/hooks.log"\n');
    chmodSync(script, 0o755);
  }
  return { path: script, args: [script, stage, 'extra-arg'], env: ['HOOK_ENV=set'] };
}

const logLines = () => {
  const file = join(host.work, 'hooks.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
};

const failingHook = (message: string): Hook => ({ path: '/bin/sh', args: ['sh', '-c', `echo ${message} >&2; exit 7`] });

describe('hooks', () => {
  it('runs every stage at its moment and in its namespace, with the state on stdin', () => {
    const shared = mkdirp(join(host.work, 'shared'));
    const bundle = host.bundle(['sleep', '30'], (config: Config) => {
      config.mounts!.push({ destination: '/shared', type: 'bind', source: shared, options: ['bind'] });
      config.hooks = {
        prestart: [recordingHook('prestart')],
        createRuntime: [recordingHook('createRuntime')],
        createContainer: [recordingHook('createContainer')],
        // Resolved and run inside the container: the rootfs's busybox sh.
        startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'cat > /shared/startContainer.json'] }],
        poststart: [recordingHook('poststart')],
        poststop: [recordingHook('poststop')],
      };
    });
    // CALLER_ENV is in runts's environment; a hook gets only its own env.
    expect(host.runts(['create', '--bundle', bundle, 'hooked'], { env: { CALLER_ENV: 'leaked' } }).code).toBe(0);
    const pid = JSON.parse(host.runts(['state', 'hooked']).stdout).pid;
    const containerUts = readlinkSync(`/proc/${pid}/ns/uts`);
    const hostUts = readlinkSync('/proc/self/ns/uts');

    const created = logLines();
    expect(created.map((line) => line.split(' ')[0])).toEqual(['prestart', 'createRuntime', 'createContainer']);
    expect(created[0]!.split(' ')[1]).toBe(hostUts);
    expect(created[1]!.split(' ')[1]).toBe(hostUts);
    expect(created[2]!.split(' ')[1]).toBe(containerUts);
    // argv0 and args as given, env exactly as given.
    expect(created[0]).toContain(`${join(host.work, 'record-hook.sh')} extra-arg [set] `);
    const state = JSON.parse(created[0]!.slice(created[0]!.indexOf('{')));
    expect(state).toMatchObject({ ociVersion: '1.3.0', id: 'hooked', status: 'creating', pid, bundle });

    expect(host.runts(['start', 'hooked']).code).toBe(0);
    expect(JSON.parse(readFileSync(join(shared, 'startContainer.json'), 'utf8'))).toMatchObject({ id: 'hooked', status: 'created', pid });
    expect(logLines().at(-1)).toMatch(/^poststart /);
    expect(JSON.parse(logLines().at(-1)!.replace(/^[^{]*/, ''))).toMatchObject({ status: 'running', pid });

    expect(host.runts(['delete', '--force', 'hooked']).code).toBe(0);
    expect(logLines().at(-1)).toMatch(/^poststop /);
    expect(JSON.parse(logLines().at(-1)!.replace(/^[^{]*/, ''))).toMatchObject({ id: 'hooked', status: 'stopped' });
  });

  it.each(['prestart', 'createRuntime', 'createContainer'] as const)('fails create when a %s hook fails, leaving nothing behind', (stage) => {
    const id = `hookfail-${stage}-${process.pid}`;
    const bundle = host.bundle(['true'], (config) => (config.hooks = { [stage]: [failingHook('no-good')] }));
    const result = host.runts(['create', '--bundle', bundle, id]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${stage} hook #0 (/bin/sh) failed with exit status 7: no-good`);
    expect(host.containers()).toEqual([]);
    expect(processesWith(`\0init\0${id}`)).toEqual([]);
  });

  it('runs createContainer and startContainer hooks in the container\'s root, so a relative path stays inside it', () => {
    const shared = mkdirp(join(host.work, 'shared'));
    const bundle = host.bundle(['true'], (config: Config) => {
      config.root!.readonly = false;
      config.mounts!.push({ destination: '/shared', type: 'bind', source: shared, options: ['bind'] });
      config.hooks = {
        createContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'pwd > runts-hook-create-cwd'] }],
        startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'pwd > shared/start-cwd'] }],
      };
    });
    const rootfs = join(bundle, 'rootfs');
    expect(host.runts(['create', '--bundle', bundle, 'cwd']).code).toBe(0);
    expect(readFileSync(join(rootfs, 'runts-hook-create-cwd'), 'utf8').trim()).toBe(rootfs);
    expect(existsSync('/runts-hook-create-cwd')).toBe(false);
    expect(host.runts(['start', 'cwd']).code).toBe(0);
    expect(readFileSync(join(shared, 'start-cwd'), 'utf8').trim()).toBe('/');
    expect(host.runts(['delete', '--force', 'cwd']).code).toBe(0);
  });

  it('kills a hook that outlives its timeout and fails create', () => {
    const bundle = host.bundle(['true'], (config) => (config.hooks = { createRuntime: [{ path: '/bin/sleep', args: ['sleep', '30'], timeout: 1 }] }));
    const started = Date.now();
    const result = host.runts(['create', '--bundle', bundle, 'slow']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('createRuntime hook #0 (/bin/sleep) timed out after 1 s');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(host.containers()).toEqual([]);
  });

  it('fails start when a startContainer hook fails, and the container stops', () => {
    const bundle = host.bundle(['sleep', '30'], (config) => (config.hooks = { startContainer: [failingHook('refused')] }));
    expect(host.runts(['create', '--bundle', bundle, 'sc']).code).toBe(0);
    const result = host.runts(['start', 'sc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('startContainer hook #0 (/bin/sh) failed with exit status 7: refused');
    for (let i = 0; i < 200 && JSON.parse(host.runts(['state', 'sc']).stdout).status !== 'stopped'; i++) {
      sleepSync(10);
    }
    expect(JSON.parse(host.runts(['state', 'sc']).stdout).status).toBe('stopped');
    expect(host.runts(['delete', 'sc']).code).toBe(0);
  });

  it('gives poststart hooks the state of the started container, also when its program has already exited', () => {
    const state = join(host.work, 'poststart.json');
    const bundle = host.bundle(['true'], (config) => (config.hooks = { poststart: [{ path: '/bin/sh', args: ['sh', '-c', `sleep 0.2; cat > ${state}`] }] }));
    expect(host.runts(['create', '--bundle', bundle, 'quick']).code).toBe(0);
    const pid = JSON.parse(host.runts(['state', 'quick']).stdout).pid;
    expect(host.runts(['start', 'quick']).code).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ id: 'quick', status: 'running', pid });
    expect(host.runts(['delete', '--force', 'quick']).code).toBe(0);
  });

  it('only warns when poststart or poststop hooks fail', () => {
    const bundle = host.bundle(['sleep', '30'], (config) => (config.hooks = { poststart: [failingHook('late')], poststop: [failingHook('after')] }));
    host.runts(['create', '--bundle', bundle, 'warn']);
    const started = host.runts(['start', 'warn']);
    expect(started.code).toBe(0);
    expect(started.stderr).toMatch(/level=warning msg="poststart hook #0 \(\/bin\/sh\) failed with exit status 7: late"/);
    const deleted = host.runts(['delete', '--force', 'warn']);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toMatch(/level=warning msg="poststop hook #0 \(\/bin\/sh\) failed with exit status 7: after"/);
  });
});
