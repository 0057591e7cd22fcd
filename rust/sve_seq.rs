// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! The SVE vCPU configuration sequence, as one state machine.
//!
//! Pure logic: no kernel dependency. The ABI merged in 2019 (seed thread
//! 004): `KVM_ARM_VCPU_INIT` with `KVM_ARM_VCPU_SVE`, then optionally
//! `KVM_SET_ONE_REG(KVM_REG_ARM64_SVE_VLS)`, then
//! `KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE)`; only then Z/P/FFR access,
//! `KVM_GET_REG_LIST` and `KVM_RUN`. A vCPU without SVE needs no
//! finalization. [`check`] is the whole table: for each [`State`] and
//! [`Op`], the state after the operation or the errno the C returns. Each
//! arm names the C function it comes from ([`arch/arm64/kvm/arm.c`],
//! [`arch/arm64/kvm/guest.c`], [`arch/arm64/kvm/reset.c`],
//! `kvm_vcpu_ioctl()` in [`virt/kvm/kvm_main.c`]); the kernel ioctl paths
//! consult it, and `rust/tests/sve_model.rs` checks it against a model of
//! those functions.
//!
//! The table decides only what depends on the vCPU's state. The C makes
//! its other checks at fixed points around it, which the callers keep:
//!
//! - `EFAULT` from copying the ioctl argument: for `KVM_{GET,SET}_ONE_REG`
//!   and `KVM_ARM_VCPU_FINALIZE` right after the `ENOEXEC` check, before
//!   everything else; for `KVM_GET_REG_LIST` after the `EPERM` check; for
//!   the VLS and Z/P/FFR values after every check of this table.
//! - The register ID checks of `sve_reg` (`EINVAL` for a malformed SVE ID,
//!   `ENOENT` for a slice other than 0) come before the `EPERM` of a Z/P/FFR
//!   access; `sve_reg::sve_reg_access` combines the two in the C order.
//! - The value checks of a VLS write (`sve_vls::set_sve_vls`, `EINVAL`).
//! - `E2BIG` when the `KVM_GET_REG_LIST` buffer is too small.
//! - `KVM_ARM_VCPU_INIT`'s checks of the target and of features other than
//!   SVE (`kvm_vcpu_set_target()`, `kvm_vcpu_init_check_features()`).
//! - Resource failures (`ENOMEM`, `kvm_share_hyp()`) in finalization.
//!
//! A note on `KVM_RUN`: its checks are in `kvm_arch_vcpu_run_pid_change()`,
//! which runs only when the calling thread differs from the last one that
//! ran the vCPU, which is always the case for the first run. Both checks it
//! makes (initialised, finalized) only ever go from false to true, so a
//! vCPU that ran once passes them forever and the table is right for every
//! run.
//!
//! [`arch/arm64/kvm/arm.c`]: srctree/arch/arm64/kvm/arm.c
//! [`arch/arm64/kvm/guest.c`]: srctree/arch/arm64/kvm/guest.c
//! [`arch/arm64/kvm/reset.c`]: srctree/arch/arm64/kvm/reset.c
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

/// Every [`State`].
pub const STATES: [State; 7] = [
    State::Created,
    State::NoSve,
    State::NoSveRan,
    State::SveInit,
    State::SveVlsSet,
    State::SveFinalized,
    State::SveRan,
];

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

    /// Whether the vCPU has run (`vcpu_has_run_once()`).
    pub const fn has_run(self) -> bool {
        matches!(self, State::NoSveRan | State::SveRan)
    }
}

/// The VM's vCPU feature set (`kvm->arch.vcpu_features`), fixed by the
/// first successful `KVM_ARM_VCPU_INIT` of any of its vCPUs
/// (`KVM_ARCH_FLAG_VCPU_FEATURES_CONFIGURED`): every vCPU of a VM has the
/// same features.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VmFeatures {
    /// No vCPU of the VM has been initialised yet.
    Unconfigured,
    /// Configured, with or without SVE (and the same other features as the
    /// request: those are not modelled here).
    Configured {
        /// Whether the configured features include `KVM_ARM_VCPU_SVE`.
        sve: bool,
    },
}

