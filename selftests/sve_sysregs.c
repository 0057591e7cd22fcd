// SPDX-License-Identifier: GPL-2.0-only
/*
 * sve_sysregs - the FP/SVE system registers look to userspace and to the
 * guest exactly as the vCPU's configuration says: ZCR_EL1 exists only on
 * SVE vCPUs, ID_AA64PFR0_EL1.SVE and ID_AA64ZFR0_EL1 describe SVE only to
 * VMs whose vCPUs have it, and the ID registers are per VM and frozen once
 * the VM has run.
 *
 * These registers are where the FP/SVE code meets sys_regs.c: whether a
 * vCPU has SVE (the GUEST_HAS_SVE flag set when KVM_ARM_VCPU_INIT resets it
 * with KVM_ARM_VCPU_SVE) decides ZCR_EL1's visibility (sve_visibility():
 * hidden without SVE), ID_AA64ZFR0_EL1's (id_visibility(): RAZ without SVE)
 * and the SVE field of the VM's ID_AA64PFR0_EL1, which the first vCPU reset
 * stores for the whole VM (reset_vm_ftr_id_reg(),
 * read_sanitised_id_aa64pfr0_el1()). ZCR_EL1 itself is part of the guest's
 * SVE context: the guest reads with MRS the value KVM loads with its SVE
 * registers, and it must select the vector length RDVL reports.
 *
 * One TAP result each:
 *
 *  1. FP/SIMD-only VM: ZCR_EL1 is not in KVM_GET_REG_LIST, GET and SET of
 *     it give ENOENT; ID_AA64PFR0_EL1.SVE and ID_AA64ZFR0_EL1 read 0 from
 *     userspace and from the guest; ID_AA64ZFR0_EL1 (RAZ) accepts only 0.
 *  2. SVE VM: ZCR_EL1 is listed, reads 0 after reset, and a LEN written by
 *     userspace reads back, is what the guest reads with MRS and sets the
 *     guest's vector length, and is still there after the run;
 *     ID_AA64PFR0_EL1.SVE reads IMP and ID_AA64ZFR0_EL1 the same from
 *     userspace and the guest.
 *  3. ID_AA64PFR0_EL1.SVE is not writable: a write that only changes it
 *     (to IMP without SVE, to NI with SVE) fails with EINVAL and changes
 *     nothing; writing the value back succeeds.
 *  4. ID_AA64ZFR0_EL1 is stored per VM: lowered through vCPU 0 of an SVE
 *     VM, it reads lowered through vCPU 1 and in vCPU 1's guest, and not in
 *     another SVE VM.
 *  5. Once a vCPU of the VM has run, any change of ID_AA64PFR0_EL1 or
 *     ID_AA64ZFR0_EL1 fails with EBUSY (before any other check), through
 *     any vCPU, and writing the current value succeeds; ZCR_EL1, a vCPU
 *     register, stays writable.
 *
 * The expectations are those of the C kernel (arch/arm64/kvm/sys_regs.c of
 * 6.12), cited at each assertion. The SVE parts skip without
 * KVM_CAP_ARM_SVE; the FP/SIMD-only parts run everywhere.
 */

#include "fp_regs.h"

#define NR_TESTS	5

#define ZCR_ID		KVM_ARM64_SYS_REG(SYS_ZCR_EL1)
#define PFR0_ID		KVM_ARM64_SYS_REG(SYS_ID_AA64PFR0_EL1)
#define ZFR0_ID		KVM_ARM64_SYS_REG(SYS_ID_AA64ZFR0_EL1)

#define PFR0_SVE(val)	SYS_FIELD_GET(ID_AA64PFR0_EL1, SVE, val)

static uint64_t host_vqs[KVM_ARM64_SVE_VLS_WORDS];
static unsigned int max_vq;	/* 0: no KVM_CAP_ARM_SVE */

