// SPDX-License-Identifier: GPL-2.0-or-later
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static int unit_shift(const char *suffix, unsigned *shift)
{
	static const char letters[] = "KMGTP";

	if (*suffix == '\0') {
		*shift = 20; /* a plain number is MiB */
		return 0;
	}
	for (unsigned i = 0; letters[i]; i++) {
		if (toupper((unsigned char)suffix[0]) != letters[i])
			continue;
		if (suffix[1] == '\0' || strcasecmp(suffix + 1, "B") == 0 ||
		    strcasecmp(suffix + 1, "iB") == 0) {
			*shift = 10 * (i + 1);
			return 0;
		}
	}
	if (strcasecmp(suffix, "B") == 0) {
		*shift = 0;
		return 0;
	}
	return -EINVAL;
}

int parse_size(const char *text, uint64_t *bytes)
{
	unsigned long long number;
	unsigned shift;
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return -EINVAL;
	errno = 0;
	number = strtoull(text, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (unit_shift(end, &shift) < 0)
		return -EINVAL;
	if (shift > 0 && number > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = (uint64_t)number << shift;
	return 0;
}

const char *format_size(uint64_t bytes, char *buf, size_t len)
{
	static const struct {
		uint64_t size;
		const char *name;
	} units[] = {{GiB, "GiB"}, {MiB, "MiB"}, {KiB, "KiB"}};

	for (unsigned i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (bytes < units[i].size)
			continue;
		if (bytes % units[i].size == 0)
			snprintf(buf, len, "%llu %s", (unsigned long long)(bytes / units[i].size),
			         units[i].name);
		else
			snprintf(buf, len, "%.1f %s", (double)bytes / (double)units[i].size,
			         units[i].name);
		return buf;
	}
	snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	return buf;
}
