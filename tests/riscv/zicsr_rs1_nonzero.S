/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zicsr_rs1_nonzero: csrrs/csrrc "write" according to the rs1 field, not
 * according to the value in the register.  (Kennel only.)
 *
 * The Zicsr chapter: csrrs/csrrc with rs1 = x0 do not write the CSR at
 * all; with any other rs1 they write, even when the register holds zero
 * (the unmodified value is written back, with any side effects).  So on a
 * read-only CSR, csrrs rd, mhartid, a1 with a1 = 0 is an illegal
 * instruction.
 *
 * Not registered under QEMU: QEMU 7.2 decides by the value of the write
 * mask, lets these through, and fails check 1.  (Everything else about CSR
 * write rules is in zicsr.S, which runs under both.)
 */
#include "rvtest.h"

	.option norvc

	.text
	.globl test_main
test_main:
	li a1, 0
	li a0, 0x77
	EXPECT_TRAP 1, CAUSE_ILLEGAL, csrrs a0, mhartid, a1
	CHECK_MTVAL_INSN 2
	CHECK_EQI 3, a0, 0x77		/* rd untouched by the trapping instruction */
	EXPECT_TRAP 4, CAUSE_ILLEGAL, csrrc a0, cycle, a1
	CHECK_MTVAL_INSN 5
	/* rs1 = x0 and uimm = 0 are the forms that do not write */
	csrrs a0, mhartid, x0
	csrrc a0, cycle, x0
	csrrsi a0, mvendorid, 0
	csrrci a0, marchid, 0
	PASS
