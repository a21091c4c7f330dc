// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device tree: how the guest learns what machine it runs on.
 *
 * A RISC-V kernel has no BIOS to ask and no bus to probe for its basic
 * hardware.  Instead, when it starts, register a1 holds the address of a
 * flattened device tree (a "DTB"): a small binary document that lists the
 * harts, the RAM, the interrupt controllers and every device, with their
 * addresses and interrupt lines.  We write that document here, fresh at
 * every boot, describing exactly what exists and nothing else.
 *
 * Nodes refer to each other by "phandle", a number we hand out: a device
 * says its interrupts go to the PLIC by naming the PLIC's phandle, and the
 * PLIC says which hart inputs it drives by naming each hart's local
 * interrupt controller.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "fdt_writer.h"
#include "machine.h"

/* Local interrupt numbers of a hart (the mip/mie bits, RISC-V privileged spec). */
enum {
	IRQ_S_SOFT = 1,
	IRQ_M_SOFT = 3,
	IRQ_S_TIMER = 5,
	IRQ_M_TIMER = 7,
	IRQ_S_EXT = 9,
	IRQ_M_EXT = 11,
};

/*
 * One cpu@N node per hart.  Inside each sits the hart's own interrupt
 * controller (its mip/mie bits): the CLINT and PLIC below deliver to it.
 */
static void write_cpus(struct machine *m, struct fdt_writer *w)
{
	const char *isa = hv_vcpu_isa_string(m->vm);
	const char *mmu = hv_vcpu_mmu_type(m->vm);

	fdtw_begin_node(w, "cpus");
	fdtw_u32(w, "#address-cells", 1);
	fdtw_u32(w, "#size-cells", 0);
	fdtw_u32(w, "timebase-frequency", (uint32_t)HV_RISCV_TIMEBASE_HZ);
	for (unsigned hart = 0; hart < m->cpus; hart++) {
		fdtw_begin_node_at(w, "cpu", hart);
		fdtw_string(w, "device_type", "cpu");
		fdtw_u32(w, "reg", hart);
		fdtw_string(w, "compatible", "riscv");
		fdtw_string(w, "riscv,isa", isa);
		fdtw_string(w, "mmu-type", mmu);
		fdtw_string(w, "status", "okay");

		fdtw_begin_node(w, "interrupt-controller");
		fdtw_string(w, "compatible", "riscv,cpu-intc");
		fdtw_u32(w, "#interrupt-cells", 1);
		fdtw_u32(w, "#address-cells", 0);
		fdtw_empty(w, "interrupt-controller");
		fdtw_u32(w, "phandle", m->cpu_intc_phandle[hart]);
		fdtw_end_node(w);

		fdtw_end_node(w);
	}
	fdtw_end_node(w);
}

static void write_memory(struct machine *m, struct fdt_writer *w)
{
	fdtw_begin_node_at(w, "memory", m->ram_base);
	fdtw_string(w, "device_type", "memory");
	fdtw_reg(w, m->ram_base, m->ram_size);
	fdtw_end_node(w);
}

/*
 * interrupts-extended lists, for every hart in turn, <phandle cause> pairs:
 * which of the hart's local interrupts the controller drives.
 */
static void write_per_hart_interrupts(struct machine *m, struct fdt_writer *w, unsigned first,
                                      unsigned second)
{
	uint32_t cells[HV_MAX_VCPUS * 4];
	size_t n = 0;

	for (unsigned hart = 0; hart < m->cpus; hart++) {
		cells[n++] = m->cpu_intc_phandle[hart];
		cells[n++] = first;
		cells[n++] = m->cpu_intc_phandle[hart];
		cells[n++] = second;
	}
	fdtw_cells(w, "interrupts-extended", cells, n);
}

/* The CLINT: per-hart software interrupts (msip) and timers (mtimecmp). */
static void write_clint(struct machine *m, struct fdt_writer *w)
{
	static const char *const compatible[] = {"sifive,clint0", "riscv,clint0", NULL};

	fdtw_begin_node_at(w, "clint", HV_RISCV_CLINT_BASE);
	fdtw_strings(w, "compatible", compatible);
	fdtw_reg(w, HV_RISCV_CLINT_BASE, HV_RISCV_CLINT_SIZE);
	write_per_hart_interrupts(m, w, IRQ_M_SOFT, IRQ_M_TIMER);
	fdtw_end_node(w);
}

/*
 * The PLIC gathers the devices' interrupt lines.  Its context 2h feeds
 * hart h's M-mode external interrupt, context 2h + 1 its S-mode one, and
 * that order is what the interrupts-extended list below spells out.
 */
