/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * start.S: boot, trap handlers and exit paths shared by every test program.
 *
 * The journey of a test run:
 *   1. Every hart starts at _start in M-mode.  Each takes a stack and a
 *      hart block (struct hart_block in rvtest.h) chosen by its hart id;
 *      tp, mscratch and sscratch all point to the hart block from then on.
 *   2. Hart 0 clears .bss; the others wait for it.
 *   3. Each hart opens physical memory to S- and U-mode with one PMP entry
 *      (without it, S and U could not touch memory at all), installs the
 *      M- and S-mode trap handlers below, undoes any delegation, turns the
 *      FPU on (mstatus.FS = Initial) and calls test_main(hartid).
 *   4. The test ends with test_pass / test_fail (or, from C, by returning
 *      from test_main on hart 0).  Both are harness calls -- an ecall with
 *      a7 = HCALL_PASS / HCALL_FAIL -- so that they work from any privilege
 *      mode and whatever the page tables say.  The M handler prints a line
 *      on the UART and writes the verdict to the sifive,test device.
 */
#include "rvtest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	/* Anything that traps before the real handler exists is skipped. */
	la t0, early_trap
	csrw mtvec, t0
	csrw mie, zero
	csrr a0, mhartid
	li t0, MAX_HARTS
	bgeu a0, t0, park

	/* sp = stacks + (hartid + 1) * STACK_SIZE; tp = hart block */
	li t0, STACK_SIZE
	addi t1, a0, 1
	mul t0, t0, t1
	la sp, stacks
	add sp, sp, t0
	li t0, HART_BLOCK_SIZE
	mul t0, t0, a0
	la tp, hart_blocks
	add tp, tp, t0

	bnez a0, wait_for_bss
	la t0, __bss_start
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	fence rw, rw
	li t0, 1
	la t1, bss_ready
	sw t0, 0(t1)
	j setup
wait_for_bss:
	la t1, bss_ready
1:	lw t0, 0(t1)
	beqz t0, 1b
	fence rw, rw

setup:
	sd a0, HB_HARTID(tp)
	/*
	 * PMP entry 0: NAPOT over the whole address space, R+W+X, so that S and
	 * U may use all of physical memory.  (A CPU without PMP makes these
	 * read-only zero; early_trap skips them if they trap.)
	 */
	li t0, -1
	csrw pmpaddr0, t0
	li t0, 0x1f
	csrw pmpcfg0, t0

	csrw mscratch, tp
	csrw sscratch, tp
	la t0, trap_m_entry
	csrw mtvec, t0
	la t0, trap_s_entry
	csrw stvec, t0
	csrw medeleg, zero
	csrw mideleg, zero
	csrw satp, zero
	csrw sie, zero
	li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_MPP | \
	       MSTATUS_SPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
	       MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
	csrc mstatus, t0
	li t0, MSTATUS_FS_INITIAL
	csrs mstatus, t0
	csrw fcsr, zero

	call test_main
	/* test_main returned: success on hart 0, rest for the others. */
	csrr t0, mhartid
	beqz t0, test_pass
park:
	csrw mie, zero
1:	wfi
	j 1b

	.align 2
early_trap:
	csrr t0, mepc
	addi t0, t0, 4
	csrw mepc, t0
	mret

/* ------------------------------------------------------------------ */
/* The M-mode trap handler.                                             */
/* ------------------------------------------------------------------ */
	.text
	.align 2
	.globl trap_m_entry
