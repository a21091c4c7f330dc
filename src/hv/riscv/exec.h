/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What instruction handlers share: the list of handlers (for the
 * decoder), and the inline fast paths for memory that every load and
 * store takes first.
 */
#ifndef KENNEL_HV_RISCV_EXEC_H
#define KENNEL_HV_RISCV_EXEC_H

#include <stddef.h>
#include <string.h>

#include "hart.h"
#include "vm.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Every instruction handler, by name: rv_op_<name>. */
// clang-format off
#define RV_INT_OPS(X) \
	X(illegal) X(lui) X(auipc) X(jal) X(jalr) X(beq) X(bne) X(blt) X(bge) X(bltu) \
	X(bgeu) X(lb) X(lh) X(lw) X(ld) X(lbu) X(lhu) X(lwu) X(sb) X(sh) X(sw) X(sd) \
	X(addi) X(slti) X(sltiu) X(xori) X(ori) X(andi) X(slli) X(srli) X(srai) X(addiw) \
	X(slliw) X(srliw) X(sraiw) X(add) X(sub) X(sll) X(slt) X(sltu) X(xor) X(srl) X(sra) \
	X(or) X(and) X(addw) X(subw) X(sllw) X(srlw) X(sraw) X(mul) X(mulh) X(mulhsu) \
	X(mulhu) X(div) X(divu) X(rem) X(remu) X(mulw) X(divw) X(divuw) X(remw) X(remuw) \
	X(mv) X(li)
#define RV_SYSTEM_OPS(X) \
	X(fence) X(fence_i) X(ecall) X(ebreak) X(sret) X(mret) X(wfi) X(sfence_vma) \
	X(csrrw) X(csrrs) X(csrrc) X(csrrwi) X(csrrsi) X(csrrci) X(lr_w) X(lr_d) X(sc_w) \
	X(sc_d) X(amo_w) X(amo_d)
#define RV_FP_OPS(X) \
	X(flw) X(fld) X(fsw) X(fsd) X(fmadd_s) X(fmadd_d) X(fadd_s) X(fadd_d) X(fsub_s) \
	X(fsub_d) X(fmul_s) X(fmul_d) X(fdiv_s) X(fdiv_d) X(fsqrt_s) X(fsqrt_d) X(fsgnj_s) \
	X(fsgnj_d) X(fminmax_s) X(fminmax_d) X(fcvt_s_d) X(fcvt_d_s) X(fcmp_s) X(fcmp_d) \
	X(fcvt_int_s) X(fcvt_int_d) X(fcvt_s_int) X(fcvt_d_int) X(fmv_x_w) X(fclass_s) \
	X(fmv_x_d) X(fclass_d) X(fmv_w_x) X(fmv_d_x)
// clang-format on

#define RV_DECLARE_OP(name) int rv_op_##name(struct rv_hart *h, const struct rv_insn *i);
RV_INT_OPS(RV_DECLARE_OP)
RV_SYSTEM_OPS(RV_DECLARE_OP)
RV_FP_OPS(RV_DECLARE_OP)
#undef RV_DECLARE_OP

/* AMO operations, kept in rv_insn.rm. */
enum {
	RV_AMO_ADD,
	RV_AMO_SWAP,
	RV_AMO_XOR,
	RV_AMO_AND,
	RV_AMO_OR,
	RV_AMO_MIN,
	RV_AMO_MAX,
	RV_AMO_MINU,
	RV_AMO_MAXU
};

static inline uint64_t rv_insn_pc(const struct rv_hart *h, const struct rv_insn *i)
{
	return h->block_pc + i->pc_offset;
}

static inline uint64_t rv_next_pc(const struct rv_hart *h, const struct rv_insn *i)
{
	return h->block_pc + i->pc_offset + i->len;
}

/*
 * An empty asm that says "this pointer is in a register now".  Before a
 * dispatch it makes gcc advance the instruction pointer in place and jump
 * through memory (add $24, %rsi; jmp *(%rsi)) instead of computing it
 * twice and moving it (lea; mov; mov; jmp): two host instructions fewer
 * on every instruction the guest runs.
 */
#define rv_dispatch_hint(p) __asm__("" : "+r"(p))

/*
 * Go on with the next instruction of the block: call its handler as a
 * tail call, so the compiler turns it into one indirect jump (each
 * handler has its own, which the host predicts well).  A block holds at
 * most RV_BLOCK_MAX_INSNS + 1 instructions, so even without tail calls
 * (a debug build) the stack stays shallow.
 */
static inline int rv_continue(struct rv_hart *h, const struct rv_insn *i)
{
	const struct rv_insn *next = i + 1;
	rv_dispatch_hint(next);
	return next->exec(h, next);
}

/* Leave the block: the instruction retired and execution goes on at `target`. */
static inline int rv_jump(struct rv_hart *h, const struct rv_insn *i, uint64_t target)
{
	h->pc = target;
	h->retired_until = i + 1;
	return RV_JUMPED;
}

