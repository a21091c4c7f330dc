/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One RISC-V hart (hardware thread) of the software CPU.
 *
 * A hart is its registers, its control and status registers (CSRs), a
 * software TLB that remembers recent virtual-to-host translations, and a
 * cache of decoded instruction blocks.  Each hart runs on its own host
 * thread; other threads talk to it only through the atomic fields at the
 * end ("mailbox"), then kick it.
 */
#ifndef KENNEL_HV_RISCV_HART_H
#define KENNEL_HV_RISCV_HART_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "hv.h"

struct hv_vm;
struct rv_hart;
struct rv_insn;

/* The one CSR number the instruction handlers need to know about. */
#define RV_CSR_MIP 0x344

/* Privilege levels as the mstatus.MPP field encodes them. */
enum { RV_PRIV_U = 0, RV_PRIV_S = 1, RV_PRIV_M = 3 };

/* Exception causes (mcause with the interrupt bit clear). */
enum {
	RV_EXC_INSN_MISALIGNED = 0,
	RV_EXC_INSN_ACCESS = 1,
	RV_EXC_ILLEGAL_INSN = 2,
	RV_EXC_BREAKPOINT = 3,
	RV_EXC_LOAD_MISALIGNED = 4,
	RV_EXC_LOAD_ACCESS = 5,
	RV_EXC_STORE_MISALIGNED = 6,
	RV_EXC_STORE_ACCESS = 7,
	RV_EXC_ECALL_U = 8,
	RV_EXC_ECALL_S = 9,
	RV_EXC_ECALL_M = 11,
	RV_EXC_INSN_PAGE_FAULT = 12,
	RV_EXC_LOAD_PAGE_FAULT = 13,
	RV_EXC_STORE_PAGE_FAULT = 15,
};

/* Interrupt numbers: bit positions in mip/mie. */
enum {
	RV_IRQ_S_SOFT = 1,
	RV_IRQ_M_SOFT = 3,
	RV_IRQ_S_TIMER = 5,
	RV_IRQ_M_TIMER = 7,
	RV_IRQ_S_EXT = 9,
	RV_IRQ_M_EXT = 11,
};
#define RV_MIP_SSIP (1ull << RV_IRQ_S_SOFT)
#define RV_MIP_MSIP (1ull << RV_IRQ_M_SOFT)
#define RV_MIP_STIP (1ull << RV_IRQ_S_TIMER)
#define RV_MIP_MTIP (1ull << RV_IRQ_M_TIMER)
#define RV_MIP_SEIP (1ull << RV_IRQ_S_EXT)
#define RV_MIP_MEIP (1ull << RV_IRQ_M_EXT)

/* mstatus fields (RV64). */
#define RV_MSTATUS_SIE       (1ull << 1)
#define RV_MSTATUS_MIE       (1ull << 3)
#define RV_MSTATUS_SPIE      (1ull << 5)
#define RV_MSTATUS_UBE       (1ull << 6)
#define RV_MSTATUS_MPIE      (1ull << 7)
#define RV_MSTATUS_SPP       (1ull << 8)
#define RV_MSTATUS_VS        (3ull << 9)
#define RV_MSTATUS_MPP_SHIFT 11
#define RV_MSTATUS_MPP       (3ull << 11)
#define RV_MSTATUS_FS_SHIFT  13
#define RV_MSTATUS_FS        (3ull << 13)
#define RV_MSTATUS_XS        (3ull << 15)
#define RV_MSTATUS_MPRV      (1ull << 17)
#define RV_MSTATUS_SUM       (1ull << 18)
#define RV_MSTATUS_MXR       (1ull << 19)
#define RV_MSTATUS_TVM       (1ull << 20)
#define RV_MSTATUS_TW        (1ull << 21)
#define RV_MSTATUS_TSR       (1ull << 22)
#define RV_MSTATUS_UXL       (3ull << 32)
#define RV_MSTATUS_SXL       (3ull << 34)
#define RV_MSTATUS_SD        (1ull << 63)
#define RV_FS_OFF            0
#define RV_FS_DIRTY          3

