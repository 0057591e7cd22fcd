// SPDX-License-Identifier: GPL-2.0-only
/*
 * sve_state_roundtrip - FP/SIMD and SVE registers go through
 * KVM_SET_ONE_REG, the guest, KVM_GET_ONE_REG and a migration to a new VM
 * unchanged, as a VMM saving and restoring a vCPU needs them to.
 *
 * Each round:
 *
 *  1. The guest stops (UCALL_SYNC) without touching its registers; the host
 *     writes every FP/SVE register with KVM_SET_ONE_REG (Z0-Z31, P0-P15,
 *     FFR, FPSR, FPCR on an SVE vCPU; V0-V31, FPSR, FPCR otherwise), and the
 *     guest, resumed, checks that it sees exactly those values.
 *
 *  2. The guest loads new values and stops again; the host reads them back
 *     with KVM_GET_ONE_REG (2048-bit buffers prefilled with 0xa5: bytes
 *     beyond the vector length must read as zero) and compares them with
 *     what the guest wrote.
 *
 *  3. The host migrates the vCPU as a VMM would: it enumerates the
 *     registers with KVM_GET_REG_LIST (checking that the FP/SVE ones are
 *     exactly those the vCPU's configuration has), saves them all, creates
 *     a new VM and vCPU, sets KVM_REG_ARM64_SVE_VLS from the saved value
 *     before KVM_ARM_VCPU_FINALIZE, then every other register, copies the
 *     guest memory the guest has written (its stack and its data), and
 *     frees the old VM. The guest continues in the new VM from where it
 *     stopped and checks that its registers still hold what it wrote.
 *
 * Runs on an FP/SIMD-only vCPU and on SVE vCPUs at the largest vector
 * length and at VQ 1; the SVE parts skip without KVM_CAP_ARM_SVE.
 *
 * Then the state's storage: VMs of finalized SVE vCPUs at the largest
 * vector length are created and freed, many times over, and the kernel's
 * free memory must not shrink by anything like the vCPUs' sve_state
 * (their sve_state_alloc_bytes statistic): destroying a vCPU frees it.
 */

#include "fp_regs.h"

#define DEFAULT_ROUNDS	16
#define STAGE_SET	0	/* guest stopped: host sets registers */
#define STAGE_WROTE	1	/* guest wrote registers: host reads, migrates */

static struct fp_guest guest;

static uint32_t rounds = DEFAULT_ROUNDS;

static void guest_code(struct fp_guest *g)
{
	uint32_t round;

	fp_guest_setup(g);
	for (round = 0; round < g->iterations; round++) {
		WRITE_ONCE(g->sync.args[0], g->vcpu_id);
		WRITE_ONCE(g->sync.args[1], round);
		WRITE_ONCE(g->sync.args[2], STAGE_SET);
		fp_guest_exit(g, false, FP_EXIT_SYNC);
		fp_fill(&g->in, fp_seed(g->tag, g->vcpu_id, round, STAGE_SET),
			g->vl);
		fp_guest_check(g, &g->in, round,
			       "registers written with KVM_SET_ONE_REG");

		fp_fill(&g->in, fp_seed(g->tag, g->vcpu_id, round, STAGE_WROTE),
			g->vl);
		WRITE_ONCE(g->sync.args[2], STAGE_WROTE);
		fp_guest_exit(g, true, FP_EXIT_SYNC);
		fp_guest_check(g, &g->in, round,
			       "registers restored into a new VM");
	}
	GUEST_DONE();
}

/* A running vCPU and what the host knows about its guest. */
struct vmm {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	struct fp_guest *g;	/* host view of the guest's data */
	unsigned int vq;
	uint64_t stack_top;	/* initial SP_EL1 */
};

struct vmm_stats {
	uint64_t migrations;
	uint64_t regs_saved;	/* per migration */
	uint64_t fp_regs_saved;	/* of those, FP/SVE registers */
	uint64_t state_sets;
	uint64_t state_gets;
};

static void vmm_create(struct vmm *v, unsigned int vq, bool finalize)
{
	v->vq = vq;
	v->vm = vm_create(1);
	v->vcpu = __fp_vcpu_add(v->vm, 0, guest_code, vq);
	if (vq && finalize) {
		fp_set_vls(v->vcpu, vq);
		fp_vcpu_finalize_sve(v->vcpu);
	}
	v->g = fp_guest_init(v->vcpu, &guest, FP_TAG_GUEST(0x20), fp_vl(vq),
			     rounds);
	vcpu_get_reg(v->vcpu, ARM64_CORE_REG(sp_el1), &v->stack_top);
}

