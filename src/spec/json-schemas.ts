// The JSON Schemas in spec-schemas/ are generated from the zod schemas, so the types and the
// validation can never disagree. `npm run build` rewrites them; a unit test fails when the
// committed files are stale.
import { z } from 'zod';
import { Config } from './config.js';
import { Features } from './features.js';
import { jsonSchemaOverride } from './primitives.js';
import { State } from './state.js';
import { SPEC_VERSION } from './version.js';

function toJsonSchema(schema: z.ZodType, id: string, title: string): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', override: jsonSchemaOverride });
  return { ...generated, $id: `https://github.com/runts/runts/spec-schemas/${id}`, title };
}

export function jsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    'config.schema.json': toJsonSchema(Config, 'config.schema.json', `OCI runtime-spec ${SPEC_VERSION} config.json (Linux), as runts reads it`),
    'state.schema.json': toJsonSchema(State, 'state.schema.json', `OCI runtime-spec ${SPEC_VERSION} state, as runts prints it`),
    'features.schema.json': toJsonSchema(Features, 'features.schema.json', `OCI runtime-spec ${SPEC_VERSION} features.json`),
  };
}
