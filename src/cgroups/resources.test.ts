import { describe, expect, it } from 'vitest';
import type { CgroupLayout } from './layout.js';
import { blkioWeightToIoWeight, resourceWrites, sharesToWeight, swapToV2 } from './resources.js';

const unified: CgroupLayout = { mode: 'unified', hierarchies: [{ key: '', mountPoint: '/sys/fs/cgroup', version: 2, controllers: ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids'] }] };
const hybrid: CgroupLayout = {
  mode: 'hybrid',
  hierarchies: [
    { key: 'cpu,cpuacct', mountPoint: '/sys/fs/cgroup/cpu,cpuacct', version: 1, controllers: ['cpu', 'cpuacct'] },
    { key: 'memory', mountPoint: '/sys/fs/cgroup/memory', version: 1, controllers: ['memory'] },
    { key: 'pids', mountPoint: '/sys/fs/cgroup/pids', version: 1, controllers: ['pids'] },
    { key: '', mountPoint: '/sys/fs/cgroup/unified', version: 2, controllers: ['hugetlb'] },
  ],
};
const pathsOf = (layout: CgroupLayout) => Object.fromEntries(layout.hierarchies.map((hierarchy) => [hierarchy.key, `${hierarchy.mountPoint}/c`]));
const files = (layout: CgroupLayout, resources: Parameters<typeof resourceWrites>[0], current?: Parameters<typeof resourceWrites>[3]) =>
  resourceWrites(resources, layout, pathsOf(layout), current).map((write) => `${write.dir}/${write.file}=${write.value}${write.orElse ? ` (or ${write.orElse.file}=${write.orElse.value})` : ''}`);

describe('resourceWrites', () => {
  it('converts to cgroup v2 files as runc does', () => {
    expect(
      files(unified, {
        cpu: { shares: 1024, quota: 50000, period: 100000, cpus: '0-1' },
        memory: { limit: 128 * 2 ** 20, swap: 256 * 2 ** 20, reservation: 64 * 2 ** 20 },
        pids: { limit: -1 },
        blockIO: { weight: 500, throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1000 }] },
        hugepageLimits: [{ pageSize: '2MB', limit: 4194304 }],
      }),
    ).toEqual([
      '/sys/fs/cgroup/c/cpuset.cpus=0-1',
      '/sys/fs/cgroup/c/cpu.weight=39',
      '/sys/fs/cgroup/c/cpu.max=50000 100000',
      '/sys/fs/cgroup/c/memory.swap.max=134217728',
      '/sys/fs/cgroup/c/memory.max=134217728',
      '/sys/fs/cgroup/c/memory.low=67108864',
      '/sys/fs/cgroup/c/pids.max=max',
      '/sys/fs/cgroup/c/io.bfq.weight=500 (or io.weight=4950)',
      '/sys/fs/cgroup/c/io.max=8:0 rbps=1000',
      '/sys/fs/cgroup/c/hugetlb.2MB.max=4194304',
    ]);
  });

  it('writes v1 files on a hybrid host, and hugetlb where the host has it (cgroup2)', () => {
    expect(files(hybrid, { cpu: { shares: 512, period: 100000, quota: 20000 }, memory: { limit: 100, swap: 200 }, hugepageLimits: [{ pageSize: '2MB', limit: 0 }] })).toEqual([
      '/sys/fs/cgroup/cpu,cpuacct/c/cpu.shares=512',
      '/sys/fs/cgroup/cpu,cpuacct/c/cpu.cfs_period_us=100000',
      '/sys/fs/cgroup/cpu,cpuacct/c/cpu.cfs_quota_us=20000',
      '/sys/fs/cgroup/memory/c/memory.limit_in_bytes=100',
      '/sys/fs/cgroup/memory/c/memory.memsw.limit_in_bytes=200',
      '/sys/fs/cgroup/unified/c/hugetlb.2MB.max=0',
    ]);
  });

  it('orders v1 memory and memory+swap so that memsw is never below the limit in force', () => {
    const grow = { memory: { limit: 300, swap: 400 } };
    const inForce = (limit: string) => (_: string, file: string) => (file === 'memory.limit_in_bytes' ? limit : undefined);
    // Growing past the limit in force (memsw is at least that): memsw first.
    expect(files(hybrid, grow, inForce('100'))).toEqual(['/sys/fs/cgroup/memory/c/memory.memsw.limit_in_bytes=400', '/sys/fs/cgroup/memory/c/memory.limit_in_bytes=300']);
    // Shrinking (a new cgroup's limit is unlimited): the limit first.
    expect(files(hybrid, grow, inForce('9223372036854771712'))).toEqual(['/sys/fs/cgroup/memory/c/memory.limit_in_bytes=300', '/sys/fs/cgroup/memory/c/memory.memsw.limit_in_bytes=400']);
  });

  it('names the field and the missing controller when a limit cannot be applied', () => {
    expect(() => files(hybrid, { blockIO: { weight: 100 } })).toThrow('linux.resources.blockIO: the blkio cgroup controller is not available on this host');
    expect(() => files(unified, { memory: { disableOOMKiller: true } })).toThrow('linux.resources.memory.disableOOMKiller');
    expect(() => files(hybrid, { unified: { 'memory.high': '1' } })).toThrow('linux.resources.unified: needs a cgroup v2 host');
    expect(() => files(unified, { unified: { '../x': '1' } })).toThrow('is not a cgroup file name');
  });

  it('leaves pids alone for a limit of 0 (unset), as runc', () => {
    expect(files(unified, { pids: { limit: 0 } })).toEqual([]);
  });

  it('reads the zeros engines fill in as "not set", as runc, even without the controller', () => {
    // What docker sends for a container run without limits (its blockIO.weight 0 broke
    // `docker run` on hosts without a blkio.weight file).
    const zeros = {
      memory: { limit: 0, reservation: 0, swap: 0, kernelTCP: 0 },
      cpu: { shares: 0, quota: 0, period: 0 },
      pids: { limit: 0 },
      blockIO: { weight: 0, leafWeight: 0, weightDevice: [{ major: 8, minor: 0, weight: 0, leafWeight: 0 }] },
      network: { classID: 0 },
    };
    expect(files(unified, zeros)).toEqual([]);
    expect(files(hybrid, zeros)).toEqual([]);
    // A zero beside a real limit is still skipped.
    const weighted = { blockIO: { weight: 0, weightDevice: [{ major: 8, minor: 0, weight: 300 }, { major: 8, minor: 16, weight: 0 }] }, memory: { limit: 0, reservation: 64 } };
    expect(files(unified, weighted)).toEqual(['/sys/fs/cgroup/c/memory.low=64', '/sys/fs/cgroup/c/io.bfq.weight=8:0 300 (or io.weight=8:0 2930)']);
  });
});

describe('runc conversions', () => {
  it('maps shares, blkio weights and swap', () => {
    expect([sharesToWeight(2), sharesToWeight(1024), sharesToWeight(262144)]).toEqual([1, 39, 10000]);
    expect([blkioWeightToIoWeight(10), blkioWeightToIoWeight(1000)]).toEqual([1, 10000]);
    expect([swapToV2(-1, 100), swapToV2(0, 100), swapToV2(300, 100)]).toEqual([-1, undefined, 200]);
    expect(() => swapToV2(300, undefined)).toThrow('needs a memory limit');
    expect(() => swapToV2(50, 100)).toThrow('must be at least memory.limit');
  });
});