/*
 * The software TLB.  One direct-mapped table per kind of access (fetch,
 * load, store) and per "translation regime" -- who is asking: M-mode (or
 * anyone with paging off), S-mode, or U-mode.  A hit turns a virtual
 * address into a host pointer with one add: host = vaddr + addend.
 * Only RAM is ever cached here; device registers always take the slow
 * path so that every access reaches the device.
 */
#define RV_TLB_BITS    8
#define RV_TLB_SIZE    (1u << RV_TLB_BITS)
#define RV_TLB_INVALID (~0ull)
enum { RV_ACCESS_FETCH = 0, RV_ACCESS_LOAD = 1, RV_ACCESS_STORE = 2, RV_ACCESS_KINDS = 3 };
enum { RV_REGIME_M = 0, RV_REGIME_S = 1, RV_REGIME_U = 2, RV_REGIMES = 3 };

struct rv_tlb_entry {
	uint64_t vpn;     /* virtual page number, RV_TLB_INVALID when empty */
	uintptr_t addend; /* host pointer = vaddr + addend */
};

/* A decoded instruction: its handler and the operands pulled out of its bits. */
typedef int (*rv_exec_fn)(struct rv_hart *h, const struct rv_insn *insn);
struct rv_insn {
	rv_exec_fn exec;
	uint8_t rd, rs1, rs2, rs3; /* rd 0 is decoded as RV_REG_SINK */
	uint16_t pc_offset;        /* bytes from the start of its block */
	uint8_t len;               /* 2 or 4 */
	uint8_t rm;                /* FP rounding mode field, or a small sub-opcode */
	int32_t imm;
	uint32_t bits; /* the raw instruction, for mtval on an illegal instruction */
};
/* Writes to x0 land in this extra register, so that x0 stays zero without a check. */
#define RV_REG_SINK 32

/*
 * How a block ends.  Instructions inside a block pass control straight to
 * the next one's handler (threaded code); the one that leaves the block
 * returns one of these, having set pc and retired_until.
 */
enum {
	RV_JUMPED = 1, /* retired, and pc now holds where to go */
	RV_TRAPPED = 2 /* not retired: a trap was taken and pc is the handler */
};

/*
 * A run of decoded instructions that starts at one physical address.
 *
 * Chaining: a block leaves by at most two doors -- its last instruction's
 * target (a taken branch, jal) and the next pc (a branch not taken, the
 * end marker).  When a door leads to a pc in the same page, the block it
 * leads to is found the first time through and remembered in next[]; from
 * then on the handler goes straight into it without returning to the run
 * loop.  A pc in the same virtual page lies in the same physical page, so
 * the link stays right for as long as the blocks exist (until the next
 * flush of the code cache, which empties the whole arena).
 */
enum { RV_DOOR_TARGET = 0, RV_DOOR_NEXT = 1 };
struct rv_block {
	uint64_t paddr;
	struct rv_block *hash_next;
	struct rv_block *next[2]; /* by door; NULL until linked */
	uint16_t count;
	uint16_t bytes;
	uint8_t linkable; /* bit d: door d leads into this page and may be linked */
	struct rv_insn insns[];
};
#define RV_BLOCK_MAX_INSNS 64
#define RV_BLOCK_HASH_BITS 14

/*
 * The jump cache: "the block for virtual pc P, fetched in regime R" --
 * the shortcut that skips the fetch translation and the hash walk for
 * code that just ran.  Entries are valid only while their generation
 * matches the hart's, which moves on whenever a translation or a decoded
 * block might have changed.
 */
#define RV_JCACHE_BITS      14
#define RV_JCACHE_PAGE_BITS 4096
struct rv_jcache_entry {
	uint64_t vpc;
	struct rv_block *block;
	uint32_t generation;
	uint16_t address_space; /* for non-global code: which satp it was fetched under */
	uint8_t regime;
	bool global;
};

/* Why another thread kicked this hart (bits of rv_hart.requests). */
enum {
	RV_REQ_INTERRUPT = 1u << 0,  /* mip changed: look at interrupts */
	RV_REQ_TLB_FLUSH = 1u << 1,  /* remote sfence.vma */
	RV_REQ_CODE_FLUSH = 1u << 2, /* decoded code went stale */
	RV_REQ_PAUSE = 1u << 3,      /* park at the next block boundary */
	RV_REQ_EXIT = 1u << 4,       /* the VM is stopping */
	RV_REQ_HSM_START = 1u << 5,  /* another hart asked us to start */
};

