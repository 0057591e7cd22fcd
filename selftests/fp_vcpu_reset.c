// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_vcpu_reset - a vCPU reset, by PSCI CPU_OFF/CPU_ON or by
 * KVM_ARM_VCPU_INIT again, starts from zeroed FP/SIMD and SVE registers,
 * with none of its old state visible, and keeps its vector lengths.
 *
 * api.rst: KVM_ARM_VCPU_INIT "can be called multiple times for a given
 * vcpu, including after the vcpu has been run. This will reset the vcpu to
 * its initial state", and KVM_REG_ARM64_SVE_VLS cannot change once the
 * vCPU is finalized. PSCI CPU_ON resets the target the same way (KVM makes
 * the reset a request that the target's next KVM_RUN, or a ONE_REG access,
 * carries out). The FP/SVE state a reset must clear may still be live in a
 * CPU's registers or bound to a CPU, so a reset that zeroes only the
 * memory copy is not enough.
 *
 * A VM of three vCPUs: vCPU 2 runs all along on a thread of its own,
 * checking its registers after every exit, while vCPU 1 is reset twice:
 *
 *  1. vCPU 1 fills its registers with a pattern, takes exits checking it
 *     (the host compares its whole state through KVM_GET_ONE_REG at every
 *     UCALL_SYNC) and calls PSCI CPU_OFF. vCPU 0 calls PSCI CPU_ON on it
 *     (again while it answers ALREADY_ON), with a context ID and the entry
 *     point of a stub that stores x0 to an MMIO address (the MMU is off
 *     after CPU_ON): userspace sees the context ID, then reads vCPU 1's
 *     state through ONE_REG: V/Z, P, FFR, FPSR, FPCR and ZCR_EL1 zero,
 *     KVM_REG_ARM64_SVE_VLS unchanged. It then points vCPU 1 back at the
 *     guest code with its MMU set up again (system registers only), and the
 *     guest checks that its own registers read as zero before it works with
 *     a new pattern and ends.
 *  2. KVM_ARM_VCPU_INIT on vCPU 1, with the features of the first one: the
 *     same checks through ONE_REG, then in the guest.
 *
 * Runs an FP/SIMD-only VM and an SVE VM whose vCPUs are limited to a VQ
 * below the largest (the largest if there is no other); the SVE part skips
 * without KVM_CAP_ARM_SVE.
 */
#include <asm/cputype.h>

#include "fp_regs.h"

#define NR_VCPUS	3
#define DEFAULT_ITERS	20
#define CPU_ON_TRIES	1000000
#define CONTEXT_ID	0xc0ffee00fee1deadULL

static struct fp_guest guest[NR_VCPUS];
/* Per vCPU, set by the host: a round number, and CPU_OFF at the end. */
static uint32_t round_of[NR_VCPUS];
static bool cpu_off_at_end[NR_VCPUS];
/* vCPU 0: whom to power on, where, and how many tries it took. */
static uint64_t target_mpidr, target_entry, cpu_on_tries;

static uint32_t iterations = DEFAULT_ITERS;

/*
 * vCPU 1 (and 2): its registers must be zero at entry; then a pattern
 * through every kind of exit; then PSCI CPU_OFF or the end.
 */
static void guest_worker(struct fp_guest *g)
{
	uint32_t id = g->vcpu_id, base = round_of[id] * g->iterations, iter;
	struct arm_smccc_res res;
	int exit;

	fp_guest_setup(g);
	/* What the registers hold at entry: stored, not loaded. */
	memset(&g->in, 0, sizeof(g->in));
	fp_guest_exit(g, false, FP_EXIT_SMCCC_VERSION);
	fp_guest_check(g, &g->in, base, "at entry, after the reset");

	for (iter = base; iter < base + g->iterations; iter++)
		for (exit = 0; exit < FP_NR_EXITS; exit++)
			fp_guest_exit_check(g, iter, exit, exit);

	if (!cpu_off_at_end[id])
		GUEST_DONE();
	smccc_hvc(PSCI_0_2_FN_CPU_OFF, 0, 0, 0, 0, 0, 0, 0, &res);
	GUEST_FAIL("vCPU %u: PSCI CPU_OFF returned %#lx", id, res.a0);
}

/* vCPU 0: power vCPU 1 on once it is off. */
static void guest_cpu_on(void)
{
	struct arm_smccc_res res;
	uint64_t tries;

	for (tries = 1; tries <= CPU_ON_TRIES; tries++) {
		smccc_hvc(PSCI_0_2_FN64_CPU_ON, target_mpidr, target_entry,
			  CONTEXT_ID, 0, 0, 0, 0, &res);
		if (res.a0 != PSCI_RET_ALREADY_ON)
			break;
	}
	WRITE_ONCE(cpu_on_tries, tries);
	__GUEST_ASSERT(res.a0 == PSCI_RET_SUCCESS,
		       "PSCI CPU_ON of MPIDR %#lx: expected SUCCESS, got %#lx after %lu tries",
		       target_mpidr, res.a0, tries);
	GUEST_DONE();
}

