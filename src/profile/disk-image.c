// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copying a guest's disk without filling its holes.  A 10 GiB image that
 * holds 300 MiB of data should cost 300 MiB on the host after a clone, not
 * 10 GiB; first we ask the file system to share the blocks (FICLONE, on
 * btrfs and XFS), and when it cannot, we walk the data extents with
 * SEEK_DATA / SEEK_HOLE and copy only those, skipping runs of zeros too.
 */
#include "disk-image.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile-private.h"
#include "profile.h"

#define CHUNK (256 * 1024)

gboolean kennel_profile_no_reflink;

static gboolean io_fail(GError **error, const char *path, const char *what, int err)
{
	g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO, "%s: %s: %s", path, what,
	            g_strerror(err));
	return FALSE;
}

static gboolean all_zero(const guint8 *buf, gsize len)
{
	return len == 0 || (buf[0] == 0 && memcmp(buf, buf + 1, len - 1) == 0);
}

/* Copies [start, end) of in to out, leaving blocks of zeros as holes. */
static int copy_range(int in, int out, off_t start, off_t end, guint8 *buf,
                      GCancellable *cancellable)
{
	while (start < end) {
		size_t want = (size_t)MIN((off_t)CHUNK, end - start);
		ssize_t n = pread(in, buf, want, start);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank under us */
		if (g_cancellable_is_cancelled(cancellable))
			return -ECANCELED;
		if (!all_zero(buf, (gsize)n)) {
			for (ssize_t done = 0; done < n;) {
				ssize_t w =
				        pwrite(out, buf + done, (size_t)(n - done), start + done);

				if (w < 0 && errno == EINTR)
					continue;
				if (w < 0)
					return -errno;
				done += w;
			}
		}
		start += n;
	}
	return 0;
}

/* The extents walk: SEEK_DATA finds the next data, SEEK_HOLE its end. */
static int copy_extents(int in, int out, off_t size, GCancellable *cancellable)
{
	g_autofree guint8 *buf = g_malloc(CHUNK);
	off_t pos = 0;

	while (pos < size) {
		off_t data = lseek(in, pos, SEEK_DATA), hole;
		int err;

		if (data < 0 && errno == ENXIO)
			break; /* only a hole from here on */
		if (data < 0) {
			/* No SEEK_DATA here: everything is data (zeros still skipped). */
			return copy_range(in, out, pos, size, buf, cancellable);
		}
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		err = copy_range(in, out, data, MIN(hole, size), buf, cancellable);
		if (err < 0)
			return err;
		pos = hole;
	}
	return 0;
}

gboolean kennel_disk_image_copy(const char *src, const char *dst, GCancellable *cancellable,
                                GError **error)
{
	struct stat st;
	int in, out, err = 0;
	gboolean cloned = FALSE;

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return io_fail(error, src, "cannot open the disk image", errno);
	if (fstat(in, &st) < 0) {
		err = errno;
		close(in);
		return io_fail(error, src, "cannot read its size", err);
	}
	if (!S_ISREG(st.st_mode)) {
		close(in);
		g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
		            "%s: not a regular file: only image files are copied", src);
		return FALSE;
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		err = errno;
		close(in);
		return io_fail(error, dst, "cannot create the copy", err);
	}
	if (!kennel_profile_no_reflink && ioctl(out, FICLONE, in) == 0)
		cloned = TRUE;
	if (!cloned) {
		if (ftruncate(out, st.st_size) < 0)
			err = -errno;
		else
			err = copy_extents(in, out, st.st_size, cancellable);
	}
	if (err == 0 && fsync(out) < 0)
		err = -errno;
	close(in);
	if (close(out) < 0 && err == 0)
		err = -errno;
	if (err < 0) {
		unlink(dst);
		if (err == -ECANCELED)
			return !g_cancellable_set_error_if_cancelled(cancellable, error);
		return io_fail(error, dst, "cannot copy the disk image", -err);
	}
	return TRUE;
}

gboolean kennel_disk_image_create(const char *path, guint64 size, GError **error)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), err;

	if (fd < 0)
		return io_fail(error, path, "cannot create the disk image", errno);
	if (ftruncate(fd, (off_t)size) < 0 || fsync(fd) < 0) {
		err = errno;
		close(fd);
		unlink(path);
		return io_fail(error, path, "cannot create the disk image", err);
	}
	close(fd);
	return TRUE;
}
