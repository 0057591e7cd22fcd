// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of the qemu_vmm test: a bare program that QEMU loads with
 * -kernel (an ELF linked at 0x40400000, in the RAM of QEMU's virt machine)
 * and starts at EL1 with the MMU off.
 *
 * It loads a pattern into every FP/SIMD register it has -- Z0-Z31, P0-P15
 * and FFR at its maximum vector length with SVE, V0-V31 without -- and
 * into FPSR and FPCR, then computes on those registers for ever: each
 * tick adds 1 to every byte of every Z register (SVE) or inverts every V
 * register (no SVE), and checks all of them, with P, FFR, FPSR and FPCR,
 * against what they must hold after that many ticks. Only the registers
 * carry the state from one tick to the next, so a register that a save
 * and restore through QEMU's migration loses, or brings back wrong, fails
 * the next check. Each tick prints one line on the PL011 UART:
 *
 *   fp-guest: tick <n> vl <bytes> ok
 *
 * (vl 0 without SVE). Each check also reads the vector length (RDVL)
 * again: the ZCR_EL1 the guest set at its start must still be in force.
 * A failed check prints a line "fp-guest: FAIL ..." for a changed vector
 * length and for every register that differs, with the range and number
 * of its wrong bytes and the first of them, then "fp-guest: FAIL end",
 * and stops. -mgeneral-regs-only keeps the compiler off the FP/SIMD
 * registers; only the inline assembly here touches them.
 */
#include <stdint.h>

#define UART_BASE	0x09000000UL	/* PL011 of QEMU's virt machine */
#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1U << 5)

#define MAX_VL		256		/* bytes: 2048 bits */
#define NR_ZREGS	32
#define NR_PREGS	16

/* FPCR: DN and RMode = towards +Inf; FPSR: QC, IXC and UFC set. */
#define FPCR_VALUE	((1UL << 25) | (1UL << 22))
#define FPSR_VALUE	((1UL << 27) | (1UL << 4) | (1UL << 3))

#define DELAY_LOOPS	200000

static uint8_t zinit[NR_ZREGS * MAX_VL] __attribute__((aligned(256)));
static uint8_t zgot[NR_ZREGS * MAX_VL] __attribute__((aligned(256)));
static uint8_t pinit[NR_PREGS * MAX_VL / 8] __attribute__((aligned(32)));
static uint8_t pgot[NR_PREGS * MAX_VL / 8] __attribute__((aligned(32)));
static uint8_t ffrinit[MAX_VL / 8] __attribute__((aligned(32)));
static uint8_t ffrgot[MAX_VL / 8] __attribute__((aligned(32)));
uint64_t stack[2048] __attribute__((aligned(16), used));

void guest_main(void);
void exception(uint64_t vector);

/* Entry: a stack, the exception vectors, then guest_main(). */
asm(".section .text.start, \"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "	ldr	x0, =stack + 16384\n"
    "	mov	sp, x0\n"
    "	adr	x0, vectors\n"
    "	msr	vbar_el1, x0\n"
    "	isb\n"
    "	bl	guest_main\n"
    "1:	wfi\n"
    "	b	1b\n"
    ".balign 2048\n"
    "vectors:\n"
    ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    ".balign 128\n"
    "	mov	x0, #\\n\n"
    "	b	exception\n"
    ".endr\n"
    ".text\n");

static void putc(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + UART_FR);
	volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + UART_DR);

	while (*fr & UART_FR_TXFF)
		;
	*dr = (uint8_t)c;
}

static void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

static void putdec(uint64_t v)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		putc(buf[--i]);
}

