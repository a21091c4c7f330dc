// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blk-randread: random 4 KiB O_DIRECT reads from a block device, timed
 * inside the guest.  A static riscv64 program that bench-blk.py hands the
 * guest on a small second disk (the demo guest's BusyBox has no tool that
 * seeks more than once per process).
 *
 *   blk-randread DEVICE SPAN_BYTES COUNT
 *
 * Reads COUNT blocks at pseudo-random 4 KiB-aligned offsets below
 * SPAN_BYTES and prints "KENNEL-BLK-RANDREAD COUNT SECONDS".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096

static uint8_t buf[BLOCK] __attribute__((aligned(BLOCK)));

int main(int argc, char **argv)
{
	struct timespec a, b;
	uint64_t span, count, x = 0x9e3779b97f4a7c15ull;
	int fd;

	if (argc != 4)
		return 2;
	span = strtoull(argv[2], NULL, 0) / BLOCK;
	count = strtoull(argv[3], NULL, 0);
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0 || span == 0) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (uint64_t i = 0; i < count; i++) {
		x ^= x << 13; /* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		if (pread(fd, buf, BLOCK, (off_t)((x % span) * BLOCK)) != BLOCK) {
			perror("pread");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("KENNEL-BLK-RANDREAD %llu %.6f\n", (unsigned long long)count,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
