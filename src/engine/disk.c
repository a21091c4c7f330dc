// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kennel-engine disk create [--force] FILE SIZE`: a new raw disk image.
 *
 * The image is a sparse file: it takes no room on the host until the
 * guest writes, and a discard in the guest gives the room back.  We never
 * replace an existing file unless asked to, and never one that a running
 * engine has locked.
 */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "units.h"
#include "virtio/virtio_blk.h"

#define PROGRAM "kennel-engine disk"

void disk_usage(FILE *out)
{
	fprintf(out, "Usage: kennel-engine disk create [--force] FILE SIZE\n"
	             "\n"
	             "Creates FILE, a sparse raw disk image of SIZE bytes for --disk.\n"
	             "SIZE is a number with K, M, G or T (binary units: 1G is 1024 MiB); a\n"
	             "plain number is MiB.  It must be a whole number of 512-byte sectors.\n"
	             "\n"
	             "  -f, --force  replace FILE if it exists (unless an engine is using it)\n"
	             "  -h, --help   this help\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, PROGRAM " create: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'kennel-engine disk --help'.\n");
	return EXIT_USAGE;
}

static int parse_disk_size(const char *text, uint64_t *bytes)
{
	int err = parse_size(text, bytes);

	if (err == -EINVAL)
		return usage_error(
		        "'%s' is not a size (try 512M or 10G: a number and K, M, G or T)", text);
	if (err == -ERANGE || *bytes > (uint64_t)INT64_MAX)
		return usage_error("size %s is too large", text);
	if (*bytes == 0)
		return usage_error("size %s is zero: a disk needs at least one sector", text);
	if (*bytes % VIRTIO_BLK_SECTOR_SIZE != 0)
		return usage_error("size %s is not a whole number of 512-byte sectors", text);
	return 0;
}

/* Makes the file: a new one, or with force an existing one emptied (locked first). */
static int create_image(const char *path, uint64_t bytes, bool force)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? 0 : O_EXCL), 0644);
	struct stat st;
	char size[32];
	int err;

	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr,
			        PROGRAM " create: %s already exists (--force replaces it)\n", path);
		else
			fprintf(stderr, PROGRAM " create: cannot create %s: %s\n", path,
			        strerror(errno));
		return EXIT_SETUP_ERROR;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, PROGRAM " create: %s is not a regular file\n", path);
		goto fail;
	}
	err = virtio_blk_lock(fd, false);
	if (err < 0) {
		if (err == -EAGAIN)
			fprintf(stderr,
			        PROGRAM " create: disk %s is in use by another engine (locked)\n",
			        path);
		else
			fprintf(stderr, PROGRAM " create: cannot lock %s: %s\n", path,
			        strerror(-err));
		goto fail;
	}
	/* Truncating to zero first drops every old block: the new image is all holes. */
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)bytes) < 0) {
		fprintf(stderr, PROGRAM " create: cannot make %s %s long: %s\n", path,
		        format_size(bytes, size, sizeof(size)), strerror(errno));
		if (!force)
			unlink(path);
		goto fail;
	}
	if (close(fd) < 0) {
		fprintf(stderr, PROGRAM " create: %s: %s\n", path, strerror(errno));
		return EXIT_SETUP_ERROR;
	}
	printf("%s: %s sparse disk image\n", path, format_size(bytes, size, sizeof(size)));
	return 0;

fail:
	close(fd);
	return EXIT_SETUP_ERROR;
}

static int create_command(int argc, char **argv)
{
	static const struct option options[] = {
	        {"force", no_argument, NULL, 'f'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	bool force = false;
	uint64_t bytes;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+fh", options, NULL)) != -1) {
		switch (opt) {
		case 'f': force = true; break;
		case 'h': disk_usage(stdout); return 0;
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, PROGRAM " create: give FILE and SIZE\n");
		fprintf(stderr, "Try 'kennel-engine disk --help'.\n");
		return EXIT_USAGE;
	}
	if (parse_disk_size(argv[optind + 1], &bytes) != 0)
		return EXIT_USAGE;
	return create_image(argv[optind], bytes, force);
}

int disk_command(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub) {
		disk_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(sub, "create") == 0)
		return create_command(argc - 1, argv + 1);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		disk_usage(stdout);
		return 0;
	}
	fprintf(stderr, PROGRAM ": unknown command '%s'\n", sub);
	fprintf(stderr, "Try 'kennel-engine disk --help'.\n");
	return EXIT_USAGE;
}
