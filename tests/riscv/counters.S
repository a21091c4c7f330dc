/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * counters: cycle, time, instret, and who may read them.
 *
 * Proves: cycle, time and instret (and mcycle, minstret) can be read and
 * move forward; the time CSR is the CLINT's mtime (it lies between two
 * reads of mtime); mcycle and minstret can be written by M-mode and count
 * on from the new value; mcounteren gates S-mode (and U-mode) reads, bit by
 * bit (CY = 0, TM = 1, IR = 2), and scounteren further gates U-mode; the
 * machine-level counters are out of U's and S's reach altogether.
 */
#include "rvtest.h"

	.option norvc

.macro BUSY n
	li t0, \n
1:	addi t0, t0, -1
	bnez t0, 1b
.endm

	.text
	.globl test_main
test_main:
	/* ---- moving forward ---- */
	csrr s1, cycle
	csrr s2, instret
	csrr s3, time
	BUSY 1000
	csrr a1, cycle
	csrr a2, instret
	csrr a3, time
	CHECK_LTU 1, s1, a1
	CHECK_LTU 2, s2, a2
	CHECK_LTU 3, s3, a3
	csrr s1, mcycle
	csrr s2, minstret
	BUSY 100
	csrr a1, mcycle
	csrr a2, minstret
	CHECK_LTU 4, s1, a1
	CHECK_LTU 5, s2, a2

	/* ---- time is mtime ---- */
	li s0, CLINT_MTIME
	ld s1, 0(s0)
	csrr a0, time
	ld s2, 0(s0)
	CHECK_GEU 6, a0, s1
	CHECK_GEU 7, s2, a0

	/* ---- M-mode may set mcycle and minstret ---- */
	li s1, 1 << 40
	li s2, (1 << 40) + (1 << 30)
	csrw mcycle, s1
	csrr a0, mcycle
	CHECK_GEU 8, a0, s1
	CHECK_LTU 9, a0, s2
	csrw minstret, s1
	csrr a0, minstret
	CHECK_GEU 10, a0, s1
	CHECK_LTU 11, a0, s2
	csrr a0, cycle			/* cycle shows what mcycle holds */
	CHECK_GEU 12, a0, s1

	/* ---- mcounteren = 0: S and U cannot read any of them ---- */
	csrw mcounteren, zero
	csrw scounteren, zero
	ENTER_S
	EXPECT_TRAP 13, CAUSE_ILLEGAL, csrr a0, cycle
	EXPECT_TRAP 14, CAUSE_ILLEGAL, csrr a0, time
	EXPECT_TRAP 15, CAUSE_ILLEGAL, csrr a0, instret
	LEAVE
	ENTER_U
	EXPECT_TRAP 16, CAUSE_ILLEGAL, csrr a0, cycle
	EXPECT_TRAP 17, CAUSE_ILLEGAL, csrr a0, time
	EXPECT_TRAP 18, CAUSE_ILLEGAL, csrr a0, instret
	LEAVE

	/* ---- mcounteren = TM: only time, for S; U still needs scounteren ---- */
	csrwi mcounteren, 2
	ENTER_S
	csrr a0, time
	EXPECT_TRAP 19, CAUSE_ILLEGAL, csrr a0, cycle
	EXPECT_TRAP 20, CAUSE_ILLEGAL, csrr a0, instret
	LEAVE
	ENTER_U
	EXPECT_TRAP 21, CAUSE_ILLEGAL, csrr a0, time
	LEAVE

	/* ---- mcounteren = all three: S reads them, U per scounteren ---- */
	csrwi mcounteren, 7
	ENTER_S
	csrr s1, cycle
	csrr s2, time
	csrr s3, instret
	csrwi scounteren, 1		/* S itself sets what U may read: CY */
	LEAVE
	CHECK_NE 22, s2, zero
	ENTER_U
	csrr a0, cycle
	EXPECT_TRAP 23, CAUSE_ILLEGAL, csrr a0, time
	EXPECT_TRAP 24, CAUSE_ILLEGAL, csrr a0, instret
	LEAVE
	csrwi scounteren, 7
	ENTER_U
	csrr a0, cycle
	csrr a1, time
	csrr a2, instret
	LEAVE
	CHECK_LTU 25, s2, a1		/* U's time is later than S's */

	/* ---- the machine counters are M-only, whatever the enables ---- */
	ENTER_U
	EXPECT_TRAP 26, CAUSE_ILLEGAL, csrr a0, mcycle
	EXPECT_TRAP 27, CAUSE_ILLEGAL, csrr a0, minstret
	LEAVE
	ENTER_S
	EXPECT_TRAP 28, CAUSE_ILLEGAL, csrr a0, mcycle
	EXPECT_TRAP 29, CAUSE_ILLEGAL, csrw mcounteren, zero
	LEAVE
	csrw mcounteren, zero
	csrw scounteren, zero

	PASS
