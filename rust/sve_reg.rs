// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! SVE register IDs of the `KVM_{GET,SET}_ONE_REG` ABI: decoding, the
//! region of `sve_state` each one names, and the `KVM_GET_REG_LIST` entries.
//!
//! Pure logic: no kernel dependency. Mirrors `sve_reg_to_region()`,
//! `kvm_arm_get_sve_reg()`, `kvm_arm_set_sve_reg()`,
//! `kvm_arm_num_sve_regs()` and `kvm_arm_copy_sve_reg_indices()` in
//! [`arch/arm64/kvm/sve.c`], with the encodings of
//! [`arch/arm64/include/uapi/asm/kvm.h`] (`KVM_REG_ARM64_SVE_*`). The
//! dispatch of `kvm_arm_{get,set}_reg()` to the register groups and the
//! core registers (which refuse the FPSIMD V registers on an SVE vCPU,
//! since there they are the low 128 bits of Z0-Z31) stay in C, in
//! [`arch/arm64/kvm/guest.c`]; the project's host test
//! `rust/tests/sve_model.rs` models them.
//!
//! Each Z register is exchanged as 2048 bits (`KVM_REG_SIZE_U2048`), each
//! P register and FFR as 256 bits (`KVM_REG_SIZE_U256`), in one slice
//! (slice 0, `vcpu_sve_slices() == 1`) whatever the vector length: the
//! bytes beyond the vCPU's vector length read as zero and are ignored on
//! write ([`SveRegion::upad`]), so nothing of the kernel leaks.
//!
//! The errnos are the C's, in the C's order (see
//! [`Documentation/virt/kvm/api.rst`], `KVM_SET_ONE_REG`): `EINVAL` for an
//! ID in the SVE block that names no SVE register (whatever the vCPU), then
//! `ENOENT` for a register the vCPU does not have (no SVE, or a slice other
//! than 0), then `EPERM` before finalization (from `sve_seq`).
//!
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c
//! [`arch/arm64/kvm/guest.c`]: srctree/arch/arm64/kvm/guest.c
//! [`arch/arm64/include/uapi/asm/kvm.h`]: srctree/arch/arm64/include/uapi/asm/kvm.h
//! [`Documentation/virt/kvm/api.rst`]: srctree/Documentation/virt/kvm/api.rst

use crate::errno::Errno;
use crate::sve_layout::{Vq, SVE_NUM_PREGS, SVE_NUM_ZREGS};
use crate::sve_seq::{check, Op, State};

/// Architecture bits of an arm64 register ID (`KVM_REG_ARM64`).
pub const KVM_REG_ARM64: u64 = 0x6000_0000_0000_0000;
/// Shift of the size field of a register ID (`KVM_REG_SIZE_SHIFT`).
pub const KVM_REG_SIZE_SHIFT: u32 = 52;
/// Size field of a register ID (`KVM_REG_SIZE_MASK`): log2 of the size in
/// bytes.
pub const KVM_REG_SIZE_MASK: u64 = 0x00f0_0000_0000_0000;
/// 256-bit register (`KVM_REG_SIZE_U256`): P registers and FFR.
pub const KVM_REG_SIZE_U256: u64 = 0x0050_0000_0000_0000;
/// 512-bit register (`KVM_REG_SIZE_U512`): `KVM_REG_ARM64_SVE_VLS`.
pub const KVM_REG_SIZE_U512: u64 = 0x0060_0000_0000_0000;
/// 2048-bit register (`KVM_REG_SIZE_U2048`): Z registers.
pub const KVM_REG_SIZE_U2048: u64 = 0x0080_0000_0000_0000;
/// Shift of the register group field (`KVM_REG_ARM_COPROC_SHIFT`).
pub const KVM_REG_ARM_COPROC_SHIFT: u32 = 16;
/// SVE registers (`KVM_REG_ARM64_SVE`).
pub const KVM_REG_ARM64_SVE: u64 = 0x0015 << KVM_REG_ARM_COPROC_SHIFT;
/// Base of the Z register IDs (`KVM_REG_ARM64_SVE_ZREG_BASE`).
pub const KVM_REG_ARM64_SVE_ZREG_BASE: u64 = 0;
/// Base of the P register IDs (`KVM_REG_ARM64_SVE_PREG_BASE`).
pub const KVM_REG_ARM64_SVE_PREG_BASE: u64 = 0x400;
/// Base of the FFR IDs (`KVM_REG_ARM64_SVE_FFR_BASE`).
pub const KVM_REG_ARM64_SVE_FFR_BASE: u64 = 0x600;
/// Slices an SVE register ID can name (`KVM_ARM64_SVE_MAX_SLICES`); only
/// slice 0 exists.
pub const KVM_ARM64_SVE_MAX_SLICES: u32 = 32;
/// The `KVM_REG_ARM64_SVE_VLS` pseudo-register (`sve_vls`).
pub const KVM_REG_ARM64_SVE_VLS: u64 =
    KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_SIZE_U512 | 0xffff;

