// linux.resources → the cgroup files to write, on v1 or v2 for each controller (on a hybrid host
// a controller may live in either). Pure: the list is unit-tested without a kernel, and written
// by manager.ts. The v1→v2 conversions are runc's, so a config means the same under either.
import { RuntsError } from '../errors.js';
import type { Resources } from '../spec/config.js';
import type { CgroupPaths } from './path.js';
import { type CgroupLayout, hierarchyOf } from './layout.js';

export interface CgroupWrite {
  /** The cgroup directory. */
  dir: string;
  file: string;
  value: string;
  /** The config field it comes from (linux.resources.memory.limit...), for errors. */
  field: string;
  /** What to write instead where the kernel has no such file (io.weight without BFQ). */
  orElse?: { file: string; value: string };
}

type Version = 1 | 2;
type Emit = (file: string, value: string | number | bigint, field: string, orElse?: CgroupWrite['orElse']) => void;

/** A cgroup file's current value (for writes whose order depends on it), undefined if unreadable. */
export type CurrentValue = (dir: string, file: string) => string | undefined;

/**
 * Whether a limit is asked for. As runc, 0 means "not set" for the limits where the kernel
 * has no use for it: engines fill in zeros for what the user did not give (docker sends
 * blockIO.weight 0 with every container, and this host has no blkio.weight file to take it).
 */
const given = (value: number | undefined): value is number => value !== undefined && value !== 0;

/** The writes for `resources`, in the order they must happen. */
export function resourceWrites(resources: Resources, layout: CgroupLayout, paths: CgroupPaths, current: CurrentValue = () => undefined): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  const on = (controller: string, fields: string[], body: (emit: Emit, version: Version) => void) => {
    const hierarchy = hierarchyOf(layout, controller);
    if (!hierarchy) {
      throw new RuntsError(`linux.resources.${fields.join(', ')}: the ${controller} cgroup controller is not available on this host`);
    }
    const dir = paths[hierarchy.key]!;
    body((file, value, field, orElse) => writes.push({ dir, file, value: String(value), field: `linux.resources.${field}`, ...(orElse ? { orElse } : {}) }), hierarchy.version);
  };
  const { cpu, memory, pids, blockIO, hugepageLimits, network, rdma } = resources;
  if (cpu && (cpu.cpus || cpu.mems)) on('cpuset', ['cpu.cpus', 'cpu.mems'], (emit) => cpuset(cpu, emit));
  if (cpu && hasAny(cpu, ['shares', 'quota', 'period', 'burst', 'realtimeRuntime', 'realtimePeriod', 'idle'])) on('cpu', ['cpu'], (emit, version) => cpuLimits(cpu, emit, version));
  // memory.kernel is deprecated by the spec and the kernel; runc ignores it, and so does runts.
  if (memory && ([memory.limit, memory.reservation, memory.swap, memory.kernelTCP].some(given) || hasAny(memory, ['swappiness', 'disableOOMKiller', 'useHierarchy']))) {
    const dir = paths[hierarchyOf(layout, 'memory')?.key ?? '-'];
    const currentLimit = dir === undefined ? undefined : current(dir, 'memory.limit_in_bytes');
    on('memory', ['memory'], (emit, version) => (version === 1 ? memoryV1(memory, emit, currentLimit) : memoryV2(memory, emit)));
  }
  if (given(pids?.limit)) on('pids', ['pids.limit'], (emit) => emit('pids.max', pids!.limit! > 0 ? pids!.limit! : 'max', 'pids.limit'));
  if (blockIO && blockIOGiven(blockIO)) on(layout.mode === 'unified' ? 'io' : 'blkio', ['blockIO'], (emit, version) => (version === 1 ? blockIOV1(blockIO, emit) : blockIOV2(blockIO, emit)));
  if (hugepageLimits?.length) {
    on('hugetlb', ['hugepageLimits'], (emit, version) =>
      hugepageLimits.forEach((limit, i) => emit(`hugetlb.${limit.pageSize}.${version === 1 ? 'limit_in_bytes' : 'max'}`, limit.limit, `hugepageLimits[${i}].limit`)),
    );
  }
  if (given(network?.classID)) on('net_cls', ['network.classID'], (emit) => emit('net_cls.classid', network!.classID!, 'network.classID'));
  if (network?.priorities?.length) {
    on('net_prio', ['network.priorities'], (emit) => network.priorities!.forEach((entry, i) => emit('net_prio.ifpriomap', `${entry.name} ${entry.priority}`, `network.priorities[${i}]`)));
  }
  if (rdma && Object.keys(rdma).length > 0) {
    on('rdma', ['rdma'], (emit) => {
      for (const [device, limit] of Object.entries(rdma)) {
        const parts = [device];
        if (limit.hcaHandles !== undefined) parts.push(`hca_handle=${limit.hcaHandles}`);
        if (limit.hcaObjects !== undefined) parts.push(`hca_object=${limit.hcaObjects}`);
        emit('rdma.max', parts.join(' '), `rdma.${device}`);
      }
    });
  }
  if (resources.unified) writes.push(...unifiedWrites(resources.unified, layout, paths));
  return writes;
}