static uint64_t reg_size(uint64_t id)
{
	return 1ULL << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

static bool is_core_fp_reg(uint64_t id)
{
	uint64_t off = id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
			      KVM_REG_ARM_COPROC_MASK);

	return (id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_CORE &&
	       off >= KVM_REG_ARM_CORE_REG(fp_regs.vregs[0]) &&
	       off <= KVM_REG_ARM_CORE_REG(fp_regs.fpcr);
}

/*
 * The FP/SVE registers in @list must be exactly those of the vCPU's
 * configuration: V0-V31 without SVE, Z0-Z31, P0-P15, FFR and the VLS
 * pseudo-register with it (single slice: VL <= 2048 bits), and FPSR/FPCR.
 */
static uint64_t check_reg_list(struct kvm_reg_list *list, unsigned int vq)
{
	uint64_t i, id, nr_v = 0, nr_z = 0, nr_p = 0, nr_ffr = 0, nr_vls = 0;
	uint64_t nr_fpsr_fpcr = 0;

	for (i = 0; i < list->n; i++) {
		id = list->reg[i];
		if (id == FP_FPSR_ID || id == FP_FPCR_ID)
			nr_fpsr_fpcr++;
		else if (is_core_fp_reg(id))
			nr_v++;
		else if (id == KVM_REG_ARM64_SVE_VLS)
			nr_vls++;
		else if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SVE &&
			 id == KVM_REG_ARM64_SVE_ZREG((id >> 5) & 31, 0))
			nr_z++;
		else if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SVE &&
			 id == KVM_REG_ARM64_SVE_PREG((id >> 5) & 15, 0))
			nr_p++;
		else if (id == KVM_REG_ARM64_SVE_FFR(0))
			nr_ffr++;
		else
			TEST_ASSERT((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM64_SVE,
				    "KVM_GET_REG_LIST: unexpected SVE register %#llx",
				    (unsigned long long)id);
	}

	TEST_ASSERT(nr_fpsr_fpcr == 2,
		    "KVM_GET_REG_LIST: expected FPSR and FPCR, got %lu of them",
		    nr_fpsr_fpcr);
	if (vq)
		TEST_ASSERT(!nr_v && nr_z == 32 && nr_p == 16 && nr_ffr == 1 &&
			    nr_vls == 1,
			    "KVM_GET_REG_LIST on an SVE vCPU: expected 0 V, 32 Z, 16 P, 1 FFR, 1 VLS, got %lu, %lu, %lu, %lu, %lu",
			    nr_v, nr_z, nr_p, nr_ffr, nr_vls);
	else
		TEST_ASSERT(nr_v == 32 && !nr_z && !nr_p && !nr_ffr && !nr_vls,
			    "KVM_GET_REG_LIST without SVE: expected 32 V, 0 Z, 0 P, 0 FFR, 0 VLS, got %lu, %lu, %lu, %lu, %lu",
			    nr_v, nr_z, nr_p, nr_ffr, nr_vls);
	return nr_v + nr_z + nr_p + nr_ffr + nr_vls + nr_fpsr_fpcr;
}

/* Copy @size bytes of guest memory at @gva from @src to @dst, by page. */
static void copy_guest_mem(struct kvm_vm *dst, struct kvm_vm *src,
			   vm_vaddr_t gva, uint64_t size)
{
	uint64_t len;

	while (size) {
		len = min_t(uint64_t, size, src->page_size - (gva % src->page_size));
		memcpy(addr_gva2hva(dst, gva), addr_gva2hva(src, gva), len);
		gva += len;
		size -= len;
	}
}

/*
 * Move the guest from @v's vCPU into a fresh VM, as a VMM migrating it
 * would, and free the old VM.
 */
