/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Between the profile library's files, and for its tests: not an API. */
#ifndef KENNEL_PROFILE_PRIVATE_H
#define KENNEL_PROFILE_PRIVATE_H

#include <sys/types.h>

#include "profile.h"

G_BEGIN_DECLS

/*
 * The write(2) that saving goes through.  Tests replace it to inject a
 * failure (or a crash) in the middle of a save.
 */
extern ssize_t (*kennel_profile_write_fn)(int fd, const void *buf, size_t count);

/* Tests set this to take the copy-by-extents path even where FICLONE works. */
extern gboolean kennel_profile_no_reflink;

/* Writes data to path atomically: temp file in the same dir, fsync, rename. */
gboolean kennel_profile_write_file(const char *path, const char *data, gsize length,
                                   GError **error);

G_END_DECLS

#endif
