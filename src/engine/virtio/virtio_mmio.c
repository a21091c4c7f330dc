// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The virtio-mmio transport (see virtio_mmio.h).
 *
 * The life of a device, as the driver sees it: it reads MagicValue,
 * Version and DeviceID to know what it found; resets the device by
 * writing 0 to Status; sets ACKNOWLEDGE and DRIVER; reads the feature bits
 * we offer and writes the ones it wants; sets FEATURES_OK and reads Status
 * back to see whether we agreed; tells us where each queue lives; and sets
 * DRIVER_OK.  From then on it kicks us through QueueNotify, which the hv
 * turns into a write to our eventfd, and our backend thread wakes and
 * serves the queues.  When we have used buffers, or the config changed,
 * we set a bit in InterruptStatus and raise our PLIC line; the line stays
 * high until the driver acknowledges every bit.
 *
 * All registers and queue state are under one lock per device, taken by
 * the vCPU threads (register accesses) and by the backend thread (work).
 */
#include "virtio_mmio.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fdt_writer.h"
#include "machine.h"

#define LEGACY_DEFAULT_ALIGN 4096 /* lguest's LGUEST_VRING_ALIGN */
/* A driver that breaks the rules in a loop (reset, break, reset...) gets this many lines. */
#define NEEDS_RESET_REPORTS 10

struct mmio_queue {
	uint16_t num;
	bool ready;
	uint64_t desc, driver, device; /* version 2: the three parts */
	uint32_t pfn;                  /* version 1: the page of the whole ring */
	struct virtq vq;
};

struct virtio_mmio {
	struct machine *machine;
	const struct virtio_device_ops *ops;
	void *dev;
	unsigned slot, irq;
	uint64_t base;
	bool legacy;

	pthread_mutex_t lock;
	uint64_t device_features, driver_features;
	uint32_t device_features_sel, driver_features_sel;
	uint32_t queue_sel;
	uint32_t guest_page_size, queue_align; /* legacy */
	uint8_t status;
	atomic_bool driver_ok;
	uint32_t interrupt_status;
	uint32_t config_generation;
	unsigned resets_needed; /* times the driver broke a rule */
	uint8_t config[VIRTIO_CONFIG_MAX];
	struct mmio_queue queues[VIRTIO_MMIO_MAX_QUEUES];

	/* What the control interface shows: counted without the lock. */
	atomic_uint_least64_t kicks, interrupts, bytes_read, bytes_written;

	int notify_fd; /* signalled by the hv on a QueueNotify write */
	int wake_fd;   /* signalled by us: DRIVER_OK, device input, stop */
	bool stopping;
	bool thread_running;
	pthread_t thread;
};

static void update_irq(struct virtio_mmio *t)
{
	hv_irq_set(t->machine->vm, t->irq, t->interrupt_status != 0);
}

static void raise_interrupt(struct virtio_mmio *t, uint32_t bits)
{
	atomic_fetch_add(&t->interrupts, 1);
	t->interrupt_status |= bits;
	update_irq(t);
}

void virtio_mmio_wake(struct virtio_mmio *t)
{
	uint64_t one = 1;
	ssize_t ignored = write(t->wake_fd, &one, sizeof(one));

	(void)ignored; /* a full counter already means "wake up" */
}

bool virtio_mmio_driver_ok(struct virtio_mmio *t)
{
	return atomic_load(&t->driver_ok);
}

uint8_t *virtio_mmio_config(struct virtio_mmio *t)
{
	return t->config;
}

void virtio_mmio_config_changed(struct virtio_mmio *t)
{
	t->config_generation++;
	if (t->status & VIRTIO_STATUS_DRIVER_OK)
		raise_interrupt(t, VIRTIO_MMIO_INT_CONFIG);
}

bool virtio_mmio_has_feature(const struct virtio_mmio *t, unsigned bit)
{
	return bit < 64 && (t->driver_features & t->device_features & (1ull << bit));
}

bool virtio_mmio_queue_ready(const struct virtio_mmio *t, unsigned n)
{
	return n < t->ops->num_queues && t->queues[n].ready && !t->queues[n].vq.broken;
}

/*
 * The driver broke a rule.  We stop serving the device, tell the driver
 * through DEVICE_NEEDS_RESET and a config interrupt (4.2.3.1: the device
 * sets the bit and notifies), and say so once on stderr (for the first
 * NEEDS_RESET_REPORTS times: a guest must not flood the log).
 */
