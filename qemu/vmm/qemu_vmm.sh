#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# qemu_vmm: Debian's QEMU as the VMM of a guest that computes with its
# FP/SIMD and SVE registers (qemu/vmm/fp-guest.c), saved by QEMU's live
# migration to a file while it runs and restored from that file in a new
# QEMU process, which must go on from the same state.
#
# For each configuration of QEMU's own -cpu options (on an SVE host: sve=on
# with every length the host has, so the host's maximum; one length below
# the maximum; sve=off), the test
#  1. starts QEMU (-accel kvm -M virt -cpu host,...) with the guest, and
#     waits for the guest's first checked ticks;
#  2. migrates the running VM to a file ("migrate exec:cat > file"), which
#     ends with the VM stopped, and quits that QEMU;
#  3. starts a new QEMU with -incoming from that file, and waits for the
#     guest's next ticks: the guest checks every Z, P, FFR (or V), FPSR
#     and FPCR register against what it must hold, so a register that did
#     not survive KVM_GET_ONE_REG, the file and KVM_SET_ONE_REG fails it.
# It passes when the guest reported the vector length the options ask
# for, before and after the restore, its ticks go on where they stopped,
# and no check failed. TAP on stdout; exit 0, or 1 on a failure.
#
# QEMU and its libraries are the payload check.py adds to the initramfs
# of the cells that run this test (scripts/mkvmm.py).

QEMU=/vmm/bin/qemu-system-aarch64
GUEST=/vmm/fp-guest.elf
WORK=/tmp/qemu_vmm
WAIT=${QEMU_VMM_WAIT:-120}	# seconds for the guest's ticks to show
TICKS=3				# ticks to see before the save and after

export LD_LIBRARY_PATH=/vmm/lib
# A command to start QEMU under (QEMU_VMM_PIN="taskset -c 1", say); by
# default QEMU's threads go where the scheduler puts them.
PIN=${QEMU_VMM_PIN-}

nr=0
failed=0

ok() {
	nr=$((nr + 1))
	echo "ok $nr $1"
}

not_ok() {
	nr=$((nr + 1))
	failed=1
	echo "not ok $nr $1"
}

# The guest's complete tick lines in $1.
ticks() {
	grep -E '^fp-guest: tick [0-9]+ vl [0-9]+ ok$' "$1"
}

# The number of the last (first) complete tick in $1, or nothing.
last_tick() {
	ticks "$1" | tail -n 1 | sed -E 's/^fp-guest: tick ([0-9]+) .*/\1/'
}

first_tick() {
	ticks "$1" | head -n 1 | sed -E 's/^fp-guest: tick ([0-9]+) .*/\1/'
}

count_ticks() {
	ticks "$1" | grep -c .
}

