/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine: what the engine (lguest's Launcher) builds around the hv.
 *
 * A machine owns three things.  The hv VM, which runs the harts and holds
 * guest RAM, the interrupt controller (PLIC) and the timers (CLINT).  A
 * list of platform devices, each of which traps its own registers with
 * hv_mmio_register() and knows how to describe itself in the device
 * tree.  And the device tree itself, rebuilt at every boot, which tells the
 * guest exactly what exists and where.
 *
 * Adding a device is two steps: write a file with a create function that
 * calls machine_add_device(), and give it a struct machine_device_ops whose
 * fdt_node() writes its node.  Nothing here needs to change.
 */
#ifndef KENNEL_ENGINE_MACHINE_H
#define KENNEL_ENGINE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/hv.h"

struct machine;
struct fdt_writer;

/* What a device tells the machine about itself. */
struct machine_device_ops {
	const char *name;
	/* Writes the device's node inside /soc (required). */
	int (*fdt_node)(struct machine *m, void *dev, struct fdt_writer *w);
	/* Writes extra nodes at the root, after /soc (optional). */
	int (*fdt_root_nodes)(struct machine *m, void *dev, struct fdt_writer *w);
	/* Puts the registers back to their power-on values (optional). */
	void (*reset)(void *dev);
	/* Frees the device; called after the vCPUs have stopped. */
	void (*destroy)(void *dev);
};

struct machine_device {
	const struct machine_device_ops *ops;
	void *dev;
	uint64_t base, size;
	struct machine_device *next;
};

/* What /chosen says: filled by the boot loader before the tree is built. */
struct machine_chosen {
	const char *bootargs;
	bool has_initrd;
	uint64_t initrd_start, initrd_end; /* [start, end) in guest-physical memory */
};

struct machine {
	struct hv_vm *vm;
	unsigned cpus;
	uint64_t ram_base, ram_size;

	struct machine_device *devices; /* in the order they were added */
	struct machine_device **devices_tail;

	/* The device tree path of the console UART, for /chosen/stdout-path. */
	char stdout_path[64];

	/* The device tree, as last built by machine_build_fdt(). */
	void *fdt;
	size_t fdt_size;

	/* Phandles handed out while building the tree (0 = none). */
	uint32_t next_phandle;
	uint32_t cpu_intc_phandle[HV_MAX_VCPUS];
	uint32_t plic_phandle;
};

/* Creates the hv VM described by config and an empty device list. */
int machine_create(const struct hv_vm_config *config, struct machine **out);
void machine_destroy(struct machine *m);

/*
 * Adds a device: traps [base, base + size) with mmio (if not NULL) and
 * appends it to the device list.  On failure the device is not added and
 * the caller still owns it.
 */
int machine_add_device(struct machine *m, const struct machine_device_ops *ops, void *dev,
                       uint64_t base, uint64_t size, const struct hv_mmio_ops *mmio);

/* Resets every device, in order (used when the guest reboots). */
void machine_reset_devices(struct machine *m);

/* A fresh phandle for a node being written. */
uint32_t machine_alloc_phandle(struct machine *m);

/*
 * Begin the node of a device on the PLIC: name@base with its compatible
 * string, its register window and its interrupt line.  The caller adds
 * any properties of its own, then ends the node.
 */
void machine_fdt_begin_device(struct machine *m, struct fdt_writer *w, const char *name,
                              const char *compatible, uint64_t base, uint64_t size, unsigned irq);

/*
 * Builds the device tree for the machine as it is now, with /chosen from
 * chosen, into m->fdt (packed; m->fdt_size bytes).  See devtree.c.
 */
int machine_build_fdt(struct machine *m, const struct machine_chosen *chosen);

#endif
