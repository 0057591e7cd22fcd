// SPDX-License-Identifier: GPL-2.0

// Copyright 2026 The KVM FP team

//! Property tests of `sve_layout`, `sve_vls`, `sve_reg` and `sve_seq`
//! against an independent model of the C.
//!
//! The model is written here from the 6.12 sources, not from the Rust:
//!
//! - the UAPI macros, transcribed as written (`__SVE_*` of
//!   `arch/arm64/include/uapi/asm/sve_context.h`, `SVE_SIG_*` of
//!   `.../sigcontext.h`, `KVM_REG_ARM64_SVE_*` and `KVM_REG_SIZE*` of
//!   `.../asm/kvm.h` and `include/uapi/linux/kvm.h`), with `struct
//!   sve_context` and `struct kvm_regs` as `#[repr(C)]` structs so that
//!   `sizeof` and `offsetof` come from the compiler;
//! - a vCPU and VM with the C's flags (`VCPU_INITIALIZED`, `GUEST_HAS_SVE`,
//!   `VCPU_SVE_FINALIZED`, `sve_max_vl`, `vcpu->pid`, the VM's
//!   `vcpu_features`) and a host with the kernel's reversed `vq_map`
//!   (`__vq_to_bit()`), on which the ioctl paths of `arm.c`, `guest.c`,
//!   `reset.c`, `sve.c` and `kvm_main.c` are transcribed function by
//!   function (the SVE code of 6.12's `guest.c` and `reset.c` is in `sve.c`
//!   from `patches/0011` on, with no functional change; the comments name
//!   the functions as the series has them);
//! - a "driver" that composes the Rust modules the way the kernel side
//!   does: `sve_reg::sve_reg_access` for SVE register IDs, `sve_vls` for
//!   values, `sve_seq::check` for finalization and
//!   `sve_seq::State::is_finalized` (`kvm_arm_vcpu_is_finalized()`) for
//!   `KVM_RUN` and `KVM_GET_REG_LIST`. What the kernel leaves to the C (the
//!   dispatch of `kvm_arm_{get,set}_reg()`, the core registers, the rest of
//!   `KVM_ARM_VCPU_INIT`, `KVM_RUN` and `KVM_GET_REG_LIST`) the driver
//!   takes from the model, so only the Rust parts are compared.
//!
//! Every property compares the two on generated inputs. Case counts are
//! explicit (`ProptestConfig::cases`), and failures are not persisted to
//! files.

#![allow(non_snake_case)]
// The UAPI macros are transcribed as written, `%` included.
#![allow(
    unknown_lints,
    clippy::manual_is_multiple_of,
    clippy::manual_range_contains,
    clippy::manual_div_ceil
)]

use kvm_fp_logic::errno::Errno;
use kvm_fp_logic::sve_config::GuestMaxVl;
use kvm_fp_logic::sve_layout::{self, Vq};
use kvm_fp_logic::sve_reg::{
    self, sve_reg_access, sve_reg_ids, sve_reg_to_region, SveAccess, SveReg,
};
use kvm_fp_logic::sve_seq::{check, Op, State};
use kvm_fp_logic::sve_vls::{self, HostSve, VqSet};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

// ---------------------------------------------------------------------------
// Errnos, as the C spells them.

const EPERM: i32 = 1;
const ENOENT: i32 = 2;
const ENOEXEC: i32 = 8;
const EINVAL: i32 = 22;

// ---------------------------------------------------------------------------
// arch/arm64/include/uapi/asm/sve_context.h, as written.

const __SVE_VQ_BYTES: u32 = 16;
const __SVE_VQ_MIN: u32 = 1;
const __SVE_VQ_MAX: u32 = 512;
const __SVE_VL_MIN: u32 = __SVE_VQ_MIN * __SVE_VQ_BYTES;
const __SVE_VL_MAX: u32 = __SVE_VQ_MAX * __SVE_VQ_BYTES;
const __SVE_NUM_ZREGS: u32 = 32;
const __SVE_NUM_PREGS: u32 = 16;

fn __sve_vl_valid(vl: u32) -> bool {
    vl % __SVE_VQ_BYTES == 0 && vl >= __SVE_VL_MIN && vl <= __SVE_VL_MAX
}
fn __sve_vq_from_vl(vl: u32) -> u32 {
    vl / __SVE_VQ_BYTES
}
fn __sve_vl_from_vq(vq: u32) -> u32 {
    vq * __SVE_VQ_BYTES
}
fn __SVE_ZREG_SIZE(vq: u32) -> u32 {
    vq * __SVE_VQ_BYTES
}
fn __SVE_PREG_SIZE(vq: u32) -> u32 {
    vq * (__SVE_VQ_BYTES / 8)
}
fn __SVE_FFR_SIZE(vq: u32) -> u32 {
    __SVE_PREG_SIZE(vq)
}
const __SVE_ZREGS_OFFSET: u32 = 0;
fn __SVE_ZREG_OFFSET(vq: u32, n: u32) -> u32 {
    __SVE_ZREGS_OFFSET + __SVE_ZREG_SIZE(vq) * n
}
fn __SVE_ZREGS_SIZE(vq: u32) -> u32 {
    __SVE_ZREG_OFFSET(vq, __SVE_NUM_ZREGS) - __SVE_ZREGS_OFFSET
}
fn __SVE_PREGS_OFFSET(vq: u32) -> u32 {
    __SVE_ZREGS_OFFSET + __SVE_ZREGS_SIZE(vq)
}
fn __SVE_PREG_OFFSET(vq: u32, n: u32) -> u32 {
    __SVE_PREGS_OFFSET(vq) + __SVE_PREG_SIZE(vq) * n
}
fn __SVE_PREGS_SIZE(vq: u32) -> u32 {
    __SVE_PREG_OFFSET(vq, __SVE_NUM_PREGS) - __SVE_PREGS_OFFSET(vq)
}
fn __SVE_FFR_OFFSET(vq: u32) -> u32 {
    __SVE_PREGS_OFFSET(vq) + __SVE_PREGS_SIZE(vq)
}

// arch/arm64/include/uapi/asm/sigcontext.h

#[repr(C)]
struct _aarch64_ctx {
    magic: u32,
    size: u32,
}

#[repr(C)]
struct sve_context {
    head: _aarch64_ctx,
    vl: u16,
    flags: u16,
    __reserved: [u16; 2],
}

const SVE_SIG_REGS_OFFSET: u32 =
    ((core::mem::size_of::<sve_context>() as u32) + (__SVE_VQ_BYTES - 1)) / __SVE_VQ_BYTES
        * __SVE_VQ_BYTES;

fn SVE_SIG_ZREG_SIZE(vq: u32) -> u32 {
    __SVE_ZREG_SIZE(vq)
}
fn SVE_SIG_PREG_SIZE(vq: u32) -> u32 {
    __SVE_PREG_SIZE(vq)
}
fn SVE_SIG_FFR_SIZE(vq: u32) -> u32 {
    __SVE_FFR_SIZE(vq)
}
fn SVE_SIG_ZREG_OFFSET(vq: u32, n: u32) -> u32 {
    SVE_SIG_REGS_OFFSET + __SVE_ZREG_OFFSET(vq, n)
}
fn SVE_SIG_PREGS_OFFSET(vq: u32) -> u32 {
    SVE_SIG_REGS_OFFSET + __SVE_PREGS_OFFSET(vq)
}
fn SVE_SIG_PREG_OFFSET(vq: u32, n: u32) -> u32 {
    SVE_SIG_REGS_OFFSET + __SVE_PREG_OFFSET(vq, n)
}
fn SVE_SIG_FFR_OFFSET(vq: u32) -> u32 {
    SVE_SIG_REGS_OFFSET + __SVE_FFR_OFFSET(vq)
}
fn SVE_SIG_REGS_SIZE(vq: u32) -> u32 {
    __SVE_FFR_OFFSET(vq) + __SVE_FFR_SIZE(vq)
}

