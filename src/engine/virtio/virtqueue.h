/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Split virtqueues, read by a device that does not trust its driver.
 *
 * A virtqueue is three arrays in guest RAM that the driver (the guest
 * kernel) and the device (us) share:
 *
 *   the descriptor table  16-byte entries: addr, len, flags, next
 *   the available ring    flags, idx, ring[size], used_event
 *   the used ring         flags, idx, ring[size] of {id, len}, avail_event
 *
 * The driver chains descriptors into a request, puts the chain's first
 * index (its "head") in the available ring and bumps avail->idx.  We walk
 * the chain, do the work, put the head and the number of bytes we wrote
 * in the used ring and bump used->idx.  This is the virtio 1.2 split ring,
 * the descendant of lguest's vring (whose rings were aligned to
 * LGUEST_VRING_ALIGN, as the legacy layout still is).
 *
 * Everything the guest wrote is hostile.  The walker copies each field
 * once out of RAM before looking at it (so the guest cannot change it
 * between the check and the use), checks every index against the queue
 * size, every buffer against RAM, every chain for loops, and hands the
 * device only pointers it got from hv_ram_ptr().  The first broken rule
 * stops the queue: virtq_pop() returns -EPROTO and vq->broken names the
 * rule; the transport then marks the device DEVICE_NEEDS_RESET.
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTQUEUE_H
#define KENNEL_ENGINE_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "hv/hv.h"

/* The largest queue any Kennel device offers (QueueNumMax). */
#define VIRTQ_MAX_SIZE 256

/* Descriptor flags (virtio 1.2, 2.7.5). */
#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2
#define VIRTQ_DESC_F_INDIRECT 4

/* Ring flags (2.7.6, 2.7.8). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1

#define VIRTQ_DESC_SIZE            16u
#define VIRTQ_USED_ELEM_SIZE       8u

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* Where the three parts of a queue live, as the driver told the transport. */
struct virtq_layout {
	uint16_t size; /* number of entries, 1..VIRTQ_MAX_SIZE */
	uint64_t desc, avail, used;
};

struct virtq {
	struct hv_vm *vm;
	struct virtq_layout layout;
	bool indirect_ok;       /* VIRTIO_F_RING_INDIRECT_DESC was negotiated */
	bool event_idx;         /* VIRTIO_F_RING_EVENT_IDX was negotiated */
	uint16_t last_avail;    /* the next available entry we will take */
	uint16_t used_idx;      /* our copy of used->idx */
	uint16_t signalled_idx; /* used->idx when we last interrupted the driver */
	bool signalled_valid;   /* signalled_idx means something yet */
	const char *broken;     /* the rule the driver broke, or NULL */
	char why[160];          /* where broken points */
};

/*
 * One request: the chain's head and its buffers, the device-readable ones
 * first (iov[0 .. readable)), then the device-writable ones
 * (iov[readable .. readable + writable)).  Every iov lies inside guest RAM.
 */
struct virtq_chain {
	uint16_t head;
	unsigned readable, writable;
	size_t readable_bytes, writable_bytes;
	struct iovec iov[VIRTQ_MAX_SIZE];
};

/*
 * Starts using a queue.  Returns 0, or -EPROTO (vq->broken says why) if the
 * layout is impossible: a size of 0 or above VIRTQ_MAX_SIZE, a misaligned
 * part, or a part outside guest RAM.
 */
int virtq_init(struct virtq *vq, struct hv_vm *vm, const struct virtq_layout *layout,
               bool indirect_ok, bool event_idx);

/*
 * Takes the next available chain.  Returns 1 with *chain filled, 0 if the
 * driver has made nothing new available, or -EPROTO when the driver broke
 * a rule (vq->broken names it; the queue stays broken).
 */
int virtq_pop(struct virtq *vq, struct virtq_chain *chain);

/*
 * Gives a chain back: head and the number of bytes we wrote into its
 * writable buffers.  The used entry is visible before the new used->idx.
 */
int virtq_push(struct virtq *vq, uint16_t head, uint32_t written);

/*
 * After one or more virtq_push(): should we interrupt the driver?  Honours
 * VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX.  A true answer
 * counts as the interrupt having been sent.
 */
bool virtq_should_interrupt(struct virtq *vq);

/*
 * With EVENT_IDX: tells the driver which avail->idx should make it notify
 * us next (avail_event = our last_avail), then says whether more work
 * arrived meanwhile (call virtq_pop() again if so).
 */
bool virtq_arm_notification(struct virtq *vq);

/* Copies up to len bytes out of the chain's readable buffers; returns the count. */
size_t virtq_chain_read(const struct virtq_chain *chain, void *dst, size_t len);
/* Copies up to len bytes into the chain's writable buffers; returns the count. */
size_t virtq_chain_write(struct virtq_chain *chain, const void *src, size_t len);

/*
 * The event-index test of the virtio spec (2.7.7.2, 2.7.10): has the index
 * moved from old_idx to new_idx past the one the other side asked for?
 */
static inline bool virtq_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

#endif
