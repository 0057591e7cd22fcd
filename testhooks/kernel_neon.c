// SPDX-License-Identifier: GPL-2.0
/*
 * Test hook: kernel-mode NEON in process context, in a vCPU's own thread,
 * between a guest exit and the next entry.
 *
 * Kernel-mode NEON may be used at any moment between vcpu_load() and
 * vcpu_put(), in softirq context (testhooks/softirq_neon.c) and in the
 * task's own context, for instance by a crypto or checksum routine that
 * KVM's exit handling reaches. Whatever the guest had live in the
 * registers must then be saved into the vCPU by kernel_neon_begin() and
 * loaded again before the guest sees it.
 *
 * handle_hvc() calls kvm_fp_test_hvc() for every guest HVC, in the vCPU's
 * thread, preemptible and with interrupts enabled: the vCPU is loaded and
 * its guest's registers may still be live. While the hook is enabled, an
 * HVC whose function ID (x0) is KVM_FP_TEST_NEON_FUNC makes it run
 * kernel_neon_begin(), overwrite V0-V31 (which also zeroes the upper bits
 * of the SVE Z registers) and kernel_neon_end(), or count a refusal when
 * may_use_simd() says no. KVM then answers the call as it answers any
 * function it does not implement (SMCCC_RET_NOT_SUPPORTED).
 *
 * debugfs, in /sys/kernel/debug/kvm_fp_test/kernel_neon/:
 *   enabled             write 1 to enable (zeroing the counters), 0 to
 *                       disable
 *   runs                NEON runs of the hook
 *   runs_vcpu_loaded    ... of them while a vCPU was loaded
 *   refused             calls where may_use_simd() was false
 *
 * Built only with CONFIG_KVM_ARM64_FP_KERNEL_NEON_TEST, which is for test
 * kernels and off by default.
 */

#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/kvm_host.h>
#include <asm/kvm_emulate.h>
#include <asm/neon.h>
#include <asm/simd.h>

#include "kvm_fp_test.h"

/* A fast SMC64 call in the vendor hypervisor range that KVM does not own. */
#define KVM_FP_TEST_NEON_FUNC						\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,	\
			   ARM_SMCCC_OWNER_VENDOR_HYP, 0x3f)

static bool enabled;
static atomic64_t runs;
static atomic64_t runs_vcpu_loaded;
static atomic64_t refused;

void kvm_fp_test_hvc(struct kvm_vcpu *vcpu)
{
	if (!READ_ONCE(enabled) ||
	    vcpu_get_reg(vcpu, 0) != KVM_FP_TEST_NEON_FUNC)
		return;

	if (!may_use_simd()) {
		atomic64_inc(&refused);
		return;
	}

	kernel_neon_begin();
	kvm_fp_test_neon_clobber();
	kernel_neon_end();

	atomic64_inc(&runs);
	if (kvm_get_running_vcpu() == vcpu)
		atomic64_inc(&runs_vcpu_loaded);
}

static int enabled_get(void *data, u64 *val)
{
	*val = READ_ONCE(enabled);
	return 0;
}

static int enabled_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;

	WRITE_ONCE(enabled, false);
	atomic64_set(&runs, 0);
	atomic64_set(&runs_vcpu_loaded, 0);
	atomic64_set(&refused, 0);
	WRITE_ONCE(enabled, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(enabled_fops, enabled_get, enabled_set, "%llu\n");

static int __init kernel_neon_init(void)
{
	struct dentry *dir;

	dir = kvm_fp_test_debugfs_dir("kernel_neon");
	debugfs_create_file_unsafe("enabled", 0600, dir, NULL, &enabled_fops);
	debugfs_create_file_unsafe("runs", 0400, dir, &runs,
				   &kvm_fp_test_counter_fops);
	debugfs_create_file_unsafe("runs_vcpu_loaded", 0400, dir,
				   &runs_vcpu_loaded, &kvm_fp_test_counter_fops);
	debugfs_create_file_unsafe("refused", 0400, dir, &refused,
				   &kvm_fp_test_counter_fops);
	return 0;
}
late_initcall(kernel_neon_init);
