/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The FP test hooks of the test kernels, as the tests drive them through
 * debugfs:
 *  - softirq_neon (testhooks/softirq_neon.c,
 *    CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST): kernel-mode NEON in softirq
 *    context at a set period, for fp_softirq_neon, fp_host_sve and
 *    fp_exit_bench;
 *  - kernel_neon (testhooks/kernel_neon.c,
 *    CONFIG_KVM_ARM64_FP_KERNEL_NEON_TEST): kernel-mode NEON in the vCPU's
 *    own thread when its guest makes a given HVC, for fp_kernel_neon.
 */
#ifndef SELFTEST_KVM_FP_HOOK_H
#define SELFTEST_KVM_FP_HOOK_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "kselftest.h"
#include "test_util.h"

#define FP_DEBUGFS		"/sys/kernel/debug"
#define FP_HOOK_DIR		FP_DEBUGFS "/kvm_fp_test/softirq_neon"
#define FP_KERNEL_NEON_DIR	FP_DEBUGFS "/kvm_fp_test/kernel_neon"

/* Write @val to the debugfs file @path. */
static inline void fp_debugfs_write(const char *path, uint64_t val)
{
	char buf[24];
	ssize_t ret;
	int fd, len;

	len = snprintf(buf, sizeof(buf), "%lu\n", val);
	fd = open(path, O_WRONLY);
	TEST_ASSERT(fd >= 0, "open %s: expected a file descriptor, got errno %d",
		    path, errno);
	ret = write(fd, buf, len);
	TEST_ASSERT(ret == len, "write %lu to %s: expected %d, got %zd (errno %d)",
		    val, path, len, ret, errno);
	close(fd);
}

/* A number from the debugfs file @path. */
static inline uint64_t fp_debugfs_read(const char *path)
{
	char buf[32], *end;
	uint64_t val;
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open %s: expected a file descriptor, got errno %d",
		    path, errno);
	len = read(fd, buf, sizeof(buf) - 1);
	TEST_ASSERT(len > 0, "read %s: expected a number, got %zd (errno %d)",
		    path, len, errno);
	close(fd);
	buf[len] = '\0';
	errno = 0;
	val = strtoull(buf, &end, 10);
	TEST_ASSERT(!errno && end != buf && (*end == '\n' || !*end),
		    "%s: expected a number, got '%s'", path, buf);
	return val;
}

/*
 * Skip the whole test, with the reason, unless @dir/@file is there and
 * writable: a kernel without @config, or debugfs not mounted.
 */
static inline void fp_debugfs_require(const char *dir, const char *file,
				      const char *config)
{
	char path[128];
	struct statfs sfs;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!access(dir, F_OK) && !access(path, W_OK))
		return;
	if (errno == EACCES)
		ksft_exit_skip("%s: permission denied (needs root)\n", dir);
	if (statfs(FP_DEBUGFS, &sfs) || sfs.f_type != DEBUGFS_MAGIC)
		ksft_exit_skip("debugfs is not mounted on %s, so %s is absent\n",
			       FP_DEBUGFS, dir);
	ksft_exit_skip("%s is absent: kernel without %s\n", dir, config);
}

/* ---------------------------------------------------- softirq_neon */

/* Start the hook every @us microseconds (0: stop); zeroes its counters. */
static inline void fp_hook_write_period(uint32_t us)
{
	fp_debugfs_write(FP_HOOK_DIR "/period_us", us);
}

/* One of the hook's counters (runs, runs_vcpu_loaded, refused, ...). */
static inline uint64_t fp_hook_read(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), FP_HOOK_DIR "/%s", name);
	return fp_debugfs_read(path);
}

/* The hook's counters over one run, read before it is stopped. */
struct fp_hook_counters {
	uint64_t runs;
	uint64_t runs_vcpu_loaded;
	uint64_t refused;
	uint64_t refused_vcpu_loaded;
};

static bool fp_hook_started;

/* Never leave the hook running when a test fails. */
static inline void fp_hook_atexit(void)
{
	int fd;

	if (!fp_hook_started)
		return;
	fd = open(FP_HOOK_DIR "/period_us", O_WRONLY);
	if (fd < 0)
		return;
	if (write(fd, "0\n", 2) != 2)
		fprintf(stderr, "%s/period_us: failed to stop the hook\n",
			FP_HOOK_DIR);
	close(fd);
}

/* Skip unless the hook is there; then make sure that an exit stops it. */
static inline void fp_hook_require(void)
{
	fp_debugfs_require(FP_HOOK_DIR, "period_us",
			   "CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST");
	atexit(fp_hook_atexit);
}

/* Run the hook every @us microseconds, its counters from zero. */
static inline void fp_hook_start(uint32_t us)
{
	fp_hook_started = true;
	fp_hook_write_period(us);
}

/*
 * Read the counters while the hook still runs (stopping it zeroes them),
 * then stop it. Called once the vCPU threads have finished: no vCPU is
 * loaded any more, so the *_vcpu_loaded counts are those of the run.
 */
static inline void fp_hook_stop(struct fp_hook_counters *c)
{
	c->runs = fp_hook_read("runs");
	c->runs_vcpu_loaded = fp_hook_read("runs_vcpu_loaded");
	c->refused = fp_hook_read("refused");
	c->refused_vcpu_loaded = fp_hook_read("refused_vcpu_loaded");
	fp_hook_write_period(0);
	fp_hook_started = false;
}

#endif /* SELFTEST_KVM_FP_HOOK_H */