/// Bytes exchanged for one Z register slice, `KVM_REG_SIZE(ZREG)`.
pub const KVM_SVE_ZREG_SIZE: usize = 256;
/// Bytes exchanged for one P register or FFR slice, `KVM_REG_SIZE(PREG)`.
pub const KVM_SVE_PREG_SIZE: usize = 32;

/// Slice field of an SVE register ID (`SVE_REG_SLICE_MASK`, bits 4:0).
const SVE_REG_SLICE_MASK: u64 = 0x1f;
/// Shift of the register number field (`SVE_REG_ID_SHIFT`).
const SVE_REG_ID_SHIFT: u32 = 5;
/// Register number field, after shifting (`SVE_REG_ID_MASK >> 5`).
const SVE_REG_ID_FIELD: u64 = 0x1f;

/// The size in bytes a register ID declares (`KVM_REG_SIZE(id)`):
/// `1 << size field`, so 1 to 32768.
pub const fn kvm_reg_size(id: u64) -> usize {
    1usize << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT)
}

/// The ID of slice `slice` of Zn (`KVM_REG_ARM64_SVE_ZREG(n, i)`): both
/// fields are masked to their width, as in the C macro.
pub const fn kvm_reg_arm64_sve_zreg(n: u32, slice: u32) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE
        | KVM_REG_ARM64_SVE_ZREG_BASE
        | KVM_REG_SIZE_U2048
        | (((n as u64) & (SVE_NUM_ZREGS as u64 - 1)) << SVE_REG_ID_SHIFT)
        | ((slice as u64) & (KVM_ARM64_SVE_MAX_SLICES as u64 - 1))
}

/// The ID of slice `slice` of Pn (`KVM_REG_ARM64_SVE_PREG(n, i)`).
pub const fn kvm_reg_arm64_sve_preg(n: u32, slice: u32) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE
        | KVM_REG_ARM64_SVE_PREG_BASE
        | KVM_REG_SIZE_U256
        | (((n as u64) & (SVE_NUM_PREGS as u64 - 1)) << SVE_REG_ID_SHIFT)
        | ((slice as u64) & (KVM_ARM64_SVE_MAX_SLICES as u64 - 1))
}

/// The ID of slice `slice` of FFR (`KVM_REG_ARM64_SVE_FFR(i)`).
pub const fn kvm_reg_arm64_sve_ffr(slice: u32) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE
        | KVM_REG_ARM64_SVE_FFR_BASE
        | KVM_REG_SIZE_U256
        | ((slice as u64) & (KVM_ARM64_SVE_MAX_SLICES as u64 - 1))
}

/// An SVE register ID, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SveReg {
    /// `KVM_REG_ARM64_SVE_VLS`.
    Vls,
    /// `KVM_REG_ARM64_SVE_ZREG(n, slice)`.
    Z {
        /// Register number, 0 to 31.
        n: u8,
        /// Slice, 0 to 31; only 0 exists.
        slice: u8,
    },
    /// `KVM_REG_ARM64_SVE_PREG(n, slice)`.
    P {
        /// Register number, 0 to 15.
        n: u8,
        /// Slice, 0 to 31; only 0 exists.
        slice: u8,
    },
    /// `KVM_REG_ARM64_SVE_FFR(slice)`.
    Ffr {
        /// Slice, 0 to 31; only 0 exists.
        slice: u8,
    },
}