// include/uapi/linux/kvm.h and arch/arm64/include/uapi/asm/kvm.h

const KVM_REG_ARCH_MASK: u64 = 0xff00000000000000;
const KVM_REG_ARM64: u64 = 0x6000000000000000;
const KVM_REG_SIZE_SHIFT: u64 = 52;
const KVM_REG_SIZE_MASK: u64 = 0x00f0000000000000;
const KVM_REG_SIZE_U8: u64 = 0x0000000000000000;
const KVM_REG_SIZE_U16: u64 = 0x0010000000000000;
const KVM_REG_SIZE_U32: u64 = 0x0020000000000000;
const KVM_REG_SIZE_U64: u64 = 0x0030000000000000;
const KVM_REG_SIZE_U128: u64 = 0x0040000000000000;
const KVM_REG_SIZE_U256: u64 = 0x0050000000000000;
const KVM_REG_SIZE_U512: u64 = 0x0060000000000000;
const KVM_REG_SIZE_U1024: u64 = 0x0070000000000000;
const KVM_REG_SIZE_U2048: u64 = 0x0080000000000000;
const SIZES: [u64; 9] = [
    KVM_REG_SIZE_U8,
    KVM_REG_SIZE_U16,
    KVM_REG_SIZE_U32,
    KVM_REG_SIZE_U64,
    KVM_REG_SIZE_U128,
    KVM_REG_SIZE_U256,
    KVM_REG_SIZE_U512,
    KVM_REG_SIZE_U1024,
    KVM_REG_SIZE_U2048,
];

fn KVM_REG_SIZE(id: u64) -> u32 {
    1u32 << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT)
}

const KVM_REG_ARM_COPROC_MASK: u64 = 0x000000000FFF0000;
const KVM_REG_ARM_COPROC_SHIFT: u64 = 16;
const KVM_REG_ARM_CORE: u64 = 0x0010 << KVM_REG_ARM_COPROC_SHIFT;
const KVM_REG_ARM64_SYSREG: u64 = 0x0013 << KVM_REG_ARM_COPROC_SHIFT;
const KVM_REG_ARM_FW: u64 = 0x0014 << KVM_REG_ARM_COPROC_SHIFT;
const KVM_REG_ARM64_SVE: u64 = 0x15 << KVM_REG_ARM_COPROC_SHIFT;
const KVM_REG_ARM_FW_FEAT_BMAP: u64 = 0x0016 << KVM_REG_ARM_COPROC_SHIFT;
const KVM_REG_ARM64_SVE_ZREG_BASE: u64 = 0;
const KVM_REG_ARM64_SVE_PREG_BASE: u64 = 0x400;
const KVM_REG_ARM64_SVE_FFR_BASE: u64 = 0x600;
const KVM_ARM64_SVE_NUM_ZREGS: u64 = __SVE_NUM_ZREGS as u64;
const KVM_ARM64_SVE_NUM_PREGS: u64 = __SVE_NUM_PREGS as u64;
const KVM_ARM64_SVE_MAX_SLICES: u64 = 32;

fn KVM_REG_ARM64_SVE_ZREG(n: u64, i: u64) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE
        | KVM_REG_ARM64_SVE_ZREG_BASE
        | KVM_REG_SIZE_U2048
        | ((n & (KVM_ARM64_SVE_NUM_ZREGS - 1)) << 5)
        | (i & (KVM_ARM64_SVE_MAX_SLICES - 1))
}
fn KVM_REG_ARM64_SVE_PREG(n: u64, i: u64) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE
        | KVM_REG_ARM64_SVE_PREG_BASE
        | KVM_REG_SIZE_U256
        | ((n & (KVM_ARM64_SVE_NUM_PREGS - 1)) << 5)
        | (i & (KVM_ARM64_SVE_MAX_SLICES - 1))
}
fn KVM_REG_ARM64_SVE_FFR(i: u64) -> u64 {
    KVM_REG_ARM64
        | KVM_REG_ARM64_SVE
        | KVM_REG_ARM64_SVE_FFR_BASE
        | KVM_REG_SIZE_U256
        | (i & (KVM_ARM64_SVE_MAX_SLICES - 1))
}
const KVM_ARM64_SVE_VQ_MIN: u32 = __SVE_VQ_MIN;
const KVM_ARM64_SVE_VQ_MAX: u32 = __SVE_VQ_MAX;
const KVM_REG_ARM64_SVE_VLS: u64 = KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_SIZE_U512 | 0xffff;
const KVM_ARM64_SVE_VLS_WORDS: usize =
    ((KVM_ARM64_SVE_VQ_MAX - KVM_ARM64_SVE_VQ_MIN) / 64 + 1) as usize;
const KVM_ARM_VCPU_SVE: u32 = 4;
const KVM_VCPU_MAX_FEATURES: u32 = 7;
const KVM_VCPU_VALID_FEATURES: u64 = (1 << KVM_VCPU_MAX_FEATURES) - 1;

// struct kvm_regs, for KVM_REG_ARM_CORE_REG().

#[repr(C)]
struct user_pt_regs {
    regs: [u64; 31],
    sp: u64,
    pc: u64,
    pstate: u64,
}

#[repr(C, align(16))]
struct user_fpsimd_state {
    vregs: [u128; 32],
    fpsr: u32,
    fpcr: u32,
    __reserved: [u32; 2],
}

const KVM_NR_SPSR: u64 = 5;

#[repr(C)]
struct kvm_regs {
    regs: user_pt_regs,
    sp_el1: u64,
    elr_el1: u64,
    spsr: [u64; KVM_NR_SPSR as usize],
    fp_regs: user_fpsimd_state,
}

macro_rules! KVM_REG_ARM_CORE_REG {
    ($($f:tt)+) => {
        (core::mem::offset_of!(kvm_regs, $($f)+) / core::mem::size_of::<u32>()) as u64
    };
}

fn core_reg_offset_is_vreg(off: u64) -> bool {
    off >= KVM_REG_ARM_CORE_REG!(fp_regs.vregs) && off < KVM_REG_ARM_CORE_REG!(fp_regs.fpsr)
}

fn core_reg_offset_from_id(id: u64) -> u64 {
    id & !(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_CORE)
}

fn core_reg_size_from_offset(has_sve: bool, off: u64) -> Result<u32, i32> {
    let regs0 = KVM_REG_ARM_CORE_REG!(regs.regs);
    let regs30 = regs0 + 30 * 2;
    let spsr0 = KVM_REG_ARM_CORE_REG!(spsr);
    let spsr_last = spsr0 + (KVM_NR_SPSR - 1) * 2;
    let v0 = KVM_REG_ARM_CORE_REG!(fp_regs.vregs);
    let v31 = v0 + 31 * 4;
    let size: u32 = if (regs0..=regs30).contains(&off)
        || off == KVM_REG_ARM_CORE_REG!(regs.sp)
        || off == KVM_REG_ARM_CORE_REG!(regs.pc)
        || off == KVM_REG_ARM_CORE_REG!(regs.pstate)
        || off == KVM_REG_ARM_CORE_REG!(sp_el1)
        || off == KVM_REG_ARM_CORE_REG!(elr_el1)
        || (spsr0..=spsr_last).contains(&off)
    {
        8
    } else if (v0..=v31).contains(&off) {
        16
    } else if off == KVM_REG_ARM_CORE_REG!(fp_regs.fpsr)
        || off == KVM_REG_ARM_CORE_REG!(fp_regs.fpcr)
    {
        4
    } else {
        return Err(-EINVAL);
    };
    // IS_ALIGNED(off, size / sizeof(__u32))
    if off & (u64::from(size / 4) - 1) != 0 {
        return Err(-EINVAL);
    }
    if has_sve && core_reg_offset_is_vreg(off) {
        return Err(-EINVAL);
    }
    Ok(size)
}

