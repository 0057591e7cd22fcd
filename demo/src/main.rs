//! fp-demo-vmm: a tiny arm64 VMM showing that a guest's FP/SIMD and SVE
//! register state survives many exits to the VMM.
//!
//! It creates one vCPU (with SVE when KVM offers it), runs a hand-assembled
//! guest program (see [`guest`]) that updates all 32 vector registers, checks
//! them itself and exits to the VMM with an MMIO write on every iteration.
//! The VMM keeps its own expectation: it checks the iteration numbers, reads
//! every vector register with `KVM_GET_ONE_REG` now and then and at the end,
//! and on every other exit issues `KVM_RUN` itself with its own FP/SIMD
//! registers loaded with a pattern that must survive the guest run.
//!
//! With `--snapshot-at N` the VMM also saves the running vCPU and its RAM at
//! iteration `N`, closes the VM and restores the snapshot into a new VM (see
//! [`snapshot`]), where the guest goes on to the end.
//!
//! Usage: `fp-demo-vmm [--vq N] [--iters N] [--snapshot-at N]`. Prints a
//! report ending in `fp-demo-vmm: PASS` (exit code 0) or
//! `fp-demo-vmm: FAIL: <reason>` (1).

mod exits;
mod guest;
mod regs;
mod snapshot;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::process::ExitCode;

use kvm_bindings::{
    kvm_userspace_memory_region, kvm_vcpu_init, KVM_ARM_VCPU_PSCI_0_2, KVM_ARM_VCPU_SVE,
    KVM_SYSTEM_EVENT_SHUTDOWN,
};
use kvm_ioctls::{Cap, Kvm, VcpuFd, VmFd};

use exits::Exit;
use regs::Layout;

/// Errors are reported as text: this is a demo, every failure ends the run.
pub type Result<T> = std::result::Result<T, String>;

/// Adds "while doing X" context to any displayable error.
trait Context<T> {
    fn context(self, what: &str) -> Result<T>;
}

impl<T, E: Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: &str) -> Result<T> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

/// Default number of guest loop iterations (= PROGRESS exits).
const DEFAULT_ITERATIONS: u64 = 1000;
/// The VMM reads and checks all vector registers every this many iterations
/// (and at iteration 1 and at the last one).
const CHECK_EVERY: u64 = 100;
/// PSTATE for the guest: EL1h (SPSel = 1) with D, A, I and F masked.
const PSTATE_EL1H_DAIF_MASKED: u64 = 0x3c5;

/// Command-line options.
struct Options {
    /// Limit the SVE vector length to at most this many quadwords.
    vq_limit: Option<u32>,
    /// Number of guest loop iterations.
    iterations: u64,
    /// Snapshot the vCPU at this iteration and go on in a new VM.
    snapshot_at: Option<u64>,
}

const USAGE: &str = "usage: fp-demo-vmm [--vq N] [--iters N] [--snapshot-at N]
  --vq N           limit the guest's SVE vector length to N x 128 bits (1..=16)
  --iters N        guest loop iterations, one MMIO exit each (1..=65535, default 1000)
  --snapshot-at N  after iteration N (1..=iterations), save the vCPU and RAM,
                   close the VM and go on in a new VM restored from the snapshot";

