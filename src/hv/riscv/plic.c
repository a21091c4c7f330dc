/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PLIC: the platform-level interrupt controller.
 *
 * Device interrupt lines come in as levels (hv_irq_set, lguest's
 * LHREQ_IRQ).  A raised line makes its source pending; for each context
 * (hart h has 2h for M-mode, 2h+1 for S-mode) the PLIC looks for the
 * highest-priority pending source that context has enabled above its
 * threshold, and if there is one it raises MEIP or SEIP on that hart.
 * The hart's handler claims the source (which stops it being pending),
 * serves the device, and completes it; a line still high then makes the
 * source pending again.
 */
#include <errno.h>
#include <stdlib.h>

#include "exec.h"

#define NSRC           (HV_RISCV_PLIC_NDEV + 1)
#define WORDS          ((NSRC + 31) / 32)
#define MAX_CONTEXTS   (2 * HV_MAX_VCPUS)

#define PRIORITY_BASE  0x000000
#define PENDING_BASE   0x001000
#define ENABLE_BASE    0x002000
#define ENABLE_STRIDE  0x80
#define CONTEXT_BASE   0x200000
#define CONTEXT_STRIDE 0x1000

struct rv_plic {
	pthread_mutex_t lock;
	struct hv_vm *vm;
	unsigned contexts;
	uint32_t priority[NSRC];
	bool level[NSRC];
	uint32_t pending[WORDS];
	uint32_t in_service[WORDS];
	uint32_t enable[MAX_CONTEXTS][WORDS];
	uint32_t threshold[MAX_CONTEXTS];
};

static bool bit(const uint32_t *words, unsigned n)
{
	return (words[n / 32] >> (n % 32)) & 1;
}

static void set_bit(uint32_t *words, unsigned n, bool on)
{
	if (on)
		words[n / 32] |= 1u << (n % 32);
	else
		words[n / 32] &= ~(1u << (n % 32));
}

/* The best source for a context: pending, enabled, highest priority (lowest id on ties). */
static unsigned best_source(struct rv_plic *p, unsigned ctx, uint32_t above)
{
	unsigned best = 0;
	uint32_t best_priority = above;
	for (unsigned src = 1; src < NSRC; src++) {
		if (bit(p->pending, src) && bit(p->enable[ctx], src) &&
		    p->priority[src] > best_priority) {
			best = src;
			best_priority = p->priority[src];
		}
	}
	return best;
}

/* Drive every context's MEIP/SEIP line from the current state.  Called with the lock held. */
static void update_outputs(struct rv_plic *p)
{
	for (unsigned ctx = 0; ctx < p->contexts; ctx++) {
		struct rv_hart *h = p->vm->harts[ctx / 2];
		uint64_t line = ctx % 2 == 0 ? RV_MIP_MEIP : RV_MIP_SEIP;
		bool raise = best_source(p, ctx, p->threshold[ctx]) != 0;
		uint64_t old = atomic_load(&h->ext_irq);
		if (raise == !!(old & line))
			continue;
		if (raise)
			atomic_fetch_or(&h->ext_irq, line);
		else
			atomic_fetch_and(&h->ext_irq, ~line);
		rv_hart_kick(h, RV_REQ_INTERRUPT);
	}
}