/// get_core_reg() up to the copy: the `u32 off` of the get path.
fn get_core_reg(has_sve: bool, id: u64) -> Result<(u64, u32), i32> {
    let nr_regs = (core::mem::size_of::<kvm_regs>() / core::mem::size_of::<u32>()) as u32;
    let off = core_reg_offset_from_id(id) as u32;
    if off >= nr_regs || (off + (KVM_REG_SIZE(id) / 4)) >= nr_regs {
        return Err(-ENOENT);
    }
    // core_reg_addr()
    let size = core_reg_size_from_offset(has_sve, u64::from(off)).map_err(|_| -EINVAL)?;
    if KVM_REG_SIZE(id) != size {
        return Err(-EINVAL);
    }
    Ok((u64::from(off), size))
}

/// set_core_reg() up to the copy: the `u64 off` of the set path.
fn set_core_reg(has_sve: bool, id: u64) -> Result<(u64, u32), i32> {
    let nr_regs = (core::mem::size_of::<kvm_regs>() / core::mem::size_of::<u32>()) as u64;
    let off = core_reg_offset_from_id(id);
    if off >= nr_regs || (off + u64::from(KVM_REG_SIZE(id) / 4)) >= nr_regs {
        return Err(-ENOENT);
    }
    let size = core_reg_size_from_offset(has_sve, off).map_err(|_| -EINVAL)?;
    if KVM_REG_SIZE(id) != size {
        return Err(-EINVAL);
    }
    if KVM_REG_SIZE(id) as usize > core::mem::size_of::<u128>() {
        return Err(-EINVAL);
    }
    Ok((off, size))
}

/// The group `kvm_arm_get_reg()` / `kvm_arm_set_reg()` hand a register ID
/// to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RegGroup {
    /// `get_core_reg()` / `set_core_reg()`.
    Core,
    /// The firmware pseudo-registers, timer and system registers: neither
    /// side models them.
    Elsewhere,
    /// `kvm_arm_get_sve_reg()` / `kvm_arm_set_sve_reg()`: the Rust side.
    Sve,
}

/// guest.c: the dispatch of kvm_arm_get_reg() / kvm_arm_set_reg().
fn kvm_arm_reg_group(id: u64) -> Result<RegGroup, i32> {
    // We currently use nothing arch-specific in upper 32 bits
    if (id & !KVM_REG_SIZE_MASK) >> 32 != KVM_REG_ARM64 >> 32 {
        return Err(-EINVAL);
    }
    Ok(match id & KVM_REG_ARM_COPROC_MASK {
        KVM_REG_ARM_CORE => RegGroup::Core,
        KVM_REG_ARM_FW | KVM_REG_ARM_FW_FEAT_BMAP => RegGroup::Elsewhere,
        KVM_REG_ARM64_SVE => RegGroup::Sve,
        _ => RegGroup::Elsewhere,
    })
}

/// get_core_reg() / set_core_reg() up to the copy.
fn core_reg(has_sve: bool, id: u64, write: bool) -> Result<Out, i32> {
    let (off, size) = if write {
        set_core_reg(has_sve, id)?
    } else {
        get_core_reg(has_sve, id)?
    };
    Ok(Out::Core(off, u64::from(size)))
}

/// The kernel's `vq_map` of a host with the vector lengths `vqs`: bit
/// `__vq_to_bit(vq)`, that is `SVE_VQ_MAX - vq`.
fn kernel_vq_map(vqs: impl IntoIterator<Item = u32>) -> [u64; 8] {
    let mut map = [0u64; 8];
    for vq in vqs {
        let bit = (__SVE_VQ_MAX - vq) as usize;
        map[bit / 64] |= 1 << (bit % 64);
    }
    map
}

/// The VM's vCPU feature set (`kvm->arch.vcpu_features`) as far as SVE
/// is concerned, fixed by the first successful `KVM_ARM_VCPU_INIT` of any
/// of its vCPUs (`KVM_ARCH_FLAG_VCPU_FEATURES_CONFIGURED`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VmFeatures {
    Unconfigured,
    Configured { sve: bool },
}

/// `KVM_ARM_VCPU_INIT` on a vCPU in `state` (`kvm_vcpu_set_target()`), in
/// terms of the table's states: the C's, which the kernel keeps; the
/// sequence property checks the states against the C model's flags.
fn init_state(state: State, sve: bool, host_sve: bool, vm: VmFeatures) -> Result<State, i32> {
    // kvm_vcpu_init_check_features()
    if sve && !host_sve {
        return Err(-EINVAL);
    }
    match state {
        // __kvm_vcpu_set_target()
        State::Created => match vm {
            VmFeatures::Configured { sve: vm_sve } if vm_sve != sve => Err(-EINVAL),
            _ if sve => Ok(State::SveInit),
            _ => Ok(State::NoSve),
        },
        // kvm_vcpu_set_target(): kvm_vcpu_init_changed()
        _ if state.has_sve() != sve => Err(-EINVAL),
        // kvm_reset_vcpu(): kvm_arm_vcpu_enable_sve() again until finalized.
        State::SveInit | State::SveVlsSet => Ok(State::SveInit),
        _ => Ok(state),
    }
}

// ---------------------------------------------------------------------------
// The C model: host, VM, vCPU, and the ioctl paths.

#[derive(Clone, Debug)]
struct MHost {
    /// system_supports_sve()
    supports_sve: bool,
    /// vl_info[ARM64_VEC_SVE].vq_map, bit __vq_to_bit(vq) = SVE_VQ_MAX - vq.
    vq_map: [u64; 8],
    /// kvm_sve_max_vl
    kvm_sve_max_vl: u32,
}

impl MHost {
    fn sve_vq_available(&self, vq: u32) -> bool {
        let bit = (__SVE_VQ_MAX - vq) as usize;
        self.vq_map[bit / 64] >> (bit % 64) & 1 != 0
    }
}

#[derive(Clone, Debug, Default)]
struct MVm {
    configured: bool,
    vcpu_features: u64,
}

#[derive(Clone, Debug, Default)]
struct MVcpu {
    initialized: bool,
    guest_has_sve: bool,
    sve_finalized: bool,
    sve_max_vl: u32,
    sve_state: bool,
    has_run: bool,
}

/// What an ioctl hands back besides its return code.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Out {
    None,
    Vls([u64; 8]),
    /// (koffset, klen, upad) of an SVE register.
    Region(u64, u64, u64),
    /// (offset, size) of a core register.
    Core(u64, u64),
    /// The SVE part of KVM_GET_REG_LIST.
    List(Vec<u64>),
    /// A register group neither side models (firmware, timer, sysreg).
    Elsewhere,
}

/// The value written by a VLS write, relative to the host.
#[derive(Clone, Debug)]
enum VlsValue {
    /// The host's VQs up to `m` (what a read would give with max `m`).
    HostPrefix(u32),
    /// The same with bit `b` flipped.
    HostPrefixFlip(u32, u32),
    Raw([u64; 8]),
}

impl VlsValue {
    fn words(&self, h: &MHost) -> [u64; 8] {
        let prefix = |m: u32| {
            let mut w = [0u64; 8];
            for vq in 1..=m.min(512) {
                if h.sve_vq_available(vq) {
                    w[((vq - 1) / 64) as usize] |= 1 << ((vq - 1) % 64);
                }
            }
            w
        };
        match *self {
            VlsValue::HostPrefix(m) => prefix(m),
            VlsValue::HostPrefixFlip(m, b) => {
                let mut w = prefix(m);
                w[(b / 64) as usize] ^= 1 << (b % 64);
                w
            }
            VlsValue::Raw(w) => w,
        }
    }
}

