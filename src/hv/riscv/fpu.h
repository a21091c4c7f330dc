/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IEEE 754 arithmetic for the F and D extensions, exactly as the RISC-V
 * unprivileged specification requires.
 *
 * Values travel as raw bit patterns.  `rm` is an already resolved rounding
 * mode (RV_RM_RNE..RV_RM_RMM; the caller turns the "dynamic" mode 7 into
 * frm and rejects 5/6).  Exception flags are OR-ed into *fflags using the
 * fflags bit layout (NV DZ OF UF NX).  Results that are NaN are the
 * canonical NaN.  Conversions to integers saturate as the spec's table
 * says and return the value sign-extended to 64 bits as the register gets
 * it (fcvt.w[u].* results are sign-extended from 32 bits).
 */
#ifndef KENNEL_HV_RISCV_FPU_H
#define KENNEL_HV_RISCV_FPU_H

#include <stdbool.h>
#include <stdint.h>

enum {
	RV_RM_RNE = 0,
	RV_RM_RTZ = 1,
	RV_RM_RDN = 2,
	RV_RM_RUP = 3,
	RV_RM_RMM = 4,
	RV_RM_DYN = 7,
};

enum {
	RV_FFLAG_NX = 1 << 0,
	RV_FFLAG_UF = 1 << 1,
	RV_FFLAG_OF = 1 << 2,
	RV_FFLAG_DZ = 1 << 3,
	RV_FFLAG_NV = 1 << 4,
};

#define RV_F32_CANONICAL_NAN 0x7fc00000u
#define RV_F64_CANONICAL_NAN 0x7ff8000000000000ull

/* NaN boxing: a single lives in the low half of an f register whose upper 32 bits are all ones. */
static inline uint32_t rv_f32_unbox(uint64_t reg)
{
	return (reg >> 32) == 0xffffffffu ? (uint32_t)reg : RV_F32_CANONICAL_NAN;
}

static inline uint64_t rv_f32_box(uint32_t value)
{
	return 0xffffffff00000000ull | value;
}

/* Fused multiply-add variants: negate_product and negate_addend select fmadd/fmsub/fnmsub/fnmadd.
 */
uint32_t rv_f32_add(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags);
uint32_t rv_f32_sub(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags);
uint32_t rv_f32_mul(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags);
uint32_t rv_f32_div(uint32_t a, uint32_t b, unsigned rm, unsigned *fflags);
uint32_t rv_f32_sqrt(uint32_t a, unsigned rm, unsigned *fflags);
uint32_t rv_f32_fma(uint32_t a, uint32_t b, uint32_t c, bool negate_product, bool negate_addend,
                    unsigned rm, unsigned *fflags);
uint32_t rv_f32_min(uint32_t a, uint32_t b, unsigned *fflags);
uint32_t rv_f32_max(uint32_t a, uint32_t b, unsigned *fflags);
bool rv_f32_eq(uint32_t a, uint32_t b, unsigned *fflags);
bool rv_f32_lt(uint32_t a, uint32_t b, unsigned *fflags);
bool rv_f32_le(uint32_t a, uint32_t b, unsigned *fflags);
unsigned rv_f32_classify(uint32_t a);
int64_t rv_f32_to_i32(uint32_t a, unsigned rm, unsigned *fflags);
int64_t rv_f32_to_u32(uint32_t a, unsigned rm, unsigned *fflags);
int64_t rv_f32_to_i64(uint32_t a, unsigned rm, unsigned *fflags);
uint64_t rv_f32_to_u64(uint32_t a, unsigned rm, unsigned *fflags);
uint32_t rv_f32_from_i32(int32_t v, unsigned rm, unsigned *fflags);
uint32_t rv_f32_from_u32(uint32_t v, unsigned rm, unsigned *fflags);
uint32_t rv_f32_from_i64(int64_t v, unsigned rm, unsigned *fflags);
uint32_t rv_f32_from_u64(uint64_t v, unsigned rm, unsigned *fflags);

uint64_t rv_f64_add(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags);
uint64_t rv_f64_sub(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags);
uint64_t rv_f64_mul(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags);
uint64_t rv_f64_div(uint64_t a, uint64_t b, unsigned rm, unsigned *fflags);
uint64_t rv_f64_sqrt(uint64_t a, unsigned rm, unsigned *fflags);
uint64_t rv_f64_fma(uint64_t a, uint64_t b, uint64_t c, bool negate_product, bool negate_addend,
                    unsigned rm, unsigned *fflags);
uint64_t rv_f64_min(uint64_t a, uint64_t b, unsigned *fflags);
uint64_t rv_f64_max(uint64_t a, uint64_t b, unsigned *fflags);
bool rv_f64_eq(uint64_t a, uint64_t b, unsigned *fflags);
bool rv_f64_lt(uint64_t a, uint64_t b, unsigned *fflags);
bool rv_f64_le(uint64_t a, uint64_t b, unsigned *fflags);
unsigned rv_f64_classify(uint64_t a);
int64_t rv_f64_to_i32(uint64_t a, unsigned rm, unsigned *fflags);
int64_t rv_f64_to_u32(uint64_t a, unsigned rm, unsigned *fflags);
int64_t rv_f64_to_i64(uint64_t a, unsigned rm, unsigned *fflags);
uint64_t rv_f64_to_u64(uint64_t a, unsigned rm, unsigned *fflags);
uint64_t rv_f64_from_i32(int32_t v, unsigned rm, unsigned *fflags);
uint64_t rv_f64_from_u32(uint32_t v, unsigned rm, unsigned *fflags);
uint64_t rv_f64_from_i64(int64_t v, unsigned rm, unsigned *fflags);
uint64_t rv_f64_from_u64(uint64_t v, unsigned rm, unsigned *fflags);

uint64_t rv_f32_to_f64(uint32_t a, unsigned *fflags);
uint32_t rv_f64_to_f32(uint64_t a, unsigned rm, unsigned *fflags);

#endif
