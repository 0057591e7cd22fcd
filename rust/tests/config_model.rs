// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Property tests of `sve_config` and `sve_sysreg` against models written
//! from the 6.12 C, not from the Rust (`patches/0011` moves the SVE parts
//! into `arch/arm64/kvm/sve.c`, with no functional change):
//!
//! - `kvm_arm_init_sve()` and the check in `kvm_vcpu_finalize_sve()`
//!   (`arch/arm64/kvm/reset.c` in 6.12, `sve.c` in the series), with
//!   `sve_vl_valid()` as `arch/arm64/include/asm/fpsimd.h` writes it;
//! - SLUB's `kmalloc_size_roundup()` (`mm/slab_common.c`: the
//!   `kmalloc_size_index[]` caches up to `KMALLOC_MAX_CACHE_SIZE`, two
//!   pages; beyond, the page allocator's `PAGE_SIZE << get_order(size)`),
//!   and `alloc_pages_exact()` (`PAGE_ALIGN(size)`), for where `sve_state`
//!   is placed: whole pages only where they take less;
//! - `sve_visibility()`, `id_visibility()` and
//!   `read_sanitised_id_aa64pfr0_el1()` (`arch/arm64/kvm/sys_regs.c`; in
//!   the series they ask `kvm_arm_sve_sysreg_visibility()` and
//!   `kvm_arm_sve_sanitise_id_aa64pfr0()` of `sve.c`), with the encodings
//!   of `arch/arm64/tools/sysreg`.

// The C is transcribed as written, `%` included.
#![allow(
    unknown_lints,
    clippy::manual_is_multiple_of,
    clippy::manual_range_contains
)]

use kvm_fp_logic::sve_config::{finalizable_vl, GuestMaxVl, SveStatePlacement};
use kvm_fp_logic::sve_layout::Vq;
use kvm_fp_logic::sve_sysreg::{self, Visibility};
use proptest::prelude::*;

fn cfg(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const VL_ARCH_MAX: u32 = 0x100;

/// `sve_vl_valid()`.
fn c_sve_vl_valid(vl: u32) -> bool {
    vl % 16 == 0 && vl >= 16 && vl <= 16 * 512
}

/// `kvm_arm_init_sve()` on a host with SVE: (kvm_sve_max_vl, WARN, pr_warn).
fn c_init_sve(virtualisable: u32, host_max: u32) -> (u32, bool, bool) {
    let mut kvm_sve_max_vl = virtualisable;
    let warned = kvm_sve_max_vl > VL_ARCH_MAX;
    if warned {
        kvm_sve_max_vl = VL_ARCH_MAX;
    }
    (kvm_sve_max_vl, warned, kvm_sve_max_vl < host_max)
}

/// The `WARN_ON()` condition of `kvm_vcpu_finalize_sve()`, negated.
fn c_finalize_ok(vl: u32, virtualisable: u32) -> bool {
    !(!c_sve_vl_valid(vl) || vl > virtualisable || vl > VL_ARCH_MAX)
}

/// `get_order(size)`.
fn get_order(size: usize, page: usize) -> u32 {
    let mut order = 0;
    while (page << order) < size {
        order += 1;
    }
    order
}

/// SLUB's `kmalloc_size_roundup()` with its default caches (no 96/192
/// below 256 bytes matter here: the state is at least 546 bytes).
fn c_kmalloc_size_roundup(size: usize, page: usize) -> usize {
    let max_cache = 2 * page;
    if size > max_cache {
        return page << get_order(size, page);
    }
    let mut s = 8;
    while s < size {
        s *= 2;
    }
    s
}

/// `PAGE_ALIGN(size)`.
fn page_align(size: usize, page: usize) -> usize {
    (size + page - 1) & !(page - 1)
}

fn page_size() -> impl Strategy<Value = usize> {
    prop_oneof![Just(4096usize), Just(16384), Just(65536)]
}

fn vl_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        (1u32..=512).prop_map(|vq| vq * 16),
        0u32..9000,
        any::<u32>()
    ]
}

/// `sys_reg()` of `arch/arm64/include/asm/sysreg.h`, with its shifts.
fn c_sys_reg(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32) -> u32 {
    (op0 << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5)
}

