// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The boot loader against real files made here: Linux Images, ELF
 * executables, flat firmware, initrds, and files that are none of those.
 * Links the real hv; what went into guest RAM is read back through it.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include <string.h>

#include "boot.h"
#include "image.h"
#include "machine.h"
#include "units.h"

#define RAM_BASE 0x80000000ull

struct fixture {
	gchar *dir;
	struct machine *m;
	struct boot_plan plan;
};

static void setup(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("kennel-boot-XXXXXX", &error);
	g_assert_no_error(error);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree gchar *path = g_build_filename(f->dir, name, NULL);

		g_remove(path);
	}
	g_rmdir(f->dir);
	g_free(f->dir);
	machine_destroy(f->m);
}

static void new_machine(struct fixture *f, unsigned harts, uint64_t ram, bool sbi)
{
	struct hv_vm_config config = {
	        .arch = HV_ARCH_RISCV64, .vcpus = harts, .ram_size = ram, .sbi = sbi};
	void *all;

	machine_destroy(f->m);
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	/* Dirty RAM, so that we can see the loader clear each BSS. */
	all = hv_ram_ptr(f->m->vm, RAM_BASE, ram, true);
	g_assert_nonnull(all);
	memset(all, 0xaa, ram);
}

static void put_le(uint8_t *p, uint64_t value, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(value >> (8 * i));
}

static gchar *write_file(struct fixture *f, const char *name, const void *data, gsize len)
{
	gchar *path = g_build_filename(f->dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, data, (gssize)len, &error));
	g_assert_no_error(error);
	return path;
}

/* A byte pattern that differs from one file to the next. */
static uint8_t *pattern(gsize len, uint8_t seed)
{
	uint8_t *data = g_malloc(len);

	for (gsize i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + seed + (i >> 12));
	return data;
}

/* A RISC-V Linux Image: the 64-byte header, then a pattern. */
static gchar *make_image(struct fixture *f, const char *name, uint64_t text_offset,
                         uint64_t image_size, gsize file_size, uint64_t flags)
{
	g_autofree uint8_t *data = pattern(file_size, 0x11);

	memset(data, 0, IMAGE_HEADER_SIZE);
	put_le(data + 0x00, 0x0000006f, 4); /* a jump over the header, as a real Image has */
	put_le(data + IMAGE_TEXT_OFFSET_AT, text_offset, 8);
	put_le(data + IMAGE_SIZE_AT, image_size, 8);
	put_le(data + IMAGE_FLAGS_AT, flags, 8);
	put_le(data + 0x20, 2, 4); /* version 0.2 */
	memcpy(data + IMAGE_MAGIC_AT, "RISCV\0\0\0", 8);
	memcpy(data + IMAGE_MAGIC2_AT, "RSC\x05", 4);
	return write_file(f, name, data, file_size);
}

struct segment {
	uint64_t paddr, filesz, memsz;
};

/* An ELF64 executable with the given PT_LOAD segments, each filled with a pattern. */
static gchar *make_elf(struct fixture *f, const char *name, unsigned machine, unsigned class,
                       uint64_t entry, const struct segment *segs, unsigned nsegs)
{
	gsize header = 64 + 56 * nsegs, size = header;
	g_autofree uint8_t *data = NULL;
	gsize offset = header;

	for (unsigned i = 0; i < nsegs; i++)
		size += segs[i].filesz;
	data = g_malloc0(size);
	memcpy(data, "\177ELF", 4);
	data[4] = (uint8_t) class;
	data[5] = 1; /* little-endian */
	data[6] = 1;
	put_le(data + 16, 2, 2); /* ET_EXEC */
	put_le(data + 18, machine, 2);
	put_le(data + 20, 1, 4);
	put_le(data + 24, entry, 8);
	put_le(data + 32, 64, 8); /* e_phoff */
	put_le(data + 52, 64, 2);
	put_le(data + 54, 56, 2);
	put_le(data + 56, nsegs, 2);
	for (unsigned i = 0; i < nsegs; i++) {
		uint8_t *ph = data + 64 + 56 * i;
		g_autofree uint8_t *bytes = pattern(segs[i].filesz, (uint8_t)(0x40 + i));

		put_le(ph + 0, 1, 4); /* PT_LOAD */
		put_le(ph + 4, 7, 4);
		put_le(ph + 8, offset, 8);
		put_le(ph + 16, segs[i].paddr, 8);
		put_le(ph + 24, segs[i].paddr, 8);
		put_le(ph + 32, segs[i].filesz, 8);
		put_le(ph + 40, segs[i].memsz, 8);
		put_le(ph + 48, 0x1000, 8);
		memcpy(data + offset, bytes, segs[i].filesz);
		offset += segs[i].filesz;
	}
	return write_file(f, name, data, size);
}