/// A `KVM_ARM_VCPU_INIT` request, as far as SVE is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InitReq {
    /// Whether `features[]` has `KVM_ARM_VCPU_SVE`.
    pub sve: bool,
    /// Whether the host supports SVE for guests (`system_supports_sve()`).
    pub host_sve: bool,
    /// The VM's feature set before this call. For a vCPU that is already
    /// initialised it is the vCPU's own and is not consulted.
    pub vm: VmFeatures,
}

/// A vCPU ioctl, as far as the SVE configuration sequence is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `KVM_ARM_VCPU_INIT`.
    Init(InitReq),
    /// `KVM_GET_ONE_REG(KVM_REG_ARM64_SVE_VLS)`.
    GetVls,
    /// `KVM_SET_ONE_REG(KVM_REG_ARM64_SVE_VLS)` with a value
    /// `sve_vls::set_sve_vls` accepts.
    SetVls,
    /// `KVM_GET_ONE_REG` of a Z, P or FFR register, slice 0.
    GetSveReg,
    /// `KVM_SET_ONE_REG` of a Z, P or FFR register, slice 0.
    SetSveReg,
    /// `KVM_GET_REG_LIST` with a large enough buffer.
    GetRegList,
    /// `KVM_ARM_VCPU_FINALIZE(feature)`.
    Finalize(i32),
    /// `KVM_RUN`.
    Run,
    /// `KVM_GET_ONE_REG` of a core FPSIMD V register
    /// (`KVM_REG_ARM_CORE_REG(fp_regs.vregs[n])`, `KVM_REG_SIZE_U128`).
    GetCoreVreg,
    /// `KVM_SET_ONE_REG` of a core FPSIMD V register.
    SetCoreVreg,
}

