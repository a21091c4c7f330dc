/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Split virtqueues built in the RAM of a real hv VM, as a driver builds
 * them: for the C tests in tests/virtio and the fuzz targets in fuzz/.
 *
 * ring_layout(base, size) puts one queue on three 4 KiB pages, room for
 * VIRTQ_MAX_SIZE entries each (all little-endian):
 *
 *   base + 0x0000  descriptor table  size x 16 bytes: addr (64), len (32),
 *                                    flags (16), next (16)
 *   base + 0x1000  available ring    flags (16), idx (16), ring[size] of
 *                                    heads (16 each), used_event (16)
 *   base + 0x2000  used ring         flags (16), idx (16), ring[size] of
 *                                    {id (32), len (32)}, avail_event (16)
 *
 * (The legacy virtio-mmio layout, ring_legacy_layout(), packs them
 * differently; every function takes any struct virtq_layout.)
 *
 * The walk, as the tests drive it: the driver writes a chain of
 * descriptors linked by NEXT (ring_write_desc(), ring_post_chain()), puts
 * the chain's head in avail->ring[avail->idx % size] and only then bumps
 * avail->idx (ring_publish()), and kicks the device (ring_notify(), a
 * QueueNotify write from the mmio guest).  The device walks the chain,
 * writes {head, bytes written} into used->ring[used->idx % size] and bumps
 * used->idx, which the test reads back (ring_used_idx(), ring_used_id(),
 * ring_used_len()).
 *
 * The inline part below (where things lie, and laying out a fuzzer's raw
 * input) needs only the hv and no GLib, so that fuzz/run-fuzz.sh can build
 * a target from its one .c file.  The rest is in ring-builder.c and
 * asserts with GLib, for the tests.
 */
#ifndef KENNEL_TESTS_RING_BUILDER_H
#define KENNEL_TESTS_RING_BUILDER_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/hv.h"
#include "virtio/virtqueue.h"

#define RING_AVAIL_OFFSET 0x1000u
#define RING_USED_OFFSET  0x2000u
#define RING_BYTES        0x3000u /* the three pages of ring_layout() */

static inline struct virtq_layout ring_layout(uint64_t base, uint16_t size)
{
	return (struct virtq_layout){size, base, base + RING_AVAIL_OFFSET, base + RING_USED_OFFSET};
}

/*
 * The legacy virtio-mmio layout (QueuePFN with QueueAlign 4096): the table
 * at the page, the available ring right after it, the used ring at the
 * next 4 KiB boundary.
 */
static inline struct virtq_layout ring_legacy_layout(uint64_t page, uint16_t size)
{
	uint64_t avail = page + (uint64_t)VIRTQ_DESC_SIZE * size;
	uint64_t avail_end = avail + 6 + 2ull * size;

	return (struct virtq_layout){size, page, avail, (avail_end + 4095) & ~4095ull};
}

/* The fields of the available ring: idx, the entry for the n-th head, used_event. */
static inline uint64_t ring_avail_idx_gpa(const struct virtq_layout *l)
{
	return l->avail + 2;
}

static inline uint64_t ring_avail_entry_gpa(const struct virtq_layout *l, uint16_t n)
{
	return l->avail + 4 + 2ull * (n % l->size);
}

static inline uint64_t ring_used_event_gpa(const struct virtq_layout *l)
{
	return l->avail + 4 + 2ull * l->size;
}

/* And of the used ring: idx, the n-th element's id (its len follows), avail_event. */
static inline uint64_t ring_used_idx_gpa(const struct virtq_layout *l)
{
	return l->used + 2;
}

static inline uint64_t ring_used_elem_gpa(const struct virtq_layout *l, uint16_t n)
{
	return l->used + 4 + (uint64_t)VIRTQ_USED_ELEM_SIZE * (n % l->size);
}

static inline uint64_t ring_avail_event_gpa(const struct virtq_layout *l)
{
	return l->used + 4 + (uint64_t)VIRTQ_USED_ELEM_SIZE * l->size;
}

