// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine: the hv VM plus the engine's list of platform devices.
 * See machine.h for the shape, devtree.c for how it is described.
 */
#include "machine.h"

#include "fdt_writer.h"

#include <errno.h>
#include <stdlib.h>

int machine_create(const struct hv_vm_config *config, struct machine **out)
{
	struct machine *m;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	err = hv_vm_create(config, &m->vm);
	if (err < 0)
		goto free_machine;

	m->cpus = config->vcpus;
	m->ram_base = hv_ram_base(m->vm);
	m->ram_size = hv_ram_size(m->vm);
	m->devices_tail = &m->devices;
	*out = m;
	return 0;

free_machine:
	free(m);
	return err;
}

/*
 * The vCPUs must not be running (never started, or hv_vm_wait() returned):
 * a device's registers are touched from vCPU threads.  Devices go first,
 * because a device may have a thread of its own that raises its line, and
 * that thread must be gone before the VM is.
 */
void machine_destroy(struct machine *m)
{
	struct machine_device *d, *next;

	if (!m)
		return;
	for (d = m->devices; d; d = next) {
		next = d->next;
		if (d->ops->destroy)
			d->ops->destroy(d->dev);
		free(d);
	}
	hv_vm_destroy(m->vm);
	free(m->fdt);
	free(m);
}

int machine_add_device(struct machine *m, const struct machine_device_ops *ops, void *dev,
                       uint64_t base, uint64_t size, const struct hv_mmio_ops *mmio)
{
	struct machine_device *d;
	int err;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	if (mmio) {
		err = hv_mmio_register(m->vm, base, size, mmio, dev);
		if (err < 0) {
			free(d);
			return err;
		}
	}
	d->ops = ops;
	d->dev = dev;
	d->base = base;
	d->size = size;
	*m->devices_tail = d;
	m->devices_tail = &d->next;
	return 0;
}

void machine_reset_devices(struct machine *m)
{
	for (struct machine_device *d = m->devices; d; d = d->next)
		if (d->ops->reset)
			d->ops->reset(d->dev);
}

uint32_t machine_alloc_phandle(struct machine *m)
{
	return ++m->next_phandle;
}

void machine_fdt_begin_device(struct machine *m, struct fdt_writer *w, const char *name,
                              const char *compatible, uint64_t base, uint64_t size, unsigned irq)
{
	fdtw_begin_node_at(w, name, base);
	fdtw_string(w, "compatible", compatible);
	fdtw_reg(w, base, size);
	fdtw_u32(w, "interrupt-parent", m->plic_phandle);
	fdtw_u32(w, "interrupts", irq);
}