static gchar *make_pattern_file(struct fixture *f, const char *name, gsize len, uint8_t seed)
{
	g_autofree uint8_t *data = pattern(len, seed);

	return write_file(f, name, data, len);
}

/* Guest RAM at gpa holds exactly the file's bytes [offset, offset + len). */
static void assert_ram_holds(struct fixture *f, uint64_t gpa, const char *path, gsize offset,
                             gsize len)
{
	g_autofree gchar *contents = NULL;
	gsize size;
	const void *ram = hv_ram_ptr(f->m->vm, gpa, len, false);

	g_assert_true(g_file_get_contents(path, &contents, &size, NULL));
	g_assert_cmpuint(offset + len, <=, size);
	g_assert_nonnull(ram);
	g_assert_true(memcmp(ram, contents + offset, len) == 0);
}

static void assert_ram_zero(struct fixture *f, uint64_t gpa, uint64_t len)
{
	const uint8_t *ram = hv_ram_ptr(f->m->vm, gpa, len, false);

	g_assert_nonnull(ram);
	for (uint64_t i = 0; i < len; i++)
		if (ram[i] != 0)
			g_error("byte at 0x%llx is 0x%02x, not 0", (unsigned long long)(gpa + i),
			        ram[i]);
}

static bool disjoint(struct boot_region a, struct boot_region b)
{
	return a.end <= b.start || b.end <= a.start || a.start == a.end || b.start == b.end;
}

static bool in_ram(struct fixture *f, struct boot_region r)
{
	return r.start >= RAM_BASE && r.end <= RAM_BASE + f->m->ram_size && r.start <= r.end;
}

/* The device tree in guest RAM, checked against the plan. */
static const void *guest_fdt(struct fixture *f)
{
	const void *fdt =
	        hv_ram_ptr(f->m->vm, f->plan.dtb.start, f->plan.dtb.end - f->plan.dtb.start, false);

	g_assert_nonnull(fdt);
	g_assert_cmpint(fdt_check_header(fdt), ==, 0);
	g_assert_cmpuint(fdt_totalsize(fdt), ==, f->plan.dtb.end - f->plan.dtb.start);
	return fdt;
}

static const char *chosen_string(const void *fdt, const char *name)
{
	return fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), name, NULL);
}

static uint64_t chosen_u64(const void *fdt, const char *name)
{
	int len;
	const fdt64_t *value = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), name, &len);

	g_assert_nonnull(value);
	g_assert_cmpint(len, ==, 8);
	return fdt64_ld(value);
}

static int boot(struct fixture *f, const char *kernel, const char *initrd, const char *firmware,
                const char *bootargs)
{
	struct boot_config config = {
	        .kernel = kernel, .initrd = initrd, .firmware = firmware, .bootargs = bootargs};
	int err = boot_load(f->m, &config, &f->plan);

	if (g_test_verbose() && err < 0)
		g_printerr("boot_load: %s\n", f->plan.error);
	return err;
}

static void assert_error(struct fixture *f, int err, int expected, const char *phrase)
{
	g_assert_cmpint(err, ==, expected);
	if (!strstr(f->plan.error, phrase))
		g_error("error \"%s\" does not say \"%s\"", f->plan.error, phrase);
}

