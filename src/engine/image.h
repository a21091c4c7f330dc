/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The files a guest boots from: what they are, and where they go.
 *
 * A kernel is either a RISC-V Linux "Image" (a flat binary with a 64-byte
 * header that says where it wants to sit and how much memory it covers)
 * or a riscv64 ELF executable (whose program headers say where each piece
 * goes).  Firmware is an ELF, or else a flat binary that runs from the
 * start of RAM.  image_open() works all that out from the file's first
 * bytes and its program headers, without touching guest memory;
 * image_load() then copies it in.
 */
#ifndef KENNEL_ENGINE_IMAGE_H
#define KENNEL_ENGINE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hv/hv.h"

enum image_role {
	IMAGE_KERNEL,
	IMAGE_FIRMWARE,
};

enum image_format {
	IMAGE_FLAT,  /* firmware only: the file is copied to the start of RAM */
	IMAGE_LINUX, /* a RISC-V Linux Image */
	IMAGE_ELF,   /* an ELF64 EM_RISCV executable */
};

/* One piece of the image: file bytes [offset, offset + filesz) go to paddr, zeros after. */
struct image_segment {
	uint64_t paddr, offset, filesz, memsz;
};

#define IMAGE_MAX_SEGMENTS 16

struct image {
	const char *path;
	int fd;
	uint64_t file_size;
	enum image_format format;
	uint64_t start, end; /* the guest-physical memory it covers, BSS included */
	uint64_t entry;      /* where its first instruction is */
	unsigned nsegments;
	struct image_segment segments[IMAGE_MAX_SEGMENTS];
};

/* The RISC-V Linux Image header (Documentation/riscv/boot-image-header.rst). */
#define IMAGE_HEADER_SIZE         64
#define IMAGE_TEXT_OFFSET_AT      0x08
#define IMAGE_SIZE_AT             0x10
#define IMAGE_FLAGS_AT            0x18
#define IMAGE_MAGIC_AT            0x30 /* "RISCV\0\0\0" (deprecated, still written) */
#define IMAGE_MAGIC2_AT           0x38 /* "RSC\x05" */
#define IMAGE_FLAG_BIG_ENDIAN     0x1
#define IMAGE_DEFAULT_TEXT_OFFSET 0x200000ull

#define EM_RISCV_MACHINE          243

/*
 * Opens path and works out what it is and where it goes (a Linux Image
 * at ram_base + its text_offset, a flat firmware at ram_base).  On error,
 * returns -errno with a sentence in why that names the file.
 */
int image_open(struct image *img, const char *path, enum image_role role, uint64_t ram_base,
               char *why, size_t why_len);
void image_close(struct image *img);

/* Copies the image into guest RAM, zero-filling each segment's BSS. */
int image_load(struct hv_vm *vm, const struct image *img, char *why, size_t why_len);

/* Opens a plain file (an initrd) and tells its size; names it in why on error. */
int open_sized_file(const char *path, const char *role, int *fd, uint64_t *size, char *why,
                    size_t why_len);

/* Reads len bytes at file offset into guest RAM at gpa. */
int read_into_guest(struct hv_vm *vm, int fd, uint64_t offset, uint64_t gpa, uint64_t len);

/*
 * Describes what a file that is not a riscv64 kernel looks like, from its
 * first bytes: "an x86-64 ELF", "gzip-compressed data", "text", ...
 */
const char *describe_foreign_file(const uint8_t *head, size_t len, char *buf, size_t buf_len);

const char *image_format_name(enum image_format format);

#endif
