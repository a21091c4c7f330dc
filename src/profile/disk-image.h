/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Raw disk images as the store handles them: sparse copies and fresh files. */
#ifndef KENNEL_DISK_IMAGE_H
#define KENNEL_DISK_IMAGE_H

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Copies the image src to dst, which must not exist yet.  Holes stay
 * holes: a reflink (FICLONE) where the file system shares blocks, else a
 * copy of the data extents only (SEEK_DATA / SEEK_HOLE), in which blocks of
 * zeros are not written either.  On failure or cancellation dst is removed.
 */
gboolean kennel_disk_image_copy(const char *src, const char *dst, GCancellable *cancellable,
                                GError **error);

/* A new, empty (all holes) image of size bytes; dst must not exist yet. */
gboolean kennel_disk_image_create(const char *path, guint64 size, GError **error);

G_END_DECLS

#endif
