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
#include "exec.h"

#define X   h->x
#define RD  X[i->rd]
#define RS1 X[i->rs1]
#define RS2 X[i->rs2]
#define IMM ((int64_t)i->imm)

/* Sign-extend the low 32 bits of a result, as every W instruction does. */
static inline uint64_t sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)v;
}

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

ALU(lui, (uint64_t)IMM)
ALU(auipc, rv_insn_pc(h, i) + (uint64_t)IMM)
ALU(li, (uint64_t)IMM)
ALU(mv, RS2)
ALU(addi, RS1 + (uint64_t)IMM)
ALU(slti, (int64_t)RS1 < IMM)
ALU(sltiu, RS1 < (uint64_t)IMM)
ALU(xori, RS1 ^ (uint64_t)IMM)
ALU(ori, RS1 | (uint64_t)IMM)
ALU(andi, RS1 &(uint64_t)IMM)
ALU(slli, RS1 << i->imm)
ALU(srli, RS1 >> i->imm)
ALU(srai, (uint64_t)((int64_t)RS1 >> i->imm))
ALU(addiw, sext32(RS1 + (uint64_t)IMM))
ALU(slliw, sext32((uint32_t)RS1 << i->imm))
ALU(srliw, sext32((uint32_t)RS1 >> i->imm))
ALU(sraiw, sext32((uint32_t)((int32_t)RS1 >> i->imm)))
ALU(add, RS1 + RS2)
ALU(sub, RS1 - RS2)
ALU(sll, RS1 << (RS2 & 63))
ALU(slt, (int64_t)RS1 < (int64_t)RS2)
ALU(sltu, RS1 < RS2)
ALU(xor, RS1 ^ RS2)
ALU(srl, RS1 >> (RS2 & 63))
ALU(sra, (uint64_t)((int64_t)RS1 >> (RS2 & 63)))
ALU(or, RS1 | RS2)
ALU(and, RS1 &RS2)
ALU(addw, sext32(RS1 + RS2))
ALU(subw, sext32(RS1 - RS2))
ALU(sllw, sext32((uint32_t)RS1 << (RS2 & 31)))
ALU(srlw, sext32((uint32_t)RS1 >> (RS2 & 31)))
ALU(sraw, sext32((uint32_t)((int32_t)RS1 >> (RS2 & 31))))

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
		uint64_t vaddr = RS1 + (uint64_t)IMM;                                             \
		const uint8_t *p = rv_load_host(h, vaddr, size);                                  \
		if (unlikely(!p))                                                                 \
			return name##_slow(h, i, vaddr);                                          \
		uint64_t v = 0;                                                                   \
		memcpy(&v, p, size);                                                              \
		RD = (convert);                                                                   \
		return rv_continue(h, i);                                                         \
	}

LOAD(lb, 1, (uint64_t)(int64_t)(int8_t)v)
LOAD(lh, 2, (uint64_t)(int64_t)(int16_t)v)
LOAD(lw, 4, (uint64_t)(int64_t)(int32_t)v)
LOAD(ld, 8, v)
LOAD(lbu, 1, v)
LOAD(lhu, 2, v)
LOAD(lwu, 4, v)

/* Stores of every width: a failed access raises its cause with the address. */

#define STORE(name, size)                                                      \
	int rv_op_##name(struct rv_hart *h, const struct rv_insn *i)           \
	{                                                                      \
		int cause = rv_store(h, RS1 + (uint64_t)IMM, size, RS2);       \
		if (unlikely(cause))                                           \
			return rv_raise(h, i, (unsigned)cause, h->fault_tval); \
		return rv_after_store(h, i);                                   \
	}

STORE(sb, 1)
STORE(sh, 2)
STORE(sw, 4)
STORE(sd, 8)
