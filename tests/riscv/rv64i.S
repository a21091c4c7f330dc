/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rv64i: the base integer instruction set, in its 32-bit encodings.
 *
 * Proves: every register-register and register-immediate ALU operation
 * including the RV64 "W" forms (which compute on 32 bits and sign-extend),
 * shifts by 0 and by the largest amount and with over-wide shift registers,
 * slt/sltu at the signed/unsigned boundaries, lui and auipc (also with a
 * negative immediate), writes to x0 being dropped, every branch taken and
 * not taken, jal/jalr link values and jalr clearing bit 0 of the target,
 * every load width with sign and zero extension, every store width, fence,
 * and fence.i making freshly stored instructions visible to fetch.
 */
#include "rvtest.h"

	.option norvc		/* test the full-size encodings */

.macro TEST_RR code, op, want, a, b
	li a1, \a
	li a2, \b
	\op a0, a1, a2
	CHECK_EQI \code, a0, \want
.endm

.macro TEST_RI code, op, want, a, imm
	li a1, \a
	\op a0, a1, \imm
	CHECK_EQI \code, a0, \want
.endm

.macro BR_TAKEN code, br, a, b
	li a1, \a
	li a2, \b
	\br a1, a2, .Ltaken\@
	FAIL \code
.Ltaken\@:
	RIGHT_PATH \code
.endm

.macro BR_NOT_TAKEN code, br, a, b
	li a1, \a
	li a2, \b
	\br a1, a2, .Lwrong\@
	j .Lright\@
.Lwrong\@:
	FAIL \code
.Lright\@:
	RIGHT_PATH \code
.endm

.macro TEST_LOAD code, op, want, off
	la a1, load_data
	\op a0, \off(a1)
	CHECK_EQI \code, a0, \want
.endm

	.text
	.globl test_main
