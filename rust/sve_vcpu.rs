// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! SVE vCPU configuration ([`arch/arm64/kvm/sve.c`]): the guests'
//! maximum vector length at KVM's initialisation, SVE enabled by
//! `KVM_ARM_VCPU_INIT`, `KVM_ARM_VCPU_FINALIZE` (allocate `sve_state`,
//! share it with the hypervisor, undo on failure), the finalized
//! predicate, the reset of the registers, and freeing on vCPU destroy.
//!
//! The decisions are the pure modules': [`sve_seq::check`] answers whether
//! finalization is allowed and with which errno otherwise (the same table
//! the register ABI consults), [`sve_config`] the maximum vector length,
//! the check before allocating and where `sve_state` lives, and
//! [`crate::sve_layout`] its size. The state is allocated and freed only
//! here ([`SveState`]); how it was allocated is recorded in the vCPU
//! (`vcpu->arch.fp_rust.sve_state_pages`) and read back to free it, so
//! allocation and freeing cannot disagree.
//!
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c

use crate::{
    errno::Errno,
    staging,
    sve_config::{self, GuestMaxVl, SveStatePlacement},
    sve_seq::{self, Op},
    vcpu::LockedVcpu,
};
use core::{alloc::Layout, ffi::c_void, ptr::NonNull};
use kernel::{
    alloc::{allocator::Kmalloc, flags, Allocator},
    bindings,
    error::code::ENOMEM,
    page::PAGE_SIZE,
    prelude::*,
};

/// `kvm_arm_init_sve()`: sets the largest vector length guests may have
/// (`kvm_sve_max_vl`) and the host's, for the hypervisor too, which saves
/// and restores the host's SVE state at that length in protected mode.
///
/// # Safety
///
/// Only during KVM's initialisation, before any VM exists: it writes
/// `__ro_after_init` variables that everything else only reads.
pub(crate) unsafe fn init_sve() {
    if !staging::supports_sve() {
        return;
    }
    let host_max_vl = staging::sve_max_vl();
    let max = GuestMaxVl::new(staging::sve_max_virtualisable_vl(), host_max_vl);
    // SAFETY: Initialisation, before any reader exists (the caller).
    unsafe {
        bindings::kvm_sve_max_vl = max.vl;
        bindings::kvm_host_sve_max_vl = host_max_vl;
        bindings::__kvm_nvhe_kvm_host_sve_max_vl = host_max_vl;
    }
    if max.clamped {
        // The ioctl interface carries one slice per register: beyond
        // VL_ARCH_MAX it would need more.
        staging::warn(c"SVE vector length beyond VL_ARCH_MAX, limited");
    }
    if max.limited {
        // Vector lengths that not every CPU has are not offered.
        pr_warn!("SVE vector length for guests limited to {} bytes\n", max.vl);
    }
}

/// `kvm_arm_vcpu_enable_sve()`, at `KVM_ARM_VCPU_INIT` of a vCPU with the
/// SVE feature: the largest vector length KVM offers, until userspace
/// narrows it with `KVM_REG_ARM64_SVE_VLS`. Nothing is allocated before
/// finalization, which freezes the configuration.
pub(crate) fn enable_sve(vcpu: &LockedVcpu<'_>) {
    vcpu.enable_sve(staging::kvm_sve_max_vl());
}

/// `kvm_arm_vcpu_finalize()`: `KVM_ARM_VCPU_FINALIZE(feature)`.
pub(crate) fn finalize(vcpu: &mut LockedVcpu<'_>, feature: i32) -> Result {
    sve_seq::check(vcpu.sve_seq_state(), Op::Finalize(feature))?;
    // The table allows only KVM_ARM_VCPU_SVE, on a vCPU with SVE that is
    // not finalized yet.
    finalize_sve(vcpu)
}

/// `kvm_vcpu_finalize_sve()`: allocates `sve_state` for the vCPU's
/// maximum vector length and shares it with the hypervisor.
fn finalize_sve(vcpu: &mut LockedVcpu<'_>) -> Result {
    let vl = vcpu.sve_max_vl();
    // Ensured by kvm_arm_init_sve(), KVM_ARM_VCPU_INIT and the VLS
    // register; checked again before sizing an allocation from it.
    let vq = match vcpu.sve_max_vq() {
        Some(vq) if sve_config::finalizable_vl(vl, staging::sve_max_virtualisable_vl()) => vq,
        _ => {
            staging::warn(c"SVE vCPU finalized with an invalid maximum vector length");
            return Err(Errno::EIO.into());
        }
    };
    let (state, alloc_bytes) = SveState::alloc_zeroed(vq.layout().regs_size())?;
    state.share_hyp()?;
    let (size, pages) = (state.size, state.pages);
    vcpu.install_sve_state(state.into_raw(), size, alloc_bytes, pages);
    Ok(())
}

/// `kvm_arm_vcpu_is_finalized()`: whether every feature that needs
/// finalization is finalized (`KVM_RUN` and `KVM_GET_REG_LIST` need it).
pub(crate) fn is_finalized(vcpu: &LockedVcpu<'_>) -> bool {
    vcpu.sve_seq_state().is_finalized()
}

