// Where the time of a command goes, for `--debug` and the benchmark (bench/): named steps in
// milliseconds, logged as `timing <step>=<ms>ms` debug lines. The clock is process.uptime(),
// which starts as the runtime starts, so the first step (`startup`) is the runtime's start plus
// loading runts itself. (Not performance.now(): it needs node:perf_hooks loaded, on every
// command and in every init, debug or not.)

/** Milliseconds since the process started. */
const now = () => process.uptime() * 1000;

export class Timings {
  private last = now();
  readonly steps: Record<string, number> = { startup: round(this.last) };

  /** Ends the current step with `name`. */
  mark(name: string): void {
    const time = now();
    this.steps[name] = round(time - this.last);
    this.last = time;
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
