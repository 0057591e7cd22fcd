// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The `KVM_REG_ARM64_SVE_VLS` pseudo-register: the set of vector lengths a
//! vCPU offers its guest.
//!
//! Pure logic: no kernel dependency. The value is
//! `__u64[KVM_ARM64_SVE_VLS_WORDS]`, bit `(vq - 1) % 64` of word
//! `(vq - 1) / 64` set when vector length `vq` quadwords is enabled
//! ([`Documentation/virt/kvm/api.rst`], `KVM_REG_ARM64_SVE_VLS`). This
//! module encodes it as `get_sve_vls()` does and decodes and validates a
//! write as `set_sve_vls()` does, in [`arch/arm64/kvm/sve.c`], check for
//! check and in the same order, so the same errno wins when several apply.
//!
//! The hardware cannot hide a vector length from a guest individually: KVM
//! can only cap it with `ZCR_EL2.LEN`. So the only sets a vCPU can have are
//! "every VL the host has, up to a maximum", and a write must name exactly
//! such a set. Only the maximum is stored (`vcpu->arch.sve_max_vl`); a read
//! rebuilds the set from it and the host's `vq_map`. The host's set is a
//! parameter here ([`HostSve`]), not a global, so the tests can vary it.
//!
//! Which vCPU states allow a read or a write (`ENOENT` without SVE, `EPERM`
//! after finalization) is decided by `sve_seq`; the checks here are those
//! on the value, made after it has been copied from userspace.
//!
//! [`Documentation/virt/kvm/api.rst`]: srctree/Documentation/virt/kvm/api.rst
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c

use crate::errno::Errno;
use crate::sve_layout::{sve_vl_valid, sve_vq_from_vl, Vq, SVE_VQ_MAX, SVE_VQ_MIN};

/// Number of `u64` words in the `KVM_REG_ARM64_SVE_VLS` value
/// (`KVM_ARM64_SVE_VLS_WORDS`): one bit per vector length from
/// `SVE_VQ_MIN` to `SVE_VQ_MAX`.
pub const KVM_ARM64_SVE_VLS_WORDS: usize = ((SVE_VQ_MAX - SVE_VQ_MIN) / 64 + 1) as usize;

/// The `KVM_REG_ARM64_SVE_VLS` value as userspace reads and writes it.
pub type VlsWords = [u64; KVM_ARM64_SVE_VLS_WORDS];

/// Word of the `KVM_REG_ARM64_SVE_VLS` value holding `vq` (`vq_word()`).
const fn vq_word(vq: Vq) -> usize {
    ((vq.get() - SVE_VQ_MIN) / 64) as usize
}

/// Bit of that word for `vq` (`vq_mask()`).
const fn vq_mask(vq: Vq) -> u64 {
    1u64 << ((vq.get() - SVE_VQ_MIN) % 64)
}

/// A set of vector lengths, `SVE_VQ_MIN` to `SVE_VQ_MAX` quadwords.
///
/// Stored in the `KVM_REG_ARM64_SVE_VLS` order (bit `vq - 1`). The kernel's
/// own bitmaps (`vl_info[ARM64_VEC_SVE].vq_map`) store `vq` at bit
/// `SVE_VQ_MAX - vq` (`__vq_to_bit()` in `asm/fpsimd.h`), so that
/// `find_next_bit()` finds the largest VQ first;
/// [`VqSet::from_kernel_vq_map`] converts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VqSet {
    words: VlsWords,
}

impl VqSet {
    /// The empty set.
    pub const EMPTY: VqSet = VqSet {
        words: [0; KVM_ARM64_SVE_VLS_WORDS],
    };

    /// The set a `KVM_REG_ARM64_SVE_VLS` value names: every bit counts.
    pub const fn from_vls_words(words: VlsWords) -> Self {
        Self { words }
    }

    /// The set as a `KVM_REG_ARM64_SVE_VLS` value.
    pub const fn to_vls_words(self) -> VlsWords {
        self.words
    }

    /// The set of a kernel `DECLARE_BITMAP(map, SVE_VQ_MAX)` whose bit
    /// `SVE_VQ_MAX - vq` stands for `vq` (`vl_info[].vq_map`,
    /// `sve_vq_available()`); `unsigned long` is 64 bits on arm64.
    pub const fn from_kernel_vq_map(map: &VlsWords) -> Self {
        let mut set = Self::EMPTY;
        let mut vq = SVE_VQ_MIN;
        while vq <= SVE_VQ_MAX {
            let bit = (SVE_VQ_MAX - vq) as usize;
            if map[bit / 64] & (1u64 << (bit % 64)) != 0 {
                if let Some(v) = Vq::new(vq) {
                    set = set.with(v);
                }
            }
            vq += 1;
        }
        set
    }

