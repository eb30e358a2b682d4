// Config fuzzing: mutations of a valid config.json (wrong types, missing fields, huge and
// negative numbers, NUL bytes, long strings, unknown fields, deep nesting, invalid UTF-8), each
// given to `runts create`. Each must end in one clear line of error, or in a container that
// really is created; never a JavaScript error's name or stack, and nothing left either way.
// The mutations come from a seeded generator: a failure names the seed and the mutation, and
// the same run can be made again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/spec/config.js';
import { useTestHost } from './helpers/bundle.js';
import { processesWith } from './helpers/processes.js';

const host = useTestHost();
const SEED = Number(process.env.RUNTS_FUZZ_SEED ?? 20261204);
const MUTATIONS = Number(process.env.RUNTS_FUZZ_MUTATIONS ?? 300);

/** A small deterministic generator (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = (string | number)[];

/** Every path to a value in `value`, the root included. */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...path, index])));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
  return paths;
}

const REPLACEMENTS: [string, () => unknown][] = [
  ['a string', () => 'x'],
  ['an empty string', () => ''],
  ['a NUL byte', () => 'a\u0000b'],
  ['a long string', () => 'y'.repeat(100_000)],
  ['zero', () => 0],
  ['-1', () => -1],
  ['a huge number', () => 1e308],
  ['2^64', () => 18446744073709551616],
  ['-2^63', () => -9223372036854775808],
  ['a fraction', () => 0.5],
  ['true', () => true],
  ['null', () => null],
  ['an empty object', () => ({})],
  ['an empty array', () => []],
  ['an array of a string', () => ['z']],
  ['deep nesting', () => JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`)],
];

/** One mutation of `config`, described; `text` is set when the mutation is of the file's bytes. */
function mutate(config: Config, random: () => number): { what: string; config?: Config; bytes?: Buffer } {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  const paths = pathsOf(copy).filter((path) => path.length > 0);
  const path = paths[Math.floor(random() * paths.length)]!;
  const parent = path.slice(0, -1).reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const where = `/${path.join('/')}`;
  const choice = random();
  if (choice < 0.1) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return { what: `${where} removed`, config: copy as unknown as Config };
  }
  if (choice < 0.18 && parent[key] && typeof parent[key] === 'object' && !Array.isArray(parent[key])) {
    (parent[key] as Record<string, unknown>)[`x-unknown-${Math.floor(random() * 1000)}`] = random() < 0.5 ? 1 : { nested: [1] };
    return { what: `${where} given an unknown field`, config: copy as unknown as Config };
  }
  if (choice < 0.25 && typeof parent[key] === 'string') {
    // A string's bytes replaced by invalid UTF-8.
    const marker = `RUNTS-FUZZ-${Math.floor(random() * 1e9)}`;
    parent[key] = marker;
    const text = JSON.stringify(copy);
    return { what: `${where} made invalid UTF-8`, bytes: Buffer.concat(text.split(marker).flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(part)]))) };
  }
  const [name, make] = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)]!;
  parent[key] = make();
  return { what: `${where} set to ${name}`, config: copy as unknown as Config };
}

describe('config fuzzing', () => {
  it(`ends every mutation in one clear error or a created container, leaving nothing (seed ${SEED})`, { timeout: 600_000 }, () => {
    const random = generator(SEED);
    const bundle = host.bundle(['true']);
    const file = join(bundle, 'config.json');
    const valid = JSON.parse(readFileSync(file, 'utf8')) as Config;
    let created = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const mutation = mutate(valid, random);
      writeFileSync(file, mutation.bytes ?? JSON.stringify(mutation.config));
      const id = `fuzz-${process.pid}-${i}`;
      const result = host.runts(['create', '--bundle', bundle, id]);
      const context = `mutation ${i} (seed ${SEED}): ${mutation.what}: exit ${result.code}: ${result.stderr.slice(0, 500)}`;
      // Each line bounded (errors.ts boundedMessage), even with a 100,000-character value.
      expect(Math.max(...result.stderr.split('\n').map((line) => line.length)), context).toBeLessThan(5000);
      expect(result.stderr, context).not.toMatch(/\b(TypeError|RangeError|ReferenceError|InternalError|Maximum call stack)\b|^\s+at /m);
      if (result.code === 0) {
        created++;
        expect(JSON.parse(host.runts(['state', id]).stdout).status, context).toBe('created');
        expect(host.runts(['delete', '--force', id]).code, context).toBe(0);
      } else {
        expect(result.code, context).toBe(1);
        // One error; a warning before it (an unknown capability left out) is fine.
        const lines = result.stderr.trim().split('\n');
        expect(lines.filter((line) => line.includes('level=error msg=')), context).toHaveLength(1);
        expect(lines.filter((line) => !line.includes('level=error msg=') && !line.includes('level=warning msg=')), context).toEqual([]);
      }
      expect(host.containers(), context).toEqual([]);
      expect(processesWith(`\0init\0${id}`), context).toEqual([]);
    }
    // Both ends are reached: the mutations are neither all refused nor all harmless.
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(MUTATIONS);
  });
});
