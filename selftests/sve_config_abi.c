// SPDX-License-Identifier: GPL-2.0-only
/*
 * sve_config_abi - the SVE vCPU configuration sequence and the FP/SVE
 * register ABI give exactly the errors api.rst promises, and a call that
 * fails changes nothing.
 *
 * The configuration sequence (KVM_ARM_VCPU_INIT with KVM_ARM_VCPU_SVE,
 * optionally KVM_REG_ARM64_SVE_VLS, KVM_ARM_VCPU_FINALIZE, then registers
 * and KVM_RUN) is walked exhaustively: every operation of fp_abi.h's table
 * in every state of the table, on SVE and FP/SIMD-only vCPUs, each checked
 * for its exact errno, and followed by a read-back of every register,
 * KVM_REG_ARM64_SVE_VLS and KVM_GET_REG_LIST against the model (so a failed
 * call must have changed nothing, and a successful one exactly its target).
 * Registers hold non-zero values throughout, written at every step.
 *
 * Then bad values: vector length sets the host cannot have, every
 * malformed register ID of fp_abi.h, bad and partly mapped user pointers,
 * KVM_GET_REG_LIST with too small an n, and vCPUs of one VM with different
 * features. Last, the kernel log of the run must hold no warning.
 *
 * The SVE parts skip without KVM_CAP_ARM_SVE; everything else runs.
 */
#include "fp_abi.h"

#define NR_TESTS	19

static uint64_t seed = 0x5356455f414249ULL;	/* "SVE_ABI" */

/* Calls made and their results, per test. */
static const int tally_errnos[] = { 0, ENOEXEC, EPERM, ENOENT, EINVAL, EFAULT, E2BIG };

static struct {
	unsigned int calls;
	unsigned int nr[ARRAY_SIZE(tally_errnos)];
} tally;

static int counted(struct abi_vcpu *v, struct abi_call *c)
{
	int err = abi_do(v, c);
	unsigned int i;

	tally.calls++;
	for (i = 0; i < ARRAY_SIZE(tally_errnos); i++)
		tally.nr[i] += err == tally_errnos[i];
	return err;
}

static void tally_print(const char *what)
{
	char line[160];
	unsigned int i;
	int len;

	len = snprintf(line, sizeof(line), "%u calls:", tally.calls);
	for (i = 0; i < ARRAY_SIZE(tally_errnos); i++)
		if (tally.nr[i])
			len += snprintf(line + len, sizeof(line) - len, " %u %s%s",
					tally.nr[i], i ? "" : "succeeded",
					i ? abi_errno_name(tally_errnos[i]) : "");
	ksft_print_msg("  %s: %s; each followed by a read-back of every register\n",
		       what, line);
	memset(&tally, 0, sizeof(tally));
}

/* One call of @op with valid arguments. */
static int do_op(struct abi_vcpu *v, enum abi_op op)
{
	struct abi_call c;

	abi_call_init(&c, op);
	return counted(v, &c);
}

/* A valid vector length set other than @v's current one, if there is one. */
static void other_vls(struct abi_vcpu *v, uint64_t *vqs)
{
	unsigned int vq, lo = 0;

	for (vq = 1; vq < abi_host.max_vq; vq++)
		if (abi_vq_present(abi_host.vqs, vq))
			lo = vq;
	if (lo && !memcmp(v->vls, abi_host.vqs, ABI_VLS_BYTES))
		abi_vls_prefix(vqs, lo);
	else
		memcpy(vqs, abi_host.vqs, ABI_VLS_BYTES);
}

static int set_reg(struct abi_vcpu *v, uint64_t id)
{
	struct abi_call c;

	abi_call_reg(&c, id, true);
	abi_fill_value(v, &c, seed++);
	if (id == KVM_REG_ARM64_SVE_VLS) {
		memset(c.val, 0, sizeof(c.val));
		other_vls(v, (uint64_t *)c.val);
	}
	return counted(v, &c);
}

/* Write every register that @v's state lets be written, with new values. */
static void fill_regs(struct abi_vcpu *v)
{
	int n;

	if (!abi_table_errno(ABI_SET_ZPF, v->col)) {
		for (n = 0; n < FP_NR_ZREGS; n++)
			set_reg(v, KVM_REG_ARM64_SVE_ZREG(n, 0));
		for (n = 0; n < FP_NR_PREGS; n++)
			set_reg(v, KVM_REG_ARM64_SVE_PREG(n, 0));
		set_reg(v, KVM_REG_ARM64_SVE_FFR(0));
	}
	if (!abi_table_errno(ABI_SET_V, v->col))
		for (n = 0; n < FP_NR_ZREGS; n++)
			set_reg(v, FP_VREG_ID(n));
	if (!abi_table_errno(ABI_SET_FPSR, v->col)) {
		set_reg(v, FP_FPSR_ID);
		set_reg(v, FP_FPCR_ID);
	}
}

