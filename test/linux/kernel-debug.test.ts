// Kernel-aware debugging of Debian's Linux and its KVM over DAP, without a vmlinux (issue #15):
// one boot of the kernel + the reference initramfs on cortex-a57 (KVM nVHE), shared by the steps
// below, in order:
//   1. a function breakpoint on `kvm_vcpu_ioctl` (a kallsyms name) stops in the host kernel, with
//      a call stack named from kallsyms and the thread showing the task's comm;
//   2. the kallsyms reader agrees with the kernel's own /proc/kallsyms, printed by /init when the
//      command line has armvirt.kallsyms=M (about 100 lines): every sampled name, type and address;
//   3. the `trap-el2` filter with `ec == 0x16 && vmid != 0` stops in nVHE KVM's hyp vector on a
//      guest's HVC, the frames marked with their regime (hyp, guest VMID);
//   4. a function breakpoint on an nVHE hyp symbol resolves to a hyp VA and stops with the
//      hyp's own call chain (handle_trap) named from kallsyms.
// Needs dist/ (npm run build) and the cached kernel (bash scripts/fetch-kernel.sh).
// Alone: npx mocha --no-config --node-option import=tsx --extension ts --timeout 900000 test/linux/kernel-debug.test.ts
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { INIT_BINARY, makeInitramfs } from '../../scripts/make-initramfs';
import { ADAPTER, launch, newClient, stopped } from '../debug/helpers';
import { requireKernel } from './boot-tools';
import { Kallsyms } from '../../src/debug/kallsyms';

const TIMEOUT_MS = Number(process.env.ARMVIRT_BOOT_TIMEOUT_S ?? 600) * 1000;
/** /init prints about one /proc/kallsyms line in SAMPLE_EVERY: ~100 of Debian 6.1's ~44,700. */
const SAMPLE_EVERY = 450;

