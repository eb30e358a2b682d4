// linux.resources.devices: who may mknod, read or write which device nodes. The spec's rules
// apply in the listed order (a later rule overrides an earlier one, as on cgroup v1), and runc's
// default allow list comes after them, so the nodes every container needs (null, zero, tty,
// ptmx, pts...) work whatever the rules deny. v1 writes the rules to devices.allow/deny; v2 has
// no files for this and takes a BPF program (deviceFilterProgram, attached by manager.ts).
import type { Resources } from '../spec/config.js';

export interface DeviceRule {
  allow: boolean;
  /** 'a' (any), 'c' (char) or 'b' (block). */
  type: 'a' | 'c' | 'b';
  /** undefined: any. */
  major?: number | undefined;
  minor?: number | undefined;
  /** Some of "rwm". */
  access: string;
}

const allowChar = (major: number | undefined, minor: number | undefined, access = 'rwm'): DeviceRule => ({ allow: true, type: 'c', major, minor, access });

/** runc's AllowedDevices (libcontainer/specconv), after the config's rules. */
export const DEFAULT_ALLOWED_DEVICES: readonly DeviceRule[] = [
  allowChar(undefined, undefined, 'm'),
  { allow: true, type: 'b', access: 'm' },
  allowChar(1, 3), // /dev/null
  allowChar(1, 8), // /dev/random
  allowChar(1, 7), // /dev/full
  allowChar(5, 0), // /dev/tty
  allowChar(1, 5), // /dev/zero
  allowChar(1, 9), // /dev/urandom
  allowChar(136, undefined), // /dev/pts/*
  allowChar(5, 2), // /dev/ptmx
];

/** The rules to apply, or none when the config says nothing about devices. */
export function deviceRules(devices: Resources['devices']): DeviceRule[] {
  if (devices === undefined) return [];
  const wildcard = (value: number | undefined) => (value === undefined || value < 0 ? undefined : value);
  const rules = devices.map((rule) => ({
    allow: rule.allow,
    type: rule.type ?? 'a',
    major: wildcard(rule.major),
    minor: wildcard(rule.minor),
    access: rule.access || 'rwm',
  }));
  return [...rules, ...DEFAULT_ALLOWED_DEVICES];
}

/** A rule as v1's devices.allow/devices.deny take it: "c 1:3 rwm", "a *:* rwm". */
export function v1DeviceLine(rule: DeviceRule): string {
  if (rule.type === 'a') return 'a';
  return `${rule.type} ${rule.major ?? '*'}:${rule.minor ?? '*'} ${rule.access}`;
}

// --- cgroup v2: BPF_PROG_TYPE_CGROUP_DEVICE ---------------------------------------------------
// The program gets struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; } in r1,
// access_type being (access << 16) | type, and returns 1 to allow, 0 to deny.

const BPF_DEVCG_DEV_BLOCK = 1;
const BPF_DEVCG_DEV_CHAR = 2;
const ACCESS_BITS: Record<string, number> = { m: 1, r: 2, w: 4 };
const ALL_ACCESS = 7;

// Instruction opcodes (linux/bpf_common.h, linux/bpf.h).
const LDX_MEM_W = 0x61; // dst = *(u32 *)(src + off)
const ALU32_AND_K = 0x54;
const ALU32_RSH_K = 0x74;
const ALU64_MOV_K = 0xb7;
const ALU64_MOV_X = 0xbf;
const JMP_JEQ_K = 0x15;
const JMP_JNE_K = 0x55;
const EXIT = 0x95;

interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({ code, dst, src, off, imm });

function accessMask(access: string): number {
  let mask = 0;
  for (const letter of access) mask |= ACCESS_BITS[letter] ?? 0;
  return mask;
}

/**
 * One rule as a block that returns its verdict when the request matches and falls through to
 * the next block when not. An allow rule matches a request whose accesses it all allows; a
 * deny rule one that asks for any access it denies.
 */
function ruleBlock(rule: DeviceRule): Insn[] {
  // Tests, each jumping past the block's end when the request does not match; the offsets are
  // filled in once the block's length is known.
  const tests: Insn[] = [];
  if (rule.type !== 'a') tests.push(insn(JMP_JNE_K, 2, 0, 0, rule.type === 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK));
  const mask = accessMask(rule.access);
  if (mask !== ALL_ACCESS) {
    tests.push(insn(ALU64_MOV_X, 6, 3, 0, 0));
    if (rule.allow) {
      tests.push(insn(ALU32_AND_K, 6, 0, 0, ~mask & ALL_ACCESS));
      tests.push(insn(JMP_JNE_K, 6, 0, 0, 0));
    } else {
      tests.push(insn(ALU32_AND_K, 6, 0, 0, mask));
      tests.push(insn(JMP_JEQ_K, 6, 0, 0, 0));
    }
  }
  if (rule.major !== undefined) tests.push(insn(JMP_JNE_K, 4, 0, 0, rule.major));
  if (rule.minor !== undefined) tests.push(insn(JMP_JNE_K, 5, 0, 0, rule.minor));
  const block = [...tests, insn(ALU64_MOV_K, 0, 0, 0, rule.allow ? 1 : 0), insn(EXIT, 0, 0, 0, 0)];
  block.forEach((instruction, i) => {
    if (instruction.code === JMP_JNE_K || instruction.code === JMP_JEQ_K) instruction.off = block.length - i - 1;
  });
  return block;
}

/**
 * The program for `rules`: the last matching rule decides (rules are tested from the last), and
 * a request no rule matches is allowed, as in a fresh v1 cgroup under an allow-all parent.
 * Returns the instructions encoded as struct bpf_insn (8 bytes each).
 */
export function deviceFilterProgram(rules: DeviceRule[]): Buffer {
  const program: Insn[] = [
    insn(LDX_MEM_W, 2, 1, 0, 0),
    insn(ALU32_AND_K, 2, 0, 0, 0xffff), // r2 = type
    insn(LDX_MEM_W, 3, 1, 0, 0),
    insn(ALU32_RSH_K, 3, 0, 0, 16), // r3 = access
    insn(LDX_MEM_W, 4, 1, 4, 0), // r4 = major
    insn(LDX_MEM_W, 5, 1, 8, 0), // r5 = minor
  ];
  let catchAll = false;
  for (const rule of [...rules].reverse()) {
    const block = ruleBlock(rule);
    program.push(...block);
    // A rule that matches everything ends the program: the kernel's verifier refuses
    // instructions that can never run.
    catchAll = block.length === 2;
    if (catchAll) break;
  }
  if (!catchAll) program.push(insn(ALU64_MOV_K, 0, 0, 0, 1), insn(EXIT, 0, 0, 0, 0));
  const encoded = Buffer.alloc(program.length * 8);
  program.forEach((instruction, i) => {
    encoded.writeUInt8(instruction.code, i * 8);
    encoded.writeUInt8((instruction.src << 4) | instruction.dst, i * 8 + 1);
    encoded.writeInt16LE(instruction.off, i * 8 + 2);
    encoded.writeInt32LE(instruction.imm | 0, i * 8 + 4);
  });
  return encoded;
}
