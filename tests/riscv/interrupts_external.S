/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * interrupts_external: the PLIC, fed by the UART (source 10).
 *
 * The 16550A raises its interrupt line while its transmit holding register
 * is empty and IER bit 1 (ETBEI) is set -- which is at once, as nothing is
 * being sent.  That gives a level-triggered source under the test's control.
 *
 * Proves:
 *  - the line shows in the PLIC's pending bits and, for the M context of
 *    hart 0, as mip.MEIP -- but only while the source is enabled for that
 *    context, its priority is non-zero and above the context's threshold;
 *  - taken (mie.MEIE, mstatus.MIE) with mcause = 2^63 | 11; the handler's
 *    claim returns 10 and clears the pending bit; while claimed and not yet
 *    completed the source cannot become pending again; silencing the UART
 *    and completing leaves nothing pending; a claim with nothing pending
 *    returns 0;
 *  - routed to hart 0's S context instead, it shows as mip.SEIP, which
 *    software cannot clear through mip while the PLIC drives it, and,
 *    delegated, is taken by the S handler (scause = 2^63 | 9), which
 *    claims and completes through the S context.
 */
#include "rvtest.h"

	.option norvc

#define CTX_M PLIC_CTX_M(0)
#define CTX_S PLIC_CTX_S(0)
#define UART_IER 1

.macro CHECK_MIP code, bit, want
	csrr t5, mip
	srli t5, t5, \bit
	andi t5, t5, 1
	CHECK_EQI \code, t5, \want
.endm

/*
 * Write a context's enable word.  QEMU 7.2's PLIC does not re-evaluate its
 * outputs on an enable write (a correct PLIC does: spec_strict.S checks
 * it), so rewrite the context's threshold (zero here) to make it look.
 */
.macro SET_ENABLE ctx, reg
	li t5, PLIC_ENABLE(\ctx)
	sw \reg, 0(t5)
	li t5, PLIC_THRESHOLD(\ctx)
	sw zero, 0(t5)
.endm

/* Fail with `code` unless the PLIC pending bit of the UART is `want`. */
.macro CHECK_PENDING code, want
	li t5, PLIC_PENDING
	lw t5, 0(t5)
	srli t5, t5, UART_IRQ
	andi t5, t5, 1
	CHECK_EQI \code, t5, \want
.endm

	.text
	.globl test_main
