import { PAGE_SIZE } from '../kernel/constants.js';
import {
  E,
  LIMIT_HIGH,
  LIMIT_LOW,
  LIMIT_MAX,
  LIMIT_MIN,
  MACHINE_INTERLEAVE,
  MACHINE_MGLRU,
  MACHINE_OBJCG,
  SYSCTL_IO_TICKS,
  SYSCTL_MIN_FREE_KBYTES,
  SYSCTL_SWAP_PAGES,
  SYSCTL_SWAPPINESS,
  SYSCTL_WATERMARK_SCALE_FACTOR,
  SYSCTL_WRITEBACK_TICKS,
} from '../kernel/events.js';
import { withNid } from '../kernel/node.js';
import type { Ctx } from '../policy/context.js';
import type { LimitBytes, MachineSetup } from './workload.js';

// What every workload's setup does first, shared so the workloads boot the machine the same way.

/** The machine event, then swapon and the vm sysctls the experiment sets (before any cgroup or folio). */
export function bootMachine(ctx: Ctx, machine: MachineSetup): void {
  const flags =
    (machine.mglru ? MACHINE_MGLRU : 0) |
    (machine.objcgCharging ? MACHINE_OBJCG : 0) |
    (machine.interleave && (machine.nodes ?? 1) > 1 ? MACHINE_INTERLEAVE : 0);
  ctx.emit(E.machine(machine.memoryPages, withNid(flags, (machine.nodes ?? 1) - 1)));
  setSysctls(ctx, machine.vm);
}

/** swapon and the vm sysctls the experiment sets, right after the machine event (before any folio). */
function setSysctls(ctx: Ctx, vm: MachineSetup['vm']): void {
  if (!vm) return;
  if (vm.swapPages) ctx.emit(E.sysctl(SYSCTL_SWAP_PAGES, vm.swapPages));
  if (vm.swappiness !== undefined && vm.swappiness !== ctx.s.vm.swappiness) ctx.emit(E.sysctl(SYSCTL_SWAPPINESS, vm.swappiness));
  if (vm.minFreeKbytes !== undefined) ctx.emit(E.sysctl(SYSCTL_MIN_FREE_KBYTES, vm.minFreeKbytes));
  if (vm.watermarkScaleFactor !== undefined && vm.watermarkScaleFactor !== ctx.s.vm.watermarkScaleFactor)
    ctx.emit(E.sysctl(SYSCTL_WATERMARK_SCALE_FACTOR, vm.watermarkScaleFactor));
  if (vm.writebackTicks !== undefined && vm.writebackTicks !== ctx.s.vm.writebackTicks)
    ctx.emit(E.sysctl(SYSCTL_WRITEBACK_TICKS, vm.writebackTicks));
  if (vm.ioTicks !== undefined && vm.ioTicks !== ctx.s.vm.ioTicks) ctx.emit(E.sysctl(SYSCTL_IO_TICKS, vm.ioTicks));
}

/** Write memory.max / memory.high / memory.min / memory.low (bytes, rounded down to pages as the kernel does). */
export function setLimits(ctx: Ctx, memcg: number, limits: LimitBytes | undefined): void {
  if (limits?.max !== undefined) ctx.emit(E.limitSet(memcg, LIMIT_MAX, Math.floor(limits.max / PAGE_SIZE)));
  if (limits?.high !== undefined) ctx.emit(E.limitSet(memcg, LIMIT_HIGH, Math.floor(limits.high / PAGE_SIZE)));
  if (limits?.min !== undefined) ctx.emit(E.limitSet(memcg, LIMIT_MIN, Math.floor(limits.min / PAGE_SIZE)));
  if (limits?.low !== undefined) ctx.emit(E.limitSet(memcg, LIMIT_LOW, Math.floor(limits.low / PAGE_SIZE)));
}

/** "/a/b" → ["/a", "/a/b"]: a cgroup path's ancestors below the root, and itself. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}
