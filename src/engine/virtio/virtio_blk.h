/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-blk (device ID 2): a raw disk image file as the guest's /dev/vdX.
 *
 * The image is a plain (usually sparse) file whose size is the disk's
 * capacity, a whole number of 512-byte sectors.  It is locked with an
 * open-file-description lock while an engine uses it, so that two engines
 * never write one image.  Host I/O runs on a small pool of worker threads,
 * never on a vCPU thread, with several requests in flight.
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_BLK_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "virtqueue.h"

struct machine;

#define VIRTIO_ID_BLOCK        2
#define VIRTIO_BLK_SECTOR_SIZE 512u
#define VIRTIO_BLK_ID_BYTES    20 /* the serial number GET_ID returns */

/* Feature bits (virtio 1.2, 5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX      2
#define VIRTIO_BLK_F_RO           5
#define VIRTIO_BLK_F_BLK_SIZE     6
#define VIRTIO_BLK_F_FLUSH        9
#define VIRTIO_BLK_F_DISCARD      13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types (5.2.6). */
#define VIRTIO_BLK_T_IN           0
#define VIRTIO_BLK_T_OUT          1
#define VIRTIO_BLK_T_FLUSH        4
#define VIRTIO_BLK_T_GET_ID       8
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

/* Status byte values. */
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

/* What a driver may put in one request (our config space says so). */
#define VIRTIO_BLK_SEG_MAX             (VIRTQ_MAX_SIZE - 3) /* + header, status, indirect */
#define VIRTIO_BLK_MAX_DISCARD_SEG     32
#define VIRTIO_BLK_MAX_DISCARD_SECTORS (1u << 22) /* 2 GiB per segment */
#define VIRTIO_BLK_DISCARD_ALIGN       8u         /* sectors: 4 KiB, the host's block */

/* The longest serial a --disk ...,serial= may give. */
#define VIRTIO_BLK_SERIAL_MAX VIRTIO_BLK_ID_BYTES

/* An open, locked image. */
struct virtio_blk_image {
	int fd;
	bool read_only;
	uint64_t capacity; /* in 512-byte sectors */
	char serial[VIRTIO_BLK_ID_BYTES + 1];
	char path[256]; /* for messages, perhaps shortened */
};

/*
 * Opens and locks the image at path (read-only if read_only), with serial
 * (NULL or "": the file's name, cut to 20 bytes).  On failure returns
 * -errno with a sentence for the person in why, such as "disk FILE is in
 * use by another engine (locked)".
 */
int virtio_blk_image_open(const char *path, bool read_only, const char *serial,
                          struct virtio_blk_image *image, char *why, size_t why_len);
/* Closes an image that was opened but not given to a device. */
void virtio_blk_image_close(struct virtio_blk_image *image);

/*
 * Takes a lock on fd for a whole image: a read lock for read_only, else a
 * write lock.  Returns 0, -EAGAIN if another open file (another engine)
 * holds a conflicting one, or another -errno.  Also for `disk create`.
 */
int virtio_blk_lock(int fd, bool read_only);

/*
 * Creates a virtio-blk in virtio-mmio slot `slot` (version 1 if legacy)
 * for the image, which the device owns from then on, even on failure.
 */
int virtio_blk_create(struct machine *m, unsigned slot, bool legacy,
                      struct virtio_blk_image *image);

/* One segment of a DISCARD or WRITE_ZEROES request, as the driver gave it. */
struct virtio_blk_segment {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

/*
 * One request, from the chain the driver made available to its status.
 * For the device, the tests and the fuzzer: virtio_blk_parse() reads the
 * request out of the chain, virtio_blk_execute() does the host I/O, and
 * virtio_blk_complete() writes the status byte.
 */
struct virtio_blk_request {
	struct virtq_chain chain;
	uint32_t type;
	uint64_t sector;
	uint8_t *status_byte; /* the chain's last writable byte */
	struct iovec data[VIRTQ_MAX_SIZE];
	unsigned data_count; /* the data buffers, without header and status */
	size_t data_len;
	struct virtio_blk_segment segments[VIRTIO_BLK_MAX_DISCARD_SEG];
	unsigned segment_count; /* DISCARD, WRITE_ZEROES */
	uint8_t status;         /* the answer, once known */
	int error;              /* the host's -errno behind an IOERR, or 0 */
	uint32_t written;       /* bytes written into the chain, status included */
	bool sync_after_write;  /* the driver has no FLUSH: every write is durable */
	bool allow_discard;     /* DISCARD and WRITE_ZEROES were negotiated */
	bool allow_write_zeroes;
	struct virtio_blk_request *next; /* the device's lists */
};

enum virtio_blk_parsed {
	VIRTIO_BLK_BROKEN = -1, /* not a request: the device needs a reset */
	VIRTIO_BLK_DONE = 0,    /* answered already (IOERR, UNSUPP, GET_ID) */
	VIRTIO_BLK_DO_IO = 1,   /* needs virtio_blk_execute() */
};

/*
 * Reads the request in r->chain (popped by the walker: every buffer is
 * inside guest RAM) against an image.  The header is copied out of guest
 * RAM once.  Returns what to do next; VIRTIO_BLK_BROKEN with why filled
 * when the chain cannot be a request at all (no header, no status byte).
 */
enum virtio_blk_parsed virtio_blk_parse(const struct virtio_blk_image *image,
                                        struct virtio_blk_request *r, char *why, size_t why_len);
/* The host I/O of a parsed request; sets r->status and r->written. */
void virtio_blk_execute(const struct virtio_blk_image *image, struct virtio_blk_request *r);
/* Writes r->status into the guest's status byte. */
void virtio_blk_complete(struct virtio_blk_request *r);

#endif
