// The C hypervisor example (examples/c-hyp): the checked-in ELF is what scripts/build-c-hyp.sh
// makes of the sources, and the debugger evaluates C expressions in its trap handlers — a
// conditional function breakpoint on handle_hvc for the second vCPU, the registers the guest
// put in x0/x19 as saved in `vcpu->regs`, a logpoint in handle_dabt printing the character the
// guest stored to its emulated UART — and shows the vCPUs in the Globals scope at a trap-el2 stop.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT, launch, lineOf, newClient, stopped, topFrame } from './helpers';

const DIR = path.join(ROOT, 'examples/c-hyp');
const ELF = path.join(DIR, 'c-hyp.elf');
const HYP_C = path.join(DIR, 'hyp.c');
const GCC = 'aarch64-linux-gnu-gcc';

async function evalIn(dc: DebugClient, expression: string): Promise<string> {
  const f = await topFrame(dc);
  return (await dc.evaluateRequest({ expression, frameId: f.id, context: 'watch' })).body.result;
}

async function children(dc: DebugClient, ref: number): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await dc.variablesRequest({ variablesReference: ref });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

describe('examples/c-hyp: the hypervisor in C', function () {
  this.timeout(60000);
  let dc: DebugClient;

  it('examples/c-hyp/c-hyp.elf is what the sources compile to (rebuild: sh scripts/build-c-hyp.sh)', function () {
    if (spawnSync(GCC, ['--version'], { stdio: 'ignore' }).status !== 0) {
      const msg = `${GCC} not found; install gcc-aarch64-linux-gnu`;
      if (process.env.CI === 'true') throw new Error(msg);
      // eslint-disable-next-line no-console
      console.log(`      skipped: ${msg}`);
      this.skip();
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-chyp-'));
    try {
      const out = path.join(tmp, 'c-hyp.elf');
      const r = spawnSync('sh', [path.join(ROOT, 'scripts/build-c-hyp.sh'), out], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.ok(fs.readFileSync(out).equals(fs.readFileSync(ELF)), 'the checked-in c-hyp.elf is out of date: run sh scripts/build-c-hyp.sh');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe('debugging', () => {
    beforeEach(async () => { dc = newClient(); await dc.start(); });
    afterEach(async () => { await dc.stop(); });

    it('stops in handle_hvc only for vm2, with the guest\'s registers in vcpu->regs; a logpoint prints the UART characters', async () => {
      let consoleText = '';
      dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category !== 'stdout') consoleText += e.body.output; });
      const first = stopped(dc, 'breakpoint');
      await launch(dc, { program: ELF }, () => dc.setBreakpointsRequest({
        source: { path: HYP_C },
        breakpoints: [
          { line: lineOf(HYP_C, 'vcpu->hvc_count++;'), condition: 'vcpu->id == 1' },
          // In handle_dabt after the ISS is decoded: the character the guest stored (SRT names its register).
          { line: lineOf(HYP_C, 'vcpu->dabt_count++;'), logMessage: 'vm{vcpu->vmid} {(char)vcpu->regs[srt]} write={write}' },
        ],
      }));
      await first;
      assert.match((await topFrame(dc)).name, /^handle_hvc\b/);
      assert.strictEqual(await evalIn(dc, 'vcpu->id'), '1');
      assert.match(await evalIn(dc, 'vcpu->name'), /^0x[0-9a-f]{16} "vm2"$/);
      // guest.S: x0 = HVC_RAISE_VIRQ (1) for the hvc, x19 = the guest's number (1 for vm2).
      assert.strictEqual(await evalIn(dc, 'vcpu->regs[0]'), '1');
      assert.strictEqual(await evalIn(dc, 'vcpu->regs[19]'), '1');
      assert.strictEqual(await evalIn(dc, 'vcpu == &vcpus[1] && current == vcpu'), '1');
      assert.strictEqual(await evalIn(dc, '(vcpu->last_esr >> 26) == 0x16'), '1', 'ESR_EL2.EC: HVC from AArch64');
      assert.strictEqual(await evalIn(dc, 'vcpu->last_exit'), 'EXIT_DABT', 'the exit before this HVC: the newline stored to the UART');
      assert.strictEqual(await evalIn(dc, 'vcpus[0].hvc_count > 0 && vcpus[0].dabt_count >= 5 * vcpus[0].hvc_count'), '1', 'vm1 ran first: 5 UART stores per HVC');
      assert.strictEqual(await evalIn(dc, 'switches'), '1');
      // vm1 took every virtual interrupt inject_virq gave it (guest.S counts them in x20, saved at the switch).
      assert.strictEqual(await evalIn(dc, 'vcpus[0].virq_count > 0 && vcpus[0].regs[20] == vcpus[0].virq_count'), '1');
      // The UART stores vm1 made before the switch, as the logpoint printed them: "g0 0\n" per round.
      const lines = consoleText.split('\n').filter((l) => l.startsWith('vm'));
      assert.ok(lines.length >= 5, consoleText);
      assert.deepStrictEqual(lines.slice(0, 5), ["vm1 103 'g' write=1", "vm1 48 '0' write=1", "vm1 32 ' ' write=1", "vm1 48 '0' write=1", "vm1 10 '\\x0a' write=1"]);
    });

    it('takes C in an exception filter\'s condition beside the event fields (ec == 0x24 && current->id == 1)', async () => {
      const first = stopped(dc, 'exception');
      await launch(dc, { program: ELF }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'trap-el2', condition: 'ec == 0x24 && current->id == 1' }] }));
      await first;
      // vm2's first store to its UART: after the first switch, before the hypervisor saw any of its writes.
      assert.strictEqual(await evalIn(dc, 'switches'), '1');
      assert.strictEqual(await evalIn(dc, 'current->uart.writes'), '0');
      assert.strictEqual(await evalIn(dc, 'vcpus[0].uart.writes > 0'), '1');
      // A bad C condition is refused with the reason.
      const r = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'trap-el2', condition: 'current->' }] });
      assert.match(r.body?.breakpoints?.[0]?.message ?? '', /condition: expected a member name/);
    });

    it('shows the vCPUs with their fields in the Globals scope at a trap-el2 stop', async () => {
      const first = stopped(dc, 'exception');
      await launch(dc, { program: ELF }, () => dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'trap-el2', condition: 'ec == 0x24' }] }));
      await first;
      const f = await topFrame(dc);
      const scopes = (await dc.scopesRequest({ frameId: f.id })).body.scopes;
      const globals = scopes.find((s) => s.name === 'Globals');
      assert.ok(globals, scopes.map((s) => s.name).join(', '));
      const g = await children(dc, globals.variablesReference);
      assert.strictEqual(g.get('vcpus')!.type, 'struct vcpu [2]');
      assert.strictEqual(g.get('switches')!.value, '0');
      const vcpus = await children(dc, g.get('vcpus')!.variablesReference);
      const v0 = await children(dc, vcpus.get('[0]')!.variablesReference);
      assert.deepStrictEqual([...v0.keys()], ['regs', 'sp_el1', 'pc', 'pstate', 'id', 'vmid', 'state', 'last_exit', 'last_esr', 'last_ipa',
        'vbar_el1', 'elr_el1', 'spsr_el1', 'ich_vmcr', 'ich_lr0', 'hvc_count', 'dabt_count', 'virq_count', 'runs', 'name', 'uart']);
      assert.strictEqual(v0.get('state')!.value, 'VCPU_RUNNING');
      assert.strictEqual(v0.get('vmid')!.value, '1');
      assert.strictEqual(v0.get('runs')!.value, '1');
      // The vectors have not saved the guest yet: the C expression reads the live registers instead.
      assert.strictEqual(await evalIn(dc, 'x1'), '0x9000000 (150994944)');
      assert.strictEqual(await evalIn(dc, 'x1 == 0x09000000 && (int)x1 > 0'), '1');
      assert.strictEqual(await evalIn(dc, 'current == &vcpus[0] && current->pc == (unsigned long)guest_entry'), '1');
    });
  });
});
