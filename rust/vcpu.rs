// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! A safe view of `struct kvm_vcpu` for the FP hooks.
//!
//! Raw field access to the vCPU lives here and nowhere else. The per-vCPU
//! state private to this implementation is `vcpu->arch.fp_rust`
//! (`struct kvm_fp_rust_vcpu` of `<asm/kvm_host.h>`, a field of
//! `struct kvm_vcpu_arch` when `CONFIG_KVM_ARM64_FPSIMD_RUST=y`): the binding
//! handed to the host's FP code, this CPU's ownership and binding slots,
//! cached at vcpu load so that the per-exit hooks need no per-CPU address
//! computation and no call, and how `sve_state` was allocated.
//!
//! Three views, one per calling context, each with the invariant its
//! context meets:
//!
//! - [`Vcpu`]: the FP context hooks, run by the thread that has the vCPU
//!   loaded on this CPU;
//! - [`LockedVcpu`]: the vCPU ioctls, whose caller holds `vcpu->mutex`;
//! - [`InitVcpu`]: the sys_regs table, which asks only about features that
//!   `KVM_ARM_VCPU_INIT` fixed.
//!
//! None of them ever makes a `&mut` to the `struct kvm_vcpu`: other
//! threads and the hypervisor access parts of it, so it is reached only
//! through the raw pointer of its [`Opaque`] wrapper.

