// SPDX-License-Identifier: GPL-2.0-only
/*
 * fp_exit_bench - cost of a guest exit round trip, with and without FP/SIMD
 * and SVE state in play: a benchmark, not a pass/fail test.
 *
 * Meant to run in an arm64 host kernel under QEMU with
 * "-icount shift=0,align=off,sleep=off", where virtual time is the count of
 * instructions executed (1 ns = 1 instruction): the figures are then
 * instruction counts, deterministic and comparable between two kernels
 * (the C and the Rust FP code). On real hardware they are nanoseconds.
 *
 * Scenarios (-s, any of the letters, or "all" for abcdem):
 *
 *  a  FP-free guest, exits handled in the kernel: the guest loops over an
 *     HVC SMCCC_VERSION, which KVM answers without leaving KVM_RUN. The
 *     loop is inline asm on general registers only, the guest's C code
 *     around it is built general-regs-only (with GCC), and its UCALL_SYNC
 *     is a store from asm as well (no variadic ucall(), whose prologue
 *     saves Q0-Q7): the guest never touches an FP register.
 *  b  As a, with FP/SIMD work on V0-V7 before every HVC: the guest's state
 *     is live in the registers across the in-kernel exits.
 *  c  FP/SIMD work, then a UCALL_SYNC (exit to the VMM) every iteration;
 *     the VMM does some double arithmetic of its own between the runs.
 *     One round trip = one KVM_RUN: vcpu_put saves the guest's registers,
 *     the VMM's own are restored on the way back to userspace, and the
 *     guest's are loaded again on its next FP trap.
 *  d  As c, on an SVE vCPU at the largest vector length (all the host's
 *     vector lengths, finalised), with SVE work on Z0-Z7 and P0; the VMM
 *     does no FP work. Skipped without KVM_CAP_ARM_SVE.
 *  e  As b, with the test hook running kernel-mode NEON in softirq every
 *     -p microseconds on every CPU (kvm_fp_test/softirq_neon in debugfs):
 *     each softirq run that lands while the vCPU is loaded takes the
 *     guest's registers, and the next entry must reload them. Skipped
 *     without the hook.
 *  m  Storage: for a non-SVE vCPU and for each vector length KVM offers,
 *     the size the SVE state needs and what its allocation takes, and the
 *     VM's ID register storage (binary stats, instant values in bytes).
 *
 * Method. The VMM times KVM_RUN with clock_gettime(CLOCK_MONOTONIC), whose
 * counter ticks every 16 ns (16 instructions) here. Two figures:
 *
 *  ns_per_rt       an undisturbed round trip, the scenarios' figure: the
 *                  minimum over 24 short batches. A batch no interrupt,
 *                  preemption or softirq hit executes the same instructions
 *                  every time, so this is the same on every run and boot;
 *                  a timer tick (every 4 ms at HZ=250) lands in some
 *                  batches only. For a and b a batch is a KVM_RUN of 500
 *                  HVCs and one of 1000, and the figure is the difference
 *                  of their minimum times / 500, which cancels the fixed
 *                  costs of a run (the ioctl, vcpu_load/vcpu_put, the first
 *                  FP trap, the exit to userspace); for c and d a batch is
 *                  100 KVM_RUNs, each one round trip. For e, whose softirq
 *                  NEON runs are the point, the figure is the mean below.
 *  ns_per_rt_mean  the mean over a long window, interrupts included: for
 *                  a, b and e (t(2N run) - t(N run)) / N after a warm-up
 *                  run, for c and d t(N runs) / N after a warm-up. It moves
 *                  by about 0.1% between runs with the phase of the ticks.
 *
 * Counters, read from the vCPU's binary stats (KVM_GET_STATS_FD) before
 * and after each timed window: exits, fp_guest_load, fp_guest_save,
 * fp_foreign_entry, fp_softirq_neon; in e also the hook's debugfs counters
 * runs_vcpu_loaded and refused_vcpu_loaded. The window is, for a, b and e,
 * the N run (runs=1: N iterations plus the fixed costs of one KVM_RUN,
 * e.g. one fp_guest_save), and for c and d the N runs (runs=N). Plain
 * deltas rather than (2N run) - (N run) differences, so that no count can
 * come out negative: a one-off event (a preemption, a vcpu_put) in the N
 * run would make a difference -1, which would read as a missing stat. A
 * stat this kernel does not have prints -1, as do the hook counters
 * outside e.
 *
 * Output, one line per scenario and repeat, then the storage lines:
 *
 *   FPBENCH scenario=a rep=1 iters=N runs=1 exits=... ns_per_rt=1234.5
 *     ns_per_rt_mean=1236.0
 *     fp_guest_load=... fp_guest_save=... fp_foreign_entry=...
 *     fp_softirq_neon=... softirq_runs_vcpu_loaded=...
 *     softirq_refused_vcpu_loaded=...          (all on one line)
 *   FPBENCH-MEM vq=V sve_state_bytes=X sve_state_alloc_bytes=Y fpsimd_bytes=528
 *   FPBENCH-MEM vm id_regs_bytes=Z
 *
 * The vCPU of vq=V has the VLS pseudo-register set to all the host's
 * vector lengths up to V (KVM accepts no other set with V as its maximum,
 * and the SVE state is sized by the maximum alone). Lines starting with
 * '#' are comments. The VMM thread is pinned to one CPU (-c, default the
 * last CPU it may run on), one VM exists at a time, and the program exits
 * non-zero only if something fails.
 */
