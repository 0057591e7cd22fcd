// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_softirq_neon - kernel-mode NEON in softirq context while a vCPU is
 * loaded neither corrupts the guest's FP/SIMD and SVE registers nor is
 * pushed onto scalar fallbacks.
 *
 * A softirq may use kernel-mode NEON at any moment between vcpu_load() and
 * vcpu_put() while softirqs are enabled (IPsec, mac80211 crypto). KVM's
 * answer is to bind the guest's live FP state to the CPU after every exit,
 * so that kernel_neon_begin() saves it into the vCPU, and to let the guest
 * trap and reload it on the next entry. Disabling softirqs (or telling
 * softirqs that NEON is unavailable, which sends crypto to fallbacks up to
 * 20x slower) over the run loop is not an acceptable answer.
 *
 * The test drives the test-only hook of CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST
 * in debugfs (kvm_fp_test/softirq_neon/): a per-CPU hrtimer raises, every
 * period, a tasklet whose softirq runs kernel_neon_begin(), overwrites
 * V0-V31 with 0xa5 bytes (zeroing the rest of Z0-Z31 on SVE hosts) and
 * kernel_neon_end(), counting its runs, those with a vCPU loaded on the CPU,
 * and the runs where may_use_simd() refused NEON.
 *
 * With the hook running, one vCPU per CPU, each on a thread pinned to its
 * CPU, fills V0-V31, FPSR and FPCR (on SVE vCPUs Z0-Z31, P0-P15, FFR, FPSR
 * and FPCR at the vCPU's vector length) with a pattern unique to the vCPU,
 * iteration and exit, keeps them live for a while (by default ten hook
 * periods, watching the virtual counter), so that the host's timer
 * interrupts and the softirq NEON they raise land in between, and takes an
 * exit: HVCs that KVM answers in the kernel, or a UCALL_SYNC to userspace.
 * The load, the wait, the exit and the store of the registers are one asm
 * statement, so only the host can have changed them; the guest then
 * compares every register. At each UCALL_SYNC the host also reads the
 * vCPU's whole FP/SVE state with KVM_GET_ONE_REG and compares it with the
 * pattern. Afterwards the vCPUs' FP counters (KVM_GET_STATS_FD) must show:
 *
 *  - fp_softirq_neon > 0, and the hook's runs_vcpu_loaded > 0: softirq
 *    NEON really ran while a vCPU was loaded (so softirqs were not held off
 *    from vcpu_load() to vcpu_put() either);
 *  - fp_foreign_entry > 0: entries found that it had taken the registers,
 *    so it saved the guest's state into the vCPU;
 *  - fp_guest_load > 0: the guest's state was loaded again;
 *
 * and no register check may have failed (-p 0, the hook stopped, is a
 * control run that must fail). The hook's count of runs where may_use_simd()
 * refused NEON is printed; 6.12 never refuses it in softirq context, so
 * it is not a check.
 *
 * Runs an FP/SIMD-only vCPU set, then SVE at the largest vector length KVM
 * offers and at VQ 1; the SVE parts skip without KVM_CAP_ARM_SVE. The whole
 * test skips when the hook is absent (a kernel without
 * CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST, or debugfs not mounted).
 */
#include <getopt.h>
#include <time.h>

#include "fp_hook.h"
#include "fp_regs.h"

#define MAX_CPUS		4
#define DEFAULT_ITERS		100
#define DEFAULT_PERIOD_US	100
#define LIVE_PERIODS		10

static struct fp_guest guest[MAX_CPUS];
/* The guest's run time in CNTVCT ticks, measured by the guest. */
static uint64_t guest_ticks[MAX_CPUS];

static uint32_t iterations = DEFAULT_ITERS;
static uint32_t period_us = DEFAULT_PERIOD_US;
static int32_t live_us = -1;	/* -1: LIVE_PERIODS periods */
static int cpus[MAX_CPUS], nr_cpus;

/* ---------------------------------------------------------- the test */

static void guest_code(struct fp_guest *g)
{
	uint64_t start;
	uint32_t iter;
	int exit;

	fp_guest_setup(g);
	start = read_sysreg(cntvct_el0);
	for (iter = 0; iter < g->iterations; iter++)
		for (exit = 0; exit < FP_NR_EXITS; exit++)
			fp_guest_exit_check(g, iter, exit, exit);
	WRITE_ONCE(guest_ticks[g->vcpu_id], read_sysreg(cntvct_el0) - start);
	GUEST_DONE();
}

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
		fp_assert_sync(t->vcpu, &uc, t->syncs, FP_EXIT_SYNC);
		fp_assert_vcpu_pattern(t->vcpu, t->g, t->syncs, FP_EXIT_SYNC);
		t->syncs++;
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_test(const char *name, unsigned int vq, uint16_t tag)
{
	struct vcpu_thread threads[MAX_CPUS] = {};
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t live_ticks = live_us * freq / 1000000;
	unsigned int vl = fp_vl(vq);
	uint64_t neon_runs = 0, foreign_entries = 0, guest_loads = 0;
	struct fp_hook_counters c;
	uint64_t *ticks;
	struct kvm_vm *vm;
	double elapsed;
	int i, ret;

	vm = vm_create(nr_cpus);
	for (i = 0; i < nr_cpus; i++) {
		threads[i].cpu = cpus[i];
		threads[i].vcpu = fp_vcpu_add(vm, i, guest_code, vq);
		threads[i].g = fp_guest_init(threads[i].vcpu, &guest[i], tag,
					     vl, iterations);
		threads[i].g->spin_ticks = live_ticks;
	}
	ticks = addr_gva2hva(vm, (vm_vaddr_t)guest_ticks);

	ksft_print_msg("%s\n", name);
	if (vq)
		ksft_print_msg("  registers: Z0-Z31 (%u bytes), P0-P15 and FFR (%u bytes), FPSR, FPCR\n",
			       vl, vl / 8);
	else
		ksft_print_msg("  registers: V0-V31, FPSR, FPCR\n");
	ksft_print_msg("  %d vCPUs x %u iterations x %d exits, the registers live for %d us before each exit\n",
		       nr_cpus, iterations, FP_NR_EXITS, live_us);

	fp_hook_start(period_us);
	elapsed = now();
	for (i = 0; i < nr_cpus; i++) {
		ret = pthread_create(&threads[i].thread, NULL,
				     vcpu_thread_main, &threads[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	for (i = 0; i < nr_cpus; i++)
		pthread_join(threads[i].thread, NULL);
	elapsed = now() - elapsed;
	fp_hook_stop(&c);

	for (i = 0; i < nr_cpus; i++) {
		struct vcpu_thread *t = &threads[i];
		uint64_t neon = fp_vcpu_stat(t->vcpu, "fp_softirq_neon");
		uint64_t foreign = fp_vcpu_stat(t->vcpu, "fp_foreign_entry");
		uint64_t loads = fp_vcpu_stat(t->vcpu, "fp_guest_load");
		uint64_t exits = fp_vcpu_stat(t->vcpu, "exits");
		uint64_t hvcs = fp_vcpu_stat(t->vcpu, "hvc_exit_stat");
		uint64_t mmio = fp_vcpu_stat(t->vcpu, "mmio_exit_user");

		fp_assert_exit_counts(i, t->g, t->syncs);
		ksft_print_msg("  vCPU %d on CPU %d: %lu exits checked by the guest (%lu HVC in the kernel, %lu UCALL_SYNC to userspace), %lu KVM_GET_ONE_REG state reads checked\n",
			       i, t->cpu, t->g->hvc_exits + t->g->sync_exits,
			       t->g->hvc_exits, t->g->sync_exits, t->syncs);
		ksft_print_msg("    KVM: %lu exits: %lu HVC, %lu MMIO to userspace, %lu others (mostly IRQs)\n",
			       exits, hvcs, mmio, exits - hvcs - mmio);
		ksft_print_msg("    FP: %lu softirq NEON runs while loaded, %lu entries after the registers were taken, %lu loads of the guest's state\n",
			       neon, foreign, loads);
		neon_runs += neon;
		foreign_entries += foreign;
		guest_loads += loads;
		ksft_print_msg("    guest: ran %lu us, its registers live for at least %lu us of it (%lu%%)\n",
			       ticks[i] * 1000000 / freq,
			       FP_NR_EXITS * iterations * live_ticks * 1000000 / freq,
			       ticks[i] ?
			       FP_NR_EXITS * iterations * live_ticks * 100 / ticks[i] : 0);
	}
	if (period_us)
		ksft_print_msg("  softirq NEON every %u us on every CPU, for %.2f s:\n",
			       period_us, elapsed);
	else
		ksft_print_msg("  softirq NEON hook stopped (period 0, a control run), for %.2f s:\n",
			       elapsed);
	ksft_print_msg("    runs %lu, runs_vcpu_loaded %lu, refused %lu, refused_vcpu_loaded %lu\n",
		       c.runs, c.runs_vcpu_loaded, c.refused,
		       c.refused_vcpu_loaded);

	/*
	 * What the vCPUs' own counters (KVM_GET_STATS_FD) must show: softirq
	 * NEON ran while they were loaded, as the hook counts too; entries
	 * found that it had taken the registers (TIF_FOREIGN_FPSTATE), so it
	 * saved the guest's state into the vCPU; and the guest's state was
	 * loaded again on its next FP use. With the hook stopped (-p 0, the
	 * control run) the first fails.
	 */
	TEST_ASSERT(neon_runs > 0 && c.runs_vcpu_loaded > 0,
		    "%s: expected softirq NEON while the vCPUs were loaded (fp_softirq_neon > 0, runs_vcpu_loaded > 0), got %lu and %lu (runs %lu, period %u us)",
		    name, neon_runs, c.runs_vcpu_loaded, c.runs, period_us);
	TEST_ASSERT(foreign_entries > 0,
		    "%s: expected entries that found the registers taken (fp_foreign_entry > 0) after %lu softirq NEON runs, got 0",
		    name, neon_runs);
	TEST_ASSERT(guest_loads > 0,
		    "%s: expected the guest's state loaded again (fp_guest_load > 0) after %lu foreign entries, got 0",
		    name, foreign_entries);

	kvm_vm_free(vm);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations] [-p period_us] [-l live_us]\n", name);
	printf(" -i: iterations per vCPU, each with %d exits (default %d)\n",
	       FP_NR_EXITS, DEFAULT_ITERS);
	printf(" -p: softirq NEON period in us, >= 10 (default %d); 0 leaves the hook\n"
	       "     stopped, a control run that must fail\n", DEFAULT_PERIOD_US);
	printf(" -l: how long the guest keeps its registers live before each exit, in us\n"
	       "     (default %d periods)\n", LIVE_PERIODS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq;
	char cpu_list[8 * MAX_CPUS] = "";
	int opt, i, len = 0;

	while ((opt = getopt(argc, argv, "hi:l:p:")) != -1) {
		switch (opt) {
		case 'i':
			iterations = atoi_positive("Iterations", optarg);
			break;
		case 'p':
			period_us = atoi_non_negative("Period", optarg);
			if (period_us && period_us < 10)
				help(argv[0], KSFT_FAIL);
			break;
		case 'l':
			live_us = atoi_non_negative("Live time", optarg);
			break;
		default:
			/* -h asks for help; anything else is an error. */
			help(argv[0], opt == 'h' ? KSFT_SKIP : KSFT_FAIL);
		}
	}

	if (live_us < 0)
		live_us = LIVE_PERIODS *
			  (period_us ? period_us : DEFAULT_PERIOD_US);

	ksft_print_header();
	fp_hook_require();

	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_set_plan(3);
	for (i = 0; i < nr_cpus; i++)
		len += snprintf(cpu_list + len, sizeof(cpu_list) - len, "%s%d",
				i ? "," : "", cpus[i]);
	ksft_print_msg("KVM SVE: %s, max VQ %u; one vCPU per CPU, threads pinned to CPUs %s\n",
		       max_vq ? "yes" : "no", max_vq, cpu_list);

	fp_run_fpsimd_max_vq1(run_test, max_vq, "with softirq NEON", 0x20);
	ksft_finished();
}
