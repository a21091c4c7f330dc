/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fp_flags: the five exception flags, and mstatus.FS.
 *
 * Proves:
 *  - NV (invalid), DZ (divide by zero), OF (overflow), UF (underflow) and
 *    NX (inexact) are each raised by an operation that should raise them,
 *    and not by a neighbouring one that should not: quiet NaNs, sign
 *    injection, fclass and moves raise nothing; inf / 0 is not a division
 *    by zero and 0 / 0 is invalid, not DZ; inf * 2 does not overflow;
 *    an exact subnormal result does not underflow, and -- RISC-V detects
 *    tininess after rounding -- neither does a result that rounds up to the
 *    smallest normal number;
 *  - flags accrue: later operations never clear them, only a write does;
 *  - with mstatus.FS = Off every F/D instruction and fcsr access is illegal
 *    (mtval = the instruction), in M and in S;
 *  - with FS = Initial or Clean, writing an f register or fcsr makes FS
 *    Dirty, and SD shows it, in mstatus and in sstatus.
 */
#include "rvtest.h"
#include "fp.h"

	.option norvc

.macro SET_FS state
	li t0, MSTATUS_FS
	csrc mstatus, t0
	li t0, \state
	csrs mstatus, t0
.endm

/* Fail with `code` unless mstatus.FS == Dirty and mstatus.SD is set. */
.macro CHECK_DIRTY code
	csrr t5, mstatus
	li t6, MSTATUS_FS | MSTATUS_SD
	and t5, t5, t6
	CHECK_EQ \code, t5, t6
.endm

	.text
	.globl test_main
