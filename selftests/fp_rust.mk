# SPDX-License-Identifier: GPL-2.0
#
# The component's own KVM selftests. Copied into
# tools/testing/selftests/kvm/ and included from its Makefile; sources are
# copied into tools/testing/selftests/kvm/aarch64/.
