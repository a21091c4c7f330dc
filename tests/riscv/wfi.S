/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wfi: wait for interrupt.
 *
 * WFI resumes when an interrupt is pending and enabled in mie -- whether or
 * not mstatus.MIE would let it be taken.  Kennel's WFI really sleeps (the
 * vCPU thread waits, DESIGN.md), as QEMU's does, so this program also
 * checks that a wait takes time and few trips round the loop, rather than
 * accepting a WFI that is a no-op.
 *
 * Proves:
 *  - with MIE = 0 and only mie.MTIE set, a wfi loop ends when the timer
 *    deadline (2 ms ahead) passes, not before, after few wfi executions,
 *    and no trap is taken;
 *  - an interrupt pending but not enabled in mie (MSIP with MSIE = 0) does
 *    not end the wait early;
 *  - with an enabled interrupt already pending, wfi returns at once;
 *  - with MIE = 1, the interrupt is taken out of the wfi and mepc is the
 *    instruction after the wfi;
 *  - a wfi in S-mode (TW = 0) is ended by a machine timer interrupt, taken
 *    into M.
 */
#include "rvtest.h"

	.option norvc

#define WAIT_TICKS (TIMEBASE_HZ / 500)	/* 2 ms */

	.text
	.globl test_main
test_main:
	li s0, CLINT_MTIMECMP(0)
	li s1, CLINT_MTIME
	li t0, -1
	sd t0, 0(s0)

	/* ---- woken by the timer with MIE = 0 ---- */
	li t0, BIT(IRQ_M_TIMER)
	csrw mie, t0
	ld s2, HB_M_COUNT(tp)
	ld s3, 0(s1)
	li t0, WAIT_TICKS
	add s3, s3, t0
	sd s3, 0(s0)
	li s4, 0			/* wfi count */
1:	wfi
	addi s4, s4, 1
	csrr t0, mip
	andi t0, t0, BIT(IRQ_M_TIMER)
	beqz t0, 1b
	ld a0, 0(s1)
	CHECK_GEU 1, a0, s3		/* not before the deadline */
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 2, a0, s2		/* nothing taken */
	li t0, 100
	CHECK_LTU 3, s4, t0		/* it slept */

	/* ---- a pending interrupt that is not enabled does not wake ---- */
	li t0, 1
	li t1, CLINT_MSIP(0)
	sw t0, 0(t1)			/* MSIP pending, MSIE = 0 */
	ld s3, 0(s1)
	li t0, WAIT_TICKS
	add s3, s3, t0
	sd s3, 0(s0)
	li s4, 0
1:	wfi
	addi s4, s4, 1
	csrr t0, mip
	andi t0, t0, BIT(IRQ_M_TIMER)
	beqz t0, 1b
	ld a0, 0(s1)
	CHECK_GEU 4, a0, s3
	li t0, 100
	CHECK_LTU 5, s4, t0

	/* ---- enabled and already pending: returns at once ---- */
	li t0, BIT(IRQ_M_SOFT)
	csrw mie, t0			/* MSIP is still pending */
	ld s3, 0(s1)
	wfi
	ld a0, 0(s1)
	sub a0, a0, s3
	li t0, WAIT_TICKS
	CHECK_LTU 6, a0, t0		/* well under a wait */
	li t1, CLINT_MSIP(0)
	sw zero, 0(t1)
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 7, a0, s2

	/* ---- MIE = 1: taken out of the wfi, mepc = the next instruction ---- */
	li t0, -1
	sd t0, 0(s0)
	li t0, BIT(IRQ_M_TIMER)
	csrw mie, t0
	ld s3, 0(s1)
	li t0, WAIT_TICKS
	add s3, s3, t0
	sd s3, 0(s0)
	csrsi mstatus, MSTATUS_MIE
1:	wfi				/* (a loop, as wfi may wake for nothing) */
after_wfi:
	ld a0, HB_M_COUNT(tp)
	beq a0, s2, 1b
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_COUNT(tp)
	addi s2, s2, 1
	CHECK_EQ 8, a0, s2
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 9, a0, INTERRUPT | IRQ_M_TIMER
	ld a0, HB_M_EPC(tp)
	la t0, after_wfi
	CHECK_EQ 10, a0, t0

	/* ---- wfi in S, ended by an M interrupt ---- */
	li t0, -1
	sd t0, 0(s0)
	li t0, BIT(IRQ_M_TIMER)
	csrw mie, t0			/* (the handler had masked it) */
	ld s3, 0(s1)
	li t0, WAIT_TICKS
	add s3, s3, t0
	sd s3, 0(s0)
	ENTER_S
1:	wfi
s_after_wfi:
	ld a0, HB_M_COUNT(tp)
	beq a0, s2, 1b
	LEAVE
	ld a0, HB_M_COUNT(tp)
	addi s2, s2, 1
	CHECK_EQ 11, a0, s2
	ld a0, HB_M_EPC(tp)
	la t0, s_after_wfi
	CHECK_EQ 12, a0, t0
	ld a0, HB_M_STATUS(tp)
	li t0, MSTATUS_MPP
	and a0, a0, t0
	CHECK_EQI 13, a0, PRV_S << 11

	li t0, -1
	sd t0, 0(s0)
	csrw mie, zero
	PASS
