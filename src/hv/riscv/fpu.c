/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IEEE 754 binary32/binary64 arithmetic in software, for the F and D
 * extensions.
 *
 * Every operation follows the same three steps:
 *
 *   1. unpack each operand into a kind (zero, finite, infinity, quiet or
 *      signalling NaN), a sign and, for finite values, an integer
 *      significand and a power-of-two scale: value = sig * 2^scale;
 *   2. settle the special cases (NaNs, infinities, zeros) straight from the
 *      spec, and otherwise compute the result exactly as an integer "mag"
 *      and a scale, or, where the exact result has too many bits (a
 *      quotient, a root, a far-away addend), as its leading bits with a
 *      "sticky" bit that records that something non-zero was cut off;
 *   3. hand that to round_and_pack(), the one place where rounding,
 *      overflow, underflow and the inexact flag are decided, for both
 *      formats and all five rounding modes.
 *
 * Both formats share the code: a struct fp_format says how many exponent
 * and fraction bits there are, and encodings travel in a uint64_t (a
 * binary32 in its low 32 bits).  There is no global state, so all of this
 * is thread-safe; flags are OR-ed into the caller's fflags.
 */
#include "fpu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 u128;

struct fp_format {
	unsigned frac_bits; /* stored fraction bits; the precision is one more */
	unsigned exp_bits;
};

static const struct fp_format F32 = {.frac_bits = 23, .exp_bits = 8};
static const struct fp_format F64 = {.frac_bits = 52, .exp_bits = 11};

static unsigned precision(const struct fp_format *f)
{
	return f->frac_bits + 1;
}

static int exponent_bias(const struct fp_format *f)
{
	return (1 << (f->exp_bits - 1)) - 1;
}

/* The exponent of the smallest normal number; subnormals share it. */
static int min_exponent(const struct fp_format *f)
{
	return 1 - exponent_bias(f);
}

static int max_exponent(const struct fp_format *f)
{
	return exponent_bias(f);
}

static uint64_t sign_mask(const struct fp_format *f)
{
	return 1ull << (f->frac_bits + f->exp_bits);
}

static uint64_t frac_mask(const struct fp_format *f)
{
	return (1ull << f->frac_bits) - 1;
}

static uint64_t exp_field_all_ones(const struct fp_format *f)
{
	return (1ull << f->exp_bits) - 1;
}

static uint64_t canonical_nan(const struct fp_format *f)
{
	return f == &F32 ? RV_F32_CANONICAL_NAN : RV_F64_CANONICAL_NAN;
}

/* ---- Encodings ---------------------------------------------------------- */

enum fp_kind { FP_ZERO, FP_FINITE, FP_INF, FP_QNAN, FP_SNAN };

struct fp_value {
	enum fp_kind kind;
	bool sign;
	bool subnormal;
	uint64_t sig; /* finite values only: value = sig * 2^scale, sig != 0 */
	int scale;
};

static struct fp_value unpack(const struct fp_format *f, uint64_t bits)
{
	struct fp_value v = {.sign = (bits & sign_mask(f)) != 0};
	uint64_t exp_field = (bits >> f->frac_bits) & exp_field_all_ones(f);
	uint64_t frac = bits & frac_mask(f);

	if (exp_field == exp_field_all_ones(f)) {
		bool quiet_bit = (frac >> (f->frac_bits - 1)) & 1;

		v.kind = frac == 0 ? FP_INF : quiet_bit ? FP_QNAN : FP_SNAN;
	} else if (exp_field == 0) {
		/* Subnormals have no implicit leading one and the exponent of the smallest normal.
		 */
		v.kind = frac == 0 ? FP_ZERO : FP_FINITE;
		v.subnormal = frac != 0;
		v.sig = frac;
		v.scale = min_exponent(f) - (int)f->frac_bits;
	} else {
		v.kind = FP_FINITE;
		v.sig = frac | (1ull << f->frac_bits);
		v.scale = (int)exp_field - exponent_bias(f) - (int)f->frac_bits;
	}
	return v;
}

static bool is_nan(const struct fp_value *v)
{
	return v->kind == FP_QNAN || v->kind == FP_SNAN;
}

static uint64_t pack_zero(const struct fp_format *f, bool sign)
{
	return sign ? sign_mask(f) : 0;
}

static uint64_t pack_inf(const struct fp_format *f, bool sign)
{
	return pack_zero(f, sign) | (exp_field_all_ones(f) << f->frac_bits);
}

