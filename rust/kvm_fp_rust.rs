// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! KVM arm64 guest/host FP/SIMD/SVE context coordination, in Rust.
//!
//! The Rust counterpart of [`arch/arm64/kvm/fpsimd.c`], selected by
//! `CONFIG_KVM_ARM64_FPSIMD_RUST`: the same four hooks, with the same
//! effect in VHE, nVHE and protected mode (where the Rust differs from the
//! C on purpose, see "Cost on the per-exit path" below). It decides who owns a CPU's FP
//! registers and tells the host's FP code (`arch/arm64/kernel/fpsimd.c`)
//! where the guest's state belongs; the EL2 code moves the registers. Rust
//! on arm64 is built without FP/SIMD, and nothing here touches an FP
//! register.
//!
//! # Ownership
//!
//! Ownership belongs to the physical CPU (`kvm_host_data::fp_owner`, see
//! [`owner::FpOwner`]): FREE after vcpu load, GUEST_OWNED once the guest's
//! first FP access traps to the hypervisor, which loads the guest's state,
//! back to FREE when something else takes the registers. The vCPU records
//! only the format of what it saved (`fp_type`).
//!
//! # Softirq NEON
//!
//! A softirq may use kernel-mode NEON at any point between `vcpu_load()`
//! and `vcpu_put()` while softirqs are enabled, and must neither corrupt
//! the guest nor be refused (`may_use_simd()` stays true: nothing here
//! disables softirqs or preemption across the run loop). The contract with
//! the host's FP code that makes this safe: after every exit with
//! guest-owned registers the guest's state is bound to the CPU
//! (`fpsimd_bind_state_to_cpu()`) with `TIF_FOREIGN_FPSTATE` clear, so
//! `kernel_neon_begin()` saves the guest's registers into the vCPU; before
//! every entry a set `TIF_FOREIGN_FPSTATE` says the registers were taken,
//! so ownership goes back to FREE and the guest re-traps and reloads.
//!
//! # Host state
//!
//! The host task's FP state is saved and unbound once, at vcpu load, and
//! restored lazily on return to userspace, never on a guest exit: exits
//! handled in the kernel cost no FP save or restore.
//!
//! # Cost on the per-exit path
//!
//! `ctxflush` and `ctxsync` run on every guest exit. In 6.12 every Rust
//! helper is an out-of-line call, so these two call no helper in the
//! kernels this project builds: `current` comes from `SP_EL0` and thread
//! flags are atomics on its `thread_info`, both inline; this CPU's
//! `fp_owner` and `fpsimd_last_state` are cached in the vCPU at load
//! (`vcpu->arch.fp_rust`), so no per-CPU address is computed per exit (the
//! C does it on every call, with its VHE/nVHE/pKVM branches); the binding
//! is built once in the vCPU's life, the first time it is needed, rather
//! than on the stack at each exit; and `ctxsync` does not bind again when
//! the binding made at an earlier exit still stands, which the C does on
//! every exit with guest-owned registers (why that is the same, see
//! [`owner::on_exit`]; the project's host test `rust/tests/owner_model.rs`
//! checks it exhaustively, the `fp_softirq_neon` selftest on the kernel).
//! The exceptions: with `CONFIG_ARM64_PSEUDO_NMI`, `ctxsync`'s check that
//! interrupts are off calls `kvm_fp_rust_irqs_disabled()`; with Rust debug
//! assertions, both hooks check the cached slots with two helper calls
//! each; and a vCPU's first binding asks `kvm_fp_rust_vcpu_has_sve()`, once
//! per vCPU.
//!
//! # SVE
//!
//! The same option replaces `arch/arm64/kvm/sve.c` too, whose functions
//! this crate exports under the same names: the SVE registers of
//! `KVM_{GET,SET}_ONE_REG` and `KVM_GET_REG_LIST` (`sve_abi.rs`, on the
//! pure [`sve_reg`], [`sve_vls`], [`sve_seq`] and [`sve_layout`]; see
//! `Documentation/virt/kvm/arm/fp-rust/sve-abi.rst`), which run in vCPU
//! ioctls, under `vcpu->mutex`, never on the run loop; the SVE vCPU
//! configuration (`sve_vcpu.rs`, on the pure [`sve_config`]): the maximum
//! vector length at KVM's initialisation, SVE enabled at
//! `KVM_ARM_VCPU_INIT`, `KVM_ARM_VCPU_FINALIZE` and the allocation of
//! `sve_state`, its reset and its freeing; and how the FP/SVE system
//! registers appear to a vCPU ([`sve_sysreg`]), which the sys_regs table
//! asks.
//!
//! [`arch/arm64/kvm/fpsimd.c`]: srctree/arch/arm64/kvm/fpsimd.c

