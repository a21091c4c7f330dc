/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amo_smp: AMOs from several harts at once (HARTS of them, given by meson).
 *
 * Every hart runs ITERATIONS rounds of:
 *   - amoadd.w on a 32-bit counter and amoadd.d on a 64-bit one;
 *   - amoor.d setting one bit of its own in a shared word (bit round % 16
 *     of the hart's 16-bit lane), and amomax.d with a value that grows
 *     with the round;
 *   - an amoswap.w.aq test-and-set lock around a plain increment, released
 *     with amoswap.w.rl.
 *
 * Proves: the counters are exactly HARTS * ITERATIONS (nothing lost), the
 * shared word has every hart's 16 bits set, the maximum is the largest value
 * any hart offered, and the lock-protected plain counter is exact too.
 */
#include "rvtest.h"

	.option norvc

#define ITERATIONS 250000
#if HARTS == 4
#define ALL_LANES (-1)
#elif HARTS < 4
#define ALL_LANES ((1 << (16 * HARTS)) - 1)
#else
#error "amo_smp: one 16-bit lane per hart, at most 4 harts"
#endif

	.text
	.globl test_main
test_main:
	/* everyone arrives (within five seconds) before anyone starts */
	la t0, arrived
	li t1, 1
	amoadd.w zero, t1, (t0)
	li t3, CLINT_MTIME
	ld t4, 0(t3)
	li t5, 5 * TIMEBASE_HZ
	add t4, t4, t5
1:	lw t1, 0(t0)
	li t2, HARTS
	beq t1, t2, 2f
	ld t5, 0(t3)
	bltu t5, t4, 1b
	FAIL 8
2:	RIGHT_PATH 8

	la s0, counter32
	la s1, counter64
	la s2, bits
	la s3, maximum
	la s4, lock
	la s5, locked_counter
	li s6, 0			/* round */
	li s7, ITERATIONS
	slli s8, a0, 4			/* this hart's lane: bits 16h .. 16h + 15 */
	li s9, 1
loop:
	amoadd.w zero, s9, (s0)
	amoadd.d zero, s9, (s1)
	andi t0, s6, 15
	add t0, t0, s8
	sll t0, s9, t0
	amoor.d zero, t0, (s2)
	slli t0, s6, 8			/* round * 256 + hart: all different */
	add t0, t0, a0
	amomax.d zero, t0, (s3)
1:	amoswap.w.aq t0, s9, (s4)
	bnez t0, 1b
	ld t1, 0(s5)
	addi t1, t1, 1
	sd t1, 0(s5)
	amoswap.w.rl zero, zero, (s4)
	addi s6, s6, 1
	bne s6, s7, loop

	la t0, finished
	amoadd.w zero, s9, (t0)
	beqz a0, check
	ret

check:
	li t3, CLINT_MTIME
	ld t4, 0(t3)
	li t5, 20 * TIMEBASE_HZ
	add t4, t4, t5
	la t0, finished
1:	lw t1, 0(t0)
	li t2, HARTS
	beq t1, t2, 2f
	ld t5, 0(t3)
	bltu t5, t4, 1b
	FAIL 1
2:	RIGHT_PATH 1
	fence rw, rw
	lw a0, 0(s0)
	CHECK_EQI 2, a0, HARTS * ITERATIONS
	ld a0, 0(s1)
	CHECK_EQI 3, a0, HARTS * ITERATIONS
	ld a0, 0(s2)
	CHECK_EQI 4, a0, ALL_LANES
	ld a0, 0(s3)
	CHECK_EQI 5, a0, (ITERATIONS - 1) * 256 + HARTS - 1
	ld a0, 0(s5)
	CHECK_EQI 6, a0, HARTS * ITERATIONS
	lw a0, 0(s4)
	CHECK_EQ 7, a0, zero
	PASS

	.data
	.align 6
counter32:	.word 0
	.align 6
counter64:	.dword 0
	.align 6
bits:		.dword 0
	.align 6
maximum:	.dword 0
	.align 6
lock:		.word 0
	.align 6
locked_counter:	.dword 0
	.align 6
arrived:	.word 0
finished:	.word 0