/* What the guest read, passed back with GUEST_SYNC_ARGS(). */
struct guest_view {
	uint64_t pfr0;
	uint64_t zfr0;
	uint64_t zcr;	/* SVE vCPUs only */
	uint64_t vl;	/* RDVL, SVE vCPUs only */
};

/*
 * Read the ID registers (HCR_EL2.TID3 traps them to KVM, which answers from
 * the VM's copy: access_id_reg(), read_id_reg()); with @sve, enable SVE at
 * EL1 and read ZCR_EL1 (the first access traps to KVM, which loads the
 * vCPU's SVE context, ZCR_EL1 included) and the vector length.
 */
static void guest_code(uint64_t sve)
{
	uint64_t pfr0, zfr0, zcr = 0, vl = 0;

	pfr0 = read_sysreg_s(SYS_ID_AA64PFR0_EL1);
	zfr0 = read_sysreg_s(SYS_ID_AA64ZFR0_EL1);
	if (sve) {
		write_sysreg(read_sysreg(cpacr_el1) | CPACR_ELx_ZEN, cpacr_el1);
		isb();
		zcr = read_sysreg_s(SYS_ZCR_EL1);
		asm volatile(".arch_extension sve\n\trdvl	%0, #1" : "=r" (vl));
	}
	GUEST_SYNC_ARGS(0, pfr0, zfr0, zcr, vl);
	GUEST_DONE();
}

static const char *reg_name(uint64_t id)
{
	switch (id) {
	case ZCR_ID:
		return "ZCR_EL1";
	case PFR0_ID:
		return "ID_AA64PFR0_EL1";
	case ZFR0_ID:
		return "ID_AA64ZFR0_EL1";
	default:
		return "register?";
	}
}

static const char *errno_name(int err)
{
	switch (err) {
	case 0:
		return "0";
	case ENOENT:
		return "ENOENT";
	case EINVAL:
		return "EINVAL";
	case EBUSY:
		return "EBUSY";
	default:
		return "errno?";
	}
}

/*
 * A VM with @nr vCPUs, FP/SIMD only or SVE (all the host's vector lengths,
 * finalized), running guest_code(@sve), with exception vectors so that an
 * unexpected guest exception fails the test with its syndrome.
 */
static struct kvm_vm *vm_with_vcpus(struct kvm_vcpu **vcpus, int nr, bool sve)
{
	struct kvm_vm *vm = vm_create(nr);
	int i;

	for (i = 0; i < nr; i++) {
		vcpus[i] = fp_vcpu_add(vm, i, guest_code, sve ? max_vq : 0);
		vcpu_args_set(vcpus[i], 1, (uint64_t)sve);
	}
	vm_init_descriptor_tables(vm);
	for (i = 0; i < nr; i++)
		vcpu_init_descriptor_tables(vcpus[i]);
	return vm;
}

/* Run @vcpu up to the guest's GUEST_SYNC_ARGS() and return what it read. */
static void guest_read(struct kvm_vcpu *vcpu, struct guest_view *g)
{
	struct ucall uc;

	TEST_ASSERT(fp_vcpu_run(vcpu, &uc) == UCALL_SYNC,
		    "vCPU %u: expected the guest's UCALL_SYNC, got UCALL_DONE",
		    vcpu->id);
	g->pfr0 = uc.args[2];
	g->zfr0 = uc.args[3];
	g->zcr = uc.args[4];
	g->vl = uc.args[5];
}

static uint64_t get_reg(struct kvm_vcpu *vcpu, uint64_t id)
{
	uint64_t val;

	vcpu_get_reg(vcpu, id, &val);
	return val;
}

static bool reg_listed(struct kvm_vcpu *vcpu, uint64_t id)
{
	struct kvm_reg_list *list = vcpu_get_reg_list(vcpu);
	bool found = false;
	uint64_t i;

	for (i = 0; i < list->n; i++)
		found |= list->reg[i] == id;
	free(list);
	return found;
}

