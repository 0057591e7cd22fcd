/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FP/SIMD and SVE register helpers for the fp_* KVM selftests.
 *
 * Shared by fp_state_integrity, fp_host_state, fp_isolation,
 * sve_state_roundtrip and fp_softirq_neon:
 *
 *  - struct fp_state: an image of V0-V31 or Z0-Z31, P0-P15, FFR, FPSR and
 *    FPCR. Each Z (or V) register has a 256-byte slot and each P register
 *    and FFR a 32-byte slot: the size of the 2048-bit KVM_{GET,SET}_ONE_REG
 *    buffers, whose layout is that of an SVE STR to memory, so an ioctl
 *    buffer and a guest's own store of the same register compare bytewise.
 *
 *  - Patterns: fp_fill() derives every byte from a 64-bit seed (tag, vCPU,
 *    iteration, exit). The tag sits in the top 16 bits of every 64-bit word
 *    of Z and P, so that data which turns up in the wrong place can be
 *    attributed; FFR is filled with a monotonic predicate (the only values
 *    WRFFR is architecturally defined for).
 *
 *  - Guest side: fp_guest_exit() loads a state, optionally keeps it live
 *    for a while (so that host interrupts, and what the host runs on them,
 *    land while the guest's registers hold it), leaves the guest (an HVC
 *    that KVM answers in the kernel, or a UCALL_SYNC to userspace) and
 *    stores the registers again, all in one asm statement so that no
 *    compiler-generated code can touch an FP register between the fill and
 *    the check. The ucall is a prebuilt struct ucall whose address the asm
 *    writes to the ucall MMIO page, so the host sees an ordinary UCALL_SYNC.
 *
 *  - Host side: vCPU creation with a chosen vector length
 *    (KVM_REG_ARM64_SVE_VLS before KVM_ARM_VCPU_FINALIZE), register-ID
 *    helpers, reads of the whole FP/SVE state with the padding check that
 *    bytes beyond the vector length read as zero, KVM_RUN issued by an
 *    inline-asm SVC with the caller's own FP/SVE registers live across it,
 *    and a busy thread which competes for a CPU while checking its own
 *    FP/SIMD registers.
 */
#ifndef SELFTEST_KVM_FP_REGS_H
#define SELFTEST_KVM_FP_REGS_H

#include <pthread.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/arm-smccc.h>
#include <linux/psci.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#define FP_NR_ZREGS		32
#define FP_NR_PREGS		16
#define FP_VQ_MAX		16			/* 2048-bit vectors */
#define FP_ZREG_BYTES		(FP_VQ_MAX * 16)	/* ioctl buffer size */
#define FP_PREG_BYTES		(FP_ZREG_BYTES / 8)
#define FP_VREG_BYTES		16

/* FPSR: QC, IDC, IXC, UFC, OFC, DZC, IOC. */
#define FP_FPSR_MASK		0x0800009fULL
/* FPCR: AHP, DN, FZ, RMode: implemented wherever FP is. */
#define FP_FPCR_MASK		0x07c00000ULL

#define FP_TAG_SHIFT		48
#define FP_TAG_MASK		(0xffffULL << FP_TAG_SHIFT)
/* Pattern tags: the host's own registers, the busy threads, the guests. */
#define FP_TAG_HOST		0x4854		/* "HT" */
#define FP_TAG_BUSY		0x4259		/* "BY" */
#define FP_TAG_GUEST(n)		(0x4700 + (n))	/* "G" + VM number */

/* Word indices of the pattern generator. */
#define FP_IDX_P		(FP_NR_ZREGS * FP_ZREG_BYTES / 8)
#define FP_IDX_FFR		(FP_IDX_P + FP_NR_PREGS * FP_PREG_BYTES / 8)
#define FP_IDX_FPSR		(FP_IDX_FFR + 1)
#define FP_IDX_FPCR		(FP_IDX_FFR + 2)

/*
 * Register image. @z holds Z<n> in its first VL bytes, or V<n> in its first
 * 16 bytes on a vCPU (or host thread) without SVE; @p and @ffr their first
 * VL / 8 bytes. Bytes beyond that are not part of the state.
 */
struct fp_state {
	uint8_t z[FP_NR_ZREGS][FP_ZREG_BYTES];
	uint8_t p[FP_NR_PREGS][FP_PREG_BYTES];
	uint8_t ffr[FP_PREG_BYTES];
	uint64_t fpsr;
	uint64_t fpcr;
} __aligned(16);

/* First difference found by fp_state_compare(). */
struct fp_mismatch {
	const char *reg;	/* "v", "z", "p", "ffr", "fpsr", "fpcr" */
	int n;			/* register number, -1 for FFR/FPSR/FPCR */
	unsigned int offset;	/* byte offset of @expected/@got */
	uint64_t expected;
	uint64_t got;
};

/* ---------------------------------------------------------- patterns */

