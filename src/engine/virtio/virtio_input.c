// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-input: a keyboard, a tablet and a power button (see virtio_input.h).
 *
 * The driver learns what a device is by writing `select` and `subsel` in
 * config space and reading back `size` and the answer (virtio 1.2, 5.8.4):
 * its name, its IDs, and for select EV_BITS a bitmap of the codes of one
 * event type.  That is all that tells the three kinds apart; the queues
 * work the same for all of them.
 *
 * The journey of a key press: the VNC thread gets a key event, looks the
 * keysym up in the keymap, and calls virtio_input_send() with EV_KEY and
 * EV_SYN records.  They wait in a small ring here, and the backend thread
 * is woken; it copies each record into one of the empty 8-byte buffers
 * the guest's driver keeps posted on the event queue, and interrupts the
 * guest, whose evdev layer hands the key to the console or to whoever
 * reads /dev/input/eventN.  The power button's one key takes the same
 * road: Shutdown on the control interface calls virtio_input_press() with
 * KEY_POWER, and the demo guest's acpid, reading the button's eventN,
 * powers off.
 */
#include "virtio_input.h"

#include <endian.h>
#include <errno.h>
#include <linux/input.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_mmio.h"

enum { EVENTQ = 0, STATUSQ = 1 };

/* struct virtio_input_config: select, subsel, size, reserved[5], then a 128-byte union. */
#define CONFIG_SELECT 0
#define CONFIG_SUBSEL 1
#define CONFIG_SIZE   2
#define CONFIG_DATA   8
#define CONFIG_BYTES  (CONFIG_DATA + 128)

struct virtio_input {
	enum virtio_input_kind kind;
	struct virtio_mmio *t; /* set once by virtio_input_create() */

	/* Events from the VNC thread (or a press from Shutdown), waiting for buffers. */
	pthread_mutex_t lock;
	struct virtio_input_event pending[VIRTIO_INPUT_PENDING];
	unsigned head, count;
	atomic_uint_least64_t delivered;

	struct virtq_chain chain;
};