/* KVM_SET_ONE_REG of @val must fail with @err. */
static void set_fails(struct kvm_vcpu *vcpu, uint64_t id, uint64_t val, int err)
{
	int ret = __vcpu_set_reg(vcpu, id, val);

	TEST_ASSERT(ret == -1 && errno == err,
		    "vCPU %u: KVM_SET_ONE_REG %s = %#lx: expected %s, got %d errno %d (%s)",
		    vcpu->id, reg_name(id), val, errno_name(err), ret,
		    ret ? errno : 0, errno_name(ret ? errno : 0));
}

/* KVM_SET_ONE_REG of @val must succeed and read back. */
static void set_ok(struct kvm_vcpu *vcpu, uint64_t id, uint64_t val)
{
	int ret = __vcpu_set_reg(vcpu, id, val);
	uint64_t got;

	TEST_ASSERT(!ret, "vCPU %u: KVM_SET_ONE_REG %s = %#lx: expected 0, got errno %d (%s)",
		    vcpu->id, reg_name(id), val, errno, errno_name(errno));
	got = get_reg(vcpu, id);
	TEST_ASSERT(got == val, "vCPU %u: %s: wrote %#lx, read back %#lx",
		    vcpu->id, reg_name(id), val, got);
}

/* An ID register write of @val must fail with @err and change nothing. */
static void id_set_refused(struct kvm_vcpu *vcpu, uint64_t id, uint64_t val,
			   int err)
{
	uint64_t before = get_reg(vcpu, id), after;

	set_fails(vcpu, id, val, err);
	after = get_reg(vcpu, id);
	TEST_ASSERT(after == before,
		    "vCPU %u: %s: a write of %#lx failed, yet the register went from %#lx to %#lx",
		    vcpu->id, reg_name(id), val, before, after);
}

/* Writing an ID register's current value back must succeed. */
static void id_set_same(struct kvm_vcpu *vcpu, uint64_t id)
{
	set_ok(vcpu, id, get_reg(vcpu, id));
}

/* @pfr0 with its SVE field set to @sve. */
static uint64_t pfr0_with_sve(uint64_t pfr0, uint64_t sve)
{
	return (pfr0 & ~ID_AA64PFR0_EL1_SVE_MASK) |
	       SYS_FIELD_PREP(ID_AA64PFR0_EL1, SVE, sve);
}

/*
 * A value of ID_AA64ZFR0_EL1 below @orig that the C kernel accepts before
 * the VM runs: every ID_AA64ZFR0_EL1 field is FTR_LOWER_SAFE
 * (cpufeature.c ftr_id_aa64zfr0[]) and writable (sys_reg_descs[]:
 * ID_WRITABLE(ID_AA64ZFR0_EL1, ~ID_AA64ZFR0_EL1_RES0)), so
 * arm64_check_features() takes any field at or below the limit. SVEver
 * cleared if it is set, else 0; @orig itself if it is 0.
 */
static uint64_t zfr0_lowered(uint64_t orig)
{
	if (orig & ID_AA64ZFR0_EL1_SVEver_MASK)
		return orig & ~ID_AA64ZFR0_EL1_SVEver_MASK;
	return 0;
}

/* The vector length userspace selects through ZCR_EL1 in test 2. */
static unsigned int zcr_vq(void)
{
	unsigned int vq = fp_mid_vq(host_vqs, max_vq);

	return vq ? vq : max_vq;
}

/* ---------------------------------------------------------------- 1 */

