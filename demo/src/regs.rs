//! KVM register ids (as the arm64 UAPI header computes them) and the Rust
//! model of what the guest programs leave in their vector registers.

use std::mem::offset_of;

use kvm_bindings::{
    kvm_regs, KVM_REG_ARM64, KVM_REG_ARM64_SVE, KVM_REG_ARM64_SVE_FFR_BASE,
    KVM_REG_ARM64_SVE_PREG_BASE, KVM_REG_ARM64_SVE_ZREG_BASE, KVM_REG_ARM_CORE, KVM_REG_SIZE_U128,
    KVM_REG_SIZE_U2048, KVM_REG_SIZE_U256, KVM_REG_SIZE_U512, KVM_REG_SIZE_U64,
};
use kvm_ioctls::VcpuFd;

use crate::Result;

/// Largest SVE vector length KVM's register interface carries: one 2048-bit
/// slice per Z register.
pub const ZREG_BYTES: usize = 256;
/// One predicate (or FFR) slice: 2048 / 8 bits.
pub const PREG_BYTES: usize = ZREG_BYTES / 8;

/// `KVM_REG_ARM64_SVE_VLS`: the bitmap of vector lengths (bit `vq - 1`).
pub const SVE_VLS: u64 = KVM_REG_ARM64 | KVM_REG_ARM64_SVE as u64 | KVM_REG_SIZE_U512 | 0xffff;
// The value quoted in the UAPI documentation.
const _: () = assert!(SVE_VLS == 0x6060_0000_0015_ffff);

/// `KVM_REG_ARM64_SVE_ZREG(n, 0)`.
pub const fn sve_zreg(n: usize) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE as u64
        | KVM_REG_ARM64_SVE_ZREG_BASE as u64
        | KVM_REG_SIZE_U2048
        | ((n as u64 & 31) << 5)
}

/// `KVM_REG_ARM64_SVE_PREG(n, 0)`.
pub const fn sve_preg(n: usize) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE as u64
        | KVM_REG_ARM64_SVE_PREG_BASE as u64
        | KVM_REG_SIZE_U256
        | ((n as u64 & 15) << 5)
}

/// `KVM_REG_ARM64_SVE_FFR(0)`.
pub const SVE_FFR: u64 = KVM_REG_ARM64
    | KVM_REG_ARM64_SVE as u64
    | KVM_REG_ARM64_SVE_FFR_BASE as u64
    | KVM_REG_SIZE_U256;

/// A core register: `KVM_REG_ARM64 | size | KVM_REG_ARM_CORE |
/// KVM_REG_ARM_CORE_REG(field)`, where the index counts 32-bit words into
/// `struct kvm_regs`.
const fn core_reg(size: u64, byte_offset: usize) -> u64 {
    KVM_REG_ARM64 | size | KVM_REG_ARM_CORE as u64 | (byte_offset / 4) as u64
}

/// General-purpose register `x<n>`.
pub const fn core_x(n: usize) -> u64 {
    core_reg(KVM_REG_SIZE_U64, offset_of!(kvm_regs, regs.regs) + 8 * n)
}
/// Program counter.
pub const CORE_PC: u64 = core_reg(KVM_REG_SIZE_U64, offset_of!(kvm_regs, regs.pc));
/// PSTATE (SPSR-like layout).
pub const CORE_PSTATE: u64 = core_reg(KVM_REG_SIZE_U64, offset_of!(kvm_regs, regs.pstate));
/// SP_EL1, the stack pointer used at EL1h.
pub const CORE_SP_EL1: u64 = core_reg(KVM_REG_SIZE_U64, offset_of!(kvm_regs, sp_el1));

/// FP/SIMD register `v<n>` as a core register (only for vCPUs without SVE).
pub const fn core_v(n: usize) -> u64 {
    core_reg(
        KVM_REG_SIZE_U128,
        offset_of!(kvm_regs, fp_regs.vregs) + 16 * n,
    )
}

/// Which guest program ran, and with what vector length.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// SVE program (Z/P/FFR registers) or FP/SIMD-only program (V registers).
    pub sve: bool,
    /// Vector length in bytes (16 for the FP/SIMD-only program).
    pub vl: usize,
}

impl Layout {
    /// Number of 64-bit lanes in one vector.
    fn lanes(&self) -> usize {
        self.vl / 8
    }
}

/// The f64 pair held by FP register `16 + m` after iteration `i`.
fn fp_state(m: usize, i: u64) -> [f64; 2] {
    let (m, i) = (m as f64, i as f64);
    [0.25 + m + i, 31.0 - m + 0.5 * i]
}

/// Lane `k` of counter register `n` after iteration `i`.
fn counter(n: usize, k: usize, i: u64) -> u64 {
    (n as u64) << 32 | (k as u64) << 16 | i
}