static void test_image_direct(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, 3 * MiB, MiB + 123, 0);
	g_autofree gchar *initrd = make_pattern_file(f, "initrd", 100 * KiB + 5, 0x77);
	const struct hv_vcpu_boot *b = &f->plan.vcpu[0];
	const void *fdt;

	new_machine(f, 1, 256 * MiB, true);
	g_assert_cmpint(boot(f, kernel, initrd, NULL, NULL), ==, 0);
	g_assert_false(f->plan.firmware_boot);
	g_assert_cmpint(f->plan.kernel_format, ==, IMAGE_LINUX);
	g_assert_cmphex(f->plan.kernel.start, ==, 0x80200000);
	g_assert_cmphex(f->plan.kernel.end, ==, 0x80200000 + 3 * MiB);
	g_assert_cmphex(f->plan.kernel_entry, ==, 0x80200000);
	assert_ram_holds(f, 0x80200000, kernel, 0, MiB + 123);
	assert_ram_zero(f, 0x80200000 + MiB + 123, 2 * MiB - 123); /* the BSS */

	/* The initrd: page-aligned, high, whole, out of everyone's way. */
	g_assert_cmphex(f->plan.initrd.start % 4096, ==, 0);
	g_assert_cmpuint(f->plan.initrd.end - f->plan.initrd.start, ==, 100 * KiB + 5);
	g_assert_cmphex(f->plan.initrd.start, >=, RAM_BASE + 128 * MiB);
	g_assert_true(in_ram(f, f->plan.initrd));
	assert_ram_holds(f, f->plan.initrd.start, initrd, 0, 100 * KiB + 5);

	/* The device tree: aligned, in RAM, overlapping nothing, and telling the truth. */
	g_assert_cmphex(f->plan.dtb.start % 8, ==, 0);
	g_assert_true(in_ram(f, f->plan.dtb));
	g_assert_true(disjoint(f->plan.dtb, f->plan.initrd));
	g_assert_true(disjoint(f->plan.dtb, f->plan.kernel));
	g_assert_true(disjoint(f->plan.initrd, f->plan.kernel));
	fdt = guest_fdt(f);
	g_assert_cmpstr(chosen_string(fdt, "bootargs"), ==, "console=hvc0 earlycon=sbi");
	g_assert_cmphex(chosen_u64(fdt, "linux,initrd-start"), ==, f->plan.initrd.start);
	g_assert_cmphex(chosen_u64(fdt, "linux,initrd-end"), ==, f->plan.initrd.end);

	/* Hart 0 starts in S-mode at the kernel, a0 = 0, a1 = the device tree. */
	g_assert_cmpint(b->priv, ==, HV_PRIV_S);
	g_assert_cmphex(b->pc, ==, 0x80200000);
	g_assert_cmphex(b->a0, ==, 0);
	g_assert_cmphex(b->a1, ==, f->plan.dtb.start);
	g_assert_false(b->stopped);
	g_assert_cmpstr(f->plan.warning, ==, "");
}

static void test_image_four_harts(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, 2 * MiB, 4096, 0);

	new_machine(f, 4, 64 * MiB, true);
	g_assert_cmpint(boot(f, kernel, NULL, NULL, "console=hvc0 quiet"), ==, 0);
	g_assert_cmpstr(chosen_string(guest_fdt(f), "bootargs"), ==, "console=hvc0 quiet");
	g_assert_null(chosen_string(guest_fdt(f), "linux,initrd-start"));
	for (unsigned hart = 0; hart < 4; hart++) {
		const struct hv_vcpu_boot *b = &f->plan.vcpu[hart];

		g_assert_cmpint(b->priv, ==, HV_PRIV_S);
		g_assert_cmphex(b->pc, ==, 0x80200000);
		g_assert_cmphex(b->a0, ==, hart);
		g_assert_cmphex(b->a1, ==, f->plan.dtb.start);
		/* Only the boot hart runs; the others wait for an SBI HSM hart_start. */
		g_assert_cmpint(b->stopped, ==, hart != 0);
	}
}

static void test_image_text_offset(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *kernel = make_image(f, "Image", 0x400000, 0, 8192, 0);

	new_machine(f, 1, 32 * MiB, true);
	g_assert_cmpint(boot(f, kernel, NULL, NULL, NULL), ==, 0);
	g_assert_cmphex(f->plan.kernel.start, ==, RAM_BASE + 0x400000);
	/* A header without image_size (before version 0.2) covers the file only. */
	g_assert_cmphex(f->plan.kernel.end, ==, RAM_BASE + 0x400000 + 8192);
	g_assert_cmphex(f->plan.vcpu[0].pc, ==, RAM_BASE + 0x400000);
}

