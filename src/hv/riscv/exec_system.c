/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System instructions: fences, environment calls, WFI, sfence.vma, the
 * CSR instructions, and the atomics (LR/SC and AMOs).
 *
 * Everything here that can change how later instructions behave (a CSR
 * write, a fence, an ecall) ends its block, so that the run loop looks at
 * interrupts and requests again before going on.
 */
#include "exec.h"

#define X h->x

int rv_op_fence(struct rv_hart *h, const struct rv_insn *i)
{
	/*
	 * The host is x86 (TSO): only "earlier stores before later loads"
	 * needs a real barrier, i.e. a fence whose predecessor set has W and
	 * whose successor set has R.
	 */
	bool pred_w = (i->bits >> 24) & 1, succ_r = (i->bits >> 21) & 1;
	if (pred_w && succ_r)
		atomic_thread_fence(memory_order_seq_cst);
	return rv_continue(h, i);
}

int rv_op_fence_i(struct rv_hart *h, const struct rv_insn *i)
{
	/*
	 * Stores to decoded code already asked every hart that decoded it to
	 * drop its blocks; ending the block here lets this hart do so before
	 * it fetches the next instruction.
	 */
	return rv_jump(h, i, rv_next_pc(h, i));
}

int rv_op_ecall(struct rv_hart *h, const struct rv_insn *i)
{
	if (h->vm->config.sbi && h->priv == RV_PRIV_S) {
		/* Direct boot: the S-mode kernel calls the hv, as lguest's guests made hypercalls.
		 */
		rv_jump(h, i, rv_next_pc(h, i));
		rv_sbi_call(h);
		return RV_JUMPED;
	}
	static const unsigned cause_by_priv[4] = {RV_EXC_ECALL_U, RV_EXC_ECALL_S, 0,
	                                          RV_EXC_ECALL_M};
	return rv_raise(h, i, cause_by_priv[h->priv], 0);
}

int rv_op_ebreak(struct rv_hart *h, const struct rv_insn *i)
{
	return rv_raise(h, i, RV_EXC_BREAKPOINT, rv_insn_pc(h, i));
}

int rv_op_wfi(struct rv_hart *h, const struct rv_insn *i)
{
	if (h->priv == RV_PRIV_U || (h->priv == RV_PRIV_S && (h->mstatus & RV_MSTATUS_TW)))
		return rv_illegal(h, i);
	rv_jump(h, i, rv_next_pc(h, i));
	rv_hart_wfi(h);
	return RV_JUMPED;
}

int rv_op_sfence_vma(struct rv_hart *h, const struct rv_insn *i)
{
	if (h->priv == RV_PRIV_U || (h->priv == RV_PRIV_S && (h->mstatus & RV_MSTATUS_TVM)))
		return rv_illegal(h, i);
	if (i->rs1 != 0)
		rv_tlb_flush_page(h, X[i->rs1]);
	else
		rv_tlb_flush(h);
	return rv_jump(h, i, rv_next_pc(h, i));
}

/*
 * The CSR instructions.  csrrw with rd = x0 does not read the CSR, and
 * csrrs/csrrc with rs1 = x0 (or a zero immediate) do not write it, so
 * neither has the side effects of the access it skips.
 */
static int csr_access(struct rv_hart *h, const struct rv_insn *i, uint64_t operand, int kind,
                      bool write_anyway)
{
	unsigned csr = (unsigned)i->imm;
	bool reads = kind != 0 || i->rd != RV_REG_SINK;
	bool writes = kind == 0 || write_anyway;
	uint64_t old = 0;

	/* Counters read inside a block count the instructions before this one. */
	uint64_t executed = (uint64_t)(i - h->block_insns);
	h->retired += executed;
	if (reads && rv_csr_read(h, csr, &old) < 0)
		goto illegal;
	if (writes) {
		/*
		 * mip reads SEIP as the OR of its software bit and the PLIC's
		 * line, but a read-modify-write must start from the software
		 * bit alone, or an interrupt that happened to be pending would
		 * be latched into it for good.
		 */
		uint64_t base = csr == RV_CSR_MIP ? atomic_load(&h->mip) : old;
		uint64_t value = kind == 0 ? operand : kind == 1 ? base | operand : base & ~operand;
		if (rv_csr_write(h, csr, value) < 0)
			goto illegal;
	}
	h->retired -= executed;
	X[i->rd] = old;
	h->check_interrupts = true;
	return rv_jump(h, i, rv_next_pc(h, i));
illegal:
	h->retired -= executed;
	return rv_illegal(h, i);
}

