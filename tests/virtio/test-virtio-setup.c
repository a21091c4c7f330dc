// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How the virtio devices are asked for and described: the `run` options
 * (--console, --no-virtio, --virtio-legacy) and each device's node in the
 * device tree (compatible "virtio,mmio", reg, interrupts).
 */
#include <errno.h>
#include <glib.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#include "machine.h"
#include "options.h"
#include "virtio/virtio_mmio.h"
#include "virtio/virtio_rng.h"

static int parse(struct run_options *o, char *why, size_t why_len, const char *first, ...)
{
	char *argv[16] = {"run", "--kernel", "Image"};
	int argc = 3;
	va_list ap;

	va_start(ap, first);
	for (const char *arg = first; arg && argc < 15; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	return run_options_parse(argc, argv, o, why, why_len);
}

static void test_options(void)
{
	struct run_options o;
	char why[256];

	g_assert_cmpint(parse(&o, why, sizeof(why), NULL), ==, 0);
	g_assert_cmpint(o.console, ==, RUN_CONSOLE_STDIO);
	g_assert_false(o.no_virtio);
	g_assert_false(o.virtio_legacy);

	g_assert_cmpint(parse(&o, why, sizeof(why), "--console", "pty", "--virtio-legacy", NULL),
	                ==, 0);
	g_assert_cmpint(o.console, ==, RUN_CONSOLE_PTY);
	g_assert_true(o.virtio_legacy);

	g_assert_cmpint(parse(&o, why, sizeof(why), "--console", "stdio", "--no-virtio", NULL), ==,
	                0);
	g_assert_true(o.no_virtio);

	g_assert_cmpint(parse(&o, why, sizeof(why), "--console", "serial", NULL), ==, -EINVAL);
	g_assert_nonnull(strstr(why, "--console 'serial' is not stdio or pty"));
	g_assert_cmpint(parse(&o, why, sizeof(why), "--no-virtio", "--console", "pty", NULL), ==,
	                -EINVAL);
	g_assert_nonnull(strstr(why, "--no-virtio"));
	g_assert_cmpint(parse(&o, why, sizeof(why), "--console", NULL), ==, -EINVAL);
}

static void check_node(const void *fdt, unsigned slot)
{
	uint64_t base = VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SIZE;
	char path[64];
	const fdt32_t *reg, *irq;
	int node, len;

	snprintf(path, sizeof(path), "/soc/virtio_mmio@%llx", (unsigned long long)base);
	node = fdt_path_offset(fdt, path);
	g_assert_cmpint(node, >=, 0);
	g_assert_cmpint(fdt_node_check_compatible(fdt, node, "virtio,mmio"), ==, 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	g_assert_nonnull(reg);
	g_assert_cmpint(len, ==, 16);
	g_assert_cmphex(((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]), ==, base);
	g_assert_cmphex(fdt32_to_cpu(reg[3]), ==, VIRTIO_MMIO_SIZE);
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	g_assert_nonnull(irq);
	g_assert_cmpuint(fdt32_to_cpu(irq[0]), ==, HV_RISCV_IRQ_VIRTIO_FIRST + slot);
	g_assert_nonnull(fdt_getprop(fdt, node, "interrupt-parent", &len));
}

static void test_devtree(void)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20, .sbi = true};
	struct machine_chosen chosen = {.bootargs = "console=hvc0"};
	struct machine *m;

	g_assert_cmpint(machine_create(&config, &m), ==, 0);
	g_assert_cmpint(virtio_rng_create(m, 0, false), ==, 0);
	g_assert_cmpint(virtio_rng_create(m, 5, true), ==, 0);
	g_assert_cmpint(virtio_rng_create(m, 5, false), ==, -EEXIST); /* the slot is taken */
	g_assert_cmpint(virtio_rng_create(m, HV_RISCV_VIRTIO_SLOTS, false), ==, -EINVAL);
	g_assert_cmpint(machine_build_fdt(m, &chosen), ==, 0);
	check_node(m->fdt, 0);
	check_node(m->fdt, 5);
	machine_destroy(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/virtio-setup/options", test_options);
	g_test_add_func("/virtio-setup/devtree", test_devtree);
	return g_test_run();
}