static void write_plic(struct machine *m, struct fdt_writer *w)
{
	static const char *const compatible[] = {"sifive,plic-1.0.0", "riscv,plic0", NULL};

	fdtw_begin_node_at(w, "plic", HV_RISCV_PLIC_BASE);
	fdtw_strings(w, "compatible", compatible);
	fdtw_reg(w, HV_RISCV_PLIC_BASE, HV_RISCV_PLIC_SIZE);
	fdtw_u32(w, "riscv,ndev", HV_RISCV_PLIC_NDEV);
	fdtw_u32(w, "#interrupt-cells", 1);
	fdtw_u32(w, "#address-cells", 0);
	fdtw_empty(w, "interrupt-controller");
	write_per_hart_interrupts(m, w, IRQ_M_EXT, IRQ_S_EXT);
	fdtw_u32(w, "phandle", m->plic_phandle);
	fdtw_end_node(w);
}

/* Everything with registers hangs off /soc, a bus with no translation. */
static int write_soc(struct machine *m, struct fdt_writer *w)
{
	fdtw_begin_node(w, "soc");
	fdtw_u32(w, "#address-cells", 2);
	fdtw_u32(w, "#size-cells", 2);
	fdtw_string(w, "compatible", "simple-bus");
	fdtw_empty(w, "ranges");
	write_clint(m, w);
	write_plic(m, w);
	for (struct machine_device *d = m->devices; d && w->err == 0; d = d->next) {
		int err = d->ops->fdt_node(m, d->dev, w);

		if (err < 0)
			return err;
	}
	fdtw_end_node(w);
	return 0;
}

static int write_root_nodes(struct machine *m, struct fdt_writer *w)
{
	for (struct machine_device *d = m->devices; d && w->err == 0; d = d->next) {
		if (d->ops->fdt_root_nodes) {
			int err = d->ops->fdt_root_nodes(m, d->dev, w);

			if (err < 0)
				return err;
		}
	}
	return 0;
}

/*
 * /chosen is the boot loader's note to the kernel: its command line, where
 * the console is, where we put the initrd, and some entropy to seed its
 * random number generator before any device can.
 */
static void write_chosen(struct machine *m, struct fdt_writer *w,
                         const struct machine_chosen *chosen)
{
	uint8_t seed[64];

	fdtw_begin_node(w, "chosen");
	if (chosen->bootargs)
		fdtw_string(w, "bootargs", chosen->bootargs);
	if (m->stdout_path[0])
		fdtw_string(w, "stdout-path", m->stdout_path);
	if (chosen->has_initrd) {
		fdtw_u64(w, "linux,initrd-start", chosen->initrd_start);
		fdtw_u64(w, "linux,initrd-end", chosen->initrd_end);
	}
	if (getrandom(seed, sizeof(seed), 0) == (ssize_t)sizeof(seed))
		fdtw_bytes(w, "rng-seed", seed, sizeof(seed));
	fdtw_end_node(w);

	if (m->stdout_path[0]) {
		fdtw_begin_node(w, "aliases");
		fdtw_string(w, "serial0", m->stdout_path);
		fdtw_end_node(w);
	}
}

static void allocate_phandles(struct machine *m)
{
	m->next_phandle = 0;
	for (unsigned hart = 0; hart < m->cpus; hart++)
		m->cpu_intc_phandle[hart] = machine_alloc_phandle(m);
	m->plic_phandle = machine_alloc_phandle(m);
}

/* Writes the whole tree into buf; returns a libfdt error or 0. */
static int write_tree(struct machine *m, const struct machine_chosen *chosen, void *buf,
                      size_t size)
{
	struct fdt_writer w = {.fdt = buf};
	int err;

	allocate_phandles(m);
	w.err = fdt_create(buf, (int)size);
	if (w.err == 0)
		w.err = fdt_finish_reservemap(buf);
	fdtw_begin_node(&w, "");
	fdtw_u32(&w, "#address-cells", 2);
	fdtw_u32(&w, "#size-cells", 2);
	fdtw_string(&w, "compatible", "kennel,riscv-virt");
	fdtw_string(&w, "model", "Kennel RISC-V virtual machine");
	write_cpus(m, &w);
	write_memory(m, &w);
	err = write_soc(m, &w);
	if (err < 0)
		return err;
	err = write_root_nodes(m, &w);
	if (err < 0)
		return err;
	write_chosen(m, &w, chosen);
	fdtw_end_node(&w);
	if (w.err == 0)
		w.err = fdt_finish(buf);
	if (w.err == -FDT_ERR_NOSPACE)
		return -ENOSPC;
	return w.err < 0 ? -EINVAL : 0;
}

/*
 * The tree's size is not known in advance, so we write it into a buffer
 * and, if it does not fit, try again with one twice as large.
 */
int machine_build_fdt(struct machine *m, const struct machine_chosen *chosen)
{
	size_t size;
	void *buf;
	int err = -ENOSPC;

	for (size = 8192; size <= 1024 * 1024; size *= 2) {
		buf = calloc(1, size);
		if (!buf)
			return -ENOMEM;
		err = write_tree(m, chosen, buf, size);
		if (err == 0)
			break;
		free(buf);
		if (err != -ENOSPC)
			return err;
	}
	if (err < 0)
		return err;

	free(m->fdt);
	m->fdt = buf;
	m->fdt_size = fdt_totalsize(buf);
	return 0;
}
