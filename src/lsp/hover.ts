// Hover texts, built from the tables the rest of the project runs on:
//  - instructions from the A64 instruction table (src/asm/a64: operand syntax and the one-line
//    description of every encoding form),
//  - system registers from the simulator's descriptor table (src/sim/sysregs: long name,
//    fields, minEL, trap rules) and the assembler's encoding table (SYSREG_NAMES),
//  - labels / constants / macros from the document's Analysis (assembler symbol values).

import * as path from 'node:path';
import { BY_MNEMONIC, INSN_SPECS, SYSREG_NAMES } from '../asm/a64';
import { ARMVIRT_DIRECTIVES } from '../asm/assembler';
import { isRegisterName } from '../asm/a64/operands';
import { SYSREGS, type FieldDef, type SysRegDef, type TrapRule } from '../sim/sysregs';
import type { Analysis, Def, WordAt } from './analysis';
import { findLocalLabel, isMnemonic } from './analysis';

/** Simulator descriptors by upper-case Arm ARM name. */
export const SYSREG_DEFS: ReadonlyMap<string, SysRegDef> = new Map(SYSREGS.map((d) => [d.name, d]));

const hex = (v: bigint | number): string => '0x' + (typeof v === 'bigint' ? (v < 0n ? v + (1n << 64n) : v) : v >>> 0).toString(16);

// ------------------------------------------------------------ instructions

/** Key into BY_MNEMONIC for a written mnemonic (`b.eq` → `b.<cond>`), or undefined. */
export function mnemonicKey(word: string): string | undefined {
  const w = word.toLowerCase();
  if (BY_MNEMONIC.has(w)) return w;
  return isMnemonic(w) ? w.replace(/\.\w+$/, '.<cond>') : undefined;
}

/** Syntax lines (one per distinct encoding form) with their one-line descriptions. */
export function mnemonicForms(key: string): { syntax: string; desc: string }[] {
  const out: { syntax: string; desc: string }[] = [];
  const seen = new Set<string>();
  for (const r of BY_MNEMONIC.get(key) ?? []) {
    if (r.spec.encodeOnly) continue;
    const syntax = r.ops.length ? `${r.spec.mnemonic} ${r.ops.map((o) => o.syntax).join(', ')}` : r.spec.mnemonic;
    if (seen.has(syntax)) continue;
    seen.add(syntax);
    out.push({ syntax, desc: r.spec.desc });
  }
  return out;
}

const MAX_FORMS = 10;

export function mnemonicMarkdown(word: string): string | undefined {
  const key = mnemonicKey(word);
  if (!key) {
    const w = word.toLowerCase();
    const un = INSN_SPECS.find((s) => s.mnemonic === w && s.unimplemented);
    return un ? `**${w}** — ${un.desc}\n\nNot implemented: ${un.unimplemented}` : undefined;
  }
  const forms = mnemonicForms(key);
  const recs = BY_MNEMONIC.get(key)!;
  const first = recs[0].spec;
  const width = Math.min(48, Math.max(...forms.slice(0, MAX_FORMS).map((f) => f.syntax.length)));
  const lines = forms.slice(0, MAX_FORMS).map((f) => (forms.length > 1 ? `${f.syntax.padEnd(width)}  // ${f.desc}` : f.syntax));
  if (forms.length > MAX_FORMS) lines.push(`// … ${forms.length - MAX_FORMS} more forms`);
  const notes: string[] = [];
  if (first.alias) notes.push(`alias of \`${first.alias}\``);
  if (first.feature) notes.push(`needs FEAT_${first.feature.toUpperCase()}`);
  notes.push(`encoding class \`${first.cls}\``);
  // The written form as title (`b.ne`, not `b.<cond>`, which markdown would take for a tag).
  return [`**${word.toLowerCase()}** — ${first.desc}`, '```aarch64-asm\n' + lines.join('\n') + '\n```', notes.join(' · ')].join('\n\n');
}

// ------------------------------------------------------------ system registers

export function bitRange(lsb: number, width: number): string {
  return width === 1 ? `[${lsb}]` : `[${lsb + width - 1}:${lsb}]`;
}

/** The field of `reg` (from the simulator's table) that holds `bit`, e.g. "TVM" or "BSU[1]". */
function fieldAt(reg: string, bit: number): FieldDef | undefined {
  return SYSREG_DEFS.get(reg)?.fields?.find((f) => bit >= f.lsb && bit < f.lsb + f.width);
}
function fieldByName(reg: string, name: string): FieldDef | undefined {
  return SYSREG_DEFS.get(reg)?.fields?.find((f) => f.name === name);
}
function controlName(reg: string, bit: number): string {
  const f = fieldAt(reg, bit);
  if (!f) return `${reg} bit ${bit}`;
  return `${reg}.${f.name}${f.width > 1 ? `[${bit - f.lsb}]` : ''} (bit ${bit})`;
}
function namedControl(reg: string, name: string): string {
  const f = fieldByName(reg, name);
  return f ? `${reg}.${name} (bit ${bitRange(f.lsb, f.width).slice(1, -1)})` : `${reg}.${name}`;
}

