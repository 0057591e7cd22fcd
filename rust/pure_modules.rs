// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

// The pure modules of the KVM arm64 FP/SIMD/SVE component: `core` only, no
// kernel dependency. One list for both crates that build them: the kernel
// crate `kvm_fp_rust` (kvm_fp_rust.rs) declares them `pub(crate)`, so that
// the compiler reports any item the kernel never uses, and the host crate
// (lib.rs) declares them `pub` for `cargo test` and the models in tests/.
//
// Included with `include!` into each crate root; `$vis` is the visibility,
// and the attributes before it are put on every module.
macro_rules! pure_modules {
    ($(#[$attr:meta])* $vis:vis) => {
        $(#[$attr])* $vis mod errno;
        $(#[$attr])* $vis mod owner;
        $(#[$attr])* $vis mod sve_config;
        $(#[$attr])* $vis mod sve_layout;
        $(#[$attr])* $vis mod sve_reg;
        $(#[$attr])* $vis mod sve_seq;
        $(#[$attr])* $vis mod sve_sysreg;
        $(#[$attr])* $vis mod sve_vls;
    };
}
