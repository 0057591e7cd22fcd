// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_kernel_neon - kernel-mode NEON in process context, in the vCPU's own
 * thread between two exits that KVM handles in the kernel, leaves the
 * guest's FP/SIMD and SVE registers as they were.
 *
 * Kernel-mode NEON may run at any moment between vcpu_load() and
 * vcpu_put(), not only in softirqs (fp_softirq_neon) but in the vCPU
 * thread itself, from code that KVM's exit handling reaches. The guest's
 * live registers must then be saved into the vCPU by kernel_neon_begin(),
 * and the next entry, finding them taken (TIF_FOREIGN_FPSTATE), must give
 * ownership up so that the guest's next FP use loads them again.
 *
 * The test drives the kernel_neon hook of CONFIG_KVM_ARM64_FP_KERNEL_NEON_TEST
 * (debugfs kvm_fp_test/kernel_neon/): while it is enabled, a guest HVC with
 * the hook's function ID makes the kernel, in handle_hvc() of the vCPU's
 * thread, run kernel_neon_begin(), overwrite V0-V31 (zeroing the rest of
 * Z0-Z31 on SVE hosts) and kernel_neon_end(); KVM then answers the call
 * as not supported.
 *
 * One vCPU per CPU, each on a thread pinned to its CPU, fills V0-V31, FPSR
 * and FPCR (on SVE vCPUs Z0-Z31, P0-P15, FFR, FPSR and FPCR) with a fresh
 * pattern before every exit and compares every register after it. Each
 * iteration takes SMCCC_VERSION, the hook's HVC, PSCI_VERSION, the hook's
 * HVC again and a UCALL_SYNC, at which the host compares the vCPU's whole
 * state read with KVM_GET_ONE_REG. Afterwards:
 *
 *  - the hook ran, with a vCPU loaded, once for every hook HVC the guests
 *    made (runs_vcpu_loaded), and may_use_simd() never refused it;
 *  - each vCPU's counters show an entry that found the registers taken
 *    (fp_foreign_entry) and a load of the guest's state (fp_guest_load)
 *    at least once per hook HVC of its guest.
 *
 * Runs an FP/SIMD-only vCPU set, then SVE at the largest vector length KVM
 * offers and at VQ 1; the SVE parts skip without KVM_CAP_ARM_SVE. The whole
 * test skips when the hook is absent.
 */
#include "fp_hook.h"
#include "fp_regs.h"

#define MAX_CPUS	4
#define DEFAULT_ITERS	100
#define STEPS		5
#define NEON_STEPS	2	/* FP_EXIT_KERNEL_NEON in steps[] */

static const enum fp_exit steps[STEPS] = {
	FP_EXIT_SMCCC_VERSION, FP_EXIT_KERNEL_NEON, FP_EXIT_PSCI_VERSION,
	FP_EXIT_KERNEL_NEON, FP_EXIT_SYNC,
};

static struct fp_guest guest[MAX_CPUS];

static uint32_t iterations = DEFAULT_ITERS;
static int cpus[MAX_CPUS], nr_cpus;

static void guest_code(struct fp_guest *g)
{
	uint32_t iter;
	int step;

	fp_guest_setup(g);
	for (iter = 0; iter < g->iterations; iter++)
		for (step = 0; step < STEPS; step++)
			fp_guest_exit_check(g, iter, step, steps[step]);
	GUEST_DONE();
}

/* ------------------------------------------------------------- hook */

static bool hook_enabled;

static void hook_enable(bool on)
{
	hook_enabled = on;
	fp_debugfs_write(FP_KERNEL_NEON_DIR "/enabled", on);
}

static void hook_atexit(void)
{
	int fd;

	if (!hook_enabled)
		return;
	fd = open(FP_KERNEL_NEON_DIR "/enabled", O_WRONLY);
	if (fd < 0)
		return;
	if (write(fd, "0\n", 2) != 2)
		fprintf(stderr, "%s/enabled: failed to disable the hook\n",
			FP_KERNEL_NEON_DIR);
	close(fd);
}

/* ---------------------------------------------------------- the test */

struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;	/* host view of the guest's data */
	int cpu;
	pthread_t thread;
	uint64_t syncs;		/* UCALL_SYNCs, each with a state read */
};

static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;
	struct ucall uc;

	kvm_pin_this_task_to_pcpu(t->cpu);
	while (fp_vcpu_run(t->vcpu, &uc) == UCALL_SYNC) {
		fp_assert_sync(t->vcpu, &uc, t->syncs, STEPS - 1);
		fp_assert_vcpu_pattern(t->vcpu, t->g, t->syncs, STEPS - 1);
		t->syncs++;
	}
	return NULL;
}

