// runc's log lines, in its two formats (engines parse them: containerd's shim reports the last
// `level=error` line of the --log file, podman reads the json one):
//   text: time="2026-11-23T20:14:29Z" level=error msg="container does not exist"
//   json: {"level":"error","msg":"container does not exist","time":"2026-11-23T20:14:29Z"}
// Lines are written synchronously, so nothing is lost when the process exits right after.
import { closeSync, openSync, writeSync } from 'node:fs';
import { boundedMessage, RuntsError } from './errors.js';

export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export interface LoggerOptions {
  /** The log file; stderr when absent. */
  file?: string | undefined;
  format: LogFormat;
  debug: boolean;
}

export class Logger {
  private fd: number;
  private readonly ownsFd: boolean;

  constructor(private readonly options: LoggerOptions) {
    if (options.file && options.file !== '/dev/stderr') {
      try {
        this.fd = openSync(options.file, 'a', 0o644);
      } catch (err) {
        throw RuntsError.wrap(`open log file ${options.file}`, err);
      }
      this.ownsFd = true;
    } else {
      this.fd = 2;
      this.ownsFd = false;
    }
  }

  debug(msg: string): void {
    if (this.options.debug) this.write('debug', msg);
  }
  warn(msg: string): void {
    this.write('warning', msg);
  }
  error(msg: string): void {
    this.write('error', msg);
  }

  close(): void {
    if (this.ownsFd) closeSync(this.fd);
    this.fd = 2;
  }

  private write(level: LogLevel, msg: string): void {
    writeSync(this.fd, formatLogLine(level, boundedMessage(msg), new Date(), this.options.format) + '\n');
  }
}

export function formatLogLine(level: LogLevel, msg: string, when: Date, format: LogFormat): string {
  // RFC 3339 in UTC to the second, as runc's logrus formatter prints it.
  const time = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (format === 'json') return JSON.stringify({ level, msg, time });
  return `time=${quoteIfNeeded(time)} level=${level} msg=${quoteIfNeeded(msg)}`;
}

/** logrus quotes a value unless it is made only of these characters. */
function quoteIfNeeded(value: string): string {
  return /^[A-Za-z0-9\-._/@^+]+$/.test(value) ? value : JSON.stringify(value);
}
