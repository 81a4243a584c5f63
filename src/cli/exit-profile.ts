// `armvirt run --kernel … --exit-profile N`: the cycles of one guest hypercall under the booted
// kernel's KVM, charged to the kernel functions that spend them (src/debug/exit-profile.ts).
// When a guest makes its (N−1)th HVC, the run pauses; the profiler then executes the guest's
// next timed hypercall — from its last counter read before HVC number N to its first one after
// KVM returned — one instruction at a time, and the run goes on as before. The result is one
// stderr line, "armvirt-exit-profile: " + JSON (ExitProfile), which `armvirt experiments --linux`
// reads from the console of its boots (src/cli/linux-kvm.ts).
import type { Machine } from '../sim/machine';
import type { BootPlan } from '../sim/boot/linux-boot';
import { KernelView } from '../debug/kernel-view';
import { EXIT_PROFILE_PREFIX, profileGuestExit, type ExitProfile } from '../debug/exit-profile';

export { EXIT_PROFILE_PREFIX };
import { EC } from '../sim/syndrome';

export class ExitProfileTrigger {
  /** The run was paused for the profile: take() it, then run on. */
  due = false;
  private hvcs = 0;
  private pe = -1;
  private readonly off: () => void;

  constructor(private readonly m: Machine, private readonly view: KernelView, readonly n: number) {
    this.off = m.bus.on('exceptionEntry', (e) => {
      if (this.pe >= 0 || e.to !== 2 || e.from !== 1 || e.ec !== EC.HVC64) return;
      if (view.regime(m.pes[e.pe], 1) !== 'guest') return; // the host kernel's own HVCs (nVHE hyp calls)
      if (++this.hvcs === n - 1) { this.pe = e.pe; this.due = true; m.requestPause(); }
    });
  }

  /** Profiles the exit (the machine runs on meanwhile, exactly as a free run would) and stops listening. */
  take(): ExitProfile {
    this.due = false;
    this.off();
    return profileGuestExit(this.m, this.view, this.pe);
  }

  dispose(): void { this.off(); }
}

/** The trigger for `--exit-profile N` on a booted Image, or a reason why the kernel has no symbols. */
export function armExitProfile(m: Machine, plan: BootPlan, n: number): ExitProfileTrigger | string {
  const image = plan.format === 'image' ? plan.segments.find((s) => s.addr === plan.entry)?.data : undefined;
  if (!image) return 'the kernel is not an arm64 Image';
  const v = KernelView.forImage(m, image, plan.entry);
  return typeof v === 'string' ? v : new ExitProfileTrigger(m, v, n);
}