impl SveReg {
    /// Decodes `id` as `kvm_arm_get_sve_reg()` and `sve_reg_to_region()`
    /// do: exactly `KVM_REG_ARM64_SVE_VLS`, or in the ID range of Z0-Z31
    /// (all slices, size `U2048`), or in that of P0-P15 and FFR (all
    /// slices, size `U256`, contiguous IDs: FFR is register number 16 of
    /// the P block).
    /// `EINVAL` for anything else: a wrong size field, bits outside the
    /// fields, an ID in a gap of the SVE block or outside it.
    pub const fn decode(id: u64) -> Result<SveReg, Errno> {
        if id == KVM_REG_ARM64_SVE_VLS {
            return Ok(SveReg::Vls);
        }
        // CAST: both fields are masked to 5 bits.
        let reg_num = ((id >> SVE_REG_ID_SHIFT) & SVE_REG_ID_FIELD) as u8;
        let slice = (id & SVE_REG_SLICE_MASK) as u8;
        let zreg_id_min = kvm_reg_arm64_sve_zreg(0, 0);
        let zreg_id_max =
            kvm_reg_arm64_sve_zreg(SVE_NUM_ZREGS as u32 - 1, KVM_ARM64_SVE_MAX_SLICES - 1);
        let preg_id_min = kvm_reg_arm64_sve_preg(0, 0);
        let preg_id_max = kvm_reg_arm64_sve_ffr(KVM_ARM64_SVE_MAX_SLICES - 1);
        if id >= zreg_id_min && id <= zreg_id_max {
            Ok(SveReg::Z { n: reg_num, slice })
        } else if id >= preg_id_min && id <= preg_id_max {
            if reg_num as usize == SVE_NUM_PREGS {
                Ok(SveReg::Ffr { slice })
            } else {
                Ok(SveReg::P { n: reg_num, slice })
            }
        } else {
            Err(Errno::EINVAL)
        }
    }
}

/// Where one SVE register slice lives in `sve_state`, and how it maps onto
/// the user buffer (`struct sve_state_reg_region`).
///
/// The user buffer is always `klen + upad` bytes (`KVM_REG_SIZE(id)`):
/// `klen` bytes copied to or from `sve_state + koffset`, then `upad` bytes
/// zeroed on read and ignored on write. `koffset + klen` never exceeds
/// `vcpu_sve_state_size()`; the kernel side still passes `koffset` through
/// `array_index_nospec()` as the C does, since it derives from user input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SveRegion {
    /// Offset into `sve_state`.
    pub koffset: usize,
    /// Bytes of the register in `sve_state`: the register's size at the
    /// vCPU's vector length, at most the ioctl size.
    pub klen: usize,
    /// Trailing bytes of the user buffer beyond the vector length.
    pub upad: usize,
}

/// Validates an SVE register ID other than `KVM_REG_ARM64_SVE_VLS` and
/// returns the region of `sve_state` it names, as `sve_reg_to_region()`
/// does.
///
/// `has_sve` is `vcpu_has_sve()`; `max_vq` the vCPU's maximum vector length
/// (`vcpu_sve_max_vq()`), `None` if `sve_max_vl` is not a valid vector
/// length. Errors, in the C order:
///
/// - `EINVAL`: not a Z, P or FFR ID ([`SveReg::decode`]), including
///   `KVM_REG_ARM64_SVE_VLS` (which `kvm_arm_get_sve_reg()` handles
///   before), even for a vCPU without SVE;
/// - `ENOENT`: the vCPU has no SVE, or the slice is not 0;
/// - `EINVAL`: `max_vq` is `None` (`WARN_ON(!vcpu_sve_state_size())`).
pub const fn sve_reg_to_region(
    id: u64,
    has_sve: bool,
    max_vq: Option<Vq>,
) -> Result<SveRegion, Errno> {
    let (reg_num, is_z, slice) = match SveReg::decode(id) {
        Ok(SveReg::Z { n, slice }) => (n as usize, true, slice),
        Ok(SveReg::P { n, slice }) => (n as usize, false, slice),
        Ok(SveReg::Ffr { slice }) => (SVE_NUM_PREGS, false, slice),
        Ok(SveReg::Vls) | Err(_) => return Err(Errno::EINVAL),
    };
    if !has_sve || slice > 0 {
        return Err(Errno::ENOENT);
    }
    let layout = match max_vq {
        Some(vq) => vq.layout(),
        None => return Err(Errno::EINVAL),
    };
    let (reqoffset, reqlen, maxlen) = if is_z {
        let off = match layout.zreg_offset(reg_num) {
            Some(off) => off,
            None => return Err(Errno::EINVAL),
        };
        (off, KVM_SVE_ZREG_SIZE, layout.zreg_size())
    } else {
        // SVE_SIG_PREG_OFFSET(vq, 16) is SVE_SIG_FFR_OFFSET(vq).
        let off = if reg_num == SVE_NUM_PREGS {
            layout.ffr_offset()
        } else {
            match layout.preg_offset(reg_num) {
                Some(off) => off,
                None => return Err(Errno::EINVAL),
            }
        };
        (off, KVM_SVE_PREG_SIZE, layout.preg_size())
    };
    let klen = if maxlen < reqlen { maxlen } else { reqlen };
    Ok(SveRegion {
        koffset: reqoffset,
        klen,
        upad: reqlen - klen,
    })
}

