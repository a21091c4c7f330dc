/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The decoder: 32-bit and compressed 16-bit instruction bits in, a
 * struct rv_insn out -- the handler to call and the operands it needs,
 * already pulled out of the bits so that executing it again costs no
 * decoding.  Compressed instructions decode to the same handlers as
 * their 32-bit twins; only the length differs.
 */
#include "exec.h"

static inline uint32_t field(uint32_t bits, unsigned lo, unsigned width)
{
	return (bits >> lo) & ((1u << width) - 1);
}

static inline int32_t sign_extend(uint32_t value, unsigned width)
{
	return (int32_t)(value << (32 - width)) >> (32 - width);
}

static inline uint8_t dest(uint32_t r)
{
	return r == 0 ? RV_REG_SINK : (uint8_t)r;
}

static int32_t imm_i(uint32_t b)
{
	return (int32_t)b >> 20;
}

static int32_t imm_s(uint32_t b)
{
	return (int32_t)(((int32_t)b >> 25) * 32) | (int32_t)field(b, 7, 5);
}

static int32_t imm_b(uint32_t b)
{
	uint32_t v = field(b, 31, 1) << 12 | field(b, 7, 1) << 11 | field(b, 25, 6) << 5 |
	             field(b, 8, 4) << 1;
	return sign_extend(v, 13);
}

static int32_t imm_j(uint32_t b)
{
	uint32_t v = field(b, 31, 1) << 20 | field(b, 12, 8) << 12 | field(b, 20, 1) << 11 |
	             field(b, 21, 10) << 1;
	return sign_extend(v, 21);
}

#define OP(name) rv_op_##name

static rv_exec_fn decode_load(uint32_t f3)
{
	static const rv_exec_fn ops[8] = {OP(lb),  OP(lh),  OP(lw),  OP(ld),
	                                  OP(lbu), OP(lhu), OP(lwu), NULL};
	return ops[f3];
}

static rv_exec_fn decode_store(uint32_t f3)
{
	static const rv_exec_fn ops[8] = {OP(sb), OP(sh), OP(sw), OP(sd)};
	return ops[f3];
}

static rv_exec_fn decode_branch(uint32_t f3)
{
	static const rv_exec_fn ops[8] = {OP(beq), OP(bne), NULL,     NULL,
	                                  OP(blt), OP(bge), OP(bltu), OP(bgeu)};
	return ops[f3];
}

static rv_exec_fn decode_op_imm(struct rv_insn *in, uint32_t b)
{
	uint32_t f3 = field(b, 12, 3), f6 = field(b, 26, 6);
	switch (f3) {
	case 0: return OP(addi);
	case 2: return OP(slti);
	case 3: return OP(sltiu);
	case 4: return OP(xori);
	case 6: return OP(ori);
	case 7: return OP(andi);
	case 1: in->imm = (int32_t)field(b, 20, 6); return f6 == 0 ? OP(slli) : NULL;
	default:
		in->imm = (int32_t)field(b, 20, 6);
		return f6 == 0 ? OP(srli) : f6 == 0x10 ? OP(srai) : NULL;
	}
}

static rv_exec_fn decode_op_imm32(struct rv_insn *in, uint32_t b)
{
	uint32_t f3 = field(b, 12, 3), f7 = field(b, 25, 7);
	if (f3 == 0)
		return OP(addiw);
	in->imm = (int32_t)field(b, 20, 5);
	if (f3 == 1 && f7 == 0)
		return OP(slliw);
	if (f3 == 5 && f7 == 0)
		return OP(srliw);
	if (f3 == 5 && f7 == 0x20)
		return OP(sraiw);
	return NULL;
}

static rv_exec_fn decode_op(uint32_t b)
{
	static const rv_exec_fn base[8] = {OP(add), OP(sll), OP(slt), OP(sltu),
	                                   OP(xor), OP(srl), OP(or),  OP(and)};
	static const rv_exec_fn muldiv[8] = {OP(mul), OP(mulh), OP(mulhsu), OP(mulhu),
	                                     OP(div), OP(divu), OP(rem),    OP(remu)};
	uint32_t f3 = field(b, 12, 3), f7 = field(b, 25, 7);
	if (f7 == 0)
		return base[f3];
	if (f7 == 1)
		return muldiv[f3];
	if (f7 == 0x20 && f3 == 0)
		return OP(sub);
	if (f7 == 0x20 && f3 == 5)
		return OP(sra);
	return NULL;
}