int rv_plic_set_irq(struct hv_vm *vm, unsigned line, bool level)
{
	struct rv_plic *p = vm->plic;
	if (line == 0 || line >= NSRC)
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	p->level[line] = level;
	if (!bit(p->in_service, line))
		set_bit(p->pending, line, level);
	update_outputs(p);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int rv_plic_get_irq(struct hv_vm *vm, unsigned line)
{
	struct rv_plic *p = vm->plic;
	if (line == 0 || line >= NSRC)
		return -EINVAL;
	pthread_mutex_lock(&p->lock);
	int level = p->level[line];
	pthread_mutex_unlock(&p->lock);
	return level;
}

static uint32_t claim(struct rv_plic *p, unsigned ctx)
{
	unsigned src = best_source(p, ctx, 0);
	if (src) {
		set_bit(p->pending, src, false);
		set_bit(p->in_service, src, true);
		update_outputs(p);
	}
	return src;
}

static void complete(struct rv_plic *p, unsigned ctx, uint32_t src)
{
	if (src == 0 || src >= NSRC || !bit(p->in_service, src) || !bit(p->enable[ctx], src))
		return;
	set_bit(p->in_service, src, false);
	if (p->level[src])
		set_bit(p->pending, src, true);
	update_outputs(p);
}

static uint64_t plic_read(void *opaque, uint64_t offset, unsigned size)
{
	struct rv_plic *p = opaque;
	uint64_t value = 0;
	if (size != 4)
		return 0;
	pthread_mutex_lock(&p->lock);
	if (offset < PENDING_BASE) {
		unsigned src = (unsigned)(offset / 4);
		value = src < NSRC ? p->priority[src] : 0;
	} else if (offset < ENABLE_BASE) {
		unsigned word = (unsigned)((offset - PENDING_BASE) / 4);
		value = word < WORDS ? p->pending[word] : 0;
	} else if (offset < CONTEXT_BASE) {
		unsigned ctx = (unsigned)((offset - ENABLE_BASE) / ENABLE_STRIDE);
		unsigned word = (unsigned)((offset - ENABLE_BASE) % ENABLE_STRIDE / 4);
		value = ctx < p->contexts && word < WORDS ? p->enable[ctx][word] : 0;
	} else {
		unsigned ctx = (unsigned)((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
		unsigned reg = (unsigned)((offset - CONTEXT_BASE) % CONTEXT_STRIDE);
		if (ctx < p->contexts && reg == 0)
			value = p->threshold[ctx];
		else if (ctx < p->contexts && reg == 4)
			value = claim(p, ctx);
	}
	pthread_mutex_unlock(&p->lock);
	return value;
}

static void plic_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct rv_plic *p = opaque;
	if (size != 4)
		return;
	pthread_mutex_lock(&p->lock);
	if (offset < PENDING_BASE) {
		unsigned src = (unsigned)(offset / 4);
		if (src > 0 && src < NSRC)
			p->priority[src] = (uint32_t)value & 7;
	} else if (offset < ENABLE_BASE) {
		/* pending bits are read-only */
	} else if (offset < CONTEXT_BASE) {
		unsigned ctx = (unsigned)((offset - ENABLE_BASE) / ENABLE_STRIDE);
		unsigned word = (unsigned)((offset - ENABLE_BASE) % ENABLE_STRIDE / 4);
		if (ctx < p->contexts && word < WORDS)
			p->enable[ctx][word] = (uint32_t)value & (word == 0 ? ~1u : ~0u);
	} else {
		unsigned ctx = (unsigned)((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
		unsigned reg = (unsigned)((offset - CONTEXT_BASE) % CONTEXT_STRIDE);
		if (ctx < p->contexts && reg == 0)
			p->threshold[ctx] = (uint32_t)value & 7;
		else if (ctx < p->contexts && reg == 4)
			complete(p, ctx, (uint32_t)value);
	}
	update_outputs(p);
	pthread_mutex_unlock(&p->lock);
}

static const struct hv_mmio_ops plic_ops = {.read = plic_read, .write = plic_write};

void rv_plic_reset(struct hv_vm *vm)
{
	struct rv_plic *p = vm->plic;
	pthread_mutex_lock(&p->lock);
	memset(p->priority, 0, sizeof(p->priority));
	memset(p->pending, 0, sizeof(p->pending));
	memset(p->in_service, 0, sizeof(p->in_service));
	memset(p->enable, 0, sizeof(p->enable));
	memset(p->threshold, 0, sizeof(p->threshold));
	for (unsigned src = 1; src < NSRC; src++)
		set_bit(p->pending, src, p->level[src]);
	pthread_mutex_unlock(&p->lock);
}

int rv_plic_create(struct hv_vm *vm)
{
	struct rv_plic *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	p->vm = vm;
	p->contexts = 2 * vm->config.vcpus;
	vm->plic = p;
	int err = hv_mmio_register(vm, HV_RISCV_PLIC_BASE, HV_RISCV_PLIC_SIZE, &plic_ops, p);
	if (err) {
		vm->plic = NULL;
		pthread_mutex_destroy(&p->lock);
		free(p);
	}
	return err;
}

void rv_plic_destroy(struct hv_vm *vm)
{
	if (!vm->plic)
		return;
	pthread_mutex_destroy(&vm->plic->lock);
	free(vm->plic);
	vm->plic = NULL;
}
