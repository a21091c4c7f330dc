/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fp_single: every instruction of the F extension, on values chosen to show
 * the rules RISC-V adds to IEEE 754.
 *
 * Proves, for single precision:
 *  - add, sub, mul, div, sqrt and the four fused multiply-adds, including
 *    a result that only a fused (single-rounding) fma gets right, signed
 *    zeros, infinities, overflow and underflow, and the fma rule that
 *    inf * 0 + qNaN is still invalid;
 *  - NaN results are always the canonical NaN 0x7fc00000: no payload is
 *    propagated, a signalling NaN operand raises NV, a quiet one does not;
 *  - fsgnj/fsgnjn/fsgnjx only move sign bits (no flags, even on sNaN);
 *  - fmin/fmax: -0 < +0, one NaN operand gives the other operand, two give
 *    the canonical NaN, sNaN raises NV;
 *  - feq is quiet (NV only on sNaN), flt/fle signal on any NaN;
 *  - fclass for all ten classes;
 *  - fcvt to w/wu/l/lu saturate (NaN and +inf to the largest value, -inf to
 *    the smallest, negatives to 0 for unsigned) with NV, and the 32-bit
 *    results are sign-extended -- fcvt.wu.s too; fcvt from w/wu/l/lu look
 *    at the right number of bits and round;
 *  - fmv.x.w sign-extends, fmv.w.x ignores the upper half;
 *  - NaN boxing: every single result is written with the upper 32 bits
 *    all ones; an operand that is not properly boxed reads as the canonical
 *    NaN in arithmetic, fsgnj, fclass, compares and conversions, while the
 *    transfers (fmv.x.w, fsw) just take the low 32 bits;
 *  - flw/fsw move exactly four bytes.
 */
#include "rvtest.h"
#include "fp.h"

	.option norvc

	.text
	.globl test_main