static void test_elf_direct(struct fixture *f, gconstpointer data)
{
	const struct segment segs[] = {
	        {0x80200000, 0x1800, 0x3000},
	        {0x80400000, 0x100, 0x100},
	};
	g_autofree gchar *kernel = make_elf(f, "vmlinux", 243, 2, 0x80200010, segs, 2);

	new_machine(f, 2, 64 * MiB, true);
	g_assert_cmpint(boot(f, kernel, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(f->plan.kernel_format, ==, IMAGE_ELF);
	g_assert_cmphex(f->plan.kernel.start, ==, 0x80200000);
	g_assert_cmphex(f->plan.kernel.end, ==, 0x80400100);
	assert_ram_holds(f, 0x80200000, kernel, 64 + 2 * 56, 0x1800);
	assert_ram_zero(f, 0x80201800, 0x1800);
	assert_ram_holds(f, 0x80400000, kernel, 64 + 2 * 56 + 0x1800, 0x100);
	g_assert_cmphex(f->plan.vcpu[0].pc, ==, 0x80200010);
	g_assert_true(f->plan.vcpu[1].stopped);
}

static uint64_t ram_u64(struct fixture *f, uint64_t gpa)
{
	const uint8_t *p = hv_ram_ptr(f->m->vm, gpa, 8, false);
	uint64_t value = 0;

	g_assert_nonnull(p);
	for (int i = 7; i >= 0; i--)
		value = value << 8 | p[i];
	return value;
}

static void assert_fw_dynamic_info(struct fixture *f, uint64_t next_addr)
{
	uint64_t info = f->plan.fw_dynamic_info.start;

	g_assert_cmphex(info % 8, ==, 0);
	g_assert_cmpuint(f->plan.fw_dynamic_info.end - info, ==, 48);
	g_assert_cmphex(ram_u64(f, info + 0), ==, 0x4942534f);
	g_assert_cmphex(ram_u64(f, info + 8), ==, 2);
	g_assert_cmphex(ram_u64(f, info + 16), ==, next_addr);
	g_assert_cmphex(ram_u64(f, info + 24), ==, 1); /* S-mode */
	g_assert_cmphex(ram_u64(f, info + 32), ==, 0);
	g_assert_cmphex(ram_u64(f, info + 40), ==, UINT64_MAX);
}

static void test_firmware_flat_with_kernel(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *firmware = make_pattern_file(f, "fw_jump.bin", 200 * KiB + 1, 0x33);
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, 4 * MiB, 64 * KiB, 0);
	g_autofree gchar *initrd = make_pattern_file(f, "initrd", 300 * KiB, 0x55);
	/* RAM ends just past the spot where fw_jump copies the device tree. */
	struct boot_region fw_jump_fdt = {0x82200000, 0x82300000};

	new_machine(f, 3, 35 * MiB, false);
	g_assert_cmpint(boot(f, kernel, initrd, firmware, NULL), ==, 0);
	g_assert_true(f->plan.firmware_boot);
	g_assert_cmpint(f->plan.firmware_format, ==, IMAGE_FLAT);
	g_assert_cmphex(f->plan.firmware.start, ==, RAM_BASE);
	assert_ram_holds(f, RAM_BASE, firmware, 0, 200 * KiB + 1);
	assert_ram_holds(f, 0x80200000, kernel, 0, 64 * KiB);
	g_assert_true(disjoint(f->plan.initrd, fw_jump_fdt));
	g_assert_true(disjoint(f->plan.dtb, fw_jump_fdt));
	g_assert_true(disjoint(f->plan.fw_dynamic_info, fw_jump_fdt));
	g_assert_true(disjoint(f->plan.initrd, f->plan.kernel));
	g_assert_true(disjoint(f->plan.dtb, f->plan.initrd));
	g_assert_true(disjoint(f->plan.fw_dynamic_info, f->plan.dtb));
	g_assert_true(disjoint(f->plan.fw_dynamic_info, f->plan.initrd));
	g_assert_cmpstr(chosen_string(guest_fdt(f), "bootargs"), ==, "console=ttyS0 earlycon");
	assert_fw_dynamic_info(f, 0x80200000);
	/* Every hart starts in M-mode at the firmware. */
	for (unsigned hart = 0; hart < 3; hart++) {
		const struct hv_vcpu_boot *b = &f->plan.vcpu[hart];

		g_assert_cmpint(b->priv, ==, HV_PRIV_M);
		g_assert_cmphex(b->pc, ==, RAM_BASE);
		g_assert_cmphex(b->a0, ==, hart);
		g_assert_cmphex(b->a1, ==, f->plan.dtb.start);
		g_assert_cmphex(b->a2, ==, f->plan.fw_dynamic_info.start);
		g_assert_false(b->stopped);
	}
}

static void test_firmware_elf_alone(struct fixture *f, gconstpointer data)
{
	const struct segment segs[] = {{0x80000000, 0x2000, 0x9000}};
	g_autofree gchar *firmware = make_elf(f, "fw.elf", 243, 2, 0x80000000, segs, 1);

	new_machine(f, 1, 64 * MiB, false);
	g_assert_cmpint(boot(f, NULL, NULL, firmware, NULL), ==, 0);
	g_assert_cmpint(f->plan.firmware_format, ==, IMAGE_ELF);
	assert_ram_zero(f, 0x80002000, 0x7000);
	g_assert_cmphex(f->plan.vcpu[0].pc, ==, 0x80000000);
	g_assert_cmpint(f->plan.vcpu[0].priv, ==, HV_PRIV_M);
	assert_fw_dynamic_info(f, 0x80200000);
}

static void test_firmware_overlaps_kernel(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *firmware = make_pattern_file(f, "big.bin", 3 * MiB, 1);
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, 0, 4096, 0);

	new_machine(f, 1, 64 * MiB, false);
	assert_error(f, boot(f, kernel, NULL, firmware, NULL), -EINVAL, "overlap");
}

