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
#include <fcntl.h>
#include <getopt.h>
#include <time.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "fp_hook.h"
#include "fp_regs.h"

#define DEBUGFS_DIR		"/sys/kernel/debug"

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

/* ------------------------------------------------------------- hook */

struct hook_counters {
	uint64_t runs;
	uint64_t runs_vcpu_loaded;
	uint64_t refused;
	uint64_t refused_vcpu_loaded;
};

static bool hook_started;

/* Writing the period zeroes the counters, and 0 stops the hook. */
static void hook_start(uint32_t us)
{
	hook_started = true;
	fp_hook_write_period(us);
}

/*
 * Read the counters while the hook still runs (stopping it zeroes them),
 * then stop it. The vCPU threads have finished: no vCPU is loaded any more,
 * so the *_vcpu_loaded counts are those of the run.
 */
static void hook_stop(struct hook_counters *c)
{
	c->runs = fp_hook_read("runs");
	c->runs_vcpu_loaded = fp_hook_read("runs_vcpu_loaded");
	c->refused = fp_hook_read("refused");
	c->refused_vcpu_loaded = fp_hook_read("refused_vcpu_loaded");
	fp_hook_write_period(0);
	hook_started = false;
}

/* Never leave the hook running when the test fails. */
static void hook_atexit(void)
{
	int fd;

	if (!hook_started)
		return;
	fd = open(FP_HOOK_DIR "/period_us", O_WRONLY);
	if (fd < 0)
		return;
	if (write(fd, "0\n", 2) != 2)
		fprintf(stderr, "%s/period_us: failed to stop the hook\n",
			FP_HOOK_DIR);
	close(fd);
}

/* Skip, with the reason, unless the hook is there and writable. */
static void hook_require(void)
{
	struct statfs sfs;

	if (!access(FP_HOOK_DIR, F_OK) && !access(FP_HOOK_DIR "/period_us", W_OK))
		return;
	if (errno == EACCES)
		ksft_exit_skip("%s: permission denied (needs root)\n", FP_HOOK_DIR);
	if (statfs(DEBUGFS_DIR, &sfs) || sfs.f_type != DEBUGFS_MAGIC)
		ksft_exit_skip("debugfs is not mounted on %s, so %s is absent\n",
			       DEBUGFS_DIR, FP_HOOK_DIR);
	ksft_exit_skip("%s is absent: kernel without CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST\n",
		       FP_HOOK_DIR);
}

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

/*
 * The vCPU is stopped at its UCALL_SYNC of @iter with that exit's pattern
 * loaded: KVM_GET_ONE_REG must return exactly that, zero-padded.
 */
static void check_vcpu_state(struct vcpu_thread *t, uint64_t iter)
{
	struct fp_state exp, got;
	char what[96];

	fp_fill(&exp, fp_seed(t->g->tag, t->vcpu->id, iter, FP_EXIT_SYNC),
		t->g->vl);
	fp_vcpu_get_state(t->vcpu, &got, t->g->vl);
	snprintf(what, sizeof(what),
		 "vCPU %u: KVM_GET_ONE_REG at UCALL_SYNC of iteration %lu",
		 t->vcpu->id, iter);
	fp_assert_state(&exp, &got, t->g->vl, what);
}

static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;
	uint32_t id = t->vcpu->id;
	struct ucall uc;

	kvm_pin_this_task_to_pcpu(t->cpu);
	while (fp_vcpu_run(t->vcpu, &uc) == UCALL_SYNC) {
		TEST_ASSERT(uc.args[0] == id && uc.args[1] == t->syncs &&
			    uc.args[2] == FP_EXIT_SYNC,
			    "vCPU %u: expected UCALL_SYNC (vCPU %u, iteration %lu, exit %d), got (%lu, %lu, %lu)",
			    id, id, t->syncs, FP_EXIT_SYNC,
			    uc.args[0], uc.args[1], uc.args[2]);
		check_vcpu_state(t, t->syncs);
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
	struct hook_counters c;
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

	hook_start(period_us);
	elapsed = now();
	for (i = 0; i < nr_cpus; i++) {
		ret = pthread_create(&threads[i].thread, NULL,
				     vcpu_thread_main, &threads[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	for (i = 0; i < nr_cpus; i++)
		pthread_join(threads[i].thread, NULL);
	elapsed = now() - elapsed;
	hook_stop(&c);

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
	char name[64], cpu_list[8 * MAX_CPUS] = "";
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
	hook_require();
	atexit(hook_atexit);

	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_set_plan(3);
	for (i = 0; i < nr_cpus; i++)
		len += snprintf(cpu_list + len, sizeof(cpu_list) - len, "%s%d",
				i ? "," : "", cpus[i]);
	ksft_print_msg("KVM SVE: %s, max VQ %u; one vCPU per CPU, threads pinned to CPUs %s\n",
		       max_vq ? "yes" : "no", max_vq, cpu_list);

	run_test("fpsimd: V0-V31/FPSR/FPCR with softirq NEON", 0,
		 FP_TAG_GUEST(0x20));

	if (!max_vq) {
		ksft_test_result_skip("sve: max VQ: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve: VQ 1: no KVM_CAP_ARM_SVE\n");
		ksft_finished();
	}

	snprintf(name, sizeof(name),
		 "sve: VQ %u (max) Z/P/FFR with softirq NEON", max_vq);
	run_test(name, max_vq, FP_TAG_GUEST(0x21));

	if (max_vq > 1)
		run_test("sve: VQ 1 Z/P/FFR with softirq NEON", 1,
			 FP_TAG_GUEST(0x22));
	else
		ksft_test_result_skip("sve: VQ 1: the host's max VQ is 1, tested above\n");

	ksft_finished();
}