use crate::{owner::FpOwner, staging, sve_layout::Vq, sve_seq::State};
use core::{
    ffi::c_void,
    marker::PhantomData,
    ptr::NonNull,
    sync::atomic::{AtomicU64, Ordering},
};
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
    fn has_sve(&self) -> bool {
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
    /// which live until the vCPU is destroyed. The SVE feature is fixed at
    /// `KVM_ARM_VCPU_INIT`, and `sve_state` and `sve_max_vl` once the vCPU
    /// is finalized, which `KVM_RUN` requires: a binding built inside
    /// `KVM_RUN` stays right for the vCPU's lifetime.
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
    ///
    /// Readers of the stats file read the counters while the vCPU runs, so
    /// the counter is accessed atomically, but with a relaxed load and a
    /// relaxed store rather than a read-modify-write: the loaded thread is
    /// the counter's only writer, and the code is then the C's `++`.
    #[inline(always)]
    pub(crate) fn count(&self, event: FpEvent) {
        // SAFETY: The vCPU is valid (type invariant); only field addresses
        // are taken.
        let counter = unsafe {
            let stat = core::ptr::addr_of_mut!((*self.raw()).stat);
            match event {
                FpEvent::ForeignEntry => core::ptr::addr_of_mut!((*stat).fp_foreign_entry),
                FpEvent::GuestSave => core::ptr::addr_of_mut!((*stat).fp_guest_save),
            }
        };
        // SAFETY: `counter` is a valid, 8-byte aligned `u64` of the vCPU's
        // statistics, which live as long as the vCPU; this thread is its
        // only writer. The stats file's readers copy it without a lock
        // (kvm_stats_read(), as for every KVM statistic); this side's
        // accesses are atomic, so each reader sees a whole old or new
        // value, as with the C's `++` of an aligned word.
        let counter = unsafe { AtomicU64::from_ptr(counter) };
        counter.store(
            counter.load(Ordering::Relaxed).wrapping_add(1),
            Ordering::Relaxed,
        );
    }

    /// Binds the vCPU's state to this CPU, building the binding the first
    /// time (see [`Vcpu::binding`]; the vCPU is zero-initialised, so an
    /// unbuilt binding has a null `st`).
    #[inline(always)]
    pub(crate) fn bind_to_cpu(&self, irqs: &staging::IrqsDisabled<'_>) {
        let binding = self.private_binding();
        // SAFETY: `binding` points into the vCPU; only the thread that has
        // it loaded reads or writes it (type invariant), and
        // fpsimd_bind_state_to_cpu() copies it rather than keeping the
        // pointer.
        unsafe {
            if (*binding).st.is_null() {
                self.build_binding(binding);
            }
        }
        // SAFETY: Every pointer in the binding points into the vCPU or to
        // its `sve_state`, which outlive the binding: the vCPU is put
        // (kvm_arch_vcpu_put_fp() flushes the binding) before it can be
        // destroyed.
        unsafe { staging::fpsimd_bind_state_to_cpu(binding, irqs) }
    }

    #[inline(always)]
    fn private_binding(&self) -> *mut bindings::cpu_fp_state {
        // SAFETY: `private()` is valid; only the address is taken.
        unsafe { core::ptr::addr_of_mut!((*self.private()).binding) }
    }

    /// Builds the vCPU's binding, once for its lifetime: only called from
    /// inside `KVM_RUN` (by [`Vcpu::bind_to_cpu`], from ctxsync), when
    /// everything the binding points to is fixed.
    #[cold]
    #[inline(never)]
    fn build_binding(&self, binding: *mut bindings::cpu_fp_state) {
        let built = self.binding();
        // SAFETY: As in bind_to_cpu(): the loaded thread is the binding's
        // only user.
        unsafe { *binding = built };
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
/// `KVM_GET_REG_LIST`, `KVM_ARM_VCPU_INIT`, `KVM_ARM_VCPU_FINALIZE`, and
/// its destruction): its configuration and register state, not its CPU's.
///
/// A handle rather than a reference: `&mut LockedVcpu` borrows the handle,
/// never the `struct kvm_vcpu`, and is what makes a mutable view of
/// `sve_state` ([`LockedVcpu::sve_state_mut`]) the only view of it in this
/// crate. Every other field is read and written through the raw pointer.
///
/// # Invariants
///
/// - `vcpu` is a valid `struct kvm_vcpu` for `'a`.
/// - The thread holding the handle holds `vcpu->mutex` for `'a`
///   (`kvm_vcpu_ioctl()` takes it; a vCPU being destroyed has no other
///   user at all), so no other ioctl and no guest run touches the fields
///   used here meanwhile. The vCPU need not be loaded on this CPU.
/// - No other `LockedVcpu` of the same vCPU exists during `'a`.
pub(crate) struct LockedVcpu<'a> {
    vcpu: &'a Opaque<bindings::kvm_vcpu>,
    /// The mutex is held by this thread: the handle stays on it.
    _not_send: PhantomData<*mut ()>,
}

impl<'a> LockedVcpu<'a> {
    /// Wraps a raw vCPU pointer from C.
    ///
    /// # Safety
    ///
    /// - `ptr` points to a valid `struct kvm_vcpu` for `'a`.
    /// - The caller holds its `vcpu->mutex` for `'a`, or the vCPU is being
    ///   destroyed and has no other user.
    /// - The caller makes no other `LockedVcpu` of this vCPU during `'a`.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::kvm_vcpu) -> Self {
        // INVARIANT: The caller's guarantees are the type invariants.
        Self {
            // SAFETY: `Opaque` is a transparent wrapper; the caller
            // guarantees validity for `'a`. Only a shared reference is
            // made, to a type whose contents may change under it.
            vcpu: unsafe { &*ptr.cast::<Opaque<bindings::kvm_vcpu>>() },
            _not_send: PhantomData,
        }
    }

    fn raw(&self) -> *mut bindings::kvm_vcpu {
        self.vcpu.get()
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

    /// Sets the vCPU's maximum vector length. Only before finalization,
    /// when there is no `sve_state` to view: it is sized from this length.
    pub(crate) fn set_sve_max_vq(&self, vq: Vq) {
        debug_assert!(!self.sve_finalized());
        // SAFETY: Valid vCPU, field not accessed concurrently (type
        // invariant).
        unsafe { (*self.raw()).arch.sve_max_vl = vq.vl() }
    }

    /// `kvm_arm_vcpu_enable_sve()`'s part of the vCPU: SVE with `max_vl` as
    /// its maximum vector length (`GUEST_HAS_SVE`).
    pub(crate) fn enable_sve(&self, max_vl: u32) {
        // SAFETY: Valid vCPU, fields not accessed concurrently (type
        // invariant); the helper sets a flag bit.
        unsafe {
            (*self.raw()).arch.sve_max_vl = max_vl;
            bindings::kvm_fp_rust_set_guest_has_sve(self.raw());
        }
    }

    /// Hands the vCPU its finalized `sve_state`: `size` bytes at `state`,
    /// taking `alloc_bytes`, in whole pages if `pages`; sets
    /// `VCPU_SVE_FINALIZED`. `&mut self`: no view of the old state may
    /// outlive this.
    pub(crate) fn install_sve_state(
        &mut self,
        state: *mut c_void,
        size: usize,
        alloc_bytes: usize,
        pages: bool,
    ) {
        let vcpu = self.raw();
        // SAFETY: Valid vCPU, fields not accessed concurrently (type
        // invariant); the helper sets a flag bit. The statistics are
        // written before the flag, while the vCPU cannot run yet.
        unsafe {
            (*vcpu).arch.sve_state = state;
            (*vcpu).arch.fp_rust.sve_state_pages = pages;
            (*vcpu).stat.sve_state_bytes = size as u64;
            (*vcpu).stat.sve_state_alloc_bytes = alloc_bytes as u64;
            bindings::kvm_fp_rust_set_sve_finalized(vcpu);
        }
    }

    /// Takes `sve_state`, its size and whether it is in whole pages from a
    /// vCPU being destroyed; `None` if it was never finalized. `&mut
    /// self`: no view of the state may outlive this.
    pub(crate) fn take_sve_state(&mut self) -> Option<(NonNull<u8>, usize, bool)> {
        let (p, len) = self.sve_state_raw()?;
        // SAFETY: Valid vCPU, fields not accessed concurrently (type
        // invariant).
        let pages = unsafe {
            (*self.raw()).arch.sve_state = core::ptr::null_mut();
            (*self.raw()).arch.fp_rust.sve_state_pages
        };
        Some((NonNull::new(p)?, len, pages))
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
        // longer changes; it lives until the vCPU is destroyed, which
        // take_sve_state() (`&mut self`) marks. Nothing else writes it while
        // `vcpu->mutex` is held and this is the only handle (type
        // invariants) except through sve_state_mut(), which the borrow of
        // `self` excludes.
        Some(unsafe { core::slice::from_raw_parts(p, len) })
    }

    /// `sve_state` as bytes, to write registers. `None` until SVE is
    /// finalized.
    pub(crate) fn sve_state_mut(&mut self) -> Option<&mut [u8]> {
        let (p, len) = self.sve_state_raw()?;
        // SAFETY: As in sve_state(); `&mut self` on the only handle of the
        // vCPU (type invariant) makes this the only reference into
        // `sve_state` made by this crate, and nothing else accesses it
        // while `vcpu->mutex` is held.
        Some(unsafe { core::slice::from_raw_parts_mut(p, len) })
    }
}

/// A vCPU as the sys_regs table sees it when it asks how an FP/SVE system
/// register appears: only the features `KVM_ARM_VCPU_INIT` set are read.
///
/// The table asks from several contexts (userspace register accesses and
/// `KVM_GET_REG_LIST` under `vcpu->mutex`, the guest's trapped accesses,
/// the ID registers' reset at the first `KVM_ARM_VCPU_INIT`), so the type
/// claims nothing about locks or loading.
///
/// # Invariants
///
/// The vCPU is valid for `'a`, and its SVE feature (`GUEST_HAS_SVE`) is
/// set and does not change during `'a`. Nothing else of it is accessed.
#[repr(transparent)]
pub(crate) struct InitVcpu(Opaque<bindings::kvm_vcpu>);

impl InitVcpu {
    /// Wraps a raw vCPU pointer from C.
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `struct kvm_vcpu` for `'a` whose SVE feature
    /// is decided and does not change during `'a` (from the point in
    /// `KVM_ARM_VCPU_INIT` where it is enabled on).
    pub(crate) unsafe fn from_raw<'a>(ptr: *const bindings::kvm_vcpu) -> &'a Self {
        // SAFETY: `InitVcpu` is a transparent wrapper of `kvm_vcpu`; the
        // caller guarantees validity for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// `vcpu_has_sve()`.
    pub(crate) fn has_sve(&self) -> bool {
        // SAFETY: FFI call on a valid vCPU whose flag does not change (type
        // invariant); the helper only reads it.
        unsafe { bindings::kvm_fp_rust_vcpu_has_sve(self.0.get()) }
    }
}
