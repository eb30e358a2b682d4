import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './json-schemas.js';

const files = generatedFiles();

describe('spec-schemas/', () => {
  it.each(Object.keys(files))('%s is generated from the current zod schemas (run npm run build)', (name) => {
    expect(readFileSync(new URL(`../../spec-schemas/${name}`, import.meta.url), 'utf8')).toBe(files[name]);
  });
});
