// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_host_sve - the VMM's live SVE state, at a vector length other than
 * its guest's, survives KVM_RUN while softirqs use kernel-mode NEON.
 *
 * Each thread of the host has its own SVE vector length (PR_SVE_SET_VL),
 * and a vCPU has its own (KVM_REG_ARM64_SVE_VLS): whoever saves registers
 * must do it at the length of the state the registers hold, and a softirq
 * that takes the registers while a vCPU is loaded saves the guest's state,
 * not the thread's. Upstream lost host SVE state across KVM_RUN once
 * (fixed by fbc7e61195e2), and killed the VMM with SIGKILL on a vector
 * length mismatch met by softirq NEON (fixed by 59419f10045b).
 *
 * One vCPU per CPU, each on a thread pinned to its CPU whose own vector
 * length is set below the guest's, or above it. Every KVM_RUN is issued by
 * an SVC from the asm statement that loads the thread's Z0-Z31, P0-P15,
 * FFR, FPSR and FPCR with a pattern and stores them right after it: V0-V31
 * (Z bits [127:0]), FPSR and FPCR must come back exactly, the rest of Z, P
 * and FFR as they were or zero (the syscall ABI), and the thread's vector
 * length unchanged. Meanwhile the test hook runs kernel-mode NEON in
 * softirq every 100 us on every CPU, and the guest, at its own vector
 * length, keeps a pattern live for a while before each exit (two HVCs
 * that KVM answers in the kernel, then a UCALL_SYNC to userspace) and
 * checks every register after it.
 *
 * Needs SVE in the host (HWCAP_SVE) and in KVM, with two vector lengths;
 * the parts skip otherwise. The whole test skips without the hook
 * (CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST, debugfs).
 */
#include "fp_hook.h"
#include "fp_regs.h"

#define MAX_CPUS	4
#define DEFAULT_ITERS	100
#define PERIOD_US	100
#define LIVE_US		200

static struct fp_guest guest[MAX_CPUS];

static uint32_t iterations = DEFAULT_ITERS;
static int cpus[MAX_CPUS], nr_cpus;

static void guest_code(struct fp_guest *g)
{
	fp_guest_rounds(g);
}

struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;	/* host view of the guest's data */
	int cpu;
	unsigned int host_vl;
	pthread_t thread;
	uint64_t syncs;
	struct fp_host_stats host;
};

/* The calling thread's SVE vector length, set to @vl bytes exactly. */
static void set_thread_vl(unsigned int vl)
{
	int ret = prctl(PR_SVE_SET_VL, vl);

	TEST_ASSERT(ret >= 0 && (ret & PR_SVE_VL_LEN_MASK) == vl,
		    "PR_SVE_SET_VL %u: expected that VL, got %d (errno %d)",
		    vl, ret, errno);
}

static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;
	uint32_t id = t->vcpu->id;
	struct ucall uc;
	int vl;

	kvm_pin_this_task_to_pcpu(t->cpu);
	set_thread_vl(t->host_vl);
	for (;;) {
		fp_host_run_checked(t->vcpu, t->host_vl,
				    fp_seed(FP_TAG_HOST, id, t->host.runs, 0),
				    &t->host);
		vl = prctl(PR_SVE_GET_VL);
		TEST_ASSERT((vl & PR_SVE_VL_LEN_MASK) == t->host_vl,
			    "vCPU %u thread: expected its SVE VL %u after KVM_RUN, got %d",
			    id, t->host_vl, vl);
		if (fp_vcpu_ucall(t->vcpu, &uc) != UCALL_SYNC)
			break;
		fp_assert_sync(t->vcpu, &uc, t->syncs, FP_EXIT_SYNC);
		t->syncs++;
	}
	return NULL;
}