#[derive(Clone, Debug)]
enum TOp {
    Init {
        vcpu: usize,
        sve: bool,
    },
    GetOneReg {
        vcpu: usize,
        id: u64,
    },
    SetOneReg {
        vcpu: usize,
        id: u64,
        value: VlsValue,
    },
    RegList {
        vcpu: usize,
    },
    Finalize {
        vcpu: usize,
        what: i32,
    },
    Run {
        vcpu: usize,
    },
}

fn vq_word(vq: u32) -> usize {
    ((vq - __SVE_VQ_MIN) / 64) as usize
}
fn vq_mask(vq: u32) -> u64 {
    1u64 << ((vq - __SVE_VQ_MIN) % 64)
}
fn vq_present(vqs: &[u64; 8], vq: u32) -> bool {
    vqs[vq_word(vq)] & vq_mask(vq) != 0
}

struct Model {
    host: MHost,
    vm: MVm,
    vcpus: Vec<MVcpu>,
}

impl Model {
    fn vcpu_has_sve(&self, v: usize) -> bool {
        self.host.supports_sve && self.vcpus[v].guest_has_sve
    }

    fn vcpu_sve_max_vq(&self, v: usize) -> u32 {
        __sve_vq_from_vl(self.vcpus[v].sve_max_vl)
    }

    fn vcpu_sve_state_size(&self, v: usize) -> u32 {
        if !__sve_vl_valid(self.vcpus[v].sve_max_vl) {
            0
        } else {
            SVE_SIG_REGS_SIZE(self.vcpu_sve_max_vq(v))
        }
    }

    fn kvm_arm_vcpu_is_finalized(&self, v: usize) -> bool {
        if self.vcpu_has_sve(v) && !self.vcpus[v].sve_finalized {
            return false;
        }
        true
    }

    // arm.c: system_supported_vcpu_features() (SVE only)
    fn system_supported_vcpu_features(&self) -> u64 {
        let mut f = KVM_VCPU_VALID_FEATURES;
        if !self.host.supports_sve {
            f &= !(1 << KVM_ARM_VCPU_SVE);
        }
        f
    }

    // reset.c: kvm_reset_vcpu(), the SVE part
    fn kvm_reset_vcpu(&mut self, v: usize) {
        if !self.vcpus[v].sve_finalized {
            if self.vm.vcpu_features & (1 << KVM_ARM_VCPU_SVE) != 0 {
                // sve.c: kvm_arm_vcpu_enable_sve()
                self.vcpus[v].sve_max_vl = self.host.kvm_sve_max_vl;
                self.vcpus[v].guest_has_sve = true;
            }
        } else {
            // sve.c: kvm_arm_vcpu_reset_sve(): memset(sve_state)
        }
    }

    // arm.c: kvm_vcpu_set_target() and friends
    fn vcpu_init(&mut self, v: usize, features: u64) -> Result<Out, i32> {
        // kvm_vcpu_init_check_features()
        if features & !KVM_VCPU_VALID_FEATURES != 0 {
            return Err(-ENOENT);
        }
        if features & !self.system_supported_vcpu_features() != 0 {
            return Err(-EINVAL);
        }
        if !self.vcpus[v].initialized {
            // __kvm_vcpu_set_target()
            if self.vm.configured && self.vm.vcpu_features != features {
                return Err(-EINVAL);
            }
            self.vm.vcpu_features = features;
            self.kvm_reset_vcpu(v);
            self.vm.configured = true;
            self.vcpus[v].initialized = true;
            return Ok(Out::None);
        }
        if self.vm.vcpu_features != features {
            return Err(-EINVAL);
        }
        self.kvm_reset_vcpu(v);
        Ok(Out::None)
    }

    // sve.c: get_sve_vls()
    fn get_sve_vls(&self, v: usize) -> Result<Out, i32> {
        if !self.vcpu_has_sve(v) {
            return Err(-ENOENT);
        }
        if !__sve_vl_valid(self.vcpus[v].sve_max_vl) {
            return Err(-EINVAL);
        }
        let mut vqs = [0u64; KVM_ARM64_SVE_VLS_WORDS];
        let max_vq = self.vcpu_sve_max_vq(v);
        for vq in __SVE_VQ_MIN..=max_vq {
            if self.host.sve_vq_available(vq) {
                vqs[vq_word(vq)] |= vq_mask(vq);
            }
        }
        Ok(Out::Vls(vqs))
    }

    // sve.c: set_sve_vls()
    fn set_sve_vls(&mut self, v: usize, vqs: [u64; 8]) -> Result<Out, i32> {
        if !self.vcpu_has_sve(v) {
            return Err(-ENOENT);
        }
        if self.vcpus[v].sve_finalized {
            return Err(-EPERM);
        }
        if self.vcpus[v].sve_state {
            return Err(-EINVAL);
        }
        let mut max_vq = 0;
        for vq in __SVE_VQ_MIN..=__SVE_VQ_MAX {
            if vq_present(&vqs, vq) {
                max_vq = vq;
            }
        }
        if max_vq > __sve_vq_from_vl(self.host.kvm_sve_max_vl) {
            return Err(-EINVAL);
        }
        for vq in __SVE_VQ_MIN..=max_vq {
            if vq_present(&vqs, vq) != self.host.sve_vq_available(vq) {
                return Err(-EINVAL);
            }
        }
        if max_vq < __SVE_VQ_MIN {
            return Err(-EINVAL);
        }
        self.vcpus[v].sve_max_vl = __sve_vl_from_vq(max_vq);
        Ok(Out::None)
    }

    // sve.c: sve_reg_to_region()
    fn sve_reg_to_region(&self, v: usize, id: u64) -> Result<(u64, u64, u64), i32> {
        model_sve_reg_to_region(
            self.vcpu_has_sve(v),
            self.vcpus[v].sve_max_vl,
            self.vcpu_sve_state_size(v),
            id,
        )
    }

    // sve.c: kvm_arm_get_sve_reg() / kvm_arm_set_sve_reg() up to the copy
    fn sve_reg(&mut self, v: usize, id: u64, write: Option<[u64; 8]>) -> Result<Out, i32> {
        if id == KVM_REG_ARM64_SVE_VLS {
            return match write {
                Some(w) => self.set_sve_vls(v, w),
                None => self.get_sve_vls(v),
            };
        }
        let (koffset, klen, upad) = self.sve_reg_to_region(v, id)?;
        if !self.vcpus[v].sve_finalized {
            return Err(-EPERM);
        }
        Ok(Out::Region(koffset, klen, upad))
    }

    // arm.c: kvm_arch_vcpu_ioctl(KVM_{GET,SET}_ONE_REG) -> guest.c:
    // kvm_arm_{get,set}_reg()
    fn one_reg(&mut self, v: usize, id: u64, write: Option<[u64; 8]>) -> Result<Out, i32> {
        if !self.vcpus[v].initialized {
            return Err(-ENOEXEC);
        }
        match kvm_arm_reg_group(id)? {
            RegGroup::Core => core_reg(self.vcpu_has_sve(v), id, write.is_some()),
            RegGroup::Elsewhere => Ok(Out::Elsewhere),
            RegGroup::Sve => self.sve_reg(v, id, write),
        }
    }

