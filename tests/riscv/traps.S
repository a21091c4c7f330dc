/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * traps: synchronous exceptions into M-mode, and the xRET instructions.
 *
 * Proves:
 *  - ecall from M, S and U gives causes 11, 9 and 8, with mepc = the ecall
 *    and mtval = 0; ebreak gives cause 3 (mtval = 0 or the pc: the spec
 *    allows both; QEMU writes 0);
 *  - an illegal instruction (a reserved encoding, and mret/sret from U,
 *    mret from S) gives cause 2 with mtval = the instruction's bits;
 *  - loads, stores and fetches of physical addresses where nothing is
 *    mapped (0x10, and just past the end of the 64 MiB of RAM) give access
 *    faults 5, 7 and 1 with mtval = the address;
 *  - taking a trap: MPP = the previous mode, MPIE = the old MIE, MIE = 0;
 *    mret: MIE = MPIE, MPIE = 1, MPP = U; sret: SIE = SPIE, SPIE = 1,
 *    SPP = U.  (That an xRET below M also clears MPRV is checked in
 *    spec_strict.S, as QEMU 7.2 does not do it.)
 * A misaligned fetch cannot be provoked: with C, jal/branch targets are
 * always 2-byte aligned and jalr clears bit 0 (see rv64i and rvc).
 */
#include "rvtest.h"

	.option norvc

/* Fail with `code` unless (mstatus & mask) == want, for the recorded mstatus. */
.macro CHECK_MSTATUS_AT_TRAP code, mask, want
	ld t5, HB_M_STATUS(tp)
	li t6, \mask
	and t5, t5, t6
	CHECK_EQI \code, t5, \want
.endm

/* The same for the live mstatus. */
.macro CHECK_MSTATUS code, mask, want
	csrr t5, mstatus
	li t6, \mask
	and t5, t5, t6
	CHECK_EQI \code, t5, \want
.endm

	.text
	.globl test_main