static inline uint64_t fp_mix(uint64_t x)
{
	/* splitmix64 finaliser */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A seed unique per pattern tag (VM), vCPU, iteration and exit. */
static inline uint64_t fp_seed(uint16_t tag, uint32_t vcpu, uint32_t iter,
			       uint32_t exit)
{
	return ((uint64_t)tag << FP_TAG_SHIFT) | ((uint64_t)(vcpu & 0xff) << 40) |
	       ((uint64_t)iter << 8) | (exit & 0xff);
}

static inline uint64_t fp_word(uint64_t seed, uint32_t idx)
{
	uint64_t w = fp_mix(seed ^ fp_mix(idx));

	return (w & ~FP_TAG_MASK) | (seed & FP_TAG_MASK);
}

/*
 * Fill @s from @seed for vector length @vl bytes (0: FP/SIMD only, V0-V31).
 * Bytes beyond the vector length are set to zero, as KVM_GET_ONE_REG
 * returns them.
 */
static inline void fp_fill(struct fp_state *s, uint64_t seed, unsigned int vl)
{
	unsigned int zbytes = vl ? vl : FP_VREG_BYTES;
	unsigned int pbytes = vl / 8;
	unsigned int n, i, ffr_bits;
	uint64_t w;

	memset(s, 0, sizeof(*s));
	for (n = 0; n < FP_NR_ZREGS; n++)
		for (i = 0; i < zbytes / 8; i++)
			((uint64_t *)s->z[n])[i] =
				fp_word(seed, n * FP_ZREG_BYTES / 8 + i);

	for (n = 0; n < FP_NR_PREGS && vl; n++) {
		for (i = 0; i < pbytes; i++) {
			w = fp_word(seed, FP_IDX_P + n * FP_PREG_BYTES / 8 + i / 8);
			s->p[n][i] = w >> (8 * (i % 8));
		}
	}

	/* FFR: a monotonic predicate, 0 to VL (in bytes) leading ones. */
	if (vl) {
		ffr_bits = fp_word(seed, FP_IDX_FFR) % (vl + 1);
		for (i = 0; i < ffr_bits; i++)
			s->ffr[i / 8] |= 1 << (i % 8);
	}

	s->fpsr = fp_word(seed, FP_IDX_FPSR) & FP_FPSR_MASK;
	s->fpcr = fp_word(seed, FP_IDX_FPCR) & FP_FPCR_MASK;
}

static inline bool fp_mismatch_word(struct fp_mismatch *mm, const char *reg,
				    int n, unsigned int offset,
				    uint64_t expected, uint64_t got)
{
	mm->reg = reg;
	mm->n = n;
	mm->offset = offset;
	mm->expected = expected;
	mm->got = got;
	return false;
}

static inline bool fp_bytes_equal(const uint8_t *exp, const uint8_t *got,
				  unsigned int len, const char *reg, int n,
				  struct fp_mismatch *mm)
{
	unsigned int i, j;
	uint64_t e, g;

	/* Compare in 64-bit words (the tail of a 2-byte P register too). */
	for (i = 0; i < len; i += 8) {
		e = 0;
		g = 0;
		for (j = 0; j < 8 && i + j < len; j++) {
			e |= (uint64_t)exp[i + j] << (8 * j);
			g |= (uint64_t)got[i + j] << (8 * j);
		}
		if (e != g)
			return fp_mismatch_word(mm, reg, n, i, e, g);
	}
	return true;
}

/*
 * Compare the architectural state of @exp and @got at vector length @vl
 * (0: FP/SIMD only). On a difference, describe the first one in @mm.
 */
static inline bool fp_state_compare(const struct fp_state *exp,
				    const struct fp_state *got,
				    unsigned int vl, struct fp_mismatch *mm)
{
	unsigned int zbytes = vl ? vl : FP_VREG_BYTES;
	const char *zname = vl ? "z" : "v";
	int n;

	for (n = 0; n < FP_NR_ZREGS; n++)
		if (!fp_bytes_equal(exp->z[n], got->z[n], zbytes, zname, n, mm))
			return false;

	for (n = 0; n < FP_NR_PREGS && vl; n++)
		if (!fp_bytes_equal(exp->p[n], got->p[n], vl / 8, "p", n, mm))
			return false;

	if (vl && !fp_bytes_equal(exp->ffr, got->ffr, vl / 8, "ffr", -1, mm))
		return false;

	if (exp->fpsr != got->fpsr)
		return fp_mismatch_word(mm, "fpsr", -1, 0, exp->fpsr, got->fpsr);
	if (exp->fpcr != got->fpcr)
		return fp_mismatch_word(mm, "fpcr", -1, 0, exp->fpcr, got->fpcr);

	return true;
}

/* ------------------------------------------------ register load/store */

/* Register numbers for the assembler's .irp loops below. */
#define FP_REGS16	"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
#define FP_REGS32	FP_REGS16 ",16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"

/*
 * Loads walk a scratch pointer %[zi] (%[pi]) through the Z (P) slots of a
 * state, stores walk %[zo] (%[po]).
 */
#define FP_LOAD_FPSIMD							\
	"mov	%[zi], %[zin]\n\t"					\
	".irp	i, " FP_REGS32 "\n\t"					\
	"ldr	q\\i, [%[zi]]\n\t"					\
	"add	%[zi], %[zi], #256\n\t"					\
	".endr\n\t"							\
	"msr	fpsr, %[fpsri]\n\t"					\
	"msr	fpcr, %[fpcri]\n\t"

#define FP_STORE_FPSIMD							\
	"mov	%[zo], %[zout]\n\t"					\
	".irp	i, " FP_REGS32 "\n\t"					\
	"str	q\\i, [%[zo]]\n\t"					\
	"add	%[zo], %[zo], #256\n\t"					\
	".endr\n\t"							\
	"mrs	%[fpsro], fpsr\n\t"					\
	"mrs	%[fpcro], fpcr\n\t"

/* FFR goes through P0 first, then P0 gets its own value. */
#define FP_LOAD_SVE							\
	"mov	%[zi], %[zin]\n\t"					\
	"mov	%[pi], %[pin]\n\t"					\
	"ldr	p0, [%[ffri]]\n\t"					\
	"wrffr	p0.b\n\t"						\
	".irp	i, " FP_REGS16 "\n\t"					\
	"ldr	p\\i, [%[pi]]\n\t"					\
	"add	%[pi], %[pi], #32\n\t"					\
	".endr\n\t"							\
	".irp	i, " FP_REGS32 "\n\t"					\
	"ldr	z\\i, [%[zi]]\n\t"					\
	"add	%[zi], %[zi], #256\n\t"					\
	".endr\n\t"							\
	"msr	fpsr, %[fpsri]\n\t"					\
	"msr	fpcr, %[fpcri]\n\t"

#define FP_STORE_SVE							\
	"mov	%[zo], %[zout]\n\t"					\
	"mov	%[po], %[pout]\n\t"					\
	".irp	i, " FP_REGS32 "\n\t"					\
	"str	z\\i, [%[zo]]\n\t"					\
	"add	%[zo], %[zo], #256\n\t"					\
	".endr\n\t"							\
	".irp	i, " FP_REGS16 "\n\t"					\
	"str	p\\i, [%[po]]\n\t"					\
	"add	%[po], %[po], #32\n\t"					\
	".endr\n\t"							\
	"rdffr	p0.b\n\t"						\
	"str	p0, [%[ffro]]\n\t"					\
	"mrs	%[fpsro], fpsr\n\t"					\
	"mrs	%[fpcro], fpcr\n\t"

#define FP_CLOBBER_V							\
	"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",			\
	"v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",		\
	"v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",		\
	"v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31"

/*
 * Wait until the virtual counter has advanced by %[spin] ticks (not at all
 * if 0), touching no FP register. The load pointers %[zi] and %[pi] are
 * free by then and serve as scratch.
 */
#define FP_SPIN								\
	"cbz	%[spin], 5f\n\t"					\
	"mrs	%[zi], cntvct_el0\n"					\
	"4:	mrs	%[pi], cntvct_el0\n\t"				\
	"sub	%[pi], %[pi], %[zi]\n\t"				\
	"cmp	%[pi], %[spin]\n\t"					\
	"b.lo	4b\n"							\
	"5:\t"

/*
 * Operands shared by every load/exit/store asm statement below. The state
 * pointers are inputs only, walked in scratch registers: no output operand
 * is a memory lvalue, whose address the compiler would be free to form from
 * a register that the asm has since advanced.
 */
#define FP_ASM_OUTPUTS							\
	[zi] "=&r" (zi), [pi] "=&r" (pi), [zo] "=&r" (zo), [po] "=&r" (po), \
	[fpsro] "=&r" (fpsr), [fpcro] "=&r" (fpcr)
#define FP_ASM_INPUTS							\
	[zin] "r" (in->z), [pin] "r" (in->p), [zout] "r" (out->z),	\
	[pout] "r" (out->p), [ffri] "r" (in->ffr), [ffro] "r" (out->ffr), \
	[fpsri] "r" (in->fpsr), [fpcri] "r" (in->fpcr)
#define FP_ASM_LOCALS							\
	uint64_t zi, pi, zo, po, fpsr, fpcr

/* ------------------------------------------------------- guest side */

enum fp_exit {
	FP_EXIT_SMCCC_VERSION,	/* HVC answered by KVM in the kernel */
	FP_EXIT_PSCI_VERSION,	/* HVC answered by KVM in the kernel */
	FP_EXIT_SYNC,		/* UCALL_SYNC: exit to userspace */
	FP_NR_EXITS,		/* the exits of a round of most tests */
	/*
	 * fp_kernel_neon only: an HVC KVM answers in the kernel as not
	 * supported, on which the kernel_neon test hook uses kernel-mode NEON
	 * in the vCPU's thread.
	 */
	FP_EXIT_KERNEL_NEON = FP_NR_EXITS,
};

/* The kernel_neon hook's function ID (testhooks/kernel_neon.c). */
#define FP_KERNEL_NEON_FUNC						\
	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64,	\
			   ARM_SMCCC_OWNER_VENDOR_HYP, 0x3f)