    // arm.c: KVM_GET_REG_LIST, with a large enough buffer; the SVE part of
    // kvm_arm_copy_reg_indices() (kvm_arm_copy_sve_reg_indices()).
    fn reg_list(&self, v: usize) -> Result<Out, i32> {
        if !self.vcpus[v].initialized {
            return Err(-ENOEXEC);
        }
        if !self.kvm_arm_vcpu_is_finalized(v) {
            return Err(-EPERM);
        }
        let mut list = Vec::new();
        if self.vcpu_has_sve(v) {
            let slices = 1;
            list.push(KVM_REG_ARM64_SVE_VLS);
            for i in 0..slices {
                for n in 0..KVM_ARM64_SVE_NUM_ZREGS {
                    list.push(KVM_REG_ARM64_SVE_ZREG(n, i));
                }
                for n in 0..KVM_ARM64_SVE_NUM_PREGS {
                    list.push(KVM_REG_ARM64_SVE_PREG(n, i));
                }
                list.push(KVM_REG_ARM64_SVE_FFR(i));
            }
            // kvm_arm_num_sve_regs()
            let num = slices * (KVM_ARM64_SVE_NUM_PREGS + KVM_ARM64_SVE_NUM_ZREGS + 1) + 1;
            assert_eq!(list.len() as u64, num);
        }
        Ok(Out::List(list))
    }

    // arm.c: KVM_ARM_VCPU_FINALIZE -> sve.c: kvm_arm_vcpu_finalize()
    fn finalize(&mut self, v: usize, feature: i32) -> Result<Out, i32> {
        if !self.vcpus[v].initialized {
            return Err(-ENOEXEC);
        }
        if feature == KVM_ARM_VCPU_SVE as i32 {
            if !self.vcpu_has_sve(v) {
                return Err(-EINVAL);
            }
            if self.vcpus[v].sve_finalized {
                return Err(-EPERM);
            }
            // kvm_vcpu_finalize_sve()
            let vl = self.vcpus[v].sve_max_vl;
            assert!(__sve_vl_valid(vl) && vl <= 0x100, "finalize WARN: vl {vl}");
            self.vcpus[v].sve_state = true;
            self.vcpus[v].sve_finalized = true;
            return Ok(Out::None);
        }
        Err(-EINVAL)
    }

    // kvm_main.c: KVM_RUN -> arm.c: kvm_arch_vcpu_run_pid_change()
    fn run(&mut self, v: usize) -> Result<Out, i32> {
        if !self.vcpus[v].has_run {
            if !self.vcpus[v].initialized {
                return Err(-ENOEXEC);
            }
            if !self.kvm_arm_vcpu_is_finalized(v) {
                return Err(-EPERM);
            }
            self.vcpus[v].has_run = true;
        }
        Ok(Out::None)
    }

    fn apply(&mut self, op: &TOp) -> Result<Out, i32> {
        match op {
            TOp::Init { vcpu, sve } => {
                let f = if *sve { 1 << KVM_ARM_VCPU_SVE } else { 0 };
                self.vcpu_init(*vcpu, f)
            }
            TOp::GetOneReg { vcpu, id } => self.one_reg(*vcpu, *id, None),
            TOp::SetOneReg { vcpu, id, value } => {
                let w = value.words(&self.host);
                self.one_reg(*vcpu, *id, Some(w))
            }
            TOp::RegList { vcpu } => self.reg_list(*vcpu),
            TOp::Finalize { vcpu, what } => self.finalize(*vcpu, *what),
            TOp::Run { vcpu } => self.run(*vcpu),
        }
    }
}

/// sve_reg_to_region() of sve.c, transcribed.
fn model_sve_reg_to_region(
    has_sve: bool,
    sve_max_vl: u32,
    sve_state_size: u32,
    id: u64,
) -> Result<(u64, u64, u64), i32> {
    const fn GENMASK(h: u64, l: u64) -> u64 {
        (!0u64 << l) & (!0u64 >> (63 - h))
    }
    const SVE_REG_SLICE_SHIFT: u64 = 0;
    const SVE_REG_SLICE_BITS: u64 = 5;
    const SVE_REG_ID_SHIFT: u64 = SVE_REG_SLICE_SHIFT + SVE_REG_SLICE_BITS;
    const SVE_REG_ID_BITS: u64 = 5;
    const SVE_REG_SLICE_MASK: u64 = GENMASK(
        SVE_REG_SLICE_SHIFT + SVE_REG_SLICE_BITS - 1,
        SVE_REG_SLICE_SHIFT,
    );
    const SVE_REG_ID_MASK: u64 = GENMASK(SVE_REG_ID_SHIFT + SVE_REG_ID_BITS - 1, SVE_REG_ID_SHIFT);
    const SVE_NUM_SLICES: u64 = 1 << SVE_REG_SLICE_BITS;
    let KVM_SVE_ZREG_SIZE = KVM_REG_SIZE(KVM_REG_ARM64_SVE_ZREG(0, 0));
    let KVM_SVE_PREG_SIZE = KVM_REG_SIZE(KVM_REG_ARM64_SVE_PREG(0, 0));

    let zreg_id_min = KVM_REG_ARM64_SVE_ZREG(0, 0);
    let zreg_id_max = KVM_REG_ARM64_SVE_ZREG(u64::from(__SVE_NUM_ZREGS) - 1, SVE_NUM_SLICES - 1);
    let preg_id_min = KVM_REG_ARM64_SVE_PREG(0, 0);
    let preg_id_max = KVM_REG_ARM64_SVE_FFR(SVE_NUM_SLICES - 1);

    let reg_num = ((id & SVE_REG_ID_MASK) >> SVE_REG_ID_SHIFT) as u32;
    let (reqoffset, reqlen, maxlen);
    if id >= zreg_id_min && id <= zreg_id_max {
        if !has_sve || (id & SVE_REG_SLICE_MASK) > 0 {
            return Err(-ENOENT);
        }
        let vq = __sve_vq_from_vl(sve_max_vl);
        reqoffset = SVE_SIG_ZREG_OFFSET(vq, reg_num) - SVE_SIG_REGS_OFFSET;
        reqlen = KVM_SVE_ZREG_SIZE;
        maxlen = SVE_SIG_ZREG_SIZE(vq);
    } else if id >= preg_id_min && id <= preg_id_max {
        if !has_sve || (id & SVE_REG_SLICE_MASK) > 0 {
            return Err(-ENOENT);
        }
        let vq = __sve_vq_from_vl(sve_max_vl);
        reqoffset = SVE_SIG_PREG_OFFSET(vq, reg_num) - SVE_SIG_REGS_OFFSET;
        reqlen = KVM_SVE_PREG_SIZE;
        maxlen = SVE_SIG_PREG_SIZE(vq);
    } else {
        return Err(-EINVAL);
    }
    if sve_state_size == 0 {
        return Err(-EINVAL);
    }
    // array_index_nospec(index, size): index if index < size, else 0.
    let koffset = if reqoffset < sve_state_size {
        reqoffset
    } else {
        0
    };
    let klen = maxlen.min(reqlen);
    let upad = reqlen - klen;
    Ok((u64::from(koffset), u64::from(klen), u64::from(upad)))
}

// ---------------------------------------------------------------------------
// The Rust driver: the modules composed as the kernel side does, the C's
// part taken from the model.

struct Driver {
    host: HostSve,
    host_supports_sve: bool,
    kvm_sve_max_vl: u32,
    vm: VmFeatures,
    vcpus: Vec<(State, Option<Vq>)>,
}

impl Driver {
    fn new(h: &MHost, n: usize) -> Self {
        Driver {
            host: HostSve::new(VqSet::from_kernel_vq_map(&h.vq_map), h.kvm_sve_max_vl),
            host_supports_sve: h.supports_sve,
            kvm_sve_max_vl: h.kvm_sve_max_vl,
            vm: VmFeatures::Unconfigured,
            vcpus: vec![(State::Created, None); n],
        }
    }

