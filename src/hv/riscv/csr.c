/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control and status registers, traps and interrupts.
 *
 * The journey of a trap: something goes wrong (or an interrupt is
 * pending and enabled), and the hart must drop what it does.  It decides
 * who handles it: M-mode, unless the trap happened below M and M-mode
 * delegated this cause to S (medeleg/mideleg).  It saves where it was
 * (xepc), why (xcause) and a helpful value (xtval), remembers the old
 * privilege and interrupt-enable in xstatus (xPP, xPIE), turns interrupts
 * off and jumps to the handler in xtvec.  xRET walks the same way back.
 */
#include <stdio.h>
#include <time.h>

#include "exec.h"

/* CSR numbers. */
enum {
	CSR_FFLAGS = 0x001,
	CSR_FRM = 0x002,
	CSR_FCSR = 0x003,
	CSR_CYCLE = 0xc00,
	CSR_TIME = 0xc01,
	CSR_INSTRET = 0xc02,
	CSR_HPMCOUNTER3 = 0xc03,
	CSR_HPMCOUNTER31 = 0xc1f,
	CSR_SSTATUS = 0x100,
	CSR_SIE = 0x104,
	CSR_STVEC = 0x105,
	CSR_SCOUNTEREN = 0x106,
	CSR_SENVCFG = 0x10a,
	CSR_SSCRATCH = 0x140,
	CSR_SEPC = 0x141,
	CSR_SCAUSE = 0x142,
	CSR_STVAL = 0x143,
	CSR_SIP = 0x144,
	CSR_SATP = 0x180,
	CSR_MVENDORID = 0xf11,
	CSR_MARCHID = 0xf12,
	CSR_MIMPID = 0xf13,
	CSR_MHARTID = 0xf14,
	CSR_MCONFIGPTR = 0xf15,
	CSR_MSTATUS = 0x300,
	CSR_MISA = 0x301,
	CSR_MEDELEG = 0x302,
	CSR_MIDELEG = 0x303,
	CSR_MIE = 0x304,
	CSR_MTVEC = 0x305,
	CSR_MCOUNTEREN = 0x306,
	CSR_MENVCFG = 0x30a,
	CSR_MCOUNTINHIBIT = 0x320,
	CSR_MHPMEVENT3 = 0x323,
	CSR_MHPMEVENT31 = 0x33f,
	CSR_MSCRATCH = 0x340,
	CSR_MEPC = 0x341,
	CSR_MCAUSE = 0x342,
	CSR_MTVAL = 0x343,
	CSR_MIP = 0x344,
	CSR_PMPCFG0 = 0x3a0,
	CSR_PMPCFG15 = 0x3af,
	CSR_PMPADDR0 = 0x3b0,
	CSR_PMPADDR63 = 0x3ef,
	CSR_MCYCLE = 0xb00,
	CSR_MINSTRET = 0xb02,
	CSR_MHPMCOUNTER3 = 0xb03,
	CSR_MHPMCOUNTER31 = 0xb1f,
};

/* The mstatus bits S-mode sees through sstatus. */
#define SSTATUS_MASK                                                                          \
	(RV_MSTATUS_SIE | RV_MSTATUS_SPIE | RV_MSTATUS_UBE | RV_MSTATUS_SPP | RV_MSTATUS_VS | \
	 RV_MSTATUS_FS | RV_MSTATUS_XS | RV_MSTATUS_SUM | RV_MSTATUS_MXR | RV_MSTATUS_UXL |   \
	 RV_MSTATUS_SD)
/* The mstatus bits software may change (FS dirtiness and SD follow from FS). */
#define MSTATUS_WRITABLE                                                                        \
	(RV_MSTATUS_SIE | RV_MSTATUS_MIE | RV_MSTATUS_SPIE | RV_MSTATUS_MPIE | RV_MSTATUS_SPP | \
	 RV_MSTATUS_MPP | RV_MSTATUS_FS | RV_MSTATUS_MPRV | RV_MSTATUS_SUM | RV_MSTATUS_MXR |   \
	 RV_MSTATUS_TVM | RV_MSTATUS_TW | RV_MSTATUS_TSR)
