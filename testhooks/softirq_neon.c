// SPDX-License-Identifier: GPL-2.0
/*
 * Test hook: kernel-mode NEON in softirq context at a set rate.
 *
 * The contract of KVM's FP handling
 * (Documentation/virt/kvm/arm/fp-rust/selftests.rst; the 2018 "Defer
 * restoring host VFP state to vcpu_put" thread) is that a
 * softirq may use kernel-mode NEON at any moment between vcpu_load() and
 * vcpu_put() while softirqs are enabled, that this never corrupts the
 * guest's FP/SIMD/SVE state, and that softirq is not pushed onto scalar
 * fallbacks meanwhile. This hook makes that happen on demand so that a
 * selftest can check both halves: a per-CPU hrtimer raises a tasklet; the
 * tasklet runs kernel_neon_begin(), overwrites all 32 V registers (which
 * also zeroes the upper bits of the SVE Z registers) and kernel_neon_end(),
 * or counts a refusal when may_use_simd() says no.
 *
 * debugfs, in /sys/kernel/debug/kvm_fp_test/softirq_neon/:
 *   period_us           write N > 0 to start (every N us on every CPU),
 *                       0 to stop; writing also zeroes the counters
 *   runs                NEON runs in softirq
 *   runs_vcpu_loaded    ... of them while a vCPU was loaded on that CPU
 *   refused             softirq runs where may_use_simd() was false
 *   refused_vcpu_loaded ... of them while a vCPU was loaded
 *
 * Each run while a vCPU is loaded also counts in that vCPU's statistic
 * fp_softirq_neon (KVM_GET_STATS_FD), which fp_exit_bench reads.
 *
 * Built only with CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST, which is for test
 * kernels and off by default.
 */

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <asm/neon.h>
#include <asm/simd.h>

#include "kvm_fp_test.h"

struct softirq_neon_cpu {
	struct hrtimer timer;
	struct tasklet_struct tasklet;
};

static DEFINE_PER_CPU(struct softirq_neon_cpu, softirq_neon_cpu);
static DEFINE_MUTEX(softirq_neon_lock);
static u64 period_us;

static atomic64_t runs;
static atomic64_t runs_vcpu_loaded;
static atomic64_t refused;
static atomic64_t refused_vcpu_loaded;

static void softirq_neon_run(struct tasklet_struct *t)
{
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	bool loaded = vcpu;

	if (!may_use_simd()) {
		atomic64_inc(&refused);
		if (loaded)
			atomic64_inc(&refused_vcpu_loaded);
		return;
	}

	kernel_neon_begin();
	kvm_fp_test_neon_clobber();
	kernel_neon_end();

	atomic64_inc(&runs);
	if (loaded) {
		atomic64_inc(&runs_vcpu_loaded);
		/*
		 * Only this hook writes the vCPU's fp_softirq_neon, and only
		 * on the CPU the vCPU is loaded on: one CPU at a time.
		 */
		vcpu->stat.fp_softirq_neon++;
	}
}

static enum hrtimer_restart softirq_neon_tick(struct hrtimer *timer)
{
	struct softirq_neon_cpu *c = container_of(timer, struct softirq_neon_cpu,
						  timer);

	tasklet_schedule(&c->tasklet);
	hrtimer_forward_now(timer, ns_to_ktime(READ_ONCE(period_us) * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* Runs on each CPU by on_each_cpu(): the timers are pinned. */
static void softirq_neon_start_cpu(void *unused)
{
	struct softirq_neon_cpu *c = this_cpu_ptr(&softirq_neon_cpu);

	hrtimer_start(&c->timer, ns_to_ktime(period_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED);
}

static void softirq_neon_stop(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct softirq_neon_cpu *c = per_cpu_ptr(&softirq_neon_cpu, cpu);

		hrtimer_cancel(&c->timer);
		tasklet_kill(&c->tasklet);
	}
}

static int period_get(void *data, u64 *val)
{
	*val = READ_ONCE(period_us);
	return 0;
}

static int period_set(void *data, u64 val)
{
	if (val && val < 10)
		return -EINVAL;

	mutex_lock(&softirq_neon_lock);
	cpus_read_lock();
	softirq_neon_stop();
	atomic64_set(&runs, 0);
	atomic64_set(&runs_vcpu_loaded, 0);
	atomic64_set(&refused, 0);
	atomic64_set(&refused_vcpu_loaded, 0);
	WRITE_ONCE(period_us, val);
	if (val)
		on_each_cpu(softirq_neon_start_cpu, NULL, 1);
	cpus_read_unlock();
	mutex_unlock(&softirq_neon_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(period_fops, period_get, period_set, "%llu\n");

static int __init softirq_neon_init(void)
{
	struct dentry *dir;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct softirq_neon_cpu *c = per_cpu_ptr(&softirq_neon_cpu, cpu);

		hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
		c->timer.function = softirq_neon_tick;
		tasklet_setup(&c->tasklet, softirq_neon_run);
	}

	dir = kvm_fp_test_debugfs_dir("softirq_neon");
	debugfs_create_file_unsafe("period_us", 0600, dir, NULL, &period_fops);
	debugfs_create_file_unsafe("runs", 0400, dir, &runs,
				   &kvm_fp_test_counter_fops);
	debugfs_create_file_unsafe("runs_vcpu_loaded", 0400, dir,
				   &runs_vcpu_loaded, &kvm_fp_test_counter_fops);
	debugfs_create_file_unsafe("refused", 0400, dir, &refused,
				   &kvm_fp_test_counter_fops);
	debugfs_create_file_unsafe("refused_vcpu_loaded", 0400, dir,
				   &refused_vcpu_loaded, &kvm_fp_test_counter_fops);
	return 0;
}
late_initcall(softirq_neon_init);
