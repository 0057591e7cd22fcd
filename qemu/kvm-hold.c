// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-hold: create one empty KVM VM and keep it open until killed.
 *
 * While any VM exists, KVM keeps the scheduler's preempt-notifier static
 * key enabled (kvm_create_vm() -> preempt_notifier_inc()). Holding one VM
 * for a whole test run means the key's jump labels are patched once, at
 * boot, and not again each time a test creates its first VM or frees its
 * last one. The harness does this in protected-mode cells only, where
 * QEMU 7.2 was shown to execute a stale copy of finish_task_switch() after
 * that patching (Documentation/known-problems.rst).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm;

	if (kvm < 0) {
		perror("kvm-hold: open /dev/kvm");
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		perror("kvm-hold: KVM_CREATE_VM");
		return 1;
	}
	printf("kvm-hold: holding an empty VM (fd %d)\n", vm);
	fflush(stdout);
	for (;;)
		pause();
}