    fn one_reg(&mut self, v: usize, id: u64, write: Option<[u64; 8]>) -> Result<Out, i32> {
        let (state, max_vq) = self.vcpus[v];
        if !state.is_initialized() {
            return Err(-ENOEXEC);
        }
        match kvm_arm_reg_group(id)? {
            RegGroup::Core => core_reg(state.has_sve(), id, write.is_some()),
            RegGroup::Elsewhere => Ok(Out::Elsewhere),
            RegGroup::Sve => {
                let (access, next) =
                    sve_reg_access(id, write.is_some(), state, max_vq).map_err(errno)?;
                let out = match (access, write) {
                    (SveAccess::Vls, Some(w)) => {
                        let vq = sve_vls::set_sve_vls(&w, &self.host).map_err(errno)?;
                        self.vcpus[v].1 = Some(vq);
                        Out::None
                    }
                    (SveAccess::Vls, None) => {
                        let vl = max_vq.map_or(0, Vq::vl);
                        Out::Vls(sve_vls::get_sve_vls(&self.host.vqs(), vl).map_err(errno)?)
                    }
                    (SveAccess::Region(r), _) => {
                        Out::Region(r.koffset as u64, r.klen as u64, r.upad as u64)
                    }
                };
                self.vcpus[v].0 = next;
                Ok(out)
            }
        }
    }

    /// `kvm_arm_vcpu_is_finalized()` as KVM_RUN and KVM_GET_REG_LIST ask
    /// it, past their own `ENOEXEC` check.
    fn finalized(&self, v: usize) -> Result<State, i32> {
        let state = self.vcpus[v].0;
        if !state.is_initialized() {
            return Err(-ENOEXEC);
        }
        if !state.is_finalized() {
            return Err(-EPERM);
        }
        Ok(state)
    }

    fn apply(&mut self, op: &TOp, h: &MHost) -> Result<Out, i32> {
        match op {
            TOp::Init { vcpu, sve } => {
                let (state, max_vq) = self.vcpus[*vcpu];
                let next = init_state(state, *sve, self.host_supports_sve, self.vm)?;
                // kvm_arm_vcpu_enable_sve(): sve_max_vl = kvm_sve_max_vl.
                let max_vq = match next {
                    State::SveInit => Vq::from_vl(self.kvm_sve_max_vl),
                    _ => max_vq,
                };
                self.vcpus[*vcpu] = (next, max_vq);
                self.vm = VmFeatures::Configured { sve: *sve };
                Ok(Out::None)
            }
            TOp::GetOneReg { vcpu, id } => self.one_reg(*vcpu, *id, None),
            TOp::SetOneReg { vcpu, id, value } => self.one_reg(*vcpu, *id, Some(value.words(h))),
            TOp::RegList { vcpu } => {
                let state = self.finalized(*vcpu)?;
                let ids: Vec<u64> = sve_reg_ids(state.has_sve()).collect();
                assert_eq!(ids.len(), sve_reg::num_sve_regs(state.has_sve()));
                Ok(Out::List(ids))
            }
            TOp::Finalize { vcpu, what } => {
                let next = check(self.vcpus[*vcpu].0, Op::Finalize(*what)).map_err(errno)?;
                self.vcpus[*vcpu].0 = next;
                Ok(Out::None)
            }
            TOp::Run { vcpu } => {
                // vcpu_has_run_once() from then on.
                let next = match self.finalized(*vcpu)? {
                    State::NoSve => State::NoSveRan,
                    State::SveFinalized => State::SveRan,
                    s => s,
                };
                self.vcpus[*vcpu].0 = next;
                Ok(Out::None)
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Strategies.

/// VQ 1 to 16 (every VL the architecture defines today) most of the time,
/// the ends of the range, and anything in between.
fn vq_strategy() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => 1u32..=16,
        1 => Just(512u32),
        1 => Just(1u32),
        2 => 17u32..=512,
    ]
}

fn slice_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![4 => Just(0u64), 2 => 1u64..32, 1 => 32u64..1000, 1 => any::<u64>()]
}

/// A well-formed SVE register ID, slice 0 mostly.
fn sve_id_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        (0u64..32, slice_strategy()).prop_map(|(n, i)| KVM_REG_ARM64_SVE_ZREG(n, i)),
        (0u64..16, slice_strategy()).prop_map(|(n, i)| KVM_REG_ARM64_SVE_PREG(n, i)),
        slice_strategy().prop_map(KVM_REG_ARM64_SVE_FFR),
        Just(KVM_REG_ARM64_SVE_VLS),
    ]
}

fn core_id_strategy() -> impl Strategy<Value = u64> {
    (
        0u64..232,
        prop::sample::select(SIZES.to_vec()),
        prop_oneof![9 => Just(0u64), 1 => Just(0x1000_0000u64)],
    )
        .prop_map(|(off, size, hi)| KVM_REG_ARM64 | size | KVM_REG_ARM_CORE | hi | off)
}

/// Every class of ID: SVE ones, malformed SVE ones (wrong size, bit flips,
/// numbers past the end, anything in the SVE block), other groups, wrong
/// architecture bits, and random `u64`s.
fn any_id_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        6 => sve_id_strategy(),
        2 => (sve_id_strategy(), 0u64..16)
            .prop_map(|(id, sz)| (id & !KVM_REG_SIZE_MASK) | (sz << KVM_REG_SIZE_SHIFT)),
        2 => (sve_id_strategy(), 0u32..64).prop_map(|(id, b)| id ^ (1u64 << b)),
        // P17-P31 (past FFR), Z/P with slice bits only, the gap 0x620-0x7ff.
        1 => (16u64..32, 0u64..32).prop_map(|(n, i)| KVM_REG_ARM64
            | KVM_REG_ARM64_SVE | KVM_REG_SIZE_U256 | 0x400 | (n << 5) | i),
        2 => (0u64..0x10000, prop::sample::select(SIZES.to_vec()))
            .prop_map(|(low, sz)| KVM_REG_ARM64 | KVM_REG_ARM64_SVE | sz | low),
        // Another group, or bits 31:28 set.
        1 => (sve_id_strategy(), 0u64..0x1000)
            .prop_map(|(id, c)| (id & !KVM_REG_ARM_COPROC_MASK) | (c << KVM_REG_ARM_COPROC_SHIFT)),
        1 => (sve_id_strategy(), 1u64..16).prop_map(|(id, hi)| id | (hi << 28)),
        // Wrong architecture byte, bits 51:32.
        1 => (sve_id_strategy(), any::<u8>())
            .prop_map(|(id, a)| (id & !KVM_REG_ARCH_MASK) | (u64::from(a) << 56)),
        1 => (sve_id_strategy(), 32u32..52).prop_map(|(id, b)| id | (1u64 << b)),
        2 => core_id_strategy(),
        1 => Just(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | 0xc000),
        1 => Just(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW),
        2 => any::<u64>(),
    ]
}

/// A host: whether it has SVE, its VQs (mostly within 1-16, sometimes
/// higher ones too), and kvm_sve_max_vl (mostly one of its VQs, capped as
/// kvm_arm_init_sve() does; sometimes not one of them).
fn host_strategy() -> impl Strategy<Value = MHost> {
    (
        prop_oneof![9 => Just(true), 1 => Just(false)],
        1u32..=0xffff,
        prop_oneof![4 => Just([0u64; 8]), 1 => any::<[u64; 8]>()],
        any::<prop::sample::Index>(),
        prop_oneof![8 => Just(false), 1 => Just(true)],
        1u32..=16,
    )
        .prop_map(|(sve, low, high, pick, odd_max, other)| {
            if !sve {
                return MHost {
                    supports_sve: false,
                    vq_map: [0; 8],
                    kvm_sve_max_vl: 0,
                };
            }
            let mut vqs: Vec<u32> = (1..=16).filter(|vq| low & (1 << (vq - 1)) != 0).collect();
            vqs.extend(
                (17..=512u32)
                    .filter(|vq| high[((vq - 1) / 64) as usize] >> ((vq - 1) % 64) & 1 != 0),
            );
            let max_vq = if odd_max {
                other
            } else {
                vqs[pick.index(vqs.len())]
            };
            // kvm_arm_init_sve(), as the kernel computes it.
            let vl = GuestMaxVl::new(max_vq * 16, max_vq * 16).vl;
            MHost {
                supports_sve: true,
                vq_map: kernel_vq_map(vqs),
                kvm_sve_max_vl: vl,
            }
        })
}

