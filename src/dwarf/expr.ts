// DWARF expressions (DWARF 5 §2.5 "DWARF Expressions", §2.6 "Location
// Descriptions"): a table-driven decoder (operands from tables.ts DW_OP), a
// printer in binutils' readelf style (so tests can compare with
// `readelf --debug-dump`), and a stack-machine evaluator that reads registers
// and memory through an interface, so the debugger can plug a PE in.

import { ByteReader, DwarfError } from './reader';
import { DW_OP, DW_OP_breg0, DW_OP_lit0, DW_OP_reg0, aarch64RegName, opName } from './tables';

export type OperandValue = bigint | Uint8Array | Op[];

export interface Op {
  /** Offset of the operation inside its expression. */
  offset: number;
  /** Encoded size in bytes. */
  size: number;
  code: number;
  operands: OperandValue[];
}

export interface ExprFormat {
  addressSize: number;
  offsetSize: 4 | 8;
  /** Offset of the unit in .debug_info (DW_OP_*_type operands are unit-relative). */
  unitOffset?: number;
}

/** Decodes an expression into operations (DWARF 5 §7.7.1, Table 7.9). */
export function decodeExpr(bytes: Uint8Array, fmt: ExprFormat, what = 'DWARF expression'): Op[] {
  const r: ByteReader = new ByteReader(bytes, 0, bytes.length, what);
  const ops: Op[] = [];
  while (!r.atEnd) {
    const offset = r.pos;
    const code = r.u8('operation');
    const info = DW_OP.get(code);
    if (!info) {
      r.pos = offset;
      r.fail(`operation 0x${code.toString(16)}`, 'is not a known DW_OP_* code');
    }
    const operands: OperandValue[] = [];
    for (const kind of info.operands) {
      const f = `${info.name} operand`;
      switch (kind) {
        case 'u1': operands.push(r.uN(1, f)); break;
        case 's1': operands.push(r.sN(1, f)); break;
        case 'u2': operands.push(r.uN(2, f)); break;
        case 's2': case 'skip': operands.push(r.sN(2, f)); break;
        case 'u4': operands.push(r.uN(4, f)); break;
        case 's4': operands.push(r.sN(4, f)); break;
        case 'u8': operands.push(r.uN(8, f)); break;
        case 's8': operands.push(r.sN(8, f)); break;
        case 'uleb': operands.push(r.uleb(f)); break;
        case 'sleb': operands.push(r.sleb(f)); break;
        case 'addr': operands.push(r.uN(fmt.addressSize, f)); break;
        case 'offset': operands.push(r.uN(fmt.offsetSize, f)); break;
        case 'block': operands.push(r.bytes(r.ulebNum(`${f} length`), f)); break;
        case 'block1': operands.push(r.bytes(r.u8(`${f} length`), f)); break;
        case 'expr': operands.push(decodeExpr(r.bytes(r.ulebNum(`${f} length`), f), fmt, `${what} ${info.name}`)); break;
      }
    }
    ops.push({ offset, size: r.pos - offset, code, operands });
  }
  return ops;
}

const sdec = (v: OperandValue): string => (v as bigint).toString();
/** A unit-relative type DIE reference as readelf prints it; 0 means the generic type (DWARF 5 §2.5.1.6). */
const typeRef = (v: OperandValue, uo: bigint): string => ((v as bigint) === 0n ? '<0>' : `<0x${hexs((v as bigint) + uo)}>`);
const hexs = (v: bigint): string => v.toString(16);

