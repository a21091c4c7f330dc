/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rvtest.h: what every bare-metal RISC-V test program shares.
 *
 * The programs in this directory run with nothing underneath them: no
 * firmware, no kernel.  They start in M-mode at 0x8000_0000 on every hart
 * (see start.S), check one corner of the RV64GC architecture, and end the
 * machine through the `sifive,test` device: 0x5555 means "pass",
 * 0x3333 | code << 16 means "check number `code` failed".  QEMU (and
 * kennel-engine) turn that into the process's exit status, so a failing run
 * says which check broke.  Codes 1..239 belong to the tests; the harness
 * keeps 240..255 for itself (see HARNESS_* below).  An exit status only
 * has 8 bits, so no program may have more than 239 checks.
 *
 * The header works from assembly (.S files, through the C preprocessor) and
 * from freestanding C.
 *
 * Register conventions for test code:
 *   tp      points to this hart's block (struct hart_block); never change it.
 *   t5, t6  scratch for the macros below (CHECK_*, EXPECT_TRAP, ENTER_*).
 *   a6, a7  clobbered when a check fails (they carry the values to print).
 *
 * Traps.  start.S installs an M-mode and an S-mode trap handler.  Both know
 * three "harness calls" (an ecall with a7 = HCALL_*), and otherwise:
 *   - an interrupt is recorded (count, cause, a small log) and then masked by
 *     clearing its bit in mie (sie for the S handler), so that it does not
 *     fire again; the test decides what to do next;
 *   - an exception is recorded and skipped (xepc moves past the faulting
 *     instruction; for a fetch fault, whose xepc cannot be read, execution
 *     resumes at ra, so probe code reaches targets with `jalr ra, ...`) --
 *     but only if the test announced it with TRAP_ARM / EXPECT_TRAP.  An
 *     exception nobody expected ends the run with HARNESS_UNEXPECTED_TRAP
 *     and prints cause, epc and tval on the UART.
 * A test may also install a hook (hart_block.m_hook / s_hook) that sees the
 * trap first; see start.S.
 */
#ifndef KENNEL_RVTEST_H
#define KENNEL_RVTEST_H

/*
 * Mutation runs (mutate.sh): built with -DMUTATE=N, check N is inverted, so
 * that a correct CPU fails it -- with exit status N.  That shows each check
 * is reached, can fail, and reports its own code.
 */
#ifndef MUTATE
#define MUTATE 0
#endif

#ifdef __ASSEMBLER__
#define UL(x) (x)
#else
#define UL(x) (x##UL)
#endif
#define BIT(n) (UL(1) << (n))

/* ---- the machine (QEMU virt layout, see docs/DESIGN.md) ---- */
#define TEST_DEV            0x00100000 /* sifive,test: pass / fail / reset */
#define TEST_PASS           0x5555
#define TEST_FAIL           0x3333
#define CLINT_BASE          0x02000000
#define CLINT_MSIP(h)       (CLINT_BASE + 4 * (h))
#define CLINT_MTIMECMP(h)   (CLINT_BASE + 0x4000 + 8 * (h))
#define CLINT_MTIME         (CLINT_BASE + 0xbff8)
#define TIMEBASE_HZ         10000000 /* mtime ticks per second */
#define PLIC_BASE           0x0c000000
#define PLIC_PRIORITY(src)  (PLIC_BASE + 4 * (src))
#define PLIC_PENDING        (PLIC_BASE + 0x1000)
#define PLIC_ENABLE(ctx)    (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)     (PLIC_BASE + 0x200004 + 0x1000 * (ctx))
#define PLIC_CTX_M(h)       (2 * (h))
#define PLIC_CTX_S(h)       (2 * (h) + 1)
#define UART_BASE           0x10000000
#define UART_IRQ            10
#define RAM_BASE            0x80000000

#define MAX_HARTS           8

/* ---- CSR fields ---- */
#define MSTATUS_SIE        BIT(1)
#define MSTATUS_MIE        BIT(3)
#define MSTATUS_SPIE       BIT(5)
#define MSTATUS_MPIE       BIT(7)
#define MSTATUS_SPP        BIT(8)
#define MSTATUS_MPP        (UL(3) << 11)
#define MSTATUS_MPP_S      (UL(1) << 11)
#define MSTATUS_FS         (UL(3) << 13)
#define MSTATUS_FS_INITIAL (UL(1) << 13)
#define MSTATUS_FS_CLEAN   (UL(2) << 13)
#define MSTATUS_FS_DIRTY   (UL(3) << 13)
#define MSTATUS_MPRV       BIT(17)
#define MSTATUS_SUM        BIT(18)
#define MSTATUS_MXR        BIT(19)
#define MSTATUS_TVM        BIT(20)
#define MSTATUS_TW         BIT(21)
#define MSTATUS_TSR        BIT(22)
#define MSTATUS_SD         BIT(63)