void virtio_mmio_needs_reset(struct virtio_mmio *t, const char *why)
{
	if (t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	t->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	t->resets_needed++;
	if (t->resets_needed <= NEEDS_RESET_REPORTS)
		fprintf(stderr,
		        "kennel-engine: %s (virtio slot %u): %s; the device needs a reset%s\n",
		        t->ops->name, t->slot, why,
		        t->resets_needed == NEEDS_RESET_REPORTS ? " (further reports suppressed)"
		                                                : "");
	raise_interrupt(t, VIRTIO_MMIO_INT_CONFIG);
}

static void queue_broken(struct virtio_mmio *t, unsigned n)
{
	char why[200];

	snprintf(why, sizeof(why), "queue %u: %s", n, t->queues[n].vq.broken);
	virtio_mmio_needs_reset(t, why);
}

int virtio_mmio_pop(struct virtio_mmio *t, unsigned n, struct virtq_chain *chain)
{
	int ret;

	if (!virtio_mmio_queue_ready(t, n))
		return 0;
	ret = virtq_pop(&t->queues[n].vq, chain);
	if (ret < 0)
		queue_broken(t, n);
	return ret;
}

void virtio_mmio_push(struct virtio_mmio *t, unsigned n, uint16_t head, uint32_t written)
{
	if (n < t->ops->num_queues && virtq_push(&t->queues[n].vq, head, written) < 0)
		queue_broken(t, n);
}

void virtio_mmio_notify(struct virtio_mmio *t, unsigned n)
{
	if (n < t->ops->num_queues && virtq_should_interrupt(&t->queues[n].vq))
		raise_interrupt(t, VIRTIO_MMIO_INT_VRING);
}

bool virtio_mmio_arm(struct virtio_mmio *t, unsigned n)
{
	return virtio_mmio_queue_ready(t, n) && virtq_arm_notification(&t->queues[n].vq);
}

/* Device reset: everything the driver set goes back to power-on values. */
static void reset_device(struct virtio_mmio *t)
{
	t->status = 0;
	atomic_store(&t->driver_ok, false);
	t->driver_features = 0;
	t->device_features_sel = t->driver_features_sel = 0;
	t->queue_sel = 0;
	t->guest_page_size = 4096;
	t->queue_align = LEGACY_DEFAULT_ALIGN;
	memset(t->queues, 0, sizeof(t->queues));
	for (unsigned n = 0; n < VIRTIO_MMIO_MAX_QUEUES; n++)
		t->queues[n].num = VIRTQ_MAX_SIZE;
	t->interrupt_status = 0;
	update_irq(t);
	if (t->ops->reset)
		t->ops->reset(t, t->dev);
}

/* The queue the driver selected, or NULL if it selected one we do not have. */
static struct mmio_queue *selected_queue(struct virtio_mmio *t)
{
	return t->queue_sel < t->ops->num_queues ? &t->queues[t->queue_sel] : NULL;
}

/* Starts using a queue whose layout the driver has given. */
static void start_queue(struct virtio_mmio *t, struct mmio_queue *q,
                        const struct virtq_layout *layout)
{
	bool indirect = virtio_mmio_has_feature(t, VIRTIO_F_RING_INDIRECT_DESC);
	bool event_idx = virtio_mmio_has_feature(t, VIRTIO_F_RING_EVENT_IDX);

	q->ready = true;
	if (virtq_init(&q->vq, t->machine->vm, layout, indirect, event_idx) < 0)
		queue_broken(t, (unsigned)(q - t->queues));
}

/*
 * Legacy: the whole ring is one area at QueuePFN * GuestPageSize, laid out
 * as the descriptor table, the available ring, then the used ring at the
 * next QueueAlign boundary (2.7.2, Legacy Interfaces).
 */
static void start_legacy_queue(struct virtio_mmio *t, struct mmio_queue *q)
{
	uint64_t align = t->queue_align;
	struct virtq_layout layout = {.size = q->num};
	uint64_t avail_end;

	if (align == 0 || (align & (align - 1)) != 0 || t->guest_page_size == 0) {
		virtio_mmio_needs_reset(t, "QueueAlign or GuestPageSize is not a power of two");
		return;
	}
	layout.desc = (uint64_t)q->pfn * t->guest_page_size;
	layout.avail = layout.desc + (uint64_t)VIRTQ_DESC_SIZE * q->num;
	avail_end = layout.avail + 6 + 2ull * q->num;
	layout.used = (avail_end + align - 1) & ~(align - 1);
	start_queue(t, q, &layout);
}

static void write_queue_ready(struct virtio_mmio *t, struct mmio_queue *q, uint32_t value)
{
	struct virtq_layout layout = {q->num, q->desc, q->driver, q->device};

	if (!(value & 1)) {
		q->ready = false;
		return;
	}
	if (!q->ready)
		start_queue(t, q, &layout);
}

static void write_queue_pfn(struct virtio_mmio *t, struct mmio_queue *q, uint32_t value)
{
	q->pfn = value;
	q->ready = false;
	if (value != 0)
		start_legacy_queue(t, q);
}

/*
 * FEATURES_OK: we accept the driver's features only if we offered every
 * one of them and, for version 2, VERSION_1 is among them (6.1).
 */
static bool features_acceptable(const struct virtio_mmio *t)
{
	if (t->driver_features & ~t->device_features)
		return false;
	return t->legacy || (t->driver_features & (1ull << VIRTIO_F_VERSION_1));
}

static void write_status(struct virtio_mmio *t, uint32_t value)
{
	uint8_t old = t->status, status = (uint8_t)value;

	if (status == 0) {
		reset_device(t);
		return;
	}
	if ((status & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_acceptable(t))
		status &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	status |= old & VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	t->status = status;
	if ((status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
		atomic_store(&t->driver_ok, true);
		virtio_mmio_wake(t); /* kicks that came before DRIVER_OK */
	}
}

static void set_half(uint64_t *field, bool high, uint32_t value)
{
	if (high)
		*field = (*field & 0xffffffffull) | ((uint64_t)value << 32);
	else
		*field = (*field & ~0xffffffffull) | value;
}

static uint64_t read_config(struct virtio_mmio *t, uint64_t offset, unsigned size)
{
	uint64_t value = 0;

	if (offset >= t->ops->config_size || size > t->ops->config_size - offset)
		return 0;
	for (unsigned i = 0; i < size; i++)
		value |= (uint64_t)t->config[offset + i] << (8 * i);
	return value;
}

static uint64_t features_word(uint64_t features, uint32_t sel)
{
	return sel < 2 ? (uint32_t)(features >> (32 * sel)) : 0;
}

static uint64_t read_queue_register(struct virtio_mmio *t, uint64_t offset)
{
	struct mmio_queue *q = selected_queue(t);

	if (!q)
		return 0; /* QueueNumMax 0: no such queue */
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return VIRTQ_MAX_SIZE;
	case VIRTIO_MMIO_QUEUE_NUM: return q->num;
	case VIRTIO_MMIO_QUEUE_READY: return t->legacy ? 0 : q->ready;
	case VIRTIO_MMIO_QUEUE_PFN: return t->legacy ? q->pfn : 0;
	case VIRTIO_MMIO_QUEUE_DESC_LOW: return (uint32_t)q->desc;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: return (uint32_t)(q->desc >> 32);
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: return (uint32_t)q->driver;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: return (uint32_t)(q->driver >> 32);
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: return (uint32_t)q->device;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: return (uint32_t)(q->device >> 32);
	default: return 0;
	}
}

static uint64_t read_register(struct virtio_mmio *t, uint64_t offset)
{
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return t->legacy ? 1 : 2;
	case VIRTIO_MMIO_DEVICE_ID: return t->ops->device_id;
	case VIRTIO_MMIO_VENDOR: return VIRTIO_MMIO_VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return features_word(t->device_features, t->device_features_sel);
	case VIRTIO_MMIO_INTERRUPT_STATUS: return t->interrupt_status;
	case VIRTIO_MMIO_STATUS: return t->status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_generation;
	/* No shared memory regions: every one reads as length and base -1 (4.2.2). */
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH: return t->legacy ? 0 : 0xffffffffu;
	default: return read_queue_register(t, offset);
	}
}

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct virtio_mmio *t = opaque;
	uint64_t value;

	pthread_mutex_lock(&t->lock);
	if (offset >= VIRTIO_MMIO_CONFIG)
		value = read_config(t, offset - VIRTIO_MMIO_CONFIG, size);
	else if (size == 4)
		value = read_register(t, offset);
	else
		value = 0; /* registers are 32 bits wide (4.2.2.2) */
	pthread_mutex_unlock(&t->lock);
	return value;
}