/** Prints operations as binutils readelf does (`DW_OP_breg31 (sp): 16; DW_OP_stack_value`). */
export function formatExpr(ops: readonly Op[], fmt: Partial<ExprFormat> = {}): string {
  const uo = BigInt(fmt.unitOffset ?? 0);
  return ops
    .map((op) => {
      const name = opName(op.code);
      const o = op.operands;
      if (op.code >= DW_OP_reg0 && op.code < DW_OP_reg0 + 32) return `${name} (${aarch64RegName(op.code - DW_OP_reg0)})`;
      if (op.code >= DW_OP_breg0 && op.code < DW_OP_breg0 + 32) return `${name} (${aarch64RegName(op.code - DW_OP_breg0)}): ${sdec(o[0])}`;
      switch (name) {
        case 'DW_OP_addr': return `${name}: ${hexs(o[0] as bigint)}`;
        case 'DW_OP_regx': return `${name}: ${sdec(o[0])} (${aarch64RegName(Number(o[0]))})`;
        case 'DW_OP_bregx': return `${name}: ${sdec(o[0])} (${aarch64RegName(Number(o[0]))}) ${sdec(o[1])}`;
        case 'DW_OP_bit_piece': return `${name}: size: ${sdec(o[0])} offset: ${sdec(o[1])} `;
        case 'DW_OP_entry_value': case 'DW_OP_GNU_entry_value': return `${name}: (${formatExpr(o[0] as Op[], fmt)})`;
        case 'DW_OP_implicit_value': {
          const b = o[0] as Uint8Array;
          return `${name} ${b.length} byte block: ${Array.from(b, (x) => x.toString(16)).join(' ')} `;
        }
        case 'DW_OP_implicit_pointer': case 'DW_OP_GNU_implicit_pointer':
          return `${name}: <0x${hexs(o[0] as bigint)}> ${sdec(o[1])}`;
        case 'DW_OP_GNU_parameter_ref': return `${name}: <0x${hexs((o[0] as bigint) + uo)}>`;
        case 'DW_OP_convert': case 'DW_OP_GNU_convert': case 'DW_OP_reinterpret': case 'DW_OP_GNU_reinterpret':
          return `${name} ${typeRef(o[0], uo)}`;
        case 'DW_OP_regval_type': case 'DW_OP_GNU_regval_type':
          return `${name}: ${sdec(o[0])} (${aarch64RegName(Number(o[0]))}) ${typeRef(o[1], uo)}`;
        case 'DW_OP_deref_type': case 'DW_OP_GNU_deref_type': return `${name}: ${sdec(o[0])} ${typeRef(o[1], uo)}`;
        case 'DW_OP_const_type': case 'DW_OP_GNU_const_type': {
          const b = o[1] as Uint8Array;
          return `${name}: ${typeRef(o[0], uo)} ${b.length} byte block: ${Array.from(b, (x) => x.toString(16)).join(' ')} `;
        }
      }
      if (o.length === 0) return name;
      return `${name}: ${o.map((v) => sdec(v)).join(' ')}`;
    })
    .join('; ');
}

/** What the evaluator reads from the machine. Undefined means "cannot be read now". */
export interface EvalContext {
  readRegister(dwarfReg: number): bigint | undefined;
  /** Little-endian value of `size` bytes at `address`. */
  readMemory(address: bigint, size: number): bigint | undefined;
  /** Value of the enclosing function's DW_AT_frame_base (for DW_OP_fbreg). */
  frameBase?(): bigint | undefined;
  /** The canonical frame address at the current PC (DW_OP_call_frame_cfa), from CFI. */
  cfa?(): bigint | undefined;
  /** Entry of .debug_addr (DW_OP_addrx, DW_OP_constx). */
  addrx?(index: number): bigint;
  /** For DW_OP_push_object_address. */
  objectAddress?: bigint;
}

/** Where a value lives (DWARF 5 §2.6.1 "Simple Location Descriptions" and §2.6.1.2 "Composite"). */
export type Location =
  | { kind: 'register'; reg: number; name: string }
  | { kind: 'memory'; address: bigint }
  /** DW_OP_stack_value: the value itself, not its location. */
  | { kind: 'value'; value: bigint }
  | { kind: 'implicit'; bytes: Uint8Array }
  | { kind: 'implicit-pointer'; die: number; offset: bigint }
  | { kind: 'pieces'; pieces: Piece[] }
  /** The expression is empty: the object exists but has no location here (§2.6.1.1.1). */
  | { kind: 'optimized-out' }
  /** The value could be computed only with information we do not have (entry values, unreadable state). */
  | { kind: 'unavailable'; reason: string };

