// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! A safe view of `struct kvm_vcpu` for the FP hooks.
//!
//! Raw field access to the vCPU lives here and nowhere else. The per-vCPU
//! state private to this implementation is `vcpu->arch.fp_rust`
//! (`struct kvm_fp_rust_vcpu`, added to `<asm/kvm_host.h>` by the
//! integration patch when `CONFIG_KVM_ARM64_FPSIMD_RUST=y`): the binding
//! handed to the host's FP code, and this CPU's ownership and binding
//! slots, cached at vcpu load so that the per-exit hooks need no per-CPU
//! address computation and no call.

use crate::{owner::FpOwner, staging};
use kernel::{bindings, types::Opaque};

/// A vCPU, as the FP hooks see it.
///
/// # Invariants
///
/// The caller of every method is the thread that has this vCPU loaded (it
/// holds `vcpu->mutex` and runs between `vcpu_load()` and `vcpu_put()`, or
/// in the preempt notifiers in between), so nothing else touches the
/// fields used here concurrently, except `fp_owner`, which the hypervisor
/// writes only while this CPU runs the guest.
#[repr(transparent)]
pub(crate) struct Vcpu(Opaque<bindings::kvm_vcpu>);

impl Vcpu {
    /// Wraps a raw vCPU pointer from C.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct kvm_vcpu` for `'a`, and the
    /// caller must be in the context the type invariant describes.
    #[inline(always)]
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::kvm_vcpu) -> &'a Self {
        // SAFETY: `Vcpu` is a transparent wrapper of `kvm_vcpu`; the caller
        // guarantees validity for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    #[inline(always)]
    fn raw(&self) -> *mut bindings::kvm_vcpu {
        self.0.get()
    }

    /// `vcpu_has_sve()`.
    pub(crate) fn has_sve(&self) -> bool {
        // SAFETY: FFI call on a valid vCPU (type invariant).
        unsafe { bindings::kvm_fp_rust_vcpu_has_sve(self.raw()) }
    }

    /// The vCPU's FP/SIMD register file, `vcpu->arch.ctxt.fp_regs`.
    #[inline(always)]
    fn fp_regs(&self) -> *mut bindings::user_fpsimd_state {
        // SAFETY: The vCPU is valid (type invariant); only the address is
        // taken.
        unsafe { core::ptr::addr_of_mut!((*self.raw()).arch.ctxt.fp_regs) }
    }

    /// The one constructor of the binding this vCPU's state is bound to the
    /// CPU with (`kvm_arch_vcpu_ctxsync_fp()` builds the same on its stack).
    ///
    /// Every pointer in it points into the vCPU or to its `sve_state`,
    /// which live until the vCPU is destroyed; `sve_state` and
    /// `sve_max_vl` are fixed once the vCPU is finalized, which `KVM_RUN`
    /// requires.
    fn binding(&self) -> bindings::cpu_fp_state {
        let vcpu = self.raw();
        let to_save = if self.has_sve() {
            bindings::fp_type_FP_STATE_SVE
        } else {
            bindings::fp_type_FP_STATE_FPSIMD
        };
        // SAFETY: The vCPU is valid and not accessed concurrently (type
        // invariant). SVCR and FPMR are below __VNCR_START__, so
        // __vcpu_sys_reg() is the sys_regs[] slot, as indexed here.
        unsafe {
            let sys_regs = core::ptr::addr_of_mut!((*vcpu).arch.ctxt.sys_regs).cast::<u64>();
            bindings::cpu_fp_state {
                st: self.fp_regs(),
                sve_state: (*vcpu).arch.sve_state,
                sme_state: core::ptr::null_mut(),
                svcr: sys_regs.add(bindings::vcpu_sysreg_SVCR as usize),
                fpmr: sys_regs.add(bindings::vcpu_sysreg_FPMR as usize),
                sve_vl: (*vcpu).arch.sve_max_vl,
                sme_vl: 0,
                fp_type: core::ptr::addr_of_mut!((*vcpu).arch.fp_type),
                to_save,
            }
        }
    }

    #[inline(always)]
    fn private(&self) -> *mut bindings::kvm_fp_rust_vcpu {
        // SAFETY: The vCPU is valid (type invariant); only the address is
        // taken.
        unsafe { core::ptr::addr_of_mut!((*self.raw()).arch.fp_rust) }
    }

    /// Caches this CPU's `fp_owner` and `fpsimd_last_state` slots and the
    /// vCPU's binding. Called at every vcpu load, before any other method
    /// below.
    ///
    /// # Safety
    ///
    /// Preemption must be disabled until the matching put, so that the
    /// cached slots stay this CPU's for as long as they are used.
    pub(crate) unsafe fn cache_for_this_cpu(&self) {
        let binding = self.binding();
        let p = self.private();
        // SAFETY: `p` is valid and not accessed concurrently (type
        // invariant). The helpers are FFI calls whose this_cpu_ptr() results
        // name this CPU while preemption is disabled (the caller).
        unsafe {
            (*p).binding = binding;
            (*p).fp_owner = bindings::kvm_fp_rust_this_cpu_fp_owner();
            (*p).last_state = bindings::kvm_fp_rust_this_cpu_last_state();
        }
    }

    /// Whether the slots cached at load are still this CPU's. They are
    /// while the hooks' contract holds (loaded on this CPU, preemption
    /// disabled or a preempt notifier reloading the vCPU on the next CPU);
    /// debug kernels check it on every exit (`RUST_DEBUG_ASSERTIONS`), so a
    /// vCPU that ran on without being reloaded after migration is reported
    /// instead of writing another CPU's ownership.
    pub(crate) fn cache_is_this_cpus(&self) -> bool {
        // SAFETY: Only the cached pointers are read and compared; the FFI
        // helpers return this CPU's slots (callers run with interrupts
        // disabled).
        unsafe {
            let p = self.private();
            (*p).fp_owner == bindings::kvm_fp_rust_this_cpu_fp_owner()
                && (*p).last_state == bindings::kvm_fp_rust_this_cpu_last_state()
        }
    }

    /// This CPU's `fp_owner`, raw.
    #[inline(always)]
    fn owner_raw(&self) -> u32 {
        // SAFETY: The slot was cached at vcpu load on this CPU, and the vCPU
        // is still loaded on it (type invariant), so it points to this
        // CPU's kvm_host_data.fp_owner. The hypervisor writes it only while
        // this CPU runs the guest, not while this code runs.
        unsafe { *(*self.private()).fp_owner }
    }

    /// This CPU's FP register owner; `None` for a value outside the enum,
    /// which no hook treats as guest-owned (as the C compares for
    /// equality).
    #[inline(always)]
    pub(crate) fn owner(&self) -> Option<FpOwner> {
        FpOwner::from_raw(self.owner_raw())
    }

    /// Sets this CPU's FP register owner.
    #[inline(always)]
    pub(crate) fn set_owner(&self, owner: FpOwner) {
        // SAFETY: As in owner_raw().
        unsafe { *(*self.private()).fp_owner = owner.as_raw() }
    }

    /// Whether this CPU's FP binding currently names this vCPU's register
    /// file (`fpsimd_last_state.st == &vcpu->arch.ctxt.fp_regs`).
    #[inline(always)]
    pub(crate) fn bound_to_cpu(&self) -> bool {
        // SAFETY: `last_state` was cached at vcpu load on this CPU and the
        // vCPU is still loaded on it (type invariant). The callers run with
        // interrupts disabled, so no softirq changes it meanwhile.
        unsafe { (*(*self.private()).last_state).st == self.fp_regs() }
    }

    /// Binds the vCPU's state to this CPU.
    #[inline(always)]
    pub(crate) fn bind_to_cpu(&self, irqs: &staging::IrqsDisabled<'_>) {
        // SAFETY: The binding was built at vcpu load by `binding()`; all its
        // pointers live as long as the vCPU, which outlives the binding: the
        // vCPU is put (kvm_arch_vcpu_put_fp() flushes the binding) before
        // it can be destroyed.
        unsafe {
            staging::fpsimd_bind_state_to_cpu(
                core::ptr::addr_of_mut!((*self.private()).binding),
                irqs,
            )
        }
    }
}