use core::ffi::c_int;
use kernel::{bindings, error::from_result, prelude::*};

// The kernel side.
mod context;
mod staging;
mod sve_abi;
mod sve_vcpu;
mod vcpu;

// The pure modules, shared with the host crate (lib.rs), whose tests need
// their items `pub`: here they reach no further than this crate, so
// `unreachable_pub` does not apply, while dead code is still reported.
include!("pure_modules.rs");
pure_modules!(
    #[allow(unreachable_pub)]
    pub(crate)
);

use staging::IrqsDisabled;
use vcpu::{InitVcpu, LockedVcpu, Vcpu};

/// The errno of a decision of the pure modules, as the kernel's error type.
///
/// `#[inline]`, as the other trait impls of this crate: a trait method is
/// otherwise emitted out of line for other crates, which the kernel never
/// calls (the project's `scripts/uncalled.py` checks).
impl From<errno::Errno> for Error {
    #[inline]
    fn from(e: errno::Errno) -> Self {
        Error::from_errno(e.to_neg())
    }
}

/// Prefix of this crate's kernel log lines.
const __LOG_PREFIX: &[u8] = b"kvm\0";

// The SVE layout type gives the UAPI layout (<asm/kvm_fp_rust.h>
// evaluates the SVE_SIG_* macros for C at these vector lengths): offsets of
// Z1, Z31, P0, P15 and FFR, and the size.
const fn sve_layout_is(vq: u32, c: [u32; 6]) -> bool {
    let l = match sve_layout::Vq::new(vq) {
        Some(vq) => vq.layout(),
        None => return false,
    };
    matches!(l.zreg_offset(1), Some(o) if o == c[0] as usize)
        && matches!(l.zreg_offset(31), Some(o) if o == c[1] as usize)
        && matches!(l.preg_offset(0), Some(o) if o == c[2] as usize)
        && matches!(l.preg_offset(15), Some(o) if o == c[3] as usize)
        && l.ffr_offset() == c[4] as usize
        && l.regs_size() == c[5] as usize
}
const _: () = {
    use bindings::*;
    assert!(sve_layout_is(
        1,
        [
            KVM_FP_RUST_SVE_Z1_VQ1,
            KVM_FP_RUST_SVE_Z31_VQ1,
            KVM_FP_RUST_SVE_P0_VQ1,
            KVM_FP_RUST_SVE_P15_VQ1,
            KVM_FP_RUST_SVE_FFR_VQ1,
            KVM_FP_RUST_SVE_SIZE_VQ1,
        ]
    ));
    assert!(sve_layout_is(
        4,
        [
            KVM_FP_RUST_SVE_Z1_VQ4,
            KVM_FP_RUST_SVE_Z31_VQ4,
            KVM_FP_RUST_SVE_P0_VQ4,
            KVM_FP_RUST_SVE_P15_VQ4,
            KVM_FP_RUST_SVE_FFR_VQ4,
            KVM_FP_RUST_SVE_SIZE_VQ4,
        ]
    ));
    assert!(sve_layout_is(
        16,
        [
            KVM_FP_RUST_SVE_Z1_VQ16,
            KVM_FP_RUST_SVE_Z31_VQ16,
            KVM_FP_RUST_SVE_P0_VQ16,
            KVM_FP_RUST_SVE_P15_VQ16,
            KVM_FP_RUST_SVE_FFR_VQ16,
            KVM_FP_RUST_SVE_SIZE_VQ16,
        ]
    ));
    assert!(sve_layout_is(
        512,
        [
            KVM_FP_RUST_SVE_Z1_VQ512,
            KVM_FP_RUST_SVE_Z31_VQ512,
            KVM_FP_RUST_SVE_P0_VQ512,
            KVM_FP_RUST_SVE_P15_VQ512,
            KVM_FP_RUST_SVE_FFR_VQ512,
            KVM_FP_RUST_SVE_SIZE_VQ512,
        ]
    ));
};

