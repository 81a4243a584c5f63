// Kernel-aware debugging of KVM in VHE mode over DAP (issue #15): one boot of Debian's kernel on
// `max` (FEAT_VHE: the host kernel runs at EL2 with E2H) with the benchmark VMM as init, running
// its hypercall guest only, under the armv8.1-vhe cost profile. In order:
//   1. the `trap-el2` filter with `ec == 0x16 && vmid != 0` stops on the guest's first HVC in
//      VHE KVM's vector, which is kernel code at EL2 (named from kallsyms, regime "EL2 kernel");
//   2. a function breakpoint on KVM's handle_exit stops with the exit chain below it, back to the
//      VMM's KVM_RUN system call, every name a kallsyms symbol;
//   3. armvirt/exitProfile runs through the guest's next hypercall and charges its cycles to VHE
//      KVM's functions: the segments add up to what the guest measured for that iteration, and
//      the trace answer carries the profile for the Timeline panel.
// Needs dist/ (npm run build) and the cached kernel (bash scripts/fetch-kernel.sh).
// Alone: npx mocha --no-config --node-option import=tsx --extension ts --timeout 900000 test/linux/kernel-debug-vhe.test.ts
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ADAPTER, launch, newClient, stopped } from '../debug/helpers';
import { requireKernel } from './boot-tools';
import { Kallsyms } from '../../src/debug/kallsyms';
import { vmmAppend, vmmInitramfs } from '../../src/cli/linux-kvm';
import type { ExitProfile } from '../../src/debug/exit-profile';

const TIMEOUT_MS = Number(process.env.ARMVIRT_BOOT_TIMEOUT_S ?? 900) * 1000;

