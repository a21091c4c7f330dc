/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests for the F/D arithmetic in src/hv/riscv/fpu.c.
 *
 * Two kinds of checks:
 *
 *  - hand-written vectors: special values, ties in every mode, overflow and
 *    underflow boundaries, saturating conversions, each with the exact
 *    result bits and fflags, worked out from the IEEE 754 and RISC-V rules;
 *
 *  - randomized cross-checks against an oracle built from the host FPU.
 *    For RNE, RTZ, RDN and RUP the oracle is the host itself (x86-64 SSE
 *    rounds correctly in all four modes and, like RISC-V, detects
 *    tininess after rounding).  The host has no RMM, so for RMM the
 *    oracle uses a fact about the modes instead: RMM and RNE differ only
 *    on an exact tie, where RMM takes the neighbour away from zero.  The
 *    host gives both neighbours (RTZ and the directed mode away from
 *    zero), and whether the exact result is their midpoint is decided
 *    with exact integer arithmetic (no rounding at all, see exact_sum),
 *    so the RMM oracle shares no rounding logic with the code under test.
 *    Float-to-integer conversions use the host's nearbyint() and round()
 *    and the spec's saturation table; comparisons, min/max and classify
 *    use host comparisons and the C classification macros.
 *
 * The number of random cases per operation can be raised with
 * KENNEL_FPU_ITERATIONS (or -m thorough).  The seed comes from GTest's
 * --seed, so a failure can be replayed.
 */
#include "hv/riscv/fpu.h"

#include <fenv.h>
#include <glib.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NV RV_FFLAG_NV
#define DZ RV_FFLAG_DZ
#define OF RV_FFLAG_OF
#define UF RV_FFLAG_UF
#define NX RV_FFLAG_NX

typedef unsigned __int128 u128;

enum op {
	OP_ADD,
	OP_SUB,
	OP_MUL,
	OP_DIV,
	OP_SQRT,
	OP_FMADD,
	OP_FMSUB,
	OP_FNMSUB,
	OP_FNMADD,
	OP_MIN,
	OP_MAX,
	OP_EQ,
	OP_LT,
	OP_LE,
	OP_CLASS,
	OP_TO_I32,
	OP_TO_U32,
	OP_TO_I64,
	OP_TO_U64,
	OP_FROM_I32,
	OP_FROM_U32,
	OP_FROM_I64,
	OP_FROM_U64,
	OP_CONVERT, /* f32 -> f64 for the F32 format, f64 -> f32 for F64 */
};

static const char *const op_names[] = {
        [OP_ADD] = "add",
        [OP_SUB] = "sub",
        [OP_MUL] = "mul",
        [OP_DIV] = "div",
        [OP_SQRT] = "sqrt",
        [OP_FMADD] = "fmadd",
        [OP_FMSUB] = "fmsub",
        [OP_FNMSUB] = "fnmsub",
        [OP_FNMADD] = "fnmadd",
        [OP_MIN] = "min",
        [OP_MAX] = "max",
        [OP_EQ] = "eq",
        [OP_LT] = "lt",
        [OP_LE] = "le",
        [OP_CLASS] = "classify",
        [OP_TO_I32] = "to-i32",
        [OP_TO_U32] = "to-u32",
        [OP_TO_I64] = "to-i64",
        [OP_TO_U64] = "to-u64",
        [OP_FROM_I32] = "from-i32",
        [OP_FROM_U32] = "from-u32",
        [OP_FROM_I64] = "from-i64",
        [OP_FROM_U64] = "from-u64",
        [OP_CONVERT] = "convert",
};

static const char *const mode_names[] = {"rne", "rtz", "rdn", "rup", "rmm"};

struct result {
	uint64_t bits;
	unsigned flags;
};

static bool results_equal(struct result x, struct result y)
{
	return x.bits == y.bits && x.flags == y.flags;
}

static void format_flags(unsigned flags, char buf[32])
{
	buf[0] = '\0';
	if (flags & NV)
		strcat(buf, "NV ");
	if (flags & DZ)
		strcat(buf, "DZ ");
	if (flags & OF)
		strcat(buf, "OF ");
	if (flags & UF)
		strcat(buf, "UF ");
	if (flags & NX)
		strcat(buf, "NX ");
	if (!buf[0])
		strcpy(buf, "- ");
	buf[strlen(buf) - 1] = '\0';
}

/* ---- The two formats ---------------------------------------------------- */

struct format {
	const char *name;
	unsigned bits, frac_bits, exp_bits;
	uint64_t canonical_nan;
	struct result (*run)(enum op op, const uint64_t in[3], unsigned rm);
	struct result (*host)(enum op op, const uint64_t in[3], int fe_mode);
};

static float f32_value(uint32_t bits)
{
	float x;

	memcpy(&x, &bits, sizeof(x));
	return x;
}

static uint32_t f32_bits(float x)
{
	uint32_t bits;

	memcpy(&bits, &x, sizeof(bits));
	return bits;
}

static double f64_value(uint64_t bits)
{
	double x;

	memcpy(&x, &bits, sizeof(x));
	return x;
}

static uint64_t f64_bits(double x)
{
	uint64_t bits;

	memcpy(&bits, &x, sizeof(bits));
	return bits;
}

/* The code under test, one entry point per operation. */
static struct result run_f32(enum op op, const uint64_t in[3], unsigned rm)
{
	uint32_t a = (uint32_t)in[0], b = (uint32_t)in[1], c = (uint32_t)in[2];
	struct result r = {0, 0};

	switch (op) {
	case OP_ADD: r.bits = rv_f32_add(a, b, rm, &r.flags); break;
	case OP_SUB: r.bits = rv_f32_sub(a, b, rm, &r.flags); break;
	case OP_MUL: r.bits = rv_f32_mul(a, b, rm, &r.flags); break;
	case OP_DIV: r.bits = rv_f32_div(a, b, rm, &r.flags); break;
	case OP_SQRT: r.bits = rv_f32_sqrt(a, rm, &r.flags); break;
	case OP_FMADD: r.bits = rv_f32_fma(a, b, c, false, false, rm, &r.flags); break;
	case OP_FMSUB: r.bits = rv_f32_fma(a, b, c, false, true, rm, &r.flags); break;
	case OP_FNMSUB: r.bits = rv_f32_fma(a, b, c, true, false, rm, &r.flags); break;
	case OP_FNMADD: r.bits = rv_f32_fma(a, b, c, true, true, rm, &r.flags); break;
	case OP_MIN: r.bits = rv_f32_min(a, b, &r.flags); break;
	case OP_MAX: r.bits = rv_f32_max(a, b, &r.flags); break;
	case OP_EQ: r.bits = rv_f32_eq(a, b, &r.flags); break;
	case OP_LT: r.bits = rv_f32_lt(a, b, &r.flags); break;
	case OP_LE: r.bits = rv_f32_le(a, b, &r.flags); break;
	case OP_CLASS: r.bits = rv_f32_classify(a); break;
	case OP_TO_I32: r.bits = (uint64_t)rv_f32_to_i32(a, rm, &r.flags); break;
	case OP_TO_U32: r.bits = (uint64_t)rv_f32_to_u32(a, rm, &r.flags); break;
	case OP_TO_I64: r.bits = (uint64_t)rv_f32_to_i64(a, rm, &r.flags); break;
	case OP_TO_U64: r.bits = rv_f32_to_u64(a, rm, &r.flags); break;
	case OP_FROM_I32: r.bits = rv_f32_from_i32((int32_t)in[0], rm, &r.flags); break;
	case OP_FROM_U32: r.bits = rv_f32_from_u32((uint32_t)in[0], rm, &r.flags); break;
	case OP_FROM_I64: r.bits = rv_f32_from_i64((int64_t)in[0], rm, &r.flags); break;
	case OP_FROM_U64: r.bits = rv_f32_from_u64(in[0], rm, &r.flags); break;
	case OP_CONVERT: r.bits = rv_f32_to_f64(a, &r.flags); break;
	}
	return r;
}

static struct result run_f64(enum op op, const uint64_t in[3], unsigned rm)
{
	uint64_t a = in[0], b = in[1], c = in[2];
	struct result r = {0, 0};

	switch (op) {
	case OP_ADD: r.bits = rv_f64_add(a, b, rm, &r.flags); break;
	case OP_SUB: r.bits = rv_f64_sub(a, b, rm, &r.flags); break;
	case OP_MUL: r.bits = rv_f64_mul(a, b, rm, &r.flags); break;
	case OP_DIV: r.bits = rv_f64_div(a, b, rm, &r.flags); break;
	case OP_SQRT: r.bits = rv_f64_sqrt(a, rm, &r.flags); break;
	case OP_FMADD: r.bits = rv_f64_fma(a, b, c, false, false, rm, &r.flags); break;
	case OP_FMSUB: r.bits = rv_f64_fma(a, b, c, false, true, rm, &r.flags); break;
	case OP_FNMSUB: r.bits = rv_f64_fma(a, b, c, true, false, rm, &r.flags); break;
	case OP_FNMADD: r.bits = rv_f64_fma(a, b, c, true, true, rm, &r.flags); break;
	case OP_MIN: r.bits = rv_f64_min(a, b, &r.flags); break;
	case OP_MAX: r.bits = rv_f64_max(a, b, &r.flags); break;
	case OP_EQ: r.bits = rv_f64_eq(a, b, &r.flags); break;
	case OP_LT: r.bits = rv_f64_lt(a, b, &r.flags); break;
	case OP_LE: r.bits = rv_f64_le(a, b, &r.flags); break;
	case OP_CLASS: r.bits = rv_f64_classify(a); break;
	case OP_TO_I32: r.bits = (uint64_t)rv_f64_to_i32(a, rm, &r.flags); break;
	case OP_TO_U32: r.bits = (uint64_t)rv_f64_to_u32(a, rm, &r.flags); break;
	case OP_TO_I64: r.bits = (uint64_t)rv_f64_to_i64(a, rm, &r.flags); break;
	case OP_TO_U64: r.bits = rv_f64_to_u64(a, rm, &r.flags); break;
	case OP_FROM_I32: r.bits = rv_f64_from_i32((int32_t)in[0], rm, &r.flags); break;
	case OP_FROM_U32: r.bits = rv_f64_from_u32((uint32_t)in[0], rm, &r.flags); break;
	case OP_FROM_I64: r.bits = rv_f64_from_i64((int64_t)in[0], rm, &r.flags); break;
	case OP_FROM_U64: r.bits = rv_f64_from_u64(in[0], rm, &r.flags); break;
	case OP_CONVERT: r.bits = rv_f64_to_f32(a, rm, &r.flags); break;
	}
	return r;
}

static struct result host_f32(enum op op, const uint64_t in[3], int fe_mode);
static struct result host_f64(enum op op, const uint64_t in[3], int fe_mode);

static const struct format F32 = {
        .name = "f32",
        .bits = 32,
        .frac_bits = 23,
        .exp_bits = 8,
        .canonical_nan = RV_F32_CANONICAL_NAN,
        .run = run_f32,
        .host = host_f32,
};

static const struct format F64 = {
        .name = "f64",
        .bits = 64,
        .frac_bits = 52,
        .exp_bits = 11,
        .canonical_nan = RV_F64_CANONICAL_NAN,
        .run = run_f64,
        .host = host_f64,
};

/* ---- Hand-written vectors ----------------------------------------------- */

/* Expected results in the order RNE, RTZ, RDN, RUP, RMM. */
struct vector {
	int line;
	enum op op;
	uint64_t a, b, c;
	struct result want[5];
};

#define R(bits, flags)          \
	{                       \
		(bits), (flags) \
	}
#define VEC(op, a, b, c, rne, rtz, rdn, rup, rmm) \
	{                                         \
		__LINE__, op, a, b, c,            \
		{                                 \
			rne, rtz, rdn, rup, rmm   \
		}                                 \
	}
/* The same result in every rounding mode (exact results, specials, comparisons). */
#define ALL(op, a, b, c, bits, flags)                                                    \
	VEC(op, a, b, c, R(bits, flags), R(bits, flags), R(bits, flags), R(bits, flags), \
	    R(bits, flags))
#define I(v) ((uint64_t)(int64_t)(v))

/* binary32 encodings */
#define S_ONE       0x3f800000ull
#define S_TWO       0x40000000ull
#define S_THREE     0x40400000ull
#define S_HALF      0x3f000000ull
#define S_MAX       0x7f7fffffull
#define S_INF       0x7f800000ull
#define S_QNAN      0x7fc00000ull
#define S_QNAN_PAY  0x7fc12345ull /* a quiet NaN with a payload */
#define S_SNAN      0x7f800001ull
#define S_NEG_SNAN  0xffa00000ull
#define S_NEG_QNAN  0xffc00000ull
#define S_MIN_NORM  0x00800000ull
#define S_MAX_SUB   0x007fffffull
#define S_MIN_SUB   0x00000001ull
#define S_NEG(x)    ((x) ^ 0x80000000ull)
#define S_ZERO      0x00000000ull
#define S_NEG_ZERO  0x80000000ull
#define S_CANON     0x7fc00000ull
#define S_SIGN_EXT1 0xffffffffffffffffull /* a 32-bit all-ones result, sign-extended */
#define S_I32_MIN   0xffffffff80000000ull

