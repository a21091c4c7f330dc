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
 * is used as it is (outside RAM, wrapping, ...).  ring_fuzz_lay_out() in
 * tests/virtio/ring-builder.h does this, at the start of RAM.
 *
 * The walker must never crash, never loop for ever, and every iovec it
 * returns must lie inside the RAM mapping; the fuzzer aborts otherwise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/virtio/ring-builder.h"
#include "hv/hv.h"
#include "virtio/virtio_console.h"
#include "virtio/virtio_net.h"
#include "virtio/virtio_rng.h"
#include "virtio/virtqueue.h"

#define RAM_SIZE RING_FUZZ_RAM_SIZE
#define RAM      HV_RISCV_RAM_BASE
#define MAX_POPS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtq_chain chain;
static uint8_t net_frame[VIRTIO_NET_MAX_FRAME];

static void check_inside_ram(const uint8_t *ram)
{
	for (unsigned i = 0; i < chain.readable + chain.writable; i++)
		if (!ring_inside_ram(ram, RAM_SIZE, chain.iov[i].iov_base, chain.iov[i].iov_len))
			abort();
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
	uint8_t *ram;
	struct hv_vm *vm = ring_fuzz_vm(&ram);
	struct virtq vq;

	if (size < 4)
		return 0;
	ring_fuzz_queue(&vq, vm, data[0], data[1] & 1, data[1] & 2);
	vq.last_avail = vq.used_idx = (uint16_t)(data[2] | data[3] << 8);
	ring_fuzz_lay_out(ram, RAM, vq.layout.size, data + 4, size - 4);

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
