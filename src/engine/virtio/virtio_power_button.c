// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-input with one key: the power button (see virtio_power_button.h).
 *
 * The driver learns what the device is by writing `select` and `subsel`
 * in config space and reading back `size` and the union `u` (virtio 1.2,
 * 5.8.4): its name, its IDs, and for select EV_BITS / subsel EV_KEY a
 * bitmap of its keys, which here holds KEY_POWER alone.  Events travel in
 * the eventq: the driver posts 8-byte buffers and we fill each with one
 * struct virtio_input_event.  A press is four of them: key down, sync,
 * key up, sync.  The statusq carries LED states back to us; a power button
 * has no LEDs, so we return those buffers untouched.
 */
#include "virtio_power_button.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_mmio.h"

enum { EVENTQ = 0, STATUSQ = 1 };

/* Config space (5.8.4). */
#define CONFIG_SELECT 0
#define CONFIG_SUBSEL 1
#define CONFIG_SIZE_B 2
#define CONFIG_U      8
#define CONFIG_U_MAX  128
#define CONFIG_SIZE   (CONFIG_U + CONFIG_U_MAX)

enum {
	CFG_UNSET = 0x00,
	CFG_ID_NAME = 0x01,
	CFG_ID_SERIAL = 0x02,
	CFG_ID_DEVIDS = 0x03,
	CFG_PROP_BITS = 0x10,
	CFG_EV_BITS = 0x11,
	CFG_ABS_INFO = 0x12,
};

/* From Linux's input-event-codes.h (the evdev ABI). */
#define EV_SYN      0x00
#define EV_KEY      0x01
#define SYN_REPORT  0
#define KEY_POWER   116
#define BUS_VIRTUAL 0x06

#define NAME        "Kennel Power Button"
#define MAX_QUEUE   32 /* events not yet delivered: eight presses */

struct input_event_le {
	uint16_t type, code;
	uint32_t value;
};

struct virtio_power_button {
	struct virtio_mmio *transport;
	pthread_mutex_t lock; /* the pending events: pressed from any thread */
	struct input_event_le pending[MAX_QUEUE];
	unsigned npending;
	struct virtq_chain chain;
};

/* Fills `size` and `u` for what the driver selected. */
static void select_config(uint8_t *config)
{
	uint8_t *u = config + CONFIG_U;
	uint8_t size = 0;

	memset(u, 0, CONFIG_U_MAX);
	switch (config[CONFIG_SELECT]) {
	case CFG_ID_NAME:
		size = sizeof(NAME) - 1;
		memcpy(u, NAME, size);
		break;
	case CFG_ID_SERIAL:
		size = 1;
		u[0] = '0';
		break;
	case CFG_ID_DEVIDS: /* bustype, vendor, product, version: little-endian u16s */
		u[0] = BUS_VIRTUAL;
		u[2] = 0x4b; /* 'K' */
		u[4] = 0x01;
		u[6] = 0x01;
		size = 8;
		break;
	case CFG_EV_BITS:
		if (config[CONFIG_SUBSEL] == EV_KEY) {
			u[KEY_POWER / 8] = 1u << (KEY_POWER % 8);
			size = KEY_POWER / 8 + 1;
		}
		break;
	default: break; /* no properties, no other event types, no axes */
	}
	config[CONFIG_SIZE_B] = size;
}

static void power_button_config_write(struct virtio_mmio *t, void *dev, uint64_t offset,
                                      uint64_t value, unsigned size)
{
	uint8_t *config = virtio_mmio_config(t);

	if (size != 1 || (offset != CONFIG_SELECT && offset != CONFIG_SUBSEL))
		return; /* everything else is read-only */
	config[offset] = (uint8_t)value;
	select_config(config);
}