/* What the guest code needs to run again after a reset. */
struct vcpu_boot {
	uint64_t sysregs[6];
	uint64_t sp;
};

static const uint64_t boot_sysregs[] = {
	KVM_ARM64_SYS_REG(SYS_CPACR_EL1), KVM_ARM64_SYS_REG(SYS_SCTLR_EL1),
	KVM_ARM64_SYS_REG(SYS_TCR_EL1), KVM_ARM64_SYS_REG(SYS_MAIR_EL1),
	KVM_ARM64_SYS_REG(SYS_TTBR0_EL1), KVM_ARM64_SYS_REG(SYS_TPIDR_EL1),
};

static void boot_save(struct kvm_vcpu *vcpu, struct vcpu_boot *b)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(boot_sysregs); i++)
		vcpu_get_reg(vcpu, boot_sysregs[i], &b->sysregs[i]);
	vcpu_get_reg(vcpu, ARM64_CORE_REG(sp_el1), &b->sp);
}

/*
 * Complete the vCPU's last exit, an MMIO write (a ucall, or the stub's
 * store), without entering the guest: KVM_RUN with immediate_exit steps the
 * PC past the store and returns EINTR, so that the PC set afterwards stays.
 */
static void complete_exit(struct kvm_vcpu *vcpu)
{
	int ret;

	vcpu->run->immediate_exit = 1;
	ret = __vcpu_run(vcpu);
	TEST_ASSERT(ret == -1 && errno == EINTR,
		    "vCPU %u: KVM_RUN with immediate_exit: expected EINTR, got %d (errno %d)",
		    vcpu->id, ret, errno);
	vcpu->run->immediate_exit = 0;
}

/* Point a reset vCPU at @code(@g) with its MMU and stack as at creation. */
static void boot_restore(struct kvm_vcpu *vcpu, const struct vcpu_boot *b,
			 void *code, struct fp_guest *g)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(boot_sysregs); i++)
		vcpu_set_reg(vcpu, boot_sysregs[i], b->sysregs[i]);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(sp_el1), b->sp);
	vcpu_set_reg(vcpu, ARM64_CORE_REG(regs.pc), (uint64_t)code);
	vcpu_args_set(vcpu, 1, g);
}

/*
 * After a reset, through ONE_REG: every FP/SIMD and SVE register and
 * ZCR_EL1 zero, the vector lengths those of @vqs.
 */
static void check_reset_state(struct kvm_vcpu *vcpu, unsigned int vl,
			      const uint64_t *vqs, const char *how)
{
	uint64_t got_vqs[KVM_ARM64_SVE_VLS_WORDS], zcr;
	struct fp_state zero, got;
	char what[96];

	memset(&zero, 0, sizeof(zero));
	fp_vcpu_get_state(vcpu, &got, vl);
	snprintf(what, sizeof(what), "vCPU %u: KVM_GET_ONE_REG after %s",
		 vcpu->id, how);
	fp_assert_state(&zero, &got, vl, what);
	if (!vl)
		return;
	vcpu_get_reg(vcpu, KVM_ARM64_SYS_REG(SYS_ZCR_EL1), &zcr);
	TEST_ASSERT(!zcr, "vCPU %u: ZCR_EL1 after %s: expected 0, got %#lx",
		    vcpu->id, how, zcr);
	vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, got_vqs);
	TEST_ASSERT(!memcmp(vqs, got_vqs, sizeof(got_vqs)),
		    "vCPU %u: KVM_REG_ARM64_SVE_VLS after %s: expected %#lx, got %#lx",
		    vcpu->id, how, vqs[0], got_vqs[0]);
}

/*
 * Run @vcpu until the guest is done; at each UCALL_SYNC compare its state
 * through ONE_REG. With @stub_mmio, a write of x0 there also ends the run
 * (the CPU_ON stub): returns the value written, else 0.
 */