#define PRV_U              0
#define PRV_S              1
#define PRV_M              3

/* Exception causes (xcause with the top bit clear). */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6 /* also AMOs and SC */
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15

/* Interrupt numbers: bit n of mip/mie; xcause = INTERRUPT | n. */
#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11
#define INTERRUPT   BIT(63)

/* ---- harness calls: ecall with a7 = one of these ---- */
#define HCALL_LEAVE 0x4b4e0001 /* continue after the ecall in the handler's mode */
#define HCALL_FAIL  0x4b4e0002 /* a0 = code, a1 = got, a2 = wanted */
#define HCALL_PASS  0x4b4e0003

/* Exit codes the harness keeps for itself. */
#define HARNESS_SETUP             250 /* a test's own setup failed (e.g. out of page tables) */
#define HARNESS_BAD_CODE          252 /* test_fail() with code 0 or above 255 */
#define HARNESS_S_UNEXPECTED_TRAP 253 /* the S handler met an exception nobody armed */
#define HARNESS_NESTED_TRAP       254 /* a trap inside the M trap handler */
#define HARNESS_UNEXPECTED_TRAP   255 /* the M handler met an exception nobody armed */

/* ---- the per-hart block; tp, mscratch and sscratch point to it ---- */
#define HB_HARTID       0
#define HB_M_HOOK       8 /* long hook(struct hart_block *): 0 = handled, else default */
#define HB_S_HOOK       16
#define HB_ARMED        24 /* non-zero: the next exception is expected */
#define HB_M_COUNT      32 /* traps recorded by the M handler */
#define HB_M_CAUSE      40
#define HB_M_EPC        48
#define HB_M_TVAL       56
#define HB_M_STATUS     64 /* mstatus as the handler found it */
#define HB_S_COUNT      72
#define HB_S_CAUSE      80
#define HB_S_EPC        88
#define HB_S_TVAL       96
#define HB_S_STATUS     104 /* sstatus as the handler found it */
#define HB_M_BUSY       112 /* inside the M handler (nesting check) */
#define HB_S_BUSY       120
#define HB_M_LOG        128 /* causes of the last 8 M traps: log[count % 8] */
#define HB_S_LOG        192
#define HB_M_FRAME      256 /* x0..x31 of the interrupted code */
#define HB_S_FRAME      512
#define HB_M_STACK_TOP  8192 /* handler stacks live in the block too */
#define HB_S_STACK_TOP  16384
#define HART_BLOCK_SIZE 16384
#define STACK_SIZE      16384 /* per-hart stack for the test itself */

#ifdef __ASSEMBLER__

/* clang-format off */

/* Fail with `code` unless register got == register want. */
.macro CHECK_EQ code, got, want
	.ifc \want, a7
	.error "CHECK_EQ: a7 cannot be the wanted value"
	.endif
	.if (\code) == MUTATE
	bne \got, \want, .Lok\@
	.else
	beq \got, \want, .Lok\@
	.endif
	mv a7, \got
	mv a6, \want
	mv a1, a7
	mv a2, a6
	li a0, \code
	j test_fail
.Lok\@:
.endm

/* Fail with `code` unless register got == the constant want (uses t6). */
.macro CHECK_EQI code, got, want
	.ifc \got, t6
	.error "CHECK_EQI: t6 is the macro's scratch"
	.endif
	li t6, \want
	CHECK_EQ \code, \got, t6
.endm

.macro CHECK_NE code, a, b
	.if (\code) == MUTATE
	beq \a, \b, .Lok\@
	.else
	bne \a, \b, .Lok\@
	.endif
	mv a1, \a
	li a0, \code
	j test_fail
.Lok\@:
.endm

.macro FAIL code
	li a0, \code
	li a1, 0
	li a2, 0
	j test_fail
.endm

/*
 * Put on the path a correct CPU takes, where the wrong path has "FAIL code"
 * (branch tests, timeouts): lets a mutation run invert that check too.
 */
.macro RIGHT_PATH code
	.if (\code) == MUTATE
	FAIL \code
	.endif
.endm

/* Fail with `code` unless a < b, unsigned (CHECK_GEU: unless a >= b). */
.macro CHECK_LTU code, a, b
	.if (\code) == MUTATE
	bgeu \a, \b, .Lok\@
	.else
	bltu \a, \b, .Lok\@
	.endif
	mv a7, \a
	mv a6, \b
	mv a1, a7
	mv a2, a6
	li a0, \code
	j test_fail