static rv_exec_fn decode_op32(uint32_t b)
{
	uint32_t f3 = field(b, 12, 3), f7 = field(b, 25, 7);
	if (f7 == 0) {
		static const rv_exec_fn ops[8] = {OP(addw), OP(sllw), NULL, NULL, NULL, OP(srlw)};
		return ops[f3];
	}
	if (f7 == 1) {
		static const rv_exec_fn ops[8] = {OP(mulw), NULL,      NULL,     NULL,
		                                  OP(divw), OP(divuw), OP(remw), OP(remuw)};
		return ops[f3];
	}
	if (f7 == 0x20 && f3 == 0)
		return OP(subw);
	if (f7 == 0x20 && f3 == 5)
		return OP(sraw);
	return NULL;
}

static rv_exec_fn decode_system(struct rv_insn *in, uint32_t b)
{
	uint32_t f3 = field(b, 12, 3);
	if (f3 == 0) {
		switch (b) {
		case 0x00000073: return OP(ecall);
		case 0x00100073: return OP(ebreak);
		case 0x10200073: return OP(sret);
		case 0x30200073: return OP(mret);
		case 0x10500073: return OP(wfi);
		}
		if (field(b, 25, 7) == 0x09 && field(b, 7, 5) == 0)
			return OP(sfence_vma);
		return NULL;
	}
	/* CSR instructions: the CSR number rides in imm, the 5-bit immediate in rs1. */
	in->imm = (int32_t)field(b, 20, 12);
	static const rv_exec_fn ops[8] = {NULL, OP(csrrw),  OP(csrrs),  OP(csrrc),
	                                  NULL, OP(csrrwi), OP(csrrsi), OP(csrrci)};
	return ops[f3];
}

static rv_exec_fn decode_amo(struct rv_insn *in, uint32_t b)
{
	uint32_t f3 = field(b, 12, 3), f5 = field(b, 27, 5);
	bool dword = f3 == 3;
	if (f3 != 2 && f3 != 3)
		return NULL;
	switch (f5) {
	case 0x02: return in->rs2 == 0 ? (dword ? OP(lr_d) : OP(lr_w)) : NULL;
	case 0x03: return dword ? OP(sc_d) : OP(sc_w);
	case 0x00: in->rm = RV_AMO_ADD; break;
	case 0x01: in->rm = RV_AMO_SWAP; break;
	case 0x04: in->rm = RV_AMO_XOR; break;
	case 0x0c: in->rm = RV_AMO_AND; break;
	case 0x08: in->rm = RV_AMO_OR; break;
	case 0x10: in->rm = RV_AMO_MIN; break;
	case 0x14: in->rm = RV_AMO_MAX; break;
	case 0x18: in->rm = RV_AMO_MINU; break;
	case 0x1c: in->rm = RV_AMO_MAXU; break;
	default: return NULL;
	}
	return dword ? OP(amo_d) : OP(amo_w);
}

/*
 * OP-FP.  rm holds the rounding mode (or the variant, for sign injection,
 * min/max and compares); rs2 picks the integer type of conversions.
 */
