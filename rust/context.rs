// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The FP context hooks, over [`Vcpu`] and the staging module. The
//! `extern "C"` trampolines in the crate root call these. Two `unsafe`
//! blocks are left here, both in [`load_fp`]: the read of `current`'s
//! `mm`, and caching this CPU's slots, whose contract is the caller's
//! disabled preemption.
//!
//! Calling contexts, as `arch/arm64/kvm/arm.c` calls them:
//!
//! | hook          | when                                  | context                        |
//! |---------------|---------------------------------------|--------------------------------|
//! | `load_fp`     | `vcpu_load()`, `kvm_sched_in()`       | preemption off                 |
//! | `ctxflush_fp` | before every guest entry              | interrupts off                 |
//! | `ctxsync_fp`  | after every guest exit                | interrupts off                 |
//! | `put_fp`      | `vcpu_put()`, `kvm_sched_out()`       | preemption off                 |
//!
//! The two per-exit hooks take an [`IrqsDisabled`] token, which their
//! trampolines make from the calling context that arm.c guarantees.

use crate::{
    owner::{self, ExitAction, FpOwner},
    staging::{self, IrqsDisabled},
    vcpu::{FpEvent, Vcpu},
};
use kernel::bindings;

/// `TIF_FOREIGN_FPSTATE`: the CPU's registers do not hold `current`'s
/// bound state (something took them since it was bound).
const TIF_FOREIGN_FPSTATE: u32 = bindings::TIF_FOREIGN_FPSTATE;

/// Saves and unbinds the host task's FP state, so that the host kernel
/// restores it on return to userspace and the hypervisor never needs to
/// save it; the CPU's registers start FREE. Caches this CPU's slots in the
/// vCPU for the hooks that follow until `put_fp`.
pub(crate) fn load_fp(vcpu: &Vcpu) {
    let task = staging::current_task();
    // SAFETY: `task` is the running task.
    if unsafe { (*task).mm }.is_null() {
        staging::bug(c"vCPU loaded by a task without an mm");
    }

    // SAFETY: Preemption is disabled from vcpu_load() or kvm_sched_in()
    // until the matching put, which is when the cache is used.
    unsafe { vcpu.cache_for_this_cpu() };

    if !staging::supports_fpsimd() {
        return;
    }

    // When the host may use SME, this also leaves PSTATE.{SM,ZA} = {0,0}.
    staging::fpsimd_save_and_flush_cpu_state();
    vcpu.set_owner(FpOwner::Free);

    // If normal guests gain SME support, pKVM guests still do not have it.
    if staging::protected_kvm_enabled() && staging::supports_sme() && staging::read_svcr() != 0 {
        staging::warn(c"SVCR set at vcpu load in protected mode");
    }
}

/// Before entry: if anything took the registers since the last exit
/// (kernel-mode NEON in a softirq, for one), neither host nor guest owns
/// them any more; the guest's next FP access traps and reloads its state.
#[inline(always)]
pub(crate) fn ctxflush_fp(vcpu: &Vcpu, _irqs: &IrqsDisabled<'_>) {
    if cfg!(debug_assertions) {
        staging::warn_on_once!(
            !vcpu.cache_is_this_cpus(),
            c"vCPU entered on a CPU it was not loaded on"
        );
    }
    if let Some(owner) = owner::on_entry(staging::test_thread_flag(TIF_FOREIGN_FPSTATE)) {
        vcpu.set_owner(owner);
        vcpu.count(FpEvent::ForeignEntry);
    }
}

/// After exit: if the guest's state is in the registers, make sure it is
/// bound to the CPU, so that kernel-mode NEON before the next entry saves
/// it into the vCPU. Skips the binding when the one made at an earlier exit
/// still stands (see [`owner::on_exit`]).
#[inline(always)]
pub(crate) fn ctxsync_fp(vcpu: &Vcpu, irqs: &IrqsDisabled<'_>) {
    if cfg!(debug_assertions) {
        staging::warn_on_once!(
            !vcpu.cache_is_this_cpus(),
            c"vCPU exited on a CPU it was not loaded on"
        );
    }
    let action = owner::on_exit(vcpu.owner(), || {
        vcpu.bound_to_cpu() && !staging::test_thread_flag(TIF_FOREIGN_FPSTATE)
    });
    if action == ExitAction::Bind {
        vcpu.bind_to_cpu(irqs);
        staging::clear_thread_flag(TIF_FOREIGN_FPSTATE);
    }
}

/// At put: if the guest's state is in the registers, save it into the vCPU
/// and unbind it (which sets `TIF_FOREIGN_FPSTATE`, so the host task's own
/// state is restored on return to userspace, `ZCR_EL1` included).
pub(crate) fn put_fp(vcpu: &Vcpu) {
    let _irqs = staging::LocalIrqSave::new();
    if owner::put_saves(vcpu.owner()) {
        staging::fpsimd_save_and_flush_cpu_state();
        vcpu.count(FpEvent::GuestSave);
    }
}
