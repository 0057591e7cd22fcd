#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bring a kernel tree to exactly the integration series in patches/.
# The series last applied is remembered in <state>/applied/; when the
# series changes, the old patches past the part both series share are
# reversed (newest first) and the new ones applied, so the tree never
# carries a stale patch. A tree that already carries a patch with no record
# of it (applied by hand) is accepted as is.
#
# usage: apply-patches.sh <srctree> <patchdir> <statedir>
set -euo pipefail
src=$1 pdir=$(realpath "$2") state=$3
applied=$state/applied
mkdir -p "$applied"

mapfile -t want < <(grep -v '^\s*\(#\|$\)' "$pdir/series")
have=()
[ -f "$applied/series" ] && mapfile -t have <"$applied/series"

# Keep the longest prefix of the old series that the new one shares.
keep=0
while [ $keep -lt ${#want[@]} ] && [ $keep -lt ${#have[@]} ] &&
      [ "${want[$keep]}" = "${have[$keep]}" ] &&
      cmp -s "$pdir/${want[$keep]}" "$applied/${have[$keep]}"; do
	keep=$((keep + 1))
done
[ $keep -eq ${#want[@]} ] && [ $keep -eq ${#have[@]} ] && exit 0

for ((i = ${#have[@]} - 1; i >= keep; i--)); do
	echo "  UNPATCH ${have[$i]}"
	patch -d "$src" -p1 -R -s -f <"$applied/${have[$i]}"
	rm -f "$applied/${have[$i]}"
done

for p in "${want[@]:$keep}"; do
	if patch -d "$src" -p1 -R -s -f --dry-run <"$pdir/$p" >/dev/null 2>&1; then
		echo "  PATCH   $p (already in the tree)"
	else
		echo "  PATCH   $p"
		patch -d "$src" -p1 -N -s -f <"$pdir/$p"
	fi
	cp "$pdir/$p" "$applied/$p"
done
printf '%s\n' "${want[@]}" >"$applied/series"