static void run_test(const char *name, unsigned int vq, uint16_t tag)
{
	struct vcpu_thread threads[MAX_CPUS] = {};
	uint64_t neon_hvcs = 0, runs, loaded, refused;
	unsigned int vl = fp_vl(vq);
	struct kvm_vm *vm;
	int i, ret;

	vm = vm_create(nr_cpus);
	for (i = 0; i < nr_cpus; i++) {
		threads[i].cpu = cpus[i];
		threads[i].vcpu = fp_vcpu_add(vm, i, guest_code, vq);
		threads[i].g = fp_guest_init(threads[i].vcpu, &guest[i], tag,
					     vl, iterations);
	}

	ksft_print_msg("%s\n", name);
	ksft_print_msg("  %d vCPUs x %u iterations x %d exits, %d of them with kernel-mode NEON in the vCPU thread\n",
		       nr_cpus, iterations, STEPS, NEON_STEPS);

	hook_enable(true);
	for (i = 0; i < nr_cpus; i++) {
		ret = pthread_create(&threads[i].thread, NULL,
				     vcpu_thread_main, &threads[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	for (i = 0; i < nr_cpus; i++)
		pthread_join(threads[i].thread, NULL);
	runs = fp_debugfs_read(FP_KERNEL_NEON_DIR "/runs");
	loaded = fp_debugfs_read(FP_KERNEL_NEON_DIR "/runs_vcpu_loaded");
	refused = fp_debugfs_read(FP_KERNEL_NEON_DIR "/refused");
	hook_enable(false);

	for (i = 0; i < nr_cpus; i++) {
		struct vcpu_thread *t = &threads[i];
		uint64_t mine = (uint64_t)NEON_STEPS * iterations;
		uint64_t foreign = fp_vcpu_stat(t->vcpu, "fp_foreign_entry");
		uint64_t loads = fp_vcpu_stat(t->vcpu, "fp_guest_load");

		TEST_ASSERT(t->g->hvc_exits == (uint64_t)(STEPS - 1) * iterations &&
			    t->g->sync_exits == iterations && t->syncs == iterations,
			    "vCPU %d: expected %u HVC and %u UCALL_SYNC exits, got %lu and %lu (host saw %lu)",
			    i, (STEPS - 1) * iterations, iterations,
			    t->g->hvc_exits, t->g->sync_exits, t->syncs);
		ksft_print_msg("  vCPU %d on CPU %d: %lu exits checked by the guest, %lu of them after kernel-mode NEON; %lu KVM_GET_ONE_REG state reads checked\n",
			       i, t->cpu, t->g->hvc_exits + t->g->sync_exits,
			       mine, t->syncs);
		ksft_print_msg("    FP: %lu entries after the registers were taken, %lu loads of the guest's state\n",
			       foreign, loads);
		TEST_ASSERT(foreign >= mine && loads >= mine,
			    "vCPU %d: expected at least %lu entries that found the registers taken (fp_foreign_entry) and loads of the guest's state (fp_guest_load), got %lu and %lu",
			    i, mine, foreign, loads);
		neon_hvcs += mine;
	}
	ksft_print_msg("  hook: runs %lu, runs_vcpu_loaded %lu, refused %lu\n",
		       runs, loaded, refused);
	TEST_ASSERT(runs == neon_hvcs && loaded == neon_hvcs && !refused,
		    "%s: expected the hook to run with a vCPU loaded on each of the %lu hook HVCs and never be refused, got runs %lu, runs_vcpu_loaded %lu, refused %lu",
		    name, neon_hvcs, runs, loaded, refused);

	kvm_vm_free(vm);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations]\n", name);
	printf(" -i: iterations per vCPU, each with %d exits (default %d)\n",
	       STEPS, DEFAULT_ITERS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq;

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	ksft_print_header();
	fp_debugfs_require(FP_KERNEL_NEON_DIR, "enabled",
			   "CONFIG_KVM_ARM64_FP_KERNEL_NEON_TEST");
	atexit(hook_atexit);
	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_set_plan(3);
	ksft_print_msg("KVM SVE: %s, max VQ %u; one vCPU per CPU, %d CPUs\n",
		       max_vq ? "yes" : "no", max_vq, nr_cpus);

	fp_run_fpsimd_max_vq1(run_test, max_vq,
			      "with kernel-mode NEON in the vCPU thread", 0x70);
	ksft_finished();
}
