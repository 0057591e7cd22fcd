// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_isolation - two VMs taking turns on one CPU see only their own FP/SIMD
 * and SVE state, and so do the host and KVM_GET_ONE_REG.
 *
 * VM A and VM B each have one vCPU, run by a thread of its own; both
 * threads are pinned to the same CPU and strictly alternate: one KVM_RUN of
 * VM A up to its next UCALL_SYNC, then one of VM B, and so on. Each guest
 * fills its registers with a pattern unique to its VM and iteration, takes
 * an HVC that KVM answers in the kernel and a UCALL_SYNC (during which the
 * other VM runs), and checks every register after each exit. Between the
 * turns the host reads the stopped vCPU's whole FP/SVE state with
 * KVM_GET_ONE_REG into 2048-bit buffers prefilled with 0xa5: the bytes
 * within the vector length must be that VM's pattern and the bytes beyond
 * it zero. The VMM threads also keep their own pattern in their FP/SIMD
 * (or SVE) registers across every KVM_RUN and check it afterwards.
 *
 * Where KVM offers SVE the two VMs get different vector lengths (VM A the
 * largest, VM B VQ 1, or no SVE at all), so that state of the larger
 * vector length left in the registers or in KVM's buffers would show up in
 * the smaller one. The SVE parts skip without KVM_CAP_ARM_SVE.
 */

#include "fp_regs.h"

#define DEFAULT_ITERS	200
#define STEP_HVC	0
#define STEP_SYNC	1

static struct fp_guest guest;

static uint32_t iterations = DEFAULT_ITERS;
static unsigned int host_vl;
static int cpu;

static void guest_code(struct fp_guest *g)
{
	uint32_t iter;

	fp_guest_setup(g);
	for (iter = 0; iter < g->iterations; iter++) {
		fp_guest_exit_check(g, iter, STEP_HVC, FP_EXIT_SMCCC_VERSION);
		fp_guest_exit_check(g, iter, STEP_SYNC, FP_EXIT_SYNC);
	}
	GUEST_DONE();
}

struct vm_side {
	int index;		/* 0: VM A, 1: VM B */
	unsigned int vq;
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;
	pthread_t thread;
	struct fp_host_stats st;
	uint64_t reads;
};

/* Whose turn it is, and who has finished. */
static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cond = PTHREAD_COND_INITIALIZER;
static int turn;
static bool finished[2];
static uint64_t switches;

static void wait_turn(int me)
{
	pthread_mutex_lock(&turn_lock);
	while (turn != me)
		pthread_cond_wait(&turn_cond, &turn_lock);
	pthread_mutex_unlock(&turn_lock);
}

static void pass_turn(int me, bool done)
{
	pthread_mutex_lock(&turn_lock);
	finished[me] = done;
	if (!finished[!me]) {
		turn = !me;
		switches++;
	}
	pthread_cond_broadcast(&turn_cond);
	pthread_mutex_unlock(&turn_lock);
}

static const char *vm_name(int index)
{
	return index ? "VM B" : "VM A";
}

/*
 * The vCPU is stopped at its UCALL_SYNC with the pattern of (@iter, @step)
 * loaded: KVM_GET_ONE_REG must return exactly that, zero-padded.
 */
static void check_vcpu_state(struct vm_side *s, uint64_t iter, uint64_t step)
{
	unsigned int vl = fp_vl(s->vq);
	struct fp_state exp, got;
	char what[96];

	fp_fill(&exp, fp_seed(s->g->tag, 0, iter, step), vl);
	fp_vcpu_get_state(s->vcpu, &got, vl);
	snprintf(what, sizeof(what),
		 "%s: KVM_GET_ONE_REG at UCALL_SYNC of iteration %lu",
		 vm_name(s->index), iter);
	fp_assert_state(&exp, &got, vl, what);
	s->reads++;
}

static void *vm_thread(void *arg)
{
	struct vm_side *s = arg;
	struct ucall uc;
	uint64_t cmd;

	kvm_pin_this_task_to_pcpu(cpu);
	do {
		wait_turn(s->index);
		fp_host_run_checked(s->vcpu, host_vl,
				    fp_seed(FP_TAG_HOST, s->index, s->st.runs, 0),
				    &s->st);
		cmd = fp_vcpu_ucall(s->vcpu, &uc);
		if (cmd == UCALL_SYNC) {
			TEST_ASSERT(uc.args[1] == s->reads &&
				    uc.args[2] == STEP_SYNC,
				    "%s: expected UCALL_SYNC of iteration %lu step %d, got iteration %lu step %lu",
				    vm_name(s->index), s->reads, STEP_SYNC,
				    uc.args[1], uc.args[2]);
			check_vcpu_state(s, uc.args[1], uc.args[2]);
		}
		pass_turn(s->index, cmd == UCALL_DONE);
	} while (cmd != UCALL_DONE);
	return NULL;
}

