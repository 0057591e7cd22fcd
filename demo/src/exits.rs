//! Running the vCPU: an owned description of each exit, obtained either
//! through `kvm-ioctls` (`VcpuFd::run`) or through a `KVM_RUN` issued from
//! inline assembly that also checks the VMM's own FP/SIMD registers.

use std::os::fd::AsRawFd;

use kvm_bindings::{KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT};
use kvm_ioctls::{VcpuExit, VcpuFd};

use crate::Result;

/// One vCPU exit, copied out of `kvm_run` so the vCPU can be used again
/// while the exit is being handled.
#[derive(Debug)]
pub enum Exit {
    /// Guest store to an address with no memory slot.
    MmioWrite { addr: u64, value: u64 },
    /// Guest load from an address with no memory slot.
    MmioRead { addr: u64 },
    /// `KVM_EXIT_SYSTEM_EVENT` (e.g. PSCI SYSTEM_OFF), with its type.
    SystemEvent { kind: u32 },
    /// `KVM_RUN` returned EINTR / EAGAIN: nothing happened, run again.
    Interrupted,
    /// Anything else, described for the report.
    Other(String),
}

/// The little-endian value of an MMIO write (1 to 8 bytes).
fn mmio_value(data: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let len = data.len().min(8);
    bytes[..len].copy_from_slice(&data[..len]);
    u64::from_le_bytes(bytes)
}

/// Runs the vCPU through `kvm-ioctls`.
pub fn run(vcpu: &mut VcpuFd) -> Result<Exit> {
    match vcpu.run() {
        Ok(VcpuExit::MmioWrite(addr, data)) => Ok(Exit::MmioWrite {
            addr,
            value: mmio_value(data),
        }),
        Ok(VcpuExit::MmioRead(addr, data)) => {
            // The guest never reads MMIO; give it zeros and report it.
            data.fill(0);
            Ok(Exit::MmioRead { addr })
        }
        Ok(VcpuExit::SystemEvent(kind, _data)) => Ok(Exit::SystemEvent { kind }),
        Ok(other) => Ok(Exit::Other(format!("{other:?}"))),
        Err(e) if e.errno() == libc::EINTR || e.errno() == libc::EAGAIN => Ok(Exit::Interrupted),
        Err(e) => Err(format!("KVM_RUN: {e}")),
    }
}

/// `_IO(KVMIO, 0x80)`.
const KVM_RUN: u64 = 0xae80;

/// A pattern for the VMM's 32 FP/SIMD registers that differs on every call.
pub fn sentinel_pattern(seed: u64) -> [u128; 32] {
    std::array::from_fn(|n| {
        let lo = 0x5eed_0000_0000_0000 | seed << 8 | n as u64;
        let hi = !lo ^ (n as u64) << 56;
        u128::from(hi) << 64 | u128::from(lo)
    })
}

