// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the split-ring walker and the devices' request
 * parsing, fed rings that the fuzzer writes into the RAM of a real hv VM.
 *
 * Input layout (whatever is missing is zero):
 *   byte 0        queue size - 1 (1..VIRTQ_MAX_SIZE after the modulo)
 *   byte 1        bit 0: INDIRECT_DESC negotiated, bit 1: EVENT_IDX
 *   bytes 2..3    where our last_avail starts (the driver's idx history)
 *   then          the available ring (flags, idx, ring[size], used_event),
 *                 the descriptor table (4 KiB), and the rest goes to a
 *                 data area that indirect tables and buffers may point into.
 * A descriptor address with its top bit clear is folded into the RAM
 * window (so that most chains are worth walking); one with the top bit set
 * is used as it is (outside RAM, wrapping, ...).
 *
 * The walker must never crash, never loop for ever, and every iovec it
 * returns must lie inside the RAM mapping; the fuzzer aborts otherwise.
 */
#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/hv.h"
#include "virtio/virtio_console.h"
#include "virtio/virtio_net.h"
#include "virtio/virtio_rng.h"
#include "virtio/virtqueue.h"

#define RAM_SIZE   (16ull << 20)
#define RAM        HV_RISCV_RAM_BASE
#define WINDOW     (64u << 10)
#define DESC       RAM
#define AVAIL      (RAM + 0x1000)
#define USED       (RAM + 0x2000)
#define DATA       (RAM + 0x4000)
#define DESC_BYTES 0x1000u
#define MAX_POPS   64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hv_vm *vm;
static struct virtq_chain chain;
static uint8_t net_frame[VIRTIO_NET_MAX_FRAME];

static void check_inside_ram(const uint8_t *ram)
{
	for (unsigned i = 0; i < chain.readable + chain.writable; i++) {
		const uint8_t *base = chain.iov[i].iov_base;

		if (base < ram || base > ram + RAM_SIZE ||
		    chain.iov[i].iov_len > (size_t)(ram + RAM_SIZE - base))
			abort();
	}
}

/* Folds descriptor addresses with the top bit clear into the RAM window. */
static void fold_addresses(uint8_t *table)
{
	for (unsigned i = 0; i < DESC_BYTES / VIRTQ_DESC_SIZE; i++) {
		uint64_t addr;

		memcpy(&addr, table + i * VIRTQ_DESC_SIZE, 8);
		addr = le64toh(addr);
		if (!(addr >> 63))
			addr = RAM + addr % WINDOW;
		addr = htole64(addr);
		memcpy(table + i * VIRTQ_DESC_SIZE, &addr, 8);
	}
}

/* Copies up to max bytes of the input to gpa; returns how many. */
static size_t take(const uint8_t **data, size_t *size, uint8_t *ram, uint64_t gpa, size_t max)
{
	size_t n = *size < max ? *size : max;

	memcpy(ram + (gpa - RAM), *data, n);
	*data += n;
	*size -= n;
	return n;
}

/* The available ring first (short inputs reach it), then the table, then data. */
static void lay_out_ram(const uint8_t *data, size_t size, uint16_t qsize, uint8_t *ram)
{
	memset(ram, 0, WINDOW);
	take(&data, &size, ram, AVAIL, 6 + 2u * qsize);
	take(&data, &size, ram, DESC, DESC_BYTES);
	fold_addresses(ram);
	take(&data, &size, ram, DATA, WINDOW - (DATA - RAM));
}

/* What the devices do with a request: read the guest's bytes, fill its buffers. */
static uint32_t serve(void)
{
	uint8_t out[256];
	size_t taken = virtio_console_take_output(&chain, out, sizeof(out));
	uint8_t sink = 0;

	for (size_t i = 0; i < taken; i++)
		sink ^= out[i];
	(void)sink;
	/* virtio-net's transmit path: the header (both sizes), the checksum it may ask for. */
	virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, net_frame, sizeof(net_frame));
	virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN_LEGACY, false, net_frame, sizeof(net_frame));
	if (chain.writable_bytes > 4096)
		return 0; /* getrandom() is slow; the walk was the point */
	return (uint32_t)virtio_rng_fill(&chain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = RAM_SIZE, .sbi = true};
	struct virtq_layout layout;
	struct virtq vq;
	uint8_t *ram;

	if (!vm && hv_vm_create(&config, &vm) < 0)
		abort();
	ram = hv_ram_ptr(vm, RAM, RAM_SIZE, false); /* no vCPU runs */
	if (size < 4)
		return 0;
	layout = (struct virtq_layout){(uint16_t)(data[0] % VIRTQ_MAX_SIZE + 1), DESC, AVAIL, USED};
	if (virtq_init(&vq, vm, &layout, data[1] & 1, data[1] & 2) < 0)
		abort(); /* a layout inside RAM is always fine */
	vq.last_avail = vq.used_idx = (uint16_t)(data[2] | data[3] << 8);
	lay_out_ram(data + 4, size - 4, layout.size, ram);

	for (int pops = 0; pops < MAX_POPS; pops++) {
		int ret = virtq_pop(&vq, &chain);

		if (ret <= 0)
			break;
		check_inside_ram(ram);
		virtq_push(&vq, chain.head, serve());
		virtq_should_interrupt(&vq);
		virtq_arm_notification(&vq);
	}
	return 0;
}
