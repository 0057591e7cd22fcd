# SPDX-License-Identifier: GPL-2.0
#
# The component's own KVM selftests. Copied into
# tools/testing/selftests/kvm/ and included from its Makefile; sources are
# copied into tools/testing/selftests/kvm/aarch64/.

TEST_GEN_PROGS_aarch64 += aarch64/fp_state_integrity
TEST_GEN_PROGS_aarch64 += aarch64/fp_host_state
TEST_GEN_PROGS_aarch64 += aarch64/fp_isolation
TEST_GEN_PROGS_aarch64 += aarch64/sve_state_roundtrip
TEST_GEN_PROGS_aarch64 += aarch64/fp_softirq_neon
TEST_GEN_PROGS_aarch64 += aarch64/sve_config_abi
TEST_GEN_PROGS_aarch64 += aarch64/fp_abi_fuzz
TEST_GEN_PROGS_aarch64 += aarch64/sve_sysregs
TEST_GEN_PROGS_EXTENDED_aarch64 += aarch64/fp_exit_bench
