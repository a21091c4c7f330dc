// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel and firmware files: telling what they are, and loading them.
 * See image.h.  Every number read from a file is checked before it is
 * trusted: a file is as untrusted as the guest it will become.
 */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "units.h"

#define HEAD_BYTES 512

/* ELF: the few fields we read (ELF-64 Object File Format). */
#define ELF_CLASS_AT      4
#define ELF_DATA_AT       5
#define ELF_CLASS_32      1
#define ELF_CLASS_64      2
#define ELF_DATA_LITTLE   1
#define ELF_MACHINE_AT    18
#define ELF_ENTRY_AT      24
#define ELF_PHOFF_AT      32
#define ELF_PHENTSIZE_AT  54
#define ELF_PHNUM_AT      56
#define ELF64_HEADER_SIZE 64
#define ELF64_PHDR_SIZE   56
#define ELF_MAX_PHDRS     64
#define ELF_PT_LOAD       1

static void say(char *why, size_t why_len, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

const char *image_format_name(enum image_format format)
{
	switch (format) {
	case IMAGE_FLAT: return "flat binary";
	case IMAGE_LINUX: return "Linux Image";
	case IMAGE_ELF: return "ELF";
	}
	return "?";
}

static const char *role_name(enum image_role role)
{
	return role == IMAGE_KERNEL ? "kernel" : "firmware";
}

int open_sized_file(const char *path, const char *role, int *fd_out, uint64_t *size, char *why,
                    size_t why_len)
{
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		say(why, why_len, "cannot open %s %s: %s", role, path, strerror(errno));
		return err;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		say(why, why_len, "cannot read %s %s: %s", role, path, strerror(errno));
		goto close_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		say(why, why_len, "%s %s is not a regular file", role, path);
		goto close_fd;
	}
	if (st.st_size == 0) {
		err = -EINVAL;
		say(why, why_len, "%s %s is empty", role, path);
		goto close_fd;
	}
	*fd_out = fd;
	*size = (uint64_t)st.st_size;
	return 0;

close_fd:
	close(fd);
	return err;
}

/* Reads exactly len bytes at offset, or fails (a file that shrank gives -EIO). */
static int read_exact(int fd, void *buf, size_t len, uint64_t offset)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

int read_into_guest(struct hv_vm *vm, int fd, uint64_t offset, uint64_t gpa, uint64_t len)
{
	void *dst;

	if (len == 0)
		return 0;
	if (len > SIZE_MAX)
		return -EFAULT;
	dst = hv_ram_ptr(vm, gpa, len, true);
	if (!dst)
		return -EFAULT;
	return read_exact(fd, dst, (size_t)len, offset);
}

static bool is_elf(const uint8_t *head, size_t len)
{
	return len >= 20 && memcmp(head, "\177ELF", 4) == 0;
}

static bool is_linux_image(const uint8_t *head, size_t len)
{
	if (len < IMAGE_HEADER_SIZE)
		return false;
	return memcmp(head + IMAGE_MAGIC2_AT, "RSC\x05", 4) == 0 ||
	       memcmp(head + IMAGE_MAGIC_AT, "RISCV\0\0\0", 8) == 0;
}

static bool is_riscv64_elf(const uint8_t *head, size_t len)
{
	return is_elf(head, len) && len >= ELF64_HEADER_SIZE &&
	       head[ELF_CLASS_AT] == ELF_CLASS_64 && head[ELF_DATA_AT] == ELF_DATA_LITTLE &&
	       le16(head + ELF_MACHINE_AT) == EM_RISCV_MACHINE;
}

/* "an x86-64", "a riscv32": the article comes with the name. */
static const char *elf_machine_name(unsigned machine, bool is64)
{
	switch (machine) {
	case 2: return "a SPARC";
	case 3: return "an x86 (i386)";
	case 8: return is64 ? "a MIPS64" : "a MIPS";
	case 20: return "a PowerPC";
	case 21: return "a PowerPC64";
	case 22: return "an s390";
	case 40: return "a 32-bit ARM";
	case 43: return "a SPARC64";
	case 62: return "an x86-64";
	case 183: return "an arm64";
	case 243: return is64 ? "a riscv64" : "a riscv32";
	case 258: return "a LoongArch";
	default: return NULL;
	}
}

static bool looks_like_text(const uint8_t *head, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = head[i];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
			return false;
		if (c == 0x7f)
			return false;
	}
	return true;
}