/// What a `KVM_{GET,SET}_ONE_REG` of an SVE register ID transfers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SveAccess {
    /// `KVM_REG_ARM64_SVE_VLS`: `sve_vls::get_sve_vls` or
    /// `sve_vls::set_sve_vls` (which may still fail with `EINVAL`).
    Vls,
    /// A Z, P or FFR register slice.
    Region(SveRegion),
}

/// The decisions of `kvm_arm_get_sve_reg()` (`write == false`) and
/// `kvm_arm_set_sve_reg()` (`write == true`) for `id` in the SVE group, up
/// to the copy from or to userspace (`EFAULT`): what to transfer, and the
/// state to store once it succeeded.
///
/// `KVM_REG_ARM64_SVE_VLS` goes to the `sve_seq` table (`ENOENT`, `EPERM`);
/// any other ID to [`sve_reg_to_region`] (`EINVAL`, `ENOENT`), then to the
/// table (`EPERM` before finalization). A vCPU not initialised gets
/// `ENOEXEC`, as `kvm_arch_vcpu_ioctl()` answers before looking at the ID.
pub const fn sve_reg_access(
    id: u64,
    write: bool,
    state: State,
    max_vq: Option<Vq>,
) -> Result<(SveAccess, State), Errno> {
    if !state.is_initialized() {
        return Err(Errno::ENOEXEC);
    }
    if id == KVM_REG_ARM64_SVE_VLS {
        let op = if write { Op::SetVls } else { Op::GetVls };
        return match check(state, op) {
            Ok(next) => Ok((SveAccess::Vls, next)),
            Err(e) => Err(e),
        };
    }
    let region = match sve_reg_to_region(id, state.has_sve(), max_vq) {
        Ok(region) => region,
        Err(e) => return Err(e),
    };
    let op = if write { Op::SetSveReg } else { Op::GetSveReg };
    match check(state, op) {
        Ok(next) => Ok((SveAccess::Region(region), next)),
        Err(e) => Err(e),
    }
}

/// How many SVE register IDs `KVM_GET_REG_LIST` lists
/// (`kvm_arm_num_sve_regs()`): none without SVE, else
/// `KVM_REG_ARM64_SVE_VLS` and, for the one slice, Z0-Z31, P0-P15 and FFR.
pub const fn num_sve_regs(has_sve: bool) -> usize {
    if has_sve {
        SVE_NUM_PREGS + SVE_NUM_ZREGS + 1 + 1
    } else {
        0
    }
}

/// The `index`th SVE register ID in `KVM_GET_REG_LIST` order
/// (`kvm_arm_copy_sve_reg_indices()`): `KVM_REG_ARM64_SVE_VLS` first, so
/// that userspace restoring in list order sets it before the registers it
/// shapes, then Z0-Z31, P0-P15 and FFR of slice 0. `None` past the end.
pub const fn sve_reg_id_at(index: usize) -> Option<u64> {
    if index == 0 {
        Some(KVM_REG_ARM64_SVE_VLS)
    } else if index <= SVE_NUM_ZREGS {
        Some(kvm_reg_arm64_sve_zreg((index - 1) as u32, 0))
    } else if index <= SVE_NUM_ZREGS + SVE_NUM_PREGS {
        Some(kvm_reg_arm64_sve_preg(
            (index - 1 - SVE_NUM_ZREGS) as u32,
            0,
        ))
    } else if index == SVE_NUM_ZREGS + SVE_NUM_PREGS + 1 {
        Some(kvm_reg_arm64_sve_ffr(0))
    } else {
        None
    }
}

/// The SVE register IDs of `KVM_GET_REG_LIST`, in order, without
/// allocating: see [`sve_reg_id_at`].
#[derive(Clone, Debug)]
pub struct SveRegIds {
    next: usize,
    end: usize,
}

/// The SVE register IDs a vCPU lists: none without SVE.
pub const fn sve_reg_ids(has_sve: bool) -> SveRegIds {
    SveRegIds {
        next: 0,
        end: num_sve_regs(has_sve),
    }
}

impl Iterator for SveRegIds {
    type Item = u64;

