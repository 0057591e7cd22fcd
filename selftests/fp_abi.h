/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The FP/SIMD/SVE vCPU configuration ABI, for sve_config_abi and
 * fp_abi_fuzz: one table of the result of every operation in every state of
 * a vCPU, and a model of a vCPU that predicts the result and the effect of
 * each call from that table, so that the two tests check the kernel against
 * one and the same expectation.
 *
 *  - abi_table[][]: the errno (0: success) of each operation (KVM_ARM_VCPU_INIT
 *    with and without SVE, KVM_{GET,SET}_ONE_REG of KVM_REG_ARM64_SVE_VLS, of
 *    Z/P/FFR, of the FP/SIMD V registers and of FPSR/FPCR, KVM_GET_REG_LIST,
 *    KVM_ARM_VCPU_FINALIZE with KVM_ARM_VCPU_SVE and with other values,
 *    KVM_RUN) with valid arguments, in each state: before KVM_ARM_VCPU_INIT;
 *    an SVE vCPU initialised, with KVM_REG_ARM64_SVE_VLS written, finalized,
 *    run; an FP/SIMD-only vCPU initialised, run. It mirrors
 *    Documentation/virt/kvm/api.rst; where api.rst names no errno or names a
 *    different one, it holds what the C kernel returns (see
 *    Documentation/virt/kvm/arm/fp-rust/selftests.rst).
 *
 *  - abi_expect(): the result of one call, from the table and, in the order
 *    the C kernel checks them, the argument-level errors: bad user pointers
 *    (EFAULT), malformed register IDs (abi_bad_ids[]), invalid vector length
 *    sets (EINVAL), too small a KVM_GET_REG_LIST (E2BIG), unknown features.
 *
 *  - abi_do(): make the call, assert that its errno is the expected one and
 *    that it did exactly what the model says (a read returned the model's
 *    value and wrote nothing beyond the register's size; a failed read wrote
 *    nothing at all), then update the model. abi_check() reads every
 *    register and KVM_GET_REG_LIST back through abi_do(): a call that failed
 *    must have changed nothing, a call that succeeded exactly its target.
 *
 * The guest (abi_guest) touches FP state without changing it: it reads FPSR,
 * which traps to KVM and makes it load the vCPU's FP/SVE registers, and on
 * an SVE vCPU reads its vector length with RDVL, then exits with an MMIO
 * write. Registers must therefore read back after KVM_RUN exactly as
 * written before it.
 */
#ifndef SELFTEST_KVM_FP_ABI_H
#define SELFTEST_KVM_FP_ABI_H

#include <ctype.h>
#include <fcntl.h>
#include <sys/mman.h>

#include "fp_regs.h"

#define ABI_VLS_BYTES		(KVM_ARM64_SVE_VLS_WORDS * 8)
#define ABI_VQ_LIMIT		(KVM_ARM64_SVE_VLS_WORDS * 64)	/* VQ 512 */
#define ABI_BUF			512	/* a register buffer: twice 2048 bits */
#define ABI_CANARY		0xa5
#define ABI_TAIL		64	/* canary bytes checked after a register */
#define ABI_LIST_MAX		1024	/* KVM_GET_REG_LIST buffer, entries */
#define ABI_CORE_OFF(field)	KVM_REG_ARM_CORE_REG(field)

/* ------------------------------------------------------------ the table */

enum abi_col {
	ABI_BEFORE,	/* vCPU created, no KVM_ARM_VCPU_INIT yet */
	ABI_SVE_INIT,	/* KVM_ARM_VCPU_INIT with KVM_ARM_VCPU_SVE */
	ABI_SVE_VLS,	/* ... and KVM_REG_ARM64_SVE_VLS written */
	ABI_SVE_FINAL,	/* ... and KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE) */
	ABI_SVE_RAN,	/* ... and KVM_RUN */
	ABI_FP_INIT,	/* KVM_ARM_VCPU_INIT without SVE */
	ABI_FP_RAN,	/* ... and KVM_RUN */
	ABI_NR_COLS,
};

enum abi_op {
	ABI_INIT_SVE,
	ABI_INIT_FP,
	ABI_GET_VLS,
	ABI_SET_VLS,
	ABI_GET_ZPF,		/* Z0-Z31, P0-P15, FFR (slice 0) */
	ABI_SET_ZPF,
	ABI_GET_V,		/* V0-V31 as KVM_REG_ARM_CORE registers */
	ABI_SET_V,
	ABI_GET_FPSR,		/* FPSR, FPCR */
	ABI_SET_FPSR,
	ABI_REG_LIST,
	ABI_FINALIZE_SVE,
	ABI_FINALIZE_OTHER,	/* any feature value but KVM_ARM_VCPU_SVE */
	ABI_RUN,
	ABI_NR_OPS,
};

/* In abi_table[]: 0 if the host has SVE (KVM_CAP_ARM_SVE), else EINVAL. */
#define ABI_E_HOST	(-1)

/*
 * The one table. api.rst: KVM_ARM_VCPU_INIT "All calls to this function
 * after the initial call must use the same target and same set of feature
 * flags, otherwise EINVAL" (and per VM, see abi_expect()); KVM_RUN "ENOEXEC
 * the vcpu hasn't been initialized", "EPERM SVE feature set but not
 * finalized"; KVM_ARM_VCPU_INIT(SVE) "Before KVM_ARM_VCPU_FINALIZE: KVM_RUN
 * and KVM_GET_REG_LIST are not available; KVM_GET_ONE_REG and
 * KVM_SET_ONE_REG cannot be used to access the scalable architectural SVE
 * registers" (EPERM, KVM_ARM_VCPU_FINALIZE), "After: the
 * KVM_REG_ARM64_SVE_VLS pseudo-register is immutable" (EPERM); SVE registers
 * "are only accessible on vcpus for which SVE is enabled" (ENOENT, no such
 * register); the V registers' core encodings "are not accepted for
 * SVE-enabled vcpus" (EINVAL, invalid register ID); KVM_ARM_VCPU_FINALIZE
 * "EPERM already finalized", "EINVAL feature unknown or not present". Not in
 * api.rst, from the C kernel: ENOEXEC for every vCPU ioctl but INIT before
 * INIT (arm.c kvm_arch_vcpu_ioctl()), EINVAL for FINALIZE(SVE) on a vCPU
 * without SVE (reset.c kvm_arm_vcpu_finalize()).
 */
static const int abi_table[ABI_NR_OPS][ABI_NR_COLS] = {
	/*			 before      sve:init sve:vls sve:final sve:ran fp:init fp:ran */
	[ABI_INIT_SVE]		= { ABI_E_HOST, 0,      0,      0,      0,      EINVAL, EINVAL },
	[ABI_INIT_FP]		= { 0,       EINVAL, EINVAL, EINVAL, EINVAL, 0,      0 },
	[ABI_GET_VLS]		= { ENOEXEC, 0,      0,      0,      0,      ENOENT, ENOENT },
	[ABI_SET_VLS]		= { ENOEXEC, 0,      0,      EPERM,  EPERM,  ENOENT, ENOENT },
	[ABI_GET_ZPF]		= { ENOEXEC, EPERM,  EPERM,  0,      0,      ENOENT, ENOENT },
	[ABI_SET_ZPF]		= { ENOEXEC, EPERM,  EPERM,  0,      0,      ENOENT, ENOENT },
	[ABI_GET_V]		= { ENOEXEC, EINVAL, EINVAL, EINVAL, EINVAL, 0,      0 },
	[ABI_SET_V]		= { ENOEXEC, EINVAL, EINVAL, EINVAL, EINVAL, 0,      0 },
	[ABI_GET_FPSR]		= { ENOEXEC, 0,      0,      0,      0,      0,      0 },
	[ABI_SET_FPSR]		= { ENOEXEC, 0,      0,      0,      0,      0,      0 },
	[ABI_REG_LIST]		= { ENOEXEC, EPERM,  EPERM,  0,      0,      0,      0 },
	[ABI_FINALIZE_SVE]	= { ENOEXEC, 0,      0,      EPERM,  EPERM,  EINVAL, EINVAL },
	[ABI_FINALIZE_OTHER]	= { ENOEXEC, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL },
	[ABI_RUN]		= { ENOEXEC, EPERM,  EPERM,  0,      0,      0,      0 },
};

