// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The split-ring walker.  See virtqueue.h for the shape of a queue.
 *
 * Our journey through one request goes like this.  We look at avail->idx
 * to see how far the driver has got; the distance from where we are can
 * never be more than the queue size, or the driver is lying to us.  We take
 * the head index from the next slot of the available ring, and from there
 * follow the chain: each descriptor is copied out of guest RAM once, its
 * buffer checked against RAM and turned into a host pointer, and if it says
 * NEXT we go on to the descriptor it names.  A descriptor may instead point
 * to an indirect table, a second little descriptor table elsewhere in RAM,
 * and then we walk that table.  We count every step, so a chain that loops
 * back on itself runs out of steps instead of running forever.
 *
 * When the device is done it writes {head, bytes written} into the used
 * ring, and only then moves used->idx, so that the driver never sees an
 * index before the entry it covers.
 */
#include "virtqueue.h"

#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Offsets inside the available and used rings (virtio 1.2, 2.7.6 and 2.7.8). */
#define RING_FLAGS 0
#define RING_IDX   2
#define RING_ENTRY 4

static uint64_t avail_bytes(uint16_t size)
{
	return RING_ENTRY + 2ull * size + 2; /* ... ring[size], used_event */
}

static uint64_t used_bytes(uint16_t size)
{
	return RING_ENTRY + (uint64_t)VIRTQ_USED_ELEM_SIZE * size + 2; /* ..., avail_event */
}

