// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The one layout of SVE register state: where Z0-Z31, P0-P15 and FFR sit
//! for a given vector length.
//!
//! Pure logic: no kernel dependency. The layout is that of the signal frame
//! ([`arch/arm64/include/uapi/asm/sigcontext.h`] and
//! [`arch/arm64/include/uapi/asm/sve_context.h`]) with the frame header
//! removed, which is what `vcpu->arch.sve_state` holds: every `SVE_SIG_*`
//! offset minus `SVE_SIG_REGS_OFFSET`. The ioctl accessors
//! (`sve_reg_to_region()`), the allocation at finalization
//! (`vcpu_sve_state_size()`) and the hypervisor's save and restore
//! (`sve_ffr_offset()`) all use it, for the guest's maximum VL and for the
//! host's (`kvm_host_sve_max_vl`, pKVM): one definition, here, for every
//! vector length (seed thread 003, "one SVE layout convention").
//!
//! Everything is a `const fn`, so the kernel crate can compare it with the
//! C values at build time. A [`Vq`] is always in
//! `SVE_VQ_MIN..=SVE_VQ_MAX`, so no function here can overflow or panic.
//!
//! [`arch/arm64/include/uapi/asm/sigcontext.h`]: srctree/arch/arm64/include/uapi/asm/sigcontext.h
//! [`arch/arm64/include/uapi/asm/sve_context.h`]: srctree/arch/arm64/include/uapi/asm/sve_context.h

/// Bytes per quadword (`SVE_VQ_BYTES`).
pub const SVE_VQ_BYTES: u32 = 16;
/// Smallest vector length in quadwords (`SVE_VQ_MIN`).
pub const SVE_VQ_MIN: u32 = 1;
/// Largest vector length in quadwords the ABI can express (`SVE_VQ_MAX`).
pub const SVE_VQ_MAX: u32 = 512;
/// Smallest vector length in bytes (`SVE_VL_MIN`).
pub const SVE_VL_MIN: u32 = SVE_VQ_MIN * SVE_VQ_BYTES;
/// Largest vector length in bytes (`SVE_VL_MAX`).
pub const SVE_VL_MAX: u32 = SVE_VQ_MAX * SVE_VQ_BYTES;
/// Number of Z registers (`__SVE_NUM_ZREGS`).
pub const SVE_NUM_ZREGS: usize = 32;
/// Number of P registers, FFR excluded (`__SVE_NUM_PREGS`).
pub const SVE_NUM_PREGS: usize = 16;
/// Largest vector length in bytes the architecture defines today, and the
/// largest KVM gives a guest (`VL_ARCH_MAX` in `asm/fpsimd.h`): beyond it
/// the 2048-bit ioctl registers would need more than one slice.
pub const VL_ARCH_MAX: u32 = 0x100;

/// Whether `vl` is a vector length in bytes the ABI can express
/// (`sve_vl_valid()`): a whole number of quadwords from
/// [`SVE_VL_MIN`] to [`SVE_VL_MAX`].
pub const fn sve_vl_valid(vl: u32) -> bool {
    // `vl % SVE_VQ_BYTES == 0`: SVE_VQ_BYTES is a power of two.
    vl & (SVE_VQ_BYTES - 1) == 0 && vl >= SVE_VL_MIN && vl <= SVE_VL_MAX
}

/// Vector length in quadwords from one in bytes (`sve_vq_from_vl()`).
///
/// Plain division, as the C macro: meaningful only when
/// [`sve_vl_valid`]`(vl)`; [`Vq::from_vl`] checks.
pub const fn sve_vq_from_vl(vl: u32) -> u32 {
    vl / SVE_VQ_BYTES
}

/// A vector length in quadwords (128 bits).
///
/// # Invariants
///
/// `SVE_VQ_MIN <= self.0 <= SVE_VQ_MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vq(u16);

impl Vq {
    /// The smallest vector length, 128 bits.
    // INVARIANT: SVE_VQ_MIN is in range.
    #[cfg(test)]
    pub const MIN: Vq = Vq(SVE_VQ_MIN as u16);
    /// The largest vector length the ABI can express, 65536 bits.
    // INVARIANT: SVE_VQ_MAX is in range.
    #[cfg(test)]
    pub const MAX: Vq = Vq(SVE_VQ_MAX as u16);
    /// The largest vector length KVM gives a guest ([`VL_ARCH_MAX`], 2048
    /// bits, 16 quadwords).
    // INVARIANT: VL_ARCH_MAX / SVE_VQ_BYTES = 16 is in range.
    #[cfg(test)]
    pub const ARCH_MAX: Vq = Vq((VL_ARCH_MAX / SVE_VQ_BYTES) as u16);

