#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make mutants: does make check catch the bugs a careful developer could make?

Each mutant of CATALOG is one small source change of the component (rust/,
the C helpers) with the bug it models. For each: apply it to the
component's copy in the kernel tree (the repository is never touched),
run the host unit tests when the change is in a pure module, build the
Rust kernel incrementally, run the selftests that should catch it in the
cells where the bug would show (scripts/check.py, its own out directory),
put the copy back. A mutant is killed by the first of: the build (a
build-time check), cargo test, a failing row of check.py. Equivalent
mutants (no observable change) are listed with the reason and not run.
Writes out/mutants.json and prints a table and the total time.

Not part of make check: each mutant costs a kernel build and a few cells.

usage: mutants.py --build B --ksrc K --initramfs I --matrix M --out O [--only REGEX]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PURE = {"errno.rs", "owner.rs", "sve_config.rs", "sve_layout.rs", "sve_reg.rs",
        "sve_seq.rs", "sve_sysreg.rs", "sve_vls.rs"}

# Cells and tests, by what a bug touches.
FP_CELLS = r"^rust-(vhe|nvhe|protected)-vq16$"
FP_TESTS = r"fp_state_integrity|fp_softirq_neon|fp_host_state|fp_isolation"
ABI_CELLS = r"^rust-(vhe|nvhe)-(vq4|vq16)$"
ABI_TESTS = r"sve_config_abi|fp_abi_fuzz|sve_state_roundtrip|get-reg-list"
SYSREG_CELLS = r"^rust-vhe-(sve-off|vq4)$"
SYSREG_TESTS = r"sve_sysregs|set_id_regs|get-reg-list"