trap_m_entry:
	csrrw sp, mscratch, sp	/* sp = hart block, mscratch = interrupted sp */
	sd x1, HB_M_FRAME + 1 * 8(sp)
	sd x3, HB_M_FRAME + 3 * 8(sp)
	sd x4, HB_M_FRAME + 4 * 8(sp)
	sd x5, HB_M_FRAME + 5 * 8(sp)
	sd x6, HB_M_FRAME + 6 * 8(sp)
	sd x7, HB_M_FRAME + 7 * 8(sp)
	sd x8, HB_M_FRAME + 8 * 8(sp)
	sd x9, HB_M_FRAME + 9 * 8(sp)
	sd x10, HB_M_FRAME + 10 * 8(sp)
	sd x11, HB_M_FRAME + 11 * 8(sp)
	sd x12, HB_M_FRAME + 12 * 8(sp)
	sd x13, HB_M_FRAME + 13 * 8(sp)
	sd x14, HB_M_FRAME + 14 * 8(sp)
	sd x15, HB_M_FRAME + 15 * 8(sp)
	sd x16, HB_M_FRAME + 16 * 8(sp)
	sd x17, HB_M_FRAME + 17 * 8(sp)
	sd x18, HB_M_FRAME + 18 * 8(sp)
	sd x19, HB_M_FRAME + 19 * 8(sp)
	sd x20, HB_M_FRAME + 20 * 8(sp)
	sd x21, HB_M_FRAME + 21 * 8(sp)
	sd x22, HB_M_FRAME + 22 * 8(sp)
	sd x23, HB_M_FRAME + 23 * 8(sp)
	sd x24, HB_M_FRAME + 24 * 8(sp)
	sd x25, HB_M_FRAME + 25 * 8(sp)
	sd x26, HB_M_FRAME + 26 * 8(sp)
	sd x27, HB_M_FRAME + 27 * 8(sp)
	sd x28, HB_M_FRAME + 28 * 8(sp)
	sd x29, HB_M_FRAME + 29 * 8(sp)
	sd x30, HB_M_FRAME + 30 * 8(sp)
	sd x31, HB_M_FRAME + 31 * 8(sp)
	csrr t0, mscratch
	sd t0, HB_M_FRAME + 2 * 8(sp)
	csrw mscratch, sp
	mv s0, sp
	li t0, HB_M_STACK_TOP
	add sp, s0, t0
	csrr s1, mcause
	csrr s2, mepc
	csrr s3, mtval
	csrr s4, mstatus

	/* Harness calls: an ecall from any mode with a7 = HCALL_*. */
	bltz s1, .Lm_not_hcall
	li t0, CAUSE_ECALL_U
	beq s1, t0, .Lm_ecall
	li t0, CAUSE_ECALL_S
	beq s1, t0, .Lm_ecall
	li t0, CAUSE_ECALL_M
	bne s1, t0, .Lm_not_hcall
.Lm_ecall:
	ld t1, HB_M_FRAME + 17 * 8(s0)
	li t0, HCALL_FAIL
	beq t1, t0, .Lm_hcall_fail
	li t0, HCALL_PASS
	beq t1, t0, .Lm_hcall_pass
	li t0, HCALL_LEAVE
	bne t1, t0, .Lm_not_hcall
	/* LEAVE: resume after the ecall in M-mode, with MIE clear. */
	li t0, MSTATUS_MPP
	csrs mstatus, t0
	li t0, MSTATUS_MPIE
	csrc mstatus, t0
	addi s2, s2, 4
	csrw mepc, s2
	j .Lm_out

.Lm_not_hcall:
	ld t0, HB_M_BUSY(s0)
	bnez t0, .Lm_nested
	li t0, 1
	sd t0, HB_M_BUSY(s0)
	ld t0, HB_M_HOOK(s0)
	beqz t0, .Lm_default
	mv a0, s0
	jalr t0
	beqz a0, .Lm_done

.Lm_default:
	/* Record the trap. */
	ld t0, HB_M_COUNT(s0)
	andi t1, t0, 7
	slli t1, t1, 3
	add t1, t1, s0
	sd s1, HB_M_LOG(t1)
	addi t0, t0, 1
	sd t0, HB_M_COUNT(s0)
	sd s1, HB_M_CAUSE(s0)
	sd s2, HB_M_EPC(s0)
	sd s3, HB_M_TVAL(s0)
	sd s4, HB_M_STATUS(s0)
	bgez s1, .Lm_exception
	/* An interrupt: mask it so that it does not come straight back. */
	andi t0, s1, 63
	li t1, 1
	sll t1, t1, t0
	csrc mie, t1
	j .Lm_done

.Lm_exception:
	ld t0, HB_ARMED(s0)
	beqz t0, .Lm_unexpected
	sd zero, HB_ARMED(s0)
	beqz s1, .Lm_fetch_fault
	li t0, CAUSE_FETCH_ACCESS
	beq s1, t0, .Lm_fetch_fault
	li t0, CAUSE_FETCH_PAGE_FAULT
	beq s1, t0, .Lm_fetch_fault
	/*
	 * Skip the instruction: read its first halfword as the trapped mode
	 * would (MPRV), allowed to read execute-only and user pages (MXR, SUM).
	 */
	csrr t2, mstatus
	li t0, MSTATUS_MPRV | MSTATUS_MXR | MSTATUS_SUM
	csrs mstatus, t0
	lhu t1, 0(s2)
	csrw mstatus, t2
	andi t1, t1, 3
	li t0, 3
	li t3, 2
	bne t1, t0, 1f
	li t3, 4
