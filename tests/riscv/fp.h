/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fp.h: macros for the floating-point programs (fp_*.S).
 *
 * Operands and results are written as bit patterns, so that NaN payloads,
 * signed zeros and subnormals are exact.  Every macro clears fflags first
 * and checks both the result and the flags the operation raised, under
 * one check code.  An optional last argument is the static rounding mode
 * (rne, rtz, rdn, rup, rmm, dyn); without it the assembler's default (dyn,
 * i.e. frm, which start.S leaves at RNE) applies.
 *
 * Registers: a0 result, a1..a3 operands, a4 flags; fa0 result, fa1..fa3
 * operands.  Single-precision results are read with fmv.x.w, which
 * sign-extends, so single expectations go through SEXT32.
 */
#ifndef KENNEL_FP_H
#define KENNEL_FP_H

#define NX        0x01
#define UF        0x02
#define OF        0x04
#define DZ        0x08
#define NV        0x10

#define SEXT32(x) ((((x)&0xffffffff) ^ 0x80000000) - 0x80000000)

/* single precision bit patterns */
#define S_ZERO  0x00000000
#define S_NZERO 0x80000000
#define S_ONE   0x3f800000
#define S_NONE  0xbf800000
#define S_TWO   0x40000000
#define S_THREE 0x40400000
#define S_HALF  0x3f000000
#define S_INF   0x7f800000
#define S_NINF  0xff800000
#define S_QNAN  0x7fc00000 /* the canonical NaN */
#define S_SNAN  0x7f800001
#define S_MAX   0x7f7fffff
#define S_MINN  0x00800000 /* smallest normal */
#define S_MINS  0x00000001 /* smallest subnormal */

/* double precision bit patterns */
#define D_ZERO  0x0000000000000000
#define D_NZERO 0x8000000000000000
#define D_ONE   0x3ff0000000000000
#define D_NONE  0xbff0000000000000
#define D_TWO   0x4000000000000000
#define D_THREE 0x4008000000000000
#define D_HALF  0x3fe0000000000000
#define D_INF   0x7ff0000000000000
#define D_NINF  0xfff0000000000000
#define D_QNAN  0x7ff8000000000000 /* the canonical NaN */
#define D_SNAN  0x7ff0000000000001
#define D_MAX   0x7fefffffffffffff
#define D_MINN  0x0010000000000000
#define D_MINS  0x0000000000000001

/* clang-format off */

.macro FLOAD_S freg, bits
	li t6, \bits
	fmv.w.x \freg, t6
.endm

.macro FLOAD_D freg, bits
	li t6, \bits
	fmv.d.x \freg, t6
.endm

/* An instruction with an optional rounding-mode operand. */
.macro FINSN op, rm, operands:vararg
	.ifb \rm
	\op \operands
	.else
	\op \operands, \rm
	.endif
.endm

.macro FRESULT_S code, want, flags
	fmv.x.w a0, fa0
	csrr a4, fflags
	CHECK_EQI \code, a0, SEXT32(\want)
	CHECK_EQI \code, a4, \flags
.endm

.macro FRESULT_D code, want, flags
	fmv.x.d a0, fa0
	csrr a4, fflags
	CHECK_EQI \code, a0, \want
	CHECK_EQI \code, a4, \flags
.endm

.macro XRESULT code, want, flags
	csrr a4, fflags
	CHECK_EQI \code, a0, \want
	CHECK_EQI \code, a4, \flags
.endm

/* fa0 = op(fa1, fa2) */
.macro FBIN_S code, op, want, flags, a, b, rm=
	FLOAD_S fa1, \a
	FLOAD_S fa2, \b
	csrw fflags, zero
	FINSN \op, \rm, fa0, fa1, fa2
	FRESULT_S \code, \want, \flags
.endm

.macro FBIN_D code, op, want, flags, a, b, rm=
	FLOAD_D fa1, \a
	FLOAD_D fa2, \b
	csrw fflags, zero
	FINSN \op, \rm, fa0, fa1, fa2
	FRESULT_D \code, \want, \flags
.endm

/* fa0 = op(fa1) */
.macro FUN_S code, op, want, flags, a, rm=
	FLOAD_S fa1, \a
	csrw fflags, zero
	FINSN \op, \rm, fa0, fa1
	FRESULT_S \code, \want, \flags
.endm

.macro FUN_D code, op, want, flags, a, rm=
	FLOAD_D fa1, \a
	csrw fflags, zero
	FINSN \op, \rm, fa0, fa1
	FRESULT_D \code, \want, \flags
.endm

/* fa0 = op(fa1, fa2, fa3): the fused multiply-adds */
.macro FTERN_S code, op, want, flags, a, b, c, rm=
	FLOAD_S fa1, \a
	FLOAD_S fa2, \b
	FLOAD_S fa3, \c
	csrw fflags, zero
	FINSN \op, \rm, fa0, fa1, fa2, fa3
	FRESULT_S \code, \want, \flags
.endm

.macro FTERN_D code, op, want, flags, a, b, c, rm=
	FLOAD_D fa1, \a
	FLOAD_D fa2, \b
	FLOAD_D fa3, \c
	csrw fflags, zero
	FINSN \op, \rm, fa0, fa1, fa2, fa3
	FRESULT_D \code, \want, \flags
.endm

/* a0 = op(fa1, fa2): comparisons */
.macro FCMP_S code, op, want, flags, a, b
	FLOAD_S fa1, \a
	FLOAD_S fa2, \b
	csrw fflags, zero
	\op a0, fa1, fa2
	XRESULT \code, \want, \flags
.endm

.macro FCMP_D code, op, want, flags, a, b
	FLOAD_D fa1, \a
	FLOAD_D fa2, \b
	csrw fflags, zero
	\op a0, fa1, fa2
	XRESULT \code, \want, \flags
.endm

/* a0 = op(fa1): to integer, fclass, fmv.x.* */
.macro FTOX_S code, op, want, flags, a, rm=
	FLOAD_S fa1, \a
	csrw fflags, zero
	FINSN \op, \rm, a0, fa1
	XRESULT \code, \want, \flags
.endm

.macro FTOX_D code, op, want, flags, a, rm=
	FLOAD_D fa1, \a
	csrw fflags, zero
	FINSN \op, \rm, a0, fa1
	XRESULT \code, \want, \flags
.endm

/* fa0 = op(a1): from integer, fmv.*.x */
.macro XTOF_S code, op, want, flags, x, rm=
	li a1, \x
	csrw fflags, zero
	FINSN \op, \rm, fa0, a1
	FRESULT_S \code, \want, \flags
.endm

.macro XTOF_D code, op, want, flags, x, rm=
	li a1, \x
	csrw fflags, zero
	FINSN \op, \rm, fa0, a1
	FRESULT_D \code, \want, \flags
.endm

/* clang-format on */

#endif /* KENNEL_FP_H */