export interface Piece {
  sizeBits: number;
  /** Bit offset inside the location (DW_OP_bit_piece); 0 for DW_OP_piece. */
  offsetBits: number;
  location: Location;
}

const M64 = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => v & M64;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

class Unavailable {
  constructor(readonly reason: string) {}
}

/**
 * Evaluates a location expression. Machine state that cannot be read gives an
 * 'unavailable' result; a malformed expression raises a DwarfError.
 */
export function evaluateLocation(ops: readonly Op[], ctx: EvalContext, opts: { initialStack?: bigint[]; addressSize?: number } = {}): Location {
  if (ops.length === 0) return { kind: 'optimized-out' };
  try {
    return run(ops, ctx, opts.initialStack ?? [], opts.addressSize ?? 8);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable', reason: e.reason };
    throw e;
  }
}

/** Evaluates an expression that computes a value (DW_AT_frame_base when it names a register gives that register's contents). */
export function evaluateValue(ops: readonly Op[], ctx: EvalContext): bigint | undefined {
  const loc = evaluateLocation(ops, ctx);
  switch (loc.kind) {
    case 'memory': return loc.address;
    case 'value': return loc.value;
    case 'register': return ctx.readRegister(loc.reg);
    default: return undefined;
  }
}

function run(ops: readonly Op[], ctx: EvalContext, init: bigint[], addressSize: number): Location {
  const stack: bigint[] = [...init];
  const pieces: Piece[] = [];
  /** A location set by DW_OP_regN / implicit_value / stack_value, waiting for a piece or the end. */
  let pending: Location | undefined;
  const byOffset = new Map<number, number>();
  ops.forEach((o, i) => byOffset.set(o.offset, i));
  const pop = (op: string): bigint => {
    const v = stack.pop();
    if (v === undefined) throw new DwarfError(`DWARF expression: ${op} pops an empty stack`);
    return v;
  };
  const reg = (n: number): bigint => {
    const v = ctx.readRegister(n);
    if (v === undefined) throw new Unavailable(`register ${aarch64RegName(n)} cannot be read`);
    return v;
  };
  const mem = (a: bigint, size: number): bigint => {
    const v = ctx.readMemory(a, size);
    if (v === undefined) throw new Unavailable(`memory at 0x${a.toString(16)} cannot be read`);
    return v;
  };
  const finish = (): Location | undefined => {
    if (pending) return pending;
    if (stack.length === 0) return undefined;
    return { kind: 'memory', address: u64(stack[stack.length - 1]) };
  };
  let steps = 0;
  for (let i = 0; i < ops.length; i++) {
    if (++steps > 100000) throw new DwarfError('DWARF expression: more than 100000 steps (a loop?)');
    const op = ops[i];
    const c = op.code;
    const o = op.operands as bigint[];
    const name = opName(c);
    if (pending && name !== 'DW_OP_piece' && name !== 'DW_OP_bit_piece') {
      throw new DwarfError(`DWARF expression: ${name} follows a register, implicit or stack value location (only DW_OP_piece may)`);
    }
    if (c >= DW_OP_lit0 && c < DW_OP_lit0 + 32) { stack.push(BigInt(c - DW_OP_lit0)); continue; }
    if (c >= DW_OP_reg0 && c < DW_OP_reg0 + 32) { pending = { kind: 'register', reg: c - DW_OP_reg0, name: aarch64RegName(c - DW_OP_reg0) }; continue; }
    if (c >= DW_OP_breg0 && c < DW_OP_breg0 + 32) { stack.push(u64(reg(c - DW_OP_breg0) + o[0])); continue; }
    switch (name) {
      case 'DW_OP_addr': case 'DW_OP_const1u': case 'DW_OP_const2u': case 'DW_OP_const4u': case 'DW_OP_const8u':
      case 'DW_OP_constu': stack.push(o[0]); break;
      case 'DW_OP_const1s': case 'DW_OP_const2s': case 'DW_OP_const4s': case 'DW_OP_const8s': case 'DW_OP_consts':
        stack.push(u64(o[0])); break;
      case 'DW_OP_addrx': case 'DW_OP_constx': case 'DW_OP_GNU_addr_index': case 'DW_OP_GNU_const_index':
        if (!ctx.addrx) throw new Unavailable(`${name} needs .debug_addr`);
        stack.push(ctx.addrx(Number(o[0]))); break;
      case 'DW_OP_regx': pending = { kind: 'register', reg: Number(o[0]), name: aarch64RegName(Number(o[0])) }; break;
      case 'DW_OP_bregx': stack.push(u64(reg(Number(o[0])) + o[1])); break;
      case 'DW_OP_fbreg': {
        const fb = ctx.frameBase?.();
        if (fb === undefined) throw new Unavailable('the frame base is not known');
        stack.push(u64(fb + o[0]));
        break;
      }
      case 'DW_OP_call_frame_cfa': {
        const cfa = ctx.cfa?.();
        if (cfa === undefined) throw new Unavailable('the canonical frame address is not known');
        stack.push(cfa);
        break;
      }
      case 'DW_OP_dup': { const v = pop(name); stack.push(v, v); break; }
      case 'DW_OP_drop': pop(name); break;
      case 'DW_OP_over':
        if (stack.length < 2) throw new DwarfError(`DWARF expression: DW_OP_over with ${stack.length} entries`);
        stack.push(stack[stack.length - 2]);
        break;
      case 'DW_OP_pick': {
        const k = Number(o[0]);
        if (k >= stack.length) throw new DwarfError(`DWARF expression: DW_OP_pick ${k} with ${stack.length} entries`);
        stack.push(stack[stack.length - 1 - k]);
        break;
      }
      case 'DW_OP_swap': { const a = pop(name), b = pop(name); stack.push(a, b); break; }
      case 'DW_OP_rot': { const a = pop(name), b = pop(name), d = pop(name); stack.push(a, d, b); break; }
      case 'DW_OP_deref': stack.push(mem(pop(name), addressSize)); break;
      case 'DW_OP_deref_size': stack.push(mem(pop(name), Number(o[0]))); break;
      case 'DW_OP_abs': { const v = s64(pop(name)); stack.push(u64(v < 0n ? -v : v)); break; }
      case 'DW_OP_neg': stack.push(u64(-s64(pop(name)))); break;
      case 'DW_OP_not': stack.push(u64(~pop(name))); break;
      case 'DW_OP_plus_uconst': stack.push(u64(pop(name) + o[0])); break;
      case 'DW_OP_and': case 'DW_OP_div': case 'DW_OP_minus': case 'DW_OP_mod': case 'DW_OP_mul': case 'DW_OP_or':
      case 'DW_OP_plus': case 'DW_OP_shl': case 'DW_OP_shr': case 'DW_OP_shra': case 'DW_OP_xor':
      case 'DW_OP_eq': case 'DW_OP_ge': case 'DW_OP_gt': case 'DW_OP_le': case 'DW_OP_lt': case 'DW_OP_ne': {
        const b = pop(name), a = pop(name);
        stack.push(binary(name, a, b));
        break;
      }
      case 'DW_OP_skip': case 'DW_OP_bra': {
        if (name === 'DW_OP_bra' && pop(name) === 0n) break;
        // The offset counts from the end of this operation (3 bytes long) (§2.5.1.5).
        const target = op.offset + 3 + Number(o[0]);
        if (target === opsEnd(ops)) { i = ops.length; break; }
        const j = byOffset.get(target);
        if (j === undefined) throw new DwarfError(`DWARF expression: ${name} at ${op.offset} jumps to ${target}, not the start of an operation`);
        i = j - 1;
        break;
      }
      case 'DW_OP_nop': break;
      case 'DW_OP_push_object_address':
        if (ctx.objectAddress === undefined) throw new Unavailable('no object address');
        stack.push(ctx.objectAddress);
        break;
      case 'DW_OP_stack_value': pending = { kind: 'value', value: pop(name) }; break;
      case 'DW_OP_implicit_value': pending = { kind: 'implicit', bytes: op.operands[0] as Uint8Array }; break;
      case 'DW_OP_implicit_pointer': case 'DW_OP_GNU_implicit_pointer':
        pending = { kind: 'implicit-pointer', die: Number(o[0]), offset: o[1] };
        break;
      case 'DW_OP_entry_value': case 'DW_OP_GNU_entry_value':
        // The value a register had on entry needs call-site information or unwinding we do not do.
        throw new Unavailable(`${name}: the value on entry to the function is not recorded`);
      case 'DW_OP_piece': case 'DW_OP_bit_piece': {
        const loc = finish() ?? { kind: 'optimized-out' as const };
        pieces.push({ sizeBits: name === 'DW_OP_piece' ? Number(o[0]) * 8 : Number(o[0]), offsetBits: name === 'DW_OP_piece' ? 0 : Number(o[1]), location: loc });
        pending = undefined;
        stack.length = 0;
        break;
      }
      default:
        throw new Unavailable(`${name} is not supported by this evaluator`);
    }
  }
  if (pieces.length > 0) {
    if (pending || stack.length > 0) throw new DwarfError('DWARF expression: a composite location ends without DW_OP_piece');
    return { kind: 'pieces', pieces };
  }
  const loc = finish();
  if (!loc) throw new DwarfError('DWARF expression leaves an empty stack');
  return loc;
}

