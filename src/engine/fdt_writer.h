/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A thin layer over libfdt's sequential-write API with a sticky error.
 *
 * A device tree is written top to bottom, node by node, like a document.
 * libfdt returns an error from every call; checking each one would bury
 * the shape of the tree under if-statements.  So the writer remembers the
 * first error and turns every later call into a no-op: the code reads like
 * the tree it writes, and the caller checks w->err once at the end.
 */
#ifndef KENNEL_ENGINE_FDT_WRITER_H
#define KENNEL_ENGINE_FDT_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct fdt_writer {
	void *fdt;
	int err; /* the first libfdt error (negative FDT_ERR_*), 0 while all is well */
};

void fdtw_begin_node(struct fdt_writer *w, const char *name);
/* Begins "name@<addr in hex>", the usual name of a node with a reg. */
void fdtw_begin_node_at(struct fdt_writer *w, const char *name, uint64_t addr);
void fdtw_end_node(struct fdt_writer *w);

void fdtw_empty(struct fdt_writer *w, const char *name);
void fdtw_string(struct fdt_writer *w, const char *name, const char *value);
/* A string list from a NULL-terminated array, e.g. a compatible property. */
void fdtw_strings(struct fdt_writer *w, const char *name, const char *const *values);
void fdtw_u32(struct fdt_writer *w, const char *name, uint32_t value);
void fdtw_u64(struct fdt_writer *w, const char *name, uint64_t value);
/* count 32-bit cells, given in host order. */
void fdtw_cells(struct fdt_writer *w, const char *name, const uint32_t *cells, size_t count);
void fdtw_bytes(struct fdt_writer *w, const char *name, const void *data, size_t len);
/* reg = <base size> with #address-cells = #size-cells = 2. */
void fdtw_reg(struct fdt_writer *w, uint64_t base, uint64_t size);

#endif
