#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bring a kernel tree to exactly the hunks of the series in patches/ (the
# repository files the series adds are installed by scripts/series.py).
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

# The patches, in order: the first word of each line of the series that is
# neither a comment nor a continuation (an indented list of the repository
# files a patch adds, which scripts/series.py installs).
mapfile -t want < <(awk '/^[^#[:space:]]/ { print $1 }' "$pdir/series")
have=()
[ -f "$applied/series" ] && mapfile -t have <"$applied/series"

# A patch's changes: everything from the first diff header on. A patch
# whose description changed but whose changes did not is the same patch to
# the tree: it is not reapplied (which would touch the files it patches and
# rebuild everything that depends on them), only its record is updated.
hunks() {
	sed -n '/^\(diff --git \|--- a\/\)/,$p' "$1"
}

# Keep the longest prefix of the old series that the new one shares.
keep=0
while [ $keep -lt ${#want[@]} ] && [ $keep -lt ${#have[@]} ] &&
      [ "${want[$keep]}" = "${have[$keep]}" ] &&
      cmp -s <(hunks "$pdir/${want[$keep]}") <(hunks "$applied/${have[$keep]}"); do
	cp "$pdir/${want[$keep]}" "$applied/${have[$keep]}"
	keep=$((keep + 1))
done
[ $keep -eq ${#want[@]} ] && [ $keep -eq ${#have[@]} ] && exit 0

for ((i = ${#have[@]} - 1; i >= keep; i--)); do
	echo "  UNPATCH ${have[$i]}"
	[ -z "$(hunks "$applied/${have[$i]}")" ] ||
	patch -d "$src" -p1 -R -s -f <"$applied/${have[$i]}"
	rm -f "$applied/${have[$i]}"
done

# The tree's version, for the message when a patch does not apply (a new
# Debian linux-source-6.12, or a user's own tree).
version() {
	awk -F' *= *' '/^(VERSION|PATCHLEVEL|SUBLEVEL) *=/ { v = v (v ? "." : "") $2 }
		/^EXTRAVERSION *=/ { print v $2; exit }' "$src/Makefile"
}

for p in "${want[@]:$keep}"; do
	if [ -z "$(hunks "$pdir/$p")" ]; then
		: # adds only files of the repository: nothing to apply
	elif patch -d "$src" -p1 -R -s -f --dry-run <"$pdir/$p" >/dev/null 2>&1; then
		echo "  PATCH   $p (already in the tree)"
	elif ! patch -d "$src" -p1 -N -s -f --dry-run <"$pdir/$p" >/dev/null 2>&1; then
		deb=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || true)
		{
			echo "apply-patches: $p does not apply to $src"
			echo "apply-patches: that tree is Linux $(version)${deb:+; the installed Debian linux-source-6.12 is $deb}"
			echo "apply-patches: the series was made for Debian's linux-source-6.12; README.md names the base version the last measured make check tested"
			echo "apply-patches: what patch(1) reports for $p:"
			patch -d "$src" -p1 -N -f --dry-run <"$pdir/$p" | sed 's/^/    /'
		} >&2
		exit 1
	else
		echo "  PATCH   $p"
		patch -d "$src" -p1 -N -s -f <"$pdir/$p"
	fi
	cp "$pdir/$p" "$applied/$p"
done
printf '%s\n' "${want[@]}" >"$applied/series"
