/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paging_probes: one-instruction probes for paging.c, called through
 * run_in() (S-mode copies, in .text) or run_in_user() (U-mode copies, in
 * the .usertext page that the page tables map for U).  None of them touch
 * the stack, which U-mode cannot reach.  When the access faults, the
 * harness skips the instruction (or, for a fetch, resumes at ra) and the
 * probe returns its first argument unchanged.
 *
 * exec_page is a page of code mapped at test addresses with various
 * permissions: executing it returns 0x42.
 */
#include "rvtest.h"

.macro PROBES suffix
	.globl probe_ld\suffix
probe_ld\suffix:			/* (va) -> *va */
	ld a0, 0(a0)
	ret
	.globl probe_sd\suffix
probe_sd\suffix:			/* (va, value) -> 0 */
	sd a1, 0(a0)
	li a0, 0
	ret
	.globl probe_exec\suffix
probe_exec\suffix:			/* (va) -> what the code at va returns */
	mv t1, ra
	jalr ra, 0(a0)
	mv ra, t1
	ret
.endm

	.text
	PROBES _s
	.globl probe_sfence_s
probe_sfence_s:				/* (va): sfence.vma for va, from S */
	sfence.vma a0, zero
	li a0, 0
	ret

	.section .usertext, "ax"
	PROBES _u

	.text
	.align 12
	.globl exec_page
exec_page:
	li a0, 0x42
	ret
	.align 12