static void test_no_sve(void)
{
	struct kvm_vcpu *vcpu;
	struct guest_view g;
	struct kvm_vm *vm;
	uint64_t val;
	int ret;

	vm = vm_with_vcpus(&vcpu, 1, false);

	/*
	 * sve_visibility(): REG_HIDDEN without SVE. walk_one_sys_reg() leaves
	 * hidden registers out of KVM_GET_REG_LIST; kvm_sys_reg_get_user()
	 * and kvm_sys_reg_set_user(): "if (!r || sysreg_hidden(vcpu, r))
	 * return -ENOENT".
	 */
	TEST_ASSERT(!reg_listed(vcpu, ZCR_ID),
		    "FP/SIMD vCPU: ZCR_EL1 in KVM_GET_REG_LIST, expected hidden");
	ret = __vcpu_get_reg(vcpu, ZCR_ID, &val);
	TEST_ASSERT(ret == -1 && errno == ENOENT,
		    "FP/SIMD vCPU: KVM_GET_ONE_REG ZCR_EL1: expected ENOENT, got %d errno %d",
		    ret, ret ? errno : 0);
	set_fails(vcpu, ZCR_ID, SYS_FIELD_PREP(ZCR_ELx, LEN, 1), ENOENT);

	/*
	 * id_visibility(): ID_AA64ZFR0_EL1 is REG_RAZ without SVE, not
	 * REG_HIDDEN: listed (walk_one_sys_reg(): get_user is set), and the
	 * VM's copy is 0 (__kvm_read_sanitised_id_reg(): "if
	 * (sysreg_visible_as_raz(vcpu, r)) return 0", stored for the VM by
	 * reset_vm_ftr_id_reg() at the first KVM_ARM_VCPU_INIT).
	 */
	TEST_ASSERT(reg_listed(vcpu, ZFR0_ID),
		    "FP/SIMD vCPU: ID_AA64ZFR0_EL1 missing from KVM_GET_REG_LIST (RAZ, not hidden)");
	val = get_reg(vcpu, ZFR0_ID);
	TEST_ASSERT(!val, "FP/SIMD vCPU: ID_AA64ZFR0_EL1 reads %#lx, expected 0 (RAZ)", val);

	/* read_sanitised_id_aa64pfr0_el1(): SVE cleared if !vcpu_has_sve(). */
	val = get_reg(vcpu, PFR0_ID);
	TEST_ASSERT(!PFR0_SVE(val),
		    "FP/SIMD vCPU: ID_AA64PFR0_EL1 %#lx: SVE reads %lu, expected 0 (NI)",
		    val, PFR0_SVE(val));

	/*
	 * arm64_check_features(): "if (sysreg_visible_as_raz(vcpu, rd))
	 * return val ? -E2BIG : 0", and set_id_reg() turns -E2BIG into
	 * -EINVAL.
	 */
	id_set_refused(vcpu, ZFR0_ID,
		       SYS_FIELD_PREP_ENUM(ID_AA64ZFR0_EL1, SVEver, SVE2), EINVAL);
	set_ok(vcpu, ZFR0_ID, 0);

	/*
	 * The guest reads the VM's copy (access_id_reg(), read_id_reg()).
	 * The first run may still clear ID_AA64PFR0_EL1.GIC
	 * (kvm_finalize_sys_regs()), so the guest's value is compared with
	 * userspace's after the run, when both are final.
	 */
	guest_read(vcpu, &g);
	TEST_ASSERT(!PFR0_SVE(g.pfr0),
		    "FP/SIMD guest: ID_AA64PFR0_EL1 %#lx: SVE reads %lu, expected 0 (NI)",
		    g.pfr0, PFR0_SVE(g.pfr0));
	val = get_reg(vcpu, PFR0_ID);
	TEST_ASSERT(g.pfr0 == val,
		    "FP/SIMD VM: ID_AA64PFR0_EL1 reads %#lx in the guest, %#lx from userspace",
		    g.pfr0, val);
	TEST_ASSERT(!g.zfr0, "FP/SIMD guest: ID_AA64ZFR0_EL1 reads %#lx, expected 0 (RAZ)",
		    g.zfr0);
	kvm_vm_free(vm);

	ksft_print_msg("FP/SIMD vCPU: ZCR_EL1 not listed, GET/SET ENOENT; ID_AA64PFR0_EL1 %#lx (SVE 0), ID_AA64ZFR0_EL1 0, the same in the guest\n",
		       g.pfr0);
	ksft_test_result_pass("FP/SIMD VM: ZCR_EL1 hidden, ID_AA64PFR0_EL1.SVE and ID_AA64ZFR0_EL1 zero\n");
}

