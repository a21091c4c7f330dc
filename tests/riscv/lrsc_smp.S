/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lrsc_smp: LR/SC between harts (HARTS of them, given by meson).
 *
 * Every hart runs, in two phases separated by a barrier (so that all harts
 * contend in each), ITERATIONS times:
 *   1. take a spin lock built from lr.w/sc.w.aq, increment a counter with an
 *      ordinary load and store, release the lock with a release fence and a
 *      plain store;
 *   2. increment a second counter with an lr.d/sc.d retry loop and no lock.
 * If a reservation ever survived another hart's store (two harts both
 * "winning" the same lock or counter), an increment would be lost.
 *
 * Before that, phase 0 checks the rule deterministically: a reservation
 * held by hart 0 is lost when hart 1 stores to the reserved address.
 *
 * Proves: hart 0's sc fails after hart 1's store; both totals are exactly
 * HARTS * ITERATIONS; the lock is free at the end.
 */
#include "rvtest.h"

	.option norvc

#define ITERATIONS 1000000
#if HARTS < 2
#error "lrsc_smp needs at least two harts"
#endif

/*
 * A few instructions of nothing, to widen the window in which the other
 * harts can get in the way.  (Inside the LR/SC sequence too: a constrained
 * LR/SC loop may hold up to 16 base integer instructions.)
 */
.macro WIDEN
	.rept 8
	addi t3, t3, 1
	.endr
.endm

/*
 * Wait until all harts have reached this point (counter at `reg`); fail
 * with `code` if that takes more than five seconds.
 */
.macro BARRIER code, reg
	li t1, 1
	amoadd.w zero, t1, (\reg)
	li t3, CLINT_MTIME
	ld t4, 0(t3)
	li t5, 5 * TIMEBASE_HZ
	add t4, t4, t5
.Lwait\@:
	lw t1, 0(\reg)
	li t2, HARTS
	beq t1, t2, .Ldone\@
	ld t5, 0(t3)
	bltu t5, t4, .Lwait\@
	FAIL \code
.Ldone\@:
	RIGHT_PATH \code
.endm

	.text
	.globl test_main
test_main:
	la s4, arrived
	BARRIER 9, s4

	/*
	 * ---- phase 0: another hart's store ends a reservation ----
	 * Hart 0 reserves `cell`; hart 1 stores a new value there; hart 0's
	 * sc must then fail.  (Not a constrained LR/SC loop -- there are loads
	 * and branches between lr and sc -- but that only costs the guarantee
	 * of eventual success, never the duty to fail.)
	 */
	li t0, 1
	beq a0, t0, 2f
	bnez a0, 3f
	la s5, cell
	lr.d t5, (s5)
	SET_FLAG reserved
	WAIT_FLAG 5, stored
	li t1, 7
	sc.d t2, t1, (s5)
	CHECK_NE 6, t2, zero
	ld t0, 0(s5)
	CHECK_EQI 7, t0, 0x1234
	j 3f
2:	WAIT_FLAG 8, reserved
	li t0, 0x1234
	la t1, cell
	sd t0, 0(t1)
	SET_FLAG stored
3:
	/* ---- phase 1: a spin lock around a plain increment ---- */
	la s0, lock
	la s1, locked_counter
	li s3, ITERATIONS
1:	lr.w t0, (s0)			/* acquire */
	bnez t0, 1b
	li t1, 1
	sc.w.aq t0, t1, (s0)
	bnez t0, 1b
	ld t2, 0(s1)			/* critical section: a slow plain RMW */
	WIDEN
	addi t2, t2, 1
	sd t2, 0(s1)
	fence rw, w			/* release */
	sw zero, 0(s0)
	addi s3, s3, -1
	bnez s3, 1b

	la s4, between
	BARRIER 10, s4

	/* ---- phase 2: lock-free LR/SC increments ---- */
	la s2, lrsc_counter
	li s3, ITERATIONS
1:	lr.d t0, (s2)
	WIDEN
	addi t0, t0, 1
	sc.d t1, t0, (s2)
	bnez t1, 1b
	addi s3, s3, -1
	bnez s3, 1b

	la t0, finished
	li t1, 1
	amoadd.w zero, t1, (t0)
	beqz a0, check			/* hart 0 checks; the others are done */
	ret

check:
	/* wait (at most 20 s) for every hart to finish */
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
	ld a0, 0(s1)
	CHECK_EQI 2, a0, HARTS * ITERATIONS
	ld a0, 0(s2)
	CHECK_EQI 3, a0, HARTS * ITERATIONS
	lw a0, 0(s0)
	CHECK_EQ 4, a0, zero
	PASS

	.data
	.align 6			/* each on its own cache line */
lock:		.word 0
	.align 6
locked_counter:	.dword 0
	.align 6
lrsc_counter:	.dword 0
	.align 6
arrived:	.word 0
between:	.word 0
reserved:	.word 0
stored:		.word 0
	.align 6
cell:		.dword 0
finished:	.word 0
