// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Ownership of a physical CPU's FP/SIMD/SVE registers, and the decisions
//! the per-entry and per-exit hooks take from it.
//!
//! Pure logic: no kernel dependency. The kernel crate compiles this file as
//! a module of `kvm_fp_rust`; `cargo test` compiles it on the host, where
//! `tests/owner_model.rs` checks the decisions against a model of the
//! kernel's FP tracking (`arch/arm64/kernel/fpsimd.c`) and of the C hooks
//! (`arch/arm64/kvm/fpsimd.c`).
//!
//! Ownership belongs to the CPU, not to the vCPU: it lives in the per-CPU
//! `kvm_host_data::fp_owner` that the hypervisor also writes (it becomes
//! [`FpOwner::GuestOwned`] when the guest's first FP access traps and the
//! hypervisor loads the guest's registers).

/// Who holds a physical CPU's FP registers (`kvm_host_data::fp_owner`).
///
/// The discriminants are the C `FP_STATE_*` values; the kernel build checks
/// them against the bindings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum FpOwner {
    /// Neither host nor guest: the registers hold nothing anyone needs.
    Free = 0,
    /// The host task's state is in the registers (pKVM after a guest run).
    HostOwned = 1,
    /// The guest's state is in the registers, loaded by the hypervisor.
    GuestOwned = 2,
}

impl FpOwner {
    /// Decodes a raw `fp_owner` value; `None` for a value outside the enum.
    pub const fn from_raw(raw: u32) -> Option<Self> {
        match raw {
            0 => Some(Self::Free),
            1 => Some(Self::HostOwned),
            2 => Some(Self::GuestOwned),
            _ => None,
        }
    }

    /// The raw `fp_owner` value.
    pub const fn as_raw(self) -> u32 {
        self as u32
    }
}

/// What the per-entry hook (`kvm_arch_vcpu_ctxflush_fp`) does.
///
/// `regs_taken` is the current task's `TIF_FOREIGN_FPSTATE`: something
/// (kernel-mode NEON in a softirq, a context switch) took the registers
/// since the last exit, saving the bound state first. The guest's state is
/// then no longer in them, so the CPU's registers become [`FpOwner::Free`]
/// and the guest's next FP access traps and reloads them. Returns the owner
/// to store, or `None` to leave it unchanged.
pub const fn on_entry(regs_taken: bool) -> Option<FpOwner> {
    if regs_taken {
        Some(FpOwner::Free)
    } else {
        None
    }
}

/// What the per-exit hook (`kvm_arch_vcpu_ctxsync_fp`) must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitAction {
    /// The registers are not the guest's: nothing to bind.
    Nothing,
    /// The guest's state is in the registers and the CPU's binding already
    /// names this vCPU: the binding made at an earlier exit still stands.
    AlreadyBound,
    /// Bind the vCPU's state to the CPU and clear `TIF_FOREIGN_FPSTATE`, so
    /// that kernel-mode NEON saves the guest's registers into the vCPU.
    Bind,
}

/// Decides the per-exit action.
///
/// `owner` is this CPU's `fp_owner` (`None` for a value outside the enum,
/// which is not the guest's, as the C compares for equality).
/// `binding_stands` is asked only when the guest owns the registers: does
/// the CPU's binding (`fpsimd_last_state.st`) still name this vCPU's
/// register file, with `TIF_FOREIGN_FPSTATE` clear?
///
/// The C binds on every exit with [`FpOwner::GuestOwned`]. Rebinding is
/// redundant when nothing took the registers since the previous binding:
/// taking them (`fpsimd_flush_cpu_state()`) clears the binding and sets
/// `TIF_FOREIGN_FPSTATE`, and only KVM binds a vCPU's register file, with
/// the same values each time. So a binding that stands is exactly the
/// binding the C would write again.
#[inline(always)]
pub fn on_exit(owner: Option<FpOwner>, binding_stands: impl FnOnce() -> bool) -> ExitAction {
    match owner {
        Some(FpOwner::GuestOwned) if binding_stands() => ExitAction::AlreadyBound,
        Some(FpOwner::GuestOwned) => ExitAction::Bind,
        _ => ExitAction::Nothing,
    }
}

/// Whether the vCPU-put hook (`kvm_arch_vcpu_put_fp`) saves and flushes the
/// registers: only when they hold the guest's state. The host's own state
/// was saved at vcpu load and is restored on return to userspace.
pub const fn put_saves(owner: Option<FpOwner>) -> bool {
    matches!(owner, Some(FpOwner::GuestOwned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip() {
        for owner in [FpOwner::Free, FpOwner::HostOwned, FpOwner::GuestOwned] {
            assert_eq!(FpOwner::from_raw(owner.as_raw()), Some(owner));
        }
        assert_eq!(FpOwner::from_raw(3), None);
        assert_eq!(FpOwner::from_raw(u32::MAX), None);
    }

    #[test]
    fn entry_frees_taken_registers_only() {
        assert_eq!(on_entry(true), Some(FpOwner::Free));
        assert_eq!(on_entry(false), None);
    }

    #[test]
    fn exit_binds_guest_registers_unless_still_bound() {
        use ExitAction::*;
        for stands in [false, true] {
            let never =
                || -> bool { panic!("asked about the binding of registers not the guest's") };
            assert_eq!(on_exit(None, never), Nothing);
            assert_eq!(on_exit(Some(FpOwner::Free), never), Nothing);
            assert_eq!(on_exit(Some(FpOwner::HostOwned), never), Nothing);
            let want = if stands { AlreadyBound } else { Bind };
            assert_eq!(on_exit(Some(FpOwner::GuestOwned), || stands), want);
        }
    }
}
