#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot an arm64 kernel under QEMU (TCG) at EL2 with the test initramfs;
# the serial console goes to stdout. Exits 124 if the boot outlives
# <timeout> seconds.
#
# usage: boot.sh <Image> <initramfs> <cpu-properties> <timeout> [kernel args...]
#   <cpu-properties>: appended to "-cpu max,", e.g. "sve=on,sve-max-vq=4"
# Environment: QEMU_SMP (2), QEMU_MEM (2048), QEMU_EXTRA (e.g. -icount ...),
# QEMU_MACHINE (more -M virt properties, e.g. dtb-randomness=off),
# QEMU_SYSTEM (the emulator, qemu-system-aarch64 on PATH by default)
set -euo pipefail
image=$1 initrd=$2 cpu=$3 tmo=$4
shift 4

# pauth-impdef: QEMU's own PAC algorithm, much faster to emulate than
# QARMA5 and equivalent for everything tested here. SME stays off: the
# base kernel has ARM64_SME depending on BROKEN.
exec timeout --foreground -k 5 "$tmo" \
	"${QEMU_SYSTEM:-qemu-system-aarch64}" -M "virt,virtualization=on,gic-version=3${QEMU_MACHINE:+,$QEMU_MACHINE}" \
	-cpu "max,$cpu,sme=off,pauth-impdef=on" \
	-smp "${QEMU_SMP:-2}" -m "${QEMU_MEM:-2048}" \
	-nographic -no-reboot -nic none ${QEMU_EXTRA:-} \
	-kernel "$image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=5 $*" </dev/null
