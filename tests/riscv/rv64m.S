/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rv64m: multiply and divide.
 *
 * Proves: mul and the three high-half products (signed x signed,
 * signed x unsigned, unsigned x unsigned) at the extremes; mulw; every
 * divide and remainder, signed and unsigned, 64-bit and W, rounding toward
 * zero with the remainder taking the dividend's sign; and the two special
 * cases the M extension defines instead of trapping:
 *   divide by zero:  quotient = all ones, remainder = the dividend;
 *   overflow (-2^63 / -1, or -2^31 / -1 for W): quotient = the dividend,
 *   remainder = 0.
 * W forms ignore the upper 32 bits of their inputs and sign-extend their
 * 32-bit result (also divuw/remuw).
 */
#include "rvtest.h"

	.option norvc

.macro TEST_RR code, op, want, a, b
	li a1, \a
	li a2, \b
	\op a0, a1, a2
	CHECK_EQI \code, a0, \want
.endm

	.text
	.globl test_main
test_main:
	TEST_RR 1, mul, 21, 3, 7
	TEST_RR 2, mul, 1, -1, -1
	TEST_RR 3, mul, 0x8000000000000000, 0x8000000000000000, -1
	TEST_RR 4, mul, 0, 0x100000000, 0x100000000
	TEST_RR 5, mulh, 0, -1, -1
	TEST_RR 6, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
	TEST_RR 7, mulh, -1, -1, 1
	TEST_RR 8, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff
	TEST_RR 9, mulhsu, -1, -1, 0xffffffffffffffff	/* -(2^64 - 1) */
	TEST_RR 10, mulhsu, 1, 2, 0x8000000000000000	/* 2^64 */
	TEST_RR 11, mulhsu, -1, 0x8000000000000000, 2	/* -2^64 */
	TEST_RR 12, mulhu, 0xfffffffffffffffe, -1, -1
	TEST_RR 13, mulhu, 1, 0x100000000, 0x100000000
	TEST_RR 14, mulhu, 0, 5, 7
	TEST_RR 15, mulw, 0, 0x10000, 0x10000
	TEST_RR 16, mulw, -2, 0x7fffffff, 2
	TEST_RR 17, mulw, 15, 0xffffffff00000003, 0x1234567800000005

	TEST_RR 18, div, 3, 20, 6
	TEST_RR 19, div, -3, -20, 6
	TEST_RR 20, div, -3, 20, -6
	TEST_RR 21, div, 3, -20, -6
	TEST_RR 22, div, -1, 5, 0
	TEST_RR 23, div, 0x8000000000000000, 0x8000000000000000, -1
	TEST_RR 24, divu, 3, 20, 6
	TEST_RR 25, divu, 0x7fffffffffffffff, -1, 2
	TEST_RR 26, divu, 0xffffffffffffffff, 5, 0
	TEST_RR 27, rem, 2, 20, 6
	TEST_RR 28, rem, -2, -20, 6
	TEST_RR 29, rem, 2, 20, -6
	TEST_RR 30, rem, 5, 5, 0
	TEST_RR 31, rem, -5, -5, 0
	TEST_RR 32, rem, 0, 0x8000000000000000, -1
	TEST_RR 33, remu, 2, 20, 6
	TEST_RR 34, remu, 15, -1, 0x10
	TEST_RR 35, remu, 5, 5, 0
	TEST_RR 36, remu, -5, -5, 0

	TEST_RR 37, divw, -3, 20, -6
	TEST_RR 38, divw, 3, 0x1234567800000014, 0xabcdef0000000006
	TEST_RR 39, divw, -1, 5, 0
	TEST_RR 40, divw, 0xffffffff80000000, 0x80000000, -1
	TEST_RR 41, divw, 0xffffffffc0000000, 0x80000000, 2
	TEST_RR 42, divuw, 0x7fffffff, 0xffffffff, 2
	TEST_RR 43, divuw, 0xffffffff80000000, 0x80000000, 1
	TEST_RR 44, divuw, -1, 5, 0
	TEST_RR 45, remw, -2, -20, 6
	TEST_RR 46, remw, 0, 0x80000000, -1
	TEST_RR 47, remw, 0xffffffff80000001, 0x1234567880000001, 0
	TEST_RR 48, remuw, 15, 0xffffffff, 0x10
	TEST_RR 49, remuw, 0xffffffff80000001, 0x80000001, 0
	TEST_RR 50, remuw, 7, 0x80000007, 0x80000000

	/* rd, rs1 and rs2 all the same register */
	li a0, 9
	mul a0, a0, a0
	CHECK_EQI 51, a0, 81
	li a0, -7
	div a0, a0, a0
	CHECK_EQI 52, a0, 1

	PASS