/* Records the first rule the driver broke; the queue stays broken until reset. */
static int broken(struct virtq *vq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int broken(struct virtq *vq, const char *fmt, ...)
{
	va_list ap;

	if (!vq->broken) {
		va_start(ap, fmt);
		vsnprintf(vq->why, sizeof(vq->why), fmt, ap);
		va_end(ap);
		vq->broken = vq->why;
	}
	return -EPROTO;
}

/*
 * A 16-bit field the driver may be changing as we read it: one atomic
 * load, with acquire order so that what the driver wrote before it (the
 * ring entries) is visible after it.
 */
static bool load_u16(struct virtq *vq, uint64_t gpa, uint16_t *out)
{
	uint16_t *p = hv_ram_ptr(vq->vm, gpa, 2, false);

	if (!p)
		return false;
	*out = le16toh(__atomic_load_n(p, __ATOMIC_ACQUIRE));
	return true;
}

static bool store_u16(struct virtq *vq, uint64_t gpa, uint16_t value)
{
	uint16_t *p = hv_ram_ptr(vq->vm, gpa, 2, true);

	if (!p)
		return false;
	__atomic_store_n(p, htole16(value), __ATOMIC_RELEASE);
	return true;
}

static bool part_in_ram(struct virtq *vq, uint64_t gpa, uint64_t len)
{
	return hv_ram_ptr(vq->vm, gpa, len, false) != NULL;
}

int virtq_init(struct virtq *vq, struct hv_vm *vm, const struct virtq_layout *layout,
               bool indirect_ok, bool event_idx)
{
	uint16_t size = layout->size;

	memset(vq, 0, sizeof(*vq));
	vq->vm = vm;
	vq->layout = *layout;
	vq->indirect_ok = indirect_ok;
	vq->event_idx = event_idx;
	if (size == 0 || size > VIRTQ_MAX_SIZE)
		return broken(vq, "queue size %u is not 1..%u", size, VIRTQ_MAX_SIZE);
	if (layout->desc % 16 || layout->avail % 2 || layout->used % 4)
		return broken(vq, "ring addresses are misaligned (descriptors 16, available 2, "
		                  "used 4 bytes)");
	if (!part_in_ram(vq, layout->desc, (uint64_t)VIRTQ_DESC_SIZE * size))
		return broken(vq, "descriptor table at 0x%llx is outside guest RAM",
		              (unsigned long long)layout->desc);
	if (!part_in_ram(vq, layout->avail, avail_bytes(size)))
		return broken(vq, "available ring at 0x%llx is outside guest RAM",
		              (unsigned long long)layout->avail);
	if (!part_in_ram(vq, layout->used, used_bytes(size)))
		return broken(vq, "used ring at 0x%llx is outside guest RAM",
		              (unsigned long long)layout->used);
	return 0;
}

/* Copies descriptor idx of the table at table_gpa out of guest RAM, once. */
static int read_desc(struct virtq *vq, uint64_t table_gpa, uint16_t idx, struct virtq_desc *d)
{
	uint8_t raw[VIRTQ_DESC_SIZE];
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;

	if (hv_ram_read(vq->vm, table_gpa + (uint64_t)idx * VIRTQ_DESC_SIZE, raw, sizeof(raw)) < 0)
		return broken(vq, "descriptor %u is outside guest RAM", idx);
	memcpy(&addr, raw, 8);
	memcpy(&len, raw + 8, 4);
	memcpy(&flags, raw + 12, 2);
	memcpy(&next, raw + 14, 2);
	d->addr = le64toh(addr);
	d->len = le32toh(len);
	d->flags = le16toh(flags);
	d->next = le16toh(next);
	return 0;
}

/*
 * One buffer of the chain.  The address and length must name guest RAM
 * without wrapping around, and once a chain has a device-writable buffer,
 * every later buffer must be writable too (2.7.4.2).
 */
static int add_buffer(struct virtq *vq, struct virtq_chain *chain, const struct virtq_desc *d)
{
	bool writable = d->flags & VIRTQ_DESC_F_WRITE;
	unsigned n = chain->readable + chain->writable;
	void *host;

	if (!writable && chain->writable > 0)
		return broken(vq, "a device-readable buffer follows a device-writable one");
	if (d->addr + d->len < d->addr)
		return broken(vq, "buffer 0x%llx + %u wraps around the address space",
		              (unsigned long long)d->addr, d->len);
	host = hv_ram_ptr(vq->vm, d->addr, d->len, writable);
	if (!host)
		return broken(vq, "buffer 0x%llx + %u is outside guest RAM",
		              (unsigned long long)d->addr, d->len);
	chain->iov[n].iov_base = host;
	chain->iov[n].iov_len = d->len;
	if (writable) {
		chain->writable++;
		chain->writable_bytes += d->len;
	} else {
		chain->readable++;
		chain->readable_bytes += d->len;
	}
	return 0;
}

/*
 * A descriptor with the INDIRECT flag: its buffer is a table of further
 * descriptors.  It must be allowed, alone (no NEXT, not inside another
 * table), a whole number of descriptors, no larger than the queue, and in
 * RAM.  Returns the number of entries.
 */
static int check_indirect(struct virtq *vq, const struct virtq_desc *d, bool in_indirect)
{
	if (!vq->indirect_ok)
		return broken(vq, "indirect descriptor without VIRTIO_F_RING_INDIRECT_DESC");
	if (in_indirect)
		return broken(vq, "indirect descriptor inside an indirect table");
	if (d->flags & VIRTQ_DESC_F_NEXT)
		return broken(vq, "indirect descriptor with the NEXT flag");
	if (d->len == 0 || d->len % VIRTQ_DESC_SIZE != 0)
		return broken(vq, "indirect table length %u is not a non-zero multiple of 16",
		              d->len);
	if (d->len / VIRTQ_DESC_SIZE > vq->layout.size)
		return broken(vq, "indirect table of %u descriptors is larger than the queue (%u)",
		              d->len / VIRTQ_DESC_SIZE, vq->layout.size);
	if (!part_in_ram(vq, d->addr, d->len))
		return broken(vq, "indirect table 0x%llx + %u is outside guest RAM",
		              (unsigned long long)d->addr, d->len);
	return (int)(d->len / VIRTQ_DESC_SIZE);
}

/*
 * Follows the chain that starts at head.  table/table_size is the table we
 * are walking: the queue's own, or an indirect one.  steps counts every
 * descriptor we visit, in either table; a well-formed chain never needs
 * more than the queue size, so running past that means a loop (or a chain
 * the driver may not build).
 */
static int walk_chain(struct virtq *vq, uint16_t head, struct virtq_chain *chain)
{
	uint64_t table = vq->layout.desc;
	unsigned table_size = vq->layout.size;
	bool in_indirect = false;
	unsigned steps = 0;
	uint16_t idx = head;
	struct virtq_desc d = {0};
	int err;

	chain->head = head;
	chain->readable = chain->writable = 0;
	chain->readable_bytes = chain->writable_bytes = 0;
	for (;;) {
		if (++steps > vq->layout.size)
			return broken(vq,
			              "chain from head %u is longer than the queue (%u): a loop?",
			              head, vq->layout.size);
		err = read_desc(vq, table, idx, &d);
		if (err < 0)
			return err;
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			err = check_indirect(vq, &d, in_indirect);
			if (err < 0)
				return err;
			table = d.addr;
			table_size = (unsigned)err;
			in_indirect = true;
			idx = 0;
			continue;
		}
		err = add_buffer(vq, chain, &d);
		if (err < 0)
			return err;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (d.next >= table_size)
			return broken(vq, "descriptor %u names next %u, beyond its table of %u",
			              idx, d.next, table_size);
		idx = d.next;
	}
}

