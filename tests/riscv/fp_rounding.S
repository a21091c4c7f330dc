/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fp_rounding: the five rounding modes, static and dynamic, and the
 * encodings that are not rounding modes.
 *
 * Proves:
 *  - each of RNE, RTZ, RDN, RUP, RMM on: a tie and a non-tie in fadd.s, a
 *    negative tie, 1/3, sqrt(2), overflow of +-max * 2 (infinity or the
 *    largest finite number, depending on the mode), x - x (+0, but -0 in
 *    RDN), conversions to integers (2.5, -2.5, 3.5, -0.5) and from them
 *    (2^24 + 1), fcvt.s.d, a double tie, and an fma;
 *  - rm = DYN uses frm, for each of the five modes;
 *  - static rm 5 and 6 are illegal instructions (fadd, fsqrt, fcvt, fmadd,
 *    and fcvt.d.s, which cannot round but still decodes rm), mtval = the
 *    instruction;
 *  - frm may hold 5, 6 or 7, and then every instruction with rm = DYN is
 *    illegal, while static-rm instructions and ones without an rm field
 *    (fsgnj, feq, fmv) still work;
 *  - fcsr = frm << 5 | fflags, bits 31:8 read as zero, frm and fflags are
 *    its windows, and csrrw on them returns the old value.
 */
#include "rvtest.h"
#include "fp.h"

	.option norvc

#define TIE    0x33800000	/* 2^-24: 1 + TIE is halfway between floats */
#define NTIE   0xb3800000	/* -2^-24 */
#define ABOVE  0x33c00000	/* 1.5 * 2^-24: past halfway */
#define ONEUP  0x3f800001	/* 1 + 2^-23 */
#define NONEUP 0xbf800001

	.text
	.globl test_main
