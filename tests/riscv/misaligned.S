/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * misaligned: loads and stores that are not naturally aligned.
 *
 * Kennel's choice, which the spec allows: ordinary loads and stores (integer
 * and floating-point) at any address just work, in every privilege mode and
 * across a page boundary, with no trap.  QEMU 7.2 behaves the same way, so
 * this program runs under both.  LR/SC and AMOs are different: they must be
 * naturally aligned, and a misaligned one raises an address-misaligned
 * exception (cause 4 for lr, 6 for sc and AMOs) with mtval = the address,
 * without touching memory.  Only the lr part is here: QEMU 7.2 gets sc and
 * AMOs wrong, so those are checked in spec_strict.S.
 */
#include "rvtest.h"

	.option norvc

	.text
	.globl test_main
test_main:
	la s0, bytes			/* 01 02 03 ... 10 */

	/* ---- loads ---- */
	lhu a0, 1(s0)
	CHECK_EQI 1, a0, 0x0302
	lh a0, 7(s0)			/* 08 89 */
	CHECK_EQI 2, a0, 0xffffffffffff8908
	lw a0, 1(s0)
	CHECK_EQI 3, a0, 0x05040302
	lw a0, 6(s0)			/* 07 08 89 0a */
	CHECK_EQI 4, a0, 0x0a890807
	lwu a0, 5(s0)			/* 06 07 08 89 */
	CHECK_EQI 5, a0, 0x89080706
	lw a0, 5(s0)
	CHECK_EQI 6, a0, 0xffffffff89080706
	ld a0, 3(s0)
	CHECK_EQI 7, a0, 0x0b0a890807060504
	ld a0, 7(s0)
	CHECK_EQI 8, a0, 0x0f0e0d0c0b0a8908

	/* ---- stores ---- */
	la s1, scratch
	sd zero, 0(s1)
	sd zero, 8(s1)
	li a1, 0x1122334455667788
	sh a1, 1(s1)
	ld a0, 0(s1)
	CHECK_EQI 9, a0, 0x778800
	sw a1, 5(s1)			/* crosses into the next doubleword */
	ld a0, 0(s1)
	CHECK_EQI 10, a0, 0x6677880000778800
	ld a0, 8(s1)
	CHECK_EQI 11, a0, 0x55
	sd a1, 9(s1)
	ld a0, 8(s1)
	CHECK_EQI 12, a0, 0x2233445566778855
	lbu a0, 16(s1)
	CHECK_EQI 13, a0, 0x11
	lbu a0, 17(s1)			/* the byte after is untouched */
	CHECK_EQI 14, a0, 0xee

	/* ---- across a page boundary ---- */
	la s2, page_end
	li a1, 0x0123456789abcdef
	sd a1, -3(s2)
	ld a0, -3(s2)
	CHECK_EQ 15, a0, a1
	lw a0, -1(s2)
	CHECK_EQI 16, a0, 0x456789ab

	/* ---- floating point ---- */
	fld fa0, 3(s0)
	fmv.x.d a0, fa0
	CHECK_EQI 17, a0, 0x0b0a890807060504
	flw fa1, 1(s0)
	fmv.x.w a0, fa1
	CHECK_EQI 18, a0, 0x05040302
	fsd fa0, 1(s1)
	ld a0, 1(s1)
	CHECK_EQI 19, a0, 0x0b0a890807060504
	fsw fa1, 3(s1)
	lw a0, 3(s1)
	CHECK_EQI 20, a0, 0x05040302

	/* ---- from U-mode too ---- */
	ENTER_U
	lw a0, 1(s0)
	sw a0, 2(s1)
	LEAVE
	lw a0, 2(s1)
	CHECK_EQI 21, a0, 0x05040302

	/* ---- LR/SC and AMOs must be aligned ---- */
	la s3, atom
	addi s4, s3, 2
	EXPECT_TRAP 22, CAUSE_MISALIGNED_LOAD, lr.w a0, (s4)
	ld t5, HB_M_TVAL(tp)
	CHECK_EQ 23, t5, s4
	addi s4, s3, 4
	EXPECT_TRAP 24, CAUSE_MISALIGNED_LOAD, lr.d a0, (s4)
	ld t5, HB_M_TVAL(tp)
	CHECK_EQ 25, t5, s4
	/*
	 * 26-33: a misaligned sc or AMO traps with cause 6 -- checked in
	 * spec_strict.S, as QEMU 7.2 fails such an sc without trapping and
	 * reports a misaligned AMO as a load misalignment (cause 4).
	 */
	ld a0, 0(s3)			/* memory never changed */
	CHECK_EQI 34, a0, 0x1111111111111111
	ld a0, 8(s3)
	CHECK_EQI 35, a0, 0x2222222222222222

	PASS

	.data
	.align 4
bytes:	.byte 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
	.byte 0x89, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10
scratch:
	.dword 0, 0
	.byte 0, 0xee
	.align 4
atom:	.dword 0x1111111111111111, 0x2222222222222222

	.align 12
	.skip 4096 - 8
	.dword 0
page_end:				/* a 4 KiB boundary */
	.dword 0
