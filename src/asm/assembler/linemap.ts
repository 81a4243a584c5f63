// Address ↔ source line map produced by the assembler. Entries are sorted by
// address and do not overlap; lookups are binary searches.

import * as path from 'node:path';
import type { LineInfo, LineMapEntry } from './types';

export class LineMap {
  private byLine: Map<string, bigint[]> | undefined;
  private byMacroLine: Map<string, bigint[]> | undefined;

  /** `entries` must be sorted by address. */
  constructor(readonly entries: readonly LineMapEntry[]) {}

  /** The source line of the instruction or data item that contains `address`. */
  lookup(address: bigint): LineMapEntry | undefined {
    const e = this.entries;
    let lo = 0;
    let hi = e.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = e[mid];
      if (address < m.address) hi = mid - 1;
      else if (address >= m.address + BigInt(m.size)) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** Same as lookup, returning only the {file, line, macro} part. */
  addressToLine(address: bigint): LineInfo | undefined {
    const m = this.lookup(address);
    return m && { file: m.file, line: m.line, ...(m.macro ? { macro: m.macro } : {}) };
  }

  /**
   * Addresses of the code and data produced by `file:line`, ascending. A line
   * that invokes a macro yields every address of the expansion. With
   * `includeMacroBodies`, a line inside a macro definition also yields the
   * addresses of every expansion of it.
   */
  lineToAddresses(file: string, line: number, opts: { includeMacroBodies?: boolean } = {}): bigint[] {
    if (!this.byLine) this.index();
    const key = lineKey(file, line);
    const a = this.byLine!.get(key) ?? [];
    if (!opts.includeMacroBodies) return a.slice();
    const b = this.byMacroLine!.get(key) ?? [];
    return b.length === 0 ? a.slice() : [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  }

  /** The first address of `file:line` where a breakpoint would stop (first instruction), or undefined. */
  breakpointAddress(file: string, line: number): bigint | undefined {
    if (!this.byLine) this.index();
    const key = lineKey(file, line);
    for (const e of this.entriesFor(key)) if (e.kind === 'code') return e.address;
    return undefined;
  }

  private codeByLine: Map<string, LineMapEntry[]> | undefined;
  private entriesFor(key: string): LineMapEntry[] {
    return this.codeByLine!.get(key) ?? [];
  }

  private index(): void {
    this.byLine = new Map();
    this.byMacroLine = new Map();
    this.codeByLine = new Map();
    for (const e of this.entries) {
      const k = lineKey(e.file, e.line);
      push(this.byLine, k, e.address);
      push(this.codeByLine, k, e);
      if (e.macro) push(this.byMacroLine, lineKey(e.macro.file, e.macro.line), e.address);
    }
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function lineKey(file: string, line: number): string {
  return `${path.normalize(file)}:${line}`;
}
