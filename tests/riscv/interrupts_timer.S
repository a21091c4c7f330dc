/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * interrupts_timer: the machine timer (CLINT mtimecmp) and the supervisor
 * timer that M-mode raises by writing mip.STIP.
 *
 * Proves:
 *  - mip.MTIP is set exactly while mtime >= mtimecmp, and software cannot
 *    clear it through mip; writing mtimecmp into the future clears it;
 *  - a pending timer interrupt waits while either mie.MTIE or mstatus.MIE
 *    is clear, and is taken as soon as both are set (mcause = 2^63 | 7,
 *    MPIE = 1 and MPP = M at the trap);
 *  - a timer set 20 ms ahead fires no earlier than its deadline (the handler
 *    reads mtime itself) and the handler acknowledges it by moving mtimecmp;
 *  - in U-mode the machine timer is taken even with mstatus.MIE = 0;
 *  - with mtvec in vectored mode, the timer goes to BASE + 4 * 7 while
 *    exceptions still go to BASE;
 *  - STIP, when delegated through mideleg, is taken by the S handler
 *    (scause = 2^63 | 5) in S with SIE = 1, waits in S with SIE = 0, is taken
 *    in U whatever SIE says, and is never taken in M; S cannot clear it
 *    through sip; when not delegated, M takes it with mcause = 2^63 | 5.
 */
#include "rvtest.h"

	.option norvc

#define MTIMECMP0 CLINT_MTIMECMP(0)

.macro CHECK_MIP code, bit, want
	csrr t5, mip
	srli t5, t5, \bit
	andi t5, t5, 1
	CHECK_EQI \code, t5, \want
.endm

	.text
	.globl test_main
