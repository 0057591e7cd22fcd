#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Generate <objdir>/.config: tinyconfig, then the given fragments merged in
# order, then olddefconfig. Fails if any option a fragment asks for did not
# survive (a missing dependency would otherwise silently drop it).
#
# usage: kconfig.sh <srctree> <objdir> <fragment>...
set -euo pipefail
src=$1 obj=$2
shift 2
kmake() { make -s -C "$src" O="$obj" ARCH=arm64 LLVM=1 "$@"; }

mkdir -p "$obj"
kmake tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$@" >/dev/null
kmake olddefconfig >/dev/null

bad=0
for frag in "$@"; do
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) want=$line ;;
		"# CONFIG_"*" is not set") want=$line ;;
		*) continue ;;
		esac
		opt=${want#\# }; opt=${opt%%[= ]*}
		if ! grep -qxF -- "$want" "$obj/.config"; then
			got=$(grep -E "^(# )?$opt[= ]" "$obj/.config" || echo "absent")
			echo "kconfig: $frag asks for '$want', got '$got'" >&2
			bad=1
		fi
	done <"$frag"
done
exit $bad
