#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo_snapshot: the demo VMM (demo/, rust-vmm's kvm-ioctls) snapshots its
# running vCPU and restores it into a new VM, the way Firecracker and
# cloud-hypervisor do: KVM_RUN with immediate_exit to complete the pending
# MMIO exit, every register KVM_GET_REG_LIST names read with
# KVM_GET_ONE_REG, the old VM closed; then a new VM, KVM_ARM_VCPU_INIT,
# the SVE vector lengths before KVM_ARM_VCPU_FINALIZE, the same register
# list, every other register written and read back, the vector lengths
# refused after finalizing (EPERM). The guest checks its Z, P and FFR (or
# V) registers at every iteration and the VMM checks them from outside
# (demo/src/snapshot.rs, demo/README.md).
#
# 400 iterations, the snapshot after the 200th: the VMM checks every
# register at iterations 1, 100, 200 (before the snapshot), 300 and 400
# (after it) and after the guest powers off. Exit 0, or 1 on a failure
# (also without /dev/kvm: the harness's own tests do not skip).

exec /bin/fp-demo-vmm --iters 400 --snapshot-at 200
