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
#include <endian.h>
#include <glib.h>
#include <string.h>

#include "machine.h"
#include "mmio-guest.h"
#include "virtio/virtio_mmio.h"
#include "virtio/virtio_rng.h"

#define SLOT  0
#define BASE  (VIRTIO_MMIO_BASE + SLOT * VIRTIO_MMIO_SIZE)
#define IRQ   (HV_RISCV_IRQ_VIRTIO_FIRST + SLOT)
#define RAM   HV_RISCV_RAM_BASE
#define RING  (RAM + (8u << 20)) /* past the mmio guest's program and list */
#define DESC  RING
#define AVAIL (RING + 0x1000)
#define USED  (RING + 0x2000)
#define BUF   (RING + 0x10000)
#define QSIZE 8

struct fixture {
	struct machine *m;
	struct mmio_guest *guest;
	bool legacy;
	uint16_t avail_idx;
};

static uint32_t reg(struct fixture *f, uint64_t offset)
{
	return (uint32_t)mmio_guest_read(f->guest, BASE + offset, 4);
}

static void set_reg(struct fixture *f, uint64_t offset, uint32_t value)
{
	mmio_guest_write(f->guest, BASE + offset, value, 4);
}

/*
 * The ring fields the device reads or writes concurrently, accessed as the
 * walker does: single atomic 16-bit loads and stores.
 */
static void put16(struct fixture *f, uint64_t gpa, uint16_t v)
{
	uint16_t *p = hv_ram_ptr(f->m->vm, gpa, 2, true);

	g_assert_nonnull(p);
	__atomic_store_n(p, htole16(v), __ATOMIC_RELEASE);
}

static uint16_t get16(struct fixture *f, uint64_t gpa)
{
	uint16_t *p = hv_ram_ptr(f->m->vm, gpa, 2, false);

	g_assert_nonnull(p);
	return le16toh(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

static void setup_device(struct fixture *f, bool legacy)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};

	f->legacy = legacy;
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(virtio_rng_create(f->m, SLOT, legacy), ==, 0);
	f->guest = mmio_guest_start(f->m);
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

/* Waits for a condition that the backend thread makes true. */
#define WAIT_FOR(cond)                                                  \
	do {                                                            \
		for (int tries_ = 0; !(cond) && tries_ < 500; tries_++) \
			g_usleep(10000);                                \
		g_assert_true(cond);                                    \
	} while (0)

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
	set_reg(f, VIRTIO_MMIO_QUEUE_NUM, QSIZE);
	if (f->legacy) {
		/* desc at the page, avail right after it, used at the next 4 KiB (QueueAlign). */
		set_reg(f, VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
		set_reg(f, VIRTIO_MMIO_QUEUE_ALIGN, 4096);
		set_reg(f, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(RING / 4096));
		return;
	}
	set_reg(f, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC);
	set_reg(f, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC >> 32));
	set_reg(f, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	set_reg(f, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
	set_reg(f, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED);
	set_reg(f, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
	set_reg(f, VIRTIO_MMIO_QUEUE_READY, 1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_QUEUE_READY), ==, 1);
}

/* Where the rings are: the legacy layout puts avail right after the table. */
static uint64_t avail_gpa(struct fixture *f)
{
	return f->legacy ? DESC + 16 * QSIZE : AVAIL;
}

static uint64_t used_gpa(struct fixture *f)
{
	return f->legacy ? RING + 4096 : USED;
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

static void post(struct fixture *f, uint16_t head, uint64_t addr, uint32_t len, uint16_t flags)
{
	uint8_t raw[16] = {0};
	uint64_t a = htole64(addr);
	uint32_t l = htole32(len);
	uint16_t fl = htole16(flags);

	memcpy(raw, &a, 8);
	memcpy(raw + 8, &l, 4);
	memcpy(raw + 12, &fl, 2);
	if (head < QSIZE)
		g_assert_cmpint(hv_ram_write(f->m->vm, DESC + 16ull * head, raw, 16), ==, 0);
	put16(f, avail_gpa(f) + 4 + 2 * (f->avail_idx % QSIZE), head);
	f->avail_idx++;
	put16(f, avail_gpa(f) + 2, f->avail_idx);
	set_reg(f, VIRTIO_MMIO_QUEUE_NOTIFY, 0); /* through the ioeventfd */
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
	WAIT_FOR(get16(f, used_gpa(f) + 2) == 1);
	g_assert_cmpuint(get16(f, used_gpa(f) + 4), ==, 0);  /* id */
	g_assert_cmpuint(get16(f, used_gpa(f) + 8), ==, 32); /* len */
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
	g_assert_cmpuint(get16(f, used_gpa(f) + 2), ==, 0);

	set_reg(f, VIRTIO_MMIO_STATUS, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS), ==, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS), ==, 0);
	g_assert_cmpint(hv_irq_get(f->m->vm, IRQ), ==, 0);

	/* And it works again. */
	memset(hv_ram_ptr(f->m->vm, RING, 0x3000, true), 0, 0x3000);
	f->avail_idx = 0;
	start_driver(f);
	post(f, 1, BUF, 16, VIRTQ_DESC_F_WRITE);
	WAIT_FOR(get16(f, used_gpa(f) + 2) == 1);
}

/* Queue addresses outside RAM are refused when the queue is made ready. */
static void test_queue_outside_ram(struct fixture *f, gconstpointer data)
{
	negotiate(f, 1ull << VIRTIO_F_VERSION_1);
	set_reg(f, VIRTIO_MMIO_QUEUE_SEL, 0);
	set_reg(f, VIRTIO_MMIO_QUEUE_NUM, QSIZE);
	set_reg(f, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
	set_reg(f, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	set_reg(f, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED);
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