static uint64_t pack_max_finite(const struct fp_format *f, bool sign)
{
	return pack_inf(f, sign) - 1;
}

/* An invalid operation: NV, and the result is the canonical NaN. */
static uint64_t invalid(const struct fp_format *f, unsigned *fflags)
{
	*fflags |= RV_FFLAG_NV;
	return canonical_nan(f);
}

/*
 * The result of an operation with a NaN operand: always the canonical NaN,
 * and NV only if one of the NaNs is signalling (quiet NaNs pass silently).
 */
static uint64_t propagate_nan(const struct fp_format *f, const struct fp_value *a,
                              const struct fp_value *b, unsigned *fflags)
{
	if (a->kind == FP_SNAN || (b && b->kind == FP_SNAN))
		*fflags |= RV_FFLAG_NV;
	return canonical_nan(f);
}

/* ---- Rounding ----------------------------------------------------------- */

/*
 * Should the significand, cut after its last kept bit, be incremented?
 * `lsb` is that last kept bit, `round_bit` the first bit cut off (worth
 * exactly half a unit in the last place) and `sticky` whether any bit
 * below it is set.  So the part cut off is below half an ulp when
 * round_bit is clear, exactly half when round_bit is set and sticky is
 * clear, and above half otherwise.
 */
static bool round_increments(unsigned rm, bool sign, bool lsb, bool round_bit, bool sticky)
{
	switch (rm) {
	case RV_RM_RTZ:
		/* toward zero: never grow the magnitude */
		return false;
	case RV_RM_RDN:
		/* toward -inf: only a negative value grows in magnitude */
		return sign && (round_bit || sticky);
	case RV_RM_RUP:
		/* toward +inf: only a positive value grows in magnitude */
		return !sign && (round_bit || sticky);
	case RV_RM_RMM:
		/* nearest, and a tie goes away from zero */
		return round_bit;
	case RV_RM_RNE:
	default:
		/* nearest, and a tie goes to the neighbour whose last bit is 0 */
		/* (also any other rm: the caller resolves DYN and rejects 5 and 6) */
		return round_bit && (sticky || lsb);
	}
}

/* x >> n, except that any 1 bits shifted out are OR-ed into bit 0 ("jamming"). */
static uint64_t shift_right_jam64(uint64_t x, unsigned n)
{
	if (n == 0)
		return x;
	if (n >= 64)
		return x != 0;
	return (x >> n) | ((x & ((1ull << n) - 1)) != 0);
}

static u128 shift_right_jam128(u128 x, unsigned n)
{
	if (n == 0)
		return x;
	if (n >= 128)
		return x != 0;
	return (x >> n) | ((x & (((u128)1 << n) - 1)) != 0);
}

/* Index of the highest set bit; x must not be 0. */
static int highest_bit128(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);

	if (hi)
		return 127 - __builtin_clzll(hi);
	return 63 - __builtin_clzll((uint64_t)x);
}

/*
 * round_and_pack() takes a non-zero value as (-1)^sign * sig * 2^(exp - 62)
 * with bit 62 of sig set, i.e. 1.xxx * 2^exp with 62 bits after the point.
 * The lowest bit of sig may be a sticky bit.  Bit 63 stays free so that
 * rounding up can carry into it.
 */
#define SIG_TOP 62

/*
 * Cut the lowest `drop` bits off sig and round what is left per rm.
 * The result can be one unit larger than the largest value that fits in
 * the remaining bits (a carry out of the top); the caller handles that.
 */
static uint64_t round_significand(uint64_t sig, unsigned drop, bool sign, unsigned rm,
                                  bool *inexact)
{
	uint64_t kept = sig >> drop;
	bool round_bit = (sig >> (drop - 1)) & 1;
	bool sticky = (sig & ((1ull << (drop - 1)) - 1)) != 0;

	*inexact = round_bit || sticky;
	return kept + round_increments(rm, sign, kept & 1, round_bit, sticky);
}

/* Overflow gives infinity, or the largest finite number when the mode rounds toward zero. */
static uint64_t overflow_result(const struct fp_format *f, bool sign, unsigned rm)
{
	bool to_infinity;

	switch (rm) {
	case RV_RM_RTZ: to_infinity = false; break;
	case RV_RM_RDN: to_infinity = sign; break;
	case RV_RM_RUP: to_infinity = !sign; break;
	default: to_infinity = true; break; /* RNE and RMM */
	}
	return to_infinity ? pack_inf(f, sign) : pack_max_finite(f, sign);
}

