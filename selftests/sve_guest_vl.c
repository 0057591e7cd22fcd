// SPDX-License-Identifier: GPL-2.0-only
/*
 * sve_guest_vl - a guest that runs below its maximum vector length keeps
 * its registers and its vector length across exits, and userspace sees
 * them as Documentation/virt/kvm/api.rst and the architecture say.
 *
 * KVM saves and restores a vCPU's SVE registers at the vCPU's maximum
 * vector length, whatever length the guest has chosen in ZCR_EL1.LEN, and
 * must put the guest's ZCR_EL1 back before it runs again. The other FP
 * tests run their guests at the maximum, where the two lengths agree.
 *
 * Each guest works in phases, at a vector length below its maximum (VQ 1
 * and, where the vCPU has one, a VQ between 1 and the maximum) and at the
 * maximum in turn. A phase sets ZCR_EL1.LEN, checks with RDVL that the
 * length took, then takes the three exits of the fp_* tests (two HVCs that
 * KVM answers in the kernel, then a UCALL_SYNC to userspace), each with Z,
 * P, FFR, FPSR and FPCR filled with a fresh pattern at the current length,
 * live for a while, and compared afterwards; after each exit RDVL and
 * ZCR_EL1 must still give the phase's length.
 *
 * At each UCALL_SYNC, userspace reads with KVM_GET_ONE_REG:
 *  - ZCR_EL1: LEN must be the guest's;
 *  - Z0-Z31, P0-P15 and FFR, which api.rst gives at the vCPU's maximum
 *    vector length whatever the guest's current one: the bytes below the
 *    current length must be the guest's pattern; the bytes beyond the
 *    maximum must read as zero; the bytes in between are, by the
 *    architecture, UNKNOWN to the guest once it shortened its vector length
 *    (zero, or the guest's own last values at the longer length), so they
 *    may be zero or those last values, never anything else (the host's, a
 *    busy thread's, another vCPU's or stale data of another phase).
 *
 * Runs a vCPU at the largest vector length KVM offers and one limited to a
 * middle VQ with KVM_REG_ARM64_SVE_VLS; without KVM_CAP_ARM_SVE, or where
 * the vCPU has no vector length below its maximum, the parts skip.
 */
#include "fp_regs.h"

#define NR_VCPUS	2
#define DEFAULT_ITERS	50
#define LIVE_US		50
#define MAX_PHASES	4
#define ZCR_LEN_MASK	0xfULL

static struct fp_guest guest[NR_VCPUS];
/* The VQ of each phase, low and maximum in turn; set by the host. */
static uint32_t phase_vq[MAX_PHASES];
static uint32_t nr_phases;

static uint32_t iterations = DEFAULT_ITERS;

static unsigned int guest_rdvl(void)
{
	uint64_t vl;

	asm volatile(".arch_extension sve\n\trdvl	%0, #1" : "=r" (vl));
	return vl;
}

static void guest_check_vl(struct fp_guest *g, uint32_t vq, const char *when)
{
	uint64_t zcr = read_sysreg_s(SYS_ZCR_EL1);
	unsigned int vl = guest_rdvl();

	__GUEST_ASSERT(vl == fp_vl(vq) && (zcr & ZCR_LEN_MASK) == vq - 1,
		       "vCPU %u %s: expected VL %u bytes (ZCR_EL1.LEN %u), got VL %u (ZCR_EL1 %#lx)",
		       g->vcpu_id, when, fp_vl(vq), vq - 1, vl, zcr);
}

static void guest_code(struct fp_guest *g)
{
	uint32_t iter, phase, vq;
	int exit;

	fp_guest_setup(g);
	for (iter = 0; iter < g->iterations; iter++) {
		for (phase = 0; phase < nr_phases; phase++) {
			vq = phase_vq[phase];
			write_sysreg_s(vq - 1, SYS_ZCR_EL1);
			isb();
			guest_check_vl(g, vq, "after setting ZCR_EL1.LEN");
			/* The pattern, the checks and the host use this. */
			WRITE_ONCE(g->vl, fp_vl(vq));
			for (exit = 0; exit < FP_NR_EXITS; exit++) {
				fp_guest_exit_check(g, iter,
						    phase * FP_NR_EXITS + exit,
						    exit);
				guest_check_vl(g, vq, fp_exit_name(exit));
			}
		}
	}
	GUEST_DONE();
}

struct vl_stats {
	uint64_t syncs;
	uint64_t low_syncs;	/* at a VQ below the maximum */
	uint64_t beyond_zero;	/* words/bytes beyond the current VL: 0 */
	uint64_t beyond_kept;	/* ... or the last values at the maximum */
};