/* HSM states of a hart, as the SBI HSM extension numbers them. */
enum { RV_HSM_STARTED = 0, RV_HSM_STOPPED = 1, RV_HSM_START_PENDING = 2, RV_HSM_STOP_PENDING = 3 };

struct rv_hart {
	/* The architectural state the instructions see. */
	uint64_t x[33]; /* x0..x31, plus the write sink */
	uint64_t f[32];
	uint64_t pc;
	unsigned priv;
	uint32_t fflags, frm;

	uint64_t mstatus, misa, medeleg, mideleg, mie, mtvec, mscratch, mepc, mcause, mtval;
	uint64_t mcounteren, mcountinhibit, menvcfg;
	uint64_t stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg;
	uint64_t pmpcfg[16], pmpaddr[64];
	uint64_t mhartid;
	/*
	 * Instructions retired since the hart was created: the one counter
	 * the hot path bumps, once per block.  The instret (and cycle) CSR
	 * reads retired + instret_offset, so that writing it is one subtraction.
	 */
	uint64_t retired;
	uint64_t instret_offset;

	/*
	 * LR/SC: the reserved virtual and physical address, and the value LR
	 * saw there.  Another hart's store to the reserved bytes sets
	 * reservation_broken.
	 */
	uint64_t reservation_addr;
	_Atomic uint64_t reservation_paddr; /* of the aligned doubleword holding it */
	uint64_t reservation_value;
	bool reservation_valid;
	_Atomic bool reservation_broken;

	/* Translation state derived from priv/mstatus/satp. */
	unsigned fetch_regime, data_regime;
	bool s_tlb_has_user_pages;
	struct rv_tlb_entry tlb[RV_REGIMES][RV_ACCESS_KINDS][RV_TLB_SIZE];
	bool tlb_global[RV_REGIMES][RV_ACCESS_KINDS][RV_TLB_SIZE]; /* from a global mapping */

	/* Decoded-code cache: a hash of blocks living in one arena. */
	struct rv_block *block_hash[1u << RV_BLOCK_HASH_BITS];
	uint8_t *arena;
	size_t arena_size, arena_used;
	struct rv_jcache_entry jcache[1u << RV_JCACHE_BITS];
	uint32_t jcache_generation;
	uint16_t jcache_address_space;
	/*
	 * Which virtual pages (hashed to a bit) may have jump-cache entries,
	 * so that an sfence.vma of a data page -- the common case -- need not
	 * look through the 2048 slots where that page's entries would be.
	 */
	uint64_t jcache_pages[RV_JCACHE_PAGE_BITS / 64];
	uint64_t block_pc;                   /* virtual pc where the running block started */
	const struct rv_insn *block_insns;   /* its first instruction */
	const struct rv_insn *retired_until; /* the first instruction that did not retire */
	struct rv_block *link_block;         /* a block that left by a door not yet linked */
	uint8_t link_door;                   /* which door */
	uint64_t code_epoch;                 /* bumped by every flush of the code cache */
	uint64_t fault_tval;                 /* the address a failed slow-path access reports */

	/* Interrupt bookkeeping local to the hart thread. */
	bool check_interrupts;
	uint64_t poll_at; /* poll the timers once retired reaches this */

	struct hv_vm *vm;
	unsigned index;
	struct hv_vcpu_boot boot;
	struct hv_vcpu_stats stats;
	pthread_t thread;
	bool thread_started;

	/*
	 * The mailbox.  Other threads (devices, other harts, the engine) set
	 * these atomically, then call rv_hart_kick().
	 */
	_Atomic uint64_t mip;         /* pending interrupt bits */
	_Atomic uint64_t ext_irq;     /* MEIP/SEIP as driven by the PLIC */
	_Atomic uint64_t mtimecmp;    /* CLINT compare register */
	_Atomic uint64_t sbi_timecmp; /* direct boot: the S-mode timer set through SBI */
	_Atomic uint32_t requests;    /* RV_REQ_* */
	_Atomic int hsm_state;
	_Atomic bool asleep;                  /* parked in WFI, HSM stop or pause */
	uint64_t hsm_start_pc, hsm_start_arg; /* written before RV_REQ_HSM_START */
	pthread_mutex_t sleep_lock;
	pthread_cond_t wake;
};