static const char * const abi_col_names[ABI_NR_COLS] = {
	[ABI_BEFORE]	= "before",
	[ABI_SVE_INIT]	= "sve:init",
	[ABI_SVE_VLS]	= "sve:vls",
	[ABI_SVE_FINAL]	= "sve:final",
	[ABI_SVE_RAN]	= "sve:ran",
	[ABI_FP_INIT]	= "fp:init",
	[ABI_FP_RAN]	= "fp:ran",
};

static const char * const abi_op_names[ABI_NR_OPS] = {
	[ABI_INIT_SVE]		= "VCPU_INIT +SVE",
	[ABI_INIT_FP]		= "VCPU_INIT -SVE",
	[ABI_GET_VLS]		= "GET SVE_VLS",
	[ABI_SET_VLS]		= "SET SVE_VLS",
	[ABI_GET_ZPF]		= "GET Z/P/FFR",
	[ABI_SET_ZPF]		= "SET Z/P/FFR",
	[ABI_GET_V]		= "GET V (core)",
	[ABI_SET_V]		= "SET V (core)",
	[ABI_GET_FPSR]		= "GET FPSR/FPCR",
	[ABI_SET_FPSR]		= "SET FPSR/FPCR",
	[ABI_REG_LIST]		= "GET_REG_LIST",
	[ABI_FINALIZE_SVE]	= "FINALIZE(SVE)",
	[ABI_FINALIZE_OTHER]	= "FINALIZE(other)",
	[ABI_RUN]		= "RUN",
};

static inline const char *abi_errno_name(int err)
{
	switch (err) {
	case 0:
		return "0";
	case ABI_E_HOST:
		return "0|EINVAL";
	case ENOEXEC:
		return "ENOEXEC";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EINVAL:
		return "EINVAL";
	case EFAULT:
		return "EFAULT";
	case E2BIG:
		return "E2BIG";
	case EINTR:
		return "EINTR";
	default:
		return "errno?";
	}
}

/*
 * Print an operation x state grid as TAP diagnostics: a line naming the
 * states (each in @head_width columns, left-aligned if negative), then a
 * line per operation, cell() writing each entry at @buf.
 */
static inline void abi_print_grid(int head_width,
				  int (*cell)(char *buf, size_t size, int op, int col))
{
	char line[160];
	int op, col, len;

	len = snprintf(line, sizeof(line), "%-16s", "");
	for (col = 0; col < ABI_NR_COLS; col++)
		len += snprintf(line + len, sizeof(line) - len, " %*s",
				head_width, abi_col_names[col]);
	ksft_print_msg("%s\n", line);
	for (op = 0; op < ABI_NR_OPS; op++) {
		len = snprintf(line, sizeof(line), "%-16s", abi_op_names[op]);
		for (col = 0; col < ABI_NR_COLS; col++)
			len += cell(line + len, sizeof(line) - len, op, col);
		ksft_print_msg("%s\n", line);
	}
}

static inline int abi_table_cell(char *buf, size_t size, int op, int col)
{
	return snprintf(buf, size, " %-9s", abi_errno_name(abi_table[op][col]));
}

/* Print the table as TAP diagnostics. */
static inline void abi_print_table(void)
{
	abi_print_grid(-9, abi_table_cell);
	ksft_print_msg("(0|EINVAL: 0 with KVM_CAP_ARM_SVE, EINVAL without)\n");
}

/* ------------------------------------------------------------- the host */

enum abi_ptr {
	ABI_PTR_OK,		/* the caller's buffer */
	ABI_PTR_NULL,
	ABI_PTR_UNMAPPED,	/* a PROT_NONE page */
	ABI_PTR_KERNEL,		/* a kernel address */
	ABI_PTR_RDONLY,		/* a read-only page: faults when KVM writes */
	ABI_NR_PTRS,
};

static const char * const abi_ptr_names[ABI_NR_PTRS] = {
	[ABI_PTR_OK]		= "",
	[ABI_PTR_NULL]		= " (NULL pointer)",
	[ABI_PTR_UNMAPPED]	= " (unmapped pointer)",
	[ABI_PTR_KERNEL]	= " (kernel pointer)",
	[ABI_PTR_RDONLY]	= " (read-only pointer)",
};

#define ABI_KERNEL_ADDR		0xffff800008000000ULL

struct abi_host {
	unsigned int max_vq;			/* 0: no SVE */
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];	/* VLS of a fresh SVE vCPU */
	uint64_t nregs[2];	/* KVM_GET_REG_LIST count: FP/SIMD, SVE vCPU */
	uint32_t target;
	uint8_t *pages;		/* read-only, read-write, PROT_NONE */
	size_t page_size;
	struct kvm_reg_list *list;
	const char *ctx;	/* prefix of failure messages */
};

static struct abi_host abi_host = { .ctx = "" };

#define ABI_KNOWN_FEATURES	((1U << KVM_ARM_VCPU_HAS_EL2) - 1)
#define ABI_FEATURES(sve)	((1U << KVM_ARM_VCPU_PSCI_0_2) | \
				 ((sve) ? 1U << KVM_ARM_VCPU_SVE : 0))

static inline uint8_t *abi_page(int n)
{
	return abi_host.pages + n * abi_host.page_size;
}

/*
 * The pointer to pass for @kind; @ok is the caller's buffer. For
 * ABI_PTR_RDONLY, the first @len bytes of @ok are copied to the read-only
 * page first, so that a call that only reads it sees the same data.
 */
static inline void *abi_ptr(enum abi_ptr kind, void *ok, size_t len)
{
	switch (kind) {
	case ABI_PTR_OK:
		return ok;
	case ABI_PTR_NULL:
		return NULL;
	case ABI_PTR_UNMAPPED:
		return abi_page(2);
	case ABI_PTR_KERNEL:
		return (void *)ABI_KERNEL_ADDR;
	case ABI_PTR_RDONLY:
		TEST_ASSERT(!mprotect(abi_page(0), abi_host.page_size,
				      PROT_READ | PROT_WRITE),
			    "mprotect: expected 0, got errno %d", errno);
		memcpy(abi_page(0), ok, len);
		TEST_ASSERT(!mprotect(abi_page(0), abi_host.page_size, PROT_READ),
			    "mprotect: expected 0, got errno %d", errno);
		return abi_page(0);
	default:
		TEST_FAIL("pointer kind %d", kind);
	}
}

static inline bool abi_ptr_faults(enum abi_ptr kind, bool kernel_writes)
{
	return kind == ABI_PTR_NULL || kind == ABI_PTR_UNMAPPED ||
	       kind == ABI_PTR_KERNEL || (kind == ABI_PTR_RDONLY && kernel_writes);
}

static inline bool abi_vq_present(const uint64_t *vqs, unsigned int vq)
{
	return vqs[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64));
}

static inline void abi_vq_set(uint64_t *vqs, unsigned int vq, bool on)
{
	if (on)
		vqs[(vq - 1) / 64] |= 1ULL << ((vq - 1) % 64);
	else
		vqs[(vq - 1) / 64] &= ~(1ULL << ((vq - 1) % 64));
}