/* Bring @v to a state by @steps, writing its registers after each. */
static void do_steps(struct abi_vcpu *v, const enum abi_op *steps, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (steps[i] == ABI_SET_VLS)
			set_reg(v, KVM_REG_ARM64_SVE_VLS);
		else
			do_op(v, steps[i]);
		fill_regs(v);
	}
}

/* Every call of row @op with valid arguments, each followed by a read-back. */
static void do_row(struct abi_vcpu *v, enum abi_op op)
{
	static const uint64_t zpf[] = {
		KVM_REG_ARM64_SVE_ZREG(0, 0), KVM_REG_ARM64_SVE_ZREG(31, 0),
		KVM_REG_ARM64_SVE_PREG(0, 0), KVM_REG_ARM64_SVE_PREG(15, 0),
		KVM_REG_ARM64_SVE_FFR(0),
	};
	static const uint64_t vregs[] = { FP_VREG_ID(0), FP_VREG_ID(31) };
	static const uint64_t fpsr[] = { FP_FPSR_ID, FP_FPCR_ID };
	static const int others[] = {
		0, 1, 2, 3, 5, 6, 7, 8, -1, INT_MAX, KVM_ARM_VCPU_SVE | 0x100,
	};
	static const uint64_t vls[] = { KVM_REG_ARM64_SVE_VLS };
	const uint64_t *ids = NULL;
	struct abi_call c;
	unsigned int i, nr = 0;

	switch (op) {
	case ABI_GET_VLS:
	case ABI_SET_VLS:
		ids = vls;
		nr = ARRAY_SIZE(vls);
		break;
	case ABI_GET_ZPF:
	case ABI_SET_ZPF:
		ids = zpf;
		nr = ARRAY_SIZE(zpf);
		break;
	case ABI_GET_V:
	case ABI_SET_V:
		ids = vregs;
		nr = ARRAY_SIZE(vregs);
		break;
	case ABI_GET_FPSR:
	case ABI_SET_FPSR:
		ids = fpsr;
		nr = ARRAY_SIZE(fpsr);
		break;
	case ABI_FINALIZE_OTHER:
		for (i = 0; i < ARRAY_SIZE(others); i++) {
			abi_call_init(&c, op);
			c.feature = others[i];
			counted(v, &c);
			abi_check(v);
		}
		return;
	default:
		do_op(v, op);
		abi_check(v);
		return;
	}

	for (i = 0; i < nr; i++) {
		if (abi_op_is_set(op)) {
			set_reg(v, ids[i]);
		} else {
			abi_call_reg(&c, ids[i], false);
			counted(v, &c);
		}
		abi_check(v);
	}
}

struct walk {
	const char *name;
	bool sve;
	int nr_steps;
	enum abi_op steps[4];
};

static const struct walk walks[] = {
	{ "before KVM_ARM_VCPU_INIT", false, 0, {} },
	{ "SVE vCPU: initialised", true, 1, { ABI_INIT_SVE } },
	{ "SVE vCPU: SVE_VLS written", true, 2, { ABI_INIT_SVE, ABI_SET_VLS } },
	{ "SVE vCPU: finalized", true, 3,
	  { ABI_INIT_SVE, ABI_SET_VLS, ABI_FINALIZE_SVE } },
	{ "SVE vCPU: ran", true, 4,
	  { ABI_INIT_SVE, ABI_SET_VLS, ABI_FINALIZE_SVE, ABI_RUN } },
	{ "SVE vCPU: ran at the host's full VLS", true, 3,
	  { ABI_INIT_SVE, ABI_FINALIZE_SVE, ABI_RUN } },
	{ "FP/SIMD vCPU: initialised", false, 1, { ABI_INIT_FP } },
	{ "FP/SIMD vCPU: SVE_VLS write refused", false, 2,
	  { ABI_INIT_FP, ABI_SET_VLS } },
	{ "FP/SIMD vCPU: FINALIZE(SVE) refused", false, 2,
	  { ABI_INIT_FP, ABI_FINALIZE_SVE } },
	{ "FP/SIMD vCPU: ran", false, 2, { ABI_INIT_FP, ABI_RUN } },
};

/*
 * Every operation in the state @w reaches, each on a vCPU of its own: one
 * VM for all of them but the KVM_ARM_VCPU_INITs, which get a VM each (the
 * first KVM_ARM_VCPU_INIT of a VM fixes its vCPUs' features). All vCPUs
 * of a VM take each step before any takes the next, so that none is
 * initialised or finalized after another of its VM has run (which protected
 * KVM gets wrong: see test_late_vcpu()).
 */
