// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_migrate - a vCPU thread moved to another CPU while its vCPU is loaded
 * (inside KVM_RUN) loses none of the guest's FP/SIMD or SVE registers, and
 * none of its own.
 *
 * FP ownership belongs to the physical CPU: when the scheduler moves a
 * thread in the middle of KVM_RUN, vcpu_put() runs on the old CPU (from the
 * preempt notifier) and must save the guest's live registers there, and
 * vcpu_load() runs on the new CPU, which may still hold a stale copy of
 * this vCPU's state from an earlier visit or another task's state. Threads
 * that only change CPU between KVM_RUN calls (fp_state_integrity) never
 * reach the preempt-notifier path with guest state live.
 *
 * Here the vCPU threads are not pinned: a mover thread changes the
 * affinity of each of them to another CPU every MOVE_US microseconds,
 * whatever they are doing, so the move lands inside KVM_RUN most of the
 * time, and a busy thread per CPU competes for the CPU (and checks its own
 * FP/SIMD registers). Each guest fills V0-V31, FPSR and FPCR (on SVE vCPUs
 * Z0-Z31, P0-P15, FFR, FPSR and FPCR) with a pattern unique to the vCPU,
 * iteration and exit, keeps it live for LIVE_US microseconds and takes an
 * exit (HVCs that KVM answers in the kernel, and a UCALL_SYNC to
 * userspace), then compares every register. At each UCALL_SYNC the host
 * reads the vCPU's whole state with KVM_GET_ONE_REG and compares it with
 * the pattern, and every KVM_RUN is issued with the thread's own registers
 * loaded with a pattern (its SVE state at the host's largest vector
 * length, where there is SVE), which must survive it.
 *
 * A KVM_RUN that returns on another CPU than it was entered on counts as a
 * move while loaded; the test fails if there were none.
 *
 * Runs an FP/SIMD-only VM and SVE VMs at the largest vector length KVM
 * offers and at VQ 1; the SVE parts skip without KVM_CAP_ARM_SVE. Needs
 * two CPUs.
 */
#include <time.h>

#include "fp_regs.h"

#define NR_VCPUS	2
#define MAX_CPUS	4
#define DEFAULT_ITERS	200
#define LIVE_US		100
#define MOVE_US		200

static struct fp_guest guest[NR_VCPUS];

static uint32_t iterations = DEFAULT_ITERS;
static int cpus[MAX_CPUS], nr_cpus;
static unsigned int host_vl;

static void guest_code(struct fp_guest *g)
{
	fp_guest_rounds(g);
}

struct vcpu_thread {
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;	/* host view of the guest's data */
	pthread_t thread;
	pid_t tid;
	bool started;
	bool done;
	uint64_t syncs;		/* UCALL_SYNCs, each with a state read */
	uint64_t runs;		/* KVM_RUN calls */
	uint64_t loaded_moves;	/* KVM_RUNs that returned on another CPU */
	uint64_t moves;		/* affinity changes by the mover */
	struct fp_host_stats host;
};

struct mover {
	pthread_t thread;
	struct vcpu_thread *threads;
	bool stop;
};

static void *vcpu_thread_main(void *arg)
{
	struct vcpu_thread *t = arg;
	uint32_t id = t->vcpu->id;
	struct ucall uc;
	int before, after;

	/* The vector length is per thread: this one's own, the largest. */
	if (host_vl)
		TEST_ASSERT(fp_host_sve_setup() == host_vl,
			    "vCPU %u thread: expected SVE VL %u", id, host_vl);
	WRITE_ONCE(t->tid, syscall(SYS_gettid));
	WRITE_ONCE(t->started, true);

	for (;;) {
		before = sched_getcpu();
		fp_host_run_checked(t->vcpu, host_vl,
				    fp_seed(FP_TAG_HOST, id, t->runs, 0),
				    &t->host);
		after = sched_getcpu();
		t->runs++;
		if (before != after)
			t->loaded_moves++;
		if (fp_vcpu_ucall(t->vcpu, &uc) != UCALL_SYNC)
			break;
		fp_assert_sync(t->vcpu, &uc, t->syncs, FP_EXIT_SYNC);
		fp_assert_vcpu_pattern(t->vcpu, t->g, t->syncs, FP_EXIT_SYNC);
		t->syncs++;
	}
	WRITE_ONCE(t->done, true);
	return NULL;
}

/*
 * Move every vCPU thread to another CPU, one after the other, every
 * MOVE_US: sched_setaffinity() of a running thread has the stopper of its
 * CPU preempt it and push it to the new one, in the middle of KVM_RUN.
 */
