/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rvc: every compressed instruction RV64GC has, written with its explicit
 * c. mnemonic so that the assembler cannot pick a 32-bit form.
 *
 * Proves: quadrant 0 (c.addi4spn, c.fld, c.lw, c.ld, c.fsd, c.sw, c.sd),
 * quadrant 1 (c.nop, c.addi, c.addiw, c.li, c.addi16sp, c.lui, c.srli,
 * c.srai, c.andi, c.sub, c.xor, c.or, c.and, c.subw, c.addw, c.j, c.beqz,
 * c.bnez) and quadrant 2 (c.slli, c.fldsp, c.lwsp, c.ldsp, c.jr, c.mv,
 * c.ebreak, c.jalr, c.add, c.fsdsp, c.swsp, c.sdsp), with immediates at
 * the ends of their ranges and c.lw/c.lwsp sign-extending; c.jalr links
 * pc + 2; a 32-bit instruction may sit at an address that is 2 mod 4 and be
 * jumped to there; the all-zero halfword and c.lui with a zero immediate are
 * illegal, with mtval holding the 16 instruction bits.
 */
#include "rvtest.h"

	.option rvc

	.text
	.globl test_main
test_main:
	/* ---- constants and immediates ---- */
	c.li a0, -32
	CHECK_EQI 1, a0, -32
	c.li a0, 31
	CHECK_EQI 2, a0, 31
	c.lui a0, 0x1f
	CHECK_EQI 3, a0, 0x1f000
	c.lui a0, 0xfffe0		/* nzimm = -32: sign-extended */
	CHECK_EQI 4, a0, 0xfffffffffffe0000
	li a0, 10
	c.addi a0, -11
	CHECK_EQI 5, a0, -1
	c.addi a0, 31
	CHECK_EQI 6, a0, 30
	li a0, 0x7fffffff
	c.addiw a0, 1
	CHECK_EQI 7, a0, 0xffffffff80000000
	li a0, 0x1ffffffff
	c.addiw a0, 0			/* sext.w */
	CHECK_EQI 8, a0, -1

	/* ---- stack-pointer arithmetic ---- */
	mv s1, sp
	c.addi16sp sp, -64
	sub a0, s1, sp
	CHECK_EQI 9, a0, 64
	c.addi16sp sp, 496
	sub a0, sp, s1
	CHECK_EQI 10, a0, 432
	addi sp, s1, 0
	c.addi4spn a0, sp, 1020
	sub a0, a0, sp
	CHECK_EQI 11, a0, 1020
	c.addi4spn a0, sp, 4
	sub a0, a0, sp
	CHECK_EQI 12, a0, 4

	/* ---- shifts and logic ---- */
	li a0, 1
	c.slli a0, 63
	CHECK_EQI 13, a0, 0x8000000000000000
	c.srli a0, 63
	CHECK_EQI 14, a0, 1
	li a0, 0x8000000000000000
	c.srai a0, 63
	CHECK_EQI 15, a0, -1
	li a0, -1
	c.srli a0, 1
	CHECK_EQI 16, a0, 0x7fffffffffffffff
	li a0, 0x1234
	c.andi a0, -32
	CHECK_EQI 17, a0, 0x1220
	li a0, 0x1234
	c.andi a0, 15
	CHECK_EQI 18, a0, 4
	li a1, 0x55
	c.mv a0, a1
	CHECK_EQI 19, a0, 0x55
	li a0, 0x10
	li a1, 0x20
	c.add a0, a1
	CHECK_EQI 20, a0, 0x30
	li a0, 5
	li a1, 7
	c.sub a0, a1
	CHECK_EQI 21, a0, -2
	li a0, 0xff00
	li a1, 0x0ff0
	c.xor a0, a1
	CHECK_EQI 22, a0, 0xf0f0
	li a0, 0xff00
	c.or a0, a1
	CHECK_EQI 23, a0, 0xfff0
	li a0, 0xff00
	c.and a0, a1
	CHECK_EQI 24, a0, 0x0f00
	li a0, 0x7fffffff
	li a1, -1
	c.subw a0, a1
	CHECK_EQI 25, a0, 0xffffffff80000000
	li a0, 0x7fffffff
	li a1, 1
	c.addw a0, a1
	CHECK_EQI 26, a0, 0xffffffff80000000

	/* ---- loads and stores, register-based ---- */
	la a1, cdata
	c.lw a0, 4(a1)
	CHECK_EQI 27, a0, 0xffffffff80000002
	c.ld a0, 8(a1)
	CHECK_EQI 28, a0, 0x8877665544332211
	c.lw a0, 124(a1)
	CHECK_EQI 29, a0, 0x7c7c7c7c
	c.ld a0, 248(a1)
	CHECK_EQI 30, a0, 0xf8f8f8f8f8f8f8f8
	li a2, 0x0123456789abcdef
	c.sw a2, 0(a1)
	lw a0, 0(a1)
	CHECK_EQI 31, a0, 0xffffffff89abcdef
	c.sd a2, 16(a1)
	ld a0, 16(a1)
	CHECK_EQ 32, a0, a2

	/* ---- loads and stores, sp-based ---- */
	addi sp, sp, -512
	c.sdsp a2, 504(sp)
	ld a0, 504(sp)
	CHECK_EQ 33, a0, a2
	li a3, 0x5555
	sd a3, 504(sp)
	c.ldsp a0, 504(sp)
	CHECK_EQ 34, a0, a3
	c.swsp a2, 252(sp)
	lwu a0, 252(sp)
	CHECK_EQI 35, a0, 0x89abcdef
	c.lwsp a0, 252(sp)
	CHECK_EQI 36, a0, 0xffffffff89abcdef

	/* ---- floating-point loads and stores ---- */
	la a1, cfp
	c.fld fa0, 8(a1)
	fmv.x.d a0, fa0
	CHECK_EQI 37, a0, 0x400921fb54442d18
	c.fsd fa0, 16(a1)
	ld a0, 16(a1)
	CHECK_EQI 38, a0, 0x400921fb54442d18
	c.fsdsp fa0, 496(sp)
	ld a0, 496(sp)
	CHECK_EQI 39, a0, 0x400921fb54442d18
	li a0, 0x3ff0000000000000
	sd a0, 8(sp)
	c.fldsp fa1, 8(sp)
	fmv.x.d a0, fa1
	CHECK_EQI 40, a0, 0x3ff0000000000000
	addi sp, sp, 512

	/* ---- control transfer ---- */
	c.j 1f
	FAIL 41