static void test_walk(const struct walk *w)
{
	struct abi_vcpu vcpus[ABI_NR_OPS];
	struct abi_vm vms[3], *m = NULL;
	int op, step, nr_vms = 0;

	if (w->sve && !abi_host.max_vq) {
		ksft_test_result_skip("walk: %s: no KVM_CAP_ARM_SVE\n", w->name);
		return;
	}

	for (op = 0; op < ABI_NR_OPS; op++) {
		if (!nr_vms || op == ABI_INIT_SVE || op == ABI_INIT_FP ||
		    op == ABI_GET_VLS) {
			m = &vms[nr_vms++];
			abi_vm_create(m, NULL, 0);
		}
		abi_vcpu_add(m, &vcpus[op], op);
	}
	for (step = 0; step < w->nr_steps; step++)
		for (op = 0; op < ABI_NR_OPS; op++)
			do_steps(&vcpus[op], &w->steps[step], 1);
	for (op = 0; op < ABI_NR_OPS; op++) {
		abi_check(&vcpus[op]);
		do_row(&vcpus[op], op);
	}
	while (nr_vms)
		kvm_vm_free(vms[--nr_vms].vm);

	tally_print(w->name);
	ksft_test_result_pass("walk: %s\n", w->name);
}

/* One VM with one vCPU, brought to a state by @steps (registers written). */
static void vcpu_create(struct abi_vm *m, struct abi_vcpu *v,
			const enum abi_op *steps, int nr)
{
	abi_vm_create(m, v, 1);
	do_steps(v, steps, nr);
	abi_check(v);
}

/* ----------------------------------------------------- vector lengths */

enum vls_kind {
	VLS_EMPTY,
	VLS_SINGLE,
	VLS_PREFIX,
	VLS_LACKS,
	VLS_BEYOND_MAX,
	VLS_ABOVE_16,
	VLS_GAP,
	VLS_ALL,
	NR_VLS_KINDS,
};

static const char * const vls_kinds[NR_VLS_KINDS] = {
	[VLS_EMPTY]		= "empty set",
	[VLS_SINGLE]		= "single VQ (1-512)",
	[VLS_PREFIX]		= "host set up to one of its VQs",
	[VLS_LACKS]		= "host set + a VQ below its max it lacks",
	[VLS_BEYOND_MAX]	= "host set + a VQ beyond its max (up to 16)",
	[VLS_ABOVE_16]		= "host set + a VQ above 16 (17-512)",
	[VLS_GAP]		= "host set up to a VQ with a gap",
	[VLS_ALL]		= "all 512 VQs",
};

struct vls_value {
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	enum vls_kind kind;
};

#define MAX_VLS_VALUES	2048

static struct vls_value vls_values[MAX_VLS_VALUES];

static int vls_add(int nr, const uint64_t *vqs, enum vls_kind kind)
{
	TEST_ASSERT(nr < MAX_VLS_VALUES, "too many VLS values");
	memcpy(vls_values[nr].vqs, vqs, ABI_VLS_BYTES);
	vls_values[nr].kind = kind;
	return nr + 1;
}

/*
 * Sets of vector lengths: the empty set; every single VQ from 1 to 512;
 * for every VQ up to 16, the host's VQs below it and it (valid exactly for
 * the host's VQs: others are VQs the host lacks); the host's full set plus
 * a VQ beyond its maximum, beyond 16 (2048 bits) and at 512; the host's set
 * up to one of its VQs with another missing (a gap); all 512 bits set.
 */
static int vls_values_init(void)
{
	static const unsigned int beyond[] = { 17, 32, 64, 65, 128, 256, 511, 512 };
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int vq, gap, i;
	int nr = 0;

	memset(vqs, 0, sizeof(vqs));
	nr = vls_add(nr, vqs, VLS_EMPTY);
	for (vq = 1; vq <= ABI_VQ_LIMIT; vq++) {
		memset(vqs, 0, sizeof(vqs));
		abi_vq_set(vqs, vq, true);
		nr = vls_add(nr, vqs, VLS_SINGLE);
	}
	for (vq = 1; vq <= FP_VQ_MAX; vq++) {
		abi_vls_prefix(vqs, vq);
		nr = vls_add(nr, vqs, vq > abi_host.max_vq ? VLS_BEYOND_MAX :
			     abi_vq_present(abi_host.vqs, vq) ? VLS_PREFIX : VLS_LACKS);
	}
	for (i = 0; i < ARRAY_SIZE(beyond); i++) {
		memcpy(vqs, abi_host.vqs, sizeof(vqs));
		abi_vq_set(vqs, beyond[i], true);
		nr = vls_add(nr, vqs, VLS_ABOVE_16);
	}
	for (vq = 2; vq <= abi_host.max_vq; vq++) {
		if (!abi_vq_present(abi_host.vqs, vq))
			continue;
		for (gap = 1; gap < vq; gap++) {
			if (!abi_vq_present(abi_host.vqs, gap))
				continue;
			abi_vls_prefix(vqs, vq);
			abi_vq_set(vqs, gap, false);
			nr = vls_add(nr, vqs, VLS_GAP);
		}
	}
	memset(vqs, 0xff, sizeof(vqs));
	nr = vls_add(nr, vqs, VLS_ALL);
	return nr;
}

