// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Host build of the pure logic of the KVM arm64 FP/SIMD/SVE component.
//!
//! Each module here is also a module of the kernel crate `kvm_fp_rust`
//! (`kvm_fp_rust.rs`); this crate exists so that `cargo test` can run their
//! tests on the build machine.

#![no_std]

include!("pure_modules.rs");
pure_modules!(pub);