    /// This set with `vq` added.
    pub const fn with(self, vq: Vq) -> Self {
        let mut words = self.words;
        words[vq_word(vq)] |= vq_mask(vq);
        Self { words }
    }

    /// Whether `vq` is in the set (`vq_present()`, `sve_vq_available()`);
    /// `false` for a `vq` outside `SVE_VQ_MIN..=SVE_VQ_MAX`.
    pub const fn contains(&self, vq: u32) -> bool {
        match Vq::new(vq) {
            Some(v) => self.words[vq_word(v)] & vq_mask(v) != 0,
            None => false,
        }
    }

    /// The largest vector length in the set; `None` if it is empty.
    pub const fn max(&self) -> Option<Vq> {
        let mut vq = SVE_VQ_MAX;
        while vq >= SVE_VQ_MIN {
            if self.contains(vq) {
                return Vq::new(vq);
            }
            vq -= 1;
        }
        None
    }
}

/// What KVM knows about the host's SVE vector lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostSve {
    vqs: VqSet,
    kvm_sve_max_vl: u32,
}

impl HostSve {
    /// From the vector lengths every CPU supports
    /// (`vl_info[ARM64_VEC_SVE].vq_map`, as tested by `sve_vq_available()`)
    /// and the largest one KVM gives a guest (`kvm_sve_max_vl`, see
    /// [`GuestMaxVl`](crate::sve_config::GuestMaxVl)).
    pub const fn new(vqs: VqSet, kvm_sve_max_vl: u32) -> Self {
        Self {
            vqs,
            kvm_sve_max_vl,
        }
    }

    /// The vector lengths every CPU supports.
    pub const fn vqs(&self) -> VqSet {
        self.vqs
    }
}

/// The value a read of `KVM_REG_ARM64_SVE_VLS` returns (`get_sve_vls()`):
/// every vector length the host has, up to the vCPU's maximum
/// `sve_max_vl` (bytes).
///
/// `EINVAL` if `sve_max_vl` is not a valid vector length (a `WARN_ON` in the
/// C: `KVM_ARM_VCPU_INIT` and a successful write only ever store valid
/// ones).
pub const fn get_sve_vls(host_vqs: &VqSet, sve_max_vl: u32) -> Result<VlsWords, Errno> {
    if !sve_vl_valid(sve_max_vl) {
        return Err(Errno::EINVAL);
    }
    let max_vq = sve_vq_from_vl(sve_max_vl);
    let mut vqs = VqSet::EMPTY;
    let mut vq = SVE_VQ_MIN;
    while vq <= max_vq {
        if host_vqs.contains(vq) {
            if let Some(v) = Vq::new(vq) {
                vqs = vqs.with(v);
            }
        }
        vq += 1;
    }
    Ok(vqs.to_vls_words())
}

