// Reading a bundle: config.json parsed, checked against the schema and the spec's rules, and the
// root filesystem found. Every failure says which file, which field and why.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RuntsError } from '../errors.js';
import type { Config } from './config.js';
import { parseJsonFile } from './json.js';
import { readJsonFileText } from './read-json-file.js';
import { checkSemantics } from './semantics.js';
import { validateConfigShape } from './validate.js';

export interface Bundle {
  /** The bundle directory, absolute. */
  dir: string;
  /** The root filesystem, absolute (root.path is relative to the bundle when not absolute). */
  rootfs: string;
  config: Config;
}

export function loadBundle(bundleDir: string): Bundle {
  const dir = resolve(bundleDir);
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readJsonFileText(file);
  } catch (err) {
    throw RuntsError.wrap(`bundle ${dir}: read config.json`, err);
  }
  const config = parseConfig(text, file);
  const rootfs = resolve(dir, config.root!.path);
  let isDirectory = false;
  try {
    isDirectory = statSync(rootfs).isDirectory();
  } catch (err) {
    throw RuntsError.wrap(`${file}: /root/path: rootfs ${rootfs}`, err);
  }
  if (!isDirectory) throw new RuntsError(`${file}: /root/path: rootfs ${rootfs} is not a directory`);
  return { dir, rootfs, config };
}

/** Parses and checks config.json text; `file` names it in errors. */
export function parseConfig(text: string, file: string): Config {
  const config = validateConfigShape(parseJsonFile(text, file), file);
  const [problem] = checkSemantics(config);
  if (problem) throw new RuntsError(`${file}: ${problem.path}: ${problem.message}`);
  return config;
}
