/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spec_strict: rules of the RISC-V specifications that QEMU 7.2 (our
 * reference) does not follow.  Kennel only: registered in the `riscv`
 * suite, not in `riscv-qemu`.  Each check names the rule; the program stays
 * as small as the list of QEMU's departures.
 *
 *  1-5  Zicsr: csrrs/csrrc "write" according to the rs1 field, not the
 *       value in the register.  With rs1 = x0 they do not write; with any
 *       other rs1 they do, even if the register holds zero -- so on a
 *       read-only CSR they are illegal.  (QEMU 7.2 looks at the value.)
 *  6    Privileged 1.12, mstatus: an MRET or SRET that changes the
 *       privilege mode to one less privileged than M also sets MPRV = 0.
 *       (QEMU 7.2 leaves MPRV alone.)
 *  7-8  Privileged, mepc/sepc: bit 0 is always zero (IALIGN = 16), so a
 *       value written with bit 0 set reads back with it clear.  (QEMU 7.2
 *       stores the bit and only drops it when jumping.)
 *  9-12 A: an sc.w/sc.d whose address is not naturally aligned raises a
 *       store/AMO address-misaligned exception (cause 6, mtval = the
 *       address) and does not write memory.  (QEMU 7.2 compares the address
 *       with the reservation first and, when they differ, just fails the sc
 *       without trapping.)
 * 13-19 A and privileged: a misaligned AMO raises a store/AMO
 *       address-misaligned exception, cause 6, with mtval = the address, and
 *       leaves memory alone.  (QEMU 7.2 raises cause 4, load
 *       address-misaligned, when it runs one hart; with two or more its
 *       parallel code path uses host atomics and gets cause 6 right.  The
 *       answer should not depend on the number of harts.)
 * 20-22 PLIC: a write to an enable register takes effect at once --
 *       enabling a source that is already pending raises the context's
 *       notification (mip.MEIP), disabling it drops it.  (QEMU 7.2 only
 *       re-evaluates on pending, priority, threshold or claim changes.)
 * 23-25 PLIC, level-triggered gateway: when a claimed interrupt is
 *       completed while its source still asserts the line, a new request
 *       is forwarded: pending again, MEIP again.  (QEMU 7.2 waits for the
 *       device to raise the line anew.)
 * 26-27 A: an SC must fail if another hart has stored to the reservation
 *       set since the LR -- even if it stored the value that was already
 *       there.  (QEMU 7.2 implements SC as a compare-and-swap on the value,
 *       so it succeeds; an emulator built on a host compare-and-swap has the
 *       same "ABA" hole.)  This one needs a second hart, so the program
 *       runs with two; hart 1 does nothing else.
 */
#include "rvtest.h"

	.option norvc

	.text
	.globl test_main
