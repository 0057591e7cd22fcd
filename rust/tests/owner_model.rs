// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Exhaustive check of the ownership decisions in `owner.rs` against a model
//! of one CPU running one vCPU thread between vcpu_load and vcpu_put.
//!
//! The model follows the 6.12 code: the host FP tracking of
//! `arch/arm64/kernel/fpsimd.c` (the per-CPU binding `fpsimd_last_state`,
//! `TIF_FOREIGN_FPSTATE`, `fpsimd_save_user_state()` saving into whatever is
//! bound unless the flag is set, `fpsimd_flush_cpu_state()` clearing the
//! binding and setting the flag), the hypervisor's FP trap (loads the
//! vCPU's saved state and makes the guest the owner) and the hooks of
//! `arch/arm64/kvm/fpsimd.c`.
//!
//! Every sequence of up to `DEPTH` events (guest runs with and without FP
//! use, kernel-mode NEON in a softirq, preemption) is run under two
//! policies in lockstep: the C one (bind on every exit with guest-owned
//! registers) and the Rust one (`owner::on_exit`, which skips a binding
//! that still stands). Both must keep the guest's state intact, and they
//! must agree on every observable part of the CPU state after every event.

use kvm_fp_logic::owner::{on_entry, on_exit, put_saves, ExitAction, FpOwner};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Regs {
    /// Guest state of this version.
    Guest(u32),
    /// Anything else (host, kernel-mode NEON scratch).
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    None,
    Vcpu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    RunWithFp,
    RunWithoutFp,
    SoftirqNeon,
    Preempt,
}

