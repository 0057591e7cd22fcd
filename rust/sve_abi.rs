// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The SVE register ABI of `KVM_{GET,SET}_ONE_REG` and `KVM_GET_REG_LIST`
//! ([`arch/arm64/kvm/sve.c`]): `KVM_REG_ARM64_SVE_VLS`, the Z, P and FFR
//! registers, and their listing.
//!
//! The decisions are the pure modules': [`sve_reg::sve_reg_access`] decodes
//! the register ID and consults the configuration table
//! ([`crate::sve_seq`]), [`sve_vls`] encodes and checks the vector length
//! set, [`crate::sve_layout`] places each register in `sve_state`. What is
//! left here is the kernel's part: the vCPU's state, the copies to and from
//! userspace (`EFAULT`), the `WARN`s of the C for states that cannot
//! happen, and `array_index_nospec()` on the offset derived from the ID.
//!
//! Calling context: `kvm_vcpu_ioctl()`, with `vcpu->mutex` held; the vCPU
//! is initialised (`kvm_arch_vcpu_ioctl()` answers `ENOEXEC` otherwise)
//! and not loaded, so its registers are in memory.
//!
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c

use crate::{
    staging,
    sve_layout::Vq,
    sve_reg::{self, SveAccess, SveRegion},
    sve_vls::{self, HostSve, VqSet},
    vcpu::LockedVcpu,
};
use kernel::{bindings, prelude::*, uaccess::UserSlice};

/// The host's vector lengths as KVM offers them.
fn host_sve() -> HostSve {
    HostSve::new(
        VqSet::from_kernel_vq_map(&staging::sve_vq_map()),
        staging::kvm_sve_max_vl(),
    )
}

/// The vCPU's maximum VQ. An SVE vCPU always has a valid one from
/// `KVM_ARM_VCPU_INIT` on; the C warns where it finds otherwise
/// (`get_sve_vls()`, `sve_reg_to_region()`), and the pure code then
/// answers `EINVAL` as the C does.
fn checked_max_vq(vcpu: &LockedVcpu<'_>) -> Option<Vq> {
    let max_vq = vcpu.sve_max_vq();
    if max_vq.is_none() && vcpu.has_sve() {
        staging::warn(c"SVE vCPU with an invalid maximum vector length");
    }
    max_vq
}

/// The user buffer of a `KVM_{GET,SET}_ONE_REG` call: `KVM_REG_SIZE(id)`
/// bytes at `reg->addr`.
fn user_buffer(reg: &bindings::kvm_one_reg) -> UserSlice {
    UserSlice::new(reg.addr as usize, sve_reg::kvm_reg_size(reg.id))
}

/// `KVM_GET_ONE_REG` of an ID in the SVE group (`kvm_arm_get_sve_reg()`).
pub(crate) fn get_sve_reg(vcpu: &LockedVcpu<'_>, reg: &bindings::kvm_one_reg) -> Result {
    let max_vq = checked_max_vq(vcpu);
    let (access, _) = sve_reg::sve_reg_access(reg.id, false, vcpu.sve_seq_state(), max_vq)?;
    let mut out = user_buffer(reg).writer();
    match access {
        SveAccess::Vls => {
            let vqs = sve_vls::get_sve_vls(&host_sve().vqs(), vcpu.sve_max_vl())?;
            out.write(&vqs)
        }
        SveAccess::Region(region) => {
            let state = vcpu.sve_state().ok_or_else(no_state)?;
            out.write_slice(kernel_bytes(state, region)?)?;
            // The bytes beyond the vector length read as zero.
            staging::clear_user(reg.addr as usize + region.klen, region.upad)
        }
    }
}

/// `KVM_SET_ONE_REG` of an ID in the SVE group (`kvm_arm_set_sve_reg()`).
pub(crate) fn set_sve_reg(vcpu: &mut LockedVcpu<'_>, reg: &bindings::kvm_one_reg) -> Result {
    let max_vq = checked_max_vq(vcpu);
    let (access, _) = sve_reg::sve_reg_access(reg.id, true, vcpu.sve_seq_state(), max_vq)?;
    let mut input = user_buffer(reg).reader();
    match access {
        SveAccess::Vls => {
            // sve_state is allocated only at finalization, which the table
            // has just ruled out.
            if vcpu.has_sve_state() {
                staging::warn(c"sve_state allocated before SVE finalization");
                return Err(EINVAL);
            }
            let vqs: [u64; sve_vls::KVM_ARM64_SVE_VLS_WORDS] = input.read()?;
            let vq = sve_vls::set_sve_vls(&vqs, &host_sve())?;
            vcpu.set_sve_max_vq(vq);
            Ok(())
        }
        SveAccess::Region(region) => {
            let state = vcpu.sve_state_mut().ok_or_else(no_state)?;
            // The bytes beyond the vector length are ignored, as in the C.
            input.read_slice(kernel_bytes_mut(state, region)?)
        }
    }
}

/// The table lets a Z/P/FFR access through only once SVE is finalized,
/// when `sve_state` exists: the C warns if it does not (`WARN_ON(!
/// vcpu_sve_state_size())`).
fn no_state() -> Error {
    staging::warn(c"finalized SVE vCPU without sve_state");
    EINVAL
}

/// Where in `sve_state` a region is, with the offset, which derives from
/// the user's register ID, clamped under speculation too
/// (`array_index_nospec()`, as the C). The region always fits (the layout
/// is the one `sve_state` was sized with); `EINVAL` rather than a panic if
/// it did not.
fn kernel_range(region: SveRegion, len: usize) -> Result<core::ops::Range<usize>> {
    let from = staging::index_nospec(region.koffset, len);
    let to = from.checked_add(region.klen).ok_or(EINVAL)?;
    if to > len {
        return Err(EINVAL);
    }
    Ok(from..to)
}

fn kernel_bytes(state: &[u8], region: SveRegion) -> Result<&[u8]> {
    let range = kernel_range(region, state.len())?;
    state.get(range).ok_or(EINVAL)
}

fn kernel_bytes_mut(state: &mut [u8], region: SveRegion) -> Result<&mut [u8]> {
    let range = kernel_range(region, state.len())?;
    state.get_mut(range).ok_or(EINVAL)
}

/// `kvm_arm_num_sve_regs()`: how many SVE register IDs `KVM_GET_REG_LIST`
/// lists.
pub(crate) fn num_sve_regs(vcpu: &LockedVcpu<'_>) -> usize {
    let has_sve = vcpu.has_sve();
    // Policed by KVM_GET_REG_LIST, as in the C.
    if has_sve && !vcpu.sve_finalized() {
        staging::warn(c"SVE registers listed before SVE finalization");
    }
    sve_reg::num_sve_regs(has_sve)
}

/// `kvm_arm_copy_sve_reg_indices()`: writes the SVE register IDs at
/// `uindices`, returning how many.
pub(crate) fn copy_sve_reg_indices(vcpu: &LockedVcpu<'_>, uindices: usize) -> Result<usize> {
    let n = num_sve_regs(vcpu);
    let mut out = UserSlice::new(uindices, n * core::mem::size_of::<u64>()).writer();
    for id in sve_reg::sve_reg_ids(vcpu.has_sve()) {
        out.write(&id)?;
    }
    Ok(n)
}