/* Queue registers take effect only while the queue is not in use (4.2.2.3). */
static void write_queue_register(struct virtio_mmio *t, uint64_t offset, uint32_t value)
{
	struct mmio_queue *q = selected_queue(t);

	if (!q)
		return;
	if (offset == VIRTIO_MMIO_QUEUE_READY && !t->legacy) {
		write_queue_ready(t, q, value);
		return;
	}
	if (offset == VIRTIO_MMIO_QUEUE_PFN && t->legacy) {
		write_queue_pfn(t, q, value);
		return;
	}
	if (q->ready)
		return;
	switch (offset) {
	case VIRTIO_MMIO_QUEUE_NUM: q->num = (uint16_t)(value > 0xffff ? 0 : value); break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW: set_half(&q->desc, false, value); break;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: set_half(&q->desc, true, value); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: set_half(&q->driver, false, value); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: set_half(&q->driver, true, value); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: set_half(&q->device, false, value); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: set_half(&q->device, true, value); break;
	default: break;
	}
}

static void write_register(struct virtio_mmio *t, uint64_t offset, uint32_t value)
{
	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->device_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->driver_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->driver_features_sel < 2 && !(t->status & VIRTIO_STATUS_FEATURES_OK))
			set_half(&t->driver_features, t->driver_features_sel == 1, value);
		break;
	case VIRTIO_MMIO_GUEST_PAGE_SIZE:
		if (t->legacy)
			t->guest_page_size = value;
		break;
	case VIRTIO_MMIO_QUEUE_ALIGN:
		if (t->legacy)
			t->queue_align = value;
		break;
	case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = value; break;
	case VIRTIO_MMIO_QUEUE_NOTIFY: virtio_mmio_wake(t); break; /* no ioeventfd matched */
	case VIRTIO_MMIO_INTERRUPT_ACK:
		t->interrupt_status &= ~value;
		update_irq(t);
		break;
	case VIRTIO_MMIO_STATUS: write_status(t, value); break;
	default: write_queue_register(t, offset, value); break;
	}
}