test_main:
	/* ---- register-register ALU ---- */
	TEST_RR 1, add, 0x8000000000000000, 0x7fffffffffffffff, 1
	TEST_RR 2, add, 0, -1, 1
	TEST_RR 3, sub, -1, 0, 1
	TEST_RR 4, sub, 0x7fffffffffffffff, 0x8000000000000000, 1
	TEST_RR 5, sll, 0x8000000000000000, 1, 63
	TEST_RR 6, sll, 0x123, 0x123, 0
	TEST_RR 7, sll, 16, 1, 68		/* only rs2[5:0] counts */
	TEST_RR 8, slt, 1, -1, 0
	TEST_RR 9, slt, 0, 0, -1
	TEST_RR 10, slt, 1, 0x8000000000000000, 0x7fffffffffffffff
	TEST_RR 11, slt, 0, 5, 5
	TEST_RR 12, sltu, 1, 0, -1
	TEST_RR 13, sltu, 0, -1, 0
	TEST_RR 14, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000
	TEST_RR 15, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
	TEST_RR 16, srl, 1, 0x8000000000000000, 63
	TEST_RR 17, srl, -1, -1, 0
	TEST_RR 18, srl, 0x7fffffffffffffff, -1, 65	/* shift by 1 */
	TEST_RR 19, sra, -1, 0x8000000000000000, 63
	TEST_RR 20, sra, -4, -16, 2
	TEST_RR 21, sra, 0, 0x7fffffffffffffff, 63
	TEST_RR 22, or, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f
	TEST_RR 23, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f

	/* ---- the W forms: 32-bit result, sign-extended ---- */
	TEST_RR 24, addw, 0xffffffff80000000, 0x7fffffff, 1
	TEST_RR 25, addw, 0, 0x1ffffffff, 1
	TEST_RR 26, subw, -1, 0, 1
	TEST_RR 27, subw, 0x7fffffff, 0x80000000, 1
	TEST_RR 28, sllw, 0xffffffff80000000, 1, 31
	TEST_RR 29, sllw, 1, 0xffffffff00000001, 0
	TEST_RR 30, sllw, 2, 1, 33		/* only rs2[4:0] counts */
	TEST_RR 31, srlw, 1, 0x80000000, 31
	TEST_RR 32, srlw, 0xffffffff80000000, 0x80000000, 0
	TEST_RR 33, srlw, 0x0fffffff, 0x12345678ffffffff, 4
	TEST_RR 34, sraw, -1, 0x80000000, 31
	TEST_RR 35, sraw, 0, 0x7fffffff, 31
	TEST_RR 36, sraw, 0xfffffffff8000000, 0x80000000, 4

	/* ---- register-immediate ALU (12-bit immediates are signed) ---- */
	TEST_RI 37, addi, 0, -1, 1
	TEST_RI 38, addi, -2048, 0, -2048
	TEST_RI 39, addi, 2047, 0, 2047
	TEST_RI 40, slti, 1, -1, 0
	TEST_RI 41, slti, 0, 0, -1
	TEST_RI 42, sltiu, 1, 5, -1		/* -1 is the largest unsigned */
	TEST_RI 43, sltiu, 0, -1, 1
	TEST_RI 44, sltiu, 1, 0, 1
	TEST_RI 45, xori, 0xffffffffffffff00, 0xff, -1
	TEST_RI 46, ori, 0x80000000000007ff, 0x8000000000000000, 0x7ff
	TEST_RI 47, andi, 0xfffffffffffff800, -1, -2048
	TEST_RI 48, andi, 3, 0x123, 0x0f
	TEST_RI 49, slli, 0x8000000000000000, 1, 63
	TEST_RI 50, slli, 5, 5, 0
	TEST_RI 51, srli, 1, -1, 63
	TEST_RI 52, srli, -1, -1, 0
	TEST_RI 53, srai, -1, 0x8000000000000000, 63
	TEST_RI 54, srai, 1, 0x4000000000000000, 62
	TEST_RI 55, addiw, 0xffffffff80000000, 0x7fffffff, 1
	TEST_RI 56, addiw, 0, 0x100000000, 0
	TEST_RI 57, addiw, -1, 0xffffffff, 0	/* sext.w */
	TEST_RI 58, slliw, 0xffffffff80000000, 1, 31
	TEST_RI 59, slliw, 3, 0xffffffff00000003, 0
	TEST_RI 60, srliw, 1, 0x80000000, 31
	TEST_RI 61, srliw, -1, 0xffffffff, 0
	TEST_RI 62, srliw, 0x40000000, 0xffffffff80000000, 1
	TEST_RI 63, sraiw, -1, 0x80000000, 31
	TEST_RI 64, sraiw, 0xffffffff80000000, 0x80000000, 0
	TEST_RI 65, sraiw, 0, 0x7fffffff, 31

	/* ---- lui, auipc, x0 ---- */
	lui a0, 0x80000
	CHECK_EQI 66, a0, 0xffffffff80000000
	lui a0, 0x7ffff
	CHECK_EQI 67, a0, 0x7ffff000
	li a0, -1
	lui a0, 0
	CHECK_EQ 68, a0, zero
1:	auipc a0, 0
	la a1, 1b
	CHECK_EQ 69, a0, a1
1:	auipc a0, 1
	la a1, 1b
	li a2, 0x1000
	add a1, a1, a2
	CHECK_EQ 70, a0, a1
1:	auipc a0, 0x80000		/* pc - 2^31 */
	la a1, 1b
	li a2, 0x80000000
	sub a1, a1, a2
	CHECK_EQ 71, a0, a1
	li a1, 5
	add x0, a1, a1
	addi x0, x0, 7
	lui x0, 1
	mv a0, x0
	CHECK_EQ 72, a0, zero

	/* ---- branches, each taken and not taken ---- */
	BR_TAKEN 73, beq, 5, 5
	BR_NOT_TAKEN 74, beq, 5, 6
	BR_TAKEN 75, bne, 5, 6
	BR_NOT_TAKEN 76, bne, -1, -1
	BR_TAKEN 77, blt, -1, 0
	BR_NOT_TAKEN 78, blt, 0, -1
	BR_NOT_TAKEN 79, blt, 7, 7
	BR_TAKEN 80, bge, 0, -1
	BR_TAKEN 81, bge, 7, 7
	BR_NOT_TAKEN 82, bge, 0x8000000000000000, 0x7fffffffffffffff
	BR_TAKEN 83, bltu, 0, -1
	BR_NOT_TAKEN 84, bltu, -1, 0
	BR_NOT_TAKEN 85, bltu, 7, 7
	BR_TAKEN 86, bgeu, -1, 0
	BR_TAKEN 87, bgeu, 7, 7
	BR_NOT_TAKEN 88, bgeu, 0x7fffffffffffffff, 0x8000000000000000
	/* a backward branch: a loop of 10 */
	li a0, 0
	li a1, 10
