// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device tree the engine builds, read back with libfdt (and dtc, when
 * it is installed): every node and property the guest relies on, with the
 * right values, for 1 and 4 harts.  Links the real hv, whose ISA string and
 * MMU type go into the tree.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include <string.h>
#include <unistd.h>

#include "goldfish_rtc.h"
#include "machine.h"
#include "sifive_test.h"
#include "uart16550.h"

#define INITRD_START 0x8f000000ull
#define INITRD_END   0x8f123456ull
#define BOOTARGS     "console=hvc0 kennel.run=\"echo hello world\""

struct params {
	unsigned harts;
	bool initrd;
};

struct fixture {
	struct machine *m;
	const void *fdt;
	unsigned harts;
};

static void setup(struct fixture *f, gconstpointer data)
{
	const struct params *p = data;
	struct hv_vm_config config = {
	        .arch = HV_ARCH_RISCV64, .vcpus = p->harts, .ram_size = 256 << 20, .sbi = true};
	struct machine_chosen chosen = {
	        .bootargs = BOOTARGS,
	        .has_initrd = p->initrd,
	        .initrd_start = INITRD_START,
	        .initrd_end = INITRD_END,
	};

	f->harts = p->harts;
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(sifive_test_create(f->m, SIFIVE_TEST_BASE), ==, 0);
	g_assert_cmpint(goldfish_rtc_create(f->m, GOLDFISH_RTC_BASE, HV_RISCV_IRQ_RTC), ==, 0);
	g_assert_cmpint(uart16550_create(f->m, UART16550_BASE, HV_RISCV_IRQ_UART, NULL, NULL), ==,
	                0);
	g_assert_cmpint(machine_build_fdt(f->m, &chosen), ==, 0);
	f->fdt = f->m->fdt;
	g_assert_cmpint(fdt_check_header(f->fdt), ==, 0);
	g_assert_cmpuint(fdt_totalsize(f->fdt), ==, f->m->fdt_size);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	machine_destroy(f->m);
}

static int node(struct fixture *f, const char *path)
{
	int offset = fdt_path_offset(f->fdt, path);

	if (offset < 0)
		g_error("node %s is missing: %s", path, fdt_strerror(offset));
	return offset;
}

static const void *prop(struct fixture *f, const char *path, const char *name, int *len)
{
	const void *value = fdt_getprop(f->fdt, node(f, path), name, len);

	if (!value)
		g_error("%s has no property %s", path, name);
	return value;
}

static uint32_t u32_prop(struct fixture *f, const char *path, const char *name)
{
	int len;
	const fdt32_t *value = prop(f, path, name, &len);

	g_assert_cmpint(len, ==, 4);
	return fdt32_ld(value);
}

static uint64_t u64_prop(struct fixture *f, const char *path, const char *name)
{
	int len;
	const fdt64_t *value = prop(f, path, name, &len);

	g_assert_cmpint(len, ==, 8);
	return fdt64_ld(value);
}

static void assert_string(struct fixture *f, const char *path, const char *name,
                          const char *expected)
{
	int len;
	const char *value = prop(f, path, name, &len);

	g_assert_cmpint(len, ==, (int)strlen(expected) + 1);
	g_assert_cmpstr(value, ==, expected);
}

/* A string list, given as "a\0b\0" with its size. */
static void assert_strings(struct fixture *f, const char *path, const char *name,
                           const char *expected, int size)
{
	int len;
	const char *value = prop(f, path, name, &len);

	g_assert_cmpint(len, ==, size);
	g_assert_cmpmem(value, len, expected, size);
}

static void assert_empty(struct fixture *f, const char *path, const char *name)
{
	int len;

	(void)prop(f, path, name, &len);
	g_assert_cmpint(len, ==, 0);
}

static void assert_reg(struct fixture *f, const char *path, uint64_t base, uint64_t size)
{
	int len;
	const fdt32_t *reg = prop(f, path, "reg", &len);

	g_assert_cmpint(len, ==, 16);
	g_assert_cmphex((uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]), ==, base);
	g_assert_cmphex((uint64_t)fdt32_to_cpu(reg[2]) << 32 | fdt32_to_cpu(reg[3]), ==, size);
}

