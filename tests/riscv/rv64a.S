/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rv64a: atomics on one hart (lrsc_smp and amo_smp do two or more).
 *
 * Proves: sc without any reservation fails; lr/sc pairs succeed (plain,
 * .aq/.rl/.aqrl) and lr.w sign-extends; an sc fails once its reservation
 * has been used, and fails on an address outside the reservation, leaving
 * memory alone; a failed sc writes a non-zero rd.  Every AMO in .w and .d
 * returns the old value (.w sign-extended) and stores the right result;
 * .w AMOs look at 32 bits only (amomin.w compares as signed 32-bit,
 * amominu.w/amomaxu.w as unsigned 32-bit, whatever the upper half of rs2
 * says) and do not touch the neighbouring word; min/max vs minu/maxu
 * differ on negative values; rd = x0 and rd = rs2 work.
 */
#include "rvtest.h"

	.option norvc

/* Memory starts at `init`; `op` with rs2 = `src` must return `old`, leave `new`. */
.macro AMO_W code, op, init, src, old, new
	la a1, amo_w
	li a2, \init
	sw a2, 0(a1)
	li a3, \src
	\op a0, a3, (a1)
	CHECK_EQI \code, a0, \old
	lw a4, 0(a1)
	CHECK_EQI \code, a4, \new
.endm

.macro AMO_D code, op, init, src, old, new
	la a1, amo_d
	li a2, \init
	sd a2, 0(a1)
	li a3, \src
	\op a0, a3, (a1)
	CHECK_EQI \code, a0, \old
	ld a4, 0(a1)
	CHECK_EQI \code, a4, \new
.endm

	.text
	.globl test_main
test_main:
	/* ---- LR/SC ---- */
	la a1, res_a
	li a2, 99
	sc.d a0, a2, (a1)		/* nothing reserved yet */
	CHECK_NE 1, a0, zero
	ld a3, 0(a1)
	CHECK_EQI 2, a3, 0x1111

	la a1, res_w
	lr.w a0, (a1)
	CHECK_EQI 3, a0, 0xffffffff80000001	/* sign-extended */
	li a2, 0x7654321
	sc.w a0, a2, (a1)
	CHECK_EQ 4, a0, zero
	lw a3, 0(a1)
	CHECK_EQI 5, a3, 0x7654321
	li a2, 5
	sc.w a0, a2, (a1)		/* the reservation is used up */
	CHECK_NE 6, a0, zero
	lw a3, 0(a1)
	CHECK_EQI 7, a3, 0x7654321

	la a1, res_a
	lr.d a0, (a1)
	CHECK_EQI 8, a0, 0x1111
	li a2, 0x8000000000000002
	sc.d a0, a2, (a1)
	CHECK_EQ 9, a0, zero
	ld a3, 0(a1)
	CHECK_EQ 10, a3, a2

	la a1, res_a
	la a4, res_b			/* 256 bytes away */
	lr.d a0, (a1)
	li a2, 77
	sc.d a0, a2, (a4)		/* not the reserved address */
	CHECK_NE 11, a0, zero
	ld a3, 0(a4)
	CHECK_EQI 12, a3, 0x2222
	sc.d a0, a2, (a1)		/* a failed sc also drops the reservation */
	CHECK_NE 13, a0, zero

	lr.w.aq a0, (a1)
	sc.w.rl a0, a2, (a1)
	CHECK_EQ 14, a0, zero
	lr.d.aqrl a0, (a1)
	sc.d.aqrl a0, a2, (a1)
	CHECK_EQ 15, a0, zero
	ld a3, 0(a1)
	CHECK_EQI 16, a3, 77

	/* ---- AMO .w ---- */
	AMO_W 17, amoswap.w, 0x80000001, 0x12345678, 0xffffffff80000001, 0x12345678
	AMO_W 18, amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0xffffffff80000000
	AMO_W 19, amoadd.w, 0xffffffff, 0xffffffff00000001, -1, 0	/* no carry out */
	AMO_W 20, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0xfffffffff0f0f0f0
	AMO_W 21, amoand.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0x0f000f00
	AMO_W 22, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0xfffffffffff0fff0
	AMO_W 23, amomin.w, 0xffffffff, 1, -1, -1
	AMO_W 24, amomin.w, 5, 0x80000000, 5, 0xffffffff80000000
	AMO_W 25, amomin.w, 1, 0x00000000ffffffff, 1, -1		/* -1 as 32 bits */
	AMO_W 26, amomax.w, 0xffffffff, 1, -1, 1
	AMO_W 27, amomax.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff
	AMO_W 28, amominu.w, 0xffffffff, 1, -1, 1
	AMO_W 29, amominu.w, 3, 0xffffffff00000002, 3, 2	/* 32-bit compare */
	AMO_W 30, amomaxu.w, 0xffffffff, 1, -1, -1
	AMO_W 31, amomaxu.w, 3, 0x100000002, 3, 3
	AMO_W 32, amomaxu.w, 1, 0x80000000, 1, 0xffffffff80000000
	la a1, amo_w
	lw a0, 4(a1)			/* the next word was never touched */
	CHECK_EQI 33, a0, 0x5a5a5a5a

	/* ---- AMO .d ---- */
	AMO_D 34, amoswap.d, 0x8000000000000001, 5, 0x8000000000000001, 5
	AMO_D 35, amoadd.d, -1, 1, -1, 0
	AMO_D 36, amoadd.d, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000
	AMO_D 37, amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0
	AMO_D 38, amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00
	AMO_D 39, amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0
	AMO_D 40, amomin.d, -1, 1, -1, -1
	AMO_D 41, amomin.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000
	AMO_D 42, amomax.d, -1, 1, -1, 1
	AMO_D 43, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
	AMO_D 44, amominu.d, -1, 1, -1, 1
	AMO_D 45, amominu.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff
	AMO_D 46, amomaxu.d, -1, 1, -1, -1
	AMO_D 47, amomaxu.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000

	/* ordering bits change nothing about the result */
	AMO_W 48, amoadd.w.aq, 10, 5, 10, 15
	AMO_W 49, amoor.w.rl, 0x10, 0x01, 0x10, 0x11
	AMO_D 50, amoswap.d.aqrl, 1, 2, 1, 2
	AMO_D 51, amomaxu.d.aq, 1, 2, 1, 2

	/* rd = x0 still stores; rd = rs2 gets the old value */
	la a1, amo_d
	li a2, 40
	sd a2, 0(a1)
	li a3, 2
	amoadd.d zero, a3, (a1)
	ld a0, 0(a1)
	CHECK_EQI 52, a0, 42
	li a3, 7
	amoswap.d a3, a3, (a1)
	CHECK_EQI 53, a3, 42
	ld a0, 0(a1)
	CHECK_EQI 54, a0, 7

	PASS

	.data
	.align 8
res_a:	.dword 0x1111
res_w:	.word 0x80000001
	.word 0
	.align 8
res_b:	.dword 0x2222
	.align 3
amo_w:	.word 0, 0x5a5a5a5a
amo_d:	.dword 0