.Lok\@:
.endm

.macro CHECK_GEU code, a, b
	.if (\code) == MUTATE
	bltu \a, \b, .Lok\@
	.else
	bgeu \a, \b, .Lok\@
	.endif
	mv a7, \a
	mv a6, \b
	mv a1, a7
	mv a2, a6
	li a0, \code
	j test_fail
.Lok\@:
.endm

.macro PASS
	j test_pass
.endm

/* The next exception is expected: record it and skip the instruction. */
.macro TRAP_ARM
	li t6, 1
	sd t6, HB_ARMED(tp)
.endm

/*
 * Run one instruction that must trap into the M handler with `cause`; check
 * that it did (the armed flag was consumed), with that cause, and that mepc
 * is the instruction's address.  Uses t5, t6.
 */
.macro EXPECT_TRAP code, cause, insn:vararg
	TRAP_ARM
.Linsn\@:
	\insn
	ld t5, HB_ARMED(tp)
	CHECK_EQ \code, t5, zero
	ld t5, HB_M_CAUSE(tp)
	CHECK_EQI \code, t5, \cause
	ld t5, HB_M_EPC(tp)
	la t6, .Linsn\@
	CHECK_EQ \code, t5, t6
.endm

/* The same for a trap taken by the S handler (delegated with medeleg). */
.macro EXPECT_STRAP code, cause, insn:vararg
	TRAP_ARM
.Linsn\@:
	\insn
	ld t5, HB_ARMED(tp)
	CHECK_EQ \code, t5, zero
	ld t5, HB_S_CAUSE(tp)
	CHECK_EQI \code, t5, \cause
	ld t5, HB_S_EPC(tp)
	la t6, .Linsn\@
	CHECK_EQ \code, t5, t6
.endm

/* Fail with `code` unless the last M trap's mtval equals the constant. */
.macro CHECK_MTVAL code, want
	ld t5, HB_M_TVAL(tp)
	CHECK_EQI \code, t5, \want
.endm

/* Fail with `code` unless mtval holds the 32 bits of the trapping instruction. */
.macro CHECK_MTVAL_INSN code
	ld t5, HB_M_EPC(tp)
	lwu t6, 0(t5)
	ld t5, HB_M_TVAL(tp)
	CHECK_EQ \code, t5, t6
.endm

/*
 * Wait until the doubleword at offset(tp) differs from register `old`
 * (e.g. HB_M_COUNT after an interrupt), failing with `code` if a second of
 * mtime passes first.  Uses t0-t3; works in any mode while satp is Bare.
 */
.macro WAIT_CHANGE code, offset, old
	li t0, CLINT_MTIME
	ld t1, 0(t0)
	li t2, TIMEBASE_HZ
	add t1, t1, t2
.Lwait\@:
	ld t3, \offset(tp)
	bne t3, \old, .Ldone\@
	ld t2, 0(t0)
	bltu t2, t1, .Lwait\@
	FAIL \code
.Ldone\@:
	RIGHT_PATH \code
.endm

/*
 * Flags between harts: SET_FLAG stores 1 to the word at `label` (after a
 * fence); WAIT_FLAG waits, at most a second, for it to become non-zero and
 * fails with `code` otherwise.  Both use t0-t4.
 */
.macro SET_FLAG label
	fence rw, rw
	la t4, \label
	li t3, 1
	sw t3, 0(t4)
.endm

.macro WAIT_FLAG code, label
	la t4, \label
	li t0, CLINT_MTIME
	ld t1, 0(t0)
	li t2, TIMEBASE_HZ
	add t1, t1, t2
.Lwait\@:
	lw t3, 0(t4)
	bnez t3, .Ldone\@
	ld t2, 0(t0)
	bltu t2, t1, .Lwait\@
	FAIL \code
.Ldone\@:
	RIGHT_PATH \code
	fence rw, rw
.endm

/* Run a loop of n iterations (uses t0): time for an interrupt to show up. */
.macro SPIN n
	li t0, \n
.Lspin\@:
	addi t0, t0, -1
	bnez t0, .Lspin\@
.endm

/*
 * Privilege changes.  From M: ENTER_S / ENTER_U continue at the next
 * instruction in S- or U-mode (an mret to a label just after it).  From S:
 * S_ENTER_U does the same with sret.  LEAVE is an ecall that the handler
 * answers by resuming after it in its own mode: back in M, or in S when
 * ecalls from U are delegated.  All of them use t6.
 */
