/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine's power button: a virtio-input device (device ID 18) with
 * one key, KEY_POWER.
 *
 * A riscv64 "virt" machine has no ACPI, so there is no ACPI power button
 * to ask the guest to shut down with.  A key is what Linux distributions
 * already listen to: systemd-logind (or BusyBox acpid in the demo guest)
 * powers off when KEY_POWER is pressed on any input device.  Shutdown on
 * the control interface presses it; what the guest does then is its own
 * business, and a guest that ignores it gets stopped after a timeout.
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_POWER_BUTTON_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_POWER_BUTTON_H

#include <stdbool.h>

struct machine;
struct virtio_power_button;

#define VIRTIO_ID_INPUT 18

int virtio_power_button_create(struct machine *m, unsigned slot, bool legacy,
                               struct virtio_power_button **out);

/*
 * Presses and releases the button (any thread).  -EAGAIN if the guest's
 * driver is not running yet: nobody would hear it.
 */
int virtio_power_button_press(struct virtio_power_button *pb);

#endif