test_main:
	/* ---- 1 + 2^-24: a tie ---- */
	FBIN_S 1, fadd.s, S_ONE, NX, S_ONE, TIE, rne
	FBIN_S 2, fadd.s, S_ONE, NX, S_ONE, TIE, rtz
	FBIN_S 3, fadd.s, S_ONE, NX, S_ONE, TIE, rdn
	FBIN_S 4, fadd.s, ONEUP, NX, S_ONE, TIE, rup
	FBIN_S 5, fadd.s, ONEUP, NX, S_ONE, TIE, rmm
	/* ---- -1 - 2^-24 ---- */
	FBIN_S 6, fadd.s, S_NONE, NX, S_NONE, NTIE, rne
	FBIN_S 7, fadd.s, S_NONE, NX, S_NONE, NTIE, rtz
	FBIN_S 8, fadd.s, NONEUP, NX, S_NONE, NTIE, rdn
	FBIN_S 9, fadd.s, S_NONE, NX, S_NONE, NTIE, rup
	FBIN_S 10, fadd.s, NONEUP, NX, S_NONE, NTIE, rmm
	/* ---- 1 + 1.5 * 2^-24: past the tie ---- */
	FBIN_S 11, fadd.s, ONEUP, NX, S_ONE, ABOVE, rne
	FBIN_S 12, fadd.s, S_ONE, NX, S_ONE, ABOVE, rtz
	FBIN_S 13, fadd.s, S_ONE, NX, S_ONE, ABOVE, rdn
	FBIN_S 14, fadd.s, ONEUP, NX, S_ONE, ABOVE, rup
	FBIN_S 15, fadd.s, ONEUP, NX, S_ONE, ABOVE, rmm
	/* ---- 1 / 3 ---- */
	FBIN_S 16, fdiv.s, 0x3eaaaaab, NX, S_ONE, S_THREE, rne
	FBIN_S 17, fdiv.s, 0x3eaaaaaa, NX, S_ONE, S_THREE, rtz
	FBIN_S 18, fdiv.s, 0x3eaaaaaa, NX, S_ONE, S_THREE, rdn
	FBIN_S 19, fdiv.s, 0x3eaaaaab, NX, S_ONE, S_THREE, rup
	FBIN_S 20, fdiv.s, 0x3eaaaaab, NX, S_ONE, S_THREE, rmm
	/* ---- sqrt(2) ---- */
	FUN_S 21, fsqrt.s, 0x3fb504f3, NX, S_TWO, rne
	FUN_S 22, fsqrt.s, 0x3fb504f3, NX, S_TWO, rtz
	FUN_S 23, fsqrt.s, 0x3fb504f3, NX, S_TWO, rdn
	FUN_S 24, fsqrt.s, 0x3fb504f4, NX, S_TWO, rup
	FUN_S 25, fsqrt.s, 0x3fb504f3, NX, S_TWO, rmm
	/* ---- max * 2 and -max * 2: infinity or max ---- */
	FBIN_S 26, fmul.s, S_INF, OF | NX, S_MAX, S_TWO, rne
	FBIN_S 27, fmul.s, S_MAX, OF | NX, S_MAX, S_TWO, rtz
	FBIN_S 28, fmul.s, S_MAX, OF | NX, S_MAX, S_TWO, rdn
	FBIN_S 29, fmul.s, S_INF, OF | NX, S_MAX, S_TWO, rup
	FBIN_S 30, fmul.s, S_INF, OF | NX, S_MAX, S_TWO, rmm
	FBIN_S 31, fmul.s, S_NINF, OF | NX, 0xff7fffff, S_TWO, rne
	FBIN_S 32, fmul.s, 0xff7fffff, OF | NX, 0xff7fffff, S_TWO, rtz
	FBIN_S 33, fmul.s, S_NINF, OF | NX, 0xff7fffff, S_TWO, rdn
	FBIN_S 34, fmul.s, 0xff7fffff, OF | NX, 0xff7fffff, S_TWO, rup
	FBIN_S 35, fmul.s, S_NINF, OF | NX, 0xff7fffff, S_TWO, rmm
	/* ---- x - x is +0, except in RDN ---- */
	FBIN_S 36, fsub.s, S_ZERO, 0, S_ONE, S_ONE, rne
	FBIN_S 37, fsub.s, S_ZERO, 0, S_ONE, S_ONE, rup
	FBIN_S 38, fsub.s, S_NZERO, 0, S_ONE, S_ONE, rdn
	FBIN_D 39, fsub.d, D_NZERO, 0, D_TWO, D_TWO, rdn
	/* ---- to integers ---- */
	FTOX_S 40, fcvt.w.s, 2, NX, 0x40200000, rne		/* 2.5 */
	FTOX_S 41, fcvt.w.s, 2, NX, 0x40200000, rtz
	FTOX_S 42, fcvt.w.s, 2, NX, 0x40200000, rdn
	FTOX_S 43, fcvt.w.s, 3, NX, 0x40200000, rup
	FTOX_S 44, fcvt.w.s, 3, NX, 0x40200000, rmm
	FTOX_S 45, fcvt.w.s, -2, NX, 0xc0200000, rne		/* -2.5 */
	FTOX_S 46, fcvt.w.s, -2, NX, 0xc0200000, rtz
	FTOX_S 47, fcvt.w.s, -3, NX, 0xc0200000, rdn
	FTOX_S 48, fcvt.w.s, -2, NX, 0xc0200000, rup
	FTOX_S 49, fcvt.w.s, -3, NX, 0xc0200000, rmm
	FTOX_S 50, fcvt.w.s, 4, NX, 0x40600000, rne		/* 3.5: to even */
	FTOX_S 51, fcvt.w.s, 4, NX, 0x40600000, rmm
	FTOX_S 52, fcvt.w.s, 0, NX, 0xbf000000, rne		/* -0.5 */
	FTOX_S 53, fcvt.w.s, -1, NX, 0xbf000000, rdn
	FTOX_S 54, fcvt.wu.s, 0, NV, 0xbf000000, rdn		/* -1: out of range */
	FTOX_D 55, fcvt.l.d, 3, NX, 0x4004000000000000, rmm	/* 2.5 */
	FTOX_D 56, fcvt.lu.d, 2, NX, 0x4004000000000000, rne
	/* ---- from integers: 2^24 + 1 ---- */
	XTOF_S 57, fcvt.s.w, 0x4b800000, NX, 16777217, rne
	XTOF_S 58, fcvt.s.w, 0x4b800000, NX, 16777217, rtz
	XTOF_S 59, fcvt.s.w, 0x4b800000, NX, 16777217, rdn
	XTOF_S 60, fcvt.s.w, 0x4b800001, NX, 16777217, rup
	XTOF_S 61, fcvt.s.w, 0x4b800001, NX, 16777217, rmm
	XTOF_S 62, fcvt.s.l, 0xcb800001, NX, -16777217, rdn
	/* ---- fcvt.s.d of 1 + 2^-24 ---- */
	FLOAD_D fa1, 0x3ff0000010000000
	csrw fflags, zero
	fcvt.s.d fa0, fa1, rne
	FRESULT_S 63, S_ONE, NX
	csrw fflags, zero
	fcvt.s.d fa0, fa1, rup
	FRESULT_S 64, ONEUP, NX
	csrw fflags, zero
	fcvt.s.d fa0, fa1, rmm
	FRESULT_S 65, ONEUP, NX
	csrw fflags, zero
	fcvt.s.d fa0, fa1, rtz
	FRESULT_S 66, S_ONE, NX
	/* ---- a double tie, and an fma ---- */
	FBIN_D 67, fadd.d, D_ONE, NX, D_ONE, 0x3ca0000000000000, rne
	FBIN_D 68, fadd.d, 0x3ff0000000000001, NX, D_ONE, 0x3ca0000000000000, rup
	FBIN_D 69, fadd.d, 0x3ff0000000000001, NX, D_ONE, 0x3ca0000000000000, rmm
	FBIN_D 70, fadd.d, D_ONE, NX, D_ONE, 0x3ca0000000000000, rdn
	FTERN_S 71, fmadd.s, ONEUP, NX, S_ONE, S_ONE, TIE, rup
	FTERN_S 72, fmadd.s, S_ONE, NX, S_ONE, S_ONE, TIE, rne

	/* ---- dynamic: rm = DYN takes frm ---- */
	csrwi frm, 0
	FBIN_S 73, fadd.s, S_ONE, NX, S_ONE, TIE, dyn
	csrwi frm, 1
	FBIN_S 74, fadd.s, S_ONE, NX, S_ONE, ABOVE, dyn
	csrwi frm, 2
	FBIN_S 75, fadd.s, NONEUP, NX, S_NONE, NTIE
	csrwi frm, 3
	FBIN_S 76, fadd.s, ONEUP, NX, S_ONE, TIE
	csrwi frm, 4
	FBIN_S 77, fadd.s, NONEUP, NX, S_NONE, NTIE
	csrwi frm, 3
	FBIN_S 78, fadd.s, S_ONE, NX, S_ONE, TIE, rne	/* static beats frm */
	csrwi frm, 0

	/* ---- static rm 5 and 6 are not rounding modes ---- */
	EXPECT_TRAP 79, CAUSE_ILLEGAL, .insn r OP_FP, 5, 0x00, fa0, fa1, fa2	/* fadd.s */
	CHECK_MTVAL_INSN 79
	EXPECT_TRAP 80, CAUSE_ILLEGAL, .insn r OP_FP, 6, 0x01, fa0, fa1, fa2	/* fadd.d */
	EXPECT_TRAP 81, CAUSE_ILLEGAL, .insn r OP_FP, 5, 0x2c, fa0, fa1, f0	/* fsqrt.s */
	EXPECT_TRAP 82, CAUSE_ILLEGAL, .insn r OP_FP, 6, 0x60, a0, fa1, x0	/* fcvt.w.s */
	EXPECT_TRAP 83, CAUSE_ILLEGAL, .insn r4 MADD, 5, 0, fa0, fa1, fa2, fa3	/* fmadd.s */
	EXPECT_TRAP 84, CAUSE_ILLEGAL, .insn r OP_FP, 5, 0x21, fa0, fa1, f0	/* fcvt.d.s */
	EXPECT_TRAP 85, CAUSE_ILLEGAL, .insn r OP_FP, 6, 0x68, fa0, a1, x0	/* fcvt.s.w */

	/* ---- frm = 5, 6, 7: DYN becomes illegal ---- */
	csrwi frm, 5
	csrr a0, frm
	CHECK_EQI 86, a0, 5
	EXPECT_TRAP 87, CAUSE_ILLEGAL, fadd.s fa0, fa1, fa2
	CHECK_MTVAL_INSN 87
	EXPECT_TRAP 88, CAUSE_ILLEGAL, fmul.d fa0, fa1, fa2, dyn
	EXPECT_TRAP 89, CAUSE_ILLEGAL, fcvt.w.s a0, fa1, dyn
	EXPECT_TRAP 90, CAUSE_ILLEGAL, .insn r OP_FP, 7, 0x21, fa0, fa1, f0	/* fcvt.d.s, dyn */
	FBIN_S 91, fadd.s, S_THREE, 0, S_ONE, S_TWO, rne	/* static: fine */
	FBIN_S 92, fsgnjn.s, S_NONE, 0, S_ONE, S_ONE		/* no rm field */
	FCMP_S 93, feq.s, 1, 0, S_ONE, S_ONE
	csrwi frm, 6
	EXPECT_TRAP 94, CAUSE_ILLEGAL, fsqrt.d fa0, fa1
	csrwi frm, 7
	EXPECT_TRAP 95, CAUSE_ILLEGAL, fmadd.s fa0, fa1, fa2, fa3
	EXPECT_TRAP 96, CAUSE_ILLEGAL, fcvt.s.l fa0, a1
	csrwi frm, 0

	/* ---- fcsr, frm, fflags ---- */
	li a1, -1
	csrw fcsr, a1
	csrr a0, fcsr
	CHECK_EQI 97, a0, 0xff		/* bits 31:8 read as zero */
	csrr a0, frm
	CHECK_EQI 98, a0, 7
	csrr a0, fflags
	CHECK_EQI 99, a0, 0x1f
	csrwi frm, 3
	csrr a0, fcsr
	CHECK_EQI 100, a0, 0x7f
	csrwi fflags, 0x02
	csrr a0, fcsr
	CHECK_EQI 101, a0, 0x62
	li a1, 0xffffffe9
	csrrw a0, fflags, a1		/* fsflags: returns the old flags */
	CHECK_EQI 102, a0, 0x02
	csrr a0, fflags
	CHECK_EQI 103, a0, 0x09
	csrr a0, frm
	CHECK_EQI 104, a0, 3		/* untouched */
	csrrwi a0, frm, 0		/* fsrmi */
	CHECK_EQI 105, a0, 3
	csrr a0, fcsr
	CHECK_EQI 106, a0, 0x09
	csrw fcsr, zero

	PASS