static void puthex(uint64_t v)
{
	int shift;

	puts("0x");
	for (shift = 60; shift > 0 && !(v >> shift); shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		putc("0123456789abcdef"[(v >> shift) & 0xf]);
}

static void __attribute__((noreturn)) halt(void)
{
	for (;;)
		asm volatile("wfi");
}

void exception(uint64_t vector)
{
	uint64_t esr, elr;

	asm volatile("mrs %0, esr_el1" : "=r"(esr));
	asm volatile("mrs %0, elr_el1" : "=r"(elr));
	puts("fp-guest: FAIL exception vector ");
	putdec(vector);
	puts(" esr ");
	puthex(esr);
	puts(" elr ");
	puthex(elr);
	puts("\nfp-guest: FAIL end\n");
	halt();
}

/*
 * Report the bytes of one register that differ from what it must hold:
 * their range, how many, and the first one. Returns the number.
 */
static unsigned int report(const char *reg, int n, uint64_t tick,
			   const uint8_t *exp, const uint8_t *got,
			   unsigned int bytes)
{
	unsigned int i, first = 0, last = 0, bad = 0;

	for (i = 0; i < bytes; i++) {
		if (exp[i] == got[i])
			continue;
		if (!bad++)
			first = i;
		last = i;
	}
	if (!bad)
		return 0;
	puts("fp-guest: FAIL tick ");
	putdec(tick);
	puts(": ");
	puts(reg);
	if (n >= 0)
		putdec(n);
	puts(" bytes ");
	putdec(first);
	puts("-");
	putdec(last);
	puts(" (");
	putdec(bad);
	puts(" of ");
	putdec(bytes);
	puts(" wrong), byte ");
	putdec(first);
	puts(": expected ");
	puthex(exp[first]);
	puts(", got ");
	puthex(got[first]);
	puts("\n");
	return bad;
}

#define SVE_ASM(body)	asm volatile(".arch_extension sve\n" body ::: "memory")

#define REGS_32(m) m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) \
	m(10) m(11) m(12) m(13) m(14) m(15) m(16) m(17) m(18) m(19) m(20) \
	m(21) m(22) m(23) m(24) m(25) m(26) m(27) m(28) m(29) m(30) m(31)
#define REGS_16(m) m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) \
	m(10) m(11) m(12) m(13) m(14) m(15)

#define LDR_Z(n)	"ldr z" #n ", [x0, #" #n ", mul vl]\n"
#define STR_Z(n)	"str z" #n ", [x0, #" #n ", mul vl]\n"
#define LDR_P(n)	"ldr p" #n ", [x1, #" #n ", mul vl]\n"
#define STR_P(n)	"str p" #n ", [x1, #" #n ", mul vl]\n"
#define ADD_Z(n)	"add z" #n ".b, z" #n ".b, #1\n"
#define LDR_Q(n)	"ldr q" #n ", [x0, #" #n " * 16]\n"
#define STR_Q(n)	"str q" #n ", [x0, #" #n " * 16]\n"
#define NOT_V(n)	"not v" #n ".16b, v" #n ".16b\n"

static void sve_load(void)
{
	register uint8_t *z asm("x0") = zinit;
	register uint8_t *p asm("x1") = pinit;
	register uint8_t *f asm("x2") = ffrinit;

	asm volatile(".arch_extension sve\n"
		     REGS_32(LDR_Z)
		     "ldr p0, [x2]\n"
		     "wrffr p0.b\n"
		     REGS_16(LDR_P)
		     :: "r"(z), "r"(p), "r"(f) : "memory");
}

static void sve_store(void)
{
	register uint8_t *z asm("x0") = zgot;
	register uint8_t *p asm("x1") = pgot;
	register uint8_t *f asm("x2") = ffrgot;

	/* FFR goes out through P0 once P0 is saved; then P0 comes back. */
	asm volatile(".arch_extension sve\n"
		     REGS_32(STR_Z)
		     REGS_16(STR_P)
		     "rdffr p0.b\n"
		     "str p0, [x2]\n"
		     "ldr p0, [x1]\n"
		     :: "r"(z), "r"(p), "r"(f) : "memory");
}

static void sve_step(void)
{
	SVE_ASM(REGS_32(ADD_Z));
}

static void fpsimd_load(void)
{
	register uint8_t *z asm("x0") = zinit;

	asm volatile(REGS_32(LDR_Q) :: "r"(z) : "memory");
}

static void fpsimd_store(void)
{
	register uint8_t *z asm("x0") = zgot;

	asm volatile(REGS_32(STR_Q) :: "r"(z) : "memory");
}

static void fpsimd_step(void)
{
	asm volatile(REGS_32(NOT_V));
}

static uint8_t pattern(unsigned int reg, unsigned int byte)
{
	return (uint8_t)(reg * 131 + byte * 7 + 0x5a) ^ (uint8_t)(byte >> 3);
}

/* The current SVE vector length in bytes. */
static unsigned int rdvl(void)
{
	uint64_t vl;

	asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
	return vl;
}

/*
 * Check every register against what it must hold at @tick; on a
 * difference, report every register that differs, then stop.
 */
static void check(uint64_t tick, unsigned int vl)
{
	unsigned int bytes = vl ? vl : 16, n, i, bad = 0;
	unsigned int now = vl ? rdvl() : 0;
	uint8_t exp[MAX_VL];
	uint64_t sysreg[2];

	if (now != vl) {
		puts("fp-guest: FAIL tick ");
		putdec(tick);
		puts(": vector length ");
		putdec(now);
		puts(" bytes, expected ");
		putdec(vl);
		puts("\n");
		bad++;
	}
	for (n = 0; n < NR_ZREGS; n++) {
		for (i = 0; i < bytes; i++)
			exp[i] = vl ? zinit[n * bytes + i] + tick :
				      zinit[n * bytes + i] ^ (tick & 1 ? 0xff : 0);
		bad += report(vl ? "z" : "v", n, tick, exp, &zgot[n * bytes],
			      bytes);
	}
	for (n = 0; vl && n < NR_PREGS; n++)
		bad += report("p", n, tick, &pinit[n * vl / 8],
			      &pgot[n * vl / 8], vl / 8);
	if (vl)
		bad += report("ffr", -1, tick, ffrinit, ffrgot, vl / 8);

	asm volatile("mrs %0, fpsr" : "=r"(sysreg[0]));
	asm volatile("mrs %0, fpcr" : "=r"(sysreg[1]));
	if (sysreg[0] != FPSR_VALUE)
		bad += report("fpsr", -1, tick, (const uint8_t *)&(uint64_t){ FPSR_VALUE },
			      (const uint8_t *)&sysreg[0], 8);
	if (sysreg[1] != FPCR_VALUE)
		bad += report("fpcr", -1, tick, (const uint8_t *)&(uint64_t){ FPCR_VALUE },
			      (const uint8_t *)&sysreg[1], 8);
	if (bad) {
		puts("fp-guest: FAIL end\n");
		halt();
	}
}

void guest_main(void)
{
	uint64_t pfr0, cpacr, tick;
	unsigned int vl = 0, bytes, n, i, ffr_bits;

	/* FP/SIMD and SVE at EL1 without traps (CPACR_EL1.FPEN, ZEN). */
	asm volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	cpacr |= (3UL << 20) | (3UL << 16);
	asm volatile("msr cpacr_el1, %0\n\tisb" :: "r"(cpacr));

	asm volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	if ((pfr0 >> 32) & 0xf) {
		/* The largest length ZCR_EL1 can ask for: KVM caps it at the
		 * vCPU's maximum, which QEMU's -cpu options chose. */
		uint64_t len = 0xf;

		asm volatile("msr s3_0_c1_c2_0, %0\n\tisb" :: "r"(len));
		vl = rdvl();
	}
	bytes = vl ? vl : 16;

	for (n = 0; n < NR_ZREGS; n++)
		for (i = 0; i < bytes; i++)
			zinit[n * bytes + i] = pattern(n, i);
	for (n = 0; n < NR_PREGS; n++)
		for (i = 0; i < vl / 8; i++)
			pinit[n * vl / 8 + i] = pattern(n + NR_ZREGS, i);
	/* FFR: a monotonic predicate, the only kind WRFFR defines. */
	ffr_bits = vl ? vl - 3 : 0;
	for (i = 0; i < vl / 8; i++)
		ffrinit[i] = 0;
	for (i = 0; i < ffr_bits; i++)
		ffrinit[i / 8] |= 1 << (i % 8);

	puts("fp-guest: ");
	if (vl) {
		puts("SVE, vector length ");
		putdec(vl);
		puts(" bytes\n");
	} else {
		puts("FP/SIMD without SVE\n");
	}

	asm volatile("msr fpcr, %0" :: "r"(FPCR_VALUE));
	asm volatile("msr fpsr, %0" :: "r"(FPSR_VALUE));
	if (vl)
		sve_load();
	else
		fpsimd_load();

	for (tick = 0;; tick++) {
		volatile uint64_t spin;

		if (vl)
			sve_store();
		else
			fpsimd_store();
		check(tick, vl);
		puts("fp-guest: tick ");
		putdec(tick);
		puts(" vl ");
		putdec(vl);
		puts(" ok\n");
		for (spin = 0; spin < DELAY_LOOPS; spin++)
			;
		if (vl)
			sve_step();
		else
			fpsimd_step();
	}
}