    /// `vq` if it is in `SVE_VQ_MIN..=SVE_VQ_MAX`.
    pub const fn new(vq: u32) -> Option<Vq> {
        if vq >= SVE_VQ_MIN && vq <= SVE_VQ_MAX {
            // CAST: vq <= 512 fits in u16.
            // INVARIANT: checked just above.
            Some(Vq(vq as u16))
        } else {
            None
        }
    }

    /// The vector length of `vl` bytes, if [`sve_vl_valid`]`(vl)`.
    pub const fn from_vl(vl: u32) -> Option<Vq> {
        if sve_vl_valid(vl) {
            Vq::new(sve_vq_from_vl(vl))
        } else {
            None
        }
    }

    /// The number of quadwords, `1..=512`.
    pub const fn get(self) -> u32 {
        self.0 as u32
    }

    /// The vector length in bytes (`sve_vl_from_vq()`), `16..=8192`.
    pub const fn vl(self) -> u32 {
        self.0 as u32 * SVE_VQ_BYTES
    }

    /// The layout of SVE state at this vector length.
    pub const fn layout(self) -> SveLayout {
        SveLayout { vq: self }
    }
}

/// Offsets and sizes, in bytes, of the SVE registers in `sve_state` for one
/// vector length: Z0-Z31 (`vq * 16` bytes each), then P0-P15 (`vq * 2`
/// each), then FFR (`vq * 2`), with no padding. Each value is the
/// `SVE_SIG_*` one minus `SVE_SIG_REGS_OFFSET`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SveLayout {
    vq: Vq,
}

impl SveLayout {
    /// Size of one Z register (`SVE_SIG_ZREG_SIZE(vq)`).
    pub const fn zreg_size(self) -> usize {
        self.vq.get() as usize * SVE_VQ_BYTES as usize
    }

    /// Size of one P register (`SVE_SIG_PREG_SIZE(vq)`).
    pub const fn preg_size(self) -> usize {
        self.vq.get() as usize * (SVE_VQ_BYTES as usize / 8)
    }

    /// Size of FFR (`SVE_SIG_FFR_SIZE(vq)`), that of a P register.
    pub const fn ffr_size(self) -> usize {
        self.preg_size()
    }

    /// Offset of Z0 (`SVE_SIG_ZREGS_OFFSET - SVE_SIG_REGS_OFFSET`).
    pub const fn zregs_offset(self) -> usize {
        0
    }

    /// Size of Z0-Z31 (`SVE_SIG_ZREGS_SIZE(vq)`).
    pub const fn zregs_size(self) -> usize {
        SVE_NUM_ZREGS * self.zreg_size()
    }

    /// Offset of Zn (`SVE_SIG_ZREG_OFFSET(vq, n) - SVE_SIG_REGS_OFFSET`);
    /// `None` unless `n < 32`.
    pub const fn zreg_offset(self, n: usize) -> Option<usize> {
        if n < SVE_NUM_ZREGS {
            Some(self.zregs_offset() + n * self.zreg_size())
        } else {
            None
        }
    }

    /// Offset of P0 (`SVE_SIG_PREGS_OFFSET(vq) - SVE_SIG_REGS_OFFSET`).
    pub const fn pregs_offset(self) -> usize {
        self.zregs_offset() + self.zregs_size()
    }

    /// Size of P0-P15 (`SVE_SIG_PREGS_SIZE(vq)`).
    pub const fn pregs_size(self) -> usize {
        SVE_NUM_PREGS * self.preg_size()
    }

    /// Offset of Pn (`SVE_SIG_PREG_OFFSET(vq, n) - SVE_SIG_REGS_OFFSET`);
    /// `None` unless `n < 16`.
    pub const fn preg_offset(self, n: usize) -> Option<usize> {
        if n < SVE_NUM_PREGS {
            Some(self.pregs_offset() + n * self.preg_size())
        } else {
            None
        }
    }