/* Assemble an encoding from a rounded significand of at most `precision` bits. */
static uint64_t pack_finite(const struct fp_format *f, bool sign, int exp, uint64_t sig)
{
	uint64_t bits = pack_zero(f, sign);

	if (sig >> f->frac_bits) /* leading one present: a normal number */
		bits |= ((uint64_t)(exp + exponent_bias(f)) << f->frac_bits) | (sig & frac_mask(f));
	else /* subnormal or zero: exponent field 0, the value is sig * 2^(emin - frac_bits) */
		bits |= sig;
	return bits;
}

/*
 * Round (-1)^sign * 1.xxx * 2^exp (sig as described at SIG_TOP) to the
 * format and encode it.  The recipe:
 *   1. below the normal range, decide tininess first (on the value
 *      rounded to full precision), then shift right to the subnormal
 *      scale, folding the lost bits into the sticky bit;
 *   2. round to the format's precision as the mode says;
 *   3. if rounding carried out of the top (1.11...1 -> 10.00...0),
 *      renormalize: that can push the exponent up by one;
 *   4. only now check for overflow: it depends on the rounded value;
 *   5. inexact raises NX, and UF too if the result is tiny.
 */
static uint64_t round_and_pack(const struct fp_format *f, bool sign, int exp, uint64_t sig,
                               unsigned rm, unsigned *fflags)
{
	unsigned p = precision(f);
	unsigned drop = SIG_TOP + 1 - p; /* bits below the last bit the format keeps */
	int emin = min_exponent(f);
	bool tiny = false;
	bool inexact;

	if (exp < emin) {
		/*
		 * Below the normal range.  RISC-V detects tininess after
		 * rounding: the result is tiny if rounding to full precision
		 * with an unbounded exponent stays below 2^emin.  That can only
		 * fail when 1.111...1 * 2^(emin-1) rounds up to 2^emin.
		 */
		if (exp == emin - 1) {
			bool ignored;
			uint64_t rounded = round_significand(sig, drop, sign, rm, &ignored);

			tiny = rounded < (1ull << p);
		} else {
			tiny = true;
		}
		/* Then denormalize: shift to emin's scale, keeping cut-off bits as sticky. */
		sig = shift_right_jam64(sig, (unsigned)(emin - exp));
		exp = emin;
	}

	sig = round_significand(sig, drop, sign, rm, &inexact);
	if (sig == (1ull << p)) { /* 1.111...1 rounded up to 10.000...0 */
		sig >>= 1;
		exp++;
	}

	if (exp > max_exponent(f)) {
		*fflags |= RV_FFLAG_OF | RV_FFLAG_NX;
		return overflow_result(f, sign, rm);
	}
	if (inexact) {
		/* UF means tiny AND inexact: an exactly representable subnormal is no underflow. */
		*fflags |= RV_FFLAG_NX | (tiny ? RV_FFLAG_UF : 0);
	}
	return pack_finite(f, sign, exp, sig);
}

/*
 * Round (-1)^sign * mag * 2^scale, mag != 0 and as wide as 128 bits.  The
 * lowest bit of mag may be a sticky bit as long as mag has at least two
 * more bits than the precision above it.
 */
static uint64_t round_wide(const struct fp_format *f, bool sign, int scale, u128 mag, unsigned rm,
                           unsigned *fflags)
{
	int top = highest_bit128(mag);
	uint64_t sig;

	if (top > SIG_TOP)
		sig = (uint64_t)shift_right_jam128(mag, (unsigned)(top - SIG_TOP));
	else
		sig = (uint64_t)mag << (SIG_TOP - top);
	return round_and_pack(f, sign, scale + top, sig, rm, fflags);
}

/* ---- Addition and fused multiply-add ------------------------------------ */

/* A non-zero exact value (-1)^sign * mag * 2^scale, with mag below 2^107. */
struct term {
	bool sign;
	int scale;
	u128 mag;
};

static struct term term_of(const struct fp_value *v)
{
	return (struct term){.sign = v->sign, .scale = v->scale, .mag = v->sig};
}

/* Bit at which add_terms() lines up leading ones: two bits of headroom for the carry. */
#define ADD_TOP 125

static void align_top(struct term *t)
{
	int shift = ADD_TOP - highest_bit128(t->mag);

	t->mag <<= shift;
	t->scale -= shift;
}