/* The largest VQ in @vqs, 0 if empty. */
static inline unsigned int abi_vls_max(const uint64_t *vqs)
{
	unsigned int vq, max = 0;

	for (vq = 1; vq <= ABI_VQ_LIMIT; vq++)
		if (abi_vq_present(vqs, vq))
			max = vq;
	return max;
}

/* The host's VQs up to @vq, and @vq itself. */
static inline void abi_vls_prefix(uint64_t *vqs, unsigned int vq)
{
	unsigned int i;

	memset(vqs, 0, ABI_VLS_BYTES);
	for (i = 1; i < vq && i <= ABI_VQ_LIMIT; i++)
		abi_vq_set(vqs, i, abi_vq_present(abi_host.vqs, i));
	abi_vq_set(vqs, vq, true);
}

/*
 * api.rst: "Apart from simply removing all vector lengths from the host set
 * that exceed some value, support for arbitrarily chosen sets of vector
 * lengths is hardware-dependent and may not be available. Attempting to
 * configure an invalid set of vector lengths via KVM_SET_ONE_REG will fail
 * with EINVAL." KVM supports no other sets: valid is exactly the host's set
 * cut at one of its VQs.
 */
static inline bool abi_vls_valid(const uint64_t *vqs)
{
	unsigned int vq, max = abi_vls_max(vqs);

	if (!max || max > abi_host.max_vq)
		return false;
	for (vq = 1; vq <= max; vq++)
		if (abi_vq_present(vqs, vq) != abi_vq_present(abi_host.vqs, vq))
			return false;
	return true;
}

/* ----------------------------------------------------------- registers */

enum abi_reg {
	ABI_REG_Z,
	ABI_REG_P,
	ABI_REG_FFR,
	ABI_REG_VLS,
	ABI_REG_V,
	ABI_REG_FPSR,
	ABI_REG_FPCR,
	ABI_REG_NONE,	/* not one of the above */
};

/* Which of the FP/SVE registers @id is, and its number in @n. */
static inline enum abi_reg abi_reg_of(uint64_t id, int *n)
{
	uint64_t off = (id & 0xffff) - ABI_CORE_OFF(fp_regs.vregs[0]);

	*n = -1;
	if (id == KVM_REG_ARM64_SVE_VLS)
		return ABI_REG_VLS;
	if (id == KVM_REG_ARM64_SVE_FFR(0))
		return ABI_REG_FFR;
	if (id == FP_FPSR_ID)
		return ABI_REG_FPSR;
	if (id == FP_FPCR_ID)
		return ABI_REG_FPCR;
	if ((id & ~0x3e0ULL) == KVM_REG_ARM64_SVE_ZREG(0, 0)) {
		*n = (id >> 5) & 31;
		return ABI_REG_Z;
	}
	if ((id & ~0x1e0ULL) == KVM_REG_ARM64_SVE_PREG(0, 0)) {
		*n = (id >> 5) & 15;
		return ABI_REG_P;
	}
	if ((id & ~0xffffULL) == (FP_VREG_ID(0) & ~0xffffULL) && !(off % 4) &&
	    off / 4 < FP_NR_ZREGS) {
		*n = off / 4;
		return ABI_REG_V;
	}
	return ABI_REG_NONE;
}

static inline const char *abi_reg_name(uint64_t id, char *buf, size_t len)
{
	static const char * const names[] = {
		[ABI_REG_Z] = "Z", [ABI_REG_P] = "P", [ABI_REG_FFR] = "FFR",
		[ABI_REG_VLS] = "SVE_VLS", [ABI_REG_V] = "V",
		[ABI_REG_FPSR] = "FPSR", [ABI_REG_FPCR] = "FPCR",
	};
	enum abi_reg r;
	int n;

	r = abi_reg_of(id, &n);
	if (r == ABI_REG_NONE)
		snprintf(buf, len, "id %#llx", (unsigned long long)id);
	else if (n >= 0)
		snprintf(buf, len, "%s%d", names[r], n);
	else
		snprintf(buf, len, "%s", names[r]);
	return buf;
}

/*
 * Register IDs that name no register, with the errno every initialised vCPU
 * (with or without SVE, finalized or not) gives for them on GET and SET.
 * From the ID layouts in api.rst ("0x6080 0000 0015 00 <n:5> <slice:5> Zn",
 * "0x6050 0000 0015 04 <n:4> <slice:5> Pn", "0x6050 0000 0015 060
 * <slice:5> FFR", "0x6060 0000 0015 ffff KVM_REG_ARM64_SVE_VLS", core
 * registers "0x60x0 0000 0010 <index into the kvm_regs struct:16>"):
 *
 *  - any size field but the register's own: EINVAL, except for core
 *    registers, below;
 *  - a slice above 0 of Z, P or FFR: ENOENT ("Access to register IDs where
 *    2048 * slice >= 128 * max_vq will fail with ENOENT": max_vq <= 16);
 *  - P register numbers 17-31 (16 is FFR), Z numbers beyond 31 (into the
 *    P block's bits), bits set outside the fields: EINVAL (invalid ID);
 *  - core register IDs: ENOENT if the access would reach the end of
 *    struct kvm_regs, else EINVAL if the offset and size are not those of
 *    a register (a wrong size, a misaligned V register).
 */
struct abi_bad_id {
	uint64_t id;
	int err;
	char what[40];
};

#define ABI_MAX_BAD_IDS		256

static struct abi_bad_id abi_bad_ids[ABI_MAX_BAD_IDS];
static int abi_nr_bad_ids;

#define ABI_ID_SIZE(id, s)	(((id) & ~KVM_REG_SIZE_MASK) | \
				 ((uint64_t)(s) << KVM_REG_SIZE_SHIFT))
#define ABI_CORE_ID(off, s)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (off) | \
				 ((uint64_t)(s) << KVM_REG_SIZE_SHIFT))
#define ABI_NR_CORE		(sizeof(struct kvm_regs) / sizeof(uint32_t))

static inline void abi_bad_id_add(uint64_t id, int err, const char *fmt, ...)
{
	struct abi_bad_id *b = &abi_bad_ids[abi_nr_bad_ids++];
	va_list ap;

	TEST_ASSERT(abi_nr_bad_ids <= ABI_MAX_BAD_IDS, "too many bad IDs");
	b->id = id;
	b->err = err;
	va_start(ap, fmt);
	vsnprintf(b->what, sizeof(b->what), fmt, ap);
	va_end(ap);
}

static inline int abi_core_err(uint64_t off, unsigned int size_field)
{
	uint64_t words = (1ULL << size_field) / sizeof(uint32_t);

	return off >= ABI_NR_CORE || off + words >= ABI_NR_CORE ? ENOENT : EINVAL;
}

