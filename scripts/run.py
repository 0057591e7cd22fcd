#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make run: boot one kernel under QEMU and run the demo VMM in it.

Shows the demo's output as it runs, then a one-line verdict that also
fails on any kernel-log report (WARN, BUG, lockdep, ...), as check.py does.
"""

import json
import os
import sys

from check import boot, harness_parser, log_reports

IMPL = {"c": "C, fpsimd.c and sve.c", "rust": "Rust, CONFIG_KVM_ARM64_FPSIMD_RUST=y"}


def main():
    ap = harness_parser(__doc__)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--cpu", default="sve=on")
    ap.add_argument("--mode", default="vhe")
    ap.add_argument("--args", default="", help="demo arguments, comma-separated")
    args = ap.parse_args()

    with open(args.matrix) as f:
        matrix = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    logpath = os.path.join(args.out, "run.log")
    print(f"make run: booting kernel-{args.kernel} ({IMPL.get(args.kernel, '?')}) "
          f"with -cpu max,{args.cpu}, KVM mode {args.mode}; console log in {logpath}")

    showing = False

    def echo(line):
        nonlocal showing
        if line.startswith("FPTEST-BEGIN"):
            showing = True
        elif line.startswith("FPTEST-END"):
            showing = False
        elif showing:
            print("  " + line, flush=True)

    job = ["fptest.job=demo"] + ([f"fptest.args={args.args}"] if args.args else [])
    rc, lines, _, secs = boot(args.build, args.kernel, args.initramfs, args.cpu,
                              matrix["modes"][args.mode], 300, job, logpath, echo)
    complete, reports = log_reports(lines)
    passed = "fp-demo-vmm: PASS" in lines and complete and not reports
    for r in reports:
        print("  kernel log: " + r)
    if not complete:
        print(f"  the boot ended early (QEMU exit {rc}); see {logpath}")
    print(f"make run: kernel-{args.kernel} ({IMPL.get(args.kernel, '?')}), "
          f"-cpu max,{args.cpu}, {args.mode}: {'PASS' if passed else 'FAIL'} ({secs:.0f}s)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