int rv_op_csrrw(struct rv_hart *h, const struct rv_insn *i)
{
	return csr_access(h, i, X[i->rs1], 0, true);
}

int rv_op_csrrs(struct rv_hart *h, const struct rv_insn *i)
{
	return csr_access(h, i, X[i->rs1], 1, i->rs1 != 0);
}

int rv_op_csrrc(struct rv_hart *h, const struct rv_insn *i)
{
	return csr_access(h, i, X[i->rs1], 2, i->rs1 != 0);
}

int rv_op_csrrwi(struct rv_hart *h, const struct rv_insn *i)
{
	return csr_access(h, i, i->rs1, 0, true);
}

int rv_op_csrrsi(struct rv_hart *h, const struct rv_insn *i)
{
	return csr_access(h, i, i->rs1, 1, i->rs1 != 0);
}

int rv_op_csrrci(struct rv_hart *h, const struct rv_insn *i)
{
	return csr_access(h, i, i->rs1, 2, i->rs1 != 0);
}

/*
 * LR/SC across harts on separate host threads.  LR remembers the address
 * and the value it read, and marks its page as watched, so that every
 * other hart's store to the page takes the slow path and breaks the
 * reservation if it touches the reserved doubleword -- even a store of
 * the same value.  SC succeeds only if the reservation is intact and it
 * can swap the value LR saw for the new one atomically (a host
 * compare-and-swap, which closes the last race).  A trap clears the
 * reservation.
 */
void rv_reservation_set(struct rv_hart *h, uint64_t vaddr, uint64_t paddr, uint64_t value)
{
	rv_reservation_clear(h);
	h->reservation_addr = vaddr;
	h->reservation_value = value;
	atomic_store(&h->reservation_paddr, paddr & ~7ull);
	atomic_store(&h->reservation_broken, false);
	uint64_t page = (paddr - h->vm->ram_base) >> 12;
	atomic_fetch_or(&h->vm->page_watch[page], HV_WATCH_RESERVATION(h->index));
	h->reservation_valid = true;
}

void rv_reservation_clear(struct rv_hart *h)
{
	if (!h->reservation_valid)
		return;
	h->reservation_valid = false;
	uint64_t page = (atomic_load(&h->reservation_paddr) - h->vm->ram_base) >> 12;
	atomic_fetch_and(&h->vm->page_watch[page], (uint16_t)~HV_WATCH_RESERVATION(h->index));
}

/* Called from another thread: a write to [gpa, gpa+len) happened in a page this hart watches. */
void rv_reservation_break(struct rv_hart *h, uint64_t gpa, uint64_t len)
{
	uint64_t reserved = atomic_load(&h->reservation_paddr);
	if (gpa < reserved + 8 && reserved < gpa + len)
		atomic_store(&h->reservation_broken, true);
}
static int load_reserved(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
	uint64_t addr = X[i->rs1];
	void *p;
	if (addr & (size - 1))
		return rv_raise(h, i, RV_EXC_LOAD_MISALIGNED, addr);
	int cause = rv_atomic_ptr(h, addr, size, false, &p);
	if (cause)
		return rv_raise(h, i, (unsigned)cause, addr);
	uint64_t v = size == 4 ? (uint64_t)(int64_t)__atomic_load_n((int32_t *)p, __ATOMIC_ACQUIRE)
	                       : __atomic_load_n((uint64_t *)p, __ATOMIC_ACQUIRE);
	rv_reservation_set(h, addr, h->vm->ram_base + (uint64_t)((uint8_t *)p - h->vm->ram), v);
	X[i->rd] = v;
	return rv_continue(h, i);
}