/*
 * Round x + y.  Both leading ones are moved to bit 125; the term with the
 * larger exponent (hi) is then exact with at least 19 zero bits at the
 * bottom (its mag had at most 107 bits).  The other (lo) is shifted right
 * to hi's scale, jamming what falls off into its bit 0.  Because hi's bit
 * 0 is zero, hi +/- lo keeps its bit 0 set exactly when bits were lost,
 * and all bits above bit 0 are those of the exact sum: a correct sticky
 * bit, far below the rounding position, even after cancellation.
 */
static uint64_t add_terms(const struct fp_format *f, struct term x, struct term y, unsigned rm,
                          unsigned *fflags)
{
	struct term hi, lo;
	u128 mag;
	bool sign;

	align_top(&x);
	align_top(&y);
	hi = x.scale >= y.scale ? x : y;
	lo = x.scale >= y.scale ? y : x;
	lo.mag = shift_right_jam128(lo.mag, (unsigned)(hi.scale - lo.scale));

	if (hi.sign == lo.sign) {
		mag = hi.mag + lo.mag;
		sign = hi.sign;
	} else if (hi.mag >= lo.mag) {
		mag = hi.mag - lo.mag;
		sign = hi.sign;
	} else {
		mag = lo.mag - hi.mag;
		sign = lo.sign;
	}

	if (mag == 0) /* exact cancellation: +0, but -0 when rounding down (IEEE 754 6.3) */
		return pack_zero(f, rm == RV_RM_RDN);
	return round_wide(f, sign, hi.scale, mag, rm, fflags);
}

/* The sum of two zeros: their sign if they agree, else +0 (-0 when rounding down). */
static uint64_t add_zeros(const struct fp_format *f, bool sign_a, bool sign_b, unsigned rm)
{
	return pack_zero(f, sign_a == sign_b ? sign_a : rm == RV_RM_RDN);
}

static uint64_t fp_add(const struct fp_format *f, uint64_t a, uint64_t b, unsigned rm,
                       unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);

	if (is_nan(&x) || is_nan(&y))
		return propagate_nan(f, &x, &y, fflags);
	if (x.kind == FP_INF && y.kind == FP_INF && x.sign != y.sign)
		return invalid(f, fflags); /* inf - inf */
	if (x.kind == FP_INF || y.kind == FP_INF)
		return pack_inf(f, x.kind == FP_INF ? x.sign : y.sign);
	if (x.kind == FP_ZERO && y.kind == FP_ZERO)
		return add_zeros(f, x.sign, y.sign, rm);
	if (x.kind == FP_ZERO)
		return b; /* exact: no rounding, no flags, even for a subnormal */
	if (y.kind == FP_ZERO)
		return a;
	return add_terms(f, term_of(&x), term_of(&y), rm, fflags);
}

static uint64_t fp_fma(const struct fp_format *f, uint64_t a, uint64_t b, uint64_t c,
                       bool negate_product, bool negate_addend, unsigned rm, unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);
	struct fp_value z = unpack(f, negate_addend ? c ^ sign_mask(f) : c);
	bool product_sign = x.sign ^ y.sign ^ negate_product;
	bool inf_times_zero =
	        (x.kind == FP_INF && y.kind == FP_ZERO) || (x.kind == FP_ZERO && y.kind == FP_INF);
	struct term product;

	if (is_nan(&x) || is_nan(&y) || is_nan(&z)) {
		/* RISC-V: inf * 0 is invalid even when the addend is a quiet NaN. */
		if (x.kind == FP_SNAN || y.kind == FP_SNAN || z.kind == FP_SNAN || inf_times_zero)
			*fflags |= RV_FFLAG_NV;
		return canonical_nan(f);
	}
	if (inf_times_zero)
		return invalid(f, fflags);
	if (x.kind == FP_INF || y.kind == FP_INF) {
		if (z.kind == FP_INF && z.sign != product_sign)
			return invalid(f, fflags); /* inf - inf */
		return pack_inf(f, product_sign);
	}
	if (z.kind == FP_INF)
		return pack_inf(f, z.sign);
	if (x.kind == FP_ZERO || y.kind == FP_ZERO) {
		if (z.kind == FP_ZERO)
			return add_zeros(f, product_sign, z.sign, rm);
		return negate_addend ? c ^ sign_mask(f) : c; /* 0 + z is exactly z */
	}

	/* The exact product has at most 2 * 53 = 106 bits: no rounding before the addition. */
	product = (struct term){
	        .sign = product_sign, .scale = x.scale + y.scale, .mag = (u128)x.sig * y.sig};
	if (z.kind == FP_ZERO)
		return round_wide(f, product.sign, product.scale, product.mag, rm, fflags);
	return add_terms(f, product, term_of(&z), rm, fflags);
}

