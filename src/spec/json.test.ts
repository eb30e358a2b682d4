import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, MAX_JSON_DEPTH, parseJsonFile } from './json.js';

const VALID = ['{}', '[]', ' {"a": [1, -0.5e+3, 2E-2, true, false, null, "x\\u00e9\\n\\"", {}]} ', '"s"', '0', '-12', '[[[]]]', '{"a":{"b":[{}]}}'];
const INVALID: [string, number, RegExp][] = [
  ['', 0, /end of input/],
  ['{', 1, /end of input/],
  ['{"a" 1}', 5, /expected ':'/],
  ['{"a": 1,}', 8, /property name/],
  ['[1,]', 3, /expected a value/],
  ['[1 2]', 3, /expected ',' or ']'/],
  ['{"a": tru}', 9, /"true"/],
  ['01', 1, /nothing after the value/],
  ['-', 1, /a digit/],
  ['1.', 2, /after '.'/],
  ['1e', 2, /exponent/],
  ['"a\tb"', 2, /control character/],
  ['"\\x"', 2, /unknown escape/],
  ['"\\u12g4"', 5, /hexadecimal/],
  ['"abc', 4, /end of input in a string/],
  ["{'a': 1}", 1, /double quotes/],
  ['{} {}', 3, /nothing after the value/],
];

describe('jsonSyntaxError', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of VALID) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxError(text), text).toBeUndefined();
    }
  });

  it('finds where and why JSON.parse refuses', () => {
    for (const [text, offset, reason] of INVALID) {
      expect(() => JSON.parse(text)).toThrow();
      const found = jsonSyntaxError(text);
      expect(found?.offset, text).toBe(offset);
      expect(found?.reason, text).toMatch(reason);
    }
  });

  it('scans any depth of nesting without recursion', () => {
    const depth = 200_000;
    expect(jsonSyntaxError('['.repeat(depth) + ']'.repeat(depth))).toBeUndefined();
    expect(jsonSyntaxError('['.repeat(depth) + ']'.repeat(depth - 1))).toEqual({ offset: 2 * depth - 1, reason: 'unexpected end of input' });
  });
});

describe('parseJsonFile', () => {
  it('names the file, line and column, and why', () => {
    expect(() => parseJsonFile('{\n  "a": 1,\n  "b" 2\n}', '/b/config.json')).toThrow("/b/config.json: line 3, column 7: malformed JSON: expected ':' after a property name, found \"2\"");
  });
});

describe('parseJsonFile and nesting', () => {
  it('refuses objects and arrays nested deeper than the bound, naming where', () => {
    const deep = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(() => parseJsonFile(deep, 'config.json')).toThrow('config.json: line 1, column 70: objects and arrays nested deeper than 64 levels');
    const atBound = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseJsonFile(atBound, 'config.json')).toBeInstanceOf(Array);
  });

  it('counts no bracket inside a string', () => {
    expect(parseJsonFile(`{"a": "${'['.repeat(1000)}\\"{"}`, 'config.json')).toEqual({ a: `${'['.repeat(1000)}"{` });
  });
});
