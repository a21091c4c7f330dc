/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * interrupts_priority: which interrupt goes first when several are pending.
 *
 * The handler takes one interrupt, masks it in mie/sie and returns; the next
 * pending one is taken at once.  Its log (see rvtest.h) is the order.
 *
 * Proves:
 *  - in M-mode, with all six standard interrupts pending and enabled and
 *    none delegated, the order is MEI, MSI, MTI, SEI, SSI, STI (11, 3, 7,
 *    9, 1, 5) -- the privileged spec's fixed priority;
 *  - delegated to S, the S handler takes SEI, SSI, STI in that order;
 *  - an interrupt for M (here MTI) is taken before S-level ones pending at
 *    the same time, even while running in S-mode;
 *  - M may write SEIP, SSIP and STIP in mip to raise them.
 *
 * Kennel only.  QEMU 7.2, without the AIA extension, takes the pending
 * interrupt with the lowest number first (SSI, MSI, STI, MTI, SEI, MEI),
 * which is not the order the privileged spec fixes.  With the checks 3-8
 * and 10-12 rewritten to that order the program passes under QEMU, so
 * everything else in it has been checked against the reference.
 */
#include "rvtest.h"

	.option norvc

#define ALL_S (BIT(IRQ_S_SOFT) | BIT(IRQ_S_TIMER) | BIT(IRQ_S_EXT))
#define ALL_M (BIT(IRQ_M_SOFT) | BIT(IRQ_M_TIMER) | BIT(IRQ_M_EXT))

.macro CHECK_LOG code, which, index, cause
	ld t5, \which + 8 * (\index)(tp)
	CHECK_EQI \code, t5, INTERRUPT | \cause
.endm

	.text
	.globl test_main
test_main:
	/* ---- raise all six ---- */
	li t0, 1			/* MEI: the UART through the PLIC */
	li t1, PLIC_PRIORITY(UART_IRQ)
	sw t0, 0(t1)
	li t0, BIT(UART_IRQ)
	li t1, PLIC_ENABLE(PLIC_CTX_M(0))
	sw t0, 0(t1)
	li t1, PLIC_THRESHOLD(PLIC_CTX_M(0))
	sw zero, 0(t1)
	li t0, 0x02
	li t1, UART_BASE
	sb t0, 1(t1)
	li t0, 1			/* MSI */
	li t1, CLINT_MSIP(0)
	sw t0, 0(t1)
	li t1, CLINT_MTIMECMP(0)	/* MTI */
	sd zero, 0(t1)
	li t0, ALL_S			/* SEI, SSI, STI: written by M */
	csrs mip, t0
	csrr a0, mip
	li t0, ALL_S | ALL_M
	and a0, a0, t0
	CHECK_EQ 1, a0, t0		/* all six pending */

	/* ---- M takes them in priority order ---- */
	sd zero, HB_M_COUNT(tp)
	li t0, ALL_S | ALL_M
	csrw mie, t0
	csrsi mstatus, MSTATUS_MIE
	SPIN 1000
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_COUNT(tp)
	CHECK_EQI 2, a0, 6
	CHECK_LOG 3, HB_M_LOG, 0, IRQ_M_EXT
	CHECK_LOG 4, HB_M_LOG, 1, IRQ_M_SOFT
	CHECK_LOG 5, HB_M_LOG, 2, IRQ_M_TIMER
	CHECK_LOG 6, HB_M_LOG, 3, IRQ_S_EXT
	CHECK_LOG 7, HB_M_LOG, 4, IRQ_S_SOFT
	CHECK_LOG 8, HB_M_LOG, 5, IRQ_S_TIMER

	/* ---- delegated: S takes SEI, SSI, STI ---- */
	li t0, ALL_S
	csrw mideleg, t0
	csrw mie, t0
	sd zero, HB_S_COUNT(tp)
	ENTER_S
	csrsi sstatus, MSTATUS_SIE
	SPIN 1000
	csrci sstatus, MSTATUS_SIE
	LEAVE
	ld a0, HB_S_COUNT(tp)
	CHECK_EQI 9, a0, 3
	CHECK_LOG 10, HB_S_LOG, 0, IRQ_S_EXT
	CHECK_LOG 11, HB_S_LOG, 1, IRQ_S_SOFT
	CHECK_LOG 12, HB_S_LOG, 2, IRQ_S_TIMER

	/* ---- in S, an M interrupt beats the S ones ---- */
	la t0, note_s_count
	sd t0, HB_M_HOOK(tp)
	sd zero, HB_M_COUNT(tp)
	sd zero, HB_S_COUNT(tp)
	li t0, ALL_S | BIT(IRQ_M_TIMER)
	csrw mie, t0			/* MTI still pending; S ones too */
	ENTER_S
	csrsi sstatus, MSTATUS_SIE
	SPIN 1000
	csrci sstatus, MSTATUS_SIE
	LEAVE
	ld a0, HB_M_COUNT(tp)
	CHECK_EQI 13, a0, 1
	ld a0, HB_S_COUNT(tp)
	CHECK_EQI 14, a0, 3
	la t0, s_count_at_m
	ld a0, 0(t0)
	CHECK_EQ 15, a0, zero		/* M went before any S one */
	sd zero, HB_M_HOOK(tp)

	/* ---- quiet everything ---- */
	csrw mie, zero
	csrw mideleg, zero
	li t0, ALL_S
	csrc mip, t0
	li t1, CLINT_MSIP(0)
	sw zero, 0(t1)
	li t0, -1
	li t1, CLINT_MTIMECMP(0)
	sd t0, 0(t1)
	li t1, UART_BASE
	sb zero, 1(t1)
	li t1, PLIC_CLAIM(PLIC_CTX_M(0))
	lw t0, 0(t1)
	sw t0, 0(t1)
	csrr a0, mip
	li t0, ALL_S | ALL_M
	and a0, a0, t0
	CHECK_EQ 16, a0, zero

	PASS

/* M hook: remember how many S interrupts had been taken before this one. */
note_s_count:
	ld t0, HB_S_COUNT(a0)
	la t1, s_count_at_m
	sd t0, 0(t1)
	li a0, 1
	ret

	.data
	.align 3
s_count_at_m:	.dword -1