/* One descriptor as it lies in the table. */
static inline void ring_encode_desc(uint8_t raw[VIRTQ_DESC_SIZE], uint64_t addr, uint32_t len,
                                    uint16_t flags, uint16_t next)
{
	uint64_t a = htole64(addr);
	uint32_t l = htole32(len);
	uint16_t fl = htole16(flags), n = htole16(next);

	memcpy(raw, &a, 8);
	memcpy(raw + 8, &l, 4);
	memcpy(raw + 12, &fl, 2);
	memcpy(raw + 14, &n, 2);
}

/* Whether [p, p + len) lies inside the RAM mapping [ram, ram + ram_size). */
static inline bool ring_inside_ram(const uint8_t *ram, uint64_t ram_size, const void *p, size_t len)
{
	const uint8_t *base = p;

	return base >= ram && base <= ram + ram_size && len <= (size_t)(ram + ram_size - base);
}

/* ---- a fuzzer's input as a queue ---- */

/*
 * The fuzz targets' VM: RING_FUZZ_RAM_SIZE of RAM at HV_RISCV_RAM_BASE; the
 * queue at its start, ring_layout(HV_RISCV_RAM_BASE, size); a data area
 * past the rings, up to RING_FUZZ_WINDOW.
 */
#define RING_FUZZ_RAM_SIZE    (16ull << 20)
#define RING_FUZZ_DATA_OFFSET 0x4000u
#define RING_FUZZ_WINDOW      (64u << 10)

/*
 * Makes the VM on the first call and keeps it for every later input (no
 * vCPU runs); *ram is where its RAM is mapped.  Aborts if it cannot.
 */
static inline struct hv_vm *ring_fuzz_vm(uint8_t **ram)
{
	static struct hv_vm *vm;
	struct hv_vm_config config = {.vcpus = 1, .ram_size = RING_FUZZ_RAM_SIZE, .sbi = true};

	if (!vm && hv_vm_create(&config, &vm) < 0)
		abort();
	*ram = hv_ram_ptr(vm, HV_RISCV_RAM_BASE, RING_FUZZ_RAM_SIZE, false);
	return vm;
}

/*
 * Starts vq on the queue at the start of RAM, of the size the input's byte
 * asks for (1..VIRTQ_MAX_SIZE after the modulo).  A layout inside RAM is
 * always fine: aborts if virtq_init() says otherwise.
 */
static inline void ring_fuzz_queue(struct virtq *vq, struct hv_vm *vm, uint8_t size_byte,
                                   bool indirect, bool event_idx)
{
	struct virtq_layout layout =
	        ring_layout(HV_RISCV_RAM_BASE, (uint16_t)(size_byte % VIRTQ_MAX_SIZE + 1));

	if (virtq_init(vq, vm, &layout, indirect, event_idx) < 0)
		abort();
}

/* Copies up to max bytes of the input to window + offset and consumes them. */
static inline void ring_fuzz_take(const uint8_t **data, size_t *size, uint8_t *window,
                                  uint64_t offset, size_t max)
{
	size_t n = *size < max ? *size : max;

	memcpy(window + offset, *data, n);
	*data += n;
	*size -= n;
}

/*
 * Lays out raw input as the queue ring_layout(base, qsize), in the
 * RING_FUZZ_WINDOW bytes of RAM at base (mapped at window), zeroed first:
 * the available ring first (flags, idx, ring[qsize], used_event: short
 * inputs reach it), then the whole descriptor table (4 KiB), and the rest
 * goes to the data area from base + RING_FUZZ_DATA_OFFSET, which indirect
 * tables and buffers may point into.  A descriptor address with its top
 * bit clear is folded into the window (so that most chains are worth
 * walking); one with the top bit set is left as it is (outside RAM,
 * wrapping, ...).  Whatever the input does not cover stays zero.
 */
