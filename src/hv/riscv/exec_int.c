/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The integer instructions (RV64I and M) and the loads and stores.
 *
 * Each handler does one instruction's work on the hart's registers and
 * either passes control on to the next instruction of its block
 * (rv_continue) or leaves the block: jumped (RV_JUMPED) or trapped
 * (RV_TRAPPED).  Writes to x0 were pointed at a sink register by the
 * decoder, so no handler checks for it.
 */
#include "ops.h"

#define X   h->x
#define RD  X[i->rd]
#define RS1 X[i->rs1]
#define RS2 X[i->rs2]
#define IMM ((int64_t)i->imm)

#define ALU(name, expr)                                              \
	int rv_op_##name(struct rv_hart *h, const struct rv_insn *i) \
	{                                                            \
		RD = (expr);                                         \
		return rv_continue(h, i);                            \
	}

int rv_op_illegal(struct rv_hart *h, const struct rv_insn *i)
{
	return rv_illegal(h, i);
}

/* The RV64I arithmetic: the bodies in ops.h do the work. */
#define ALU_HANDLER(name, expr)                                      \
	int rv_op_##name(struct rv_hart *h, const struct rv_insn *i) \
	{                                                            \
		rv_body_##name(h, i);                                \
		return rv_continue(h, i);                            \
	}
RV_ALU_OPS(ALU_HANDLER)

/* M: multiply and divide.  Division never traps: the spec defines x/0 and overflow. */
ALU(mul, RS1 *RS2)
ALU(mulh, (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64))
ALU(mulhsu, (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(unsigned __int128)RS2) >> 64))
ALU(mulhu, (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64))
ALU(mulw, sext32(RS1 *RS2))

static inline uint64_t div_signed(int64_t a, int64_t b)
{
	if (b == 0)
		return ~0ull;
	if (a == INT64_MIN && b == -1)
		return (uint64_t)a;
	return (uint64_t)(a / b);
}

static inline uint64_t rem_signed(int64_t a, int64_t b)
{
	if (b == 0)
		return (uint64_t)a;
	if (a == INT64_MIN && b == -1)
		return 0;
	return (uint64_t)(a % b);
}

ALU(div, div_signed((int64_t)RS1, (int64_t)RS2))
ALU(rem, rem_signed((int64_t)RS1, (int64_t)RS2))
ALU(divu, RS2 == 0 ? ~0ull : RS1 / RS2)
ALU(remu, RS2 == 0 ? RS1 : RS1 % RS2)
ALU(divw, sext32(div_signed((int32_t)RS1, (int32_t)RS2)))
ALU(remw, sext32(rem_signed((int32_t)RS1, (int32_t)RS2)))
ALU(divuw, (uint32_t)RS2 == 0 ? ~0ull : sext32((uint32_t)RS1 / (uint32_t)RS2))
ALU(remuw, (uint32_t)RS2 == 0 ? sext32(RS1) : sext32((uint32_t)RS1 % (uint32_t)RS2))

/*
 * Jumps and branches end their block: they always set pc.  jal and the
 * branches leave through the block's doors, which may link straight to
 * the next block; jalr's target is known only at run time, so it always
 * goes back to the run loop.
 */
int rv_op_jal(struct rv_hart *h, const struct rv_insn *i)
{
	uint64_t pc = rv_insn_pc(h, i);
	RD = pc + i->len;
	return rv_leave(h, i, pc + (uint64_t)IMM, RV_DOOR_TARGET);
}

int rv_op_jalr(struct rv_hart *h, const struct rv_insn *i)
{
	uint64_t target = (RS1 + (uint64_t)IMM) & ~1ull;
	RD = rv_next_pc(h, i);
	return rv_jump(h, i, target);
}

#define BRANCH(name, cond)                                                         \
	int rv_op_##name(struct rv_hart *h, const struct rv_insn *i)               \
	{                                                                          \
		uint64_t pc = rv_insn_pc(h, i);                                    \
		if (cond)                                                          \
			return rv_leave(h, i, pc + (uint64_t)IMM, RV_DOOR_TARGET); \
		return rv_leave(h, i, pc + i->len, RV_DOOR_NEXT);                  \
	}

BRANCH(beq, RS1 == RS2)
BRANCH(bne, RS1 != RS2)
BRANCH(blt, (int64_t)RS1 < (int64_t)RS2)
BRANCH(bge, (int64_t)RS1 >= (int64_t)RS2)
BRANCH(bltu, RS1 < RS2)
BRANCH(bgeu, RS1 >= RS2)

/*
 * Loads of every width.  The hit path lives in the handler and ends in a
 * tail call; everything else (a TLB miss, a device register, a fault) is
 * in a separate function, so that no local escapes from the handler and
 * the compiler can still turn its last call into a jump.
 */
#define LOAD(name, size, convert)                                                                 \
	static __attribute__((noinline)) int name##_slow(struct rv_hart *h,                       \
	                                                 const struct rv_insn *i, uint64_t vaddr) \
	{                                                                                         \
		uint64_t v;                                                                       \
		int cause = rv_load_slow(h, vaddr, size, &v);                                     \
		if (unlikely(cause))                                                              \
			return rv_raise(h, i, (unsigned)cause, h->fault_tval);                    \
		RD = (convert);                                                                   \
		return rv_continue(h, i);                                                         \
	}                                                                                         \
	int rv_op_##name(struct rv_hart *h, const struct rv_insn *i)                              \
	{                                                                                         \
		if (unlikely(!rv_body_##name(h, i)))                                              \
			return name##_slow(h, i, RS1 + (uint64_t)IMM);                            \
		return rv_continue(h, i);                                                         \
	}
RV_LOAD_OPS(LOAD)

/*
 * Stores of every width.  The fast path (ops.h) writes RAM that no hart
 * watches and goes on; everything else -- a TLB miss, a device register,
 * a page holding decoded code or a reservation, a fault -- is in a
 * separate function, which afterwards ends the block if the store left a
 * request (stale code, say) in the mailbox.
 */
#define STORE(name, size)                                                         \
	static __attribute__((noinline)) int name##_slow(struct rv_hart *h,       \
	                                                 const struct rv_insn *i) \
	{                                                                         \
		int cause = rv_store_slow(h, RS1 + (uint64_t)IMM, size, RS2);     \
		if (unlikely(cause))                                              \
			return rv_raise(h, i, (unsigned)cause, h->fault_tval);    \
		return rv_after_store(h, i);                                      \
	}                                                                         \
	int rv_op_##name(struct rv_hart *h, const struct rv_insn *i)              \
	{                                                                         \
		if (unlikely(!rv_body_##name(h, i)))                              \
			return name##_slow(h, i);                                 \
		return rv_continue(h, i);                                         \
	}
RV_STORE_OPS(STORE)