static void test_fw_jump_warning(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *firmware = make_pattern_file(f, "fw_jump.bin", 4096, 1);
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, 40 * MiB, 4096, 0);

	new_machine(f, 1, 128 * MiB, false);
	g_assert_cmpint(boot(f, kernel, NULL, firmware, NULL), ==, 0);
	g_assert_nonnull(strstr(f->plan.warning, "fw_jump"));
}

static void test_ram_too_small(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, 13 * MiB, 4096, 0);
	g_autofree gchar *initrd = make_pattern_file(f, "initrd", 3 * MiB, 2);
	g_autofree gchar *small = make_pattern_file(f, "small", 2 * MiB, 2);
	g_autofree gchar *big = make_image(f, "big", 0x200000, 20 * MiB, 4096, 0);

	new_machine(f, 1, 16 * MiB, true);
	/* Without the initrd the kernel fits, and a 2 MiB one fits below it... */
	g_assert_cmpint(boot(f, kernel, NULL, NULL, NULL), ==, 0);
	g_assert_cmpint(boot(f, kernel, small, NULL, NULL), ==, 0);
	g_assert_cmphex(f->plan.initrd.start, ==, RAM_BASE);
	/* ...a 3 MiB one does not, and the message names every size. */
	assert_error(f, boot(f, kernel, initrd, NULL, NULL), -ENOMEM, "RAM too small");
	assert_error(f, -ENOMEM, -ENOMEM, "16 MiB of RAM");
	assert_error(f, -ENOMEM, -ENOMEM, "kernel (13 MiB");
	assert_error(f, -ENOMEM, -ENOMEM, "initrd (3 MiB)");
	assert_error(f, -ENOMEM, -ENOMEM, "device tree (");
	assert_error(f, -ENOMEM, -ENOMEM, "--mem 19M or more will do");
	/* A kernel bigger than RAM by itself. */
	assert_error(f, boot(f, big, NULL, NULL, NULL), -ENOMEM, "RAM too small");
	assert_error(f, -ENOMEM, -ENOMEM, "kernel (20 MiB");
}