const REG_HIDDEN: u32 = 1 << 0;
const REG_RAZ: u32 = 1 << 1;

/// The visibility handlers of the three registers in the 6.12 table;
/// `None` for registers whose handler is not the FP code's.
fn c_visibility(enc: u32, has_sve: bool) -> Option<u32> {
    let zcr_el1 = c_sys_reg(3, 0, 1, 2, 0);
    let zcr_el2 = c_sys_reg(3, 4, 1, 2, 0);
    let zfr0 = c_sys_reg(3, 0, 0, 4, 4);
    if enc == zcr_el1 || enc == zcr_el2 {
        // sve_visibility()
        Some(if has_sve { 0 } else { REG_HIDDEN })
    } else if enc == zfr0 {
        // id_visibility()
        Some(if has_sve { 0 } else { REG_RAZ })
    } else {
        None
    }
}

fn flags(v: Visibility) -> u32 {
    match v {
        Visibility::Visible => 0,
        Visibility::Hidden => REG_HIDDEN,
        Visibility::Raz => REG_RAZ,
    }
}

proptest! {
    #![proptest_config(cfg(10000))]

    /// The guests' maximum vector length, the clamp and both warnings.
    #[test]
    fn prop_init_sve_matches_c(virt in vl_strategy(), host in vl_strategy()) {
        let (vl, warned, limited) = c_init_sve(virt, host);
        prop_assert_eq!(GuestMaxVl::new(virt, host), GuestMaxVl { vl, clamped: warned, limited });
    }

    /// Which vector lengths finalization accepts.
    #[test]
    fn prop_finalizable_matches_c(vl in vl_strategy(), virt in vl_strategy()) {
        prop_assert_eq!(finalizable_vl(vl, virt), c_finalize_ok(vl, virt));
    }

    /// Where `sve_state` goes: never more than the C's `kzalloc()` takes,
    /// always enough, whole pages exactly when they take less.
    #[test]
    fn prop_placement(size in 1usize..(1 << 20), page in page_size()) {
        let slab = c_kmalloc_size_roundup(size, page);
        let pages = page_align(size, page);
        let p = SveStatePlacement::for_size(size, slab, page);
        prop_assert!(p.bytes() >= size);
        prop_assert_eq!(p.bytes(), slab.min(pages));
        prop_assert_eq!(matches!(p, SveStatePlacement::Pages { .. }), pages < slab);
    }

    /// Every register encoding, with and without SVE.
    #[test]
    fn prop_visibility_matches_c(
        op0 in 0u32..4, op1 in 0u32..8, crn in 0u32..16, crm in 0u32..16, op2 in 0u32..8,
        has_sve in any::<bool>(),
    ) {
        let enc = c_sys_reg(op0, op1, crn, crm, op2);
        let got = flags(sve_sysreg::visibility(enc, has_sve));
        // The sys_regs table asks only about the three registers above;
        // any other encoding is one this code does not know, and is never
        // made visible by it.
        prop_assert_eq!(got, c_visibility(enc, has_sve).unwrap_or(REG_HIDDEN));
    }

    /// The SVE field of `ID_AA64PFR0_EL1` at reset, every other bit kept.
    #[test]
    fn prop_pfr0_matches_c(val in any::<u64>(), has_sve in any::<bool>()) {
        let want = if has_sve { val } else { val & !(0xfu64 << 32) };
        prop_assert_eq!(sve_sysreg::sanitise_id_aa64pfr0(val, has_sve), want);
    }
}

/// The placement at every vector length the ioctls allow, with 4 KiB
/// pages: only VQ 16 moves to whole pages, saving 4 KiB.
#[test]
fn placement_per_vq() {
    for vq in 1..=16 {
        let size = Vq::new(vq).unwrap().layout().regs_size();
        let slab = c_kmalloc_size_roundup(size, 4096);
        let p = SveStatePlacement::for_size(size, slab, 4096);
        let want = if vq == 16 { 12288 } else { slab };
        assert_eq!(p.bytes(), want, "vq {vq}");
    }
}
