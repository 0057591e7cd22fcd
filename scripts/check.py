#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the KVM selftests over the test matrix and report.

For every kernel flavour x KVM mode x host CPU cell of qemu/matrix.json,
boot the kernel under QEMU with the test initramfs, run the cell's tests
with run_kselftest.sh, parse the TAP, scan the kernel log, and record one
row per test plus one "kernel-log" row per cell. Writes out/results.json
({"base": the base kernel's version, read from the tree, "rows": [...]})
and out/logs/<cell>.log, prints a per-cell table, the base kernel and,
alone on the last line, "N passed, N failed" (", N skipped" appended when
any were).

The cells of the matrix's "vmm" rule boot once more for qemu_vmm, Debian's
arm64 QEMU as the VMM (qemu/vmm/), with the initramfs that carries it and
under the emulator --vmm-emulator names; their rows are qemu_vmm,
qemu_vmm:boot and qemu_vmm:kernel-log, their log out/logs/<cell>-vmm.log.
--vmm runs those boots alone, in every cell (make vmm-check).

Expected failures (xfail) come only from the matrix, each with the reason
written there; a test listed as xfail that passes is reported as a failure
("unexpected pass") so that a stale entry cannot hide anything.
"""

import argparse
import concurrent.futures
import json
import glob
import os
import re
import subprocess
import sys
import time

import mkvmm

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Kernel-log reports that fail a cell, whatever the tests said.
REPORTS = re.compile(
    r"WARNING:|\bBUG\b|Oops|Kernel panic|kernel BUG|Unable to handle kernel|"
    r"KASAN|UBSAN|possible circular locking|"
    r"sleeping function called from invalid context|suspicious RCU usage|"
    r"inconsistent lock state|possible recursive locking|hyp panic|"
    r"detected stalls|blocked for more than|Call trace:"
)

RESULT = re.compile(r"^(not ok|ok) \d+ selftests: kvm: (\S+)(?: # (.*))?$")
BEGIN = re.compile(r"^# selftests: kvm: (\S+)$")

# What /init copies from the boot log (FPTEST-BOOT: lines): the KVM mode
# the kernel initialised, and the implementation a Rust kernel announces.
# Protected mode runs the hypervisor in hVHE where the CPU has VHE (as
# QEMU's -cpu max does), in nVHE otherwise.
MODE_LINE = {
    "vhe": ("VHE mode initialized successfully",),
    "nvhe": ("Hyp nVHE mode initialized successfully",),
    "protected": ("Protected nVHE mode initialized successfully",
                  "Protected hVHE mode initialized successfully"),
}
RUST_LINE = "KVM FP/SIMD: Rust implementation"

# The harness's test of a real VMM, Debian's QEMU (qemu/vmm/qemu_vmm.sh).
VMM_TEST = "qemu_vmm"
assert VMM_TEST in mkvmm.HARNESS_TESTS

# The kernels whose results must agree, test by test.
PAIRS = (("c", "rust"), ("c-debug", "rust-debug"))

# Tests of the FP/SVE ABI whose whole TAP output is deterministic: in the
# same cell, the C and the Rust kernel must print the same lines (every
# errno, register list and value they report), not only the same verdict.
# fp_abi_fuzz is not among them: its second sequence's seed is drawn per
# run.
SAME_OUTPUT = ("sve_config_abi", "sve_sysregs", "get-reg-list", "set_id_regs",
               "vcpu_width_config")


def own_tests():
    """The project's own selftests: those the series adds to
    TEST_GEN_PROGS_aarch64 (patches/, the selftests patch), and the
    harness's own (mkvmm.HARNESS_TESTS: qemu_vmm, demo_snapshot).

    They have what they need in every cell (the test kernels carry the
    softirq NEON hook, /init mounts debugfs, the SVE parts check for SVE
    themselves), so a skip of one of them is a failure.
    """
    found = set()
    for p in glob.glob(os.path.join(TOP, "patches", "*.patch")):
        with open(p) as f:
            found |= set(re.findall(r"^\+TEST_GEN_PROGS_aarch64 \+= aarch64/(\S+)$", f.read(), re.M))
    return found | set(mkvmm.HARNESS_TESTS)


def cell_name(kernel, mode, cpu):
    return f"{kernel}-{mode}-{cpu}"


def parse_tap(lines, stamps):
    """Map test name -> (status, directive, output lines, seconds) from TAP."""
    results, current, output, t0 = {}, None, [], 0.0
    for line, t in zip(lines, stamps):
        m = BEGIN.match(line)
        if m:
            current, output, t0 = m.group(1), [], t
            continue
        m = RESULT.match(line)
        if m:
            ok, name, directive = m.group(1), m.group(2), m.group(3) or ""
            if directive.startswith("SKIP"):
                status = "skip"
            else:
                status = "pass" if ok == "ok" else "fail"
            results[name] = (status, directive,
                             output if name == current else [],
                             t - t0 if name == current else 0.0)
            current, output = None, []
            continue
        if current is not None:
            output.append(line)
    return results


def boot_problem(kernel, mode, lines):
    """Why the boot log does not fit the cell, or "" if it does."""
    boot = [l[len("FPTEST-BOOT: "):] for l in lines if l.startswith("FPTEST-BOOT: ")]
    if not any(l.startswith("FPTEST-BEGIN") for l in lines):
        return ""  # no run at all: the test rows say so
    said = {m.group(1) for m in (re.search(r"kvm \[\d+\]: (.*)$", l) for l in boot) if m}
    modes = [m for m, texts in MODE_LINE.items() if said & set(texts)]
    problems = []
    if modes != [mode]:
        problems.append(f"KVM initialised in {' and '.join(modes) or 'no'} mode, "
                        f"the cell is {mode}")
    rust = any(RUST_LINE in l for l in boot)
    if rust != kernel.startswith("rust"):
        problems.append(f"the kernel {'announced' if rust else 'did not announce'} "
                        f"the Rust implementation, the cell's kernel is {kernel}")
    return "; ".join(problems)


def console_reports(lines):
    """Kernel reports printed on the console while the tests ran, by test.

    The console shows kernel messages of level warning and worse as they
    are logged (loglevel=5, qemu/boot.sh); test output is prefixed "# " by
    the runner. Returns {test or None: [report lines]}, None for reports
    outside any test, up to the kernel-log dump, which log_reports() reads.
    """
    found, current = {}, None
    for line in lines:
        if line == "FPTEST-DMESG-BEGIN":
            break
        m = BEGIN.match(line)
        if m:
            current = m.group(1)
            continue
        m = RESULT.match(line)
        if m:
            current = None
            continue
        if not line.startswith("#") and REPORTS.search(line):
            found.setdefault(current, []).append(line)
    return found


def kernel_log(lines):
    """The dmesg dump between markers, or the whole console if missing."""
    try:
        start = lines.index("FPTEST-DMESG-BEGIN")
        end = lines.index("FPTEST-DMESG-END", start)
        return lines[start + 1:end], True
    except ValueError:
        return lines, False


def log_reports(lines):
    """Whether the kernel-log dump is complete, and its report lines."""
    klog, complete = kernel_log(lines)
    return complete, [l for l in klog if REPORTS.search(l)]


def harness_parser(doc):
    """The arguments every harness script takes (the Makefile passes them)."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    for opt in ("--build", "--out", "--initramfs", "--matrix"):
        ap.add_argument(opt, required=True)
    ap.add_argument("--ksrc", default="",
                    help="the kernel source tree, to read the base version from")
    return ap


def base_version(ksrc):
    """The base kernel the results are for, read from the tree, never typed.

    Returns a dict: "kernel", the version of the source tree's Makefile
    (VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION), and "debian", the
    installed linux-source-6.12 package's version when the tree is the
    unpacked Debian source (no KDIR), else None.
    """
    fields = {}
    try:
        with open(os.path.join(ksrc, "Makefile")) as f:
            for line in f:
                m = re.match(r"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*=\s*(\S*)", line)
                if m and m.group(1) not in fields:
                    fields[m.group(1)] = m.group(2)
                if len(fields) == 4:
                    break
    except OSError:
        return {"kernel": "unknown", "debian": None}
    kernel = ".".join(fields.get(k, "?") for k in ("VERSION", "PATCHLEVEL", "SUBLEVEL"))
    kernel += fields.get("EXTRAVERSION", "")
    debian = None
    if os.path.realpath(ksrc).startswith(os.path.realpath(os.path.join(TOP, "build"))):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "linux-source-6.12"],
                           capture_output=True, text=True)
        debian = r.stdout.strip() or None
    return {"kernel": kernel, "debian": debian}


