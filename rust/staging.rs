// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Kernel facilities that the 6.12 `kernel` crate lacks, wrapped once.
//!
//! A staging module, as nova-core's `num.rs` is: code that belongs in the
//! `kernel` crate once it matures there.
//!
//! Cost on the per-exit path: [`current_task`], [`test_thread_flag`] and
//! [`clear_thread_flag`] are inline assembly or atomics, with no call, and
//! so is [`irqs_disabled`] unless `CONFIG_ARM64_PSEUDO_NMI` is set (then it
//! calls a helper). Of the rest, the per-exit hooks use only
//! [`fpsimd_bind_state_to_cpu`], when the guest's state must be bound
//! again, and [`warn`] through [`warn_on_once`] when their contract is
//! broken. Everything that needs a macro or a static inline of C calls a
//! helper in `kvm_fp_helpers.c`; those run at vcpu load and put, at the
//! vCPU's first binding, in the vCPU ioctls, in debug-assertion builds'
//! per-exit checks, and on error paths.

use core::{
    ffi::{c_char, c_void, CStr},
    marker::PhantomData,
    sync::atomic::{AtomicUsize, Ordering},
};
use kernel::{bindings, error::code::EFAULT, prelude::Result};

/// The current task.
///
/// arm64 keeps `current` in `SP_EL0` while the kernel runs
/// (`arch/arm64/include/asm/current.h`).
#[inline(always)]
pub(crate) fn current_task() -> *mut bindings::task_struct {
    let task: *mut bindings::task_struct;
    // SAFETY: Reading SP_EL0 has no side effects. In the kernel it holds the
    // pointer to the running task, which does not change while that task
    // runs, so the read is pure.
    unsafe {
        core::arch::asm!(
            "mrs {}, sp_el0",
            out(reg) task,
            options(nomem, nostack, preserves_flags, pure)
        )
    };
    task
}

/// The current task's `thread_info.flags`, as the atomic word it is.
#[inline(always)]
fn current_thread_flags<'a>() -> &'a AtomicUsize {
    let task = current_task();
    // SAFETY: `task` is the running task, valid for as long as the calling
    // code runs in its context, which outlives the borrow (the callers use
    // it at once). `thread_info.flags` is an `unsigned long` that other CPUs
    // change only with atomic bit operations (set_bit() and friends), so
    // viewing it as an `AtomicUsize` (the bindings' `unsigned long` is
    // `usize`) is sound.
    unsafe { AtomicUsize::from_ptr(core::ptr::addr_of_mut!((*task).thread_info.flags)) }
}

/// `test_thread_flag()`: whether `TIF_*` bit `flag` is set for `current`.
#[inline(always)]
pub(crate) fn test_thread_flag(flag: u32) -> bool {
    current_thread_flags().load(Ordering::Relaxed) & (1 << flag) != 0
}

/// `clear_thread_flag()`: atomically clears `TIF_*` bit `flag` of `current`.
///
/// Relaxed, as `clear_bit()` is.
#[inline(always)]
pub(crate) fn clear_thread_flag(flag: u32) {
    current_thread_flags().fetch_and(!(1 << flag), Ordering::Relaxed);
}

/// `irqs_disabled()`.
#[cfg(not(CONFIG_ARM64_PSEUDO_NMI))]
#[inline(always)]
pub(crate) fn irqs_disabled() -> bool {
    /// `PSR_I_BIT`: IRQs masked.
    const DAIF_I: u64 = 1 << 7;
    let daif: u64;
    // SAFETY: Reading DAIF has no side effects.
    unsafe {
        core::arch::asm!("mrs {}, daif", out(reg) daif, options(nomem, nostack, preserves_flags))
    };
    daif & DAIF_I != 0
}

/// `irqs_disabled()`: with pseudo-NMIs, masking is in the GIC's priority
/// mask, which the C helper knows how to read.
#[cfg(CONFIG_ARM64_PSEUDO_NMI)]
#[inline(always)]
pub(crate) fn irqs_disabled() -> bool {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_irqs_disabled() }
}