static void *mover_main(void *arg)
{
	struct timespec ts = { .tv_nsec = MOVE_US * 1000 };
	struct mover *m = arg;
	uint64_t round = 0;
	cpu_set_t set;
	int i, ret;

	while (!READ_ONCE(m->stop)) {
		for (i = 0; i < NR_VCPUS; i++) {
			struct vcpu_thread *t = &m->threads[i];

			if (!READ_ONCE(t->started) || READ_ONCE(t->done))
				continue;
			CPU_ZERO(&set);
			CPU_SET(cpus[(round + i) % nr_cpus], &set);
			ret = sched_setaffinity(READ_ONCE(t->tid), sizeof(set),
						&set);
			/* The thread may have ended since it was checked. */
			TEST_ASSERT(!ret || (errno == ESRCH && READ_ONCE(t->done)),
				    "sched_setaffinity(vCPU %d thread): expected 0, got errno %d",
				    i, errno);
			t->moves++;
		}
		round++;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void run_test(const char *name, unsigned int vq, uint16_t tag)
{
	struct vcpu_thread threads[NR_VCPUS] = {};
	uint64_t freq = read_sysreg(cntfrq_el0);
	struct mover mover = { .threads = threads };
	struct fp_busy busy[MAX_CPUS];
	unsigned int vl = fp_vl(vq);
	uint64_t busy_rounds = 0, loaded_moves = 0;
	struct kvm_vm *vm;
	int i, ret;

	vm = vm_create(NR_VCPUS);
	for (i = 0; i < NR_VCPUS; i++) {
		threads[i].vcpu = fp_vcpu_add(vm, i, guest_code, vq);
		threads[i].g = fp_guest_init(threads[i].vcpu, &guest[i], tag,
					     vl, iterations);
		threads[i].g->spin_ticks = LIVE_US * freq / 1000000;
	}

	ksft_print_msg("%s\n", name);
	if (vq)
		ksft_print_msg("  guest registers: Z0-Z31 (%u bytes), P0-P15 and FFR (%u bytes), FPSR, FPCR\n",
			       vl, vl / 8);
	else
		ksft_print_msg("  guest registers: V0-V31, FPSR, FPCR\n");
	ksft_print_msg("  %d vCPUs x %u iterations x %d exits, registers live %d us before each; a move every %d us\n",
		       NR_VCPUS, iterations, FP_NR_EXITS, LIVE_US, MOVE_US);

	for (i = 0; i < nr_cpus; i++)
		fp_busy_start(&busy[i], cpus[i]);
	for (i = 0; i < NR_VCPUS; i++) {
		ret = pthread_create(&threads[i].thread, NULL,
				     vcpu_thread_main, &threads[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	ret = pthread_create(&mover.thread, NULL, mover_main, &mover);
	TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(threads[i].thread, NULL);
	WRITE_ONCE(mover.stop, true);
	pthread_join(mover.thread, NULL);
	for (i = 0; i < nr_cpus; i++)
		busy_rounds += fp_busy_stop(&busy[i]);

	for (i = 0; i < NR_VCPUS; i++) {
		struct vcpu_thread *t = &threads[i];

		fp_assert_exit_counts(i, t->g, t->syncs);
		ksft_print_msg("  vCPU %d: %lu exits checked by the guest (%lu HVC in the kernel, %lu UCALL_SYNC to userspace), %lu KVM_GET_ONE_REG state reads checked\n",
			       i, t->g->hvc_exits + t->g->sync_exits,
			       t->g->hvc_exits, t->g->sync_exits, t->syncs);
		ksft_print_msg("    host thread: %lu KVM_RUNs with its registers checked (%s), %lu moved to another CPU while inside KVM_RUN, of %lu moves\n",
			       t->host.runs,
			       host_vl ? "V, FPSR, FPCR preserved; Z, P, FFR preserved or zero" :
					 "V, FPSR, FPCR preserved",
			       t->loaded_moves, t->moves);
		loaded_moves += t->loaded_moves;
	}
	ksft_print_msg("  busy threads: %lu rounds checked on %d CPUs\n",
		       busy_rounds, nr_cpus);

	TEST_ASSERT(loaded_moves > 0,
		    "%s: expected vCPU threads moved while inside KVM_RUN, got none",
		    name);

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
	unsigned int max_vq;

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	ksft_print_header();
	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	if (nr_cpus < 2)
		ksft_exit_skip("one CPU: nowhere to move a vCPU thread to\n");
	max_vq = fp_kvm_sve_vqs(vqs);
	host_vl = fp_host_sve_setup();

	ksft_set_plan(3);
	ksft_print_msg("%d CPUs; KVM SVE: %s, max VQ %u; host thread SVE VL %u bytes\n",
		       nr_cpus, max_vq ? "yes" : "no", max_vq, host_vl);

	fp_run_fpsimd_max_vq1(run_test, max_vq, "across moves inside KVM_RUN",
			      0x30);
	ksft_finished();
}
