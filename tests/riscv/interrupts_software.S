/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * interrupts_software: machine software interrupts (CLINT msip), between
 * harts and to oneself, and the supervisor software interrupt.  Two harts.
 *
 * Proves:
 *  - msip[h] holds one bit and drives hart h's mip.MSIP, which software
 *    cannot change through mip; a self-IPI is taken with mcause = 2^63 | 3;
 *  - hart 0 writing msip[1] wakes hart 1 from wfi (with mstatus.MIE = 0, so
 *    nothing is taken) and leaves hart 0's own MSIP alone; a second IPI
 *    interrupts hart 1 (MIE = 1) and its handler sees cause 3;
 *  - SSIP set by M in mip, delegated, is taken by the S handler
 *    (scause = 2^63 | 1); S can raise it itself through sip; undelegated,
 *    it goes to the M handler (mcause = 2^63 | 1).
 */
#include "rvtest.h"

	.option norvc

.macro CHECK_MIP code, bit, want
	csrr t5, mip
	srli t5, t5, \bit
	andi t5, t5, 1
	CHECK_EQI \code, t5, \want
.endm

	.text
	.globl test_main
test_main:
	bnez a0, hart1

	/* ---- hart 0: the msip register and a self-IPI ---- */
	li s0, CLINT_MSIP(0)
	CHECK_MIP 1, IRQ_M_SOFT, 0
	li t0, -1
	sw t0, 0(s0)
	lw a0, 0(s0)
	CHECK_EQI 2, a0, 1		/* one bit */
	CHECK_MIP 3, IRQ_M_SOFT, 1
	li t0, BIT(IRQ_M_SOFT)
	csrc mip, t0			/* read-only in mip */
	CHECK_MIP 4, IRQ_M_SOFT, 1
	ld s2, HB_M_COUNT(tp)
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	WAIT_CHANGE 5, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 6, a0, INTERRUPT | IRQ_M_SOFT
	sw zero, 0(s0)
	CHECK_MIP 7, IRQ_M_SOFT, 0
	csrw mie, zero

	/* ---- wake hart 1 from wfi ---- */
	WAIT_FLAG 8, h1_ready
	SPIN 10000			/* give it time to reach its wfi */
	li t0, CLINT_MSIP(1)
	li t1, 1
	sw t1, 0(t0)
	CHECK_MIP 9, IRQ_M_SOFT, 0	/* hart 1's bit, not ours */
	WAIT_FLAG 10, h1_woken

	/* ---- interrupt hart 1 ---- */
	WAIT_FLAG 11, h1_ready2
	li t0, CLINT_MSIP(1)
	li t1, 1
	sw t1, 0(t0)
	WAIT_FLAG 12, h1_done

	/* ---- the supervisor software interrupt, delegated ---- */
	li t0, BIT(IRQ_S_SOFT)
	csrw mideleg, t0
	csrs mie, t0
	csrs mip, t0
	ld s2, HB_S_COUNT(tp)
	ENTER_S
	csrsi sstatus, MSTATUS_SIE
	WAIT_CHANGE 13, HB_S_COUNT, s2
	csrci sstatus, MSTATUS_SIE
	csrci sip, BIT(IRQ_S_SOFT)
	LEAVE
	ld a0, HB_S_CAUSE(tp)
	CHECK_EQI 14, a0, INTERRUPT | IRQ_S_SOFT
	CHECK_MIP 15, IRQ_S_SOFT, 0	/* S cleared it through sip */
	/* S raises it itself */
	ld s2, HB_S_COUNT(tp)
	li t0, BIT(IRQ_S_SOFT)
	csrs mie, t0
	ENTER_S
	csrsi sstatus, MSTATUS_SIE
	csrsi sip, BIT(IRQ_S_SOFT)
	WAIT_CHANGE 16, HB_S_COUNT, s2
	csrci sstatus, MSTATUS_SIE
	csrci sip, BIT(IRQ_S_SOFT)
	LEAVE
	ld a0, HB_S_CAUSE(tp)
	CHECK_EQI 17, a0, INTERRUPT | IRQ_S_SOFT

	/* ---- not delegated: M takes SSIP ---- */
	csrw mideleg, zero
	ld s2, HB_M_COUNT(tp)
	li t0, BIT(IRQ_S_SOFT)
	csrs mie, t0
	csrs mip, t0
	csrsi mstatus, MSTATUS_MIE
	WAIT_CHANGE 18, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 19, a0, INTERRUPT | IRQ_S_SOFT
	li t0, BIT(IRQ_S_SOFT)
	csrc mip, t0
	csrw mie, zero

	PASS

	/* ---- hart 1 ---- */
hart1:
	li t0, BIT(IRQ_M_SOFT)
	csrw mie, t0			/* MSIE, but MIE stays 0 */
	ld s2, HB_M_COUNT(tp)
	SET_FLAG h1_ready
1:	wfi
	csrr t0, mip
	andi t0, t0, BIT(IRQ_M_SOFT)
	beqz t0, 1b
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 20, a0, s2		/* woken, not interrupted */
	li t0, CLINT_MSIP(1)
	sw zero, 0(t0)
	CHECK_MIP 21, IRQ_M_SOFT, 0
	SET_FLAG h1_woken

	csrsi mstatus, MSTATUS_MIE
	SET_FLAG h1_ready2
	WAIT_CHANGE 22, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 23, a0, INTERRUPT | IRQ_M_SOFT
	li t0, CLINT_MSIP(1)
	sw zero, 0(t0)
	SET_FLAG h1_done
	ret				/* hart 1 parks */

	.data
	.align 2
h1_ready:	.word 0
h1_woken:	.word 0
h1_ready2:	.word 0
h1_done:	.word 0