/* ---------------------------------------------------------------- 2 */

static void test_sve(void)
{
	unsigned int vq = zcr_vq();
	uint64_t zcr = SYS_FIELD_PREP(ZCR_ELx, LEN, vq - 1), pfr0, zfr0, val;
	struct kvm_vcpu *vcpu;
	struct guest_view g;
	struct kvm_vm *vm;

	if (!max_vq) {
		ksft_test_result_skip("SVE VM: ZCR_EL1, ID_AA64PFR0_EL1.SVE, ID_AA64ZFR0_EL1: no KVM_CAP_ARM_SVE\n");
		return;
	}
	vm = vm_with_vcpus(&vcpu, 1, true);

	/*
	 * sve_visibility() is 0 with SVE: listed (walk_one_sys_reg(): the
	 * descriptor has a .reg, ZCR_EL1). sys_reg_descs[]: "{
	 * SYS_DESC(SYS_ZCR_EL1), NULL, reset_val, ZCR_EL1, 0, ... }": reset
	 * to 0 by KVM_ARM_VCPU_INIT (kvm_reset_sys_regs()), and with no
	 * set_user, kvm_sys_reg_set_user() stores any value as it is.
	 */
	TEST_ASSERT(reg_listed(vcpu, ZCR_ID),
		    "SVE vCPU: ZCR_EL1 missing from KVM_GET_REG_LIST");
	TEST_ASSERT(reg_listed(vcpu, ZFR0_ID),
		    "SVE vCPU: ID_AA64ZFR0_EL1 missing from KVM_GET_REG_LIST");
	val = get_reg(vcpu, ZCR_ID);
	TEST_ASSERT(!val, "SVE vCPU: ZCR_EL1 reads %#lx after reset, expected 0", val);
	set_ok(vcpu, ZCR_ID, zcr);

	/*
	 * read_sanitised_id_aa64pfr0_el1() keeps the host's sanitised SVE
	 * field with SVE; KVM_CAP_ARM_SVE is system_supports_sve(), whose
	 * capability needs ID_AA64PFR0_EL1.SVE >= IMP, the only value the
	 * architecture defines above NI.
	 */
	pfr0 = get_reg(vcpu, PFR0_ID);
	TEST_ASSERT(PFR0_SVE(pfr0) == ID_AA64PFR0_EL1_SVE_IMP,
		    "SVE vCPU: ID_AA64PFR0_EL1 %#lx: SVE reads %lu, expected %lu (IMP)",
		    pfr0, PFR0_SVE(pfr0), ID_AA64PFR0_EL1_SVE_IMP);
	zfr0 = get_reg(vcpu, ZFR0_ID);

	guest_read(vcpu, &g);

	/* The guest reads the VM's copy: access_id_reg(), read_id_reg(). */
	TEST_ASSERT(PFR0_SVE(g.pfr0) == ID_AA64PFR0_EL1_SVE_IMP,
		    "SVE guest: ID_AA64PFR0_EL1 %#lx: SVE reads %lu, expected %lu (IMP)",
		    g.pfr0, PFR0_SVE(g.pfr0), ID_AA64PFR0_EL1_SVE_IMP);
	val = get_reg(vcpu, PFR0_ID);
	TEST_ASSERT(g.pfr0 == val,
		    "SVE VM: ID_AA64PFR0_EL1 reads %#lx in the guest, %#lx from userspace",
		    g.pfr0, val);
	/* kvm_finalize_sys_regs() leaves ID_AA64ZFR0_EL1 alone. */
	TEST_ASSERT(g.zfr0 == zfr0,
		    "SVE VM: ID_AA64ZFR0_EL1 reads %#lx in the guest, %#lx from userspace",
		    g.zfr0, zfr0);
	val = get_reg(vcpu, ZFR0_ID);
	TEST_ASSERT(val == zfr0, "SVE VM: ID_AA64ZFR0_EL1 read %#lx before the run, %#lx after",
		    zfr0, val);

	/*
	 * ZCR_EL1 is loaded with the guest's SVE context
	 * (__hyp_sve_restore_guest(), fpsimd_lazy_switch_to_guest():
	 * write_sysreg_el1(__vcpu_sys_reg(vcpu, ZCR_EL1), SYS_ZCR)), with
	 * ZCR_EL2.LEN at the vCPU's maximum VQ - 1: the guest's vector
	 * length is then the VQ userspace asked for, one the vCPU has.
	 * fpsimd_lazy_switch_to_host() saves it back at every exit.
	 */
	TEST_ASSERT(g.zcr == zcr, "SVE guest: ZCR_EL1 reads %#lx, userspace wrote %#lx",
		    g.zcr, zcr);
	TEST_ASSERT(g.vl == fp_vl(vq),
		    "SVE guest: RDVL %lu bytes with ZCR_EL1.LEN %u, expected %u (vCPU max VQ %u)",
		    g.vl, vq - 1, fp_vl(vq), max_vq);
	val = get_reg(vcpu, ZCR_ID);
	TEST_ASSERT(val == zcr, "SVE vCPU: ZCR_EL1 reads %#lx after the run, expected %#lx",
		    val, zcr);
	kvm_vm_free(vm);

	ksft_print_msg("SVE vCPU (max VQ %u): ZCR_EL1 listed, 0 after reset; %#lx written, read by the guest, guest VL %lu bytes\n",
		       max_vq, zcr, g.vl);
	ksft_print_msg("SVE vCPU: ID_AA64PFR0_EL1 %#lx (SVE IMP), ID_AA64ZFR0_EL1 %#lx, the same in the guest\n",
		       g.pfr0, g.zfr0);
	ksft_test_result_pass("SVE VM: ZCR_EL1 written by userspace read by the guest, ID_AA64PFR0_EL1.SVE IMP, ID_AA64ZFR0_EL1 as userspace reads it\n");
}

