//! Snapshot and restore of a running vCPU, done the way VMMs built on
//! rust-vmm's `kvm-ioctls` (Firecracker, cloud-hypervisor) do it: the vCPU's
//! state is every register `KVM_GET_REG_LIST` names, read with
//! `KVM_GET_ONE_REG`, plus guest RAM; the restore builds a new VM and writes
//! it back in the order the arm64 API requires.
//!
//! Save:
//! 1. The guest stopped on an MMIO write (a PROGRESS exit). KVM completes an
//!    MMIO access (for a write: steps the PC past the store) only on the next
//!    `KVM_RUN`, so a snapshot taken now would replay the store. With
//!    `immediate_exit` set, `KVM_RUN` completes it and returns `EINTR`
//!    without entering the guest.
//! 2. `KVM_GET_REG_LIST`, then `KVM_GET_ONE_REG` of each register, at the
//!    size its id encodes; a copy of guest RAM.
//!
//! Restore, into a new VM (the old one is closed first):
//! 1. `KVM_CREATE_VM`, the memory slot with the RAM copy, `KVM_CREATE_VCPU`,
//!    `KVM_ARM_VCPU_INIT` with the saved target and features.
//! 2. With SVE: `KVM_REG_ARM64_SVE_VLS` from the snapshot, then
//!    `KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE)`. The vector lengths can only
//!    be set before finalization (`EPERM` after it: the error Firecracker
//!    met restoring SVE vCPUs, its issue #4413), and the Z, P and FFR
//!    registers are only accessible after it.
//! 3. `KVM_GET_REG_LIST` of the new vCPU must name the same registers; every
//!    register but the VLS is written with `KVM_SET_ONE_REG` and read back.
//!    Only the counters of the timers (`KVM_REG_ARM_TIMER_CNT`,
//!    `KVM_REG_ARM_PTIMER_CNT`) may read back differently: they count on.
//! 4. Writing the VLS again must fail with `EPERM`.

use kvm_bindings::{
    kvm_vcpu_init, RegList, KVM_ARM_VCPU_SVE, KVM_REG_ARM64, KVM_REG_ARM64_SVE,
    KVM_REG_ARM64_SYSREG, KVM_REG_ARM_COPROC_MASK, KVM_REG_ARM_CORE, KVM_REG_ARM_FW,
    KVM_REG_ARM_FW_FEAT_BMAP, KVM_REG_SIZE_MASK, KVM_REG_SIZE_SHIFT, KVM_REG_SIZE_U64,
};
use kvm_ioctls::Kvm;

use crate::{regs, Context, GuestRam, Machine, Result};

/// The most registers `kvm-bindings`' `RegList` can hold.
const REG_LIST_CAPACITY: usize = 500;

/// `ARM64_SYS_REG(op0, op1, crn, crm, op2)` of the arm64 UAPI header.
const fn sys_reg(op0: u64, op1: u64, crn: u64, crm: u64, op2: u64) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_SIZE_U64
        | KVM_REG_ARM64_SYSREG as u64
        | op0 << 14
        | op1 << 11
        | crn << 7
        | crm << 3
        | op2
}

/// The virtual and physical counters: they read back as the time of the
/// read, not as the value written.
const TIMER_CNT: u64 = sys_reg(3, 3, 14, 3, 2);
const PTIMER_CNT: u64 = sys_reg(3, 3, 14, 0, 1);
const _: () = assert!(TIMER_CNT == 0x6030_0000_0013_df1a);

/// Size in bytes of a register, as its id encodes it.
fn reg_size(id: u64) -> usize {
    1 << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT)
}

/// A saved vCPU and its RAM.
pub struct Snapshot {
    /// What the vCPU was created with.
    kvi: kvm_vcpu_init,
    /// Every register `KVM_GET_REG_LIST` named, in its order, with its value.
    regs: Vec<(u64, Vec<u8>)>,
    /// Guest RAM.
    ram: Vec<u8>,
}

fn reg_list(m: &Machine) -> Result<Vec<u64>> {
    let mut list = RegList::new(REG_LIST_CAPACITY).context("RegList")?;
    m.vcpu.get_reg_list(&mut list).context("KVM_GET_REG_LIST")?;
    Ok(list.as_slice().to_vec())
}

/// "N registers: a core, b system, ..." for the report.
fn describe(ids: &[u64]) -> String {
    let mut counts = [0usize; 5];
    for &id in ids {
        let kind = match (id & KVM_REG_ARM_COPROC_MASK as u64) as u32 {
            KVM_REG_ARM_CORE => 0,
            KVM_REG_ARM64_SYSREG => 1,
            KVM_REG_ARM64_SVE => 2,
            KVM_REG_ARM_FW | KVM_REG_ARM_FW_FEAT_BMAP => 3,
            _ => 4,
        };
        counts[kind] += 1;
    }
    format!(
        "{} registers ({} core, {} system, {} SVE, {} firmware, {} other)",
        ids.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4]
    )
}

