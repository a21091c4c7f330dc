// SPDX-License-Identifier: GPL-2.0-or-later
/* See fdt_writer.h: libfdt's sequential writer with a sticky error. */
#include "fdt_writer.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

static void note(struct fdt_writer *w, int ret)
{
	if (ret < 0 && w->err == 0)
		w->err = ret;
}

void fdtw_begin_node(struct fdt_writer *w, const char *name)
{
	if (w->err == 0)
		note(w, fdt_begin_node(w->fdt, name));
}

void fdtw_begin_node_at(struct fdt_writer *w, const char *name, uint64_t addr)
{
	char full[64];

	snprintf(full, sizeof(full), "%s@%llx", name, (unsigned long long)addr);
	fdtw_begin_node(w, full);
}

void fdtw_end_node(struct fdt_writer *w)
{
	if (w->err == 0)
		note(w, fdt_end_node(w->fdt));
}

void fdtw_empty(struct fdt_writer *w, const char *name)
{
	if (w->err == 0)
		note(w, fdt_property(w->fdt, name, NULL, 0));
}

void fdtw_string(struct fdt_writer *w, const char *name, const char *value)
{
	if (w->err == 0)
		note(w, fdt_property_string(w->fdt, name, value));
}

void fdtw_strings(struct fdt_writer *w, const char *name, const char *const *values)
{
	char list[256];
	size_t used = 0;

	for (; *values; values++) {
		size_t len = strlen(*values) + 1;

		if (used + len > sizeof(list)) {
			note(w, -FDT_ERR_BADVALUE);
			return;
		}
		memcpy(list + used, *values, len);
		used += len;
	}
	fdtw_bytes(w, name, list, used);
}

void fdtw_u32(struct fdt_writer *w, const char *name, uint32_t value)
{
	if (w->err == 0)
		note(w, fdt_property_u32(w->fdt, name, value));
}

void fdtw_u64(struct fdt_writer *w, const char *name, uint64_t value)
{
	if (w->err == 0)
		note(w, fdt_property_u64(w->fdt, name, value));
}

void fdtw_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t count)
{
	fdt32_t *value;
	int ret;

	if (w->err != 0)
		return;
	ret = fdt_property_placeholder(w->fdt, name, (int)(count * sizeof(*value)),
	                               (void **)&value);
	note(w, ret);
	if (ret < 0)
		return;
	for (size_t i = 0; i < count; i++)
		value[i] = cpu_to_fdt32(cells[i]);
}

void fdtw_bytes(struct fdt_writer *w, const char *name, const void *data, size_t len)
{
	if (w->err == 0)
		note(w, fdt_property(w->fdt, name, data, (int)len));
}

void fdtw_reg(struct fdt_writer *w, uint64_t base, uint64_t size)
{
	const uint32_t reg[4] = {
	        (uint32_t)(base >> 32),
	        (uint32_t)base,
	        (uint32_t)(size >> 32),
	        (uint32_t)size,
	};

	fdtw_cells(w, "reg", reg, 4);
}