    // `#[inline]`: otherwise the kernel crate emits an out-of-line copy for
    // other crates that nothing calls.
    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.next >= self.end {
            return None;
        }
        let id = sve_reg_id_at(self.next);
        self.next += 1;
        id
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for SveRegIds {}

impl core::iter::FusedIterator for SveRegIds {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sve_layout::tests::vq;

    /// The ID of `r`, fields masked to their width as in the C macros.
    fn id(r: SveReg) -> u64 {
        match r {
            SveReg::Vls => KVM_REG_ARM64_SVE_VLS,
            SveReg::Z { n, slice } => kvm_reg_arm64_sve_zreg(n.into(), slice.into()),
            SveReg::P { n, slice } => kvm_reg_arm64_sve_preg(n.into(), slice.into()),
            SveReg::Ffr { slice } => kvm_reg_arm64_sve_ffr(slice.into()),
        }
    }

    #[test]
    fn uapi_values() {
        assert_eq!(KVM_REG_ARM64_SVE_VLS, 0x6060_0000_0015_ffff);
        assert_eq!(kvm_reg_arm64_sve_zreg(0, 0), 0x6080_0000_0015_0000);
        assert_eq!(kvm_reg_arm64_sve_zreg(31, 0), 0x6080_0000_0015_03e0);
        assert_eq!(kvm_reg_arm64_sve_preg(15, 0), 0x6050_0000_0015_05e0);
        assert_eq!(kvm_reg_arm64_sve_ffr(0), 0x6050_0000_0015_0600);
        // The C BUILD_BUG_ON: P and FFR IDs are contiguous.
        assert_eq!(
            kvm_reg_arm64_sve_ffr(0),
            kvm_reg_arm64_sve_preg(15, KVM_ARM64_SVE_MAX_SLICES - 1) + 1
        );
        assert_eq!(kvm_reg_size(KVM_REG_ARM64_SVE_VLS), 64);
        assert_eq!(
            kvm_reg_size(kvm_reg_arm64_sve_zreg(0, 0)),
            KVM_SVE_ZREG_SIZE
        );
        assert_eq!(kvm_reg_size(kvm_reg_arm64_sve_ffr(0)), KVM_SVE_PREG_SIZE);
    }

    #[test]
    fn decode_classes() {
        assert_eq!(SveReg::decode(KVM_REG_ARM64_SVE_VLS), Ok(SveReg::Vls));
        assert_eq!(
            SveReg::decode(kvm_reg_arm64_sve_zreg(7, 3)),
            Ok(SveReg::Z { n: 7, slice: 3 })
        );
        assert_eq!(
            SveReg::decode(kvm_reg_arm64_sve_preg(15, 0)),
            Ok(SveReg::P { n: 15, slice: 0 })
        );
        assert_eq!(
            SveReg::decode(kvm_reg_arm64_sve_ffr(31)),
            Ok(SveReg::Ffr { slice: 31 })
        );
        // Wrong sizes.
        let z0 = kvm_reg_arm64_sve_zreg(0, 0);
        assert_eq!(
            SveReg::decode(z0 & !KVM_REG_SIZE_MASK | KVM_REG_SIZE_U256),
            Err(Errno::EINVAL)
        );
        let p0 = kvm_reg_arm64_sve_preg(0, 0);
        assert_eq!(
            SveReg::decode(p0 & !KVM_REG_SIZE_MASK | KVM_REG_SIZE_U2048),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            SveReg::decode(KVM_REG_ARM64_SVE_VLS & !KVM_REG_SIZE_MASK | KVM_REG_SIZE_U256),
            Err(Errno::EINVAL)
        );
        // Past FFR, in the gap, bits 31:28.
        assert_eq!(
            SveReg::decode(kvm_reg_arm64_sve_ffr(31) + 1),
            Err(Errno::EINVAL)
        );
        assert_eq!(SveReg::decode(z0 | 0x800), Err(Errno::EINVAL));
        assert_eq!(SveReg::decode(z0 | 0x1000_0000), Err(Errno::EINVAL));
        for r in [
            SveReg::Vls,
            SveReg::Z { n: 31, slice: 0 },
            SveReg::P { n: 3, slice: 9 },
            SveReg::Ffr { slice: 0 },
        ] {
            assert_eq!(SveReg::decode(id(r)), Ok(r));
        }
    }

