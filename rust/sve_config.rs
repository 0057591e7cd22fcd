// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The decisions of SVE vCPU configuration ([`arch/arm64/kvm/sve.c`]),
//! without the kernel: the guests' maximum vector length at KVM's
//! initialisation, the check finalization makes before it allocates, and
//! where `sve_state` is placed.
//!
//! `core` only, so that `cargo test` runs it on the build machine; the
//! kernel side is `sve_vcpu.rs`.
//!
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c

use crate::sve_layout::{sve_vl_valid, VL_ARCH_MAX};

/// What `kvm_arm_init_sve()` decides from the host's vector lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuestMaxVl {
    /// `kvm_sve_max_vl`: the largest vector length, in bytes, a guest may
    /// be given.
    pub vl: u32,
    /// The largest virtualisable vector length was beyond
    /// [`VL_ARCH_MAX`], which the ioctl interface (one slice per register)
    /// cannot carry: clamped, and the C `WARN`s.
    pub clamped: bool,
    /// Guests get less than the host's largest vector length (some vector
    /// lengths are not available on every CPU): the C prints a warning.
    pub limited: bool,
}

impl GuestMaxVl {
    /// From `sve_max_virtualisable_vl()` and `sve_max_vl()`.
    pub const fn new(max_virtualisable_vl: u32, host_max_vl: u32) -> Self {
        let clamped = max_virtualisable_vl > VL_ARCH_MAX;
        let vl = if clamped {
            VL_ARCH_MAX
        } else {
            max_virtualisable_vl
        };
        GuestMaxVl {
            vl,
            clamped,
            limited: vl < host_max_vl,
        }
    }
}

/// Whether a vCPU's `sve_max_vl` may be finalized: a valid vector length
/// no longer than the largest virtualisable one and [`VL_ARCH_MAX`].
/// `kvm_arm_init_sve()`, `KVM_ARM_VCPU_INIT` and `KVM_REG_ARM64_SVE_VLS`
/// each ensure it; finalization checks again before sizing the allocation
/// from it (the C `WARN`s and answers `EIO` otherwise).
pub const fn finalizable_vl(vl: u32, max_virtualisable_vl: u32) -> bool {
    sve_vl_valid(vl) && vl <= max_virtualisable_vl && vl <= VL_ARCH_MAX
}

/// Where a vCPU's `sve_state` lives.
///
/// The C takes `kzalloc()` whatever the size. A slab allocation above
/// `KMALLOC_MAX_CACHE_SIZE` is a whole power-of-two block of pages, so at
/// 2048 bits (8736 bytes) it takes 16 KiB; `alloc_pages_exact()` takes the
/// 3 pages it needs. Where the page-exact size is not smaller, the slab is
/// used, as in the C. Allocation decides with
/// [`SveStatePlacement::for_size`]; finalization records the result in the
/// vCPU (`vcpu->arch.fp_rust`) and freeing uses that record, so the state
/// is always freed the way it was allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SveStatePlacement {
    /// `kzalloc()`, freed with `kfree()`; takes the slab's bucket.
    Slab {
        /// `kmalloc_size_roundup(size)`.
        bytes: usize,
    },
    /// `alloc_pages_exact()`, freed with `free_pages_exact()`.
    Pages {
        /// `PAGE_ALIGN(size)`.
        bytes: usize,
    },
}

impl SveStatePlacement {
    /// The placement of `size` bytes, given what the slab would take for
    /// them (`kmalloc_size_roundup(size)`) and the page size.
    pub const fn for_size(size: usize, slab_bytes: usize, page_size: usize) -> Self {
        let pages = size.div_ceil(page_size) * page_size;
        if pages < slab_bytes {
            SveStatePlacement::Pages { bytes: pages }
        } else {
            SveStatePlacement::Slab { bytes: slab_bytes }
        }
    }

    /// The bytes the allocation takes.
    pub const fn bytes(self) -> usize {
        match self {
            SveStatePlacement::Slab { bytes } | SveStatePlacement::Pages { bytes } => bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sve_layout::Vq;

    #[test]
    fn guest_max_vl() {
        // A 2048-bit host, every length virtualisable.
        assert_eq!(
            GuestMaxVl::new(256, 256),
            GuestMaxVl {
                vl: 256,
                clamped: false,
                limited: false
            }
        );
        // Some CPUs lack the largest length.
        assert_eq!(
            GuestMaxVl::new(64, 256),
            GuestMaxVl {
                vl: 64,
                clamped: false,
                limited: true
            }
        );
        // Beyond what one register slice carries.
        assert_eq!(
            GuestMaxVl::new(512, 512),
            GuestMaxVl {
                vl: 256,
                clamped: true,
                limited: true
            }
        );
    }

    #[test]
    fn finalizable() {
        assert!(finalizable_vl(16, 16));
        assert!(finalizable_vl(256, 256));
        assert!(!finalizable_vl(0, 256));
        assert!(!finalizable_vl(24, 256));
        assert!(!finalizable_vl(32, 16));
        assert!(!finalizable_vl(512, 8192));
    }

    /// What SLUB with 4 KiB pages gives `kmalloc_size_roundup()`: the
    /// power-of-two caches up to 8 KiB (96 and 192 aside, not reached
    /// here), the page allocator's power-of-two blocks beyond.
    fn slub_roundup(size: usize) -> usize {
        size.next_power_of_two().max(8)
    }

    #[test]
    fn placement_every_vq() {
        for vq in 1..=16 {
            let size = Vq::new(vq).unwrap().layout().regs_size();
            let p = SveStatePlacement::for_size(size, slub_roundup(size), 4096);
            assert!(p.bytes() >= size);
            assert!(p.bytes() <= slub_roundup(size));
            // Only 2048 bits gains from whole pages with 4 KiB pages.
            if vq == 16 {
                assert_eq!(p, SveStatePlacement::Pages { bytes: 12288 });
            } else {
                assert!(matches!(p, SveStatePlacement::Slab { .. }));
            }
        }
    }

    #[test]
    fn placement_large_pages() {
        // With 64 KiB pages, the slab is never worse.
        let size = Vq::new(16).unwrap().layout().regs_size();
        assert_eq!(
            SveStatePlacement::for_size(size, 16384, 65536),
            SveStatePlacement::Slab { bytes: 16384 }
        );
    }
}