#include <fcntl.h>
#include <getopt.h>
#include <time.h>

#include "fp_hook.h"
#include "fp_regs.h"

#define DEFAULT_REPEATS		2
#define DEFAULT_PERIOD_US	200
#define WARMUP_ITERS		1000
/* Double multiply-adds of the VMM between runs in scenario c. */
#define VMM_FP_STEPS		32

/* GCC can keep the compiler away from FP registers in the guest. */
#ifdef __clang__
#define GUEST_NOFP
#else
#define GUEST_NOFP		__attribute__((target("general-regs-only")))
#endif

enum guest_mode {
	MODE_HVC,		/* a: HVC loop, general registers only */
	MODE_HVC_FP,		/* b, e: FP/SIMD work, then HVC */
	MODE_SYNC_FP,		/* c: FP/SIMD work, then UCALL_SYNC */
	MODE_SYNC_SVE,		/* d: SVE work, then UCALL_SYNC */
};

/* The guest's parameters; the host writes them through its own view. */
struct bench_guest {
	uint64_t mode;
	uint64_t iters;		/* HVC modes: per KVM_RUN */
	uint64_t vl;		/* SVE mode: expected vector length in bytes */
	struct ucall sync;	/* a prebuilt UCALL_SYNC, ->hva set by the host */
};

static struct bench_guest bench;

/* ------------------------------------------------------------ guest */

/* Five FP/SIMD instructions on V0-V7. */
#define GUEST_FP_WORK							\
	"fadd	v0.2d, v0.2d, v1.2d\n\t"				\
	"fmul	v2.2d, v2.2d, v3.2d\n\t"				\
	"fadd	v4.2d, v4.2d, v5.2d\n\t"				\
	"eor	v6.16b, v6.16b, v7.16b\n\t"				\
	"fsub	v1.2d, v1.2d, v3.2d\n\t"

/* Five SVE instructions on Z0-Z7 and P0, at the full vector length. */
#define GUEST_SVE_WORK							\
	"ptrue	p0.b\n\t"						\
	"add	z0.b, z0.b, z1.b\n\t"					\
	"add	z2.d, z2.d, z3.d\n\t"					\
	"fadd	z4.d, p0/m, z4.d, z5.d\n\t"				\
	"eor	z6.d, z6.d, z7.d\n\t"

#define GUEST_CLOBBER_V0_7	"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"

/*
 * Define @name(n): @n HVCs with x0 = SMCCC_VERSION, each preceded by @WORK.
 * It returns x0 of the last one (the SMCCC version KVM answered), 0 if @n
 * is 0.
 */