.macro ENTER_MODE mpp
	li t6, MSTATUS_MPP
	csrc mstatus, t6
	li t6, (\mpp) << 11
	csrs mstatus, t6
	la t6, .Lentered\@
	csrw mepc, t6
	mret
.Lentered\@:
.endm
#define ENTER_S ENTER_MODE PRV_S
#define ENTER_U ENTER_MODE PRV_U

.macro S_ENTER_U
	li t6, MSTATUS_SPP
	csrc sstatus, t6
	la t6, .Lentered\@
	csrw sepc, t6
	sret
.Lentered\@:
.endm

.macro LEAVE
	li a7, HCALL_LEAVE
	ecall
.endm

/* clang-format on */

#else /* C */

#include <stdint.h>

struct hart_block {
	uint64_t hartid;
	long (*m_hook)(struct hart_block *);
	long (*s_hook)(struct hart_block *);
	volatile uint64_t armed;
	volatile uint64_t m_count, m_cause, m_epc, m_tval, m_status;
	volatile uint64_t s_count, s_cause, s_epc, s_tval, s_status;
	uint64_t m_busy, s_busy;
	volatile uint64_t m_log[8], s_log[8];
	uint64_t m_frame[32], s_frame[32];
};

_Static_assert(__builtin_offsetof(struct hart_block, m_count) == HB_M_COUNT, "layout");
_Static_assert(__builtin_offsetof(struct hart_block, s_status) == HB_S_STATUS, "layout");
_Static_assert(__builtin_offsetof(struct hart_block, m_log) == HB_M_LOG, "layout");
_Static_assert(__builtin_offsetof(struct hart_block, m_frame) == HB_M_FRAME, "layout");
_Static_assert(__builtin_offsetof(struct hart_block, s_frame) == HB_S_FRAME, "layout");

static inline struct hart_block *hb(void)
{
	struct hart_block *p;
	__asm__("mv %0, tp" : "=r"(p));
	return p;
}

#define STR_(x) #x
#define STR(x)  STR_(x)
#define csr_read(csr)                                                    \
	({                                                               \
		unsigned long v_;                                        \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_)::"memory"); \
		v_;                                                      \
	})
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, val)   __asm__ volatile("csrs " #csr ", %0" ::"rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"rK"(val) : "memory")

static inline void mmio_write32(unsigned long addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
static inline uint32_t mmio_read32(unsigned long addr)
{
	return *(volatile uint32_t *)addr;
}
static inline void mmio_write8(unsigned long addr, uint8_t v)
{
	*(volatile uint8_t *)addr = v;
}
static inline uint8_t mmio_read8(unsigned long addr)
{
	return *(volatile uint8_t *)addr;
}
static inline void mmio_write64(unsigned long addr, uint64_t v)
{
	*(volatile uint64_t *)addr = v;
}
static inline uint64_t mmio_read64(unsigned long addr)
{
	return *(volatile uint64_t *)addr;
}

/* start.S */
__attribute__((noreturn)) void test_fail(long code, unsigned long got, unsigned long want);
__attribute__((noreturn)) void test_pass(void);
void uart_puts(const char *s);
void uart_puthex(unsigned long v);
/*
 * Call fn(a, b) in privilege mode `mode` (PRV_U / PRV_S / PRV_M) and return
 * its result back in M-mode.  run_in_user is the same trampoline placed in
 * the .text.user page, for tests that map that page for U-mode.
 */
long run_in(int mode, long (*fn)(long, long), long a, long b);
long run_in_user(long (*fn)(long, long), long a, long b);

#define CHECK(cond, code)                         \
	do {                                      \
		if (!(cond) ^ ((code) == MUTATE)) \
			test_fail((code), 0, 0);  \
	} while (0)
#define CHECK_EQ(got, want, code)                                                    \
	do {                                                                         \
		unsigned long g_ = (unsigned long)(got), w_ = (unsigned long)(want); \
		if ((g_ != w_) ^ ((code) == MUTATE))                                 \
			test_fail((code), g_, w_);                                   \
	} while (0)

static inline void trap_arm(void)
{
	__asm__ volatile("" ::: "memory");
	hb()->armed = 1;
	__asm__ volatile("" ::: "memory");
}

/* Did the armed trap happen?  (The handler clears `armed`.) */
static inline int trap_taken(void)
{
	return hb()->armed == 0;
}

static inline uint64_t mtime(void)
{
	return mmio_read64(CLINT_MTIME);
}

#endif /* __ASSEMBLER__ */
#endif /* KENNEL_RVTEST_H */
