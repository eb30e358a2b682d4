// Container ids, with runc's rules: they become directory names under the state root, so
// anything that could name another path (`..`, `a/b`) is refused before a path is built.
import { RuntsError } from '../errors.js';

const ID_PATTERN = /^[A-Za-z0-9_+.-]+$/;

export function isValidContainerId(id: string): boolean {
  return ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

export function checkContainerId(id: string): string {
  if (id === '') throw new RuntsError('invalid container id: it is empty');
  if (!isValidContainerId(id)) {
    throw new RuntsError(
      `invalid container id ${JSON.stringify(id)}: an id is made of letters, digits and _ + . - only, and is not "." or ".."`,
    );
  }
  return id;
}