/// Issues `KVM_RUN` from inline assembly with the VMM's own v0..v31 loaded
/// from `pattern`, and returns the exit together with v0..v31 as they were
/// right after the syscall. The syscall ABI preserves the V registers, so
/// they must come back equal to `pattern` even though the guest used its
/// own FP/SIMD (and SVE) state on this CPU in between.
pub fn run_with_host_sentinel(
    vcpu: &mut VcpuFd,
    pattern: &[u128; 32],
) -> Result<(Exit, [u128; 32])> {
    let mut after = [0u128; 32];
    let ret: i64;
    // SAFETY: ioctl(vcpu_fd, KVM_RUN, 0) on a vCPU fd we own; `src` points to
    // 512 readable bytes and `dst` to 512 writable bytes; every register the
    // block writes is declared (x0 result, v0-v31 clobbered, the pointer
    // registers as discarded outputs); the syscall itself preserves all
    // other registers.
    unsafe {
        std::arch::asm!(
            "ld1 {{v0.2d, v1.2d, v2.2d, v3.2d}}, [{src}], #64",
            "ld1 {{v4.2d, v5.2d, v6.2d, v7.2d}}, [{src}], #64",
            "ld1 {{v8.2d, v9.2d, v10.2d, v11.2d}}, [{src}], #64",
            "ld1 {{v12.2d, v13.2d, v14.2d, v15.2d}}, [{src}], #64",
            "ld1 {{v16.2d, v17.2d, v18.2d, v19.2d}}, [{src}], #64",
            "ld1 {{v20.2d, v21.2d, v22.2d, v23.2d}}, [{src}], #64",
            "ld1 {{v24.2d, v25.2d, v26.2d, v27.2d}}, [{src}], #64",
            "ld1 {{v28.2d, v29.2d, v30.2d, v31.2d}}, [{src}], #64",
            "svc #0",
            "st1 {{v0.2d, v1.2d, v2.2d, v3.2d}}, [{dst}], #64",
            "st1 {{v4.2d, v5.2d, v6.2d, v7.2d}}, [{dst}], #64",
            "st1 {{v8.2d, v9.2d, v10.2d, v11.2d}}, [{dst}], #64",
            "st1 {{v12.2d, v13.2d, v14.2d, v15.2d}}, [{dst}], #64",
            "st1 {{v16.2d, v17.2d, v18.2d, v19.2d}}, [{dst}], #64",
            "st1 {{v20.2d, v21.2d, v22.2d, v23.2d}}, [{dst}], #64",
            "st1 {{v24.2d, v25.2d, v26.2d, v27.2d}}, [{dst}], #64",
            "st1 {{v28.2d, v29.2d, v30.2d, v31.2d}}, [{dst}], #64",
            src = inout(reg) pattern.as_ptr() => _,
            dst = inout(reg) after.as_mut_ptr() => _,
            inout("x0") i64::from(vcpu.as_raw_fd()) => ret,
            in("x1") KVM_RUN,
            in("x2") 0u64,
            in("x8") libc::SYS_ioctl,
            out("v0") _, out("v1") _, out("v2") _, out("v3") _,
            out("v4") _, out("v5") _, out("v6") _, out("v7") _,
            out("v8") _, out("v9") _, out("v10") _, out("v11") _,
            out("v12") _, out("v13") _, out("v14") _, out("v15") _,
            out("v16") _, out("v17") _, out("v18") _, out("v19") _,
            out("v20") _, out("v21") _, out("v22") _, out("v23") _,
            out("v24") _, out("v25") _, out("v26") _, out("v27") _,
            out("v28") _, out("v29") _, out("v30") _, out("v31") _,
            options(nostack),
        );
    }
    if ret < 0 {
        let errno = (-ret) as i32;
        if errno == libc::EINTR || errno == libc::EAGAIN {
            return Ok((Exit::Interrupted, after));
        }
        return Err(format!(
            "KVM_RUN (raw): {}",
            std::io::Error::from_raw_os_error(errno)
        ));
    }
    let run = vcpu.get_kvm_run();
    let exit = match run.exit_reason {
        KVM_EXIT_MMIO => {
            // SAFETY: exit_reason says the `mmio` member of the union is valid.
            let mmio = unsafe { run.__bindgen_anon_1.mmio };
            let len = (mmio.len as usize).min(8);
            if mmio.is_write != 0 {
                Exit::MmioWrite {
                    addr: mmio.phys_addr,
                    value: mmio_value(&mmio.data[..len]),
                }
            } else {
                // The guest never reads MMIO; give it zeros.
                run.__bindgen_anon_1.mmio.data = [0; 8];
                Exit::MmioRead {
                    addr: mmio.phys_addr,
                }
            }
        }
        KVM_EXIT_SYSTEM_EVENT => {
            // SAFETY: exit_reason says the `system_event` member is valid.
            let kind = unsafe { run.__bindgen_anon_1.system_event.type_ };
            Exit::SystemEvent { kind }
        }
        reason => Exit::Other(format!("exit reason {reason}")),
    };
    Ok((exit, after))
}
