/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fp_double: every instruction of the D extension.
 *
 * Proves, for double precision, what fp_single proves for single: the
 * arithmetic (with a result only a fused fma gets right, and inf * 0 + qNaN
 * being invalid), canonical NaN results 0x7ff8000000000000 and NV only for
 * signalling operands, sign injection without flags, fmin/fmax with zeros
 * and NaNs, quiet feq and signalling flt/fle, fclass for all ten classes,
 * conversions to and from w/wu/l/lu with saturation and sign-extended
 * 32-bit results; and what is new with two formats:
 *  - fcvt.s.d rounds, overflows to infinity, underflows, and turns any NaN
 *    into the single canonical NaN (NV for a signalling one);
 *  - fcvt.d.s is exact (a single subnormal becomes a double normal) and
 *    turns any NaN into the double canonical NaN;
 *  - fmv.x.d and fmv.d.x move all 64 bits, fld/fsd all eight bytes;
 *  - a NaN-boxed single read as a double is a quiet NaN.
 */
#include "rvtest.h"
#include "fp.h"

	.option norvc

	.text
	.globl test_main
test_main:
	/* ---- add, sub ---- */
	FBIN_D 1, fadd.d, D_THREE, 0, D_ONE, D_TWO
	FBIN_D 2, fadd.d, D_ONE, NX, D_ONE, 0x3ca0000000000000	/* 1 + 2^-53: a tie, to even */
	FBIN_D 3, fadd.d, D_NZERO, 0, D_NZERO, D_NZERO
	FBIN_D 4, fadd.d, D_ZERO, 0, D_ZERO, D_NZERO
	FBIN_D 5, fadd.d, D_QNAN, NV, D_INF, D_NINF
	FBIN_D 6, fadd.d, D_QNAN, NV, D_SNAN, D_ONE
	FBIN_D 7, fadd.d, D_QNAN, 0, 0x7ff8000000012345, D_ONE	/* payload dropped */
	FBIN_D 8, fadd.d, D_INF, OF | NX, D_MAX, D_MAX
	FBIN_D 9, fsub.d, D_NONE, 0, D_ONE, D_TWO
	FBIN_D 10, fsub.d, D_ZERO, 0, D_ONE, D_ONE

	/* ---- mul, div, sqrt ---- */
	FBIN_D 11, fmul.d, 0x400e000000000000, 0, 0x3ff8000000000000, 0x4004000000000000
	FBIN_D 12, fmul.d, 0xc018000000000000, 0, 0xc000000000000000, D_THREE
	FBIN_D 13, fmul.d, D_QNAN, NV, D_ZERO, D_NINF
	FBIN_D 14, fmul.d, 0x0008000000000000, 0, D_MINN, D_HALF	/* exact subnormal */
	FBIN_D 15, fmul.d, D_ZERO, UF | NX, 0x1e50000000000000, 0x1e50000000000000	/* 2^-1076 */
	FBIN_D 16, fdiv.d, 0x3fd5555555555555, NX, D_ONE, D_THREE
	FBIN_D 17, fdiv.d, 0x400c000000000000, 0, 0x401c000000000000, D_TWO	/* 7 / 2 */
	FBIN_D 18, fdiv.d, D_NINF, DZ, D_ONE, D_NZERO
	FBIN_D 19, fdiv.d, D_QNAN, NV, D_NZERO, D_ZERO
	FBIN_D 20, fdiv.d, D_INF, 0, D_INF, D_TWO
	FUN_D 21, fsqrt.d, D_TWO, 0, 0x4010000000000000
	FUN_D 22, fsqrt.d, 0x3ff6a09e667f3bcd, NX, D_TWO
	FUN_D 23, fsqrt.d, D_QNAN, NV, D_NINF
	FUN_D 24, fsqrt.d, D_NZERO, 0, D_NZERO

	/* ---- fused multiply-add ---- */
	FTERN_D 25, fmadd.d, 0x401c000000000000, 0, D_TWO, D_THREE, D_ONE
	FTERN_D 26, fmsub.d, 0x4014000000000000, 0, D_TWO, D_THREE, D_ONE
	FTERN_D 27, fnmsub.d, 0xc014000000000000, 0, D_TWO, D_THREE, D_ONE
	FTERN_D 28, fnmadd.d, 0xc01c000000000000, 0, D_TWO, D_THREE, D_ONE
	/* (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly */
	FTERN_D 29, fmadd.d, 0xb970000000000000, 0, 0x3ff0000000000001, 0x3feffffffffffffe, D_NONE
	FTERN_D 30, fmadd.d, D_QNAN, NV, D_ZERO, D_INF, D_QNAN
	FTERN_D 31, fnmadd.d, D_QNAN, NV, D_ONE, D_SNAN, D_ONE

	/* ---- sign injection, min, max ---- */
	FBIN_D 32, fsgnj.d, D_NONE, 0, D_ONE, 0xc000000000000000
	FBIN_D 33, fsgnjn.d, D_ONE, 0, D_ONE, 0xc000000000000000
	FBIN_D 34, fsgnjx.d, D_ONE, 0, D_NONE, 0xc000000000000000
	FBIN_D 35, fsgnjn.d, 0xfff0000000000001, 0, D_SNAN, D_ONE
	FBIN_D 36, fmin.d, D_NZERO, 0, D_ZERO, D_NZERO
	FBIN_D 37, fmax.d, D_ZERO, 0, D_NZERO, D_ZERO
	FBIN_D 38, fmin.d, D_ONE, 0, D_QNAN, D_ONE
	FBIN_D 39, fmax.d, D_ONE, NV, D_SNAN, D_ONE
	FBIN_D 40, fmin.d, D_QNAN, 0, D_QNAN, 0xfff8000000000000
	FBIN_D 41, fmax.d, D_TWO, 0, D_ONE, D_TWO

	/* ---- compares ---- */
	FCMP_D 42, feq.d, 1, 0, D_NZERO, D_ZERO
	FCMP_D 43, feq.d, 0, 0, D_QNAN, D_QNAN
	FCMP_D 44, feq.d, 0, NV, D_ONE, D_SNAN
	FCMP_D 45, flt.d, 1, 0, D_NINF, D_MAX
	FCMP_D 46, flt.d, 0, NV, D_QNAN, D_ONE
	FCMP_D 47, fle.d, 1, 0, D_ONE, D_ONE
	FCMP_D 48, fle.d, 0, 0, D_TWO, D_ONE
	FCMP_D 49, fle.d, 0, NV, D_SNAN, D_ONE

	/* ---- fclass ---- */
	FTOX_D 50, fclass.d, 1 << 0, 0, D_NINF
	FTOX_D 51, fclass.d, 1 << 1, 0, D_NONE
	FTOX_D 52, fclass.d, 1 << 2, 0, 0x800fffffffffffff
	FTOX_D 53, fclass.d, 1 << 3, 0, D_NZERO
	FTOX_D 54, fclass.d, 1 << 4, 0, D_ZERO
	FTOX_D 55, fclass.d, 1 << 5, 0, D_MINS
	FTOX_D 56, fclass.d, 1 << 6, 0, D_MAX
	FTOX_D 57, fclass.d, 1 << 7, 0, D_INF
	FTOX_D 58, fclass.d, 1 << 8, 0, D_SNAN
	FTOX_D 59, fclass.d, 1 << 9, 0, D_QNAN

	/* ---- to integers ---- */
	FTOX_D 60, fcvt.w.d, 3, NX, 0x400d99999999999a, rtz	/* 3.7 */
	FTOX_D 61, fcvt.w.d, -4, NX, 0xc00d99999999999a		/* -3.7, RNE */
	FTOX_D 62, fcvt.w.d, 0x7fffffff, NV, 0x41e0000000000000	/* 2^31 */
	FTOX_D 63, fcvt.w.d, 0xffffffff80000000, NX, 0xc1e0000000100000, rtz	/* -2^31 - 0.5 */
	FTOX_D 64, fcvt.w.d, 0xffffffff80000000, NV, 0xc1e0000000200000	/* -2^31 - 1 */
	FTOX_D 65, fcvt.w.d, 0x7fffffff, NV, D_QNAN
	FTOX_D 66, fcvt.wu.d, -1, 0, 0x41efffffffe00000		/* 2^32 - 1, sign-extended */
	FTOX_D 67, fcvt.wu.d, -1, NV, 0x41f0000000000000		/* 2^32 */
	FTOX_D 68, fcvt.wu.d, 0, NV, D_NONE
	FTOX_D 69, fcvt.wu.d, 0, NX, 0xbfe0000000000000, rtz	/* -0.5 */
	FTOX_D 70, fcvt.l.d, 0x8000000000000000, 0, 0xc3e0000000000000
	FTOX_D 71, fcvt.l.d, 0x7fffffffffffffff, NV, 0x43e0000000000000
	FTOX_D 72, fcvt.l.d, 0x8000000000000000, NV, D_NINF
	FTOX_D 73, fcvt.l.d, 0x7fffffffffffffff, NV, 0xfff8000000000000	/* -NaN */
	FTOX_D 74, fcvt.lu.d, 0xfffffffffffff800, 0, 0x43efffffffffffff
	FTOX_D 75, fcvt.lu.d, -1, NV, 0x43f0000000000000		/* 2^64 */
	FTOX_D 76, fcvt.lu.d, 0, NV, D_NINF
	FTOX_D 77, fcvt.lu.d, 2, NX, 0x3ff8000000000000		/* 1.5, RNE */

	/* ---- from integers ---- */
	XTOF_D 78, fcvt.d.w, 0xc1e0000000000000, 0, 0x80000000	/* low 32 bits: -2^31 */
	XTOF_D 79, fcvt.d.w, D_NONE, 0, 0x12345678ffffffff
	XTOF_D 80, fcvt.d.wu, 0x41efffffffe00000, 0, -1		/* 2^32 - 1, exact */
	XTOF_D 81, fcvt.d.l, 0x4340000000000000, NX, 0x20000000000001	/* 2^53 + 1 */
	XTOF_D 82, fcvt.d.l, 0xc3e0000000000000, 0, 0x8000000000000000
	XTOF_D 83, fcvt.d.lu, 0x43f0000000000000, NX, -1
	XTOF_D 84, fcvt.d.lu, 0x43e0000000000000, 0, 0x8000000000000000

	/* ---- between the formats ---- */
	FLOAD_D fa1, 0x3fd5555555555555	/* 1/3 */
	csrw fflags, zero
	fcvt.s.d fa0, fa1
	FRESULT_S 85, 0x3eaaaaab, NX
	FLOAD_D fa1, D_MAX
	csrw fflags, zero
	fcvt.s.d fa0, fa1
	FRESULT_S 86, S_INF, OF | NX
	FLOAD_D fa1, 0x358dee7a4ad4b81f	/* 1e-50 */
	csrw fflags, zero
	fcvt.s.d fa0, fa1
	FRESULT_S 87, S_ZERO, UF | NX
	FLOAD_D fa1, 0x7ff8000000012345	/* a quiet NaN with a payload */
	csrw fflags, zero
	fcvt.s.d fa0, fa1
	FRESULT_S 88, S_QNAN, 0
	FLOAD_D fa1, D_SNAN
	csrw fflags, zero
	fcvt.s.d fa0, fa1
	FRESULT_S 89, S_QNAN, NV
	FLOAD_S fa1, S_MINS		/* a single subnormal ... */
	csrw fflags, zero
	fcvt.d.s fa0, fa1
	FRESULT_D 90, 0x36a0000000000000, 0	/* ... is a double normal */
	FLOAD_S fa1, 0x807fffff
	csrw fflags, zero
	fcvt.d.s fa0, fa1
	FRESULT_D 91, 0xb80fffffc0000000, 0
	FLOAD_S fa1, 0x7fc12345
	csrw fflags, zero
	fcvt.d.s fa0, fa1
	FRESULT_D 92, D_QNAN, 0
	FLOAD_S fa1, S_SNAN
	csrw fflags, zero
	fcvt.d.s fa0, fa1
	FRESULT_D 93, D_QNAN, NV

	/* ---- moves, loads, stores ---- */
	FTOX_D 94, fmv.x.d, 0x8000000000000001, 0, 0x8000000000000001
	li a1, 0x123456789abcdef0
	fmv.d.x fa0, a1
	fmv.x.d a0, fa0
	CHECK_EQ 95, a0, a1
	la s0, ddata
	fld fa0, 0(s0)
	fmv.x.d a0, fa0
	CHECK_EQI 96, a0, 0x400921fb54442d18	/* pi */
	fsd fa0, 16(s0)
	ld a0, 16(s0)
	CHECK_EQI 97, a0, 0x400921fb54442d18
	ld a0, 24(s0)
	CHECK_EQI 98, a0, 0x5a5a5a5a5a5a5a5a

	/* ---- a boxed single, read as a double, is a quiet NaN ---- */
	FLOAD_S fa1, S_ONE
	FLOAD_D fa2, D_ONE
	csrw fflags, zero
	fadd.d fa0, fa1, fa2
	FRESULT_D 99, D_QNAN, 0
	fclass.d a0, fa1
	XRESULT 100, 1 << 9, 0

	PASS

	.data
	.align 3
ddata:	.dword 0x400921fb54442d18, 0
	.dword 0, 0x5a5a5a5a5a5a5a5a