static void test_rejects(struct fixture *f, gconstpointer data)
{
	const struct segment low[] = {{0x1000, 0x100, 0x100}};
	const struct segment high[] = {{0x80200000, 0x100, 512 * MiB}};
	const struct segment seg[] = {{0x80200000, 0x100, 0x100}};
	g_autofree gchar *x86 = make_elf(f, "x86", 62, 2, 0x1000, seg, 1);
	g_autofree gchar *arm64 = make_elf(f, "arm64", 183, 2, 0x1000, seg, 1);
	g_autofree gchar *rv32 = make_elf(f, "rv32", 243, 1, 0x1000, seg, 1);
	g_autofree gchar *below = make_elf(f, "below", 243, 2, 0x1000, low, 1);
	g_autofree gchar *huge = make_elf(f, "huge", 243, 2, 0x80200000, high, 1);
	g_autofree gchar *text = write_file(f, "notes.txt", "hello, kernel\n", 14);
	g_autofree gchar *gzip = write_file(f, "Image.gz", "\x1f\x8b\x08\x00rest", 8);
	g_autofree gchar *empty = write_file(f, "empty", "", 0);
	g_autofree gchar *big_endian = make_image(f, "Image.be", 0x200000, 0, 4096, 1);
	g_autofree gchar *missing = g_build_filename(f->dir, "missing", NULL);
	g_autofree gchar *initrd = make_pattern_file(f, "initrd", 4096, 3);

	new_machine(f, 1, 64 * MiB, true);
	assert_error(f, boot(f, x86, NULL, NULL, NULL), -ENOEXEC, "is an x86-64 ELF");
	assert_error(f, -ENOEXEC, -ENOEXEC, "not a riscv64 Image or ELF");
	assert_error(f, boot(f, arm64, NULL, NULL, NULL), -ENOEXEC, "an arm64 ELF");
	assert_error(f, boot(f, rv32, NULL, NULL, NULL), -ENOEXEC, "a riscv32 ELF");
	assert_error(f, boot(f, text, NULL, NULL, NULL), -ENOEXEC, "not an Image or ELF");
	assert_error(f, -ENOEXEC, -ENOEXEC, "looks like text");
	assert_error(f, boot(f, gzip, NULL, NULL, NULL), -ENOEXEC, "gzip-compressed");
	assert_error(f, boot(f, empty, NULL, NULL, NULL), -EINVAL, "is empty");
	assert_error(f, boot(f, missing, NULL, NULL, NULL), -ENOENT, "cannot open kernel");
	assert_error(f, -ENOENT, -ENOENT, "missing: No such file");
	assert_error(f, boot(f, f->dir, NULL, NULL, NULL), -EINVAL, "not a regular file");
	assert_error(f, boot(f, big_endian, NULL, NULL, NULL), -EINVAL, "big-endian");
	assert_error(f, boot(f, below, NULL, NULL, NULL), -EINVAL, "below RAM");
	assert_error(f, boot(f, huge, NULL, NULL, NULL), -ENOMEM, "RAM too small");
	assert_error(f, boot(f, x86, NULL, x86, NULL), -ENOEXEC, "firmware");
	assert_error(f, boot(f, x86, missing, NULL, NULL), -ENOEXEC, "x86");
	/* Files are checked in order: firmware, kernel, initrd. */
	{
		g_autofree gchar *ok = make_image(f, "ok", 0x200000, 0, 4096, 0);

		assert_error(f, boot(f, ok, missing, NULL, NULL), -ENOENT, "cannot open initrd");
		g_assert_cmpint(boot(f, ok, initrd, NULL, NULL), ==, 0);
	}
	assert_error(f, boot(f, NULL, NULL, NULL, NULL), -EINVAL, "nothing to boot");
}

/* Broken program headers must be caught, never followed. */
static void test_broken_elf(struct fixture *f, gconstpointer data)
{
	const struct segment seg[] = {{0x80200000, 0x100, 0x100}};
	g_autofree gchar *path = make_elf(f, "broken", 243, 2, 0x80200000, seg, 1);
	g_autofree gchar *contents = NULL;
	gsize len;
	struct {
		unsigned at, bytes;
		uint64_t value;
		const char *phrase;
	} breaks[] = {
	        {32, 8, 1u << 30, "program header table"},       /* e_phoff past the end */
	        {56, 2, 0, "program header table"},              /* no program headers */
	        {56, 2, 1000, "program header table"},           /* too many */
	        {54, 2, 32, "program header table"},             /* wrong entry size */
	        {64 + 8, 8, UINT64_MAX - 8, "inconsistent"},     /* p_offset */
	        {64 + 32, 8, 1u << 20, "inconsistent"},          /* p_filesz past the file */
	        {64 + 40, 8, 0x10, "inconsistent"},              /* p_memsz < p_filesz */
	        {64 + 24, 8, UINT64_MAX - 0x10, "inconsistent"}, /* p_paddr + p_memsz wraps */
	        {64 + 0, 4, 4, "nothing to load"},               /* no PT_LOAD */
	};

	g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
	new_machine(f, 1, 64 * MiB, true);
	for (unsigned i = 0; i < G_N_ELEMENTS(breaks); i++) {
		g_autofree gchar *copy = g_memdup2(contents, len);
		g_autofree gchar *name = g_strdup_printf("broken-%u", i);
		g_autofree gchar *broken = NULL;

		put_le((uint8_t *)copy + breaks[i].at, breaks[i].value, breaks[i].bytes);
		broken = write_file(f, name, copy, len);
		assert_error(f, boot(f, broken, NULL, NULL, NULL), -EINVAL, breaks[i].phrase);
	}
}