/** "Which EL owns it": the EL in the name, and who may access it (minEL). */
export function sysregOwner(d: SysRegDef): string {
  const m = /_EL(\d)(\d)?$/.exec(d.name);
  if (d.e2hAliasOf) {
    return `EL2 alias (FEAT_VHE): at EL2 with HCR_EL2.E2H=1 it accesses **${d.e2hAliasOf}**; otherwise UNDEFINED`;
  }
  const owner = m ? `EL${m[1]}` : `EL${d.minEL}`;
  const from =
    d.minEL === 0 ? 'accessible from EL0 and above' : d.minEL === 1 ? 'accessible from EL1 and EL2 (UNDEFINED at EL0)' : 'accessible only from EL2 (UNDEFINED at EL1 and EL0)';
  return `${owner} — ${from}`;
}

/** "Which HCR_EL2 bit traps it": every trap control of the descriptor, in words. */
export function sysregTraps(d: SysRegDef): string[] {
  const out: string[] = [];
  if (d.tvm) {
    out.push(`${namedControl('HCR_EL2', 'TVM')} traps EL1 writes to EL2`);
    out.push(`${namedControl('HCR_EL2', 'TRVM')} traps EL1 reads to EL2`);
  }
  if (d.tid3) out.push(`${namedControl('HCR_EL2', 'TID3')} traps EL1/EL0 reads to EL2`);
  for (const t of d.traps ?? ([] as TrapRule[])) {
    const what = t.on === 'read' ? 'reads' : t.on === 'write' ? 'writes' : 'accesses';
    out.push(`${t.bits.map((b) => controlName(t.reg, b)).join(' or ')} traps EL1/EL0 ${what} to EL2`);
  }
  if (out.length === 0) {
    out.push(d.minEL >= 2 ? 'no HCR_EL2 trap: an EL2 register, UNDEFINED below EL2' : 'no HCR_EL2 bit traps it (in the simulator\'s register table)');
  }
  return out;
}

function encodingText(e: { op0: number; op1: number; crn: number; crm: number; op2: number }): string {
  return `S${e.op0}_${e.op1}_C${e.crn}_C${e.crm}_${e.op2} (op0=${e.op0}, op1=${e.op1}, CRn=${e.crn}, CRm=${e.crm}, op2=${e.op2})`;
}

export function isSysregName(word: string): boolean {
  return Object.prototype.hasOwnProperty.call(SYSREG_NAMES, word.toLowerCase());
}

/** Simulator descriptor for a generic encoding name such as `S3_4_C1_C1_0`. */
function byEncodingName(word: string): SysRegDef | undefined {
  const m = /^s([0-3])_([0-7])_c(\d{1,2})_c(\d{1,2})_([0-7])$/i.exec(word);
  if (!m) return undefined;
  const [op0, op1, crn, crm, op2] = m.slice(1).map(Number);
  return SYSREGS.find((d) => d.op0 === op0 && d.op1 === op1 && d.crn === crn && d.crm === crm && d.op2 === op2);
}

export function sysregMarkdown(word: string): string | undefined {
  const upper = byEncodingName(word)?.name ?? word.toUpperCase();
  const d = SYSREG_DEFS.get(upper);
  const enc = SYSREG_NAMES[upper.toLowerCase()];
  if (!d) {
    if (!enc || !isSysregName(upper)) return undefined;
    return `**${upper}** — system register\n\nEncoding \`${encodingText(enc)}\`\n\nNot modelled by the simulator (not in its system-register table).`;
  }
  const parts: string[] = [];
  parts.push(`**${d.name}** — ${d.long}`);
  const access = d.readOnly ? 'read-only' : d.writeOnly ? 'write-only' : 'read/write';
  parts.push(`Encoding \`${encodingText(d)}\` · ${access} · group ${d.group}`);
  const info: string[] = [`- **Owner:** ${sysregOwner(d)}`];
  for (const t of sysregTraps(d)) info.push(`- **Trap:** ${t}`);
  if (d.e2hRedirect) info.push(`- **VHE:** at EL2 with HCR_EL2.E2H=1 this encoding accesses ${d.e2hRedirect}`);
  if (d.reset !== undefined || d.resetHi !== undefined) {
    info.push(`- **Reset:** \`${hex((BigInt(d.resetHi ?? 0) << 32n) | BigInt((d.reset ?? 0) >>> 0))}\``);
  }
  parts.push(info.join('\n'));
  if (d.fields?.length) {
    const rows = [...d.fields].sort((a, b) => b.lsb + b.width - (a.lsb + a.width) || b.lsb - a.lsb);
    const table = ['| Bits | Field | Meaning |', '|---|---|---|'];
    for (const f of rows) {
      let meaning = f.desc ?? '';
      if (f.values) meaning += (meaning ? '; ' : '') + Object.entries(f.values).map(([k, v]) => `${k}=${v}`).join(', ');
      table.push(`| ${bitRange(f.lsb, f.width)} | ${f.name} | ${meaning.replace(/\|/g, '\\|')} |`);
    }
    parts.push(table.join('\n'));
  }
  return parts.join('\n\n');
}