describe('kernel-aware debugging of VHE KVM over DAP (one boot, max, the VMM\'s hypercall guest)', function () {
  this.timeout(TIMEOUT_MS);
  let dc: DebugClient;
  let dir: string;
  let syms: Kallsyms;
  let trapStop: Promise<DebugProtocol.StoppedEvent>;
  let thread = 0;

  const frames = async (threadId: number): Promise<DebugProtocol.StackFrame[]> => (await dc.stackTraceRequest({ threadId })).body.stackFrames;
  const bare = (name: string): string => name.replace(/\+0x[0-9a-f]+/, '').replace(/ \(.*\)$/, '');
  const show = (st: DebugProtocol.StackFrame[]): string => st.map((f) => `        ${f.name}`).join('\n');

  before(async function () {
    const kernel = requireKernel(this);
    if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build first`);
    syms = Kallsyms.fromImage(fs.readFileSync(kernel));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-kdebug-vhe-'));
    const initrd = path.join(dir, 'initramfs.cpio.gz');
    fs.writeFileSync(initrd, vmmInitramfs());
    dc = newClient();
    dc.defaultTimeout = TIMEOUT_MS;
    await dc.start();
    trapStop = stopped(dc, 'exception');
    await launch(dc, {
      kernel, initrd, append: vmmAppend(['hypercall']), cpu: 'max', cores: 2, gic: 'v3', profile: 'armv8.1-vhe',
    }, async () => {
      await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'trap-el2', condition: 'ec == 0x16 && vmid != 0' }] });
    });
  });
  after(async () => {
    await dc?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trap-el2 "ec == 0x16 && vmid != 0" stops in VHE KVM\'s vector: kernel code at EL2, named from kallsyms', async () => {
    const e = await trapStop;
    thread = e.body.threadId!;
    const st = await frames(thread);
    console.log(`      ${(await dc.threadsRequest()).body.threads.find((t) => t.id === thread)!.name}\n${show(st)}`);
    // VHE: KVM's guest vectors are the kernel's own text at EL2 (no __kvm_nvhe_ copy, no hyp VA):
    // __kvm_hyp_vector, or a slot of __bp_harden_hyp_vecs; +0x400 in a slot is "lower EL,
    // AArch64, synchronous" (DDI0487 D1.10.2).
    const m = /^(__kvm_hyp_vector|__bp_harden_hyp_vecs)\+0x([0-9a-f]+) \(EL2 kernel\)$/.exec(st[0].name);
    assert.ok(m, show(st));
    assert.ok(syms.lookup(m[1]), `${m[1]} is a kallsyms name`);
    assert.strictEqual(parseInt(m[2], 16) % 0x800, 0x400, 'the lower-EL synchronous vector');
    assert.ok(st.some((f) => /^EL2 sync handler ← EL1 VMID [1-9]\d* 0x[0-9a-f_]+: HVC/.test(f.name)), show(st));
  });

  it('a function breakpoint on handle_exit stops under VHE KVM\'s exit chain, back to the VMM\'s KVM_RUN ioctl', async () => {
    assert.ok(thread > 0, 'needs the first step');
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const bp = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'handle_exit' }] })).body.breakpoints[0];
    assert.ok(bp.verified, JSON.stringify(bp));
    const p = stopped(dc, 'function breakpoint');
    await dc.continueRequest({ threadId: thread });
    const e = await p;
    const st = await frames(e.body.threadId!);
    console.log(show(st));
    assert.match(st[0].name, /^handle_exit \(EL2 kernel\)$/, show(st));
    const names = st.map((f) => bare(f.name));
    // arch/arm64/kvm/arm.c kvm_arch_vcpu_ioctl_run() → handle_exit(); virt/kvm/kvm_main.c
    // kvm_vcpu_ioctl() for KVM_RUN; the arm64 system-call path from the VMM's thread.
    for (const fn of ['kvm_arch_vcpu_ioctl_run', 'kvm_vcpu_ioctl', '__arm64_sys_ioctl', 'invoke_syscall', 'el0_svc']) {
      assert.ok(names.includes(fn), `${fn} in\n${show(st)}`);
    }
    assert.ok(names.indexOf('kvm_arch_vcpu_ioctl_run') < names.indexOf('kvm_vcpu_ioctl'), 'innermost first');
    for (const fn of names.filter((n) => !n.startsWith('EL') && !n.startsWith('0x'))) assert.ok(syms.lookup(fn), `${fn} is a kallsyms name`);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  });

  it('armvirt/exitProfile charges the next hypercall to VHE KVM\'s functions; the segments add up to the guest\'s own measurement', async () => {
    assert.ok(thread > 0, 'needs the first step');
    const p = stopped(dc, 'step');
    const r = await dc.customRequest('armvirt/exitProfile', { threadId: thread });
    await p;
    const prof = (r.body as { profile: ExitProfile }).profile;
    const fns = [...new Set(prof.segments.map((s) => s.fn))];
    console.log(`      ${prof.cause}: ${prof.cycles} cycles, the guest measured ${prof.guestMeasured}; ${prof.segments.length} segments, ${fns.length} functions`);
    assert.match(prof.cause, /^HVC/);
    const sum = prof.segments.reduce((a, s) => a + s.cycles, 0);
    assert.ok(Math.abs(sum - prof.cycles) < 1e-6, `segments ${sum} vs window ${prof.cycles}`);
    assert.ok(prof.guestMeasured !== null && Math.abs(prof.cycles - prof.guestMeasured) <= 1, `profile ${prof.cycles} vs the guest's ${prof.guestMeasured}`);
    // Every host function is a kallsyms name; VHE runs them in the kernel's own regime at EL2.
    const host = prof.segments.filter((s) => s.regime !== 'guest');
    assert.ok(host.length > 10 && host.every((s) => s.regime === 'kernel' && s.el === 2), JSON.stringify(host.slice(0, 5)));
    for (const fn of fns.filter((f) => !f.startsWith('guest'))) assert.ok(syms.lookup(fn), `${fn} is a kallsyms name`);
    // The VHE world switch and the hypercall's handling (arch/arm64/kvm/hyp/vhe/switch.c,
    // hyp/entry.S, handle_exit.c, hypercalls.c), none of nVHE's __kvm_nvhe_ copy.
    for (const fn of ['__kvm_vcpu_run_vhe', '__guest_enter', '__guest_exit', 'handle_exit', 'kvm_hvc_call_handler']) assert.ok(fns.includes(fn), `${fn} in ${fns.join(', ')}`);
    assert.ok(!fns.some((f) => f.startsWith('__kvm_nvhe_')));
    // The PE is back in the guest, stopped after its second timestamp; the Timeline gets the profile.
    const st = await frames(thread);
    assert.match(st[0].name, /VMID [1-9]/, show(st));
    const trace = (await dc.customRequest('armvirt/trace', { max: 10 })).body as { exitProfile?: ExitProfile };
    assert.deepStrictEqual(trace.exitProfile, prof);
  });
});