#define S_INTERRUPTS   (RV_MIP_SSIP | RV_MIP_STIP | RV_MIP_SEIP)
#define ALL_INTERRUPTS (S_INTERRUPTS | RV_MIP_MSIP | RV_MIP_MTIP | RV_MIP_MEIP)
/* Exceptions M-mode may hand to S-mode: all but ecall from M. */
#define MEDELEG_WRITABLE 0xb3ffull

static uint64_t with_sd(uint64_t mstatus)
{
	bool dirty = ((mstatus & RV_MSTATUS_FS) >> RV_MSTATUS_FS_SHIFT) == RV_FS_DIRTY;
	return dirty ? mstatus | RV_MSTATUS_SD : mstatus & ~RV_MSTATUS_SD;
}

/* mip as software sees it: its own bits plus the lines the PLIC drives. */
static uint64_t mip_value(struct rv_hart *h)
{
	return atomic_load(&h->mip) | atomic_load(&h->ext_irq);
}

/* Counters are visible below M only when mcounteren (and for U, scounteren) allow. */
static bool counter_allowed(const struct rv_hart *h, unsigned csr)
{
	uint64_t bit = 1ull << (csr & 31);
	if (h->priv < RV_PRIV_M && !(h->mcounteren & bit))
		return false;
	if (h->priv == RV_PRIV_U && !(h->scounteren & bit))
		return false;
	return true;
}

static void write_mstatus(struct rv_hart *h, uint64_t value, uint64_t mask)
{
	uint64_t old = h->mstatus;
	uint64_t next = (old & ~mask) | (value & mask);
	/* MPP is WARL: 2 (the reserved H level) reads back as U. */
	if (((next & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT) == 2)
		next &= ~RV_MSTATUS_MPP;
	h->mstatus = with_sd(next);

	uint64_t changed = old ^ h->mstatus;
	if (changed & RV_MSTATUS_MXR) {
		for (unsigned r = 0; r < RV_REGIMES; r++)
			rv_tlb_flush_data(h, r);
	} else if ((changed & RV_MSTATUS_SUM) && !(h->mstatus & RV_MSTATUS_SUM) &&
	           h->s_tlb_has_user_pages) {
		rv_tlb_flush_data(h, RV_REGIME_S);
	}
	if (changed & (RV_MSTATUS_MPRV | RV_MSTATUS_MPP))
		rv_update_regimes(h);
	h->check_interrupts = true;
}

static void write_satp(struct rv_hart *h, uint64_t value)
{
	unsigned mode = (unsigned)(value >> 60);
	/* WARL: an unsupported mode (e.g. Sv57) leaves satp as it was. */
	if (mode != 0 && mode != 8 && mode != 9)
		return;
	uint64_t old = h->satp;
	h->satp = value & (0xfull << 60 | 0xffffull << 44 | ((1ull << 44) - 1));
	if (mode == 0)
		h->satp = 0;
	if (h->satp != old)
		rv_tlb_switch_address_space(h, (old >> 60) != mode);
	rv_update_regimes(h);
}

int rv_csr_read(struct rv_hart *h, unsigned csr, uint64_t *value)
{
	if (h->priv < ((csr >> 8) & 3))
		return -1;
	switch (csr) {
	case CSR_FFLAGS:
	case CSR_FRM:
	case CSR_FCSR:
		if (!(h->mstatus & RV_MSTATUS_FS))
			return -1;
		*value = csr == CSR_FFLAGS ? h->fflags
		         : csr == CSR_FRM  ? h->frm
		                           : h->frm << 5 | h->fflags;
		return 0;
	case CSR_CYCLE:
	case CSR_INSTRET:
	case CSR_TIME:
		if (!counter_allowed(h, csr))
			return -1;
		*value = csr == CSR_TIME ? rv_mtime(h->vm) : h->retired + h->instret_offset;
		return 0;
	case CSR_SSTATUS: *value = h->mstatus & SSTATUS_MASK; return 0;
	case CSR_SIE: *value = h->mie & h->mideleg; return 0;
	case CSR_SIP:
		rv_poll_timers(h);
		*value = mip_value(h) & h->mideleg;
		return 0;
	case CSR_STVEC: *value = h->stvec; return 0;
	case CSR_SCOUNTEREN: *value = h->scounteren; return 0;
	case CSR_SENVCFG: *value = h->senvcfg; return 0;
	case CSR_SSCRATCH: *value = h->sscratch; return 0;
	case CSR_SEPC: *value = h->sepc; return 0;
	case CSR_SCAUSE: *value = h->scause; return 0;
	case CSR_STVAL: *value = h->stval; return 0;
	case CSR_SATP:
		if (h->priv == RV_PRIV_S && (h->mstatus & RV_MSTATUS_TVM))
			return -1;
		*value = h->satp;
		return 0;
	case CSR_MVENDORID:
	case CSR_MARCHID:
	case CSR_MIMPID:
	case CSR_MCONFIGPTR: *value = 0; return 0;
	case CSR_MHARTID: *value = h->mhartid; return 0;
	case CSR_MSTATUS: *value = h->mstatus; return 0;
	case CSR_MISA: *value = h->misa; return 0;
	case CSR_MEDELEG: *value = h->medeleg; return 0;
	case CSR_MIDELEG: *value = h->mideleg; return 0;
	case CSR_MIE: *value = h->mie; return 0;
	case CSR_MTVEC: *value = h->mtvec; return 0;
	case CSR_MCOUNTEREN: *value = h->mcounteren; return 0;
	case CSR_MENVCFG: *value = h->menvcfg; return 0;
	case CSR_MCOUNTINHIBIT: *value = h->mcountinhibit; return 0;
	case CSR_MSCRATCH: *value = h->mscratch; return 0;
	case CSR_MEPC: *value = h->mepc; return 0;
	case CSR_MCAUSE: *value = h->mcause; return 0;
	case CSR_MTVAL: *value = h->mtval; return 0;
	case CSR_MIP:
		rv_poll_timers(h);
		*value = mip_value(h);
		return 0;
	case CSR_MCYCLE:
	case CSR_MINSTRET: *value = h->retired + h->instret_offset; return 0;
	}
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1)
			return -1; /* odd pmpcfg registers exist only on RV32 */
		*value = h->pmpcfg[csr - CSR_PMPCFG0];
		return 0;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		*value = h->pmpaddr[csr - CSR_PMPADDR0];
		return 0;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		*value = 0;
		return 0;
	}
	if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
		if (!counter_allowed(h, csr))
			return -1;
		*value = 0;
		return 0;
	}
	return -1;
}