/* ---------------------------------------------------------------- 3 */

/*
 * Change only ID_AA64PFR0_EL1.SVE, to @sve: sys_reg_descs[] leaves
 * ID_AA64PFR0_EL1_SVE out of the register's writable mask (.val), so
 * arm64_check_features() requires it to equal the limit
 * (read_sanitised_id_aa64pfr0_el1(), SVE as the vCPU has it): -E2BIG,
 * which set_id_reg() returns as -EINVAL, without storing anything. The
 * current value passes arm64_check_features(): it is the limit the first
 * reset stored.
 */
static void pfr0_sve_refused(struct kvm_vcpu *vcpu, uint64_t sve)
{
	uint64_t pfr0 = get_reg(vcpu, PFR0_ID);

	id_set_refused(vcpu, PFR0_ID, pfr0_with_sve(pfr0, sve), EINVAL);
	id_set_same(vcpu, PFR0_ID);
}

static void test_pfr0_sve_fixed(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = vm_with_vcpus(&vcpu, 1, false);
	pfr0_sve_refused(vcpu, ID_AA64PFR0_EL1_SVE_IMP);
	kvm_vm_free(vm);
	ksft_print_msg("FP/SIMD vCPU: ID_AA64PFR0_EL1.SVE 0 -> IMP: EINVAL, unchanged; same value: 0\n");

	if (max_vq) {
		vm = vm_with_vcpus(&vcpu, 1, true);
		pfr0_sve_refused(vcpu, ID_AA64PFR0_EL1_SVE_NI);
		kvm_vm_free(vm);
		ksft_print_msg("SVE vCPU: ID_AA64PFR0_EL1.SVE IMP -> NI: EINVAL, unchanged; same value: 0\n");
	}
	ksft_test_result_pass("ID_AA64PFR0_EL1.SVE not writable (EINVAL)%s\n",
			      max_vq ? "" : " (FP/SIMD VM only: no KVM_CAP_ARM_SVE)");
}

