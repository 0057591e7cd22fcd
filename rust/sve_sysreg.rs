// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The FP/SVE system registers a vCPU sees ([`arch/arm64/kvm/sve.c`], which
//! the sys_regs table of [`arch/arm64/kvm/sys_regs.c`] asks): which exist
//! for it, and the SVE field of its ID registers.
//!
//! The ID registers are stored per VM (`kvm->arch.id_regs`, written
//! through any vCPU before the VM first runs); what a vCPU sees of the SVE
//! ones depends on whether *it* has SVE (`KVM_ARM_VCPU_INIT` with
//! `KVM_ARM_VCPU_SVE`):
//!
//! - `ZCR_EL1`, `ZCR_EL2`: visible to a vCPU with SVE; hidden from one
//!   without (not listed, `ENOENT` from userspace, `UNDEF` in the guest);
//! - `ID_AA64ZFR0_EL1`: the VM's value for a vCPU with SVE; zero for one
//!   without, from userspace and the guest;
//! - `ID_AA64PFR0_EL1.SVE`: the host's (sanitised) value for a vCPU with
//!   SVE; 0 for one without.
//!
//! `core` only, so that `cargo test` runs it on the build machine; the
//! sys_regs table calls it through `kvm_arm_sve_sysreg_visibility()` and
//! `kvm_arm_sve_sanitise_id_aa64pfr0()`.
//!
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c
//! [`arch/arm64/kvm/sys_regs.c`]: srctree/arch/arm64/kvm/sys_regs.c

/// `sys_reg(op0, op1, crn, crm, op2)`: a system register's encoding as
/// the sys_regs table keys it.
pub const fn sys_reg(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32) -> u32 {
    (op0 << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5)
}

/// `SYS_ZCR_EL1`: the guest's SVE vector length control.
pub const SYS_ZCR_EL1: u32 = sys_reg(3, 0, 1, 2, 0);
/// `SYS_ZCR_EL2`: the same for a guest hypervisor (nested virtualisation).
pub const SYS_ZCR_EL2: u32 = sys_reg(3, 4, 1, 2, 0);
/// `SYS_ID_AA64PFR0_EL1`: processor features, with the SVE field.
pub const SYS_ID_AA64PFR0_EL1: u32 = sys_reg(3, 0, 0, 4, 0);
/// `SYS_ID_AA64ZFR0_EL1`: the SVE features.
pub const SYS_ID_AA64ZFR0_EL1: u32 = sys_reg(3, 0, 0, 4, 4);

/// `ID_AA64PFR0_EL1_SVE_SHIFT`.
pub const ID_AA64PFR0_EL1_SVE_SHIFT: u32 = 32;
/// `ID_AA64PFR0_EL1_SVE_MASK`: bits 35:32.
pub const ID_AA64PFR0_EL1_SVE_MASK: u64 = 0xf << ID_AA64PFR0_EL1_SVE_SHIFT;

/// How a register appears to a vCPU (the `REG_*` flags of a sys_regs
/// visibility handler).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// As the table describes it.
    Visible,
    /// `REG_HIDDEN`: absent for userspace and the guest.
    Hidden,
    /// `REG_RAZ`: reads as zero for userspace and the guest.
    Raz,
}

/// The visibility of the FP/SVE register `encoding` to a vCPU that has
/// SVE or not. The sys_regs table asks only about the registers above; an
/// encoding this module does not know is [`Hidden`], whether or not the
/// vCPU has SVE, so that a wrongly routed register is never exposed.
///
/// [`Hidden`]: Visibility::Hidden
pub const fn visibility(encoding: u32, vcpu_has_sve: bool) -> Visibility {
    match encoding {
        SYS_ZCR_EL1 | SYS_ZCR_EL2 | SYS_ID_AA64ZFR0_EL1 if vcpu_has_sve => Visibility::Visible,
        SYS_ZCR_EL1 | SYS_ZCR_EL2 => Visibility::Hidden,
        SYS_ID_AA64ZFR0_EL1 => Visibility::Raz,
        _ => Visibility::Hidden,
    }
}

/// The `ID_AA64PFR0_EL1` value a vCPU gets at reset from the host's
/// sanitised `val`: no SVE for a vCPU without it.
pub const fn sanitise_id_aa64pfr0(val: u64, vcpu_has_sve: bool) -> u64 {
    if vcpu_has_sve {
        val
    } else {
        val & !ID_AA64PFR0_EL1_SVE_MASK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        // The values of arch/arm64/tools/sysreg, as the generated
        // sysreg-defs.h spells them.
        assert_eq!(SYS_ZCR_EL1, 0x18_1200);
        assert_eq!(SYS_ZCR_EL2, 0x1c_1200);
        assert_eq!(SYS_ID_AA64PFR0_EL1, 0x18_0400);
        assert_eq!(SYS_ID_AA64ZFR0_EL1, 0x18_0480);
    }

    #[test]
    fn visibility_table() {
        for reg in [SYS_ZCR_EL1, SYS_ZCR_EL2, SYS_ID_AA64ZFR0_EL1] {
            assert_eq!(visibility(reg, true), Visibility::Visible);
        }
        assert_eq!(visibility(SYS_ZCR_EL1, false), Visibility::Hidden);
        assert_eq!(visibility(SYS_ZCR_EL2, false), Visibility::Hidden);
        assert_eq!(visibility(SYS_ID_AA64ZFR0_EL1, false), Visibility::Raz);
        // Not ours (PFR0 is asked about only through
        // sanitise_id_aa64pfr0(); CPACR_EL1 never): hidden, with or
        // without SVE.
        for has_sve in [false, true] {
            assert_eq!(visibility(SYS_ID_AA64PFR0_EL1, has_sve), Visibility::Hidden);
            assert_eq!(
                visibility(sys_reg(3, 0, 1, 0, 2), has_sve),
                Visibility::Hidden
            );
        }
    }

    #[test]
    fn pfr0_sve_field() {
        let host = 0x1101_0011_1111_2222_u64 | (1 << ID_AA64PFR0_EL1_SVE_SHIFT);
        assert_eq!(sanitise_id_aa64pfr0(host, true), host);
        let no_sve = sanitise_id_aa64pfr0(host, false);
        assert_eq!(no_sve & ID_AA64PFR0_EL1_SVE_MASK, 0);
        // Every other field is kept.
        assert_eq!(no_sve, host & !ID_AA64PFR0_EL1_SVE_MASK);
        assert_eq!(no_sve | (host & ID_AA64PFR0_EL1_SVE_MASK), host);
    }
}
