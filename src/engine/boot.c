// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Booting: the journey from files on the host's disk to the guest's first
 * instruction.
 *
 * A freshly created machine is RAM full of zeros and harts that have not
 * started.  To boot it we do what a board's boot ROM and boot loader would
 * do, all at once, before any hart runs:
 *
 *   1. Look at each file (firmware, kernel, initrd) to learn what it is
 *      and how much memory it needs, without loading anything yet.
 *   2. Lay out RAM.  Firmware sits at the very start of RAM, where the
 *      harts begin.  The kernel goes where its header asks, 2 MiB in.  The
 *      initrd and the device tree go as high as they fit, out of the
 *      kernel's way, because a kernel grows past its file into its BSS
 *      and early page tables.  If it cannot all fit, we say so now.
 *   3. Copy the files into guest RAM.
 *   4. Write the device tree, which tells the kernel where the initrd is.
 *   5. Tell each hart where to start.  In a direct boot, hart 0 starts in
 *      S-mode at the kernel's first instruction, as if firmware had just
 *      handed over, with a0 = its hart id and a1 = the device tree; the
 *      other harts wait until the kernel asks the SBI to start them.  With
 *      firmware, every hart starts in M-mode at the firmware's entry, and
 *      the firmware sorts them out and later jumps to the kernel.
 */
#include "boot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"
#include "units.h"

#define PAGE_SIZE 4096ull
#define MAX_TAKEN 8

/* The files being booted, open while boot_load() runs. */
struct boot_files {
	struct image firmware, kernel;
	bool has_firmware, has_kernel;
	int initrd_fd;
	uint64_t initrd_size;
};

/* RAM and the parts of it already spoken for. */
struct ram_map {
	uint64_t start, end;
	struct boot_region taken[MAX_TAKEN];
	unsigned ntaken;
};

static void say(struct boot_plan *plan, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct boot_plan *plan, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(plan->error, sizeof(plan->error), fmt, ap);
	va_end(ap);
}

static uint64_t align_up(uint64_t value, uint64_t align)
{
	return (value + align - 1) & ~(align - 1);
}

static uint64_t align_down(uint64_t value, uint64_t align)
{
	return value & ~(align - 1);
}

static bool overlaps(const struct boot_region *a, const struct boot_region *b)
{
	return a->start < b->end && b->start < a->end;
}

const char *boot_bootargs(const struct boot_config *config)
{
	if (config->bootargs)
		return config->bootargs;
	return config->firmware ? BOOT_DEFAULT_APPEND_FIRMWARE : BOOT_DEFAULT_APPEND_DIRECT;
}

/* Step 1: open every file and learn what it is. */
static int open_files(struct machine *m, const struct boot_config *config, struct boot_files *files,
                      struct boot_plan *plan)
{
	int err;

	if (config->firmware) {
		err = image_open(&files->firmware, config->firmware, IMAGE_FIRMWARE, m->ram_base,
		                 plan->error, sizeof(plan->error));
		if (err < 0)
			return err;
		files->has_firmware = true;
	}
	if (config->kernel) {
		err = image_open(&files->kernel, config->kernel, IMAGE_KERNEL, m->ram_base,
		                 plan->error, sizeof(plan->error));
		if (err < 0)
			return err;
		files->has_kernel = true;
	}
	if (config->initrd)
		return open_sized_file(config->initrd, "initrd", &files->initrd_fd,
		                       &files->initrd_size, plan->error, sizeof(plan->error));
	return 0;
}

static void close_files(struct boot_files *files)
{
	if (files->has_firmware)
		image_close(&files->firmware);
	if (files->has_kernel)
		image_close(&files->kernel);
	if (files->initrd_fd >= 0)
		close(files->initrd_fd);
}

static int take(struct ram_map *ram, struct boot_region region)
{
	if (ram->ntaken == MAX_TAKEN)
		return -ENOSPC;
	ram->taken[ram->ntaken++] = region;
	return 0;
}

/*
 * Finds the highest free spot of size bytes, aligned, and takes it.  Each
 * time a candidate collides with something already placed, we try again
 * just below that thing.
 */
