// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The SVE vCPU configuration sequence, as one state machine.
//!
//! Pure logic: no kernel dependency. The ABI merged in 2019 (seed thread
//! 004): `KVM_ARM_VCPU_INIT` with `KVM_ARM_VCPU_SVE`, then optionally
//! `KVM_SET_ONE_REG(KVM_REG_ARM64_SVE_VLS)`, then
//! `KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE)`; only then Z/P/FFR access,
//! `KVM_GET_REG_LIST` and `KVM_RUN`. A vCPU without SVE needs no
//! finalization. [`check`] is the table of the operations the Rust side
//! carries out (`KVM_{GET,SET}_ONE_REG` of the SVE registers,
//! `KVM_ARM_VCPU_FINALIZE`): for each [`State`] and [`Op`], the state after
//! the operation or the errno the C returns; [`State::is_finalized`] is
//! `kvm_arm_vcpu_is_finalized()`, which the C asks before `KVM_RUN` and
//! `KVM_GET_REG_LIST`. Each arm names the C function it comes from
//! ([`arch/arm64/kvm/arm.c`], [`arch/arm64/kvm/sve.c`]). The other steps
//! of the sequence (`KVM_ARM_VCPU_INIT`, `KVM_RUN`, `KVM_GET_REG_LIST`,
//! the core FPSIMD V registers) are the C's; the project's host test
//! `rust/tests/sve_model.rs` models them, from `kvm_vcpu_ioctl()` in
//! [`virt/kvm/kvm_main.c`] down, and checks this table against that model
//! along whole sequences.
//!
//! The table decides only what depends on the vCPU's state. The C makes
//! its other checks at fixed points around it, which the callers keep:
//!
//! - `EFAULT` from copying the ioctl argument: for `KVM_{GET,SET}_ONE_REG`
//!   and `KVM_ARM_VCPU_FINALIZE` right after the `ENOEXEC` check, before
//!   everything else; for the VLS and Z/P/FFR values after every check of
//!   this table.
//! - The register ID checks of `sve_reg` (`EINVAL` for a malformed SVE ID,
//!   `ENOENT` for a slice other than 0) come before the `EPERM` of a Z/P/FFR
//!   access; `sve_reg::sve_reg_access` combines the two in the C order.
//! - The value checks of a VLS write (`sve_vls::set_sve_vls`, `EINVAL`).
//! - Resource failures (`ENOMEM`, `kvm_share_hyp()`) in finalization.
//!
//! [`arch/arm64/kvm/arm.c`]: srctree/arch/arm64/kvm/arm.c
//! [`arch/arm64/kvm/sve.c`]: srctree/arch/arm64/kvm/sve.c
//! [`virt/kvm/kvm_main.c`]: srctree/virt/kvm/kvm_main.c

use crate::errno::Errno;

/// `KVM_ARM_VCPU_SVE`: the `KVM_ARM_VCPU_INIT` feature bit that enables SVE,
/// and the only feature `KVM_ARM_VCPU_FINALIZE` knows.
pub const KVM_ARM_VCPU_SVE: i32 = 4;

/// Where a vCPU is in its configuration sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Created, before any successful `KVM_ARM_VCPU_INIT`
    /// (`!kvm_vcpu_initialized()`).
    Created,
    /// Initialised without SVE. Nothing to finalize:
    /// `kvm_arm_vcpu_is_finalized()` is true.
    NoSve,
    /// Initialised without SVE and run at least once.
    NoSveRan,
    /// Initialised with SVE, not finalized, `KVM_REG_ARM64_SVE_VLS` not
    /// written since the last `KVM_ARM_VCPU_INIT`: the maximum VL is the
    /// host's `kvm_sve_max_vl`.
    SveInit,
    /// Initialised with SVE, not finalized, `KVM_REG_ARM64_SVE_VLS`
    /// written: the maximum VL is the one written.
    SveVlsSet,
    /// SVE finalized (`VCPU_SVE_FINALIZED`): `sve_state` allocated, the VL
    /// set fixed.
    SveFinalized,
    /// SVE finalized and run at least once.
    SveRan,
}

