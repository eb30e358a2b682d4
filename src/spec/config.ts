// The OCI runtime-spec v1.3.0 config.json, Linux part, as zod schemas: the TypeScript types used
// everywhere come from here, and spec-schemas/config.schema.json is generated from here.
//
// Objects are loose on purpose: config.md (Extensibility) says runtimes MUST ignore unknown
// properties. Field names are the spec's, so `grep maskedPaths` leads from config-linux.md here.
import { z } from 'zod';
import { int32, int64, ranged, stringArray, stringMap, uint16, uint32, uint64 } from './primitives.js';

const obj = z.looseObject;

// ---------------------------------------------------------------------------------------------
// config.md
// ---------------------------------------------------------------------------------------------

export const IdMapping = obj({
  containerID: uint32(),
  hostID: uint32(),
  size: uint32(),
});

export const Mount = obj({
  destination: z.string(),
  source: z.string().optional(),
  type: z.string().optional(),
  options: stringArray().optional(),
  uidMappings: z.array(IdMapping).optional(),
  gidMappings: z.array(IdMapping).optional(),
});

export const Root = obj({
  path: z.string(),
  readonly: z.boolean().optional(),
});

export const Rlimit = obj({
  type: z.string().regex(/^RLIMIT_[A-Z]+$/),
  soft: uint64(),
  hard: uint64(),
});

export const Capabilities = obj({
  bounding: stringArray().optional(),
  effective: stringArray().optional(),
  inheritable: stringArray().optional(),
  permitted: stringArray().optional(),
  ambient: stringArray().optional(),
});

export const User = obj({
  uid: uint32().optional(),
  gid: uint32().optional(),
  umask: uint32().optional(),
  additionalGids: z.array(uint32()).optional(),
  username: z.string().optional(),
});

export const SchedulerPolicy = z.enum([
  'SCHED_OTHER',
  'SCHED_FIFO',
  'SCHED_RR',
  'SCHED_BATCH',
  'SCHED_ISO',
  'SCHED_IDLE',
  'SCHED_DEADLINE',
]);

export const SchedulerFlag = z.enum([
  'SCHED_FLAG_RESET_ON_FORK',
  'SCHED_FLAG_RECLAIM',
  'SCHED_FLAG_DL_OVERRUN',
  'SCHED_FLAG_KEEP_POLICY',
  'SCHED_FLAG_KEEP_PARAMS',
  'SCHED_FLAG_UTIL_CLAMP_MIN',
  'SCHED_FLAG_UTIL_CLAMP_MAX',
]);

export const Scheduler = obj({
  policy: SchedulerPolicy,
  nice: int32().optional(),
  priority: int32().optional(),
  flags: z.array(SchedulerFlag).optional(),
  runtime: uint64().optional(),
  deadline: uint64().optional(),
  period: uint64().optional(),
});

export const IoPriority = obj({
  class: z.enum(['IOPRIO_CLASS_RT', 'IOPRIO_CLASS_BE', 'IOPRIO_CLASS_IDLE']),
  priority: int32().optional(),
});

const cpuList = () => z.string().regex(/^[0-9, -]*$/);

export const ExecCPUAffinity = obj({
  initial: cpuList().optional(),
  final: cpuList().optional(),
});

export const ConsoleSize = obj({
  height: uint64(),
  width: uint64(),
});

export const Process = obj({
  terminal: z.boolean().optional(),
  consoleSize: ConsoleSize.optional(),
  cwd: z.string(),
  env: stringArray().optional(),
  args: stringArray().optional(),
  commandLine: z.string().optional(),
  rlimits: z.array(Rlimit).optional(),
  apparmorProfile: z.string().optional(),
  capabilities: Capabilities.optional(),
  noNewPrivileges: z.boolean().optional(),
  oomScoreAdj: ranged(-1000, 1000).optional(), // the range /proc/<pid>/oom_score_adj accepts
  scheduler: Scheduler.optional(),
  selinuxLabel: z.string().optional(),
  ioPriority: IoPriority.optional(),
  execCPUAffinity: ExecCPUAffinity.optional(),
  user: User.optional(),
});

