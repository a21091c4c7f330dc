/*
 * A tiny M-mode program for the hv unit tests.  The test loads it at
 * 0x8000_0000 and picks a scenario with a2; a1 carries the hart count.
 * It reports through the test's own MMIO device at 0x0020_0000:
 * a store to +0 records a result and ends the VM, a store to +8 says
 * "ready", and +0x100 is where the ioeventfd sits.
 */
#define RESULT 0x00200000
#define PLIC   0x0c000000
#define CLINT  0x02000000

	.section .text
	.globl _start
_start:
	li	t6, RESULT
	li	t0, 0
	beq	a2, t0, sum
	li	t0, 1
	beq	a2, t0, spin
	li	t0, 2
	beq	a2, t0, notify
	li	t0, 3
	beq	a2, t0, external
	li	t0, 4
	beq	a2, t0, timer
	li	t0, 5
	beq	a2, t0, amo_counter
	li	t0, 6
	beq	a2, t0, lrsc_counter
	li	t0, 7
	beq	a2, t0, idle
	li	t0, 8
	beq	a2, t0, mip_rmw
	j	.

/* 0: 1 + 2 + ... + 1000 = 500500 */
sum:
	li	t0, 0
	li	t1, 1000
1:	add	t0, t0, t1
	addi	t1, t1, -1
	bnez	t1, 1b
	sd	t0, 0(t6)
	j	.

/* 1: count forever (for pause/resume) */
spin:
	addi	t0, t0, 1
	j	spin

/* 2: two matching stores go to the ioeventfd, a third value to the device */
notify:
	addi	t0, t6, 0x100
	li	t1, 7
	sw	t1, 0(t0)
	sw	t1, 0(t0)
	li	t1, 9
	sw	t1, 0(t0)
	j	.

/* 3: an external interrupt from PLIC source 5, claimed and reported */
external:
	li	t0, PLIC
	li	t1, 1
	sw	t1, 20(t0)		/* priority[5] = 1 */
	li	t0, PLIC + 0x2000
	li	t1, 0x20
	sw	t1, 0(t0)		/* context 0 enables source 5 */
	li	t0, PLIC + 0x200000
	sw	zero, 0(t0)		/* threshold 0 */
	lla	t0, external_trap
	csrw	mtvec, t0
	li	t0, 0x800
	csrw	mie, t0			/* MEIE */
	csrsi	mstatus, 8		/* MIE */
	sd	zero, 8(t6)		/* ready */
1:	wfi
	j	1b
	.balign 4
external_trap:
	li	t0, PLIC + 0x200004
	lw	t1, 0(t0)		/* claim */
	sd	t1, 0(t6)
	j	.

/* 4: a machine timer interrupt 2 ms from now; report mcause */
timer:
	lla	t0, timer_trap
	csrw	mtvec, t0
	li	t0, CLINT + 0xbff8
	ld	t1, 0(t0)
	li	t2, 20000
	add	t1, t1, t2
	li	t0, CLINT + 0x4000
	sd	t1, 0(t0)
	li	t0, 0x80
	csrw	mie, t0			/* MTIE */
	csrsi	mstatus, 8
1:	wfi
	j	1b
	.balign 4
timer_trap:
	csrr	t1, mcause
	sd	t1, 0(t6)
	j	.

/* 5: every hart adds 1 to a shared counter 100000 times with amoadd; hart 0 reports */
amo_counter:
	lla	t0, counter
	li	t1, 100000
	li	t2, 1
1:	amoadd.d zero, t2, (t0)
	addi	t1, t1, -1
	bnez	t1, 1b
	j	counted

/* 6: the same with an LR/SC loop */
lrsc_counter:
	lla	t0, counter
	li	t1, 100000
1:	lr.d	t2, (t0)
	addi	t2, t2, 1
	sc.d	t3, t2, (t0)
	bnez	t3, 1b
	addi	t1, t1, -1
	bnez	t1, 1b
	j	counted

counted:
	lla	t0, done
	li	t2, 1
	amoadd.d zero, t2, (t0)
	bnez	a0, 3f
2:	ld	t1, 0(t0)
	bne	t1, a1, 2b
	lla	t0, counter
	ld	t1, 0(t0)
	sd	t1, 0(t6)
3:	wfi
	j	3b

/* 7: sleep in WFI with nothing enabled: the thread must sleep */
idle:
	wfi
	j	idle

/*
 * 8: a csrs on mip while the PLIC drives SEIP must not latch SEIP into
 * the software-writable bit: once the line drops, SEIP reads 0 again.
 */
mip_rmw:
	li	t0, PLIC
	li	t1, 1
	sw	t1, 20(t0)		/* priority[5] = 1 */
	li	t0, PLIC + 0x2080
	li	t1, 0x20
	sw	t1, 0(t0)		/* context 1 (S-mode) enables source 5 */
	sd	zero, 8(t6)		/* ready: raise the line */
	li	t2, 0x200
1:	csrr	t1, mip
	and	t1, t1, t2
	beqz	t1, 1b			/* wait until SEIP shows */
	csrsi	mip, 0			/* no-op form must not write either */
	li	t1, 0x20
	csrs	mip, t1			/* set STIP: a read-modify-write of mip */
	sd	zero, 16(t6)		/* ready: drop the line */
	li	t0, PLIC + 0x1000
2:	lw	t1, 0(t0)
	andi	t1, t1, 0x20
	bnez	t1, 2b			/* wait until source 5 is no longer pending */
	csrr	t1, mip
	and	t1, t1, t2
	sd	t1, 0(t6)		/* report SEIP: must be 0 */
	j	.

	/* The shared words live on their own page, away from the code. */
	.balign 4096
counter: .dword 0
done:	.dword 0