/*
 * Bytes [@from, @to) of a register the guest last filled at its maximum
 * length with @prev (NULL: never): each 8-byte word (Z) or byte (P, FFR)
 * must be zero or what it was then.
 */
static void check_beyond(const uint8_t *got, const uint8_t *prev,
			 unsigned int from, unsigned int to, unsigned int unit,
			 const char *reg, int n, uint32_t vq,
			 struct vl_stats *st)
{
	unsigned int i;

	for (i = from; i < to; i += unit) {
		if (fp_all_zero(got + i, unit)) {
			st->beyond_zero++;
			continue;
		}
		if (prev && !memcmp(got + i, prev + i, unit)) {
			st->beyond_kept++;
			continue;
		}
		TEST_FAIL("KVM_GET_ONE_REG %s%d byte %u, beyond the guest's VL of %u bytes: expected 0%s, got %#lx%s",
			  reg, n, i, fp_vl(vq),
			  prev ? " or the guest's last value at its maximum VL" : "",
			  *(const uint64_t *)(got + (i & ~7u)),
			  prev ? fp_tag_owner(*(const uint64_t *)(prev + (i & ~7u)),
					      *(const uint64_t *)(got + (i & ~7u))) : "");
	}
}

/*
 * The vCPU (maximum VQ @max_vq) stopped at the UCALL_SYNC of @iter, phase
 * @phase: check ZCR_EL1 and the whole register file through ONE_REG.
 */
static void check_sync(struct kvm_vcpu *vcpu, struct fp_guest *g,
		       unsigned int max_vq, uint32_t iter, uint32_t phase,
		       struct vl_stats *st)
{
	uint32_t vq = phase_vq[phase], prev_iter = iter, prev_phase = phase;
	unsigned int vl = fp_vl(vq), max_vl = fp_vl(max_vq), n;
	struct fp_state exp, got, prev;
	bool have_prev = true;
	uint64_t zcr;
	char what[96];

	vcpu_get_reg(vcpu, KVM_ARM64_SYS_REG(SYS_ZCR_EL1), &zcr);
	TEST_ASSERT((zcr & ZCR_LEN_MASK) == vq - 1,
		    "vCPU %u: KVM_GET_ONE_REG ZCR_EL1: expected LEN %u, got %#lx",
		    vcpu->id, vq - 1, zcr);

	/* Padding beyond the maximum VL: zero (fp_vcpu_get_state checks). */
	fp_vcpu_get_state(vcpu, &got, max_vl);
	fp_fill(&exp, fp_seed(g->tag, vcpu->id, iter, phase * FP_NR_EXITS +
			      FP_EXIT_SYNC), vl);
	snprintf(what, sizeof(what),
		 "vCPU %u: KVM_GET_ONE_REG at iteration %u, phase %u (VQ %u of %u)",
		 vcpu->id, iter, phase, vq, max_vq);
	fp_assert_state(&exp, &got, vl, what);

	st->syncs++;
	if (vq == max_vq)
		return;
	st->low_syncs++;

	/* The last pattern at the maximum: the previous phase's UCALL_SYNC. */
	if (phase) {
		prev_phase = phase - 1;
	} else if (iter) {
		prev_iter = iter - 1;
		prev_phase = nr_phases - 1;
	} else {
		have_prev = false;
	}
	if (have_prev) {
		TEST_ASSERT(phase_vq[prev_phase] == max_vq,
			    "phase %u: expected the maximum VQ", prev_phase);
		fp_fill(&prev, fp_seed(g->tag, vcpu->id, prev_iter,
				       prev_phase * FP_NR_EXITS + FP_EXIT_SYNC),
			max_vl);
	}

	for (n = 0; n < FP_NR_ZREGS; n++)
		check_beyond(got.z[n], have_prev ? prev.z[n] : NULL, vl, max_vl,
			     8, "z", n, vq, st);
	for (n = 0; n < FP_NR_PREGS; n++)
		check_beyond(got.p[n], have_prev ? prev.p[n] : NULL, vl / 8,
			     max_vl / 8, 1, "p", n, vq, st);
	check_beyond(got.ffr, have_prev ? prev.ffr : NULL, vl / 8, max_vl / 8,
		     1, "ffr", -1, vq, st);
}

