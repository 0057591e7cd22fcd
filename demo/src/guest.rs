//! The guest side: two tiny bare-metal AArch64 programs, as instruction words.
//!
//! The programs run at EL1h with the MMU off and no firmware. They never touch
//! memory except for stores to unmapped MMIO addresses, which KVM turns into
//! `KVM_EXIT_MMIO` exits to the VMM:
//!
//! | address            | value                   | meaning                       |
//! |--------------------|-------------------------|-------------------------------|
//! | [`MMIO_PROGRESS`]  | `i`                     | iteration `i` done and checked|
//! | [`MMIO_VL`]        | VL in bytes             | `rdvl` (16 without SVE)       |
//! | [`MMIO_FAIL`]      | `register << 32 \| i`   | the guest's own check failed  |
//! | [`MMIO_DONE`]      | `N`                     | all `N` iterations finished   |
//!
//! After DONE (or FAIL) the guest calls PSCI `SYSTEM_OFF` with `hvc #0`, which
//! KVM reports as `KVM_EXIT_SYSTEM_EVENT` (shutdown).
//!
//! Both programs loop `i = 1..=N` (`N` arrives in `x0`). Each iteration updates
//! the vector registers, recomputes what every register must hold from `i`
//! alone, compares (branching to `fail` on any difference) and then exits to
//! the VMM. So each check spans one round trip through the VMM.
//!
//! Register contents at each PROGRESS exit and at the end (`i` = iteration,
//! `k` = 64-bit lane, `m = n - 16`; "V" means an AdvSIMD write, so bits above
//! 128 of the Z register are zero). The FP/SIMD-only program produces the
//! low 128 bits of the same values, except where noted. [`crate::regs`] holds
//! the same model in Rust.
//!
//! | register  | contents                                                     |
//! |-----------|--------------------------------------------------------------|
//! | Z0..Z15   | counters: `.d[k] = n << 32 \| k << 16 \| i` (SVE `INDEX`/`ADD`, NEON `SUB` of -1) |
//! | Z16..Z23  | V, f64: `[0.25 + m + i, 31.0 - m + 0.5 * i]` (`FADD`)        |
//! | Z24       | V, f64 constant `[1.0, 0.5]`                                 |
//! | Z25       | V, f64 constant `[0.25, 31.0]`                               |
//! | Z26       | V, f64 constant `[1.0, -1.0]`                                |
//! | Z27       | V, f64: `v16 * v24 = [0.25 + i, 15.5 + 0.25 * i]` (`FMUL`)   |
//! | Z28       | check scratch, ends as counter number 16: `16 << 32 \| k << 16 \| i` |
//! | Z29       | check scratch: SVE program: V `[8.25 + i, 23.0 + 0.5 * i]`; FP/SIMD program: 0 |
//! | Z30       | `1 << 32` in every `.d` lane                                 |
//! | Z31       | all ones                                                     |
//! | P0        | `PTRUE .D` (SVE only)                                        |
//! | P1        | result of the last `CMPNE`: all false (SVE only)             |
//! | P15       | `PTRUE .B` (SVE only)                                        |
//! | P2..P14   | untouched since vCPU reset: zero (SVE only)                  |
//! | FFR       | `SETFFR`: all true (SVE only)                                |
//!
//! General-purpose registers: x19 = `i`, x20 = `N`, x21 = MMIO base,
//! x22 = `1 << 16`, x23 = register under check, x9 = temporary.
//!
//! The words below were written as assembly (the comment on each line) and
//! the encodings checked with clang-19/llvm-objdump-19; `check-guest-words.sh`
//! in the crate root re-assembles the comments and compares them with the
//! words. Nothing is assembled at build time.

/// Guest physical address of RAM (and of the first instruction).
pub const RAM_BASE: u64 = 0x4000_0000;
/// Size of guest RAM.
pub const RAM_SIZE: usize = 2 << 20;