static uint64_t run_worker(struct kvm_vcpu *vcpu, struct fp_guest *g,
			   uint64_t stub_mmio, uint64_t *syncs)
{
	struct kvm_run *run = vcpu->run;
	struct ucall uc;

	for (;;) {
		vcpu_run(vcpu);
		if (stub_mmio && run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr == stub_mmio) {
			TEST_ASSERT(run->mmio.is_write && run->mmio.len == 8,
				    "vCPU %u: expected an 8-byte write to the stub's MMIO address",
				    vcpu->id);
			return *(uint64_t *)run->mmio.data;
		}
		if (fp_vcpu_ucall(vcpu, &uc) == UCALL_DONE)
			return 0;
		TEST_ASSERT(uc.args[0] == vcpu->id && uc.args[2] == FP_EXIT_SYNC,
			    "vCPU %u: expected its UCALL_SYNC, got (%lu, %lu, %lu)",
			    vcpu->id, uc.args[0], uc.args[1], uc.args[2]);
		fp_assert_vcpu_pattern(vcpu, g, uc.args[1], FP_EXIT_SYNC);
		(*syncs)++;
	}
}

struct worker_thread {
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;
	uint64_t stub_mmio;
	uint64_t result;
	uint64_t syncs;
	pthread_t thread;
};

static void *worker_main(void *arg)
{
	struct worker_thread *w = arg;

	w->result = run_worker(w->vcpu, w->g, w->stub_mmio, &w->syncs);
	return NULL;
}

/* vCPU 2: checks its registers after every exit until told to stop. */
static bool other_stop;

static void *other_main(void *arg)
{
	struct worker_thread *w = arg;
	struct ucall uc;

	while (!READ_ONCE(other_stop)) {
		TEST_ASSERT(fp_vcpu_run(w->vcpu, &uc) == UCALL_SYNC,
			    "vCPU 2: expected a UCALL_SYNC");
		w->syncs++;
	}
	return NULL;
}

/*
 * A page of guest memory, at the same address physical and virtual, with
 * a stub for PSCI CPU_ON: store x0 (the context ID) to @mmio, then loop.
 */
static uint64_t write_stub(struct kvm_vm *vm, uint64_t mmio)
{
	vm_paddr_t gpa = vm_phy_page_alloc(vm, KVM_GUEST_PAGE_TABLE_MIN_PADDR,
					   vm->memslots[MEM_REGION_CODE]);
	uint32_t *code = addr_gpa2hva(vm, gpa);
	int hw;

	/* movz x1, #mmio[15:0]; movk x1, #mmio[31:16 and 47:32] */
	code[0] = 0xd2800001 | ((mmio & 0xffff) << 5);
	for (hw = 1; hw <= 2; hw++)
		code[hw] = 0xf2800001 | (hw << 21) |
			   (((mmio >> (16 * hw)) & 0xffff) << 5);
	TEST_ASSERT(!(mmio >> 48), "MMIO address %#lx above 48 bits", mmio);
	code[3] = 0xf9000020;		/* str x0, [x1] */
	code[4] = 0x14000000;		/* b . */
	return gpa;
}

