// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-hold: create one empty KVM VM and keep it open until killed.
 *
 * While any VM exists, KVM keeps the scheduler's preempt-notifier static
 * key enabled (kvm_create_vm() -> preempt_notifier_inc()). Holding one VM
 * for a whole test run means the key's jump labels are patched once, at
 * boot, and not again each time a test creates its first VM or frees its
 * last one. QEMU 7.2 was shown to execute a stale copy of
 * finish_task_switch() after that patching, in protected and in VHE mode
 * (Documentation/known-problems.rst); /init runs this in every cell.
 *
 * Returns once the VM exists; a child process keeps it open.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <sys/types.h>
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
	switch (fork()) {
	case -1:
		perror("kvm-hold: fork");
		return 1;
	case 0:
		for (;;)
			pause();
	default:
		printf("kvm-hold: holding an empty VM\n");
		return 0;
	}
}