// The UAPI constants and errno values the pure modules carry are the C ones
// (bindgen types: u32 for the small #defines, u64 for the ULL ones).
const _: () = {
    // arch/arm64/include/uapi/asm/sve_context.h, arch/arm64/include/asm/fpsimd.h
    assert!(sve_layout::SVE_VQ_MIN == bindings::__SVE_VQ_MIN);
    assert!(sve_layout::SVE_VQ_MAX == bindings::__SVE_VQ_MAX);
    assert!(sve_layout::SVE_VQ_BYTES == bindings::__SVE_VQ_BYTES);
    assert!(sve_layout::SVE_VL_MIN == bindings::__SVE_VL_MIN);
    assert!(sve_layout::SVE_VL_MAX == bindings::__SVE_VL_MAX);
    assert!(sve_layout::SVE_NUM_ZREGS == bindings::__SVE_NUM_ZREGS as usize);
    assert!(sve_layout::SVE_NUM_PREGS == bindings::__SVE_NUM_PREGS as usize);
    assert!(sve_layout::VL_ARCH_MAX == bindings::VL_ARCH_MAX);
    // include/uapi/linux/kvm.h, arch/arm64/include/uapi/asm/kvm.h
    assert!(sve_reg::KVM_REG_ARM64 == bindings::KVM_REG_ARM64);
    assert!(sve_reg::KVM_REG_SIZE_SHIFT == bindings::KVM_REG_SIZE_SHIFT);
    assert!(sve_reg::KVM_REG_SIZE_MASK == bindings::KVM_REG_SIZE_MASK);
    assert!(sve_reg::KVM_REG_SIZE_U2048 == bindings::KVM_REG_SIZE_U2048);
    assert!(sve_reg::KVM_REG_SIZE_U512 == bindings::KVM_REG_SIZE_U512);
    assert!(sve_reg::KVM_REG_SIZE_U256 == bindings::KVM_REG_SIZE_U256);
    assert!(sve_reg::KVM_REG_ARM_COPROC_SHIFT == bindings::KVM_REG_ARM_COPROC_SHIFT);
    assert!(sve_reg::KVM_REG_ARM64_SVE == bindings::KVM_REG_ARM64_SVE as u64);
    assert!(sve_reg::KVM_REG_ARM64_SVE_ZREG_BASE == bindings::KVM_REG_ARM64_SVE_ZREG_BASE as u64);
    assert!(sve_reg::KVM_REG_ARM64_SVE_PREG_BASE == bindings::KVM_REG_ARM64_SVE_PREG_BASE as u64);
    assert!(sve_reg::KVM_REG_ARM64_SVE_FFR_BASE == bindings::KVM_REG_ARM64_SVE_FFR_BASE as u64);
    assert!(sve_reg::KVM_ARM64_SVE_MAX_SLICES == bindings::KVM_ARM64_SVE_MAX_SLICES);
    // KVM_REG_ARM64_SVE_VLS itself is beyond bindgen: its parts.
    assert!(
        sve_reg::KVM_REG_ARM64_SVE_VLS
            == bindings::KVM_REG_ARM64
                | bindings::KVM_REG_ARM64_SVE as u64
                | bindings::KVM_REG_SIZE_U512
                | 0xffff
    );
    // sve.c's KVM_SVE_{Z,P}REG_SIZE, KVM_REG_SIZE() of the IDs' size
    // fields (function-like macros, beyond bindgen).
    assert!(
        sve_reg::KVM_SVE_ZREG_SIZE
            == 1 << ((bindings::KVM_REG_SIZE_U2048 & bindings::KVM_REG_SIZE_MASK)
                >> bindings::KVM_REG_SIZE_SHIFT)
    );
    assert!(
        sve_reg::KVM_SVE_PREG_SIZE
            == 1 << ((bindings::KVM_REG_SIZE_U256 & bindings::KVM_REG_SIZE_MASK)
                >> bindings::KVM_REG_SIZE_SHIFT)
    );
    assert!(sve_vls::KVM_ARM64_SVE_VLS_WORDS == bindings::KVM_ARM64_SVE_VLS_WORDS as usize);
    assert!(sve_seq::KVM_ARM_VCPU_SVE as u32 == bindings::KVM_ARM_VCPU_SVE);
    // include/uapi/asm-generic/errno-base.h
    assert!(errno::Errno::EPERM.to_errno() as u32 == bindings::EPERM);
    assert!(errno::Errno::ENOENT.to_errno() as u32 == bindings::ENOENT);
    assert!(errno::Errno::EIO.to_errno() as u32 == bindings::EIO);
    assert!(errno::Errno::ENOEXEC.to_errno() as u32 == bindings::ENOEXEC);
    assert!(errno::Errno::EINVAL.to_errno() as u32 == bindings::EINVAL);
};