impl State {
    /// The state of a vCPU from its C flags: `VCPU_INITIALIZED`
    /// (`kvm_vcpu_initialized()`), `vcpu_has_sve()`,
    /// `kvm_arm_vcpu_sve_finalized()` and `vcpu_has_run_once()`.
    ///
    /// The C does not record whether `KVM_REG_ARM64_SVE_VLS` was written, so
    /// an SVE vCPU that is not finalized maps to [`State::SveInit`]; it
    /// behaves as [`State::SveVlsSet`] in every entry of [`check`]. Flag
    /// combinations the C never produces (SVE or run before
    /// initialisation, finalized without SVE, run before finalization) map
    /// to the nearest state that keeps the C's answers: initialisation and
    /// SVE are tested first, then finalization, as the C does.
    pub const fn from_flags(
        initialized: bool,
        has_sve: bool,
        sve_finalized: bool,
        has_run: bool,
    ) -> State {
        match (initialized, has_sve, sve_finalized, has_run) {
            (false, _, _, _) => State::Created,
            (true, false, _, false) => State::NoSve,
            (true, false, _, true) => State::NoSveRan,
            (true, true, false, _) => State::SveInit,
            (true, true, true, false) => State::SveFinalized,
            (true, true, true, true) => State::SveRan,
        }
    }

    /// Whether `KVM_ARM_VCPU_INIT` has succeeded (`kvm_vcpu_initialized()`).
    pub const fn is_initialized(self) -> bool {
        !matches!(self, State::Created)
    }

    /// Whether the vCPU has SVE (`vcpu_has_sve()`).
    pub const fn has_sve(self) -> bool {
        matches!(
            self,
            State::SveInit | State::SveVlsSet | State::SveFinalized | State::SveRan
        )
    }

    /// Whether SVE is finalized (`kvm_arm_vcpu_sve_finalized()`).
    pub const fn sve_finalized(self) -> bool {
        matches!(self, State::SveFinalized | State::SveRan)
    }

    /// Whether every feature needing finalization is finalized
    /// (`kvm_arm_vcpu_is_finalized()`): true without SVE.
    pub const fn is_finalized(self) -> bool {
        !self.has_sve() || self.sve_finalized()
    }
}

/// A vCPU ioctl of the SVE configuration sequence that the Rust side
/// carries out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `KVM_GET_ONE_REG(KVM_REG_ARM64_SVE_VLS)`.
    GetVls,
    /// `KVM_SET_ONE_REG(KVM_REG_ARM64_SVE_VLS)` with a value
    /// `sve_vls::set_sve_vls` accepts.
    SetVls,
    /// `KVM_GET_ONE_REG` of a Z, P or FFR register, slice 0.
    GetSveReg,
    /// `KVM_SET_ONE_REG` of a Z, P or FFR register, slice 0.
    SetSveReg,
    /// `KVM_ARM_VCPU_FINALIZE(feature)`.
    Finalize(i32),
}