test_main:
	li a7, 0			/* not a harness call */

	/* ---- ecall from each mode ---- */
	EXPECT_TRAP 1, CAUSE_ECALL_M, ecall
	CHECK_MTVAL 2, 0
	CHECK_MSTATUS_AT_TRAP 3, MSTATUS_MPP, MSTATUS_MPP
	ENTER_S
	EXPECT_TRAP 4, CAUSE_ECALL_S, ecall
	LEAVE
	CHECK_MTVAL 5, 0
	CHECK_MSTATUS_AT_TRAP 6, MSTATUS_MPP, PRV_S << 11
	li a7, 0
	ENTER_U
	EXPECT_TRAP 7, CAUSE_ECALL_U, ecall
	LEAVE
	CHECK_MTVAL 8, 0
	CHECK_MSTATUS_AT_TRAP 9, MSTATUS_MPP, PRV_U << 11
	li a7, 0

	/* ---- ebreak ---- */
	EXPECT_TRAP 10, CAUSE_BREAKPOINT, ebreak
	ld a0, HB_M_TVAL(tp)		/* 0 or the pc */
	ld a1, HB_M_EPC(tp)
	seqz a2, a0
	sub a1, a0, a1
	seqz a1, a1
	or a2, a2, a1
	CHECK_EQI 11, a2, 1
	ENTER_U
	EXPECT_TRAP 12, CAUSE_BREAKPOINT, ebreak
	LEAVE
	CHECK_MSTATUS_AT_TRAP 13, MSTATUS_MPP, PRV_U << 11

	/* ---- illegal instructions, mtval = the bits ---- */
	EXPECT_TRAP 14, CAUSE_ILLEGAL, .word 0x0000701b	/* OP-IMM-32, funct3 7 */
	CHECK_MTVAL 15, 0x0000701b
	EXPECT_TRAP 16, CAUSE_ILLEGAL, .word 0xffffffff
	ENTER_U
	EXPECT_TRAP 17, CAUSE_ILLEGAL, mret
	EXPECT_TRAP 18, CAUSE_ILLEGAL, sret
	LEAVE
	CHECK_MTVAL 19, 0x10200073	/* sret */
	ENTER_S
	EXPECT_TRAP 20, CAUSE_ILLEGAL, mret
	LEAVE
	CHECK_MTVAL 21, 0x30200073	/* mret */

	/* ---- access faults on unmapped physical addresses ---- */
	li s1, 0x10
	EXPECT_TRAP 22, CAUSE_LOAD_ACCESS, ld a0, 0(s1)
	CHECK_MTVAL 23, 0x10
	EXPECT_TRAP 24, CAUSE_STORE_ACCESS, sw a0, 0(s1)
	CHECK_MTVAL 25, 0x10
	li s1, RAM_BASE + 64 * 1024 * 1024 + 8	/* just past the end of RAM */
	EXPECT_TRAP 26, CAUSE_LOAD_ACCESS, lbu a0, 0(s1)
	CHECK_MTVAL 27, RAM_BASE + 64 * 1024 * 1024 + 8
	EXPECT_TRAP 28, CAUSE_STORE_ACCESS, sd a0, 0(s1)
	CHECK_MTVAL 29, RAM_BASE + 64 * 1024 * 1024 + 8
	/* a fetch fault comes back to ra (see start.S) */
	li s1, 0x10
	TRAP_ARM
	jalr ra, 0(s1)
	ld a0, HB_ARMED(tp)
	CHECK_EQ 30, a0, zero
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 31, a0, CAUSE_FETCH_ACCESS
	ld a0, HB_M_EPC(tp)
	CHECK_EQI 32, a0, 0x10
	CHECK_MTVAL 33, 0x10
	li s1, RAM_BASE + 64 * 1024 * 1024
	TRAP_ARM
	jalr ra, 0(s1)
	ld a0, HB_M_CAUSE(tp)
	CHECK_EQI 34, a0, CAUSE_FETCH_ACCESS
	CHECK_MTVAL 35, RAM_BASE + 64 * 1024 * 1024

	/* ---- trap entry saves MIE in MPIE and clears MIE ---- */
	csrw mie, zero			/* no interrupt can fire */
	csrsi mstatus, MSTATUS_MIE
	li a7, 0
	EXPECT_TRAP 36, CAUSE_ECALL_M, ecall
	CHECK_MSTATUS_AT_TRAP 37, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE
	CHECK_MSTATUS 38, MSTATUS_MIE, MSTATUS_MIE	/* mret put it back */
	csrci mstatus, MSTATUS_MIE
	EXPECT_TRAP 39, CAUSE_ECALL_M, ecall
	CHECK_MSTATUS_AT_TRAP 40, MSTATUS_MIE | MSTATUS_MPIE, 0

	/* ---- mret: MIE = MPIE, MPIE = 1, MPP = U ---- */
	li t0, MSTATUS_MPP		/* MPP = M: stay in M */
	csrs mstatus, t0
	li t0, MSTATUS_MPIE
	csrc mstatus, t0
	la t0, 1f
	csrw mepc, t0
	mret
1:	CHECK_MSTATUS 41, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE
	li t0, MSTATUS_MPP | MSTATUS_MPIE
	csrs mstatus, t0
	la t0, 1f
	csrw mepc, t0
	mret
1:	CHECK_MSTATUS 42, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE
	csrci mstatus, MSTATUS_MIE

	/* 43: "mret below M clears MPRV" is in spec_strict.S (QEMU 7.2 does not) */

	/* ---- sret: SIE = SPIE, SPIE = 1, SPP = U ---- */
	ENTER_S
	li t0, MSTATUS_SPP | MSTATUS_SPIE
	csrs sstatus, t0		/* SPP = S: stay in S */
	csrci sstatus, MSTATUS_SIE
	la t0, 1f
	csrw sepc, t0
	sret
1:	csrr a0, sstatus
	andi a0, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
	CHECK_EQI 44, a0, MSTATUS_SIE | MSTATUS_SPIE
	li t0, MSTATUS_SPP		/* now SPP = U, SPIE = 1, SIE = 0 */
	csrc sstatus, t0
	la t0, 1f
	csrw sepc, t0
	sret
1:	li a7, 0
	EXPECT_TRAP 45, CAUSE_ECALL_U, ecall	/* we are in U */
	LEAVE
	CHECK_MSTATUS 46, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE
	csrci mstatus, MSTATUS_SIE

	PASS