// The system register encodings, field and visibility flags are the C
// ones (<asm/kvm_fp_rust.h> evaluates the macros; kvm_fp_helpers.c
// checks the REG_* values).
const _: () = {
    use bindings::*;
    assert!(sve_sysreg::SYS_ZCR_EL1 == KVM_FP_RUST_SYS_ZCR_EL1);
    assert!(sve_sysreg::SYS_ZCR_EL2 == KVM_FP_RUST_SYS_ZCR_EL2);
    assert!(sve_sysreg::SYS_ID_AA64PFR0_EL1 == KVM_FP_RUST_SYS_ID_AA64PFR0_EL1);
    assert!(sve_sysreg::SYS_ID_AA64ZFR0_EL1 == KVM_FP_RUST_SYS_ID_AA64ZFR0_EL1);
    assert!(sve_sysreg::ID_AA64PFR0_EL1_SVE_SHIFT == ID_AA64PFR0_EL1_SVE_SHIFT);
    assert!(sve_sysreg::ID_AA64PFR0_EL1_SVE_MASK == 0xf << ID_AA64PFR0_EL1_SVE_SHIFT);
};

// The Rust discriminants are the C values.
const _: () = {
    assert!(owner::FpOwner::Free as u32 == bindings::kvm_host_data_FP_STATE_FREE);
    assert!(owner::FpOwner::HostOwned as u32 == bindings::kvm_host_data_FP_STATE_HOST_OWNED);
    assert!(owner::FpOwner::GuestOwned as u32 == bindings::kvm_host_data_FP_STATE_GUEST_OWNED);
};

// Each export has the type of its C prototype: the two arms of the `if`
// must have one type.
macro_rules! exports_match_prototypes {
    ($($f:ident),* $(,)?) => {
        const _: () = {
            $(
                if true {
                    bindings::$f
                } else {
                    $f
                };
            )*
        };
    };
}
exports_match_prototypes!(
    kvm_arch_vcpu_load_fp,
    kvm_arch_vcpu_ctxflush_fp,
    kvm_arch_vcpu_ctxsync_fp,
    kvm_arch_vcpu_put_fp,
    kvm_fp_rust_announce,
    kvm_arm_get_sve_reg,
    kvm_arm_set_sve_reg,
    kvm_arm_num_sve_regs,
    kvm_arm_copy_sve_reg_indices,
    kvm_arm_init_sve,
    kvm_arm_vcpu_finalize,
    kvm_arm_vcpu_is_finalized,
    kvm_arm_vcpu_enable_sve,
    kvm_arm_vcpu_reset_sve,
    kvm_arm_vcpu_free_sve,
    kvm_arm_sve_sysreg_visibility,
    kvm_arm_sve_sanitise_id_aa64pfr0,
);