// ------------------------------------------------------------ registers and symbols

function registerMarkdown(word: string): string | undefined {
  const w = word.toLowerCase();
  if (!isRegisterName(w)) return undefined;
  const named: Record<string, string> = {
    sp: 'stack pointer (64-bit)', wsp: 'stack pointer (low 32 bits)', xzr: 'zero register (64-bit)', wzr: 'zero register (32-bit)',
    fp: 'frame pointer, X29', lr: 'link register, X30', ip0: 'intra-procedure-call scratch register, X16', ip1: 'intra-procedure-call scratch register, X17',
  };
  if (named[w]) return `**${w}** — ${named[w]}`;
  const m = /^([xwbhsdqv])(\d+)$/.exec(w);
  if (!m) return undefined;
  const kinds: Record<string, string> = {
    x: '64-bit general-purpose register', w: '32-bit general-purpose register (low half of X', b: '8-bit SIMD&FP register', h: '16-bit SIMD&FP register',
    s: '32-bit SIMD&FP register', d: '64-bit SIMD&FP register', q: '128-bit SIMD&FP register', v: 'SIMD&FP vector register',
  };
  return `**${w}** — ${kinds[m[1]]}${m[1] === 'w' ? `${m[2]})` : ''}`;
}

export function where(d: { file: string; line: number }, from?: string): string {
  const name = from && path.dirname(from) === path.dirname(d.file) ? path.basename(d.file) : d.file;
  return `${name}:${d.line + 1}`;
}

export function symbolMarkdown(an: Analysis, name: string, docFile: string): string | undefined {
  const sym = an.symbols.get(name);
  const defs = an.defs.get(name) ?? [];
  const def = defs[0];
  if (!sym && !def) return undefined;
  const parts: string[] = [];
  if (def?.kind === 'define') {
    parts.push(`**${name}** — preprocessor macro\n\n\`\`\`c\n#define ${name} ${def.detail ?? ''}\n\`\`\``);
  } else if (sym && sym.section === null) {
    const v = sym.value;
    parts.push(`**${name}** = \`${hex(v)}\` (${v < 0n ? v : v.toString()}) — constant`);
    if (def?.detail) parts.push(`\`\`\`aarch64-asm\n${name} = ${def.detail}\n\`\`\``);
  } else if (sym) {
    const attrs = [sym.binding !== 'local' ? sym.binding : '', sym.type !== 'notype' ? sym.type : ''].filter(Boolean).join(' ');
    parts.push(`**${name}** — label in \`${sym.section}\`${attrs ? ` (${attrs})` : ''}`);
    parts.push(`Address \`${hex(sym.value)}\``);
  } else {
    parts.push(`**${name}** — ${def!.kind}${def!.detail ? ` = \`${def!.detail}\`` : ''} (no value: the file does not assemble yet)`);
  }
  if (def) parts.push(`Defined at ${where(def, docFile)}${defs.length > 1 ? ` (and ${defs.length - 1} more place${defs.length > 2 ? 's' : ''})` : ''}`);
  return parts.join('\n\n');
}

export function macroMarkdown(d: Def, docFile: string): string {
  const head = `.macro ${d.name}${d.detail ? ' ' + d.detail : ''}`;
  const body = d.body ?? [];
  const more = d.endLine !== undefined && d.endLine - d.line - 1 > body.length ? '\n    …' : '';
  return [`**${d.name}** — macro`, '```aarch64-asm\n' + [head, ...body].join('\n') + more + '\n.endm\n```', `Defined at ${where(d, docFile)}`].join('\n\n');
}

/** The hover text for a classified word, or undefined. */
export function hoverMarkdown(w: WordAt, ans: Analysis[], docFile: string): string | undefined {
  if (w.role === 'include') {
    for (const an of ans) {
      const inc = an.files.get(docFile)?.includes.find((i) => i.line === w.line);
      if (inc) return inc.target ? `Includes \`${inc.target}\`` : `Include file \`${inc.name}\` not found`;
    }
    return undefined;
  }
  if (w.role === 'head') {
    for (const an of ans) {
      const m = an.macros.get(w.name.toLowerCase());
      if (m) return macroMarkdown(m, docFile);
    }
    return mnemonicMarkdown(w.name);
  }
  if (w.role === 'directive') {
    // GNU as directives are documented by GNU; ours are described here.
    const own = ARMVIRT_DIRECTIVES[w.name.toLowerCase()];
    return own ? `\`${own.syntax}\` — ${own.doc}` : undefined;
  }
  const local = /^\d+[fb]$/.test(w.name);
  if (local) {
    for (const an of ans) {
      const d = findLocalLabel(an, docFile, w.name, w.line);
      if (d) return `**${w.name}** — local label \`${d.name}:\` at ${where(d, docFile)}`;
    }
    return undefined;
  }
  for (const an of ans) {
    const s = symbolMarkdown(an, w.name, docFile);
    if (s) return s;
  }
  return sysregMarkdown(w.name) ?? registerMarkdown(w.name);
}
