/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual memory: the Sv39/Sv48 page-table walk, the software TLB, and
 * the slow paths of loads, stores and fetches.
 *
 * The journey of a guest load that misses the TLB: work out who is
 * asking (the translation regime: M-mode or bare means no translation,
 * else S or U), walk the page table from satp, checking every PTE as the
 * privileged spec says and setting its A (and for stores D) bit, and end
 * at a physical address.  If that is RAM, remember the page in the TLB so
 * that the next access is one add; if it is a device, call the device.
 */
#include <stdio.h>

#include "exec.h"

#define PTE_V           (1ull << 0)
#define PTE_R           (1ull << 1)
#define PTE_W           (1ull << 2)
#define PTE_X           (1ull << 3)
#define PTE_U           (1ull << 4)
#define PTE_G           (1ull << 5)
#define PTE_A           (1ull << 6)
#define PTE_D           (1ull << 7)
#define PTE_PPN_SHIFT   10
#define PTE_PPN_MASK    ((1ull << 44) - 1)
#define PTE_RESERVED    (0x3ffull << 54) /* Svpbmt/Svnapot bits: not implemented, must be zero */

#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0
#define SATP_MODE_SV39  8
#define SATP_MODE_SV48  9
#define SATP_PPN_MASK   ((1ull << 44) - 1)

static const unsigned page_fault_cause[RV_ACCESS_KINDS] = {
        RV_EXC_INSN_PAGE_FAULT, RV_EXC_LOAD_PAGE_FAULT, RV_EXC_STORE_PAGE_FAULT};
static const unsigned access_fault_cause[RV_ACCESS_KINDS] = {RV_EXC_INSN_ACCESS, RV_EXC_LOAD_ACCESS,
                                                             RV_EXC_STORE_ACCESS};

static void flush_table(struct rv_tlb_entry *table)
{
	for (unsigned n = 0; n < RV_TLB_SIZE; n++)
		table[n].vpn = RV_TLB_INVALID;
}

/*
 * Loads and stores only: SUM and MXR change what data accesses may do,
 * never what may be fetched, so the fetch side (and the jump cache) stays.
 */
void rv_tlb_flush_data(struct rv_hart *h, unsigned regime)
{
	flush_table(h->tlb[regime][RV_ACCESS_LOAD]);
	flush_table(h->tlb[regime][RV_ACCESS_STORE]);
	if (regime == RV_REGIME_S)
		h->s_tlb_has_user_pages = false;
}

void rv_tlb_flush_regime(struct rv_hart *h, unsigned regime)
{
	rv_tlb_flush_data(h, regime);
	flush_table(h->tlb[regime][RV_ACCESS_FETCH]);
	rv_jcache_invalidate(h);
}

void rv_tlb_flush(struct rv_hart *h)
{
	for (unsigned r = 0; r < RV_REGIMES; r++)
		rv_tlb_flush_regime(h, r);
}

void rv_tlb_flush_page(struct rv_hart *h, uint64_t vaddr)
{
	for (unsigned r = 0; r < RV_REGIMES; r++)
		for (unsigned k = 0; k < RV_ACCESS_KINDS; k++) {
			struct rv_tlb_entry *e = rv_tlb_entry(h, r, k, vaddr);
			if (e->vpn == vaddr >> 12)
				e->vpn = RV_TLB_INVALID;
		}
	rv_jcache_invalidate_page(h, vaddr);
}

/*
 * A new address space (satp written with a new root or ASID): entries
 * from global mappings -- the kernel's -- stay; the rest go.  Changing the
 * translation mode throws everything away.
 */
void rv_tlb_switch_address_space(struct rv_hart *h, bool mode_changed)
{
	if (mode_changed) {
		rv_tlb_flush_regime(h, RV_REGIME_S);
		rv_tlb_flush_regime(h, RV_REGIME_U);
		return;
	}
	for (unsigned k = 0; k < RV_ACCESS_KINDS; k++) {
		flush_table(h->tlb[RV_REGIME_U][k]);
		for (unsigned n = 0; n < RV_TLB_SIZE; n++)
			if (!h->tlb_global[RV_REGIME_S][k][n])
				h->tlb[RV_REGIME_S][k][n].vpn = RV_TLB_INVALID;
	}
	rv_jcache_new_address_space(h);
}