static rv_exec_fn decode_op_fp(struct rv_insn *in, uint32_t b)
{
	uint32_t f7 = field(b, 25, 7), rs2 = field(b, 20, 5), rm = field(b, 12, 3);
	switch (f7) {
	case 0x00: return OP(fadd_s);
	case 0x01: return OP(fadd_d);
	case 0x04: return OP(fsub_s);
	case 0x05: return OP(fsub_d);
	case 0x08: return OP(fmul_s);
	case 0x09: return OP(fmul_d);
	case 0x0c: return OP(fdiv_s);
	case 0x0d: return OP(fdiv_d);
	case 0x2c: return rs2 == 0 ? OP(fsqrt_s) : NULL;
	case 0x2d: return rs2 == 0 ? OP(fsqrt_d) : NULL;
	case 0x10: return rm <= 2 ? OP(fsgnj_s) : NULL;
	case 0x11: return rm <= 2 ? OP(fsgnj_d) : NULL;
	case 0x14: return rm <= 1 ? OP(fminmax_s) : NULL;
	case 0x15: return rm <= 1 ? OP(fminmax_d) : NULL;
	case 0x20: return rs2 == 1 ? OP(fcvt_s_d) : NULL;
	case 0x21: return rs2 == 0 ? OP(fcvt_d_s) : NULL;
	case 0x50: return rm <= 2 ? OP(fcmp_s) : NULL;
	case 0x51: return rm <= 2 ? OP(fcmp_d) : NULL;
	case 0x60: return rs2 <= 3 ? OP(fcvt_int_s) : NULL;
	case 0x61: return rs2 <= 3 ? OP(fcvt_int_d) : NULL;
	case 0x68: return rs2 <= 3 ? OP(fcvt_s_int) : NULL;
	case 0x69: return rs2 <= 3 ? OP(fcvt_d_int) : NULL;
	case 0x70: return rs2 != 0 ? NULL : rm == 0 ? OP(fmv_x_w) : rm == 1 ? OP(fclass_s) : NULL;
	case 0x71: return rs2 != 0 ? NULL : rm == 0 ? OP(fmv_x_d) : rm == 1 ? OP(fclass_d) : NULL;
	case 0x78: return rs2 == 0 && rm == 0 ? OP(fmv_w_x) : NULL;
	case 0x79: return rs2 == 0 && rm == 0 ? OP(fmv_d_x) : NULL;
	}
	(void)in;
	return NULL;
}

/* Integer destination registers of FP instructions go through dest(); FP ones do not. */
static bool fp_writes_integer(rv_exec_fn fn)
{
	return fn == OP(fcmp_s) || fn == OP(fcmp_d) || fn == OP(fcvt_int_s) ||
	       fn == OP(fcvt_int_d) || fn == OP(fmv_x_w) || fn == OP(fmv_x_d) ||
	       fn == OP(fclass_s) || fn == OP(fclass_d);
}

static rv_exec_fn decode32(struct rv_insn *in, uint32_t b)
{
	uint32_t opcode = field(b, 0, 7), f3 = field(b, 12, 3);
	in->rd = dest(field(b, 7, 5));
	in->rs1 = (uint8_t)field(b, 15, 5);
	in->rs2 = (uint8_t)field(b, 20, 5);
	in->rs3 = (uint8_t)field(b, 27, 5);
	in->rm = (uint8_t)f3;
	in->imm = imm_i(b);

	switch (opcode) {
	case 0x37: in->imm = (int32_t)(b & 0xfffff000); return OP(lui);
	case 0x17: in->imm = (int32_t)(b & 0xfffff000); return OP(auipc);
	case 0x6f: in->imm = imm_j(b); return OP(jal);
	case 0x67: return f3 == 0 ? OP(jalr) : NULL;
	case 0x63: in->imm = imm_b(b); return decode_branch(f3);
	case 0x03: return decode_load(f3);
	case 0x23: in->imm = imm_s(b); return decode_store(f3);
	case 0x13: return decode_op_imm(in, b);
	case 0x1b: return decode_op_imm32(in, b);
	case 0x33: return decode_op(b);
	case 0x3b: return decode_op32(b);
	case 0x0f: return f3 == 0 ? OP(fence) : f3 == 1 ? OP(fence_i) : NULL;
	case 0x73: return decode_system(in, b);
	case 0x2f: return decode_amo(in, b);
	case 0x07:
		in->rd = (uint8_t)field(b, 7, 5);
		return f3 == 2 ? OP(flw) : f3 == 3 ? OP(fld) : NULL;
	case 0x27: in->imm = imm_s(b); return f3 == 2 ? OP(fsw) : f3 == 3 ? OP(fsd) : NULL;
	case 0x43:
	case 0x47:
	case 0x4b:
	case 0x4f: {
		/* Fused multiply-add: imm carries which of the four sign variants. */
		uint32_t fmt = field(b, 25, 2);
		in->rd = (uint8_t)field(b, 7, 5);
		in->imm = (int32_t)((opcode >> 2) & 3);
		return fmt == 0 ? OP(fmadd_s) : fmt == 1 ? OP(fmadd_d) : NULL;
	}
	case 0x53: {
		rv_exec_fn fn = decode_op_fp(in, b);
		if (fn && !fp_writes_integer(fn))
			in->rd = (uint8_t)field(b, 7, 5);
		return fn;
	}
	}
	return NULL;
}

