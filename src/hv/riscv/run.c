/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run loop and the decoded-code cache.
 *
 * The journey of one step: the hart looks in its mailbox (a device may
 * have raised an interrupt, another hart may want a TLB flush), takes a
 * pending interrupt if one may be taken, then finds the block of decoded
 * instructions that starts at pc -- decoding it from guest memory the
 * first time -- and runs it.  The block runs to its end, and on through
 * the blocks its doors are linked to, until an instruction jumps where no
 * link leads, traps, or someone needs the run loop (a request in the
 * mailbox, the timers due).  Then round again: the run loop links the door
 * the last block left by, if it can, to the block it finds next.
 *
 * Blocks are cached by physical address, so the same code mapped at two
 * virtual addresses is decoded once, and a block never crosses a page.
 */
#include <stdlib.h>

#include "ops.h"

#define POLL_INTERVAL 8192 /* instructions between timer checks */

static inline unsigned block_hash_index(uint64_t paddr)
{
	return (unsigned)((paddr >> 1) ^ (paddr >> 15)) & ((1u << RV_BLOCK_HASH_BITS) - 1);
}

static inline unsigned jcache_page_bit(uint64_t vaddr)
{
	return (unsigned)(vaddr >> 12) & (RV_JCACHE_PAGE_BITS - 1);
}

void rv_jcache_invalidate(struct rv_hart *h)
{
	memset(h->jcache_pages, 0, sizeof(h->jcache_pages));
	if (++h->jcache_generation == 0) {
		/* After 2^32 invalidations an old entry could look current again. */
		memset(h->jcache, 0, sizeof(h->jcache));
		h->jcache_generation = 1;
	}
}

/* sfence.vma of one page: forget the jump-cache entries that point into it. */
void rv_jcache_invalidate_page(struct rv_hart *h, uint64_t vaddr)
{
	/* The 2048 halfword pcs of a page fall into 2048 consecutive slots. */
	unsigned bit = jcache_page_bit(vaddr);
	if (!(h->jcache_pages[bit / 64] & (1ull << (bit % 64))))
		return; /* no code of this page ran since the last full invalidation */
	uint64_t page = vaddr >> 12;
	unsigned mask = (1u << RV_JCACHE_BITS) - 1, first = (unsigned)(page << 11) & mask;
	for (unsigned n = 0; n < 2048; n++) {
		struct rv_jcache_entry *e = &h->jcache[(first + n) & mask];
		if (e->vpc >> 12 == page)
			e->generation = h->jcache_generation - 1;
	}
}

/* A new satp: code fetched through global mappings stays valid, the rest does not. */
void rv_jcache_new_address_space(struct rv_hart *h)
{
	if (++h->jcache_address_space == 0)
		rv_jcache_invalidate(h); /* wrapped: old entries could look current */
}

/* Forget every decoded block, and tell the code map this hart holds none. */
void rv_code_cache_flush(struct rv_hart *h)
{
	rv_jcache_invalidate(h);
	memset(h->block_hash, 0, sizeof(h->block_hash));
	h->arena_used = 0;
	h->code_epoch++; /* every link between blocks went with them */
	h->link_block = NULL;
	uint16_t mine = HV_WATCH_CODE(h->index);
	for (uint64_t p = 0; p < h->vm->ram_pages; p++)
		if (atomic_load_explicit(&h->vm->page_watch[p], memory_order_relaxed) & mine)
			atomic_fetch_and(&h->vm->page_watch[p], (uint16_t)~mine);
	h->stats.code_flushes++;
}

/*
 * Every block ends with this marker, one past its last instruction: a
 * block that runs to its end (no jump, no trap) goes on at the next pc.
 */
static int block_end(struct rv_hart *h, const struct rv_insn *i)
{
	return rv_leave(h, i, h->block_pc + i->pc_offset, RV_DOOR_NEXT);
}

static void add_block_end(struct rv_block *b)
{
	struct rv_insn *end = &b->insns[b->count];
	memset(end, 0, sizeof(*end));
	end->exec = block_end;
	end->pc_offset = b->bytes;
}

static struct rv_block *block_alloc(struct rv_hart *h)
{
	size_t need = sizeof(struct rv_block) + (RV_BLOCK_MAX_INSNS + 1) * sizeof(struct rv_insn);
	if (h->arena_used + need > h->arena_size)
		rv_code_cache_flush(h);
	struct rv_block *b = (struct rv_block *)(h->arena + h->arena_used);
	return b;
}