export const Hook = obj({
  path: z.string(),
  args: stringArray().optional(),
  env: stringArray().optional(),
  timeout: z.int().min(1).optional(),
});

export const HookName = z.enum([
  'prestart',
  'createRuntime',
  'createContainer',
  'startContainer',
  'poststart',
  'poststop',
]);

export const Hooks = obj({
  prestart: z.array(Hook).optional(),
  createRuntime: z.array(Hook).optional(),
  createContainer: z.array(Hook).optional(),
  startContainer: z.array(Hook).optional(),
  poststart: z.array(Hook).optional(),
  poststop: z.array(Hook).optional(),
});

// ---------------------------------------------------------------------------------------------
// config-linux.md
// ---------------------------------------------------------------------------------------------

export const NamespaceType = z.enum(['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time']);

export const Namespace = obj({
  type: NamespaceType,
  path: z.string().optional(),
});

export const TimeOffset = obj({
  secs: int64().optional(),
  nanosecs: uint32().optional(),
});

export const Device = obj({
  type: z.enum(['c', 'b', 'u', 'p']),
  path: z.string(),
  major: int64().optional(),
  minor: int64().optional(),
  fileMode: uint32().optional(),
  uid: uint32().optional(),
  gid: uint32().optional(),
});

export const DeviceCgroup = obj({
  allow: z.boolean(),
  type: z.enum(['a', 'c', 'b']).optional(),
  major: int64().optional(),
  minor: int64().optional(),
  access: z.string().regex(/^[rwm]*$/).optional(),
});

export const Memory = obj({
  limit: int64().optional(),
  reservation: int64().optional(),
  swap: int64().optional(),
  kernel: int64().optional(),
  kernelTCP: int64().optional(),
  swappiness: uint64().optional(),
  disableOOMKiller: z.boolean().optional(),
  useHierarchy: z.boolean().optional(),
  checkBeforeUpdate: z.boolean().optional(),
});

export const Cpu = obj({
  shares: uint64().optional(),
  quota: int64().optional(),
  burst: uint64().optional(),
  period: uint64().optional(),
  realtimeRuntime: int64().optional(),
  realtimePeriod: uint64().optional(),
  cpus: z.string().optional(),
  mems: z.string().optional(),
  idle: int64().optional(),
});

const blkioWeight = () => uint16();

export const WeightDevice = obj({
  major: int64(),
  minor: int64(),
  weight: blkioWeight().optional(),
  leafWeight: blkioWeight().optional(),
});

export const ThrottleDevice = obj({
  major: int64(),
  minor: int64(),
  rate: uint64(),
});

export const BlockIO = obj({
  weight: blkioWeight().optional(),
  leafWeight: blkioWeight().optional(),
  weightDevice: z.array(WeightDevice).optional(),
  throttleReadBpsDevice: z.array(ThrottleDevice).optional(),
  throttleWriteBpsDevice: z.array(ThrottleDevice).optional(),
  throttleReadIOPSDevice: z.array(ThrottleDevice).optional(),
  throttleWriteIOPSDevice: z.array(ThrottleDevice).optional(),
});

export const HugepageLimit = obj({
  pageSize: z.string(),
  limit: uint64(),
});

export const Network = obj({
  classID: uint32().optional(),
  priorities: z.array(obj({ name: z.string(), priority: uint32() })).optional(),
});

export const Pids = obj({
  limit: int64().optional(),
});

export const Rdma = obj({
  hcaHandles: uint32().optional(),
  hcaObjects: uint32().optional(),
});

export const Resources = obj({
  devices: z.array(DeviceCgroup).optional(),
  memory: Memory.optional(),
  cpu: Cpu.optional(),
  blockIO: BlockIO.optional(),
  hugepageLimits: z.array(HugepageLimit).optional(),
  network: Network.optional(),
  pids: Pids.optional(),
  rdma: z.record(z.string(), Rdma).optional(),
  unified: stringMap().optional(),
});