/* Compressed register fields name x8..x15. */
static inline uint8_t creg(uint32_t b, unsigned lo)
{
	return (uint8_t)(8 + field(b, lo, 3));
}

static rv_exec_fn decode_c0(struct rv_insn *in, uint32_t b)
{
	uint32_t f3 = field(b, 13, 3);
	uint32_t off_w = field(b, 10, 3) << 3 | field(b, 6, 1) << 2 | field(b, 5, 1) << 6;
	uint32_t off_d = field(b, 10, 3) << 3 | field(b, 5, 2) << 6;
	in->rs1 = creg(b, 7);
	switch (f3) {
	case 0: { /* c.addi4spn */
		uint32_t imm = field(b, 11, 2) << 4 | field(b, 7, 4) << 6 | field(b, 6, 1) << 2 |
		               field(b, 5, 1) << 3;
		if (imm == 0)
			return NULL;
		in->rd = creg(b, 2);
		in->rs1 = 2;
		in->imm = (int32_t)imm;
		return OP(addi);
	}
	case 1:
		in->rd = creg(b, 2);
		in->imm = (int32_t)off_d;
		return OP(fld);
	case 2:
		in->rd = creg(b, 2);
		in->imm = (int32_t)off_w;
		return OP(lw);
	case 3:
		in->rd = creg(b, 2);
		in->imm = (int32_t)off_d;
		return OP(ld);
	case 5:
		in->rs2 = creg(b, 2);
		in->imm = (int32_t)off_d;
		return OP(fsd);
	case 6:
		in->rs2 = creg(b, 2);
		in->imm = (int32_t)off_w;
		return OP(sw);
	case 7:
		in->rs2 = creg(b, 2);
		in->imm = (int32_t)off_d;
		return OP(sd);
	}
	return NULL;
}

static rv_exec_fn decode_c1_arith(struct rv_insn *in, uint32_t b)
{
	uint32_t shamt = field(b, 12, 1) << 5 | field(b, 2, 5);
	in->rd = creg(b, 7);
	in->rs1 = in->rd;
	switch (field(b, 10, 2)) {
	case 0: in->imm = (int32_t)shamt; return OP(srli);
	case 1: in->imm = (int32_t)shamt; return OP(srai);
	case 2: in->imm = sign_extend(shamt, 6); return OP(andi);
	}
	in->rs2 = creg(b, 2);
	if (field(b, 12, 1) == 0) {
		static const rv_exec_fn ops[4] = {OP(sub), OP(xor), OP(or), OP(and)};
		return ops[field(b, 5, 2)];
	}
	static const rv_exec_fn ops[4] = {OP(subw), OP(addw), NULL, NULL};
	return ops[field(b, 5, 2)];
}

static rv_exec_fn decode_c1(struct rv_insn *in, uint32_t b)
{
	uint32_t rd = field(b, 7, 5);
	int32_t imm6 = sign_extend(field(b, 12, 1) << 5 | field(b, 2, 5), 6);
	switch (field(b, 13, 3)) {
	case 0:
		in->rd = dest(rd);
		in->rs1 = (uint8_t)rd;
		in->imm = imm6;
		return OP(addi);
	case 1:
		if (rd == 0)
			return NULL;
		in->rd = (uint8_t)rd;
		in->rs1 = (uint8_t)rd;
		in->imm = imm6;
		return OP(addiw);
	case 2:
		in->rd = dest(rd);
		in->imm = imm6;
		return OP(li);
	case 3:
		if (rd == 2) { /* c.addi16sp */
			uint32_t v = field(b, 12, 1) << 9 | field(b, 6, 1) << 4 |
			             field(b, 5, 1) << 6 | field(b, 3, 2) << 7 |
			             field(b, 2, 1) << 5;
			if (v == 0)
				return NULL;
			in->rd = 2;
			in->rs1 = 2;
			in->imm = sign_extend(v, 10);
			return OP(addi);
		}
		if (imm6 == 0)
			return NULL;
		in->rd = dest(rd);
		in->imm = (int32_t)((uint32_t)imm6 << 12);
		return OP(lui);
	case 4: return decode_c1_arith(in, b);
	case 5: {
		uint32_t v = field(b, 12, 1) << 11 | field(b, 11, 1) << 4 | field(b, 9, 2) << 8 |
		             field(b, 8, 1) << 10 | field(b, 7, 1) << 6 | field(b, 6, 1) << 7 |
		             field(b, 3, 3) << 1 | field(b, 2, 1) << 5;
		in->rd = RV_REG_SINK;
		in->imm = sign_extend(v, 12);
		return OP(jal);
	}
	default: { /* c.beqz / c.bnez */
		uint32_t v = field(b, 12, 1) << 8 | field(b, 10, 2) << 3 | field(b, 5, 2) << 6 |
		             field(b, 3, 2) << 1 | field(b, 2, 1) << 5;
		in->rs1 = creg(b, 7);
		in->rs2 = 0;
		in->imm = sign_extend(v, 9);
		return field(b, 13, 3) == 6 ? OP(beq) : OP(bne);
	}
	}
}