/* Pending events into the driver's buffers, one event per buffer. */
static int deliver(struct virtio_mmio *t, struct virtio_power_button *pb)
{
	unsigned done = 0;
	int ret = 0;

	pthread_mutex_lock(&pb->lock);
	while (done < pb->npending && (ret = virtio_mmio_pop(t, EVENTQ, &pb->chain)) > 0) {
		size_t n =
		        virtq_chain_write(&pb->chain, &pb->pending[done], sizeof(pb->pending[0]));

		virtio_mmio_push(t, EVENTQ, pb->chain.head, (uint32_t)n);
		done++;
	}
	memmove(pb->pending, pb->pending + done, (pb->npending - done) * sizeof(pb->pending[0]));
	pb->npending -= done;
	pthread_mutex_unlock(&pb->lock);
	if (done)
		virtio_mmio_notify(t, EVENTQ);
	return ret;
}

/* LED updates: nothing to light. */
static int drain_statusq(struct virtio_mmio *t, struct virtio_power_button *pb)
{
	int ret;

	while ((ret = virtio_mmio_pop(t, STATUSQ, &pb->chain)) > 0)
		virtio_mmio_push(t, STATUSQ, pb->chain.head, 0);
	virtio_mmio_notify(t, STATUSQ);
	return ret;
}

static void power_button_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_power_button *pb = dev;

	do {
		if (drain_statusq(t, pb) < 0 || deliver(t, pb) < 0)
			return;
	} while (virtio_mmio_arm(t, STATUSQ));
	virtio_mmio_arm(t, EVENTQ); /* new event buffers matter only when a press waits */
}

static void power_button_reset(struct virtio_mmio *t, void *dev)
{
	struct virtio_power_button *pb = dev;
	uint8_t *config = virtio_mmio_config(t);

	pthread_mutex_lock(&pb->lock);
	pb->npending = 0; /* a press before a reboot is not for the next boot */
	pthread_mutex_unlock(&pb->lock);
	config[CONFIG_SELECT] = CFG_UNSET;
	config[CONFIG_SUBSEL] = 0;
	select_config(config);
}

static void power_button_destroy(void *dev)
{
	struct virtio_power_button *pb = dev;

	pthread_mutex_destroy(&pb->lock);
	free(pb);
}

static const struct virtio_device_ops power_button_ops = {
        .name = "virtio-input-power",
        .device_id = VIRTIO_ID_INPUT,
        .num_queues = 2,
        .config_size = CONFIG_SIZE,
        .service = power_button_service,
        .config_write = power_button_config_write,
        .reset = power_button_reset,
        .destroy = power_button_destroy,
};

static void queue_event(struct virtio_power_button *pb, uint16_t type, uint16_t code,
                        uint32_t value)
{
	/* virtio-input events are little-endian, as is every host Kennel runs on */
	pb->pending[pb->npending++] = (struct input_event_le){type, code, value};
}

int virtio_power_button_press(struct virtio_power_button *pb)
{
	if (!virtio_mmio_driver_ok(pb->transport))
		return -EAGAIN;
	pthread_mutex_lock(&pb->lock);
	if (pb->npending + 4 > MAX_QUEUE) {
		pthread_mutex_unlock(&pb->lock);
		return -EBUSY;
	}
	queue_event(pb, EV_KEY, KEY_POWER, 1);
	queue_event(pb, EV_SYN, SYN_REPORT, 0);
	queue_event(pb, EV_KEY, KEY_POWER, 0);
	queue_event(pb, EV_SYN, SYN_REPORT, 0);
	pthread_mutex_unlock(&pb->lock);
	virtio_mmio_wake(pb->transport);
	return 0;
}

int virtio_power_button_create(struct machine *m, unsigned slot, bool legacy,
                               struct virtio_power_button **out)
{
	struct virtio_power_button *pb = calloc(1, sizeof(*pb));
	int err;

	if (!pb)
		return -ENOMEM;
	pthread_mutex_init(&pb->lock, NULL);
	err = virtio_mmio_create(m, slot, legacy, &power_button_ops, pb, &pb->transport);
	if (err < 0) {
		power_button_destroy(pb);
		return err;
	}
	if (out)
		*out = pb;
	return 0;
}
