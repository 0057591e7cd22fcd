#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pack the test initramfs: static busybox, /init, the installed kselftests,
# and the demo VMM. Rewritten only when an input is
# newer than the archive.
#
# usage: mkinitramfs.sh <out.cpio.gz> <busybox> <init> <kselftest-dir> <demo> <ksft-args> <kvm-hold>
set -euo pipefail
out=$1 busybox=$2 init=$3 ksft=$4 demo=$5 args=$6 hold=$7

if [ -f "$out" ] && [ -z "$(find "$busybox" "$init" "$ksft" "$demo" "$args" "$hold" -newer "$out" -print -quit)" ]; then
	exit 0
fi
echo "  CPIO    $out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp}
cp "$busybox" "$stage/bin/busybox"
cp "$init" "$stage/init"
cp "$args" "$stage/ksft-args.sh"
cp "$demo" "$stage/bin/fp-demo-vmm"
cp "$hold" "$stage/bin/kvm-hold"
cp -a "$ksft" "$stage/kselftest"
chmod +x "$stage/init"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