1:	add s2, s2, t3
	csrw mepc, s2
	j .Lm_done
.Lm_fetch_fault:
	/* The target cannot be read: go back to whoever jumped there. */
	ld t0, HB_M_FRAME + 1 * 8(s0)
	csrw mepc, t0

.Lm_done:
	sd zero, HB_M_BUSY(s0)
.Lm_out:
	mv sp, s0
	ld x1, HB_M_FRAME + 1 * 8(sp)
	ld x3, HB_M_FRAME + 3 * 8(sp)
	ld x4, HB_M_FRAME + 4 * 8(sp)
	ld x5, HB_M_FRAME + 5 * 8(sp)
	ld x6, HB_M_FRAME + 6 * 8(sp)
	ld x7, HB_M_FRAME + 7 * 8(sp)
	ld x8, HB_M_FRAME + 8 * 8(sp)
	ld x9, HB_M_FRAME + 9 * 8(sp)
	ld x10, HB_M_FRAME + 10 * 8(sp)
	ld x11, HB_M_FRAME + 11 * 8(sp)
	ld x12, HB_M_FRAME + 12 * 8(sp)
	ld x13, HB_M_FRAME + 13 * 8(sp)
	ld x14, HB_M_FRAME + 14 * 8(sp)
	ld x15, HB_M_FRAME + 15 * 8(sp)
	ld x16, HB_M_FRAME + 16 * 8(sp)
	ld x17, HB_M_FRAME + 17 * 8(sp)
	ld x18, HB_M_FRAME + 18 * 8(sp)
	ld x19, HB_M_FRAME + 19 * 8(sp)
	ld x20, HB_M_FRAME + 20 * 8(sp)
	ld x21, HB_M_FRAME + 21 * 8(sp)
	ld x22, HB_M_FRAME + 22 * 8(sp)
	ld x23, HB_M_FRAME + 23 * 8(sp)
	ld x24, HB_M_FRAME + 24 * 8(sp)
	ld x25, HB_M_FRAME + 25 * 8(sp)
	ld x26, HB_M_FRAME + 26 * 8(sp)
	ld x27, HB_M_FRAME + 27 * 8(sp)
	ld x28, HB_M_FRAME + 28 * 8(sp)
	ld x29, HB_M_FRAME + 29 * 8(sp)
	ld x30, HB_M_FRAME + 30 * 8(sp)
	ld x31, HB_M_FRAME + 31 * 8(sp)
	ld sp, HB_M_FRAME + 2 * 8(sp)
	mret

.Lm_nested:
	la a0, msg_nested
	call uart_puts
	mv a0, s1
	mv a1, s2
	mv a2, s3
	call print_trap
	li a0, HARNESS_NESTED_TRAP
	j exit_fail

.Lm_unexpected:
	la a0, msg_unexpected
	call uart_puts
	mv a0, s1
	mv a1, s2
	mv a2, s3
	call print_trap
	li a0, HARNESS_UNEXPECTED_TRAP
	j exit_fail

.Lm_hcall_pass:
	la a0, msg_pass
	call uart_puts
	li t0, TEST_DEV
	li t1, TEST_PASS
	sw t1, 0(t0)
1:	j 1b

.Lm_hcall_fail:
	ld s5, HB_M_FRAME + 10 * 8(s0)
	ld s6, HB_M_FRAME + 11 * 8(s0)
	ld s7, HB_M_FRAME + 12 * 8(s0)
	la a0, msg_fail
	call uart_puts
	mv a0, s5
	call uart_putdec
	la a0, msg_got
	call uart_puts
	mv a0, s6
	call uart_puthex
	la a0, msg_want
	call uart_puts
	mv a0, s7
	call uart_puthex
	la a0, msg_hart
	call uart_puts
	ld a0, HB_HARTID(s0)
	call uart_putdec
	li a0, '\n'
	call uart_putc
	mv a0, s5
	/* fall through */

/* exit_fail(code): end the run with exit status `code` (1..255). */
exit_fail:
	addi t0, a0, -1
	li t1, 255
	bltu t0, t1, 1f
	li a0, HARNESS_BAD_CODE	/* 0 or > 255 would not survive as an exit status */
1:	slli a0, a0, 16
	li t1, TEST_FAIL
	or a0, a0, t1
	li t0, TEST_DEV
	sw a0, 0(t0)
1:	j 1b