def base_line(base):
    """One line naming the base kernel, for the summaries."""
    deb = f" (Debian linux-source-6.12 {base['debian']})" if base["debian"] else ""
    return f"base kernel: Linux {base['kernel']}{deb}"


def detail_of(output, directive):
    """A short, useful reason for a failed test: assertion lines first."""
    keep = [l.lstrip("# ").strip() for l in output
            if re.search(r"assert|fail|error|not ok|expected|Bail", l, re.I)]
    if not keep:
        keep = [l.lstrip("# ").strip() for l in output[-4:]]
    text = "; ".join(k for k in keep[:4] if k)
    return f"{directive}: {text}" if directive else text


def boot(build, kernel, initramfs, cpu, mode_args, timeout, job_args, logpath,
         echo=None, emulator=None):
    """Boot kernel-<kernel> under QEMU; return (rc, lines, stamps, seconds).

    Every console line is written to logpath with its time since start,
    and passed to echo() as it arrives if given. emulator: the
    qemu-system-aarch64 to boot with, instead of the one on PATH.
    """
    image = os.path.join(build, f"kernel-{kernel}", "arch/arm64/boot/Image")
    cmd = [os.path.join(TOP, "qemu/boot.sh"), image, initramfs, cpu,
           str(timeout)] + list(mode_args) + list(job_args)
    t0 = time.monotonic()
    lines, stamps = [], []
    with open(logpath, "w") as log:
        log.write("# " + " ".join(cmd) + "\n")
        env = dict(os.environ)
        if emulator:
            env["QEMU_SYSTEM"] = emulator
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env=env)
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            line = line.replace("\r", "")
            lines.append(line)
            stamps.append(time.monotonic() - t0)
            log.write(f"[{stamps[-1]:8.2f}] {line}\n")
            log.flush()
            if echo:
                echo(line)
        rc = proc.wait()
    return rc, lines, stamps, time.monotonic() - t0


