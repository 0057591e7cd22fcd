/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the FP test hooks (softirq_neon.c, kernel_neon.c) share: their
 * debugfs directory and counter files, and the clobber of the vector
 * registers.
 */
#ifndef __KVM_FP_TEST_H
#define __KVM_FP_TEST_H

#include <linux/atomic.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>

/*
 * /sys/kernel/debug/kvm_fp_test/@name/, creating kvm_fp_test/ if no hook
 * has yet. Called from the hooks' initcalls, which run one at a time.
 */
static inline struct dentry *kvm_fp_test_debugfs_dir(const char *name)
{
	struct dentry *parent = debugfs_lookup("kvm_fp_test", NULL), *dir;

	if (!parent)
		return debugfs_create_dir(name,
					  debugfs_create_dir("kvm_fp_test", NULL));
	dir = debugfs_create_dir(name, parent);
	dput(parent);
	return dir;
}

/* A read-only debugfs file showing the atomic64_t it is created with. */
static int kvm_fp_test_counter_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(kvm_fp_test_counter_fops, kvm_fp_test_counter_get,
			 NULL, "%llu\n");

/*
 * Overwrite V0-V31 with a pattern no test uses (which also zeroes the
 * upper bits of the SVE Z registers). The kernel is built with
 * -mgeneral-regs-only, so the assembler is told about SIMD here only:
 * call this between kernel_neon_begin() and kernel_neon_end() only.
 */
static inline void kvm_fp_test_neon_clobber(void)
{
	asm volatile("	.arch_extension simd\n"
	"	movi	v0.16b, #0xa5\n	movi	v1.16b, #0xa5\n"
	"	movi	v2.16b, #0xa5\n	movi	v3.16b, #0xa5\n"
	"	movi	v4.16b, #0xa5\n	movi	v5.16b, #0xa5\n"
	"	movi	v6.16b, #0xa5\n	movi	v7.16b, #0xa5\n"
	"	movi	v8.16b, #0xa5\n	movi	v9.16b, #0xa5\n"
	"	movi	v10.16b, #0xa5\n	movi	v11.16b, #0xa5\n"
	"	movi	v12.16b, #0xa5\n	movi	v13.16b, #0xa5\n"
	"	movi	v14.16b, #0xa5\n	movi	v15.16b, #0xa5\n"
	"	movi	v16.16b, #0xa5\n	movi	v17.16b, #0xa5\n"
	"	movi	v18.16b, #0xa5\n	movi	v19.16b, #0xa5\n"
	"	movi	v20.16b, #0xa5\n	movi	v21.16b, #0xa5\n"
	"	movi	v22.16b, #0xa5\n	movi	v23.16b, #0xa5\n"
	"	movi	v24.16b, #0xa5\n	movi	v25.16b, #0xa5\n"
	"	movi	v26.16b, #0xa5\n	movi	v27.16b, #0xa5\n"
	"	movi	v28.16b, #0xa5\n	movi	v29.16b, #0xa5\n"
	"	movi	v30.16b, #0xa5\n	movi	v31.16b, #0xa5\n"
	::: "memory");
}

#endif /* __KVM_FP_TEST_H */
