#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Build the payload of the qemu_vmm test: an initramfs fragment with
Debian's arm64 qemu-system-aarch64, the libraries it loads, the dynamic
loader, and the test's guest (qemu/vmm/fp-guest.c), and the initramfs of
the cells that run qemu_vmm: the test initramfs with that fragment after it
(the kernel unpacks one archive after the other). Also installs the
harness's own tests as kselftests: the test's driver, qemu/vmm/qemu_vmm.sh,
as kvm:qemu_vmm, and qemu/demo_snapshot.sh (the demo VMM's snapshot and
restore) as kvm:demo_snapshot.

usage: mkvmm.py driver <kselftest-dir>
       mkvmm.py payload <qemu-root> <build-dir> <initramfs>
  driver: installs those tests (before the test initramfs is packed);
  payload: writes <build-dir>/vmm/fp-guest.elf, <build-dir>/vmm.cpio.gz
  and <initramfs> with "-vmm" before ".cpio.gz" (after it is packed);
  <qemu-root>: the unpacked packages of qemu/vmm/packages (scripts/deps.sh).
Every step is skipped when its output is newer than its inputs."""

import os
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = "usr/bin/qemu-system-aarch64"
LOADER = "lib/ld-linux-aarch64.so.1"
LIBDIRS = ("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu")
# Linked above the device tree QEMU puts at the start of RAM (0x40000000).
GUEST_CFLAGS = ["-O2", "-Wall", "-Werror", "-ffreestanding", "-fno-builtin",
                "-nostdlib", "-static", "-fno-pie", "-no-pie",
                "-mgeneral-regs-only", "-mstrict-align", "-march=armv8.2-a+sve",
                "-Wl,-Ttext=0x40400000", "-Wl,--build-id=none", "-Wl,-e,_start"]


def vmm_initramfs(initramfs):
    """The initramfs of the cells that run qemu_vmm, beside <initramfs>."""
    return initramfs.replace(".cpio.gz", "-vmm.cpio.gz")


def stale(out, inputs):
    if not os.path.exists(out):
        return True
    t = os.path.getmtime(out)
    return any(os.path.getmtime(i) > t for i in inputs)


def needed(path):
    out = subprocess.run(["llvm-readelf", "-d", path], check=True,
                         capture_output=True, text=True).stdout
    return [l.split("[", 1)[1].split("]", 1)[0] for l in out.splitlines()
            if "(NEEDED)" in l]


def closure(root):
    """{soname: path under root} of every library QEMU loads."""
    libs, todo, missing = {}, [os.path.join(root, QEMU)], []
    while todo:
        for name in needed(todo.pop()):
            if name in libs or name in missing:
                continue
            for d in LIBDIRS:
                p = os.path.join(root, d, name)
                if os.path.exists(p):
                    libs[name] = p
                    todo.append(p)
                    break
            else:
                missing.append(name)
    if missing:
        sys.exit(f"mkvmm: libraries of {QEMU} not in qemu/vmm/packages: "
                 + " ".join(sorted(missing)))
    return libs


# The harness's own kselftests: name -> script.
HARNESS_TESTS = {"qemu_vmm": "qemu/vmm/qemu_vmm.sh",
                 "demo_snapshot": "qemu/demo_snapshot.sh"}


def install_tests(ksft):
    """Each of HARNESS_TESTS as the kselftest kvm:<name>."""
    lst = os.path.join(ksft, "kselftest-list.txt")
    with open(lst) as f:
        entries = f.read().splitlines()
    for name, script in HARNESS_TESTS.items():
        src, dst = os.path.join(TOP, script), os.path.join(ksft, "kvm", name)
        if stale(dst, [src]):
            shutil.copy(src, dst)
            os.chmod(dst, 0o755)
        if f"kvm:{name}" not in entries:
            with open(lst, "a") as f:
                f.write(f"kvm:{name}\n")


def build_payload(root, build, initramfs):
    guest_src = os.path.join(TOP, "qemu/vmm/fp-guest.c")
    guest = os.path.join(build, "vmm/fp-guest.elf")
    payload = os.path.join(build, "vmm.cpio.gz")
    combined = vmm_initramfs(initramfs)

    if stale(guest, [guest_src, __file__]):
        print("  CC      fp-guest.elf")
        os.makedirs(os.path.dirname(guest), exist_ok=True)
        subprocess.run(["aarch64-linux-gnu-gcc"] + GUEST_CFLAGS +
                       ["-o", guest, guest_src], check=True)

    qemu = os.path.join(root, QEMU)
    if stale(payload, [qemu, guest, __file__]):
        libs = closure(root)
        print(f"  CPIO    {payload}: qemu-system-aarch64 and {len(libs)} libraries")
        with tempfile.TemporaryDirectory() as stage:
            for d in ("vmm/bin", "vmm/lib", "lib"):
                os.makedirs(os.path.join(stage, d))
            shutil.copy(qemu, os.path.join(stage, "vmm/bin"))
            for name, path in libs.items():
                shutil.copy(path, os.path.join(stage, "vmm/lib", name))
            shutil.copy(os.path.join(root, LOADER), os.path.join(stage, LOADER))
            shutil.copy(guest, os.path.join(stage, "vmm/fp-guest.elf"))
            files = subprocess.run("find . | LC_ALL=C sort", shell=True, cwd=stage,
                                   check=True, capture_output=True).stdout
            cpio = subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0", "--quiet"],
                                  cwd=stage, input=files, check=True,
                                  capture_output=True).stdout
            gz = subprocess.run(["gzip", "-1"], input=cpio, check=True,
                                capture_output=True).stdout
        with open(payload + ".tmp", "wb") as f:
            f.write(gz)
        os.replace(payload + ".tmp", payload)

    if stale(combined, [initramfs, payload]):
        with open(combined + ".tmp", "wb") as out:
            for part in (initramfs, payload):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out)
        os.replace(combined + ".tmp", combined)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "driver":
        install_tests(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "payload":
        build_payload(*sys.argv[2:5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
