// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Host build of the pure logic of the KVM arm64 FP/SIMD/SVE component.
//!
//! Each module here is also a module of the kernel crate `kvm_fp_rust`
//! (`kvm_fp_rust.rs`); this crate exists so that `cargo test` can run their
//! tests on the build machine.

#![no_std]

pub mod errno;
pub mod owner;
pub mod sve_config;
pub mod sve_layout;
pub mod sve_reg;
pub mod sve_seq;
pub mod sve_sysreg;
pub mod sve_vls;