static void mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct virtio_mmio *t = opaque;

	pthread_mutex_lock(&t->lock);
	if (offset >= VIRTIO_MMIO_CONFIG) {
		if (t->ops->config_write)
			t->ops->config_write(t, t->dev, offset - VIRTIO_MMIO_CONFIG, value, size);
	} else if (size == 4) {
		write_register(t, offset, (uint32_t)value);
	}
	pthread_mutex_unlock(&t->lock);
}

static const struct hv_mmio_ops virtio_mmio_ops = {
        .read = mmio_read,
        .write = mmio_write,
};

/* Empties an eventfd; returns how many times it was signalled. */
static uint64_t drain(int fd)
{
	uint64_t count = 0;

	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return 0;
	return count;
}

static bool serving(const struct virtio_mmio *t)
{
	return (t->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

/*
 * The backend thread, lguest's "one thread per device, woken by its
 * eventfd": wait for a kick, a wake-up or the device's own fd, then let the
 * device serve its queues.
 */
static void *backend_thread(void *opaque)
{
	struct virtio_mmio *t = opaque;

	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		struct pollfd fds[3] = {
		        {.fd = t->notify_fd, .events = POLLIN},
		        {.fd = t->wake_fd, .events = POLLIN},
		        {.fd = -1},
		};
		int timeout = -1;

		if (serving(t) && t->ops->prepare_wait)
			t->ops->prepare_wait(t, t->dev, &fds[2], &timeout);
		pthread_mutex_unlock(&t->lock);
		poll(fds, 3, timeout);
		if (fds[0].revents)
			atomic_fetch_add(&t->kicks, drain(t->notify_fd));
		if (fds[1].revents)
			drain(t->wake_fd);
		pthread_mutex_lock(&t->lock);
		if (!t->stopping && serving(t))
			t->ops->service(t, t->dev);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static int transport_fdt_node(struct machine *m, void *opaque, struct fdt_writer *w)
{
	struct virtio_mmio *t = opaque;

	machine_fdt_begin_device(m, w, "virtio_mmio", "virtio,mmio", t->base, VIRTIO_MMIO_SIZE,
	                         t->irq);
	fdtw_end_node(w);
	return 0;
}

static void transport_reset(void *opaque)
{
	struct virtio_mmio *t = opaque;

	pthread_mutex_lock(&t->lock);
	reset_device(t);
	pthread_mutex_unlock(&t->lock);
}

static void stop_thread(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_mutex_unlock(&t->lock);
	virtio_mmio_wake(t);
	pthread_join(t->thread, NULL);
	t->thread_running = false;
}

void virtio_mmio_stop(struct virtio_mmio *t)
{
	if (t && t->thread_running)
		stop_thread(t);
}

/* Frees the transport; the device too if own_dev. */
static void transport_free(struct virtio_mmio *t, bool own_dev)
{
	virtio_mmio_stop(t);
	if (own_dev && t->ops->destroy)
		t->ops->destroy(t->dev);
	if (t->notify_fd >= 0)
		close(t->notify_fd);
	if (t->wake_fd >= 0)
		close(t->wake_fd);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void transport_destroy(void *opaque)
{
	transport_free(opaque, true);
}

static const struct machine_device_ops transport_device_ops = {
        .name = "virtio-mmio",
        .fdt_node = transport_fdt_node,
        .reset = transport_reset,
        .destroy = transport_destroy,
};

static uint64_t offered_features(const struct virtio_device_ops *ops, bool legacy)
{
	uint64_t features = ops->features | (1ull << VIRTIO_F_RING_INDIRECT_DESC) |
	                    (1ull << VIRTIO_F_RING_EVENT_IDX);

	if (!legacy)
		features |= 1ull << VIRTIO_F_VERSION_1;
	return features;
}

static int check_device(unsigned slot, const struct virtio_device_ops *ops)
{
	if (slot >= HV_RISCV_VIRTIO_SLOTS || ops->num_queues == 0 ||
	    ops->num_queues > VIRTIO_MMIO_MAX_QUEUES || ops->config_size > VIRTIO_CONFIG_MAX ||
	    !ops->service)
		return -EINVAL;
	return 0;
}

void virtio_mmio_count_bytes(struct virtio_mmio *t, uint64_t read, uint64_t written)
{
	atomic_fetch_add(&t->bytes_read, read);
	atomic_fetch_add(&t->bytes_written, written);
}

void virtio_mmio_get_stats(struct virtio_mmio *t, struct virtio_mmio_stats *out)
{
	out->name = t->ops->name;
	out->slot = t->slot;
	out->kicks = atomic_load(&t->kicks);
	out->interrupts = atomic_load(&t->interrupts);
	out->bytes_read = atomic_load(&t->bytes_read);
	out->bytes_written = atomic_load(&t->bytes_written);
}

struct virtio_mmio *virtio_mmio_next(struct machine *m, struct virtio_mmio *prev)
{
	struct machine_device *d = m->devices;

	if (prev) {
		while (d && d->dev != prev)
			d = d->next;
		d = d ? d->next : NULL;
	}
	while (d && d->ops != &transport_device_ops)
		d = d->next;
	return d ? d->dev : NULL;
}

int virtio_mmio_create(struct machine *m, unsigned slot, bool legacy,
                       const struct virtio_device_ops *ops, void *dev, struct virtio_mmio **out)
{
	struct virtio_mmio *t;
	int err = check_device(slot, ops);

	if (err < 0)
		return err;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->machine = m;
	t->ops = ops;
	t->dev = dev;
	t->slot = slot;
	t->irq = HV_RISCV_IRQ_VIRTIO_FIRST + slot;
	t->base = VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SIZE;
	t->legacy = legacy;
	t->device_features = offered_features(ops, legacy);
	pthread_mutex_init(&t->lock, NULL);
	reset_device(t);
	t->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	t->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->notify_fd < 0 || t->wake_fd < 0) {
		err = -errno;
		goto free_transport;
	}
	err = hv_mmio_register(m->vm, t->base, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, t);
	if (err < 0)
		goto free_transport;
	err = hv_ioeventfd_register(m->vm, t->base + VIRTIO_MMIO_QUEUE_NOTIFY, 4, false, 0,
	                            t->notify_fd);
	if (err < 0)
		goto free_transport;
	err = -pthread_create(&t->thread, NULL, backend_thread, t);
	if (err < 0)
		goto free_transport;
	t->thread_running = true;
	err = machine_add_device(m, &transport_device_ops, t, t->base, VIRTIO_MMIO_SIZE, NULL);
	if (err < 0)
		goto free_transport;
	if (out)
		*out = t;
	return 0;

free_transport:
	transport_free(t, false);
	return err;
}