static inline void abi_bad_ids_init(void)
{
	static const struct {
		const char *name;
		uint64_t id;
	} sve[] = {
		{ "Z0", KVM_REG_ARM64_SVE_ZREG(0, 0) },
		{ "Z31", KVM_REG_ARM64_SVE_ZREG(31, 0) },
		{ "P0", KVM_REG_ARM64_SVE_PREG(0, 0) },
		{ "P15", KVM_REG_ARM64_SVE_PREG(15, 0) },
		{ "FFR", KVM_REG_ARM64_SVE_FFR(0) },
		{ "SVE_VLS", KVM_REG_ARM64_SVE_VLS },
	};
	static const struct {
		const char *name;
		uint64_t off;
		unsigned int size;
	} core[] = {
		{ "V0", ABI_CORE_OFF(fp_regs.vregs[0]), 4 },
		{ "V31", ABI_CORE_OFF(fp_regs.vregs[31]), 4 },
		{ "FPSR", ABI_CORE_OFF(fp_regs.fpsr), 2 },
		{ "FPCR", ABI_CORE_OFF(fp_regs.fpcr), 2 },
	};
	uint64_t off, id;
	unsigned int i, s, n;

	abi_nr_bad_ids = 0;
	for (i = 0; i < ARRAY_SIZE(sve); i++) {
		for (s = 0; s < 16; s++)
			if (ABI_ID_SIZE(sve[i].id, s) != sve[i].id)
				abi_bad_id_add(ABI_ID_SIZE(sve[i].id, s), EINVAL,
					       "%s, size field %u", sve[i].name, s);
		if (sve[i].id == KVM_REG_ARM64_SVE_VLS)
			continue;
		for (s = 1; s < KVM_ARM64_SVE_MAX_SLICES; s += (i ? 30 : 1))
			abi_bad_id_add(sve[i].id | s, ENOENT, "%s, slice %u",
				       sve[i].name, s);
	}
	for (n = 17; n < 32; n++)
		abi_bad_id_add((KVM_REG_ARM64_SVE_PREG(0, 0) & ~0x3ffULL) | (n << 5),
			       EINVAL, "P%u", n);
	abi_bad_id_add(KVM_REG_ARM64_SVE_ZREG(0, 0) | 0x400, EINVAL, "Z32");
	abi_bad_id_add(KVM_REG_ARM64_SVE_ZREG(0, 0) | 0x7fe0, EINVAL,
		       "Z, register number 1023");
	abi_bad_id_add(KVM_REG_ARM64_SVE_ZREG(0, 0) | BIT(28), EINVAL,
		       "Z0, ID bit 28");
	abi_bad_id_add(KVM_REG_ARM64_SVE_ZREG(0, 0) | BIT_ULL(32), EINVAL,
		       "Z0, ID bit 32");
	abi_bad_id_add(KVM_REG_ARM64_SVE_VLS | BIT_ULL(40), EINVAL,
		       "SVE_VLS, ID bit 40");
	abi_bad_id_add(KVM_REG_ARM64_SVE | KVM_REG_ARM64 | KVM_REG_SIZE_U64 | 0x1234,
		       EINVAL, "SVE coproc, index 0x1234");
	abi_bad_id_add((KVM_REG_ARM64_SVE_ZREG(0, 0) & ~KVM_REG_ARCH_MASK) | KVM_REG_ARM,
		       EINVAL, "Z0 with the arm32 arch field");

	for (i = 0; i < ARRAY_SIZE(core); i++)
		for (s = 0; s < 16; s++)
			if (s != core[i].size)
				abi_bad_id_add(ABI_CORE_ID(core[i].off, s),
					       abi_core_err(core[i].off, s),
					       "%s, size field %u", core[i].name, s);
	off = ABI_CORE_OFF(fp_regs.vregs[31]) + 4;
	abi_bad_id_add(ABI_CORE_ID(off, 4), abi_core_err(off, 4), "V32");
	for (off = 1; off < 4; off++) {
		id = ABI_CORE_ID(ABI_CORE_OFF(fp_regs.vregs[0]) + off, 4);
		abi_bad_id_add(id, abi_core_err(ABI_CORE_OFF(fp_regs.vregs[0]) + off, 4),
			       "V0 + %lu words", off);
	}
	off = ABI_CORE_OFF(fp_regs.fpcr) + 1;
	abi_bad_id_add(ABI_CORE_ID(off, 2), abi_core_err(off, 2),
		       "fp_regs.__reserved[0]");
	abi_bad_id_add(ABI_CORE_ID(ABI_NR_CORE, 2), ENOENT, "core, past kvm_regs");
	abi_bad_id_add(ABI_CORE_ID(0xffff, 2), ENOENT, "core, index 0xffff");
	abi_bad_id_add(FP_VREG_ID(0) | BIT(28), ENOENT, "V0, ID bit 28");
	abi_bad_id_add(FP_VREG_ID(0) | BIT_ULL(51), EINVAL, "V0, ID bit 51");
}

/* ------------------------------------------------------------ the model */

struct abi_vm {
	struct kvm_vm *vm;
	bool configured;	/* a vCPU was initialised: features fixed */
	uint32_t features;
	bool ran;		/* a vCPU has run */
};

struct abi_vcpu {
	struct kvm_vcpu *vcpu;
	struct abi_vm *vm;
	enum abi_col col;
	uint64_t vls[KVM_ARM64_SVE_VLS_WORDS];
	/* What KVM_GET_ONE_REG returns: zero beyond the vector length. */
	struct fp_state regs;
	vm_vaddr_t stack;
	uint64_t runs;
	bool late;		/* not runnable yet when the VM first ran */
};

static inline bool abi_col_sve(enum abi_col col)
{
	return col >= ABI_SVE_INIT && col <= ABI_SVE_RAN;
}

static inline bool abi_col_final(enum abi_col col)
{
	return col == ABI_SVE_FINAL || col == ABI_SVE_RAN;
}

/* The vCPU's vector length in bytes, 0 without SVE. */
static inline unsigned int abi_vl(const struct abi_vcpu *v)
{
	return abi_col_sve(v->col) ? fp_vl(abi_vls_max(v->vls)) : 0;
}

/* One call. */
struct abi_call {
	enum abi_op op;
	uint64_t id;		/* ONE_REG */
	int id_err;		/* a malformed ID: its errno (abi_bad_ids[]) */
	uint32_t target;	/* INIT */
	uint32_t features;	/* INIT: features[0] */
	uint32_t features1;	/* INIT: features[1] */
	int feature;		/* FINALIZE */
	uint64_t n;		/* REG_LIST */
	enum abi_ptr arg;	/* the ioctl's argument (RUN: non-zero if not OK) */
	enum abi_ptr data;	/* ONE_REG: reg.addr; REG_LIST: reg[] (OK/UNMAPPED) */
	uint8_t val[ABI_BUF] __aligned(16);	/* SET: the value */
};

static inline bool abi_op_is_get(enum abi_op op)
{
	return op == ABI_GET_VLS || op == ABI_GET_ZPF || op == ABI_GET_V ||
	       op == ABI_GET_FPSR;
}

static inline bool abi_op_is_set(enum abi_op op)
{
	return op == ABI_SET_VLS || op == ABI_SET_ZPF || op == ABI_SET_V ||
	       op == ABI_SET_FPSR;
}

/* The table row of a GET (@set false) or SET of register @id. */
static inline enum abi_op abi_reg_op(uint64_t id, bool set)
{
	int n;

	switch (abi_reg_of(id, &n)) {
	case ABI_REG_VLS:
		return set ? ABI_SET_VLS : ABI_GET_VLS;
	case ABI_REG_V:
		return set ? ABI_SET_V : ABI_GET_V;
	case ABI_REG_FPSR:
	case ABI_REG_FPCR:
		return set ? ABI_SET_FPSR : ABI_GET_FPSR;
	default:
		return set ? ABI_SET_ZPF : ABI_GET_ZPF;
	}
}

static inline void abi_call_init(struct abi_call *c, enum abi_op op)
{
	/* @val is only read for SETs, which fill it. */
	memset(c, 0, offsetof(struct abi_call, val));
	c->op = op;
	c->target = abi_host.target;
	c->features = ABI_FEATURES(op == ABI_INIT_SVE);
	c->feature = op == ABI_FINALIZE_OTHER ? 0 : KVM_ARM_VCPU_SVE;
	c->n = ABI_LIST_MAX;
}

static inline void abi_call_reg(struct abi_call *c, uint64_t id, bool set)
{
	int i;

	abi_call_init(c, abi_reg_op(id, set));
	c->id = id;
	if (abi_reg_of(id, &i) != ABI_REG_NONE)
		return;
	for (i = 0; i < abi_nr_bad_ids; i++)
		if (abi_bad_ids[i].id == id)
			c->id_err = abi_bad_ids[i].err;
}