static inline const char *fp_exit_name(enum fp_exit exit)
{
	switch (exit) {
	case FP_EXIT_SMCCC_VERSION:
		return "HVC SMCCC_VERSION";
	case FP_EXIT_PSCI_VERSION:
		return "HVC PSCI_VERSION";
	case FP_EXIT_SYNC:
		return "UCALL_SYNC";
	case FP_EXIT_KERNEL_NEON:
		return "HVC with kernel-mode NEON";
	default:
		return "?";
	}
}

/* Per-vCPU guest data: the host fills in the first part. */
struct fp_guest {
	uint32_t vcpu_id;
	uint16_t tag;		/* pattern tag, distinct per VM */
	uint32_t vl;		/* vector length in bytes, 0: no SVE */
	uint32_t iterations;
	uint64_t spin_ticks;	/* CNTVCT ticks with the state live, per exit */
	struct ucall sync;	/* UCALL_SYNC, ->hva set by the host */

	uint64_t hvc_exits;	/* counted by the guest */
	uint64_t sync_exits;
	struct fp_state in;
	struct fp_state out;
};

/*
 * Host side, after the run: each of @g's iterations took two HVC exits and
 * one UCALL_SYNC, which the host saw @host_syncs times.
 */
static inline void fp_assert_exit_counts(int vcpu, const struct fp_guest *g,
					 uint64_t host_syncs)
{
	TEST_ASSERT(g->hvc_exits == 2ULL * g->iterations &&
		    g->sync_exits == g->iterations &&
		    host_syncs == g->iterations,
		    "vCPU %d: expected %u HVC and %u UCALL_SYNC exits, got %lu and %lu (host saw %lu)",
		    vcpu, 2 * g->iterations, g->iterations, g->hvc_exits,
		    g->sync_exits, host_syncs);
}

/*
 * The exit itself: an HVC with @fn in w0 if @mmio is NULL, else a store of
 * @val to @mmio (the ucall page). @load false skips the loads, so the
 * stores then see what the registers held before the exit was taken.
 * Before the exit, the registers stay live for @spin_ticks ticks of the
 * virtual counter (FP_SPIN). Returns x0: the SMCCC result of an HVC.
 */
#define FP_DEFINE_GUEST_EXIT(kind, arch, LOAD, STORE)			\
static inline uint64_t fp_guest_exit_##kind(const struct fp_state *in,	\
					    struct fp_state *out,	\
					    bool load, uint64_t spin_ticks, \
					    uint64_t *mmio, uint64_t val, \
					    uint32_t fn)		\
{									\
	FP_ASM_LOCALS;							\
	register uint64_t x0 asm("x0") = fn;				\
									\
	asm volatile(arch						\
		     "cbz	%[load], 1f\n\t"				\
		     LOAD						\
		     "1:\t"						\
		     FP_SPIN						\
		     "cbz	%[mmio], 2f\n\t"				\
		     "str	%[val], [%[mmio]]\n\t"			\
		     "b	3f\n"						\
		     "2:	hvc	#0\n"					\
		     "3:\n\t"						\
		     STORE						\
		     : FP_ASM_OUTPUTS, "+r" (x0)			\
		     : FP_ASM_INPUTS, [load] "r" ((uint64_t)load),	\
		       [mmio] "r" (mmio), [val] "r" (val),		\
		       [spin] "r" (spin_ticks)				\
		     : "x1", "x2", "x3", "memory", "cc", FP_CLOBBER_V);	\
	out->fpsr = fpsr;						\
	out->fpcr = fpcr;						\
	return x0;							\
}

