// Build-time substitute for node:assert inside the bundle (see build.mjs): yargs imports
// node:assert only for two internal invariant checks, and loading node:assert costs every runts
// command about 2.5 ms (it pulls in the assertion error's colour support, which sets up stderr).
'use strict';

function fail(message) {
  const error = new Error(message);
  error.code = 'ERR_ASSERTION';
  throw error;
}

module.exports = {
  strictEqual(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(message || `Expected values to be strictly equal: ${String(actual)} !== ${String(expected)}`);
  },
  notStrictEqual(actual, expected, message) {
    if (Object.is(actual, expected)) fail(message || `Expected "actual" to be strictly unequal to: ${String(expected)}`);
  },
};
