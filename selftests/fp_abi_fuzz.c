// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_abi_fuzz - a seeded, bounded random sequence of the FP/SIMD/SVE vCPU
 * configuration and register ioctls, checked call by call against the
 * model of fp_abi.h.
 *
 * Two vCPUs in one VM, which is replaced now and then by a fresh one; each
 * call is one of the table's operations on one of them, with valid
 * arguments or, one time in five, a bad one: a malformed register ID, a
 * bad user pointer for the argument or the data, an invalid vector length
 * set, too small a KVM_GET_REG_LIST, unknown features, another target,
 * features other than the VM's first vCPU's, a non-zero KVM_RUN argument.
 * KVM_RUN is drawn rarely: it is the slow call under nested TCG.
 *
 * After every call: its errno is exactly the model's (which is within the
 * set allowed in that state), and every register, KVM_REG_ARM64_SVE_VLS and
 * KVM_GET_REG_LIST of that vCPU read back what the model holds (the last
 * accepted write; after a failed call, nothing changed); every 16 calls,
 * the same for the other vCPU. The kernel log must stay clean from the
 * start of the run (checked every 256 calls and at the end).
 *
 * A vCPU that was not yet runnable when the first vCPU of its VM ran is
 * never run (a read of SVE_VLS replaces the KVM_RUN): protected KVM of 6.12
 * breaks such vCPUs (sve_config_abi -l,
 * Documentation/virt/kvm/arm/fp-rust/selftests.rst).
 *
 * Each run plays two sequences: the fixed seed's, the same every time,
 * and one from a seed drawn for this run, so that runs over time cover
 * more sequences. -s SEED sets the first seed (default fixed), -S SEED the
 * second (default drawn), -n CALLS the number of calls of each. Both seeds
 * are printed; a seed replays the same sequence on the same host
 * configuration (pass it with -s, and -S to the same value to play only
 * that one twice).
 */
#include <sys/random.h>

#include "fp_abi.h"

#define DEFAULT_CALLS	10000
#define DEFAULT_SEED	0x4650414249ULL		/* "FPABI" */
#define NR_VCPUS	2

/* Relative weights of the operations. */
static const unsigned int weights[ABI_NR_OPS] = {
	[ABI_INIT_SVE]		= 4,
	[ABI_INIT_FP]		= 4,
	[ABI_GET_VLS]		= 10,
	[ABI_SET_VLS]		= 16,
	[ABI_GET_ZPF]		= 20,
	[ABI_SET_ZPF]		= 26,
	[ABI_GET_V]		= 10,
	[ABI_SET_V]		= 12,
	[ABI_GET_FPSR]		= 6,
	[ABI_SET_FPSR]		= 8,
	[ABI_REG_LIST]		= 6,
	[ABI_FINALIZE_SVE]	= 8,
	[ABI_FINALIZE_OTHER]	= 3,
	[ABI_RUN]		= 4,
};

#define NEW_VM_PER_MILLE	2

struct fuzz {
	uint64_t seed;
	uint64_t rng;
	uint64_t calls;
	uint64_t bad;
	uint64_t vms;
	uint64_t runs;
	uint64_t kmsg;
	uint64_t late_runs;
	uint64_t count[ABI_NR_OPS][ABI_NR_COLS];
	uint64_t ok[ABI_NR_OPS][ABI_NR_COLS];
};

static struct fuzz f;

static uint64_t rnd(void)
{
	return fp_mix(f.rng++);
}

static unsigned int rnd_below(unsigned int n)
{
	return rnd() % n;
}

static enum abi_ptr rnd_bad_ptr(void)
{
	return ABI_PTR_NULL + rnd_below(ABI_NR_PTRS - ABI_PTR_NULL);
}

static enum abi_op rnd_op(void)
{
	unsigned int total = 0, r, op;

	for (op = 0; op < ABI_NR_OPS; op++)
		total += weights[op];
	r = rnd_below(total);
	for (op = 0; r >= weights[op]; op++)
		r -= weights[op];
	return op;
}

/* A register of the class @op reads or writes. */
static uint64_t rnd_reg(enum abi_op op)
{
	unsigned int n;

	switch (op) {
	case ABI_GET_VLS:
	case ABI_SET_VLS:
		return KVM_REG_ARM64_SVE_VLS;
	case ABI_GET_V:
	case ABI_SET_V:
		return FP_VREG_ID(rnd_below(FP_NR_ZREGS));
	case ABI_GET_FPSR:
	case ABI_SET_FPSR:
		return rnd_below(2) ? FP_FPSR_ID : FP_FPCR_ID;
	default:
		n = rnd_below(FP_NR_ZREGS + FP_NR_PREGS + 1);
		if (n < FP_NR_ZREGS)
			return KVM_REG_ARM64_SVE_ZREG(n, 0);
		n -= FP_NR_ZREGS;
		return n < FP_NR_PREGS ? KVM_REG_ARM64_SVE_PREG(n, 0) :
		       KVM_REG_ARM64_SVE_FFR(0);
	}
}

