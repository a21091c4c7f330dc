// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The driver's side of a split virtqueue in a real hv VM's RAM, for the
 * tests: see ring-builder.h for what lies where and the order of a walk.
 */
#include "ring-builder.h"

#include <glib.h>

#include "mmio-guest.h"
#include "virtio/virtio_mmio.h"

void ring_init(struct ring *r, struct hv_vm *vm, struct virtq_layout layout)
{
	memset(r, 0, sizeof(*r));
	r->vm = vm;
	r->layout = layout;
}

void ring_clear(struct ring *r)
{
	const struct virtq_layout *l = &r->layout;
	uint64_t parts[3][2] = {
	        {l->desc, (uint64_t)VIRTQ_DESC_SIZE * l->size},
	        {l->avail, 6 + 2ull * l->size},
	        {l->used, 6 + (uint64_t)VIRTQ_USED_ELEM_SIZE * l->size},
	};

	for (unsigned i = 0; i < 3; i++) {
		void *p = hv_ram_ptr(r->vm, parts[i][0], parts[i][1], true);

		g_assert_nonnull(p);
		memset(p, 0, parts[i][1]);
	}
	r->avail_idx = 0;
	r->next_desc = 0;
}

void ring_put16(struct hv_vm *vm, uint64_t gpa, uint16_t v)
{
	uint16_t *p = hv_ram_ptr(vm, gpa, 2, true);

	g_assert_nonnull(p);
	__atomic_store_n(p, htole16(v), __ATOMIC_RELEASE);
}

uint16_t ring_get16(struct hv_vm *vm, uint64_t gpa)
{
	uint16_t *p = hv_ram_ptr(vm, gpa, 2, false);

	g_assert_nonnull(p);
	return le16toh(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

uint32_t ring_get32(struct hv_vm *vm, uint64_t gpa)
{
	uint32_t v;

	g_assert_cmpint(hv_ram_read(vm, gpa, &v, 4), ==, 0);
	return le32toh(v);
}

void ring_write_desc(struct hv_vm *vm, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next)
{
	uint8_t raw[VIRTQ_DESC_SIZE];

	ring_encode_desc(raw, addr, len, flags, next);
	g_assert_cmpint(hv_ram_write(vm, table + (uint64_t)VIRTQ_DESC_SIZE * i, raw, sizeof(raw)),
	                ==, 0);
}

void ring_publish(struct ring *r, uint16_t head)
{
	ring_put16(r->vm, ring_avail_entry_gpa(&r->layout, r->avail_idx), head);
	r->avail_idx++;
	ring_put16(r->vm, ring_avail_idx_gpa(&r->layout), r->avail_idx);
}

uint16_t ring_post_chain(struct ring *r, const struct ring_buf *bufs, unsigned n)
{
	uint16_t size = r->layout.size, head = r->next_desc;

	for (unsigned i = 0; i < n; i++) {
		uint16_t idx = (uint16_t)((head + i) % size);
		uint16_t flags = (bufs[i].writable ? VIRTQ_DESC_F_WRITE : 0) |
		                 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0);

		ring_write_desc(r->vm, r->layout.desc, idx, bufs[i].addr, bufs[i].len, flags,
		                (uint16_t)((idx + 1) % size));
	}
	r->next_desc = (uint16_t)((head + n) % size);
	ring_publish(r, head);
	return head;
}

uint16_t ring_used_idx(struct ring *r)
{
	return ring_get16(r->vm, ring_used_idx_gpa(&r->layout));
}

uint32_t ring_used_id(struct ring *r, uint16_t n)
{
	return ring_get32(r->vm, ring_used_elem_gpa(&r->layout, n));
}

uint32_t ring_used_len(struct ring *r, uint16_t n)
{
	return ring_get32(r->vm, ring_used_elem_gpa(&r->layout, n) + 4);
}

void ring_attach_mmio(struct ring *r, struct mmio_guest *g, uint64_t base, unsigned q, bool legacy)
{
	const struct virtq_layout *l = &r->layout;

	r->guest = g;
	r->mmio_base = base;
	r->index = q;
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_SEL, q, 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_NUM, l->size, 4);
	if (legacy) {
		struct virtq_layout expected = ring_legacy_layout(l->desc, l->size);

		g_assert_cmphex(l->desc % 4096, ==, 0);
		g_assert_cmphex(l->avail, ==, expected.avail);
		g_assert_cmphex(l->used, ==, expected.used);
		mmio_guest_write(g, base + VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096, 4);
		mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_ALIGN, 4096, 4);
		mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_PFN, l->desc / 4096, 4);
		return;
	}
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)l->desc, 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(l->desc >> 32), 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)l->avail, 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(l->avail >> 32), 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)l->used, 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(l->used >> 32), 4);
	mmio_guest_write(g, base + VIRTIO_MMIO_QUEUE_READY, 1, 4);
}

void ring_notify(struct ring *r)
{
	g_assert_nonnull(r->guest);
	mmio_guest_write(r->guest, r->mmio_base + VIRTIO_MMIO_QUEUE_NOTIFY, r->index, 4);
}