const char *describe_foreign_file(const uint8_t *head, size_t len, char *buf, size_t buf_len)
{
	if (is_elf(head, len)) {
		bool is64 = head[ELF_CLASS_AT] == ELF_CLASS_64;
		bool little = head[ELF_DATA_AT] == ELF_DATA_LITTLE;
		const uint8_t *m = head + ELF_MACHINE_AT;
		unsigned machine = little ? le16(m) : (unsigned)(m[0] << 8 | m[1]);
		const char *name = elf_machine_name(machine, is64);

		if (name)
			snprintf(buf, buf_len, "%s%s ELF", name, little ? "" : " big-endian");
		else
			snprintf(buf, buf_len, "an ELF for machine %u", machine);
		return buf;
	}
	if (len >= 0x40 && memcmp(head + 0x38, "ARM\x64", 4) == 0)
		return "an arm64 Image";
	if (len >= 0x206 && memcmp(head + 0x202, "HdrS", 4) == 0)
		return "an x86 bzImage";
	if (len >= 2 && memcmp(head, "MZ", 2) == 0)
		return "a PE/EFI executable";
	if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return "gzip-compressed data: decompress it first";
	if (len >= 6 && memcmp(head,
	                       "\xfd"
	                       "7zXZ\0",
	                       6) == 0)
		return "xz-compressed data: decompress it first";
	if (len >= 4 && memcmp(head, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd-compressed data: decompress it first";
	if (len >= 4 && memcmp(head, "\x27\x05\x19\x56", 4) == 0)
		return "a U-Boot uImage";
	if (len >= 4 && memcmp(head, "\xd0\x0d\xfe\xed", 4) == 0)
		return "a device tree blob";
	if (len >= 6 && memcmp(head, "070701", 6) == 0)
		return "a cpio archive (an initramfs?)";
	if (looks_like_text(head, len))
		return "it looks like text";
	return "unknown data";
}

static int parse_linux_image(struct image *img, const uint8_t *head, uint64_t ram_base, char *why,
                             size_t why_len)
{
	uint64_t text_offset = le64(head + IMAGE_TEXT_OFFSET_AT);
	uint64_t image_size = le64(head + IMAGE_SIZE_AT);
	uint64_t flags = le64(head + IMAGE_FLAGS_AT);
	uint64_t span;

	if (flags & IMAGE_FLAG_BIG_ENDIAN) {
		say(why, why_len,
		    "kernel %s is a big-endian Image; riscv64 guests are little-endian", img->path);
		return -EINVAL;
	}
	if (text_offset % 4096 != 0 || text_offset >= 64 * GiB) {
		say(why, why_len,
		    "kernel %s: its Image header asks for text_offset 0x%llx, "
		    "which is not a sensible page-aligned offset",
		    img->path, (unsigned long long)text_offset);
		return -EINVAL;
	}
	/* image_size covers the BSS too; a header older than version 0.2 leaves it 0. */
	span = image_size > img->file_size ? image_size : img->file_size;
	if (span >= 64 * GiB) {
		say(why, why_len, "kernel %s: its Image header claims %llu bytes", img->path,
		    (unsigned long long)span);
		return -EINVAL;
	}
	img->format = IMAGE_LINUX;
	img->start = ram_base + text_offset;
	img->end = img->start + span;
	img->entry = img->start;
	img->nsegments = 1;
	img->segments[0] = (struct image_segment){
	        .paddr = img->start, .offset = 0, .filesz = img->file_size, .memsz = span};
	return 0;
}

/* Checks one PT_LOAD program header against the file and adds it. */
static int add_elf_segment(struct image *img, const uint8_t *ph, unsigned index, char *why,
                           size_t why_len)
{
	struct image_segment s = {
	        .offset = le64(ph + 8),
	        .paddr = le64(ph + 24),
	        .filesz = le64(ph + 32),
	        .memsz = le64(ph + 40),
	};

	if (s.memsz == 0)
		return 0;
	if (s.filesz > s.memsz || s.offset > img->file_size ||
	    s.filesz > img->file_size - s.offset || s.paddr + s.memsz < s.paddr) {
		say(why, why_len,
		    "%s: program header %u is inconsistent (offset 0x%llx, "
		    "file size 0x%llx, memory size 0x%llx, file is %llu bytes)",
		    img->path, index, (unsigned long long)s.offset, (unsigned long long)s.filesz,
		    (unsigned long long)s.memsz, (unsigned long long)img->file_size);
		return -EINVAL;
	}
	if (img->nsegments == IMAGE_MAX_SEGMENTS) {
		say(why, why_len, "%s has more than %d loadable segments", img->path,
		    IMAGE_MAX_SEGMENTS);
		return -E2BIG;
	}
	img->segments[img->nsegments++] = s;
	if (img->nsegments == 1 || s.paddr < img->start)
		img->start = s.paddr;
	if (img->nsegments == 1 || s.paddr + s.memsz > img->end)
		img->end = s.paddr + s.memsz;
	return 0;
}

/* An ELF is loaded by its program headers' physical addresses. */
static int parse_elf(struct image *img, const uint8_t *head, char *why, size_t why_len)
{
	uint8_t phdrs[ELF_MAX_PHDRS * ELF64_PHDR_SIZE];
	uint64_t phoff = le64(head + ELF_PHOFF_AT);
	unsigned phentsize = le16(head + ELF_PHENTSIZE_AT);
	unsigned phnum = le16(head + ELF_PHNUM_AT);
	size_t table = (size_t)phnum * ELF64_PHDR_SIZE;
	int err;

	if (phentsize != ELF64_PHDR_SIZE || phnum == 0 || phnum > ELF_MAX_PHDRS ||
	    phoff > img->file_size || table > img->file_size - phoff) {
		say(why, why_len, "%s: its ELF program header table is missing or broken",
		    img->path);
		return -EINVAL;
	}
	err = read_exact(img->fd, phdrs, table, phoff);
	if (err < 0) {
		say(why, why_len, "cannot read %s: %s", img->path, strerror(-err));
		return err;
	}
	img->format = IMAGE_ELF;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = phdrs + i * ELF64_PHDR_SIZE;

		if (le32(ph) != ELF_PT_LOAD)
			continue;
		err = add_elf_segment(img, ph, i, why, why_len);
		if (err < 0)
			return err;
	}
	if (img->nsegments == 0) {
		say(why, why_len, "%s: its ELF has nothing to load", img->path);
		return -EINVAL;
	}
	img->entry = le64(head + ELF_ENTRY_AT);
	return 0;
}

static void set_flat(struct image *img, uint64_t ram_base)
{
	img->format = IMAGE_FLAT;
	img->start = ram_base;
	img->end = ram_base + img->file_size;
	img->entry = ram_base;
	img->nsegments = 1;
	img->segments[0] = (struct image_segment){
	        .paddr = ram_base, .offset = 0, .filesz = img->file_size, .memsz = img->file_size};
}

/* Says what a file is when it is not what its role needs. */
static int reject(struct image *img, enum image_role role, const uint8_t *head, size_t len,
                  char *why, size_t why_len)
{
	char what[64];
	const char *desc = describe_foreign_file(head, len, what, sizeof(what));

	if (is_elf(head, len))
		say(why, why_len, "%s %s is %s, not a riscv64 Image or ELF", role_name(role),
		    img->path, desc);
	else
		say(why, why_len, "%s %s is not an Image or ELF (%s)", role_name(role), img->path,
		    desc);
	return -ENOEXEC;
}

static int identify(struct image *img, enum image_role role, uint64_t ram_base, const uint8_t *head,
                    size_t len, char *why, size_t why_len)
{
	if (is_riscv64_elf(head, len))
		return parse_elf(img, head, why, why_len);
	if (role == IMAGE_KERNEL && is_linux_image(head, len))
		return parse_linux_image(img, head, ram_base, why, why_len);
	if (is_elf(head, len) || role == IMAGE_KERNEL)
		return reject(img, role, head, len, why, why_len);
	/* Firmware that is no ELF is a flat binary: its first byte is its entry point. */
	set_flat(img, ram_base);
	return 0;
}

int image_open(struct image *img, const char *path, enum image_role role, uint64_t ram_base,
               char *why, size_t why_len)
{
	uint8_t head[HEAD_BYTES];
	size_t len;
	int err;

	memset(img, 0, sizeof(*img));
	img->path = path;
	img->fd = -1;
	err = open_sized_file(path, role_name(role), &img->fd, &img->file_size, why, why_len);
	if (err < 0)
		return err;
	len = img->file_size < HEAD_BYTES ? (size_t)img->file_size : HEAD_BYTES;
	err = read_exact(img->fd, head, len, 0);
	if (err < 0) {
		say(why, why_len, "cannot read %s %s: %s", role_name(role), path, strerror(-err));
		goto close_file;
	}
	err = identify(img, role, ram_base, head, len, why, why_len);
	if (err < 0)
		goto close_file;
	return 0;

close_file:
	image_close(img);
	return err;
}

void image_close(struct image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}

int image_load(struct hv_vm *vm, const struct image *img, char *why, size_t why_len)
{
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct image_segment *s = &img->segments[i];
		uint64_t bss = s->memsz - s->filesz;
		uint8_t *zeros;
		int err;

		err = read_into_guest(vm, img->fd, s->offset, s->paddr, s->filesz);
		if (err < 0) {
			say(why, why_len, "cannot load %s at 0x%llx: %s", img->path,
			    (unsigned long long)s->paddr, strerror(-err));
			return err;
		}
		if (bss == 0)
			continue;
		zeros = hv_ram_ptr(vm, s->paddr + s->filesz, bss, true);
		if (!zeros) {
			say(why, why_len, "cannot clear the BSS of %s at 0x%llx", img->path,
			    (unsigned long long)(s->paddr + s->filesz));
			return -EFAULT;
		}
		memset(zeros, 0, (size_t)bss);
	}
	return 0;
}