static void migrate(struct vmm *v, struct vmm_stats *stats)
{
	struct kvm_reg_list *list = vcpu_get_reg_list(v->vcpu);
	uint64_t i, stack_size;
	struct kvm_one_reg reg;
	struct vmm dst;
	uint8_t *vals;
	int ret;

	stats->fp_regs_saved = check_reg_list(list, v->vq);
	stats->regs_saved = list->n;

	/* Save. */
	vals = calloc(list->n, FP_ZREG_BYTES);
	TEST_ASSERT(vals, "calloc: expected memory, got NULL");
	for (i = 0; i < list->n; i++) {
		TEST_ASSERT(reg_size(list->reg[i]) <= FP_ZREG_BYTES,
			    "register %#llx: expected at most %d bytes, got %lu",
			    list->reg[i], FP_ZREG_BYTES, reg_size(list->reg[i]));
		vcpu_get_reg(v->vcpu, list->reg[i], vals + i * FP_ZREG_BYTES);
	}

	/* Restore: VLS before finalising, then everything else. */
	vmm_create(&dst, v->vq, false);
	TEST_ASSERT(dst.stack_top == v->stack_top &&
		    dst.vm->ucall_mmio_addr == v->vm->ucall_mmio_addr,
		    "new VM's layout: expected stack top %#lx and ucall MMIO at %#lx like the old one, got %#lx and %#lx",
		    v->stack_top, v->vm->ucall_mmio_addr, dst.stack_top,
		    dst.vm->ucall_mmio_addr);
	for (i = 0; i < list->n && v->vq; i++) {
		if (list->reg[i] != KVM_REG_ARM64_SVE_VLS)
			continue;
		reg.id = list->reg[i];
		reg.addr = (uint64_t)(vals + i * FP_ZREG_BYTES);
		vcpu_ioctl(dst.vcpu, KVM_SET_ONE_REG, &reg);
		fp_vcpu_finalize_sve(dst.vcpu);
	}
	for (i = 0; i < list->n; i++) {
		if (list->reg[i] == KVM_REG_ARM64_SVE_VLS)
			continue;
		reg.id = list->reg[i];
		reg.addr = (uint64_t)(vals + i * FP_ZREG_BYTES);
		ret = __vcpu_ioctl(dst.vcpu, KVM_SET_ONE_REG, &reg);
		TEST_ASSERT(!ret,
			    "KVM_SET_ONE_REG %#llx of the saved value into the new vCPU: expected 0, got errno %d",
			    reg.id, errno);
	}

	/*
	 * Guest memory: kvm_util loaded the same program and laid out the new
	 * VM identically; what the guest has changed since is its stack and
	 * its data. (Copying all of RAM would also copy the old VM's ucall
	 * pool, whose entries hold the old VM's host addresses.)
	 */
	stack_size = v->vm->page_size == 4096 ?
		     DEFAULT_STACK_PGS * v->vm->page_size : v->vm->page_size;
	copy_guest_mem(dst.vm, v->vm, v->stack_top - stack_size, stack_size);
	copy_guest_mem(dst.vm, v->vm, (vm_vaddr_t)&guest, sizeof(guest));
	dst.g->sync.hva = &dst.g->sync;

	free(vals);
	free(list);
	kvm_vm_free(v->vm);
	*v = dst;
	stats->migrations++;
}

static void run_test(const char *name, unsigned int vq)
{
	struct vmm_stats stats = {};
	unsigned int vl = fp_vl(vq);
	struct fp_state exp, got;
	struct ucall uc;
	struct vmm v;
	char what[96];
	uint64_t round = 0;

	vmm_create(&v, vq, true);
	if (vq)
		ksft_print_msg("%s: Z0-Z31 (%u bytes), P0-P15 and FFR (%u bytes), FPSR, FPCR; %u rounds\n",
			       name, vl, vl / 8, rounds);
	else
		ksft_print_msg("%s: V0-V31, FPSR, FPCR; %u rounds\n", name,
			       rounds);

	while (fp_vcpu_run(v.vcpu, &uc) == UCALL_SYNC) {
		TEST_ASSERT(uc.args[1] == round &&
			    uc.args[2] == (stats.state_gets < stats.state_sets ?
					   STAGE_WROTE : STAGE_SET),
			    "expected UCALL_SYNC of round %lu stage %s, got round %lu stage %lu",
			    round, stats.state_gets < stats.state_sets ?
			    "WROTE" : "SET", uc.args[1], uc.args[2]);
		fp_fill(&exp, fp_seed(v.g->tag, 0, round, uc.args[2]), vl);
		if (uc.args[2] == STAGE_SET) {
			fp_vcpu_set_state(v.vcpu, &exp, vl);
			stats.state_sets++;
			continue;
		}

		fp_vcpu_get_state(v.vcpu, &got, vl);
		snprintf(what, sizeof(what),
			 "round %lu: KVM_GET_ONE_REG of what the guest wrote",
			 round);
		fp_assert_state(&exp, &got, vl, what);
		stats.state_gets++;
		migrate(&v, &stats);
		round++;
	}

	TEST_ASSERT(round == rounds && v.g->sync_exits == 2ULL * rounds,
		    "expected %u rounds and %u UCALL_SYNC exits, got %lu and %lu",
		    rounds, 2 * rounds, round, v.g->sync_exits);
	ksft_print_msg("  %lu full states set with KVM_SET_ONE_REG and checked by the guest, %lu written by the guest and read back\n",
		       stats.state_sets, stats.state_gets);
	ksft_print_msg("  %lu migrations to a new VM, each restoring %lu registers from KVM_GET_REG_LIST (%lu of them FP/SVE)\n",
		       stats.migrations, stats.regs_saved, stats.fp_regs_saved);

	kvm_vm_free(v.vm);
	ksft_test_result_pass("%s\n", name);
}

/*
 * vCPUs per VM, the sve_state the leak test creates and frees, and how
 * many times it measures before it fails.
 */
#define LEAK_VCPUS	64
#define LEAK_BYTES	(8ULL << 20)
#define LEAK_MAX_VMS	128
#define LEAK_ROUNDS	2