static void set_vls_values(struct abi_vcpu *v, int nr, const char *state)
{
	unsigned int accepted = 0, refused = 0;
	struct abi_call c;
	int i, err;

	for (i = 0; i < nr; i++) {
		abi_call_reg(&c, KVM_REG_ARM64_SVE_VLS, true);
		memcpy(c.val, vls_values[i].vqs, ABI_VLS_BYTES);
		err = counted(v, &c);
		if (err)
			refused++;
		else
			accepted++;
		abi_check(v);
	}
	/* Only 64 bytes are read: what follows them in memory is ignored. */
	abi_call_reg(&c, KVM_REG_ARM64_SVE_VLS, true);
	memcpy(c.val, abi_host.vqs, ABI_VLS_BYTES);
	memset(c.val + ABI_VLS_BYTES, 0xff, sizeof(c.val) - ABI_VLS_BYTES);
	if (counted(v, &c))
		refused++;
	else
		accepted++;
	abi_check(v);
	ksft_print_msg("  %s: %d sets: %u accepted, %u refused\n", state, nr + 1,
		       accepted, refused);
}

static void test_vls_values(void)
{
	static const enum abi_op init[] = { ABI_INIT_SVE };
	static const enum abi_op final[] = { ABI_FINALIZE_SVE, ABI_RUN };
	struct abi_vcpu v;
	struct abi_vm m;
	int nr, i, k, n;

	if (!abi_host.max_vq) {
		ksft_test_result_skip("KVM_REG_ARM64_SVE_VLS values: no KVM_CAP_ARM_SVE\n");
		return;
	}
	nr = vls_values_init();
	for (k = 0; k < NR_VLS_KINDS; k++) {
		for (i = 0, n = 0; i < nr; i++)
			n += vls_values[i].kind == k;
		ksft_print_msg("  %d x %s\n", n, vls_kinds[k]);
	}
	vcpu_create(&m, &v, init, ARRAY_SIZE(init));
	set_vls_values(&v, nr, "before KVM_ARM_VCPU_FINALIZE");
	do_steps(&v, final, ARRAY_SIZE(final));
	set_vls_values(&v, nr, "after KVM_ARM_VCPU_FINALIZE and KVM_RUN");
	kvm_vm_free(m.vm);
	tally_print("SVE_VLS values");
	ksft_test_result_pass("KVM_REG_ARM64_SVE_VLS values\n");
}

/* --------------------------------------------------------- register IDs */

static void bad_ids(struct abi_vcpu *v)
{
	struct abi_call c;
	int i, set;

	for (i = 0; i < abi_nr_bad_ids; i++) {
		for (set = 0; set < 2; set++) {
			abi_call_reg(&c, abi_bad_ids[i].id, set);
			abi_fill_value(v, &c, seed++);
			counted(v, &c);
			abi_check(v);
		}
	}
}

static void test_bad_ids(bool sve)
{
	static const enum abi_op sve_steps[] = { ABI_INIT_SVE, ABI_FINALIZE_SVE, ABI_RUN };
	static const enum abi_op fp_steps[] = { ABI_INIT_FP, ABI_RUN };
	const enum abi_op *steps = sve ? sve_steps : fp_steps;
	int nr = sve ? ARRAY_SIZE(sve_steps) : ARRAY_SIZE(fp_steps), i, e[3] = {};
	const char *kind = sve ? "SVE vCPU" : "FP/SIMD vCPU";
	struct abi_vcpu v;
	struct abi_vm m;

	if (sve && !abi_host.max_vq) {
		ksft_test_result_skip("malformed register IDs, SVE vCPU: no KVM_CAP_ARM_SVE\n");
		return;
	}
	for (i = 0; i < abi_nr_bad_ids; i++)
		e[abi_bad_ids[i].err == ENOENT ? 0 : abi_bad_ids[i].err == EINVAL ? 1 : 2]++;
	ksft_print_msg("  %d malformed IDs (%d ENOENT, %d EINVAL), GET and SET of each in every state:\n",
		       abi_nr_bad_ids, e[0], e[1]);

	/* Before KVM_ARM_VCPU_INIT, then after each step. */
	vcpu_create(&m, &v, NULL, 0);
	bad_ids(&v);
	for (i = 0; i < nr; i++) {
		do_steps(&v, &steps[i], 1);
		bad_ids(&v);
	}
	kvm_vm_free(m.vm);
	tally_print(kind);
	ksft_test_result_pass("malformed register IDs, %s\n", kind);
}