FP_DEFINE_GUEST_EXIT(sve, ".arch_extension sve\n\t", FP_LOAD_SVE, FP_STORE_SVE)
FP_DEFINE_GUEST_EXIT(fpsimd, "", FP_LOAD_FPSIMD, FP_STORE_FPSIMD)

/*
 * Enable SVE at EL1, ask for the largest vector length (ZCR_EL1.LEN = 0xf,
 * which KVM caps at the vCPU's maximum) and check that it is @g->vl.
 */
static inline void fp_guest_setup(struct fp_guest *g)
{
	uint64_t vl;

	if (!g->vl)
		return;

	write_sysreg(read_sysreg(cpacr_el1) | CPACR_ELx_ZEN, cpacr_el1);
	isb();
	write_sysreg_s(0xf, SYS_ZCR_EL1);
	isb();
	asm volatile(".arch_extension sve\n\trdvl	%0, #1" : "=r" (vl));
	__GUEST_ASSERT(vl == g->vl,
		       "vCPU %u: RDVL after ZCR_EL1.LEN = 0xf: expected VL %u bytes, got %lu",
		       g->vcpu_id, g->vl, vl);
}

/*
 * Take exit @exit with @g->out receiving the registers afterwards; if @load,
 * @g->in is loaded first and stays live for @g->spin_ticks ticks of the
 * virtual counter before the exit. Checks the SMCCC result of the HVC
 * exits.
 */
static inline void fp_guest_exit(struct fp_guest *g, bool load,
				 enum fp_exit exit)
{
	uint64_t *mmio = NULL, val = 0, ret;
	uint32_t fn = 0;

	switch (exit) {
	case FP_EXIT_SMCCC_VERSION:
		fn = ARM_SMCCC_VERSION_FUNC_ID;
		break;
	case FP_EXIT_PSCI_VERSION:
		fn = PSCI_0_2_FN_PSCI_VERSION;
		break;
	case FP_EXIT_SYNC:
		mmio = (uint64_t *)ucall_exit_mmio_addr;
		val = (uint64_t)g->sync.hva;
		break;
	case FP_EXIT_KERNEL_NEON:
		fn = FP_KERNEL_NEON_FUNC;
		break;
	default:
		GUEST_FAIL("unknown exit %d", exit);
	}

	if (g->vl)
		ret = fp_guest_exit_sve(&g->in, &g->out, load, g->spin_ticks,
					mmio, val, fn);
	else
		ret = fp_guest_exit_fpsimd(&g->in, &g->out, load,
					   g->spin_ticks, mmio, val, fn);

	if (exit == FP_EXIT_SYNC) {
		g->sync_exits++;
	} else if (exit == FP_EXIT_KERNEL_NEON) {
		g->hvc_exits++;
		__GUEST_ASSERT(ret == (uint64_t)SMCCC_RET_NOT_SUPPORTED,
			       "vCPU %u: %s returned %#lx, expected SMCCC_RET_NOT_SUPPORTED",
			       g->vcpu_id, fp_exit_name(exit), ret);
	} else {
		g->hvc_exits++;
		__GUEST_ASSERT(ret >= 0x10000 && ret < 0x80000000,
			       "vCPU %u: %s returned %#lx, expected a version from KVM",
			       g->vcpu_id, fp_exit_name(exit), ret);
	}
}

/* Check @g->out against @exp; report the first difference. */
static inline void fp_guest_check(struct fp_guest *g,
				  const struct fp_state *exp,
				  uint32_t iter, const char *what)
{
	struct fp_mismatch mm;

	if (fp_state_compare(exp, &g->out, g->vl, &mm))
		return;

	GUEST_FAIL("guest %#x vCPU %u iteration %u, %s: %s%d byte %u: expected %#lx, got %#lx",
		   g->tag, g->vcpu_id, iter, what, mm.reg, mm.n, mm.offset,
		   mm.expected, mm.got);
}

/*
 * Fill with a fresh pattern for (@iter, @step), take @exit, check every
 * register. A UCALL_SYNC carries (vCPU, @iter, @step) in its arguments.
 */
static inline void fp_guest_exit_check(struct fp_guest *g, uint32_t iter,
				       uint32_t step, enum fp_exit exit)
{
	fp_fill(&g->in, fp_seed(g->tag, g->vcpu_id, iter, step), g->vl);
	WRITE_ONCE(g->sync.args[0], g->vcpu_id);
	WRITE_ONCE(g->sync.args[1], iter);
	WRITE_ONCE(g->sync.args[2], step);
	fp_guest_exit(g, true, exit);
	fp_guest_check(g, &g->in, iter, fp_exit_name(exit));
}

/*
 * The guest of most tests: @g->iterations rounds of every exit of
 * fp_exit up to FP_NR_EXITS, each with a fresh pattern checked afterwards.
 */
static inline void fp_guest_rounds(struct fp_guest *g)
{
	uint32_t iter;
	int exit;

	fp_guest_setup(g);
	for (iter = 0; iter < g->iterations; iter++)
		for (exit = 0; exit < FP_NR_EXITS; exit++)
			fp_guest_exit_check(g, iter, exit, exit);
	GUEST_DONE();
}

/* -------------------------------------------------------- host side */

/*
 * The three parts of most tests, each a TAP result: @run(name, vq, tag)
 * for an FP/SIMD-only VM, then SVE at @max_vq (the largest KVM offers,
 * 0 without KVM_CAP_ARM_SVE) and at VQ 1, with "@what" ending each name
 * and the pattern tags FP_TAG_GUEST(@tag), (@tag + 1) and (@tag + 2).
 */
