# SPDX-License-Identifier: GPL-2.0
#
# Arguments for KVM selftests whose defaults are sized for hardware
# virtualization. Under QEMU TCG (nested: every guest instruction of the
# L2 guest is emulated) their defaults run for many minutes; these keep
# each test's logic and coverage of code paths but shrink memory sizes,
# iteration counts and timer tolerances. Read by kselftest's runner as
# KSELFTEST_<TEST>_ARGS; sourced by /init, listed in check.py's table.

# 1 GiB per vCPU by default: 32 MiB still spans many stage-2 tables.
export KSELFTEST_ACCESS_TRACKING_PERF_TEST_ARGS="-b 32M"
export KSELFTEST_DEMAND_PAGING_TEST_ARGS="-b 32M"
export KSELFTEST_DIRTY_LOG_PERF_TEST_ARGS="-b 32M -i 2"
export KSELFTEST_KVM_PAGE_TABLE_TEST_ARGS="-b 32M"
export KSELFTEST_MEMSLOT_MODIFICATION_STRESS_TEST_ARGS="-b 32M -i 64"
# Every guest mode (IPA size x granule: 9 on this host) by default; mode 6
# is PA-bits:40, VA-bits:48, 4K pages, the arm64 default. dirty_log_test
# also does 32 iterations per mode and log type by default.
export KSELFTEST_DIRTY_LOG_TEST_ARGS="-m 6 -i 3"
export KSELFTEST_PAGE_FAULT_TEST_ARGS="-m 6"
# 5 s per memslot test and up to 32767 slots by default. Its last test,
# RW (index 5), has the host wait at most 10 s (alarm(10) in
# host_perform_sync()) for the guest to write 512 MiB, which the nested
# guest cannot do under TCG: it dies of SIGALRM. Tests 0-4 run.
export KSELFTEST_MEMSLOT_PERF_TEST_ARGS="-l 1 -s 128 -e 4"
# 100,000 migrations of the vCPU thread by default, about 1 ms each under
# nested TCG: 104 s. With -n (patches/0009) it runs in the VQ16 cell of
# every mode (vcpu_load() on a new CPU is where FP ownership moves, and
# its path differs between VHE, nVHE and pKVM) in 26 s each.
export KSELFTEST_RSEQ_TEST_ARGS="-n 25000"
# Timer interrupts under TCG arrive late: 100 us margin by default. The
# guest waits period + margin for each interrupt, then checks that it
# came (2.5 s in all at 100 ms). 20 ms was exceeded once (rust-vhe-vq16,
# physical timer, while the host machine was busy; 0 of 16 runs alone).
export KSELFTEST_ARCH_TIMER_ARGS="-e 100000"
# -l: also a vCPU initialised and finalized after another of its VM ran,
# which VHE and nVHE handle; protected KVM of 6.12 does not (the host
# panics: Documentation/known-problems.rst), so not there.
if ! grep -qw kvm-arm.mode=protected /proc/cmdline; then
	export KSELFTEST_SVE_CONFIG_ABI_ARGS="-l"
fi
# The fuzzer plays its fixed seed's sequence and one from a seed drawn for
# the run, both printed: 5,000 calls each, the 10,000 of its default in all.
export KSELFTEST_FP_ABI_FUZZ_ARGS="-n 5000"

# The debug flavours (KASAN, lockdep, ...) run every path several times
# slower: check.py boots them with fptest.sizes=small, and the memory and
# memslot stress tests they run (qemu/matrix.json) run there at a size that
# keeps their logic (many stage-2 tables, dirty-log rounds, memslot
# changes) in seconds.
if grep -qw fptest.sizes=small /proc/cmdline; then
	# Some checks read the counter, have userspace migrate the vCPU
	# thread to another CPU, and read TVAL: they assume the round trip
	# takes less guest time than wait_ms (10 ms by default;
	# arch_timer_edge_cases.c:550 and :561 fail when it takes longer).
	# On the debug kernels it took longer in 3 of 7 rust-debug runs;
	# with 50 ms, 0 of 6. The plain kernels never crossed the default
	# window (Documentation/known-problems.rst), and the test's time is
	# mostly these waits.
	export KSELFTEST_ARCH_TIMER_EDGE_CASES_ARGS="-w 50"
	# 10,000 guest single steps, each an exit to userspace, by default;
	# 1,000 still step through every instruction of the guest's loop.
	export KSELFTEST_DEBUG_EXCEPTIONS_ARGS="-i 1000"
	# Every operation, state and bad argument of the fuzzer comes up in
	# 2,000 calls: 1,000 of each of its two seeds; the plain kernels run
	# 5,000 of each in every cell.
	export KSELFTEST_FP_ABI_FUZZ_ARGS="-n 1000"
	# The FP scenario tests at a quarter of their plain-kernel
	# iterations: each still takes every exit kind, move, phase and
	# reset of its plain run many times over.
	export KSELFTEST_FP_MIGRATE_ARGS="-i 50"
	export KSELFTEST_SVE_GUEST_VL_ARGS="-i 12"
	export KSELFTEST_FP_HOST_SVE_ARGS="-i 25"
	export KSELFTEST_FP_KERNEL_NEON_ARGS="-i 25"
	export KSELFTEST_FP_VCPU_RESET_ARGS="-i 5"
	# Page-idle scans cost about 4 ms per page on a debug kernel (88 s
	# at 8 MiB in every guest mode): the arm64 default mode (PA-bits:40,
	# 4K pages) at 4 MiB, 1,024 pages, still above the test's floor of
	# 100 pages per vCPU (a 64K-page mode at 4 MiB has 64).
	export KSELFTEST_ACCESS_TRACKING_PERF_TEST_ARGS="-m 6 -b 4M"
	# About 3 ms per migration on a debug kernel: 17 s. -u drops only the
	# test's closing check that it entered the guest at least once for
	# every two migrations, a floor set for x86-64 hardware: under TCG
	# with KASAN and lockdep a KVM_RUN round trip costs about as much as
	# a migration, and one c-debug run made 2,471 KVM_RUNs for 5,000
	# migrations. Every KVM_RUN still checks rseq's CPU against sched's.
	export KSELFTEST_RSEQ_TEST_ARGS="-u -n 5000"
	export KSELFTEST_DEMAND_PAGING_TEST_ARGS="-b 4M"
	export KSELFTEST_DIRTY_LOG_PERF_TEST_ARGS="-b 4M -i 2"
	export KSELFTEST_KVM_PAGE_TABLE_TEST_ARGS="-b 4M"
	export KSELFTEST_MEMSLOT_MODIFICATION_STRESS_TEST_ARGS="-b 4M -i 16"
fi