export const IntelRdt = obj({
  closID: z.string().optional(),
  l3CacheSchema: z.string().optional(),
  memBwSchema: z.string().optional(),
  schemata: stringArray().optional(),
  enableMonitoring: z.boolean().optional(),
});

export const SeccompAction = z.enum([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
]);

export const SeccompArch = z.enum([
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
  'SCMP_ARCH_LOONGARCH64',
  'SCMP_ARCH_M68K',
  'SCMP_ARCH_SH',
  'SCMP_ARCH_SHEB',
]);

export const SeccompOperator = z.enum([
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
]);

export const SeccompFlag = z.enum([
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
]);

export const SeccompArg = obj({
  index: uint32(),
  value: uint64(),
  valueTwo: uint64().optional(),
  op: SeccompOperator,
});

export const Syscall = obj({
  names: z.array(z.string()).min(1),
  action: SeccompAction,
  errnoRet: uint32().optional(),
  args: z.array(SeccompArg).optional(),
});

export const Seccomp = obj({
  defaultAction: SeccompAction,
  defaultErrnoRet: uint32().optional(),
  architectures: z.array(SeccompArch).optional(),
  flags: z.array(SeccompFlag).optional(),
  listenerPath: z.string().optional(),
  listenerMetadata: z.string().optional(),
  syscalls: z.array(Syscall).optional(),
});

export const Personality = obj({
  domain: z.enum(['LINUX', 'LINUX32']),
  flags: stringArray().optional(),
});

export const NetDevice = obj({
  name: z.string().optional(),
});

export const MemoryPolicy = obj({
  mode: z.enum([
    'MPOL_DEFAULT',
    'MPOL_BIND',
    'MPOL_INTERLEAVE',
    'MPOL_WEIGHTED_INTERLEAVE',
    'MPOL_PREFERRED',
    'MPOL_PREFERRED_MANY',
    'MPOL_LOCAL',
  ]),
  nodes: z.string().optional(),
  flags: z.array(z.enum(['MPOL_F_NUMA_BALANCING', 'MPOL_F_RELATIVE_NODES', 'MPOL_F_STATIC_NODES'])).optional(),
});

export const Linux = obj({
  namespaces: z.array(Namespace).optional(),
  uidMappings: z.array(IdMapping).optional(),
  gidMappings: z.array(IdMapping).optional(),
  timeOffsets: z.record(z.string(), TimeOffset).optional(),
  devices: z.array(Device).optional(),
  cgroupsPath: z.string().optional(),
  resources: Resources.optional(),
  intelRdt: IntelRdt.optional(),
  sysctl: stringMap().optional(),
  seccomp: Seccomp.optional(),
  rootfsPropagation: z.string().optional(),
  maskedPaths: stringArray().optional(),
  readonlyPaths: stringArray().optional(),
  mountLabel: z.string().optional(),
  personality: Personality.optional(),
  netDevices: z.record(z.string(), NetDevice).optional(),
  memoryPolicy: MemoryPolicy.optional(),
});

export const Config = obj({
  ociVersion: z.string(),
  root: Root.optional(),
  mounts: z.array(Mount).optional(),
  process: Process.optional(),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  hooks: Hooks.optional(),
  annotations: stringMap().optional(),
  linux: Linux.optional(),
});

export type Config = z.infer<typeof Config>;
export type Process = z.infer<typeof Process>;
export type Mount = z.infer<typeof Mount>;
export type Linux = z.infer<typeof Linux>;
export type Namespace = z.infer<typeof Namespace>;
export type NamespaceType = z.infer<typeof NamespaceType>;
export type Hook = z.infer<typeof Hook>;
export type HookName = z.infer<typeof HookName>;
export type Resources = z.infer<typeof Resources>;
export type IdMapping = z.infer<typeof IdMapping>;
export type Seccomp = z.infer<typeof Seccomp>;

