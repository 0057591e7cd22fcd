#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""List the component's functions that the built kernel never calls.

Every function defined in the component's objects (the Rust crate
kvm_fp_rust.o and the C helpers kvm_fp_helpers.o) must be called from
somewhere: by a relocation in an object of arch/arm64/kvm/ (a call from
the C, or between the two objects), or by a direct branch from another
function of the same object (calls inside an object need no
relocation). Functions that are entered another way are listed in
ENTERED, with how. Exits non-zero and names each uncalled function.

usage: uncalled.py <kernel build dir>
"""

import os
import re
import subprocess
import sys

ENTERED = {
    "kvm_fp_rust_init": "late_initcall() of kvm_fp_helpers.c",
}
OBJS = ("arch/arm64/kvm/fp_rust/kvm_fp_rust.o", "arch/arm64/kvm/fp_rust/kvm_fp_helpers.o")


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    build = sys.argv[1]
    kvm = os.path.join(build, "arch/arm64/kvm")
    objs = [os.path.join(d, f) for d, _, fs in os.walk(kvm) for f in fs
            if f.endswith(".o") and f != "kvm.o" and not f.endswith(".mod.o")
            and "/hyp/" not in os.path.join(d, f)]
    referenced = set()
    for line in run("llvm-objdump", "-r", *objs).splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1].startswith("R_AARCH64"):
            referenced.add(re.sub(r"[+-]0x[0-9a-f]+$", "", parts[2]))
    uncalled = []
    for rel in OBJS:
        obj = os.path.join(build, rel)
        # Functions by section index and offset, to resolve relocations
        # against a section symbol (".text.unlikely.+0x10": a call to a
        # local function in another section of the same object).
        funcs, sections, defined = {}, {}, []
        for line in run("llvm-readelf", "-sW", obj).splitlines():
            f = line.split()
            if len(f) == 8 and f[3] in ("FUNC", "SECTION") and f[6].isdigit():
                if f[3] == "SECTION":
                    sections[f[7]] = f[6]
                else:
                    funcs[(f[6], int(f[1], 16))] = f[7]
                    defined.append(f[7])
        for line in run("llvm-objdump", "-r", obj).splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1].startswith("R_AARCH64"):
                m = re.match(r"^(.*?)(?:\+0x([0-9a-f]+))?$", parts[2])
                ndx = sections.get(m.group(1))
                if ndx is not None:
                    name = funcs.get((ndx, int(m.group(2) or "0", 16)))
                    if name:
                        referenced.add(name)
        # Direct branches between functions of the same section: "bl
        # <target>" in a function other than the target.
        current = None
        for line in run("llvm-objdump", "-d", "--no-show-raw-insn", obj).splitlines():
            m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
            if m:
                current = m.group(1)
                continue
            m = re.search(r"\s(?:bl|b)\s+0x[0-9a-f]+ <([^+>]+)>$", line)
            if m and m.group(1) != current:
                referenced.add(m.group(1))
        for sym in defined:
            if sym not in referenced and sym not in ENTERED:
                uncalled.append(f"{rel}: {sym}")
    for u in uncalled:
        print(f"uncalled: {u}")
    print(f"  UNCALLED {len(uncalled)} uncalled function(s) of the component in {build}")
    return 1 if uncalled else 0


if __name__ == "__main__":
    sys.exit(main())