int virtq_pop(struct virtq *vq, struct virtq_chain *chain)
{
	const struct virtq_layout *q = &vq->layout;
	uint16_t avail_idx, pending, head;
	int err;

	if (vq->broken)
		return -EPROTO;
	/* How far has the driver got?  Never further than one lap ahead of us. */
	if (!load_u16(vq, q->avail + RING_IDX, &avail_idx))
		return broken(vq, "available ring is outside guest RAM");
	pending = (uint16_t)(avail_idx - vq->last_avail);
	if (pending == 0)
		return 0;
	if (pending > q->size)
		return broken(vq, "avail->idx jumped %u entries ahead, more than the queue size %u",
		              pending, q->size);

	/* The head of the next chain, from the next slot of the available ring. */
	if (!load_u16(vq, q->avail + RING_ENTRY + 2ull * (vq->last_avail % q->size), &head))
		return broken(vq, "available ring is outside guest RAM");
	if (head >= q->size)
		return broken(vq, "head index %u is not below the queue size %u", head, q->size);

	err = walk_chain(vq, head, chain);
	if (err < 0)
		return err;
	vq->last_avail++;
	return 1;
}

int virtq_push(struct virtq *vq, uint16_t head, uint32_t written)
{
	const struct virtq_layout *q = &vq->layout;
	uint8_t elem[VIRTQ_USED_ELEM_SIZE];
	uint32_t id = htole32(head), len = htole32(written);
	uint64_t slot =
	        q->used + RING_ENTRY + (uint64_t)VIRTQ_USED_ELEM_SIZE * (vq->used_idx % q->size);

	memcpy(elem, &id, 4);
	memcpy(elem + 4, &len, 4);
	if (hv_ram_write(vq->vm, slot, elem, sizeof(elem)) < 0)
		return broken(vq, "used ring is outside guest RAM");
	vq->used_idx++;
	/* Release: the entry above is visible before the index that covers it. */
	if (!store_u16(vq, q->used + RING_IDX, vq->used_idx))
		return broken(vq, "used ring is outside guest RAM");
	return 0;
}

bool virtq_should_interrupt(struct virtq *vq)
{
	const struct virtq_layout *q = &vq->layout;
	uint16_t old = vq->signalled_idx, used_event, flags;
	bool valid = vq->signalled_valid;

	/* Our used->idx store must be visible before we read the driver's wishes. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->used_idx == (valid ? old : 0))
		return false; /* nothing new in the used ring */
	vq->signalled_idx = vq->used_idx;
	vq->signalled_valid = true;
	if (!vq->event_idx) {
		if (!load_u16(vq, q->avail + RING_FLAGS, &flags))
			return true;
		return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	if (!load_u16(vq, q->avail + RING_ENTRY + 2ull * q->size, &used_event))
		return true;
	return !valid || virtq_need_event(used_event, vq->used_idx, old);
}

bool virtq_arm_notification(struct virtq *vq)
{
	const struct virtq_layout *q = &vq->layout;
	uint16_t avail_idx;

	if (vq->broken)
		return false;
	if (vq->event_idx)
		store_u16(vq, q->used + RING_ENTRY + (uint64_t)VIRTQ_USED_ELEM_SIZE * q->size,
		          vq->last_avail);
	/* The driver may have added a chain just before it saw avail_event. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!load_u16(vq, q->avail + RING_IDX, &avail_idx))
		return false;
	return avail_idx != vq->last_avail;
}

size_t virtq_chain_read(const struct virtq_chain *chain, void *dst, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < chain->readable && done < len; i++) {
		size_t n = chain->iov[i].iov_len;

		if (n > len - done)
			n = len - done;
		memcpy((uint8_t *)dst + done, chain->iov[i].iov_base, n);
		done += n;
	}
	return done;
}

size_t virtq_chain_write(struct virtq_chain *chain, const void *src, size_t len)
{
	size_t done = 0;

	for (unsigned i = chain->readable; i < chain->readable + chain->writable && done < len;
	     i++) {
		size_t n = chain->iov[i].iov_len;

		if (n > len - done)
			n = len - done;
		memcpy(chain->iov[i].iov_base, (const uint8_t *)src + done, n);
		done += n;
	}
	return done;
}
