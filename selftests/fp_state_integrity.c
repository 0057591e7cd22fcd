// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_state_integrity - a guest's FP/SIMD and SVE registers survive every
 * exit, preemption and migration of its vCPU thread.
 *
 * Several vCPUs, each on its own thread, fill V0-V31, FPSR and FPCR (and on
 * SVE vCPUs Z0-Z31, P0-P15 and FFR at the vector length the test chose with
 * KVM_REG_ARM64_SVE_VLS) with a pattern unique to the VM, the vCPU, the
 * iteration and the exit, take an exit, and compare every register with
 * what they loaded. The exits alternate between HVCs that KVM answers in
 * the kernel (SMCCC_VERSION, PSCI_VERSION: the guest's registers stay live
 * in the CPU) and UCALL_SYNCs to userspace (vcpu_put and vcpu_load). The
 * fill, the exit and the store of the registers are one asm statement in
 * the guest, so only KVM can have changed them.
 *
 * Meanwhile the vCPU threads all start on one CPU and move to another one
 * between KVM_RUN calls, and a busy thread per CPU competes for the CPU
 * (preempting vCPU threads in the middle of KVM_RUN) while checking its own
 * FP/SIMD registers, which KVM must leave alone as well.
 *
 * Runs an FP/SIMD-only VM and SVE VMs at the host's maximum vector length,
 * at VQ 1 and at one in between; the SVE parts skip without
 * KVM_CAP_ARM_SVE.
 */

#include "fp_regs.h"

#define NR_VCPUS	3
#define MAX_CPUS	4
#define DEFAULT_ITERS	100

static struct fp_guest guest[NR_VCPUS];

static uint32_t iterations = DEFAULT_ITERS;
static int cpus[MAX_CPUS], nr_cpus;

static void guest_code(struct fp_guest *g)
{
	fp_guest_rounds(g);
}

struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;	/* host view of the guest's data */
	pthread_t thread;
	uint64_t syncs;
	uint64_t migrations;
	long nivcsw;
};

/*
 * Run the vCPU to completion. Every (vcpu_id + 2)th UCALL_SYNC, move the
 * thread to the next CPU before the next KVM_RUN.
 */
static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;
	uint32_t id = t->vcpu->id;
	long nivcsw = fp_thread_nivcsw();
	struct ucall uc;
	int cpu = 0;

	kvm_pin_this_task_to_pcpu(cpus[cpu]);
	while (fp_vcpu_run(t->vcpu, &uc) == UCALL_SYNC) {
		fp_assert_sync(t->vcpu, &uc, t->syncs, FP_EXIT_SYNC);
		t->syncs++;
		if (nr_cpus > 1 && !(t->syncs % (id + 2))) {
			cpu = (cpu + 1) % nr_cpus;
			kvm_pin_this_task_to_pcpu(cpus[cpu]);
			t->migrations++;
		}
	}
	t->nivcsw = fp_thread_nivcsw() - nivcsw;
	return NULL;
}

static void run_test(const char *name, unsigned int vq, uint16_t tag)
{
	struct vcpu_thread threads[NR_VCPUS] = {};
	struct fp_busy busy[MAX_CPUS];
	unsigned int vl = fp_vl(vq);
	uint64_t busy_rounds = 0;
	struct kvm_vm *vm;
	int i, ret;

	vm = vm_create(NR_VCPUS);
	for (i = 0; i < NR_VCPUS; i++) {
		threads[i].vcpu = fp_vcpu_add(vm, i, guest_code, vq);
		threads[i].g = fp_guest_init(threads[i].vcpu, &guest[i], tag,
					     vl, iterations);
	}

	if (vq)
		ksft_print_msg("%s: Z0-Z31 (%u bytes), P0-P15 and FFR (%u bytes), FPSR, FPCR; %d vCPUs x %u iterations\n",
			       name, vl, vl / 8, NR_VCPUS, iterations);
	else
		ksft_print_msg("%s: V0-V31, FPSR, FPCR; %d vCPUs x %u iterations\n",
			       name, NR_VCPUS, iterations);

	for (i = 0; i < nr_cpus; i++)
		fp_busy_start(&busy[i], cpus[i]);
	for (i = 0; i < NR_VCPUS; i++) {
		ret = pthread_create(&threads[i].thread, NULL,
				     vcpu_thread_main, &threads[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(threads[i].thread, NULL);
	for (i = 0; i < nr_cpus; i++)
		busy_rounds += fp_busy_stop(&busy[i]);

	for (i = 0; i < NR_VCPUS; i++) {
		struct vcpu_thread *t = &threads[i];
		uint64_t hvc_stat = fp_vcpu_stat(t->vcpu, "hvc_exit_stat");
		uint64_t exits_stat = fp_vcpu_stat(t->vcpu, "exits");

		fp_assert_exit_counts(i, t->g, t->syncs);
		TEST_ASSERT(hvc_stat >= t->g->hvc_exits,
			    "vCPU %d: expected KVM's hvc_exit_stat >= %lu, got %lu",
			    i, t->g->hvc_exits, hvc_stat);
		ksft_print_msg("  vCPU %d: %lu exits checked (%lu HVC handled in the kernel, %lu UCALL_SYNC to userspace); KVM: %lu exits, %lu HVC; %lu migrations, %ld involuntary context switches\n",
			       i, t->g->hvc_exits + t->g->sync_exits,
			       t->g->hvc_exits, t->g->sync_exits, exits_stat,
			       hvc_stat, t->migrations, t->nivcsw);
	}
	ksft_print_msg("  busy threads: %lu rounds checked on %d CPUs\n",
		       busy_rounds, nr_cpus);

	kvm_vm_free(vm);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations]\n", name);
	printf(" -i: iterations per vCPU, each with %d exits (default %d)\n",
	       FP_NR_EXITS, DEFAULT_ITERS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq, mid_vq;
	char name[64];

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_print_header();
	ksft_set_plan(4);
	ksft_print_msg("%d CPUs for migration and preemption; KVM SVE: %s, max VQ %u\n",
		       nr_cpus, max_vq ? "yes" : "no", max_vq);

	run_test("fpsimd: V0-V31/FPSR/FPCR across exits", 0, FP_TAG_GUEST(1));

	if (!max_vq) {
		ksft_test_result_skip("sve: max VQ: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve: VQ 1: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve: middle VQ: no KVM_CAP_ARM_SVE\n");
		ksft_finished();
	}

	snprintf(name, sizeof(name), "sve: VQ %u (max) Z/P/FFR across exits",
		 max_vq);
	run_test(name, max_vq, FP_TAG_GUEST(2));

	if (max_vq > 1)
		run_test("sve: VQ 1 Z/P/FFR across exits", 1, FP_TAG_GUEST(3));
	else
		ksft_test_result_skip("sve: VQ 1: the host's max VQ is 1, tested above\n");

	mid_vq = fp_mid_vq(vqs, max_vq);
	if (mid_vq) {
		snprintf(name, sizeof(name), "sve: VQ %u Z/P/FFR across exits",
			 mid_vq);
		run_test(name, mid_vq, FP_TAG_GUEST(4));
	} else {
		ksft_test_result_skip("sve: middle VQ: no VQ between 1 and %u\n",
				      max_vq);
	}

	ksft_finished();
}
