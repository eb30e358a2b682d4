// linux.seccomp → the filter to load, as numbers libseccomp takes (libseccomp's seccomp.h).
// Pure: checked at create (so that an unsupported field fails before anything starts) and
// unit-tested; ffi/libseccomp.ts loads the result.
import { RuntsError } from '../errors.js';
import type { Seccomp } from './config.js';

const EPERM = 1;

/** SCMP_ACT_* values; ERRNO and TRACE carry their data in the low 16 bits. */
const ACTIONS = {
  SCMP_ACT_KILL: 0x00000000,
  SCMP_ACT_KILL_THREAD: 0x00000000,
  SCMP_ACT_KILL_PROCESS: 0x80000000,
  SCMP_ACT_TRAP: 0x00030000,
  SCMP_ACT_ERRNO: 0x00050000,
  SCMP_ACT_TRACE: 0x7ff00000,
  SCMP_ACT_LOG: 0x7ffc0000,
  SCMP_ACT_ALLOW: 0x7fff0000,
} as const;

/** enum scmp_compare. */
const OPERATORS = { SCMP_CMP_NE: 1, SCMP_CMP_LT: 2, SCMP_CMP_LE: 3, SCMP_CMP_EQ: 4, SCMP_CMP_GE: 5, SCMP_CMP_GT: 6, SCMP_CMP_MASKED_EQ: 7 } as const;

/** The spec's flags (config-linux.md), as `features` lists them. */
export const KNOWN_FLAGS = ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'] as const;

/** Flags runts can set (through libseccomp's filter attributes). */
export const SUPPORTED_FLAGS = ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'] as const;
export const SUPPORTED_ACTIONS = [...Object.keys(ACTIONS)] as (keyof typeof ACTIONS)[];
export const SUPPORTED_OPERATORS = Object.keys(OPERATORS) as (keyof typeof OPERATORS)[];

export interface ArgComparison {
  index: number;
  op: number;
  value: bigint;
  valueTwo: bigint;
}

export interface SeccompRule {
  action: number;
  syscall: string;
  /** The comparisons of one rule (all must hold). */
  args: ArgComparison[];
}

export interface SeccompPlan {
  defaultAction: number;
  /** libseccomp architecture names ("x86_64", "x86"...), besides the native one. */
  architectures: string[];
  flags: (typeof SUPPORTED_FLAGS)[number][];
  rules: SeccompRule[];
}

function actionValue(action: string, errnoRet: number | undefined, where: string): number {
  if (action === 'SCMP_ACT_NOTIFY') throw new RuntsError(`${where}: SCMP_ACT_NOTIFY (a seccomp user-space listener) is not supported by runts`);
  const base = ACTIONS[action as keyof typeof ACTIONS];
  if (base === undefined) throw new RuntsError(`${where}: unknown seccomp action ${action}`);
  // config-linux.md: errnoRet defaults to EPERM.
  if (action === 'SCMP_ACT_ERRNO') return (base | ((errnoRet ?? EPERM) & 0xffff)) >>> 0;
  if (action === 'SCMP_ACT_TRACE') return (base | ((errnoRet ?? EPERM) & 0xffff)) >>> 0;
  return base >>> 0;
}

/** "SCMP_ARCH_X86_64" → "x86_64", as libseccomp's seccomp_arch_resolve_name takes it. */
const archName = (arch: string) => arch.replace(/^SCMP_ARCH_/, '').toLowerCase();

export function planSeccomp(seccomp: Seccomp, where: string): SeccompPlan {
  if (seccomp.listenerPath) throw new RuntsError(`${where}/listenerPath: a seccomp user-space listener is not supported by runts`);
  for (const flag of seccomp.flags ?? []) {
    if (!(SUPPORTED_FLAGS as readonly string[]).includes(flag)) throw new RuntsError(`${where}/flags: ${flag} is not supported by runts`);
  }
  const defaultAction = actionValue(seccomp.defaultAction, seccomp.defaultErrnoRet, `${where}/defaultAction`);
  const rules: SeccompRule[] = [];
  (seccomp.syscalls ?? []).forEach((entry, i) => {
    const action = actionValue(entry.action, entry.errnoRet, `${where}/syscalls/${i}/action`);
    // A rule that does what the default does adds nothing (and libseccomp refuses it).
    if (action === defaultAction) return;
    const args = (entry.args ?? []).map((arg) => ({ index: arg.index, op: OPERATORS[arg.op], value: BigInt(arg.value), valueTwo: BigInt(arg.valueTwo ?? 0) }));
    // libseccomp takes one comparison per argument in a rule. As runc: comparisons of the same
    // argument are alternatives, so each becomes a rule of its own.
    const indexes = args.map((arg) => arg.index);
    const alternatives = new Set(indexes).size === indexes.length ? [args] : args.map((arg) => [arg]);
    for (const syscall of entry.names) for (const comparisons of alternatives) rules.push({ action, syscall, args: comparisons });
  });
  return { defaultAction, architectures: (seccomp.architectures ?? []).map(archName), flags: (seccomp.flags ?? []) as SeccompPlan['flags'], rules };
}