static uint32_t intc_phandle(struct fixture *f, unsigned hart)
{
	g_autofree gchar *path = g_strdup_printf("/cpus/cpu@%u/interrupt-controller", hart);

	return u32_prop(f, path, "phandle");
}

/* The node a phandle names must be where we expect. */
static void assert_phandle_names(struct fixture *f, uint32_t phandle, const char *path)
{
	int offset = fdt_node_offset_by_phandle(f->fdt, phandle);

	g_assert_cmpint(offset, >=, 0);
	g_assert_cmpint(offset, ==, node(f, path));
}

static void test_root_and_memory(struct fixture *f, gconstpointer data)
{
	g_assert_cmpuint(u32_prop(f, "/", "#address-cells"), ==, 2);
	g_assert_cmpuint(u32_prop(f, "/", "#size-cells"), ==, 2);
	assert_string(f, "/memory@80000000", "device_type", "memory");
	assert_reg(f, "/memory@80000000", 0x80000000ull, 256ull << 20);
}

static void test_cpus(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *absent = g_strdup_printf("/cpus/cpu@%u", f->harts);

	g_assert_cmpuint(u32_prop(f, "/cpus", "timebase-frequency"), ==, 10000000);
	g_assert_cmpuint(u32_prop(f, "/cpus", "#address-cells"), ==, 1);
	g_assert_cmpuint(u32_prop(f, "/cpus", "#size-cells"), ==, 0);
	for (unsigned hart = 0; hart < f->harts; hart++) {
		g_autofree gchar *cpu = g_strdup_printf("/cpus/cpu@%u", hart);
		g_autofree gchar *intc = g_strdup_printf("%s/interrupt-controller", cpu);

		assert_string(f, cpu, "device_type", "cpu");
		g_assert_cmpuint(u32_prop(f, cpu, "reg"), ==, hart);
		assert_string(f, cpu, "compatible", "riscv");
		assert_string(f, cpu, "riscv,isa", hv_vcpu_isa_string(f->m->vm));
		assert_string(f, cpu, "mmu-type", hv_vcpu_mmu_type(f->m->vm));
		assert_string(f, cpu, "status", "okay");
		assert_string(f, intc, "compatible", "riscv,cpu-intc");
		g_assert_cmpuint(u32_prop(f, intc, "#interrupt-cells"), ==, 1);
		assert_empty(f, intc, "interrupt-controller");
		assert_phandle_names(f, intc_phandle(f, hart), intc);
	}
	g_assert_cmpint(fdt_path_offset(f->fdt, absent), ==, -FDT_ERR_NOTFOUND);
}

/* interrupts-extended: per hart <intc first intc second>. */
static void assert_per_hart_interrupts(struct fixture *f, const char *path, uint32_t first,
                                       uint32_t second)
{
	int len;
	const fdt32_t *cells = prop(f, path, "interrupts-extended", &len);

	g_assert_cmpint(len, ==, (int)(f->harts * 4 * 4));
	for (unsigned hart = 0; hart < f->harts; hart++) {
		g_assert_cmpuint(fdt32_to_cpu(cells[hart * 4 + 0]), ==, intc_phandle(f, hart));
		g_assert_cmpuint(fdt32_to_cpu(cells[hart * 4 + 1]), ==, first);
		g_assert_cmpuint(fdt32_to_cpu(cells[hart * 4 + 2]), ==, intc_phandle(f, hart));
		g_assert_cmpuint(fdt32_to_cpu(cells[hart * 4 + 3]), ==, second);
	}
}