static inline void fp_run_fpsimd_max_vq1(void (*run)(const char *name,
						     unsigned int vq,
						     uint16_t tag),
					 unsigned int max_vq, const char *what,
					 uint16_t tag)
{
	char name[128];

	snprintf(name, sizeof(name), "fpsimd: V0-V31/FPSR/FPCR %s", what);
	run(name, 0, FP_TAG_GUEST(tag));
	if (!max_vq) {
		ksft_test_result_skip("sve: max VQ: no KVM_CAP_ARM_SVE\n");
		ksft_test_result_skip("sve: VQ 1: no KVM_CAP_ARM_SVE\n");
		return;
	}
	snprintf(name, sizeof(name), "sve: VQ %u (max) Z/P/FFR %s", max_vq,
		 what);
	run(name, max_vq, FP_TAG_GUEST(tag + 1));
	if (max_vq == 1) {
		ksft_test_result_skip("sve: VQ 1: the host's max VQ is 1, tested above\n");
		return;
	}
	snprintf(name, sizeof(name), "sve: VQ 1 Z/P/FFR %s", what);
	run(name, 1, FP_TAG_GUEST(tag + 2));
}

#define FP_FPSR_ID	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(fp_regs.fpsr))
#define FP_FPCR_ID	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(fp_regs.fpcr))
#define FP_VREG_ID(n)	(KVM_REG_ARM64 | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(fp_regs.vregs[n]))

static inline unsigned int fp_vl(unsigned int vq)
{
	return vq * 16;
}

static inline bool fp_vq_present(const uint64_t *vqs, unsigned int vq)
{
	return vqs[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64));
}

/*
 * The vector lengths KVM offers: KVM_REG_ARM64_SVE_VLS of a fresh SVE vCPU.
 * Returns the maximum VQ, 0 without KVM_CAP_ARM_SVE.
 */
static inline unsigned int fp_kvm_sve_vqs(uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS])
{
	struct kvm_vcpu_init init;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	unsigned int vq, max_vq = 0;

	memset(vqs, 0, KVM_ARM64_SVE_VLS_WORDS * sizeof(uint64_t));
	if (!kvm_has_cap(KVM_CAP_ARM_SVE))
		return 0;

	vm = vm_create_barebones();
	vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] |= 1 << KVM_ARM_VCPU_SVE;
	vcpu = __vm_vcpu_add(vm, 0);
	vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
	vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vqs);
	kvm_vm_free(vm);

	for (vq = 1; vq <= FP_VQ_MAX; vq++)
		if (fp_vq_present(vqs, vq))
			max_vq = vq;
	TEST_ASSERT(max_vq, "KVM_REG_ARM64_SVE_VLS: expected at least VQ 1, got none");
	return max_vq;
}

/* A supported VQ strictly between 1 and @max_vq, nearest to half; or 0. */
static inline unsigned int fp_mid_vq(const uint64_t *vqs, unsigned int max_vq)
{
	unsigned int vq, best = 0;

	for (vq = 2; vq < max_vq; vq++)
		if (fp_vq_present(vqs, vq) &&
		    (!best || abs((int)vq * 2 - (int)max_vq) <
			      abs((int)best * 2 - (int)max_vq)))
			best = vq;
	return best;
}

/*
 * Limit an initialised, not yet finalised SVE vCPU to @vq: the set must be
 * exactly the supported VQs up to @vq. Read it back to check.
 */
static inline void fp_set_vls(struct kvm_vcpu *vcpu, unsigned int vq)
{
	uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS], got[KVM_ARM64_SVE_VLS_WORDS];
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64_SVE_VLS,
		.addr = (uint64_t)vqs,
	};
	unsigned int i;

	vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vqs);
	TEST_ASSERT(fp_vq_present(vqs, vq),
		    "VQ %u: expected in KVM_REG_ARM64_SVE_VLS, got %#llx", vq,
		    (unsigned long long)vqs[0]);
	for (i = vq; i < KVM_ARM64_SVE_VLS_WORDS * 64; i++)
		vqs[i / 64] &= ~(1ULL << (i % 64));

	vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &reg);
	vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, got);
	TEST_ASSERT(!memcmp(vqs, got, sizeof(vqs)),
		    "KVM_REG_ARM64_SVE_VLS: set %#llx, read back %#llx",
		    (unsigned long long)vqs[0], (unsigned long long)got[0]);
}

/*
 * Add vCPU @id running @guest_code, initialised (KVM_ARM_VCPU_INIT) with
 * PSCI 0.2 and, if @sve, SVE: not yet finalised.
 */
static inline struct kvm_vcpu *__fp_vcpu_add(struct kvm_vm *vm, uint32_t id,
					     void *guest_code, bool sve)
{
	struct kvm_vcpu_init init;

	vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	/* PSCI 0.2+, for PSCI_VERSION. */
	init.features[0] |= 1 << KVM_ARM_VCPU_PSCI_0_2;
	if (sve)
		init.features[0] |= 1 << KVM_ARM_VCPU_SVE;
	return aarch64_vcpu_add(vm, id, &init, guest_code);
}

static inline void fp_vcpu_finalize_sve(struct kvm_vcpu *vcpu)
{
	int feature = KVM_ARM_VCPU_SVE;

	vcpu_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &feature);
}

/*
 * Add vCPU @id running @guest_code: FP/SIMD only if @vq is 0, else SVE
 * limited to @vq (KVM_REG_ARM64_SVE_VLS) and finalised.
 */
static inline struct kvm_vcpu *fp_vcpu_add(struct kvm_vm *vm, uint32_t id,
					   void *guest_code, unsigned int vq)
{
	struct kvm_vcpu *vcpu = __fp_vcpu_add(vm, id, guest_code, vq);

	if (vq) {
		fp_set_vls(vcpu, vq);
		fp_vcpu_finalize_sve(vcpu);
	}
	return vcpu;
}

/*
 * Set up the guest's copy of @g (a global of the test program) for vCPU
 * @vcpu and pass its address in x0.
 */