test_main:
	/* ---- NV ---- */
	FBIN_S 1, fdiv.s, S_QNAN, NV, S_ZERO, S_ZERO
	FBIN_S 2, fsub.s, S_QNAN, NV, S_INF, S_INF
	FUN_S 3, fsqrt.s, S_QNAN, NV, S_NONE
	FBIN_D 4, fmul.d, D_QNAN, NV, D_ZERO, D_INF
	FBIN_S 5, fadd.s, S_QNAN, NV, S_SNAN, S_ONE
	FTOX_S 6, fcvt.w.s, 0x7fffffff, NV, S_QNAN
	FCMP_S 7, flt.s, 0, NV, S_QNAN, S_ONE
	FCMP_D 8, feq.d, 0, NV, D_SNAN, D_ONE
	FLOAD_S fa1, S_SNAN
	csrw fflags, zero
	fcvt.d.s fa0, fa1
	FRESULT_D 9, D_QNAN, NV
	FBIN_S 10, fmin.s, S_ONE, NV, S_SNAN, S_ONE
	/* ... and not */
	FCMP_S 11, feq.s, 0, 0, S_QNAN, S_ONE
	FBIN_S 12, fmin.s, S_ONE, 0, S_QNAN, S_ONE
	FBIN_S 13, fsgnj.s, S_SNAN, 0, S_SNAN, S_ONE
	FTOX_S 14, fclass.s, 1 << 8, 0, S_SNAN
	FTOX_D 15, fmv.x.d, D_SNAN, 0, D_SNAN
	FBIN_D 16, fadd.d, D_QNAN, 0, D_QNAN, D_ONE
	FLOAD_S fa1, S_QNAN
	csrw fflags, zero
	fcvt.d.s fa0, fa1
	FRESULT_D 17, D_QNAN, 0

	/* ---- DZ ---- */
	FBIN_S 18, fdiv.s, S_INF, DZ, S_ONE, S_ZERO
	FBIN_S 19, fdiv.s, S_NINF, DZ, S_NONE, S_ZERO
	FBIN_D 20, fdiv.d, D_INF, DZ, D_ONE, D_ZERO
	FBIN_S 21, fdiv.s, S_INF, 0, S_INF, S_ZERO		/* not a division by zero */

	/* ---- OF ---- */
	FBIN_S 22, fmul.s, S_INF, OF | NX, S_MAX, S_TWO
	FBIN_D 23, fadd.d, D_INF, OF | NX, D_MAX, D_MAX
	FLOAD_D fa1, 0x7e37e43c8800759c	/* 1e300 */
	csrw fflags, zero
	fcvt.s.d fa0, fa1
	FRESULT_S 24, S_INF, OF | NX
	FBIN_S 25, fadd.s, S_MAX, NX, S_MAX, S_ONE		/* rounds back to max */
	FBIN_S 26, fmul.s, S_INF, 0, S_INF, S_TWO		/* inf is exact */

	/* ---- UF ---- */
	FBIN_S 27, fmul.s, S_ZERO, UF | NX, S_MINN, S_MINN
	FBIN_S 28, fmul.s, S_ZERO, UF | NX, S_MINS, S_HALF
	FBIN_S 29, fdiv.s, 0x00000002, UF | NX, 0x00000003, S_TWO	/* 1.5 * 2^-149 */
	FBIN_D 30, fmul.d, 0x0008000000000000, 0, D_MINN, D_HALF	/* exact: no UF */
	/* -2^-76 * 2^-76 + 2^-126 = 2^-126 - 2^-152: rounds up to 2^-126, not tiny */
	FTERN_S 31, fmadd.s, S_MINN, NX, 0x99800000, 0x19800000, S_MINN
	FTERN_D 32, fmadd.d, D_MINN, NX, 0x9e50000000000000, 0x1e50000000000000, D_MINN

	/* ---- NX ---- */
	FBIN_S 33, fdiv.s, 0x3eaaaaab, NX, S_ONE, S_THREE
	FBIN_S 34, fadd.s, S_TWO, 0, S_ONE, S_ONE
	FTOX_S 35, fcvt.w.s, 2, NX, 0x3fc00000
	FTOX_S 36, fcvt.w.s, 2, 0, S_TWO

	/* ---- flags accrue ---- */
	FLOAD_S fa1, S_ONE
	FLOAD_S fa2, S_THREE
	FLOAD_S fa3, S_ZERO
	csrw fflags, zero
	fdiv.s fa0, fa1, fa2		/* NX */
	fdiv.s fa0, fa1, fa3		/* DZ */
	fadd.s fa0, fa1, fa1		/* nothing */
	csrr a0, fflags
	CHECK_EQI 37, a0, NX | DZ
	csrw fflags, zero
	csrr a0, fflags
	CHECK_EQ 38, a0, zero

	/* ---- FS = Off: no FP at all ---- */
	la s0, fdata
	SET_FS 0
	EXPECT_TRAP 39, CAUSE_ILLEGAL, flw fa0, 0(s0)
	CHECK_MTVAL_INSN 39
	EXPECT_TRAP 40, CAUSE_ILLEGAL, fsd fa0, 0(s0)
	EXPECT_TRAP 41, CAUSE_ILLEGAL, fadd.s fa0, fa1, fa2
	CHECK_MTVAL_INSN 41
	EXPECT_TRAP 42, CAUSE_ILLEGAL, fmadd.d fa0, fa1, fa2, fa3
	EXPECT_TRAP 43, CAUSE_ILLEGAL, fmv.x.w a0, fa0
	EXPECT_TRAP 44, CAUSE_ILLEGAL, fmv.d.x fa0, a0
	EXPECT_TRAP 45, CAUSE_ILLEGAL, fcvt.s.w fa0, a0
	EXPECT_TRAP 46, CAUSE_ILLEGAL, feq.d a0, fa0, fa1
	EXPECT_TRAP 47, CAUSE_ILLEGAL, csrr a0, fcsr
	EXPECT_TRAP 48, CAUSE_ILLEGAL, csrw frm, zero
	EXPECT_TRAP 49, CAUSE_ILLEGAL, csrr a0, fflags
	.option push
	.option rvc
	EXPECT_TRAP 50, CAUSE_ILLEGAL, c.fld fa0, 0(s0)
	.option pop
	ENTER_S
	EXPECT_TRAP 51, CAUSE_ILLEGAL, fsgnj.d fa0, fa1, fa1
	LEAVE

	/* ---- FS = Initial / Clean: a write makes it Dirty ---- */
	SET_FS MSTATUS_FS_INITIAL
	fadd.s fa0, fa1, fa2
	CHECK_DIRTY 52
	SET_FS MSTATUS_FS_CLEAN
	csrwi fflags, 0
	CHECK_DIRTY 53
	SET_FS MSTATUS_FS_CLEAN
	fmv.w.x fa0, zero
	CHECK_DIRTY 54
	SET_FS MSTATUS_FS_CLEAN
	fld fa0, 0(s0)
	CHECK_DIRTY 55
	SET_FS MSTATUS_FS_CLEAN
	csrr a0, sstatus
	li t0, MSTATUS_FS | MSTATUS_SD
	and a0, a0, t0
	CHECK_EQI 56, a0, MSTATUS_FS_CLEAN	/* clean: SD is clear */
	ENTER_S
	fcvt.d.w fa0, zero
	csrr a0, sstatus		/* S sees the same */
	LEAVE
	li t0, MSTATUS_FS | MSTATUS_SD
	and a0, a0, t0
	CHECK_EQ 57, a0, t0

	PASS

	.data
	.align 3
fdata:	.dword D_ONE