/// Saves the vCPU of `m`, stopped on an MMIO write exit, and its RAM.
pub fn save(m: &mut Machine, kvi: kvm_vcpu_init) -> Result<Snapshot> {
    m.vcpu.set_kvm_immediate_exit(1);
    let completed = m.vcpu.run().map(|_| ()).map_err(|e| e.errno());
    m.vcpu.set_kvm_immediate_exit(0);
    if completed != Err(libc::EINTR) {
        return Err(format!(
            "KVM_RUN with immediate_exit: {completed:?}, expected EINTR"
        ));
    }
    let ids = reg_list(m)?;
    let mut regs = Vec::with_capacity(ids.len());
    for &id in &ids {
        let mut value = vec![0u8; reg_size(id)];
        regs::read_reg(&m.vcpu, id, &mut value)?;
        regs.push((id, value));
    }
    println!(
        "  saved: MMIO completed by KVM_RUN with immediate_exit (EINTR); KVM_GET_REG_LIST: {}; {} bytes of register values; {} KiB of RAM",
        describe(&ids),
        regs.iter().map(|(_, v)| v.len()).sum::<usize>(),
        m.ram.len / 1024
    );
    Ok(Snapshot {
        kvi,
        regs,
        ram: m.ram.bytes_mut().to_vec(),
    })
}

/// Builds a new VM from `snap` (see the module documentation for the order).
pub fn restore(kvm: &Kvm, snap: &Snapshot) -> Result<Machine> {
    let mut ram = GuestRam::new(snap.ram.len())?;
    ram.bytes_mut().copy_from_slice(&snap.ram);
    let (m, _) = Machine::new(kvm, ram, Some(snap.kvi.target), snap.kvi.features)?;

    let sve = snap.kvi.features[0] & (1 << KVM_ARM_VCPU_SVE) != 0;
    let vls = snap
        .regs
        .iter()
        .find(|(id, _)| *id == regs::SVE_VLS)
        .map(|(_, value)| value);
    if sve {
        let vls = vls.ok_or("the snapshot of an SVE vCPU has no KVM_REG_ARM64_SVE_VLS")?;
        m.vcpu
            .set_one_reg(regs::SVE_VLS, vls)
            .context("restore: KVM_SET_ONE_REG(SVE_VLS) before finalizing")?;
        m.vcpu
            .vcpu_finalize(&(KVM_ARM_VCPU_SVE as i32))
            .context("restore: KVM_ARM_VCPU_FINALIZE(SVE)")?;
    }

    let ids = reg_list(&m)?;
    let saved: Vec<u64> = snap.regs.iter().map(|(id, _)| *id).collect();
    if ids != saved {
        let missing: Vec<String> = saved
            .iter()
            .filter(|id| !ids.contains(id))
            .map(|id| format!("{id:#x}"))
            .collect();
        let added: Vec<String> = ids
            .iter()
            .filter(|id| !saved.contains(id))
            .map(|id| format!("{id:#x}"))
            .collect();
        return Err(format!(
            "restore: the new vCPU's KVM_GET_REG_LIST differs from the saved one ({} vs {}; not in the new list: [{}]; only in the new list: [{}])",
            ids.len(),
            saved.len(),
            missing.join(" "),
            added.join(" ")
        ));
    }

    let mut written = 0;
    for (id, value) in snap.regs.iter().filter(|(id, _)| *id != regs::SVE_VLS) {
        m.vcpu
            .set_one_reg(*id, value)
            .context(&format!("restore: KVM_SET_ONE_REG {id:#x}"))?;
        written += 1;
    }
    let mut differ = Vec::new();
    for (id, value) in &snap.regs {
        let mut back = vec![0u8; value.len()];
        regs::read_reg(&m.vcpu, *id, &mut back)?;
        if back != *value && *id != TIMER_CNT && *id != PTIMER_CNT {
            differ.push(format!("{id:#x}"));
        }
    }
    if !differ.is_empty() {
        return Err(format!(
            "restore: {} register(s) read back differently from the value written: {}",
            differ.len(),
            differ.join(" ")
        ));
    }
    let vls_again = if let Some(vls) = vls {
        match m.vcpu.set_one_reg(regs::SVE_VLS, vls) {
            Err(e) if e.errno() == libc::EPERM => {
                "; the VLS again after finalizing: EPERM, as documented"
            }
            other => {
                return Err(format!(
                    "restore: KVM_SET_ONE_REG(SVE_VLS) after finalizing: {other:?}, expected EPERM"
                ))
            }
        }
    } else {
        ""
    };
    println!(
        "  restored into a new VM: KVM_ARM_VCPU_INIT (target {}){}; KVM_GET_REG_LIST: the same {} registers; {written} written with KVM_SET_ONE_REG, all read back as written (the timer counters aside){vls_again}",
        snap.kvi.target,
        if sve {
            ", KVM_REG_ARM64_SVE_VLS, KVM_ARM_VCPU_FINALIZE(SVE)"
        } else {
            ""
        },
        ids.len()
    );
    Ok(m)
}