/* ---- Multiplication, division, square root ------------------------------ */

static uint64_t fp_mul(const struct fp_format *f, uint64_t a, uint64_t b, unsigned rm,
                       unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);
	bool sign = x.sign ^ y.sign;

	if (is_nan(&x) || is_nan(&y))
		return propagate_nan(f, &x, &y, fflags);
	if (x.kind == FP_INF || y.kind == FP_INF) {
		if (x.kind == FP_ZERO || y.kind == FP_ZERO)
			return invalid(f, fflags); /* inf * 0 */
		return pack_inf(f, sign);
	}
	if (x.kind == FP_ZERO || y.kind == FP_ZERO)
		return pack_zero(f, sign);
	return round_wide(f, sign, x.scale + y.scale, (u128)x.sig * y.sig, rm, fflags);
}

static uint64_t fp_div(const struct fp_format *f, uint64_t a, uint64_t b, unsigned rm,
                       unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);
	bool sign = x.sign ^ y.sign;
	u128 dividend, quotient;
	int shift;

	if (is_nan(&x) || is_nan(&y))
		return propagate_nan(f, &x, &y, fflags);
	if (x.kind == FP_INF)
		return y.kind == FP_INF ? invalid(f, fflags) : pack_inf(f, sign);
	if (y.kind == FP_INF)
		return pack_zero(f, sign);
	if (y.kind == FP_ZERO) {
		if (x.kind == FP_ZERO)
			return invalid(f, fflags); /* 0 / 0 */
		*fflags |= RV_FFLAG_DZ;
		return pack_inf(f, sign);
	}
	if (x.kind == FP_ZERO)
		return pack_zero(f, sign);

	/*
	 * Long division of integers.  With the dividend's leading one at bit
	 * 125 and a divisor below 2^53, the quotient has at least 72 bits,
	 * far more than the precision plus a round bit; a non-zero
	 * remainder becomes the sticky bit.
	 */
	shift = ADD_TOP - highest_bit128(x.sig);
	dividend = (u128)x.sig << shift;
	quotient = dividend / y.sig;
	if (dividend % y.sig)
		quotient |= 1;
	return round_wide(f, sign, x.scale - shift - y.scale, quotient, rm, fflags);
}

/* floor(sqrt(n)), digit by digit (two bits of n per bit of the root); *exact if no remainder. */
static u128 integer_sqrt(u128 n, bool *exact)
{
	u128 root = 0;
	u128 bit = (u128)1 << 126; /* the highest power of four that fits */

	while (bit > n)
		bit >>= 2;
	while (bit) {
		if (n >= root + bit) {
			n -= root + bit;
			root = (root >> 1) + bit;
		} else {
			root >>= 1;
		}
		bit >>= 2;
	}
	*exact = n == 0;
	return root;
}

static uint64_t fp_sqrt(const struct fp_format *f, uint64_t a, unsigned rm, unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	u128 root;
	bool exact;
	int shift;

	if (is_nan(&x))
		return propagate_nan(f, &x, NULL, fflags);
	if (x.kind == FP_ZERO)
		return a; /* sqrt(-0) is -0 */
	if (x.sign)
		return invalid(f, fflags); /* includes -inf */
	if (x.kind == FP_INF)
		return a;

	/*
	 * sqrt(sig * 2^scale) = sqrt(sig * 2^shift) * 2^((scale - shift) / 2):
	 * pick an even (scale - shift) and a radicand with its leading one
	 * at bit 125 or 126, so the integer root has at least 62 bits.
	 */
	shift = ADD_TOP - highest_bit128(x.sig);
	if ((x.scale - shift) & 1)
		shift++;
	root = integer_sqrt((u128)x.sig << shift, &exact);
	if (!exact)
		root |= 1; /* sticky: the true root lies strictly above */
	return round_wide(f, false, (x.scale - shift) / 2, root, rm, fflags);
}

/* ---- Minimum, maximum, comparisons, classification ---------------------- */

/*
 * An integer that orders non-NaN encodings as their values, but with -0
 * just below +0: magnitudes order like their bit patterns, and negative
 * values are mirrored below zero.
 */
static int64_t order_key(const struct fp_format *f, uint64_t bits)
{
	int64_t magnitude = (int64_t)(bits & ~sign_mask(f));

	return (bits & sign_mask(f)) ? -magnitude - 1 : magnitude;
}

