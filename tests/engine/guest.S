/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny guest for the engine's own boot tests: no Linux, just enough to
 * see that the engine put things where it said and wired the devices up.
 *
 * It checks that a1 points at a device tree, writes a line through the
 * 16550 UART (and, when it runs in S-mode under the engine's SBI, another
 * through the SBI console), optionally echoes a line of input, and ends the
 * machine through the sifive,test syscon.  Built in variants:
 *   MMODE        runs as M-mode firmware: every hart starts here
 *   ECHO_UART    reads a line from the UART and writes it back
 *   ECHO_SBI     reads a line with SBI console_getchar and writes it back
 *   EXIT_CODE=n  ends with the syscon's failure code n instead of poweroff
 *   REBOOT       ends by asking for a reboot (and so runs again, forever)
 */
#define UART      0x10000000
#define UART_LSR  5
#define LSR_DR    0x01
#define LSR_THRE  0x20
#define SYSCON    0x100000
#define FDT_MAGIC_LE 0xedfe0dd0 /* 0xd00dfeed, stored big-endian */

	.section .text
	.globl _start
_start:
#ifdef MMODE
	bnez	a0, park		/* a0 = hart id: as firmware, only hart 0 works */
#endif
	/* In S-mode only one hart gets here: whichever the SBI started. */
	lwu	t0, 0(a1)
	li	t1, FDT_MAGIC_LE
	bne	t0, t1, bad_dtb

	la	s0, hello_uart
	call	uart_puts
#ifndef MMODE
	la	s0, hello_sbi
	call	sbi_puts
#endif
#if defined(ECHO_UART) || defined(ECHO_SBI)
	la	s0, got
	call	uart_puts
1:	call	getc
	li	t1, '\n'
	beq	a0, t1, 2f
	mv	s1, a0
	call	uart_putc
	j	1b
2:	li	s1, '\n'
	call	uart_putc
#endif

#if defined(REBOOT)
	li	t1, 0x7777
#elif defined(EXIT_CODE)
	li	t1, (EXIT_CODE << 16) | 0x3333
#else
	li	t1, 0x5555
#endif
	li	t0, SYSCON
	sw	t1, 0(t0)
park:
	wfi
	j	park

bad_dtb:
	li	t1, (99 << 16) | 0x3333
	li	t0, SYSCON
	sw	t1, 0(t0)
	j	park

/* Writes the byte in s1 once the transmitter has room. */
uart_putc:
	li	t0, UART
1:	lbu	t2, UART_LSR(t0)
	andi	t2, t2, LSR_THRE
	beqz	t2, 1b
	sb	s1, 0(t0)
	ret

/* Writes the string at s0 (s0 ends past it). */
uart_puts:
	mv	t3, ra
1:	lbu	s1, 0(s0)
	beqz	s1, 2f
	call	uart_putc
	addi	s0, s0, 1
	j	1b
2:	mv	ra, t3
	ret

#ifndef MMODE
/* The legacy SBI console_putchar (extension 0x01), one byte per call. */
sbi_puts:
1:	lbu	a0, 0(s0)
	beqz	a0, 2f
	li	a7, 1
	ecall
	addi	s0, s0, 1
	j	1b
2:	ret
#endif

/* Waits for one byte of input and returns it in a0. */
getc:
#ifdef ECHO_SBI
1:	li	a7, 2			/* legacy console_getchar: -1 while nothing waits */
	ecall
	bltz	a0, 1b
	ret
#else
	li	t0, UART
1:	lbu	t2, UART_LSR(t0)
	andi	t2, t2, LSR_DR
	beqz	t2, 1b
	lbu	a0, 0(t0)
	ret
#endif

	.section .rodata
hello_uart:
	.asciz	"hello from the UART\n"
hello_sbi:
	.asciz	"hello from the SBI console\n"
got:
	.asciz	"got: "