def flavour(matrix, kernel):
    """The matrix's rule for a kernel flavour: which cells, how slow."""
    for rule in matrix.get("kernels", []):
        if re.fullmatch(rule["kernel"], kernel):
            return rule
    return {}


def vmm_boot(tests):
    """Whether a boot is a cell's qemu_vmm boot: qemu_vmm alone, which the
    other boots never run."""
    return tests == [VMM_TEST]


def run_cell(args, matrix, kernel, mode, cpu, tests):
    """Boot one cell. A qemu_vmm boot (vmm_boot()) gets the initramfs with
    QEMU in it (scripts/mkvmm.py) and the emulator of --vmm-emulator, and
    is logged to <cell>-vmm.log."""
    vmm = vmm_boot(tests)
    name = cell_name(kernel, mode, cpu)
    rule = flavour(matrix, kernel)
    scale = rule.get("timeout_scale", 1)
    job = ["fptest.job=tests", "fptest.tests=" + ",".join(tests),
           f"fptest.timeout={matrix['test_timeout'] * scale}"] + rule.get("job_args", [])
    logpath = os.path.join(args.out, "logs", name + ("-vmm" if vmm else "") + ".log")
    if args.replay:
        return (name,) + replay(logpath)
    initramfs = mkvmm.vmm_initramfs(args.initramfs) if vmm else args.initramfs
    return (name,) + boot(args.build, kernel, initramfs,
                          matrix["cpus"][cpu], matrix["modes"][mode],
                          (args.cell_timeout or matrix["cell_timeout"]) * scale, job,
                          logpath, emulator=args.vmm_emulator if vmm else None)


def replay(logpath):
    """A cell's (rc, lines, stamps, seconds) from its log of an earlier run,
    for working on this script without booting anything."""
    lines, stamps = [], []
    with open(logpath) as f:
        for line in f:
            m = re.match(r"^\[\s*([0-9.]+)\] (.*)$", line.rstrip("\n"))
            if m:
                stamps.append(float(m.group(1)))
                lines.append(m.group(2))
    timed_out = not any(l.startswith("FPTEST-END") for l in lines)
    return (124 if timed_out else 0), lines, stamps, (stamps[-1] if stamps else 0.0)