test_main:
	bnez a0, hart1
	/* ---- 1-5: csrrs/csrrc with rs1 != x0 write, even a zero ---- */
	li a1, 0
	li a0, 0x77
	EXPECT_TRAP 1, CAUSE_ILLEGAL, csrrs a0, mhartid, a1
	CHECK_MTVAL_INSN 2
	CHECK_EQI 3, a0, 0x77		/* rd untouched by the trapping instruction */
	EXPECT_TRAP 4, CAUSE_ILLEGAL, csrrc a0, cycle, a1
	CHECK_MTVAL_INSN 5
	/* (rs1 = x0 and uimm = 0 are the forms that do not write: zicsr.S) */

	/* ---- 6: mret to U clears MPRV ---- */
	li t0, MSTATUS_MPRV
	csrs mstatus, t0
	ENTER_U
	LEAVE
	csrr a0, mstatus
	li t0, MSTATUS_MPRV
	and a0, a0, t0
	CHECK_EQ 6, a0, zero

	/* ---- 7-8: mepc[0] and sepc[0] read as zero ---- */
	li a1, RAM_BASE + 0x101
	csrw mepc, a1
	csrr a0, mepc
	CHECK_EQI 7, a0, RAM_BASE + 0x100
	csrw sepc, a1
	csrr a0, sepc
	CHECK_EQI 8, a0, RAM_BASE + 0x100

	/* ---- 9-12: misaligned sc traps ---- */
	la s3, atom
	lr.d a0, (s3)			/* a valid reservation does not help */
	addi s4, s3, 1
	li a2, -1
	EXPECT_TRAP 9, CAUSE_MISALIGNED_STORE, sc.d a1, a2, (s4)
	ld t5, HB_M_TVAL(tp)
	CHECK_EQ 10, t5, s4
	addi s4, s3, 2
	EXPECT_TRAP 11, CAUSE_MISALIGNED_STORE, sc.w a1, a2, (s4)
	ld a0, 0(s3)
	CHECK_EQI 12, a0, 0x1111111111111111

	/* ---- 13-19: misaligned AMOs are store/AMO misaligned ---- */
	addi s4, s3, 1
	EXPECT_TRAP 13, CAUSE_MISALIGNED_STORE, amoadd.w a0, a2, (s4)
	ld t5, HB_M_TVAL(tp)
	CHECK_EQ 14, t5, s4
	addi s4, s3, 4
	EXPECT_TRAP 15, CAUSE_MISALIGNED_STORE, amoswap.d a0, a2, (s4)
	addi s4, s3, 6
	EXPECT_TRAP 16, CAUSE_MISALIGNED_STORE, amomaxu.w a0, a2, (s4)
	addi s4, s3, 3
	EXPECT_TRAP 17, CAUSE_MISALIGNED_STORE, amoor.d a0, a2, (s4)
	ld a0, 0(s3)
	CHECK_EQI 18, a0, 0x1111111111111111
	ld a0, 8(s3)
	CHECK_EQI 19, a0, 0x2222222222222222

	/* ---- 20-22: enable writes take effect at once ---- */
	li s0, UART_BASE
	li s1, PLIC_ENABLE(PLIC_CTX_M(0))
	li s2, PLIC_CLAIM(PLIC_CTX_M(0))
	li t0, 1
	li t1, PLIC_PRIORITY(UART_IRQ)
	sw t0, 0(t1)
	li t1, PLIC_THRESHOLD(PLIC_CTX_M(0))
	sw zero, 0(t1)
	sw zero, 0(s1)
	li t0, 0x02
	sb t0, 1(s0)			/* UART: THR empty interrupt on */
	csrr a0, mip
	li t1, BIT(IRQ_M_EXT)
	and a0, a0, t1
	CHECK_EQ 20, a0, zero		/* pending, but not enabled */
	li t0, BIT(UART_IRQ)
	sw t0, 0(s1)			/* enable, nothing else */
	csrr a0, mip
	li t1, BIT(IRQ_M_EXT)
	and a0, a0, t1
	CHECK_EQ 21, a0, t1
	sw zero, 0(s1)			/* disable, nothing else */
	csrr a0, mip
	and a0, a0, t1
	CHECK_EQ 22, a0, zero

	/* ---- 23-25: completing a still-asserted level source re-pends it ---- */
	li t0, BIT(UART_IRQ)
	sw t0, 0(s1)
	li t1, PLIC_THRESHOLD(PLIC_CTX_M(0))
	sw zero, 0(t1)			/* (makes QEMU look, for the part it does) */
	lw a1, 0(s2)			/* claim */
	CHECK_EQI 23, a1, UART_IRQ
	sw a1, 0(s2)			/* complete; the UART still asks */
	li t0, PLIC_PENDING
	lw a0, 0(t0)
	srli a0, a0, UART_IRQ
	andi a0, a0, 1
	CHECK_EQI 24, a0, 1
	csrr a0, mip
	li t1, BIT(IRQ_M_EXT)
	and a0, a0, t1
	CHECK_EQ 25, a0, t1
	sb zero, 1(s0)			/* quiet again */
	lw a1, 0(s2)
	sw a1, 0(s2)
	sw zero, 0(s1)

	/* ---- 26-27: a store of the same value still ends a reservation ---- */
	la s5, cell
	lr.d t5, (s5)
	SET_FLAG reserved
	WAIT_FLAG 26, stored
	li t1, 7
	sc.d t2, t1, (s5)
	CHECK_NE 27, t2, zero

	PASS

hart1:
	la t4, reserved
1:	lw t3, 0(t4)			/* hart 0 keeps the clock */
	beqz t3, 1b
	fence rw, rw
	la t1, cell
	ld t0, 0(t1)
	sd t0, 0(t1)			/* the same value back */
	SET_FLAG stored
	ret

	.data
	.align 4
atom:	.dword 0x1111111111111111, 0x2222222222222222
	.align 6
cell:	.dword 0x5a5a
reserved:	.word 0
stored:	.word 0