/// Proof that interrupts are disabled on this CPU for the lifetime `'a`.
///
/// The hooks that must run with interrupts off take `&IrqsDisabled`, so a
/// call from a context that cannot produce one does not compile. Neither
/// `Send` nor `Sync`: it describes the CPU it was made on.
///
/// # Invariants
///
/// While a value of this type exists, interrupts are disabled on the CPU
/// that made it, and the value does not leave that CPU's context. The only
/// constructor, [`IrqsDisabled::assume`], lends the token to a closure for
/// the length of one call, so it cannot outlive the context it describes.
pub(crate) struct IrqsDisabled<'a>(PhantomData<(&'a (), *mut ())>);

impl IrqsDisabled<'_> {
    /// Runs `f` with a token for the calling context, which has interrupts
    /// disabled.
    ///
    /// # Safety
    ///
    /// Interrupts must be disabled on this CPU, and stay disabled until `f`
    /// returns.
    #[inline(always)]
    pub(crate) unsafe fn assume<R>(f: impl for<'t> FnOnce(&IrqsDisabled<'t>) -> R) -> R {
        // INVARIANT: Interrupts are disabled until `f` returns (the
        // caller); `f` gets only a borrow, for any lifetime it cannot name,
        // so the token cannot be kept past the call.
        f(&IrqsDisabled(PhantomData))
    }
}

/// `local_irq_save()` as a guard: `local_irq_restore()` on drop.
///
/// # Invariants
///
/// Interrupts are disabled from construction until drop, and `flags` is
/// what `local_irq_save()` returned.
pub(crate) struct LocalIrqSave {
    flags: usize,
    _not_send: PhantomData<*mut ()>,
}

impl LocalIrqSave {
    /// Disables interrupts, remembering whether they were enabled.
    pub(crate) fn new() -> Self {
        // SAFETY: FFI call without preconditions.
        let flags = unsafe { bindings::kvm_fp_rust_local_irq_save() };
        // INVARIANT: local_irq_save() has disabled interrupts and returned
        // the previous state.
        Self {
            flags,
            _not_send: PhantomData,
        }
    }
}

impl Drop for LocalIrqSave {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariant `flags` came from local_irq_save()
        // on this CPU (the guard is not `Send`).
        unsafe { bindings::kvm_fp_rust_local_irq_restore(self.flags) };
    }
}

/// `is_protected_kvm_enabled()`.
pub(crate) fn protected_kvm_enabled() -> bool {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_protected_kvm_enabled() }
}

/// `system_supports_fpsimd()`.
pub(crate) fn supports_fpsimd() -> bool {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_supports_fpsimd() }
}

/// `system_supports_sme()`.
pub(crate) fn supports_sme() -> bool {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_supports_sme() }
}

/// `read_sysreg_s(SYS_SVCR)`. Only meaningful when SME is supported.
pub(crate) fn read_svcr() -> u64 {
    // SAFETY: FFI call; the callers check supports_sme() first, so the
    // register exists.
    unsafe { bindings::kvm_fp_rust_read_svcr() }
}

/// `fpsimd_save_and_flush_cpu_state()`: save whatever state is bound to
/// this CPU's FP registers, then unbind it and set `TIF_FOREIGN_FPSTATE`.
///
/// The C asserts it is not preemptible; interrupts need not be disabled.
pub(crate) fn fpsimd_save_and_flush_cpu_state() {
    // SAFETY: FFI call; it checks its own context (WARN_ON(preemptible())).
    unsafe { bindings::fpsimd_save_and_flush_cpu_state() }
}

/// `fpsimd_bind_state_to_cpu()`: make `state` the FP state this CPU's
/// registers belong to, so that whoever takes the registers saves them
/// there.
///
/// # Safety
///
/// Every pointer in `state` must stay valid for as long as the binding
/// stands (until the registers are next taken or the vCPU is put).
pub(crate) unsafe fn fpsimd_bind_state_to_cpu(
    state: *mut bindings::cpu_fp_state,
    _irqs: &IrqsDisabled<'_>,
) {
    // SAFETY: The caller keeps the pointers valid; interrupts are disabled
    // (the token), as the C asserts.
    unsafe { bindings::fpsimd_bind_state_to_cpu(state) }
}

