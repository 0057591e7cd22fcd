#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what this project needs on a Debian 12 (bookworm) x86-64 machine,
# skipping whatever is already there: a second run changes nothing.
#
# usage: deps.sh <depsdir>   (busybox for the initramfs is unpacked there)
set -euo pipefail
depsdir=$1
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

PKGS="linux-source-6.12 clang-19 lld-19 llvm-19 libclang-19-dev
      make flex bison bc libelf-dev libssl-dev cpio kmod rsync xz-utils
      gzip python3 patch curl qemu-system-arm gcc-aarch64-linux-gnu
      libc6-dev-arm64-cross"
BINDGEN_VERSION=0.71.1

updated=0
apt_update() {
	[ $updated -eq 1 ] && return
	echo "deps: apt-get update"
	$SUDO apt-get update -qq
	updated=1
}

add_arm64() {
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		updated=0
	fi
}

missing=()
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt_update
	echo "deps: apt-get install ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A static arm64 busybox: the shell and tools of the initramfs.
if [ ! -x "$depsdir/busybox/bin/busybox" ]; then
	add_arm64
	apt_update
	mkdir -p "$depsdir"
	rm -f "$depsdir"/busybox-static_*_arm64.deb
	(cd "$depsdir" && apt-get download -q busybox-static:arm64 >/dev/null 2>&1) ||
		{ echo "deps: apt-get download busybox-static:arm64 failed" >&2; exit 1; }
	rm -rf "$depsdir/busybox"
	dpkg-deb -x "$depsdir"/busybox-static_*_arm64.deb "$depsdir/busybox"
	echo "deps: busybox-static:arm64 unpacked in $depsdir/busybox"
fi

# Debian's arm64 QEMU, the VMM of the qemu_vmm test inside the test
# kernels: the packages of qemu/vmm/packages, unpacked (scripts/mkvmm.py
# takes qemu-system-aarch64 and its libraries from there). Fetched again
# when the list changes.
vmmlist=$(dirname "$0")/../qemu/vmm/packages
if ! cmp -s "$vmmlist" "$depsdir/qemu-vmm/packages"; then
	add_arm64
	apt_update
	rm -rf "$depsdir/qemu-vmm"
	mkdir -p "$depsdir/qemu-vmm/debs"
	pkgs=$(grep -v '^#' "$vmmlist" | sed 's/$/:arm64/')
	# shellcheck disable=SC2086
	(cd "$depsdir/qemu-vmm/debs" && apt-get download -q $pkgs >/dev/null 2>&1) ||
		{ echo "deps: apt-get download of qemu/vmm/packages failed" >&2; exit 1; }
	for deb in "$depsdir"/qemu-vmm/debs/*.deb; do
		dpkg-deb -x "$deb" "$depsdir/qemu-vmm/root"
	done
	cp "$vmmlist" "$depsdir/qemu-vmm/packages"
	echo "deps: qemu-system-arm:arm64 $(dpkg-deb -f "$depsdir"/qemu-vmm/debs/qemu-system-arm_*.deb Version) and the $(($(ls "$depsdir"/qemu-vmm/debs | wc -l) - 1)) library packages it needs unpacked in $depsdir/qemu-vmm"
fi

# The emulator of the qemu_vmm boots (qemu/matrix.json, "vmm"): Debian's
# qemu-system-arm from bookworm-backports (QEMU 10.0 in December 2026),
# whichever version the archive has, unpacked: the system's QEMU 7.2
# stays the emulator of everything else. Its shared libraries are
# bookworm's, which the system's qemu-system-arm already pulled in.
outer=$depsdir/qemu-outer
if [ ! -x "$outer/root/usr/bin/qemu-system-aarch64" ]; then
	bpo=http://deb.debian.org/debian
	rm -rf "$outer"
	mkdir -p "$outer"
	curl -fsS -o "$outer/Packages.xz" \
		"$bpo/dists/bookworm-backports/main/binary-amd64/Packages.xz" ||
		{ echo "deps: the bookworm-backports package index failed to download" >&2; exit 1; }
	stanza=$(xz -dc "$outer/Packages.xz" |
		awk -v RS= '/(^|\n)Package: qemu-system-arm\n/')
	file=$(echo "$stanza" | sed -n 's/^Filename: //p')
	sum=$(echo "$stanza" | sed -n 's/^SHA256: //p')
	[ -n "$file" ] && [ -n "$sum" ] ||
		{ echo "deps: no qemu-system-arm in bookworm-backports" >&2; exit 1; }
	curl -fsS -o "$outer/qemu-system-arm.deb" "$bpo/$file" ||
		{ echo "deps: $bpo/$file failed to download" >&2; exit 1; }
	echo "$sum  $outer/qemu-system-arm.deb" | sha256sum -c --quiet ||
		{ echo "deps: $file: checksum mismatch" >&2; exit 1; }
	dpkg-deb -x "$outer/qemu-system-arm.deb" "$outer/root"
	if missing=$(ldd "$outer/root/usr/bin/qemu-system-aarch64" | grep "not found"); then
		echo "$missing" >&2
		rm -rf "$outer"
		echo "deps: bookworm-backports' qemu-system-aarch64 lacks libraries" >&2
		exit 1
	fi
	echo "deps: qemu-system-arm $(dpkg-deb -f "$outer/qemu-system-arm.deb" Version) (bookworm-backports) unpacked in $outer"
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	echo "deps: rustup component add rust-src"
	rustup component add rust-src
fi
if ! rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-musl; then
	echo "deps: rustup target add aarch64-unknown-linux-musl"
	rustup target add aarch64-unknown-linux-musl
fi
if [ "$(bindgen --version 2>/dev/null)" != "bindgen $BINDGEN_VERSION" ]; then
	echo "deps: cargo install bindgen-cli $BINDGEN_VERSION"
	cargo install --locked --quiet bindgen-cli --version "$BINDGEN_VERSION"
fi

echo "deps: base kernel: Debian linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)"
