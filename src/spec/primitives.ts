// Building blocks shared by the config, state and features schemas.
//
// The OCI schemas use fixed-width integers (uint32, int64, uint64...). JSON numbers are doubles,
// so values above 2^53 (RLIM_INFINITY = 2^64-1, a memory limit of 2^63-1) arrive rounded; zod's
// own int() refuses them as unsafe, but they are legal in config.json. These helpers accept any
// integral number within the type's range and mark the schema so that the generated JSON Schema
// says `"type": "integer"` (see jsonSchemaOverride).
import { z } from 'zod';

const INTEGER_MARK = 'x-runts-integer';

function integer(min: number, max: number) {
  return z
    .number()
    .min(min)
    .max(max)
    .refine(Number.isInteger, { message: 'must be an integer' })
    .meta({ [INTEGER_MARK]: true });
}

export const int32 = () => integer(-(2 ** 31), 2 ** 31 - 1);
export const uint32 = () => integer(0, 2 ** 32 - 1);
export const int64 = () => integer(-(2 ** 63), 2 ** 63);
export const uint64 = () => integer(0, 2 ** 64);
export const uint16 = () => integer(0, 2 ** 16 - 1);
export const ranged = (min: number, max: number) => integer(min, max);

export const stringMap = () => z.record(z.string(), z.string());
export const stringArray = () => z.array(z.string());

/** Passed to z.toJSONSchema: turns the integer mark into JSON Schema's integer type. */
export function jsonSchemaOverride(ctx: { jsonSchema: Record<string, unknown> }): void {
  if (ctx.jsonSchema[INTEGER_MARK]) {
    ctx.jsonSchema.type = 'integer';
    delete ctx.jsonSchema[INTEGER_MARK];
  }
}
