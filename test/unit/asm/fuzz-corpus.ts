// Fuzz inputs for the assembler (shared by the fuzz test and ad-hoc timing runs).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** xorshift32: deterministic, so a failure can be replayed from its seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

export const SEEDS = [
  '.data\n.quad 2 + 3 & 1, 1 < 2, -1 >> 1, \'A\'+1\n.byte 1,2,3\n.ascii "a\\tb", "c"\n.balign 8\n.skip 3, 1\n.fill 2, 4, 7',
  '.macro m a, b=7, c:vararg\n.byte \\a\n.byte \\b\n.ascii "<\\c>"\n.endm\nm 1 + 2, 3\nm b=2, a=4\n.irp r, 1, 2\n.byte \\r\n.endr',
  '.if 1\n.byte 1\n.elseif 2\n.byte 2\n.else\n.byte 3\n.endif\n.ifdef x\n.endif\n.rept 3\n.byte 9\n.endr',
  '_start:\n  mov x0, #1\n  ldr x1, =0x1234\n1: subs x0, x0, #1\n  b.ne 1b\n  bl func\n.ltorg\nfunc: ret\n.data\nv: .quad func, 1f\n1:',
  '#define X(a) (a + 1)\n#if defined(X) && X(1) == 2\n.data\n.byte X(3)\n#else\n.err\n#endif\n#include "inc.h"',
  '.section .vectors, "ax"\n.align 11\nvec: b .\n.pushsection .data\n.quad vec\n.popsection\n.org vec + 0x80\n.set n, 0\n.rept 4\n.set n, n + 1\n.endr',
  '.equ A, B\n.equ B, 5\n.data\n.quad A\n.global g\n.type g, %function\ng: .size g, . - g\n.weak w\n.hidden h\nfp .req x29\n',
];

const VOCAB = [
  '.macro', '.endm', '.rept', '.endr', '.irp', '.irpc', '.if', '.else', '.elseif', '.endif', '.ifdef', '.include',
  '.exitm', '.purgem', '.byte', '.quad', '.ascii', '"', "'", '\\', '\\@', '\\()', '(', ')', '[', ']', ',', ';', ':',
  '=', '==', '<<', '>>', '/', '%', '*', '1f', '1b', '0x', '0b', '.', '#', '/*', '*/', '//', '\n', ' ', 'x0', 'ldr', '=',
  '.section', '.text', '.data', '.bss', '.align', '.org', '.skip 4', '.fill', '.set', '.equ', '1:', 'label:',
  '#define', '#if', '#endif', '#include', '##', '.ltorg', '.pushsection', '.popsection', '.previous', '-', '~', '!',
  '9999999999999999999999', '-1', '64', '.rept 3', '.inst', 'nop', 'b', 'adr', 'mov', '.end', '.err', '.print',
];

export function mutate(src: string, r: () => number): string {
  let s = src;
  const n = 1 + Math.floor(r() * 6);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (s.length + 1));
    switch (Math.floor(r() * 7)) {
      case 0: // delete a span
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8));
        break;
      case 1: // insert a vocabulary token
        s = s.slice(0, at) + VOCAB[Math.floor(r() * VOCAB.length)] + s.slice(at);
        break;
      case 2: // insert a random character
        s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(at);
        break;
      case 3: {
        // duplicate a line
        const lines = s.split('\n');
        const i = Math.floor(r() * lines.length);
        lines.splice(i, 0, lines[i]);
        s = lines.join('\n');
        break;
      }
      case 4: {
        // swap two lines
        const lines = s.split('\n');
        const i = Math.floor(r() * lines.length);
        const j = Math.floor(r() * lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
        s = lines.join('\n');
        break;
      }
      case 5: // truncate
        s = s.slice(0, at);
        break;
      default: // replace a digit run
        s = s.replace(/\d+/, String(Math.floor(r() * 70000) - 1000));
    }
  }
  return s;
}

export function randomSource(r: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 30);
  for (let i = 0; i < n; i++) parts.push(VOCAB[Math.floor(r() * VOCAB.length)]);
  return parts.join(r() < 0.5 ? ' ' : '\n');
}


export const FUZZ_FILES: Record<string, string> = { 'inc.h': '#define Y 1\n.byte Y\n', 'x.s': '.byte 2\n' };

/** The i-th fuzz case of a deterministic sequence: {source, fileName}. */
export function* fuzzCases(count: number, seed = 0xa5a5_1234): Generator<{ i: number; src: string; fileName: string }> {
  const seeds = [...SEEDS];
  const diffDir = path.join(__dirname, '../../diff/programs');
  if (fs.existsSync(diffDir)) {
    for (const f of fs.readdirSync(diffDir).filter((x) => x.endsWith('.s')).slice(0, 6)) {
      seeds.push(fs.readFileSync(path.join(diffDir, f), 'utf8').slice(0, 1500));
    }
  }
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const src = i % 5 === 4 ? randomSource(r) : mutate(seeds[i % seeds.length], r);
    yield { i, src, fileName: i % 3 === 0 ? 'f.S' : 'f.s' };
  }
}