/// The configuration table: the state after `op` in `state`, or the errno
/// the C returns.
///
/// | op | `Created` | no SVE | SVE, not finalized | SVE finalized |
/// |---|---|---|---|---|
/// | `GetVls` | `ENOEXEC` | `ENOENT` | ok | ok |
/// | `SetVls` | `ENOEXEC` | `ENOENT` | ok | `EPERM` |
/// | `Get/SetSveReg` | `ENOEXEC` | `ENOENT` | `EPERM` | ok |
/// | `Finalize(SVE)` | `ENOEXEC` | `EINVAL` | finalize | `EPERM` |
/// | `Finalize(other)` | `ENOEXEC` | `EINVAL` | `EINVAL` | `EINVAL` |
pub const fn check(state: State, op: Op) -> Result<State, Errno> {
    match op {
        // Each ioctl here first requires KVM_ARM_VCPU_INIT:
        // kvm_arch_vcpu_ioctl() (KVM_{GET,SET}_ONE_REG,
        // KVM_ARM_VCPU_FINALIZE) returns -ENOEXEC.
        _ if !state.is_initialized() => Err(Errno::ENOEXEC),

        // get_sve_vls(): !vcpu_has_sve() -> -ENOENT.
        Op::GetVls => {
            if !state.has_sve() {
                Err(Errno::ENOENT)
            } else {
                Ok(state)
            }
        }

        // set_sve_vls(): !vcpu_has_sve() -> -ENOENT;
        // kvm_arm_vcpu_sve_finalized() -> -EPERM ("too late!").
        Op::SetVls => {
            if !state.has_sve() {
                Err(Errno::ENOENT)
            } else if state.sve_finalized() {
                Err(Errno::EPERM)
            } else {
                Ok(State::SveVlsSet)
            }
        }

        // kvm_arm_get_sve_reg()/kvm_arm_set_sve_reg(): sve_reg_to_region()
        // returns -ENOENT for !vcpu_has_sve(); then
        // !kvm_arm_vcpu_sve_finalized() -> -EPERM.
        Op::GetSveReg | Op::SetSveReg => {
            if !state.has_sve() {
                Err(Errno::ENOENT)
            } else if !state.sve_finalized() {
                Err(Errno::EPERM)
            } else {
                Ok(state)
            }
        }

        // kvm_arm_vcpu_finalize(): an unknown feature -> -EINVAL; SVE:
        // !vcpu_has_sve() -> -EINVAL, kvm_arm_vcpu_sve_finalized() ->
        // -EPERM, else kvm_vcpu_finalize_sve().
        Op::Finalize(feature) => {
            if feature != KVM_ARM_VCPU_SVE || !state.has_sve() {
                Err(Errno::EINVAL)
            } else if state.sve_finalized() {
                Err(Errno::EPERM)
            } else {
                Ok(State::SveFinalized)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every [`State`].
    const STATES: [State; 7] = [
        State::Created,
        State::NoSve,
        State::NoSveRan,
        State::SveInit,
        State::SveVlsSet,
        State::SveFinalized,
        State::SveRan,
    ];

    /// Whether the vCPU has run (`vcpu_has_run_once()`).
    fn has_run(s: State) -> bool {
        matches!(s, State::NoSveRan | State::SveRan)
    }

    #[test]
    fn seed_004_sequence() {
        // The sequence in the 2019-03-01 mail (seed 004), as merged, from
        // KVM_ARM_VCPU_INIT with SVE on (KVM_RUN and KVM_GET_REG_LIST
        // consult is_finalized()).
        let mut s = State::SveInit;
        assert!(!s.is_finalized());
        s = check(s, Op::SetVls).unwrap();
        assert_eq!(s, State::SveVlsSet);
        assert_eq!(check(s, Op::SetSveReg), Err(Errno::EPERM));
        assert!(!s.is_finalized());
        s = check(s, Op::Finalize(KVM_ARM_VCPU_SVE)).unwrap();
        assert_eq!(s, State::SveFinalized);
        assert!(s.is_finalized());
        assert_eq!(check(s, Op::Finalize(KVM_ARM_VCPU_SVE)), Err(Errno::EPERM));
        assert_eq!(check(s, Op::SetVls), Err(Errno::EPERM));
        assert_eq!(check(s, Op::SetSveReg), Ok(s));
        assert_eq!(check(State::SveRan, Op::GetSveReg), Ok(State::SveRan));
        assert_eq!(
            check(State::SveRan, Op::Finalize(KVM_ARM_VCPU_SVE)),
            Err(Errno::EPERM)
        );
    }

    #[test]
    fn everything_before_init_is_enoexec() {
        for op in [
            Op::GetVls,
            Op::SetVls,
            Op::GetSveReg,
            Op::SetSveReg,
            Op::Finalize(KVM_ARM_VCPU_SVE),
            Op::Finalize(0),
        ] {
            assert_eq!(check(State::Created, op), Err(Errno::ENOEXEC), "{op:?}");
        }
    }

    #[test]
    fn without_sve() {
        for s in [State::NoSve, State::NoSveRan] {
            assert!(s.is_finalized());
            assert_eq!(check(s, Op::GetVls), Err(Errno::ENOENT));
            assert_eq!(check(s, Op::SetVls), Err(Errno::ENOENT));
            assert_eq!(check(s, Op::GetSveReg), Err(Errno::ENOENT));
            assert_eq!(check(s, Op::Finalize(KVM_ARM_VCPU_SVE)), Err(Errno::EINVAL));
        }
    }

    #[test]
    fn finalize_unknown_feature() {
        for s in STATES {
            for f in [-1, 0, 1, 2, 3, 5, 6, 7, 8, i32::MIN, i32::MAX] {
                let want = if s.is_initialized() {
                    Errno::EINVAL
                } else {
                    Errno::ENOEXEC
                };
                assert_eq!(check(s, Op::Finalize(f)), Err(want));
            }
        }
    }

    #[test]
    fn flags_round_trip() {
        for s in STATES {
            let back = State::from_flags(
                s.is_initialized(),
                s.has_sve(),
                s.sve_finalized(),
                has_run(s),
            );
            let want = if s == State::SveVlsSet {
                State::SveInit
            } else {
                s
            };
            assert_eq!(back, want);
        }
    }
}
