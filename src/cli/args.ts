// Command-line parsing for `armvirt`: node's parseArgs plus the three things it does not do for
// us — option values that look like negative numbers, integer ranges with a message naming the
// option, and `--help` / `-h` on every subcommand.
import { parseArgs } from 'node:util';

/** The exit code of a usage or input error (README "Run a program"; `armvirt --help`). */
export const USAGE_EXIT_CODE = 2;

/** A usage or input error: the message is printed after "armvirt: " and the process exits 2. */
export class UsageError extends Error {
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

/** `multiple`: the option may repeat; its value is then a string[] (cast at the use). */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean; multiple?: boolean }>;

const NEGATIVE_NUMBER = /^-(?:\d|\.\d|0x)/i;

/**
 * Rewrites `--opt -1` as `--opt=-1` for options that take a value, so that node's parseArgs
 * hands the value to our range check instead of rejecting it as "ambiguous". Only a value that
 * looks like a negative number is joined: `--memory --cores 2` still reports the missing value.
 */
export function joinNegativeValues(argv: string[], spec: OptionSpec): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(spec)) {
    if (o.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (takesValue.has(a) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** True when argv asks for help (`--help` or `-h` before any `--`). */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** parseArgs with negative values joined; node's own errors become UsageErrors. */
export function parseCommand(argv: string[], spec: OptionSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    // A `multiple` option's value is a string[] that its command casts to (only --drive has one).
    return parseArgs({ args: joinNegativeValues(argv, spec), allowPositionals: true, strict: true, options: spec }) as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((e as Error).message.split('\n')[0]);
    throw e;
  }
}

/** An integer option in [min, max]; `_` separators and 0x… allowed; undefined when absent. */
export function intOption(v: string | boolean | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  const n = s.trim() === '' ? NaN : Number(s.replace(/_/g, ''));
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be ${range} (got '${s}')`);
  return n;
}
