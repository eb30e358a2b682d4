import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from './json-schemas.js';

describe('spec-schemas/', () => {
  it.each(Object.keys(jsonSchemas()))('%s is generated from the current zod schemas (run npm run build)', (name) => {
    const committed = JSON.parse(readFileSync(new URL(`../../spec-schemas/${name}`, import.meta.url), 'utf8'));
    expect(committed).toEqual(jsonSchemas()[name]);
  });
});