describe('kernel-aware debugging of Linux and KVM over DAP (one boot, cortex-a57, nVHE)', function () {
  this.timeout(TIMEOUT_MS);
  let dc: DebugClient;
  let dir: string;
  let kernel: string;
  let syms: Kallsyms;
  let out = '';
  let ioctlStop: Promise<DebugProtocol.StoppedEvent>;
  /** The VA the kernel runs kvm_vcpu_ioctl at (step 1's stop). */
  let ioctlVa: bigint | undefined;

  const frames = async (threadId: number): Promise<DebugProtocol.StackFrame[]> => (await dc.stackTraceRequest({ threadId })).body.stackFrames;
  const threadName = async (threadId: number): Promise<string> => (await dc.threadsRequest()).body.threads.find((t) => t.id === threadId)!.name;
  const cont = async (threadId: number, reason: string): Promise<DebugProtocol.StoppedEvent> => {
    const p = stopped(dc, reason);
    await dc.continueRequest({ threadId });
    return p;
  };

  before(async function () {
    kernel = requireKernel(this);
    if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build first`);
    syms = Kallsyms.fromImage(fs.readFileSync(kernel));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-kdebug-'));
    const initrd = path.join(dir, 'initramfs.cpio.gz');
    fs.writeFileSync(initrd, makeInitramfs(fs.readFileSync(INIT_BINARY)));
    dc = newClient();
    dc.defaultTimeout = TIMEOUT_MS;
    await dc.start();
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out += e.body.output; });
    ioctlStop = stopped(dc, 'function breakpoint');
    await launch(dc, {
      kernel, initrd, append: `console=ttyAMA0 nokaslr armvirt.kallsyms=${SAMPLE_EVERY}`, cpu: 'cortex-a57', cores: 2, gic: 'v3',
    }, async () => {
      const bps = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'kvm_vcpu_ioctl' }] });
      assert.ok(bps.body.breakpoints[0].verified, JSON.stringify(bps.body.breakpoints[0]));
      await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'trap-el2', condition: 'ec == 0x16 && vmid != 0' }] });
    });
  });
  after(async () => {
    await dc?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });


  it('a function breakpoint on kvm_vcpu_ioctl stops in the host kernel, with the syscall path named from kallsyms and the task\'s comm', async () => {
    const e = await ioctlStop;
    const t = e.body.threadId!;
    const st = await frames(t);
    assert.match(st[0].name, /^kvm_vcpu_ioctl \(EL1 kernel\)$/, st.map((f) => f.name).join('\n'));
    ioctlVa = BigInt(st[0].instructionPointerReference!);
    assert.ok(ioctlVa >> 48n === 0xffffn, `a kernel VA: ${st[0].instructionPointerReference}`);
    console.log(`      ${await threadName(t)}\n${st.map((f) => `        ${f.name}`).join('\n')}`);
    const names = st.map((f) => f.name.replace(/\+0x[0-9a-f]+/, '').replace(/ \(.*\)$/, ''));
    // The arm64 syscall path (arch/arm64/kernel/syscall.c, entry-common.c) down to the EL0 entry.
    for (const fn of ['__arm64_sys_ioctl', 'invoke_syscall', 'el0_svc']) assert.ok(names.includes(fn), `${fn} in\n${st.map((f) => f.name).join('\n')}`);
    for (const fn of names.filter((n) => !n.startsWith('EL') && !n.startsWith('0x'))) assert.ok(syms.lookup(fn), `${fn} is a kallsyms name`);
    assert.ok(st.some((f) => /^EL1 sync handler ← EL0 user 0x[0-9a-f_]+: SVC/.test(f.name)), 'the system call is a synthetic frame from EL0');
    const name = await threadName(t);
    assert.match(name, /^CPU\d \(EL1 kernel, init\) kvm_vcpu_ioctl @ 0x[0-9a-f_]+$/);
    assert.strictEqual(BigInt(name.replace(/.* @ /, '').replace(/_/g, '')), ioctlVa, 'the thread shows the PC');
  });

  it('the kallsyms reader agrees with the kernel\'s /proc/kallsyms, symbol by symbol (about 100 sampled lines)', () => {
    assert.ok(ioctlVa !== undefined, 'needs the first step');
    const lines = [...out.matchAll(/^armvirt-init: kallsyms ([0-9a-f]{16}) (\S) (\S+)$/gm)];
    assert.ok(lines.length >= 60 && lines.length <= 150, `${lines.length} sampled lines:\n${out.slice(-2000)}`);
    const total = Number(/^armvirt-init: kallsyms lines (\d+)$/m.exec(out)?.[1]);
    assert.strictEqual(total, syms.symbols.length, '/proc/kallsyms has as many lines as the tables have symbols (no modules loaded)');
    // The base the running kernel relocated kallsyms to, from the VA step 1 stopped at.
    const base = ioctlVa! - BigInt(syms.lookup('kvm_vcpu_ioctl')!.offset);
    for (const [, addr, type, name] of lines) {
      const va = BigInt(`0x${addr}`);
      const ours = syms.symbols.filter((s) => s.name === name);
      assert.ok(ours.length > 0, `${name} missing from the reader's table`);
      assert.ok(ours.some((s) => base + BigInt(s.offset) === va && s.type === type), `${addr} ${type} ${name}: the reader has ${ours.map((s) => `${(base + BigInt(s.offset)).toString(16)} ${s.type}`).join(', ')}`);
    }
  });

  it('trap-el2 with "ec == 0x16 && vmid != 0" stops in nVHE KVM\'s hyp vector on a guest\'s HVC, frames marked by regime', async () => {
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const e = await cont(1, 'exception');
    const t = e.body.threadId!;
    const st = await frames(t);
    const text = st.map((f) => f.name).join('\n');
    console.log(`      ${await threadName(t)}\n${st.map((f) => `        ${f.name}`).join('\n')}`);
    // KVM's guest vectors: __kvm_hyp_vector, or on CPUs that need Spectre-v2 hardening (Cortex-A57
    // is one) a slot of __bp_harden_hyp_vecs (arch/arm64/kvm/hyp/hyp-entry.S); +0x400 in a slot
    // is "lower EL, AArch64, synchronous" (DDI0487 D1.10.2).
    const m = /^(__kvm_nvhe___kvm_hyp_vector|__kvm_nvhe___bp_harden_hyp_vecs)\+0x([0-9a-f]+) \(EL2 nVHE hyp\)$/.exec(st[0].name);
    assert.ok(m, text);
    assert.ok(syms.lookup(m[1]));
    assert.strictEqual(parseInt(m[2], 16) % 0x800, 0x400, 'the lower-EL synchronous vector');
    assert.ok(st.some((f) => /^EL2 sync handler ← EL1 VMID [1-9]\d* 0x[0-9a-f_]+: HVC/.test(f.name)), text);
    assert.strictEqual((await threadName(t)).replace(/ @ .*/, ''), `CPU${t - 1} (EL2 nVHE hyp) ${m[1]}+0x${m[2]}`);
    // The Timeline's records name the kernel function an exception lands in.
    const trace = await dc.customRequest('armvirt/trace', { max: 200 });
    const recs = (trace.body as { records: { pe: number; type: string; text: string }[] }).records;
    const entry = recs.filter((r) => r.pe === t - 1 && r.type === 'exceptionEntry').pop();
    assert.ok(entry && entry.text.endsWith(` in ${m[1]}`), JSON.stringify(entry));
    assert.ok(recs.some((r) => r.type === 'exceptionReturn' && / in \S+$/.test(r.text)), 'an ERET into named kernel code');
  });

  it('a function breakpoint on an nVHE hyp symbol resolves to its hyp VA and stops under handle_trap', async () => {
    await dc.setExceptionBreakpointsRequest({ filters: [] });
    const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '__kvm_nvhe_handle___kvm_vcpu_run' }] });
    const bp = r.body.breakpoints[0];
    assert.ok(bp.verified && /nVHE hyp VA 0x[0-9a-f]+/.test(bp.message ?? ''), JSON.stringify(bp));
    const e = await cont(1, 'function breakpoint');
    const st = await frames(e.body.threadId!);
    const text = st.map((f) => f.name).join('\n');
    console.log(`      ${bp.message}\n${st.map((f) => `        ${f.name}`).join('\n')}`);
    assert.match(st[0].name, /^__kvm_nvhe_handle___kvm_vcpu_run \(EL2 nVHE hyp\)$/, text);
    assert.strictEqual(st[0].instructionPointerReference, bp.instructionReference, 'stops at the hyp VA the breakpoint resolved to');
    const hypVa = BigInt(bp.instructionReference!);
    assert.notStrictEqual(hypVa >> 48n, 0xffffn, 'a hyp VA (TTBR0_EL2), not the kernel image VA');
    assert.ok(st.some((f) => /^__kvm_nvhe_handle_trap\+0x[0-9a-f]+ \(EL2 nVHE hyp\)$/.test(f.name)), text);
  });
});