static void run_test(const char *name, unsigned int vq_a, unsigned int vq_b)
{
	struct vm_side sides[2] = {
		{ .index = 0, .vq = vq_a },
		{ .index = 1, .vq = vq_b },
	};
	struct vm_side *s;
	int i, ret;

	for (i = 0; i < 2; i++) {
		s = &sides[i];
		s->vm = vm_create(1);
		s->vcpu = fp_vcpu_add(s->vm, 0, guest_code, s->vq);
		s->g = fp_guest_init(s->vcpu, &guest, FP_TAG_GUEST(0x10 + i),
				     fp_vl(s->vq), iterations);
	}
	turn = 0;
	finished[0] = false;
	finished[1] = false;
	switches = 0;

	ksft_print_msg("%s: both vCPU threads on CPU %d, %u iterations each\n",
		       name, cpu, iterations);
	for (i = 0; i < 2; i++) {
		ret = pthread_create(&sides[i].thread, NULL, vm_thread, &sides[i]);
		TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	}
	for (i = 0; i < 2; i++)
		pthread_join(sides[i].thread, NULL);

	for (i = 0; i < 2; i++) {
		s = &sides[i];
		TEST_ASSERT(s->g->hvc_exits == iterations &&
			    s->g->sync_exits == iterations,
			    "%s: expected %u HVC and %u UCALL_SYNC exits, got %lu and %lu",
			    vm_name(i), iterations, iterations,
			    s->g->hvc_exits, s->g->sync_exits);
		if (s->vq)
			ksft_print_msg("  %s: SVE VL %u bytes: Z0-Z31, P0-P15, FFR, FPSR, FPCR\n",
				       vm_name(i), fp_vl(s->vq));
		else
			ksft_print_msg("  %s: FP/SIMD: V0-V31, FPSR, FPCR\n",
				       vm_name(i));
		ksft_print_msg("    guest: %lu exits checked (%lu HVC in the kernel, %lu UCALL_SYNC)\n",
			       s->g->hvc_exits + s->g->sync_exits,
			       s->g->hvc_exits, s->g->sync_exits);
		ksft_print_msg("    host: %lu KVM_GET_ONE_REG state reads (2048-bit buffers, bytes beyond VL zero)\n",
			       s->reads);
		ksft_print_msg("    host: %lu KVM_RUN calls with its own %s registers live, checked after each\n",
			       s->st.runs, host_vl ? "SVE" : "FP/SIMD");
		if (host_vl)
			ksft_print_msg("    host: Z bits above 128, P0-P15, FFR after KVM_RUN: %lu registers preserved, %lu zeroed, none else\n",
				       s->st.sve_preserved, s->st.sve_zeroed);
		kvm_vm_free(s->vm);
	}
	ksft_print_msg("  %lu switches between the VMs\n", switches);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations]\n", name);
	printf(" -i: iterations per VM, each with an HVC and a UCALL_SYNC (default %d)\n",
	       DEFAULT_ITERS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq;
	char name[80];

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	fp_host_cpus(&cpu, 1);
	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_print_header();
	ksft_set_plan(3);
	host_vl = fp_host_sve_setup();
	ksft_print_msg("KVM SVE: %s, max VQ %u; host registers checked: %s\n",
		       max_vq ? "yes" : "no", max_vq,
		       host_vl ? "SVE" : "FP/SIMD");

	run_test("fpsimd VM A, fpsimd VM B", 0, 0);

	if (!max_vq) {
		ksft_test_result_skip("sve VM A, sve VM B: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve VM A, fpsimd VM B: no KVM_CAP_ARM_SVE\n");
		ksft_finished();
	}

	snprintf(name, sizeof(name), "sve VM A (VQ %u), sve VM B (VQ 1)%s",
		 max_vq, max_vq == 1 ? ": host max VQ is 1, same VL" : "");
	run_test(name, max_vq, 1);
	snprintf(name, sizeof(name), "sve VM A (VQ %u), fpsimd VM B", max_vq);
	run_test(name, max_vq, 0);

	ksft_finished();
}
