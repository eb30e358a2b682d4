// Signal names and numbers as `kill` takes them: KILL, SIGKILL and 9 are the same signal.
import { constants } from 'node:os';
import { RuntsError } from '../errors.js';

const SIGNALS = constants.signals as Record<string, number>;

export function parseSignal(value: string): number {
  if (/^\d+$/.test(value)) {
    const number = Number(value);
    // 0 sends nothing and asks whether the container's init is alive, as kill(2) does.
    if (number >= 0 && number <= 64) return number;
  } else {
    const name = value.toUpperCase().startsWith('SIG') ? value.toUpperCase() : `SIG${value.toUpperCase()}`;
    const number = SIGNALS[name];
    if (number !== undefined) return number;
  }
  throw new RuntsError(`invalid signal ${JSON.stringify(value)}: give a name (TERM, SIGKILL) or a number (0-64)`);
}

export function signalName(number: number): string {
  return Object.entries(SIGNALS).find(([, n]) => n === number)?.[0] ?? String(number);
}