static void test_soc(struct fixture *f, gconstpointer data)
{
	static const char clint[] = "sifive,clint0\0riscv,clint0";
	static const char plic[] = "sifive,plic-1.0.0\0riscv,plic0";
	const char *clint_path = "/soc/clint@2000000", *plic_path = "/soc/plic@c000000";

	assert_string(f, "/soc", "compatible", "simple-bus");
	assert_empty(f, "/soc", "ranges");
	g_assert_cmpuint(u32_prop(f, "/soc", "#address-cells"), ==, 2);
	g_assert_cmpuint(u32_prop(f, "/soc", "#size-cells"), ==, 2);

	assert_strings(f, clint_path, "compatible", clint, sizeof(clint));
	assert_reg(f, clint_path, HV_RISCV_CLINT_BASE, HV_RISCV_CLINT_SIZE);
	assert_per_hart_interrupts(f, clint_path, 3, 7); /* M software, M timer */

	assert_strings(f, plic_path, "compatible", plic, sizeof(plic));
	assert_reg(f, plic_path, HV_RISCV_PLIC_BASE, HV_RISCV_PLIC_SIZE);
	g_assert_cmpuint(u32_prop(f, plic_path, "riscv,ndev"), ==, HV_RISCV_PLIC_NDEV);
	g_assert_cmpuint(u32_prop(f, plic_path, "#interrupt-cells"), ==, 1);
	g_assert_cmpuint(u32_prop(f, plic_path, "#address-cells"), ==, 0);
	assert_empty(f, plic_path, "interrupt-controller");
	assert_per_hart_interrupts(f, plic_path, 11, 9); /* context 2h: M ext, 2h+1: S ext */
	assert_phandle_names(f, u32_prop(f, plic_path, "phandle"), plic_path);
}

static void test_devices(struct fixture *f, gconstpointer data)
{
	static const char test[] = "sifive,test1\0sifive,test0\0syscon";
	const char *uart = "/soc/serial@10000000", *rtc = "/soc/rtc@101000";
	const char *syscon = "/soc/test@100000";
	uint32_t plic = u32_prop(f, "/soc/plic@c000000", "phandle");

	assert_string(f, uart, "compatible", "ns16550a");
	assert_reg(f, uart, 0x10000000, 0x100);
	g_assert_cmpuint(u32_prop(f, uart, "clock-frequency"), ==, 3686400);
	g_assert_cmpuint(u32_prop(f, uart, "reg-shift"), ==, 0);
	g_assert_cmpuint(u32_prop(f, uart, "interrupts"), ==, 10);
	g_assert_cmpuint(u32_prop(f, uart, "interrupt-parent"), ==, plic);

	assert_strings(f, syscon, "compatible", test, sizeof(test));
	assert_reg(f, syscon, 0x100000, 0x1000);
	assert_phandle_names(f, u32_prop(f, syscon, "phandle"), syscon);
	assert_string(f, "/poweroff", "compatible", "syscon-poweroff");
	g_assert_cmpuint(u32_prop(f, "/poweroff", "regmap"), ==, u32_prop(f, syscon, "phandle"));
	g_assert_cmpuint(u32_prop(f, "/poweroff", "offset"), ==, 0);
	g_assert_cmphex(u32_prop(f, "/poweroff", "value"), ==, 0x5555);
	assert_string(f, "/reboot", "compatible", "syscon-reboot");
	g_assert_cmpuint(u32_prop(f, "/reboot", "regmap"), ==, u32_prop(f, syscon, "phandle"));
	g_assert_cmpuint(u32_prop(f, "/reboot", "offset"), ==, 0);
	g_assert_cmphex(u32_prop(f, "/reboot", "value"), ==, 0x7777);

	assert_string(f, rtc, "compatible", "google,goldfish-rtc");
	assert_reg(f, rtc, 0x101000, 0x1000);
	g_assert_cmpuint(u32_prop(f, rtc, "interrupts"), ==, 11);
	g_assert_cmpuint(u32_prop(f, rtc, "interrupt-parent"), ==, plic);
}

