/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zicsr: the six CSR instructions and the rules about when they write.
 *
 * Proves: csrrw/csrrs/csrrc and csrrwi/csrrsi/csrrci return the old value
 * and write the new one (the immediate forms zero-extend a 5-bit uimm);
 * csrrw with rd == rs1 swaps (all on sscratch); reading a read-only CSR is
 * fine with csrrs/csrrc rs1 = x0 and csrrsi/csrrci uimm = 0 (they do not
 * write), but any other form writes and so traps (for csrrs/csrrc with a
 * register that holds zero, see spec_strict.S); writing a read-only CSR
 * (mhartid, mvendorid, cycle, time, instret) is an illegal instruction with
 * mtval = the instruction's bits, and rd is left alone; an unimplemented
 * CSR number traps; an M-mode CSR touched from S-mode or U-mode traps;
 * mhartid is 0 on hart 0 and misa says RV64 with I M A F D C S U.
 */
#include "rvtest.h"

	.option norvc

.macro ILLEGAL code, insn:vararg
	EXPECT_TRAP \code, CAUSE_ILLEGAL, \insn
	CHECK_MTVAL_INSN \code
.endm

	.text
	.globl test_main
test_main:
	/*
	 * sscratch is the guinea pig: the M handler needs mscratch, and
	 * nothing here traps into S-mode.
	 */
	/* ---- register forms ---- */
	li a1, 0x0123456789abcdef
	csrw sscratch, a1
	li a2, -1
	csrrw a0, sscratch, a2
	CHECK_EQ 1, a0, a1
	csrr a0, sscratch
	CHECK_EQI 2, a0, -1
	li a1, 0xf0
	csrw sscratch, a1
	li a2, 0x0f
	csrrs a0, sscratch, a2
	CHECK_EQI 3, a0, 0xf0
	csrr a0, sscratch
	CHECK_EQI 4, a0, 0xff
	li a2, 0x3c
	csrrc a0, sscratch, a2
	CHECK_EQI 5, a0, 0xff
	csrr a0, sscratch
	CHECK_EQI 6, a0, 0xc3

	/* ---- immediate forms: 5-bit, zero-extended ---- */
	csrrwi a0, sscratch, 31
	CHECK_EQI 7, a0, 0xc3
	csrr a0, sscratch
	CHECK_EQI 8, a0, 31		/* not -1: uimm is unsigned */
	csrrci a0, sscratch, 0x11
	CHECK_EQI 9, a0, 31
	csrr a0, sscratch
	CHECK_EQI 10, a0, 0x0e
	li a1, 0x8000000000000000
	csrw sscratch, a1
	csrrsi a0, sscratch, 1
	CHECK_EQ 11, a0, a1
	csrr a0, sscratch
	CHECK_EQI 12, a0, 0x8000000000000001

	/* ---- swap through the same register ---- */
	li a0, 0x1234
	csrw sscratch, a0
	li a0, 0x5678
	csrrw a0, sscratch, a0
	CHECK_EQI 13, a0, 0x1234
	csrr a0, sscratch
	CHECK_EQI 14, a0, 0x5678

	csrw sscratch, tp		/* what start.S put there */

	/* ---- reading read-only CSRs without writing them ---- */
	csrrs a0, mhartid, x0
	CHECK_EQ 15, a0, zero
	li a0, -1
	csrrc a0, mhartid, x0
	CHECK_EQ 16, a0, zero
	li a0, -1
	csrrsi a0, mhartid, 0
	CHECK_EQ 17, a0, zero
	li a0, -1
	csrrci a0, mhartid, 0
	CHECK_EQ 18, a0, zero
	csrr a0, mvendorid
	csrr a0, marchid
	csrr a0, mimpid
	csrr a0, cycle
	csrr a0, instret
	csrr a0, time

	/* ---- misa: RV64 (MXL = 2) with IMAFDC and S, U ---- */
	csrr a0, misa
	srli a1, a0, 62
	CHECK_EQI 19, a1, 2
	li a2, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | (1 << 2) | \
	       (1 << 18) | (1 << 20)		/* I M A F D C S U */
	and a1, a0, a2
	CHECK_EQ 20, a1, a2

	/* ---- writes to read-only CSRs trap, mtval = the instruction ---- */
	li a1, 0
	/* 21: csrrs with a zero rs1 != x0 is in spec_strict.S (QEMU 7.2 is wrong) */
	ILLEGAL 22, csrw mhartid, a1
	ILLEGAL 23, csrrwi a0, mvendorid, 0
	ILLEGAL 24, csrrsi a0, marchid, 1
	ILLEGAL 25, csrrc a0, mimpid, a2
	ILLEGAL 26, csrw cycle, zero
	ILLEGAL 27, csrw time, a1
	ILLEGAL 28, csrrci a0, instret, 3
	/* the destination is not written when the instruction traps */
	li a0, 0x77
	ILLEGAL 29, csrrw a0, mhartid, a1
	CHECK_EQI 30, a0, 0x77

	/* ---- an unimplemented CSR number (custom M-mode space) ---- */
	ILLEGAL 31, csrr a0, 0x7ff
	ILLEGAL 32, csrw 0x7ff, a1

	/* ---- M-mode CSRs are out of reach from S and U ---- */
	ENTER_S
	ILLEGAL 33, csrr a0, mscratch
	ILLEGAL 34, csrw mstatus, zero
	ILLEGAL 35, csrr a0, mhartid
	csrr a0, sscratch		/* but S CSRs are fine */
	LEAVE
	ENTER_U
	ILLEGAL 36, csrr a0, mscratch
	ILLEGAL 37, csrr a0, sscratch
	LEAVE
	csrr a0, mscratch		/* and we are back in M */

	PASS