    /// Offset of FFR (`SVE_SIG_FFR_OFFSET(vq) - SVE_SIG_REGS_OFFSET`, the
    /// kernel's `sve_ffr_offset(vl)`), right after P15.
    pub const fn ffr_offset(self) -> usize {
        self.pregs_offset() + self.pregs_size()
    }

    /// Size of the whole state (`SVE_SIG_REGS_SIZE(vq)`, the kernel's
    /// `vcpu_sve_state_size()`): what finalization allocates.
    pub const fn regs_size(self) -> usize {
        self.ffr_offset() + self.ffr_size()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `vq` as a [`Vq`], for tests' constants (VQ 1 when out of range).
    pub(crate) const fn vq(n: u32) -> Vq {
        match Vq::new(n) {
            Some(v) => v,
            None => Vq::MIN,
        }
    }

    #[test]
    fn constants() {
        assert_eq!(SVE_VL_MIN, 16);
        assert_eq!(SVE_VL_MAX, 8192);
        assert_eq!(Vq::ARCH_MAX.get(), 16);
        assert_eq!(Vq::MIN.get(), 1);
        assert_eq!(Vq::MAX.get(), 512);
    }

    #[test]
    fn vq_range() {
        assert_eq!(Vq::new(0), None);
        assert_eq!(Vq::new(1), Some(Vq::MIN));
        assert_eq!(Vq::new(512), Some(Vq::MAX));
        assert_eq!(Vq::new(513), None);
        assert_eq!(Vq::new(u32::MAX), None);
    }

    #[test]
    fn vl_conversions() {
        assert!(!sve_vl_valid(0));
        assert!(!sve_vl_valid(8));
        assert!(sve_vl_valid(16));
        assert!(!sve_vl_valid(17));
        assert!(sve_vl_valid(256));
        assert!(sve_vl_valid(8192));
        assert!(!sve_vl_valid(8208));
        assert_eq!(sve_vq_from_vl(256), 16);
        assert_eq!(Vq::from_vl(256).map(Vq::get), Some(16));
        assert_eq!(Vq::from_vl(24), None);
        assert_eq!(Vq::from_vl(0), None);
        let mut vq = 1;
        while vq <= SVE_VQ_MAX {
            let v = Vq::new(vq).unwrap();
            assert_eq!(Vq::from_vl(v.vl()), Some(v));
            vq += 1;
        }
    }

    #[test]
    fn vq1_layout() {
        let l = Vq::MIN.layout();
        assert_eq!(l.zreg_size(), 16);
        assert_eq!(l.preg_size(), 2);
        assert_eq!(l.zreg_offset(31), Some(31 * 16));
        assert_eq!(l.zreg_offset(32), None);
        assert_eq!(l.pregs_offset(), 512);
        assert_eq!(l.preg_offset(15), Some(512 + 30));
        assert_eq!(l.preg_offset(16), None);
        assert_eq!(l.ffr_offset(), 544);
        assert_eq!(l.regs_size(), 546);
    }

    #[test]
    fn vq16_and_vq512_layout() {
        let l = Vq::ARCH_MAX.layout();
        assert_eq!(l.zreg_size(), 256);
        assert_eq!(l.ffr_offset(), 32 * 256 + 16 * 32);
        assert_eq!(l.regs_size(), 32 * 256 + 17 * 32);
        let l = Vq::MAX.layout();
        assert_eq!(l.regs_size(), 32 * 8192 + 17 * 1024);
        assert_eq!(l.regs_size(), 279_552);
    }

    #[test]
    fn layout_is_contiguous() {
        let mut vq = 1;
        while vq <= SVE_VQ_MAX {
            let l = Vq::new(vq).unwrap().layout();
            let mut end = 0;
            for n in 0..SVE_NUM_ZREGS {
                assert_eq!(l.zreg_offset(n), Some(end));
                end += l.zreg_size();
            }
            assert_eq!(end, l.pregs_offset());
            for n in 0..SVE_NUM_PREGS {
                assert_eq!(l.preg_offset(n), Some(end));
                end += l.preg_size();
            }
            assert_eq!(end, l.ffr_offset());
            assert_eq!(end + l.ffr_size(), l.regs_size());
            vq += 1;
        }
    }
}