# Wait until the guest's log $1 has $2 ticks, a failure, or QEMU ($3) ended.
wait_ticks() {
	i=0
	while [ $i -lt $((WAIT * 5)) ]; do
		grep -q 'fp-guest: FAIL end' "$1" && return 1
		[ "$(count_ticks "$1")" -ge "$2" ] && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

# Wait for the monitor's log to say the migration completed (or failed).
wait_migrated() {
	i=0
	while [ $i -lt $((WAIT * 5)) ]; do
		echo "info migrate" >&3
		sleep 0.2
		grep -q 'Migration status: completed' "$WORK/mon.log" && return 0
		grep -qE 'Migration status: (failed|cancelled)' "$WORK/mon.log" &&
			return 1
		i=$((i + 1))
	done
	return 1
}

# Start QEMU with the guest: $1 the -cpu options, $2 the serial log, then
# more QEMU arguments. The monitor reads fd 3's pipe; its output goes to
# $WORK/mon.log. Sets $qemu to QEMU's pid.
start_qemu() {
	cpu=$1 log=$2
	shift 2
	rm -f "$WORK/mon.in" "$WORK/mon.out" "$WORK/mon.log"
	: >"$log"
	mkfifo "$WORK/mon.in" "$WORK/mon.out"
	exec 3<>"$WORK/mon.in"
	cat "$WORK/mon.out" >"$WORK/mon.log" &
	$PIN "$QEMU" -accel kvm -M virt,gic-version=3 -cpu "host,$cpu" -smp 1 \
		-m 64 -nodefaults -no-user-config -display none \
		-serial "file:$log" -monitor "pipe:$WORK/mon" \
		-kernel "$GUEST" "$@" 2>"$log.err" &
	qemu=$!
}

stop_qemu() {
	echo quit >&3
	i=0
	while kill -0 "$qemu" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -9 "$qemu" 2>/dev/null
	wait "$qemu" 2>/dev/null
	exec 3>&-
	wait
}

# QEMU 7.2 migrates only bits 0-1023 of each Z register (target/arm/
# machine.c, vmstate_zreg_hi_reg: 14 of the 30 doublewords above the V
# register): the restored guest finds the rest zero. True when the only
# differences the guest in $1 reported are Z bytes 128 and up.
qemu_lost_high() {
	grep -q 'fp-guest: FAIL end' "$1" || return 1
	grep 'fp-guest: FAIL' "$1" | grep -v 'fp-guest: FAIL end' >"$WORK/fails"
	[ -s "$WORK/fails" ] || return 1
	grep -vqE '^fp-guest: FAIL tick [0-9]+: z[0-9]+ bytes ' "$WORK/fails" &&
		return 1
	for first in $(sed -E 's/.* bytes ([0-9]+)-.*/\1/' "$WORK/fails"); do
		[ "$first" -ge 128 ] || return 1
	done
	return 0
}

show() {
	for f in "$@"; do
		[ -s "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | tail -n 20
	done
}

# One configuration: $1 its name, $2 QEMU's -cpu options, $3 the vector
# length in bytes the guest must report (0: no SVE).
round_trip() {
	name=$1 cpu=$2 vl=$3
	rm -rf "$WORK"
	mkdir -p "$WORK"

	start_qemu "$cpu" "$WORK/src.log"
	if ! wait_ticks "$WORK/src.log" $TICKS "$qemu"; then
		stop_qemu
		not_ok "$name: the guest under QEMU -cpu host,$cpu did not run"
		show "$WORK/src.log" "$WORK/src.log.err"
		return
	fi
	if ! ticks "$WORK/src.log" | grep -q " vl $vl ok$"; then
		stop_qemu
		not_ok "$name: the guest did not run at vector length $vl"
		show "$WORK/src.log"
		return
	fi
	echo "migrate \"exec:cat > $WORK/state\"" >&3
	if ! wait_migrated; then
		stop_qemu
		not_ok "$name: migration to a file did not complete"
		show "$WORK/mon.log" "$WORK/src.log.err"
		return
	fi
	stop_qemu
	saved=$(last_tick "$WORK/src.log")
	if grep -q 'fp-guest: FAIL' "$WORK/src.log"; then
		not_ok "$name: the guest failed a check before the save"
		show "$WORK/src.log"
		return
	fi
	echo "# $name: saved at tick $saved ($(wc -c <"$WORK/state") bytes)"

	start_qemu "$cpu" "$WORK/dst.log" -incoming "exec:cat $WORK/state"
	if ! wait_ticks "$WORK/dst.log" $TICKS "$qemu"; then
		stop_qemu
		if [ "$vl" -gt 128 ] && qemu_lost_high "$WORK/dst.log"; then
			grep 'fp-guest: FAIL tick' "$WORK/dst.log" | head -n 2 |
				sed 's/^/# /'
			echo "# ... $(grep -c 'fp-guest: FAIL tick' "$WORK/dst.log") registers reported"
			ok "$name: restored with every difference in bits 1024-$((vl * 8 - 1)) of Z, which QEMU 7.2 does not migrate; every other bit as saved (a known QEMU bug, Documentation/known-problems.rst)"
			return
		fi
		not_ok "$name: the restored guest did not go on"
		show "$WORK/dst.log" "$WORK/dst.log.err" "$WORK/mon.log"
		return
	fi
	if [ "$vl" -gt 128 ]; then
		stop_qemu
		not_ok "$name: no loss of Z bits 1024 and up, which QEMU 7.2 does not migrate: is this QEMU fixed, or the guest below 2048 bits?"
		show "$WORK/dst.log"
		return
	fi
	stop_qemu
	first=$(first_tick "$WORK/dst.log")
	last=$(last_tick "$WORK/dst.log")
	# The save may stop the guest in the middle of a tick's line: the
	# restored guest then finishes that line first.
	if [ "$first" -le "$saved" ] || [ "$first" -gt $((saved + 2)) ]; then
		not_ok "$name: restored at tick $first after a save at tick $saved"
		show "$WORK/dst.log"
		return
	fi
	if ticks "$WORK/dst.log" |
	   grep -vq " vl $vl ok$"; then
		not_ok "$name: the restored guest changed its vector length"
		show "$WORK/dst.log"
		return
	fi
	ok "$name: guest state checked at ticks 0-$saved, saved, restored, checked at ticks $first-$last"
}

echo "TAP version 13"
if [ ! -x "$QEMU" ] || [ ! -e "$GUEST" ]; then
	echo "1..1"
	not_ok "QEMU or the guest is missing: this cell's initramfs has no VMM payload"
	exit 1
fi

if grep -qw sve /proc/cpuinfo; then
	# The host's maximum vector length: -1 asks for it (sve.rst).
	default=$(cat /proc/sys/abi/sve_default_vector_length)
	echo -1 >/proc/sys/abi/sve_default_vector_length
	max=$(cat /proc/sys/abi/sve_default_vector_length)
	echo "$default" >/proc/sys/abi/sve_default_vector_length
	half=$((max / 2))
	# The debug flavours (fptest.sizes=small) run only the length below
	# the maximum, where the restore keeps every bit: each QEMU start
	# takes them about 10 s.
	all=1
	if [ "$half" -ge 16 ] && grep -qw fptest.sizes=small /proc/cmdline; then
		all=
	fi
	n=0
	[ -n "$all" ] && n=2
	[ "$half" -ge 16 ] && n=$((n + 1))
	echo "1..$n"
	if [ -n "$all" ]; then
		round_trip "sve=on (the host's maximum, $((max * 8)) bits)" "sve=on" "$max"
	fi
	if [ "$half" -ge 16 ]; then
		round_trip "sve$((half * 8))=on (below the maximum)" \
			"sve$((half * 8))=on" "$half"
	fi
	if [ -n "$all" ]; then
		round_trip "sve=off" "sve=off" 0
	fi
else
	echo "1..1"
	round_trip "no SVE on the host" "sve=off" 0
fi

exit $failed
