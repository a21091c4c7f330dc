/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The F and D instructions.  The arithmetic itself lives in fpu.c; this
 * file moves values between registers and memory, resolves the rounding
 * mode, accrues the exception flags and keeps mstatus.FS honest: with FS
 * Off every F/D instruction is illegal, and any that changes FP state
 * makes it Dirty.
 */
#include "exec.h"
#include "fpu.h"

#define X h->x
#define F h->f

static inline bool fp_enabled(const struct rv_hart *h)
{
	return (h->mstatus & RV_MSTATUS_FS) != 0;
}

static inline void fp_dirty(struct rv_hart *h)
{
	h->mstatus |= RV_MSTATUS_FS | RV_MSTATUS_SD;
}

/* The rounding mode an instruction asks for, or -1 if that is reserved. */
static inline int rounding_mode(const struct rv_hart *h, const struct rv_insn *i)
{
	unsigned rm = i->rm == RV_RM_DYN ? h->frm : i->rm;
	return rm <= RV_RM_RMM ? (int)rm : -1;
}

/* Common prologue/epilogue of an arithmetic instruction. */
#define FP_BEGIN_RM                      \
	if (!fp_enabled(h))              \
		return rv_illegal(h, i); \
	int rm = rounding_mode(h, i);    \
	if (rm < 0)                      \
		return rv_illegal(h, i); \
	unsigned flags = 0
#define FP_BEGIN                         \
	if (!fp_enabled(h))              \
		return rv_illegal(h, i); \
	unsigned flags = 0
#define FP_END              \
	h->fflags |= flags; \
	fp_dirty(h);        \
	return rv_continue(h, i)

#define S(r) rv_f32_unbox(F[r])

int rv_op_flw(struct rv_hart *h, const struct rv_insn *i)
{
	uint64_t v;
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	int cause = rv_load(h, X[i->rs1] + (uint64_t)(int64_t)i->imm, 4, &v);
	if (cause)
		return rv_raise(h, i, (unsigned)cause, h->fault_tval);
	F[i->rd] = rv_f32_box((uint32_t)v);
	fp_dirty(h);
	return rv_continue(h, i);
}

int rv_op_fld(struct rv_hart *h, const struct rv_insn *i)
{
	uint64_t v;
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	int cause = rv_load(h, X[i->rs1] + (uint64_t)(int64_t)i->imm, 8, &v);
	if (cause)
		return rv_raise(h, i, (unsigned)cause, h->fault_tval);
	F[i->rd] = v;
	fp_dirty(h);
	return rv_continue(h, i);
}

static int fp_store(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	int cause = rv_store(h, X[i->rs1] + (uint64_t)(int64_t)i->imm, size, F[i->rs2]);
	if (cause)
		return rv_raise(h, i, (unsigned)cause, h->fault_tval);
	return rv_after_store(h, i);
}

int rv_op_fsw(struct rv_hart *h, const struct rv_insn *i)
{
	return fp_store(h, i, 4);
}

int rv_op_fsd(struct rv_hart *h, const struct rv_insn *i)
{
	return fp_store(h, i, 8);
}

/* imm: 0 fmadd, 1 fmsub, 2 fnmsub, 3 fnmadd */
int rv_op_fmadd_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	bool neg_product = i->imm >= 2, neg_addend = i->imm == 1 || i->imm == 3;
	F[i->rd] = rv_f32_box(rv_f32_fma(S(i->rs1), S(i->rs2), S(i->rs3), neg_product, neg_addend,
	                                 (unsigned)rm, &flags));
	FP_END;
}

int rv_op_fmadd_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	bool neg_product = i->imm >= 2, neg_addend = i->imm == 1 || i->imm == 3;
	F[i->rd] = rv_f64_fma(F[i->rs1], F[i->rs2], F[i->rs3], neg_product, neg_addend,
	                      (unsigned)rm, &flags);
	FP_END;
}