/* The block whose instructions are running. */
static inline struct rv_block *rv_running_block(const struct rv_hart *h)
{
	return (struct rv_block *)((uintptr_t)h->block_insns - offsetof(struct rv_block, insns));
}

/*
 * Leave the block through one of its doors (RV_DOOR_*) to `target`: `i`
 * is the block's last instruction or its end marker, and every
 * instruction of the block retired.
 *
 * If the door is linked to the next block, and nobody needs the run
 * loop -- no request in the mailbox, the timers not due -- go straight
 * on into that block, as a tail call like any other handler.  Otherwise
 * return to the run loop; if the door could be linked, say which, and
 * the run loop links it to the block it finds for `target`.
 */
static inline int rv_leave(struct rv_hart *h, const struct rv_insn *i, uint64_t target,
                           unsigned door)
{
	struct rv_block *b = rv_running_block(h);
	struct rv_block *next = b->next[door];
	uint64_t retired = h->retired + b->count;
	/*
	 * check_interrupts need not be looked at: only the run loop, traps,
	 * xRET, CSR instructions and WFI set it, and all of them go back to
	 * the run loop rather than through a door.
	 */
	if (likely(next != NULL && retired < h->poll_at &&
	           !atomic_load_explicit(&h->requests, memory_order_relaxed))) {
		h->retired = retired;
		h->block_pc = target;
		const struct rv_insn *first = next->insns;
		h->block_insns = first;
		rv_dispatch_hint(first);
		return first->exec(h, first);
	}
	if (!next && (b->linkable >> door & 1)) {
		h->link_block = b;
		h->link_door = (uint8_t)door;
	}
	h->pc = target;
	h->retired_until = b->insns + b->count;
	return RV_JUMPED;
}

/* The instruction raises an exception: it does not retire, the trap handler runs next. */
static inline int rv_raise(struct rv_hart *h, const struct rv_insn *i, unsigned cause,
                           uint64_t tval)
{
	h->pc = rv_insn_pc(h, i);
	h->retired_until = i;
	rv_take_trap(h, cause, tval, false);
	return RV_TRAPPED;
}

static inline int rv_illegal(struct rv_hart *h, const struct rv_insn *i)
{
	return rv_raise(h, i, RV_EXC_ILLEGAL_INSN, i->bits);
}

static inline bool rv_within_page(uint64_t vaddr, unsigned size)
{
	return (vaddr & 0xfff) <= 0x1000 - size;
}

/* The host address of a load that hits the TLB and stays in its page, or NULL. */
static inline const uint8_t *rv_load_host(struct rv_hart *h, uint64_t vaddr, unsigned size)
{
	struct rv_tlb_entry *e = rv_tlb_entry(h, h->data_regime, RV_ACCESS_LOAD, vaddr);
	if (likely(e->vpn == vaddr >> 12 && rv_within_page(vaddr, size)))
		return (const uint8_t *)(uintptr_t)(vaddr + e->addend);
	return NULL;
}

/*
 * Loads: a TLB hit reads host memory directly (x86 allows unaligned
 * reads, which is how misaligned guest loads complete "in hardware").
 * Returns 0 or an exception cause; the faulting address is in fault_tval.
 */
static inline int rv_load(struct rv_hart *h, uint64_t vaddr, unsigned size, uint64_t *value)
{
	struct rv_tlb_entry *e = rv_tlb_entry(h, h->data_regime, RV_ACCESS_LOAD, vaddr);
	if (likely(e->vpn == vaddr >> 12 && rv_within_page(vaddr, size))) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)(vaddr + e->addend);
		uint64_t v = 0;
		memcpy(&v, p, size);
		*value = v;
		return 0;
	}
	return rv_load_slow(h, vaddr, size, value);
}

/*
 * Stores: the fast path also checks that no hart watches the page (for
 * decoded code or an LR reservation); if one does, the slow path tells it
 * before writing.
 */
static inline int rv_store(struct rv_hart *h, uint64_t vaddr, unsigned size, uint64_t value)
{
	struct rv_tlb_entry *e = rv_tlb_entry(h, h->data_regime, RV_ACCESS_STORE, vaddr);
	if (likely(e->vpn == vaddr >> 12 && rv_within_page(vaddr, size))) {
		uint8_t *p = (uint8_t *)(uintptr_t)(vaddr + e->addend);
		uint64_t page = (uint64_t)(p - h->vm->ram) >> 12;
		if (likely(!atomic_load_explicit(&h->vm->page_watch[page], memory_order_relaxed))) {
			memcpy(p, &value, size);
			return 0;
		}
	}
	return rv_store_slow(h, vaddr, size, value);
}

/* After a store, a pending request (the store made code stale, a kick) ends the block. */
static inline int rv_after_store(struct rv_hart *h, const struct rv_insn *i)
{
	if (atomic_load_explicit(&h->requests, memory_order_relaxed))
		return rv_jump(h, i, rv_next_pc(h, i));
	return rv_continue(h, i);
}

#endif