/// Validates a value written to `KVM_REG_ARM64_SVE_VLS` (`set_sve_vls()`,
/// after the state checks and the copy from userspace) and returns the
/// vCPU's new maximum vector length (`sve_max_vl = vq.vl()`).
///
/// The checks, in the C order, all `EINVAL`:
///
/// 1. The requested maximum, the highest bit set in any of the eight
///    words (`SVE_VQ_MIN..=SVE_VQ_MAX`), must not exceed
///    `sve_vq_from_vl(kvm_sve_max_vl)`.
/// 2. For every `vq` from `SVE_VQ_MIN` to that maximum, the bit must equal
///    `sve_vq_available(vq)`: no VL the host lacks, none it has left out.
///    Bits above the maximum are clear by definition of the maximum.
/// 3. At least one bit must be set.
pub const fn set_sve_vls(vqs: &VlsWords, host: &HostSve) -> Result<Vq, Errno> {
    let requested = VqSet::from_vls_words(*vqs);

    // max_vq = 0; for (vq = SVE_VQ_MIN; vq <= SVE_VQ_MAX; ++vq) ...
    let max_vq = match requested.max() {
        Some(v) => v.get(),
        None => 0,
    };

    if max_vq > sve_vq_from_vl(host.kvm_sve_max_vl) {
        return Err(Errno::EINVAL);
    }

    let mut vq = SVE_VQ_MIN;
    while vq <= max_vq {
        if requested.contains(vq) != host.vqs.contains(vq) {
            return Err(Errno::EINVAL);
        }
        vq += 1;
    }

    // Can't run with no vector lengths at all.
    match Vq::new(max_vq) {
        Some(v) => Ok(v),
        None => Err(Errno::EINVAL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sve_layout::tests::vq;

    /// A host with VQs 1, 2, 4 and 8 (VL 128, 256, 512, 1024 bits).
    fn pow2_host() -> HostSve {
        let set = VqSet::EMPTY.with(vq(1)).with(vq(2)).with(vq(4)).with(vq(8));
        HostSve::new(set, 128)
    }

    #[test]
    fn words() {
        assert_eq!(KVM_ARM64_SVE_VLS_WORDS, 8);
        let s = VqSet::EMPTY
            .with(vq(1))
            .with(vq(64))
            .with(vq(65))
            .with(vq(512));
        let w = s.to_vls_words();
        assert_eq!(w[0], 1 | 1 << 63);
        assert_eq!(w[1], 1);
        assert_eq!(w[7], 1 << 63);
        assert_eq!(VqSet::from_vls_words(w), s);
        assert!(s.contains(64) && !s.contains(63) && !s.contains(0) && !s.contains(513));
        assert_eq!(s.max(), Some(Vq::MAX));
        assert_eq!(VqSet::EMPTY.max(), None);
    }

    #[test]
    fn kernel_vq_map_is_reversed() {
        // __vq_to_bit(vq) = SVE_VQ_MAX - vq
        // vq 1 -> bit 511, vq 16 -> bit 496, vq 512 -> bit 0.
        let mut map = [0; 8];
        map[7] = 1 << 63 | 1 << (496 - 448);
        map[0] = 1;
        let s = VqSet::EMPTY.with(vq(1)).with(vq(512)).with(vq(16));
        assert_eq!(VqSet::from_kernel_vq_map(&map), s);
    }

    #[test]
    fn read_lists_host_vls_up_to_max() {
        let h = pow2_host();
        let w = get_sve_vls(&h.vqs(), 128).unwrap();
        assert_eq!(w[0], 0b1000_1011);
        assert_eq!(&w[1..], &[0; 7]);
        let w = get_sve_vls(&h.vqs(), 48).unwrap();
        assert_eq!(w[0], 0b11);
        assert_eq!(get_sve_vls(&h.vqs(), 0), Err(Errno::EINVAL));
        assert_eq!(get_sve_vls(&h.vqs(), 24), Err(Errno::EINVAL));
    }

    #[test]
    fn write_accepts_host_prefixes() {
        let h = pow2_host();
        for (bits, max) in [(0b1u64, 1), (0b11, 2), (0b1011, 4), (0b1000_1011, 8)] {
            let mut w = [0; 8];
            w[0] = bits;
            assert_eq!(set_sve_vls(&w, &h), Ok(vq(max)));
        }
    }

    #[test]
    fn write_rejects() {
        let h = pow2_host();
        let one = |bits: u64| {
            let mut w = [0; 8];
            w[0] = bits;
            w
        };
        // Nothing set.
        assert_eq!(set_sve_vls(&[0; 8], &h), Err(Errno::EINVAL));
        // Above kvm_sve_max_vl, even if the host has it.
        let mut w = one(0b1000_1011);
        w[7] = 1 << 63;
        assert_eq!(set_sve_vls(&w, &h), Err(Errno::EINVAL));
        // A VL the host lacks.
        assert_eq!(set_sve_vls(&one(0b111), &h), Err(Errno::EINVAL));
        // A VL the host has, below the maximum, left out.
        assert_eq!(set_sve_vls(&one(0b1010), &h), Err(Errno::EINVAL));
        // A maximum the host lacks.
        assert_eq!(set_sve_vls(&one(0b100_1011), &h), Err(Errno::EINVAL));
    }

    #[test]
    fn host_without_sve() {
        let h = HostSve::new(VqSet::EMPTY, 0);
        assert_eq!(
            set_sve_vls(&[1, 0, 0, 0, 0, 0, 0, 0], &h),
            Err(Errno::EINVAL)
        );
        assert_eq!(set_sve_vls(&[0; 8], &h), Err(Errno::EINVAL));
    }

    #[test]
    fn read_then_write_round_trips() {
        let every = (1..=16).fold(VqSet::EMPTY, |set, n| set.with(vq(n)));
        let h = HostSve::new(every, 256);
        for max in 1..=16 {
            let w = get_sve_vls(&h.vqs(), max * 16).unwrap();
            assert_eq!(set_sve_vls(&w, &h), Ok(vq(max)));
        }
    }
}