/* print_trap(cause, epc, tval) */
print_trap:
	addi sp, sp, -32
	sd ra, 0(sp)
	sd s1, 8(sp)
	sd s2, 16(sp)
	sd s3, 24(sp)
	mv s1, a0
	mv s2, a1
	mv s3, a2
	la a0, msg_cause
	call uart_puts
	mv a0, s1
	call uart_puthex
	la a0, msg_epc
	call uart_puts
	mv a0, s2
	call uart_puthex
	la a0, msg_tval
	call uart_puts
	mv a0, s3
	call uart_puthex
	li a0, '\n'
	call uart_putc
	ld ra, 0(sp)
	ld s1, 8(sp)
	ld s2, 16(sp)
	ld s3, 24(sp)
	addi sp, sp, 32
	ret

/* ------------------------------------------------------------------ */
/* The S-mode trap handler: the same, one level down.                   */
/* ------------------------------------------------------------------ */
	.align 2
	.globl trap_s_entry
trap_s_entry:
	csrrw sp, sscratch, sp
	sd x1, HB_S_FRAME + 1 * 8(sp)
	sd x3, HB_S_FRAME + 3 * 8(sp)
	sd x4, HB_S_FRAME + 4 * 8(sp)
	sd x5, HB_S_FRAME + 5 * 8(sp)
	sd x6, HB_S_FRAME + 6 * 8(sp)
	sd x7, HB_S_FRAME + 7 * 8(sp)
	sd x8, HB_S_FRAME + 8 * 8(sp)
	sd x9, HB_S_FRAME + 9 * 8(sp)
	sd x10, HB_S_FRAME + 10 * 8(sp)
	sd x11, HB_S_FRAME + 11 * 8(sp)
	sd x12, HB_S_FRAME + 12 * 8(sp)
	sd x13, HB_S_FRAME + 13 * 8(sp)
	sd x14, HB_S_FRAME + 14 * 8(sp)
	sd x15, HB_S_FRAME + 15 * 8(sp)
	sd x16, HB_S_FRAME + 16 * 8(sp)
	sd x17, HB_S_FRAME + 17 * 8(sp)
	sd x18, HB_S_FRAME + 18 * 8(sp)
	sd x19, HB_S_FRAME + 19 * 8(sp)
	sd x20, HB_S_FRAME + 20 * 8(sp)
	sd x21, HB_S_FRAME + 21 * 8(sp)
	sd x22, HB_S_FRAME + 22 * 8(sp)
	sd x23, HB_S_FRAME + 23 * 8(sp)
	sd x24, HB_S_FRAME + 24 * 8(sp)
	sd x25, HB_S_FRAME + 25 * 8(sp)
	sd x26, HB_S_FRAME + 26 * 8(sp)
	sd x27, HB_S_FRAME + 27 * 8(sp)
	sd x28, HB_S_FRAME + 28 * 8(sp)
	sd x29, HB_S_FRAME + 29 * 8(sp)
	sd x30, HB_S_FRAME + 30 * 8(sp)
	sd x31, HB_S_FRAME + 31 * 8(sp)
	csrr t0, sscratch
	sd t0, HB_S_FRAME + 2 * 8(sp)
	csrw sscratch, sp
	mv s0, sp
	li t0, HB_S_STACK_TOP
	add sp, s0, t0
	csrr s1, scause
	csrr s2, sepc
	csrr s3, stval
	csrr s4, sstatus

	li t0, CAUSE_ECALL_U
	bne s1, t0, .Ls_not_hcall
	ld t1, HB_S_FRAME + 17 * 8(s0)
	li t0, HCALL_LEAVE
	bne t1, t0, 1f
	/* LEAVE from U: resume after the ecall in S-mode, with SIE clear. */
	li t0, MSTATUS_SPP
	csrs sstatus, t0
	li t0, MSTATUS_SPIE
	csrc sstatus, t0
	addi s2, s2, 4
	csrw sepc, s2
	j .Ls_out
1:	li t0, HCALL_FAIL
	beq t1, t0, 2f
	li t0, HCALL_PASS
	bne t1, t0, .Ls_not_hcall
	/* PASS and FAIL go on to M-mode, which owns the test device. */
2:	ld a0, HB_S_FRAME + 10 * 8(s0)
	ld a1, HB_S_FRAME + 11 * 8(s0)
	ld a2, HB_S_FRAME + 12 * 8(s0)
	mv a7, t1
	ecall

.Ls_not_hcall:
	ld t0, HB_S_BUSY(s0)
	beqz t0, 1f
	li a0, HARNESS_NESTED_TRAP
	mv a1, s1
	mv a2, s2
	j test_fail