/// Called from `kvm_arch_vcpu_load()`, by `vcpu_load()` and
/// `kvm_sched_in()`.
///
/// # Safety
///
/// - `vcpu` points to a valid vCPU.
/// - Preemption is disabled, and stays so until the matching
///   `kvm_arch_vcpu_put_fp()` or the task is switched out, which calls it.
#[no_mangle]
pub unsafe extern "C" fn kvm_arch_vcpu_load_fp(vcpu: *mut bindings::kvm_vcpu) {
    // SAFETY: Valid vCPU, loaded by the calling task (this function's
    // safety requirements).
    context::load_fp(unsafe { Vcpu::from_raw(vcpu) })
}

/// Called just before entering the guest, no longer preemptible and with
/// interrupts disabled.
///
/// # Safety
///
/// - `vcpu` points to a valid vCPU, loaded on this CPU by the caller.
/// - Interrupts are disabled (arm.c calls it between `local_irq_disable()`
///   and the guest run).
#[no_mangle]
pub unsafe extern "C" fn kvm_arch_vcpu_ctxflush_fp(vcpu: *mut bindings::kvm_vcpu) {
    // SAFETY: Valid vCPU, loaded on this CPU by the caller.
    let vcpu = unsafe { Vcpu::from_raw(vcpu) };
    // SAFETY: Interrupts are disabled for the whole call (this function's
    // safety requirements).
    unsafe { IrqsDisabled::assume(|irqs| context::ctxflush_fp(vcpu, irqs)) }
}

/// Called just after exiting the guest, with interrupts still disabled.
///
/// # Safety
///
/// - `vcpu` points to a valid vCPU, loaded on this CPU by the caller.
/// - Interrupts are disabled (arm.c calls it before `local_irq_enable()`);
///   as in the C, a violation is reported once with a WARN.
#[no_mangle]
pub unsafe extern "C" fn kvm_arch_vcpu_ctxsync_fp(vcpu: *mut bindings::kvm_vcpu) {
    staging::warn_on_once!(
        !staging::irqs_disabled(),
        c"kvm_arch_vcpu_ctxsync_fp() called with interrupts enabled"
    );
    // SAFETY: Valid vCPU, loaded on this CPU by the caller.
    let vcpu = unsafe { Vcpu::from_raw(vcpu) };
    // SAFETY: Interrupts are disabled for the whole call (this function's
    // safety requirements; checked just above, as the C does).
    unsafe { IrqsDisabled::assume(|irqs| context::ctxsync_fp(vcpu, irqs)) }
}

/// Called from `kvm_arch_vcpu_put()`, by `vcpu_put()` and
/// `kvm_sched_out()`.
///
/// # Safety
///
/// - `vcpu` points to a valid vCPU, loaded on this CPU by the caller.
/// - Preemption is disabled.
#[no_mangle]
pub unsafe extern "C" fn kvm_arch_vcpu_put_fp(vcpu: *mut bindings::kvm_vcpu) {
    // SAFETY: Valid vCPU, loaded on this CPU by the caller.
    context::put_fp(unsafe { Vcpu::from_raw(vcpu) })
}

/// `KVM_GET_ONE_REG` of a register in the SVE group
/// (`KVM_REG_ARM64_SVE`), for `kvm_arm_get_reg()` in guest.c.
///
/// # Safety
///
/// `vcpu` and `reg` point to a valid vCPU and register descriptor; the
/// caller holds `vcpu->mutex` (a vCPU ioctl past `KVM_ARM_VCPU_INIT`).
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_get_sve_reg(
    vcpu: *mut bindings::kvm_vcpu,
    reg: *const bindings::kvm_one_reg,
) -> c_int {
    // SAFETY: Valid vCPU with its mutex held, valid descriptor (this
    // function's safety requirements); the only handle of the vCPU here.
    let (vcpu, reg) = unsafe { (LockedVcpu::from_raw(vcpu), &*reg) };
    from_result(|| sve_abi::get_sve_reg(&vcpu, reg).map(|()| 0))
}