function hasAny<T extends object>(object: T, keys: (keyof T)[]): boolean {
  return keys.some((key) => object[key] !== undefined);
}

function cpuset(cpu: NonNullable<Resources['cpu']>, emit: Emit): void {
  if (cpu.cpus) emit('cpuset.cpus', cpu.cpus, 'cpu.cpus');
  if (cpu.mems) emit('cpuset.mems', cpu.mems, 'cpu.mems');
}

function cpuLimits(cpu: NonNullable<Resources['cpu']>, emit: Emit, version: Version): void {
  if (version === 1) {
    if (cpu.shares) emit('cpu.shares', cpu.shares, 'cpu.shares');
    // The period first: a quota is checked against the period in force.
    if (cpu.period) emit('cpu.cfs_period_us', cpu.period, 'cpu.period');
    if (cpu.quota) emit('cpu.cfs_quota_us', cpu.quota, 'cpu.quota');
    if (cpu.burst !== undefined) emit('cpu.cfs_burst_us', cpu.burst, 'cpu.burst');
    if (cpu.realtimePeriod) emit('cpu.rt_period_us', cpu.realtimePeriod, 'cpu.realtimePeriod');
    if (cpu.realtimeRuntime) emit('cpu.rt_runtime_us', cpu.realtimeRuntime, 'cpu.realtimeRuntime');
    if (cpu.idle !== undefined) emit('cpu.idle', cpu.idle, 'cpu.idle');
    return;
  }
  if (cpu.realtimePeriod || cpu.realtimeRuntime) {
    throw new RuntsError('linux.resources.cpu.realtimePeriod/realtimeRuntime: real-time cpu limits do not exist on cgroup v2');
  }
  if (cpu.shares) emit('cpu.weight', sharesToWeight(cpu.shares), 'cpu.shares');
  if (cpu.quota || cpu.period) {
    const quota = cpu.quota && cpu.quota > 0 ? String(cpu.quota) : 'max';
    emit('cpu.max', cpu.period ? `${quota} ${cpu.period}` : quota, 'cpu.quota');
  }
  if (cpu.burst !== undefined) emit('cpu.max.burst', cpu.burst, 'cpu.burst');
  if (cpu.idle !== undefined) emit('cpu.idle', cpu.idle, 'cpu.idle');
}