/* The privilege a data access is checked against: MPRV lends M-mode the MPP privilege. */
static unsigned data_priv(const struct rv_hart *h)
{
	if (h->priv == RV_PRIV_M && (h->mstatus & RV_MSTATUS_MPRV))
		return (unsigned)((h->mstatus & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT);
	return h->priv;
}

static unsigned regime_of(const struct rv_hart *h, unsigned priv)
{
	if (priv == RV_PRIV_M || (h->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE)
		return RV_REGIME_M;
	return priv == RV_PRIV_S ? RV_REGIME_S : RV_REGIME_U;
}

void rv_update_regimes(struct rv_hart *h)
{
	h->fetch_regime = regime_of(h, h->priv);
	h->data_regime = regime_of(h, data_priv(h));
}

/* Does this leaf PTE allow the access, for this privilege and mstatus? */
static bool leaf_permits(const struct rv_hart *h, uint64_t pte, unsigned kind, unsigned priv)
{
	if (pte & PTE_U) {
		if (priv == RV_PRIV_S &&
		    (kind == RV_ACCESS_FETCH || !(h->mstatus & RV_MSTATUS_SUM)))
			return false;
	} else if (priv == RV_PRIV_U) {
		return false;
	}
	switch (kind) {
	case RV_ACCESS_FETCH: return pte & PTE_X;
	case RV_ACCESS_LOAD:
		return (pte & PTE_R) || ((h->mstatus & RV_MSTATUS_MXR) && (pte & PTE_X));
	default: return pte & PTE_W;
	}
}

/*
 * Walk the page table.  Returns 0 with the physical address, or the
 * exception cause.  `leaf` gets the leaf's U bit, and G if any level of
 * the walk was global (a global pointer makes everything below global).
 */
static int page_walk(struct rv_hart *h, uint64_t vaddr, unsigned kind, unsigned priv,
                     uint64_t *paddr, uint64_t *leaf)
{
	uint64_t global = 0;
	unsigned mode = (unsigned)(h->satp >> SATP_MODE_SHIFT);
	int levels = mode == SATP_MODE_SV48 ? 4 : 3;
	unsigned va_bits = 12 + 9 * (unsigned)levels;

	/* The bits above the virtual address must all equal its top bit. */
	int64_t top = (int64_t)(vaddr << (64 - va_bits)) >> (64 - va_bits);
	if ((uint64_t)top != vaddr)
		return (int)page_fault_cause[kind];

	h->stats.tlb_misses++;
	uint64_t table = (h->satp & SATP_PPN_MASK) << 12;
	for (int level = levels - 1; level >= 0; level--) {
		uint64_t index = (vaddr >> (12 + 9 * level)) & 511;
		uint64_t pte_addr = table + index * 8;
		if (!hv_gpa_in_ram(h->vm, pte_addr, 8))
			return (int)access_fault_cause[kind];
		_Atomic uint64_t *slot =
		        (_Atomic uint64_t *)(h->vm->ram + (pte_addr - h->vm->ram_base));
		uint64_t pte = atomic_load_explicit(slot, memory_order_acquire);

		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED))
			return (int)page_fault_cause[kind];
		uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
		global |= pte & PTE_G;
		if (!(pte & (PTE_R | PTE_X))) {
			table = ppn << 12; /* a pointer to the next level */
			continue;
		}

		/* A leaf: permissions, superpage alignment, then A and D. */
		if (!leaf_permits(h, pte, kind, priv))
			return (int)page_fault_cause[kind];
		uint64_t low_ppn_mask = (1ull << (9 * level)) - 1;
		if (ppn & low_ppn_mask)
			return (int)page_fault_cause[kind];
		uint64_t want = pte | PTE_A | (kind == RV_ACCESS_STORE ? PTE_D : 0);
		if (want != pte && !atomic_compare_exchange_strong(slot, &pte, want))
			return page_walk(h, vaddr, kind, priv, paddr, leaf); /* changed under us */
		uint64_t offset_mask = (1ull << (12 + 9 * level)) - 1;
		*paddr = (ppn << 12 & ~offset_mask) | (vaddr & offset_mask);
		*leaf = (pte & PTE_U) | global;
		return 0;
	}
	return (int)page_fault_cause[kind];
}

/* Translate for an access of `kind`; on success fill the TLB if the page is RAM. */
static int translate(struct rv_hart *h, uint64_t vaddr, unsigned kind, uint64_t *paddr)
{
	unsigned priv = kind == RV_ACCESS_FETCH ? h->priv : data_priv(h);
	unsigned regime = regime_of(h, priv);
	uint64_t leaf = PTE_G; /* no translation: the same in every address space */

	if (regime == RV_REGIME_M) {
		*paddr = vaddr;
	} else {
		int cause = page_walk(h, vaddr, kind, priv, paddr, &leaf);
		if (cause)
			return cause;
	}
	uint64_t page = *paddr & ~0xfffull;
	if (hv_gpa_in_ram(h->vm, page, 4096)) {
		struct rv_tlb_entry *e = rv_tlb_entry(h, regime, kind, vaddr);
		e->vpn = vaddr >> 12;
		e->addend =
		        (uintptr_t)(h->vm->ram + (page - h->vm->ram_base)) - (vaddr & ~0xfffull);
		h->tlb_global[regime][kind][(vaddr >> 12) & (RV_TLB_SIZE - 1)] =
		        (leaf & PTE_G) != 0;
		if (regime == RV_REGIME_S && (leaf & PTE_U))
			h->s_tlb_has_user_pages = true;
	}
	return 0;
}

