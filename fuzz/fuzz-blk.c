// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: virtio-blk's request parsing and execution, fed
 * rings that the fuzzer writes into the RAM of a real hv VM, against an
 * image in a memfd.
 *
 * Input layout (whatever is missing is zero):
 *   byte 0        queue size - 1 (1..VIRTQ_MAX_SIZE after the modulo)
 *   byte 1        bit 0: INDIRECT_DESC, bit 1: read-only image,
 *                 bit 2: DISCARD negotiated, bit 3: WRITE_ZEROES negotiated,
 *                 bit 4: FLUSH negotiated
 *   byte 2        the image's size in 512-byte sectors - 1 (1..256)
 *   then          the available ring (flags, idx, ring[size], used_event),
 *                 the descriptor table (4 KiB), and the rest goes to a
 *                 data area where headers, data, discard segments and
 *                 status bytes live.
 * Descriptor addresses with the top bit clear are folded into the RAM
 * window; others are used as they are (outside RAM, wrapping, ...): as
 * for fuzz-virtqueue, by ring_fuzz_lay_out() (tests/virtio/ring-builder.h).
 *
 * Every request must parse without crashing; the data buffers and the
 * status byte must lie inside the RAM mapping; the image must keep its
 * size (no write past the capacity); a read-only image must not change.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tests/virtio/ring-builder.h"
#include "hv/hv.h"
#include "virtio/virtio_blk.h"
#include "virtio/virtqueue.h"

#define RAM_SIZE  RING_FUZZ_RAM_SIZE
#define RAM       HV_RISCV_RAM_BASE
#define MAX_POPS  32
#define MAX_IMAGE (256u * 512)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_blk_request request;
static int image_fd = -1;
static uint8_t original[MAX_IMAGE], after[MAX_IMAGE];

static void check_inside(const uint8_t *ram, const void *p, size_t len)
{
	if (!ring_inside_ram(ram, RAM_SIZE, p, len))
		abort();
}

static void check_request(const uint8_t *ram)
{
	for (unsigned i = 0; i < request.data_count; i++)
		check_inside(ram, request.data[i].iov_base, request.data[i].iov_len);
	if (request.status_byte)
		check_inside(ram, request.status_byte, 1);
	if (request.data_count > VIRTQ_MAX_SIZE ||
	    request.segment_count > VIRTIO_BLK_MAX_DISCARD_SEG)
		abort();
}

/* A fresh image of `sectors` sectors with a known pattern. */
static void reset_image(struct virtio_blk_image *image, unsigned sectors, bool read_only)
{
	size_t bytes = (size_t)sectors * 512;

	if (image_fd < 0) {
		image_fd = memfd_create("fuzz-blk", 0);
		if (image_fd < 0)
			abort();
		for (unsigned i = 0; i < MAX_IMAGE; i++)
			original[i] = (uint8_t)(i * 31 + 7);
	}
	if (ftruncate(image_fd, 0) < 0 || pwrite(image_fd, original, bytes, 0) != (ssize_t)bytes)
		abort();
	memset(image, 0, sizeof(*image));
	image->fd = image_fd;
	image->read_only = read_only;
	image->capacity = sectors;
	memcpy(image->serial, "fuzz-serial", 12);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *ram;
	struct hv_vm *vm = ring_fuzz_vm(&ram);
	struct virtio_blk_image image;
	struct virtq vq;
	unsigned sectors;
	bool read_only;
	struct stat st;

	if (size < 3)
		return 0;
	ring_fuzz_queue(&vq, vm, data[0], data[1] & 1, false);
	read_only = data[1] & 2;
	sectors = data[2] + 1u;
	reset_image(&image, sectors, read_only);
	request.allow_discard = data[1] & 4;
	request.allow_write_zeroes = data[1] & 8;
	request.sync_after_write = !(data[1] & 16);
	ring_fuzz_lay_out(ram, RAM, vq.layout.size, data + 3, size - 3);

	for (int pops = 0; pops < MAX_POPS; pops++) {
		char why[160];
		enum virtio_blk_parsed parsed;

		if (virtq_pop(&vq, &request.chain) <= 0)
			break;
		parsed = virtio_blk_parse(&image, &request, why, sizeof(why));
		check_request(ram);
		if (parsed == VIRTIO_BLK_BROKEN)
			break; /* the device would need a reset */
		if (parsed == VIRTIO_BLK_DO_IO)
			virtio_blk_execute(&image, &request);
		if (request.status > VIRTIO_BLK_S_UNSUPP)
			abort();
		virtio_blk_complete(&request);
		virtq_push(&vq, request.chain.head, request.written);
	}
	/* The image keeps its size; a read-only one keeps every byte. */
	if (fstat(image_fd, &st) < 0 || st.st_size != (off_t)sectors * 512)
		abort();
	if (read_only) {
		if (pread(image_fd, after, (size_t)sectors * 512, 0) != (ssize_t)sectors * 512 ||
		    memcmp(after, original, (size_t)sectors * 512) != 0)
			abort();
	}
	return 0;
}