/*
 * A vector length set that is most likely invalid: empty, one random VQ,
 * the host's set plus a VQ beyond its maximum, with a gap, random bits,
 * all ones.
 */
static void rnd_bad_vls(uint64_t *vqs)
{
	unsigned int i, vq;

	memset(vqs, 0, ABI_VLS_BYTES);
	switch (rnd_below(6)) {
	case 0:
		break;
	case 1:
		abi_vq_set(vqs, 1 + rnd_below(ABI_VQ_LIMIT), true);
		break;
	case 2:
		memcpy(vqs, abi_host.vqs, ABI_VLS_BYTES);
		vq = abi_host.max_vq + 1 + rnd_below(ABI_VQ_LIMIT - abi_host.max_vq);
		abi_vq_set(vqs, vq, true);
		break;
	case 3:
		memcpy(vqs, abi_host.vqs, ABI_VLS_BYTES);
		if (abi_host.max_vq > 1)
			abi_vq_set(vqs, 1 + rnd_below(abi_host.max_vq - 1), false);
		break;
	case 4:
		for (i = 0; i < KVM_ARM64_SVE_VLS_WORDS; i++)
			vqs[i] = rnd() & (rnd_below(2) ? ~0ULL : 0xffff);
		break;
	default:
		memset(vqs, 0xff, ABI_VLS_BYTES);
		break;
	}
}

static void make_call(struct abi_vcpu *v, struct abi_call *c)
{
	static const int others[] = { 0, 1, 2, 3, 5, 6, 7, 8, -1, INT_MAX };
	enum abi_op op = rnd_op();
	bool bad = rnd_below(5) == 0;
	unsigned int r = rnd_below(4);

	f.bad += bad;
	switch (op) {
	case ABI_INIT_SVE:
	case ABI_INIT_FP:
		abi_call_init(c, op);
		if (!bad)
			break;
		if (r == 0)
			c->arg = rnd_bad_ptr();
		else if (r == 1)
			c->features ^= 1U << KVM_ARM_VCPU_PSCI_0_2;
		else if (r == 2 && rnd_below(2))
			c->features |= 1U << (KVM_ARM_VCPU_HAS_EL2 +
					      rnd_below(32 - KVM_ARM_VCPU_HAS_EL2));
		else if (r == 2)
			c->features1 = 1U << rnd_below(32);
		else
			c->target = rnd_below(2) ? abi_host.target + 1 : (uint32_t)rnd();
		break;
	case ABI_REG_LIST:
		abi_call_init(c, op);
		if (!bad)
			break;
		if (r < 2)
			c->n = rnd_below(abi_host.nregs[abi_col_sve(v->col)] + 1);
		else if (r == 2)
			c->arg = rnd_bad_ptr();
		else
			c->data = ABI_PTR_UNMAPPED;
		break;
	case ABI_FINALIZE_SVE:
	case ABI_FINALIZE_OTHER:
		abi_call_init(c, op);
		if (op == ABI_FINALIZE_OTHER)
			c->feature = r ? others[rnd_below(ARRAY_SIZE(others))] : (int)rnd();
		if (op == ABI_FINALIZE_OTHER && c->feature == KVM_ARM_VCPU_SVE)
			c->feature = 0;
		if (bad)
			c->arg = rnd_bad_ptr();
		break;
	case ABI_RUN:
		abi_call_init(c, op);
		if (bad)
			c->arg = ABI_PTR_UNMAPPED + rnd_below(ABI_NR_PTRS - ABI_PTR_UNMAPPED);
		break;
	default:
		if (bad && r == 0)
			abi_call_reg(c, abi_bad_ids[rnd_below(abi_nr_bad_ids)].id,
				     abi_op_is_set(op));
		else
			abi_call_reg(c, rnd_reg(op), abi_op_is_set(op));
		if (abi_op_is_set(op))
			abi_fill_value(v, c, rnd());
		if (op == ABI_SET_VLS && rnd_below(2))
			rnd_bad_vls((uint64_t *)c->val);
		if (bad && r == 1)
			c->data = rnd_bad_ptr();
		else if (bad && r == 2)
			c->arg = rnd_bad_ptr();
		break;
	}
}

static void new_vm(struct abi_vm *m, struct abi_vcpu *vcpus)
{
	if (m->vm)
		kvm_vm_free(m->vm);
	abi_vm_create(m, vcpus, NR_VCPUS);
	f.vms++;
}

static int coverage_cell(char *buf, size_t size, int op, int col)
{
	return snprintf(buf, size, " %5lu/%-5lu", f.count[op][col], f.ok[op][col]);
}

static void print_coverage(void)
{
	ksft_print_msg("calls/succeeded per operation and state:\n");
	abi_print_grid(11, coverage_cell);
}

static void help(const char *name, int status)
{
	printf("usage: %s [-s seed] [-S seed] [-n calls]\n", name);
	printf(" -s: seed of the first call sequence (default %#llx)\n", DEFAULT_SEED);
	printf(" -S: seed of the second (default: drawn for this run)\n");
	printf(" -n: number of calls of each sequence (default %d)\n", DEFAULT_CALLS);
	exit(status);
}