fn parse_args() -> Result<Options> {
    let mut opts = Options {
        vq_limit: None,
        iterations: DEFAULT_ITERATIONS,
        snapshot_at: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<u64> {
            let v = args
                .next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
            v.parse().map_err(|e| format!("{name} {v}: {e}\n{USAGE}"))
        };
        match arg.as_str() {
            "--vq" => {
                let vq = value("--vq")?;
                if !(1..=16).contains(&vq) {
                    return Err(format!("--vq {vq}: must be 1..=16"));
                }
                opts.vq_limit = Some(vq as u32);
            }
            "--iters" => {
                let n = value("--iters")?;
                // The counters keep i in the low 16 bits of each lane.
                if !(1..=0xffff).contains(&n) {
                    return Err(format!("--iters {n}: must be 1..=65535"));
                }
                opts.iterations = n;
            }
            "--snapshot-at" => opts.snapshot_at = Some(value("--snapshot-at")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if let Some(n) = opts.snapshot_at {
        if !(1..=opts.iterations).contains(&n) {
            return Err(format!(
                "--snapshot-at {n}: must be 1..={} (the iterations)",
                opts.iterations
            ));
        }
    }
    Ok(opts)
}

/// Which FP/SIMD implementation the running kernel says KVM uses.
///
/// Looks for the kernel log line containing "KVM FP/SIMD:", which the Rust
/// kernel prints at boot; without it, the upstream C code.
fn fp_implementation() -> String {
    if let Some(line) = kmsg_find("KVM FP/SIMD:") {
        return format!("{line} (from the kernel log)");
    }
    "C (upstream fpsimd.c; no Rust FP implementation reported)".to_string()
}

/// Returns the message text of the first kernel log record containing
/// `needle`, reading /dev/kmsg without blocking.
fn kmsg_find(needle: &str) -> Option<String> {
    let mut kmsg = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open("/dev/kmsg")
        .ok()?;
    // Each read returns one record: "prio,seq,usec,flags;message\n...".
    let mut buf = vec![0u8; 8192];
    loop {
        match kmsg.read(&mut buf) {
            Ok(0) => return None,
            Ok(n) => {
                let record = String::from_utf8_lossy(&buf[..n]);
                let message = record.split_once(';').map_or(&*record, |(_, m)| m);
                let message = message.lines().next().unwrap_or("");
                if message.contains(needle) {
                    return Some(message.trim().to_string());
                }
            }
            // EPIPE: the record we were at was overwritten; keep going.
            Err(e) if e.raw_os_error() == Some(libc::EPIPE) => continue,
            // EAGAIN (end of the log) or anything else.
            Err(_) => return None,
        }
    }
}

/// Anonymous memory backing guest RAM, unmapped on drop.
struct GuestRam {
    ptr: *mut u8,
    len: usize,
}

impl GuestRam {
    fn new(len: usize) -> Result<Self> {
        // SAFETY: a fresh private anonymous mapping; the result is checked.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(format!(
                "mmap guest RAM: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(GuestRam {
            ptr: ptr.cast(),
            len,
        })
    }

    /// Host virtual address, for KVM_SET_USER_MEMORY_REGION.
    fn host_addr(&self) -> u64 {
        self.ptr as u64
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: ptr/len describe our live mapping; &mut self gives exclusive
        // access from the VMM side (the guest is not running while we write).
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    /// Copies instruction words (little-endian) to the start of RAM.
    fn load_program(&mut self, words: &[u32]) -> Result<()> {
        let bytes = self.bytes_mut();
        if words.len() * 4 > bytes.len() {
            return Err("guest program does not fit in guest RAM".into());
        }
        for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        Ok(())
    }
}

impl Drop for GuestRam {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly the mapping created in `new`.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}

/// A VM, its vCPU 0 and the RAM of its only memory slot. The fields drop in
/// declaration order: the vCPU and the VM are closed before the RAM they map
/// is unmapped.
struct Machine {
    vcpu: VcpuFd,
    _vm: VmFd,
    ram: GuestRam,
}

impl Machine {
    /// Creates a VM with `ram` at [`guest::RAM_BASE`] and vCPU 0 initialised
    /// with `target` (`None`: `KVM_ARM_PREFERRED_TARGET`) and `features`.
    /// Returns the machine and the `kvm_vcpu_init` it used.
    fn new(
        kvm: &Kvm,
        ram: GuestRam,
        target: Option<u32>,
        features: [u32; 7],
    ) -> Result<(Self, kvm_vcpu_init)> {
        let vm = kvm.create_vm().context("KVM_CREATE_VM")?;
        let region = kvm_userspace_memory_region {
            slot: 0,
            flags: 0,
            guest_phys_addr: guest::RAM_BASE,
            memory_size: ram.len as u64,
            userspace_addr: ram.host_addr(),
        };
        // SAFETY: the region is exactly `ram`'s mapping, which the returned
        // Machine unmaps only after closing the VM (field order), and which
        // an error return unmaps after `vm` is dropped (a parameter outlives
        // the locals).
        unsafe { vm.set_user_memory_region(region) }.context("KVM_SET_USER_MEMORY_REGION")?;
        let vcpu = vm.create_vcpu(0).context("KVM_CREATE_VCPU")?;
        let mut kvi = kvm_vcpu_init::default();
        match target {
            Some(t) => kvi.target = t,
            None => vm
                .get_preferred_target(&mut kvi)
                .context("KVM_ARM_PREFERRED_TARGET")?,
        }
        kvi.features = features;
        vcpu.vcpu_init(&kvi).context("KVM_ARM_VCPU_INIT")?;
        Ok((Machine { vcpu, _vm: vm, ram }, kvi))
    }
}

/// The VQs (vector lengths in quadwords) set in a `KVM_REG_ARM64_SVE_VLS`
/// bitmap: bit `vq - 1` of the 512-bit value.
fn vls_to_vqs(vls: &[u64; 8]) -> Vec<u32> {
    (1..=512u32)
        .filter(|vq| vls[((vq - 1) / 64) as usize] >> ((vq - 1) % 64) & 1 == 1)
        .collect()
}

fn vls_read(vcpu: &VcpuFd) -> Result<[u64; 8]> {
    let mut buf = [0u8; 64];
    regs::read_reg(vcpu, regs::SVE_VLS, &mut buf)?;
    let mut vls = [0u64; 8];
    for (word, chunk) in vls.iter_mut().zip(buf.chunks_exact(8)) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        *word = u64::from_le_bytes(bytes);
    }
    Ok(vls)
}

fn vls_describe(vqs: &[u32]) -> String {
    let list: Vec<String> = vqs.iter().map(u32::to_string).collect();
    format!("VQ {{{}}}", list.join(","))
}

/// Configures SVE on an initialised vCPU: reads the vector lengths KVM
/// offers, optionally drops those above `limit`, finalizes. Returns the VQ
/// the guest will get.
fn configure_sve(vcpu: &VcpuFd, limit: Option<u32>) -> Result<u32> {
    let mut vls = vls_read(vcpu)?;
    let offered = vls_to_vqs(&vls);
    println!("SVE VLS read: {:#x} = {}", vls[0], vls_describe(&offered));
    if let Some(limit) = limit {
        // Clear every VQ above the limit and write the set back. KVM only
        // accepts a set that matches the host's up to its largest member.
        for vq in offered.iter().filter(|&&vq| vq > limit) {
            vls[((vq - 1) / 64) as usize] &= !(1 << ((vq - 1) % 64));
        }
        if vls_to_vqs(&vls).is_empty() {
            return Err(format!("--vq {limit}: no offered VQ is <= {limit}"));
        }
        let bytes: Vec<u8> = vls.iter().flat_map(|w| w.to_le_bytes()).collect();
        vcpu.set_one_reg(regs::SVE_VLS, &bytes)
            .context("KVM_SET_ONE_REG(SVE_VLS)")?;
        let back = vls_read(vcpu)?;
        println!(
            "SVE VLS written (--vq {limit}): {:#x} = {}",
            back[0],
            vls_describe(&vls_to_vqs(&back))
        );
        vls = back;
    }
    let vq = *vls_to_vqs(&vls)
        .last()
        .ok_or("KVM offers no SVE vector length")?;
    if vq as usize * 16 > regs::ZREG_BYTES {
        // Architecturally impossible (SVE stops at 2048 bits).
        return Err(format!("VQ {vq} is larger than one register slice"));
    }
    println!(
        "SVE VQ chosen: {vq} (VL {} bits = {} bytes), the largest in the set",
        vq * 128,
        vq * 16
    );
    vcpu.vcpu_finalize(&(KVM_ARM_VCPU_SVE as i32))
        .context("KVM_ARM_VCPU_FINALIZE(SVE)")?;
    println!("KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE): ok");
    Ok(vq)
}

/// Counts of each kind of exit, for the report.
#[derive(Default)]
struct ExitCounts(BTreeMap<String, u64>);

impl ExitCounts {
    fn add(&mut self, kind: impl Into<String>) {
        *self.0.entry(kind.into()).or_default() += 1;
    }
    fn total(&self) -> u64 {
        self.0.values().sum()
    }
}

/// What happened while the guest ran.
#[derive(Default)]
struct RunResult {
    exits: ExitCounts,
    progress: u64,
    guest_vl: Option<u64>,
    done: Option<u64>,
    shutdown: bool,
    mid_checks: Vec<u64>,
    regs_per_check: usize,
    sentinel_runs: u64,
    runs: u64,
    problems: Vec<String>,
}

/// Runs the guest, checking as it goes, until it powers off, a problem is
/// found or (with `stop_after`) the PROGRESS exit of that iteration has been
/// checked. Adds to `r`, so that a run can go on where another stopped.
fn run_guest(
    vcpu: &mut VcpuFd,
    layout: Layout,
    iterations: u64,
    stop_after: Option<u64>,
    r: &mut RunResult,
) -> Result<()> {
    // A few exits besides PROGRESS (VL, DONE, shutdown) plus retries.
    let max_runs = iterations + 64;
    while !r.shutdown {
        if r.runs == max_runs {
            r.problems
                .push(format!("guest still running after {max_runs} KVM_RUNs"));
            break;
        }
        r.runs += 1;
        // Alternate between kvm-ioctls' run() and the raw KVM_RUN that also
        // checks the VMM's own FP/SIMD registers.
        let exit = if r.runs.is_multiple_of(2) {
            let pattern = exits::sentinel_pattern(r.runs);
            let (exit, after) = exits::run_with_host_sentinel(vcpu, &pattern)?;
            r.sentinel_runs += 1;
            if let Some(n) = (0..32).find(|&n| after[n] != pattern[n]) {
                r.problems.push(format!(
                    "VMM's own v{n} changed across KVM_RUN: {:#034x} -> {:#034x}",
                    pattern[n], after[n]
                ));
                break;
            }
            exit
        } else {
            exits::run(vcpu)?
        };
        match exit {
            Exit::MmioWrite { addr, value } => match addr {
                guest::MMIO_PROGRESS => {
                    r.exits.add("MMIO write PROGRESS");
                    r.progress += 1;
                    if value != r.progress {
                        r.problems.push(format!(
                            "PROGRESS exit {} carried iteration {value}",
                            r.progress
                        ));
                        break;
                    }
                    let i = value;
                    if i == 1 || i.is_multiple_of(CHECK_EVERY) || i == iterations {
                        let (summary, problems) = regs::check_all(vcpu, layout, i)?;
                        r.mid_checks.push(i);
                        r.regs_per_check = summary.count;
                        if !problems.is_empty() {
                            r.problems.push(format!(
                                "VMM register check at iteration {i}: {}",
                                problems.join("; ")
                            ));
                            break;
                        }
                    }
                    if i.is_multiple_of(250) {
                        println!("  iteration {i}: guest and VMM agree so far");
                    }
                    if stop_after == Some(i) {
                        break;
                    }
                }
                guest::MMIO_VL => {
                    r.exits.add("MMIO write VL");
                    r.guest_vl = Some(value);
                }
                guest::MMIO_DONE => {
                    r.exits.add("MMIO write DONE");
                    r.done = Some(value);
                }
                guest::MMIO_FAIL => {
                    r.exits.add("MMIO write FAIL");
                    let (reg, i) = (value >> 32, value & 0xffff_ffff);
                    let name = if layout.sve { "Z" } else { "V" };
                    let mut msg =
                        format!("guest self-check failed at iteration {i} on {name}{reg}");
                    // Let the VMM say what it sees, for diagnosis.
                    let (_, problems) = regs::check_all(vcpu, layout, i)?;
                    if !problems.is_empty() {
                        msg += &format!(" (VMM sees: {})", problems.join("; "));
                    }
                    r.problems.push(msg);
                }
                other => {
                    r.exits.add(format!("MMIO write {other:#x}"));
                    r.problems
                        .push(format!("unexpected MMIO write {value:#x} to {other:#x}"));
                    break;
                }
            },
            Exit::MmioRead { addr } => {
                r.exits.add("MMIO read");
                r.problems
                    .push(format!("unexpected MMIO read at {addr:#x}"));
                break;
            }
            Exit::SystemEvent { kind } => {
                if kind == KVM_SYSTEM_EVENT_SHUTDOWN {
                    r.exits.add("SYSTEM_EVENT shutdown (PSCI SYSTEM_OFF)");
                    r.shutdown = true;
                } else {
                    r.exits.add(format!("SYSTEM_EVENT type {kind}"));
                    r.problems.push(format!("unexpected system event {kind}"));
                    break;
                }
            }
            Exit::Interrupted => r.exits.add("KVM_RUN interrupted (EINTR)"),
            Exit::Other(what) => {
                r.exits.add("other");
                r.problems.push(format!("unexpected exit: {what}"));
                break;
            }
        }
    }
    Ok(())
}

/// Everything from opening /dev/kvm to the final register check. Returns the
/// list of problems found (empty = pass); `Err` for setup errors.
fn run(opts: &Options) -> Result<Vec<String>> {
    println!("implementation: {}", fp_implementation());

    let kvm = Kvm::new().context("open /dev/kvm")?;
    let has_sve = kvm.check_extension(Cap::ArmSve);
    println!(
        "KVM API version {}; KVM_CAP_ARM_SVE: {}",
        kvm.get_api_version(),
        if has_sve { "yes" } else { "no" }
    );

    // Guest RAM with the program at its start.
    let program = if has_sve {
        guest::GUEST_SVE
    } else {
        guest::GUEST_FPSIMD
    };
    let mut ram = GuestRam::new(guest::RAM_SIZE)?;
    ram.load_program(program)?;

    let mut features = [0u32; 7];
    features[0] |= 1 << KVM_ARM_VCPU_PSCI_0_2;
    if has_sve {
        features[0] |= 1 << KVM_ARM_VCPU_SVE;
    }
    let (mut m, kvi) = Machine::new(&kvm, ram, None, features)?;
    println!(
        "vCPU 0: target {} (KVM_ARM_PREFERRED_TARGET), features PSCI_0_2{}",
        kvi.target,
        if has_sve { " SVE" } else { "" }
    );

    let layout = if has_sve {
        let vq = configure_sve(&m.vcpu, opts.vq_limit)?;
        Layout {
            sve: true,
            vl: vq as usize * 16,
        }
    } else {
        println!("SVE: not offered by KVM; running the FP/SIMD-only guest (V registers)");
        if opts.vq_limit.is_some() {
            println!("  (--vq ignored without SVE)");
        }
        Layout { sve: false, vl: 16 }
    };

    // Initial register state: PC at the program, SP at the top of RAM, EL1h
    // with interrupts masked, x0 = iteration count.
    let set = |id: u64, value: u64, what: &str| {
        m.vcpu
            .set_one_reg(id, &value.to_le_bytes())
            .map(|_| ())
            .context(&format!("KVM_SET_ONE_REG({what})"))
    };
    set(regs::CORE_PC, guest::RAM_BASE, "pc")?;
    set(
        regs::CORE_SP_EL1,
        guest::RAM_BASE + guest::RAM_SIZE as u64,
        "sp_el1",
    )?;
    set(regs::CORE_PSTATE, PSTATE_EL1H_DAIF_MASKED, "pstate")?;
    set(regs::core_x(0), opts.iterations, "x0")?;

    if has_sve {
        // The UAPI says V registers are not accessible as core registers on
        // an SVE vCPU (they are the low bits of the Z registers).
        let mut buf = [0u8; 16];
        let how = match m.vcpu.get_one_reg(regs::core_v(0), &mut buf) {
            Ok(_) => "readable (unexpected, not counted as a failure)".to_string(),
            Err(e) => format!("refused ({e}), as documented"),
        };
        println!("core register fp_regs.vregs[0] on the SVE vCPU: {how}");
    }

    println!(
        "guest: {} program, {} instructions at {:#x}, {} iterations, then PSCI SYSTEM_OFF ({:#x})",
        if layout.sve { "SVE" } else { "FP/SIMD-only" },
        program.len(),
        guest::RAM_BASE,
        opts.iterations,
        guest::PSCI_SYSTEM_OFF
    );

    let mut r = RunResult::default();
    run_guest(
        &mut m.vcpu,
        layout,
        opts.iterations,
        opts.snapshot_at,
        &mut r,
    )?;
    if let Some(at) = opts.snapshot_at {
        if r.problems.is_empty() && !r.shutdown {
            println!("snapshot after iteration {at}:");
            let snap = snapshot::save(&mut m, kvi)?;
            // Close the old VM before the new one exists: the guest goes on
            // only from what was saved.
            drop(m);
            m = snapshot::restore(&kvm, &snap)?;
            run_guest(&mut m.vcpu, layout, opts.iterations, None, &mut r)?;
        } else {
            r.problems.push(format!(
                "the guest did not reach iteration {at} to be snapshotted"
            ));
        }
    }
    let mut problems = r.problems;

    match r.guest_vl {
        Some(vl) if vl == layout.vl as u64 => {
            println!("guest reports VL: {vl} bytes (expected {})", layout.vl)
        }
        Some(vl) => problems.push(format!(
            "guest reports VL {vl} bytes, expected {}",
            layout.vl
        )),
        None => problems.push("guest never reported its VL".into()),
    }
    println!(
        "iterations: {} requested; {} PROGRESS exits, each carrying the iteration number the VMM expected; DONE({})",
        opts.iterations,
        r.progress,
        r.done.map_or("missing".to_string(), |d| d.to_string())
    );
    let completed = r.shutdown && r.progress == opts.iterations && r.done == Some(opts.iterations);
    if problems.is_empty() && !completed {
        problems.push(format!(
            "guest did not complete: {} of {} iterations, DONE {:?}, powered off: {}",
            r.progress, opts.iterations, r.done, r.shutdown
        ));
    }
    println!("exits seen ({} in total):", r.exits.total());
    for (kind, count) in &r.exits.0 {
        println!("  {kind:<42} {count:>6}");
    }
    let checks: Vec<String> = r.mid_checks.iter().map(u64::to_string).collect();
    println!(
        "VMM register checks while running: {} x {} registers (at iterations {})",
        r.mid_checks.len(),
        r.regs_per_check,
        checks.join(", ")
    );
    println!(
        "VMM's own v0-v31: loaded with a pattern around {} KVM_RUNs issued from inline asm, checked after each",
        r.sentinel_runs
    );

    if completed {
        let (summary, mismatches) = regs::check_all(&m.vcpu, layout, opts.iterations)?;
        println!(
            "registers checked after SYSTEM_OFF: {}: {}",
            summary.count,
            summary.groups.join(", ")
        );
        for m in &mismatches {
            println!("  MISMATCH {m}");
        }
        if mismatches.is_empty() {
            println!(
                "  all match the values expected after {} iterations",
                opts.iterations
            );
        } else {
            problems.push(format!(
                "{} register(s) differ from the expected values after {} iterations (first: {})",
                mismatches.len(),
                opts.iterations,
                mismatches[0]
            ));
        }
    } else {
        println!("final register check skipped: the guest did not complete");
    }
    Ok(problems)
}

fn main() -> ExitCode {
    println!("fp-demo-vmm: guest FP/SIMD and SVE register state across KVM exits");
    let result = parse_args().and_then(|opts| run(&opts));
    match result {
        Ok(problems) if problems.is_empty() => {
            println!("fp-demo-vmm: PASS");
            ExitCode::SUCCESS
        }
        Ok(problems) => {
            for p in &problems[1..] {
                println!("  also: {p}");
            }
            println!("fp-demo-vmm: FAIL: {}", problems[0]);
            ExitCode::FAILURE
        }
        Err(reason) => {
            println!("fp-demo-vmm: FAIL: {reason}");
            ExitCode::FAILURE
        }
    }
}