/* IEEE 754-2019 minimumNumber/maximumNumber, which is what RISC-V F 2.2 specifies. */
static uint64_t fp_min_max(const struct fp_format *f, uint64_t a, uint64_t b, bool want_max,
                           unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);
	bool a_is_larger;

	if (x.kind == FP_SNAN || y.kind == FP_SNAN)
		*fflags |= RV_FFLAG_NV;
	if (is_nan(&x) && is_nan(&y))
		return canonical_nan(f);
	if (is_nan(&x))
		return b;
	if (is_nan(&y))
		return a;
	a_is_larger = order_key(f, a) > order_key(f, b);
	return a_is_larger == want_max ? a : b;
}

static bool fp_eq(const struct fp_format *f, uint64_t a, uint64_t b, unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);

	if (is_nan(&x) || is_nan(&y)) {
		/* feq is a quiet comparison: only signalling NaNs are invalid. */
		if (x.kind == FP_SNAN || y.kind == FP_SNAN)
			*fflags |= RV_FFLAG_NV;
		return false;
	}
	return a == b || (x.kind == FP_ZERO && y.kind == FP_ZERO);
}

static bool fp_lt_le(const struct fp_format *f, uint64_t a, uint64_t b, bool or_equal,
                     unsigned *fflags)
{
	struct fp_value x = unpack(f, a);
	struct fp_value y = unpack(f, b);

	if (is_nan(&x) || is_nan(&y)) {
		/* flt and fle are signalling comparisons: any NaN is invalid. */
		*fflags |= RV_FFLAG_NV;
		return false;
	}
	if (x.kind == FP_ZERO && y.kind == FP_ZERO)
		return or_equal; /* -0 == +0 */
	if (or_equal)
		return order_key(f, a) <= order_key(f, b);
	return order_key(f, a) < order_key(f, b);
}

static unsigned fp_classify(const struct fp_format *f, uint64_t bits)
{
	struct fp_value v = unpack(f, bits);

	switch (v.kind) {
	case FP_INF: return v.sign ? 1u << 0 : 1u << 7;
	case FP_ZERO: return v.sign ? 1u << 3 : 1u << 4;
	case FP_SNAN: return 1u << 8;
	case FP_QNAN: return 1u << 9;
	case FP_FINITE:
	default:
		if (v.subnormal)
			return v.sign ? 1u << 2 : 1u << 5;
		return v.sign ? 1u << 1 : 1u << 6;
	}
}

/* ---- Conversions -------------------------------------------------------- */

static uint64_t fp_from_integer(const struct fp_format *f, bool negative, uint64_t magnitude,
                                unsigned rm, unsigned *fflags)
{
	if (magnitude == 0)
		return pack_zero(f, false); /* integer zero converts to +0 in every mode */
	return round_wide(f, negative, 0, magnitude, rm, fflags);
}

static uint64_t magnitude_of(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v; /* well defined even for INT64_MIN */
}

/*
 * Round a finite non-zero value to an integer magnitude.  Returns false if
 * the magnitude does not even fit in 64 bits.
 */
static bool round_to_integer(const struct fp_value *v, unsigned rm, uint64_t *magnitude,
                             bool *inexact)
{
	u128 sig = v->sig; /* below 2^53 */
	u128 whole;
	bool round_bit, sticky;
	unsigned drop;

	*inexact = false;
	if (v->scale >= 0) {
		if (v->scale > 64)
			return false;
		whole = sig << v->scale;
	} else {
		drop = (unsigned)-v->scale; /* number of fraction bits */
		whole = drop < 128 ? sig >> drop : 0;
		round_bit = drop - 1 < 128 ? (sig >> (drop - 1)) & 1 : 0;
		sticky = drop - 1 < 128 ? (sig & (((u128)1 << (drop - 1)) - 1)) != 0 : true;
		*inexact = round_bit || sticky;
		whole += round_increments(rm, v->sign, whole & 1, round_bit, sticky);
	}
	if (whole >> 64)
		return false;
	*magnitude = (uint64_t)whole;
	return true;
}

/*
 * Convert to a `width`-bit integer and return its bit pattern zero-extended
 * to 64 bits.  Out-of-range values, infinities and NaNs saturate with NV
 * as the spec's table says (NaN counts as positive); NX only for inexact
 * results that are in range.
 */
