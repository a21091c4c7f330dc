// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtio-mmio transport with a virtio-rng behind it, driven by a tiny
 * guest (tests/engine/mmio-guest.c) on the real hv: every register access
 * is a real guest load or store, and QueueNotify reaches the backend
 * thread through the hv's ioeventfd, as with a kernel's driver.  The test
 * plays the driver: the status handshake, feature negotiation, a queue in
 * guest RAM, a request, the interrupt line; then a broken ring, which must
 * end in DEVICE_NEEDS_RESET and a config interrupt; and the legacy layout.
 */
#include <glib.h>
#include <string.h>

#include "machine.h"
#include "mmio-guest.h"
#include "ring-builder.h"
#include "virtio/virtio_mmio.h"
#include "virtio/virtio_rng.h"

#define SLOT  0
#define BASE  (VIRTIO_MMIO_BASE + SLOT * VIRTIO_MMIO_SIZE)
#define IRQ   (HV_RISCV_IRQ_VIRTIO_FIRST + SLOT)
#define RAM   HV_RISCV_RAM_BASE
#define RING  (RAM + (8u << 20)) /* past the mmio guest's program and list */
#define BUF   (RING + 0x10000)
#define QSIZE 8

struct fixture {
	struct machine *m;
	struct mmio_guest *guest;
	bool legacy;
	struct ring ring; /* at RING, in the legacy layout or ring_layout() */
};

static uint32_t reg(struct fixture *f, uint64_t offset)
{
	return (uint32_t)mmio_guest_read(f->guest, BASE + offset, 4);
}

static void set_reg(struct fixture *f, uint64_t offset, uint32_t value)
{
	mmio_guest_write(f->guest, BASE + offset, value, 4);
}

static void setup_device(struct fixture *f, bool legacy)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};

	f->legacy = legacy;
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(virtio_rng_create(f->m, SLOT, legacy), ==, 0);
	f->guest = mmio_guest_start(f->m);
	ring_init(&f->ring, f->m->vm,
	          legacy ? ring_legacy_layout(RING, QSIZE) : ring_layout(RING, QSIZE));
}

static void setup(struct fixture *f, gconstpointer data)
{
	setup_device(f, false);
}

static void setup_legacy(struct fixture *f, gconstpointer data)
{
	setup_device(f, true);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	mmio_guest_destroy(f->guest);
	machine_destroy(f->m);
}

static void negotiate(struct fixture *f, uint64_t features)
{
	set_reg(f, VIRTIO_MMIO_STATUS, 0);
	set_reg(f, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	set_reg(f, VIRTIO_MMIO_STATUS,
	        VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
}

static void setup_queue(struct fixture *f)
{
	set_reg(f, VIRTIO_MMIO_QUEUE_SEL, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, VIRTQ_MAX_SIZE);
	/* Legacy: desc at the page, avail right after it, used at the next 4 KiB (QueueAlign). */
	ring_attach_mmio(&f->ring, f->guest, BASE, 0, f->legacy);
	if (!f->legacy)
		g_assert_cmpuint(reg(f, VIRTIO_MMIO_QUEUE_READY), ==, 1);
}

static void start_driver(struct fixture *f)
{
	uint64_t features = f->legacy ? 0 : 1ull << VIRTIO_F_VERSION_1;

	negotiate(f, features);
	if (!f->legacy)
		g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, !=, 0);
	setup_queue(f);
	set_reg(f, VIRTIO_MMIO_STATUS,
	        VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
	                VIRTIO_STATUS_DRIVER_OK);
}

/* Makes descriptor head (if it is one: head may be out of range) available, and kicks. */
static void post(struct fixture *f, uint16_t head, uint64_t addr, uint32_t len, uint16_t flags)
{
	if (head < QSIZE)
		ring_write_desc(f->m->vm, f->ring.layout.desc, head, addr, len, flags, 0);
	ring_publish(&f->ring, head);
	ring_notify(&f->ring); /* through the ioeventfd */
}

static void test_identity(struct fixture *f, gconstpointer data)
{
	g_assert_cmphex(reg(f, VIRTIO_MMIO_MAGIC_VALUE), ==, VIRTIO_MMIO_MAGIC);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_VERSION), ==, f->legacy ? 1 : 2);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_RNG);
	set_reg(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	g_assert_cmphex(reg(f, VIRTIO_MMIO_DEVICE_FEATURES), ==,
	                (1u << VIRTIO_F_RING_INDIRECT_DESC) | (1u << VIRTIO_F_RING_EVENT_IDX));
	set_reg(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	g_assert_cmphex(reg(f, VIRTIO_MMIO_DEVICE_FEATURES), ==, f->legacy ? 0 : 1);
	set_reg(f, VIRTIO_MMIO_QUEUE_SEL, 1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0); /* rng has one queue */
}

/* FEATURES_OK is refused without VERSION_1, or with a bit we never offered. */
static void test_features(struct fixture *f, gconstpointer data)
{
	negotiate(f, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, ==, 0);
	negotiate(f, (1ull << VIRTIO_F_VERSION_1) | (1ull << 5));
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, ==, 0);
	negotiate(f, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_EVENT_IDX));
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, !=, 0);
}

