// A blocking pause, for the places a short-lived runts process polls the kernel (a process's
// end, a fifo, a full pipe) and has nothing else to do meanwhile.
const cell = new Int32Array(new SharedArrayBuffer(4));

export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}
