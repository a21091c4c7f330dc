/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Booting: putting the kernel, initrd, device tree and firmware into guest
 * RAM, and telling each hart where its first instruction is.
 */
#ifndef KENNEL_ENGINE_BOOT_H
#define KENNEL_ENGINE_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/hv.h"
#include "image.h"

struct machine;

/* The kernel command line when none is given. */
#define BOOT_DEFAULT_APPEND_DIRECT   "console=hvc0 earlycon=sbi"
#define BOOT_DEFAULT_APPEND_FIRMWARE "console=ttyS0 earlycon"

/* Where a Linux Image goes when its header does not say (RAM base + 2 MiB). */
#define BOOT_KERNEL_OFFSET 0x200000ull
/*
 * Debian's OpenSBI fw_jump (generic platform) copies the device tree to
 * RAM base + 34 MiB before jumping to the kernel; we keep that spot free.
 */
#define BOOT_FW_JUMP_FDT_OFFSET 0x2200000ull
#define BOOT_FW_JUMP_FDT_ROOM   0x100000ull

/* OpenSBI's struct fw_dynamic_info (version 2), passed in a2 to fw_dynamic. */
#define FW_DYNAMIC_INFO_MAGIC   0x4942534full /* "OSBI" */
#define FW_DYNAMIC_INFO_VERSION 2
#define FW_DYNAMIC_INFO_SIZE    48 /* six 64-bit words */
#define FW_DYNAMIC_NEXT_MODE_S  1

struct boot_config {
	const char *kernel;   /* NULL: firmware only */
	const char *initrd;   /* NULL: none */
	const char *firmware; /* NULL: direct boot */
	const char *bootargs; /* NULL: the default for the boot method */
};

/* A range of guest-physical memory, [start, end); empty when start == end. */
struct boot_region {
	uint64_t start, end;
};

/* What boot_load() did: where everything went and how each hart starts. */
struct boot_plan {
	bool firmware_boot;
	struct boot_region firmware, kernel, initrd, dtb, fw_dynamic_info;
	enum image_format firmware_format, kernel_format;
	uint64_t firmware_entry, kernel_entry;
	struct hv_vcpu_boot vcpu[HV_MAX_VCPUS];
	char warning[256]; /* something odd but not fatal, or "" */
	char error[512];   /* why boot_load() failed */
};

/*
 * Loads the images named in config into the machine's RAM, builds and
 * places the device tree, and sets every vCPU's boot state.  Files are
 * read again at every call, so a reboot boots what is on disk now.  On
 * error returns -errno with a sentence in plan->error.
 */
int boot_load(struct machine *m, const struct boot_config *config, struct boot_plan *plan);

/* The command line boot_load() passes for config (the default if none). */
const char *boot_bootargs(const struct boot_config *config);

#endif