    #[test]
    fn regions_vq1() {
        let r = |id| sve_reg_to_region(id, true, Some(vq(1)));
        assert_eq!(
            r(kvm_reg_arm64_sve_zreg(1, 0)),
            Ok(SveRegion {
                koffset: 16,
                klen: 16,
                upad: 240
            })
        );
        assert_eq!(
            r(kvm_reg_arm64_sve_preg(0, 0)),
            Ok(SveRegion {
                koffset: 512,
                klen: 2,
                upad: 30
            })
        );
        assert_eq!(
            r(kvm_reg_arm64_sve_ffr(0)),
            Ok(SveRegion {
                koffset: 544,
                klen: 2,
                upad: 30
            })
        );
    }

    #[test]
    fn regions_beyond_arch_max_are_one_slice() {
        let r = sve_reg_to_region(kvm_reg_arm64_sve_zreg(31, 0), true, Some(Vq::MAX)).unwrap();
        assert_eq!((r.koffset, r.klen, r.upad), (31 * 8192, 256, 0));
        let r = sve_reg_to_region(kvm_reg_arm64_sve_ffr(0), true, Some(Vq::MAX)).unwrap();
        assert_eq!((r.klen, r.upad), (32, 0));
        assert_eq!(r.koffset, Vq::MAX.layout().ffr_offset());
    }

    #[test]
    fn region_errors_in_c_order() {
        let z = kvm_reg_arm64_sve_zreg(0, 0);
        // Malformed beats "no SVE".
        assert_eq!(
            sve_reg_to_region(z | 0x800, false, None),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            sve_reg_to_region(KVM_REG_ARM64_SVE_VLS, true, Some(vq(1))),
            Err(Errno::EINVAL)
        );
        assert_eq!(sve_reg_to_region(z, false, None), Err(Errno::ENOENT));
        assert_eq!(
            sve_reg_to_region(kvm_reg_arm64_sve_zreg(0, 1), true, Some(vq(1))),
            Err(Errno::ENOENT)
        );
        assert_eq!(sve_reg_to_region(z, true, None), Err(Errno::EINVAL));
    }

    #[test]
    fn access_in_c_order() {
        let z = kvm_reg_arm64_sve_zreg(2, 0);
        let v = Some(vq(2));
        assert_eq!(
            sve_reg_access(z, false, State::Created, v),
            Err(Errno::ENOEXEC)
        );
        assert_eq!(
            sve_reg_access(z, false, State::NoSve, None),
            Err(Errno::ENOENT)
        );
        assert_eq!(
            sve_reg_access(z | 0x800, false, State::NoSve, None),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            sve_reg_access(z, true, State::SveInit, v),
            Err(Errno::EPERM)
        );
        // A bad slice is ENOENT even before finalization.
        assert_eq!(
            sve_reg_access(kvm_reg_arm64_sve_zreg(2, 1), true, State::SveInit, v),
            Err(Errno::ENOENT)
        );
        let (a, s) = sve_reg_access(z, true, State::SveFinalized, v).unwrap();
        assert_eq!(s, State::SveFinalized);
        assert!(matches!(a, SveAccess::Region(r) if r.koffset == 64 && r.klen == 32));
        let vls = KVM_REG_ARM64_SVE_VLS;
        assert_eq!(
            sve_reg_access(vls, false, State::NoSve, None),
            Err(Errno::ENOENT)
        );
        assert_eq!(
            sve_reg_access(vls, true, State::SveInit, v),
            Ok((SveAccess::Vls, State::SveVlsSet))
        );
        assert_eq!(
            sve_reg_access(vls, true, State::SveRan, v),
            Err(Errno::EPERM)
        );
        assert_eq!(
            sve_reg_access(vls, false, State::SveRan, v),
            Ok((SveAccess::Vls, State::SveRan))
        );
    }

    #[test]
    fn listing() {
        assert_eq!(num_sve_regs(false), 0);
        assert_eq!(sve_reg_ids(false).next(), None);
        assert_eq!(num_sve_regs(true), 50);
        let mut it = sve_reg_ids(true);
        assert_eq!(it.len(), 50);
        assert_eq!(it.next(), Some(KVM_REG_ARM64_SVE_VLS));
        for n in 0..32 {
            assert_eq!(it.next(), Some(kvm_reg_arm64_sve_zreg(n, 0)));
        }
        for n in 0..16 {
            assert_eq!(it.next(), Some(kvm_reg_arm64_sve_preg(n, 0)));
        }
        assert_eq!(it.next(), Some(kvm_reg_arm64_sve_ffr(0)));
        assert_eq!(it.len(), 0);
        assert_eq!(it.next(), None);
        assert_eq!(sve_reg_id_at(50), None);
        assert_eq!(sve_reg_id_at(usize::MAX), None);
    }
}