static void run_test(const char *name, unsigned int max_vq,
		     const uint64_t *vqs, uint16_t tag)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	struct kvm_vcpu *vcpus[NR_VCPUS];
	struct fp_guest *g[NR_VCPUS];
	unsigned int mid = fp_mid_vq(vqs, max_vq), i;
	uint64_t syncs[NR_VCPUS] = {};
	bool done[NR_VCPUS] = {};
	unsigned int nr_done = 0;
	struct vl_stats st = {};
	struct kvm_vm *vm;
	struct ucall uc;
	char phases[64];
	int len = 0;

	nr_phases = 0;
	phase_vq[nr_phases++] = 1;
	phase_vq[nr_phases++] = max_vq;
	if (mid) {
		phase_vq[nr_phases++] = mid;
		phase_vq[nr_phases++] = max_vq;
	}
	for (i = 0; i < nr_phases; i++)
		len += snprintf(phases + len, sizeof(phases) - len, "%s%u",
				i ? ", " : "", phase_vq[i]);

	vm = vm_create(NR_VCPUS);
	for (i = 0; i < NR_VCPUS; i++) {
		vcpus[i] = fp_vcpu_add(vm, i, guest_code, max_vq);
		g[i] = fp_guest_init(vcpus[i], &guest[i], tag, fp_vl(max_vq),
				     iterations);
		g[i]->spin_ticks = LIVE_US * freq / 1000000;
	}
	sync_global_to_guest(vm, phase_vq);
	sync_global_to_guest(vm, nr_phases);

	ksft_print_msg("%s\n", name);
	ksft_print_msg("  %d vCPUs of max VQ %u x %u iterations of phases at VQ %s, %d exits each\n",
		       NR_VCPUS, max_vq, iterations, phases, FP_NR_EXITS);

	/* The vCPUs take turns, one UCALL_SYNC each. */
	while (nr_done < NR_VCPUS) {
		for (i = 0; i < NR_VCPUS; i++) {
			if (done[i])
				continue;
			if (fp_vcpu_run(vcpus[i], &uc) == UCALL_DONE) {
				done[i] = true;
				nr_done++;
				continue;
			}
			TEST_ASSERT(uc.args[0] == i && uc.args[1] < iterations &&
				    uc.args[2] % FP_NR_EXITS == FP_EXIT_SYNC &&
				    uc.args[2] / FP_NR_EXITS < nr_phases,
				    "vCPU %u: expected a UCALL_SYNC, got (%lu, %lu, %lu)",
				    i, uc.args[0], uc.args[1], uc.args[2]);
			check_sync(vcpus[i], g[i], max_vq, uc.args[1],
				   uc.args[2] / FP_NR_EXITS, &st);
			syncs[i]++;
		}
	}

	for (i = 0; i < NR_VCPUS; i++)
		TEST_ASSERT(g[i]->hvc_exits == 2ULL * iterations * nr_phases &&
			    g[i]->sync_exits == (uint64_t)iterations * nr_phases &&
			    syncs[i] == g[i]->sync_exits,
			    "vCPU %u: expected %u HVC and %u UCALL_SYNC exits, got %lu and %lu (host saw %lu)",
			    i, 2 * iterations * nr_phases, iterations * nr_phases,
			    g[i]->hvc_exits, g[i]->sync_exits, syncs[i]);

	ksft_print_msg("  %lu UCALL_SYNCs checked through ONE_REG, %lu below the maximum VL; beyond the current VL: %lu units zero, %lu kept from the maximum\n",
		       st.syncs, st.low_syncs, st.beyond_zero, st.beyond_kept);
	TEST_ASSERT(st.low_syncs, "%s: no UCALL_SYNC below the maximum VL",
		    name);

	kvm_vm_free(vm);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations]\n", name);
	printf(" -i: iterations per vCPU, each a round of phases at a lower and the maximum\n"
	       "     vector length with %d exits each (default %d)\n",
	       FP_NR_EXITS, DEFAULT_ITERS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq, mid_vq;
	char name[80];

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	ksft_print_header();
	max_vq = fp_kvm_sve_vqs(vqs);
	ksft_set_plan(2);
	ksft_print_msg("KVM SVE: %s, max VQ %u\n", max_vq ? "yes" : "no",
		       max_vq);

	if (!max_vq) {
		ksft_test_result_skip("max VQ: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("middle VQ: no KVM_CAP_ARM_SVE\n");
		ksft_finished();
	}

	if (max_vq > 1) {
		snprintf(name, sizeof(name),
			 "VQ %u (max) vCPU: guest below and at its maximum VL",
			 max_vq);
		run_test(name, max_vq, vqs, FP_TAG_GUEST(0x40));
	} else {
		ksft_test_result_skip("max VQ: the host's max VQ is 1, no shorter VL\n");
	}

	mid_vq = fp_mid_vq(vqs, max_vq);
	if (mid_vq) {
		snprintf(name, sizeof(name),
			 "VQ %u vCPU: guest below and at its maximum VL",
			 mid_vq);
		run_test(name, mid_vq, vqs, FP_TAG_GUEST(0x41));
	} else {
		ksft_test_result_skip("middle VQ: no VQ between 1 and %u\n",
				      max_vq);
	}

	ksft_finished();
}