fn vls_value_strategy() -> impl Strategy<Value = VlsValue> {
    prop_oneof![
        4 => (0u32..=18).prop_map(VlsValue::HostPrefix),
        2 => (0u32..=18, 0u32..512).prop_map(|(m, b)| VlsValue::HostPrefixFlip(m, b)),
        1 => (0u32..24).prop_map(|b| VlsValue::HostPrefixFlip(16, b)),
        1 => any::<[u64; 8]>().prop_map(VlsValue::Raw),
        1 => Just(VlsValue::Raw([0; 8])),
    ]
}

/// Register IDs for the sequence test: the VLS register and Z/P/FFR mostly,
/// core V registers and other IDs sometimes.
fn seq_id_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(KVM_REG_ARM64_SVE_VLS),
        3 => sve_id_strategy(),
        1 => (0u64..32).prop_map(|n| KVM_REG_ARM64 | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE
            | (KVM_REG_ARM_CORE_REG!(fp_regs.vregs) + 4 * n)),
        1 => any_id_strategy(),
    ]
}

fn op_strategy() -> impl Strategy<Value = TOp> {
    let vcpu = prop_oneof![4 => Just(0usize), 1 => Just(1usize)];
    (
        vcpu,
        0u32..16,
        any::<bool>(),
        seq_id_strategy(),
        vls_value_strategy(),
        prop_oneof![6 => Just(4i32), 1 => -2i32..10, 1 => any::<i32>()],
    )
        .prop_map(|(vcpu, kind, sve, id, value, what)| match kind {
            0..=1 => TOp::Init {
                vcpu,
                sve: sve || kind == 0,
            },
            2..=3 => TOp::GetOneReg { vcpu, id },
            4..=7 => TOp::SetOneReg { vcpu, id, value },
            8..=9 => TOp::RegList { vcpu },
            10..=12 => TOp::Finalize { vcpu, what },
            _ => TOp::Run { vcpu },
        })
}

/// A sequence of ioctls, most often starting with `KVM_ARM_VCPU_INIT` of
/// one or both vCPUs so that the later steps are reached.
fn seq_strategy() -> impl Strategy<Value = Vec<TOp>> {
    (
        prop::option::weighted(0.8, any::<bool>()),
        prop::option::weighted(0.5, any::<bool>()),
        prop::collection::vec(op_strategy(), 1..24),
    )
        .prop_map(|(init0, init1, ops)| {
            let mut seq = Vec::new();
            if let Some(sve) = init0 {
                seq.push(TOp::Init { vcpu: 0, sve });
            }
            if let Some(sve) = init1 {
                seq.push(TOp::Init { vcpu: 1, sve });
            }
            seq.extend(ops);
            seq
        })
}

fn cfg(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn errno(e: Errno) -> i32 {
    e.to_neg()
}

fn layout_matches(vq: u32) {
    let l = Vq::new(vq).unwrap().layout();
    let r = SVE_SIG_REGS_OFFSET;
    assert_eq!(l.zreg_size() as u32, SVE_SIG_ZREG_SIZE(vq));
    assert_eq!(l.preg_size() as u32, SVE_SIG_PREG_SIZE(vq));
    assert_eq!(l.ffr_size() as u32, SVE_SIG_FFR_SIZE(vq));
    for n in 0..__SVE_NUM_ZREGS {
        assert_eq!(
            l.zreg_offset(n as usize).map(|o| o as u32),
            Some(SVE_SIG_ZREG_OFFSET(vq, n) - r)
        );
    }
    assert_eq!(l.zreg_offset(32), None);
    assert_eq!(l.pregs_offset() as u32, SVE_SIG_PREGS_OFFSET(vq) - r);
    for n in 0..__SVE_NUM_PREGS {
        assert_eq!(
            l.preg_offset(n as usize).map(|o| o as u32),
            Some(SVE_SIG_PREG_OFFSET(vq, n) - r)
        );
    }
    assert_eq!(l.preg_offset(16), None);
    assert_eq!(l.ffr_offset() as u32, SVE_SIG_FFR_OFFSET(vq) - r);
    assert_eq!(l.regs_size() as u32, SVE_SIG_REGS_SIZE(vq));
    let v = Vq::new(vq).unwrap();
    assert_eq!(v.vl(), __sve_vl_from_vq(vq));
    assert_eq!(Vq::from_vl(__sve_vl_from_vq(vq)), Some(v));
}

// ---------------------------------------------------------------------------
// Exhaustive checks where the space is small.

#[test]
fn layout_every_vq() {
    for vq in 1..=512 {
        layout_matches(vq);
    }
}

#[test]
fn region_every_sve_block_id() {
    // Every ID of the SVE group with the sizes the block uses, and every
    // size for the low part of the block, at VQ 1, 16 and 512.
    for &(vq, has_sve) in &[(1u32, true), (16, true), (512, true), (16, false)] {
        let vl = vq * 16;
        let size = SVE_SIG_REGS_SIZE(vq);
        let check_id = |id: u64| {
            let want = model_sve_reg_to_region(has_sve, vl, size, id);
            let got = sve_reg_to_region(id, has_sve, Vq::new(vq))
                .map(|r| (r.koffset as u64, r.klen as u64, r.upad as u64))
                .map_err(errno);
            assert_eq!(got, want, "id {id:#x} vq {vq} sve {has_sve}");
        };
        for sz in [KVM_REG_SIZE_U256, KVM_REG_SIZE_U512, KVM_REG_SIZE_U2048] {
            for low in 0..0x10000u64 {
                check_id(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | sz | low);
            }
        }
        for sz in SIZES {
            for low in 0..0x800u64 {
                check_id(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | sz | low);
            }
        }
    }
}

#[test]
fn reg_list_matches_model() {
    let ids: Vec<u64> = sve_reg_ids(true).collect();
    let mut want = vec![KVM_REG_ARM64_SVE_VLS];
    want.extend((0..32).map(|n| KVM_REG_ARM64_SVE_ZREG(n, 0)));
    want.extend((0..16).map(|n| KVM_REG_ARM64_SVE_PREG(n, 0)));
    want.push(KVM_REG_ARM64_SVE_FFR(0));
    assert_eq!(ids, want);
    for id in ids {
        assert_eq!(KVM_REG_SIZE(id) as usize, sve_reg::kvm_reg_size(id));
        assert!(SveReg::decode(id).is_ok());
    }
}

// ---------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(cfg(2000))]

    /// sve_layout against __SVE_* / SVE_SIG_*, VQ 1-16, 512 and between.
    #[test]
    fn prop_layout_matches_uapi(vq in vq_strategy()) {
        layout_matches(vq);
    }

    /// VL <-> VQ conversions and sve_vl_valid() on any u32.
    #[test]
    fn prop_vl_vq_conversions(vl in prop_oneof![0u32..9000, any::<u32>()]) {
        prop_assert_eq!(sve_layout::sve_vl_valid(vl), __sve_vl_valid(vl));
        prop_assert_eq!(sve_layout::sve_vq_from_vl(vl), __sve_vq_from_vl(vl));
        prop_assert_eq!(Vq::from_vl(vl).map(Vq::get), __sve_vl_valid(vl).then(|| __sve_vq_from_vl(vl)));
    }

    /// KVM_REG_ARM64_SVE_{ZREG,PREG,FFR} with any field values (masked as
    /// the macros mask them), and decoding back.
    #[test]
    fn prop_reg_id_macros(n in prop_oneof![0u32..40, any::<u32>()], i in prop_oneof![0u32..40, any::<u32>()]) {
        let z = KVM_REG_ARM64_SVE_ZREG(n.into(), i.into());
        let p = KVM_REG_ARM64_SVE_PREG(n.into(), i.into());
        let f = KVM_REG_ARM64_SVE_FFR(i.into());
        prop_assert_eq!(sve_reg::kvm_reg_arm64_sve_zreg(n, i), z);
        prop_assert_eq!(sve_reg::kvm_reg_arm64_sve_preg(n, i), p);
        prop_assert_eq!(sve_reg::kvm_reg_arm64_sve_ffr(i), f);
        prop_assert_eq!(SveReg::decode(z), Ok(SveReg::Z { n: (n % 32) as u8, slice: (i % 32) as u8 }));
        prop_assert_eq!(SveReg::decode(p), Ok(SveReg::P { n: (n % 16) as u8, slice: (i % 32) as u8 }));
        prop_assert_eq!(SveReg::decode(f), Ok(SveReg::Ffr { slice: (i % 32) as u8 }));
        prop_assert_eq!(sve_reg::KVM_REG_ARM64_SVE_VLS, KVM_REG_ARM64_SVE_VLS);
    }
}