static int store_conditional(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
	uint64_t addr = X[i->rs1];
	void *p;
	if (addr & (size - 1))
		return rv_raise(h, i, RV_EXC_STORE_MISALIGNED, addr);
	int cause = rv_atomic_ptr(h, addr, size, true, &p);
	if (cause)
		return rv_raise(h, i, (unsigned)cause, addr);
	bool ok = false;
	if (h->reservation_valid && h->reservation_addr == addr &&
	    !atomic_load(&h->reservation_broken)) {
		if (size == 4) {
			uint32_t expected = (uint32_t)h->reservation_value;
			ok = __atomic_compare_exchange_n((uint32_t *)p, &expected,
			                                 (uint32_t)X[i->rs2], false,
			                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		} else {
			uint64_t expected = h->reservation_value;
			ok = __atomic_compare_exchange_n((uint64_t *)p, &expected, X[i->rs2], false,
			                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		}
	}
	rv_reservation_clear(h);
	X[i->rd] = ok ? 0 : 1;
	return rv_after_store(h, i);
}

int rv_op_lr_w(struct rv_hart *h, const struct rv_insn *i)
{
	return load_reserved(h, i, 4);
}

int rv_op_lr_d(struct rv_hart *h, const struct rv_insn *i)
{
	return load_reserved(h, i, 8);
}

int rv_op_sc_w(struct rv_hart *h, const struct rv_insn *i)
{
	return store_conditional(h, i, 4);
}

int rv_op_sc_d(struct rv_hart *h, const struct rv_insn *i)
{
	return store_conditional(h, i, 8);
}

#define AMO_BODY(type, stype)                                                                 \
	do {                                                                                  \
		type *p = ptr, src = (type)X[i->rs2], old;                                    \
		switch (i->rm) {                                                              \
		case RV_AMO_ADD: old = __atomic_fetch_add(p, src, __ATOMIC_SEQ_CST); break;   \
		case RV_AMO_SWAP: old = __atomic_exchange_n(p, src, __ATOMIC_SEQ_CST); break; \
		case RV_AMO_XOR: old = __atomic_fetch_xor(p, src, __ATOMIC_SEQ_CST); break;   \
		case RV_AMO_AND: old = __atomic_fetch_and(p, src, __ATOMIC_SEQ_CST); break;   \
		case RV_AMO_OR: old = __atomic_fetch_or(p, src, __ATOMIC_SEQ_CST); break;     \
		default:                                                                      \
			old = __atomic_load_n(p, __ATOMIC_SEQ_CST);                           \
			for (;;) {                                                            \
				type want = amo_pick_##type(i->rm, old, src);                 \
				if (__atomic_compare_exchange_n(p, &old, want, false,         \
				                                __ATOMIC_SEQ_CST,             \
				                                __ATOMIC_SEQ_CST))            \
					break;                                                \
			}                                                                     \
		}                                                                             \
		result = (uint64_t)(int64_t)(stype)old;                                       \
	} while (0)

static inline uint32_t amo_pick_uint32_t(unsigned op, uint32_t a, uint32_t b)
{
	switch (op) {
	case RV_AMO_MIN: return (int32_t)a < (int32_t)b ? a : b;
	case RV_AMO_MAX: return (int32_t)a > (int32_t)b ? a : b;
	case RV_AMO_MINU: return a < b ? a : b;
	default: return a > b ? a : b;
	}
}

static inline uint64_t amo_pick_uint64_t(unsigned op, uint64_t a, uint64_t b)
{
	switch (op) {
	case RV_AMO_MIN: return (int64_t)a < (int64_t)b ? a : b;
	case RV_AMO_MAX: return (int64_t)a > (int64_t)b ? a : b;
	case RV_AMO_MINU: return a < b ? a : b;
	default: return a > b ? a : b;
	}
}

static int amo(struct rv_hart *h, const struct rv_insn *i, unsigned size)
{
	uint64_t addr = X[i->rs1], result;
	void *ptr;
	if (addr & (size - 1))
		return rv_raise(h, i, RV_EXC_STORE_MISALIGNED, addr);
	int cause = rv_atomic_ptr(h, addr, size, true, &ptr);
	if (cause)
		return rv_raise(h, i, (unsigned)cause, addr);
	if (size == 4)
		AMO_BODY(uint32_t, int32_t);
	else
		AMO_BODY(uint64_t, int64_t);
	X[i->rd] = result;
	return rv_after_store(h, i);
}

int rv_op_amo_w(struct rv_hart *h, const struct rv_insn *i)
{
	return amo(h, i, 4);
}

int rv_op_amo_d(struct rv_hart *h, const struct rv_insn *i)
{
	return amo(h, i, 8);
}