1:	li t0, 1
	sd t0, HB_S_BUSY(s0)
	ld t0, HB_S_HOOK(s0)
	beqz t0, .Ls_default
	mv a0, s0
	jalr t0
	beqz a0, .Ls_done

.Ls_default:
	ld t0, HB_S_COUNT(s0)
	andi t1, t0, 7
	slli t1, t1, 3
	add t1, t1, s0
	sd s1, HB_S_LOG(t1)
	addi t0, t0, 1
	sd t0, HB_S_COUNT(s0)
	sd s1, HB_S_CAUSE(s0)
	sd s2, HB_S_EPC(s0)
	sd s3, HB_S_TVAL(s0)
	sd s4, HB_S_STATUS(s0)
	bgez s1, .Ls_exception
	andi t0, s1, 63
	li t1, 1
	sll t1, t1, t0
	csrc sie, t1
	j .Ls_done

.Ls_exception:
	ld t0, HB_ARMED(s0)
	bnez t0, 1f
	li a0, HARNESS_S_UNEXPECTED_TRAP
	mv a1, s1
	mv a2, s2
	j test_fail
1:	sd zero, HB_ARMED(s0)
	beqz s1, .Ls_fetch_fault
	li t0, CAUSE_FETCH_ACCESS
	beq s1, t0, .Ls_fetch_fault
	li t0, CAUSE_FETCH_PAGE_FAULT
	beq s1, t0, .Ls_fetch_fault
	csrr t2, sstatus
	li t0, MSTATUS_MXR | MSTATUS_SUM
	csrs sstatus, t0
	lhu t1, 0(s2)
	csrw sstatus, t2
	andi t1, t1, 3
	li t0, 3
	li t3, 2
	bne t1, t0, 1f
	li t3, 4
1:	add s2, s2, t3
	csrw sepc, s2
	j .Ls_done
.Ls_fetch_fault:
	ld t0, HB_S_FRAME + 1 * 8(s0)
	csrw sepc, t0

.Ls_done:
	sd zero, HB_S_BUSY(s0)
.Ls_out:
	mv sp, s0
	ld x1, HB_S_FRAME + 1 * 8(sp)
	ld x3, HB_S_FRAME + 3 * 8(sp)
	ld x4, HB_S_FRAME + 4 * 8(sp)
	ld x5, HB_S_FRAME + 5 * 8(sp)
	ld x6, HB_S_FRAME + 6 * 8(sp)
	ld x7, HB_S_FRAME + 7 * 8(sp)
	ld x8, HB_S_FRAME + 8 * 8(sp)
	ld x9, HB_S_FRAME + 9 * 8(sp)
	ld x10, HB_S_FRAME + 10 * 8(sp)
	ld x11, HB_S_FRAME + 11 * 8(sp)
	ld x12, HB_S_FRAME + 12 * 8(sp)
	ld x13, HB_S_FRAME + 13 * 8(sp)
	ld x14, HB_S_FRAME + 14 * 8(sp)
	ld x15, HB_S_FRAME + 15 * 8(sp)
	ld x16, HB_S_FRAME + 16 * 8(sp)
	ld x17, HB_S_FRAME + 17 * 8(sp)
	ld x18, HB_S_FRAME + 18 * 8(sp)
	ld x19, HB_S_FRAME + 19 * 8(sp)
	ld x20, HB_S_FRAME + 20 * 8(sp)
	ld x21, HB_S_FRAME + 21 * 8(sp)
	ld x22, HB_S_FRAME + 22 * 8(sp)
	ld x23, HB_S_FRAME + 23 * 8(sp)
	ld x24, HB_S_FRAME + 24 * 8(sp)
	ld x25, HB_S_FRAME + 25 * 8(sp)
	ld x26, HB_S_FRAME + 26 * 8(sp)
	ld x27, HB_S_FRAME + 27 * 8(sp)
	ld x28, HB_S_FRAME + 28 * 8(sp)
	ld x29, HB_S_FRAME + 29 * 8(sp)
	ld x30, HB_S_FRAME + 30 * 8(sp)
	ld x31, HB_S_FRAME + 31 * 8(sp)
	ld sp, HB_S_FRAME + 2 * 8(sp)
	sret

/* ------------------------------------------------------------------ */
/* Verdicts, callable from any mode.                                    */
/* ------------------------------------------------------------------ */
	.globl test_fail
test_fail:			/* a0 = code, a1 = got, a2 = wanted */
	li a7, HCALL_FAIL
	ecall
