/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-input (device ID 18): a keyboard, an absolute-pointer tablet and
 * the machine's power button.
 *
 * A virtio-input device is an evdev device on a wire.  Its config space
 * answers questions (name, ids, which event types and codes it sends, the
 * range of each absolute axis); its event queue carries struct
 * input_event-like records (type, code, value) into buffers the driver
 * posts, in groups ended by EV_SYN/SYN_REPORT; its status queue brings
 * back what the guest sets, such as keyboard LEDs, which we drain and
 * ignore.  One device, three kinds: the keyboard (slot 4) and the tablet
 * (slot 5), fed by the VNC server, and the power button (slot 6).
 *
 * The power button has one key, KEY_POWER.  A riscv64 "virt" machine has
 * no ACPI, so there is no ACPI power button to ask the guest to shut down
 * with.  A key is what Linux distributions already listen to:
 * systemd-logind (or BusyBox acpid in the demo guest) powers off when
 * KEY_POWER is pressed on any input device.  Shutdown on the control
 * interface presses it; what the guest does then is its own business, and
 * a guest that ignores it gets stopped after a timeout.
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_INPUT_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_INPUT_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct virtio_input;

#define VIRTIO_ID_INPUT 18

enum virtio_input_kind {
	VIRTIO_INPUT_KEYBOARD,
	VIRTIO_INPUT_TABLET,
	VIRTIO_INPUT_POWER_BUTTON, /* KEY_POWER alone, named "Kennel Power Button" */
};

/* The tablet's axes run from 0 to this, left to right and top to bottom. */
#define VIRTIO_INPUT_ABS_MAX 32767
/* Events waiting for the guest's buffers; more are dropped. */
#define VIRTIO_INPUT_PENDING 4096

/* Config space selectors (virtio 1.2, 5.8.5). */
enum {
	VIRTIO_INPUT_CFG_UNSET = 0x00,
	VIRTIO_INPUT_CFG_ID_NAME = 0x01,
	VIRTIO_INPUT_CFG_ID_SERIAL = 0x02,
	VIRTIO_INPUT_CFG_ID_DEVIDS = 0x03,
	VIRTIO_INPUT_CFG_PROP_BITS = 0x10,
	VIRTIO_INPUT_CFG_EV_BITS = 0x11,
	VIRTIO_INPUT_CFG_ABS_INFO = 0x12,
};

struct virtio_input_event {
	uint16_t type, code;
	int32_t value;
};

int virtio_input_create(struct machine *m, unsigned slot, bool legacy, enum virtio_input_kind kind,
                        struct virtio_input **out);

/*
 * Queues events for the guest (any thread); the caller ends each group
 * with EV_SYN/SYN_REPORT.  Returns 0, -ENODEV while the guest's driver is
 * not running (the events are dropped: a key pressed before boot means
 * nothing), or -ENOSPC when too many are waiting (dropped too).
 */
int virtio_input_send(struct virtio_input *in, const struct virtio_input_event *ev, unsigned n);

/*
 * Presses and releases one key (any thread): key down, sync, key up, sync.
 * Returns what virtio_input_send() returns; -ENODEV means that nobody
 * heard it.
 */
int virtio_input_press(struct virtio_input *in, uint16_t code);

/* Events the guest has taken so far (for tests and statistics). */
uint64_t virtio_input_delivered(struct virtio_input *in);

#endif