proptest! {
    #![proptest_config(cfg(10000))]

    /// sve_reg_to_region() for every class of ID, with and without SVE, at
    /// VQ 1-16 and 512, and with an invalid sve_max_vl.
    #[test]
    fn prop_region_matches_model(
        id in any_id_strategy(),
        vq in vq_strategy(),
        has_sve in prop_oneof![4 => Just(true), 1 => Just(false)],
        bad_vl in prop_oneof![19 => Just(false), 1 => Just(true)],
    ) {
        let vl = if bad_vl { 0 } else { vq * 16 };
        let size = if __sve_vl_valid(vl) { SVE_SIG_REGS_SIZE(__sve_vq_from_vl(vl)) } else { 0 };
        let want = model_sve_reg_to_region(has_sve, vl, size, id);
        let got = sve_reg_to_region(id, has_sve, Vq::from_vl(vl))
            .map(|r| (r.koffset as u64, r.klen as u64, r.upad as u64))
            .map_err(errno);
        prop_assert_eq!(got, want);
        if let Ok((koffset, klen, upad)) = got {
            // Never outside sve_state, the user buffer always full size.
            prop_assert!(koffset + klen <= u64::from(size));
            prop_assert_eq!(klen + upad, u64::from(KVM_REG_SIZE(id)));
        }
    }

    /// One KVM_{GET,SET}_ONE_REG on a vCPU in any state, any ID: the
    /// dispatch of kvm_arm_{get,set}_reg(), the core and SVE paths.
    #[test]
    fn prop_one_reg_matches_model(
        id in any_id_strategy(),
        host in host_strategy(),
        prefix in seq_strategy(),
        write in any::<bool>(),
        value in vls_value_strategy(),
    ) {
        let mut m = Model { host: host.clone(), vm: MVm::default(), vcpus: vec![MVcpu::default(); 2] };
        let mut d = Driver::new(&host, 2);
        for op in &prefix {
            let _ = m.apply(op);
            let _ = d.apply(op, &host);
        }
        let op = if write {
            TOp::SetOneReg { vcpu: 0, id, value }
        } else {
            TOp::GetOneReg { vcpu: 0, id }
        };
        prop_assert_eq!(d.apply(&op, &host), m.apply(&op));
    }
}

proptest! {
    #![proptest_config(cfg(5000))]

    /// get_sve_vls() for any host VQ set and vCPU maximum.
    #[test]
    fn prop_vls_get_matches_model(host in host_strategy(), max_vl in prop_oneof![
        8 => (1u32..=16).prop_map(|vq| vq * 16),
        1 => Just(8192u32),
        1 => 0u32..9000,
    ]) {
        let m = Model {
            host: host.clone(),
            vm: MVm::default(),
            vcpus: vec![MVcpu { initialized: true, guest_has_sve: true, sve_max_vl: max_vl, ..MVcpu::default() }],
        };
        let want = match m.get_sve_vls(0) {
            Ok(Out::Vls(w)) => Ok(w),
            Ok(o) => panic!("{o:?}"),
            Err(e) => Err(e),
        };
        if !host.supports_sve {
            prop_assert_eq!(want, Err(-ENOENT));
            return Ok(());
        }
        let set = VqSet::from_kernel_vq_map(&host.vq_map);
        prop_assert_eq!(sve_vls::get_sve_vls(&set, max_vl).map_err(errno), want);
    }

    /// set_sve_vls() for any written value on any host: the errno, and the
    /// new sve_max_vl.
    #[test]
    fn prop_vls_set_matches_model(host in host_strategy(), value in vls_value_strategy()) {
        let mut m = Model {
            host: host.clone(),
            vm: MVm::default(),
            vcpus: vec![MVcpu {
                initialized: true,
                guest_has_sve: true,
                sve_max_vl: host.kvm_sve_max_vl,
                ..MVcpu::default()
            }],
        };
        if !host.supports_sve {
            return Ok(());
        }
        let w = value.words(&host);
        let want = m.set_sve_vls(0, w).map(|_| m.vcpus[0].sve_max_vl);
        let h = HostSve::new(VqSet::from_kernel_vq_map(&host.vq_map), host.kvm_sve_max_vl);
        let got = sve_vls::set_sve_vls(&w, &h).map(Vq::vl).map_err(errno);
        prop_assert_eq!(got, want);
        // What was accepted reads back as written.
        if let Ok(vl) = got {
            prop_assert_eq!(sve_vls::get_sve_vls(&h.vqs(), vl), Ok(w));
        }
    }

    /// The kernel's reversed vq_map and the VLS order hold the same set.
    #[test]
    fn prop_vq_map_round_trip(words in any::<[u64; 8]>()) {
        let s = VqSet::from_vls_words(words);
        let map = kernel_vq_map((1..=512).filter(|&vq| vq_present(&words, vq)));
        prop_assert_eq!(VqSet::from_kernel_vq_map(&map), s);
        let h = MHost { supports_sve: true, vq_map: map, kvm_sve_max_vl: 0 };
        for vq in 1..=512 {
            prop_assert_eq!(s.contains(vq), h.sve_vq_available(vq));
            prop_assert_eq!(s.contains(vq), vq_present(&words, vq));
        }
        prop_assert_eq!(s.max().map(Vq::get), (1..=512).rev().find(|&vq| vq_present(&words, vq)));
    }
}

proptest! {
    #![proptest_config(cfg(10000))]

    /// Whole configuration sequences on two vCPUs of one VM: every ioctl's
    /// result and output, and after each one the state the table holds
    /// against the C's flags.
    #[test]
    fn prop_sequence_matches_model(
        host in host_strategy(),
        ops in seq_strategy(),
    ) {
        let mut m = Model { host: host.clone(), vm: MVm::default(), vcpus: vec![MVcpu::default(); 2] };
        let mut d = Driver::new(&host, 2);
        for (i, op) in ops.iter().enumerate() {
            let want = m.apply(op);
            let got = d.apply(op, &host);
            prop_assert_eq!(&got, &want, "op {} {:?}", i, op);
            for v in 0..2 {
                let mv = &m.vcpus[v];
                let (state, max_vq) = d.vcpus[v];
                let from_c = State::from_flags(mv.initialized, m.vcpu_has_sve(v), mv.sve_finalized, mv.has_run);
                let norm = if state == State::SveVlsSet { State::SveInit } else { state };
                prop_assert_eq!(norm, from_c, "vcpu {} after op {} {:?}", v, i, op);
                prop_assert_eq!(state.is_finalized(), m.kvm_arm_vcpu_is_finalized(v));
                if state.has_sve() {
                    prop_assert_eq!(max_vq.map(Vq::vl), Some(mv.sve_max_vl));
                }
            }
        }
    }
}