static uint64_t fp_to_integer(const struct fp_format *f, uint64_t bits, bool is_signed,
                              unsigned width, unsigned rm, unsigned *fflags)
{
	struct fp_value v = unpack(f, bits);
	uint64_t width_mask = width == 64 ? ~0ull : (1ull << width) - 1;
	uint64_t largest = is_signed ? width_mask >> 1 : width_mask;
	uint64_t most_negative = is_signed ? (largest + 1) & width_mask : 0;
	uint64_t negative_limit = is_signed ? largest + 1 : 0; /* largest magnitude below zero */
	uint64_t magnitude;
	bool inexact;

	if (is_nan(&v)) {
		*fflags |= RV_FFLAG_NV;
		return largest;
	}
	if (v.kind == FP_ZERO)
		return 0;
	if (v.kind == FP_INF || !round_to_integer(&v, rm, &magnitude, &inexact) ||
	    magnitude > (v.sign ? negative_limit : largest)) {
		*fflags |= RV_FFLAG_NV;
		return v.sign ? most_negative : largest;
	}
	if (inexact)
		*fflags |= RV_FFLAG_NX;
	return (v.sign ? 0 - magnitude : magnitude) & width_mask;
}

/* A 32-bit result goes into a 64-bit register sign-extended, also for fcvt.wu. */
static int64_t sign_extend32(uint64_t v)
{
	return (int64_t)((v & 0xffffffffu) ^ 0x80000000u) - 0x80000000;
}

static uint64_t fp_convert(const struct fp_format *to, const struct fp_format *from, uint64_t bits,
                           unsigned rm, unsigned *fflags)
{
	struct fp_value v = unpack(from, bits);

	switch (v.kind) {
	case FP_QNAN:
	case FP_SNAN: return propagate_nan(to, &v, NULL, fflags);
	case FP_INF: return pack_inf(to, v.sign);
	case FP_ZERO: return pack_zero(to, v.sign);
	case FP_FINITE:
	default: return round_wide(to, v.sign, v.scale, v.sig, rm, fflags);
	}
}

/* ---- The F extension ---------------------------------------------------- */

uint32_t rv_f32_add(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_add(&F32, a, b, rm, fflags);
}

uint32_t rv_f32_sub(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_add(&F32, a, b ^ sign_mask(&F32), rm, fflags);
}

uint32_t rv_f32_mul(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_mul(&F32, a, b, rm, fflags);
}

uint32_t rv_f32_div(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_div(&F32, a, b, rm, fflags);
}

uint32_t rv_f32_sqrt(uint32_t a, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_sqrt(&F32, a, rm, fflags);
}

uint32_t rv_f32_fma(uint32_t a, uint32_t b, uint32_t c, bool negate_product, bool negate_addend,
                    unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_fma(&F32, a, b, c, negate_product, negate_addend, rm, fflags);
}

uint32_t rv_f32_min(uint32_t a, uint32_t b, unsigned *fflags)
{
	return (uint32_t)fp_min_max(&F32, a, b, false, fflags);
}

uint32_t rv_f32_max(uint32_t a, uint32_t b, unsigned *fflags)
{
	return (uint32_t)fp_min_max(&F32, a, b, true, fflags);
}

bool rv_f32_eq(uint32_t a, uint32_t b, unsigned *fflags)
{
	return fp_eq(&F32, a, b, fflags);
}

bool rv_f32_lt(uint32_t a, uint32_t b, unsigned *fflags)
{
	return fp_lt_le(&F32, a, b, false, fflags);
}

bool rv_f32_le(uint32_t a, uint32_t b, unsigned *fflags)
{
	return fp_lt_le(&F32, a, b, true, fflags);
}

unsigned rv_f32_classify(uint32_t a)
{
	return fp_classify(&F32, a);
}

int64_t rv_f32_to_i32(uint32_t a, unsigned rm, unsigned *fflags)
{
	return sign_extend32(fp_to_integer(&F32, a, true, 32, rm, fflags));
}

int64_t rv_f32_to_u32(uint32_t a, unsigned rm, unsigned *fflags)
{
	return sign_extend32(fp_to_integer(&F32, a, false, 32, rm, fflags));
}

int64_t rv_f32_to_i64(uint32_t a, unsigned rm, unsigned *fflags)
{
	return (int64_t)fp_to_integer(&F32, a, true, 64, rm, fflags);
}

uint64_t rv_f32_to_u64(uint32_t a, unsigned rm, unsigned *fflags)
{
	return fp_to_integer(&F32, a, false, 64, rm, fflags);
}