/// `KVM_SET_ONE_REG` of a register in the SVE group, for
/// `kvm_arm_set_reg()` in guest.c.
///
/// # Safety
///
/// As [`kvm_arm_get_sve_reg`].
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_set_sve_reg(
    vcpu: *mut bindings::kvm_vcpu,
    reg: *const bindings::kvm_one_reg,
) -> c_int {
    // SAFETY: Valid vCPU with its mutex held, valid descriptor (this
    // function's safety requirements); the only handle of the vCPU here.
    let (mut vcpu, reg) = unsafe { (LockedVcpu::from_raw(vcpu), &*reg) };
    from_result(|| sve_abi::set_sve_reg(&mut vcpu, reg).map(|()| 0))
}

/// How many SVE register IDs `KVM_GET_REG_LIST` lists, for
/// `kvm_arm_num_regs()` in guest.c.
///
/// # Safety
///
/// As [`kvm_arm_get_sve_reg`].
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_num_sve_regs(vcpu: *const bindings::kvm_vcpu) -> usize {
    // SAFETY: Valid vCPU with its mutex held (this function's safety
    // requirements); the only handle of the vCPU here, only read.
    sve_abi::num_sve_regs(&unsafe { LockedVcpu::from_raw(vcpu.cast_mut()) })
}

/// Writes the SVE register IDs to the user array `uindices`, for
/// `kvm_arm_copy_reg_indices()` in guest.c: how many, or `-EFAULT`.
///
/// # Safety
///
/// As [`kvm_arm_get_sve_reg`].
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_copy_sve_reg_indices(
    vcpu: *const bindings::kvm_vcpu,
    uindices: *mut u64,
) -> c_int {
    // SAFETY: Valid vCPU with its mutex held (this function's safety
    // requirements); the only handle of the vCPU here, only read.
    // `uindices` is a user address, only handed to the user-copy routines.
    let vcpu = unsafe { LockedVcpu::from_raw(vcpu.cast_mut()) };
    from_result(|| {
        let n = sve_abi::copy_sve_reg_indices(&vcpu, uindices as usize)?;
        // At most 50 IDs.
        Ok(n as c_int)
    })
}

/// `kvm_arm_init_sve()`, from `kvm_arm_init()`: the guests' and the
/// host's maximum SVE vector lengths.
///
/// # Safety
///
/// Called once, during KVM's initialisation, before any VM exists.
#[no_mangle]
#[link_section = ".init.text"]
pub unsafe extern "C" fn kvm_arm_init_sve() -> c_int {
    // SAFETY: KVM's initialisation (this function's safety requirements).
    unsafe { sve_vcpu::init_sve() };
    0
}

/// `kvm_arm_vcpu_enable_sve()`, for `kvm_reset_vcpu()` at `KVM_ARM_VCPU_INIT`
/// of a vCPU with the SVE feature, not finalized.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU; the caller holds `vcpu->mutex`.
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_vcpu_enable_sve(vcpu: *mut bindings::kvm_vcpu) {
    // SAFETY: Valid vCPU with its mutex held (this function's safety
    // requirements); the only handle of the vCPU here.
    sve_vcpu::enable_sve(&unsafe { LockedVcpu::from_raw(vcpu) })
}

/// `KVM_ARM_VCPU_FINALIZE(feature)`, from `kvm_arm_vcpu_ioctl()` past
/// `KVM_ARM_VCPU_INIT`: 0 or a negative errno.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU; the caller holds `vcpu->mutex`.
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_vcpu_finalize(
    vcpu: *mut bindings::kvm_vcpu,
    feature: c_int,
) -> c_int {
    // SAFETY: Valid vCPU with its mutex held (this function's safety
    // requirements); the only handle of the vCPU here.
    let mut vcpu = unsafe { LockedVcpu::from_raw(vcpu) };
    from_result(|| sve_vcpu::finalize(&mut vcpu, feature).map(|()| 0))
}