/* A reboot loads everything again: RAM the guest scribbled on is restored. */
static void test_boot_again(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *kernel = make_image(f, "Image", 0x200000, MiB, 8192, 0);
	g_autofree gchar *initrd = make_pattern_file(f, "initrd", 8192, 9);
	struct boot_plan first;

	new_machine(f, 1, 64 * MiB, true);
	g_assert_cmpint(boot(f, kernel, initrd, NULL, NULL), ==, 0);
	first = f->plan;
	memset(hv_ram_ptr(f->m->vm, RAM_BASE, 64 * MiB, true), 0x5a, 64 * MiB);
	g_assert_cmpint(boot(f, kernel, initrd, NULL, NULL), ==, 0);
	g_assert_cmphex(f->plan.initrd.start, ==, first.initrd.start);
	g_assert_cmphex(f->plan.dtb.start, ==, first.dtb.start);
	assert_ram_holds(f, 0x80200000, kernel, 0, 8192);
	assert_ram_zero(f, 0x80200000 + 8192, MiB - 8192);
	assert_ram_holds(f, f->plan.initrd.start, initrd, 0, 8192);
	(void)guest_fdt(f);
}

static void test_describe(void)
{
	char buf[64];
	uint8_t bzimage[0x210] = {0};
	uint8_t arm64[0x40] = {0};

	memcpy(bzimage + 0x202, "HdrS", 4);
	memcpy(arm64 + 0x38, "ARM\x64", 4);
	g_assert_cmpstr(describe_foreign_file(bzimage, sizeof(bzimage), buf, sizeof(buf)), ==,
	                "an x86 bzImage");
	g_assert_cmpstr(describe_foreign_file(arm64, sizeof(arm64), buf, sizeof(buf)), ==,
	                "an arm64 Image");
	g_assert_cmpstr(describe_foreign_file((const uint8_t *)"\xfd"
	                                                       "7zXZ\0..",
	                                      8, buf, sizeof(buf)),
	                ==, "xz-compressed data: decompress it first");
	g_assert_cmpstr(describe_foreign_file((const uint8_t *)"070701000", 9, buf, sizeof(buf)),
	                ==, "a cpio archive (an initramfs?)");
	g_assert_cmpstr(describe_foreign_file((const uint8_t *)"\x01\x02\x03", 3, buf, sizeof(buf)),
	                ==, "unknown data");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add(name, struct fixture, NULL, setup, fn, teardown)
	ADD("/boot/image/direct", test_image_direct);
	ADD("/boot/image/four-harts", test_image_four_harts);
	ADD("/boot/image/text-offset", test_image_text_offset);
	ADD("/boot/elf/direct", test_elf_direct);
	ADD("/boot/firmware/flat-with-kernel", test_firmware_flat_with_kernel);
	ADD("/boot/firmware/elf-alone", test_firmware_elf_alone);
	ADD("/boot/firmware/overlaps-kernel", test_firmware_overlaps_kernel);
	ADD("/boot/firmware/fw-jump-warning", test_fw_jump_warning);
	ADD("/boot/ram-too-small", test_ram_too_small);
	ADD("/boot/rejects", test_rejects);
	ADD("/boot/broken-elf", test_broken_elf);
	ADD("/boot/boot-again", test_boot_again);
#undef ADD
	g_test_add_func("/boot/describe", test_describe);
	return g_test_run();
}