int rv_csr_write(struct rv_hart *h, unsigned csr, uint64_t value)
{
	if (h->priv < ((csr >> 8) & 3) || (csr >> 10) == 3)
		return -1; /* too little privilege, or a read-only CSR */
	switch (csr) {
	case CSR_FFLAGS:
	case CSR_FRM:
	case CSR_FCSR:
		if (!(h->mstatus & RV_MSTATUS_FS))
			return -1;
		if (csr == CSR_FFLAGS)
			h->fflags = value & 0x1f;
		else if (csr == CSR_FRM)
			h->frm = value & 7;
		else
			h->fflags = value & 0x1f, h->frm = (value >> 5) & 7;
		h->mstatus = with_sd(h->mstatus | RV_MSTATUS_FS);
		return 0;
	case CSR_SSTATUS: write_mstatus(h, value, MSTATUS_WRITABLE & SSTATUS_MASK); return 0;
	case CSR_SIE: h->mie = (h->mie & ~h->mideleg) | (value & h->mideleg); return 0;
	case CSR_SIP:
		/* Of the S bits only SSIP is software-writable, and only when delegated. */
		if (h->mideleg & RV_MIP_SSIP) {
			if (value & RV_MIP_SSIP)
				atomic_fetch_or(&h->mip, RV_MIP_SSIP);
			else
				atomic_fetch_and(&h->mip, ~RV_MIP_SSIP);
		}
		return 0;
	case CSR_STVEC: h->stvec = value & ~2ull; return 0;
	case CSR_SCOUNTEREN: h->scounteren = value & 0xffffffff; return 0;
	case CSR_SENVCFG: h->senvcfg = 0; return 0;
	case CSR_SSCRATCH: h->sscratch = value; return 0;
	case CSR_SEPC: h->sepc = value & ~1ull; return 0;
	case CSR_SCAUSE: h->scause = value; return 0;
	case CSR_STVAL: h->stval = value; return 0;
	case CSR_SATP:
		if (h->priv == RV_PRIV_S && (h->mstatus & RV_MSTATUS_TVM))
			return -1;
		write_satp(h, value);
		return 0;
	case CSR_MSTATUS: write_mstatus(h, value, MSTATUS_WRITABLE); return 0;
	case CSR_MISA: return 0; /* WARL: the extensions cannot be turned off */
	case CSR_MEDELEG: h->medeleg = value & MEDELEG_WRITABLE; return 0;
	case CSR_MIDELEG: h->mideleg = value & S_INTERRUPTS; return 0;
	case CSR_MIE: h->mie = value & ALL_INTERRUPTS; return 0;
	case CSR_MTVEC: h->mtvec = value & ~2ull; return 0;
	case CSR_MCOUNTEREN: h->mcounteren = value & 0xffffffff; return 0;
	case CSR_MENVCFG: h->menvcfg = 0; return 0;
	case CSR_MCOUNTINHIBIT: h->mcountinhibit = value & 0xfffffffd; return 0;
	case CSR_MSCRATCH: h->mscratch = value; return 0;
	case CSR_MEPC: h->mepc = value & ~1ull; return 0;
	case CSR_MCAUSE: h->mcause = value; return 0;
	case CSR_MTVAL: h->mtval = value; return 0;
	case CSR_MIP: {
		/* M-mode may set or clear the S-level pending bits; the M-level ones come from the
		 * CLINT and PLIC. */
		uint64_t keep = atomic_load(&h->mip) & ~S_INTERRUPTS;
		atomic_store(&h->mip, keep | (value & S_INTERRUPTS));
		return 0;
	}
	case CSR_MCYCLE:
	case CSR_MINSTRET: h->instret_offset = value - h->retired; return 0;
	}
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1)
			return -1;
		h->pmpcfg[csr - CSR_PMPCFG0] = value;
		return 0;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		h->pmpaddr[csr - CSR_PMPADDR0] = value & ((1ull << 54) - 1);
		return 0;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
		return 0;
	return -1;
}

