// What else the machine was doing while the bench ran, printed next to the figures: timings on a
// shared machine mean little without it.
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface HostLoad {
  /** os.loadavg(): 1, 5 and 15 minute load averages. */
  loadavg: [number, number, number];
  /**
   * Runnable scheduling entities right now (4th field of /proc/loadavg, "running/total"), this
   * process included; undefined where /proc is not available.
   */
  running?: number;
}

export interface HostInfo {
  cpuModel: string;
  cpus: number;
  node: string;
  platform: string;
}

export function hostInfo(): HostInfo {
  const cpus = os.cpus();
  return { cpuModel: cpus[0]?.model.trim() ?? 'unknown', cpus: cpus.length, node: process.version, platform: `${os.platform()} ${os.release()}` };
}

export function hostLoad(): HostLoad {
  const [a, b, c] = os.loadavg();
  const load: HostLoad = { loadavg: [round2(a), round2(b), round2(c)] };
  try {
    const m = /^\S+ \S+ \S+ (\d+)\//.exec(fs.readFileSync('/proc/loadavg', 'utf8'));
    if (m) load.running = Number(m[1]);
  } catch {
    // not Linux: the load averages alone
  }
  return load;
}

export function formatLoad(l: HostLoad): string {
  return `load average ${l.loadavg.map((v) => v.toFixed(2)).join(' ')}${l.running !== undefined ? `, ${l.running} runnable tasks (this one included)` : ''}`;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