static inline int abi_table_errno(enum abi_op op, enum abi_col col)
{
	int err = abi_table[op][col];

	if (err == ABI_E_HOST)
		err = abi_host.max_vq ? 0 : EINVAL;
	return err;
}

/*
 * The errno @c gives on @v, 0 for success: the table's, after and before
 * the argument checks that the C kernel makes before or after the state
 * checks (arm.c kvm_arch_vcpu_ioctl(), guest.c kvm_arm_{get,set}_reg(),
 * reset.c kvm_arm_vcpu_finalize(), kvm_main.c kvm_vcpu_ioctl()).
 */
static inline int abi_expect(const struct abi_vcpu *v, const struct abi_call *c)
{
	bool get = abi_op_is_get(c->op);
	int err;

	switch (c->op) {
	case ABI_INIT_SVE:
	case ABI_INIT_FP:
		if (abi_ptr_faults(c->arg, false))
			return EFAULT;
		if (c->target != abi_host.target)
			return EINVAL;
		/*
		 * api.rst: "ENOENT a features bit specified is unknown": in
		 * 6.12, bits from KVM_ARM_VCPU_HAS_EL2 up, and features[1-6].
		 */
		if ((c->features & ~ABI_KNOWN_FEATURES) || c->features1)
			return ENOENT;
		err = abi_table_errno(c->op, v->col);
		/*
		 * The features of every vCPU of a VM are those of the first
		 * one initialised (arm.c __kvm_vcpu_set_target(),
		 * kvm_vcpu_init_changed()).
		 */
		if (!err && v->vm->configured && c->features != v->vm->features)
			err = EINVAL;
		return err;
	case ABI_GET_VLS:
	case ABI_SET_VLS:
	case ABI_GET_ZPF:
	case ABI_SET_ZPF:
	case ABI_GET_V:
	case ABI_SET_V:
	case ABI_GET_FPSR:
	case ABI_SET_FPSR:
		if (v->col == ABI_BEFORE)
			return ENOEXEC;
		if (abi_ptr_faults(c->arg, false))
			return EFAULT;
		if (c->id_err)
			return c->id_err;
		err = abi_table_errno(c->op, v->col);
		if (err)
			return err;
		if (abi_ptr_faults(c->data, get))
			return EFAULT;
		if (c->op == ABI_SET_VLS && !abi_vls_valid((const uint64_t *)c->val))
			return EINVAL;
		return 0;
	case ABI_REG_LIST:
		if (v->col == ABI_BEFORE)
			return ENOEXEC;
		err = abi_table_errno(c->op, v->col);
		if (err)
			return err;
		/* KVM reads n, then writes the number of registers into it. */
		if (abi_ptr_faults(c->arg, true))
			return EFAULT;
		if (c->n < abi_host.nregs[abi_col_sve(v->col)])
			return E2BIG;
		if (abi_ptr_faults(c->data, true))
			return EFAULT;
		return 0;
	case ABI_FINALIZE_SVE:
	case ABI_FINALIZE_OTHER:
		if (v->col == ABI_BEFORE)
			return ENOEXEC;
		if (abi_ptr_faults(c->arg, false))
			return EFAULT;
		return abi_table_errno(c->feature == KVM_ARM_VCPU_SVE ?
				       ABI_FINALIZE_SVE : ABI_FINALIZE_OTHER, v->col);
	case ABI_RUN:
		/* kvm_vcpu_ioctl(): KVM_RUN takes no argument. */
		if (c->arg != ABI_PTR_OK && c->arg != ABI_PTR_NULL)
			return EINVAL;
		return abi_table_errno(c->op, v->col);
	default:
		TEST_FAIL("op %d", c->op);
	}
}

/* What KVM_GET_ONE_REG of @id must return on @v: KVM_REG_SIZE(id) bytes. */
static inline void abi_expected(const struct abi_vcpu *v, uint64_t id,
				uint8_t *out)
{
	uint32_t w;
	int n;

	memset(out, 0, KVM_REG_SIZE(id));
	switch (abi_reg_of(id, &n)) {
	case ABI_REG_Z:
		memcpy(out, v->regs.z[n], FP_ZREG_BYTES);
		break;
	case ABI_REG_V:
		memcpy(out, v->regs.z[n], FP_VREG_BYTES);
		break;
	case ABI_REG_P:
		memcpy(out, v->regs.p[n], FP_PREG_BYTES);
		break;
	case ABI_REG_FFR:
		memcpy(out, v->regs.ffr, FP_PREG_BYTES);
		break;
	case ABI_REG_VLS:
		memcpy(out, v->vls, ABI_VLS_BYTES);
		break;
	case ABI_REG_FPSR:
		w = v->regs.fpsr;
		memcpy(out, &w, sizeof(w));
		break;
	case ABI_REG_FPCR:
		w = v->regs.fpcr;
		memcpy(out, &w, sizeof(w));
		break;
	default:
		TEST_FAIL("register %#lx", id);
	}
}

/* The model register @id, and how many of its bytes KVM stores. */
static inline uint8_t *abi_model_reg(struct abi_vcpu *v, uint64_t id,
				     unsigned int *len)
{
	unsigned int vl = abi_vl(v);
	int n;

	switch (abi_reg_of(id, &n)) {
	case ABI_REG_Z:
		*len = vl;
		return v->regs.z[n];
	case ABI_REG_P:
		*len = vl / 8;
		return v->regs.p[n];
	case ABI_REG_FFR:
		*len = vl / 8;
		return v->regs.ffr;
	case ABI_REG_V:
		*len = FP_VREG_BYTES;
		return v->regs.z[n];
	default:
		TEST_FAIL("register %#lx", id);
	}
}