static void run_test(const char *name, unsigned int guest_vq,
		     unsigned int host_vl, uint16_t tag)
{
	struct vcpu_thread threads[MAX_CPUS] = {};
	uint64_t freq = read_sysreg(cntfrq_el0);
	unsigned int vl = fp_vl(guest_vq);
	uint64_t neon_runs = 0;
	struct fp_hook_counters c;
	struct kvm_vm *vm;
	int i, ret;

	vm = vm_create(nr_cpus);
	for (i = 0; i < nr_cpus; i++) {
		threads[i].cpu = cpus[i];
		threads[i].host_vl = host_vl;
		threads[i].vcpu = fp_vcpu_add(vm, i, guest_code, guest_vq);
		threads[i].g = fp_guest_init(threads[i].vcpu, &guest[i], tag,
					     vl, iterations);
		threads[i].g->spin_ticks = LIVE_US * freq / 1000000;
	}

	ksft_print_msg("%s\n", name);
	ksft_print_msg("  host threads: Z0-Z31 (%u bytes), P0-P15 and FFR (%u bytes), FPSR, FPCR; guests: the same at %u bytes\n",
		       host_vl, host_vl / 8, vl);
	ksft_print_msg("  %d vCPUs x %u iterations x %d exits, guest registers live %d us before each; softirq NEON every %d us\n",
		       nr_cpus, iterations, FP_NR_EXITS, LIVE_US, PERIOD_US);

	fp_hook_start(PERIOD_US);
	for (i = 0; i < nr_cpus; i++) {
		ret = pthread_create(&threads[i].thread, NULL,
				     vcpu_thread_main, &threads[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	for (i = 0; i < nr_cpus; i++)
		pthread_join(threads[i].thread, NULL);
	fp_hook_stop(&c);

	for (i = 0; i < nr_cpus; i++) {
		struct vcpu_thread *t = &threads[i];
		uint64_t neon = fp_vcpu_stat(t->vcpu, "fp_softirq_neon");

		fp_assert_exit_counts(i, t->g, t->syncs);
		ksft_print_msg("  vCPU %d on CPU %d: %lu exits checked by the guest; %lu KVM_RUNs, host Z above 128 bits, P, FFR: %lu registers preserved, %lu zeroed; %lu softirq NEON runs while loaded\n",
			       i, t->cpu, t->g->hvc_exits + t->g->sync_exits,
			       t->host.runs, t->host.sve_preserved,
			       t->host.sve_zeroed, neon);
		neon_runs += neon;
	}
	ksft_print_msg("  hook: runs %lu, runs_vcpu_loaded %lu, refused %lu\n",
		       c.runs, c.runs_vcpu_loaded, c.refused);
	TEST_ASSERT(neon_runs > 0 && c.runs_vcpu_loaded > 0,
		    "%s: expected softirq NEON while the vCPUs were loaded (fp_softirq_neon > 0, runs_vcpu_loaded > 0), got %lu and %lu",
		    name, neon_runs, c.runs_vcpu_loaded);

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
	unsigned int max_vq, min_vl, max_vl;
	char name[96];

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	ksft_print_header();
	fp_hook_require();
	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	max_vq = fp_kvm_sve_vqs(vqs);
	ksft_set_plan(2);

	if (!(getauxval(AT_HWCAP) & HWCAP_SVE) || !max_vq) {
		ksft_print_msg("host SVE: %s, KVM SVE: %s\n",
			       getauxval(AT_HWCAP) & HWCAP_SVE ? "yes" : "no",
			       max_vq ? "yes" : "no");
		ksft_test_result_skip("host VL below the guest's: no SVE\n");
		ksft_test_result_skip("host VL above the guest's: no SVE\n");
		ksft_finished();
	}
	/* The shortest and the longest vector lengths of the host. */
	min_vl = prctl(PR_SVE_SET_VL, 16) & PR_SVE_VL_LEN_MASK;
	max_vl = fp_host_sve_setup();
	ksft_print_msg("host SVE vector lengths %u to %u bytes; KVM max VQ %u\n",
		       min_vl, max_vl, max_vq);
	if (min_vl == max_vl) {
		ksft_test_result_skip("host VL below the guest's: one vector length (%u bytes)\n",
				      max_vl);
		ksft_test_result_skip("host VL above the guest's: one vector length (%u bytes)\n",
				      max_vl);
		ksft_finished();
	}

	snprintf(name, sizeof(name),
		 "host VL %u below the guest's %u bytes, softirq NEON", min_vl,
		 fp_vl(max_vq));
	run_test(name, max_vq, min_vl, FP_TAG_GUEST(0x50));
	snprintf(name, sizeof(name),
		 "host VL %u above the guest's %u bytes, softirq NEON", max_vl,
		 fp_vl(1));
	run_test(name, 1, max_vl, FP_TAG_GUEST(0x51));

	ksft_finished();
}