1:	addi a0, a0, 1
	bne a0, a1, 1b
	CHECK_EQI 89, a0, 10

	/* ---- jal and jalr ---- */
	jal a3, 1f
2:	FAIL 90
1:	la a1, 2b
	CHECK_EQ 90, a3, a1		/* link = address of the next instruction */
	j 1f
	FAIL 91
1:	la a1, jump_target
	jalr a3, 0(a1)
2:	CHECK_EQI 91, a0, 0x5a
	la a1, 2b
	CHECK_EQ 92, a3, a1
	la a1, jump_target - 8
	li a0, 0
	jalr a3, 8(a1)			/* offset is added */
	CHECK_EQI 93, a0, 0x5a
	la a1, jump_target + 1		/* odd target: bit 0 is cleared */
	li a0, 0
	jalr a3, 0(a1)
	CHECK_EQI 94, a0, 0x5a
	la a1, jump_target_a1
	li a0, 0
	jalr a1, 0(a1)			/* rd == rs1: the old value is the target */
2:	CHECK_EQI 95, a0, 0x5a
	la a2, 2b
	CHECK_EQ 96, a1, a2

	/* ---- loads: every width, signed and unsigned ---- */
	TEST_LOAD 97, lb, 0xffffffffffffff87, 0
	TEST_LOAD 98, lbu, 0x87, 0
	TEST_LOAD 99, lb, 0x7f, 11
	TEST_LOAD 100, lh, 0xffffffffffff8687, 0
	TEST_LOAD 101, lhu, 0x8687, 0
	TEST_LOAD 102, lh, 0x7f7e, 10
	TEST_LOAD 103, lw, 0xffffffff84858687, 0
	TEST_LOAD 104, lwu, 0x84858687, 0
	TEST_LOAD 105, lw, 0x7f7e7d7c, 8
	TEST_LOAD 106, ld, 0x8081828384858687, 0
	TEST_LOAD 107, lbu, 0x80, 7
	la a1, load_data + 8
	lw a0, -4(a1)			/* negative offset */
	CHECK_EQI 108, a0, 0xffffffff80818283

	/* ---- stores: every width, neighbours untouched ---- */
	la a1, store_data
	li a2, -1
	sd a2, 0(a1)
	sd a2, 8(a1)
	li a2, 0x1122334455667788
	sb a2, 1(a1)
	ld a0, 0(a1)
	CHECK_EQI 109, a0, 0xffffffffffff88ff
	sh a2, 4(a1)
	ld a0, 0(a1)
	CHECK_EQI 110, a0, 0xffff7788ffff88ff
	sw a2, 8(a1)
	ld a0, 8(a1)
	CHECK_EQI 111, a0, 0xffffffff55667788
	sd a2, 0(a1)
	ld a0, 0(a1)
	CHECK_EQ 112, a0, a2
	sw zero, 12(a1)			/* positive offset, high word */
	ld a0, 8(a1)
	CHECK_EQI 113, a0, 0x55667788

	/* ---- fence ---- */
	li a2, 42
	sd a2, 0(a1)
	fence w, r
	fence rw, rw
	fence
	fence.tso
	ld a0, 0(a1)
	CHECK_EQI 114, a0, 42

	/* ---- fence.i: fetch sees instructions written before it ---- */
	call patch_slot
	CHECK_EQI 115, a0, 1
	la a1, patch_slot
	li a2, 0x00200513		/* addi a0, zero, 2 */
	sw a2, 0(a1)
	fence.i
	call patch_slot
	CHECK_EQI 116, a0, 2

	PASS

	.align 2
jump_target:
	li a0, 0x5a
	jr a3
jump_target_a1:
	li a0, 0x5a
	jr a1

/* Patched at run time (RAM is writable in M-mode). */
	.align 2
patch_slot:
	addi a0, zero, 1
	ret

	.data
	.align 3
load_data:
	.dword 0x8081828384858687
	.dword 0x000000007f7e7d7c
store_data:
	.dword 0, 0
