/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fused pairs: one handler for two neighbouring instructions.
 *
 * Most of what an instruction handler costs is not its work (an add is
 * one host instruction) but getting there: loading the next handler's
 * address and jumping to it, an indirect jump the host has to predict.
 * Real code is made of a few common instructions in every combination
 * (sha256's rounds are srliw, slliw, or, xor, addw; gzip's loops lbu,
 * add, slli, lw, sh), so when a block is decoded, each pair of
 * neighbours drawn from the common ones is given one handler that does
 * both bodies and then jumps once, to the instruction after the pair.
 *
 * Nothing else changes: the second instruction keeps its own decoded
 * operands and its own handler, which is what makes the slow paths
 * simple.  If the first body cannot finish on its fast path, the pair
 * hands over to the first instruction's ordinary handler, which does it
 * the slow way and goes on to the second as if nothing were fused; if the
 * second cannot, the first has retired and the second's ordinary handler
 * takes over.  A jump or branch as the second of a pair is always left
 * to its own handler, but reached by a direct jump instead of an indirect
 * one.  Blocks are only ever entered at their first instruction, so no
 * one ever lands in the middle of a pair.
 */
#include "ops.h"

// clang-format off
/* Which instructions may be the first of a pair... */
#define FUSE_FIRST(X) \
	X(lui) X(auipc) X(li) X(mv) X(addi) X(xori) X(andi) X(slli) X(srli) X(addiw) \
	X(slliw) X(srliw) X(add) X(sub) X(sll) X(xor) X(srl) X(or) X(and) X(addw) X(subw) \
	X(lbu) X(lhu) X(lw) X(lwu) X(ld) X(sb) X(sh) X(sw) X(sd)
/* ...and which the second: the same, and the jumps and branches. */
#define FUSE_SECOND(X, a) \
	X(a, lui) X(a, auipc) X(a, li) X(a, mv) X(a, addi) X(a, xori) X(a, andi) X(a, slli) \
	X(a, srli) X(a, addiw) X(a, slliw) X(a, srliw) X(a, add) X(a, sub) X(a, sll) X(a, xor) \
	X(a, srl) X(a, or) X(a, and) X(a, addw) X(a, subw) X(a, lbu) X(a, lhu) X(a, lw) X(a, lwu) \
	X(a, ld) X(a, sb) X(a, sh) X(a, sw) X(a, sd) X(a, jal) X(a, jalr) X(a, beq) X(a, bne) \
	X(a, blt) X(a, bge) X(a, bltu) X(a, bgeu)
// clang-format on

#define FUSED_HANDLER(a, b)                                                    \
	static int fused_##a##_##b(struct rv_hart *h, const struct rv_insn *i) \
	{                                                                      \
		if (unlikely(!rv_body_##a(h, i)))                              \
			return rv_op_##a(h, i);                                \
		if (!rv_body_##b(h, i + 1))                                    \
			return rv_op_##b(h, i + 1);                            \
		return rv_continue(h, i + 1);                                  \
	}
#define FUSED_ROW(a) FUSE_SECOND(FUSED_HANDLER, a)
FUSE_FIRST(FUSED_ROW)

/* The table the decoder looks in: fused[first][second]. */
#define FIRST_FN(a)     rv_op_##a,
#define SECOND_FN(a, b) rv_op_##b,
#define CELL(a, b)      fused_##a##_##b,
#define TABLE_ROW(a)    {FUSE_SECOND(CELL, a)},
static const rv_exec_fn firsts[] = {FUSE_FIRST(FIRST_FN)};
static const rv_exec_fn seconds[] = {FUSE_SECOND(SECOND_FN, _)};
#define N_FIRST  (sizeof(firsts) / sizeof(firsts[0]))
#define N_SECOND (sizeof(seconds) / sizeof(seconds[0]))
static const rv_exec_fn fused[N_FIRST][N_SECOND] = {FUSE_FIRST(TABLE_ROW)};

static int index_of(const rv_exec_fn *fns, unsigned n, rv_exec_fn fn)
{
	for (unsigned k = 0; k < n; k++)
		if (fns[k] == fn)
			return (int)k;
	return -1;
}

/*
 * Pair the instructions of a freshly decoded block from the front: each
 * pair found gets the fused handler in its first instruction, and the
 * search goes on after its second.
 */
void rv_fuse_block(struct rv_insn *insns, unsigned count)
{
	for (unsigned k = 0; k + 1 < count;) {
		int a = index_of(firsts, N_FIRST, insns[k].exec);
		int b = a < 0 ? -1 : index_of(seconds, N_SECOND, insns[k + 1].exec);
		if (b < 0) {
			k++;
			continue;
		}
		insns[k].exec = fused[a][b];
		k += 2;
	}
}