static rv_exec_fn decode_c2(struct rv_insn *in, uint32_t b)
{
	uint32_t rd = field(b, 7, 5), rs2 = field(b, 2, 5);
	uint32_t ld_w = field(b, 12, 1) << 5 | field(b, 4, 3) << 2 | field(b, 2, 2) << 6;
	uint32_t ld_d = field(b, 12, 1) << 5 | field(b, 5, 2) << 3 | field(b, 2, 3) << 6;
	uint32_t st_w = field(b, 9, 4) << 2 | field(b, 7, 2) << 6;
	uint32_t st_d = field(b, 10, 3) << 3 | field(b, 7, 3) << 6;
	in->rs1 = 2;
	switch (field(b, 13, 3)) {
	case 0:
		in->rd = dest(rd);
		in->rs1 = (uint8_t)rd;
		in->imm = (int32_t)(field(b, 12, 1) << 5 | rs2);
		return OP(slli);
	case 1:
		in->rd = (uint8_t)rd;
		in->imm = (int32_t)ld_d;
		return OP(fld);
	case 2:
		in->rd = dest(rd);
		in->imm = (int32_t)ld_w;
		return rd ? OP(lw) : NULL;
	case 3:
		in->rd = dest(rd);
		in->imm = (int32_t)ld_d;
		return rd ? OP(ld) : NULL;
	case 4:
		if (field(b, 12, 1) == 0) {
			if (rs2 == 0) { /* c.jr */
				in->rd = RV_REG_SINK;
				in->rs1 = (uint8_t)rd;
				in->imm = 0;
				return rd ? OP(jalr) : NULL;
			}
			in->rd = dest(rd);
			in->rs2 = (uint8_t)rs2; /* c.mv */
			return OP(mv);
		}
		if (rd == 0 && rs2 == 0)
			return OP(ebreak);
		if (rs2 == 0) { /* c.jalr */
			in->rd = 1;
			in->rs1 = (uint8_t)rd;
			in->imm = 0;
			return OP(jalr);
		}
		in->rd = dest(rd);
		in->rs1 = (uint8_t)rd;
		in->rs2 = (uint8_t)rs2; /* c.add */
		return OP(add);
	case 5:
		in->rs2 = (uint8_t)rs2;
		in->imm = (int32_t)st_d;
		return OP(fsd);
	case 6:
		in->rs2 = (uint8_t)rs2;
		in->imm = (int32_t)st_w;
		return OP(sw);
	default:
		in->rs2 = (uint8_t)rs2;
		in->imm = (int32_t)st_d;
		return OP(sd);
	}
}

static rv_exec_fn decode16(struct rv_insn *in, uint32_t b)
{
	in->rd = RV_REG_SINK;
	in->rs1 = in->rs2 = in->rs3 = 0;
	in->rm = 0;
	in->imm = 0;
	if (b == 0)
		return NULL; /* the all-zero halfword is defined to be illegal */
	switch (b & 3) {
	case 0: return decode_c0(in, b);
	case 1: return decode_c1(in, b);
	default: return decode_c2(in, b);
	}
}

/* Decode one instruction.  Unknown encodings become the "illegal" handler. */
void rv_decode(struct rv_insn *insn, uint32_t bits)
{
	bool compressed = (bits & 3) != 3;
	rv_exec_fn fn;
	if (compressed) {
		bits &= 0xffff;
		fn = decode16(insn, bits);
	} else {
		fn = decode32(insn, bits);
	}
	insn->len = compressed ? 2 : 4;
	insn->bits = bits;
	insn->exec = fn ? fn : OP(illegal);
}