1:	RIGHT_PATH 41
	li a0, 0
	c.beqz a0, 1f
	FAIL 42
1:	RIGHT_PATH 42
	li a0, 1
	c.beqz a0, 2f
	j 1f
2:	FAIL 43
1:	RIGHT_PATH 43
	li a0, 1
	c.bnez a0, 1f
	FAIL 44
1:	RIGHT_PATH 44
	li a0, 0
	c.bnez a0, 2f
	j 1f
2:	FAIL 45
1:	RIGHT_PATH 45
	la a1, jr_target
	la a2, 1f
	li a0, 0
	c.jr a1
	FAIL 46
1:	CHECK_EQI 46, a0, 0x15
	la a1, jalr_target
	li a0, 0
	c.jalr a1
2:	CHECK_EQI 47, a0, 0x16
	la a1, 2b			/* the link is pc + 2 */
	CHECK_EQ 48, ra, a1
	c.nop

	/* ---- 32-bit instructions at 2 mod 4 ---- */
	.align 2
	c.nop
	.option push
	.option norvc
	addi a0, zero, 0x123		/* starts at 2 mod 4 */
	.option pop
	CHECK_EQI 49, a0, 0x123
	la a1, odd_target
	li a0, 0
	jalr ra, 0(a1)
	CHECK_EQI 50, a0, 0x321
	la a1, odd_target
	andi a1, a1, 3
	CHECK_EQI 51, a1, 2

	/* ---- c.ebreak and illegal compressed encodings ---- */
	EXPECT_TRAP 52, CAUSE_BREAKPOINT, c.ebreak
	EXPECT_TRAP 53, CAUSE_ILLEGAL, .2byte 0x0000
	CHECK_MTVAL 54, 0
	EXPECT_TRAP 55, CAUSE_ILLEGAL, .2byte 0x6501	/* c.lui a0, 0 */
	CHECK_MTVAL 56, 0x6501

	PASS

jr_target:
	c.li a0, 0x15
	c.jr a2
jalr_target:
	c.li a0, 0x16
	c.jr ra

	.align 2
	c.nop
odd_target:
	.option push
	.option norvc
	addi a0, zero, 0x321
	jalr zero, 0(ra)
	.option pop

	.data
	.align 3
cdata:
	.word 0x11111111, 0x80000002
	.dword 0x8877665544332211
	.fill 27, 4, 0
	.word 0x7c7c7c7c		/* offset 124 */
	.fill 15, 8, 0
	.dword 0xf8f8f8f8f8f8f8f8	/* offset 248 */
cfp:
	.dword 0
	.dword 0x400921fb54442d18	/* pi */
	.dword 0