/* The effect of @c, which returned @err, on the model. */
static inline void abi_apply(struct abi_vcpu *v, const struct abi_call *c,
			     int err)
{
	unsigned int len;
	uint64_t fpsr;
	uint8_t *reg;
	int n;

	if (err) {
		/*
		 * C: set_sve_reg() copy_from_user()s straight into the vCPU's
		 * SVE state, and copy_from_user() zeroes what it could not
		 * read: a faulting SET of Z, P or FFR clears the register.
		 */
		if (err == EFAULT && c->op == ABI_SET_ZPF && !abi_ptr_faults(c->arg, false)) {
			reg = abi_model_reg(v, c->id, &len);
			memset(reg, 0, len);
		}
		return;
	}

	switch (c->op) {
	case ABI_INIT_SVE:
	case ABI_INIT_FP:
		v->vm->configured = true;
		v->vm->features = c->features;
		if (v->col == ABI_BEFORE)
			v->col = c->op == ABI_INIT_SVE ? ABI_SVE_INIT : ABI_FP_INIT;
		/* Before finalization, a reset also resets the vector lengths. */
		if (v->col == ABI_SVE_INIT || v->col == ABI_SVE_VLS) {
			v->col = ABI_SVE_INIT;
			memcpy(v->vls, abi_host.vqs, ABI_VLS_BYTES);
		}
		memset(&v->regs, 0, sizeof(v->regs));
		break;
	case ABI_SET_VLS:
		memcpy(v->vls, c->val, ABI_VLS_BYTES);
		v->col = ABI_SVE_VLS;
		break;
	case ABI_SET_ZPF:
	case ABI_SET_V:
		/* Bytes beyond @len stay zero. */
		reg = abi_model_reg(v, c->id, &len);
		memcpy(reg, c->val, len);
		break;
	case ABI_SET_FPSR:
		fpsr = 0;
		memcpy(&fpsr, c->val, sizeof(uint32_t));
		if (abi_reg_of(c->id, &n) == ABI_REG_FPSR)
			v->regs.fpsr = fpsr;
		else
			v->regs.fpcr = fpsr;
		break;
	case ABI_FINALIZE_SVE:
		v->col = ABI_SVE_FINAL;
		break;
	case ABI_RUN:
		if (v->col == ABI_SVE_FINAL)
			v->col = ABI_SVE_RAN;
		else if (v->col == ABI_FP_INIT)
			v->col = ABI_FP_RAN;
		v->runs++;
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ the guest */

/*
 * Touch the FP registers without changing them: read FPSR (which traps to
 * KVM, which then loads the vCPU's FP/SVE state) and, with SVE
 * (ID_AA64PFR0_EL1.SVE), the vector length into x2; exit with an MMIO write
 * of zero to the ucall page; loop. Any entry point at or after the first
 * instruction works: KVM may skip one on re-entry after an MMIO exit.
 */
void abi_guest(void);
asm(".pushsection .text\n"
	".global abi_guest\n"
	".type abi_guest, %function\n"
	"abi_guest:\n"
	"	nop\n"
	"	adrp	x0, ucall_exit_mmio_addr\n"
	"	ldr	x0, [x0, :lo12:ucall_exit_mmio_addr]\n"
	"	mrs	x4, id_aa64pfr0_el1\n"
	"	ubfx	x4, x4, #32, #4\n"
	"1:	mrs	x1, fpsr\n"
	"	cbz	x4, 2f\n"
	"	.arch_extension sve\n"
	"	rdvl	x2, #1\n"
	"2:	str	xzr, [x0]\n"
	"	b	1b\n"
	".size abi_guest, . - abi_guest\n"
	".popsection\n");

/*
 * After a successful KVM_ARM_VCPU_INIT (which reset everything): what
 * kvm_util's aarch64_vcpu_add() sets up (MMU, stack, exception vectors),
 * and for SVE, CPACR_EL1.ZEN and ZCR_EL1.LEN at its maximum. The repeated
 * KVM_ARM_VCPU_INIT in aarch64_vcpu_setup() has the same features and
 * resets nothing more.
 */
static inline void abi_vcpu_setup(struct abi_vcpu *v, struct kvm_vcpu_init *init)
{
	size_t stack_size = v->vm->vm->page_size * 4;
	uint64_t cpacr = 3 << 20;

	aarch64_vcpu_setup(v->vcpu, init);
	vcpu_init_descriptor_tables(v->vcpu);
	if (!v->stack)
		v->stack = vm_vaddr_alloc(v->vm->vm, stack_size,
					  DEFAULT_GUEST_STACK_VADDR_MIN);
	vcpu_set_reg(v->vcpu, ARM64_CORE_REG(sp_el1), v->stack + stack_size);
	vcpu_arch_set_entry_point(v->vcpu, abi_guest);
	if (init->features[0] & (1 << KVM_ARM_VCPU_SVE)) {
		cpacr |= 3 << 16;
		vcpu_set_reg(v->vcpu, KVM_ARM64_SYS_REG(SYS_ZCR_EL1), 0xf);
	}
	vcpu_set_reg(v->vcpu, KVM_ARM64_SYS_REG(SYS_CPACR_EL1), cpacr);
}

/* After a successful KVM_RUN: the guest's MMIO exit, and its VL. */
static inline void abi_check_run_exit(struct abi_vcpu *v)
{
	struct kvm_run *run = v->vcpu->run;
	uint64_t data = 0, x2;

	TEST_ASSERT(run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr == v->vm->vm->ucall_mmio_addr &&
		    run->mmio.is_write,
		    "%sKVM_RUN: expected an MMIO write to %#lx, got exit reason %u (%s)",
		    abi_host.ctx, v->vm->vm->ucall_mmio_addr, run->exit_reason,
		    exit_reason_str(run->exit_reason));
	memcpy(&data, run->mmio.data, min_t(uint32_t, run->mmio.len, sizeof(data)));
	if (data)
		assert_on_unhandled_exception(v->vcpu);
	TEST_ASSERT(!data, "%sKVM_RUN: expected the guest's exit, got a ucall",
		    abi_host.ctx);
	if (abi_vl(v)) {
		vcpu_get_reg(v->vcpu, ARM64_CORE_REG(regs.regs[2]), &x2);
		TEST_ASSERT(x2 == abi_vl(v),
			    "%sguest RDVL: expected VL %u bytes (SVE_VLS max), got %lu",
			    abi_host.ctx, abi_vl(v), x2);
	}
}

/* ---------------------------------------------------------- making calls */

/* What @c is, for failure messages (a static buffer). */
static inline const char *abi_call_str(const struct abi_call *c)
{
	static char buf[160];
	size_t len = sizeof(buf);
	char reg[48];
	int l;

	switch (c->op) {
	case ABI_INIT_SVE:
	case ABI_INIT_FP:
		l = snprintf(buf, len, "KVM_ARM_VCPU_INIT (target %u, features %#x",
			     c->target, c->features);
		if (c->features1)
			l += snprintf(buf + l, len - l, ", %#x", c->features1);
		snprintf(buf + l, len - l, ")%s", abi_ptr_names[c->arg]);
		break;
	case ABI_REG_LIST:
		snprintf(buf, len, "KVM_GET_REG_LIST (n %lu)%s%s", c->n,
			 abi_ptr_names[c->arg],
			 c->data == ABI_PTR_OK ? "" : " (reg[] unmapped)");
		break;
	case ABI_FINALIZE_SVE:
	case ABI_FINALIZE_OTHER:
		snprintf(buf, len, "KVM_ARM_VCPU_FINALIZE(%d)%s", c->feature,
			 abi_ptr_names[c->arg]);
		break;
	case ABI_RUN:
		snprintf(buf, len, "KVM_RUN%s", c->arg == ABI_PTR_OK ||
			 c->arg == ABI_PTR_NULL ? "" : " (non-zero argument)");
		break;
	default:
		snprintf(buf, len, "KVM_%s_ONE_REG %s%s%s",
			 abi_op_is_set(c->op) ? "SET" : "GET",
			 abi_reg_name(c->id, reg, sizeof(reg)),
			 abi_ptr_names[c->arg],
			 c->data == ABI_PTR_OK ? "" :
			 c->data == ABI_PTR_NULL ? " (addr NULL)" :
			 c->data == ABI_PTR_UNMAPPED ? " (addr unmapped)" :
			 c->data == ABI_PTR_KERNEL ? " (addr kernel)" :
			 " (addr read-only)");
		break;
	}
	return buf;
}

/* Fail the test on call @c, whose description comes first. */
#define ABI_FAIL(c, fmt, ...)						\
	TEST_FAIL("%s%s: " fmt, abi_host.ctx, abi_call_str(c), ##__VA_ARGS__)

/* Whether the @len bytes at @p are all @val. */
static inline bool abi_all(const uint8_t *p, uint8_t val, size_t len)
{
	return !len || (p[0] == val && !memcmp(p, p + 1, len - 1));
}

static inline int abi_errno(int ret)
{
	return ret ? errno : 0;
}

static inline int abi_do_one_reg(struct abi_vcpu *v, struct abi_call *c)
{
	/* Room for the largest size an ID can encode, and a canary. */
	static uint8_t buf[(1 << 15) + ABI_TAIL] __aligned(16);
	bool get = abi_op_is_get(c->op);
	uint64_t size = KVM_REG_SIZE(c->id);
	size_t len = min_t(size_t, size + ABI_TAIL, sizeof(buf));
	struct kvm_one_reg reg = { .id = c->id };
	struct fp_mismatch mm = {};
	uint8_t exp[ABI_BUF];
	void *arg;
	int err;

	memset(buf, ABI_CANARY, len);
	reg.addr = (uint64_t)abi_ptr(c->data, get ? buf : c->val,
				     min_t(uint64_t, size, ABI_BUF));
	arg = abi_ptr(c->arg, &reg, sizeof(reg));
	err = abi_errno(ioctl(v->vcpu->fd, get ? KVM_GET_ONE_REG : KVM_SET_ONE_REG,
			      arg));
	if (!get || c->data != ABI_PTR_OK)
		return err;
	if (err) {
		if (!abi_all(buf, ABI_CANARY, len))
			ABI_FAIL(c, "failed (%s) but wrote to the buffer",
				 abi_errno_name(err));
		return err;
	}
	if (size > ABI_BUF)
		ABI_FAIL(c, "succeeded for a %lu-byte register", size);
	abi_expected(v, c->id, exp);
	if (memcmp(buf, exp, size)) {
		fp_bytes_equal(exp, buf, size, "", 0, &mm);
		ABI_FAIL(c, "in state %s: byte %u: expected %#lx, got %#lx",
			 abi_col_names[v->col], mm.offset, mm.expected, mm.got);
	}
	if (!abi_all(buf + size, ABI_CANARY, len - size))
		ABI_FAIL(c, "wrote beyond the register's %lu bytes", size);
	return 0;
}

/*
 * The FP/SVE registers KVM_GET_REG_LIST lists must be exactly those of the
 * vCPU's configuration: V0-V31 without SVE; SVE_VLS, Z0-Z31, P0-P15 and
 * FFR (slice 0) with it; FPSR and FPCR.
 */
static inline void abi_check_reg_list(const struct abi_vcpu *v,
				      const struct kvm_reg_list *list)
{
	unsigned int count[ABI_REG_NONE + 1] = {}, i;
	bool sve = abi_col_sve(v->col);
	enum abi_reg r;
	int n;

	for (i = 0; i < list->n; i++) {
		r = abi_reg_of(list->reg[i], &n);
		if (r == ABI_REG_NONE &&
		    (list->reg[i] & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM64_SVE)
			TEST_FAIL("%sKVM_GET_REG_LIST: unexpected SVE register %#llx",
				  abi_host.ctx, list->reg[i]);
		count[r]++;
	}
	TEST_ASSERT(count[ABI_REG_Z] == (sve ? 32 : 0) &&
		    count[ABI_REG_P] == (sve ? 16 : 0) &&
		    count[ABI_REG_FFR] == sve && count[ABI_REG_VLS] == sve &&
		    count[ABI_REG_V] == (sve ? 0 : 32) &&
		    count[ABI_REG_FPSR] == 1 && count[ABI_REG_FPCR] == 1,
		    "%sKVM_GET_REG_LIST, %s vCPU: Z %u, P %u, FFR %u, SVE_VLS %u, V %u, FPSR %u, FPCR %u",
		    abi_host.ctx, sve ? "SVE" : "FP/SIMD", count[ABI_REG_Z],
		    count[ABI_REG_P], count[ABI_REG_FFR], count[ABI_REG_VLS],
		    count[ABI_REG_V], count[ABI_REG_FPSR], count[ABI_REG_FPCR]);
}

static inline int abi_do_reg_list(struct abi_vcpu *v, struct abi_call *c)
{
	uint64_t nregs = abi_host.nregs[abi_col_sve(v->col)];
	struct kvm_reg_list *list = abi_host.list;
	size_t bytes = ABI_LIST_MAX * sizeof(uint64_t);
	void *arg;
	int err;

	/* reg[] unmapped: the header ends the read-write page. */
	if (c->data == ABI_PTR_UNMAPPED)
		list = (struct kvm_reg_list *)(abi_page(2) - sizeof(*list));
	else
		memset(list->reg, ABI_CANARY, bytes);
	list->n = c->n;
	arg = abi_ptr(c->arg, list, sizeof(*list));
	err = abi_errno(ioctl(v->vcpu->fd, KVM_GET_REG_LIST, arg));
	if (c->arg != ABI_PTR_OK)
		return err;

	/* n is written before E2BIG and before faults on reg[]. */
	if (!err || err == E2BIG || (err == EFAULT && c->data != ABI_PTR_OK)) {
		if (list->n != nregs)
			ABI_FAIL(c, "returned %s with n %llu, expected n %lu",
				 abi_errno_name(err), list->n, nregs);
	} else if (list->n != c->n) {
		ABI_FAIL(c, "failed (%s) but changed n to %llu", abi_errno_name(err),
			 list->n);
	}
	if (c->data != ABI_PTR_OK)
		return err;
	if (!err) {
		abi_check_reg_list(v, list);
		if (!abi_all((uint8_t *)&list->reg[nregs], ABI_CANARY,
			     bytes - nregs * sizeof(uint64_t)))
			ABI_FAIL(c, "wrote beyond its %lu registers", nregs);
	} else if (!abi_all((uint8_t *)list->reg, ABI_CANARY, bytes)) {
		ABI_FAIL(c, "failed (%s) but wrote to reg[]", abi_errno_name(err));
	}
	return err;
}

/*
 * Make call @c on @v: assert the expected errno and output, update the
 * model. Returns the errno.
 */
static inline int abi_do(struct abi_vcpu *v, struct abi_call *c)
{
	int exp = abi_expect(v, c), err, feature = c->feature;
	struct kvm_vcpu_init init = { .target = c->target };
	enum abi_col col = v->col;
	void *arg;

	switch (c->op) {
	case ABI_INIT_SVE:
	case ABI_INIT_FP:
		init.features[0] = c->features;
		init.features[1] = c->features1;
		arg = abi_ptr(c->arg, &init, sizeof(init));
		err = abi_errno(ioctl(v->vcpu->fd, KVM_ARM_VCPU_INIT, arg));
		break;
	case ABI_REG_LIST:
		err = abi_do_reg_list(v, c);
		break;
	case ABI_FINALIZE_SVE:
	case ABI_FINALIZE_OTHER:
		arg = abi_ptr(c->arg, &feature, sizeof(feature));
		err = abi_errno(ioctl(v->vcpu->fd, KVM_ARM_VCPU_FINALIZE, arg));
		break;
	case ABI_RUN:
		arg = c->arg == ABI_PTR_OK || c->arg == ABI_PTR_NULL ? NULL :
		      abi_ptr(c->arg, &feature, sizeof(feature));
		err = abi_errno(ioctl(v->vcpu->fd, KVM_RUN, arg));
		break;
	default:
		err = abi_do_one_reg(v, c);
		break;
	}

	if (err != exp)
		ABI_FAIL(c, "in state %s: expected %s, got %s (%d)", abi_col_names[col],
			 abi_errno_name(exp), abi_errno_name(err), err);
	abi_apply(v, c, err);
	if (!err && (c->op == ABI_INIT_SVE || c->op == ABI_INIT_FP))
		abi_vcpu_setup(v, &init);
	if (!err && c->op == ABI_RUN)
		abi_check_run_exit(v);
	return err;
}

/* GET of register @id on @v, checked against the model. */
static inline int abi_get(struct abi_vcpu *v, uint64_t id)
{
	struct abi_call c;

	abi_call_reg(&c, id, false);
	return abi_do(v, &c);
}

/*
 * Read everything back and compare with the model: VLS, every Z/P/FFR or V
 * register where they are accessible (else one of them, for its errno),
 * FPSR, FPCR (abi_check_regs()) and KVM_GET_REG_LIST (abi_check_list()).
 */
static inline void abi_check_list(struct abi_vcpu *v)
{
	struct abi_call c;

	abi_call_init(&c, ABI_REG_LIST);
	abi_do(v, &c);
}

static inline void abi_check_regs(struct abi_vcpu *v)
{
	bool zpf = !abi_table_errno(ABI_GET_ZPF, v->col);
	bool vregs = !abi_table_errno(ABI_GET_V, v->col);
	int n;

	abi_get(v, KVM_REG_ARM64_SVE_VLS);
	for (n = 0; n < (zpf ? FP_NR_ZREGS : 1); n++)
		abi_get(v, KVM_REG_ARM64_SVE_ZREG(n, 0));
	for (n = 0; n < (zpf ? FP_NR_PREGS : 1); n++)
		abi_get(v, KVM_REG_ARM64_SVE_PREG(n, 0));
	abi_get(v, KVM_REG_ARM64_SVE_FFR(0));
	for (n = 0; n < (vregs ? FP_NR_ZREGS : 1); n++)
		abi_get(v, FP_VREG_ID(n));
	abi_get(v, FP_FPSR_ID);
	abi_get(v, FP_FPCR_ID);
}

static inline void abi_check(struct abi_vcpu *v)
{
	abi_check_regs(v);
	abi_check_list(v);
}

/* ------------------------------------------------------------ set values */

/* A valid value for register @id of @v (FFR: monotonic, FPSR/FPCR: defined bits). */
static inline void abi_fill_value(struct abi_vcpu *v, struct abi_call *c,
				  uint64_t seed)
{
	unsigned int i, bits;
	uint64_t w;
	int n;

	for (i = 0; i < ABI_BUF / 8; i++) {
		w = fp_mix(seed ^ fp_mix(i));
		memcpy(c->val + i * 8, &w, 8);
	}
	switch (abi_reg_of(c->id, &n)) {
	case ABI_REG_FFR:
		bits = fp_mix(seed) % (abi_vl(v) + 1);
		memset(c->val, 0, FP_PREG_BYTES);
		for (i = 0; i < bits; i++)
			c->val[i / 8] |= 1 << (i % 8);
		break;
	case ABI_REG_FPSR:
		w = fp_mix(seed) & FP_FPSR_MASK;
		memcpy(c->val, &w, 8);
		break;
	case ABI_REG_FPCR:
		w = fp_mix(seed) & FP_FPCR_MASK;
		memcpy(c->val, &w, 8);
		break;
	case ABI_REG_VLS:
		/* The host's VQs up to one of them. */
		do {
			i = 1 + fp_mix(seed++) % (abi_host.max_vq ? abi_host.max_vq : 1);
		} while (abi_host.max_vq && !abi_vq_present(abi_host.vqs, i));
		memset(c->val, 0, ABI_BUF);
		abi_vls_prefix((uint64_t *)c->val, i);
		break;
	default:
		break;
	}
}

/* -------------------------------------------------------- VMs and vCPUs */

static inline void abi_vm_create(struct abi_vm *m, struct abi_vcpu *vcpus,
				 int nr)
{
	int i;

	memset(m, 0, sizeof(*m));
	/* Room for a vCPU per table row. */
	m->vm = vm_create(ABI_NR_OPS);
	vm_init_descriptor_tables(m->vm);
	for (i = 0; i < nr; i++) {
		memset(&vcpus[i], 0, sizeof(vcpus[i]));
		vcpus[i].vm = m;
		vcpus[i].col = ABI_BEFORE;
		vcpus[i].vcpu = __vm_vcpu_add(m->vm, i);
	}
}

/* Add vCPU @id, uninitialised, to @m. */
static inline void abi_vcpu_add(struct abi_vm *m, struct abi_vcpu *v, int id)
{
	memset(v, 0, sizeof(*v));
	v->vm = m;
	v->col = ABI_BEFORE;
	v->vcpu = __vm_vcpu_add(m->vm, id);
}

/*
 * What the host offers: SVE vector lengths (KVM_REG_ARM64_SVE_VLS of a
 * fresh SVE vCPU), the preferred target, the KVM_GET_REG_LIST count of
 * each kind of vCPU; and the pages for bad pointers.
 */
static inline void abi_host_init(void)
{
	struct kvm_vcpu_init init;
	struct kvm_reg_list list;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int sve, feature = KVM_ARM_VCPU_SVE, ret;

	abi_host.max_vq = fp_kvm_sve_vqs(abi_host.vqs);
	abi_host.page_size = getpagesize();
	abi_host.pages = mmap(NULL, 3 * abi_host.page_size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(abi_host.pages != MAP_FAILED, "mmap: errno %d", errno);
	TEST_ASSERT(!mprotect(abi_page(0), abi_host.page_size, PROT_READ) &&
		    !mprotect(abi_page(2), abi_host.page_size, PROT_NONE),
		    "mprotect: errno %d", errno);
	abi_host.list = calloc(1, sizeof(struct kvm_reg_list) +
				  ABI_LIST_MAX * sizeof(uint64_t));
	TEST_ASSERT(abi_host.list, "calloc");
	abi_bad_ids_init();

	for (sve = 0; sve < 1 + !!abi_host.max_vq; sve++) {
		vm = vm_create_barebones();
		vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
		abi_host.target = init.target;
		init.features[0] = ABI_FEATURES(sve);
		vcpu = __vm_vcpu_add(vm, 0);
		vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
		if (sve)
			vcpu_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &feature);
		list.n = 0;
		ret = ioctl(vcpu->fd, KVM_GET_REG_LIST, &list);
		TEST_ASSERT(ret == -1 && errno == E2BIG && list.n &&
			    list.n < ABI_LIST_MAX,
			    "KVM_GET_REG_LIST with n 0: expected E2BIG and n, got %d, errno %d, n %llu",
			    ret, errno, list.n);
		abi_host.nregs[sve] = list.n;
		kvm_vm_free(vm);
	}
}

static inline void abi_print_host(void)
{
	char vqs[128] = "";
	unsigned int vq;
	int len = 0;

	for (vq = 1; vq <= FP_VQ_MAX; vq++)
		if (abi_vq_present(abi_host.vqs, vq))
			len += snprintf(vqs + len, sizeof(vqs) - len, " %u", vq);
	if (abi_host.max_vq)
		ksft_print_msg("host: KVM_CAP_ARM_SVE, VQs%s (max %u); KVM_GET_REG_LIST: %lu registers (FP/SIMD vCPU), %lu (SVE vCPU)\n",
			       vqs, abi_host.max_vq, abi_host.nregs[0], abi_host.nregs[1]);
	else
		ksft_print_msg("host: no KVM_CAP_ARM_SVE; KVM_GET_REG_LIST: %lu registers (FP/SIMD vCPU)\n",
			       abi_host.nregs[0]);
}

/* ---------------------------------------------------------- kernel log */

/*
 * /dev/kmsg from now on: fail on what the kernel reports when it goes
 * wrong. Returns the fd, or -1 if there is no /dev/kmsg to read.
 */
static inline int abi_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline bool abi_kmsg_bad(const char *msg)
{
	const char *p;

	if (strstr(msg, "WARNING:") || strstr(msg, "Oops") ||
	    strstr(msg, "Call trace"))
		return true;
	for (p = strstr(msg, "BUG"); p; p = strstr(p + 1, "BUG"))
		if ((p == msg || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[3]))
			return true;
	return false;
}

/* Read the new records; fail on a report. Returns the number read. */
static inline unsigned int abi_kmsg_check(int fd)
{
	char rec[2048], *msg;
	unsigned int nr = 0;
	ssize_t len;

	if (fd < 0)
		return 0;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (len <= 0)
			break;
		rec[len] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		TEST_ASSERT(!abi_kmsg_bad(msg), "%skernel log: %s", abi_host.ctx, msg);
		nr++;
	}
	return nr;
}

#endif /* SELFTEST_KVM_FP_ABI_H */