#define FP_BINARY(name, fn32, fn64)                                                      \
	int rv_op_##name##_s(struct rv_hart *h, const struct rv_insn *i)                 \
	{                                                                                \
		FP_BEGIN_RM;                                                             \
		F[i->rd] = rv_f32_box(fn32(S(i->rs1), S(i->rs2), (unsigned)rm, &flags)); \
		FP_END;                                                                  \
	}                                                                                \
	int rv_op_##name##_d(struct rv_hart *h, const struct rv_insn *i)                 \
	{                                                                                \
		FP_BEGIN_RM;                                                             \
		F[i->rd] = fn64(F[i->rs1], F[i->rs2], (unsigned)rm, &flags);             \
		FP_END;                                                                  \
	}

FP_BINARY(fadd, rv_f32_add, rv_f64_add)
FP_BINARY(fsub, rv_f32_sub, rv_f64_sub)
FP_BINARY(fmul, rv_f32_mul, rv_f64_mul)
FP_BINARY(fdiv, rv_f32_div, rv_f64_div)

int rv_op_fsqrt_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	F[i->rd] = rv_f32_box(rv_f32_sqrt(S(i->rs1), (unsigned)rm, &flags));
	FP_END;
}

int rv_op_fsqrt_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	F[i->rd] = rv_f64_sqrt(F[i->rs1], (unsigned)rm, &flags);
	FP_END;
}

/* Sign injection: rm 0 takes rs2's sign, 1 its opposite, 2 the xor of both. */
static uint64_t inject_sign(uint64_t a, uint64_t b, unsigned variant, uint64_t sign_bit)
{
	uint64_t sign = variant == 0   ? b & sign_bit
	                : variant == 1 ? ~b & sign_bit
	                               : (a ^ b) & sign_bit;
	return (a & ~sign_bit) | sign;
}

int rv_op_fsgnj_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN;
	F[i->rd] = rv_f32_box((uint32_t)inject_sign(S(i->rs1), S(i->rs2), i->rm, 1ull << 31));
	FP_END;
}

int rv_op_fsgnj_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN;
	F[i->rd] = inject_sign(F[i->rs1], F[i->rs2], i->rm, 1ull << 63);
	FP_END;
}

int rv_op_fminmax_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN;
	uint32_t a = S(i->rs1), b = S(i->rs2);
	F[i->rd] = rv_f32_box(i->rm == 0 ? rv_f32_min(a, b, &flags) : rv_f32_max(a, b, &flags));
	FP_END;
}

int rv_op_fminmax_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN;
	uint64_t a = F[i->rs1], b = F[i->rs2];
	F[i->rd] = i->rm == 0 ? rv_f64_min(a, b, &flags) : rv_f64_max(a, b, &flags);
	FP_END;
}

int rv_op_fcvt_s_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	F[i->rd] = rv_f32_box(rv_f64_to_f32(F[i->rs1], (unsigned)rm, &flags));
	FP_END;
}

int rv_op_fcvt_d_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	(void)rm;
	F[i->rd] = rv_f32_to_f64(S(i->rs1), &flags);
	FP_END;
}

/* Compares write an integer register: rm 0 fle, 1 flt, 2 feq. */
int rv_op_fcmp_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN;
	uint32_t a = S(i->rs1), b = S(i->rs2);
	X[i->rd] = i->rm == 0   ? rv_f32_le(a, b, &flags)
	           : i->rm == 1 ? rv_f32_lt(a, b, &flags)
	                        : rv_f32_eq(a, b, &flags);
	h->fflags |= flags;
	if (flags)
		fp_dirty(h);
	return rv_continue(h, i);
}

int rv_op_fcmp_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN;
	uint64_t a = F[i->rs1], b = F[i->rs2];
	X[i->rd] = i->rm == 0   ? rv_f64_le(a, b, &flags)
	           : i->rm == 1 ? rv_f64_lt(a, b, &flags)
	                        : rv_f64_eq(a, b, &flags);
	h->fflags |= flags;
	if (flags)
		fp_dirty(h);
	return rv_continue(h, i);
}