/// Expected contents of vector register `n` after iteration `i`, as bytes in
/// KVM's layout (lane 0 first, little-endian), exactly `layout.vl` long.
pub fn expected_vreg(layout: Layout, n: usize, i: u64) -> Vec<u8> {
    let lanes = layout.lanes();
    // Values written by AdvSIMD instructions: two f64, upper lanes zero.
    let fp = |v: [f64; 2]| -> Vec<u64> {
        let mut out = vec![0u64; lanes];
        out[0] = v[0].to_bits();
        out[1] = v[1].to_bits();
        out
    };
    let words: Vec<u64> = match n {
        0..=15 => (0..lanes).map(|k| counter(n, k, i)).collect(),
        16..=23 => fp(fp_state(n - 16, i)),
        24 => fp([1.0, 0.5]),
        25 => fp([0.25, 31.0]),
        26 => fp([1.0, -1.0]),
        27 => {
            let v16 = fp_state(0, i);
            fp([v16[0] * 1.0, v16[1] * 0.5])
        }
        28 => (0..lanes).map(|k| counter(16, k, i)).collect(),
        29 if layout.sve => fp(fp_state(8, i)),
        29 => vec![0; lanes],
        30 => vec![1 << 32; lanes],
        31 => vec![u64::MAX; lanes],
        _ => unreachable!("there are 32 vector registers"),
    };
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// Expected contents of predicate register `n` (`None` = FFR), exactly
/// `layout.vl / 8` bytes long.
pub fn expected_preg(layout: Layout, n: Option<usize>) -> Vec<u8> {
    let bytes = layout.vl / 8;
    match n {
        // PTRUE .D: one bit per 8-byte lane, i.e. 0x01 in every byte.
        Some(0) => vec![0x01; bytes],
        // PTRUE .B and SETFFR: every bit.
        Some(15) | None => vec![0xff; bytes],
        // P1: last CMPNE found no difference; P2..P14: untouched.
        Some(_) => vec![0; bytes],
    }
}

/// Reads one register into `buf` (first filled with 0xa5 so that bytes KVM
/// does not write stand out).
pub fn read_reg(vcpu: &VcpuFd, id: u64, buf: &mut [u8]) -> Result<()> {
    buf.fill(0xa5);
    vcpu.get_one_reg(id, buf)
        .map(|_| ())
        .map_err(|e| format!("KVM_GET_ONE_REG {id:#x}: {e}"))
}

/// Compares a register image with the expected bytes; everything after the
/// expected bytes (KVM's padding up to the ioctl's register size) must be 0.
fn compare(name: &str, got: &[u8], want: &[u8], problems: &mut Vec<String>) {
    if &got[..want.len()] != want {
        problems.push(format!(
            "{name}: got {} want {}",
            hex_prefix(&got[..want.len()]),
            hex_prefix(want)
        ));
    }
    if let Some(pos) = got[want.len()..].iter().position(|&b| b != 0) {
        problems.push(format!(
            "{name}: byte {} beyond the vector length is {:#04x}, not 0",
            want.len() + pos,
            got[want.len() + pos]
        ));
    }
}

/// First 32 bytes (at most) of a register image, as 64-bit lanes in hex.
fn hex_prefix(bytes: &[u8]) -> String {
    let lanes: Vec<String> = bytes
        .chunks(8)
        .take(4)
        .map(|c| {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            format!("{:016x}", u64::from_le_bytes(w))
        })
        .collect();
    let more = if bytes.len() > 32 { " ..." } else { "" };
    format!("[{}{more}]", lanes.join(" "))
}

/// What one register check covered.
#[derive(Clone, Debug, Default)]
pub struct CheckSummary {
    /// Human-readable list of the register groups, e.g. "Z0-Z31 (...)".
    pub groups: Vec<String>,
    /// Number of registers read.
    pub count: usize,
}

/// Reads every vector register the guest defines and compares it with the
/// model for iteration `i`. Returns what was checked and the mismatches.
pub fn check_all(vcpu: &VcpuFd, layout: Layout, i: u64) -> Result<(CheckSummary, Vec<String>)> {
    let mut problems = Vec::new();
    let mut summary = CheckSummary::default();
    if layout.sve {
        let mut buf = [0u8; ZREG_BYTES];
        for n in 0..32 {
            read_reg(vcpu, sve_zreg(n), &mut buf)?;
            let want = expected_vreg(layout, n, i);
            compare(&format!("Z{n}"), &buf, &want, &mut problems);
        }
        let mut pbuf = [0u8; PREG_BYTES];
        for n in 0..16 {
            read_reg(vcpu, sve_preg(n), &mut pbuf)?;
            let want = expected_preg(layout, Some(n));
            compare(&format!("P{n}"), &pbuf, &want, &mut problems);
        }
        read_reg(vcpu, SVE_FFR, &mut pbuf)?;
        compare("FFR", &pbuf, &expected_preg(layout, None), &mut problems);
        summary.groups = vec![
            format!(
                "Z0-Z31 ({} of {ZREG_BYTES} bytes data, rest must be 0)",
                layout.vl
            ),
            format!(
                "P0-P15 and FFR ({} of {PREG_BYTES} bytes data, rest must be 0)",
                layout.vl / 8
            ),
        ];
        summary.count = 32 + 16 + 1;
    } else {
        let mut buf = [0u8; 16];
        for n in 0..32 {
            read_reg(vcpu, core_v(n), &mut buf)?;
            let want = expected_vreg(layout, n, i);
            compare(&format!("V{n}"), &buf, &want, &mut problems);
        }
        summary.groups = vec!["V0-V31 (128-bit core registers fp_regs.vregs[n])".into()];
        summary.count = 32;
    }
    Ok((summary, problems))
}

// Register ids worked out by hand from arch/arm64/include/uapi/asm/kvm.h,
// checked at compile time (the crate only builds for arm64, so unit tests
// could not run on the build machine anyway).
const _: () = {
    assert!(sve_zreg(0) == 0x6080_0000_0015_0000);
    assert!(sve_zreg(31) == 0x6080_0000_0015_03e0);
    assert!(sve_preg(15) == 0x6050_0000_0015_05e0);
    assert!(SVE_FFR == 0x6050_0000_0015_0600);
    // regs.pc is at byte 256 = word 0x40; fp_regs.vregs start at byte 336 =
    // word 0x54 (as in the kernel's get-reg-list selftest).
    assert!(CORE_PC == 0x6030_0000_0010_0040);
    assert!(core_v(0) == 0x6040_0000_0010_0054);
    assert!(core_v(31) == 0x6040_0000_0010_0054 + 31 * 4);
};