static inline struct fp_guest *fp_guest_init(struct kvm_vcpu *vcpu,
					     struct fp_guest *g, uint16_t tag,
					     unsigned int vl,
					     uint32_t iterations)
{
	struct fp_guest *hg = addr_gva2hva(vcpu->vm, (vm_vaddr_t)g);

	memset(hg, 0, sizeof(*hg));
	hg->vcpu_id = vcpu->id;
	hg->tag = tag;
	hg->vl = vl;
	hg->iterations = iterations;
	hg->sync.cmd = UCALL_SYNC;
	hg->sync.hva = &hg->sync;
	vcpu_args_set(vcpu, 1, g);
	return hg;
}

/* Decode the ucall after KVM_RUN: UCALL_SYNC or UCALL_DONE, else fail. */
static inline uint64_t fp_vcpu_ucall(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	uint64_t cmd = get_ucall(vcpu, uc);

	if (cmd == UCALL_ABORT)
		REPORT_GUEST_ASSERT(*uc);
	TEST_ASSERT(cmd == UCALL_SYNC || cmd == UCALL_DONE,
		    "vCPU %u: expected UCALL_SYNC or UCALL_DONE, got ucall %lu (exit reason %u)",
		    vcpu->id, cmd, vcpu->run->exit_reason);
	return cmd;
}

/* Run until the next ucall; report guest assertions. */
static inline uint64_t fp_vcpu_run(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	vcpu_run(vcpu);
	return fp_vcpu_ucall(vcpu, uc);
}

static inline void fp_check_padding(const uint8_t *buf, unsigned int len,
				    unsigned int size, const char *reg, int n)
{
	unsigned int i;

	for (i = len; i < size; i++)
		TEST_ASSERT(!buf[i],
			    "KVM_GET_ONE_REG %s%d: byte %u is beyond the vector length (%u bytes): expected 0, got %#x",
			    reg, n, i, len, buf[i]);
}

/*
 * Read the vCPU's whole FP/SVE state at vector length @vl (0: FP/SIMD) with
 * KVM_GET_ONE_REG, into buffers prefilled with 0xa5, and check that the
 * bytes beyond the vector length read as zero.
 */
static inline void fp_vcpu_get_state(struct kvm_vcpu *vcpu,
				     struct fp_state *s, unsigned int vl)
{
	unsigned int n;

	memset(s, 0xa5, sizeof(*s));
	for (n = 0; n < FP_NR_ZREGS; n++) {
		if (!vl) {
			vcpu_get_reg(vcpu, FP_VREG_ID(n), s->z[n]);
			memset(s->z[n] + FP_VREG_BYTES, 0,
			       FP_ZREG_BYTES - FP_VREG_BYTES);
			continue;
		}
		vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_ZREG(n, 0), s->z[n]);
		fp_check_padding(s->z[n], vl, FP_ZREG_BYTES, "z", n);
	}

	if (vl) {
		for (n = 0; n < FP_NR_PREGS; n++) {
			vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_PREG(n, 0), s->p[n]);
			fp_check_padding(s->p[n], vl / 8, FP_PREG_BYTES, "p", n);
		}
		vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_FFR(0), s->ffr);
		fp_check_padding(s->ffr, vl / 8, FP_PREG_BYTES, "ffr", -1);
	} else {
		memset(s->p, 0, sizeof(s->p));
		memset(s->ffr, 0, sizeof(s->ffr));
	}

	s->fpsr = 0;
	s->fpcr = 0;
	vcpu_get_reg(vcpu, FP_FPSR_ID, &s->fpsr);
	vcpu_get_reg(vcpu, FP_FPCR_ID, &s->fpcr);
}

/* Write the vCPU's whole FP/SVE state with KVM_SET_ONE_REG. */
static inline void fp_vcpu_set_state(struct kvm_vcpu *vcpu,
				     const struct fp_state *s, unsigned int vl)
{
	struct kvm_one_reg reg;
	unsigned int n;

	for (n = 0; n < FP_NR_ZREGS; n++) {
		reg.id = vl ? KVM_REG_ARM64_SVE_ZREG(n, 0) : FP_VREG_ID(n);
		reg.addr = (uint64_t)s->z[n];
		vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &reg);
	}
	for (n = 0; n < FP_NR_PREGS && vl; n++) {
		reg.id = KVM_REG_ARM64_SVE_PREG(n, 0);
		reg.addr = (uint64_t)s->p[n];
		vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &reg);
	}
	if (vl) {
		reg.id = KVM_REG_ARM64_SVE_FFR(0);
		reg.addr = (uint64_t)s->ffr;
		vcpu_ioctl(vcpu, KVM_SET_ONE_REG, &reg);
	}
	vcpu_set_reg(vcpu, FP_FPSR_ID, s->fpsr);
	vcpu_set_reg(vcpu, FP_FPCR_ID, s->fpcr);
}

/*
 * Whose data a mismatching word is, going by its tag: "" if it carries the
 * expected tag or none known, else a note for the failure message.
 */
static inline const char *fp_tag_owner(uint64_t expected, uint64_t got)
{
	uint16_t tag = got >> FP_TAG_SHIFT;

	if (tag == expected >> FP_TAG_SHIFT)
		return "";
	if (tag == FP_TAG_HOST)
		return " (the host's pattern)";
	if (tag == FP_TAG_BUSY)
		return " (a busy thread's pattern)";
	if (tag >= FP_TAG_GUEST(0) && tag <= FP_TAG_GUEST(0xff))
		return " (a guest's pattern)";
	return "";
}

/* Host-side TEST_ASSERT on a state comparison. */
static inline void fp_assert_state(const struct fp_state *exp,
				   const struct fp_state *got, unsigned int vl,
				   const char *what)
{
	struct fp_mismatch mm;

	if (fp_state_compare(exp, got, vl, &mm))
		return;
	TEST_FAIL("%s: %s%d byte %u: expected %#lx, got %#lx%s", what,
		  mm.reg, mm.n, mm.offset, mm.expected, mm.got,
		  fp_tag_owner(mm.expected, mm.got));
}