test_main:
	/* ---- add, sub ---- */
	FBIN_S 1, fadd.s, S_THREE, 0, S_ONE, S_TWO
	FBIN_S 2, fadd.s, S_ONE, NX, S_ONE, 0x33800000		/* 1 + 2^-24: a tie, to even */
	FBIN_S 3, fadd.s, S_NZERO, 0, S_NZERO, S_NZERO
	FBIN_S 4, fadd.s, S_ZERO, 0, S_ZERO, S_NZERO
	FBIN_S 5, fadd.s, S_QNAN, NV, S_INF, S_NINF
	FBIN_S 6, fadd.s, S_QNAN, NV, S_SNAN, S_ONE
	FBIN_S 7, fadd.s, S_QNAN, 0, 0x7fc12345, S_ONE		/* payload dropped */
	FBIN_S 8, fadd.s, S_INF, OF | NX, S_MAX, S_MAX
	FBIN_S 9, fsub.s, S_NONE, 0, S_ONE, S_TWO
	FBIN_S 10, fsub.s, S_ZERO, 0, S_ONE, S_ONE
	FBIN_S 11, fsub.s, S_INF, 0, S_INF, S_NINF

	/* ---- mul, div, sqrt ---- */
	FBIN_S 12, fmul.s, 0x40700000, 0, 0x3fc00000, 0x40200000	/* 1.5 * 2.5 */
	FBIN_S 13, fmul.s, 0xc0c00000, 0, 0xc0000000, S_THREE
	FBIN_S 14, fmul.s, S_QNAN, NV, S_INF, S_ZERO
	FBIN_S 15, fmul.s, 0x00400000, 0, S_MINN, S_HALF		/* exact subnormal */
	FBIN_S 16, fmul.s, S_ZERO, UF | NX, 0x19800000, 0x19800000	/* 2^-152 */
	FBIN_S 17, fdiv.s, 0x3eaaaaab, NX, S_ONE, S_THREE
	FBIN_S 18, fdiv.s, 0x40600000, 0, 0x40e00000, S_TWO		/* 7 / 2 */
	FBIN_S 19, fdiv.s, S_INF, DZ, S_ONE, S_ZERO
	FBIN_S 20, fdiv.s, S_NINF, DZ, S_NONE, S_ZERO
	FBIN_S 21, fdiv.s, S_QNAN, NV, S_ZERO, S_ZERO
	FBIN_S 22, fdiv.s, S_QNAN, NV, S_INF, S_INF
	FBIN_S 23, fdiv.s, S_ZERO, 0, S_ONE, S_INF
	FUN_S 24, fsqrt.s, S_TWO, 0, 0x40800000
	FUN_S 25, fsqrt.s, 0x3fb504f3, NX, S_TWO
	FUN_S 26, fsqrt.s, S_QNAN, NV, S_NONE
	FUN_S 27, fsqrt.s, S_NZERO, 0, S_NZERO
	FUN_S 28, fsqrt.s, S_INF, 0, S_INF
	FUN_S 29, fsqrt.s, S_HALF, 0, 0x3e800000

	/* ---- fused multiply-add ---- */
	FTERN_S 30, fmadd.s, 0x40e00000, 0, S_TWO, S_THREE, S_ONE	/* 2*3+1 */
	FTERN_S 31, fmsub.s, 0x40a00000, 0, S_TWO, S_THREE, S_ONE	/* 2*3-1 */
	FTERN_S 32, fnmsub.s, 0xc0a00000, 0, S_TWO, S_THREE, S_ONE	/* -(2*3)+1 */
	FTERN_S 33, fnmadd.s, 0xc0e00000, 0, S_TWO, S_THREE, S_ONE	/* -(2*3)-1 */
	/* (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; a separate mul would give 0 */
	FTERN_S 34, fmadd.s, 0xa8800000, 0, 0x3f800001, 0x3f7ffffe, S_NONE
	FTERN_S 35, fmadd.s, S_QNAN, NV, S_INF, S_ZERO, S_QNAN
	FTERN_S 36, fmadd.s, S_QNAN, NV, S_ONE, S_ONE, S_SNAN
	FTERN_S 37, fmadd.s, S_QNAN, 0, S_ONE, S_QNAN, S_ONE
	FTERN_S 38, fmsub.s, S_QNAN, NV, S_INF, S_ONE, S_INF		/* inf - inf */

	/* ---- sign injection ---- */
	FBIN_S 39, fsgnj.s, S_NONE, 0, S_ONE, 0xc0000000
	FBIN_S 40, fsgnjn.s, S_ONE, 0, S_ONE, 0xc0000000
	FBIN_S 41, fsgnjx.s, S_ONE, 0, S_NONE, 0xc0000000
	FBIN_S 42, fsgnjx.s, S_NONE, 0, S_ONE, 0xc0000000
	FBIN_S 43, fsgnjn.s, 0xff800001, 0, S_SNAN, S_ONE		/* sNaN kept, no NV */
	FUN_S 44, fabs.s, 0x7fc12345, 0, 0xffc12345

	/* ---- min, max ---- */
	FBIN_S 45, fmin.s, S_ONE, 0, S_ONE, S_TWO
	FBIN_S 46, fmax.s, S_TWO, 0, S_ONE, S_TWO
	FBIN_S 47, fmin.s, S_NZERO, 0, S_ZERO, S_NZERO
	FBIN_S 48, fmax.s, S_ZERO, 0, S_NZERO, S_ZERO
	FBIN_S 49, fmin.s, S_ONE, 0, S_QNAN, S_ONE
	FBIN_S 50, fmax.s, S_ONE, 0, S_ONE, S_QNAN
	FBIN_S 51, fmin.s, S_ONE, NV, S_SNAN, S_ONE
	FBIN_S 52, fmax.s, S_NONE, NV, S_NONE, S_SNAN
	FBIN_S 53, fmax.s, S_QNAN, 0, 0x7fc00001, 0xffc00002
	FBIN_S 54, fmin.s, S_QNAN, NV, S_SNAN, S_QNAN

	/* ---- compares ---- */
	FCMP_S 55, feq.s, 1, 0, S_ONE, S_ONE
	FCMP_S 56, feq.s, 0, 0, S_ONE, S_TWO
	FCMP_S 57, feq.s, 1, 0, S_ZERO, S_NZERO
	FCMP_S 58, flt.s, 1, 0, S_ONE, S_TWO
	FCMP_S 59, flt.s, 0, 0, S_TWO, S_ONE
	FCMP_S 60, flt.s, 0, 0, S_NZERO, S_ZERO
	FCMP_S 61, fle.s, 1, 0, S_TWO, S_TWO
	FCMP_S 62, fle.s, 1, 0, S_NINF, S_NONE
	FCMP_S 63, feq.s, 0, 0, S_QNAN, S_ONE			/* quiet */
	FCMP_S 64, feq.s, 0, NV, S_SNAN, S_ONE
	FCMP_S 65, flt.s, 0, NV, S_QNAN, S_ONE			/* signalling */
	FCMP_S 66, fle.s, 0, NV, S_ONE, S_QNAN

	/* ---- fclass: one bit per class ---- */
	FTOX_S 67, fclass.s, 1 << 0, 0, S_NINF
	FTOX_S 68, fclass.s, 1 << 1, 0, S_NONE
	FTOX_S 69, fclass.s, 1 << 2, 0, 0x807fffff		/* negative subnormal */
	FTOX_S 70, fclass.s, 1 << 3, 0, S_NZERO
	FTOX_S 71, fclass.s, 1 << 4, 0, S_ZERO
	FTOX_S 72, fclass.s, 1 << 5, 0, S_MINS
	FTOX_S 73, fclass.s, 1 << 6, 0, S_MINN
	FTOX_S 74, fclass.s, 1 << 7, 0, S_INF
	FTOX_S 75, fclass.s, 1 << 8, 0, S_SNAN
	FTOX_S 76, fclass.s, 1 << 9, 0, S_QNAN

	/* ---- to integers: rounding and saturation ---- */
	FTOX_S 77, fcvt.w.s, 3, NX, 0x406ccccd, rtz		/* 3.7 */
	FTOX_S 78, fcvt.w.s, 4, NX, 0x406ccccd			/* RNE */
	FTOX_S 79, fcvt.w.s, -3, NX, 0xc06ccccd, rtz
	FTOX_S 80, fcvt.w.s, 0x7fffffff, NV, 0x4f000000		/* 2^31 */
	FTOX_S 81, fcvt.w.s, 0xffffffff80000000, 0, 0xcf000000	/* -2^31 fits */
	FTOX_S 82, fcvt.w.s, 0xffffffff80000000, NV, 0xcf000001
	FTOX_S 83, fcvt.w.s, 0x7fffffff, NV, S_QNAN
	FTOX_S 84, fcvt.w.s, 0x7fffffff, NV, 0xffc00000		/* -NaN too */
	FTOX_S 85, fcvt.w.s, 0x7fffffff, NV, S_INF
	FTOX_S 86, fcvt.w.s, 0xffffffff80000000, NV, S_NINF
	FTOX_S 87, fcvt.wu.s, 3, 0, S_THREE
	FTOX_S 88, fcvt.wu.s, 0, NV, S_NONE
	FTOX_S 89, fcvt.wu.s, -1, NV, 0x4f800000		/* 2^32: 0xffffffff, sign-extended */
	FTOX_S 90, fcvt.wu.s, 0xffffffffffffff00, 0, 0x4f7fffff	/* sign-extended too */
	FTOX_S 91, fcvt.wu.s, -1, NV, S_QNAN
	FTOX_S 92, fcvt.wu.s, 0, NX, 0xbf000000, rtz		/* -0.5 rounds to 0: fine */
	FTOX_S 93, fcvt.wu.s, 0, NV, S_NINF
	FTOX_S 94, fcvt.l.s, 1 << 40, 0, 0x53800000
	FTOX_S 95, fcvt.l.s, 0x8000000000000000, 0, 0xdf000000	/* -2^63 fits */
	FTOX_S 96, fcvt.l.s, 0x7fffffffffffffff, NV, 0x5f000000
	FTOX_S 97, fcvt.l.s, 0x7fffffffffffffff, NV, S_QNAN
	FTOX_S 98, fcvt.l.s, 0x8000000000000000, NV, S_NINF
	FTOX_S 99, fcvt.l.s, 2, NX, 0x3fc00000			/* 1.5, RNE */
	FTOX_S 100, fcvt.lu.s, 0x8000000000000000, 0, 0x5f000000
	FTOX_S 101, fcvt.lu.s, 0xffffff0000000000, 0, 0x5f7fffff
	FTOX_S 102, fcvt.lu.s, -1, NV, 0x5f800000		/* 2^64 */
	FTOX_S 103, fcvt.lu.s, 0, NV, S_NONE
	FTOX_S 104, fcvt.lu.s, -1, NV, S_QNAN

	/* ---- from integers ---- */
	XTOF_S 105, fcvt.s.w, S_NONE, 0, -1
	XTOF_S 106, fcvt.s.w, 0x4f000000, NX, 0x7fffffff
	XTOF_S 107, fcvt.s.w, 0x4b800000, NX, 16777217		/* 2^24 + 1: tie to even */
	XTOF_S 108, fcvt.s.w, 0xc0000000, 0, 0x12345678fffffffe	/* low 32 bits only */
	XTOF_S 109, fcvt.s.wu, 0x4f800000, NX, 0xffffffff
	XTOF_S 110, fcvt.s.wu, S_ONE, 0, 0x1234567800000001
	XTOF_S 111, fcvt.s.wu, 0x4f000000, 0, 0x80000000
	XTOF_S 112, fcvt.s.l, S_NONE, 0, -1
	XTOF_S 113, fcvt.s.l, 0x5f000000, NX, 0x7fffffffffffffff
	XTOF_S 114, fcvt.s.l, 0x53800000, 0, 1 << 40
	XTOF_S 115, fcvt.s.lu, 0x5f800000, NX, -1
	XTOF_S 116, fcvt.s.lu, 0x5f000000, 0, 0x8000000000000000

	/* ---- moves ---- */
	FTOX_S 117, fmv.x.w, 0xffffffffbf800000, 0, S_NONE	/* sign-extended */
	FTOX_S 118, fmv.x.w, 0x7fc00000, 0, S_QNAN
	FTOX_S 119, fmv.x.w, 0xffffffff80000000, 0, S_NZERO
	li a1, 0x123456783f800000
	fmv.w.x fa0, a1			/* the upper half is ignored ... */
	fmv.x.d a0, fa0
	CHECK_EQI 120, a0, 0xffffffff3f800000	/* ... and the value is boxed */

	/* ---- every single result is NaN-boxed ---- */
	FBIN_S 121, fadd.s, S_THREE, 0, S_ONE, S_TWO
	fmv.x.d a0, fa0
	CHECK_EQI 121, a0, 0xffffffff40400000
	XTOF_S 122, fcvt.s.l, S_NONE, 0, -1
	fmv.x.d a0, fa0
	CHECK_EQI 122, a0, 0xffffffffbf800000
	FBIN_S 123, fsgnjn.s, S_NONE, 0, S_ONE, S_ONE
	fmv.x.d a0, fa0
	CHECK_EQI 123, a0, 0xffffffffbf800000

	/* ---- an operand that is not NaN-boxed ---- */
	li a1, 0x000000003f800000	/* 1.0 with a zero upper half */
	fmv.d.x fa1, a1
	li a2, 0x7fffffff40000000	/* 2.0, upper half almost boxed */
	fmv.d.x fa2, a2
	FLOAD_S fa3, S_NONE
	csrw fflags, zero
	fadd.s fa0, fa1, fa3
	FRESULT_S 124, S_QNAN, 0
	fmul.s fa0, fa3, fa2
	FRESULT_S 125, S_QNAN, 0
	fsgnj.s fa0, fa1, fa3
	FRESULT_S 126, 0xffc00000, 0	/* canonical NaN, sign of -1 */
	fsgnj.s fa0, fa3, fa1		/* the sign comes from the canonical NaN */
	FRESULT_S 127, S_ONE, 0
	fmin.s fa0, fa1, fa3
	FRESULT_S 128, S_NONE, 0
	fclass.s a0, fa1
	XRESULT 129, 1 << 9, 0
	feq.s a0, fa1, fa1
	XRESULT 130, 0, 0
	fcvt.d.s fa0, fa1
	FRESULT_D 131, D_QNAN, 0
	fcvt.w.s a0, fa1
	XRESULT 132, 0x7fffffff, NV
	csrw fflags, zero
	fmv.x.w a0, fa1			/* transfers take the low 32 bits */
	CHECK_EQI 133, a0, 0x3f800000
	la s0, fdata
	fsw fa2, 8(s0)
	lwu a0, 8(s0)
	CHECK_EQI 134, a0, 0x40000000
	csrr a4, fflags
	CHECK_EQ 135, a4, zero

	/* ---- loads and stores ---- */
	flw fa0, 0(s0)
	fmv.x.d a0, fa0
	CHECK_EQI 136, a0, 0xffffffff40490fdb	/* pi, boxed */
	li a1, -1
	sd a1, 8(s0)
	sd a1, 16(s0)
	fsw fa0, 12(s0)
	ld a0, 8(s0)
	CHECK_EQI 137, a0, 0x40490fdbffffffff
	ld a0, 16(s0)
	CHECK_EQI 138, a0, -1

	PASS

	.data
	.align 3
fdata:	.word 0x40490fdb, 0
	.dword 0, 0