#define DEFINE_GUEST_HVC_LOOP(name, WORK, ...)				\
static noinline uint64_t name(uint64_t n)				\
{									\
	register uint64_t x0 asm("x0") = 0;				\
									\
	asm volatile("cbz	%[n], 2f\n"				\
		     "1:\t"						\
		     WORK						\
		     "mov	x0, %[fn]\n\t"				\
		     "hvc	#0\n\t"					\
		     "subs	%[n], %[n], #1\n\t"			\
		     "b.ne	1b\n"					\
		     "2:\n"						\
		     : [n] "+r" (n), "+r" (x0)				\
		     : [fn] "r" ((uint64_t)ARM_SMCCC_VERSION_FUNC_ID)	\
		     : "x1", "x2", "x3", "memory", "cc", ##__VA_ARGS__);	\
	return x0;							\
}

DEFINE_GUEST_HVC_LOOP(guest_hvc_loop, "")
DEFINE_GUEST_HVC_LOOP(guest_hvc_fp_loop, GUEST_FP_WORK, GUEST_CLOBBER_V0_7)

/* The UCALL_SYNC: the prebuilt ucall's host address to the MMIO page. */
static GUEST_NOFP void guest_sync(void)
{
	asm volatile("str	%[hva], [%[mmio]]"
		     : : [hva] "r" (READ_ONCE(bench.sync.hva)),
			 [mmio] "r" (ucall_exit_mmio_addr)
		     : "memory");
}

/* Define @name(): @WORK then a UCALL_SYNC, for ever; one per KVM_RUN. */
#define DEFINE_GUEST_SYNC_LOOP(name, ARCH, WORK)			\
static noinline __noreturn void name(void)				\
{									\
	asm volatile(ARCH						\
		     "1:\t"						\
		     WORK						\
		     "str	%[hva], [%[mmio]]\n\t"			\
		     "b	1b\n"						\
		     : : [hva] "r" (READ_ONCE(bench.sync.hva)),		\
			 [mmio] "r" (ucall_exit_mmio_addr)		\
		     : "memory", GUEST_CLOBBER_V0_7);			\
	__builtin_unreachable();					\
}

DEFINE_GUEST_SYNC_LOOP(guest_sync_fp_loop, "", GUEST_FP_WORK)
DEFINE_GUEST_SYNC_LOOP(guest_sync_sve_loop, ".arch_extension sve\n\t",
		       GUEST_SVE_WORK)

/* Enable SVE at EL1 at the largest vector length the vCPU allows. */
static GUEST_NOFP void guest_sve_setup(void)
{
	uint64_t vl;

	write_sysreg(read_sysreg(cpacr_el1) | CPACR_ELx_ZEN, cpacr_el1);
	isb();
	write_sysreg_s(0xf, SYS_ZCR_EL1);
	isb();
	asm volatile(".arch_extension sve\n\trdvl	%0, #1" : "=r" (vl));
	__GUEST_ASSERT(vl == READ_ONCE(bench.vl),
		       "RDVL after ZCR_EL1.LEN = 0xf: expected %lu bytes, got %lu",
		       READ_ONCE(bench.vl), vl);
}

static GUEST_NOFP void guest_code(void)
{
	uint64_t n, ret;

	switch (READ_ONCE(bench.mode)) {
	case MODE_SYNC_FP:
		guest_sync_fp_loop();
	case MODE_SYNC_SVE:
		guest_sve_setup();
		guest_sync_sve_loop();
	}

	for (;;) {
		n = READ_ONCE(bench.iters);
		if (READ_ONCE(bench.mode) == MODE_HVC)
			ret = guest_hvc_loop(n);
		else
			ret = guest_hvc_fp_loop(n);
		__GUEST_ASSERT(!n || (ret >= 0x10000 && ret < 0x80000000),
			       "HVC SMCCC_VERSION: expected a version from KVM, got %#lx",
			       ret);
		guest_sync();
	}
}

/* ------------------------------------------------------------ stats */

enum counter {
	C_EXITS,
	C_FP_GUEST_LOAD,
	C_FP_GUEST_SAVE,
	C_FP_FOREIGN_ENTRY,
	C_FP_SOFTIRQ_NEON,
	NR_STAT_COUNTERS,
	/* The hook's debugfs counters, system-wide. */
	C_HOOK_RUNS_LOADED = NR_STAT_COUNTERS,
	C_HOOK_REFUSED_LOADED,
	NR_COUNTERS,
};

static const char * const counter_names[NR_STAT_COUNTERS] = {
	[C_EXITS]		= "exits",
	[C_FP_GUEST_LOAD]	= "fp_guest_load",
	[C_FP_GUEST_SAVE]	= "fp_guest_save",
	[C_FP_FOREIGN_ENTRY]	= "fp_foreign_entry",
	[C_FP_SOFTIRQ_NEON]	= "fp_softirq_neon",
};

/* An open binary stats fd with its header and descriptors. */
struct stats_file {
	int fd;
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs;
};

static void stats_open(struct stats_file *sf, int fd)
{
	sf->fd = fd;
	read_stats_header(fd, &sf->header);
	sf->descs = read_stats_descriptors(fd, &sf->header);
}

static void stats_close(struct stats_file *sf)
{
	free(sf->descs);
	close(sf->fd);
}

/* The descriptor of stat @name, NULL if this kernel does not have it. */
static struct kvm_stats_desc *stats_find(struct stats_file *sf,
					 const char *name)
{
	struct kvm_stats_desc *desc;
	int i;

	for (i = 0; i < sf->header.num_desc; i++) {
		desc = get_stats_descriptor(sf->descs, i, &sf->header);
		if (!strcmp(desc->name, name))
			return desc;
	}
	return NULL;
}

static int64_t stats_read_desc(struct stats_file *sf,
			       struct kvm_stats_desc *desc)
{
	uint64_t val;

	if (!desc)
		return -1;
	read_stat_data(sf->fd, &sf->header, desc, &val, 1);
	return val;
}

/* The (first) value of stat @name, -1 if this kernel does not have it. */
static int64_t stats_read(struct stats_file *sf, const char *name)
{
	return stats_read_desc(sf, stats_find(sf, name));
}

/* ------------------------------------------------------------- hook */

static bool hook_running;

/* Start (@us > 0) or stop the hook, remembering which for the exit. */
static void hook_write_period(uint32_t us)
{
	fp_hook_write_period(us);
	hook_running = us;
}

/* Stop the hook if a failed assertion leaves it running. */
static void hook_stop_at_exit(void)
{
	if (hook_running)
		hook_write_period(0);
}

/* --------------------------------------------------------- the VMM */

struct bench_vm {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	struct bench_guest *g;		/* host view of the guest's data */
	struct stats_file stats;
	struct kvm_stats_desc *desc[NR_STAT_COUNTERS];
	bool hook;			/* read the hook's counters too */
};

static void bench_vm_create(struct bench_vm *b, enum guest_mode mode,
			    unsigned int vq)
{
	int i;

	b->vm = vm_create(1);
	b->vcpu = __fp_vcpu_add(b->vm, 0, guest_code, vq);
	/* Default VLS: all the host's vector lengths, the largest VL. */
	if (vq)
		fp_vcpu_finalize_sve(b->vcpu);

	b->g = addr_gva2hva(b->vm, (vm_vaddr_t)&bench);
	memset(b->g, 0, sizeof(*b->g));
	b->g->mode = mode;
	b->g->vl = fp_vl(vq);
	b->g->sync.cmd = UCALL_SYNC;
	b->g->sync.hva = &b->g->sync;

	stats_open(&b->stats, vcpu_get_stats_fd(b->vcpu));
	for (i = 0; i < NR_STAT_COUNTERS; i++)
		b->desc[i] = stats_find(&b->stats, counter_names[i]);
	b->hook = false;
}

static void bench_vm_free(struct bench_vm *b)
{
	stats_close(&b->stats);
	kvm_vm_free(b->vm);
}

/*
 * One KVM_RUN, which must end at the guest's UCALL_SYNC. The check reads
 * kvm_run directly: no memcpy of a struct ucall (whose library version
 * would use the VMM's SIMD registers) unless something went wrong.
 */
static void bench_run(struct bench_vm *b)
{
	struct kvm_run *run = b->vcpu->run;
	struct ucall uc;
	int ret;

	ret = __vcpu_run(b->vcpu);
	TEST_ASSERT(!ret, KVM_IOCTL_ERROR(KVM_RUN, ret));
	if (likely(run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		   run->mmio.phys_addr == b->vm->ucall_mmio_addr &&
		   *(uint64_t *)run->mmio.data == (uint64_t)&b->g->sync))
		return;

	switch (get_ucall(b->vcpu, &uc)) {
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	case UCALL_NONE:
		TEST_FAIL("KVM_RUN: expected the guest's UCALL_SYNC, got exit reason %u (%s)",
			  run->exit_reason, exit_reason_str(run->exit_reason));
		break;
	default:
		TEST_FAIL("KVM_RUN: expected the guest's UCALL_SYNC, got ucall %lu",
			  uc.cmd);
	}
}

static void bench_snapshot(struct bench_vm *b, int64_t *c)
{
	int i;

	for (i = 0; i < NR_STAT_COUNTERS; i++)
		c[i] = stats_read_desc(&b->stats, b->desc[i]);
	c[C_HOOK_RUNS_LOADED] = b->hook ? (int64_t)fp_hook_read("runs_vcpu_loaded") : -1;
	c[C_HOOK_REFUSED_LOADED] = b->hook ? (int64_t)fp_hook_read("refused_vcpu_loaded") : -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	TEST_ASSERT(!clock_gettime(CLOCK_MONOTONIC, &ts),
		    "clock_gettime: expected 0, got errno %d", errno);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The VMM's own FP work between runs: a chain of double multiply-adds. */
static volatile double vmm_x = 1.0, vmm_y = 1.0000001, vmm_z = 0.5;
static volatile double vmm_sink;

static void vmm_fp_work(void)
{
	double x = vmm_x, y = vmm_y, z = vmm_z;
	int i;

	for (i = 0; i < VMM_FP_STEPS; i++)
		x = x * y + z;
	vmm_sink = x;
}

struct result {
	uint64_t runs;
	double ns_per_rt;	/* an undisturbed round trip (a-d); e: the mean */
	double ns_per_rt_mean;	/* the mean over the window */
	int64_t c[NR_COUNTERS];
};

/* The time of one KVM_RUN of @iters HVCs (a, b, e). */
static uint64_t time_hvc_run(struct bench_vm *b, uint64_t iters)
{
	uint64_t t0;

	b->g->iters = iters;
	t0 = now_ns();
	bench_run(b);
	return now_ns() - t0;
}

/* The time of @n consecutive KVM_RUNs (c, d). */
static uint64_t time_sync_runs(struct bench_vm *b, uint64_t n, bool vmm_fp)
{
	uint64_t i, t0 = now_ns();

	for (i = 0; i < n; i++) {
		if (vmm_fp)
			vmm_fp_work();
		bench_run(b);
	}
	return now_ns() - t0;
}

/*
 * The cost of an undisturbed round trip: the minimum over BATCHES short
 * batches. A batch that no interrupt, preemption or softirq hit executes
 * exactly the same instructions every time, so under -icount its time is
 * the same on every run and on every boot; a timer tick (every 4 ms at
 * HZ=250) lands in some batches only, and the minimum drops them. The
 * window means (t(N) based) keep those costs and move slightly with their
 * phase: they are printed as ns_per_rt_mean.
 */
#define BATCHES			24
#define BATCH_HVC_ITERS		500	/* 0.75 ms and 1.5 ms of guest time */
#define BATCH_SYNC_RUNS		100	/* about 0.65 ms */

static double undisturbed_hvc(struct bench_vm *b)
{
	uint64_t k = UINT64_MAX, k2 = UINT64_MAX;
	int i;

	for (i = 0; i < BATCHES; i++) {
		k = min_t(uint64_t, k, time_hvc_run(b, BATCH_HVC_ITERS));
		k2 = min_t(uint64_t, k2, time_hvc_run(b, 2 * BATCH_HVC_ITERS));
	}
	return ((double)k2 - (double)k) / BATCH_HVC_ITERS;
}

static double undisturbed_sync(struct bench_vm *b, bool vmm_fp)
{
	uint64_t t = UINT64_MAX;
	int i;

	for (i = 0; i < BATCHES; i++)
		t = min_t(uint64_t, t, time_sync_runs(b, BATCH_SYNC_RUNS, vmm_fp));
	return (double)t / BATCH_SYNC_RUNS;
}

/*
 * a, b and e: time a run of N and one of 2N, after a warm-up; the counters
 * cover the N run. Then, but for e (whose softirq runs are the point), the
 * undisturbed figure.
 */
static void measure_hvc(struct bench_vm *b, uint64_t n, bool hook,
			struct result *r)
{
	int64_t s0[NR_COUNTERS], s1[NR_COUNTERS];
	uint64_t t0, t1, t2, t3;
	int i;

	b->g->iters = min_t(uint64_t, n, WARMUP_ITERS);
	bench_run(b);

	b->g->iters = n;
	bench_snapshot(b, s0);
	t0 = now_ns();
	bench_run(b);
	t1 = now_ns();
	bench_snapshot(b, s1);

	b->g->iters = 2 * n;
	t2 = now_ns();
	bench_run(b);
	t3 = now_ns();

	r->runs = 1;
	r->ns_per_rt_mean = ((double)(t3 - t2) - (double)(t1 - t0)) / n;
	for (i = 0; i < NR_COUNTERS; i++)
		r->c[i] = s0[i] < 0 ? -1 : s1[i] - s0[i];
	r->ns_per_rt = hook ? r->ns_per_rt_mean : undisturbed_hvc(b);
}

/* c and d: N consecutive runs, each one round trip. */
static void measure_sync(struct bench_vm *b, uint64_t n, bool vmm_fp,
			 struct result *r)
{
	int64_t s0[NR_COUNTERS], s1[NR_COUNTERS];
	uint64_t i, t0;

	for (i = 0; i < min_t(uint64_t, n, WARMUP_ITERS); i++) {
		if (vmm_fp)
			vmm_fp_work();
		bench_run(b);
	}

	bench_snapshot(b, s0);
	t0 = time_sync_runs(b, n, vmm_fp);
	bench_snapshot(b, s1);

	r->runs = n;
	r->ns_per_rt_mean = (double)t0 / n;
	for (i = 0; i < NR_COUNTERS; i++)
		r->c[i] = s0[i] < 0 ? -1 : s1[i] - s0[i];
	r->ns_per_rt = undisturbed_sync(b, vmm_fp);
}

/* ------------------------------------------------------- scenarios */

struct scenario {
	char id;
	const char *what;
	enum guest_mode mode;
	bool sve;		/* at the largest vector length */
	bool vmm_fp;		/* the VMM computes between runs */
	bool hook;		/* softirq NEON test hook running */
	uint64_t iters;		/* default N */
};

/*
 * Default N, from round trips of about 1,500 instructions (a, b, e) and
 * 6,500 (c, d) measured under -icount shift=0: a window of N runs about
 * 0.5 s of virtual time for c and d, and the N run plus the 2N run about
 * 0.7 s for a, b and e. That keeps "-s all" with two repeats to about three
 * minutes of wall time (TCG runs these exit-heavy loops at only some 45-65
 * million instructions a second); under -icount the figures are
 * instruction counts, which stay the same to a tenth from N = 20,000 up,
 * so the shorter windows cost no precision.
 */
static const struct scenario scenarios[] = {
	{ 'a', "FP-free guest, HVC SMCCC_VERSION answered in the kernel",
	  MODE_HVC, false, false, false, 150000 },
	{ 'b', "FP/SIMD guest, HVC SMCCC_VERSION answered in the kernel",
	  MODE_HVC_FP, false, false, false, 150000 },
	{ 'c', "FP/SIMD guest, UCALL_SYNC to the VMM, VMM does FP work",
	  MODE_SYNC_FP, false, true, false, 80000 },
	{ 'd', "SVE guest at the largest VL, UCALL_SYNC to the VMM",
	  MODE_SYNC_SVE, true, false, false, 80000 },
	{ 'e', "as b, with softirq kernel-mode NEON every period",
	  MODE_HVC_FP, false, false, true, 150000 },
};

static uint64_t opt_iters;	/* 0: each scenario's default */
static uint32_t opt_repeats = DEFAULT_REPEATS;
static uint32_t opt_period_us = DEFAULT_PERIOD_US;
static unsigned int max_vq;
static uint64_t vqs[KVM_ARM64_SVE_VLS_WORDS];

static void print_result(const struct scenario *s, uint32_t rep, uint64_t n,
			 const struct result *r)
{
	printf("FPBENCH scenario=%c rep=%u iters=%lu runs=%lu exits=%lld ns_per_rt=%.1f ns_per_rt_mean=%.1f fp_guest_load=%lld fp_guest_save=%lld fp_foreign_entry=%lld fp_softirq_neon=%lld softirq_runs_vcpu_loaded=%lld softirq_refused_vcpu_loaded=%lld\n",
	       s->id, rep, n, r->runs, (long long)r->c[C_EXITS], r->ns_per_rt,
	       r->ns_per_rt_mean,
	       (long long)r->c[C_FP_GUEST_LOAD],
	       (long long)r->c[C_FP_GUEST_SAVE],
	       (long long)r->c[C_FP_FOREIGN_ENTRY],
	       (long long)r->c[C_FP_SOFTIRQ_NEON],
	       (long long)r->c[C_HOOK_RUNS_LOADED],
	       (long long)r->c[C_HOOK_REFUSED_LOADED]);
	fflush(stdout);
}

static void run_scenario(const struct scenario *s)
{
	uint64_t n = opt_iters ? opt_iters : s->iters;
	struct bench_vm b;
	struct result r;
	uint32_t rep;

	if (s->sve && !max_vq) {
		printf("# scenario %c: skipped, the host has no SVE (no KVM_CAP_ARM_SVE)\n",
		       s->id);
		return;
	}
	if (s->hook && access(FP_HOOK_DIR, F_OK)) {
		printf("# scenario %c: skipped, no %s (kernel without CONFIG_KVM_ARM64_FP_SOFTIRQ_NEON_TEST, or no debugfs)\n",
		       s->id, FP_HOOK_DIR);
		return;
	}

	printf("# scenario %c: %s; ns_per_rt_mean = %s, N = %lu\n", s->id,
	       s->what, s->mode == MODE_HVC || s->mode == MODE_HVC_FP ?
	       "(t(2N run) - t(N run)) / N" : "t(N runs) / N", n);
	if (s->sve)
		printf("#   SVE vCPU at VQ %u (%u-byte vectors)\n", max_vq,
		       fp_vl(max_vq));
	if (s->hook)
		printf("#   softirq NEON hook period %u us\n", opt_period_us);

	bench_vm_create(&b, s->mode, s->sve ? max_vq : 0);
	for (rep = 1; rep <= opt_repeats; rep++) {
		if (s->hook) {
			hook_write_period(opt_period_us);
			b.hook = true;
		}
		if (s->mode == MODE_HVC || s->mode == MODE_HVC_FP)
			measure_hvc(&b, n, s->hook, &r);
		else
			measure_sync(&b, n, s->vmm_fp, &r);
		if (s->hook) {
			hook_write_period(0);
			b.hook = false;
		}
		print_result(s, rep, n, &r);
	}
	bench_vm_free(&b);
}

/* ----------------------------------------------------------- memory */

static void mem_line(struct kvm_vcpu *vcpu, unsigned int vq)
{
	struct stats_file sf;

	stats_open(&sf, vcpu_get_stats_fd(vcpu));
	printf("FPBENCH-MEM vq=%u sve_state_bytes=%lld sve_state_alloc_bytes=%lld fpsimd_bytes=%zu\n",
	       vq, (long long)stats_read(&sf, "sve_state_bytes"),
	       (long long)stats_read(&sf, "sve_state_alloc_bytes"),
	       sizeof(struct user_fpsimd_state));
	stats_close(&sf);
}

/* A vCPU that never runs: initialised, with SVE up to @vq and finalised. */
static struct kvm_vcpu *mem_vcpu_add(struct kvm_vm *vm, uint32_t id,
				     unsigned int vq)
{
	struct kvm_vcpu_init init;
	struct kvm_vcpu *vcpu;

	vm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	if (vq)
		init.features[0] |= 1 << KVM_ARM_VCPU_SVE;
	vcpu = __vm_vcpu_add(vm, id);
	vcpu_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
	if (vq) {
		fp_set_vls(vcpu, vq);
		fp_vcpu_finalize_sve(vcpu);
	}
	return vcpu;
}

/*
 * VMs without memory: one with a non-SVE vCPU, then one with an SVE vCPU
 * per vector length (KVM wants the same vCPU features throughout a VM, the
 * vector lengths may differ).
 */
static void report_memory(void)
{
	struct kvm_vm *vm = vm_create_barebones();
	struct stats_file sf;
	int64_t id_regs_bytes;
	unsigned int vq;

	mem_line(mem_vcpu_add(vm, 0, 0), 0);
	stats_open(&sf, vm_get_stats_fd(vm));
	id_regs_bytes = stats_read(&sf, "id_regs_bytes");
	stats_close(&sf);
	kvm_vm_free(vm);

	if (max_vq) {
		vm = vm_create_barebones();
		for (vq = 1; vq <= max_vq; vq++)
			if (fp_vq_present(vqs, vq))
				mem_line(mem_vcpu_add(vm, vq - 1, vq), vq);
		kvm_vm_free(vm);
	}
	printf("FPBENCH-MEM vm id_regs_bytes=%lld\n", (long long)id_regs_bytes);
}

/* ------------------------------------------------------------- main */

static void help(const char *name, int status)
{
	const struct scenario *s;

	printf("usage: %s [-s scenarios] [-i iterations] [-r repeats] [-p period_us] [-c cpu]\n",
	       name);
	printf(" -s: letters of the scenarios to run, or \"all\" (default, = abcdem):\n");
	for (s = scenarios; s < scenarios + ARRAY_SIZE(scenarios); s++)
		printf("     %c  %s (default -i %lu)\n", s->id, s->what,
		       s->iters);
	printf("     m  FP/SVE state storage per vector length (binary stats)\n");
	printf(" -i: N, iterations per measurement (default: per scenario, above)\n");
	printf(" -r: repeats of each measurement (default %d)\n",
	       DEFAULT_REPEATS);
	printf(" -p: softirq NEON hook period in us for scenario e (default %d)\n",
	       DEFAULT_PERIOD_US);
	printf(" -c: CPU to pin the VMM thread to (default: the last one allowed)\n");
	exit(status);
}

int main(int argc, char *argv[])
{
	const char *which = "all";
	int cpus[CPU_SETSIZE], nr_cpus, cpu = -1, opt;
	const struct scenario *s;

	while ((opt = getopt(argc, argv, "hs:i:r:p:c:")) != -1) {
		switch (opt) {
		case 's':
			which = optarg;
			break;
		case 'i':
			opt_iters = atoi_positive("Iterations", optarg);
			break;
		case 'r':
			opt_repeats = atoi_positive("Repeats", optarg);
			break;
		case 'p':
			opt_period_us = atoi_positive("Period", optarg);
			break;
		case 'c':
			cpu = atoi_non_negative("CPU", optarg);
			break;
		default:
			/* -h asks for help; anything else is an error. */
			help(argv[0], opt == 'h' ? KSFT_SKIP : KSFT_FAIL);
		}
	}
	if (!strcmp(which, "all"))
		which = "abcdem";
	TEST_ASSERT(which[strspn(which, "abcdem")] == '\0',
		    "-s %s: expected letters of abcdem, or all", which);

	setvbuf(stdout, NULL, _IOLBF, 0);
	atexit(hook_stop_at_exit);

	nr_cpus = fp_host_cpus(cpus, CPU_SETSIZE);
	if (cpu < 0)
		cpu = cpus[nr_cpus - 1];
	kvm_pin_this_task_to_pcpu(cpu);

	max_vq = fp_kvm_sve_vqs(vqs);
	printf("# fp_exit_bench: scenarios %s, %u repeat(s), VMM on CPU %d; KVM SVE: %s, max VQ %u\n",
	       which, opt_repeats, cpu, max_vq ? "yes" : "no", max_vq);

	for (s = scenarios; s < scenarios + ARRAY_SIZE(scenarios); s++)
		if (strchr(which, s->id))
			run_scenario(s);
	if (strchr(which, 'm'))
		report_memory();

	return 0;
}