/* One sequence of @nr_calls calls from @seed; the log is checked on @kmsg. */
static void fuzz(uint64_t seed, uint64_t nr_calls, int kmsg)
{
	struct abi_vcpu vcpus[NR_VCPUS], *v, *other;
	static struct abi_call c;
	struct abi_vm m = {};
	enum abi_col col;
	char ctx[64];
	int err, j;
	uint64_t i;

	memset(&f, 0, sizeof(f));
	f.seed = seed;
	ksft_print_msg("seed %#lx, %lu calls (reproduce with -s %#lx -S %#lx -n %lu)\n",
		       f.seed, nr_calls, f.seed, f.seed, nr_calls);
	f.rng = f.seed;

	new_vm(&m, vcpus);
	abi_host.ctx = ctx;
	for (i = 0; i < nr_calls; i++) {
		if (rnd_below(1000) < NEW_VM_PER_MILLE)
			new_vm(&m, vcpus);
		v = &vcpus[rnd_below(NR_VCPUS)];
		other = &vcpus[v == vcpus];
		make_call(v, &c);
		snprintf(ctx, sizeof(ctx), "seed %#lx, call %lu, vCPU %u: ", f.seed, i,
			 v->vcpu->id);
		/*
		 * No KVM_RUN that would reach the guest on a vCPU initialised
		 * or finalized after another of its VM ran: protected KVM in
		 * 6.12 breaks it (sve_config_abi -l); read SVE_VLS instead.
		 */
		if (c.op == ABI_RUN && v->late && !abi_expect(v, &c)) {
			abi_call_reg(&c, KVM_REG_ARM64_SVE_VLS, false);
			f.late_runs++;
		}
		col = v->col;
		err = abi_do(v, &c);
		if (c.op == ABI_RUN && !err && !m.ran) {
			m.ran = true;
			for (j = 0; j < NR_VCPUS; j++)
				vcpus[j].late = !!abi_table_errno(ABI_RUN, vcpus[j].col);
		}
		f.calls++;
		f.count[c.op][col]++;
		f.ok[c.op][col] += !err;
		f.runs += c.op == ABI_RUN && !err;

		abi_check_regs(v);
		if (c.op == ABI_INIT_SVE || c.op == ABI_INIT_FP || c.op == ABI_RUN ||
		    c.op == ABI_FINALIZE_SVE || c.op == ABI_FINALIZE_OTHER || !(i % 8))
			abi_check_list(v);
		if (!(i % 16))
			abi_check(other);
		if (!(i % 256))
			f.kmsg += abi_kmsg_check(kmsg);
	}
	abi_check(&vcpus[0]);
	abi_check(&vcpus[1]);
	kvm_vm_free(m.vm);
	abi_host.ctx = "";

	print_coverage();
	ksft_print_msg("seed %#lx, %lu calls (%lu with a bad argument), %lu VMs, %lu guest runs (%lu more avoided on vCPUs configured after another ran)\n",
		       f.seed, f.calls, f.bad, f.vms, f.runs, f.late_runs);
	ksft_test_result_pass("%lu calls, seed %#lx: every errno, register and SVE_VLS as the model says\n",
			      f.calls, f.seed);
}

int main(int argc, char *argv[])
{
	uint64_t nr_calls = DEFAULT_CALLS, seed = DEFAULT_SEED, seed2;
	uint64_t kmsg_records = 0;
	bool seed2_given = false;
	int opt, kmsg;

	while ((opt = getopt(argc, argv, "hs:S:n:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			seed2 = strtoull(optarg, NULL, 0);
			seed2_given = true;
			break;
		case 'n':
			nr_calls = atoi_positive("Calls", optarg);
			break;
		default:
			/* -h asks for help; anything else is an error. */
			help(argv[0], opt == 'h' ? KSFT_SKIP : KSFT_FAIL);
		}
	}
	if (!seed2_given)
		TEST_ASSERT(getrandom(&seed2, sizeof(seed2), 0) == sizeof(seed2),
			    "getrandom: expected %zu bytes, errno %d", sizeof(seed2), errno);

	kmsg = abi_kmsg_open();
	ksft_print_header();
	ksft_set_plan(3);
	abi_host_init();
	abi_print_host();

	fuzz(seed, nr_calls, kmsg);
	kmsg_records += f.kmsg;
	fuzz(seed2, nr_calls, kmsg);
	kmsg_records += f.kmsg;

	if (kmsg < 0) {
		ksft_test_result_skip("kernel log: no /dev/kmsg\n");
	} else {
		kmsg_records += abi_kmsg_check(kmsg);
		ksft_print_msg("kernel log: %lu records during the run, no WARNING, BUG, Oops or Call trace\n",
			       kmsg_records);
		ksft_test_result_pass("kernel log clean\n");
	}
	ksft_finished();
}