static inline void ring_fuzz_lay_out(uint8_t *window, uint64_t base, uint16_t qsize,
                                     const uint8_t *data, size_t size)
{
	const unsigned table_bytes = RING_AVAIL_OFFSET; /* the table's page */

	memset(window, 0, RING_FUZZ_WINDOW);
	ring_fuzz_take(&data, &size, window, RING_AVAIL_OFFSET, 6 + 2u * qsize);
	ring_fuzz_take(&data, &size, window, 0, table_bytes);
	for (unsigned i = 0; i < table_bytes / VIRTQ_DESC_SIZE; i++) {
		uint8_t *raw = window + i * VIRTQ_DESC_SIZE;
		uint64_t addr;

		memcpy(&addr, raw, 8);
		addr = le64toh(addr);
		if (!(addr >> 63))
			addr = base + addr % RING_FUZZ_WINDOW;
		addr = htole64(addr);
		memcpy(raw, &addr, 8);
	}
	ring_fuzz_take(&data, &size, window, RING_FUZZ_DATA_OFFSET,
	               RING_FUZZ_WINDOW - RING_FUZZ_DATA_OFFSET);
}

/* ---- the driver's side, for the tests (ring-builder.c, with GLib) ---- */

struct mmio_guest;

/* One queue as its driver keeps it. */
struct ring {
	struct hv_vm *vm;
	struct virtq_layout layout;
	uint16_t avail_idx; /* our avail->idx: how many heads we have published */
	uint16_t next_desc; /* where ring_post_chain() puts the next chain */
	/* Set by ring_attach_mmio(), for ring_notify(): */
	struct mmio_guest *guest;
	uint64_t mmio_base;
	unsigned index;
};

/* A buffer of a chain: the device reads it, or writes it if writable. */
struct ring_buf {
	uint64_t addr;
	uint32_t len;
	bool writable;
};

/* A queue at layout in vm's RAM, nothing published yet; RAM is left as it is. */
void ring_init(struct ring *r, struct hv_vm *vm, struct virtq_layout layout);
/* Fresh rings, as a driver makes them: all three parts zeroed, nothing published. */
void ring_clear(struct ring *r);

/*
 * The ring fields the device reads or writes concurrently, accessed as the
 * walker does: single atomic 16-bit loads and stores.
 */
void ring_put16(struct hv_vm *vm, uint64_t gpa, uint16_t v);
uint16_t ring_get16(struct hv_vm *vm, uint64_t gpa);
uint32_t ring_get32(struct hv_vm *vm, uint64_t gpa);

/* Writes entry i of the descriptor table at gpa table (the queue's or an indirect one). */
void ring_write_desc(struct hv_vm *vm, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next);
/* Makes the chain at head available: the avail entry, then avail->idx. */
void ring_publish(struct ring *r, uint16_t head);
/*
 * Writes bufs as a chain of n descriptors from next_desc on (wrapping
 * round the table), publishes it and returns its head.
 */
uint16_t ring_post_chain(struct ring *r, const struct ring_buf *bufs, unsigned n);

/* used->idx, and the id and len of the n-th used element. */
uint16_t ring_used_idx(struct ring *r);
uint32_t ring_used_id(struct ring *r, uint16_t n);
uint32_t ring_used_len(struct ring *r, uint16_t n);

/*
 * Tells the virtio-mmio transport at base (through the mmio guest's
 * register writes) that queue q lies at r's layout: QueueSel, QueueNum,
 * then QueuePFN for the legacy layout (which r's must be) or the three
 * addresses and QueueReady.  ring_notify() then kicks it: QueueNotify.
 */
void ring_attach_mmio(struct ring *r, struct mmio_guest *g, uint64_t base, unsigned q, bool legacy);
void ring_notify(struct ring *r);

/*
 * Waits, for about 5 s at the most, for a condition that a device's backend
 * thread makes true (used->idx moving, a status bit).  GLib's, like the
 * functions above: only for files that include <glib.h>.
 */
#define WAIT_FOR(cond)                                                  \
	do {                                                            \
		for (int tries_ = 0; !(cond) && tries_ < 500; tries_++) \
			g_usleep(10000);                                \
		g_assert_true(cond);                                    \
	} while (0)

#endif