/* ---------------------------------------------------------------- 4 */

static void test_zfr0_per_vm(void)
{
	struct kvm_vcpu *a[2], *b;
	uint64_t orig, low, val;
	struct kvm_vm *vma, *vmb;
	struct guest_view g;

	if (!max_vq) {
		ksft_test_result_skip("ID_AA64ZFR0_EL1 per VM: no KVM_CAP_ARM_SVE\n");
		return;
	}

	/*
	 * is_vm_ftr_id_reg(): ID_AA64ZFR0_EL1 (CRm 4) lives in
	 * kvm->arch.id_regs[]: set_id_reg() stores it with
	 * kvm_set_vm_id_reg(), and get_id_reg() and the guest's trap
	 * (access_id_reg()) read it with read_id_reg(), whichever vCPU
	 * asks. Each VM starts from its own reset (reset_vm_ftr_id_reg()).
	 */
	vma = vm_with_vcpus(a, 2, true);
	orig = get_reg(a[0], ZFR0_ID);
	val = get_reg(a[1], ZFR0_ID);
	TEST_ASSERT(val == orig, "SVE VM: ID_AA64ZFR0_EL1 reads %#lx on vCPU 0, %#lx on vCPU 1",
		    orig, val);
	low = zfr0_lowered(orig);
	set_ok(a[0], ZFR0_ID, low);
	val = get_reg(a[1], ZFR0_ID);
	TEST_ASSERT(val == low,
		    "SVE VM: ID_AA64ZFR0_EL1 %#lx written through vCPU 0, vCPU 1 reads %#lx",
		    low, val);

	vmb = vm_with_vcpus(&b, 1, true);
	val = get_reg(b, ZFR0_ID);
	TEST_ASSERT(val == orig,
		    "second SVE VM: ID_AA64ZFR0_EL1 reads %#lx, expected %#lx (the first VM's was lowered to %#lx)",
		    val, orig, low);

	guest_read(a[1], &g);
	TEST_ASSERT(g.zfr0 == low,
		    "SVE VM: ID_AA64ZFR0_EL1 %#lx written through vCPU 0, vCPU 1's guest reads %#lx",
		    low, g.zfr0);
	TEST_ASSERT(PFR0_SVE(g.pfr0) == ID_AA64PFR0_EL1_SVE_IMP,
		    "SVE guest: ID_AA64PFR0_EL1 %#lx: SVE reads %lu, expected %lu (IMP)",
		    g.pfr0, PFR0_SVE(g.pfr0), ID_AA64PFR0_EL1_SVE_IMP);
	guest_read(b, &g);
	TEST_ASSERT(g.zfr0 == orig,
		    "second SVE VM: the guest reads ID_AA64ZFR0_EL1 %#lx, expected %#lx",
		    g.zfr0, orig);
	kvm_vm_free(vmb);
	kvm_vm_free(vma);

	if (low == orig)
		ksft_print_msg("host ID_AA64ZFR0_EL1 is 0: nothing lower to write, only 0 written back\n");
	ksft_print_msg("ID_AA64ZFR0_EL1 %#lx lowered to %#lx through vCPU 0: read so through vCPU 1 and its guest; another VM kept %#lx\n",
		       orig, low, orig);
	ksft_test_result_pass("ID_AA64ZFR0_EL1 stored per VM\n");
}

/* ---------------------------------------------------------------- 5 */

/*
 * set_id_reg(), first check: "if (kvm_vm_has_ran_once(vcpu->kvm)) { if
 * (val != read_id_reg(vcpu, rd)) ret = -EBUSY; else ret = 0; }", before
 * arm64_check_features(), so even a change that is invalid anyway gives
 * EBUSY. KVM_ARCH_FLAG_HAS_RAN_ONCE is the VM's, set by the first
 * KVM_RUN of any of its vCPUs (kvm_arch_vcpu_run_pid_change()).
 * set_id_aa64pfr0_el1() only drops MPAM from a value whose MPAM equals the
 * host's, and the VM's copy has MPAM 0 (read_sanitised_id_aa64pfr0_el1()),
 * so the current value goes through unchanged.
 */