void rv_set_priv(struct rv_hart *h, unsigned priv)
{
	h->priv = priv;
	rv_update_regimes(h);
	h->check_interrupts = true; /* what may interrupt depends on the privilege */
}

static uint64_t trap_target(uint64_t tvec, uint64_t cause, bool interrupt)
{
	uint64_t base = tvec & ~3ull;
	if ((tvec & 3) == 1 && interrupt)
		return base + 4 * cause; /* vectored mode */
	return base;
}

void rv_take_trap(struct rv_hart *h, uint64_t cause, uint64_t tval, bool interrupt)
{
	uint64_t deleg = interrupt ? h->mideleg : h->medeleg;
	bool to_s = h->priv <= RV_PRIV_S && ((deleg >> cause) & 1);
	uint64_t xcause = cause | (interrupt ? 1ull << 63 : 0);

	if (cause < HV_STAT_CAUSES) {
		if (interrupt)
			h->stats.interrupts[cause]++;
		else
			h->stats.exceptions[cause]++;
	}
	rv_reservation_clear(h);

	if (to_s) {
		h->scause = xcause;
		h->sepc = h->pc;
		h->stval = tval;
		uint64_t s = h->mstatus & ~(RV_MSTATUS_SPP | RV_MSTATUS_SPIE | RV_MSTATUS_SIE);
		if (h->priv == RV_PRIV_S)
			s |= RV_MSTATUS_SPP;
		if (h->mstatus & RV_MSTATUS_SIE)
			s |= RV_MSTATUS_SPIE;
		h->mstatus = s;
		h->pc = trap_target(h->stvec, cause, interrupt);
		rv_set_priv(h, RV_PRIV_S);
	} else {
		if (h->vm->config.sbi) {
			/* Direct boot has no M-mode firmware to catch this: stop the VM and say
			 * why. */
			fprintf(stderr,
			        "hv: hart %u: %s %llu at pc 0x%llx (tval 0x%llx) reached M-mode, "
			        "which direct boot does not run\n",
			        h->index, interrupt ? "interrupt" : "exception",
			        (unsigned long long)cause, (unsigned long long)h->pc,
			        (unsigned long long)tval);
			hv_vm_request_exit(h->vm, HV_EXIT_ERROR, 0);
		}
		h->mcause = xcause;
		h->mepc = h->pc;
		h->mtval = tval;
		uint64_t s = h->mstatus & ~(RV_MSTATUS_MPP | RV_MSTATUS_MPIE | RV_MSTATUS_MIE);
		s |= (uint64_t)h->priv << RV_MSTATUS_MPP_SHIFT;
		if (h->mstatus & RV_MSTATUS_MIE)
			s |= RV_MSTATUS_MPIE;
		h->mstatus = s;
		h->pc = trap_target(h->mtvec, cause, interrupt);
		rv_set_priv(h, RV_PRIV_M);
	}
}

