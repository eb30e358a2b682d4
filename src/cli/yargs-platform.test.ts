import y18n from 'y18n';
import { describe, expect, it } from 'vitest';
import platform from './yargs-platform.js';

// yargs's own layer runs y18n over a locale directory the bundle does not carry: with no file
// to read, y18n formats the text as given. runts's layer must say exactly the same.
const y18nWithoutFiles = y18n({ directory: '/nonexistent/runts-locales', updateFiles: false }) as {
  __: (...args: unknown[]) => string;
  __n: (...args: unknown[]) => string;
};

describe("yargs's messages on runts's platform layer", () => {
  it.each([
    ['Options:'],
    ['Did you mean %s?', 'state'],
    ['Arguments %s and %s are mutually exclusive', 'a', 'b'],
    ['Argument: %s, Given: %s, Choices: %s', 'format', '"yaml"', '"table", "json"'],
    ['100% %s', 'done'],
  ])('formats %j as y18n does', (...args) => {
    expect(platform.y18n.__(...(args as [string, ...unknown[]]))).toBe(y18nWithoutFiles.__(...args));
  });

  it.each([
    ['Unknown argument: %s', 'Unknown arguments: %s', 1, 'bogus'],
    ['Unknown argument: %s', 'Unknown arguments: %s', 2, 'a, b'],
    ['Not enough non-option arguments: got %s, need at least %s', 'Not enough non-option arguments: got %s, need at least %s', 0, '0', '1'],
    ['%d file', '%d files', 1],
    ['%d file', '%d files', 3],
  ])('picks and formats the plural of %j as y18n does', (...args) => {
    const [singular, plural, quantity, ...values] = args as [string, string, number, ...unknown[]];
    expect(platform.y18n.__n(singular, plural, quantity, ...values)).toBe(y18nWithoutFiles.__n(...args));
  });

  it('lays help out for 80 columns unless yargs is given a width', () => {
    // Wrapped here, so that the width shows in the text (runts's help is not wrapped).
    const layout = (width: number | null) => {
      const ui = platform.cliui({ width, wrap: true }) as { div: (...columns: unknown[]) => void; toString: () => string };
      ui.div({ text: '--bundle, -b', width: 20 }, { text: 'path to the root of the bundle directory, the one that holds config.json and the rootfs' });
      return ui.toString();
    };
    expect(layout(null)).toBe(layout(80));
    expect(layout(40)).not.toBe(layout(80));
  });
});
