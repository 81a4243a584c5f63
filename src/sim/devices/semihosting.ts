// Arm semihosting (the subset QEMU's -semihosting gives bare-metal programs), reached by
// HLT #0xF000 in A64. Operation number in W0, parameter in X1, result in X0.
// "Semihosting for AArch32 and AArch64", Arm IHI 0097 (2023).
import type { PE } from '../pe';

export const SYS_WRITEC = 0x03;
export const SYS_WRITE0 = 0x04;
export const SYS_WRITE = 0x05;
export const SYS_CLOCK = 0x10;
export const SYS_ERRNO = 0x13;
export const SYS_HEAPINFO = 0x16;
export const SYS_EXIT = 0x18;
export const SYS_EXIT_EXTENDED = 0x20;
/** ADP_Stopped_ApplicationExit: the reason code for a normal exit with a status. */
export const ADP_STOPPED_APPLICATION_EXIT = 0x20026;

export interface SemihostingHost {
  write(text: Uint8Array): void;
  exit(code: number): void;
  /** Guest-visible centiseconds since start (derived from simulated time). */
  clock(pe: PE): number;
  heap: { base: number; limit: number; stackBase: number; stackLimit: number };
}

/** Reads guest memory through the PE's current translation; undefined if it faults. */
function readGuest(pe: PE, addr: number, size: 1 | 4 | 8): number | undefined {
  try {
    const lo = addr % 4294967296, hi = Math.floor(addr / 4294967296);
    if (size === 8) { const l = pe.read64(lo, hi, 0); return pe.rhi * 4294967296 + l; }
    return pe.read(lo, hi, size, 0);
  } catch {
    return undefined;
  }
}

function x(pe: PE, n: number): number { return pe.x[2 * n + 1] * 4294967296 + pe.x[2 * n]; }
function setX0(pe: PE, v: number): void {
  const u = v < 0 ? 2 ** 64 + v : v;
  pe.x[0] = u % 4294967296 >>> 0;
  pe.x[1] = Math.floor(u / 4294967296) >>> 0;
}

export function semihostingCall(pe: PE, host: SemihostingHost): void {
  const op = pe.x[0];
  const param = x(pe, 1);
  switch (op) {
    case SYS_WRITEC: {
      const c = readGuest(pe, param, 1);
      if (c !== undefined) host.write(Uint8Array.of(c));
      break;
    }
    case SYS_WRITE0: {
      const bytes: number[] = [];
      for (let a = param; bytes.length < 1 << 20; a++) {
        const c = readGuest(pe, a, 1);
        if (c === undefined || c === 0) break;
        bytes.push(c);
      }
      host.write(Uint8Array.from(bytes));
      break;
    }
    case SYS_WRITE: {
      // Block: {fd, buffer, length}; returns the number of bytes NOT written.
      const fd = readGuest(pe, param, 8), buf = readGuest(pe, param + 8, 8), len = readGuest(pe, param + 16, 8);
      if (fd === undefined || buf === undefined || len === undefined) { setX0(pe, -1); break; }
      const bytes: number[] = [];
      for (let i = 0; i < len && i < 1 << 24; i++) { const c = readGuest(pe, buf + i, 1); if (c === undefined) break; bytes.push(c); }
      if (fd === 1 || fd === 2) host.write(Uint8Array.from(bytes));
      setX0(pe, len - bytes.length);
      break;
    }
    case SYS_CLOCK: setX0(pe, host.clock(pe)); break;
    case SYS_ERRNO: setX0(pe, 0); break;
    case SYS_HEAPINFO: {
      const h = host.heap;
      const words = [h.base, h.limit, h.stackBase, h.stackLimit];
      const blk = readGuest(pe, param, 8);
      if (blk !== undefined) {
        try {
          words.forEach((w, i) => pe.write64(((blk + 8 * i) % 4294967296) >>> 0, Math.floor((blk + 8 * i) / 4294967296), w % 4294967296 >>> 0, Math.floor(w / 4294967296), 0));
        } catch { /* fault while writing: ignore, as the call has no error channel */ }
      }
      break;
    }
    case SYS_EXIT:
    case SYS_EXIT_EXTENDED: {
      // AArch64: X1 points to {reason, subcode}. ApplicationExit exits with subcode; any other reason exits with 1.
      const reason = readGuest(pe, param, 8);
      const sub = readGuest(pe, param + 8, 8);
      if (reason === ADP_STOPPED_APPLICATION_EXIT) host.exit(Number(BigInt.asIntN(32, BigInt(sub ?? 0))));
      else host.exit(1);
      break;
    }
    default:
      setX0(pe, -1);
  }
  // HLT's preferred return is the HLT itself; semihosting resumes after it.
  const lo = pe.pcLo + 4;
  pe.pcLo = lo >>> 0;
  if (lo >= 4294967296) pe.pcHi = (pe.pcHi + 1) >>> 0;
}