/* Does this instruction leave its block through the target door (RV_DOOR_TARGET)? */
static bool has_target_door(rv_exec_fn fn)
{
	return fn == rv_op_jal || fn == rv_op_beq || fn == rv_op_bne || fn == rv_op_blt ||
	       fn == rv_op_bge || fn == rv_op_bltu || fn == rv_op_bgeu;
}

/*
 * Which doors of a block lead into its own page, so that the block behind
 * them is the same whatever virtual address the page is mapped at?
 */
static uint8_t linkable_doors(const struct rv_block *b, unsigned offset)
{
	uint8_t doors = 0;
	if (offset + b->bytes < 0x1000)
		doors |= 1u << RV_DOOR_NEXT;
	if (b->count > 0) {
		const struct rv_insn *last = &b->insns[b->count - 1];
		int64_t target = (int64_t)offset + last->pc_offset + last->imm;
		if (has_target_door(last->exec) && target >= 0 && target < 0x1000)
			doors |= 1u << RV_DOOR_TARGET;
	}
	return doors;
}

/* Does this instruction end a block?  Anything that may jump, trap on purpose, or change modes. */
static bool ends_block(rv_exec_fn fn)
{
	return fn == rv_op_jal || fn == rv_op_jalr || fn == rv_op_beq || fn == rv_op_bne ||
	       fn == rv_op_blt || fn == rv_op_bge || fn == rv_op_bltu || fn == rv_op_bgeu ||
	       fn == rv_op_ecall || fn == rv_op_ebreak || fn == rv_op_mret || fn == rv_op_sret ||
	       fn == rv_op_wfi || fn == rv_op_fence_i || fn == rv_op_sfence_vma ||
	       fn == rv_op_csrrw || fn == rv_op_csrrs || fn == rv_op_csrrc || fn == rv_op_csrrwi ||
	       fn == rv_op_csrrsi || fn == rv_op_csrrci || fn == rv_op_illegal;
}

/*
 * An instruction whose two halves lie in different pages: fetch each half
 * through its own translation.  It is decoded into a scratch block every
 * time, never cached (this is rare).
 */
static struct rv_block *decode_straddling(struct rv_hart *h, uint64_t vaddr, uint16_t low,
                                          int *cause)
{
	static _Thread_local _Alignas(16)
	        uint8_t scratch_bytes[sizeof(struct rv_block) + 2 * sizeof(struct rv_insn)];
	struct rv_block *scratch = (struct rv_block *)scratch_bytes;
	uint64_t paddr;
	const uint8_t *host;
	uint16_t high;
	*cause = rv_fetch_translate(h, vaddr + 2, &paddr, &host);
	if (*cause) {
		h->fault_tval = vaddr + 2;
		return NULL;
	}
	memcpy(&high, host, 2);
	scratch->count = 1;
	scratch->bytes = 4;
	scratch->paddr = ~0ull;
	scratch->next[0] = scratch->next[1] = NULL;
	scratch->linkable = 0; /* never cached, never linked */
	rv_decode(&scratch->insns[0], (uint32_t)high << 16 | low);
	scratch->insns[0].pc_offset = 0;
	add_block_end(scratch);
	return scratch;
}

static struct rv_block *decode_block(struct rv_hart *h, uint64_t vaddr, uint64_t paddr,
                                     const uint8_t *host, int *cause)
{
	uint64_t page = (paddr - h->vm->ram_base) >> 12;
	/* Mark the page before reading it, so that a racing store is seen. */
	atomic_fetch_or(&h->vm->page_watch[page], HV_WATCH_CODE(h->index));

	unsigned offset = (unsigned)(paddr & 0xfff);
	uint16_t low;
	memcpy(&low, host, 2);
	if ((low & 3) == 3 && offset == 0xffe)
		return decode_straddling(h, vaddr, low, cause);

	struct rv_block *b = block_alloc(h);
	unsigned bytes = 0, count = 0;
	while (count < RV_BLOCK_MAX_INSNS) {
		unsigned at = offset + bytes;
		if (at >= 0x1000)
			break;
		uint16_t half;
		memcpy(&half, host + bytes, 2);
		uint32_t bits = half;
		if ((half & 3) == 3) {
			if (at + 4 > 0x1000)
				break; /* straddles: it will start a block of its own */
			uint16_t upper;
			memcpy(&upper, host + bytes + 2, 2);
			bits |= (uint32_t)upper << 16;
		}
		struct rv_insn *in = &b->insns[count++];
		rv_decode(in, bits);
		in->pc_offset = (uint16_t)bytes;
		bytes += in->len;
		if (ends_block(in->exec))
			break;
	}
	b->paddr = paddr;
	b->count = (uint16_t)count;
	b->bytes = (uint16_t)bytes;
	b->next[0] = b->next[1] = NULL;
	b->linkable = linkable_doors(b, offset);
	rv_fuse_block(b->insns, count);
	add_block_end(b);
	h->arena_used += sizeof(struct rv_block) + (count + 1) * sizeof(struct rv_insn);
	unsigned idx = block_hash_index(paddr);
	b->hash_next = h->block_hash[idx];
	h->block_hash[idx] = b;
	return b;
}