/* A request filled with random bytes, the line up, InterruptACK puts it down. */
static void test_request(struct fixture *f, gconstpointer data)
{
	uint8_t zero[32] = {0}, got[32];

	start_driver(f);
	g_assert_cmpint(hv_ram_write(f->m->vm, BUF, zero, sizeof(zero)), ==, 0);
	post(f, 0, BUF, sizeof(got), VIRTQ_DESC_F_WRITE);
	WAIT_FOR(ring_used_idx(&f->ring) == 1);
	g_assert_cmpuint(ring_used_id(&f->ring, 0), ==, 0);
	g_assert_cmpuint(ring_used_len(&f->ring, 0), ==, 32);
	g_assert_cmpint(hv_ram_read(f->m->vm, BUF, got, sizeof(got)), ==, 0);
	g_assert_true(memcmp(got, zero, sizeof(got)) != 0);

	WAIT_FOR(hv_irq_get(f->m->vm, IRQ) == 1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS), ==, VIRTIO_MMIO_INT_VRING);
	set_reg(f, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS), ==, 0);
	g_assert_cmpint(hv_irq_get(f->m->vm, IRQ), ==, 0);
}

/*
 * A head index beyond the queue: DEVICE_NEEDS_RESET, a config interrupt,
 * nothing used; a reset brings the device back.
 */
static void test_broken_ring(struct fixture *f, gconstpointer data)
{
	start_driver(f);
	post(f, 200, 0, 0, 0);
	WAIT_FOR(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG, !=, 0);
	g_assert_cmpint(hv_irq_get(f->m->vm, IRQ), ==, 1);
	g_assert_cmpuint(ring_used_idx(&f->ring), ==, 0);

	set_reg(f, VIRTIO_MMIO_STATUS, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS), ==, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS), ==, 0);
	g_assert_cmpint(hv_irq_get(f->m->vm, IRQ), ==, 0);

	/* And it works again. */
	ring_clear(&f->ring);
	start_driver(f);
	post(f, 1, BUF, 16, VIRTQ_DESC_F_WRITE);
	WAIT_FOR(ring_used_idx(&f->ring) == 1);
}

/* Queue addresses outside RAM are refused when the queue is made ready. */
static void test_queue_outside_ram(struct fixture *f, gconstpointer data)
{
	negotiate(f, 1ull << VIRTIO_F_VERSION_1);
	set_reg(f, VIRTIO_MMIO_QUEUE_SEL, 0);
	set_reg(f, VIRTIO_MMIO_QUEUE_NUM, QSIZE);
	set_reg(f, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
	set_reg(f, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)f->ring.layout.avail);
	set_reg(f, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)f->ring.layout.used);
	set_reg(f, VIRTIO_MMIO_QUEUE_READY, 1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, !=, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/virtio-mmio/identity", struct fixture, NULL, setup, test_identity, teardown);
	g_test_add("/virtio-mmio/features", struct fixture, NULL, setup, test_features, teardown);
	g_test_add("/virtio-mmio/request", struct fixture, NULL, setup, test_request, teardown);
	g_test_add("/virtio-mmio/broken-ring", struct fixture, NULL, setup, test_broken_ring,
	           teardown);
	g_test_add("/virtio-mmio/queue-outside-ram", struct fixture, NULL, setup,
	           test_queue_outside_ram, teardown);
	g_test_add("/virtio-mmio/legacy/identity", struct fixture, NULL, setup_legacy,
	           test_identity, teardown);
	g_test_add("/virtio-mmio/legacy/request", struct fixture, NULL, setup_legacy, test_request,
	           teardown);
	g_test_add("/virtio-mmio/legacy/broken-ring", struct fixture, NULL, setup_legacy,
	           test_broken_ring, teardown);
	return g_test_run();
}
