// `events --stats`: a snapshot of a container's cgroup counters in runc's JSON shape
// (runc/types/events.go), read from v1 or v2 files, whichever hierarchy holds each controller.
// Counters are bigint: memory limits ("unlimited") do not fit in a double.
import { readdirSync, readFileSync } from 'node:fs';
import { type CgroupLayout, hierarchyOf, readCgroupLayout } from './layout.js';
import type { ContainerCgroup } from './manager.js';

type Counter = bigint;
type Flat = Record<string, Counter>;

export interface CgroupStats {
  cpu: { usage: { total?: Counter; percpu?: Counter[]; percpu_kernel?: Counter[]; percpu_user?: Counter[]; kernel: Counter; user: Counter }; throttling?: { periods?: Counter; throttledPeriods?: Counter; throttledTime?: Counter } };
  memory: { cache?: Counter; usage?: MemoryEntry; swap?: MemoryEntry; kernel?: MemoryEntry; kernelTCP?: MemoryEntry; raw?: Flat };
  pids: { current?: Counter; limit?: Counter };
  blkio: Record<string, BlkioEntry[]>;
  hugetlb: Record<string, { usage?: Counter; max?: Counter; failcnt: Counter }>;
}

interface MemoryEntry {
  limit: Counter;
  usage?: Counter;
  max?: Counter;
  failcnt: Counter;
}

interface BlkioEntry {
  major: Counter;
  minor: Counter;
  op: string;
  value: Counter;
}

/** What v2 reports as "max" (no limit): runc prints the largest uint64. */
const UNLIMITED = 2n ** 64n - 1n;
const NANOS_PER_USEC = 1000n;

