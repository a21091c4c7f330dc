/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mmio: the modern form of lguest's device table.
 *
 * lguest described each device by a little record above the top of guest
 * memory: a type, feature bits offered and acknowledged, config bytes, a
 * status byte, and for each virtqueue its size and the page (`pfn`) where
 * the guest put the ring.  virtio-mmio says the same things through a page
 * of registers per device: slot n sits at VIRTIO_MMIO_BASE + n * 0x1000 and
 * raises PLIC line HV_RISCV_IRQ_VIRTIO_FIRST + n.
 *
 * The transport here does everything that is the same for every device:
 * the registers, the status handshake, feature negotiation, config space
 * with its generation counter, the queues' addresses, reset, the
 * interrupt line, and one backend thread per device, woken by the
 * ioeventfd the hv signals when the guest writes QueueNotify (lguest's
 * LHREQ_EVENTFD).  A device (rng, console, ...) supplies only its ID, its
 * own feature bits, its config bytes and a service() function that the
 * backend thread calls to do the work.
 *
 * Version 2 is the virtio 1.x register layout.  Version 1 ("legacy") is
 * the older one in which the guest gives each queue as one page number
 * (QueuePFN, lguest's `pfn`) and the used ring starts at the next
 * QueueAlign boundary (lguest's LGUEST_VRING_ALIGN, 4096).
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_MMIO_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_MMIO_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtqueue.h"

struct machine;
struct virtio_mmio;

#define VIRTIO_MMIO_BASE       0x10001000ull
#define VIRTIO_MMIO_SIZE       0x1000ull
#define VIRTIO_MMIO_MAGIC      0x74726976u /* "virt" */
#define VIRTIO_MMIO_VENDOR_ID  0x4c4e4e4bu /* "KNNL" */
#define VIRTIO_MMIO_MAX_QUEUES 8
#define VIRTIO_CONFIG_MAX      256

/* Register offsets (virtio 1.2, 4.2.2; legacy ones from 4.2.4). */
enum {
	VIRTIO_MMIO_MAGIC_VALUE = 0x000,
	VIRTIO_MMIO_VERSION = 0x004,
	VIRTIO_MMIO_DEVICE_ID = 0x008,
	VIRTIO_MMIO_VENDOR = 0x00c,
	VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
	VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
	VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
	VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
	VIRTIO_MMIO_GUEST_PAGE_SIZE = 0x028, /* legacy */
	VIRTIO_MMIO_QUEUE_SEL = 0x030,
	VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
	VIRTIO_MMIO_QUEUE_NUM = 0x038,
	VIRTIO_MMIO_QUEUE_ALIGN = 0x03c, /* legacy */
	VIRTIO_MMIO_QUEUE_PFN = 0x040,   /* legacy */
	VIRTIO_MMIO_QUEUE_READY = 0x044,
	VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
	VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
	VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
	VIRTIO_MMIO_STATUS = 0x070,
	VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
	VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
	VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
	VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
	VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
	VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
	VIRTIO_MMIO_SHM_SEL = 0x0ac,
	VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
	VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4,
	VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8,
	VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc,
	VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
	VIRTIO_MMIO_CONFIG = 0x100,
};

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE        1
#define VIRTIO_STATUS_DRIVER             2
#define VIRTIO_STATUS_DRIVER_OK          4
#define VIRTIO_STATUS_FEATURES_OK        8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED             128

/* InterruptStatus bits. */
#define VIRTIO_MMIO_INT_VRING  1 /* a used buffer */
#define VIRTIO_MMIO_INT_CONFIG 2 /* the configuration changed */

/* Transport feature bits (6). */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32

/* Device IDs (5). */
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG     4

/* What a device gives the transport. */
struct virtio_device_ops {
	const char *name; /* for log lines, e.g. "virtio-rng" */
	uint32_t device_id;
	uint64_t features; /* the device's own feature bits */
	unsigned num_queues;
	size_t config_size; /* bytes of config space, at most VIRTIO_CONFIG_MAX */
	/*
	 * Does the work: called on the backend thread, with the device lock
	 * held, after every wake-up while the driver is running (DRIVER_OK)
	 * and the device is not broken.
	 */
	void (*service)(struct virtio_mmio *t, void *dev);
	/*
	 * Optional: before each wait, the device may add one fd to wait for
	 * (fd < 0: none) and a timeout in ms (left alone: wait forever).
	 * Called with the lock held, only while the driver is running.
	 */
	void (*prepare_wait)(struct virtio_mmio *t, void *dev, struct pollfd *extra,
	                     int *timeout_ms);
	/* Optional: the driver wrote config space. */
	void (*config_write)(struct virtio_mmio *t, void *dev, uint64_t offset, uint64_t value,
	                     unsigned size);
	/* Optional: the device was reset (by the driver or a reboot); lock held. */
	void (*reset)(struct virtio_mmio *t, void *dev);
	/* Optional: frees the device, after its backend thread has stopped. */
	void (*destroy)(void *dev);
};

/*
 * Creates the transport for dev in slot (0..HV_RISCV_VIRTIO_SLOTS-1),
 * version 2 or, with legacy, version 1.  Adds it to the machine (its
 * registers, its device tree node, its reset) and starts its backend
 * thread.  The machine owns dev afterwards, unless this fails.
 */
int virtio_mmio_create(struct machine *m, unsigned slot, bool legacy,
                       const struct virtio_device_ops *ops, void *dev, struct virtio_mmio **out);

/*
 * For devices, from their service() (lock held).
 */
/* The device's config bytes; after a change, call virtio_mmio_config_changed(). */
uint8_t *virtio_mmio_config(struct virtio_mmio *t);
void virtio_mmio_config_changed(struct virtio_mmio *t);
/* Whether feature bit `bit` was negotiated. */
bool virtio_mmio_has_feature(const struct virtio_mmio *t, unsigned bit);
/* Whether queue n has been set up by the driver. */
bool virtio_mmio_queue_ready(const struct virtio_mmio *t, unsigned n);
/*
 * Takes the next chain of queue n: 1, 0 (none), or -EPROTO after the
 * driver broke a rule, in which case the device is already marked
 * DEVICE_NEEDS_RESET and the reason logged.
 */
int virtio_mmio_pop(struct virtio_mmio *t, unsigned n, struct virtq_chain *chain);
/* Returns a chain to queue n with the number of bytes written. */
void virtio_mmio_push(struct virtio_mmio *t, unsigned n, uint16_t head, uint32_t written);
/* After pushes: interrupts the driver if it wants to hear (used_event, NO_INTERRUPT). */
void virtio_mmio_notify(struct virtio_mmio *t, unsigned n);
/* Re-enables notifications; true if queue n got more work meanwhile. */
bool virtio_mmio_arm(struct virtio_mmio *t, unsigned n);
/* Marks the device DEVICE_NEEDS_RESET (lock held); logs one line with why. */
void virtio_mmio_needs_reset(struct virtio_mmio *t, const char *why);

/*
 * Stops the backend thread for good (the engine, before it frees what a
 * device's service() uses, such as the stdio console).  The machine
 * frees the transport later, as usual.
 */
void virtio_mmio_stop(struct virtio_mmio *t);

/*
 * Statistics for the control interface and --stats.  A device counts the
 * bytes it moves for the guest (disk or network traffic) itself; kicks
 * and interrupts the transport counts.  Any thread, no lock needed.
 */
struct virtio_mmio_stats {
	const char *name; /* the device's name, e.g. "virtio-blk" */
	unsigned slot;
	uint64_t kicks;         /* QueueNotify writes by the driver */
	uint64_t interrupts;    /* times the device raised its line */
	uint64_t bytes_read;    /* bytes the guest read: disk reads, packets received */
	uint64_t bytes_written; /* bytes the guest wrote: disk writes, packets sent */
};
void virtio_mmio_count_bytes(struct virtio_mmio *t, uint64_t read, uint64_t written);
void virtio_mmio_get_stats(struct virtio_mmio *t, struct virtio_mmio_stats *out);
/* The machine's virtio devices in the order they were added: NULL first, then the last. */
struct virtio_mmio *virtio_mmio_next(struct machine *m, struct virtio_mmio *prev);

/* Wakes the backend thread; from any thread, no lock needed. */
void virtio_mmio_wake(struct virtio_mmio *t);
/* Whether the driver has said DRIVER_OK (and no reset since); any thread. */
bool virtio_mmio_driver_ok(struct virtio_mmio *t);

#endif