def compare_kernels(rows, outputs):
    """A failure row for every (mode, cpu, test) whose status differs
    between the C kernel and the Rust kernel of a pair (PAIRS), where both
    ran the cell, and for every test of SAME_OUTPUT whose output differs
    (outputs: (kernel, mode, cpu, test) -> its TAP output lines)."""
    status = {(r["kernel"], r["mode"], r["cpu"], r["test"]): r["status"] for r in rows}
    cells = {k[:3] for k in status}
    out = []
    for (k, mode, cpu, test), lines in sorted(outputs.items()):
        for ck, rk in PAIRS:
            other = outputs.get((rk, mode, cpu, test))
            if k != ck or other is None or other == lines:
                continue
            first = next(i for i in range(max(len(lines), len(other)))
                         if i >= len(lines) or i >= len(other) or lines[i] != other[i])
            out.append({"kernel": rk, "mode": mode, "cpu": cpu,
                        "test": f"c-vs-rust-output:{test}", "status": "fail",
                        "detail": f"line {first + 1}: {ck}: "
                        f"{lines[first] if first < len(lines) else '(end)'!r}, {rk}: "
                        f"{other[first] if first < len(other) else '(end)'!r}"})
    for ck, rk in PAIRS:
        for (k, mode, cpu, test), s in sorted(status.items()):
            if k != ck or (rk, mode, cpu) not in cells:
                continue
            o = status.get((rk, mode, cpu, test))
            if o != s:
                out.append({"kernel": rk, "mode": mode, "cpu": cpu,
                            "test": f"c-vs-rust:{test}", "status": "fail",
                            "detail": f"{ck}: {s}, {rk}: {o or 'no row'}"})
        for (k, mode, cpu, test), o in sorted(status.items()):
            if k == rk and (ck, mode, cpu) in cells and (ck, mode, cpu, test) not in status:
                out.append({"kernel": rk, "mode": mode, "cpu": cpu,
                            "test": f"c-vs-rust:{test}", "status": "fail",
                            "detail": f"{ck}: no row, {rk}: {o}"})
    return out