/// `kvm_arm_vcpu_reset_sve()`: an SVE vCPU's Z, P and FFR registers are
/// zero after a reset once finalized (before, nothing is allocated).
pub(crate) fn reset_sve(vcpu: &mut LockedVcpu<'_>) {
    if let Some(state) = vcpu.sve_state_mut() {
        state.fill(0);
    }
}

/// `kvm_arm_vcpu_free_sve()`: frees the vCPU's `sve_state`, if it was
/// finalized, on vCPU destroy.
pub(crate) fn free_sve(vcpu: &mut LockedVcpu<'_>) {
    if let Some((ptr, size, pages)) = vcpu.take_sve_state() {
        // SAFETY: `sve_state` was allocated by `SveState::alloc_zeroed()`
        // with this size (the vCPU's maximum vector length has not changed
        // since finalization), in whole pages if `pages` (recorded by
        // finalize_sve()), and shared with the hypervisor; the vCPU is
        // being destroyed, so neither it nor the hypervisor uses the state
        // again.
        unsafe { SveState::from_raw(ptr, size, pages).unshare_and_free() };
    }
}

/// A vCPU's `sve_state` allocation, placed by [`SveStatePlacement`].
///
/// # Invariants
///
/// `ptr` is an allocation of `size` bytes, by `alloc_pages_exact()` if
/// `pages`, else by kmalloc.
struct SveState {
    ptr: NonNull<u8>,
    size: usize,
    pages: bool,
}

impl SveState {
    fn placement(size: usize) -> SveStatePlacement {
        // SAFETY: FFI call without preconditions.
        let slab = unsafe { bindings::kmalloc_size_roundup(size) };
        SveStatePlacement::for_size(size, slab, PAGE_SIZE)
    }

    /// The slab layout: the registers are quadword-sized.
    fn slab_layout(size: usize) -> Result<Layout> {
        Layout::from_size_align(size, 16).map_err(|_| EINVAL)
    }

    /// Allocates `size` zeroed bytes, charged to the VMM's memory cgroup;
    /// also returns the bytes the allocation takes.
    fn alloc_zeroed(size: usize) -> Result<(Self, usize)> {
        let placement = Self::placement(size);
        let ptr = match placement {
            SveStatePlacement::Slab { .. } => Kmalloc::alloc(
                Self::slab_layout(size)?,
                flags::GFP_KERNEL_ACCOUNT | flags::__GFP_ZERO,
            )
            .map_err(|_| ENOMEM)?
            .cast::<u8>(),
            SveStatePlacement::Pages { .. } => {
                // SAFETY: FFI call; a null result is handled below.
                let p = unsafe {
                    bindings::alloc_pages_exact_noprof(
                        size,
                        bindings::GFP_KERNEL_ACCOUNT | bindings::__GFP_ZERO,
                    )
                };
                NonNull::new(p.cast::<u8>()).ok_or(ENOMEM)?
            }
        };
        // INVARIANT: Allocated in whole pages exactly for `Pages`.
        let pages = matches!(placement, SveStatePlacement::Pages { .. });
        Ok((SveState { ptr, size, pages }, placement.bytes()))
    }

    /// Rebuilds the allocation the vCPU holds.
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`SveState::into_raw`] of an allocation of
    /// `size` bytes, made in whole pages if and only if `pages`.
    unsafe fn from_raw(ptr: NonNull<u8>, size: usize, pages: bool) -> Self {
        // INVARIANT: The caller's guarantee.
        SveState { ptr, size, pages }
    }

    /// Gives up ownership: the vCPU holds the allocation from now on.
    fn into_raw(self) -> *mut c_void {
        let p = self.ptr.as_ptr().cast::<c_void>();
        core::mem::forget(self);
        p
    }

    fn range(&self) -> (*mut c_void, *mut c_void) {
        let start = self.ptr.as_ptr();
        // `size` bytes from `start` are one allocation (type invariant).
        (start.cast(), start.wrapping_add(self.size).cast())
    }

    /// `kvm_share_hyp()`: maps the state at EL2 (nVHE), or shares its
    /// pages with the hypervisor (protected mode); nothing in VHE. On
    /// failure the state is freed.
    fn share_hyp(&self) -> Result {
        let (from, to) = self.range();
        // SAFETY: FFI call on a kernel linear-map range this allocation
        // owns (type invariant).
        let ret = unsafe { bindings::kvm_share_hyp(from, to) };
        if ret != 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(())
    }

    /// `kvm_unshare_hyp()`, then frees.
    fn unshare_and_free(self) {
        let (from, to) = self.range();
        // SAFETY: FFI call on the range shared at finalization; the
        // hypervisor no longer uses it (the vCPU is being destroyed).
        unsafe { bindings::kvm_unshare_hyp(from, to) };
        // `self` is dropped: freed.
    }
}

impl Drop for SveState {
    #[inline]
    fn drop(&mut self) {
        if self.pages {
            // SAFETY: `ptr` is an alloc_pages_exact() allocation of `size`
            // bytes (type invariant); it is not used again.
            unsafe { bindings::free_pages_exact(self.ptr.as_ptr().cast(), self.size) };
        } else if let Ok(layout) = Self::slab_layout(self.size) {
            // Allocated with this layout, which is valid (type invariant
            // and `alloc_zeroed()`).
            // SAFETY: `ptr` is a Kmalloc allocation with `layout` (type
            // invariant); it is not used again.
            unsafe { Kmalloc::free(self.ptr, layout) };
        }
    }
}
