/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sizes as people write and read them: 256M, 1G, "26.0 MiB". */
#ifndef KENNEL_ENGINE_UNITS_H
#define KENNEL_ENGINE_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)

/*
 * Parses "256M", "1G", "65536K", "2T" (binary units, case-insensitive, an
 * optional "iB" or "B" after the letter).  A plain number means MiB, as
 * with QEMU's -m.  Returns 0, -EINVAL if it is not a size, or -ERANGE if it
 * does not fit in 64 bits.
 */
int parse_size(const char *text, uint64_t *bytes);

/* "16 MiB", "26.3 MiB", "4.0 KiB", "100 bytes": whole units print without decimals. */
const char *format_size(uint64_t bytes, char *buf, size_t len);

#endif
