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
    /// Argument list too long: a `KVM_GET_REG_LIST` buffer too small.
    E2BIG = 7,
    /// Exec format error: the vCPU has not been through `KVM_ARM_VCPU_INIT`.
    ENOEXEC = 8,
    /// Out of memory.
    ENOMEM = 12,
    /// Bad address: a user pointer that cannot be read or written.
    EFAULT = 14,
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

    /// Decodes a positive error number; `None` for one outside the enum.
    pub const fn from_errno(errno: i32) -> Option<Self> {
        match errno {
            1 => Some(Self::EPERM),
            2 => Some(Self::ENOENT),
            5 => Some(Self::EIO),
            7 => Some(Self::E2BIG),
            8 => Some(Self::ENOEXEC),
            12 => Some(Self::ENOMEM),
            14 => Some(Self::EFAULT),
            22 => Some(Self::EINVAL),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Errno;

    const ALL: [Errno; 8] = [
        Errno::EPERM,
        Errno::ENOENT,
        Errno::EIO,
        Errno::E2BIG,
        Errno::ENOEXEC,
        Errno::ENOMEM,
        Errno::EFAULT,
        Errno::EINVAL,
    ];

    #[test]
    fn linux_values() {
        assert_eq!(Errno::EPERM.to_errno(), 1);
        assert_eq!(Errno::ENOENT.to_errno(), 2);
        assert_eq!(Errno::EIO.to_errno(), 5);
        assert_eq!(Errno::E2BIG.to_errno(), 7);
        assert_eq!(Errno::ENOEXEC.to_errno(), 8);
        assert_eq!(Errno::ENOMEM.to_errno(), 12);
        assert_eq!(Errno::EFAULT.to_errno(), 14);
        assert_eq!(Errno::EINVAL.to_errno(), 22);
        assert_eq!(Errno::EINVAL.to_neg(), -22);
    }

    #[test]
    fn round_trip() {
        for e in ALL {
            assert_eq!(Errno::from_errno(e.to_errno()), Some(e));
        }
        for raw in [-1, 0, 3, 4, 6, 9, 13, 23, i32::MAX, i32::MIN] {
            assert_eq!(Errno::from_errno(raw), None);
        }
    }
}