static void ran_id_regs(struct kvm_vcpu *vcpu, uint64_t zfr0_other, uint64_t pfr0_sve)
{
	uint64_t pfr0 = get_reg(vcpu, PFR0_ID);

	id_set_refused(vcpu, ZFR0_ID, zfr0_other, EBUSY);
	id_set_same(vcpu, ZFR0_ID);
	id_set_refused(vcpu, PFR0_ID, pfr0_with_sve(pfr0, pfr0_sve), EBUSY);
	id_set_same(vcpu, PFR0_ID);
}

static void test_ran(void)
{
	uint64_t zcr, zfr0, other;
	struct kvm_vcpu *v[2];
	struct guest_view g;
	struct kvm_vm *vm;

	/* FP/SIMD only: values that are EINVAL before the run (tests 1, 3). */
	vm = vm_with_vcpus(v, 1, false);
	guest_read(v[0], &g);
	ran_id_regs(v[0], SYS_FIELD_PREP_ENUM(ID_AA64ZFR0_EL1, SVEver, SVE2),
		    ID_AA64PFR0_EL1_SVE_IMP);
	kvm_vm_free(vm);
	ksft_print_msg("FP/SIMD VM after KVM_RUN: ID_AA64ZFR0_EL1 0 -> SVE2, ID_AA64PFR0_EL1.SVE -> IMP: EBUSY; same values: 0\n");

	if (!max_vq) {
		ksft_test_result_pass("ID registers immutable after the VM ran (EBUSY) (FP/SIMD VM only: no KVM_CAP_ARM_SVE)\n");
		return;
	}

	/*
	 * SVE, two vCPUs: vCPU 0 runs, the writes go through vCPU 1, which
	 * never ran. The ID_AA64ZFR0_EL1 change is one test 4 shows accepted
	 * before the run (or, if there is nothing lower, a raise).
	 */
	vm = vm_with_vcpus(v, 2, true);
	guest_read(v[0], &g);
	zfr0 = get_reg(v[1], ZFR0_ID);
	other = zfr0 ? zfr0_lowered(zfr0) :
		SYS_FIELD_PREP_ENUM(ID_AA64ZFR0_EL1, SVEver, SVE2);
	ran_id_regs(v[1], other, ID_AA64PFR0_EL1_SVE_NI);

	/* ZCR_EL1 is the vCPU's (no set_user): kvm_sys_reg_set_user() stores it. */
	zcr = SYS_FIELD_PREP(ZCR_ELx, LEN, zcr_vq() - 1);
	set_ok(v[0], ZCR_ID, zcr);
	set_ok(v[1], ZCR_ID, zcr);
	kvm_vm_free(vm);

	ksft_print_msg("SVE VM after vCPU 0 ran, through vCPU 1: ID_AA64ZFR0_EL1 %#lx -> %#lx, ID_AA64PFR0_EL1.SVE -> NI: EBUSY; same values: 0; ZCR_EL1 still writable\n",
		       zfr0, other);
	ksft_test_result_pass("ID registers immutable after the VM ran (EBUSY)\n");
}

int main(void)
{
	ksft_print_header();
	ksft_set_plan(NR_TESTS);

	max_vq = fp_kvm_sve_vqs(host_vqs);
	if (max_vq)
		ksft_print_msg("KVM_CAP_ARM_SVE: vCPUs with every host VQ up to %u; ZCR_EL1.LEN %u written in test 2\n",
			       max_vq, zcr_vq() - 1);
	else
		ksft_print_msg("no KVM_CAP_ARM_SVE: FP/SIMD-only parts only\n");

	test_no_sve();
	test_sve();
	test_pfr0_sve_fixed();
	test_zfr0_per_vm();
	test_ran();

	ksft_finished();
}