static void set_bit(uint8_t *bitmap, unsigned bit)
{
	bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* Who each kind is (select ID_NAME, ID_SERIAL, ID_DEVIDS). */
static const struct {
	const char *name, *serial;
	uint16_t vendor, product;
} ids[] = {
        [VIRTIO_INPUT_KEYBOARD] = {"Kennel virtio keyboard", "kennel-keyboard-0", 0x4b4e, 1},
        [VIRTIO_INPUT_TABLET] = {"Kennel virtio tablet", "kennel-tablet-0", 0x4b4e, 2},
        /* The IDs it had as a device of its own: vendor 'K', serial "0". */
        [VIRTIO_INPUT_POWER_BUTTON] = {"Kennel Power Button", "0", 0x004b, 1},
};

/* The codes of event type `type` that a kind sends (select EV_BITS): a bitmap and its length. */
static uint8_t ev_bits(enum virtio_input_kind kind, uint8_t type, uint8_t data[128])
{
	switch (kind) {
	case VIRTIO_INPUT_KEYBOARD:
		if (type == EV_KEY) {
			/* Every key code below the buttons (KEY_ESC .. 0xff). */
			memset(data, 0xff, 32);
			data[0] &= 0xfe; /* KEY_RESERVED */
			return 32;
		}
		if (type == EV_LED) {
			set_bit(data, LED_NUML);
			set_bit(data, LED_CAPSL);
			set_bit(data, LED_SCROLLL);
			return 1;
		}
		return 0;
	case VIRTIO_INPUT_TABLET:
		if (type == EV_KEY) {
			set_bit(data, BTN_LEFT);
			set_bit(data, BTN_RIGHT);
			set_bit(data, BTN_MIDDLE);
			return BTN_MIDDLE / 8 + 1;
		}
		if (type == EV_ABS) {
			set_bit(data, ABS_X);
			set_bit(data, ABS_Y);
			return 1;
		}
		if (type == EV_REL) {
			set_bit(data, REL_WHEEL);
			return REL_WHEEL / 8 + 1;
		}
		return 0;
	case VIRTIO_INPUT_POWER_BUTTON:
		if (type == EV_KEY) { /* and no LEDs */
			set_bit(data, KEY_POWER);
			return KEY_POWER / 8 + 1;
		}
		return 0;
	}
	return 0;
}

/* The answer for one (select, subsel) question: its bytes and their count. */
static uint8_t answer(const struct virtio_input *in, uint8_t select, uint8_t subsel,
                      uint8_t data[128])
{
	const char *text;
	uint8_t size;

	memset(data, 0, 128);
	switch (select) {
	case VIRTIO_INPUT_CFG_ID_NAME:
	case VIRTIO_INPUT_CFG_ID_SERIAL:
		text = select == VIRTIO_INPUT_CFG_ID_NAME ? ids[in->kind].name
		                                          : ids[in->kind].serial;
		size = (uint8_t)strlen(text);
		memcpy(data, text, size);
		return size;
	case VIRTIO_INPUT_CFG_ID_DEVIDS: {
		/* bustype, vendor, product, version */
		uint16_t devids[4] = {htole16(BUS_VIRTUAL), htole16(ids[in->kind].vendor),
		                      htole16(ids[in->kind].product), htole16(1)};

		memcpy(data, devids, sizeof(devids));
		return sizeof(devids);
	}
	case VIRTIO_INPUT_CFG_EV_BITS: return ev_bits(in->kind, subsel, data);
	case VIRTIO_INPUT_CFG_ABS_INFO:
		if (in->kind == VIRTIO_INPUT_TABLET && (subsel == ABS_X || subsel == ABS_Y)) {
			uint32_t info[5] = {0, htole32(VIRTIO_INPUT_ABS_MAX), 0, 0, 0};

			memcpy(data, info, sizeof(info));
			return sizeof(info);
		}
		return 0;
	default: /* UNSET, PROP_BITS (none), anything else */ return 0;
	}
}

static void update_config(struct virtio_input *in, uint8_t *config)
{
	config[CONFIG_SIZE] =
	        answer(in, config[CONFIG_SELECT], config[CONFIG_SUBSEL], config + CONFIG_DATA);
}

/* The driver writes select and subsel; everything else is read-only. */
static void input_config_write(struct virtio_mmio *t, void *dev, uint64_t offset, uint64_t value,
                               unsigned size)
{
	struct virtio_input *in = dev;
	uint8_t *config = virtio_mmio_config(t);

	for (unsigned i = 0; i < size; i++, offset++, value >>= 8)
		if (offset == CONFIG_SELECT || offset == CONFIG_SUBSEL)
			config[offset] = (uint8_t)value;
	update_config(in, config);
}

/* Moves waiting events into the guest's buffers; interrupts it once. */
static void deliver(struct virtio_mmio *t, struct virtio_input *in)
{
	int ret = 1;

	pthread_mutex_lock(&in->lock);
	while (in->count > 0 && (ret = virtio_mmio_pop(t, EVENTQ, &in->chain)) > 0) {
		const struct virtio_input_event *ev = &in->pending[in->head];
		uint8_t raw[8];
		uint16_t type = htole16(ev->type), code = htole16(ev->code);
		uint32_t value = htole32((uint32_t)ev->value);

		memcpy(raw, &type, 2);
		memcpy(raw + 2, &code, 2);
		memcpy(raw + 4, &value, 4);
		virtio_mmio_push(t, EVENTQ, in->chain.head,
		                 (uint32_t)virtq_chain_write(&in->chain, raw, sizeof(raw)));
		in->head = (in->head + 1) % VIRTIO_INPUT_PENDING;
		in->count--;
		atomic_fetch_add(&in->delivered, 1);
	}
	pthread_mutex_unlock(&in->lock);
	if (ret >= 0)
		virtio_mmio_notify(t, EVENTQ);
}

/* The status queue: LED changes and the like; taken and given back unread. */
static void drain_status(struct virtio_mmio *t, struct virtio_input *in)
{
	int ret;

	do {
		while ((ret = virtio_mmio_pop(t, STATUSQ, &in->chain)) > 0)
			virtio_mmio_push(t, STATUSQ, in->chain.head, 0);
		if (ret < 0)
			return;
		virtio_mmio_notify(t, STATUSQ);
	} while (virtio_mmio_arm(t, STATUSQ));
}

static void input_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_input *in = dev;

	do
		deliver(t, in);
	while (virtio_mmio_arm(t, EVENTQ) && in->count > 0);
	drain_status(t, in);
}

