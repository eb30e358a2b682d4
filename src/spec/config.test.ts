// The config.json corpus: a valid config that touches every field, and one mutation per field
// type that must be refused with the JSON path of the bad field and the rule it broke.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RuntsError } from '../errors.js';
import { defaultConfig } from './defaults.js';
import { parseConfig } from './load.js';

const FULL = readFileSync(new URL('./testdata/full-config.json', import.meta.url), 'utf8');
const FILE = '/bundle/config.json';

/** A copy of the full config with the value at a JSON pointer replaced (or removed). */
function mutated(pointer: string, value: unknown, remove = false): string {
  const config = JSON.parse(FULL);
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  let target = config;
  for (const key of keys) target = target[key];
  if (remove) delete target[last];
  else target[last] = value;
  return JSON.stringify(config);
}

function errorOf(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(RuntsError);
    return (err as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('config.json validation', () => {
  it('accepts a config that uses every field of the Linux spec', () => {
    const config = parseConfig(FULL, FILE);
    expect(config.linux?.resources?.unified?.['memory.high']).toBe('max');
    expect(config.process?.rlimits?.[1]?.hard).toBe(18446744073709551615);
  });

  it('accepts the default config of runts spec and unknown properties anywhere', () => {
    const config = { ...defaultConfig(), 'x-vendor': 1, process: { ...defaultConfig().process, 'x-more': [] } };
    expect(() => parseConfig(JSON.stringify(config), FILE)).not.toThrow();
  });

  // [what is wrong, pointer, bad value, expected message]
  const schemaCases: [string, string, unknown, string][] = [
    ['missing ociVersion', '/ociVersion', undefined, '/bundle/config.json: /ociVersion: is required'],
    ['string field given a number', '/hostname', 7, '/hostname: must be a string'],
    ['boolean field given a string', '/root/readonly', 'yes', '/root/readonly: must be a boolean'],
    ['object given an array', '/process', [], '/process: must be an object'],
    ['array given an object', '/mounts', {}, '/mounts: must be an array'],
    ['missing required nested field', '/process/cwd', undefined, '/process/cwd: is required'],
    ['enum', '/linux/namespaces/2/type', 'mnt', '/linux/namespaces/2/type: must be one of pid, network, mount, ipc, uts, user, cgroup, time'],
    ['uint32 negative', '/process/user/uid', -1, '/process/user/uid: must be >= 0'],
    ['uint32 too large', '/linux/uidMappings/0/size', 2 ** 32, '/linux/uidMappings/0/size: must be <= 4294967295'],
    ['integer given a fraction', '/linux/resources/pids/limit', 1.5, '/linux/resources/pids/limit: must be an integer'],
    ['oomScoreAdj out of range', '/process/oomScoreAdj', 1001, '/process/oomScoreAdj: must be <= 1000'],
    ['pattern', '/process/rlimits/0/type', 'NOFILE', '/process/rlimits/0/type: must match ^RLIMIT_[A-Z]+$'],
    ['map of strings given a number', '/annotations/com.example.key1', 1, '/annotations/com.example.key1: must be a string'],
    ['string map in resources', '/linux/resources/unified/memory.high', false, '/linux/resources/unified/memory.high: must be a string'],
    ['device type', '/linux/devices/0/type', 'x', '/linux/devices/0/type: must be one of c, b, u, p'],
    ['device cgroup access', '/linux/resources/devices/1/access', 'rwx', '/linux/resources/devices/1/access: must match ^[rwm]*$'],
    ['seccomp action', '/linux/seccomp/syscalls/1/action', 'SCMP_ACT_MAYBE', '/linux/seccomp/syscalls/1/action: must be one of SCMP_ACT_KILL'],
    ['seccomp arch', '/linux/seccomp/architectures/0', 'SCMP_ARCH_Z80', '/linux/seccomp/architectures/0: must be one of SCMP_ARCH_X86'],
    ['seccomp operator', '/linux/seccomp/syscalls/1/args/0/op', '==', '/linux/seccomp/syscalls/1/args/0/op: must be one of SCMP_CMP_NE'],
    ['seccomp syscall without names', '/linux/seccomp/syscalls/0/names', [], '/linux/seccomp/syscalls/0/names: must NOT have fewer than 1 items'],
    ['scheduler policy', '/process/scheduler/policy', 'SCHED_FAST', '/process/scheduler/policy: must be one of SCHED_OTHER'],
    ['scheduler flag', '/process/scheduler/flags/0', 'X', '/process/scheduler/flags/0: must be one of SCHED_FLAG_RESET_ON_FORK'],
    ['ioPriority class', '/process/ioPriority/class', 'IOPRIO_CLASS_NONE', '/process/ioPriority/class: must be one of IOPRIO_CLASS_RT'],
    ['execCPUAffinity', '/process/execCPUAffinity/final', 'all', '/process/execCPUAffinity/final: must match'],
    ['consoleSize', '/process/consoleSize/height', undefined, '/process/consoleSize/height: is required'],
    ['hook timeout', '/hooks/poststart/0/timeout', 0, '/hooks/poststart/0/timeout: must be >= 1'],
    ['hook path', '/hooks/prestart/0/path', undefined, '/hooks/prestart/0/path: is required'],
    ['mount destination', '/mounts/1/destination', undefined, '/mounts/1/destination: is required'],
    ['mount idmap', '/mounts/1/uidMappings/0/hostID', 'root', '/mounts/1/uidMappings/0/hostID: must be an integer'],
    ['timeOffsets', '/linux/timeOffsets/monotonic/nanosecs', -1, '/linux/timeOffsets/monotonic/nanosecs: must be >= 0'],
    ['memory limit', '/linux/resources/memory/limit', '512M', '/linux/resources/memory/limit: must be an integer'],
    ['cpu cpus', '/linux/resources/cpu/cpus', 1, '/linux/resources/cpu/cpus: must be a string'],
    ['blkio weight', '/linux/resources/blockIO/weightDevice/0/weight', 70000, '/linux/resources/blockIO/weightDevice/0/weight: must be <= 65535'],
    ['throttle rate', '/linux/resources/blockIO/throttleReadBpsDevice/0/rate', undefined, '/linux/resources/blockIO/throttleReadBpsDevice/0/rate: is required'],
    ['hugepage limit', '/linux/resources/hugepageLimits/0/pageSize', undefined, '/linux/resources/hugepageLimits/0/pageSize: is required'],
    ['network priority', '/linux/resources/network/priorities/0/priority', -5, '/linux/resources/network/priorities/0/priority: must be >= 0'],
    ['rdma', '/linux/resources/rdma/mlx5_1/hcaHandles', 'x', '/linux/resources/rdma/mlx5_1/hcaHandles: must be an integer'],
    ['intelRdt schemata', '/linux/intelRdt/schemata', 'L2:0=ff', '/linux/intelRdt/schemata: must be an array'],
    ['personality domain', '/linux/personality/domain', 'LINUX64', '/linux/personality/domain: must be one of LINUX, LINUX32'],
    ['netDevices', '/linux/netDevices/eth1/name', 1, '/linux/netDevices/eth1/name: must be a string'],
    ['memoryPolicy mode', '/linux/memoryPolicy/mode', 'MPOL_ANY', '/linux/memoryPolicy/mode: must be one of MPOL_DEFAULT'],
    ['sysctl', '/linux/sysctl', ['a'], '/linux/sysctl: must be an object'],
    ['capabilities', '/process/capabilities/bounding', 'CAP_KILL', '/process/capabilities/bounding: must be an array'],
  ];

  it.each(schemaCases)('refuses %s', (_what, pointer, value, message) => {
    const text = mutated(pointer, value, value === undefined);
    const error = errorOf(text);
    expect(error).toContain(message);
    expect(error.startsWith(`${FILE}: `)).toBe(true);
  });

  const semanticCases: [string, string, unknown, string][] = [
    ['an unknown major ociVersion', '/ociVersion', '2.0.0', '/ociVersion: major version 2 is not supported'],
    ['a non-SemVer ociVersion', '/ociVersion', 'latest', '/ociVersion: must be a SemVer 2.0.0 version'],
    ['no root', '/root', undefined, '/root: is required on Linux'],
    ['a relative mount destination', '/mounts/0/destination', 'proc', '/mounts/0/destination: must be an absolute path'],
    ['a relative cwd', '/process/cwd', 'home', '/process/cwd: must be an absolute path'],
    ['empty args', '/process/args', [], '/process/args: must hold at least the program to run'],
    ['a relative hook path', '/hooks/poststop/0/path', 'cleanup.sh', '/hooks/poststop/0/path: must be an absolute path'],
    ['a duplicate namespace type', '/linux/namespaces/3/type', 'pid', '/linux/namespaces/3/type: pid is already listed at /linux/namespaces/0'],
    ['a relative namespace path', '/linux/namespaces/1/path', 'netns/web', '/linux/namespaces/1/path: must be an absolute path'],
    ['a relative masked path', '/linux/maskedPaths/0', 'proc/kcore', '/linux/maskedPaths/0: must be an absolute path'],
    ['a bad rootfsPropagation', '/linux/rootfsPropagation', 'sideways', '/linux/rootfsPropagation: must be one of shared, slave'],
    ['a char device without numbers', '/linux/devices/0/major', undefined, '/linux/devices/0: a device of type c needs major and minor'],
    ['soft rlimit above hard', '/process/rlimits/0/soft', 4096, '/process/rlimits/0/soft: must not exceed hard (1024)'],
    ['a duplicate rlimit', '/process/rlimits/1/type', 'RLIMIT_NOFILE', '/process/rlimits/1/type: RLIMIT_NOFILE is already set by /process/rlimits/0'],
  ];

  it.each(semanticCases)('refuses %s', (_what, pointer, value, message) => {
    expect(errorOf(mutated(pointer, value, value === undefined))).toContain(message);
  });

  it('refuses uid mappings without a user namespace', () => {
    const config = JSON.parse(FULL);
    config.linux.namespaces = config.linux.namespaces.filter((n: { type: string }) => n.type !== 'user');
    expect(errorOf(JSON.stringify(config))).toContain('/linux/uidMappings: needs a user namespace in /linux/namespaces');
  });

  it('refuses a new user namespace without mappings', () => {
    const config = JSON.parse(FULL);
    delete config.linux.gidMappings;
    expect(errorOf(JSON.stringify(config))).toContain('/linux/namespaces: a new user namespace needs /linux/uidMappings and /linux/gidMappings');
  });

  it('refuses timeOffsets without a time namespace', () => {
    const config = JSON.parse(FULL);
    config.linux.namespaces = config.linux.namespaces.filter((n: { type: string }) => n.type !== 'time');
    expect(errorOf(JSON.stringify(config))).toContain('/linux/timeOffsets: needs a time namespace');
  });

  it('names line and column of malformed JSON', () => {
    expect(errorOf('{\n  "ociVersion": "1.3.0",\n  "hostname" "x"\n}')).toMatch(/^\/bundle\/config.json: line 3, column 14: malformed JSON/);
    expect(errorOf('{\n  "a": tru\n}')).toMatch(/line 2, column 11: malformed JSON/);
    expect(errorOf('{"a": 1')).toMatch(/line 1, column 8: malformed JSON/);
  });
});