/// Base of the (unmapped) MMIO window the guest writes to.
pub const MMIO_BASE: u64 = 0x1000_0000;
/// Written with the iteration number after each checked iteration.
pub const MMIO_PROGRESS: u64 = MMIO_BASE;
/// Written once at start with the vector length in bytes.
pub const MMIO_VL: u64 = MMIO_BASE + 0x08;
/// Written with `register << 32 | i` when the guest's own check fails.
pub const MMIO_FAIL: u64 = MMIO_BASE + 0x10;
/// Written with the iteration count after the last iteration.
pub const MMIO_DONE: u64 = MMIO_BASE + 0x18;

/// PSCI 0.2 `SYSTEM_OFF` function id, as the guest passes it in x0.
pub const PSCI_SYSTEM_OFF: u64 = 0x8400_0008;

/// SVE guest program (see the module documentation).
pub const GUEST_SVE: &[u32] = &[
    // Entry: x0 = iteration count N (set by the VMM). x20 = N, x19 = i = 0,
    // x21 = MMIO base 0x1000_0000.
    0xaa0003f4, // mov x20, x0
    0xd2800013, // mov x19, #0
    0xd2a20015, // mov x21, #0x10000000
    // CPACR_EL1: FPEN = 0b11 (bits 21:20), ZEN = 0b11 (bits 17:16), then wait for it to take effect.
    0xd2a00669, // mov x9, #0x330000
    0xd5181049, // msr cpacr_el1, x9
    0xd5033fdf, // isb
    // ZCR_EL1.LEN = 0x1ff: ask for the largest VL; the hardware clamps it to
    // what KVM allows (ZCR_EL2), i.e. the VQ the VMM chose.
    0xd2803fe9, // mov x9, #0x1ff
    0xd5181209, // msr zcr_el1, x9
    0xd5033fdf, // isb
    // Report the vector length in bytes: MMIO write to VL (0x1000_0008).
    0x04bf5029, // rdvl x9, #1
    0xf90006a9, // str x9, [x21, #8]
    // Predicates: p0 = all .d lanes, p15 = all bytes; FFR = all true.
    0x25d8e3e0, // ptrue p0.d
    0x2518e3ef, // ptrue p15.b
    0x252c9000, // setffr
    // x22 = 1 << 16 (INDEX step between .d lanes);
    // z30 = 1 << 32 in every .d lane; z31 = all ones.
    0xd2a00036, // mov x22, #0x10000
    0xd2c00029, // mov x9, #0x100000000
    0x05e0393e, // mov z30.d, x9
    0x25f8dfff, // mov z31.d, #-1
    // SVE counters at i = 0: z(n).d[k] = n << 32 | k << 16
    0x04f64800, // index z0.d, #0, x22
    0x04fe0001, // add z1.d, z0.d, z30.d
    0x04fe0022, // add z2.d, z1.d, z30.d
    0x04fe0043, // add z3.d, z2.d, z30.d
    0x04fe0064, // add z4.d, z3.d, z30.d
    0x04fe0085, // add z5.d, z4.d, z30.d
    0x04fe00a6, // add z6.d, z5.d, z30.d
    0x04fe00c7, // add z7.d, z6.d, z30.d
    0x04fe00e8, // add z8.d, z7.d, z30.d
    0x04fe0109, // add z9.d, z8.d, z30.d
    0x04fe012a, // add z10.d, z9.d, z30.d
    0x04fe014b, // add z11.d, z10.d, z30.d
    0x04fe016c, // add z12.d, z11.d, z30.d
    0x04fe018d, // add z13.d, z12.d, z30.d
    0x04fe01ae, // add z14.d, z13.d, z30.d
    0x04fe01cf, // add z15.d, z14.d, z30.d
    // FP/SIMD constants (AdvSIMD writes zero Z bits above 128), v28 is a temporary:
    // v24 = [1.0, 0.5] (per-iteration increment)
    0x6f03f418, // fmov v24.2d, #0.5
    0x1e6e101c, // fmov d28, #1.0
    0x6e080798, // mov v24.d[0], v28.d[0]
    // v25 = [0.25, 31.0] (value of v16 at i = 0)
    0x6f01f7f9, // fmov v25.2d, #31.0
    0x1e6a101c, // fmov d28, #0.25
    0x6e080799, // mov v25.d[0], v28.d[0]
    // v26 = [1.0, -1.0] (difference between v(16+m+1) and v(16+m))
    0x6f07f61a, // fmov v26.2d, #-1.0
    0x1e6e101c, // fmov d28, #1.0
    0x6e08079a, // mov v26.d[0], v28.d[0]
    // FP state at i = 0: v(16+m) = v25 + m * v26, v27 = v16 * v24
    0x4eb91f30, // mov v16.16b, v25.16b
    0x4e7ad611, // fadd v17.2d, v16.2d, v26.2d
    0x4e7ad632, // fadd v18.2d, v17.2d, v26.2d
    0x4e7ad653, // fadd v19.2d, v18.2d, v26.2d
    0x4e7ad674, // fadd v20.2d, v19.2d, v26.2d
    0x4e7ad695, // fadd v21.2d, v20.2d, v26.2d
    0x4e7ad6b6, // fadd v22.2d, v21.2d, v26.2d
    0x4e7ad6d7, // fadd v23.2d, v22.2d, v26.2d
    0x6e78de1b, // fmul v27.2d, v16.2d, v24.2d
    // loop:
    0x91000673, // add x19, x19, #1
    // SVE work: z(n).d[k] += 1 for every lane k
    0x25e0c020, // add z0.d, z0.d, #1
    0x25e0c021, // add z1.d, z1.d, #1
    0x25e0c022, // add z2.d, z2.d, #1
    0x25e0c023, // add z3.d, z3.d, #1
    0x25e0c024, // add z4.d, z4.d, #1
    0x25e0c025, // add z5.d, z5.d, #1
    0x25e0c026, // add z6.d, z6.d, #1
    0x25e0c027, // add z7.d, z7.d, #1
    0x25e0c028, // add z8.d, z8.d, #1
    0x25e0c029, // add z9.d, z9.d, #1
    0x25e0c02a, // add z10.d, z10.d, #1
    0x25e0c02b, // add z11.d, z11.d, #1
    0x25e0c02c, // add z12.d, z12.d, #1
    0x25e0c02d, // add z13.d, z13.d, #1
    0x25e0c02e, // add z14.d, z14.d, #1
    0x25e0c02f, // add z15.d, z15.d, #1
    // FP/SIMD work: v(16+m) += [1.0, 0.5]; v27 = v16 * [1.0, 0.5]
    0x4e78d610, // fadd v16.2d, v16.2d, v24.2d
    0x4e78d631, // fadd v17.2d, v17.2d, v24.2d
    0x4e78d652, // fadd v18.2d, v18.2d, v24.2d
    0x4e78d673, // fadd v19.2d, v19.2d, v24.2d
    0x4e78d694, // fadd v20.2d, v20.2d, v24.2d
    0x4e78d6b5, // fadd v21.2d, v21.2d, v24.2d
    0x4e78d6d6, // fadd v22.2d, v22.2d, v24.2d
    0x4e78d6f7, // fadd v23.2d, v23.2d, v24.2d
    0x6e78de1b, // fmul v27.2d, v16.2d, v24.2d
    // Self-check, FP part: v29 = (double)i * v24 + v25 = expected v16.
    // w23 = number of the register being checked (reported on mismatch).
    0x9e62027d, // scvtf d29, x19
    0x4e0807bd, // dup v29.2d, v29.d[0]
    0x6e78dfbd, // fmul v29.2d, v29.2d, v24.2d
    0x4e79d7bd, // fadd v29.2d, v29.2d, v25.2d
    // z28 = expected v27; compare the whole Z register (upper bits must be 0)
    0x6e78dfbc, // fmul v28.2d, v29.2d, v24.2d
    0x52800377, // mov w23, #27
    0x24dca371, // cmpne p1.d, p0/z, z27.d, z28.d
    0x54000d41, // b.ne fail
    0x52800217, // mov w23, #16
    0x24dda211, // cmpne p1.d, p0/z, z16.d, z29.d
    0x54000ce1, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800237, // mov w23, #17
    0x24dda231, // cmpne p1.d, p0/z, z17.d, z29.d
    0x54000c61, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800257, // mov w23, #18
    0x24dda251, // cmpne p1.d, p0/z, z18.d, z29.d
    0x54000be1, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800277, // mov w23, #19
    0x24dda271, // cmpne p1.d, p0/z, z19.d, z29.d
    0x54000b61, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800297, // mov w23, #20
    0x24dda291, // cmpne p1.d, p0/z, z20.d, z29.d
    0x54000ae1, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x528002b7, // mov w23, #21
    0x24dda2b1, // cmpne p1.d, p0/z, z21.d, z29.d
    0x54000a61, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x528002d7, // mov w23, #22
    0x24dda2d1, // cmpne p1.d, p0/z, z22.d, z29.d
    0x540009e1, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x528002f7, // mov w23, #23
    0x24dda2f1, // cmpne p1.d, p0/z, z23.d, z29.d
    0x54000961, // b.ne fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    // Self-check, SVE part: z28 = expected z(n), starting at n = 0
    0x04f64e7c, // index z28.d, x19, x22
    0x52800017, // mov w23, #0
    0x24dca011, // cmpne p1.d, p0/z, z0.d, z28.d
    0x540008c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800037, // mov w23, #1
    0x24dca031, // cmpne p1.d, p0/z, z1.d, z28.d
    0x54000841, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800057, // mov w23, #2
    0x24dca051, // cmpne p1.d, p0/z, z2.d, z28.d
    0x540007c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800077, // mov w23, #3
    0x24dca071, // cmpne p1.d, p0/z, z3.d, z28.d
    0x54000741, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800097, // mov w23, #4
    0x24dca091, // cmpne p1.d, p0/z, z4.d, z28.d
    0x540006c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x528000b7, // mov w23, #5
    0x24dca0b1, // cmpne p1.d, p0/z, z5.d, z28.d
    0x54000641, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x528000d7, // mov w23, #6
    0x24dca0d1, // cmpne p1.d, p0/z, z6.d, z28.d
    0x540005c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x528000f7, // mov w23, #7
    0x24dca0f1, // cmpne p1.d, p0/z, z7.d, z28.d
    0x54000541, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800117, // mov w23, #8
    0x24dca111, // cmpne p1.d, p0/z, z8.d, z28.d
    0x540004c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800137, // mov w23, #9
    0x24dca131, // cmpne p1.d, p0/z, z9.d, z28.d
    0x54000441, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800157, // mov w23, #10
    0x24dca151, // cmpne p1.d, p0/z, z10.d, z28.d
    0x540003c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800177, // mov w23, #11
    0x24dca171, // cmpne p1.d, p0/z, z11.d, z28.d
    0x54000341, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x52800197, // mov w23, #12
    0x24dca191, // cmpne p1.d, p0/z, z12.d, z28.d
    0x540002c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x528001b7, // mov w23, #13
    0x24dca1b1, // cmpne p1.d, p0/z, z13.d, z28.d
    0x54000241, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x528001d7, // mov w23, #14
    0x24dca1d1, // cmpne p1.d, p0/z, z14.d, z28.d
    0x540001c1, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    0x528001f7, // mov w23, #15
    0x24dca1f1, // cmpne p1.d, p0/z, z15.d, z28.d
    0x54000141, // b.ne fail
    0x04fe039c, // add z28.d, z28.d, z30.d
    // Exit to the VMM: MMIO write of i to PROGRESS (0x1000_0000); loop while i < N.
    0xf90002b3, // str x19, [x21]
    0xeb14027f, // cmp x19, x20
    0x54ffef63, // b.lo loop
    // All iterations done: MMIO write of i to DONE (0x1000_0018).
    0xf9000eb3, // str x19, [x21, #0x18]
    // off:
    // PSCI SYSTEM_OFF (function id 0x8400_0008) -> KVM_EXIT_SYSTEM_EVENT.
    0xd2b08000, // mov x0, #0x84000000
    0xf2800100, // movk x0, #0x8
    0xd4000002, // hvc #0
    0x17fffffd, // b off
    // fail:
    // Mismatch: MMIO write of (register << 32 | i) to FAIL (0x1000_0010), then power off.
    0xd3607ee9, // lsl x9, x23, #32
    0xaa130129, // orr x9, x9, x19
    0xf9000aa9, // str x9, [x21, #0x10]
    0x17fffff9, // b off
];

