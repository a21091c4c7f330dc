/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * delegation: S-mode as the target of traps, and M-mode's controls over it.
 *
 * Proves:
 *  - medeleg sends exceptions from U and S to the S handler (scause, sepc,
 *    stval, sstatus.SPP/SPIE/SIE as the trap left them) and M never sees
 *    them; exceptions in M-mode are never delegated; exceptions whose
 *    medeleg bit is clear still go to M;
 *  - sstatus is a window on mstatus: S fields written through one show in
 *    the other, the M-only fields (MIE, MPIE, MPP, MPRV, TVM, TW, TSR)
 *    neither show in sstatus nor can be set through it, SD follows FS;
 *  - sie/sip are mie/mip seen through mideleg: bits of interrupts not
 *    delegated read as zero, sip.SSIP is writable from sie's side;
 *  - mstatus.TVM makes satp and sfence.vma illegal in S (not in M);
 *    mstatus.TW makes wfi illegal in S, while with TW = 0 a wfi in S with
 *    an enabled interrupt pending returns without trapping;
 *    mstatus.TSR makes sret illegal in S;
 *  - U-mode touching S CSRs, sfence.vma or wfi traps.
 */
#include "rvtest.h"

	.option norvc

.macro CHECK_BITS code, reg, mask, want
	li t6, \mask
	and t5, \reg, t6
	CHECK_EQI \code, t5, \want
.endm

	.text
	.globl test_main
