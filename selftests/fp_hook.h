/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The softirq kernel-mode NEON test hook (testhooks/softirq_neon.c, in
 * kernels with CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST), as fp_softirq_neon
 * and fp_exit_bench drive it through debugfs.
 */
#ifndef SELFTEST_KVM_FP_HOOK_H
#define SELFTEST_KVM_FP_HOOK_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#define FP_HOOK_DIR	"/sys/kernel/debug/kvm_fp_test/softirq_neon"

/* Start the hook every @us microseconds (0: stop); zeroes its counters. */
static inline void fp_hook_write_period(uint32_t us)
{
	char buf[16];
	ssize_t ret;
	int fd, len;

	len = snprintf(buf, sizeof(buf), "%u\n", us);
	fd = open(FP_HOOK_DIR "/period_us", O_WRONLY);
	TEST_ASSERT(fd >= 0, "open %s/period_us: expected a file descriptor, got errno %d",
		    FP_HOOK_DIR, errno);
	ret = write(fd, buf, len);
	TEST_ASSERT(ret == len, "write %u to %s/period_us: expected %d, got %zd (errno %d)",
		    us, FP_HOOK_DIR, len, ret, errno);
	close(fd);
}

/* One of the hook's counters (runs, runs_vcpu_loaded, refused, ...). */
static inline uint64_t fp_hook_read(const char *name)
{
	char path[128], buf[32], *end;
	uint64_t val;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), FP_HOOK_DIR "/%s", name);
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

#endif /* SELFTEST_KVM_FP_HOOK_H */
