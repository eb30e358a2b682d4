// JSON.parse with errors that say where: `config.json: line 3, column 7: Expected ',' ...`.
import { RuntsError } from '../errors.js';

export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const offset = errorOffset(text, message);
    const { line, column } = lineAndColumn(text, offset);
    throw new RuntsError(`${file}: line ${line}, column ${column}: malformed JSON: ${message}`);
  }
}

/**
 * The offset of a JSON syntax error. V8 names the position in most messages but not all
 * ("Unexpected token '}', ... is not valid JSON"); then the error is found as the shortest
 * prefix that fails for a reason other than ending too soon.
 */
function errorOffset(text: string, message: string): number {
  const named = / at position (\d+)/.exec(message);
  if (named) return Number(named[1]);
  if (message.includes('Unexpected end of JSON input')) return text.length;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = (good + bad) >> 1;
    if (failsOnlyByEnding(text.slice(0, middle))) good = middle;
    else bad = middle;
  }
  return bad - 1;
}

function failsOnlyByEnding(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (err) {
    const message = (err as Error).message;
    const named = / at position (\d+)/.exec(message);
    return message.includes('Unexpected end of JSON input') || (named !== null && Number(named[1]) >= prefix.length);
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