function opsEnd(ops: readonly Op[]): number {
  const last = ops[ops.length - 1];
  return last ? last.offset + last.size : 0;
}

function binary(name: string, a: bigint, b: bigint): bigint {
  const cmp = (x: boolean): bigint => (x ? 1n : 0n);
  switch (name) {
    case 'DW_OP_and': return a & b;
    case 'DW_OP_or': return a | b;
    case 'DW_OP_xor': return a ^ b;
    case 'DW_OP_plus': return u64(a + b);
    case 'DW_OP_minus': return u64(a - b);
    case 'DW_OP_mul': return u64(a * b);
    case 'DW_OP_div':
      // Signed division (§2.5.1.4); division by zero is an error in the expression.
      if (b === 0n) throw new DwarfError('DWARF expression: DW_OP_div by zero');
      return u64(s64(a) / s64(b));
    case 'DW_OP_mod':
      if (b === 0n) throw new DwarfError('DWARF expression: DW_OP_mod by zero');
      return u64(a % b);
    case 'DW_OP_shl': return b >= 64n ? 0n : u64(a << b);
    case 'DW_OP_shr': return b >= 64n ? 0n : a >> b;
    case 'DW_OP_shra': return u64(s64(a) >> (b >= 64n ? 63n : b));
    // Comparisons are signed (§2.5.1.5).
    case 'DW_OP_eq': return cmp(s64(a) === s64(b));
    case 'DW_OP_ne': return cmp(s64(a) !== s64(b));
    case 'DW_OP_ge': return cmp(s64(a) >= s64(b));
    case 'DW_OP_gt': return cmp(s64(a) > s64(b));
    case 'DW_OP_le': return cmp(s64(a) <= s64(b));
    case 'DW_OP_lt': return cmp(s64(a) < s64(b));
  }
  throw new DwarfError(`DWARF expression: ${name} is not a binary operation`);
}
