/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The work of the commonest instructions -- the RV64I arithmetic, the
 * loads and the stores -- as one inline "body" each, shared by their own
 * handlers (exec_int.c) and by the fused pairs (exec_fused.c).
 *
 * A body does its instruction's work and returns true, or does nothing
 * at all and returns false when it cannot finish on the fast path (a TLB
 * miss, a device register, a watched page).  The caller then hands the
 * instruction to its ordinary handler, which knows the slow way.  The
 * jumps and branches have bodies too, that always say false: for them the
 * ordinary handler is the only way.
 */
#ifndef KENNEL_HV_RISCV_OPS_H
#define KENNEL_HV_RISCV_OPS_H

#include "exec.h"

/* Sign-extend the low 32 bits of a result, as every W instruction does. */
static inline uint64_t sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)v;
}

#define RV_BODY static inline __attribute__((always_inline)) bool

/* Operands of the instruction `i` of hart `h`. */
#define RV_RD  h->x[i->rd]
#define RV_RS1 h->x[i->rs1]
#define RV_RS2 h->x[i->rs2]
#define RV_IMM ((int64_t)i->imm)

/* The register-only instructions: name and the value they write to rd. */
// clang-format off
#define RV_ALU_OPS(X) \
	X(lui, (uint64_t)RV_IMM) \
	X(auipc, rv_insn_pc(h, i) + (uint64_t)RV_IMM) \
	X(li, (uint64_t)RV_IMM) \
	X(mv, RV_RS2) \
	X(addi, RV_RS1 + (uint64_t)RV_IMM) \
	X(slti, (int64_t)RV_RS1 < RV_IMM) \
	X(sltiu, RV_RS1 < (uint64_t)RV_IMM) \
	X(xori, RV_RS1 ^ (uint64_t)RV_IMM) \
	X(ori, RV_RS1 | (uint64_t)RV_IMM) \
	X(andi, RV_RS1 & (uint64_t)RV_IMM) \
	X(slli, RV_RS1 << i->imm) \
	X(srli, RV_RS1 >> i->imm) \
	X(srai, (uint64_t)((int64_t)RV_RS1 >> i->imm)) \
	X(addiw, sext32(RV_RS1 + (uint64_t)RV_IMM)) \
	X(slliw, sext32((uint32_t)RV_RS1 << i->imm)) \
	X(srliw, sext32((uint32_t)RV_RS1 >> i->imm)) \
	X(sraiw, sext32((uint32_t)((int32_t)RV_RS1 >> i->imm))) \
	X(add, RV_RS1 + RV_RS2) \
	X(sub, RV_RS1 - RV_RS2) \
	X(sll, RV_RS1 << (RV_RS2 & 63)) \
	X(slt, (int64_t)RV_RS1 < (int64_t)RV_RS2) \
	X(sltu, RV_RS1 < RV_RS2) \
	X(xor, RV_RS1 ^ RV_RS2) \
	X(srl, RV_RS1 >> (RV_RS2 & 63)) \
	X(sra, (uint64_t)((int64_t)RV_RS1 >> (RV_RS2 & 63))) \
	X(or, RV_RS1 | RV_RS2) \
	X(and, RV_RS1 & RV_RS2) \
	X(addw, sext32(RV_RS1 + RV_RS2)) \
	X(subw, sext32(RV_RS1 - RV_RS2)) \
	X(sllw, sext32((uint32_t)RV_RS1 << (RV_RS2 & 31))) \
	X(srlw, sext32((uint32_t)RV_RS1 >> (RV_RS2 & 31))) \
	X(sraw, sext32((uint32_t)((int32_t)RV_RS1 >> (RV_RS2 & 31))))

/* The loads: name, size, and how the bytes read become rd. */
#define RV_LOAD_OPS(X) \
	X(lb, 1, (uint64_t)(int64_t)(int8_t)v) \
	X(lh, 2, (uint64_t)(int64_t)(int16_t)v) \
	X(lw, 4, (uint64_t)(int64_t)(int32_t)v) \
	X(ld, 8, v) \
	X(lbu, 1, v) \
	X(lhu, 2, v) \
	X(lwu, 4, v)

/* The stores: name and size. */
#define RV_STORE_OPS(X) X(sb, 1) X(sh, 2) X(sw, 4) X(sd, 8)

/* The instructions that leave the block. */
#define RV_JUMP_OPS(X) X(jal) X(jalr) X(beq) X(bne) X(blt) X(bge) X(bltu) X(bgeu)
// clang-format on

#define RV_ALU_BODY(name, expr)                                            \
	RV_BODY rv_body_##name(struct rv_hart *h, const struct rv_insn *i) \
	{                                                                  \
		RV_RD = (expr);                                            \
		return true;                                               \
	}
RV_ALU_OPS(RV_ALU_BODY)
#undef RV_ALU_BODY

/* A load that hits the TLB and stays in its page reads host memory directly. */
#define RV_LOAD_BODY(name, size, convert)                                            \
	RV_BODY rv_body_##name(struct rv_hart *h, const struct rv_insn *i)           \
	{                                                                            \
		const uint8_t *p = rv_load_host(h, RV_RS1 + (uint64_t)RV_IMM, size); \
		if (unlikely(!p))                                                    \
			return false;                                                \
		uint64_t v = 0;                                                      \
		memcpy(&v, p, size);                                                 \
		RV_RD = (convert);                                                   \
		return true;                                                         \
	}
RV_LOAD_OPS(RV_LOAD_BODY)
#undef RV_LOAD_BODY

/*
 * A store that hits the TLB, stays in its page, and lands in a page that
 * no hart watches.  Such a store cannot make decoded code stale or break
 * a reservation, so nothing else need happen after it.
 */
static inline __attribute__((always_inline)) bool rv_store_fast(struct rv_hart *h, uint64_t vaddr,
                                                                unsigned size, uint64_t value)
{
	struct rv_tlb_entry *e = rv_tlb_entry(h, h->data_regime, RV_ACCESS_STORE, vaddr);
	if (likely(e->vpn == vaddr >> 12 && rv_within_page(vaddr, size))) {
		uint8_t *p = (uint8_t *)(uintptr_t)(vaddr + e->addend);
		uint64_t page = (uint64_t)(p - h->vm->ram) >> 12;
		if (likely(!atomic_load_explicit(&h->vm->page_watch[page], memory_order_relaxed))) {
			memcpy(p, &value, size);
			return true;
		}
	}
	return false;
}

#define RV_STORE_BODY(name, size)                                                 \
	RV_BODY rv_body_##name(struct rv_hart *h, const struct rv_insn *i)        \
	{                                                                         \
		return rv_store_fast(h, RV_RS1 + (uint64_t)RV_IMM, size, RV_RS2); \
	}
RV_STORE_OPS(RV_STORE_BODY)
#undef RV_STORE_BODY

#define RV_JUMP_BODY(name)                                                 \
	RV_BODY rv_body_##name(struct rv_hart *h, const struct rv_insn *i) \
	{                                                                  \
		return false;                                              \
	}
RV_JUMP_OPS(RV_JUMP_BODY)
#undef RV_JUMP_BODY

/* exec_fused.c: give pairs of neighbouring instructions one handler. */
void rv_fuse_block(struct rv_insn *insns, unsigned count);

#endif