/** runc's mapping of cpu.shares [2, 262144] onto cpu.weight [1, 10000]. */
export function sharesToWeight(shares: number): number {
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** runc's mapping of blkio.weight [10, 1000] onto io.weight [1, 10000]. */
export function blkioWeightToIoWeight(weight: number): number {
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

function memoryV1(memory: NonNullable<Resources['memory']>, emit: Emit, currentLimit: string | undefined): void {
  // memory.memsw.limit_in_bytes (memory + swap) may never be below memory.limit_in_bytes, at
  // any moment: as runc, when the new memsw is above the limit in force (or unlimited), it
  // goes first; otherwise the limit does.
  const { limit, swap } = memory;
  const swapFirst = given(swap) && given(limit) && (swap === -1 || (currentLimit !== undefined && BigInt(currentLimit) < BigInt(swap)));
  if (swapFirst) emit('memory.memsw.limit_in_bytes', swap, 'memory.swap');
  if (given(limit)) emit('memory.limit_in_bytes', limit, 'memory.limit');
  if (given(swap) && !swapFirst) emit('memory.memsw.limit_in_bytes', swap, 'memory.swap');
  if (given(memory.reservation)) emit('memory.soft_limit_in_bytes', memory.reservation, 'memory.reservation');
  if (given(memory.kernelTCP)) emit('memory.kmem.tcp.limit_in_bytes', memory.kernelTCP, 'memory.kernelTCP');
  if (memory.swappiness !== undefined && memory.swappiness <= 100) emit('memory.swappiness', memory.swappiness, 'memory.swappiness');
  if (memory.disableOOMKiller) emit('memory.oom_control', 1, 'memory.disableOOMKiller');
  if (memory.useHierarchy !== undefined) emit('memory.use_hierarchy', memory.useHierarchy ? 1 : 0, 'memory.useHierarchy');
}

function memoryV2(memory: NonNullable<Resources['memory']>, emit: Emit): void {
  if (memory.disableOOMKiller) throw new RuntsError('linux.resources.memory.disableOOMKiller: cgroup v2 has no way to disable the OOM killer');
  if (memory.swappiness !== undefined && memory.swappiness <= 100) {
    throw new RuntsError('linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness');
  }
  const max = (value: number) => (value === -1 ? 'max' : value);
  if (memory.swap !== undefined) {
    const swapMax = swapToV2(memory.swap, memory.limit);
    if (swapMax !== undefined) emit('memory.swap.max', max(swapMax), 'memory.swap');
  }
  if (given(memory.limit)) emit('memory.max', max(memory.limit), 'memory.limit');
  if (given(memory.reservation)) emit('memory.low', memory.reservation, 'memory.reservation');
}

/** runc's conversion: the spec's swap is memory+swap (v1's memsw); v2's memory.swap.max is swap alone. */
export function swapToV2(swap: number, limit: number | undefined): number | undefined {
  if (swap === -1) return -1;
  if (swap === 0) return undefined;
  if (limit === undefined || limit === 0 || limit === -1) {
    throw new RuntsError('linux.resources.memory.swap: a swap limit on cgroup v2 needs a memory limit (memory.limit)');
  }
  if (limit > swap) throw new RuntsError('linux.resources.memory.swap: must be at least memory.limit (it is memory+swap)');
  return swap - limit;
}

type BlockIO = NonNullable<Resources['blockIO']>;
const THROTTLES = [
  ['throttleReadBpsDevice', 'read_bps_device', 'rbps'],
  ['throttleWriteBpsDevice', 'write_bps_device', 'wbps'],
  ['throttleReadIOPSDevice', 'read_iops_device', 'riops'],
  ['throttleWriteIOPSDevice', 'write_iops_device', 'wiops'],
] as const;

function blockIOGiven(blockIO: BlockIO): boolean {
  return (
    given(blockIO.weight) ||
    given(blockIO.leafWeight) ||
    (blockIO.weightDevice ?? []).some((device) => given(device.weight) || given(device.leafWeight)) ||
    THROTTLES.some(([field]) => (blockIO[field]?.length ?? 0) > 0)
  );
}

function blockIOV1(blockIO: BlockIO, emit: Emit): void {
  if (given(blockIO.weight)) emit('blkio.weight', blockIO.weight, 'blockIO.weight');
  if (given(blockIO.leafWeight)) emit('blkio.leaf_weight', blockIO.leafWeight, 'blockIO.leafWeight');
  blockIO.weightDevice?.forEach((device, i) => {
    if (given(device.weight)) emit('blkio.weight_device', `${device.major}:${device.minor} ${device.weight}`, `blockIO.weightDevice[${i}]`);
    if (given(device.leafWeight)) emit('blkio.leaf_weight_device', `${device.major}:${device.minor} ${device.leafWeight}`, `blockIO.weightDevice[${i}]`);
  });
  for (const [field, file] of THROTTLES) {
    blockIO[field]?.forEach((device, i) => emit(`blkio.throttle.${file}`, `${device.major}:${device.minor} ${device.rate}`, `blockIO.${field}[${i}]`));
  }
}

function blockIOV2(blockIO: BlockIO, emit: Emit): void {
  // As runc: BFQ's io.bfq.weight takes blkio's own scale; without BFQ, io.weight its converted value.
  if (given(blockIO.weight)) {
    emit('io.bfq.weight', blockIO.weight, 'blockIO.weight', { file: 'io.weight', value: String(blkioWeightToIoWeight(blockIO.weight)) });
  }
  blockIO.weightDevice?.forEach((device, i) => {
    if (!given(device.weight)) return;
    const id = `${device.major}:${device.minor}`;
    emit('io.bfq.weight', `${id} ${device.weight}`, `blockIO.weightDevice[${i}]`, { file: 'io.weight', value: `${id} ${blkioWeightToIoWeight(device.weight)}` });
  });
  for (const [field, , key] of THROTTLES) {
    blockIO[field]?.forEach((device, i) => emit('io.max', `${device.major}:${device.minor} ${key}=${device.rate}`, `blockIO.${field}[${i}]`));
  }
}

/** linux.resources.unified: cgroup v2 files by name, written as given (config-linux.md). */
function unifiedWrites(unified: Record<string, string>, layout: CgroupLayout, paths: CgroupPaths): CgroupWrite[] {
  if (paths[''] === undefined || layout.mode !== 'unified') {
    // On a hybrid host the cgroup2 hierarchy has (almost) no controllers; the spec says a
    // runtime MUST error when it cannot apply these.
    throw new RuntsError('linux.resources.unified: needs a cgroup v2 host (this one is ' + layout.mode + ')');
  }
  return Object.entries(unified).map(([file, value]) => {
    if (file.includes('/') || file.startsWith('.') || !file.includes('.')) {
      throw new RuntsError(`linux.resources.unified: ${JSON.stringify(file)} is not a cgroup file name`);
    }
    return { dir: paths['']!, file, value, field: `linux.resources.unified.${file}` };
  });
}