/* The UCALL_SYNC of @vcpu's iteration @iter, step @step, and no other. */
static inline void fp_assert_sync(struct kvm_vcpu *vcpu, const struct ucall *uc,
				  uint64_t iter, uint32_t step)
{
	TEST_ASSERT(uc->args[0] == vcpu->id && uc->args[1] == iter &&
		    uc->args[2] == step,
		    "vCPU %u: expected UCALL_SYNC (vCPU %u, iteration %lu, step %u), got (%lu, %lu, %lu)",
		    vcpu->id, vcpu->id, iter, step,
		    uc->args[0], uc->args[1], uc->args[2]);
}

/*
 * The vCPU of @g is stopped at the UCALL_SYNC of (@iter, @step) with that
 * step's pattern loaded: KVM_GET_ONE_REG must return exactly that,
 * zero-padded.
 */
static inline void fp_assert_vcpu_pattern(struct kvm_vcpu *vcpu,
					  const struct fp_guest *g,
					  uint64_t iter, uint32_t step)
{
	struct fp_state exp, got;
	char what[96];

	fp_fill(&exp, fp_seed(g->tag, vcpu->id, iter, step), g->vl);
	fp_vcpu_get_state(vcpu, &got, g->vl);
	snprintf(what, sizeof(what),
		 "vCPU %u: KVM_GET_ONE_REG at the UCALL_SYNC of iteration %lu",
		 vcpu->id, iter);
	fp_assert_state(&exp, &got, g->vl, what);
}

/* A vCPU statistic from its binary stats fd, e.g. "hvc_exit_stat". */
static inline uint64_t fp_vcpu_stat(struct kvm_vcpu *vcpu, const char *name)
{
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs, *desc;
	uint64_t val = 0;
	int fd, i;

	fd = vcpu_get_stats_fd(vcpu);
	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	for (i = 0; i < header.num_desc; i++) {
		desc = get_stats_descriptor(descs, i, &header);
		if (!strcmp(desc->name, name)) {
			read_stat_data(fd, &header, desc, &val, 1);
			break;
		}
	}
	TEST_ASSERT(i < header.num_desc, "vCPU stat '%s': expected, not found",
		    name);
	free(descs);
	close(fd);
	return val;
}

/*
 * The one option of most tests here: -i <count>, a positive number that
 * @what names in errors. -h calls @help, which exits with KSFT_SKIP; any
 * other option is an error: @help exits with KSFT_FAIL, so that a mistyped
 * argument fails the test instead of skipping it.
 * Returns the count given, or @count without -i.
 */
static inline uint32_t fp_parse_count(int argc, char *argv[], const char *what,
				      uint32_t count,
				      void (*help)(const char *name, int status))
{
	int opt;

	while ((opt = getopt(argc, argv, "hi:")) != -1) {
		switch (opt) {
		case 'i':
			count = atoi_positive(what, optarg);
			break;
		default:
			help(argv[0], opt == 'h' ? KSFT_SKIP : KSFT_FAIL);
		}
	}
	return count;
}

/* The CPUs this task may run on, at most @max of them. */
static inline int fp_host_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int cpu, n = 0;

	TEST_ASSERT(!sched_getaffinity(0, sizeof(set), &set),
		    "sched_getaffinity: expected 0, got errno %d", errno);
	for (cpu = 0; cpu < CPU_SETSIZE && n < max; cpu++)
		if (CPU_ISSET(cpu, &set))
			cpus[n++] = cpu;
	return n;
}

static inline long fp_thread_nivcsw(void)
{
	struct rusage ru;

	TEST_ASSERT(!getrusage(RUSAGE_THREAD, &ru),
		    "getrusage: expected 0, got errno %d", errno);
	return ru.ru_nivcsw;
}

/* ------------------------------------- host registers live across KVM_RUN */

/* The host's SVE vector length in bytes (0: no SVE), raised to its maximum. */
static inline unsigned int fp_host_sve_setup(void)
{
	int ret;

	if (!(getauxval(AT_HWCAP) & HWCAP_SVE))
		return 0;
	/* The largest supported VL not above the requested one. */
	ret = prctl(PR_SVE_SET_VL, FP_ZREG_BYTES);
	TEST_ASSERT(ret >= 0, "PR_SVE_SET_VL: expected a VL, got errno %d", errno);
	return prctl(PR_SVE_GET_VL) & PR_SVE_VL_LEN_MASK;
}

/*
 * ioctl(@fd, @req, @arg) by SVC from inline asm with @in loaded into
 * V0-V31/FPSR/FPCR (or Z0-Z31/P0-P15/FFR/FPSR/FPCR), and @out receiving
 * them right after the SVC returns: no compiler-generated code runs in
 * between. FPCR is restored afterwards. Returns the raw result (-errno).
 */
#define FP_DEFINE_HOST_IOCTL(kind, arch, LOAD, STORE)			\
static inline long fp_host_ioctl_##kind(int fd, unsigned long req,	\
					unsigned long arg,		\
					const struct fp_state *in,	\
					struct fp_state *out)		\
{									\
	FP_ASM_LOCALS;							\
	register long x0 asm("x0") = fd;				\
	register unsigned long x1 asm("x1") = req;			\
	register unsigned long x2 asm("x2") = arg;			\
	register unsigned long x8 asm("x8") = __NR_ioctl;		\
	uint64_t saved_fpcr;						\
									\
	asm volatile(arch						\
		     "mrs	%[saved_fpcr], fpcr\n\t"			\
		     LOAD						\
		     "svc	#0\n\t"					\
		     STORE						\
		     "msr	fpcr, %[saved_fpcr]\n\t"			\
		     : FP_ASM_OUTPUTS, "+r" (x0),			\
		       [saved_fpcr] "=&r" (saved_fpcr)			\
		     : FP_ASM_INPUTS, "r" (x1), "r" (x2), "r" (x8)	\
		     : "memory", "cc", FP_CLOBBER_V);			\
	out->fpsr = fpsr;						\
	out->fpcr = fpcr;						\
	return x0;							\
}