/* ---------------------------------------------------------- user pointers */

/* Every pointer kind for the data and for the argument of @id, GET and SET. */
static void bad_ptrs_reg(struct abi_vcpu *v, uint64_t id)
{
	struct abi_call c;
	int p, set, where;

	for (p = ABI_PTR_NULL; p < ABI_NR_PTRS; p++) {
		for (set = 0; set < 2; set++) {
			for (where = 0; where < 2; where++) {
				abi_call_reg(&c, id, set);
				abi_fill_value(v, &c, seed++);
				if (where)
					c.arg = p;
				else
					c.data = p;
				counted(v, &c);
				abi_check(v);
			}
		}
	}
}

static void bad_ptrs(struct abi_vcpu *v)
{
	static const uint64_t ids[] = {
		KVM_REG_ARM64_SVE_VLS, KVM_REG_ARM64_SVE_ZREG(0, 0),
		KVM_REG_ARM64_SVE_PREG(1, 0), KVM_REG_ARM64_SVE_FFR(0),
		FP_VREG_ID(0), FP_VREG_ID(31), FP_FPSR_ID, FP_FPCR_ID,
	};
	struct abi_call c;
	unsigned int i;
	int p;

	fill_regs(v);
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		bad_ptrs_reg(v, ids[i]);
	for (p = ABI_PTR_NULL; p < ABI_NR_PTRS; p++) {
		abi_call_init(&c, ABI_FINALIZE_SVE);
		c.arg = p;
		if (p != ABI_PTR_RDONLY) {
			counted(v, &c);
			abi_check(v);
		}
		abi_call_init(&c, ABI_REG_LIST);
		c.arg = p;
		counted(v, &c);
		abi_check(v);
		abi_call_init(&c, ABI_RUN);
		c.arg = p;
		counted(v, &c);
		abi_check(v);
	}
	abi_call_init(&c, ABI_REG_LIST);
	c.data = ABI_PTR_UNMAPPED;
	counted(v, &c);
	abi_check(v);
}

/* KVM_ARM_VCPU_INIT with each bad pointer, then with a read-only one. */
static void bad_ptrs_init(struct abi_vcpu *v, bool sve)
{
	struct abi_call c;
	int p;

	for (p = ABI_PTR_NULL; p < ABI_PTR_RDONLY; p++) {
		abi_call_init(&c, sve ? ABI_INIT_SVE : ABI_INIT_FP);
		c.arg = p;
		counted(v, &c);
		abi_check(v);
	}
	abi_call_init(&c, sve ? ABI_INIT_SVE : ABI_INIT_FP);
	c.arg = ABI_PTR_RDONLY;
	counted(v, &c);
	fill_regs(v);
	abi_check(v);
}

static void test_bad_ptrs(bool sve)
{
	static const enum abi_op sve_steps[] = { ABI_FINALIZE_SVE, ABI_RUN };
	static const enum abi_op fp_steps[] = { ABI_RUN };
	const enum abi_op *steps = sve ? sve_steps : fp_steps;
	int nr = sve ? ARRAY_SIZE(sve_steps) : ARRAY_SIZE(fp_steps), i;
	const char *kind = sve ? "SVE vCPU" : "FP/SIMD vCPU";
	struct abi_vcpu v;
	struct abi_vm m;

	if (sve && !abi_host.max_vq) {
		ksft_test_result_skip("bad user pointers, SVE vCPU: no KVM_CAP_ARM_SVE\n");
		return;
	}
	vcpu_create(&m, &v, NULL, 0);
	bad_ptrs(&v);
	bad_ptrs_init(&v, sve);
	bad_ptrs(&v);
	for (i = 0; i < nr; i++) {
		do_steps(&v, &steps[i], 1);
		bad_ptrs(&v);
	}
	bad_ptrs_init(&v, sve);
	bad_ptrs(&v);
	kvm_vm_free(m.vm);
	tally_print(kind);
	ksft_test_result_pass("bad user pointers (NULL, unmapped, kernel, read-only), %s\n",
			      kind);
}

