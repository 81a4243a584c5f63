// Mocha suite definition shared by every differential suite: diff.test.ts runs it with GNU as;
// a later suite can call defineDiffSuite() with our own assembler (buildProgram's `assembler`
// option, and a `tag` so that its build output lands in test/diff/build/<tag>/).
//
// Each program is built, run under QEMU (the oracle) and under `node dist/cli.js run`, with at
// most DIFF_JOBS (default 2) programs in flight; stdout must be byte-identical and the exit codes
// equal. DIFF_ONLY=<substring> keeps the programs whose name contains it. Without QEMU/binutils
// the suite is skipped with a message — or fails when CI=true.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  Assembler,
  buildProgram,
  firstDifference,
  listPrograms,
  mapLimit,
  missingTools,
  ProcResult,
  Program,
  REPO_ROOT,
  runQemu,
  runSim,
  SIM_CLI,
} from './build';

export interface DiffSuiteOptions {
  /** Mocha describe() title. */
  title: string;
  /** Assembler for the programs (default GNU as). */
  assembler?: Assembler;
  /** Subdirectory of test/diff/build for this suite's objects and ELFs. */
  tag?: string;
  /** Program filter; default process.env.DIFF_ONLY. */
  only?: string;
  /** Concurrency; default DIFF_JOBS or 2. */
  jobs?: number;
  /**
   * Also build each program with this reference assembler (into build/<referenceTag>/) and
   * require QEMU to print the same bytes and exit status for both builds: a suite whose
   * `assembler` is under test then checks that assembler's output semantically, not only that
   * QEMU and the simulator agree on whatever it produced.
   */
  reference?: { assembler?: Assembler; tag?: string };
}

interface Outcome {
  prog: Program;
  elf?: string;
  buildError?: Error;
  qemu?: ProcResult;
  sim?: ProcResult;
  /** QEMU on the reference build (when the suite has a `reference`). */
  refElf?: string;
  refQemu?: ProcResult;
}

function status(r: ProcResult): string {
  if (r.timedOut) return `timeout after ${r.ms} ms`;
  if (r.code === null) return `killed by ${r.signal}`;
  return `exit code ${r.code}`;
}

function tail(s: string, n = 800): string {
  return s.length > n ? '…' + s.slice(-n) : s;
}

/** Checks one outcome; throws an AssertionError naming the program and the first difference. */
export function checkOutcome(o: Outcome): void {
  const name = o.prog.name;
  if (o.buildError) throw new Error(`${name}: build failed: ${o.buildError.message}`);
  const q = o.qemu!;
  // The oracle side must be sane, otherwise the program (not the simulator) is at fault.
  if (q.timedOut || q.code === null) {
    throw new Error(`${name}: QEMU did not finish (${status(q)}); stderr: ${tail(q.stderr)}`);
  }
  if (o.refQemu) {
    const r = o.refQemu;
    const rdiff = firstDifference(r.stdout, q.stdout);
    if (rdiff !== undefined || r.code !== q.code) {
      assert.fail(
        `${name}: QEMU runs the two builds differently (reference ${path.relative(REPO_ROOT, o.refElf!)} shown as "qemu", ` +
          `this build ${path.relative(REPO_ROOT, o.elf!)} as "sim") — ` +
          (rdiff ?? `exit status: reference ${status(r)}, this build ${status(q)}`),
      );
    }
  }
  if (!o.sim) {
    assert.fail(`${name}: ${path.relative(REPO_ROOT, SIM_CLI)} is missing (run \`npm run build\`); QEMU side ok (${status(q)})`);
  }
  const s = o.sim;
  const diff = firstDifference(q.stdout, s.stdout);
  if (diff !== undefined) {
    assert.fail(
      `${name}: stdout differs from QEMU (${path.relative(REPO_ROOT, o.elf!)}) — ${diff}\n` +
        `  qemu ${status(q)}, sim ${status(s)}` +
        (s.stderr ? `\n  sim stderr: ${tail(s.stderr)}` : ''),
    );
  }
  if (q.code !== s.code) {
    assert.fail(
      `${name}: exit status differs: qemu ${status(q)}, sim ${status(s)}` +
        (s.stderr ? `\n  sim stderr: ${tail(s.stderr)}` : ''),
    );
  }
}

export function defineDiffSuite(opts: DiffSuiteOptions): void {
  const programs = listPrograms(opts.only ?? (process.env.DIFF_ONLY || undefined));
  const jobs = opts.jobs ?? (Number(process.env.DIFF_JOBS) || 2);

  describe(opts.title, function () {
    const missing = missingTools();
    if (missing.length) {
      const msg =
        `differential tests need ${missing.join(', ')} (not found on PATH); ` +
        'see docs/TESTING.md for the apt-get line';
      if (process.env.CI === 'true') {
        it('has the reference tools (CI=true)', function () {
          assert.fail(msg);
        });
      } else {
        it('is skipped: reference tools missing', function () {
          console.log(`      ${msg} — skipping`);
          this.skip();
        });
      }
      return;
    }
    if (programs.length === 0) {
      it('has programs to run', function () {
        assert.fail(`no program matches DIFF_ONLY=${process.env.DIFF_ONLY ?? ''}`);
      });
      return;
    }

    let results: Promise<Outcome>[] = [];
    before(function () {
      if (!existsSync(SIM_CLI)) {
        console.log(`      note: ${path.relative(REPO_ROOT, SIM_CLI)} is missing — run \`npm run build\`; every program will fail`);
      }
      // Start everything now, bounded by `jobs`; each test awaits its own result in order.
      results = mapLimit(programs, jobs, async (prog): Promise<Outcome> => {
        let elf: string;
        try {
          elf = await buildProgram(prog, { assembler: opts.assembler, tag: opts.tag });
        } catch (e) {
          return { prog, buildError: e as Error };
        }
        let refElf: string | undefined;
        let refQemu: ProcResult | undefined;
        if (opts.reference) {
          try {
            refElf = await buildProgram(prog, { assembler: opts.reference.assembler, tag: opts.reference.tag });
          } catch (e) {
            return { prog, buildError: new Error(`reference build: ${(e as Error).message}`) };
          }
          refQemu = await runQemu(refElf, prog.options);
        }
        const qemu = await runQemu(elf, prog.options);
        const sim = existsSync(SIM_CLI) ? await runSim(elf, prog.options) : undefined;
        return { prog, elf, qemu, sim, refElf, refQemu };
      });
      // Rejections are reported by the test that awaits them, not as unhandled.
      for (const r of results) r.catch(() => undefined);
    });

    programs.forEach((prog, i) => {
      it(prog.name, async function () {
        this.timeout(120_000);
        checkOutcome(await results[i]);
      });
    });
  });
}