1:	j 1b

	.globl test_pass
test_pass:
	li a7, HCALL_PASS
	ecall
1:	j 1b

/*
 * long run_in(mode, fn, a, b): call fn(a, b) in `mode` and come back to
 * M-mode with its result.  The code after the mret runs in the new mode, so
 * with paging on it has to be mapped for that mode: run_in for S (and M),
 * run_in_user (in the .usertext page) for U.
 */
	.globl run_in
run_in:
	addi sp, sp, -16
	sd ra, 0(sp)
	mv t0, a1
	li t1, MSTATUS_MPP | MSTATUS_MPIE
	csrc mstatus, t1
	slli t1, a0, 11
	csrs mstatus, t1
	la t1, 1f
	csrw mepc, t1
	mv a0, a2
	mv a1, a3
	mret
1:	jalr t0
	li a7, HCALL_LEAVE
	ecall
	ld ra, 0(sp)
	addi sp, sp, 16
	ret

	.section .usertext, "ax"
	.globl run_in_user
run_in_user:			/* (fn, a, b) in U-mode */
	addi sp, sp, -16
	sd ra, 0(sp)
	mv t0, a0
	li t1, MSTATUS_MPP | MSTATUS_MPIE
	csrc mstatus, t1
	la t1, 1f
	csrw mepc, t1
	mv a0, a1
	mv a1, a2
	mret
1:	jalr t0
	li a7, HCALL_LEAVE
	ecall
	ld ra, 0(sp)
	addi sp, sp, 16
	ret

/* ------------------------------------------------------------------ */
/* UART output (M-mode, physical addresses).                            */
/* ------------------------------------------------------------------ */
	.text
	.globl uart_putc
uart_putc:
	li t0, UART_BASE
	li t2, 100000		/* do not hang on a UART that never gets ready */
1:	lbu t1, 5(t0)		/* LSR */
	andi t1, t1, 0x20	/* THR empty */
	bnez t1, 2f
	addi t2, t2, -1
	bnez t2, 1b
2:	sb a0, 0(t0)
	ret

	.globl uart_puts
uart_puts:
	addi sp, sp, -16
	sd ra, 0(sp)
	sd s1, 8(sp)
	mv s1, a0
1:	lbu a0, 0(s1)
	beqz a0, 2f
	call uart_putc
	addi s1, s1, 1
	j 1b
2:	ld ra, 0(sp)
	ld s1, 8(sp)
	addi sp, sp, 16
	ret

	.globl uart_puthex
uart_puthex:
	addi sp, sp, -32
	sd ra, 0(sp)
	sd s1, 8(sp)
	sd s2, 16(sp)
	mv s1, a0
	li s2, 60
1:	srl a0, s1, s2
	andi a0, a0, 15
	addi a0, a0, '0'
	li t0, '9'
	ble a0, t0, 2f
	addi a0, a0, 'a' - '0' - 10
2:	call uart_putc
	addi s2, s2, -4
	bgez s2, 1b
	ld ra, 0(sp)
	ld s1, 8(sp)
	ld s2, 16(sp)
	addi sp, sp, 32
	ret

	.globl uart_putdec
uart_putdec:
	addi sp, sp, -48
	sd ra, 0(sp)
	sd s1, 8(sp)
	addi s1, sp, 40
	sb zero, 0(s1)
	li t1, 10
1:	remu t0, a0, t1
	divu a0, a0, t1
	addi t0, t0, '0'
	addi s1, s1, -1
	sb t0, 0(s1)
	bnez a0, 1b
	mv a0, s1
	call uart_puts
	ld ra, 0(sp)
	ld s1, 8(sp)
	addi sp, sp, 48
	ret

	.section .rodata
msg_pass:	.asciz "PASS\n"
msg_fail:	.asciz "FAIL: check "
msg_got:	.asciz " got 0x"
msg_want:	.asciz " want 0x"
msg_hart:	.asciz " on hart "
msg_unexpected:	.asciz "FAIL: unexpected exception in M-mode handler: "
msg_nested:	.asciz "FAIL: trap inside the M-mode trap handler: "
msg_cause:	.asciz "cause 0x"
msg_epc:	.asciz " epc 0x"
msg_tval:	.asciz " tval 0x"

	.data
	.align 2
bss_ready:	.word 0

	.bss
	.align 12
	.globl hart_blocks
hart_blocks:	.skip HART_BLOCK_SIZE * MAX_HARTS
	.align 4
stacks:		.skip STACK_SIZE * MAX_HARTS