static int place_high(struct ram_map *ram, uint64_t size, uint64_t align, struct boot_region *out)
{
	uint64_t limit = ram->end;

	while (limit - ram->start >= size) {
		struct boot_region spot;
		bool clash = false;

		spot.start = align_down(limit - size, align);
		spot.end = spot.start + size;
		if (spot.start < ram->start)
			break;
		for (unsigned i = 0; i < ram->ntaken && !clash; i++) {
			if (overlaps(&spot, &ram->taken[i])) {
				limit = ram->taken[i].start;
				clash = true;
			}
		}
		if (!clash) {
			*out = spot;
			return take(ram, spot);
		}
	}
	return -ENOMEM;
}

static bool inside_ram(struct machine *m, struct boot_region r)
{
	return r.start >= m->ram_base && r.end <= m->ram_base + m->ram_size && r.start <= r.end;
}

/* The message for "it does not all fit", with every size spelled out. */
static int ram_too_small(struct machine *m, const struct boot_files *files, uint64_t dtb_size,
                         struct boot_plan *plan)
{
	char ram[32], kernel[32], initrd[32], dtb[32];
	uint64_t needed = dtb_size + align_up(files->initrd_size, PAGE_SIZE) + PAGE_SIZE;
	const struct image *image = files->has_kernel ? &files->kernel : &files->firmware;
	uint64_t image_end = image->end > m->ram_base ? image->end - m->ram_base : 0;

	if (files->has_firmware)
		needed += FW_DYNAMIC_INFO_SIZE + BOOT_FW_JUMP_FDT_ROOM;
	needed = align_up(needed + align_up(image_end, PAGE_SIZE), MiB);
	format_size(m->ram_size, ram, sizeof(ram));
	format_size(image->end - image->start, kernel, sizeof(kernel));
	format_size(files->initrd_size, initrd, sizeof(initrd));
	format_size(dtb_size, dtb, sizeof(dtb));
	say(plan,
	    "RAM too small: %s of RAM cannot hold the %s (%s at 0x%llx, BSS included), "
	    "the initrd (%s) and the device tree (%s); --mem %lluM or more will do",
	    ram, files->has_kernel ? "kernel" : "firmware", kernel,
	    (unsigned long long)image->start, files->initrd_size ? initrd : "none", dtb,
	    (unsigned long long)(needed / MiB));
	return -ENOMEM;
}

/* Firmware keeps the start of RAM, and its stacks and heap just past its end. */
static int place_firmware(struct machine *m, struct boot_files *files, struct ram_map *ram,
                          uint64_t dtb_size, struct boot_plan *plan)
{
	struct image *fw = &files->firmware;

	plan->firmware = (struct boot_region){fw->start, fw->end};
	plan->firmware_format = fw->format;
	plan->firmware_entry = fw->entry;
	if (fw->start < m->ram_base) {
		say(plan, "firmware %s wants to be loaded at 0x%llx, below RAM at 0x%llx", fw->path,
		    (unsigned long long)fw->start, (unsigned long long)m->ram_base);
		return -EINVAL;
	}
	if (!inside_ram(m, plan->firmware))
		return ram_too_small(m, files, dtb_size, plan);
	return take(ram, (struct boot_region){fw->start, align_up(fw->end, 2 * MiB)});
}

/*
 * Debian's fw_jump copies the device tree to a fixed spot before it jumps
 * to the kernel.  We keep that spot free for it, unless the kernel itself
 * covers it: then it is worth a warning, since the kernel will clear its
 * BSS over the copy.
 */
static void keep_fw_jump_fdt_free(struct machine *m, struct ram_map *ram, struct boot_plan *plan)
{
	struct boot_region fw_jump_fdt = {
	        .start = m->ram_base + BOOT_FW_JUMP_FDT_OFFSET,
	        .end = m->ram_base + BOOT_FW_JUMP_FDT_OFFSET + BOOT_FW_JUMP_FDT_ROOM,
	};

	if (!inside_ram(m, fw_jump_fdt))
		return;
	if (overlaps(&fw_jump_fdt, &plan->kernel)) {
		snprintf(plan->warning, sizeof(plan->warning),
		         "the kernel reaches past 0x%llx, where OpenSBI's fw_jump copies the "
		         "device tree; fw_dynamic does not",
		         (unsigned long long)fw_jump_fdt.start);
		return;
	}
	take(ram, fw_jump_fdt);
}