/* How many bytes KVM reads for a SET of @id on @v. */
static unsigned int set_bytes(struct abi_vcpu *v, uint64_t id)
{
	unsigned int len;
	int n;

	switch (abi_reg_of(id, &n)) {
	case ABI_REG_VLS:
		return ABI_VLS_BYTES;
	case ABI_REG_FPSR:
	case ABI_REG_FPCR:
		return sizeof(uint32_t);
	default:
		abi_model_reg(v, id, &len);
		return len;
	}
}

/*
 * A buffer that runs from the read-write page into the PROT_NONE one, with
 * @mapped bytes mapped.
 *
 * GET: KVM writes KVM_REG_SIZE() bytes (for Z, P and FFR the vector length
 * and then zeros): EFAULT, with some prefix of the register in the mapped
 * bytes and the rest of them untouched.
 *
 * SET: EFAULT if KVM reads beyond the mapped bytes (it reads the vector
 * length of Z, P and FFR, 64 bytes of SVE_VLS, 16 of V, 4 of FPSR/FPCR).
 * The V registers, FPSR/FPCR and SVE_VLS go through a kernel buffer and
 * stay unchanged; Z, P and FFR are copied straight into the vCPU's state,
 * and the C kernel leaves in the register some prefix of the new value
 * (at most the mapped bytes) followed by zeros.
 */
static void straddle(struct abi_vcpu *v, uint64_t id, unsigned int mapped)
{
	uint8_t *p = abi_page(2) - mapped, exp[ABI_BUF], got[ABI_BUF];
	unsigned int size = KVM_REG_SIZE(id), len, k;
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)p };
	struct abi_call c;
	uint8_t *model;
	char name[48];
	int n, ret;

	abi_reg_name(id, name, sizeof(name));

	memset(p, ABI_CANARY, mapped);
	abi_expected(v, id, exp);
	ret = ioctl(v->vcpu->fd, KVM_GET_ONE_REG, &reg);
	TEST_ASSERT(ret == -1 && errno == EFAULT,
		    "GET %s into %u mapped bytes of %u: expected EFAULT, got %d errno %d",
		    name, mapped, size, ret, errno);
	k = 0;
	while (k < mapped && p[k] == exp[k])
		k++;
	TEST_ASSERT(abi_all(p + k, ABI_CANARY, mapped - k),
		    "GET %s into %u mapped bytes: byte %u is neither the register's nor untouched",
		    name, mapped, k);
	abi_check(v);

	abi_call_reg(&c, id, true);
	abi_fill_value(v, &c, seed++);
	memcpy(p, c.val, mapped);
	len = set_bytes(v, id);
	ret = ioctl(v->vcpu->fd, KVM_SET_ONE_REG, &reg);
	if (mapped >= len) {
		TEST_ASSERT(!ret, "SET %s from %u mapped bytes, %u read: expected 0, got errno %d",
			    name, mapped, len, errno);
		abi_apply(v, &c, 0);
		ksft_print_msg("    %s (%u bytes), %u bytes mapped: GET EFAULT (%u bytes written), SET read %u bytes: 0\n",
			       name, size, mapped, k, len);
	} else if (abi_reg_of(id, &n) <= ABI_REG_FFR) {
		TEST_ASSERT(ret == -1 && errno == EFAULT,
			    "SET %s from %u mapped bytes of %u: expected EFAULT, got %d errno %d",
			    name, mapped, len, ret, errno);
		model = abi_model_reg(v, id, &len);
		vcpu_get_reg(v->vcpu, id, got);
		k = 0;
		while (k < mapped && got[k] == c.val[k])
			k++;
		TEST_ASSERT(abi_all(got + k, 0, len - k),
			    "SET %s from %u mapped bytes: expected a prefix of the value, then zeros; byte %u is %#x",
			    name, mapped, k, got[k]);
		memcpy(model, got, len);
		ksft_print_msg("    %s (%u bytes), %u bytes mapped: GET EFAULT, SET EFAULT leaving %u bytes of the new value and %u zero bytes\n",
			       name, len, mapped, k, len - k);
	} else {
		TEST_ASSERT(ret == -1 && errno == EFAULT,
			    "SET %s from %u mapped bytes of %u: expected EFAULT, got %d errno %d",
			    name, mapped, len, ret, errno);
		ksft_print_msg("    %s (%u bytes), %u bytes mapped: GET EFAULT (%u bytes written), SET EFAULT, unchanged\n",
			       name, size, mapped, k);
	}
	abi_check(v);
}

