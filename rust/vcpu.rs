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

use crate::{owner::FpOwner, staging, sve_layout::Vq, sve_seq::State};
use core::{ffi::c_void, ptr::NonNull};
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

    /// The same vCPU as the ioctl paths see it: a loaded vCPU's thread
    /// holds `vcpu->mutex`.
    fn locked(&self) -> &LockedVcpu {
        // SAFETY: Both are transparent wrappers of `kvm_vcpu`; the thread
        // that has the vCPU loaded holds `vcpu->mutex` (both type
        // invariants).
        unsafe { LockedVcpu::from_raw(self.raw()) }
    }

    /// `vcpu_has_sve()`.
    pub(crate) fn has_sve(&self) -> bool {
        self.locked().has_sve()
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

    /// Builds the vCPU's binding once per `KVM_RUN` task, at
    /// `kvm_arch_vcpu_run_map_fp()`: every `KVM_RUN` passes there first
    /// (its first call, and the first from each new task), after the vCPU
    /// is finalized, so everything the binding points to is fixed by then;
    /// only `ctxsync_fp()` within a `KVM_RUN` reads it. Building it there
    /// rather than at every vcpu load keeps it off the path of every exit
    /// to userspace.
    pub(crate) fn build_binding(&self) {
        let binding = self.binding();
        // SAFETY: `private()` is valid; the caller runs `KVM_RUN` and holds
        // `vcpu->mutex`, so no hook reads the binding meanwhile (the CPU's
        // own copy, made by fpsimd_bind_state_to_cpu(), is separate).
        unsafe { (*self.private()).binding = binding };
    }

    /// Caches this CPU's `fp_owner` and `fpsimd_last_state` slots. Called
    /// at every vcpu load, before any other method below.
    ///
    /// # Safety
    ///
    /// Preemption must be disabled until the matching put, so that the
    /// cached slots stay this CPU's for as long as they are used.
    pub(crate) unsafe fn cache_for_this_cpu(&self) {
        let p = self.private();
        // SAFETY: `p` is valid and not accessed concurrently (type
        // invariant). The helpers are FFI calls whose this_cpu_ptr() results
        // name this CPU while preemption is disabled (the caller).
        unsafe {
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

    /// Counts an FP event in the vCPU's statistics (`KVM_GET_STATS_FD`),
    /// where the C hooks count the same event.
    #[inline(always)]
    pub(crate) fn count(&self, event: FpEvent) {
        // SAFETY: The vCPU is valid and its statistics are written only by
        // the thread that has it loaded (type invariant); readers of the
        // stats file tolerate a concurrent update, as for every KVM stat.
        unsafe {
            let stat = core::ptr::addr_of_mut!((*self.raw()).stat);
            let counter = match event {
                FpEvent::ForeignEntry => core::ptr::addr_of_mut!((*stat).fp_foreign_entry),
                FpEvent::GuestSave => core::ptr::addr_of_mut!((*stat).fp_guest_save),
            };
            *counter = (*counter).wrapping_add(1);
        }
    }

    /// Binds the vCPU's state to this CPU.
    #[inline(always)]
    pub(crate) fn bind_to_cpu(&self, irqs: &staging::IrqsDisabled<'_>) {
        // SAFETY: The binding was built by `build_binding()` when this
        // `KVM_RUN` (or an earlier one of this task) began; all its
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

/// The FP events the hooks count in the vCPU's statistics (the
/// hypervisor counts the third, `fp_guest_load`, when it loads the guest's
/// registers on a trap).
#[derive(Clone, Copy)]
pub(crate) enum FpEvent {
    /// `fp_foreign_entry`: an entry found `TIF_FOREIGN_FPSTATE` set.
    ForeignEntry,
    /// `fp_guest_save`: vcpu put saved the guest's registers.
    GuestSave,
}

/// A vCPU as its ioctl paths see it (`KVM_{GET,SET}_ONE_REG`,
/// `KVM_GET_REG_LIST`): its configuration and register state, not its
/// CPU's.
///
/// # Invariants
///
/// The caller holds `vcpu->mutex` (`kvm_vcpu_ioctl()` takes it), so no
/// other ioctl and no guest run touches the fields used here meanwhile.
/// The vCPU need not be loaded on this CPU.
#[repr(transparent)]
pub(crate) struct LockedVcpu(Opaque<bindings::kvm_vcpu>);

impl LockedVcpu {
    /// Wraps a raw vCPU pointer from C.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct kvm_vcpu` for `'a`, and the
    /// caller must hold its `vcpu->mutex` for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::kvm_vcpu) -> &'a Self {
        // SAFETY: `LockedVcpu` is a transparent wrapper of `kvm_vcpu`; the
        // caller guarantees validity for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// As [`LockedVcpu::from_raw`], for an ioctl that writes the vCPU's
    /// register state.
    ///
    /// # Safety
    ///
    /// As [`LockedVcpu::from_raw`], and no other reference to the vCPU made
    /// by this crate may be used during `'a`.
    pub(crate) unsafe fn from_raw_mut<'a>(ptr: *mut bindings::kvm_vcpu) -> &'a mut Self {
        // SAFETY: As in from_raw(); the caller guarantees this is the only
        // reference.
        unsafe { &mut *ptr.cast::<Self>() }
    }

    fn raw(&self) -> *mut bindings::kvm_vcpu {
        self.0.get()
    }

    /// `vcpu_has_sve()`.
    pub(crate) fn has_sve(&self) -> bool {
        // SAFETY: FFI call on a valid vCPU (type invariant).
        unsafe { bindings::kvm_fp_rust_vcpu_has_sve(self.raw()) }
    }

    /// `kvm_arm_vcpu_sve_finalized()`.
    pub(crate) fn sve_finalized(&self) -> bool {
        // SAFETY: FFI call on a valid vCPU (type invariant).
        unsafe { bindings::kvm_fp_rust_sve_finalized(self.raw()) }
    }

    /// Where the vCPU is in the SVE configuration sequence. Only the ioctl
    /// paths past `KVM_ARM_VCPU_INIT` call this (`kvm_arch_vcpu_ioctl()`
    /// answers `ENOEXEC` before), and none of them depends on whether the
    /// vCPU has run.
    pub(crate) fn sve_seq_state(&self) -> State {
        State::from_flags(true, self.has_sve(), self.sve_finalized(), false)
    }

    /// `vcpu->arch.sve_max_vl`, in bytes.
    pub(crate) fn sve_max_vl(&self) -> u32 {
        // SAFETY: Valid vCPU, field not written concurrently (type
        // invariant).
        unsafe { (*self.raw()).arch.sve_max_vl }
    }

    /// `vcpu_sve_max_vq()`; `None` when `sve_max_vl` is not a valid vector
    /// length (never for an SVE vCPU past `KVM_ARM_VCPU_INIT`).
    pub(crate) fn sve_max_vq(&self) -> Option<Vq> {
        Vq::from_vl(self.sve_max_vl())
    }

    /// Sets the vCPU's maximum vector length. Only before finalization:
    /// `sve_state` is sized from it then.
    pub(crate) fn set_sve_max_vq(&self, vq: Vq) {
        debug_assert!(!self.sve_finalized());
        // SAFETY: Valid vCPU, field not accessed concurrently (type
        // invariant).
        unsafe { (*self.raw()).arch.sve_max_vl = vq.vl() }
    }

    /// `kvm_vcpu_enable_sve()`'s part of the vCPU: SVE with `max_vl` as
    /// its maximum vector length (`GUEST_HAS_SVE`).
    pub(crate) fn enable_sve(&mut self, max_vl: u32) {
        // SAFETY: Valid vCPU, fields not accessed concurrently (type
        // invariant); the helper sets a flag bit.
        unsafe {
            (*self.raw()).arch.sve_max_vl = max_vl;
            bindings::kvm_fp_rust_set_guest_has_sve(self.raw());
        }
    }

    /// Hands the vCPU its finalized `sve_state`: `size` bytes at `state`,
    /// taking `alloc_bytes`; sets `VCPU_SVE_FINALIZED`.
    pub(crate) fn install_sve_state(
        &mut self,
        state: *mut c_void,
        size: usize,
        alloc_bytes: usize,
    ) {
        let vcpu = self.raw();
        // SAFETY: Valid vCPU, fields not accessed concurrently (type
        // invariant); the helper sets a flag bit.
        unsafe {
            (*vcpu).arch.sve_state = state;
            (*vcpu).stat.sve_state_bytes = size as u64;
            (*vcpu).stat.sve_state_alloc_bytes = alloc_bytes as u64;
            bindings::kvm_fp_rust_set_sve_finalized(vcpu);
        }
    }

    /// Takes `sve_state` and its size from a vCPU being destroyed; `None`
    /// if it was never finalized.
    pub(crate) fn take_sve_state(&mut self) -> Option<(NonNull<u8>, usize)> {
        let (p, len) = self.sve_state_raw()?;
        // SAFETY: Valid vCPU, field not accessed concurrently (type
        // invariant).
        unsafe { (*self.raw()).arch.sve_state = core::ptr::null_mut() };
        Some((NonNull::new(p)?, len))
    }

    /// Whether `vcpu->arch.sve_state` is allocated.
    pub(crate) fn has_sve_state(&self) -> bool {
        // SAFETY: Valid vCPU, field not written concurrently (type
        // invariant).
        unsafe { !(*self.raw()).arch.sve_state.is_null() }
    }

    /// `sve_state` and its size in bytes, once SVE is finalized.
    fn sve_state_raw(&self) -> Option<(*mut u8, usize)> {
        if !self.sve_finalized() {
            return None;
        }
        let len = self.sve_max_vq()?.layout().regs_size();
        // SAFETY: Valid vCPU, field not written concurrently (type
        // invariant).
        let p = unsafe { (*self.raw()).arch.sve_state.cast::<u8>() };
        (!p.is_null()).then_some((p, len))
    }

    /// `sve_state` as bytes: the Z, P and FFR registers in the layout of
    /// the vCPU's vector length. `None` until SVE is finalized.
    pub(crate) fn sve_state(&self) -> Option<&[u8]> {
        let (p, len) = self.sve_state_raw()?;
        // SAFETY: Once finalized, `sve_state` is an allocation of
        // vcpu_sve_state_size() bytes, which is `len` (the layout is checked
        // against SVE_SIG_REGS_SIZE at build time), and `sve_max_vl` no
        // longer changes; it lives until the vCPU is destroyed. Nothing
        // writes it while `vcpu->mutex` is held (type invariant) except
        // through sve_state_mut(), which the borrow of `self` excludes.
        Some(unsafe { core::slice::from_raw_parts(p, len) })
    }

    /// `sve_state` as bytes, to write registers. `None` until SVE is
    /// finalized.
    pub(crate) fn sve_state_mut(&mut self) -> Option<&mut [u8]> {
        let (p, len) = self.sve_state_raw()?;
        // SAFETY: As in sve_state(); `&mut self` makes this the only
        // reference into `sve_state` made by this crate, and nothing else
        // accesses it while `vcpu->mutex` is held.
        Some(unsafe { core::slice::from_raw_parts_mut(p, len) })
    }
}