/* binary64 encodings */
#define D_ONE      0x3ff0000000000000ull
#define D_TWO      0x4000000000000000ull
#define D_THREE    0x4008000000000000ull
#define D_HALF     0x3fe0000000000000ull
#define D_MAX      0x7fefffffffffffffull
#define D_INF      0x7ff0000000000000ull
#define D_QNAN     0x7ff8000000000000ull
#define D_QNAN_PAY 0x7ff8000000012345ull
#define D_SNAN     0x7ff0000000000001ull
#define D_SNAN2    0x7ff4000000000000ull
#define D_NEG_QNAN 0xfff8000000000000ull
#define D_MIN_NORM 0x0010000000000000ull
#define D_MAX_SUB  0x000fffffffffffffull
#define D_MIN_SUB  0x0000000000000001ull
#define D_NEG(x)   ((x) ^ 0x8000000000000000ull)
#define D_ZERO     0x0000000000000000ull
#define D_NEG_ZERO 0x8000000000000000ull
#define D_CANON    0x7ff8000000000000ull

/* clang-format off */
static const struct vector f32_vectors[] = {
	/* addition: exact sums, signed zeros */
	ALL(OP_ADD, S_ONE, S_ONE, 0, S_TWO, 0),
	ALL(OP_ADD, S_NEG_ZERO, S_NEG_ZERO, 0, S_NEG_ZERO, 0),
	ALL(OP_ADD, S_ZERO, S_ZERO, 0, S_ZERO, 0),
	VEC(OP_ADD, S_ZERO, S_NEG_ZERO, 0, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	VEC(OP_ADD, S_ONE, S_NEG(S_ONE), 0, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	ALL(OP_ADD, S_ONE, S_ZERO, 0, S_ONE, 0),
	ALL(OP_ADD, S_NEG_ZERO, S_NEG(S_MIN_SUB), 0, S_NEG(S_MIN_SUB), 0),
	ALL(OP_ADD, S_MIN_SUB, S_NEG_ZERO, 0, S_MIN_SUB, 0),
	/* addition: infinities and NaNs */
	ALL(OP_ADD, S_INF, S_NEG(S_INF), 0, S_CANON, NV),
	ALL(OP_ADD, S_INF, S_ONE, 0, S_INF, 0),
	ALL(OP_ADD, S_NEG(S_INF), S_MAX, 0, S_NEG(S_INF), 0),
	ALL(OP_ADD, S_QNAN_PAY, S_ONE, 0, S_CANON, 0),
	ALL(OP_ADD, S_NEG_QNAN, S_ONE, 0, S_CANON, 0),
	ALL(OP_ADD, S_SNAN, S_ONE, 0, S_CANON, NV),
	ALL(OP_ADD, S_ONE, S_NEG_SNAN, 0, S_CANON, NV),
	ALL(OP_ADD, S_SNAN, S_QNAN, 0, S_CANON, NV),
	ALL(OP_ADD, S_INF, S_SNAN, 0, S_CANON, NV),
	/* addition: subnormals are exact, and tiny-but-exact raises nothing */
	ALL(OP_ADD, S_MIN_SUB, S_MIN_SUB, 0, 0x00000002, 0),
	ALL(OP_ADD, S_MAX_SUB, S_MIN_SUB, 0, S_MIN_NORM, 0),
	ALL(OP_ADD, 0x3f800001, S_NEG(S_ONE), 0, 0x34000000, 0),
	/* addition: ties (1 + half an ulp), with an even and an odd last bit, both signs */
	VEC(OP_ADD, S_ONE, 0x33800000, 0, R(S_ONE, NX), R(S_ONE, NX), R(S_ONE, NX), R(0x3f800001, NX), R(0x3f800001, NX)),
	VEC(OP_ADD, 0x3f800001, 0x33800000, 0, R(0x3f800002, NX), R(0x3f800001, NX), R(0x3f800001, NX), R(0x3f800002, NX), R(0x3f800002, NX)),
	VEC(OP_ADD, S_NEG(S_ONE), 0xb3800000, 0, R(0xbf800000, NX), R(0xbf800000, NX), R(0xbf800001, NX), R(0xbf800000, NX), R(0xbf800001, NX)),
	/* addition: below half an ulp, and a far-away addend that only leaves a sticky bit */
	VEC(OP_ADD, S_ONE, 0x30800000, 0, R(S_ONE, NX), R(S_ONE, NX), R(S_ONE, NX), R(0x3f800001, NX), R(S_ONE, NX)),
	VEC(OP_ADD, S_ONE, S_MIN_SUB, 0, R(S_ONE, NX), R(S_ONE, NX), R(S_ONE, NX), R(0x3f800001, NX), R(S_ONE, NX)),
	VEC(OP_SUB, S_ONE, S_MIN_SUB, 0, R(S_ONE, NX), R(0x3f7fffff, NX), R(0x3f7fffff, NX), R(S_ONE, NX), R(S_ONE, NX)),
	/* addition: overflow; OF only where the rounded result exceeds the largest number */
	VEC(OP_ADD, S_MAX, S_MAX, 0, R(S_INF, OF | NX), R(S_MAX, OF | NX), R(S_MAX, OF | NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_ADD, S_NEG(S_MAX), S_NEG(S_MAX), 0, R(S_NEG(S_INF), OF | NX), R(S_NEG(S_MAX), OF | NX), R(S_NEG(S_INF), OF | NX), R(S_NEG(S_MAX), OF | NX), R(S_NEG(S_INF), OF | NX)),
	VEC(OP_ADD, S_MAX, 0x73000000 /* half an ulp of MAX */, 0, R(S_INF, OF | NX), R(S_MAX, NX), R(S_MAX, NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_ADD, S_MAX, 0x72800000 /* a quarter ulp */, 0, R(S_MAX, NX), R(S_MAX, NX), R(S_MAX, NX), R(S_INF, OF | NX), R(S_MAX, NX)),

	/* subtraction */
	ALL(OP_SUB, S_INF, S_INF, 0, S_CANON, NV),
	ALL(OP_SUB, S_THREE, S_ONE, 0, S_TWO, 0),
	ALL(OP_SUB, S_NEG_ZERO, S_ZERO, 0, S_NEG_ZERO, 0),
	ALL(OP_SUB, S_ZERO, S_NEG_ZERO, 0, S_ZERO, 0),
	VEC(OP_SUB, S_ZERO, S_ZERO, 0, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	VEC(OP_SUB, S_ONE, S_ONE, 0, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	ALL(OP_SUB, S_MIN_NORM, S_MIN_SUB, 0, S_MAX_SUB, 0),
	ALL(OP_SUB, S_SNAN, S_SNAN, 0, S_CANON, NV),

	/* multiplication */
	ALL(OP_MUL, S_TWO, S_THREE, 0, 0x40c00000, 0),
	ALL(OP_MUL, S_NEG_ZERO, S_ONE, 0, S_NEG_ZERO, 0),
	ALL(OP_MUL, S_NEG(S_INF), S_NEG(S_TWO), 0, S_INF, 0),
	ALL(OP_MUL, S_INF, S_MIN_SUB, 0, S_INF, 0),
	ALL(OP_MUL, S_INF, S_ZERO, 0, S_CANON, NV),
	ALL(OP_MUL, S_NEG_ZERO, S_NEG(S_INF), 0, S_CANON, NV),
	ALL(OP_MUL, S_QNAN, S_ZERO, 0, S_CANON, 0),
	ALL(OP_MUL, S_SNAN, S_INF, 0, S_CANON, NV),
	VEC(OP_MUL, 0x3f800001, 0x3f800001, 0, R(0x3f800002, NX), R(0x3f800002, NX), R(0x3f800002, NX), R(0x3f800003, NX), R(0x3f800002, NX)),
	VEC(OP_MUL, S_MAX, S_TWO, 0, R(S_INF, OF | NX), R(S_MAX, OF | NX), R(S_MAX, OF | NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_MUL, S_NEG(S_MAX), S_TWO, 0, R(S_NEG(S_INF), OF | NX), R(S_NEG(S_MAX), OF | NX), R(S_NEG(S_INF), OF | NX), R(S_NEG(S_MAX), OF | NX), R(S_NEG(S_INF), OF | NX)),
	/* multiplication: exact subnormal results raise nothing */
	ALL(OP_MUL, S_MIN_NORM, S_HALF, 0, 0x00400000, 0),
	ALL(OP_MUL, 0x00000002, S_HALF, 0, S_MIN_SUB, 0),
	/* multiplication: half the smallest subnormal, a tie between 0 and it */
	VEC(OP_MUL, S_MIN_SUB, S_HALF, 0, R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_MIN_SUB, UF | NX), R(S_MIN_SUB, UF | NX)),
	VEC(OP_MUL, S_NEG(S_MIN_SUB), S_HALF, 0, R(S_NEG_ZERO, UF | NX), R(S_NEG_ZERO, UF | NX), R(S_NEG(S_MIN_SUB), UF | NX), R(S_NEG_ZERO, UF | NX), R(S_NEG(S_MIN_SUB), UF | NX)),
	VEC(OP_MUL, S_MIN_SUB, 0x3f400000 /* 0.75 */, 0, R(S_MIN_SUB, UF | NX), R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_MIN_SUB, UF | NX), R(S_MIN_SUB, UF | NX)),
	/*
	 * Tininess after rounding.  (1 - 2^-24) * 2^-126 has 24 bits, so with
	 * an unbounded exponent it is exact and below 2^-126: tiny, and
	 * inexact as a subnormal, so UF in every mode, even where the
	 * delivered result is the smallest normal.
	 */
	VEC(OP_MUL, 0x3f7fffff, S_MIN_NORM, 0, R(S_MIN_NORM, UF | NX), R(S_MAX_SUB, UF | NX), R(S_MAX_SUB, UF | NX), R(S_MIN_NORM, UF | NX), R(S_MIN_NORM, UF | NX)),
	/*
	 * (1 - 2^-46) * 2^-126 rounds to 2^-126 with an unbounded exponent in
	 * the nearest modes and RUP: not tiny, so no UF there.  RTZ and RDN
	 * stay below 2^-126: tiny, UF.
	 */
	VEC(OP_MUL, 0x3f7ffffe, 0x00800001, 0, R(S_MIN_NORM, NX), R(S_MAX_SUB, UF | NX), R(S_MAX_SUB, UF | NX), R(S_MIN_NORM, NX), R(S_MIN_NORM, NX)),

	/* division */
	VEC(OP_DIV, S_ONE, S_THREE, 0, R(0x3eaaaaab, NX), R(0x3eaaaaaa, NX), R(0x3eaaaaaa, NX), R(0x3eaaaaab, NX), R(0x3eaaaaab, NX)),
	VEC(OP_DIV, S_NEG(S_ONE), S_THREE, 0, R(0xbeaaaaab, NX), R(0xbeaaaaaa, NX), R(0xbeaaaaab, NX), R(0xbeaaaaaa, NX), R(0xbeaaaaab, NX)),
	ALL(OP_DIV, 0x40c00000, S_THREE, 0, S_TWO, 0),
	ALL(OP_DIV, S_ONE, S_ZERO, 0, S_INF, DZ),
	ALL(OP_DIV, S_NEG(S_ONE), S_ZERO, 0, S_NEG(S_INF), DZ),
	ALL(OP_DIV, S_ONE, S_NEG_ZERO, 0, S_NEG(S_INF), DZ),
	ALL(OP_DIV, S_MIN_SUB, S_ZERO, 0, S_INF, DZ),
	ALL(OP_DIV, S_ZERO, S_ZERO, 0, S_CANON, NV),
	ALL(OP_DIV, S_INF, S_NEG(S_INF), 0, S_CANON, NV),
	ALL(OP_DIV, S_INF, S_ZERO, 0, S_INF, 0),
	ALL(OP_DIV, S_ZERO, S_INF, 0, S_ZERO, 0),
	ALL(OP_DIV, S_NEG_ZERO, S_THREE, 0, S_NEG_ZERO, 0),
	ALL(OP_DIV, S_ONE, S_NEG(S_INF), 0, S_NEG_ZERO, 0),
	ALL(OP_DIV, S_QNAN, S_ZERO, 0, S_CANON, 0),
	ALL(OP_DIV, S_SNAN, S_ZERO, 0, S_CANON, NV),
	VEC(OP_DIV, S_MAX, S_HALF, 0, R(S_INF, OF | NX), R(S_MAX, OF | NX), R(S_MAX, OF | NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_DIV, S_MIN_SUB, S_TWO, 0, R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_MIN_SUB, UF | NX), R(S_MIN_SUB, UF | NX)),
	ALL(OP_DIV, S_MIN_NORM, S_TWO, 0, 0x00400000, 0),

	/* square root */
	ALL(OP_SQRT, 0x40800000, 0, 0, S_TWO, 0),
	VEC(OP_SQRT, S_TWO, 0, 0, R(0x3fb504f3, NX), R(0x3fb504f3, NX), R(0x3fb504f3, NX), R(0x3fb504f4, NX), R(0x3fb504f3, NX)),
	ALL(OP_SQRT, S_NEG_ZERO, 0, 0, S_NEG_ZERO, 0),
	ALL(OP_SQRT, S_ZERO, 0, 0, S_ZERO, 0),
	ALL(OP_SQRT, S_INF, 0, 0, S_INF, 0),
	ALL(OP_SQRT, S_NEG(S_INF), 0, 0, S_CANON, NV),
	ALL(OP_SQRT, S_NEG(S_ONE), 0, 0, S_CANON, NV),
	ALL(OP_SQRT, S_NEG(S_MIN_SUB), 0, 0, S_CANON, NV),
	ALL(OP_SQRT, S_QNAN_PAY, 0, 0, S_CANON, 0),
	ALL(OP_SQRT, S_NEG_QNAN, 0, 0, S_CANON, 0),
	ALL(OP_SQRT, S_SNAN, 0, 0, S_CANON, NV),
	ALL(OP_SQRT, 0x00000002 /* 2^-148 */, 0, 0, 0x1a800000 /* 2^-74 */, 0),
	VEC(OP_SQRT, S_MIN_SUB /* 2^-149 */, 0, 0, R(0x1a3504f3, NX), R(0x1a3504f3, NX), R(0x1a3504f3, NX), R(0x1a3504f4, NX), R(0x1a3504f3, NX)),
	/* sqrt(MAX) lies just below the midpoint of 2^64 - 2^40 and 2^64 */
	VEC(OP_SQRT, S_MAX, 0, 0, R(0x5f7fffff, NX), R(0x5f7fffff, NX), R(0x5f7fffff, NX), R(0x5f800000, NX), R(0x5f7fffff, NX)),

	/* fused multiply-add: the four sign variants */
	ALL(OP_FMADD, S_TWO, S_THREE, S_ONE, 0x40e00000 /* 7 */, 0),
	ALL(OP_FMSUB, S_TWO, S_THREE, S_ONE, 0x40a00000 /* 5 */, 0),
	ALL(OP_FNMSUB, S_TWO, S_THREE, S_ONE, 0xc0a00000 /* -5 */, 0),
	ALL(OP_FNMADD, S_TWO, S_THREE, S_ONE, 0xc0e00000 /* -7 */, 0),
	/* fused multiply-add: inf * 0 is invalid, even with a quiet NaN addend (RISC-V) */
	ALL(OP_FMADD, S_INF, S_ZERO, S_QNAN, S_CANON, NV),
	ALL(OP_FNMADD, S_ZERO, S_NEG(S_INF), S_QNAN_PAY, S_CANON, NV),
	ALL(OP_FMADD, S_INF, S_ZERO, S_ONE, S_CANON, NV),
	ALL(OP_FMADD, S_ZERO, S_INF, S_SNAN, S_CANON, NV),
	ALL(OP_FMADD, S_QNAN, S_ZERO, S_ONE, S_CANON, 0),
	ALL(OP_FMADD, S_ONE, S_QNAN, S_INF, S_CANON, 0),
	ALL(OP_FMADD, S_ONE, S_ONE, S_SNAN, S_CANON, NV),
	ALL(OP_FMADD, S_INF, S_ONE, S_NEG(S_INF), S_CANON, NV),
	ALL(OP_FMSUB, S_INF, S_ONE, S_INF, S_CANON, NV),
	ALL(OP_FMADD, S_INF, S_ONE, S_INF, S_INF, 0),
	ALL(OP_FNMADD, S_INF, S_ONE, S_INF, S_NEG(S_INF), 0),
	ALL(OP_FMADD, S_ONE, S_ONE, S_NEG(S_INF), S_NEG(S_INF), 0),
	ALL(OP_FMADD, S_MAX, S_MAX, S_NEG(S_INF), S_NEG(S_INF), 0),
	/* fused multiply-add: signed zeros */
	VEC(OP_FMADD, S_ZERO, S_ONE, S_NEG_ZERO, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	ALL(OP_FMADD, S_NEG_ZERO, S_ONE, S_NEG_ZERO, S_NEG_ZERO, 0),
	ALL(OP_FNMADD, S_ZERO, S_ONE, S_ZERO, S_NEG_ZERO, 0),
	VEC(OP_FNMSUB, S_ZERO, S_ONE, S_ZERO, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	VEC(OP_FMSUB, S_ZERO, S_ONE, S_ZERO, R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	VEC(OP_FMADD, S_ONE, S_ONE, S_NEG(S_ONE), R(S_ZERO, 0), R(S_ZERO, 0), R(S_NEG_ZERO, 0), R(S_ZERO, 0), R(S_ZERO, 0)),
	ALL(OP_FMADD, S_ZERO, 0x40a00000, S_THREE, S_THREE, 0),
	ALL(OP_FMADD, S_MIN_SUB, S_ZERO, S_NEG(S_MIN_SUB), S_NEG(S_MIN_SUB), 0),
	/* fused multiply-add: one rounding only */
	ALL(OP_FMADD, 0x3f800001, 0x3f800001, 0xbf800002, 0x28800000 /* 2^-46 */, 0),
	ALL(OP_FMADD, S_MAX, S_TWO, S_NEG(S_MAX), S_MAX, 0),
	VEC(OP_FMADD, S_MAX, S_TWO, S_ZERO, R(S_INF, OF | NX), R(S_MAX, OF | NX), R(S_MAX, OF | NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_FMADD, S_ONE, S_ONE, 0x33800000, R(S_ONE, NX), R(S_ONE, NX), R(S_ONE, NX), R(0x3f800001, NX), R(0x3f800001, NX)),
	/* fused multiply-add: a tiny product plus zero keeps the product's sign */
	VEC(OP_FMADD, S_MIN_SUB, S_HALF, S_ZERO, R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_MIN_SUB, UF | NX), R(S_MIN_SUB, UF | NX)),
	VEC(OP_FMADD, S_MIN_SUB, S_NEG(S_HALF), S_ZERO, R(S_NEG_ZERO, UF | NX), R(S_NEG_ZERO, UF | NX), R(S_NEG(S_MIN_SUB), UF | NX), R(S_NEG_ZERO, UF | NX), R(S_NEG(S_MIN_SUB), UF | NX)),

	/* minimum and maximum: IEEE 754-2019 minimumNumber / maximumNumber */
	ALL(OP_MIN, S_ONE, S_TWO, 0, S_ONE, 0),
	ALL(OP_MAX, S_ONE, S_TWO, 0, S_TWO, 0),
	ALL(OP_MIN, S_NEG(S_ONE), S_NEG(S_TWO), 0, S_NEG(S_TWO), 0),
	ALL(OP_MAX, S_NEG(S_INF), S_ONE, 0, S_ONE, 0),
	ALL(OP_MIN, S_NEG(S_INF), S_ONE, 0, S_NEG(S_INF), 0),
	ALL(OP_MIN, S_NEG_ZERO, S_ZERO, 0, S_NEG_ZERO, 0),
	ALL(OP_MIN, S_ZERO, S_NEG_ZERO, 0, S_NEG_ZERO, 0),
	ALL(OP_MAX, S_NEG_ZERO, S_ZERO, 0, S_ZERO, 0),
	ALL(OP_MAX, S_ZERO, S_NEG_ZERO, 0, S_ZERO, 0),
	ALL(OP_MIN, S_MIN_SUB, S_NEG(S_MIN_SUB), 0, S_NEG(S_MIN_SUB), 0),
	ALL(OP_MIN, S_QNAN, S_ONE, 0, S_ONE, 0),
	ALL(OP_MIN, S_ONE, S_QNAN_PAY, 0, S_ONE, 0),
	ALL(OP_MAX, S_NEG_QNAN, S_NEG(S_ONE), 0, S_NEG(S_ONE), 0),
	ALL(OP_MIN, S_SNAN, S_ONE, 0, S_ONE, NV),
	ALL(OP_MAX, S_ONE, S_SNAN, 0, S_ONE, NV),
	ALL(OP_MIN, S_QNAN_PAY, S_NEG_QNAN, 0, S_CANON, 0),
	ALL(OP_MAX, S_SNAN, S_QNAN, 0, S_CANON, NV),

	/* comparisons: feq is quiet, flt/fle signal on any NaN */
	ALL(OP_EQ, S_ONE, S_ONE, 0, 1, 0),
	ALL(OP_EQ, S_ONE, S_TWO, 0, 0, 0),
	ALL(OP_EQ, S_NEG_ZERO, S_ZERO, 0, 1, 0),
	ALL(OP_EQ, S_INF, S_INF, 0, 1, 0),
	ALL(OP_EQ, S_QNAN, S_QNAN, 0, 0, 0),
	ALL(OP_EQ, S_QNAN, S_ONE, 0, 0, 0),
	ALL(OP_EQ, S_SNAN, S_ONE, 0, 0, NV),
	ALL(OP_EQ, S_ONE, S_NEG_SNAN, 0, 0, NV),
	ALL(OP_LT, S_ONE, S_TWO, 0, 1, 0),
	ALL(OP_LT, S_TWO, S_ONE, 0, 0, 0),
	ALL(OP_LT, S_NEG_ZERO, S_ZERO, 0, 0, 0),
	ALL(OP_LT, S_ZERO, S_NEG_ZERO, 0, 0, 0),
	ALL(OP_LT, S_NEG(S_MIN_SUB), S_ZERO, 0, 1, 0),
	ALL(OP_LT, S_NEG(S_INF), S_INF, 0, 1, 0),
	ALL(OP_LT, S_NEG(S_TWO), S_NEG(S_ONE), 0, 1, 0),
	ALL(OP_LT, S_QNAN, S_ONE, 0, 0, NV),
	ALL(OP_LT, S_ONE, S_QNAN, 0, 0, NV),
	ALL(OP_LT, S_SNAN, S_ONE, 0, 0, NV),
	ALL(OP_LE, S_NEG_ZERO, S_ZERO, 0, 1, 0),
	ALL(OP_LE, S_ZERO, S_NEG_ZERO, 0, 1, 0),
	ALL(OP_LE, S_ONE, S_ONE, 0, 1, 0),
	ALL(OP_LE, S_TWO, S_ONE, 0, 0, 0),
	ALL(OP_LE, S_INF, S_INF, 0, 1, 0),
	ALL(OP_LE, S_NEG(S_TWO), S_NEG(S_ONE), 0, 1, 0),
	ALL(OP_LE, S_QNAN, S_QNAN, 0, 0, NV),

	/* classification: one bit of ten */
	ALL(OP_CLASS, S_NEG(S_INF), 0, 0, 1u << 0, 0),
	ALL(OP_CLASS, S_NEG(S_ONE), 0, 0, 1u << 1, 0),
	ALL(OP_CLASS, S_NEG(S_MIN_NORM), 0, 0, 1u << 1, 0),
	ALL(OP_CLASS, S_NEG(S_MIN_SUB), 0, 0, 1u << 2, 0),
	ALL(OP_CLASS, S_NEG(S_MAX_SUB), 0, 0, 1u << 2, 0),
	ALL(OP_CLASS, S_NEG_ZERO, 0, 0, 1u << 3, 0),
	ALL(OP_CLASS, S_ZERO, 0, 0, 1u << 4, 0),
	ALL(OP_CLASS, S_MIN_SUB, 0, 0, 1u << 5, 0),
	ALL(OP_CLASS, S_MAX_SUB, 0, 0, 1u << 5, 0),
	ALL(OP_CLASS, S_MIN_NORM, 0, 0, 1u << 6, 0),
	ALL(OP_CLASS, S_MAX, 0, 0, 1u << 6, 0),
	ALL(OP_CLASS, S_INF, 0, 0, 1u << 7, 0),
	ALL(OP_CLASS, S_SNAN, 0, 0, 1u << 8, 0),
	ALL(OP_CLASS, S_NEG_SNAN, 0, 0, 1u << 8, 0),
	ALL(OP_CLASS, 0x7fbfffff, 0, 0, 1u << 8, 0),
	ALL(OP_CLASS, S_QNAN, 0, 0, 1u << 9, 0),
	ALL(OP_CLASS, S_NEG_QNAN, 0, 0, 1u << 9, 0),

	/* to signed 32-bit: ties and directed modes */
	VEC(OP_TO_I32, 0x3fc00000 /* 1.5 */, 0, 0, R(2, NX), R(1, NX), R(1, NX), R(2, NX), R(2, NX)),
	VEC(OP_TO_I32, 0x40200000 /* 2.5 */, 0, 0, R(2, NX), R(2, NX), R(2, NX), R(3, NX), R(3, NX)),
	VEC(OP_TO_I32, 0xc0200000 /* -2.5 */, 0, 0, R(I(-2), NX), R(I(-2), NX), R(I(-3), NX), R(I(-2), NX), R(I(-3), NX)),
	VEC(OP_TO_I32, S_HALF, 0, 0, R(0, NX), R(0, NX), R(0, NX), R(1, NX), R(1, NX)),
	VEC(OP_TO_I32, S_NEG(S_HALF), 0, 0, R(0, NX), R(0, NX), R(I(-1), NX), R(0, NX), R(I(-1), NX)),
	VEC(OP_TO_I32, S_MIN_SUB, 0, 0, R(0, NX), R(0, NX), R(0, NX), R(1, NX), R(0, NX)),
	VEC(OP_TO_I32, S_NEG(S_MIN_SUB), 0, 0, R(0, NX), R(0, NX), R(I(-1), NX), R(0, NX), R(0, NX)),
	ALL(OP_TO_I32, S_NEG(S_ONE), 0, 0, I(-1), 0),
	ALL(OP_TO_I32, S_NEG_ZERO, 0, 0, 0, 0),
	ALL(OP_TO_I32, 0x4effffff, 0, 0, 0x7fffff80, 0),
	ALL(OP_TO_I32, 0xcf000000 /* -2^31 */, 0, 0, S_I32_MIN, 0),
	/* to signed 32-bit: saturation (NaN counts as positive) */
	ALL(OP_TO_I32, 0x4f000000 /* 2^31 */, 0, 0, 0x7fffffff, NV),
	ALL(OP_TO_I32, 0x501502f9 /* 1e10 */, 0, 0, 0x7fffffff, NV),
	ALL(OP_TO_I32, 0xd01502f9 /* -1e10 */, 0, 0, S_I32_MIN, NV),
	ALL(OP_TO_I32, S_INF, 0, 0, 0x7fffffff, NV),
	ALL(OP_TO_I32, S_NEG(S_INF), 0, 0, S_I32_MIN, NV),
	ALL(OP_TO_I32, S_QNAN, 0, 0, 0x7fffffff, NV),
	ALL(OP_TO_I32, S_NEG_QNAN, 0, 0, 0x7fffffff, NV),
	ALL(OP_TO_I32, S_SNAN, 0, 0, 0x7fffffff, NV),

	/* to unsigned 32-bit: the 32-bit result is sign-extended into the register */
	ALL(OP_TO_U32, S_ONE, 0, 0, 1, 0),
	ALL(OP_TO_U32, 0x4f000000 /* 2^31 */, 0, 0, S_I32_MIN, 0),
	ALL(OP_TO_U32, 0x4f7fffff, 0, 0, 0xffffffffffffff00ull, 0),
	ALL(OP_TO_U32, 0x4f800000 /* 2^32 */, 0, 0, S_SIGN_EXT1, NV),
	ALL(OP_TO_U32, S_NEG(S_ONE), 0, 0, 0, NV),
	ALL(OP_TO_U32, S_NEG_ZERO, 0, 0, 0, 0),
	ALL(OP_TO_U32, S_INF, 0, 0, S_SIGN_EXT1, NV),
	ALL(OP_TO_U32, S_NEG(S_INF), 0, 0, 0, NV),
	ALL(OP_TO_U32, S_QNAN, 0, 0, S_SIGN_EXT1, NV),
	ALL(OP_TO_U32, S_NEG_QNAN, 0, 0, S_SIGN_EXT1, NV),
	/* negative values that round to zero are in range; those that round to -1 are not */
	VEC(OP_TO_U32, S_NEG(S_HALF), 0, 0, R(0, NX), R(0, NX), R(0, NV), R(0, NX), R(0, NV)),
	VEC(OP_TO_U32, 0xbe800000 /* -0.25 */, 0, 0, R(0, NX), R(0, NX), R(0, NV), R(0, NX), R(0, NX)),
	VEC(OP_TO_U32, 0x40200000 /* 2.5 */, 0, 0, R(2, NX), R(2, NX), R(2, NX), R(3, NX), R(3, NX)),

	/* to 64-bit */
	ALL(OP_TO_I64, 0x5f000000 /* 2^63 */, 0, 0, 0x7fffffffffffffffull, NV),
	ALL(OP_TO_I64, 0xdf000000 /* -2^63 */, 0, 0, 0x8000000000000000ull, 0),
	ALL(OP_TO_I64, 0x5effffff, 0, 0, 0x7fffff8000000000ull, 0),
	ALL(OP_TO_I64, S_NEG(S_INF), 0, 0, 0x8000000000000000ull, NV),
	ALL(OP_TO_I64, S_SNAN, 0, 0, 0x7fffffffffffffffull, NV),
	VEC(OP_TO_I64, 0xc0200000 /* -2.5 */, 0, 0, R(I(-2), NX), R(I(-2), NX), R(I(-3), NX), R(I(-2), NX), R(I(-3), NX)),
	ALL(OP_TO_U64, 0x5f800000 /* 2^64 */, 0, 0, ~0ull, NV),
	ALL(OP_TO_U64, 0x5f7fffff, 0, 0, 0xffffff0000000000ull, 0),
	ALL(OP_TO_U64, S_NEG(S_ONE), 0, 0, 0, NV),
	ALL(OP_TO_U64, S_QNAN, 0, 0, ~0ull, NV),
	ALL(OP_TO_U64, S_NEG(S_INF), 0, 0, 0, NV),
	VEC(OP_TO_U64, S_NEG(S_HALF), 0, 0, R(0, NX), R(0, NX), R(0, NV), R(0, NX), R(0, NV)),

	/* from integers: 2^24 + 1 and 2^24 + 3 are ties */
	VEC(OP_FROM_I32, 16777217, 0, 0, R(0x4b800000, NX), R(0x4b800000, NX), R(0x4b800000, NX), R(0x4b800001, NX), R(0x4b800001, NX)),
	VEC(OP_FROM_I32, I(-16777217), 0, 0, R(0xcb800000, NX), R(0xcb800000, NX), R(0xcb800001, NX), R(0xcb800000, NX), R(0xcb800001, NX)),
	VEC(OP_FROM_I32, 16777219, 0, 0, R(0x4b800002, NX), R(0x4b800001, NX), R(0x4b800001, NX), R(0x4b800002, NX), R(0x4b800002, NX)),
	VEC(OP_FROM_I32, 0x7fffffff, 0, 0, R(0x4f000000, NX), R(0x4effffff, NX), R(0x4effffff, NX), R(0x4f000000, NX), R(0x4f000000, NX)),
	ALL(OP_FROM_I32, I(INT32_MIN), 0, 0, 0xcf000000, 0),
	ALL(OP_FROM_I32, 0, 0, 0, S_ZERO, 0),
	ALL(OP_FROM_I32, I(-1), 0, 0, S_NEG(S_ONE), 0),
	VEC(OP_FROM_U32, 0xffffffff, 0, 0, R(0x4f800000, NX), R(0x4f7fffff, NX), R(0x4f7fffff, NX), R(0x4f800000, NX), R(0x4f800000, NX)),
	ALL(OP_FROM_U32, 0x80000000, 0, 0, 0x4f000000, 0),
	ALL(OP_FROM_U32, 0, 0, 0, S_ZERO, 0),
	ALL(OP_FROM_I64, I(INT64_MIN), 0, 0, 0xdf000000, 0),
	ALL(OP_FROM_I64, I(-1), 0, 0, S_NEG(S_ONE), 0),
	VEC(OP_FROM_I64, 0x7fffffffffffffffull, 0, 0, R(0x5f000000, NX), R(0x5effffff, NX), R(0x5effffff, NX), R(0x5f000000, NX), R(0x5f000000, NX)),
	VEC(OP_FROM_U64, ~0ull, 0, 0, R(0x5f800000, NX), R(0x5f7fffff, NX), R(0x5f7fffff, NX), R(0x5f800000, NX), R(0x5f800000, NX)),
	VEC(OP_FROM_U64, 0x8000008000000000ull, 0, 0, R(0x5f000000, NX), R(0x5f000000, NX), R(0x5f000000, NX), R(0x5f000001, NX), R(0x5f000001, NX)),

	/* to binary64: always exact; NaNs become the canonical NaN, sNaN raises NV */
	ALL(OP_CONVERT, S_ONE, 0, 0, D_ONE, 0),
	ALL(OP_CONVERT, S_NEG_ZERO, 0, 0, D_NEG_ZERO, 0),
	ALL(OP_CONVERT, S_INF, 0, 0, D_INF, 0),
	ALL(OP_CONVERT, S_NEG(S_INF), 0, 0, D_NEG(D_INF), 0),
	ALL(OP_CONVERT, S_QNAN_PAY, 0, 0, D_CANON, 0),
	ALL(OP_CONVERT, S_NEG_QNAN, 0, 0, D_CANON, 0),
	ALL(OP_CONVERT, S_SNAN, 0, 0, D_CANON, NV),
	ALL(OP_CONVERT, S_NEG_SNAN, 0, 0, D_CANON, NV),
	ALL(OP_CONVERT, S_MIN_SUB, 0, 0, 0x36a0000000000000ull, 0),
	ALL(OP_CONVERT, S_MAX_SUB, 0, 0, 0x380fffffc0000000ull, 0),
	ALL(OP_CONVERT, S_MAX, 0, 0, 0x47efffffe0000000ull, 0),
};

static const struct vector f64_vectors[] = {
	/* addition */
	ALL(OP_ADD, D_ONE, D_ONE, 0, D_TWO, 0),
	VEC(OP_ADD, D_ZERO, D_NEG_ZERO, 0, R(D_ZERO, 0), R(D_ZERO, 0), R(D_NEG_ZERO, 0), R(D_ZERO, 0), R(D_ZERO, 0)),
	ALL(OP_ADD, D_NEG_ZERO, D_NEG_ZERO, 0, D_NEG_ZERO, 0),
	VEC(OP_ADD, D_ONE, D_NEG(D_ONE), 0, R(D_ZERO, 0), R(D_ZERO, 0), R(D_NEG_ZERO, 0), R(D_ZERO, 0), R(D_ZERO, 0)),
	ALL(OP_ADD, D_INF, D_NEG(D_INF), 0, D_CANON, NV),
	ALL(OP_ADD, D_QNAN_PAY, D_ONE, 0, D_CANON, 0),
	ALL(OP_ADD, D_NEG_QNAN, D_INF, 0, D_CANON, 0),
	ALL(OP_ADD, D_SNAN, D_ONE, 0, D_CANON, NV),
	ALL(OP_ADD, D_ONE, D_SNAN2, 0, D_CANON, NV),
	ALL(OP_ADD, D_MIN_SUB, D_MIN_SUB, 0, 0x0000000000000002ull, 0),
	ALL(OP_ADD, D_MAX_SUB, D_MIN_SUB, 0, D_MIN_NORM, 0),
	VEC(OP_ADD, D_ONE, 0x3ca0000000000000ull /* 2^-53 */, 0, R(D_ONE, NX), R(D_ONE, NX), R(D_ONE, NX), R(0x3ff0000000000001ull, NX), R(0x3ff0000000000001ull, NX)),
	VEC(OP_ADD, 0x3ff0000000000001ull, 0x3ca0000000000000ull, 0, R(0x3ff0000000000002ull, NX), R(0x3ff0000000000001ull, NX), R(0x3ff0000000000001ull, NX), R(0x3ff0000000000002ull, NX), R(0x3ff0000000000002ull, NX)),
	VEC(OP_ADD, D_NEG(D_ONE), 0xbca0000000000000ull, 0, R(D_NEG(D_ONE), NX), R(D_NEG(D_ONE), NX), R(0xbff0000000000001ull, NX), R(D_NEG(D_ONE), NX), R(0xbff0000000000001ull, NX)),
	VEC(OP_ADD, D_ONE, D_MIN_SUB, 0, R(D_ONE, NX), R(D_ONE, NX), R(D_ONE, NX), R(0x3ff0000000000001ull, NX), R(D_ONE, NX)),
	VEC(OP_SUB, D_ONE, D_MIN_SUB, 0, R(D_ONE, NX), R(0x3fefffffffffffffull, NX), R(0x3fefffffffffffffull, NX), R(D_ONE, NX), R(D_ONE, NX)),
	VEC(OP_ADD, D_MAX, D_MAX, 0, R(D_INF, OF | NX), R(D_MAX, OF | NX), R(D_MAX, OF | NX), R(D_INF, OF | NX), R(D_INF, OF | NX)),
	VEC(OP_ADD, D_MAX, 0x7c90000000000000ull /* half an ulp */, 0, R(D_INF, OF | NX), R(D_MAX, NX), R(D_MAX, NX), R(D_INF, OF | NX), R(D_INF, OF | NX)),
	VEC(OP_ADD, D_NEG(D_MAX), D_NEG(D_MAX), 0, R(D_NEG(D_INF), OF | NX), R(D_NEG(D_MAX), OF | NX), R(D_NEG(D_INF), OF | NX), R(D_NEG(D_MAX), OF | NX), R(D_NEG(D_INF), OF | NX)),
	ALL(OP_SUB, D_MIN_NORM, D_MIN_SUB, 0, D_MAX_SUB, 0),
	VEC(OP_SUB, D_THREE, D_THREE, 0, R(D_ZERO, 0), R(D_ZERO, 0), R(D_NEG_ZERO, 0), R(D_ZERO, 0), R(D_ZERO, 0)),
	ALL(OP_SUB, D_NEG(D_INF), D_NEG(D_INF), 0, D_CANON, NV),

	/* multiplication */
	ALL(OP_MUL, D_NEG(D_TWO), D_THREE, 0, 0xc018000000000000ull, 0),
	ALL(OP_MUL, D_ZERO, D_INF, 0, D_CANON, NV),
	ALL(OP_MUL, D_QNAN, D_INF, 0, D_CANON, 0),
	VEC(OP_MUL, D_MAX, D_TWO, 0, R(D_INF, OF | NX), R(D_MAX, OF | NX), R(D_MAX, OF | NX), R(D_INF, OF | NX), R(D_INF, OF | NX)),
	VEC(OP_MUL, D_MIN_SUB, D_HALF, 0, R(D_ZERO, UF | NX), R(D_ZERO, UF | NX), R(D_ZERO, UF | NX), R(D_MIN_SUB, UF | NX), R(D_MIN_SUB, UF | NX)),
	ALL(OP_MUL, D_MIN_NORM, D_HALF, 0, 0x0008000000000000ull, 0),
	/* tininess after rounding, as for binary32 */
	VEC(OP_MUL, 0x3fefffffffffffffull, D_MIN_NORM, 0, R(D_MIN_NORM, UF | NX), R(D_MAX_SUB, UF | NX), R(D_MAX_SUB, UF | NX), R(D_MIN_NORM, UF | NX), R(D_MIN_NORM, UF | NX)),
	VEC(OP_MUL, 0x3feffffffffffffeull, 0x0010000000000001ull, 0, R(D_MIN_NORM, NX), R(D_MAX_SUB, UF | NX), R(D_MAX_SUB, UF | NX), R(D_MIN_NORM, NX), R(D_MIN_NORM, NX)),

	/* division */
	VEC(OP_DIV, D_ONE, D_THREE, 0, R(0x3fd5555555555555ull, NX), R(0x3fd5555555555555ull, NX), R(0x3fd5555555555555ull, NX), R(0x3fd5555555555556ull, NX), R(0x3fd5555555555555ull, NX)),
	VEC(OP_DIV, D_NEG(D_ONE), D_THREE, 0, R(0xbfd5555555555555ull, NX), R(0xbfd5555555555555ull, NX), R(0xbfd5555555555556ull, NX), R(0xbfd5555555555555ull, NX), R(0xbfd5555555555555ull, NX)),
	ALL(OP_DIV, D_ONE, D_ZERO, 0, D_INF, DZ),
	ALL(OP_DIV, D_NEG(D_MIN_SUB), D_ZERO, 0, D_NEG(D_INF), DZ),
	ALL(OP_DIV, D_ZERO, D_NEG_ZERO, 0, D_CANON, NV),
	ALL(OP_DIV, D_NEG_ZERO, D_NEG(D_INF), 0, D_ZERO, 0),
	ALL(OP_DIV, D_INF, D_INF, 0, D_CANON, NV),
	VEC(OP_DIV, D_MIN_SUB, D_TWO, 0, R(D_ZERO, UF | NX), R(D_ZERO, UF | NX), R(D_ZERO, UF | NX), R(D_MIN_SUB, UF | NX), R(D_MIN_SUB, UF | NX)),

	/* square root */
	ALL(OP_SQRT, 0x4010000000000000ull /* 4 */, 0, 0, D_TWO, 0),
	VEC(OP_SQRT, D_TWO, 0, 0, R(0x3ff6a09e667f3bcdull, NX), R(0x3ff6a09e667f3bccull, NX), R(0x3ff6a09e667f3bccull, NX), R(0x3ff6a09e667f3bcdull, NX), R(0x3ff6a09e667f3bcdull, NX)),
	ALL(OP_SQRT, D_MIN_SUB /* 2^-1074 */, 0, 0, 0x1e60000000000000ull /* 2^-537 */, 0),
	ALL(OP_SQRT, D_NEG_ZERO, 0, 0, D_NEG_ZERO, 0),
	ALL(OP_SQRT, D_NEG(D_ONE), 0, 0, D_CANON, NV),
	ALL(OP_SQRT, D_SNAN, 0, 0, D_CANON, NV),
	ALL(OP_SQRT, D_NEG_QNAN, 0, 0, D_CANON, 0),
	ALL(OP_SQRT, D_INF, 0, 0, D_INF, 0),

	/* fused multiply-add */
	ALL(OP_FMADD, D_TWO, D_THREE, D_ONE, 0x401c000000000000ull, 0),
	ALL(OP_FMSUB, D_TWO, D_THREE, D_ONE, 0x4014000000000000ull, 0),
	ALL(OP_FNMSUB, D_TWO, D_THREE, D_ONE, 0xc014000000000000ull, 0),
	ALL(OP_FNMADD, D_TWO, D_THREE, D_ONE, 0xc01c000000000000ull, 0),
	ALL(OP_FMADD, D_INF, D_ZERO, D_QNAN, D_CANON, NV),
	ALL(OP_FMSUB, D_NEG_ZERO, D_INF, D_NEG_QNAN, D_CANON, NV),
	ALL(OP_FMADD, D_QNAN, D_ZERO, D_INF, D_CANON, 0),
	ALL(OP_FMADD, D_ONE, D_ONE, D_SNAN, D_CANON, NV),
	ALL(OP_FNMADD, D_INF, D_TWO, D_NEG(D_INF), D_CANON, NV),
	ALL(OP_FMADD, 0x3ff0000000000001ull, 0x3ff0000000000001ull, 0xbff0000000000002ull, 0x3970000000000000ull /* 2^-104 */, 0),
	ALL(OP_FMADD, D_MAX, D_TWO, D_NEG(D_MAX), D_MAX, 0),
	VEC(OP_FMADD, D_ONE, D_ONE, D_NEG(D_ONE), R(D_ZERO, 0), R(D_ZERO, 0), R(D_NEG_ZERO, 0), R(D_ZERO, 0), R(D_ZERO, 0)),
	ALL(OP_FNMADD, D_ZERO, D_ONE, D_ZERO, D_NEG_ZERO, 0),
	VEC(OP_FMADD, D_MIN_SUB, D_HALF, D_ZERO, R(D_ZERO, UF | NX), R(D_ZERO, UF | NX), R(D_ZERO, UF | NX), R(D_MIN_SUB, UF | NX), R(D_MIN_SUB, UF | NX)),
	VEC(OP_FMADD, D_ONE, D_ONE, 0x3ca0000000000000ull, R(D_ONE, NX), R(D_ONE, NX), R(D_ONE, NX), R(0x3ff0000000000001ull, NX), R(0x3ff0000000000001ull, NX)),

	/* minimum, maximum, comparisons, classification */
	ALL(OP_MIN, D_NEG_ZERO, D_ZERO, 0, D_NEG_ZERO, 0),
	ALL(OP_MAX, D_NEG_ZERO, D_ZERO, 0, D_ZERO, 0),
	ALL(OP_MAX, D_ZERO, D_NEG_ZERO, 0, D_ZERO, 0),
	ALL(OP_MIN, D_QNAN, D_NEG(D_TWO), 0, D_NEG(D_TWO), 0),
	ALL(OP_MAX, D_SNAN, D_NEG(D_TWO), 0, D_NEG(D_TWO), NV),
	ALL(OP_MIN, D_QNAN_PAY, D_QNAN_PAY, 0, D_CANON, 0),
	ALL(OP_MAX, D_ONE, D_TWO, 0, D_TWO, 0),
	ALL(OP_EQ, D_NEG_ZERO, D_ZERO, 0, 1, 0),
	ALL(OP_EQ, D_QNAN, D_QNAN, 0, 0, 0),
	ALL(OP_EQ, D_SNAN, D_QNAN, 0, 0, NV),
	ALL(OP_LT, D_QNAN, D_ONE, 0, 0, NV),
	ALL(OP_LT, D_NEG(D_MIN_SUB), D_NEG_ZERO, 0, 1, 0),
	ALL(OP_LE, D_ONE, D_NEG_QNAN, 0, 0, NV),
	ALL(OP_LE, D_NEG_ZERO, D_ZERO, 0, 1, 0),
	ALL(OP_CLASS, D_NEG(D_INF), 0, 0, 1u << 0, 0),
	ALL(OP_CLASS, D_NEG(D_MAX), 0, 0, 1u << 1, 0),
	ALL(OP_CLASS, D_NEG(D_MAX_SUB), 0, 0, 1u << 2, 0),
	ALL(OP_CLASS, D_NEG_ZERO, 0, 0, 1u << 3, 0),
	ALL(OP_CLASS, D_ZERO, 0, 0, 1u << 4, 0),
	ALL(OP_CLASS, D_MIN_SUB, 0, 0, 1u << 5, 0),
	ALL(OP_CLASS, D_MIN_NORM, 0, 0, 1u << 6, 0),
	ALL(OP_CLASS, D_INF, 0, 0, 1u << 7, 0),
	ALL(OP_CLASS, D_SNAN2, 0, 0, 1u << 8, 0),
	ALL(OP_CLASS, D_NEG_QNAN, 0, 0, 1u << 9, 0),

	/* to 32-bit integers: 2^31 - 0.5 and -2^31 - 0.5 sit on the range boundary */
	VEC(OP_TO_I32, 0x41dfffffffe00000ull, 0, 0, R(0x7fffffff, NV), R(0x7fffffff, NX), R(0x7fffffff, NX), R(0x7fffffff, NV), R(0x7fffffff, NV)),
	VEC(OP_TO_I32, 0xc1e0000000100000ull, 0, 0, R(S_I32_MIN, NX), R(S_I32_MIN, NX), R(S_I32_MIN, NV), R(S_I32_MIN, NX), R(S_I32_MIN, NV)),
	ALL(OP_TO_I32, 0x41dfffffffc00000ull /* 2^31 - 1 */, 0, 0, 0x7fffffff, 0),
	ALL(OP_TO_I32, 0xc1e0000000000000ull /* -2^31 */, 0, 0, S_I32_MIN, 0),
	ALL(OP_TO_I32, D_QNAN, 0, 0, 0x7fffffff, NV),
	ALL(OP_TO_I32, D_NEG(D_INF), 0, 0, S_I32_MIN, NV),
	VEC(OP_TO_I32, 0xc004000000000000ull /* -2.5 */, 0, 0, R(I(-2), NX), R(I(-2), NX), R(I(-3), NX), R(I(-2), NX), R(I(-3), NX)),
	VEC(OP_TO_U32, 0x41effffffff00000ull /* 2^32 - 0.5 */, 0, 0, R(S_SIGN_EXT1, NV), R(S_SIGN_EXT1, NX), R(S_SIGN_EXT1, NX), R(S_SIGN_EXT1, NV), R(S_SIGN_EXT1, NV)),
	ALL(OP_TO_U32, 0x41efffffffe00000ull /* 2^32 - 1 */, 0, 0, S_SIGN_EXT1, 0),
	ALL(OP_TO_U32, D_NEG(D_ONE), 0, 0, 0, NV),
	ALL(OP_TO_U32, D_SNAN, 0, 0, S_SIGN_EXT1, NV),

	/* to 64-bit integers */
	ALL(OP_TO_I64, 0x43e0000000000000ull /* 2^63 */, 0, 0, 0x7fffffffffffffffull, NV),
	ALL(OP_TO_I64, 0xc3e0000000000000ull /* -2^63 */, 0, 0, 0x8000000000000000ull, 0),
	ALL(OP_TO_I64, 0x43dfffffffffffffull, 0, 0, 0x7ffffffffffffc00ull, 0),
	ALL(OP_TO_I64, D_NEG_QNAN, 0, 0, 0x7fffffffffffffffull, NV),
	ALL(OP_TO_I64, D_NEG(D_INF), 0, 0, 0x8000000000000000ull, NV),
	ALL(OP_TO_U64, 0x43f0000000000000ull /* 2^64 */, 0, 0, ~0ull, NV),
	ALL(OP_TO_U64, 0x43efffffffffffffull, 0, 0, 0xfffffffffffff800ull, 0),
	ALL(OP_TO_U64, D_NEG(D_INF), 0, 0, 0, NV),
	ALL(OP_TO_U64, D_INF, 0, 0, ~0ull, NV),
	VEC(OP_TO_U64, D_NEG(D_HALF), 0, 0, R(0, NX), R(0, NX), R(0, NV), R(0, NX), R(0, NV)),
	VEC(OP_TO_U64, 0x4004000000000000ull /* 2.5 */, 0, 0, R(2, NX), R(2, NX), R(2, NX), R(3, NX), R(3, NX)),

	/* from integers: 2^53 + 1 and 2^53 + 3 are ties */
	VEC(OP_FROM_I64, 9007199254740993ll, 0, 0, R(0x4340000000000000ull, NX), R(0x4340000000000000ull, NX), R(0x4340000000000000ull, NX), R(0x4340000000000001ull, NX), R(0x4340000000000001ull, NX)),
	VEC(OP_FROM_I64, I(-9007199254740993ll), 0, 0, R(0xc340000000000000ull, NX), R(0xc340000000000000ull, NX), R(0xc340000000000001ull, NX), R(0xc340000000000000ull, NX), R(0xc340000000000001ull, NX)),
	VEC(OP_FROM_I64, 9007199254740995ll, 0, 0, R(0x4340000000000002ull, NX), R(0x4340000000000001ull, NX), R(0x4340000000000001ull, NX), R(0x4340000000000002ull, NX), R(0x4340000000000002ull, NX)),
	ALL(OP_FROM_I64, I(INT64_MIN), 0, 0, 0xc3e0000000000000ull, 0),
	VEC(OP_FROM_U64, ~0ull, 0, 0, R(0x43f0000000000000ull, NX), R(0x43efffffffffffffull, NX), R(0x43efffffffffffffull, NX), R(0x43f0000000000000ull, NX), R(0x43f0000000000000ull, NX)),
	ALL(OP_FROM_I32, I(INT32_MIN), 0, 0, 0xc1e0000000000000ull, 0),
	ALL(OP_FROM_U32, 0xffffffff, 0, 0, 0x41efffffffe00000ull, 0),
	ALL(OP_FROM_I32, 0, 0, 0, D_ZERO, 0),
	ALL(OP_FROM_U64, 0, 0, 0, D_ZERO, 0),

	/* to binary32 */
	ALL(OP_CONVERT, D_ONE, 0, 0, S_ONE, 0),
	ALL(OP_CONVERT, D_NEG_ZERO, 0, 0, S_NEG_ZERO, 0),
	ALL(OP_CONVERT, D_NEG(D_INF), 0, 0, S_NEG(S_INF), 0),
	ALL(OP_CONVERT, D_QNAN_PAY, 0, 0, S_CANON, 0),
	ALL(OP_CONVERT, D_SNAN, 0, 0, S_CANON, NV),
	ALL(OP_CONVERT, D_SNAN2, 0, 0, S_CANON, NV),
	ALL(OP_CONVERT, 0x36a0000000000000ull /* 2^-149 */, 0, 0, S_MIN_SUB, 0),
	VEC(OP_CONVERT, 0x3ff0000000000001ull, 0, 0, R(S_ONE, NX), R(S_ONE, NX), R(S_ONE, NX), R(0x3f800001, NX), R(S_ONE, NX)),
	VEC(OP_CONVERT, 0x3ff0000010000000ull /* 1 + 2^-24 */, 0, 0, R(S_ONE, NX), R(S_ONE, NX), R(S_ONE, NX), R(0x3f800001, NX), R(0x3f800001, NX)),
	VEC(OP_CONVERT, D_MAX, 0, 0, R(S_INF, OF | NX), R(S_MAX, OF | NX), R(S_MAX, OF | NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_CONVERT, D_NEG(D_MAX), 0, 0, R(S_NEG(S_INF), OF | NX), R(S_NEG(S_MAX), OF | NX), R(S_NEG(S_INF), OF | NX), R(S_NEG(S_MAX), OF | NX), R(S_NEG(S_INF), OF | NX)),
	VEC(OP_CONVERT, 0x47effffff0000000ull /* FLT_MAX + half an ulp */, 0, 0, R(S_INF, OF | NX), R(S_MAX, NX), R(S_MAX, NX), R(S_INF, OF | NX), R(S_INF, OF | NX)),
	VEC(OP_CONVERT, 0x3690000000000000ull /* 2^-150 */, 0, 0, R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_MIN_SUB, UF | NX), R(S_MIN_SUB, UF | NX)),
	VEC(OP_CONVERT, 0x36a8000000000000ull /* 1.5 * 2^-149 */, 0, 0, R(0x00000002, UF | NX), R(S_MIN_SUB, UF | NX), R(S_MIN_SUB, UF | NX), R(0x00000002, UF | NX), R(0x00000002, UF | NX)),
	VEC(OP_CONVERT, D_MIN_SUB, 0, 0, R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_ZERO, UF | NX), R(S_MIN_SUB, UF | NX), R(S_ZERO, UF | NX)),
	VEC(OP_CONVERT, D_NEG(D_MIN_SUB), 0, 0, R(S_NEG_ZERO, UF | NX), R(S_NEG_ZERO, UF | NX), R(S_NEG(S_MIN_SUB), UF | NX), R(S_NEG_ZERO, UF | NX), R(S_NEG_ZERO, UF | NX)),
	/* tininess after rounding: 2^-126 - 2^-150 is tiny; 2^-126 - 2^-160 is not in RNE/RUP/RMM */
	VEC(OP_CONVERT, 0x380fffffe0000000ull, 0, 0, R(S_MIN_NORM, UF | NX), R(S_MAX_SUB, UF | NX), R(S_MAX_SUB, UF | NX), R(S_MIN_NORM, UF | NX), R(S_MIN_NORM, UF | NX)),
	VEC(OP_CONVERT, 0x380ffffffff80000ull, 0, 0, R(S_MIN_NORM, NX), R(S_MAX_SUB, UF | NX), R(S_MAX_SUB, UF | NX), R(S_MIN_NORM, NX), R(S_MIN_NORM, NX)),
};
/* clang-format on */

static unsigned run_vectors(const struct format *fmt, const struct vector *vectors, size_t n)
{
	unsigned failures = 0;

	for (size_t i = 0; i < n; i++) {
		const struct vector *v = &vectors[i];
		const uint64_t in[3] = {v->a, v->b, v->c};

		for (unsigned rm = 0; rm < 5; rm++) {
			struct result got = fmt->run(v->op, in, rm);
			char got_flags[32], want_flags[32];

			if (results_equal(got, v->want[rm]))
				continue;
			format_flags(got.flags, got_flags);
			format_flags(v->want[rm].flags, want_flags);
			g_test_message("line %d: %s %s %s a=%#" PRIx64 " b=%#" PRIx64 " c=%#" PRIx64
			               ": got %#" PRIx64 " [%s], want %#" PRIx64 " [%s]",
			               v->line, fmt->name, op_names[v->op], mode_names[rm], v->a,
			               v->b, v->c, got.bits, got_flags, v->want[rm].bits,
			               want_flags);
			failures++;
		}
	}
	return failures;
}

static void test_f32_vectors(void)
{
	unsigned failures = run_vectors(&F32, f32_vectors, G_N_ELEMENTS(f32_vectors));

	g_test_message("%zu binary32 vectors, 5 modes each", G_N_ELEMENTS(f32_vectors));
	g_assert_cmpuint(failures, ==, 0);
}

static void test_f64_vectors(void)
{
	unsigned failures = run_vectors(&F64, f64_vectors, G_N_ELEMENTS(f64_vectors));

	g_test_message("%zu binary64 vectors, 5 modes each", G_N_ELEMENTS(f64_vectors));
	g_assert_cmpuint(failures, ==, 0);
}

static void test_nan_boxing(void)
{
	g_assert_cmphex(rv_f32_box(0x3f800000), ==, 0xffffffff3f800000ull);
	g_assert_cmphex(rv_f32_unbox(0xffffffff3f800000ull), ==, 0x3f800000);
	g_assert_cmphex(rv_f32_unbox(rv_f32_box(S_SNAN)), ==, S_SNAN);
	/* anything not properly boxed reads as the canonical NaN */
	g_assert_cmphex(rv_f32_unbox(0x000000003f800000ull), ==, RV_F32_CANONICAL_NAN);
	g_assert_cmphex(rv_f32_unbox(0xfffffffe3f800000ull), ==, RV_F32_CANONICAL_NAN);
	g_assert_cmphex(rv_f32_unbox(0x7fffffff3f800000ull), ==, RV_F32_CANONICAL_NAN);
}

/* A rounding mode outside RNE..RMM must not crash or misbehave; it rounds like RNE. */
static void test_reserved_mode(void)
{
	unsigned flags = 0;

	g_assert_cmphex(rv_f32_add(S_ONE, 0x33800000, 5, &flags), ==, S_ONE);
	g_assert_cmphex(rv_f64_add(0x3ff0000000000001ull, 0x3ca0000000000000ull, 7, &flags), ==,
	                0x3ff0000000000002ull);
	g_assert_cmpuint(flags, ==, NX);
}

/* ---- The host as an oracle ---------------------------------------------- */

static const int host_modes[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};

static unsigned flags_from_host(int raised)
{
	return ((raised & FE_INVALID) ? NV : 0) | ((raised & FE_DIVBYZERO) ? DZ : 0) |
	       ((raised & FE_OVERFLOW) ? OF : 0) | ((raised & FE_UNDERFLOW) ? UF : 0) |
	       ((raised & FE_INEXACT) ? NX : 0);
}

/*
 * One operation on the host in the given rounding mode, with the flags it
 * raised.  Operands and results go through volatile variables so that
 * the operation happens between feclearexcept() and fetestexcept().
 */
static struct result host_f32(enum op op, const uint64_t in[3], int fe_mode)
{
	volatile float a = f32_value((uint32_t)in[0]);
	volatile float b = f32_value((uint32_t)in[1]);
	volatile float c = f32_value((uint32_t)in[2]);
	volatile int32_t i32 = (int32_t)in[0];
	volatile uint32_t u32 = (uint32_t)in[0];
	volatile int64_t i64 = (int64_t)in[0];
	volatile uint64_t u64 = in[0];
	volatile float r = 0;
	volatile double wide = 0;
	int raised;

	fesetround(fe_mode);
	feclearexcept(FE_ALL_EXCEPT);
	switch (op) {
	case OP_ADD: r = a + b; break;
	case OP_SUB: r = a - b; break;
	case OP_MUL: r = a * b; break;
	case OP_DIV: r = a / b; break;
	case OP_SQRT: r = sqrtf(a); break;
	case OP_FMADD: r = fmaf(a, b, c); break;
	case OP_FMSUB: r = fmaf(a, b, -c); break;
	case OP_FNMSUB: r = fmaf(-a, b, c); break;
	case OP_FNMADD: r = fmaf(-a, b, -c); break;
	case OP_FROM_I32: r = (float)i32; break;
	case OP_FROM_U32: r = (float)u32; break;
	case OP_FROM_I64: r = (float)i64; break;
	case OP_FROM_U64: r = (float)u64; break;
	case OP_CONVERT: wide = a; break;
	default: break;
	}
	raised = fetestexcept(FE_ALL_EXCEPT);
	fesetround(FE_TONEAREST);

	if (op == OP_CONVERT)
		return (struct result){isnan(wide) ? RV_F64_CANONICAL_NAN : f64_bits(wide),
		                       flags_from_host(raised)};
	return (struct result){isnan(r) ? RV_F32_CANONICAL_NAN : f32_bits(r),
	                       flags_from_host(raised)};
}

static struct result host_f64(enum op op, const uint64_t in[3], int fe_mode)
{
	volatile double a = f64_value(in[0]);
	volatile double b = f64_value(in[1]);
	volatile double c = f64_value(in[2]);
	volatile int32_t i32 = (int32_t)in[0];
	volatile uint32_t u32 = (uint32_t)in[0];
	volatile int64_t i64 = (int64_t)in[0];
	volatile uint64_t u64 = in[0];
	volatile double r = 0;
	volatile float narrow = 0;
	int raised;

	fesetround(fe_mode);
	feclearexcept(FE_ALL_EXCEPT);
	switch (op) {
	case OP_ADD: r = a + b; break;
	case OP_SUB: r = a - b; break;
	case OP_MUL: r = a * b; break;
	case OP_DIV: r = a / b; break;
	case OP_SQRT: r = sqrt(a); break;
	case OP_FMADD: r = fma(a, b, c); break;
	case OP_FMSUB: r = fma(a, b, -c); break;
	case OP_FNMSUB: r = fma(-a, b, c); break;
	case OP_FNMADD: r = fma(-a, b, -c); break;
	case OP_FROM_I32: r = (double)i32; break;
	case OP_FROM_U32: r = (double)u32; break;
	case OP_FROM_I64: r = (double)i64; break;
	case OP_FROM_U64: r = (double)u64; break;
	case OP_CONVERT: narrow = (float)a; break;
	default: break;
	}
	raised = fetestexcept(FE_ALL_EXCEPT);
	fesetround(FE_TONEAREST);

	if (op == OP_CONVERT)
		return (struct result){isnan(narrow) ? RV_F32_CANONICAL_NAN : f32_bits(narrow),
		                       flags_from_host(raised)};
	return (struct result){isnan(r) ? RV_F64_CANONICAL_NAN : f64_bits(r),
	                       flags_from_host(raised)};
}

static const struct format *result_format(const struct format *fmt, enum op op)
{
	if (op == OP_CONVERT)
		return fmt == &F32 ? &F64 : &F32;
	return fmt;
}

/* The value of an encoding of the given format, as a double (exact for both formats). */
static double value_of(const struct format *fmt, uint64_t bits)
{
	return fmt == &F32 ? (double)f32_value((uint32_t)bits) : f64_value(bits);
}

/* ---- Exact arithmetic for the RMM oracle -------------------------------- */

/* A number (-1)^negative * sig * 2^exp; sig is odd, or 0. */
struct exact_num {
	bool negative;
	uint64_t sig;
	int exp;
};

static struct exact_num exact_normalized(bool negative, uint64_t sig, int exp)
{
	if (sig) {
		int zeros = __builtin_ctzll(sig);

		sig >>= zeros;
		exp += zeros;
	}
	return (struct exact_num){negative, sig, exp};
}

static struct exact_num exact_from_double(double x)
{
	int e;
	double m;

	g_assert(isfinite(x));
	m = frexp(fabs(x), &e); /* |x| = m * 2^e, 0.5 <= m < 1: m * 2^53 is an integer */
	return exact_normalized(signbit(x) != 0, (uint64_t)ldexp(m, 53), e - 53);
}

/*
 * A rounded result as an exact number.  An infinity stands for the
 * neighbour just beyond the largest finite number, 2^(emax + 1), which is
 * what the overflowing rounding "chose" in an unbounded exponent range.
 */
static struct exact_num exact_from_result(const struct format *fmt, uint64_t bits)
{
	double x = value_of(fmt, bits);

	if (isinf(x))
		return (struct exact_num){x < 0, 1, 1 << (fmt->exp_bits - 1)};
	return exact_from_double(x);
}

static struct exact_num exact_from_integer(bool negative, uint64_t magnitude)
{
	return exact_normalized(negative, magnitude, 0);
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/*
 * A signed fixed-point number, two's complement over EXACT_WORDS words,
 * with bit 0 worth 2^EXACT_LSB.  It holds any sum of the products below
 * exactly: a product of two binary64 values lies between 2^-2148 and
 * 2^2050, and all the terms used here are at most a few such products.
 */
#define EXACT_WORDS 70
#define EXACT_LSB   (-2240)

struct exact_sum {
	uint64_t w[EXACT_WORDS];
};

/* s += (-1)^negative * mag * 2^exp */
static void exact_add(struct exact_sum *s, bool negative, u128 mag, int exp)
{
	int pos = exp - EXACT_LSB;
	unsigned word, shift;
	uint64_t part[3], carry = 0;

	g_assert(pos >= 0 && pos + 128 < EXACT_WORDS * 64 - 64); /* always fatal: memory safety */
	word = (unsigned)pos / 64;
	shift = (unsigned)pos % 64;
	if (shift == 0) {
		part[0] = (uint64_t)mag;
		part[1] = (uint64_t)(mag >> 64);
		part[2] = 0;
	} else {
		part[0] = (uint64_t)mag << shift;
		part[1] = (uint64_t)(mag >> (64 - shift));
		part[2] = (uint64_t)(mag >> (128 - shift));
	}

	/* Add or subtract word by word, carrying (or borrowing) up to the top word. */
	for (unsigned i = word; i < EXACT_WORDS; i++) {
		uint64_t p = i - word < 3 ? part[i - word] : 0;
		u128 t;

		if (!negative) {
			t = (u128)s->w[i] + p + carry;
			s->w[i] = (uint64_t)t;
			carry = (uint64_t)(t >> 64);
		} else {
			t = (u128)s->w[i] - p - carry;
			s->w[i] = (uint64_t)t;
			carry = (uint64_t)(t >> 64) ? 1 : 0; /* borrow */
		}
		if (i - word >= 2 && carry == 0)
			break;
	}
}

/* s += sign * 2^k * x */
static void exact_add_num(struct exact_sum *s, int sign, int k, struct exact_num x)
{
	exact_add(s, x.negative ^ (sign < 0), x.sig, x.exp + k);
}

/* s += sign * 2^k * x * y */
static void exact_add_product(struct exact_sum *s, int sign, int k, struct exact_num x,
                              struct exact_num y)
{
	exact_add(s, x.negative ^ y.negative ^ (sign < 0), (u128)x.sig * y.sig, x.exp + y.exp + k);
}

static bool exact_is_zero(const struct exact_sum *s)
{
	for (unsigned i = 0; i < EXACT_WORDS; i++)
		if (s->w[i])
			return false;
	return true;
}

/*
 * Is the exact result of `op` the midpoint of t and w?  That is: is
 * 2 * exact - t - w zero?  For division and square root the equation is
 * multiplied out first (2a - tb - wb, 4a - (t + w)^2) so that no
 * quotient or root is ever needed.
 */
/* Operand i as an exact number; only finite operands can have an inexact result. */
static struct exact_num exact_operand(const struct format *fmt, enum op op, const uint64_t in[3],
                                      int i)
{
	switch (op) {
	case OP_FROM_I32: return exact_from_integer((int32_t)in[0] < 0, magnitude((int32_t)in[0]));
	case OP_FROM_U32: return exact_from_integer(false, (uint32_t)in[0]);
	case OP_FROM_I64: return exact_from_integer((int64_t)in[0] < 0, magnitude((int64_t)in[0]));
	case OP_FROM_U64: return exact_from_integer(false, in[0]);
	default: return exact_from_double(value_of(fmt, in[i]));
	}
}

/*
 * Is the exact result of `op` the midpoint of t and w?  That is: is
 * 2 * exact - t - w zero?  For division and square root the equation is
 * multiplied out first (2a - tb - wb, 4a - (t + w)^2) so that no
 * quotient or root is ever needed.
 */
static bool is_exact_midpoint(const struct format *fmt, enum op op, const uint64_t in[3],
                              struct exact_num t, struct exact_num w)
{
	struct exact_sum s = {{0}};
	struct exact_num a = exact_operand(fmt, op, in, 0);
	bool negate_product = op == OP_FNMSUB || op == OP_FNMADD;
	bool negate_addend = op == OP_FMSUB || op == OP_FNMADD;

	switch (op) {
	case OP_ADD:
	case OP_SUB:
		exact_add_num(&s, 1, 1, a);
		exact_add_num(&s, op == OP_SUB ? -1 : 1, 1, exact_operand(fmt, op, in, 1));
		break;
	case OP_MUL: exact_add_product(&s, 1, 1, a, exact_operand(fmt, op, in, 1)); break;
	case OP_DIV:
		exact_add_num(&s, 1, 1, a);
		exact_add_product(&s, -1, 0, t, exact_operand(fmt, op, in, 1));
		exact_add_product(&s, -1, 0, w, exact_operand(fmt, op, in, 1));
		return exact_is_zero(&s);
	case OP_SQRT:
		exact_add_num(&s, 1, 2, a);
		exact_add_product(&s, -1, 0, t, t);
		exact_add_product(&s, -1, 1, t, w);
		exact_add_product(&s, -1, 0, w, w);
		return exact_is_zero(&s);
	case OP_FMADD:
	case OP_FMSUB:
	case OP_FNMSUB:
	case OP_FNMADD:
		exact_add_product(&s, negate_product ? -1 : 1, 1, a, exact_operand(fmt, op, in, 1));
		exact_add_num(&s, negate_addend ? -1 : 1, 1, exact_operand(fmt, op, in, 2));
		break;
	default: /* conversions */ exact_add_num(&s, 1, 1, a); break;
	}
	exact_add_num(&s, -1, 0, t);
	exact_add_num(&s, -1, 0, w);
	return exact_is_zero(&s);
}

/* What the oracle saw, to show that the random operands reach the interesting cases. */
struct coverage {
	unsigned long checks, inexact, ties, underflows, overflows, invalids, exact_tiny;
};

/*
 * RMM from the host: RMM rounds like RNE except on an exact tie, where it
 * takes the neighbour away from zero.  Both neighbours come from the host
 * (RTZ, and RUP or RDN for the direction away from zero); on a tie the
 * result and flags are exactly what the away-from-zero mode gives.
 */
static struct result host_rmm(const struct format *fmt, enum op op, const uint64_t in[3],
                              struct coverage *cov)
{
	const struct format *rfmt = result_format(fmt, op);
	struct result nearest = fmt->host(op, in, FE_TONEAREST);
	struct result toward_zero, away;
	bool negative;

	if (nearest.bits == rfmt->canonical_nan || !(nearest.flags & NX))
		return nearest;
	toward_zero = fmt->host(op, in, FE_TOWARDZERO);
	negative = (toward_zero.bits >> (rfmt->bits - 1)) & 1;
	away = fmt->host(op, in, negative ? FE_DOWNWARD : FE_UPWARD);
	if (!is_exact_midpoint(fmt, op, in, exact_from_result(rfmt, toward_zero.bits),
	                       exact_from_result(rfmt, away.bits)))
		return nearest;
	cov->ties++;
	return away;
}

static bool is_signalling(const struct format *fmt, uint64_t bits)
{
	return fmt == &F32 ? issignaling(f32_value((uint32_t)bits)) != 0
	                   : issignaling(f64_value(bits)) != 0;
}

/*
 * RISC-V rule that IEEE 754 leaves open and x86 does not follow: inf * 0
 * in a fused multiply-add is invalid even when the addend is a quiet NaN.
 */
static bool fma_inf_times_zero(const struct format *fmt, const uint64_t in[3])
{
	double a = value_of(fmt, in[0]), b = value_of(fmt, in[1]);

	return (isinf(a) && b == 0) || (a == 0 && isinf(b));
}

static struct result expected_rounded(const struct format *fmt, enum op op, const uint64_t in[3],
                                      unsigned rm, struct coverage *cov)
{
	struct result r;

	if (rm == RV_RM_RMM)
		r = host_rmm(fmt, op, in, cov);
	else
		r = fmt->host(op, in, host_modes[rm]);
	if (op >= OP_FMADD && op <= OP_FNMADD && fma_inf_times_zero(fmt, in))
		r.flags |= NV;
	return r;
}

/* Float to integer: round with the host, then apply the spec's saturation table. */
static struct result expected_to_integer(const struct format *fmt, enum op op, const uint64_t in[3],
                                         unsigned rm)
{
	volatile double x = value_of(fmt, in[0]);
	bool is_signed = op == OP_TO_I32 || op == OP_TO_I64;
	int width = op == OP_TO_I32 || op == OP_TO_U32 ? 32 : 64;
	double lowest = is_signed ? -ldexp(1, width - 1) : 0;
	double beyond = is_signed ? ldexp(1, width - 1) : ldexp(1, width);
	uint64_t largest = is_signed ? (1ull << (width - 1)) - 1 : ~0ull >> (64 - width);
	uint64_t value;
	volatile double r;

	if (isnan(x)) {
		value = largest;
		goto invalid;
	}
	if (rm == RV_RM_RMM) {
		r = round(x); /* halfway cases away from zero: exactly RMM */
	} else {
		fesetround(host_modes[rm]);
		r = nearbyint(x);
		fesetround(FE_TONEAREST);
	}

	if (r >= beyond) {
		value = largest;
	} else if (r < lowest) {
		value = is_signed ? (uint64_t)(int64_t)lowest : 0;
	} else {
		value = is_signed ? (uint64_t)(int64_t)r : (uint64_t)r;
		if (width == 32) /* the register holds the 32-bit result sign-extended */
			value = (uint64_t)(int64_t)(int32_t)(uint32_t)value;
		return (struct result){value, r != x ? NX : 0};
	}
invalid:
	if (width == 32)
		value = (uint64_t)(int64_t)(int32_t)(uint32_t)value;
	return (struct result){value, NV};
}

/* min, max, comparisons and classification from host comparisons and C's classification. */
static struct result expected_non_rounding(const struct format *fmt, enum op op,
                                           const uint64_t in[3])
{
	double a = value_of(fmt, in[0]), b = value_of(fmt, in[1]);
	bool a_nan = isnan(a), b_nan = isnan(b);
	bool any_snan = is_signalling(fmt, in[0]) || is_signalling(fmt, in[1]);
	bool a_first;

	switch (op) {
	case OP_MIN:
	case OP_MAX:
		if (a_nan && b_nan)
			return (struct result){fmt->canonical_nan, any_snan ? NV : 0};
		if (a_nan || b_nan)
			return (struct result){a_nan ? in[1] : in[0], any_snan ? NV : 0};
		if (a == b) /* equal values, or zeros of either sign: -0 is the smaller */
			a_first = (signbit(a) != 0) == (op == OP_MIN);
		else
			a_first = (a < b) == (op == OP_MIN);
		return (struct result){a_first ? in[0] : in[1], 0};
	case OP_EQ: return (struct result){a == b, any_snan ? NV : 0};
	case OP_LT: return (struct result){isless(a, b), a_nan || b_nan ? NV : 0};
	case OP_LE: return (struct result){islessequal(a, b), a_nan || b_nan ? NV : 0};
	case OP_CLASS:
	default: {
		bool neg = signbit(a) != 0;

		/* classify in the operand's own format: an f32 subnormal is a normal double */
		int class = fmt == &F32 ? fpclassify(f32_value((uint32_t)in[0])) : fpclassify(a);

		switch (class) {
		case FP_INFINITE: return (struct result){neg ? 1u << 0 : 1u << 7, 0};
		case FP_NORMAL: return (struct result){neg ? 1u << 1 : 1u << 6, 0};
		case FP_SUBNORMAL: return (struct result){neg ? 1u << 2 : 1u << 5, 0};
		case FP_ZERO: return (struct result){neg ? 1u << 3 : 1u << 4, 0};
		default: return (struct result){is_signalling(fmt, in[0]) ? 1u << 8 : 1u << 9, 0};
		}
	}
	}
}

static struct result expected(const struct format *fmt, enum op op, const uint64_t in[3],
                              unsigned rm, struct coverage *cov)
{
	switch (op) {
	case OP_MIN:
	case OP_MAX:
	case OP_EQ:
	case OP_LT:
	case OP_LE:
	case OP_CLASS: return expected_non_rounding(fmt, op, in);
	case OP_TO_I32:
	case OP_TO_U32:
	case OP_TO_I64:
	case OP_TO_U64: return expected_to_integer(fmt, op, in, rm);
	default: return expected_rounded(fmt, op, in, rm, cov);
	}
}

/* ---- Random operands ---------------------------------------------------- */

struct rng {
	uint64_t state;
};

/* splitmix64: small, fast, and good enough to spread test cases */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

static int64_t rng_between(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo + 1));
}

static uint64_t frac_mask(const struct format *fmt)
{
	return (1ull << fmt->frac_bits) - 1;
}

static int64_t max_exp_field(const struct format *fmt)
{
	return (1 << fmt->exp_bits) - 1;
}

static int64_t exp_bias(const struct format *fmt)
{
	return (1 << (fmt->exp_bits - 1)) - 1;
}

static uint64_t encode(const struct format *fmt, bool sign, int64_t exp_field, uint64_t frac)
{
	return ((uint64_t)sign << (fmt->bits - 1)) | ((uint64_t)exp_field << fmt->frac_bits) |
	       (frac & frac_mask(fmt));
}

/*
 * Fractions that make interesting results: few significant bits (exact
 * results and ties), all ones (carries), a lone low bit, or random.
 */
static uint64_t random_fraction(const struct format *fmt, struct rng *r)
{
	uint64_t frac = rng_next(r) & frac_mask(fmt);
	unsigned keep;

	switch (rng_below(r, 8)) {
	case 0:
	case 1:
	case 2:
		keep = (unsigned)rng_below(r, fmt->frac_bits + 1); /* keep only the top bits */
		return keep == 0 ? 0 : frac & ~(frac_mask(fmt) >> keep);
	case 3: return frac_mask(fmt) & ~(rng_below(r, 4) ? 0 : rng_next(r) & 0xff);
	case 4: return (rng_below(r, 2) ? 0 : 1ull << rng_below(r, fmt->frac_bits)) | 1;
	default: return frac;
	}
}

static uint64_t special_value(const struct format *fmt, struct rng *r)
{
	bool sign = rng_below(r, 2);
	int64_t top = max_exp_field(fmt);

	switch (rng_below(r, 9)) {
	case 0: return encode(fmt, sign, 0, 0);   /* zero */
	case 1: return encode(fmt, sign, top, 0); /* infinity */
	case 2: return encode(fmt, sign, top, ((frac_mask(fmt) + 1) >> 1) | rng_next(r)); /* qNaN */
	case 3: return encode(fmt, sign, top, ((rng_next(r) & frac_mask(fmt)) >> 1) | 1); /* sNaN */
	case 4: return encode(fmt, sign, top - 1, frac_mask(fmt)); /* largest */
	case 5: return encode(fmt, sign, 1, 0);                    /* smallest normal */
	case 6: return encode(fmt, sign, 0, 1);                    /* smallest subnormal */
	case 7: return encode(fmt, sign, 0, frac_mask(fmt));       /* largest subnormal */
	default: return encode(fmt, sign, exp_bias(fmt), 0);       /* one */
	}
}

/* A finite (or occasionally special) operand with its exponent field near `center`. */
static uint64_t random_operand_near(const struct format *fmt, struct rng *r, int64_t center,
                                    int64_t spread)
{
	int64_t e = center + rng_between(r, -spread, spread);

	if (rng_below(r, 24) == 0)
		return special_value(fmt, r);
	if (e < 0)
		e = 0;
	if (e >= max_exp_field(fmt))
		e = max_exp_field(fmt) - 1;
	return encode(fmt, rng_below(r, 2), e, random_fraction(fmt, r));
}

/* Exponents spread over the whole range, but crowding the edges. */
static uint64_t random_operand(const struct format *fmt, struct rng *r)
{
	int64_t top = max_exp_field(fmt);

	switch (rng_below(r, 8)) {
	case 0: return random_operand_near(fmt, r, 0, 2);             /* subnormal and tiny */
	case 1: return random_operand_near(fmt, r, top - 1, 3);       /* huge */
	case 2: return random_operand_near(fmt, r, top / 2, top / 2); /* anywhere */
	default: return random_operand_near(fmt, r, exp_bias(fmt), 40);
	}
}

static int64_t exp_field_of(const struct format *fmt, uint64_t bits)
{
	return (int64_t)((bits >> fmt->frac_bits) & (uint64_t)max_exp_field(fmt));
}

/*
 * An exponent field the result of a multiplication or division should
 * land near: the underflow threshold, the overflow threshold, or around 1.
 */
static int64_t interesting_result_exponent(const struct format *fmt, struct rng *r)
{
	switch (rng_below(r, 4)) {
	case 0: return rng_between(r, -(int64_t)fmt->frac_bits - 2, 2); /* subnormal results */
	case 1: return max_exp_field(fmt) - rng_between(r, -1, 2);      /* around overflow */
	default: return exp_bias(fmt) + rng_between(r, -20, 20);
	}
}

/* A value within a few ulps of x (a copy of x with its low bits jiggled). */
static uint64_t nearby(struct rng *r, uint64_t x)
{
	return x + (uint64_t)rng_between(r, -3, 3);
}

static uint64_t random_integer(struct rng *r, unsigned width, bool is_signed, unsigned precision)
{
	unsigned bits = (unsigned)rng_between(r, 1, width);
	uint64_t v = rng_next(r);

	if (rng_below(r, 3) == 0) /* just above the precision: ties and near-ties */
		bits = precision + (unsigned)rng_below(r, 4);
	if (bits > width)
		bits = width;
	v = bits == 64 ? v : v & ((1ull << bits) - 1);
	v |= 1ull << (bits - 1);
	if (rng_below(r, 4) == 0) /* few significant bits */
		v &= ~0ull << rng_below(r, bits);
	if (is_signed && rng_below(r, 2)) {
		v = 0 - v;
		if (width == 32)
			v = (uint64_t)(int64_t)(int32_t)(uint32_t)v;
	} else if (is_signed && bits == width) {
		v >>= 1; /* keep it positive */
	}
	if (rng_below(r, 64) == 0)
		v = rng_below(r, 2) ? 0
		    : is_signed     ? (width == 32 ? I(INT32_MIN) : I(INT64_MIN))
		                    : ~0ull >> (64 - width);
	return v;
}

/* Values around integers and the range limits of the integer formats. */
static uint64_t random_for_integer_conversion(const struct format *fmt, struct rng *r)
{
	int64_t bias = exp_bias(fmt);

	switch (rng_below(r, 6)) {
	case 0: return random_operand(fmt, r);
	case 1: return random_operand_near(fmt, r, bias + 31, 1);
	case 2: return random_operand_near(fmt, r, bias + 63, 1);
	default: return random_operand_near(fmt, r, bias + 10, 12);
	}
}

static void random_operands(const struct format *fmt, enum op op, struct rng *r, uint64_t in[3])
{
	int64_t bias = exp_bias(fmt);
	volatile double product;

	in[0] = random_operand(fmt, r);
	in[1] = random_operand(fmt, r);
	in[2] = random_operand(fmt, r);

	switch (op) {
	case OP_ADD:
	case OP_SUB:
	case OP_MIN:
	case OP_MAX:
	case OP_EQ:
	case OP_LT:
	case OP_LE:
		switch (rng_below(r, 4)) {
		case 0: /* the same magnitude give or take a few ulps: cancellation, equality */
			in[1] = nearby(r, in[0]) ^ ((uint64_t)rng_below(r, 2) << (fmt->bits - 1));
			break;
		case 1: /* exponents a little apart: alignment, ties, sticky bits */
			in[1] = random_operand_near(fmt, r, exp_field_of(fmt, in[0]),
			                            fmt->frac_bits + 3);
			break;
		default: break;
		}
		break;
	case OP_MUL:
	case OP_DIV:
	case OP_FMADD:
	case OP_FMSUB:
	case OP_FNMSUB:
	case OP_FNMADD:
		if (rng_below(r, 2)) {
			/* steer the product or quotient to an interesting exponent */
			int64_t target = interesting_result_exponent(fmt, r);
			int64_t e = op == OP_DIV ? exp_field_of(fmt, in[0]) + bias - target
			                         : target - exp_field_of(fmt, in[0]) + bias;

			in[1] = random_operand_near(fmt, r, e, 1);
		}
		if (op == OP_MUL || op == OP_DIV)
			break;
		switch (rng_below(r, 3)) {
		case 0: /* an addend that (nearly) cancels the product */
			fesetround(FE_TONEAREST);
			product = value_of(fmt, in[0]) * value_of(fmt, in[1]);
			in[2] = fmt == &F32 ? f32_bits((float)product) : f64_bits(product);
			in[2] = nearby(r, in[2]) ^ ((uint64_t)rng_below(r, 2) << (fmt->bits - 1));
			break;
		case 1: /* an addend near the product's magnitude */
			in[2] = random_operand_near(
			        fmt, r, exp_field_of(fmt, in[0]) + exp_field_of(fmt, in[1]) - bias,
			        fmt->frac_bits + 3);
			break;
		default: break;
		}
		break;
	case OP_SQRT:
		if (rng_below(r, 4) == 0) { /* perfect squares of short significands */
			uint64_t root = random_operand_near(fmt, r, bias, bias / 2);

			root &= ~(frac_mask(fmt) >> (fmt->frac_bits / 2));
			product = value_of(fmt, root) * value_of(fmt, root);
			in[0] = fmt == &F32 ? f32_bits((float)product) : f64_bits(product);
		}
		break;
	case OP_TO_I32:
	case OP_TO_U32:
	case OP_TO_I64:
	case OP_TO_U64: in[0] = random_for_integer_conversion(fmt, r); break;
	case OP_FROM_I32: in[0] = random_integer(r, 32, true, fmt->frac_bits + 1); break;
	case OP_FROM_U32: in[0] = random_integer(r, 32, false, fmt->frac_bits + 1); break;
	case OP_FROM_I64: in[0] = random_integer(r, 64, true, fmt->frac_bits + 1); break;
	case OP_FROM_U64: in[0] = random_integer(r, 64, false, fmt->frac_bits + 1); break;
	case OP_CONVERT:
		if (fmt == &F64 && rng_below(r, 4)) {
			/* binary64 values around binary32's range, often with a tie at bit 24 */
			int64_t e = interesting_result_exponent(&F32, r) - exp_bias(&F32) + bias;
			uint64_t frac = random_fraction(&F32, r) << (52 - 23);

			if (rng_below(r, 2))
				frac |= 1ull << (52 - 24);
			in[0] = encode(fmt, rng_below(r, 2), e, frac);
		}
		break;
	default: break;
	}
	/* binary32 operands live in the low 32 bits (integers keep their own width) */
	for (unsigned i = 0; i < 3 && fmt == &F32; i++)
		if (i > 0 || op < OP_FROM_I32 || op > OP_FROM_U64)
			in[i] &= 0xffffffffu;
}

/* ---- Random cross-checks ------------------------------------------------ */

struct random_test {
	const struct format *fmt;
	enum op op;
};

static unsigned long iterations(void)
{
	const char *env = g_getenv("KENNEL_FPU_ITERATIONS");

	if (env && *env)
		return strtoul(env, NULL, 10);
	return g_test_thorough() ? 1000000 : 100000;
}

static void count_coverage(struct coverage *cov, struct result want, const struct format *rfmt)
{
	cov->checks++;
	cov->inexact += (want.flags & NX) != 0;
	cov->underflows += (want.flags & UF) != 0;
	cov->overflows += (want.flags & OF) != 0;
	cov->invalids += (want.flags & NV) != 0;
	if (!(want.flags & NX) && rfmt && (want.bits & ~(1ull << (rfmt->bits - 1))) != 0 &&
	    ((want.bits >> rfmt->frac_bits) & ((1ull << rfmt->exp_bits) - 1)) == 0)
		cov->exact_tiny++; /* an exact subnormal result: must not raise UF */
}

static void test_random(gconstpointer data)
{
	const struct random_test *t = data;
	const struct format *fmt = t->fmt;
	bool rounds = t->op <= OP_FNMADD || t->op >= OP_FROM_I32;
	struct rng r = {((uint64_t)g_test_rand_int() << 32) | g_test_rand_int()};
	struct coverage cov = {0};
	unsigned long n = iterations(), failures = 0;

	for (unsigned long i = 0; i < n; i++) {
		unsigned rm = (unsigned)(i % 5);
		uint64_t in[3];
		struct result want, got;

		random_operands(fmt, t->op, &r, in);
		want = expected(fmt, t->op, in, rm, &cov);
		got = fmt->run(t->op, in, rm);
		count_coverage(&cov, want, rounds ? result_format(fmt, t->op) : NULL);
		if (results_equal(got, want))
			continue;
		if (++failures <= 20) {
			char got_flags[32], want_flags[32];

			format_flags(got.flags, got_flags);
			format_flags(want.flags, want_flags);
			g_test_message("%s %s %s a=%#" PRIx64 " b=%#" PRIx64 " c=%#" PRIx64
			               ": got %#" PRIx64 " [%s], want %#" PRIx64 " [%s]",
			               fmt->name, op_names[t->op], mode_names[rm], in[0], in[1],
			               in[2], got.bits, got_flags, want.bits, want_flags);
		}
	}
	g_test_message("%lu cases: %lu inexact, %lu RMM ties, %lu UF, %lu OF, %lu NV, "
	               "%lu exact subnormal results",
	               cov.checks, cov.inexact, cov.ties, cov.underflows, cov.overflows,
	               cov.invalids, cov.exact_tiny);
	g_assert_cmpuint(failures, ==, 0);
}

/* ---- Registration ------------------------------------------------------- */

static const enum op random_ops[] = {
        OP_ADD,    OP_SUB,      OP_MUL,      OP_DIV,      OP_SQRT,     OP_FMADD,
        OP_FMSUB,  OP_FNMSUB,   OP_FNMADD,   OP_MIN,      OP_MAX,      OP_EQ,
        OP_LT,     OP_LE,       OP_CLASS,    OP_TO_I32,   OP_TO_U32,   OP_TO_I64,
        OP_TO_U64, OP_FROM_I32, OP_FROM_U32, OP_FROM_I64, OP_FROM_U64, OP_CONVERT,
};

static struct random_test random_tests[2][G_N_ELEMENTS(random_ops)];

static void add_random_tests(void)
{
	const struct format *formats[2] = {&F32, &F64};

	for (unsigned f = 0; f < 2; f++) {
		for (unsigned i = 0; i < G_N_ELEMENTS(random_ops); i++) {
			struct random_test *t = &random_tests[f][i];
			g_autofree char *path = NULL;

			t->fmt = formats[f];
			t->op = random_ops[i];
			path = g_strdup_printf("/fpu/%s/random/%s", t->fmt->name,
			                       t->op == OP_CONVERT ? (f == 0 ? "to-f64" : "to-f32")
			                                           : op_names[t->op]);
			g_test_add_data_func(path, t, test_random);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* a failing test reports "not ok" and the others still run */
	g_test_set_nonfatal_assertions();

	g_test_add_func("/fpu/nan-boxing", test_nan_boxing);
	g_test_add_func("/fpu/reserved-rounding-mode", test_reserved_mode);
	g_test_add_func("/fpu/f32/vectors", test_f32_vectors);
	g_test_add_func("/fpu/f64/vectors", test_f64_vectors);
#if defined(__x86_64__)
	/*
	 * The oracle needs a host that rounds correctly in all four IEEE
	 * modes and detects tininess after rounding, as RISC-V does: x86-64
	 * SSE does.  (AArch64, for one, detects it before rounding.)
	 */
	add_random_tests();
#else
	g_test_message("random cross-checks need an x86-64 host FPU; skipped");
#endif
	return g_test_run();
}