static void test_straddle(void)
{
	static const enum abi_op sve_steps[] = { ABI_INIT_SVE, ABI_FINALIZE_SVE };
	static const enum abi_op fp_steps[] = { ABI_INIT_FP };
	struct abi_vcpu v;
	struct abi_vm m;
	unsigned int vl;

	vcpu_create(&m, &v, fp_steps, ARRAY_SIZE(fp_steps));
	straddle(&v, FP_VREG_ID(3), 8);
	straddle(&v, FP_FPSR_ID, 2);
	kvm_vm_free(m.vm);

	if (abi_host.max_vq) {
		vcpu_create(&m, &v, sve_steps, 1);
		straddle(&v, KVM_REG_ARM64_SVE_VLS, 32);
		do_steps(&v, sve_steps + 1, 1);
		vl = abi_vl(&v);
		straddle(&v, KVM_REG_ARM64_SVE_ZREG(5, 0), vl / 2);
		straddle(&v, KVM_REG_ARM64_SVE_ZREG(6, 0), 200);
		straddle(&v, KVM_REG_ARM64_SVE_PREG(7, 0), vl / 16);
		straddle(&v, KVM_REG_ARM64_SVE_FFR(0), vl / 16);
		kvm_vm_free(m.vm);
	}
	ksft_test_result_pass("partly mapped user pointers%s\n",
			      abi_host.max_vq ? "" : " (FP/SIMD only: no KVM_CAP_ARM_SVE)");
}

/* ---------------------------------------------------- KVM_GET_REG_LIST n */

static void reg_list_n(struct abi_vcpu *v)
{
	uint64_t nregs = abi_host.nregs[abi_col_sve(v->col)];
	uint64_t ns[] = { 0, 1, nregs - 1, nregs, nregs + 1, ABI_LIST_MAX };
	struct abi_call c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		abi_call_init(&c, ABI_REG_LIST);
		c.n = ns[i];
		counted(v, &c);
		abi_check(v);
	}
}

static void test_reg_list_n(void)
{
	static const enum abi_op sve_steps[] = { ABI_INIT_SVE, ABI_FINALIZE_SVE };
	static const enum abi_op fp_steps[] = { ABI_INIT_FP };
	struct abi_vcpu v;
	struct abi_vm m;

	vcpu_create(&m, &v, NULL, 0);
	reg_list_n(&v);
	do_steps(&v, fp_steps, ARRAY_SIZE(fp_steps));
	reg_list_n(&v);
	kvm_vm_free(m.vm);
	if (abi_host.max_vq) {
		vcpu_create(&m, &v, sve_steps, 1);
		reg_list_n(&v);
		do_steps(&v, sve_steps + 1, 1);
		reg_list_n(&v);
		kvm_vm_free(m.vm);
	}
	tally_print("n = 0, 1, count - 1 (E2BIG, n = count), count, count + 1, 1024");
	ksft_test_result_pass("KVM_GET_REG_LIST with too small an n\n");
}

/* ---------------------------------------------------- one VM, two vCPUs */

static int init_vcpu_with(struct abi_vcpu *v, bool sve, uint32_t features,
			  uint32_t features1, uint32_t target)
{
	struct abi_call c;
	int err;

	abi_call_init(&c, sve ? ABI_INIT_SVE : ABI_INIT_FP);
	c.features = features;
	c.features1 = features1;
	c.target = target;
	err = counted(v, &c);
	abi_check(v);
	return err;
}

static int init_vcpu(struct abi_vcpu *v, bool sve)
{
	return init_vcpu_with(v, sve, ABI_FEATURES(sve), 0, abi_host.target);
}

/*
 * api.rst: "All calls to this function after the initial call must use the
 * same target and same set of feature flags, otherwise EINVAL". The C
 * kernel (arm.c __kvm_vcpu_set_target()) holds every vCPU of a VM to the
 * features of the first one initialised, and a failed KVM_ARM_VCPU_INIT
 * leaves the VM unconfigured.
 */