static int load_physical(struct rv_hart *h, uint64_t paddr, unsigned size, uint64_t *value)
{
	if (hv_gpa_in_ram(h->vm, paddr, size)) {
		uint64_t v = 0;
		memcpy(&v, h->vm->ram + (paddr - h->vm->ram_base), size);
		*value = v;
		return 0;
	}
	h->stats.mmio_exits++;
	if ((paddr & (size - 1)) == 0 && hv_mmio_load(h->vm, paddr, size, value))
		return 0;
	return RV_EXC_LOAD_ACCESS;
}

static int store_physical(struct rv_hart *h, uint64_t paddr, unsigned size, uint64_t value)
{
	if (hv_gpa_in_ram(h->vm, paddr, size)) {
		hv_ram_written(h->vm, paddr, size, (int)h->index);
		memcpy(h->vm->ram + (paddr - h->vm->ram_base), &value, size);
		return 0;
	}
	h->stats.mmio_exits++;
	if ((paddr & (size - 1)) == 0 && hv_mmio_store(h->vm, paddr, size, value))
		return 0;
	return RV_EXC_STORE_ACCESS;
}

/* A misaligned access that crosses a page is done byte by byte, each byte translated. */
int rv_load_slow(struct rv_hart *h, uint64_t vaddr, unsigned size, uint64_t *value)
{
	uint64_t paddr;
	int cause;
	if (!rv_within_page(vaddr, size)) {
		uint64_t v = 0, byte;
		for (unsigned n = 0; n < size; n++) {
			cause = rv_load_slow(h, vaddr + n, 1, &byte);
			if (cause)
				return cause;
			v |= byte << (8 * n);
		}
		*value = v;
		return 0;
	}
	h->fault_tval = vaddr;
	cause = translate(h, vaddr, RV_ACCESS_LOAD, &paddr);
	if (cause)
		return cause;
	return load_physical(h, paddr, size, value);
}

int rv_store_slow(struct rv_hart *h, uint64_t vaddr, unsigned size, uint64_t value)
{
	uint64_t paddr;
	int cause;
	if (!rv_within_page(vaddr, size)) {
		/* Translate every byte first, so that a fault leaves memory untouched. */
		for (unsigned n = 0; n < size; n++) {
			h->fault_tval = vaddr + n;
			cause = translate(h, vaddr + n, RV_ACCESS_STORE, &paddr);
			if (cause)
				return cause;
		}
		for (unsigned n = 0; n < size; n++) {
			cause = rv_store_slow(h, vaddr + n, 1, (value >> (8 * n)) & 0xff);
			if (cause)
				return cause;
		}
		return 0;
	}
	h->fault_tval = vaddr;
	cause = translate(h, vaddr, RV_ACCESS_STORE, &paddr);
	if (cause)
		return cause;
	return store_physical(h, paddr, size, value);
}

int rv_atomic_ptr(struct rv_hart *h, uint64_t vaddr, unsigned size, bool for_store, void **host)
{
	uint64_t paddr;
	unsigned kind = for_store ? RV_ACCESS_STORE : RV_ACCESS_LOAD;
	int cause = translate(h, vaddr, kind, &paddr);
	if (cause)
		return cause;
	if (!hv_gpa_in_ram(h->vm, paddr, size))
		return (int)access_fault_cause[kind]; /* no atomics on device registers */
	if (for_store)
		hv_ram_written(h->vm, paddr, size, (int)h->index);
	*host = h->vm->ram + (paddr - h->vm->ram_base);
	return 0;
}

int rv_fetch_translate(struct rv_hart *h, uint64_t vaddr, uint64_t *paddr, const uint8_t **host)
{
	struct rv_tlb_entry *e = rv_tlb_entry(h, h->fetch_regime, RV_ACCESS_FETCH, vaddr);
	if (e->vpn != vaddr >> 12) {
		int cause = translate(h, vaddr, RV_ACCESS_FETCH, paddr);
		if (cause)
			return cause;
		if (e->vpn != vaddr >> 12)
			return RV_EXC_INSN_ACCESS; /* not RAM: Kennel runs code only from RAM */
	}
	*host = (const uint8_t *)(uintptr_t)(vaddr + e->addend);
	*paddr = h->vm->ram_base + (uint64_t)(*host - h->vm->ram);
	return 0;
}