static void run_test(const char *name, unsigned int vq, uint16_t tag)
{
	struct worker_thread w1 = {}, w2 = {};
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS] = {};
	struct kvm_vcpu *vcpus[NR_VCPUS];
	struct fp_guest *g[NR_VCPUS];
	unsigned int vl = fp_vl(vq);
	struct kvm_vcpu_init init;
	struct vcpu_boot boot;
	uint64_t mpidr, syncs = 0;
	struct kvm_vm *vm;
	struct ucall uc;
	int i, ret;

	vm = vm_create(NR_VCPUS);
	/* Every vCPU of a VM has the same features. */
	vcpus[0] = fp_vcpu_add(vm, 0, guest_cpu_on, vq);
	for (i = 1; i < NR_VCPUS; i++) {
		vcpus[i] = fp_vcpu_add(vm, i, guest_worker, vq);
		g[i] = fp_guest_init(vcpus[i], &guest[i], tag, vl,
				     i == 2 ? UINT32_MAX : iterations);
	}
	if (vq)
		vcpu_get_reg(vcpus[1], KVM_REG_ARM64_SVE_VLS, vqs);
	boot_save(vcpus[1], &boot);

	vcpu_get_reg(vcpus[1], KVM_ARM64_SYS_REG(SYS_MPIDR_EL1), &mpidr);
	target_mpidr = mpidr & MPIDR_HWID_BITMASK;
	w1.stub_mmio = vm->ucall_mmio_addr + 0x100;
	target_entry = write_stub(vm, w1.stub_mmio);
	sync_global_to_guest(vm, target_mpidr);
	sync_global_to_guest(vm, target_entry);
	round_of[1] = 0;
	cpu_off_at_end[1] = true;
	sync_global_to_guest(vm, round_of);
	sync_global_to_guest(vm, cpu_off_at_end);

	ksft_print_msg("%s\n", name);

	/* vCPU 2 runs throughout. */
	w2.vcpu = vcpus[2];
	w2.g = g[2];
	other_stop = false;
	ret = pthread_create(&w2.thread, NULL, other_main, &w2);
	TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);

	/* 1. vCPU 1 works, then CPU_OFF; vCPU 0 powers it on again. */
	w1.vcpu = vcpus[1];
	w1.g = g[1];
	ret = pthread_create(&w1.thread, NULL, worker_main, &w1);
	TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
	TEST_ASSERT(fp_vcpu_run(vcpus[0], &uc) == UCALL_DONE,
		    "vCPU 0: expected UCALL_DONE after CPU_ON");
	pthread_join(w1.thread, NULL);
	syncs += w1.syncs;
	sync_global_from_guest(vm, cpu_on_tries);
	TEST_ASSERT(w1.result == CONTEXT_ID,
		    "vCPU 1 after CPU_ON: expected x0 = the context ID %#llx at the entry point, got %#lx",
		    CONTEXT_ID, w1.result);
	complete_exit(vcpus[1]);
	ksft_print_msg("  vCPU 1: %lu UCALL_SYNCs checked, CPU_OFF; CPU_ON from vCPU 0 after %lu tries; entered the stub with the context ID\n",
		       w1.syncs, cpu_on_tries);
	check_reset_state(vcpus[1], vl, vqs, "PSCI CPU_ON");

	round_of[1] = 1;
	cpu_off_at_end[1] = false;
	sync_global_to_guest(vm, round_of);
	sync_global_to_guest(vm, cpu_off_at_end);
	boot_restore(vcpus[1], &boot, guest_worker, &guest[1]);
	TEST_ASSERT(!run_worker(vcpus[1], g[1], 0, &syncs),
		    "vCPU 1: expected UCALL_DONE");

	/* 2. KVM_ARM_VCPU_INIT again, with the features of the first. */
	complete_exit(vcpus[1]);
	vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1 << KVM_ARM_VCPU_PSCI_0_2;
	if (vq)
		init.features[0] |= 1 << KVM_ARM_VCPU_SVE;
	vcpu_ioctl(vcpus[1], KVM_ARM_VCPU_INIT, &init);
	check_reset_state(vcpus[1], vl, vqs, "KVM_ARM_VCPU_INIT again");
	round_of[1] = 2;
	sync_global_to_guest(vm, round_of);
	boot_restore(vcpus[1], &boot, guest_worker, &guest[1]);
	TEST_ASSERT(!run_worker(vcpus[1], g[1], 0, &syncs),
		    "vCPU 1: expected UCALL_DONE");

	WRITE_ONCE(other_stop, true);
	pthread_join(w2.thread, NULL);

	ksft_print_msg("  vCPU 1: %lu UCALL_SYNCs checked in all, registers zero at entry after CPU_ON and after KVM_ARM_VCPU_INIT; %lu exits checked by the guest\n",
		       syncs, g[1]->hvc_exits + g[1]->sync_exits);
	ksft_print_msg("  vCPU 2, running meanwhile: %lu exits checked by the guest (%lu UCALL_SYNC)\n",
		       g[2]->hvc_exits + g[2]->sync_exits, w2.syncs);
	TEST_ASSERT(g[1]->sync_exits == 3ULL * iterations && syncs == g[1]->sync_exits,
		    "vCPU 1: expected %u UCALL_SYNCs, got %lu (host saw %lu)",
		    3 * iterations, g[1]->sync_exits, syncs);

	kvm_vm_free(vm);
	ksft_test_result_pass("%s\n", name);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i iterations]\n", name);
	printf(" -i: iterations of vCPU 1 between resets, each with %d exits (default %d)\n",
	       FP_NR_EXITS, DEFAULT_ITERS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq, vq;
	char name[80];

	iterations = fp_parse_count(argc, argv, "Iterations", iterations, help);

	ksft_print_header();
	max_vq = fp_kvm_sve_vqs(vqs);
	ksft_set_plan(2);
	ksft_print_msg("KVM SVE: %s, max VQ %u\n", max_vq ? "yes" : "no",
		       max_vq);

	run_test("fpsimd: V0-V31/FPSR/FPCR zero after CPU_ON and INIT", 0,
		 FP_TAG_GUEST(0x60));

	if (!max_vq) {
		ksft_test_result_skip("sve: no KVM_CAP_ARM_SVE\n");
		ksft_finished();
	}
	vq = fp_mid_vq(vqs, max_vq);
	if (!vq)
		vq = max_vq;
	snprintf(name, sizeof(name),
		 "sve: VQ %u Z/P/FFR/ZCR_EL1 zero after CPU_ON and INIT, VLs kept",
		 vq);
	run_test(name, vq, FP_TAG_GUEST(0x61));

	ksft_finished();
}