const EVENTS: [Event; 4] = [
    Event::RunWithFp,
    Event::RunWithoutFp,
    Event::SoftirqNeon,
    Event::Preempt,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    /// arch/arm64/kvm/fpsimd.c
    C,
    /// owner::on_exit
    Rust,
    /// A broken policy that never binds: the model must catch it.
    NeverBind,
    /// A broken policy that binds but leaves TIF_FOREIGN_FPSTATE set.
    BindKeepFlag,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cpu {
    regs: Regs,
    bound: Bound,
    tif_foreign: bool,
    owner: FpOwner,
    /// The vCPU's saved state (vcpu->arch.ctxt.fp_regs and sve_state).
    saved: u32,
    /// The newest state the guest has produced.
    latest: u32,
    binds: u32,
}

impl Cpu {
    /// State right after kvm_arch_vcpu_load_fp(): host state saved and
    /// flushed, nothing bound, owner FREE.
    fn loaded(saved: u32) -> Self {
        Cpu {
            regs: Regs::Other,
            bound: Bound::None,
            tif_foreign: true,
            owner: FpOwner::Free,
            saved,
            latest: saved,
            binds: 0,
        }
    }

    /// fpsimd_save_user_state() then fpsimd_flush_cpu_state().
    fn save_and_flush(&mut self) -> Result<(), String> {
        if !self.tif_foreign && self.bound == Bound::Vcpu {
            match self.regs {
                Regs::Guest(v) => self.saved = v,
                Regs::Other => return Err("saved non-guest registers into the vCPU".into()),
            }
        }
        self.bound = Bound::None;
        self.tif_foreign = true;
        Ok(())
    }

    fn step(&mut self, ev: Event, policy: Policy) -> Result<(), String> {
        match ev {
            Event::RunWithFp | Event::RunWithoutFp => {
                // ctxflush, IRQs off from here to ctxsync.
                if let Some(o) = on_entry(self.tif_foreign) {
                    self.owner = o;
                }
                if ev == Event::RunWithFp {
                    if self.owner != FpOwner::GuestOwned {
                        // FP trap: the hypervisor loads the saved state.
                        if self.saved != self.latest {
                            return Err(format!(
                                "guest reloaded version {} but its newest is {}",
                                self.saved, self.latest
                            ));
                        }
                        self.regs = Regs::Guest(self.saved);
                        self.owner = FpOwner::GuestOwned;
                    } else if self.regs != Regs::Guest(self.latest) {
                        return Err(format!(
                            "guest found {:?} in its registers, newest is {}",
                            self.regs, self.latest
                        ));
                    }
                    self.latest += 1;
                    self.regs = Regs::Guest(self.latest);
                }
                // ctxsync.
                let action = match policy {
                    Policy::C | Policy::BindKeepFlag => {
                        if self.owner == FpOwner::GuestOwned {
                            ExitAction::Bind
                        } else {
                            ExitAction::Nothing
                        }
                    }
                    Policy::Rust => on_exit(Some(self.owner), || {
                        self.bound == Bound::Vcpu && !self.tif_foreign
                    }),
                    Policy::NeverBind => ExitAction::Nothing,
                };
                if action == ExitAction::Bind {
                    self.bound = Bound::Vcpu;
                    self.binds += 1;
                    if policy != Policy::BindKeepFlag {
                        self.tif_foreign = false;
                    }
                }
                Ok(())
            }
            Event::SoftirqNeon => {
                // kernel_neon_begin() in softirq context, then the
                // registers are clobbered.
                self.save_and_flush()?;
                self.regs = Regs::Other;
                Ok(())
            }
            Event::Preempt => {
                self.put()?;
                // Another task runs and uses FP; then kvm_sched_in() calls
                // kvm_arch_vcpu_load_fp() again.
                self.regs = Regs::Other;
                let saved = self.saved;
                let latest = self.latest;
                *self = Cpu {
                    latest,
                    binds: self.binds,
                    ..Cpu::loaded(saved)
                };
                Ok(())
            }
        }
    }

    /// kvm_arch_vcpu_put_fp().
    fn put(&mut self) -> Result<(), String> {
        if put_saves(Some(self.owner)) {
            self.save_and_flush()?;
        }
        Ok(())
    }

    /// Everything but the bind count, which is where the policies differ.
    fn observable(&self) -> (Regs, Bound, bool, FpOwner, u32, u32) {
        (
            self.regs,
            self.bound,
            self.tif_foreign,
            self.owner,
            self.saved,
            self.latest,
        )
    }
}

const DEPTH: usize = 9;

/// Runs every event sequence of length `DEPTH` (shorter ones are prefixes)
/// and returns the number of sequences, the failures of each policy and
/// the binds each policy did in total.
fn explore(policies: &[Policy]) -> (u64, Vec<Option<String>>, Vec<u64>) {
    let mut failures = vec![None; policies.len()];
    let mut binds = vec![0u64; policies.len()];
    let total = EVENTS.len().pow(DEPTH as u32);
    for n in 0..total {
        let mut seq = [Event::RunWithFp; DEPTH];
        let mut k = n;
        for slot in seq.iter_mut() {
            *slot = EVENTS[k % EVENTS.len()];
            k /= EVENTS.len();
        }
        let mut cpus: Vec<Cpu> = policies.iter().map(|_| Cpu::loaded(0)).collect();
        let mut alive = vec![true; policies.len()];
        for (i, ev) in seq.iter().enumerate() {
            for (p, cpu) in cpus.iter_mut().enumerate() {
                if !alive[p] {
                    continue;
                }
                if let Err(e) = cpu.step(*ev, policies[p]) {
                    alive[p] = false;
                    failures[p].get_or_insert(format!("{:?}: {}", &seq[..=i], e));
                }
            }
            if alive.iter().all(|a| *a) && policies.len() > 1 {
                for c in &cpus[1..] {
                    assert_eq!(
                        c.observable(),
                        cpus[0].observable(),
                        "policies disagree after {:?}",
                        &seq[..=i]
                    );
                }
            }
        }
        for (p, cpu) in cpus.iter_mut().enumerate() {
            if alive[p] {
                if let Err(e) = cpu.put() {
                    failures[p].get_or_insert(format!("{:?} then put: {}", seq, e));
                } else if cpu.saved != cpu.latest {
                    failures[p].get_or_insert(format!(
                        "{:?} then put: vCPU saved version {}, newest {}",
                        seq, cpu.saved, cpu.latest
                    ));
                }
            }
            binds[p] += u64::from(cpu.binds);
        }
    }
    (total as u64, failures, binds)
}

#[test]
fn rust_policy_matches_c_and_keeps_guest_state() {
    let (sequences, failures, binds) = explore(&[Policy::C, Policy::Rust]);
    assert_eq!(failures[0], None, "C policy");
    assert_eq!(failures[1], None, "Rust policy");
    // The point of the Rust policy: strictly fewer binds over the same
    // sequences, with the same outcome.
    assert!(
        binds[1] < binds[0],
        "binds: C {}, Rust {}",
        binds[0],
        binds[1]
    );
    println!(
        "{} sequences of {} events: C bound {} times, Rust {}",
        sequences, DEPTH, binds[0], binds[1]
    );
}

#[test]
fn model_catches_a_policy_that_never_binds() {
    let (_, failures, _) = explore(&[Policy::NeverBind]);
    let err = failures[0]
        .as_deref()
        .expect("a never-binding policy must fail");
    assert!(err.contains("newest"), "{}", err);
}

#[test]
fn model_catches_a_policy_that_leaves_the_flag_set() {
    let (_, failures, _) = explore(&[Policy::BindKeepFlag]);
    assert!(
        failures[0].is_some(),
        "leaving TIF_FOREIGN_FPSTATE set must fail"
    );
}