struct rv_block *rv_block_lookup(struct rv_hart *h, uint64_t vaddr, int *cause)
{
	uint64_t paddr;
	const uint8_t *host;
	*cause = rv_fetch_translate(h, vaddr, &paddr, &host);
	if (*cause) {
		h->fault_tval = vaddr;
		return NULL;
	}
	for (struct rv_block *b = h->block_hash[block_hash_index(paddr)]; b; b = b->hash_next)
		if (b->paddr == paddr)
			return b;
	return decode_block(h, vaddr, paddr, host, cause);
}

/*
 * Run one block: call its first handler; each hands on to the next, and
 * through linked doors into the blocks that follow, until one jumps,
 * traps, or leaves by a door the run loop has to look behind.
 * retired_until then says how many instructions of the last block
 * completed (the blocks before it were counted as they were left).
 */
static void execute_block(struct rv_hart *h, const struct rv_block *b)
{
	h->block_pc = h->pc;
	h->block_insns = b->insns;
	b->insns[0].exec(h, &b->insns[0]);
	h->retired += (uint64_t)(h->retired_until - h->block_insns);
	h->stats.instret = h->retired;
}

static void jcache_fill(struct rv_hart *h, struct rv_jcache_entry *j, struct rv_block *b)
{
	unsigned slot = (h->pc >> 12) & (RV_TLB_SIZE - 1), bit = jcache_page_bit(h->pc);
	h->jcache_pages[bit / 64] |= 1ull << (bit % 64);
	j->vpc = h->pc;
	j->block = b;
	j->generation = h->jcache_generation;
	j->address_space = h->jcache_address_space;
	j->regime = (uint8_t)h->fetch_regime;
	j->global = h->tlb_global[h->fetch_regime][RV_ACCESS_FETCH][slot];
}

/*
 * The last block left by a door that may be linked, and `b` is where pc
 * led: link them, if nothing happened on the way that could make the
 * link wrong (the code cache flushed, a trap or interrupt moved pc) and
 * `b` really is the block at that place of the same physical page.
 */
static void link_door(struct rv_hart *h, struct rv_block *from, uint64_t epoch, struct rv_block *b)
{
	if (h->code_epoch == epoch && b->paddr != ~0ull && b->paddr >> 12 == from->paddr >> 12)
		from->next[h->link_door] = b;
}

/* Run until the VM stops.  Returns when a request to exit arrives. */
void rv_run(struct rv_hart *h)
{
	for (;;) {
		struct rv_block *link = h->link_block;
		uint64_t epoch = h->code_epoch;
		h->link_block = NULL;
		if (unlikely(atomic_load_explicit(&h->requests, memory_order_acquire))) {
			link = NULL;
			rv_hart_process_requests(h);
			if (atomic_load(&h->requests) & RV_REQ_EXIT)
				return;
			if (atomic_load(&h->hsm_state) == RV_HSM_STOPPED)
				return;
		}
		if (unlikely(h->retired >= h->poll_at)) {
			h->poll_at = h->retired + POLL_INTERVAL;
			rv_poll_timers(h);
		}
		if (unlikely(h->check_interrupts)) {
			h->check_interrupts = false;
			if (rv_take_pending_interrupt(h))
				link = NULL;
		}
		struct rv_jcache_entry *j = &h->jcache[(h->pc >> 1) & ((1u << RV_JCACHE_BITS) - 1)];
		struct rv_block *b = j->block;
		if (unlikely(j->vpc != h->pc || j->generation != h->jcache_generation ||
		             j->regime != h->fetch_regime ||
		             (!j->global && j->address_space != h->jcache_address_space))) {
			int cause;
			b = rv_block_lookup(h, h->pc, &cause);
			if (unlikely(!b)) {
				rv_take_trap(h, (uint64_t)cause, h->fault_tval, false);
				continue;
			}
			if (b->paddr != ~0ull)
				jcache_fill(h, j, b);
		}
		if (unlikely(link != NULL))
			link_door(h, link, epoch, b);
		execute_block(h, b);
	}
}