/// `kvm_arm_vcpu_is_finalized()`: whether `KVM_RUN` and
/// `KVM_GET_REG_LIST` may proceed.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU; the caller holds `vcpu->mutex`.
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_vcpu_is_finalized(vcpu: *mut bindings::kvm_vcpu) -> bool {
    // SAFETY: Valid vCPU with its mutex held (this function's safety
    // requirements); the only handle of the vCPU here, only read.
    sve_vcpu::is_finalized(&unsafe { LockedVcpu::from_raw(vcpu) })
}

/// `kvm_arm_vcpu_reset_sve()`, for `kvm_reset_vcpu()` of a finalized vCPU:
/// zeroes the SVE registers.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU that is not loaded; the caller holds
/// `vcpu->mutex` (`KVM_ARM_VCPU_INIT`, or the vCPU's own `KVM_RUN`
/// handling a reset request, which has put it first).
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_vcpu_reset_sve(vcpu: *mut bindings::kvm_vcpu) {
    // SAFETY: Valid vCPU with its mutex held, not loaded, so its registers
    // are in memory (this function's safety requirements); the only handle
    // of the vCPU here.
    sve_vcpu::reset_sve(&mut unsafe { LockedVcpu::from_raw(vcpu) })
}

/// Frees the vCPU's SVE state, for `kvm_arm_vcpu_destroy()`.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU that is being destroyed: nothing else
/// uses it, nor will (which is more than holding `vcpu->mutex`).
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_vcpu_free_sve(vcpu: *mut bindings::kvm_vcpu) {
    // SAFETY: Valid vCPU with no other user (this function's safety
    // requirements); the only handle of the vCPU here.
    sve_vcpu::free_sve(&mut unsafe { LockedVcpu::from_raw(vcpu) })
}

/// The sys_regs visibility of an FP/SVE system register (`ZCR_EL1`,
/// `ZCR_EL2`, `ID_AA64ZFR0_EL1`) for `vcpu`: 0, `REG_HIDDEN` or `REG_RAZ`.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU past `KVM_ARM_VCPU_INIT`, whose SVE
/// feature therefore no longer changes; called from the sys_regs table
/// (register accesses by userspace or the guest, `KVM_GET_REG_LIST`).
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_sve_sysreg_visibility(
    vcpu: *const bindings::kvm_vcpu,
    encoding: u32,
) -> core::ffi::c_uint {
    // SAFETY: Valid vCPU whose SVE feature is fixed (this function's
    // safety requirements).
    let has_sve = unsafe { InitVcpu::from_raw(vcpu) }.has_sve();
    match sve_sysreg::visibility(encoding, has_sve) {
        sve_sysreg::Visibility::Visible => 0,
        sve_sysreg::Visibility::Hidden => bindings::KVM_FP_RUST_REG_HIDDEN,
        sve_sysreg::Visibility::Raz => bindings::KVM_FP_RUST_REG_RAZ,
    }
}

/// The SVE field of `ID_AA64PFR0_EL1` at reset, for
/// `read_sanitised_id_aa64pfr0_el1()`: `val`, the host's sanitised value,
/// without SVE for a vCPU without it.
///
/// # Safety
///
/// `vcpu` points to a valid vCPU whose SVE feature is set
/// (`KVM_ARM_VCPU_INIT` resets the ID registers after enabling SVE).
#[no_mangle]
pub unsafe extern "C" fn kvm_arm_sve_sanitise_id_aa64pfr0(
    vcpu: *const bindings::kvm_vcpu,
    val: u64,
) -> u64 {
    // SAFETY: Valid vCPU whose SVE feature is set and fixed (this
    // function's safety requirements).
    let has_sve = unsafe { InitVcpu::from_raw(vcpu) }.has_sve();
    sve_sysreg::sanitise_id_aa64pfr0(val, has_sve)
}

/// Says, once at boot, which FP/SIMD implementation KVM uses.
#[no_mangle]
pub extern "C" fn kvm_fp_rust_announce() {
    pr_info!("KVM FP/SIMD: Rust implementation (CONFIG_KVM_ARM64_FPSIMD_RUST)\n");
}