test_main:
	li s0, MTIMECMP0
	li s1, CLINT_MTIME

	/* ---- MTIP follows mtime >= mtimecmp ---- */
	li t0, -1
	sd t0, 0(s0)
	CHECK_MIP 1, IRQ_M_TIMER, 0
	sd zero, 0(s0)
	CHECK_MIP 2, IRQ_M_TIMER, 1
	li t0, BIT(IRQ_M_TIMER)
	csrc mip, t0			/* read-only in mip: no effect */
	CHECK_MIP 3, IRQ_M_TIMER, 1

	/* ---- masked by mie.MTIE, then by mstatus.MIE ---- */
	ld s2, HB_M_COUNT(tp)
	li t0, BIT(IRQ_M_TIMER)
	csrs mie, t0
	SPIN 1000
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 4, a0, s2		/* MIE = 0: nothing */
	csrw mie, zero
	csrsi mstatus, MSTATUS_MIE
	SPIN 1000
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 5, a0, s2		/* MTIE = 0: nothing */

	/* ---- both set: taken at once ---- */
	li t0, BIT(IRQ_M_TIMER)
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	WAIT_CHANGE 6, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 7, a0, INTERRUPT | IRQ_M_TIMER
	ld a0, HB_M_STATUS(tp)
	li t0, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE
	and a0, a0, t0
	CHECK_EQI 8, a0, MSTATUS_MPIE | MSTATUS_MPP

	/* ---- a deadline in the future, acknowledged by the handler ---- */
	la t0, timer_hook
	sd t0, HB_M_HOOK(tp)
	ld s2, HB_M_COUNT(tp)
	ld s3, 0(s1)
	li t0, TIMEBASE_HZ / 50		/* 20 ms */
	add s3, s3, t0
	sd s3, 0(s0)
	CHECK_MIP 9, IRQ_M_TIMER, 0	/* a future mtimecmp clears MTIP */
	li t0, BIT(IRQ_M_TIMER)
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	WAIT_CHANGE 10, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	la t0, irq_mtime
	ld a0, 0(t0)
	CHECK_GEU 11, a0, s3		/* not before its time */
	CHECK_MIP 12, IRQ_M_TIMER, 0	/* the handler moved mtimecmp */

	/* ---- in U-mode, MIE = 0 does not hold M interrupts back ---- */
	ld s2, HB_M_COUNT(tp)
	sd zero, 0(s0)
	li t0, BIT(IRQ_M_TIMER)
	csrs mie, t0
	ENTER_U
	WAIT_CHANGE 13, HB_M_COUNT, s2
	LEAVE
	ld a0, HB_M_STATUS(tp)
	li t0, MSTATUS_MPP
	and a0, a0, t0
	CHECK_EQ 14, a0, zero		/* it interrupted U */
	sd zero, HB_M_HOOK(tp)

	/* ---- vectored mtvec ---- */
	la t0, vector_table + 1
	csrw mtvec, t0
	li a7, 0
	EXPECT_TRAP 15, CAUSE_ECALL_M, ecall	/* exceptions: BASE */
	li s11, 0
	ld s2, HB_M_COUNT(tp)
	sd zero, 0(s0)
	li t0, BIT(IRQ_M_TIMER)
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	WAIT_CHANGE 16, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	CHECK_EQI 17, s11, 1		/* came through entry 7 */
	la t0, trap_m_entry
	csrw mtvec, t0
	li t0, -1
	sd t0, 0(s0)

	/* ---- the supervisor timer, delegated ---- */
	ld s2, HB_M_COUNT(tp)
	li t0, BIT(IRQ_S_TIMER)
	csrw mideleg, t0
	csrs mip, t0			/* M raises STIP */
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	SPIN 1000			/* delegated: never taken in M */
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 18, a0, s2
	ld s2, HB_S_COUNT(tp)
	ENTER_S
	SPIN 1000			/* SIE = 0: waits */
	ld a0, HB_S_COUNT(tp)
	CHECK_EQ 19, a0, s2
	li t0, BIT(IRQ_S_TIMER)
	csrc sip, t0			/* STIP is read-only in sip */
	csrr a0, sip
	and a0, a0, t0
	CHECK_EQ 20, a0, t0
	csrsi sstatus, MSTATUS_SIE
	WAIT_CHANGE 21, HB_S_COUNT, s2
	csrci sstatus, MSTATUS_SIE
	LEAVE
	ld a0, HB_S_CAUSE(tp)
	CHECK_EQI 22, a0, INTERRUPT | IRQ_S_TIMER
	ld a0, HB_S_STATUS(tp)
	andi a0, a0, MSTATUS_SPP | MSTATUS_SPIE
	CHECK_EQI 23, a0, MSTATUS_SPP | MSTATUS_SPIE

	/* in U, SIE = 0 does not hold S interrupts back */
	ld s2, HB_S_COUNT(tp)
	li t0, BIT(IRQ_S_TIMER)
	csrs mie, t0			/* the S handler masked it */
	ENTER_U
	WAIT_CHANGE 24, HB_S_COUNT, s2
	LEAVE
	ld a0, HB_S_STATUS(tp)
	andi a0, a0, MSTATUS_SPP
	CHECK_EQ 25, a0, zero
	li t0, BIT(IRQ_S_TIMER)
	csrc mip, t0
	csrw mideleg, zero

	/* ---- not delegated: the M handler takes STIP ---- */
	ld s2, HB_M_COUNT(tp)
	li t0, BIT(IRQ_S_TIMER)
	csrs mip, t0
	csrs mie, t0
	csrsi mstatus, MSTATUS_MIE
	WAIT_CHANGE 26, HB_M_COUNT, s2
	csrci mstatus, MSTATUS_MIE
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 27, a0, INTERRUPT | IRQ_S_TIMER
	li t0, BIT(IRQ_S_TIMER)
	csrc mip, t0
	csrw mie, zero

	PASS

/* M hook: note when the timer fired and acknowledge it; then the default. */
timer_hook:
	csrr t0, mcause
	li t1, INTERRUPT | IRQ_M_TIMER
	bne t0, t1, 1f
	li t0, CLINT_MTIME
	ld t1, 0(t0)
	la t2, irq_mtime
	sd t1, 0(t2)
	li t0, MTIMECMP0
	li t1, -1
	sd t1, 0(t0)
1:	li a0, 1
	ret

/* Vectored mode: interrupt n enters at BASE + 4n. */
	.align 8
vector_table:
	j trap_m_entry			/* 0: exceptions */
	.rept 6
	j trap_m_entry
	.endr
	j vector_timer			/* 7: machine timer */
	.rept 8
	j trap_m_entry
	.endr
vector_timer:
	li s11, 1			/* restored into the interrupted code */
	j trap_m_entry

	.data
	.align 3
irq_mtime:	.dword 0
