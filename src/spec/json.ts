// JSON.parse with errors that say where: `config.json: line 3, column 7: malformed JSON: expected
// ':' after a property name, found '"'`. Where and why come from a syntax scan of our own, run
// only once JSON.parse has failed: the runtime's own message is worded differently by each
// JavaScript engine, and not every one names the position.
import { RuntsError } from '../errors.js';

/**
 * How deep objects and arrays may nest in a file runts reads. The spec's own structures nest a
 * few levels (seccomp's argument rules are the deepest); anything far deeper is a mistake or an
 * attack, and code that walks a value recursively (JSON.stringify, the engine's own) would
 * overflow its stack on it.
 */
export const MAX_JSON_DEPTH = 64;

export function parseJsonFile(text: string, file: string): unknown {
  const tooDeep = offsetTooDeep(text);
  if (tooDeep !== undefined) {
    const { line, column } = lineAndColumn(text, tooDeep);
    throw new RuntsError(`${file}: line ${line}, column ${column}: objects and arrays nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const found = jsonSyntaxError(text);
    const offset = found?.offset ?? 0;
    const { line, column } = lineAndColumn(text, offset);
    throw new RuntsError(`${file}: line ${line}, column ${column}: malformed JSON: ${found?.reason ?? (err as Error).message}`);
  }
}

/** Where `text` opens its object or array number MAX_JSON_DEPTH + 1 inside the others, if it does. */
function offsetTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === 0x5c /* \ */) at++;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (++depth > MAX_JSON_DEPTH) return at;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth--;
    }
  }
  return undefined;
}

/** Where and why `text` is not JSON (RFC 8259), or undefined if it is. */
export function jsonSyntaxError(text: string): { offset: number; reason: string } | undefined {
  try {
    new JsonScanner(text).scan();
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxAt) return { offset: err.offset, reason: err.message };
    throw err;
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

class SyntaxAt extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** What may come next. */
type Expected = 'value' | 'value or ]' | 'property name' | 'property name or }' | ':' | ', or close' | 'end';

/**
 * A scanner that keeps its open objects and arrays on a stack of its own instead of recursing,
 * so that no depth of nesting can exhaust the call stack.
 */
class JsonScanner {
  private at = 0;
  private readonly open: ('{' | '[')[] = [];
  private expected: Expected = 'value';

  constructor(private readonly text: string) {}

  scan(): void {
    for (;;) {
      while (' \t\n\r'.includes(this.text[this.at] ?? '.')) this.at++;
      if (this.at >= this.text.length) {
        if (this.expected === 'end') return;
        throw new SyntaxAt(this.at, 'unexpected end of input');
      }
      this.step(this.text[this.at]!);
    }
  }

  private step(char: string): void {
    switch (this.expected) {
      case 'end':
        throw this.unexpected(char, 'nothing after the value');
      case ':':
        if (char !== ':') throw this.unexpected(char, "':' after a property name");
        this.at++;
        this.expected = 'value';
        return;
      case ', or close': {
        const close = this.open.at(-1) === '{' ? '}' : ']';
        if (char === ',') {
          this.at++;
          this.expected = close === '}' ? 'property name' : 'value';
        } else if (char === close) {
          this.close();
        } else {
          throw this.unexpected(char, `',' or '${close}'`);
        }
        return;
      }
      case 'property name or }':
        return char === '}' ? this.close() : this.propertyName(char);
      case 'property name':
        return this.propertyName(char);
      case 'value or ]':
        return char === ']' ? this.close() : this.value(char);
      case 'value':
        return this.value(char);
    }
  }

  private propertyName(char: string): void {
    if (char !== '"') throw this.unexpected(char, 'a property name in double quotes');
    this.string();
    this.expected = ':';
  }

  private value(char: string): void {
    if (char === '{' || char === '[') {
      this.open.push(char);
      this.at++;
      this.expected = char === '{' ? 'property name or }' : 'value or ]';
      return;
    }
    if (char === '"') this.string();
    else if (char === '-' || isDigit(char)) this.number();
    else if (char === 't') this.literal('true');
    else if (char === 'f') this.literal('false');
    else if (char === 'n') this.literal('null');
    else throw this.unexpected(char, 'a value');
    this.afterValue();
  }

  private close(): void {
    this.open.pop();
    this.at++;
    this.afterValue();
  }

  private afterValue(): void {
    this.expected = this.open.length > 0 ? ', or close' : 'end';
  }

  private string(): void {
    for (this.at++; ; this.at++) {
      const char = this.text[this.at];
      if (char === undefined) throw new SyntaxAt(this.at, 'unexpected end of input in a string');
      if (char === '"') {
        this.at++;
        return;
      }
      if (char < ' ') throw new SyntaxAt(this.at, 'a control character in a string (escape it)');
      if (char === '\\') {
        this.at++;
        const escaped = this.text[this.at];
        if (escaped === 'u') {
          for (let digit = 0; digit < 4; digit++) {
            this.at++;
            if (!/^[0-9a-fA-F]$/.test(this.text[this.at] ?? '')) throw new SyntaxAt(this.at, 'four hexadecimal digits after \\u');
          }
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          throw new SyntaxAt(this.at, `an unknown escape \\${escaped ?? ''} in a string`);
        }
      }
    }
  }

  private number(): void {
    if (this.text[this.at] === '-') this.at++;
    if (this.text[this.at] === '0') this.at++;
    else this.digits('a digit');
    if (this.text[this.at] === '.') {
      this.at++;
      this.digits("a digit after '.'");
    }
    if (this.text[this.at] === 'e' || this.text[this.at] === 'E') {
      this.at++;
      if (this.text[this.at] === '+' || this.text[this.at] === '-') this.at++;
      this.digits('a digit in the exponent');
    }
  }

  private digits(what: string): void {
    if (!isDigit(this.text[this.at])) throw this.unexpected(this.text[this.at], what);
    while (isDigit(this.text[this.at])) this.at++;
  }

  private literal(word: string): void {
    for (const char of word) {
      if (this.text[this.at] !== char) throw this.unexpected(this.text[this.at], `${JSON.stringify(word)}`);
      this.at++;
    }
  }

  private unexpected(char: string | undefined, expected: string): SyntaxAt {
    const found = char === undefined ? 'the end of input' : JSON.stringify(char);
    return new SyntaxAt(this.at, `expected ${expected}, found ${found}`);
  }
}

const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
