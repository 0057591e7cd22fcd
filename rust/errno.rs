// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The Linux error numbers that the pure SVE logic returns.
//!
//! Pure logic: no kernel dependency. The modules `sve_layout`, `sve_vls`,
//! `sve_reg` and `sve_seq` return [`Errno`] where the C they mirror returns
//! a negative errno, so that the kernel side can turn it into a
//! `kernel::error::Error` (`Error::from_errno(errno.to_neg())`) and hand
//! userspace exactly the value the C implementation gives
//! (`Documentation/virt/kvm/api.rst`). The values are those of
//! `include/uapi/asm-generic/errno-base.h`; the kernel build checks them
//! against `bindings::E*`.

/// A Linux error number, as the positive value of `include/uapi/asm-generic/errno-base.h`.
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Errno {
    /// Operation not permitted: too early or too late in the vCPU
    /// configuration sequence.
    EPERM = 1,
    /// No such file or directory: a register the vCPU does not have.
    ENOENT = 2,
    /// I/O error: an internal inconsistency (a `WARN_ON` in the C).
    EIO = 5,
    /// Exec format error: the vCPU has not been through `KVM_ARM_VCPU_INIT`.
    ENOEXEC = 8,
    /// Invalid argument: a malformed register ID or value, an unknown
    /// feature.
    EINVAL = 22,
}

impl Errno {
    /// The positive error number (`EPERM` is 1).
    pub const fn to_errno(self) -> i32 {
        self as i32
    }

    /// The negative value a kernel function returns (`-EPERM` is -1).
    pub const fn to_neg(self) -> i32 {
        -(self as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::Errno;

    #[test]
    fn linux_values() {
        assert_eq!(Errno::EPERM.to_errno(), 1);
        assert_eq!(Errno::ENOENT.to_errno(), 2);
        assert_eq!(Errno::EIO.to_errno(), 5);
        assert_eq!(Errno::ENOEXEC.to_errno(), 8);
        assert_eq!(Errno::EINVAL.to_errno(), 22);
        assert_eq!(Errno::EINVAL.to_neg(), -22);
    }
}