/* MemFree of /proc/meminfo, in bytes. */
static uint64_t mem_free(void)
{
	char line[128];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	TEST_ASSERT(f, "/proc/meminfo: expected to open it, got errno %d", errno);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %lu kB", &kb) == 1)
			break;
	fclose(f);
	TEST_ASSERT(kb, "/proc/meminfo: expected a MemFree line, found none");
	return kb << 10;
}

/*
 * Create a VM of LEAK_VCPUS vCPUs with SVE at @vq, finalized, and free it;
 * return one vCPU's sve_state_alloc_bytes.
 */
static uint64_t create_free_vm(unsigned int vq)
{
	struct kvm_vm *vm = vm_create_barebones();
	struct kvm_vcpu_init init;
	struct kvm_vcpu *vcpu;
	uint64_t bytes = 0;
	uint32_t id;

	vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1 << KVM_ARM_VCPU_SVE;
	for (id = 0; id < LEAK_VCPUS; id++) {
		vcpu = __vm_vcpu_add(vm, id);
		vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
		fp_set_vls(vcpu, vq);
		fp_vcpu_finalize_sve(vcpu);
		if (!id)
			bytes = fp_vcpu_stat(vcpu, "sve_state_alloc_bytes");
	}
	kvm_vm_free(vm);
	return bytes;
}

/*
 * Destroying a vCPU frees its sve_state: create and free enough VMs that
 * the vCPUs' sve_state adds up to LEAK_BYTES (at most LEAK_MAX_VMS VMs),
 * after one VM to warm the allocators up, and require the free memory to
 * have shrunk by less than half of that. Freed memory the kernel holds
 * for a while (per-CPU page lists, slab caches, on the debug kernels
 * KASAN's quarantine of freed objects) moves MemFree either way, by more
 * than that limit at times on the debug kernels, so a round over the
 * limit is measured again, up to LEAK_ROUNDS in all: a leak of sve_state
 * loses all of it in every round.
 */
static void test_leak(unsigned int vq)
{
	uint64_t bytes, before, after, total, lost;
	unsigned int vms, i, round;

	bytes = create_free_vm(vq);
	TEST_ASSERT(bytes, "sve_state_alloc_bytes: expected > 0 for a finalized SVE vCPU, got 0");
	vms = LEAK_BYTES / (bytes * LEAK_VCPUS);
	vms = vms < 1 ? 1 : vms > LEAK_MAX_VMS ? LEAK_MAX_VMS : vms;
	total = bytes * LEAK_VCPUS * vms;

	for (round = 1; round <= LEAK_ROUNDS; round++) {
		before = mem_free();
		for (i = 0; i < vms; i++)
			create_free_vm(vq);
		after = mem_free();
		lost = before > after ? before - after : 0;

		ksft_print_msg("sve: VQ %u: %u VMs of %u vCPUs created and freed, %lu KiB of sve_state (%lu bytes each); free memory %s by %lu KiB\n",
			       vq, vms, LEAK_VCPUS, total >> 10, bytes,
			       before > after ? "shrank" : "grew",
			       (before > after ? before - after : after - before) >> 10);
		if (lost < total / 2)
			break;
	}
	TEST_ASSERT(lost < total / 2,
		    "sve: VQ %u: free memory shrank by %lu KiB over vCPUs whose sve_state took %lu KiB: expected less than half, as destroying a vCPU frees it",
		    vq, lost >> 10, total >> 10);
	ksft_test_result_pass("sve: VQ %u: destroying vCPUs frees their sve_state\n", vq);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-i rounds]\n", name);
	printf(" -i: set/write/migrate rounds per test (default %d)\n",
	       DEFAULT_ROUNDS);
	exit(status);
}

int main(int argc, char *argv[])
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int max_vq;
	char name[64];

	rounds = fp_parse_count(argc, argv, "Rounds", rounds, help);

	max_vq = fp_kvm_sve_vqs(vqs);

	ksft_print_header();
	ksft_set_plan(4);
	ksft_print_msg("KVM SVE: %s, max VQ %u\n", max_vq ? "yes" : "no",
		       max_vq);

	run_test("fpsimd: V0-V31/FPSR/FPCR set, get, migrate", 0);

	if (!max_vq) {
		ksft_test_result_skip("sve: max VQ: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve: VQ 1: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve: sve_state freed: no KVM_CAP_ARM_SVE\n");
		ksft_finished();
	}

	snprintf(name, sizeof(name), "sve: VQ %u (max) Z/P/FFR set, get, migrate",
		 max_vq);
	run_test(name, max_vq);
	if (max_vq > 1)
		run_test("sve: VQ 1 Z/P/FFR set, get, migrate", 1);
	else
		ksft_test_result_skip("sve: VQ 1: the host's max VQ is 1, tested above\n");
	test_leak(max_vq);

	ksft_finished();
}