test_main:
	li t0, BIT(CAUSE_ECALL_U) | BIT(CAUSE_ILLEGAL) | BIT(CAUSE_BREAKPOINT)
	csrw medeleg, t0
	csrr a0, medeleg
	CHECK_EQ 1, a0, t0
	ld s5, HB_M_COUNT(tp)

	/* ---- from U to the S handler ---- */
	ENTER_S
	S_ENTER_U
	li a7, 0
	EXPECT_STRAP 2, CAUSE_ECALL_U, ecall
	ld t5, HB_S_TVAL(tp)
	CHECK_EQ 3, t5, zero
	EXPECT_STRAP 4, CAUSE_BREAKPOINT, ebreak
	EXPECT_STRAP 5, CAUSE_ILLEGAL, csrr a0, sstatus
	ld t5, HB_S_EPC(tp)
	lwu t6, 0(t5)
	ld t5, HB_S_TVAL(tp)
	CHECK_EQ 6, t5, t6		/* stval = the instruction */
	ld t5, HB_S_STATUS(tp)
	CHECK_BITS 7, t5, MSTATUS_SPP, 0	/* came from U */
	LEAVE				/* ecalls from U are delegated: back in S */

	/* ---- from S to the S handler ---- */
	csrr a0, sstatus		/* legal: we are in S */
	csrsi sstatus, MSTATUS_SIE	/* sie = 0: nothing can interrupt */
	EXPECT_STRAP 8, CAUSE_ILLEGAL, csrr a0, mstatus
	ld t5, HB_S_STATUS(tp)
	CHECK_BITS 9, t5, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
	csrr a0, sstatus
	CHECK_BITS 10, a0, MSTATUS_SIE, MSTATUS_SIE	/* sret restored SIE */
	csrci sstatus, MSTATUS_SIE
	LEAVE				/* ecall from S is not delegated: back in M */
	ld a0, HB_M_COUNT(tp)
	CHECK_EQ 11, a0, s5		/* M saw none of it */

	/* ---- M-mode exceptions stay in M; undelegated ones go to M ---- */
	EXPECT_TRAP 12, CAUSE_ILLEGAL, .word 0x0000701b
	EXPECT_TRAP 13, CAUSE_BREAKPOINT, ebreak
	ENTER_S
	li a7, 0
	EXPECT_TRAP 14, CAUSE_ECALL_S, ecall
	LEAVE
	li t0, BIT(CAUSE_BREAKPOINT)
	csrc medeleg, t0
	ENTER_U
	EXPECT_TRAP 15, CAUSE_BREAKPOINT, ebreak
	LEAVE				/* to S (ecall from U still delegated) */
	LEAVE				/* to M */
	csrw medeleg, zero

	/* ---- sstatus is a view of mstatus ---- */
	li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | \
	       MSTATUS_TW | MSTATUS_TSR
	csrs mstatus, t0		/* (mie = 0: MIE cannot let anything in) */
	csrr a0, sstatus
	and a0, a0, t0
	CHECK_EQ 16, a0, zero		/* M-only fields are hidden */
	csrc mstatus, t0
	csrsi sstatus, MSTATUS_SIE
	csrr a0, mstatus
	CHECK_BITS 17, a0, MSTATUS_SIE, MSTATUS_SIE
	csrci mstatus, MSTATUS_SIE
	li t1, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SUM | MSTATUS_MXR
	csrs mstatus, t1
	csrr a0, sstatus
	and a0, a0, t1
	CHECK_EQ 18, a0, t1
	li a1, -1
	csrw sstatus, a1		/* cannot reach the M-only fields */
	csrr a0, mstatus
	and a0, a0, t0
	CHECK_EQ 19, a0, zero
	csrr a0, sstatus		/* FS is Dirty now, so SD is set */
	CHECK_BITS 20, a0, MSTATUS_SD | MSTATUS_FS, MSTATUS_SD | MSTATUS_FS_DIRTY
	li t1, MSTATUS_SIE | MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SUM | MSTATUS_MXR
	csrc sstatus, t1

	/* ---- sie and sip are mie and mip through mideleg ---- */
	csrw mideleg, zero
	li t0, BIT(IRQ_S_SOFT) | BIT(IRQ_S_TIMER) | BIT(IRQ_S_EXT)
	csrw mie, t0			/* (MIE = 0, nothing pending) */
	csrr a0, sie
	CHECK_EQ 21, a0, zero		/* not delegated: read as zero */
	csrw mideleg, t0
	csrr a0, sie
	CHECK_EQ 22, a0, t0
	csrw sie, zero
	csrr a0, mie
	CHECK_EQ 23, a0, zero
	csrsi sip, BIT(IRQ_S_SOFT)
	csrr a0, mip
	CHECK_BITS 24, a0, BIT(IRQ_S_SOFT), BIT(IRQ_S_SOFT)
	csrci sip, BIT(IRQ_S_SOFT)
	csrr a0, mip
	CHECK_BITS 25, a0, BIT(IRQ_S_SOFT), 0
	csrw mideleg, zero

	/* ---- TVM: satp and sfence.vma trap in S ---- */
	li t0, MSTATUS_TVM
	csrs mstatus, t0
	csrr a0, satp			/* M is not affected */
	ENTER_S
	EXPECT_TRAP 26, CAUSE_ILLEGAL, csrr a0, satp
	CHECK_MTVAL_INSN 27
	EXPECT_TRAP 28, CAUSE_ILLEGAL, csrw satp, zero
	EXPECT_TRAP 29, CAUSE_ILLEGAL, sfence.vma
	LEAVE
	li t0, MSTATUS_TVM
	csrc mstatus, t0
	ENTER_S
	csrr a0, satp			/* fine again */
	sfence.vma
	LEAVE

	/* ---- TW: wfi traps in S ---- */
	li t0, MSTATUS_TW
	csrs mstatus, t0
	ENTER_S
	EXPECT_TRAP 30, CAUSE_ILLEGAL, wfi
	CHECK_MTVAL 31, 0x10500073
	LEAVE
	li t0, MSTATUS_TW
	csrc mstatus, t0
	/*
	 * With TW = 0, wfi in S waits for an interrupt that is pending and
	 * enabled in sie -- even with sstatus.SIE = 0, when it is not taken.
	 */
	li t0, BIT(IRQ_S_SOFT)
	csrw mideleg, t0
	csrw mie, t0
	csrs mip, t0
	ld s6, HB_S_COUNT(tp)
	ENTER_S
	wfi
	LEAVE
	ld a0, HB_S_COUNT(tp)
	CHECK_EQ 32, a0, s6		/* and it was not taken */
	li t0, BIT(IRQ_S_SOFT)
	csrc mip, t0
	csrw mie, zero
	csrw mideleg, zero

	/* ---- TSR: sret traps in S ---- */
	li t0, MSTATUS_TSR
	csrs mstatus, t0
	ENTER_S
	EXPECT_TRAP 33, CAUSE_ILLEGAL, sret
	CHECK_MTVAL 34, 0x10200073
	LEAVE
	li t0, MSTATUS_TSR
	csrc mstatus, t0

	/* ---- U-mode cannot touch S state ---- */
	ENTER_U
	EXPECT_TRAP 35, CAUSE_ILLEGAL, csrr a0, sstatus
	EXPECT_TRAP 36, CAUSE_ILLEGAL, csrw stvec, zero
	EXPECT_TRAP 37, CAUSE_ILLEGAL, csrr a0, satp
	EXPECT_TRAP 38, CAUSE_ILLEGAL, csrs sip, a0
	EXPECT_TRAP 39, CAUSE_ILLEGAL, sfence.vma
	EXPECT_TRAP 40, CAUSE_ILLEGAL, wfi
	LEAVE

	PASS
