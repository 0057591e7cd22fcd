#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The component's lint, run by make check before the cells: rustfmt
# --check on every .rs file of the project (with the kernel's
# .rustfmt.toml); a CLIPPY=1 build of the Rust crate; and a check that
# every function of the component in the Rust kernel has a caller
# (scripts/uncalled.py). Any rustfmt difference, any warning or error of
# clippy or rustc, and any uncalled function fails.
#
# The clippy build runs in a copy of the Rust kernel's build directory
# (<build dir>-clippy, about 115 MB with this configuration), so that the
# build directory that make check boots stays exactly as Kbuild left it.
#
# usage: lint.sh <srctree> <rust kernel build dir>
set -euo pipefail
src=$1 obj=$2
top=$(cd "$(dirname "$0")/.." && pwd)

echo "  RUSTFMT --check rust/ demo/"
rustfmt --check --config-path "$src/.rustfmt.toml" \
	"$top"/rust/*.rs "$top"/rust/tests/*.rs "$top"/demo/src/*.rs

echo "  CLIPPY  arch/arm64/kvm/fp_rust/kvm_fp_rust.o"
copy=$obj-clippy
rsync -a --delete "$obj/" "$copy/"
rm -f "$copy/arch/arm64/kvm/fp_rust/kvm_fp_rust.o"
log=$copy/clippy.log
status=0
make -s -C "$src" O="$copy" ARCH=arm64 LLVM=1 CLIPPY=1 \
	arch/arm64/kvm/fp_rust/kvm_fp_rust.o >"$log" 2>&1 || status=$?
if [ $status -ne 0 ] || grep -qE '^(warning|error)' "$log"; then
	cat "$log" >&2
	echo "lint: the CLIPPY=1 build of kvm_fp_rust.o reported the findings above" >&2
	exit 1
fi
echo "  CLIPPY  clean"

scripts=$(dirname "$0")
"$scripts/uncalled.py" "$obj"