/// The configuration table: the state after `op` in `state`, or the errno
/// the C returns.
///
/// | op | `Created` | no SVE | SVE, not finalized | SVE finalized |
/// |---|---|---|---|---|
/// | `Init` | set features | reset | reset, VLS to default | reset (zero regs) |
/// | `GetVls` | `ENOEXEC` | `ENOENT` | ok | ok |
/// | `SetVls` | `ENOEXEC` | `ENOENT` | ok | `EPERM` |
/// | `Get/SetSveReg` | `ENOEXEC` | `ENOENT` | `EPERM` | ok |
/// | `GetRegList` | `ENOEXEC` | ok | `EPERM` | ok |
/// | `Finalize(SVE)` | `ENOEXEC` | `EINVAL` | finalize | `EPERM` |
/// | `Finalize(other)` | `ENOEXEC` | `EINVAL` | `EINVAL` | `EINVAL` |
/// | `Run` | `ENOEXEC` | ok, has run | `EPERM` | ok, has run |
/// | `Get/SetCoreVreg` | `ENOEXEC` | ok | `EINVAL` | `EINVAL` |
///
/// `Init` fails with `EINVAL` when it asks for SVE on a host without it
/// (`kvm_vcpu_init_check_features()`), or for a feature set other than the
/// VM's (`__kvm_vcpu_set_target()`) or, on an initialised vCPU, than the
/// vCPU's own (`kvm_vcpu_set_target()`).
pub const fn check(state: State, op: Op) -> Result<State, Errno> {
    match op {
        Op::Init(req) => init(state, req),

        // Every other ioctl here first requires KVM_ARM_VCPU_INIT:
        // kvm_arch_vcpu_ioctl() (KVM_{GET,SET}_ONE_REG, KVM_GET_REG_LIST,
        // KVM_ARM_VCPU_FINALIZE) and kvm_arch_vcpu_run_pid_change()
        // (KVM_RUN) return -ENOEXEC.
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

        // get_sve_reg()/set_sve_reg(): sve_reg_to_region() returns -ENOENT
        // for !vcpu_has_sve(); then !kvm_arm_vcpu_sve_finalized() -> -EPERM.
        Op::GetSveReg | Op::SetSveReg => {
            if !state.has_sve() {
                Err(Errno::ENOENT)
            } else if !state.sve_finalized() {
                Err(Errno::EPERM)
            } else {
                Ok(state)
            }
        }

        // kvm_arch_vcpu_ioctl(KVM_GET_REG_LIST):
        // !kvm_arm_vcpu_is_finalized() -> -EPERM.
        Op::GetRegList => {
            if !state.is_finalized() {
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

        // kvm_arch_vcpu_run_pid_change(): !kvm_arm_vcpu_is_finalized() ->
        // -EPERM.
        Op::Run => {
            if !state.is_finalized() {
                Err(Errno::EPERM)
            } else if state.has_sve() {
                Ok(State::SveRan)
            } else {
                Ok(State::NoSveRan)
            }
        }

        // get_core_reg()/set_core_reg() -> core_reg_addr() ->
        // core_reg_size_from_offset(): vcpu_has_sve() and a V register ->
        // -EINVAL (the V registers are the low 128 bits of Z0-Z31, reached
        // through KVM_REG_ARM64_SVE_ZREG on an SVE vCPU). Finalization
        // does not matter.
        Op::GetCoreVreg | Op::SetCoreVreg => {
            if state.has_sve() {
                Err(Errno::EINVAL)
            } else {
                Ok(state)
            }
        }
    }
}

/// `KVM_ARM_VCPU_INIT`: `kvm_arch_vcpu_ioctl_vcpu_init()` ->
/// `kvm_vcpu_set_target()`.
const fn init(state: State, req: InitReq) -> Result<State, Errno> {
    // kvm_vcpu_init_check_features(): features &
    // ~system_supported_vcpu_features() -> -EINVAL; SVE is cleared from the
    // supported set when !system_supports_sve().
    if req.sve && !req.host_sve {
        return Err(Errno::EINVAL);
    }
    match state {
        // __kvm_vcpu_set_target(): VCPU_FEATURES_CONFIGURED and
        // kvm_vcpu_init_changed() -> -EINVAL; else the features are
        // copied and kvm_reset_vcpu() calls kvm_vcpu_enable_sve().
        State::Created => match req.vm {
            VmFeatures::Configured { sve } if sve != req.sve => Err(Errno::EINVAL),
            _ => {
                if req.sve {
                    Ok(State::SveInit)
                } else {
                    Ok(State::NoSve)
                }
            }
        },
        // kvm_vcpu_set_target(): kvm_vcpu_init_changed() -> -EINVAL.
        _ if state.has_sve() != req.sve => Err(Errno::EINVAL),
        // kvm_reset_vcpu(): not finalized and KVM_ARM_VCPU_SVE ->
        // kvm_vcpu_enable_sve() again, which sets sve_max_vl back to
        // kvm_sve_max_vl: a VLS written before is forgotten.
        State::SveInit | State::SveVlsSet => Ok(State::SveInit),
        // kvm_reset_vcpu(): finalized -> kvm_vcpu_reset_sve() zeroes the
        // registers and keeps the VL; vcpu_has_run_once() stays true.
        _ => Ok(state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INIT_SVE: Op = Op::Init(InitReq {
        sve: true,
        host_sve: true,
        vm: VmFeatures::Unconfigured,
    });
    const INIT_PLAIN: Op = Op::Init(InitReq {
        sve: false,
        host_sve: true,
        vm: VmFeatures::Unconfigured,
    });

    /// Runs `ops` from `Created`, returning the final state or the first
    /// error with its index.
    fn run(ops: &[Op]) -> Result<State, (usize, Errno)> {
        let mut s = State::Created;
        for (i, op) in ops.iter().enumerate() {
            s = check(s, *op).map_err(|e| (i, e))?;
        }
        Ok(s)
    }

    #[test]
    fn seed_004_sequence() {
        // The sequence in the 2019-03-01 mail (seed 004), as merged.
        let mut s = check(State::Created, INIT_SVE).unwrap();
        assert_eq!(s, State::SveInit);
        assert_eq!(check(s, Op::Run), Err(Errno::EPERM));
        assert_eq!(check(s, Op::GetRegList), Err(Errno::EPERM));
        s = check(s, Op::SetVls).unwrap();
        assert_eq!(s, State::SveVlsSet);
        assert_eq!(check(s, Op::SetSveReg), Err(Errno::EPERM));
        assert_eq!(check(s, Op::Run), Err(Errno::EPERM));
        s = check(s, Op::Finalize(KVM_ARM_VCPU_SVE)).unwrap();
        assert_eq!(s, State::SveFinalized);
        assert_eq!(check(s, Op::Finalize(KVM_ARM_VCPU_SVE)), Err(Errno::EPERM));
        assert_eq!(check(s, Op::GetRegList), Ok(s));
        assert_eq!(check(s, Op::SetVls), Err(Errno::EPERM));
        assert_eq!(check(s, Op::SetSveReg), Ok(s));
        s = check(s, Op::Run).unwrap();
        assert_eq!(s, State::SveRan);
        assert_eq!(check(s, Op::Finalize(KVM_ARM_VCPU_SVE)), Err(Errno::EPERM));
    }

    #[test]
    fn everything_before_init_is_enoexec() {
        for op in [
            Op::GetVls,
            Op::SetVls,
            Op::GetSveReg,
            Op::SetSveReg,
            Op::GetRegList,
            Op::Finalize(KVM_ARM_VCPU_SVE),
            Op::Finalize(0),
            Op::Run,
            Op::GetCoreVreg,
            Op::SetCoreVreg,
        ] {
            assert_eq!(check(State::Created, op), Err(Errno::ENOEXEC), "{op:?}");
        }
    }

    #[test]
    fn without_sve() {
        let s = run(&[INIT_PLAIN]).unwrap();
        assert!(s.is_finalized());
        assert_eq!(check(s, Op::GetVls), Err(Errno::ENOENT));
        assert_eq!(check(s, Op::SetVls), Err(Errno::ENOENT));
        assert_eq!(check(s, Op::GetSveReg), Err(Errno::ENOENT));
        assert_eq!(check(s, Op::Finalize(KVM_ARM_VCPU_SVE)), Err(Errno::EINVAL));
        assert_eq!(check(s, Op::GetCoreVreg), Ok(s));
        assert_eq!(check(s, Op::GetRegList), Ok(s));
        assert_eq!(check(s, Op::Run), Ok(State::NoSveRan));
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
    fn core_vregs_rejected_on_sve_vcpus_at_any_stage() {
        for s in [
            State::SveInit,
            State::SveVlsSet,
            State::SveFinalized,
            State::SveRan,
        ] {
            assert_eq!(check(s, Op::GetCoreVreg), Err(Errno::EINVAL));
            assert_eq!(check(s, Op::SetCoreVreg), Err(Errno::EINVAL));
        }
    }

    #[test]
    fn reinit_forgets_vls_until_finalized() {
        assert_eq!(run(&[INIT_SVE, Op::SetVls, INIT_SVE]), Ok(State::SveInit));
        let fin = Op::Finalize(KVM_ARM_VCPU_SVE);
        assert_eq!(run(&[INIT_SVE, fin, INIT_SVE]), Ok(State::SveFinalized));
        assert_eq!(run(&[INIT_SVE, fin, Op::Run, INIT_SVE]), Ok(State::SveRan));
        // A different feature set: EINVAL, at any stage.
        assert_eq!(run(&[INIT_SVE, INIT_PLAIN]), Err((1, Errno::EINVAL)));
        assert_eq!(run(&[INIT_PLAIN, INIT_SVE]), Err((1, Errno::EINVAL)));
    }

    #[test]
    fn init_against_vm_and_host() {
        let req = |sve, host_sve, vm| Op::Init(InitReq { sve, host_sve, vm });
        let vm_sve = VmFeatures::Configured { sve: true };
        let vm_plain = VmFeatures::Configured { sve: false };
        let un = VmFeatures::Unconfigured;
        assert_eq!(
            check(State::Created, req(true, false, un)),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            check(State::Created, req(false, false, un)),
            Ok(State::NoSve)
        );
        assert_eq!(
            check(State::Created, req(true, true, vm_plain)),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            check(State::Created, req(false, true, vm_sve)),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            check(State::Created, req(true, true, vm_sve)),
            Ok(State::SveInit)
        );
    }

    #[test]
    fn flags_round_trip() {
        for s in STATES {
            let back = State::from_flags(
                s.is_initialized(),
                s.has_sve(),
                s.sve_finalized(),
                s.has_run(),
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
