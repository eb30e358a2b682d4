import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, rootlessConfig } from './defaults.js';
import { parseConfig } from './load.js';
import { SPEC_VERSION } from './version.js';

function hasRunc(): boolean {
  try {
    execFileSync('runc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What `runc spec [--rootless]` writes, with ociVersion set to ours (the one field that differs). */
function runcSpec(rootless: boolean): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'runts-runc-spec-'));
  try {
    execFileSync('runc', ['spec', '--bundle', dir, ...(rootless ? ['--rootless'] : [])]);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    return { ...config, ociVersion: SPEC_VERSION };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Key order matters for "key for key": compare the serialised text, not just deep equality. */
const text = (value: unknown) => JSON.stringify(value, null, '\t');

describe('the starter config', () => {
  it('is valid', () => {
    expect(() => parseConfig(text(defaultConfig()), 'config.json')).not.toThrow();
    expect(() => parseConfig(text(rootlessConfig(1000, 1000)), 'config.json')).not.toThrow();
  });

  it.runIf(hasRunc())('is what runc spec writes, key for key', () => {
    expect(text(defaultConfig())).toBe(text(runcSpec(false)));
  });

  it.runIf(hasRunc())('is what runc spec --rootless writes, key for key (as root)', () => {
    expect(text(rootlessConfig(process.geteuid!(), process.getegid!()))).toBe(text(runcSpec(true)));
  });
});
