// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-net with slirp behind it, driven by a tiny guest
 * (tests/engine/mmio-guest.c) on the real hv: the test plays the driver.
 * It negotiates, reads the MAC, link status and MTU from config space,
 * posts a receive buffer and transmits an ARP request for 10.0.2.2; slirp
 * answers at once, and the reply must arrive in the receive buffer behind
 * a header that says one buffer and DATA_VALID.  Then the hostile cases: a
 * malformed transmit header is dropped (the chain comes back, the device
 * keeps working), and a receive buffer smaller than the header marks the
 * device DEVICE_NEEDS_RESET with a config interrupt.
 */
#include <glib.h>
#include <string.h>

#include "machine.h"
#include "mmio-guest.h"
#include "ring-builder.h"
#include "virtio/virtio_mmio.h"
#include "virtio/virtio_net.h"

#define SLOT  2
#define BASE  (VIRTIO_MMIO_BASE + SLOT * VIRTIO_MMIO_SIZE)
#define RAM   HV_RISCV_RAM_BASE
#define RING  (RAM + (8u << 20)) /* past the mmio guest's program and list */
#define BUF   (RING + 0x10000)
#define QSIZE 8
#define RXQ   0
#define TXQ   1

static const uint8_t guest_mac[6] = {0x52, 0x54, 0x00, 0x4b, 0x4e, 0x4c};

struct fixture {
	struct machine *m;
	struct mmio_guest *guest;
	struct ring ring[2]; /* queue q at RING + q * 0x4000 */
};

static uint32_t reg(struct fixture *f, uint64_t offset, unsigned size)
{
	return (uint32_t)mmio_guest_read(f->guest, BASE + offset, size);
}

static void set_reg(struct fixture *f, uint64_t offset, uint32_t value)
{
	mmio_guest_write(f->guest, BASE + offset, value, 4);
}

static void setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};
	struct virtio_net_options options = {0};
	char why[256];

	memcpy(options.mac, guest_mac, 6);
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(virtio_net_create(f->m, SLOT, false, &options, why, sizeof(why)), ==, 0);
	f->guest = mmio_guest_start(f->m);
	for (unsigned q = 0; q < 2; q++)
		ring_init(&f->ring[q], f->m->vm, ring_layout(RING + q * 0x4000ull, QSIZE));
}

static void teardown(struct fixture *f, gconstpointer data)
{
	mmio_guest_destroy(f->guest);
	machine_destroy(f->m);
}

static void start_driver(struct fixture *f, uint64_t features)
{
	const uint32_t base = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	set_reg(f, VIRTIO_MMIO_STATUS, 0);
	set_reg(f, VIRTIO_MMIO_STATUS, base);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	set_reg(f, VIRTIO_MMIO_STATUS, base | VIRTIO_STATUS_FEATURES_OK);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_FEATURES_OK, !=, 0);
	ring_attach_mmio(&f->ring[RXQ], f->guest, BASE, RXQ, false);
	ring_attach_mmio(&f->ring[TXQ], f->guest, BASE, TXQ, false);
	set_reg(f, VIRTIO_MMIO_STATUS, base | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* Makes one descriptor (no chaining) the next available entry of queue q, and kicks. */
static uint16_t post(struct fixture *f, unsigned q, uint64_t addr, uint32_t len, bool writable)
{
	uint16_t head = ring_post_chain(&f->ring[q], &(struct ring_buf){addr, len, writable}, 1);

	ring_notify(&f->ring[q]);
	return head;
}

/* A virtio-net header and an ARP request "who has 10.0.2.2? tell 10.0.2.15". */
static size_t arp_request(uint8_t *p, uint8_t gso_type)
{
	static const uint8_t arp[] = {0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01};
	uint8_t *eth = p + VIRTIO_NET_HDR_LEN;

	memset(p, 0, VIRTIO_NET_HDR_LEN + 42);
	p[1] = gso_type;
	memset(eth, 0xff, 6);
	memcpy(eth + 6, guest_mac, 6);
	eth[12] = 0x08;
	eth[13] = 0x06;
	memcpy(eth + 14, arp, sizeof(arp));
	memcpy(eth + 22, guest_mac, 6);
	memcpy(eth + 28, (const uint8_t[]){10, 0, 2, 15}, 4);
	memcpy(eth + 38, (const uint8_t[]){10, 0, 2, 2}, 4);
	return VIRTIO_NET_HDR_LEN + 42;
}

static const uint64_t all_features =
        (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
        (1ull << VIRTIO_NET_F_MTU) | (1ull << VIRTIO_NET_F_MRG_RXBUF) |
        (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_GUEST_CSUM);

static void test_config(struct fixture *f, gconstpointer data)
{
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_DEVICE_ID, 4), ==, VIRTIO_ID_NET);
	set_reg(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	g_assert_cmphex(reg(f, VIRTIO_MMIO_DEVICE_FEATURES, 4) & (uint32_t)all_features, ==,
	                (uint32_t)all_features);
	for (unsigned i = 0; i < 6; i++)
		g_assert_cmphex(reg(f, VIRTIO_MMIO_CONFIG + i, 1), ==, guest_mac[i]);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + 6, 2), ==, 1); /* link up */
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + 8, 2), ==, 1); /* one queue pair */
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + 10, 2), ==, VIRTIO_NET_MTU);
}