/* Guest time: mtime, 10 MHz from the host's monotonic clock. */
uint64_t rv_mtime(struct hv_vm *vm);

/* Wake a hart (from any thread) so it looks at its mailbox. */
void rv_hart_kick(struct rv_hart *h, uint32_t requests);

/* hart.c: the hart thread, reset, sleeping. */
void rv_hart_reset(struct rv_hart *h);
void *rv_hart_thread(void *arg);
void rv_hart_process_requests(struct rv_hart *h);

/* csr.c: CSRs, traps and interrupts. */
int rv_csr_read(struct rv_hart *h, unsigned csr, uint64_t *value);
int rv_csr_write(struct rv_hart *h, unsigned csr, uint64_t value);
void rv_take_trap(struct rv_hart *h, uint64_t cause, uint64_t tval, bool interrupt);
bool rv_take_pending_interrupt(struct rv_hart *h);
uint64_t rv_pending_enabled_interrupts(struct rv_hart *h);
void rv_update_regimes(struct rv_hart *h);
void rv_set_priv(struct rv_hart *h, unsigned priv);
void rv_poll_timers(struct rv_hart *h);
/* hart.c: WFI sleeps until an enabled interrupt is pending (or a request arrives). */
void rv_hart_wfi(struct rv_hart *h);
/* mmu.c: drop the TLB entries of one virtual page (sfence.vma with an address). */
void rv_tlb_flush_page(struct rv_hart *h, uint64_t vaddr);

/* mmu.c: translation, the TLB, and memory accesses. */
void rv_tlb_flush(struct rv_hart *h);
void rv_tlb_flush_regime(struct rv_hart *h, unsigned regime);
void rv_tlb_flush_data(struct rv_hart *h, unsigned regime);
void rv_tlb_switch_address_space(struct rv_hart *h, bool mode_changed);
/* The slow paths: return 0 or the exception cause (tval is the address). */
int rv_load_slow(struct rv_hart *h, uint64_t vaddr, unsigned size, uint64_t *value);
int rv_store_slow(struct rv_hart *h, uint64_t vaddr, unsigned size, uint64_t value);
/* For LR/SC/AMO: a host pointer to an aligned RAM word, or a cause. */
int rv_atomic_ptr(struct rv_hart *h, uint64_t vaddr, unsigned size, bool for_store, void **host);
/* Instruction fetch: translate pc to a physical address and host pointer. */
int rv_fetch_translate(struct rv_hart *h, uint64_t vaddr, uint64_t *paddr, const uint8_t **host);

/* run.c: the decoded-code cache and the run loop. */
void rv_jcache_invalidate(struct rv_hart *h);
void rv_jcache_invalidate_page(struct rv_hart *h, uint64_t vaddr);
void rv_jcache_new_address_space(struct rv_hart *h);
struct rv_block *rv_block_lookup(struct rv_hart *h, uint64_t vaddr, int *cause);
void rv_code_cache_flush(struct rv_hart *h);
void rv_decode(struct rv_insn *insn, uint32_t bits);
void rv_run(struct rv_hart *h);

/* exec_system.c: LR reservations. */
void rv_reservation_set(struct rv_hart *h, uint64_t vaddr, uint64_t paddr, uint64_t value);
void rv_reservation_clear(struct rv_hart *h);
void rv_reservation_break(struct rv_hart *h, uint64_t gpa, uint64_t len);

/* sbi.c: Kennel's hypercalls (direct boot). */
void rv_sbi_call(struct rv_hart *h);

/* Fast inline memory access: a TLB hit is an index, a compare and an add. */
static inline struct rv_tlb_entry *rv_tlb_entry(struct rv_hart *h, unsigned regime, unsigned kind,
                                                uint64_t vaddr)
{
	return &h->tlb[regime][kind][(vaddr >> 12) & (RV_TLB_SIZE - 1)];
}

#endif