uint32_t rv_f32_from_i32(int32_t v, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_from_integer(&F32, v < 0, magnitude_of(v), rm, fflags);
}

uint32_t rv_f32_from_u32(uint32_t v, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_from_integer(&F32, false, v, rm, fflags);
}

uint32_t rv_f32_from_i64(int64_t v, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_from_integer(&F32, v < 0, magnitude_of(v), rm, fflags);
}

uint32_t rv_f32_from_u64(uint64_t v, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_from_integer(&F32, false, v, rm, fflags);
}

/* ---- The D extension ---------------------------------------------------- */

uint64_t rv_f64_add(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags)
{
	return fp_add(&F64, a, b, rm, fflags);
}

uint64_t rv_f64_sub(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags)
{
	return fp_add(&F64, a, b ^ sign_mask(&F64), rm, fflags);
}

uint64_t rv_f64_mul(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags)
{
	return fp_mul(&F64, a, b, rm, fflags);
}

uint64_t rv_f64_div(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags)
{
	return fp_div(&F64, a, b, rm, fflags);
}

uint64_t rv_f64_sqrt(uint64_t a, unsigned rm, unsigned *fflags)
{
	return fp_sqrt(&F64, a, rm, fflags);
}

uint64_t rv_f64_fma(uint64_t a, uint64_t b, uint64_t c, bool negate_product, bool negate_addend,
                    unsigned rm, unsigned *fflags)
{
	return fp_fma(&F64, a, b, c, negate_product, negate_addend, rm, fflags);
}

uint64_t rv_f64_min(uint64_t a, uint64_t b, unsigned *fflags)
{
	return fp_min_max(&F64, a, b, false, fflags);
}

uint64_t rv_f64_max(uint64_t a, uint64_t b, unsigned *fflags)
{
	return fp_min_max(&F64, a, b, true, fflags);
}

bool rv_f64_eq(uint64_t a, uint64_t b, unsigned *fflags)
{
	return fp_eq(&F64, a, b, fflags);
}

bool rv_f64_lt(uint64_t a, uint64_t b, unsigned *fflags)
{
	return fp_lt_le(&F64, a, b, false, fflags);
}

bool rv_f64_le(uint64_t a, uint64_t b, unsigned *fflags)
{
	return fp_lt_le(&F64, a, b, true, fflags);
}

unsigned rv_f64_classify(uint64_t a)
{
	return fp_classify(&F64, a);
}

int64_t rv_f64_to_i32(uint64_t a, unsigned rm, unsigned *fflags)
{
	return sign_extend32(fp_to_integer(&F64, a, true, 32, rm, fflags));
}

int64_t rv_f64_to_u32(uint64_t a, unsigned rm, unsigned *fflags)
{
	return sign_extend32(fp_to_integer(&F64, a, false, 32, rm, fflags));
}

int64_t rv_f64_to_i64(uint64_t a, unsigned rm, unsigned *fflags)
{
	return (int64_t)fp_to_integer(&F64, a, true, 64, rm, fflags);
}

uint64_t rv_f64_to_u64(uint64_t a, unsigned rm, unsigned *fflags)
{
	return fp_to_integer(&F64, a, false, 64, rm, fflags);
}

uint64_t rv_f64_from_i32(int32_t v, unsigned rm, unsigned *fflags)
{
	return fp_from_integer(&F64, v < 0, magnitude_of(v), rm, fflags);
}

uint64_t rv_f64_from_u32(uint32_t v, unsigned rm, unsigned *fflags)
{
	return fp_from_integer(&F64, false, v, rm, fflags);
}

uint64_t rv_f64_from_i64(int64_t v, unsigned rm, unsigned *fflags)
{
	return fp_from_integer(&F64, v < 0, magnitude_of(v), rm, fflags);
}

uint64_t rv_f64_from_u64(uint64_t v, unsigned rm, unsigned *fflags)
{
	return fp_from_integer(&F64, false, v, rm, fflags);
}

/* ---- Between the formats ------------------------------------------------ */

uint64_t rv_f32_to_f64(uint32_t a, unsigned *fflags)
{
	/* Always exact for numbers; the mode is irrelevant. */
	return fp_convert(&F64, &F32, a, RV_RM_RNE, fflags);
}

uint32_t rv_f64_to_f32(uint64_t a, unsigned rm, unsigned *fflags)
{
	return (uint32_t)fp_convert(&F32, &F64, a, rm, fflags);
}