int rv_op_mret(struct rv_hart *h, const struct rv_insn *i)
{
	if (h->priv != RV_PRIV_M)
		return rv_illegal(h, i);
	unsigned pp = (unsigned)((h->mstatus & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT);
	uint64_t s = h->mstatus & ~(RV_MSTATUS_MIE | RV_MSTATUS_MPP);
	if (h->mstatus & RV_MSTATUS_MPIE)
		s |= RV_MSTATUS_MIE;
	s |= RV_MSTATUS_MPIE;
	if (pp != RV_PRIV_M)
		s &= ~RV_MSTATUS_MPRV;
	h->mstatus = s;
	h->check_interrupts = true;
	rv_set_priv(h, pp);
	return rv_jump(h, i, h->mepc);
}

int rv_op_sret(struct rv_hart *h, const struct rv_insn *i)
{
	if (h->priv == RV_PRIV_U || (h->priv == RV_PRIV_S && (h->mstatus & RV_MSTATUS_TSR)))
		return rv_illegal(h, i);
	unsigned pp = (h->mstatus & RV_MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
	uint64_t s = h->mstatus & ~(RV_MSTATUS_SIE | RV_MSTATUS_SPP | RV_MSTATUS_MPRV);
	if (h->mstatus & RV_MSTATUS_SPIE)
		s |= RV_MSTATUS_SIE;
	s |= RV_MSTATUS_SPIE;
	h->mstatus = s;
	h->check_interrupts = true;
	rv_set_priv(h, pp);
	return rv_jump(h, i, h->sepc);
}

/* Pending and enabled, before the global enables are considered. */
uint64_t rv_pending_enabled_interrupts(struct rv_hart *h)
{
	return mip_value(h) & h->mie;
}

/*
 * Take the most urgent interrupt that may be taken now.  M-level ones
 * interrupt anything below M, or M itself with MIE set; delegated ones
 * interrupt U, or S with SIE set.  Priority: MEI, MSI, MTI, SEI, SSI, STI.
 */
bool rv_take_pending_interrupt(struct rv_hart *h)
{
	static const unsigned order[] = {RV_IRQ_M_EXT, RV_IRQ_M_SOFT, RV_IRQ_M_TIMER,
	                                 RV_IRQ_S_EXT, RV_IRQ_S_SOFT, RV_IRQ_S_TIMER};
	uint64_t pending = rv_pending_enabled_interrupts(h);
	if (!pending)
		return false;
	bool m_on = h->priv < RV_PRIV_M || (h->mstatus & RV_MSTATUS_MIE);
	bool s_on = h->priv < RV_PRIV_S || (h->priv == RV_PRIV_S && (h->mstatus & RV_MSTATUS_SIE));
	uint64_t takeable = (m_on ? pending & ~h->mideleg : 0) | (s_on ? pending & h->mideleg : 0);
	if (!takeable)
		return false;
	for (unsigned n = 0; n < sizeof(order) / sizeof(order[0]); n++) {
		if (takeable & (1ull << order[n])) {
			rv_take_trap(h, order[n], 0, true);
			return true;
		}
	}
	return false;
}

/*
 * Timers: MTIP is "mtime >= mtimecmp", and in direct boot STIP follows
 * the timer the kernel set through SBI.  Checked every few thousand
 * instructions, on CSR reads of mip, and when WFI wakes up.
 */
void rv_poll_timers(struct rv_hart *h)
{
	uint64_t now = rv_mtime(h->vm);
	uint64_t old = atomic_load(&h->mip), set = 0, clear = 0;

	if (now >= atomic_load(&h->mtimecmp))
		set |= RV_MIP_MTIP;
	else
		clear |= RV_MIP_MTIP;
	if (h->vm->config.sbi && now >= atomic_load(&h->sbi_timecmp))
		set |= RV_MIP_STIP;
	if ((old & set) != set)
		atomic_fetch_or(&h->mip, set);
	if (old & clear)
		atomic_fetch_and(&h->mip, ~clear);
	if (((old | set) & ~clear) != old)
		h->check_interrupts = true;
}