/* Float to integer: rs2 0 w, 1 wu, 2 l, 3 lu. */
int rv_op_fcvt_int_s(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	uint32_t a = S(i->rs1);
	switch (i->rs2) {
	case 0: X[i->rd] = (uint64_t)rv_f32_to_i32(a, (unsigned)rm, &flags); break;
	case 1: X[i->rd] = (uint64_t)rv_f32_to_u32(a, (unsigned)rm, &flags); break;
	case 2: X[i->rd] = (uint64_t)rv_f32_to_i64(a, (unsigned)rm, &flags); break;
	default: X[i->rd] = rv_f32_to_u64(a, (unsigned)rm, &flags); break;
	}
	FP_END;
}

int rv_op_fcvt_int_d(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	uint64_t a = F[i->rs1];
	switch (i->rs2) {
	case 0: X[i->rd] = (uint64_t)rv_f64_to_i32(a, (unsigned)rm, &flags); break;
	case 1: X[i->rd] = (uint64_t)rv_f64_to_u32(a, (unsigned)rm, &flags); break;
	case 2: X[i->rd] = (uint64_t)rv_f64_to_i64(a, (unsigned)rm, &flags); break;
	default: X[i->rd] = rv_f64_to_u64(a, (unsigned)rm, &flags); break;
	}
	FP_END;
}

int rv_op_fcvt_s_int(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	uint64_t v = X[i->rs1];
	uint32_t r;
	switch (i->rs2) {
	case 0: r = rv_f32_from_i32((int32_t)v, (unsigned)rm, &flags); break;
	case 1: r = rv_f32_from_u32((uint32_t)v, (unsigned)rm, &flags); break;
	case 2: r = rv_f32_from_i64((int64_t)v, (unsigned)rm, &flags); break;
	default: r = rv_f32_from_u64(v, (unsigned)rm, &flags); break;
	}
	F[i->rd] = rv_f32_box(r);
	FP_END;
}

int rv_op_fcvt_d_int(struct rv_hart *h, const struct rv_insn *i)
{
	FP_BEGIN_RM;
	uint64_t v = X[i->rs1];
	switch (i->rs2) {
	case 0: F[i->rd] = rv_f64_from_i32((int32_t)v, (unsigned)rm, &flags); break;
	case 1: F[i->rd] = rv_f64_from_u32((uint32_t)v, (unsigned)rm, &flags); break;
	case 2: F[i->rd] = rv_f64_from_i64((int64_t)v, (unsigned)rm, &flags); break;
	default: F[i->rd] = rv_f64_from_u64(v, (unsigned)rm, &flags); break;
	}
	FP_END;
}

/* Moves copy raw bits: fmv.x.w sign-extends the low 32 bits and does not look at the boxing. */
int rv_op_fmv_x_w(struct rv_hart *h, const struct rv_insn *i)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	X[i->rd] = (uint64_t)(int64_t)(int32_t)F[i->rs1];
	return rv_continue(h, i);
}

int rv_op_fmv_x_d(struct rv_hart *h, const struct rv_insn *i)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	X[i->rd] = F[i->rs1];
	return rv_continue(h, i);
}

int rv_op_fmv_w_x(struct rv_hart *h, const struct rv_insn *i)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	F[i->rd] = rv_f32_box((uint32_t)X[i->rs1]);
	fp_dirty(h);
	return rv_continue(h, i);
}

int rv_op_fmv_d_x(struct rv_hart *h, const struct rv_insn *i)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	F[i->rd] = X[i->rs1];
	fp_dirty(h);
	return rv_continue(h, i);
}

int rv_op_fclass_s(struct rv_hart *h, const struct rv_insn *i)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	X[i->rd] = rv_f32_classify(S(i->rs1));
	return rv_continue(h, i);
}

int rv_op_fclass_d(struct rv_hart *h, const struct rv_insn *i)
{
	if (!fp_enabled(h))
		return rv_illegal(h, i);
	X[i->rd] = rv_f64_classify(F[i->rs1]);
	return rv_continue(h, i);
}
