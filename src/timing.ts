// Where the time of a command goes, for `--debug` and the benchmark (bench/): named steps in
// milliseconds, logged as `timing <step>=<ms>ms` debug lines. Node's performance clock starts
// with the process, so the first step (`startup`) is Node's start plus loading runts itself.
import { performance } from 'node:perf_hooks';

export class Timings {
  private last = performance.now();
  readonly steps: Record<string, number> = { startup: round(this.last) };

  /** Ends the current step with `name`. */
  mark(name: string): void {
    const now = performance.now();
    this.steps[name] = round(now - this.last);
    this.last = now;
  }

  /** Adds steps measured elsewhere (init reports its own), prefixed. */
  merge(prefix: string, steps: Record<string, number>): void {
    for (const [name, ms] of Object.entries(steps)) this.steps[`${prefix}.${name}`] = ms;
  }

  lines(): string[] {
    return Object.entries(this.steps).map(([name, ms]) => `timing ${name}=${ms}ms`);
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