static void test_arp(struct fixture *f, gconstpointer data)
{
	uint8_t req[64], rx[2048];
	const uint8_t *eth = rx + VIRTIO_NET_HDR_LEN;
	uint32_t len;

	start_driver(f, all_features);
	post(f, RXQ, BUF, sizeof(rx), true);
	g_assert_cmpint(hv_ram_write(f->m->vm, BUF + 0x1000, req, arp_request(req, 0)), ==, 0);
	post(f, TXQ, BUF + 0x1000, (uint32_t)arp_request(req, 0), false);
	WAIT_FOR(ring_used_idx(&f->ring[TXQ]) == 1);
	WAIT_FOR(ring_used_idx(&f->ring[RXQ]) == 1);
	len = ring_used_len(&f->ring[RXQ], 0);
	g_assert_cmpuint(len, >=, VIRTIO_NET_HDR_LEN + 42);
	g_assert_cmpuint(len, <=, sizeof(rx));
	g_assert_cmpint(hv_ram_read(f->m->vm, BUF, rx, len), ==, 0);
	g_assert_cmphex(rx[0], ==, VIRTIO_NET_HDR_F_DATA_VALID);
	g_assert_cmpuint(rx[10] | rx[11] << 8, ==, 1); /* num_buffers */
	g_assert_cmpmem(eth, 6, guest_mac, 6);         /* to us */
	g_assert_cmphex(eth[12] << 8 | eth[13], ==, 0x0806);
	g_assert_cmphex(eth[20] << 8 | eth[21], ==, 2); /* an ARP reply */
	g_assert_cmpmem(eth + 28, 4, ((const uint8_t[]){10, 0, 2, 2}), 4);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS, 4) & VIRTIO_MMIO_INT_VRING, !=, 0);

	struct virtio_mmio_stats stats;

	virtio_mmio_get_stats(virtio_mmio_next(f->m, NULL), &stats);
	g_assert_cmpuint(stats.bytes_written, ==, 42);
	g_assert_cmpuint(stats.bytes_read, ==, len - VIRTIO_NET_HDR_LEN);
}

static void test_bad_tx_header(struct fixture *f, gconstpointer data)
{
	uint8_t req[64];

	start_driver(f, all_features);
	post(f, RXQ, BUF, 2048, true);
	/* A GSO frame we never offered to take: dropped, the chain comes back. */
	g_assert_cmpint(hv_ram_write(f->m->vm, BUF + 0x1000, req, arp_request(req, 1)), ==, 0);
	post(f, TXQ, BUF + 0x1000, (uint32_t)arp_request(req, 1), false);
	WAIT_FOR(ring_used_idx(&f->ring[TXQ]) == 1);
	/* A chain shorter than the header: the same. */
	post(f, TXQ, BUF + 0x1000, 5, false);
	WAIT_FOR(ring_used_idx(&f->ring[TXQ]) == 2);
	g_usleep(50000);
	g_assert_cmpuint(ring_used_idx(&f->ring[RXQ]), ==, 0);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, ==, 0);
	/* The device still works. */
	g_assert_cmpint(hv_ram_write(f->m->vm, BUF + 0x1000, req, arp_request(req, 0)), ==, 0);
	post(f, TXQ, BUF + 0x1000, (uint32_t)arp_request(req, 0), false);
	WAIT_FOR(ring_used_idx(&f->ring[RXQ]) == 1);
}

static void test_tiny_rx_buffer(struct fixture *f, gconstpointer data)
{
	uint8_t req[64];

	start_driver(f, all_features);
	post(f, RXQ, BUF, 4, true); /* smaller than the 12-byte header */
	g_assert_cmpint(hv_ram_write(f->m->vm, BUF + 0x1000, req, arp_request(req, 0)), ==, 0);
	post(f, TXQ, BUF + 0x1000, (uint32_t)arp_request(req, 0), false);
	WAIT_FOR(reg(f, VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS, 4) & VIRTIO_MMIO_INT_CONFIG, !=, 0);
	/* A reset brings it back (with fresh rings, as a driver makes them). */
	set_reg(f, VIRTIO_MMIO_STATUS, 0);
	for (unsigned q = 0; q < 2; q++)
		ring_clear(&f->ring[q]);
	start_driver(f, all_features);
	post(f, RXQ, BUF, 2048, true);
	post(f, TXQ, BUF + 0x1000, (uint32_t)arp_request(req, 0), false);
	WAIT_FOR(ring_used_idx(&f->ring[RXQ]) == 1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/virtio-net/config", struct fixture, NULL, setup, test_config, teardown);
	g_test_add("/virtio-net/arp", struct fixture, NULL, setup, test_arp, teardown);
	g_test_add("/virtio-net/hostile/bad-tx-header", struct fixture, NULL, setup,
	           test_bad_tx_header, teardown);
	g_test_add("/virtio-net/hostile/tiny-rx-buffer", struct fixture, NULL, setup,
	           test_tiny_rx_buffer, teardown);
	return g_test_run();
}