FP_DEFINE_HOST_IOCTL(fpsimd, "", FP_LOAD_FPSIMD, FP_STORE_FPSIMD)
FP_DEFINE_HOST_IOCTL(sve, ".arch_extension sve\n\t", FP_LOAD_SVE, FP_STORE_SVE)

/* What the host's own registers looked like after KVM_RUN. */
struct fp_host_stats {
	uint64_t runs;
	uint64_t sve_preserved;	/* Z upper bits / P / FFR registers kept */
	uint64_t sve_zeroed;	/* ... or zeroed, as the syscall ABI allows */
};

static inline bool fp_all_zero(const uint8_t *buf, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (buf[i])
			return false;
	return true;
}

/*
 * One register of the host's SVE state after a syscall: @len bytes from
 * @from must be preserved or zero (Documentation/arch/arm64/sve.rst, "System
 * call behaviour"), never anything else: in particular not a guest's.
 */
static inline void fp_host_check_sve_reg(const uint8_t *exp,
					 const uint8_t *got, unsigned int from,
					 unsigned int len, const char *reg,
					 int n, struct fp_host_stats *st)
{
	struct fp_mismatch mm = {};

	if (from >= len)
		return;
	if (fp_all_zero(got + from, len - from)) {
		st->sve_zeroed++;
		return;
	}
	if (!memcmp(exp + from, got + from, len - from)) {
		st->sve_preserved++;
		return;
	}
	fp_bytes_equal(exp + from, got + from, len - from, reg, n, &mm);
	TEST_FAIL("host %s%d byte %u after KVM_RUN: expected %#lx (preserved) or 0, got %#lx%s",
		  reg, n, from + mm.offset, mm.expected, mm.got,
		  fp_tag_owner(mm.expected, mm.got));
}

/*
 * KVM_RUN with the host thread's registers loaded with the pattern of
 * @seed (whose tag should be FP_TAG_HOST); check afterwards that V0-V31,
 * FPSR and FPCR are exactly preserved and, with @host_vl (the thread's SVE
 * VL, 0 to use FP/SIMD only), that the rest of Z, P and FFR are preserved
 * or zero. Then complete the run like vcpu_run().
 */
static inline void fp_host_run_checked(struct kvm_vcpu *vcpu,
				       unsigned int host_vl, uint64_t seed,
				       struct fp_host_stats *st)
{
	struct fp_state in, out;
	unsigned int n;
	long ret;

	fp_fill(&in, seed, host_vl);
	do {
		memset(&out, 0, sizeof(out));
		if (host_vl)
			ret = fp_host_ioctl_sve(vcpu->fd, KVM_RUN, 0, &in, &out);
		else
			ret = fp_host_ioctl_fpsimd(vcpu->fd, KVM_RUN, 0, &in, &out);

		/* V0-V31 (Z bits [127:0]), FPSR and FPCR: exactly preserved. */
		fp_assert_state(&in, &out, 0, "host registers after KVM_RUN");

		for (n = 0; n < FP_NR_ZREGS && host_vl; n++)
			fp_host_check_sve_reg(in.z[n], out.z[n], FP_VREG_BYTES,
					      host_vl, "z", n, st);
		for (n = 0; n < FP_NR_PREGS && host_vl; n++)
			fp_host_check_sve_reg(in.p[n], out.p[n], 0, host_vl / 8,
					      "p", n, st);
		if (host_vl)
			fp_host_check_sve_reg(in.ffr, out.ffr, 0, host_vl / 8,
					      "ffr", -1, st);
		st->runs++;
	} while (ret == -EINTR);

	TEST_ASSERT(!ret, "KVM_RUN: expected 0, got %ld", ret);
	assert_on_unhandled_exception(vcpu);
}

/* ------------------------------------------------------- busy thread */

/*
 * A thread pinned to @cpu that competes with vCPU threads for it, so that
 * they are preempted in the middle of KVM_RUN, and that keeps its own
 * pattern in V0-V31/FPSR/FPCR while it spins, checking it each round.
 */
struct fp_busy {
	pthread_t thread;
	int cpu;
	bool stop;
	uint64_t rounds;
	struct fp_state in;
	struct fp_state out;
};

static inline void fp_busy_spin(const struct fp_state *in,
				struct fp_state *out, uint64_t spins)
{
	FP_ASM_LOCALS;
	uint64_t saved_fpcr;

	asm volatile("mrs	%[saved_fpcr], fpcr\n\t"
		     FP_LOAD_FPSIMD
		     "4:	subs	%[spins], %[spins], #1\n\t"
		     "b.ne	4b\n\t"
		     FP_STORE_FPSIMD
		     "msr	fpcr, %[saved_fpcr]\n\t"
		     : FP_ASM_OUTPUTS, [saved_fpcr] "=&r" (saved_fpcr),
		       [spins] "+r" (spins)
		     : FP_ASM_INPUTS
		     : "memory", "cc", FP_CLOBBER_V);
	out->fpsr = fpsr;
	out->fpcr = fpcr;
}

static inline void *fp_busy_thread(void *arg)
{
	struct fp_busy *b = arg;

	kvm_pin_this_task_to_pcpu(b->cpu);
	while (!READ_ONCE(b->stop)) {
		fp_fill(&b->in, fp_seed(FP_TAG_BUSY, b->cpu, b->rounds, 0), 0);
		fp_busy_spin(&b->in, &b->out, 1 << 16);
		fp_assert_state(&b->in, &b->out, 0,
				"busy thread's registers across preemption");
		b->rounds++;
	}
	return NULL;
}

static inline void fp_busy_start(struct fp_busy *b, int cpu)
{
	int ret;

	b->cpu = cpu;
	b->stop = false;
	b->rounds = 0;
	ret = pthread_create(&b->thread, NULL, fp_busy_thread, b);
	TEST_ASSERT(!ret, "pthread_create: expected 0, got %d", ret);
}

static inline uint64_t fp_busy_stop(struct fp_busy *b)
{
	WRITE_ONCE(b->stop, true);
	pthread_join(b->thread, NULL);
	return b->rounds;
}

#endif /* SELFTEST_KVM_FP_REGS_H */
