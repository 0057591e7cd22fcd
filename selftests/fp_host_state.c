// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_host_state - the VMM's own FP/SIMD and SVE registers survive KVM_RUN.
 *
 * KVM saves the host task's FP/SIMD/SVE state when it loads a vCPU and lets
 * the kernel restore it on the way back to userspace. This test loads a
 * pattern into the calling thread's V0-V31, FPSR and FPCR (and, when the
 * host has SVE, into Z0-Z31, P0-P15 and FFR at the thread's maximum vector
 * length), issues KVM_RUN by an SVC from the same asm statement and stores
 * the registers right after it, so no compiler-generated code runs in
 * between. The syscall ABI (Documentation/arch/arm64/sve.rst, "System call
 * behaviour") then requires:
 *
 *  - V0-V31 (bits [127:0] of Z0-Z31), FPSR and FPCR: exactly preserved;
 *  - the rest of Z0-Z31, P0-P15 and FFR: preserved or zero, and never
 *    anything else (in particular never the guest's data).
 *
 * During each KVM_RUN the guest loads its own, differently tagged, pattern
 * into its registers and takes several exits KVM handles in the kernel
 * (HVCs) before a UCALL_SYNC ends the KVM_RUN; a busy thread on the same
 * CPU preempts the VMM thread in the middle of KVM_RUN, and the thread
 * moves between CPUs between runs. The guest checks its registers after
 * every exit as well.
 *
 * Covers the class of bug fixed upstream by commit fbc7e61195e2 ("KVM:
 * arm64: Unconditionally save+flush host FPSIMD/SVE/SME state"), where the
 * host task's SVE state could be lost or corrupted across KVM_RUN.
 *
 * The SVE parts skip when the host (HWCAP_SVE) or KVM (KVM_CAP_ARM_SVE)
 * lacks SVE.
 */

#include "fp_regs.h"

#define MAX_CPUS	4
#define HVCS_PER_RUN	4
#define DEFAULT_ITERS	200

static struct fp_guest guest;

static uint32_t iterations = DEFAULT_ITERS;
static int cpus[MAX_CPUS], nr_cpus;

/* Each iteration: HVCS_PER_RUN exits in the kernel, then one to userspace. */
static void guest_code(struct fp_guest *g)
{
	uint32_t iter, step;

	fp_guest_setup(g);
	for (iter = 0; iter < g->iterations; iter++) {
		for (step = 0; step < HVCS_PER_RUN; step++)
			fp_guest_exit_check(g, iter, step, step % 2 ?
					    FP_EXIT_PSCI_VERSION :
					    FP_EXIT_SMCCC_VERSION);
		fp_guest_exit_check(g, iter, step, FP_EXIT_SYNC);
	}
	GUEST_DONE();
}

static void run_test(const char *name, unsigned int host_vl,
		     unsigned int guest_vq, uint16_t tag)
{
	struct fp_host_stats st = {};
	struct fp_busy busy[MAX_CPUS];
	uint64_t migrations = 0, syncs = 0;
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;
	struct kvm_vm *vm;
	struct ucall uc;
	char regs[96];
	long nivcsw;
	int i, cpu = 0;

	vm = vm_create(1);
	vcpu = fp_vcpu_add(vm, 0, guest_code, guest_vq);
	g = fp_guest_init(vcpu, &guest, tag, fp_vl(guest_vq), iterations);

	if (host_vl)
		snprintf(regs, sizeof(regs),
			 "Z0-Z31 (%u bytes), P0-P15 and FFR (%u bytes), FPSR, FPCR",
			 host_vl, host_vl / 8);
	else
		snprintf(regs, sizeof(regs), "V0-V31, FPSR, FPCR");
	if (guest_vq)
		ksft_print_msg("%s: host %s; guest SVE at VL %u bytes; %u iterations\n",
			       name, regs, fp_vl(guest_vq), iterations);
	else
		ksft_print_msg("%s: host %s; guest FP/SIMD; %u iterations\n",
			       name, regs, iterations);

	for (i = 0; i < nr_cpus; i++)
		fp_busy_start(&busy[i], cpus[i]);
	kvm_pin_this_task_to_pcpu(cpus[cpu]);
	nivcsw = fp_thread_nivcsw();

	for (;;) {
		fp_host_run_checked(vcpu, host_vl,
				    fp_seed(FP_TAG_HOST, 0, st.runs, 0), &st);
		if (fp_vcpu_ucall(vcpu, &uc) == UCALL_DONE)
			break;
		TEST_ASSERT(uc.args[1] == syncs && uc.args[2] == HVCS_PER_RUN,
			    "expected UCALL_SYNC of iteration %lu step %d, got iteration %lu step %lu",
			    syncs, HVCS_PER_RUN, uc.args[1], uc.args[2]);
		syncs++;
		if (nr_cpus > 1 && !(syncs % 8)) {
			cpu = (cpu + 1) % nr_cpus;
			kvm_pin_this_task_to_pcpu(cpus[cpu]);
			migrations++;
		}
	}

	nivcsw = fp_thread_nivcsw() - nivcsw;
	for (i = 0; i < nr_cpus; i++)
		fp_busy_stop(&busy[i]);

	TEST_ASSERT(syncs == iterations &&
		    g->hvc_exits == (uint64_t)HVCS_PER_RUN * iterations,
		    "expected %u UCALL_SYNC and %u HVC exits, got %lu and %lu",
		    iterations, HVCS_PER_RUN * iterations, syncs, g->hvc_exits);
	ksft_print_msg("  %lu KVM_RUN calls with live host registers: V0-V31/FPSR/FPCR preserved every time\n",
		       st.runs);
	if (host_vl)
		ksft_print_msg("  host Z bits above 128, P0-P15, FFR after KVM_RUN: %lu registers preserved, %lu zeroed, none else\n",
			       st.sve_preserved, st.sve_zeroed);
	ksft_print_msg("  guest: %lu HVC and %lu UCALL_SYNC exits checked; KVM: %lu exits; %lu migrations, %ld involuntary context switches\n",
		       g->hvc_exits, g->sync_exits, fp_vcpu_stat(vcpu, "exits"),
		       migrations, nivcsw);

	kvm_vm_free(vm);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations]\n", name);
	printf(" -i: KVM_RUN calls per test, each with %d HVC exits in the kernel (default %d)\n",
	       HVCS_PER_RUN, DEFAULT_ITERS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq, host_vl;

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	nr_cpus = fp_host_cpus(cpus, MAX_CPUS);
	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_print_header();
	ksft_set_plan(4);
	ksft_print_msg("host SVE: %s; KVM SVE: %s, max VQ %u\n",
		       getauxval(AT_HWCAP) & HWCAP_SVE ? "yes" : "no",
		       max_vq ? "yes" : "no", max_vq);

	/* Before the thread's first SVE instruction: no SVE state yet. */
	run_test("host FP/SIMD, FP/SIMD guest", 0, 0, FP_TAG_GUEST(1));
	if (max_vq)
		run_test("host FP/SIMD, SVE guest", 0, max_vq, FP_TAG_GUEST(2));
	else
		ksft_test_result_skip("host FP/SIMD, SVE guest: no KVM_CAP_ARM_SVE\n");

	host_vl = fp_host_sve_setup();
	if (!host_vl) {
		ksft_test_result_skip("host SVE, FP/SIMD guest: host without SVE (HWCAP_SVE)\n");
		ksft_test_result_skip("host SVE, SVE guest: host without SVE (HWCAP_SVE)\n");
		ksft_finished();
	}
	ksft_print_msg("host thread SVE vector length: %u bytes\n", host_vl);

	run_test("host SVE, FP/SIMD guest", host_vl, 0, FP_TAG_GUEST(3));
	if (max_vq)
		run_test("host SVE, SVE guest", host_vl, max_vq, FP_TAG_GUEST(4));
	else
		ksft_test_result_skip("host SVE, SVE guest: no KVM_CAP_ARM_SVE\n");

	ksft_finished();
}
