#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bring a kernel tree to exactly the integration series in patches/.
# The series last applied is remembered in <state>/applied/; when the
# series changes, the old one is reversed (newest first) and the new one
# applied, so the tree never carries a stale patch. A tree that already
# carries a patch with no record of it (applied by hand) is accepted as is.
#
# usage: apply-patches.sh <srctree> <patchdir> <statedir>
set -euo pipefail
src=$1 pdir=$(realpath "$2") state=$3
applied=$state/applied
mkdir -p "$applied"

mapfile -t want < <(grep -v '^\s*\(#\|$\)' "$pdir/series")
have=()
[ -f "$applied/series" ] && mapfile -t have <"$applied/series"

same=1
if [ "${#want[@]}" -ne "${#have[@]}" ]; then
	same=0
else
	for i in "${!want[@]}"; do
		if [ "${want[$i]}" != "${have[$i]}" ] ||
		   ! cmp -s "$pdir/${want[$i]}" "$applied/${have[$i]}"; then
			same=0
		fi
	done
fi
[ $same -eq 1 ] && exit 0

for ((i = ${#have[@]} - 1; i >= 0; i--)); do
	echo "  UNPATCH ${have[$i]}"
	patch -d "$src" -p1 -R -s -f <"$applied/${have[$i]}"
done
rm -f "$applied"/*

for p in "${want[@]}"; do
	if patch -d "$src" -p1 -R -s -f --dry-run <"$pdir/$p" >/dev/null 2>&1; then
		echo "  PATCH   $p (already in the tree)"
	else
		echo "  PATCH   $p"
		patch -d "$src" -p1 -N -s -f <"$pdir/$p"
	fi
	cp "$pdir/$p" "$applied/$p"
done
printf '%s\n' "${want[@]}" >"$applied/series"
