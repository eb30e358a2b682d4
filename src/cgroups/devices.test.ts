import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_DEVICES, deviceFilterProgram, deviceRules, v1DeviceLine } from './devices.js';

/**
 * Runs a device filter program the way the kernel would for one request: a small interpreter
 * of the instructions deviceFilterProgram emits, so that the rules' meaning is tested here and
 * the kernel's acceptance of the program in the v2 guest (conformance/cgroups.test.ts).
 */
function decide(program: Buffer, type: 'c' | 'b', major: number, minor: number, access: string): boolean {
  const accessBits = [...access].reduce((bits, letter) => bits | ({ m: 1, r: 2, w: 4 } as Record<string, number>)[letter]!, 0);
  const context = [(accessBits << 16) | (type === 'c' ? 2 : 1), major, minor];
  const r = new Array<number>(11).fill(0);
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = program.readUInt8(pc * 8);
    const dst = program.readUInt8(pc * 8 + 1) & 0xf;
    const src = program.readUInt8(pc * 8 + 1) >> 4;
    const off = program.readInt16LE(pc * 8 + 2);
    const imm = program.readInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x61: r[dst] = context[off / 4]! >>> 0; break;
      case 0x54: r[dst] = (r[dst]! & imm) >>> 0; break;
      case 0x74: r[dst] = r[dst]! >>> imm; break;
      case 0xb7: r[dst] = imm; break;
      case 0xbf: r[dst] = r[src]!; break;
      case 0x15: if (r[dst] === imm) pc += off; break;
      case 0x55: if (r[dst] !== imm) pc += off; break;
      case 0x95: return r[0] === 1;
      default: throw new Error(`unknown opcode ${code}`);
    }
  }
  throw new Error('fell off the end of the program');
}

describe('device rules', () => {
  it('appends runc\'s default list after the config\'s rules, and nothing for no rules', () => {
    expect(deviceRules(undefined)).toEqual([]);
    const rules = deviceRules([{ allow: false, access: 'rwm' }]);
    expect(rules[0]).toEqual({ allow: false, type: 'a', major: undefined, minor: undefined, access: 'rwm' });
    expect(rules.slice(1)).toEqual(DEFAULT_ALLOWED_DEVICES);
  });

  it('writes v1 lines', () => {
    expect(deviceRules([{ allow: false, access: 'rwm' }]).slice(0, 4).map(v1DeviceLine)).toEqual(['a', 'c *:* m', 'b *:* m', 'c 1:3 rwm']);
  });

  it('builds a v2 program where the last matching rule decides', () => {
    const program = deviceFilterProgram(deviceRules([{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 1, minor: 11, access: 'w' }]));
    expect(decide(program, 'c', 1, 3, 'rw')).toBe(true); // /dev/null: default list
    expect(decide(program, 'c', 136, 7, 'rw')).toBe(true); // a pts
    expect(decide(program, 'c', 1, 11, 'w')).toBe(true); // kmsg, allowed for writing
    expect(decide(program, 'c', 1, 11, 'r')).toBe(false); // ... and only for that
    expect(decide(program, 'b', 8, 0, 'r')).toBe(false); // denied by the first rule
    expect(decide(program, 'b', 8, 0, 'm')).toBe(true); // mknod of anything: default list
  });

  it('lets a later deny override an earlier allow', () => {
    const program = deviceFilterProgram(deviceRules([{ allow: true, access: 'rwm' }, { allow: false, type: 'b', major: 8, access: 'w' }]));
    expect(decide(program, 'b', 8, 1, 'r')).toBe(true);
    expect(decide(program, 'b', 8, 1, 'rw')).toBe(false);
    expect(decide(program, 'c', 4, 1, 'rw')).toBe(true);
  });
});
