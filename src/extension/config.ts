// Launch-configuration checks for the `armvirt` debug type, independent of the VS Code API so
// that unit tests run them directly. Every message names the attribute it is about.
import * as path from 'node:path';

/** The launch attributes as package.json `configurationAttributes.launch` documents them. */
export interface LaunchAttributes {
  /** Assembly source or ELF; exactly one of `program` and `kernel`. */
  program?: string;
  /** Linux boot protocol (as QEMU -kernel/-initrd/-append/-dtb): arm64 Image, .flat, gzip, ELF or raw binary. */
  kernel?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
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
export const CPU_NAMES = ['cortex-a57', 'armv8.1-vhe', 'max'];
export const LIMITS = { cores: [1, 8], memory: [1, 3072] } as const;

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
  const integer = (name: string, min: number, max: number): void => {
    const v = c[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      errors.push(`"${name}" must be an integer from ${min} to ${max} (got ${show(v)})`);
    }
  };
  const boolean = (name: string): void => {
    if (c[name] !== undefined && typeof c[name] !== 'boolean') errors.push(`"${name}" must be true or false (got ${show(c[name])})`);
  };
  const oneOf = (name: string, allowed: readonly unknown[]): void => {
    if (c[name] !== undefined && !allowed.includes(c[name])) {
      errors.push(`"${name}" must be one of ${allowed.map(show).join(', ')} (got ${show(c[name])})`);
    }
  };

  // A file attribute: a non-empty string without unsubstituted variables, made absolute, existing.
  const file = (name: string, what: string): void => {
    const v = c[name];
    if (v === undefined) return;
    if (typeof v !== 'string' || v.trim() === '') { errors.push(`"${name}" must be the path of ${what} (got ${show(v)})`); return; }
    if (/\$\{[^}]*\}/.test(v)) { errors.push(`"${name}" still contains a variable after substitution (${show(v)}); is an assembly file open?`); return; }
    const abs = path.isAbsolute(v) || !baseDir ? v : path.join(baseDir, v);
    if (!exists(abs)) errors.push(`"${name}" file does not exist: ${abs}`);
    c[name] = abs;
  };
  if (c.kernel !== undefined) {
    // The Linux boot protocol replaces `program`.
    if (c.program !== undefined && c.program !== '') errors.push('"program" and "kernel" exclude each other: give one of them');
    delete c.program;
    file('kernel', 'an arm64 Linux Image, a kvm-unit-tests .flat, or an ELF');
    file('initrd', 'an initial ramdisk');
    file('dtb', 'a device tree blob');
    if (c.append !== undefined && typeof c.append !== 'string') errors.push(`"append" must be a string, the kernel command line (got ${show(c.append)})`);
  } else {
    for (const a of ['initrd', 'append', 'dtb']) {
      if (c[a] !== undefined) errors.push(`"${a}" needs "kernel" (the Linux boot protocol); a "program" is loaded as it is`);
    }
    const program = c.program;
    if (typeof program !== 'string' || program.trim() === '') {
      errors.push('"program" is required: an assembly source (.S, .s, .asm) or an ELF64 executable (or give "kernel" to boot a Linux Image)');
    } else {
      file('program', 'an assembly source (.S, .s, .asm) or an ELF64 executable');
    }
  }
  boolean('stopOnEntry');
  boolean('trace');
  integer('cores', LIMITS.cores[0], LIMITS.cores[1]);
  oneOf('gic', ['v2', 'v3']);
  integer('memory', LIMITS.memory[0], LIMITS.memory[1]);
  oneOf('entryEL', [1, 2]);
  oneOf('cpu', CPU_NAMES);
  if (c.profile !== undefined && (typeof c.profile !== 'string')) errors.push(`"profile" must be the name of a cost profile (got ${show(c.profile)})`);
  if (c.profile === '') delete c.profile;
  integer('maxInstructions', 0, Number.MAX_SAFE_INTEGER);
  if (c.maxInstructions === 0) delete c.maxInstructions; // 0 means "no limit"
  return { config: c, errors };
}