static int place_kernel(struct machine *m, struct boot_files *files, struct ram_map *ram,
                        uint64_t dtb_size, struct boot_plan *plan)
{
	struct image *k = &files->kernel;

	plan->kernel = (struct boot_region){k->start, k->end};
	plan->kernel_format = k->format;
	plan->kernel_entry = k->entry;
	if (k->start < m->ram_base) {
		say(plan, "kernel %s wants to be loaded at 0x%llx, below RAM at 0x%llx", k->path,
		    (unsigned long long)k->start, (unsigned long long)m->ram_base);
		return -EINVAL;
	}
	if (!inside_ram(m, plan->kernel))
		return ram_too_small(m, files, dtb_size, plan);
	for (unsigned i = 0; i < ram->ntaken; i++) {
		if (files->has_firmware && overlaps(&plan->kernel, &ram->taken[i])) {
			say(plan,
			    "firmware %s (0x%llx..0x%llx) and kernel %s (0x%llx..0x%llx) overlap",
			    files->firmware.path, (unsigned long long)files->firmware.start,
			    (unsigned long long)files->firmware.end, k->path,
			    (unsigned long long)k->start, (unsigned long long)k->end);
			return -EINVAL;
		}
	}
	if (files->has_firmware && k->end > m->ram_base + BOOT_FW_JUMP_FDT_OFFSET)
		snprintf(plan->warning, sizeof(plan->warning),
		         "the kernel reaches past 0x%llx, where OpenSBI's fw_jump copies the "
		         "device tree; fw_dynamic does not",
		         (unsigned long long)(m->ram_base + BOOT_FW_JUMP_FDT_OFFSET));
	return take(ram, plan->kernel);
}

/*
 * Step 2: lay out RAM.  The device tree's size decides where it fits, and
 * it does not depend on the numbers in it, so a trial tree (with a dummy
 * initrd range) tells us the size before we know the addresses.
 */
static int plan_layout(struct machine *m, const struct boot_config *config,
                       struct boot_files *files, struct boot_plan *plan)
{
	struct machine_chosen trial = {
	        .bootargs = boot_bootargs(config),
	        .has_initrd = config->initrd != NULL,
	};
	struct ram_map ram = {.start = m->ram_base, .end = m->ram_base + m->ram_size};
	uint64_t dtb_size;
	int err;

	err = machine_build_fdt(m, &trial);
	if (err < 0) {
		say(plan, "cannot build the device tree: %s", strerror(-err));
		return err;
	}
	dtb_size = m->fdt_size;

	if (files->has_firmware) {
		err = place_firmware(m, files, &ram, dtb_size, plan);
		if (err < 0)
			return err;
	}
	if (files->has_kernel) {
		err = place_kernel(m, files, &ram, dtb_size, plan);
		if (err < 0)
			return err;
	}
	if (files->has_firmware)
		keep_fw_jump_fdt_free(m, &ram, plan);
	if (files->initrd_size > 0 &&
	    place_high(&ram, align_up(files->initrd_size, PAGE_SIZE), PAGE_SIZE, &plan->initrd) < 0)
		return ram_too_small(m, files, dtb_size, plan);
	plan->initrd.end = plan->initrd.start + files->initrd_size;
	if (place_high(&ram, align_up(dtb_size, PAGE_SIZE), PAGE_SIZE, &plan->dtb) < 0)
		return ram_too_small(m, files, dtb_size, plan);
	plan->dtb.end = plan->dtb.start + dtb_size;
	if (files->has_firmware &&
	    place_high(&ram, FW_DYNAMIC_INFO_SIZE, 8, &plan->fw_dynamic_info) < 0)
		return ram_too_small(m, files, dtb_size, plan);
	return 0;
}