/// FP/SIMD-only guest program (see the module documentation).
pub const GUEST_FPSIMD: &[u32] = &[
    // Entry: x0 = iteration count N (set by the VMM). x20 = N, x19 = i = 0,
    // x21 = MMIO base 0x1000_0000.
    0xaa0003f4, // mov x20, x0
    0xd2800013, // mov x19, #0
    0xd2a20015, // mov x21, #0x10000000
    // CPACR_EL1: FPEN = 0b11 (bits 21:20), then wait for it to take effect.
    0xd2a00609, // mov x9, #0x300000
    0xd5181049, // msr cpacr_el1, x9
    0xd5033fdf, // isb
    // Report the vector length in bytes (16: plain V registers) to VL (0x1000_0008).
    0xd2800209, // mov x9, #16
    0xf90006a9, // str x9, [x21, #8]
    // v30 = 1 << 32 in both .d lanes; v31 = all ones.
    0xd2c00029, // mov x9, #0x100000000
    0x4e080d3e, // dup v30.2d, x9
    0x6f07e7ff, // movi v31.2d, #0xffffffffffffffff
    // Counters at i = 0: v(n).d[k] = n << 32 | k << 16, v0 = [0, 1 << 16]
    0xd2a00029, // mov x9, #0x10000
    0x9e6703e0, // fmov d0, xzr
    0x4e181d20, // mov v0.d[1], x9
    0x4efe8401, // add v1.2d, v0.2d, v30.2d
    0x4efe8422, // add v2.2d, v1.2d, v30.2d
    0x4efe8443, // add v3.2d, v2.2d, v30.2d
    0x4efe8464, // add v4.2d, v3.2d, v30.2d
    0x4efe8485, // add v5.2d, v4.2d, v30.2d
    0x4efe84a6, // add v6.2d, v5.2d, v30.2d
    0x4efe84c7, // add v7.2d, v6.2d, v30.2d
    0x4efe84e8, // add v8.2d, v7.2d, v30.2d
    0x4efe8509, // add v9.2d, v8.2d, v30.2d
    0x4efe852a, // add v10.2d, v9.2d, v30.2d
    0x4efe854b, // add v11.2d, v10.2d, v30.2d
    0x4efe856c, // add v12.2d, v11.2d, v30.2d
    0x4efe858d, // add v13.2d, v12.2d, v30.2d
    0x4efe85ae, // add v14.2d, v13.2d, v30.2d
    0x4efe85cf, // add v15.2d, v14.2d, v30.2d
    // FP/SIMD constants (AdvSIMD writes zero Z bits above 128), v28 is a temporary:
    // v24 = [1.0, 0.5] (per-iteration increment)
    0x6f03f418, // fmov v24.2d, #0.5
    0x1e6e101c, // fmov d28, #1.0
    0x6e080798, // mov v24.d[0], v28.d[0]
    // v25 = [0.25, 31.0] (value of v16 at i = 0)
    0x6f01f7f9, // fmov v25.2d, #31.0
    0x1e6a101c, // fmov d28, #0.25
    0x6e080799, // mov v25.d[0], v28.d[0]
    // v26 = [1.0, -1.0] (difference between v(16+m+1) and v(16+m))
    0x6f07f61a, // fmov v26.2d, #-1.0
    0x1e6e101c, // fmov d28, #1.0
    0x6e08079a, // mov v26.d[0], v28.d[0]
    // FP state at i = 0: v(16+m) = v25 + m * v26, v27 = v16 * v24
    0x4eb91f30, // mov v16.16b, v25.16b
    0x4e7ad611, // fadd v17.2d, v16.2d, v26.2d
    0x4e7ad632, // fadd v18.2d, v17.2d, v26.2d
    0x4e7ad653, // fadd v19.2d, v18.2d, v26.2d
    0x4e7ad674, // fadd v20.2d, v19.2d, v26.2d
    0x4e7ad695, // fadd v21.2d, v20.2d, v26.2d
    0x4e7ad6b6, // fadd v22.2d, v21.2d, v26.2d
    0x4e7ad6d7, // fadd v23.2d, v22.2d, v26.2d
    0x6e78de1b, // fmul v27.2d, v16.2d, v24.2d
    // loop:
    0x91000673, // add x19, x19, #1
    // Integer vector work: v(n).d[k] -= -1 (i.e. += 1)
    0x6eff8400, // sub v0.2d, v0.2d, v31.2d
    0x6eff8421, // sub v1.2d, v1.2d, v31.2d
    0x6eff8442, // sub v2.2d, v2.2d, v31.2d
    0x6eff8463, // sub v3.2d, v3.2d, v31.2d
    0x6eff8484, // sub v4.2d, v4.2d, v31.2d
    0x6eff84a5, // sub v5.2d, v5.2d, v31.2d
    0x6eff84c6, // sub v6.2d, v6.2d, v31.2d
    0x6eff84e7, // sub v7.2d, v7.2d, v31.2d
    0x6eff8508, // sub v8.2d, v8.2d, v31.2d
    0x6eff8529, // sub v9.2d, v9.2d, v31.2d
    0x6eff854a, // sub v10.2d, v10.2d, v31.2d
    0x6eff856b, // sub v11.2d, v11.2d, v31.2d
    0x6eff858c, // sub v12.2d, v12.2d, v31.2d
    0x6eff85ad, // sub v13.2d, v13.2d, v31.2d
    0x6eff85ce, // sub v14.2d, v14.2d, v31.2d
    0x6eff85ef, // sub v15.2d, v15.2d, v31.2d
    // FP/SIMD work: v(16+m) += [1.0, 0.5]; v27 = v16 * [1.0, 0.5]
    0x4e78d610, // fadd v16.2d, v16.2d, v24.2d
    0x4e78d631, // fadd v17.2d, v17.2d, v24.2d
    0x4e78d652, // fadd v18.2d, v18.2d, v24.2d
    0x4e78d673, // fadd v19.2d, v19.2d, v24.2d
    0x4e78d694, // fadd v20.2d, v20.2d, v24.2d
    0x4e78d6b5, // fadd v21.2d, v21.2d, v24.2d
    0x4e78d6d6, // fadd v22.2d, v22.2d, v24.2d
    0x4e78d6f7, // fadd v23.2d, v23.2d, v24.2d
    0x6e78de1b, // fmul v27.2d, v16.2d, v24.2d
    // Self-check, FP part: v29 = (double)i * v24 + v25 = expected v16.
    // w23 = number of the register being checked (reported on mismatch).
    0x9e62027d, // scvtf d29, x19
    0x4e0807bd, // dup v29.2d, v29.d[0]
    0x6e78dfbd, // fmul v29.2d, v29.2d, v24.2d
    0x4e79d7bd, // fadd v29.2d, v29.2d, v25.2d
    // Compare v27 with v16 * v24 (v28 is the temporary): any bit set -> fail
    0x52800377, // mov w23, #27
    0x6e78dfbc, // fmul v28.2d, v29.2d, v24.2d
    0x6e3b1f9c, // eor v28.16b, v28.16b, v27.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35001389, // cbnz w9, fail
    0x52800217, // mov w23, #16
    0x6e3d1e1c, // eor v28.16b, v16.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x350012e9, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800237, // mov w23, #17
    0x6e3d1e3c, // eor v28.16b, v17.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35001229, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800257, // mov w23, #18
    0x6e3d1e5c, // eor v28.16b, v18.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35001169, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800277, // mov w23, #19
    0x6e3d1e7c, // eor v28.16b, v19.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x350010a9, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x52800297, // mov w23, #20
    0x6e3d1e9c, // eor v28.16b, v20.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35000fe9, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x528002b7, // mov w23, #21
    0x6e3d1ebc, // eor v28.16b, v21.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35000f29, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x528002d7, // mov w23, #22
    0x6e3d1edc, // eor v28.16b, v22.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35000e69, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    0x528002f7, // mov w23, #23
    0x6e3d1efc, // eor v28.16b, v23.16b, v29.16b
    0x6eb0ab9c, // umaxv s28, v28.4s
    0x1e260389, // fmov w9, s28
    0x35000da9, // cbnz w9, fail
    0x4e7ad7bd, // fadd v29.2d, v29.2d, v26.2d
    // Self-check, integer part: v28 = expected v(n) = [n << 32 | i, n << 32 | 1 << 16 | i]
    0x9e67027c, // fmov d28, x19
    0x91404269, // add x9, x19, #0x10000
    0x4e181d3c, // mov v28.d[1], x9
    0x52800017, // mov w23, #0
    0x6e3c1c1d, // eor v29.16b, v0.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000c89, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800037, // mov w23, #1
    0x6e3c1c3d, // eor v29.16b, v1.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000bc9, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800057, // mov w23, #2
    0x6e3c1c5d, // eor v29.16b, v2.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000b09, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800077, // mov w23, #3
    0x6e3c1c7d, // eor v29.16b, v3.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000a49, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800097, // mov w23, #4
    0x6e3c1c9d, // eor v29.16b, v4.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000989, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x528000b7, // mov w23, #5
    0x6e3c1cbd, // eor v29.16b, v5.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x350008c9, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x528000d7, // mov w23, #6
    0x6e3c1cdd, // eor v29.16b, v6.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000809, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x528000f7, // mov w23, #7
    0x6e3c1cfd, // eor v29.16b, v7.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000749, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800117, // mov w23, #8
    0x6e3c1d1d, // eor v29.16b, v8.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000689, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800137, // mov w23, #9
    0x6e3c1d3d, // eor v29.16b, v9.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x350005c9, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800157, // mov w23, #10
    0x6e3c1d5d, // eor v29.16b, v10.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000509, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800177, // mov w23, #11
    0x6e3c1d7d, // eor v29.16b, v11.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000449, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x52800197, // mov w23, #12
    0x6e3c1d9d, // eor v29.16b, v12.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000389, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x528001b7, // mov w23, #13
    0x6e3c1dbd, // eor v29.16b, v13.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x350002c9, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x528001d7, // mov w23, #14
    0x6e3c1ddd, // eor v29.16b, v14.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000209, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    0x528001f7, // mov w23, #15
    0x6e3c1dfd, // eor v29.16b, v15.16b, v28.16b
    0x6eb0abbd, // umaxv s29, v29.4s
    0x1e2603a9, // fmov w9, s29
    0x35000149, // cbnz w9, fail
    0x4efe879c, // add v28.2d, v28.2d, v30.2d
    // Exit to the VMM: MMIO write of i to PROGRESS (0x1000_0000); loop while i < N.
    0xf90002b3, // str x19, [x21]
    0xeb14027f, // cmp x19, x20
    0x54ffe8e3, // b.lo loop
    // All iterations done: MMIO write of i to DONE (0x1000_0018).
    0xf9000eb3, // str x19, [x21, #0x18]
    // off:
    // PSCI SYSTEM_OFF (function id 0x8400_0008) -> KVM_EXIT_SYSTEM_EVENT.
    0xd2b08000, // mov x0, #0x84000000
    0xf2800100, // movk x0, #0x8
    0xd4000002, // hvc #0
    0x17fffffd, // b off
    // fail:
    // Mismatch: MMIO write of (register << 32 | i) to FAIL (0x1000_0010), then power off.
    0xd3607ee9, // lsl x9, x23, #32
    0xaa130129, // orr x9, x9, x19
    0xf9000aa9, // str x9, [x21, #0x10]
    0x17fffff9, // b off
];