def main():
    ap = harness_parser(__doc__)
    ap.add_argument("--kernels", required=True)
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("CHECK_JOBS", "1")))
    ap.add_argument("--only", default=os.environ.get("CELLS", ""),
                    help="regex: run only the cells whose name matches")
    ap.add_argument("--tests", default=os.environ.get("TESTS", ""),
                    help="regex: run only the tests whose name matches")
    ap.add_argument("--cell-timeout", type=int, default=0,
                    help="seconds a cell may take, instead of the matrix's (make mutants)")
    ap.add_argument("--vmm", action="store_true",
                    help="run only the qemu_vmm boots, in every cell --only selects "
                    "(make vmm-check)")
    ap.add_argument("--vmm-emulator", default=os.environ.get("VMM_EMULATOR", ""),
                    help="the qemu-system-aarch64 that boots the cells' qemu_vmm runs "
                    "(qemu/matrix.json, \"vmm\")")
    ap.add_argument("--replay", action="store_true",
                    help="judge the logs of the last run in --out/logs again, boot nothing")
    args = ap.parse_args()

    with open(args.matrix) as f:
        matrix = json.load(f)
    with open(os.path.join(args.build, "kselftest/kselftest-list.txt")) as f:
        all_tests = [l.split(":", 1)[1].strip() for l in f if l.startswith("kvm:")]
    # qemu_vmm runs in a boot of its own (qemu/matrix.json, "vmm"): the
    # other tests' cells never have it.
    all_tests = [t for t in all_tests if t != VMM_TEST]
    vmm_rule = matrix["vmm"]
    run_vmm = args.vmm or not args.tests or re.fullmatch(args.tests, VMM_TEST)

    os.makedirs(os.path.join(args.out, "logs"), exist_ok=True)
    kernels = args.kernels.split()

    cells = []
    for kernel in kernels:
        for mode in matrix["modes"]:
            for cpu in matrix["cpus"]:
                name = cell_name(kernel, mode, cpu)
                if args.only and not re.search(args.only, name):
                    continue
                where = flavour(matrix, kernel).get("cells")
                if where and not re.fullmatch(where, f"{mode}-{cpu}"):
                    continue
                omit = {}
                for rule in matrix.get("subsets", []):
                    if re.fullmatch(rule["cells"], name):
                        for t in rule["omit"]:
                            omit[t] = rule["reason"]
                tests = [t for t in all_tests if t not in omit and
                         (not args.tests or re.fullmatch(args.tests, t))]
                # An empty list would make /init run every test.
                if tests and not args.vmm:
                    cells.append((kernel, mode, cpu, tests, omit))
                if run_vmm and (args.vmm or re.fullmatch(vmm_rule["cells"], f"{mode}-{cpu}")):
                    cells.append((kernel, mode, cpu, [VMM_TEST], {}))

    def xfail_rule(name, test):
        for rule in matrix.get("xfail", []):
            if re.fullmatch(rule["cells"], name) and re.fullmatch(rule["test"], test):
                return rule
        return None

    def xfail_reason(name, test):
        rule = xfail_rule(name, test)
        return rule["reason"] if rule else None

    own = own_tests()
    rows, table, outputs = [], [], {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        # Longest cells first, so that the workers finish together.
        futures = {pool.submit(run_cell, args, matrix, k, m, c, t): (k, m, c, t)
                   for k, m, c, t, o in sorted(cells, key=lambda c: -len(c[3]))}
        done = {}
        for fut in concurrent.futures.as_completed(futures):
            k, m, c, t = futures[fut]
            done[(k, m, c, vmm_boot(t))] = fut.result()

    for kernel, mode, cpu, tests, omit in cells:
        vmm = vmm_boot(tests)
        name, rc, lines, stamps, secs = done[(kernel, mode, cpu, vmm)]
        # The rows of a qemu_vmm boot: qemu_vmm, and its boot and kernel
        # log as qemu_vmm:boot and qemu_vmm:kernel-log.
        boot_row = f"{VMM_TEST}:boot" if vmm else "boot"
        klog_row = f"{VMM_TEST}:kernel-log" if vmm else "kernel-log"
        label = f"{name} ({VMM_TEST})" if vmm else name
        results = parse_tap(lines, stamps)
        complete, reports = log_reports(lines)
        live = console_reports(lines)
        # The console's reports too: the dump holds only what the ring
        # buffer kept.
        reports += [l for ls in live.values() for l in ls if l not in reports]
        counts = {"pass": 0, "fail": 0, "skip": 0, "xfail": 0}
        failed_names = []
        first_row = len(rows)

        def add(test, status, detail, seconds=None):
            row = {"kernel": kernel, "mode": mode, "cpu": cpu,
                   "test": test, "status": status, "detail": detail}
            if seconds is not None:
                row["seconds"] = round(seconds, 1)
            rows.append(row)
            counts[status] += 1
            if status == "fail":
                failed_names.append(test)

        problem = boot_problem(kernel, mode, lines)
        add(boot_row, "fail" if problem else "pass", problem)

        for test in tests:
            reason = xfail_reason(name, test)
            if test in results and test in live and not xfail_reason(name, klog_row):
                # A kernel report while the test ran fails the test too.
                took = results[test][3]
                add(test, "fail", "kernel log while it ran: " + "; ".join(live[test][:4]),
                    took)
                continue
            if test not in results:
                why = ("cell timed out" if rc == 124 else
                       "no result: boot or run ended early (see log)")
                if test in live:
                    why += "; kernel log while it ran: " + "; ".join(live[test][:4])
                add(test, "fail", why)
                continue
            status, directive, output, took = results[test]
            if test in SAME_OUTPUT:
                outputs[(kernel, mode, cpu, test)] = [
                    l for l in output if not l.startswith("# Random seed")]
            # An xfail rule with "match" covers only the failure it names:
            # any other failure of the same test is still a failure.
            known = reason and status == "fail" and (
                "match" not in xfail_rule(name, test) or
                any(re.search(xfail_rule(name, test)["match"], l) for l in output))
            if known:
                add(test, "xfail", reason, took)
            elif reason and status == "fail":
                add(test, "fail", "not the expected failure ("
                    + xfail_rule(name, test)["match"] + "): "
                    + detail_of(output, directive), took)
            elif reason and status == "pass":
                add(test, "fail", f"unexpected pass; matrix says xfail: {reason}", took)
            elif status == "skip" and test in own:
                add(test, "fail", "skipped, where it must run: "
                    + (detail_of(output, directive) or "no reason given"), took)
            elif status == "skip":
                add(test, "skip", detail_of(output, directive) or "skipped", took)
            elif status == "fail":
                add(test, "fail", detail_of(output, directive), took)
            else:
                add(test, "pass", "", took)
        for test, why in omit.items():
            if test in all_tests:
                rows.append({"kernel": kernel, "mode": mode, "cpu": cpu,
                             "test": test, "status": "skip",
                             "detail": f"not run in this cell: {why}"})
                counts["skip"] += 1

        klog_reason = xfail_reason(name, klog_row)
        if reports or not complete:
            detail = "; ".join(reports[:8]) if reports else "no kernel log dump (boot or run ended early)"
            add(klog_row, "xfail" if klog_reason else "fail",
                f"{klog_reason} [{detail}]" if klog_reason else detail)
        else:
            add(klog_row, "pass", "")

        table.append((label, counts, secs, failed_names))
        if reports:
            print(f"--- {label}: kernel log reports:")
            for r in reports[:40]:
                print("    " + r)
        for row in rows[first_row:]:
            if row["status"] == "fail":
                print(f"--- {label}: FAIL {row['test']}: {row['detail']}")

    compare = compare_kernels(rows, outputs)
    rows += compare
    for row in compare:
        print(f"--- {cell_name(row['kernel'], row['mode'], row['cpu'])}: "
              f"FAIL {row['test']}: {row['detail']}")

    base = base_version(args.ksrc)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"base": base, "rows": rows}, f, indent=1)
        f.write("\n")

    print()
    print(f"{'cell':<34} {'pass':>5} {'fail':>5} {'skip':>5} {'xfail':>6} {'time':>7}")
    for name, c, secs, failed in table:
        print(f"{name:<34} {c['pass']:>5} {c['fail']:>5} {c['skip']:>5} "
              f"{c['xfail']:>6} {secs:>6.0f}s")
    for rule in matrix.get("kernels", []):
        if any(re.fullmatch(rule["kernel"], k) for k in kernels):
            print(f"kernels /{rule['kernel']}/ run only in cells /{rule['cells']}/, "
                  f"timeouts x{rule.get('timeout_scale', 1)}: {rule['reason']}")
    if any(vmm_boot(c[3]) for c in cells):
        emulator = args.vmm_emulator or "qemu-system-aarch64"
        version = subprocess.run([emulator, "--version"], capture_output=True,
                                 text=True).stdout.split("\n")[0]
        where = "every cell" if args.vmm else f"cells /{vmm_rule['cells']}/"
        print(f"{VMM_TEST} in {where}, booted by {emulator} ({version}): "
              f"{vmm_rule['reason']}")
    notes = {}
    for rule in matrix.get("subsets", []) + matrix.get("xfail", []):
        notes.setdefault(rule["reason"], []).append(rule)
    if notes:
        print()
        for reason, rules in notes.items():
            what = ", ".join(sorted({" ".join(r.get("omit", [r.get("test", "")]))
                                     for r in rules}))
            cells = ", ".join(sorted({r["cells"] for r in rules}))
            kind = "not run" if "omit" in rules[0] else "xfail"
            print(f"{kind}: {what} in cells /{cells}/: {reason}")

    n = {s: sum(1 for r in rows if r["status"] == s)
         for s in ("pass", "fail", "skip", "xfail")}
    skipped = n["skip"] + n["xfail"]
    if n["xfail"]:
        print(f"({n['xfail']} of the skipped are expected failures, xfail, with their reasons above)")
    print(base_line(base))
    summary = f"{n['pass']} passed, {n['fail']} failed"
    if skipped:
        summary += f", {skipped} skipped"
    print(summary)
    return 1 if n["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