static void test_homogeneity(void)
{
	static const enum abi_op run[] = { ABI_FINALIZE_SVE, ABI_RUN };
	uint32_t psci = ABI_FEATURES(false);
	struct abi_vcpu v[2];
	struct abi_vm m;
	int sve;

	/* Failed KVM_ARM_VCPU_INITs configure nothing. */
	abi_vm_create(&m, v, 2);
	init_vcpu_with(&v[0], false, psci | 1U << 31, 0, abi_host.target);
	init_vcpu_with(&v[0], false, psci, 1, abi_host.target);
	init_vcpu_with(&v[0], false, psci, 0, 0xdead);
	init_vcpu(&v[0], true);
	init_vcpu(&v[1], false);
	init_vcpu(&v[0], false);
	init_vcpu(&v[0], true);
	abi_check(&v[1]);
	kvm_vm_free(m.vm);

	for (sve = 0; sve < 1 + !!abi_host.max_vq; sve++) {
		abi_vm_create(&m, v, 2);
		init_vcpu(&v[0], sve);
		init_vcpu(&v[1], !sve);
		init_vcpu_with(&v[1], sve, ABI_FEATURES(sve) & ~psci, 0, abi_host.target);
		init_vcpu(&v[1], sve);
		init_vcpu_with(&v[0], sve, ABI_FEATURES(sve) & ~psci, 0, abi_host.target);
		init_vcpu(&v[0], !sve);
		if (sve) {
			/* Vector lengths are per vCPU. */
			set_reg(&v[0], KVM_REG_ARM64_SVE_VLS);
			abi_check(&v[1]);
			do_steps(&v[0], run, 1);
			do_steps(&v[1], run, 1);
		}
		do_steps(&v[0], run + 1, 1);
		do_steps(&v[1], run + 1, 1);
		if (sve)
			ksft_print_msg("  SVE vCPUs of one VM ran at VL %u and %u bytes\n",
				       abi_vl(&v[0]), abi_vl(&v[1]));
		init_vcpu(&v[1], !sve);
		abi_check(&v[0]);
		abi_check(&v[1]);
		kvm_vm_free(m.vm);
	}
	tally_print("second vCPU with other features");
	ksft_test_result_pass("vCPUs of one VM with different features\n");
}

/*
 * -l: a vCPU initialised and finalized after another vCPU of its VM has
 * run. api.rst asks only that all vCPUs be created before the first
 * KVM_ARM_VCPU_INIT, which they are; the vCPU must then run like any other.
 * With protected KVM (kvm-arm.mode=protected), the C kernel of 6.12 creates
 * the hypervisor's copy of every vCPU of a VM when the first one runs
 * (pkvm.c __pkvm_create_hyp_vm()) and copies the vCPU's configuration
 * flags only then (hyp/nvhe/pkvm.c init_pkvm_hyp_vcpu(): cflags): the late
 * vCPU runs without SVE enabled (its guest's RDVL is UNDEFINED), and with
 * registers written the host takes a fatal SError. Not run by default: it
 * panics protected-mode hosts.
 */
static void test_late_vcpu(void)
{
	static const enum abi_op steps[] = { ABI_INIT_SVE, ABI_FINALIZE_SVE, ABI_RUN };
	struct abi_vcpu v[2];
	struct abi_vm m;

	if (!abi_host.max_vq) {
		ksft_test_result_skip("vCPU configured after another ran: no KVM_CAP_ARM_SVE\n");
		return;
	}
	abi_vm_create(&m, v, 2);
	do_steps(&v[0], steps, ARRAY_SIZE(steps));
	do_steps(&v[1], steps, ARRAY_SIZE(steps));
	do_steps(&v[1], steps + 2, 1);
	abi_check(&v[0]);
	abi_check(&v[1]);
	kvm_vm_free(m.vm);
	tally_print("vCPU configured after another ran");
	ksft_test_result_pass("vCPU configured after another of its VM ran\n");
}

static void help(const char *name, int status)
{
	printf("usage: %s [-l]\n", name);
	printf(" -l: also initialise a vCPU after another of its VM ran (panics protected KVM hosts of 6.12)\n");
	exit(status);
}

int main(int argc, char *argv[])
{
	int kmsg = abi_kmsg_open(), i, opt;
	bool late = false;

	while ((opt = getopt(argc, argv, "hl")) != -1) {
		if (opt == 'l')
			late = true;
		else	/* -h asks for help; anything else is an error. */
			help(argv[0], opt == 'h' ? KSFT_SKIP : KSFT_FAIL);
	}

	ksft_print_header();
	ksft_set_plan(NR_TESTS + late);
	abi_host_init();
	abi_print_host();
	ksft_print_msg("The table: errno of each operation with valid arguments (rows) in each state (columns):\n");
	abi_print_table();

	for (i = 0; i < ARRAY_SIZE(walks); i++)
		test_walk(&walks[i]);
	test_vls_values();
	test_bad_ids(false);
	test_bad_ids(true);
	test_bad_ptrs(false);
	test_bad_ptrs(true);
	test_straddle();
	test_reg_list_n();
	test_homogeneity();
	if (late)
		test_late_vcpu();

	if (kmsg < 0) {
		ksft_test_result_skip("kernel log: no /dev/kmsg\n");
	} else {
		ksft_print_msg("kernel log: %u records since the start, no WARNING, BUG, Oops or Call trace\n",
			       abi_kmsg_check(kmsg));
		ksft_test_result_pass("kernel log clean\n");
	}
	ksft_finished();
}
