// Validation against spec-schemas/ with ajv's compiled validators (validators.js). Errors name
// the file, the JSON path of the bad field and the rule it broke:
//   /b/config.json: /linux/namespaces/2/type: must be one of pid, network, mount, ...
import type { ErrorObject } from 'ajv';
import { validateConfig, type Validator } from '../../spec-schemas/validators.js';
import { RuntsError } from '../errors.js';
import type { Config } from './config.js';

/** Checks the shape of a parsed config.json; throws one RuntsError naming the first bad field. */
export function validateConfigShape(value: unknown, file: string): Config {
  return checkShape<Config>(validateConfig, value, file);
}

/** Checks `value` with a compiled validator of spec-schemas/; `where` starts the error message. */
export function checkShape<T>(validate: Validator, value: unknown, where: string): T {
  if (validate(value)) return value as T;
  throw new RuntsError(`${where}: ${describeAjvError(pickError(validate.errors ?? []))}`);
}

/**
 * The error to report: the deepest one. An anyOf (used for nullable fields) adds a vague
 * "must match a schema in anyOf" at the parent beside the precise error of each branch.
 */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    if (!best || error.instancePath.length > best.instancePath.length) best = error;
  }
  return best ?? errors[0];
}

function describeAjvError(error: ErrorObject | undefined): string {
  if (!error) return 'invalid';
  const path = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${error.instancePath}/${String(params.missingProperty)}: is required`;
    case 'enum':
      return `${path}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${path}: must be ${article(String(params.type))}`;
    case 'pattern':
      return `${path}: must match ${String(params.pattern)}`;
    default:
      return `${path}: ${error.message ?? error.keyword}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