# id, file (under rust/), old text (exactly once), new text, the bug, cells, tests
CATALOG = [
    ("own-entry-keeps", "owner.rs",
     "    if regs_taken {\n        Some(FpOwner::Free)",
     "    if regs_taken {\n        None",
     "an entry after the registers were taken keeps GUEST_OWNED: the guest runs on another's registers",
     FP_CELLS, FP_TESTS),
    ("own-exit-never-binds", "owner.rs",
     "        Some(FpOwner::GuestOwned) => ExitAction::Bind,",
     "        Some(FpOwner::GuestOwned) => ExitAction::Nothing,",
     "a lost rebinding: softirq NEON no longer saves the guest's registers",
     FP_CELLS, FP_TESTS),
    ("own-put-never-saves", "owner.rs",
     "    matches!(owner, Some(FpOwner::GuestOwned))\n}",
     "    matches!(owner, Some(FpOwner::HostOwned))\n}",
     "a save skipped at put: the guest's last registers are lost",
     FP_CELLS, FP_TESTS),
    ("own-raw-swap", "owner.rs",
     "            1 => Some(Self::HostOwned),\n            2 => Some(Self::GuestOwned),",
     "            1 => Some(Self::GuestOwned),\n            2 => Some(Self::HostOwned),",
     "fp_owner read with HOST and GUEST swapped",
     FP_CELLS, FP_TESTS),
    ("ctx-load-no-flush", "context.rs",
     "    staging::fpsimd_save_and_flush_cpu_state();\n    vcpu.set_owner(FpOwner::Free);",
     "    vcpu.set_owner(FpOwner::Free);",
     "the host task's state not saved at vcpu load",
     FP_CELLS, FP_TESTS),
    ("ctx-load-owner-host", "context.rs",
     "    staging::fpsimd_save_and_flush_cpu_state();\n    vcpu.set_owner(FpOwner::Free);",
     "    staging::fpsimd_save_and_flush_cpu_state();\n    vcpu.set_owner(FpOwner::HostOwned);",
     "a wrong owner transition at load: HOST_OWNED after the host's state was flushed",
     "EQUIVALENT", "survived a run (2026-12-04); HOST_OWNED differs from FREE only until the "
     "guest's first FP trap, where the hypervisor saves the host's registers first in protected "
     "mode only (kvm_hyp_handle_fpsimd()), and restores them at the exit; the host's state was "
     "already saved and TIF_FOREIGN_FPSTATE set at load, so what the registers held is never "
     "used: a save and a restore more, nothing observable"),
    ("ctx-sync-flag-kept", "context.rs",
     "        vcpu.bind_to_cpu(irqs);\n        staging::clear_thread_flag(TIF_FOREIGN_FPSTATE);",
     "        vcpu.bind_to_cpu(irqs);",
     "TIF_FOREIGN_FPSTATE left set after binding: the next entry drops the guest's registers",
     FP_CELLS, FP_TESTS),
    ("ctx-sync-stands-ignores-flag", "context.rs",
     "        vcpu.bound_to_cpu() && !staging::test_thread_flag(TIF_FOREIGN_FPSTATE)",
     "        vcpu.bound_to_cpu()",
     "the binding taken as standing although the registers were taken",
     "EQUIVALENT", "survived a run (2026-12-04); in 6.12 whatever sets TIF_FOREIGN_FPSTATE on "
     "the vCPU thread while its binding stands also ends the binding before ctxsync can see "
     "it: kernel-mode NEON and fpsimd_save_and_flush_cpu_state() clear fpsimd_last_state.st, "
     "and a switch back to the thread goes through kvm_sched_in(), whose load flushes; the "
     "flag test is defence in depth"),
    ("ctx-put-no-irqsave", "context.rs",
     "    let _irqs = staging::LocalIrqSave::new();\n",
     "",
     "put without interrupts off: a softirq can take the registers between the test and the save",
     "EQUIVALENT", "survived a run (2026-12-04); in 6.12 fpsimd_save_and_flush_cpu_state() "
     "disables interrupts itself and saves nothing when TIF_FOREIGN_FPSTATE is set, and a "
     "softirq's kernel_neon_begin() between put's ownership test and that call saves the "
     "guest's registers into the vCPU (its binding stands) and sets the flag, leaving fp_owner "
     "alone: the vCPU ends with the same state either way, and only fp_guest_save can count a "
     "save the softirq made; put keeps the interrupts-off section the C has"),
    ("vcpu-binding-fpsimd-only", "vcpu.rs",
     "            bindings::fp_type_FP_STATE_SVE\n",
     "            bindings::fp_type_FP_STATE_FPSIMD\n",
     "a wrong fp_type: SVE guest state saved as FP/SIMD only",
     FP_CELLS, FP_TESTS),
    ("vcpu-binding-vl-host", "vcpu.rs",
     "                sve_vl: (*vcpu).arch.sve_max_vl,",
     "                sve_vl: bindings::kvm_sve_max_vl,",
     "the binding at KVM's maximum VL instead of the vCPU's",
     r"^rust-(vhe|nvhe)-vq16$", r"fp_state_integrity|fp_softirq_neon|sve_state_roundtrip"),
    ("vcpu-binding-not-built", "vcpu.rs",
     "            if (*binding).st.is_null() {",
     "            if (*binding).st.is_null() && false {",
     "the binding never built",
     r"^rust-vhe-vq16$", FP_TESTS),
    ("vcpu-count-not", "vcpu.rs",
     "        counter.store(\n",
     "        counter.load(Ordering::Relaxed);\n        let _ = (\n",
     "the FP statistics no longer counted",
     r"^rust-vhe-vq4$", r"fp_softirq_neon"),
    ("abi-no-zeroing", "sve_abi.rs",
     "            staging::clear_user(reg.addr as usize + region.klen, region.upad)",
     "            Ok(())",
     "a missing zeroing beyond VL: user buffers keep stale bytes",
     ABI_CELLS, ABI_TESTS),
    ("abi-vls-after-finalize", "sve_seq.rs",
     "            } else if state.sve_finalized() {\n                Err(Errno::EPERM)\n            } else {\n                Ok(State::SveVlsSet)",
     "            } else {\n                Ok(State::SveVlsSet)",
     "an errno in one state: SVE_VLS writable after finalize",
     ABI_CELLS, ABI_TESTS),
    ("abi-reg-before-finalize", "sve_seq.rs",
     "            } else if !state.sve_finalized() {\n                Err(Errno::EPERM)\n            } else {\n                Ok(state)",
     "            } else if !state.sve_finalized() {\n                Err(Errno::ENOENT)\n            } else {\n                Ok(state)",
     "an errno in one state: ENOENT instead of EPERM for Z/P/FFR before finalize",
     ABI_CELLS, ABI_TESTS),
    ("abi-finalize-twice", "sve_seq.rs",
     "            } else if state.sve_finalized() {\n                Err(Errno::EPERM)\n            } else {\n                Ok(State::SveFinalized)",
     "            } else {\n                Ok(State::SveFinalized)",
     "KVM_ARM_VCPU_FINALIZE accepted twice (a leak of the first sve_state)",
     ABI_CELLS, ABI_TESTS),
    ("abi-finalize-feature", "sve_seq.rs",
     "            if feature != KVM_ARM_VCPU_SVE || !state.has_sve() {",
     "            if !state.has_sve() {",
     "FINALIZE of an unknown feature accepted",
     ABI_CELLS, ABI_TESTS),
    ("abi-list-count", "sve_reg.rs",
     "        SVE_NUM_PREGS + SVE_NUM_ZREGS + 1 + 1",
     "        SVE_NUM_PREGS + SVE_NUM_ZREGS + 1",
     "KVM_GET_REG_LIST counts one SVE register too few",
     ABI_CELLS, ABI_TESTS),
    ("abi-list-order", "sve_reg.rs",
     "    if index == 0 {\n        Some(KVM_REG_ARM64_SVE_VLS)",
     "    if index == SVE_NUM_ZREGS + SVE_NUM_PREGS + 2 {\n        Some(KVM_REG_ARM64_SVE_VLS)",
     "a register list out of order: SVE_VLS dropped from its place",
     ABI_CELLS, ABI_TESTS),
    ("abi-list-ffr", "sve_reg.rs",
     "        Some(kvm_reg_arm64_sve_ffr(0))",
     "        Some(kvm_reg_arm64_sve_preg(0, 0))",
     "FFR missing from the register list (P0 twice)",
     ABI_CELLS, ABI_TESTS),
    ("abi-vls-host-check", "sve_vls.rs",
     "        if requested.contains(vq) != host.vqs.contains(vq) {",
     "        if requested.contains(vq) && !host.vqs.contains(vq) {",
     "SVE_VLS accepts a set with holes the host does not have",
     ABI_CELLS, ABI_TESTS),
    ("abi-vls-clamp", "sve_vls.rs",
     "    if max_vq > sve_vq_from_vl(host.kvm_sve_max_vl) {",
     "    if max_vq > sve_vq_from_vl(host.kvm_sve_max_vl) + 1 {",
     "a wrong clamp of the max VL in SVE_VLS",
     r"^rust-(vhe|nvhe)-vq4$", ABI_TESTS),
    ("abi-get-vls-max", "sve_vls.rs",
     "    while vq <= max_vq {\n        if host_vqs.contains(vq) {",
     "    while vq < max_vq {\n        if host_vqs.contains(vq) {",
     "SVE_VLS read without the vCPU's maximum VQ",
     ABI_CELLS, ABI_TESTS),
    ("cfg-finalizable", "sve_config.rs",
     "    sve_vl_valid(vl) && vl <= max_virtualisable_vl && vl <= VL_ARCH_MAX",
     "    sve_vl_valid(vl) && vl <= VL_ARCH_MAX",
     "finalization no longer checks the VL against the virtualisable maximum",
     "EQUIVALENT", "KVM_ARM_VCPU_INIT sets sve_max_vl to kvm_sve_max_vl and SVE_VLS accepts at "
     "most that, which is never above sve_max_virtualisable_vl(): the re-check at finalize "
     "cannot fail from userspace"),
    ("cfg-placement-slab", "sve_config.rs",
     "        if pages < slab_bytes {",
     "        if pages < slab_bytes && false {",
     "sve_state always in the slab (memory: VQ 16 takes 16 KiB again)",
     r"^rust-vhe-vq16$", r"sve_config_abi|sve_state_roundtrip"),
    ("vcpu-free-placement", "sve_vcpu.rs",
     "        let pages = matches!(placement, SveStatePlacement::Pages { .. });",
     "        let pages = !matches!(placement, SveStatePlacement::Pages { .. });",
     "freed the wrong way: whole pages with kfree(), slab memory with free_pages_exact()",
     r"^rust-vhe-vq(4|16)$", r"sve_config_abi"),
    ("vcpu-no-unshare", "sve_vcpu.rs",
     "        unsafe { bindings::kvm_unshare_hyp(from, to) };",
     "",
     "a skipped hyp unshare at destroy (pKVM keeps the pages shared)",
     r"^rust-(nvhe|protected)-vq16$", ABI_TESTS),
    ("vcpu-no-share", "sve_vcpu.rs",
     "    state.share_hyp()?;\n",
     "",
     "a skipped hyp share at finalize: the hypervisor cannot reach sve_state",
     r"^rust-(nvhe|protected)-vq16$", FP_TESTS + "|sve_state_roundtrip"),
    ("vcpu-reset-no-zero", "sve_vcpu.rs",
     "        state.fill(0);",
     "        state.fill(0xff);",
     "SVE registers not zero after a vCPU reset",
     ABI_CELLS, ABI_TESTS + "|fp_isolation"),
    ("vcpu-free-leak", "sve_vcpu.rs",
     "        unsafe { SveState::from_raw(ptr, size, pages).unshare_and_free() };",
     "        let _ = (ptr, size, pages);",
     "a leak of sve_state at destroy",
     ABI_CELLS, ABI_TESTS),
    ("sys-zcr-visible", "sve_sysreg.rs",
     "        SYS_ZCR_EL1 | SYS_ZCR_EL2 => Visibility::Hidden,",
     "        SYS_ZCR_EL1 | SYS_ZCR_EL2 => Visibility::Visible,",
     "ZCR_EL1 visible to a vCPU without SVE",
     SYSREG_CELLS, SYSREG_TESTS),
    ("sys-zfr0-raz", "sve_sysreg.rs",
     "        SYS_ID_AA64ZFR0_EL1 => Visibility::Raz,",
     "        SYS_ID_AA64ZFR0_EL1 => Visibility::Visible,",
     "ID_AA64ZFR0_EL1 not RAZ without SVE",
     SYSREG_CELLS, SYSREG_TESTS),
    ("sys-pfr0", "sve_sysreg.rs",
     "        val & !ID_AA64PFR0_EL1_SVE_MASK",
     "        val",
     "ID_AA64PFR0_EL1.SVE shown to a vCPU without SVE",
     SYSREG_CELLS, SYSREG_TESTS),
]


