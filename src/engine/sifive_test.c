// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "sifive,test" syscon: how a guest turns the machine off.
 *
 * It has a single 32-bit register.  Writing 0x5555 ("pass") powers off,
 * 0x7777 reboots, and 0x3333 with a code in the upper 16 bits ends the
 * run with that code as a failure.  Any other value is ignored, and the
 * register reads as zero.  Each of these ends the VM through
 * hv_vm_request_exit(): the vCPUs stop and the engine's main loop decides
 * what happens next.
 *
 * Linux does not drive this device directly.  Its generic
 * "syscon-poweroff" and "syscon-reboot" drivers write a value from the
 * device tree to a register of a syscon, so besides the device node we
 * write two small nodes that name our register (by phandle) and the value.
 */
#include "sifive_test.h"

#include <errno.h>
#include <stdlib.h>

#include "fdt_writer.h"
#include "machine.h"

struct sifive_test {
	struct machine *machine;
	uint64_t base;
	uint32_t phandle; /* of the syscon node, for the poweroff and reboot nodes */
};

static uint64_t test_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	return 0;
}

static void test_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct sifive_test *t = opaque;
	uint32_t word = (uint32_t)value;

	if (offset != 0)
		return;
	switch (word & 0xffff) {
	case SIFIVE_TEST_PASS: hv_vm_request_exit(t->machine->vm, HV_EXIT_POWEROFF, 0); break;
	case SIFIVE_TEST_RESET: hv_vm_request_exit(t->machine->vm, HV_EXIT_REBOOT, 0); break;
	case SIFIVE_TEST_FAIL:
		hv_vm_request_exit(t->machine->vm, HV_EXIT_FAILURE, (int)(word >> 16));
		break;
	default: break;
	}
}

static const struct hv_mmio_ops test_mmio_ops = {
        .read = test_mmio_read,
        .write = test_mmio_write,
};

static int test_fdt_node(struct machine *m, void *dev, struct fdt_writer *w)
{
	static const char *const compatible[] = {"sifive,test1", "sifive,test0", "syscon", NULL};
	struct sifive_test *t = dev;

	t->phandle = machine_alloc_phandle(m);
	fdtw_begin_node_at(w, "test", t->base);
	fdtw_strings(w, "compatible", compatible);
	fdtw_reg(w, t->base, SIFIVE_TEST_SIZE);
	fdtw_u32(w, "phandle", t->phandle);
	fdtw_end_node(w);
	return 0;
}

/* A node for Linux's syscon-poweroff or syscon-reboot driver. */
static void write_syscon_action(struct fdt_writer *w, const char *node, const char *compatible,
                                uint32_t syscon, uint32_t value)
{
	fdtw_begin_node(w, node);
	fdtw_string(w, "compatible", compatible);
	fdtw_u32(w, "regmap", syscon);
	fdtw_u32(w, "offset", 0);
	fdtw_u32(w, "value", value);
	fdtw_end_node(w);
}

/*
 * These two have no registers of their own, so they live at the root
 * rather than on the bus; the kernel finds them by compatible either way.
 */
static int test_fdt_root_nodes(struct machine *m, void *dev, struct fdt_writer *w)
{
	struct sifive_test *t = dev;

	write_syscon_action(w, "poweroff", "syscon-poweroff", t->phandle, SIFIVE_TEST_PASS);
	write_syscon_action(w, "reboot", "syscon-reboot", t->phandle, SIFIVE_TEST_RESET);
	return 0;
}

static void test_destroy(void *dev)
{
	free(dev);
}

static const struct machine_device_ops test_device_ops = {
        .name = "sifive-test",
        .fdt_node = test_fdt_node,
        .fdt_root_nodes = test_fdt_root_nodes,
        .destroy = test_destroy,
};

int sifive_test_create(struct machine *m, uint64_t base)
{
	struct sifive_test *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->machine = m;
	t->base = base;
	err = machine_add_device(m, &test_device_ops, t, base, SIFIVE_TEST_SIZE, &test_mmio_ops);
	if (err < 0)
		free(t);
	return err;
}
