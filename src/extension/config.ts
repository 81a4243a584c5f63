// Launch-configuration checks for the `armvirt` debug type, independent of the VS Code API so
// that unit tests run them directly. Every message names the attribute it is about. Types, enums
// and ranges come from package.json through src/debug/launch-schema.ts (the adapter checks the
// same rows again, for clients other than VS Code); this file adds what needs the file system.
import * as path from 'node:path';
import { checkLaunchAttributes } from '../debug/launch-schema';
import { formatDriveSpec, parseDriveSpec } from '../sim/devices/file-backend';

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
  /** virtio-blk disks, "FILE[,readonly][,serial=ID]" each. */
  drives?: string[];
  virtioConsole?: boolean;
  jit?: boolean;
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
  // Disk images: each entry parsed, its file made absolute and checked.
  if (Array.isArray(c.drives)) {
    c.drives = (c.drives as unknown[]).map((v, i) => {
      if (typeof v !== 'string') { errors.push(`"drives"[${i}] must be a string FILE[,readonly][,serial=ID] (got ${show(v)})`); return v; }
      try {
        const d = parseDriveSpec(v);
        const abs = path.isAbsolute(d.file) || !baseDir ? d.file : path.join(baseDir, d.file);
        if (!exists(abs)) errors.push(`"drives"[${i}] file does not exist: ${abs}`);
        return formatDriveSpec({ ...d, file: abs });
      } catch (e) {
        errors.push(`"drives"[${i}]: ${(e as Error).message}`);
        return v;
      }
    });
  }
  // Every other attribute against its package.json row (type, enum, range).
  // (program, profile and the boot files are checked above, with messages that say what they name.)
  errors.push(...checkLaunchAttributes(c, ['program', 'profile', 'kernel', 'initrd', 'dtb', 'append']).errors);
  if (c.profile !== undefined && (typeof c.profile !== 'string')) errors.push(`"profile" must be the name of a cost profile (got ${show(c.profile)})`);
  if (c.profile === '') delete c.profile;
  if (c.maxInstructions === 0) delete c.maxInstructions; // 0 means "no limit"
  return { config: c, errors };
}