def run(cmd, log, **kw):
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, **kw).returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for opt in ("--build", "--ksrc", "--initramfs", "--matrix", "--out"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--only", default=os.environ.get("MUTANTS", ""))
    args = ap.parse_args()
    comp = os.path.join(args.ksrc, "arch/arm64/kvm/fp_rust")
    work = os.path.join(args.build, "mutants")
    os.makedirs(work, exist_ok=True)
    kmake = ["make", "-s", "-C", args.ksrc, "ARCH=arm64", "LLVM=1",
             f"-j{os.cpu_count()}", f"O={os.path.join(args.build, 'kernel-rust')}", "Image"]
    results, t0 = [], time.monotonic()
    for mid, rel, old, new, what, cells, tests in CATALOG:
        if args.only and not re.search(args.only, mid):
            continue
        src = open(os.path.join(TOP, "rust", rel)).read()
        if src.count(old) != 1:
            results.append({"id": mid, "what": what, "status": "broken",
                            "detail": f"the text to change occurs {src.count(old)} times in rust/{rel}"})
            continue
        if cells.startswith("EQUIVALENT"):
            results.append({"id": mid, "what": what, "status": "equivalent", "detail": tests})
            continue
        log = os.path.join(work, mid + ".log")
        open(log, "w").close()
        target = os.path.join(comp, rel)
        t1 = time.monotonic()
        row = {"id": mid, "file": f"rust/{rel}", "what": what, "cells": cells, "tests": tests}
        try:
            with open(target, "w") as f:
                f.write(src.replace(old, new))
            killed = None
            if rel in PURE:
                crate = os.path.join(work, "crate")
                shutil.rmtree(crate, ignore_errors=True)
                shutil.copytree(os.path.join(TOP, "rust"), crate)
                with open(os.path.join(crate, rel), "w") as f:
                    f.write(src.replace(old, new))
                if run(["cargo", "test", "-q", "--manifest-path", os.path.join(crate, "Cargo.toml"),
                        "--target-dir", os.path.join(work, "cargo")], log):
                    killed = "cargo test"
            if not killed and run(kmake, log):
                killed = "the build (a build-time check)"
            if not killed:
                out = os.path.join(work, mid)
                rc = run([os.path.join(TOP, "scripts/check.py"), "--build", args.build,
                          "--out", out, "--initramfs", args.initramfs, "--matrix", args.matrix,
                          "--kernels", "rust",
                          "--only", cells, "--tests", tests, "--ksrc", args.ksrc,
                          "--cell-timeout", "300"], log)
                if rc:
                    with open(os.path.join(out, "results.json")) as f:
                        failed = [f"{r['kernel']}-{r['mode']}-{r['cpu']}:{r['test']}"
                                  for r in json.load(f)["rows"] if r["status"] == "fail"]
                    killed = ", ".join(failed[:4]) or f"check.py exit {rc}"
            row.update(status="killed" if killed else "survived", detail=killed or "")
        finally:
            with open(target, "w") as f:
                f.write(src)
        row["seconds"] = round(time.monotonic() - t1)
        results.append(row)
        print(f"  MUTANT  {mid:30} {row['status']:9} {row['seconds']:4}s  {row.get('detail', '')[:90]}",
              flush=True)
    run(kmake, os.path.join(work, "restore.log"))
    total = round(time.monotonic() - t0)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "mutants.json"), "w") as f:
        json.dump({"seconds": total, "mutants": results}, f, indent=1)
        f.write("\n")
    print()
    print(f"{'mutant':30} {'status':10} what / killed by")
    for r in results:
        print(f"{r['id']:30} {r['status']:10} {r['what']}")
        if r.get("detail"):
            print(f"{'':41} {r['detail']}")
    n = {s: sum(r["status"] == s for r in results)
         for s in ("killed", "survived", "equivalent", "broken")}
    print(f"{n['killed']} killed, {n['survived']} survived, {n['equivalent']} equivalent, "
          f"{n['broken']} broken; {total} s")
    return 1 if n["survived"] or n["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