/// The host's SVE vector lengths (`vl_info[ARM64_VEC_SVE].vq_map`), in the
/// kernel's bit order (see `sve_vls::VqSet::from_kernel_vq_map`).
pub(crate) fn sve_vq_map() -> [u64; 8] {
    let mut map = [0u64; 8];
    // SAFETY: FFI call writing exactly KVM_ARM64_SVE_VLS_WORDS (8) words to
    // a valid buffer of that size (checked by BUILD_BUG_ON in the helper).
    unsafe { bindings::kvm_fp_rust_sve_vq_map(map.as_mut_ptr()) };
    map
}

/// `system_supports_sve()`.
pub(crate) fn supports_sve() -> bool {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_supports_sve() }
}

/// `sve_max_vl()`: the largest vector length, in bytes, of the host.
pub(crate) fn sve_max_vl() -> u32 {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_sve_max_vl() }
}

/// `sve_max_virtualisable_vl()`: the largest vector length, in bytes,
/// every CPU can give a guest.
pub(crate) fn sve_max_virtualisable_vl() -> u32 {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_sve_max_virtualisable_vl() }
}

/// `kvm_sve_max_vl`: the largest vector length KVM offers guests.
pub(crate) fn kvm_sve_max_vl() -> u32 {
    // SAFETY: Written once during KVM's initialisation
    // (__ro_after_init), before any vCPU exists; only read afterwards.
    unsafe { bindings::kvm_sve_max_vl }
}

/// `clear_user(to, len)`: zeroes `len` bytes of user memory at `to`;
/// `EFAULT` if not all of them could be written. Unlike copying zeros from
/// a kernel buffer, it stops exactly where the C's `clear_user()` stops on
/// a fault, so a partly mapped buffer ends up as the C leaves it.
pub(crate) fn clear_user(to: usize, len: usize) -> Result {
    // SAFETY: FFI call; `clear_user()` checks the range is user memory
    // and handles faults itself.
    let left = unsafe { bindings::kvm_fp_rust_clear_user(to as *mut c_void, len) };
    if left == 0 {
        Ok(())
    } else {
        Err(EFAULT)
    }
}

/// `array_index_nospec(index, size)`: `index` if below `size`, else 0,
/// also under speculation.
pub(crate) fn index_nospec(index: usize, size: usize) -> usize {
    // SAFETY: FFI call without preconditions.
    unsafe { bindings::kvm_fp_rust_index_nospec(index, size) }
}

/// `WARN()`: report a broken expectation, with a backtrace, and go on.
#[cold]
pub(crate) fn warn(msg: &CStr) {
    // SAFETY: `msg` is a valid NUL-terminated string for the duration of
    // the call.
    unsafe { bindings::kvm_fp_rust_warn(msg.as_ptr().cast::<c_char>()) }
}

/// `BUG()`: a broken invariant the kernel cannot continue past.
#[cold]
pub(crate) fn bug(msg: &CStr) -> ! {
    // SAFETY: `msg` is a valid NUL-terminated string; the helper does not
    // return.
    unsafe { bindings::kvm_fp_rust_bug(msg.as_ptr().cast::<c_char>()) }
}

/// `WARN_ON_ONCE(cond)`: [`warn`] the first time `cond` holds at this call
/// site. Evaluates to `cond`.
macro_rules! warn_on_once {
    ($cond:expr, $msg:expr) => {{
        static WARNED: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);
        let cond: bool = $cond;
        if cond && !WARNED.swap(true, core::sync::atomic::Ordering::Relaxed) {
            $crate::staging::warn($msg);
        }
        cond
    }};
}
pub(crate) use warn_on_once;