function read(dir: string, file: string): string | undefined {
  try {
    return readFileSync(`${dir}/${file}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function counter(dir: string, file: string): Counter | undefined {
  const text = read(dir, file);
  if (text === undefined || text === '') return undefined;
  return text === 'max' ? UNLIMITED : BigInt(text.split(/\s+/)[0]!);
}

/** "key value" lines (cpu.stat, memory.stat...). */
function flat(dir: string, file: string): Flat {
  const result: Flat = {};
  for (const line of (read(dir, file) ?? '').split('\n')) {
    const [key, value] = line.split(/\s+/);
    if (key && value && /^\d+$/.test(value)) result[key] = BigInt(value);
  }
  return result;
}

export function readCgroupStats(cgroup: ContainerCgroup, layout: CgroupLayout = readCgroupLayout()): CgroupStats {
  const at = (controller: string) => {
    const hierarchy = hierarchyOf(layout, controller);
    const dir = hierarchy && cgroup.paths[hierarchy.key];
    return dir === undefined ? undefined : { dir, version: hierarchy!.version };
  };
  return {
    cpu: cpuStats(at('cpuacct') ?? at('cpu'), at('cpu')),
    memory: memoryStats(at('memory')),
    pids: pidsStats(at('pids')),
    blkio: blkioStats(at('blkio') ?? at('io')),
    hugetlb: hugetlbStats(at('hugetlb')),
  };
}

type Where = { dir: string; version: 1 | 2 } | undefined;

function cpuStats(accounting: Where, cpu: Where): CgroupStats['cpu'] {
  if (accounting?.version === 2) {
    const stat = flat(accounting.dir, 'cpu.stat');
    return {
      usage: { total: (stat.usage_usec ?? 0n) * NANOS_PER_USEC, kernel: (stat.system_usec ?? 0n) * NANOS_PER_USEC, user: (stat.user_usec ?? 0n) * NANOS_PER_USEC },
      throttling: { periods: stat.nr_periods, throttledPeriods: stat.nr_throttled, throttledTime: stat.throttled_usec === undefined ? undefined : stat.throttled_usec * NANOS_PER_USEC },
    };
  }
  const list = (file: string) => (accounting ? (read(accounting.dir, file) ?? '').split(/\s+/).filter(Boolean).map(BigInt) : undefined);
  // cpuacct.stat is in USER_HZ ticks (100 per second).
  const ticks = accounting ? flat(accounting.dir, 'cpuacct.stat') : {};
  const throttle = cpu ? flat(cpu.dir, 'cpu.stat') : {};
  return {
    usage: {
      total: accounting ? counter(accounting.dir, 'cpuacct.usage') : undefined,
      percpu: list('cpuacct.usage_percpu'),
      percpu_kernel: list('cpuacct.usage_percpu_sys'),
      percpu_user: list('cpuacct.usage_percpu_user'),
      kernel: (ticks.system ?? 0n) * 10_000_000n,
      user: (ticks.user ?? 0n) * 10_000_000n,
    },
    throttling: { periods: throttle.nr_periods, throttledPeriods: throttle.nr_throttled, throttledTime: throttle.throttled_time },
  };
}

function memoryStats(memory: Where): CgroupStats['memory'] {
  if (!memory) return {};
  const { dir } = memory;
  if (memory.version === 2) {
    const raw = flat(dir, 'memory.stat');
    const events = flat(dir, 'memory.events');
    return {
      cache: raw.file,
      usage: { limit: counter(dir, 'memory.max') ?? UNLIMITED, usage: counter(dir, 'memory.current'), max: counter(dir, 'memory.peak'), failcnt: events.max ?? 0n },
      swap: { limit: counter(dir, 'memory.swap.max') ?? UNLIMITED, usage: counter(dir, 'memory.swap.current'), failcnt: 0n },
      raw,
    };
  }
  const entry = (prefix: string): MemoryEntry => ({
    limit: counter(dir, `${prefix}.limit_in_bytes`) ?? 0n,
    usage: counter(dir, `${prefix}.usage_in_bytes`),
    max: counter(dir, `${prefix}.max_usage_in_bytes`),
    failcnt: counter(dir, `${prefix}.failcnt`) ?? 0n,
  });
  const raw = flat(dir, 'memory.stat');
  return { cache: raw.cache, usage: entry('memory'), swap: entry('memory.memsw'), kernel: entry('memory.kmem'), kernelTCP: entry('memory.kmem.tcp'), raw };
}

function pidsStats(pids: Where): CgroupStats['pids'] {
  if (!pids) return {};
  const limit = counter(pids.dir, 'pids.max');
  // runc reports no limit as 0.
  return { current: counter(pids.dir, 'pids.current'), limit: limit === UNLIMITED ? 0n : limit };
}

function blkioStats(io: Where): CgroupStats['blkio'] {
  if (!io) return {};
  if (io.version === 2) {
    // io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device.
    const bytes: BlkioEntry[] = [];
    const ios: BlkioEntry[] = [];
    for (const line of (read(io.dir, 'io.stat') ?? '').split('\n')) {
      const [device, ...pairs] = line.split(/\s+/);
      const [major, minor] = (device ?? '').split(':');
      if (!major || !minor) continue;
      for (const pair of pairs) {
        const [key, value] = pair.split('=');
        const entry = (op: string) => ({ major: BigInt(major), minor: BigInt(minor), op, value: BigInt(value!) });
        if (key === 'rbytes') bytes.push(entry('Read'));
        if (key === 'wbytes') bytes.push(entry('Write'));
        if (key === 'rios') ios.push(entry('Read'));
        if (key === 'wios') ios.push(entry('Write'));
      }
    }
    return { ioServiceBytesRecursive: bytes, ioServicedRecursive: ios };
  }
  // "8:0 Read 1234" lines, and a "Total N" line.
  const entries = (file: string): BlkioEntry[] =>
    (read(io.dir, file) ?? '')
      .split('\n')
      .map((line) => /^(\d+):(\d+) (\w+) (\d+)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ major: BigInt(match[1]!), minor: BigInt(match[2]!), op: match[3]!, value: BigInt(match[4]!) }));
  return {
    ioServiceBytesRecursive: entries('blkio.throttle.io_service_bytes_recursive'),
    ioServicedRecursive: entries('blkio.throttle.io_serviced_recursive'),
  };
}

function hugetlbStats(hugetlb: Where): CgroupStats['hugetlb'] {
  if (!hugetlb) return {};
  const sizes = new Set<string>();
  let names: string[];
  try {
    names = readdirSync(hugetlb.dir);
  } catch {
    return {}; // Removed meanwhile (a container that just stopped).
  }
  for (const name of names) {
    const match = /^hugetlb\.([0-9]+[KMG]B)\./.exec(name);
    if (match) sizes.add(match[1]!);
  }
  const result: CgroupStats['hugetlb'] = {};
  for (const size of sizes) {
    result[size] =
      hugetlb.version === 2
        ? { usage: counter(hugetlb.dir, `hugetlb.${size}.current`), max: counter(hugetlb.dir, `hugetlb.${size}.max`), failcnt: flat(hugetlb.dir, `hugetlb.${size}.events`).max ?? 0n }
        : { usage: counter(hugetlb.dir, `hugetlb.${size}.usage_in_bytes`), max: counter(hugetlb.dir, `hugetlb.${size}.max_usage_in_bytes`), failcnt: counter(hugetlb.dir, `hugetlb.${size}.failcnt`) ?? 0n };
  }
  return result;
}

/** How many times the kernel OOM-killed in the cgroup (v2 memory.events, v1 memory.oom_control). */
export function oomKillCount(cgroup: ContainerCgroup, layout: CgroupLayout = readCgroupLayout()): bigint {
  const hierarchy = hierarchyOf(layout, 'memory');
  const dir = hierarchy && cgroup.paths[hierarchy.key];
  if (dir === undefined) return 0n;
  return (hierarchy!.version === 2 ? flat(dir, 'memory.events') : flat(dir, 'memory.oom_control')).oom_kill ?? 0n;
}

/** JSON with bigints as plain numbers, and the fields runc omits when zero or empty left out. */
export function statsJson(value: unknown): string {
  const prune = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.length ? node.map(prune) : undefined;
    if (node && typeof node === 'object') {
      const entries = Object.entries(node)
        .map(([key, child]) => [key, prune(child)] as const)
        .filter(([key, child]) => child !== undefined && !(child === 0n && !KEEP_ZERO.has(key)));
      return Object.fromEntries(entries);
    }
    return node;
  };
  return JSON.stringify(prune(value), (_, child) => (typeof child === 'bigint' ? `\u0000${child}` : child)).replace(/"\\u0000(\d+)"/g, '$1');
}

/** Fields runc prints even when 0 (no omitempty in its types). */
const KEEP_ZERO = new Set(['kernel', 'user', 'limit', 'failcnt']);