static void test_chosen(struct fixture *f, gconstpointer data)
{
	const struct params *p = data;
	int len;
	const char *stdout_path = prop(f, "/chosen", "stdout-path", &len);

	assert_string(f, "/chosen", "bootargs", BOOTARGS);
	g_assert_cmpstr(stdout_path, ==, "/soc/serial@10000000");
	g_assert_cmpint(fdt_path_offset(f->fdt, stdout_path), >=, 0);
	assert_string(f, "/aliases", "serial0", "/soc/serial@10000000");
	(void)prop(f, "/chosen", "rng-seed", &len);
	g_assert_cmpint(len, ==, 64);
	if (p->initrd) {
		g_assert_cmphex(u64_prop(f, "/chosen", "linux,initrd-start"), ==, INITRD_START);
		g_assert_cmphex(u64_prop(f, "/chosen", "linux,initrd-end"), ==, INITRD_END);
	} else {
		g_assert_null(fdt_getprop(f->fdt, node(f, "/chosen"), "linux,initrd-start", NULL));
		g_assert_null(fdt_getprop(f->fdt, node(f, "/chosen"), "linux,initrd-end", NULL));
	}
}

/* Every phandle is unique, and each one is what some node answers to. */
static void test_phandles(struct fixture *f, gconstpointer data)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	unsigned expected = f->harts + 2; /* the cpu-intcs, the PLIC, the syscon */
	int offset;

	for (offset = fdt_next_node(f->fdt, -1, NULL); offset >= 0;
	     offset = fdt_next_node(f->fdt, offset, NULL)) {
		uint32_t phandle = fdt_get_phandle(f->fdt, offset);

		if (phandle == 0)
			continue;
		g_assert_false(g_hash_table_contains(seen, GUINT_TO_POINTER(phandle)));
		g_hash_table_add(seen, GUINT_TO_POINTER(phandle));
	}
	g_assert_cmpuint(g_hash_table_size(seen), ==, expected);
}

/* dtc reads it back without errors or warnings. */
static void test_dtc(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *dtc = g_find_program_in_path("dtc");
	g_autofree gchar *path = NULL, *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int fd, status;

	if (!dtc) {
		g_test_skip("dtc is not installed (Debian: device-tree-compiler)");
		return;
	}
	fd = g_file_open_tmp("kennel-dtb-XXXXXX", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_assert_true(g_file_set_contents(path, f->fdt, fdt_totalsize(f->fdt), &error));
	{
		const char *argv[] = {dtc, "-I", "dtb", "-O", "dts", "-o", "-", path, NULL};

		g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
		                           &out, &err, &status, &error));
	}
	g_assert_no_error(error);
	g_unlink(path);
	if (g_test_verbose())
		g_printerr("%s", out);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_assert_cmpstr(err, ==, "");
	g_assert_nonnull(strstr(out, "compatible = \"ns16550a\";"));
	g_assert_nonnull(strstr(out, "riscv,ndev = <0x5f>;"));
	g_assert_nonnull(strstr(out, "stdout-path = \"/soc/serial@10000000\";"));
}

int main(int argc, char **argv)
{
	static const struct params one = {1, true}, four = {4, true}, bare = {2, false};
	static const struct {
		const char *name;
		const struct params *params;
	} configs[] = {{"1-hart", &one}, {"4-harts", &four}, {"2-harts-no-initrd", &bare}};
	static const struct {
		const char *name;
		void (*fn)(struct fixture *, gconstpointer);
	} tests[] = {
	        {"root-and-memory", test_root_and_memory},
	        {"cpus", test_cpus},
	        {"soc", test_soc},
	        {"devices", test_devices},
	        {"chosen", test_chosen},
	        {"phandles", test_phandles},
	        {"dtc", test_dtc},
	};

	g_test_init(&argc, &argv, NULL);
	for (unsigned c = 0; c < G_N_ELEMENTS(configs); c++) {
		for (unsigned t = 0; t < G_N_ELEMENTS(tests); t++) {
			g_autofree gchar *name =
			        g_strdup_printf("/devtree/%s/%s", configs[c].name, tests[t].name);

			g_test_add(name, struct fixture, configs[c].params, setup, tests[t].fn,
			           teardown);
		}
	}
	return g_test_run();
}