static void input_reset(struct virtio_mmio *t, void *dev)
{
	struct virtio_input *in = dev;
	uint8_t *config = virtio_mmio_config(t);

	memset(config, 0, CONFIG_BYTES);
	pthread_mutex_lock(&in->lock);
	in->head = in->count = 0;
	pthread_mutex_unlock(&in->lock);
}

static void input_destroy(void *dev)
{
	struct virtio_input *in = dev;

	pthread_mutex_destroy(&in->lock);
	free(in);
}

int virtio_input_send(struct virtio_input *in, const struct virtio_input_event *ev, unsigned n)
{
	int err = 0;

	if (!in->t || !virtio_mmio_driver_ok(in->t))
		return -ENODEV;
	pthread_mutex_lock(&in->lock);
	if (n > VIRTIO_INPUT_PENDING - in->count) {
		err = -ENOSPC;
	} else {
		for (unsigned i = 0; i < n; i++)
			in->pending[(in->head + in->count + i) % VIRTIO_INPUT_PENDING] = ev[i];
		in->count += n;
	}
	pthread_mutex_unlock(&in->lock);
	if (err == 0)
		virtio_mmio_wake(in->t);
	return err;
}

int virtio_input_press(struct virtio_input *in, uint16_t code)
{
	const struct virtio_input_event press[] = {
	        {EV_KEY, code, 1},
	        {EV_SYN, SYN_REPORT, 0},
	        {EV_KEY, code, 0},
	        {EV_SYN, SYN_REPORT, 0},
	};

	return virtio_input_send(in, press, 4);
}

uint64_t virtio_input_delivered(struct virtio_input *in)
{
	return atomic_load(&in->delivered);
}

/* The kinds differ in their config space answers only; the name is for log lines and statistics. */
#define INPUT_OPS(device_name)                                                      \
	{                                                                           \
		.name = device_name, .device_id = VIRTIO_ID_INPUT, .num_queues = 2, \
		.config_size = CONFIG_BYTES, .service = input_service,              \
		.config_write = input_config_write, .reset = input_reset,           \
		.destroy = input_destroy,                                           \
	}

static const struct virtio_device_ops input_ops[] = {
        [VIRTIO_INPUT_KEYBOARD] = INPUT_OPS("virtio-input-keyboard"),
        [VIRTIO_INPUT_TABLET] = INPUT_OPS("virtio-input-tablet"),
        [VIRTIO_INPUT_POWER_BUTTON] = INPUT_OPS("virtio-input-power"),
};

int virtio_input_create(struct machine *m, unsigned slot, bool legacy, enum virtio_input_kind kind,
                        struct virtio_input **out)
{
	struct virtio_input *in;
	int err;

	if ((unsigned)kind >= sizeof(input_ops) / sizeof(input_ops[0]))
		return -EINVAL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->kind = kind;
	pthread_mutex_init(&in->lock, NULL);
	err = virtio_mmio_create(m, slot, legacy, &input_ops[kind], in, &in->t);
	if (err < 0) {
		input_destroy(in);
		return err;
	}
	if (out)
		*out = in;
	return 0;
}
