// Launch-configuration checks for the `armvirt` debug type, independent of the VS Code API so
// that unit tests run them directly. Every message names the attribute it is about. Types, enums
// and ranges come from package.json through src/debug/launch-schema.ts (the adapter checks the
// same rows again, for clients other than VS Code); this file adds what needs the file system.
import * as path from 'node:path';
import { checkLaunchAttributes } from '../debug/launch-schema';

/** The launch attributes as package.json `configurationAttributes.launch` documents them. */
export interface LaunchAttributes {
  program: string;
  stopOnEntry?: boolean;
  cores?: number;
  gic?: 'v2' | 'v3';
  memory?: number;
  entryEL?: 1 | 2;
  cpu?: string;
  profile?: string;
  trace?: boolean;
  maxInstructions?: number;
}

export const ASM_EXTENSIONS = ['.S', '.s', '.asm'];

export function isAssemblyPath(p: string): boolean {
  return ASM_EXTENSIONS.includes(path.extname(p));
}

export interface CheckResult {
  /** The configuration with defaults normalised (maxInstructions 0 removed, program absolute). */
  config: Record<string, unknown>;
  /** One message per invalid attribute, e.g. `"cores" must be an integer from 1 to 8 (got 0)`. */
  errors: string[];
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

/**
 * Checks the attributes after VS Code substituted variables (${file}, ${workspaceFolder}).
 * `baseDir` resolves a relative `program`; `exists` is injected so tests need no files.
 */
export function checkLaunchConfig(
  input: Record<string, unknown>,
  baseDir: string | undefined,
  exists: (file: string) => boolean,
): CheckResult {
  const c: Record<string, unknown> = { ...input };
  const errors: string[] = [];

  const program = c.program;
  if (typeof program !== 'string' || program.trim() === '') {
    errors.push('"program" is required: an assembly source (.S, .s, .asm) or an ELF64 executable');
  } else if (/\$\{[^}]*\}/.test(program)) {
    errors.push(`"program" still contains a variable after substitution (${show(program)}); is an assembly file open?`);
  } else {
    const abs = path.isAbsolute(program) || !baseDir ? program : path.join(baseDir, program);
    if (!exists(abs)) errors.push(`"program" file does not exist: ${abs}`);
    c.program = abs;
  }
  // Every other attribute against its package.json row (type, enum, range).
  errors.push(...checkLaunchAttributes(c, ['program', 'profile']).errors);
  if (c.profile !== undefined && (typeof c.profile !== 'string')) errors.push(`"profile" must be the name of a cost profile (got ${show(c.profile)})`);
  if (c.profile === '') delete c.profile;
  if (c.maxInstructions === 0) delete c.maxInstructions; // 0 means "no limit"
  return { config: c, errors };
}