test_main:
	li s0, UART_BASE
	li s1, PLIC_PRIORITY(UART_IRQ)
	li s3, PLIC_THRESHOLD(CTX_M)
	li s4, PLIC_CLAIM(CTX_M)
	li s5, BIT(UART_IRQ)

	/* ---- a quiet start ---- */
	sb zero, UART_IER(s0)
	SET_ENABLE CTX_M, zero
	SET_ENABLE CTX_S, zero
	CHECK_MIP 1, IRQ_M_EXT, 0

	/* ---- the UART asks; the PLIC decides ---- */
	li t0, 1
	sw t0, 0(s1)			/* priority 1 */
	sw zero, 0(s3)			/* threshold 0 */
	li t0, 0x02
	sb t0, UART_IER(s0)		/* THR empty interrupt on */
	CHECK_PENDING 2, 1
	CHECK_MIP 3, IRQ_M_EXT, 0	/* not enabled for the context yet */
	SET_ENABLE CTX_M, s5
	CHECK_MIP 4, IRQ_M_EXT, 1
	li t0, 1
	sw t0, 0(s3)			/* threshold 1: priority must exceed it */
	CHECK_MIP 5, IRQ_M_EXT, 0
	sw zero, 0(s3)
	CHECK_MIP 6, IRQ_M_EXT, 1
	sw zero, 0(s1)			/* priority 0: never */
	CHECK_MIP 7, IRQ_M_EXT, 0
	li t0, 1
	sw t0, 0(s1)
	CHECK_MIP 8, IRQ_M_EXT, 1

	/* ---- claim by hand: a claimed source stays quiet until completed ---- */
	lw a0, 0(s4)
	CHECK_EQI 9, a0, UART_IRQ
	CHECK_PENDING 10, 0
	CHECK_MIP 11, IRQ_M_EXT, 0
	/*
	 * (Completing while the UART still asks must make it pending again --
	 * a level-triggered gateway -- but QEMU 7.2 waits for the device to
	 * re-raise its line: that rule is checked in spec_strict.S.)
	 */
	sb zero, UART_IER(s0)		/* silence the UART ... */
	sw a0, 0(s4)			/* ... then complete */
	CHECK_PENDING 12, 0
	CHECK_MIP 13, IRQ_M_EXT, 0
	lw a0, 0(s4)
	CHECK_EQ 14, a0, zero		/* nothing to claim */

	/* ---- taken as an interrupt; the handler claims and completes ---- */
	la t0, m_ext_hook
	sd t0, HB_M_HOOK(tp)
	ld s6, HB_M_COUNT(tp)
	li t0, BIT(IRQ_M_EXT)
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	li t0, 0x02
	sb t0, UART_IER(s0)
	WAIT_CHANGE 15, HB_M_COUNT, s6
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 16, a0, INTERRUPT | IRQ_M_EXT
	la t0, claimed
	lw a0, 0(t0)
	CHECK_EQI 17, a0, UART_IRQ
	CHECK_MIP 18, IRQ_M_EXT, 0
	CHECK_PENDING 19, 0
	sd zero, HB_M_HOOK(tp)
	csrw mie, zero

	/* ---- the same source routed to the S context ---- */
	SET_ENABLE CTX_M, zero
	SET_ENABLE CTX_S, s5
	li t0, 0x02
	sb t0, UART_IER(s0)
	CHECK_MIP 20, IRQ_S_EXT, 1
	CHECK_MIP 21, IRQ_M_EXT, 0
	li t0, BIT(IRQ_S_EXT)
	csrc mip, t0			/* the PLIC still drives it */
	CHECK_MIP 22, IRQ_S_EXT, 1
	csrw mideleg, t0
	csrs mie, t0
	la t0, s_ext_hook
	sd t0, HB_S_HOOK(tp)
	ld s6, HB_S_COUNT(tp)
	la t0, claimed
	sw zero, 0(t0)
	ENTER_S
	csrsi sstatus, MSTATUS_SIE
	WAIT_CHANGE 23, HB_S_COUNT, s6
	csrci sstatus, MSTATUS_SIE
	LEAVE
	ld a0, HB_S_CAUSE(tp)
	CHECK_EQI 24, a0, INTERRUPT | IRQ_S_EXT
	la t0, claimed
	lw a0, 0(t0)
	CHECK_EQI 25, a0, UART_IRQ
	CHECK_MIP 26, IRQ_S_EXT, 0
	sd zero, HB_S_HOOK(tp)
	csrw mideleg, zero
	csrw mie, zero
	SET_ENABLE CTX_S, zero

	PASS

/*
 * The handlers' hooks: claim, silence the UART, complete -- the order a
 * real driver uses -- then let the default handler record the trap.
 */
m_ext_hook:
	csrr t0, mcause
	li t1, INTERRUPT | IRQ_M_EXT
	bne t0, t1, 1f
	li t0, PLIC_CLAIM(CTX_M)
	lw t1, 0(t0)
	la t2, claimed
	sw t1, 0(t2)
	li t3, UART_BASE
	sb zero, UART_IER(t3)
	sw t1, 0(t0)
1:	li a0, 1
	ret

s_ext_hook:
	csrr t0, scause
	li t1, INTERRUPT | IRQ_S_EXT
	bne t0, t1, 1f
	li t0, PLIC_CLAIM(CTX_S)
	lw t1, 0(t0)
	la t2, claimed
	sw t1, 0(t2)
	li t3, UART_BASE
	sb zero, UART_IER(t3)
	sw t1, 0(t0)
1:	li a0, 1
	ret

	.data
	.align 2
claimed:	.word 0