/* Step 3: copy the files into guest RAM. */
static int load_files(struct machine *m, struct boot_files *files, struct boot_plan *plan)
{
	int err;

	if (files->has_firmware) {
		err = image_load(m->vm, &files->firmware, plan->error, sizeof(plan->error));
		if (err < 0)
			return err;
	}
	if (files->has_kernel) {
		err = image_load(m->vm, &files->kernel, plan->error, sizeof(plan->error));
		if (err < 0)
			return err;
	}
	if (files->initrd_size > 0) {
		err = read_into_guest(m->vm, files->initrd_fd, 0, plan->initrd.start,
		                      files->initrd_size);
		if (err < 0) {
			say(plan, "cannot load the initrd: %s", strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Step 4: the real device tree, now that the initrd has an address. */
static int write_device_tree(struct machine *m, const struct boot_config *config,
                             struct boot_plan *plan)
{
	struct machine_chosen chosen = {
	        .bootargs = boot_bootargs(config),
	        .has_initrd = config->initrd != NULL,
	        .initrd_start = plan->initrd.start,
	        .initrd_end = plan->initrd.end,
	};
	int err;

	err = machine_build_fdt(m, &chosen);
	if (err == 0 && m->fdt_size > align_up(plan->dtb.end - plan->dtb.start, PAGE_SIZE))
		err = -EOVERFLOW; /* cannot happen: the trial tree had the same shape */
	if (err == 0)
		err = hv_ram_write(m->vm, plan->dtb.start, m->fdt, m->fdt_size);
	if (err < 0) {
		say(plan, "cannot write the device tree: %s", strerror(-err));
		return err;
	}
	plan->dtb.end = plan->dtb.start + m->fdt_size;
	return 0;
}

/*
 * OpenSBI's fw_dynamic learns where to go next from this little struct
 * (a2 points at it): the kernel's address, that it runs in S-mode, and
 * that any hart may be the one that boots.  Other firmware ignores a2.
 */
static int write_fw_dynamic_info(struct machine *m, struct boot_plan *plan)
{
	uint64_t next = plan->kernel.end > plan->kernel.start ? plan->kernel_entry
	                                                      : m->ram_base + BOOT_KERNEL_OFFSET;
	const uint64_t words[6] = {
	        FW_DYNAMIC_INFO_MAGIC,
	        FW_DYNAMIC_INFO_VERSION,
	        next,
	        FW_DYNAMIC_NEXT_MODE_S,
	        0,          /* options */
	        UINT64_MAX, /* boot_hart: -1, any hart */
	};
	uint8_t bytes[FW_DYNAMIC_INFO_SIZE];
	int err;

	for (unsigned i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(words[i / 8] >> (8 * (i % 8)));
	err = hv_ram_write(m->vm, plan->fw_dynamic_info.start, bytes, sizeof(bytes));
	if (err < 0)
		say(plan, "cannot write the firmware's boot information: %s", strerror(-err));
	return err;
}

/* Step 5: where each hart's first instruction is. */
static int start_harts(struct machine *m, struct boot_plan *plan)
{
	for (unsigned hart = 0; hart < m->cpus; hart++) {
		struct hv_vcpu_boot *b = &plan->vcpu[hart];
		int err;

		b->a0 = hart;
		b->a1 = plan->dtb.start;
		if (plan->firmware_boot) {
			b->priv = HV_PRIV_M;
			b->pc = plan->firmware_entry;
			b->a2 = plan->fw_dynamic_info.start;
			b->stopped = false;
		} else {
			b->priv = HV_PRIV_S;
			b->pc = plan->kernel_entry;
			b->a2 = 0;
			b->stopped = hart != 0;
		}
		err = hv_vcpu_set_boot(m->vm, hart, b);
		if (err < 0) {
			say(plan, "cannot set the boot state of vCPU %u: %s", hart, strerror(-err));
			return err;
		}
	}
	return 0;
}

int boot_load(struct machine *m, const struct boot_config *config, struct boot_plan *plan)
{
	struct boot_files files = {.initrd_fd = -1};
	int err;

	memset(plan, 0, sizeof(*plan));
	plan->firmware_boot = config->firmware != NULL;
	if (!config->kernel && !config->firmware) {
		say(plan, "nothing to boot: give a kernel or a firmware");
		return -EINVAL;
	}
	err = open_files(m, config, &files, plan);
	if (err < 0)
		goto close;
	err = plan_layout(m, config, &files, plan);
	if (err < 0)
		goto close;
	err = load_files(m, &files, plan);
	if (err < 0)
		goto close;
	err = write_device_tree(m, config, plan);
	if (err < 0)
		goto close;
	if (plan->firmware_boot) {
		err = write_fw_dynamic_info(m, plan);
		if (err < 0)
			goto close;
	}
	err = start_harts(m, plan);
close:
	close_files(&files);
	return err;
}
