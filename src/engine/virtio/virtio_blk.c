// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-blk: a raw image file as the guest's disk.
 *
 * One queue, the requestq.  A request is a chain of three parts:
 *
 *   a 16-byte header the device reads     type, reserved, sector
 *   the data                              read-only for a write, writable for a read
 *   one status byte the device writes     OK, IOERR or UNSUPP
 *
 * Our journey through a request: the backend thread wakes on a kick,
 * takes the chain from the ring, and reads the header out of guest RAM
 * once.  Everything it says is hostile: the header must be there, the
 * status byte must be the last writable byte, the data a whole number of
 * sectors that lie inside the disk.  A request that cannot be answered at
 * all (no header, no status byte) makes the device need a reset; one that
 * asks for something wrong gets IOERR or UNSUPP.  The backend answers
 * small things itself (GET_ID, errors) and hands the host I/O to a small
 * pool of worker threads, which preadv()/pwritev() straight between the
 * image and the guest's buffers: the chain's iovecs already point into
 * guest RAM, each checked by the walker.  Several requests are in flight
 * at once.  A worker that finishes puts its request on the done list and
 * wakes the backend, which writes the status bytes, gives the chains back
 * and interrupts the driver once for the lot.
 *
 * The workers never take the transport's lock, so a reset (which holds
 * it) can wait for them: after the device's reset returns no worker
 * touches guest memory, and neither does anyone after the engine has
 * destroyed the device.
 */
#include "virtio_blk.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtio_mmio.h"

#define REQUESTQ                0
#define WORKERS                 2
#define HEADER_BYTES            16
#define SEGMENT_BYTES           16
#define WRITE_ZEROES_FLAG_UNMAP 1u
#define INLINE_MAX              (256u << 10) /* reads tried on the backend thread */

/* struct virtio_blk_config (5.2.4): the fields we fill. */
#define CONFIG_CAPACITY                 0
#define CONFIG_SEG_MAX                  12
#define CONFIG_BLK_SIZE                 20
#define CONFIG_MAX_DISCARD_SECTORS      36
#define CONFIG_MAX_DISCARD_SEG          40
#define CONFIG_DISCARD_ALIGNMENT        44
#define CONFIG_MAX_WRITE_ZEROES_SECTORS 48
#define CONFIG_MAX_WRITE_ZEROES_SEG     52
#define CONFIG_WRITE_ZEROES_MAY_UNMAP   56
#define CONFIG_SIZE                     60

struct virtio_blk {
	struct virtio_blk_image image;
	struct virtio_mmio *transport;

	/* The lists below and the workers' state; never held with anything else. */
	pthread_mutex_t lock;
	pthread_cond_t work;             /* workers wait for requests */
	pthread_cond_t idle;             /* reset waits for the workers to finish */
	struct virtio_blk_request *free; /* spare requests */
	struct virtio_blk_request *queued, **queued_tail; /* waiting for a worker */
	struct virtio_blk_request *done, **done_tail;     /* executed, not yet given back */
	unsigned active;                                  /* requests a worker is executing */
	unsigned allocated;
	bool stopping;
	unsigned workers;
	pthread_t worker[WORKERS];
	bool logged_io_error;
};

/*
 * Parsing.
 */

/* The bytes [skip, skip + len) of the buffers iov[0..n) as new iovecs. */
static unsigned slice(const struct iovec *iov, unsigned n, size_t skip, size_t len,
                      struct iovec *out)
{
	unsigned count = 0;

	for (unsigned i = 0; i < n && len > 0; i++) {
		size_t here = iov[i].iov_len;

		if (skip >= here) {
			skip -= here;
			continue;
		}
		here -= skip;
		if (here > len)
			here = len;
		out[count].iov_base = (uint8_t *)iov[i].iov_base + skip;
		out[count].iov_len = here;
		count++;
		len -= here;
		skip = 0;
	}
	return count;
}

/* The last byte of the chain's writable buffers (there is one). */
static uint8_t *last_writable_byte(struct virtq_chain *chain)
{
	for (unsigned i = chain->readable + chain->writable; i-- > chain->readable;)
		if (chain->iov[i].iov_len > 0)
			return (uint8_t *)chain->iov[i].iov_base + chain->iov[i].iov_len - 1;
	return NULL;
}

/* len bytes from sector on: a whole number of sectors, all inside the disk? */
static bool range_ok(const struct virtio_blk_image *image, uint64_t sector, uint64_t len)
{
	return len % VIRTIO_BLK_SECTOR_SIZE == 0 && sector <= image->capacity &&
	       len / VIRTIO_BLK_SECTOR_SIZE <= image->capacity - sector;
}

static enum virtio_blk_parsed answer(struct virtio_blk_request *r, uint8_t status)
{
	r->status = status;
	return VIRTIO_BLK_DONE;
}

/* GET_ID: the serial, zero-padded, in as much of the data area as there is. */
static enum virtio_blk_parsed get_id(const struct virtio_blk_image *image,
                                     struct virtio_blk_request *r)
{
	uint8_t id[VIRTIO_BLK_ID_BYTES] = {0};
	size_t n = r->data_len < sizeof(id) ? r->data_len : sizeof(id);
	size_t done = 0;

	memcpy(id, image->serial, strnlen(image->serial, sizeof(id)));
	for (unsigned i = 0; i < r->data_count && done < n; i++) {
		size_t here = r->data[i].iov_len < n - done ? r->data[i].iov_len : n - done;

		memcpy(r->data[i].iov_base, id + done, here);
		done += here;
	}
	r->written = (uint32_t)n + 1;
	return answer(r, VIRTIO_BLK_S_OK);
}

/*
 * DISCARD and WRITE_ZEROES carry segments of {sector, num_sectors, flags}
 * instead of data.  We check them here, on a copy, and keep the copy.
 */
static enum virtio_blk_parsed check_segments(const struct virtio_blk_image *image,
                                             struct virtio_blk_request *r)
{
	bool discard = r->type == VIRTIO_BLK_T_DISCARD;
	uint8_t raw[VIRTIO_BLK_MAX_DISCARD_SEG * SEGMENT_BYTES];
	size_t copied = 0;

	if (!(discard ? r->allow_discard : r->allow_write_zeroes))
		return answer(r, VIRTIO_BLK_S_UNSUPP);
	if (image->read_only)
		return answer(r, VIRTIO_BLK_S_IOERR);
	if (r->data_len == 0 || r->data_len % SEGMENT_BYTES != 0 ||
	    r->data_len / SEGMENT_BYTES > VIRTIO_BLK_MAX_DISCARD_SEG)
		return answer(r, VIRTIO_BLK_S_IOERR);
	for (unsigned i = 0; i < r->data_count; i++) {
		memcpy(raw + copied, r->data[i].iov_base, r->data[i].iov_len);
		copied += r->data[i].iov_len;
	}
	r->segment_count = (unsigned)(r->data_len / SEGMENT_BYTES);
	for (unsigned i = 0; i < r->segment_count; i++) {
		struct virtio_blk_segment *s = &r->segments[i];
		uint64_t sector;
		uint32_t num, flags;

		memcpy(&sector, raw + i * SEGMENT_BYTES, 8);
		memcpy(&num, raw + i * SEGMENT_BYTES + 8, 4);
		memcpy(&flags, raw + i * SEGMENT_BYTES + 12, 4);
		s->sector = le64toh(sector);
		s->num_sectors = le32toh(num);
		s->flags = le32toh(flags);
		/* Unknown flags, or unmap on a discard (5.2.6.2): not something we do. */
		if ((s->flags & ~WRITE_ZEROES_FLAG_UNMAP) || (discard && s->flags))
			return answer(r, VIRTIO_BLK_S_UNSUPP);
		if (s->num_sectors > VIRTIO_BLK_MAX_DISCARD_SECTORS ||
		    !range_ok(image, s->sector, (uint64_t)s->num_sectors * VIRTIO_BLK_SECTOR_SIZE))
			return answer(r, VIRTIO_BLK_S_IOERR);
	}
	return VIRTIO_BLK_DO_IO;
}

enum virtio_blk_parsed virtio_blk_parse(const struct virtio_blk_image *image,
                                        struct virtio_blk_request *r, char *why, size_t why_len)
{
	struct virtq_chain *c = &r->chain;
	uint8_t header[HEADER_BYTES];
	uint32_t type;
	uint64_t sector;
	bool in;

	r->data_count = 0;
	r->data_len = 0;
	r->segment_count = 0;
	r->status = VIRTIO_BLK_S_OK;
	r->written = 1;
	r->status_byte = NULL;
	if (c->readable_bytes < HEADER_BYTES) {
		snprintf(why, why_len, "request %u has %zu readable bytes, no 16-byte header",
		         c->head, c->readable_bytes);
		return VIRTIO_BLK_BROKEN;
	}
	r->status_byte = last_writable_byte(c);
	if (!r->status_byte) {
		snprintf(why, why_len, "request %u has no writable status byte", c->head);
		return VIRTIO_BLK_BROKEN;
	}
	virtq_chain_read(c, header, sizeof(header));
	memcpy(&type, header, 4);
	memcpy(&sector, header + 8, 8);
	r->type = le32toh(type);
	r->sector = le64toh(sector);

	/*
	 * The data: for a read (and GET_ID) the writable bytes before the
	 * status byte; for everything else the readable bytes after the header.
	 */
	in = r->type == VIRTIO_BLK_T_IN || r->type == VIRTIO_BLK_T_GET_ID;
	if (in) {
		r->data_len = c->writable_bytes - 1;
		r->data_count = slice(c->iov + c->readable, c->writable, 0, r->data_len, r->data);
	} else {
		r->data_len = c->readable_bytes - HEADER_BYTES;
		r->data_count = slice(c->iov, c->readable, HEADER_BYTES, r->data_len, r->data);
	}

	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		if (!range_ok(image, r->sector, r->data_len))
			return answer(r, VIRTIO_BLK_S_IOERR);
		return VIRTIO_BLK_DO_IO;
	case VIRTIO_BLK_T_OUT:
		if (image->read_only || !range_ok(image, r->sector, r->data_len))
			return answer(r, VIRTIO_BLK_S_IOERR);
		return VIRTIO_BLK_DO_IO;
	case VIRTIO_BLK_T_FLUSH: return VIRTIO_BLK_DO_IO;
	case VIRTIO_BLK_T_GET_ID: return get_id(image, r);
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES: return check_segments(image, r);
	default: return answer(r, VIRTIO_BLK_S_UNSUPP);
	}
}

/*
 * Host I/O, on a worker thread.
 */

/* Drops the first n bytes of iov[0..*count), in place. */
static struct iovec *advance(struct iovec *iov, unsigned *count, size_t n)
{
	while (*count > 0 && n >= iov->iov_len) {
		n -= iov->iov_len;
		iov++;
		(*count)--;
	}
	if (*count > 0) {
		iov->iov_base = (uint8_t *)iov->iov_base + n;
		iov->iov_len -= n;
	}
	return iov;
}

/* All of the data, between the image at offset and the guest's buffers. */
static int transfer(int fd, struct virtio_blk_request *r, bool write, off_t offset)
{
	struct iovec iov[VIRTQ_MAX_SIZE], *p = iov;
	unsigned count = r->data_count;
	size_t left = r->data_len;

	memcpy(iov, r->data, sizeof(iov[0]) * count);
	while (left > 0) {
		ssize_t n = write ? pwritev(fd, p, (int)count, offset)
		                  : preadv(fd, p, (int)count, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the image shrank under us */
		left -= (size_t)n;
		offset += n;
		p = advance(p, &count, (size_t)n);
	}
	return 0;
}

static int sync_image(int fd)
{
	return fdatasync(fd) < 0 ? -errno : 0;
}

static int write_zeroes_by_hand(int fd, off_t offset, off_t len)
{
	static const uint8_t zeroes[65536];

	while (len > 0) {
		size_t chunk = len < (off_t)sizeof(zeroes) ? (size_t)len : sizeof(zeroes);
		ssize_t n = pwrite(fd, zeroes, chunk, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		offset += n;
		len -= n;
	}
	return 0;
}

/*
 * A discard punches a hole: the blocks go back to the host's filesystem
 * and the range reads as zeroes.  It is a hint, so a filesystem that
 * cannot punch holes makes it a no-op.  Write-zeroes must zero: a hole if
 * the driver allows unmapping, else a zeroed range, else plain writes.
 */
static int zero_or_discard(int fd, const struct virtio_blk_request *r)
{
	for (unsigned i = 0; i < r->segment_count; i++) {
		const struct virtio_blk_segment *s = &r->segments[i];
		off_t offset = (off_t)(s->sector * VIRTIO_BLK_SECTOR_SIZE);
		off_t len = (off_t)s->num_sectors * VIRTIO_BLK_SECTOR_SIZE;
		int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
		int err = 0;

		if (len == 0)
			continue;
		if (r->type == VIRTIO_BLK_T_WRITE_ZEROES && !(s->flags & WRITE_ZEROES_FLAG_UNMAP))
			mode = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
		if (fallocate(fd, mode, offset, len) < 0)
			err = -errno;
		if (err == -EOPNOTSUPP && r->type == VIRTIO_BLK_T_DISCARD)
			err = 0;
		else if (err == -EOPNOTSUPP)
			err = write_zeroes_by_hand(fd, offset, len);
		if (err < 0)
			return err;
	}
	return 0;
}

void virtio_blk_execute(const struct virtio_blk_image *image, struct virtio_blk_request *r)
{
	off_t offset = (off_t)(r->sector * VIRTIO_BLK_SECTOR_SIZE);
	int err = 0;

	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		err = transfer(image->fd, r, false, offset);
		if (err == 0)
			r->written = (uint32_t)r->data_len + 1;
		break;
	case VIRTIO_BLK_T_OUT:
		err = transfer(image->fd, r, true, offset);
		if (err == 0 && r->sync_after_write)
			err = sync_image(image->fd);
		break;
	case VIRTIO_BLK_T_FLUSH: err = image->read_only ? 0 : sync_image(image->fd); break;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES: err = zero_or_discard(image->fd, r); break;
	default: r->status = VIRTIO_BLK_S_UNSUPP; return;
	}
	r->status = err < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	r->error = err;
}

void virtio_blk_complete(struct virtio_blk_request *r)
{
	if (r->status_byte)
		__atomic_store_n(r->status_byte, r->status, __ATOMIC_RELAXED);
}

/*
 * The worker threads.
 */

static void *worker_thread(void *opaque)
{
	struct virtio_blk *blk = opaque;

	pthread_mutex_lock(&blk->lock);
	for (;;) {
		struct virtio_blk_request *r;
		bool was_empty;

		while (!blk->queued && !blk->stopping)
			pthread_cond_wait(&blk->work, &blk->lock);
		if (blk->stopping)
			break;
		r = blk->queued;
		blk->queued = r->next;
		if (!blk->queued)
			blk->queued_tail = &blk->queued;
		blk->active++;
		pthread_mutex_unlock(&blk->lock);

		virtio_blk_execute(&blk->image, r);

		pthread_mutex_lock(&blk->lock);
		r->next = NULL;
		was_empty = !blk->done;
		*blk->done_tail = r;
		blk->done_tail = &r->next;
		if (--blk->active == 0)
			pthread_cond_broadcast(&blk->idle);
		/* The backend empties the whole list: one wake-up per batch is enough. */
		if (was_empty)
			virtio_mmio_wake(blk->transport);
	}
	pthread_mutex_unlock(&blk->lock);
	return NULL;
}

/*
 * The backend thread's part.
 */

static struct virtio_blk_request *get_request(struct virtio_blk *blk)
{
	struct virtio_blk_request *r;

	pthread_mutex_lock(&blk->lock);
	r = blk->free;
	if (r)
		blk->free = r->next;
	pthread_mutex_unlock(&blk->lock);
	if (!r && blk->allocated < VIRTQ_MAX_SIZE) {
		r = malloc(sizeof(*r));
		if (r)
			blk->allocated++;
	}
	return r;
}

static void put_request(struct virtio_blk *blk, struct virtio_blk_request *r)
{
	pthread_mutex_lock(&blk->lock);
	r->next = blk->free;
	blk->free = r;
	pthread_mutex_unlock(&blk->lock);
}

/* Moves a whole list onto the free list (lock held). */
static void free_list(struct virtio_blk *blk, struct virtio_blk_request **list,
                      struct virtio_blk_request ***tail)
{
	while (*list) {
		struct virtio_blk_request *r = *list;

		*list = r->next;
		r->next = blk->free;
		blk->free = r;
	}
	*tail = list;
}

static void log_io_error(struct virtio_blk *blk, const struct virtio_blk_request *r)
{
	if (r->error == 0 || blk->logged_io_error)
		return;
	blk->logged_io_error = true;
	fprintf(stderr,
	        "kennel-engine: disk %s: I/O error at sector %llu: %s (further errors not "
	        "reported)\n",
	        blk->image.path, (unsigned long long)r->sector, strerror(-r->error));
}

/* Gives a request back to the driver: status byte, used ring, statistics. */
static void give_back(struct virtio_mmio *t, struct virtio_blk *blk, struct virtio_blk_request *r)
{
	virtio_blk_complete(r);
	if (r->status == VIRTIO_BLK_S_OK && r->type == VIRTIO_BLK_T_IN)
		virtio_mmio_count_bytes(t, r->data_len, 0);
	else if (r->status == VIRTIO_BLK_S_OK && r->type == VIRTIO_BLK_T_OUT)
		virtio_mmio_count_bytes(t, 0, r->data_len);
	log_io_error(blk, r);
	virtio_mmio_push(t, REQUESTQ, r->chain.head, r->written);
}

/* What the workers finished since we last looked. */
static void give_back_done(struct virtio_mmio *t, struct virtio_blk *blk)
{
	struct virtio_blk_request *list;

	pthread_mutex_lock(&blk->lock);
	list = blk->done;
	blk->done = NULL;
	blk->done_tail = &blk->done;
	pthread_mutex_unlock(&blk->lock);
	while (list) {
		struct virtio_blk_request *r = list;

		list = r->next;
		give_back(t, blk, r);
		put_request(blk, r);
	}
}

/*
 * A read whose data the host already has in its page cache takes a few
 * microseconds: the backend does it at once (RWF_NOWAIT never blocks on
 * the disk), which saves two thread hops per request.  Anything else (data
 * not cached, a short read, a large request) goes to a worker.
 */
static bool read_inline(struct virtio_blk *blk, struct virtio_blk_request *r)
{
	ssize_t n;

	if (r->type != VIRTIO_BLK_T_IN || r->data_len > INLINE_MAX || r->data_count == 0)
		return false;
	n = preadv2(blk->image.fd, r->data, (int)r->data_count,
	            (off_t)(r->sector * VIRTIO_BLK_SECTOR_SIZE), RWF_NOWAIT);
	if (n < 0 || (size_t)n != r->data_len)
		return false;
	r->status = VIRTIO_BLK_S_OK;
	r->written = (uint32_t)r->data_len + 1;
	return true;
}

static void queue_for_workers(struct virtio_blk *blk, struct virtio_blk_request *r)
{
	pthread_mutex_lock(&blk->lock);
	r->next = NULL;
	*blk->queued_tail = r;
	blk->queued_tail = &r->next;
	pthread_cond_signal(&blk->work);
	pthread_mutex_unlock(&blk->lock);
}

/* Takes every available request; false if the driver broke a rule. */
static bool take_requests(struct virtio_mmio *t, struct virtio_blk *blk)
{
	bool flush = virtio_mmio_has_feature(t, VIRTIO_BLK_F_FLUSH);
	bool discard = virtio_mmio_has_feature(t, VIRTIO_BLK_F_DISCARD);
	bool write_zeroes = virtio_mmio_has_feature(t, VIRTIO_BLK_F_WRITE_ZEROES);

	for (;;) {
		struct virtio_blk_request *r = get_request(blk);
		char why[160];
		int ret;

		if (!r)
			return true; /* out of memory: a completion will wake us */
		ret = virtio_mmio_pop(t, REQUESTQ, &r->chain);
		if (ret <= 0) {
			put_request(blk, r);
			return ret == 0;
		}
		r->sync_after_write = !flush;
		r->allow_discard = discard;
		r->allow_write_zeroes = write_zeroes;
		r->error = 0;
		switch (virtio_blk_parse(&blk->image, r, why, sizeof(why))) {
		case VIRTIO_BLK_BROKEN:
			put_request(blk, r);
			virtio_mmio_needs_reset(t, why);
			return false;
		case VIRTIO_BLK_DONE:
			give_back(t, blk, r);
			put_request(blk, r);
			break;
		case VIRTIO_BLK_DO_IO:
			if (!read_inline(blk, r)) {
				queue_for_workers(blk, r);
				break;
			}
			give_back(t, blk, r);
			put_request(blk, r);
			break;
		}
	}
}

static void blk_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_blk *blk = dev;

	do {
		give_back_done(t, blk);
		if (!take_requests(t, blk))
			return;
		virtio_mmio_notify(t, REQUESTQ);
	} while (virtio_mmio_arm(t, REQUESTQ));
}

/*
 * A reset (the driver's, or a reboot), with the transport's lock held:
 * requests not started are dropped, and we wait for the ones the workers
 * are doing, whose answers are dropped too.  The queue is gone.
 */
static void blk_reset(struct virtio_mmio *t, void *dev)
{
	struct virtio_blk *blk = dev;

	pthread_mutex_lock(&blk->lock);
	free_list(blk, &blk->queued, &blk->queued_tail);
	while (blk->active > 0)
		pthread_cond_wait(&blk->idle, &blk->lock);
	free_list(blk, &blk->done, &blk->done_tail);
	pthread_mutex_unlock(&blk->lock);
}

static void stop_workers(struct virtio_blk *blk)
{
	pthread_mutex_lock(&blk->lock);
	blk->stopping = true;
	free_list(blk, &blk->queued, &blk->queued_tail);
	pthread_cond_broadcast(&blk->work);
	pthread_mutex_unlock(&blk->lock);
	for (unsigned i = 0; i < blk->workers; i++)
		pthread_join(blk->worker[i], NULL);
	blk->workers = 0;
}

/* After the backend thread has stopped: the workers finish, then all goes. */
static void blk_destroy(void *dev)
{
	struct virtio_blk *blk = dev;

	stop_workers(blk);
	free_list(blk, &blk->done, &blk->done_tail);
	while (blk->free) {
		struct virtio_blk_request *r = blk->free;

		blk->free = r->next;
		free(r);
	}
	virtio_blk_image_close(&blk->image);
	pthread_cond_destroy(&blk->work);
	pthread_cond_destroy(&blk->idle);
	pthread_mutex_destroy(&blk->lock);
	free(blk);
}

#define BLK_FEATURES                                                        \
	((1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_BLK_SIZE) | \
	 (1ull << VIRTIO_BLK_F_FLUSH))

static const struct virtio_device_ops blk_ops = {
        .name = "virtio-blk",
        .device_id = VIRTIO_ID_BLOCK,
        .features =
                BLK_FEATURES | (1ull << VIRTIO_BLK_F_DISCARD) | (1ull << VIRTIO_BLK_F_WRITE_ZEROES),
        .num_queues = 1,
        .config_size = CONFIG_SIZE,
        .service = blk_service,
        .reset = blk_reset,
        .destroy = blk_destroy,
};

/* Read-only: no discard or write-zeroes, and the driver is told. */
static const struct virtio_device_ops blk_ro_ops = {
        .name = "virtio-blk",
        .device_id = VIRTIO_ID_BLOCK,
        .features = BLK_FEATURES | (1ull << VIRTIO_BLK_F_RO),
        .num_queues = 1,
        .config_size = CONFIG_SIZE,
        .service = blk_service,
        .reset = blk_reset,
        .destroy = blk_destroy,
};

static void put32(uint8_t *config, unsigned offset, uint32_t value)
{
	value = htole32(value);
	memcpy(config + offset, &value, 4);
}

static void fill_config(struct virtio_blk *blk)
{
	uint8_t *config = virtio_mmio_config(blk->transport);
	uint64_t capacity = htole64(blk->image.capacity);

	memcpy(config + CONFIG_CAPACITY, &capacity, 8);
	put32(config, CONFIG_SEG_MAX, VIRTIO_BLK_SEG_MAX);
	put32(config, CONFIG_BLK_SIZE, VIRTIO_BLK_SECTOR_SIZE);
	put32(config, CONFIG_MAX_DISCARD_SECTORS, VIRTIO_BLK_MAX_DISCARD_SECTORS);
	put32(config, CONFIG_MAX_DISCARD_SEG, VIRTIO_BLK_MAX_DISCARD_SEG);
	put32(config, CONFIG_DISCARD_ALIGNMENT, VIRTIO_BLK_DISCARD_ALIGN);
	put32(config, CONFIG_MAX_WRITE_ZEROES_SECTORS, VIRTIO_BLK_MAX_DISCARD_SECTORS);
	put32(config, CONFIG_MAX_WRITE_ZEROES_SEG, VIRTIO_BLK_MAX_DISCARD_SEG);
	config[CONFIG_WRITE_ZEROES_MAY_UNMAP] = 1;
}

int virtio_blk_create(struct machine *m, unsigned slot, bool legacy, struct virtio_blk_image *image)
{
	struct virtio_blk *blk = calloc(1, sizeof(*blk));
	int err;

	if (!blk) {
		virtio_blk_image_close(image);
		return -ENOMEM;
	}
	blk->image = *image;
	image->fd = -1;
	pthread_mutex_init(&blk->lock, NULL);
	pthread_cond_init(&blk->work, NULL);
	pthread_cond_init(&blk->idle, NULL);
	blk->queued_tail = &blk->queued;
	blk->done_tail = &blk->done;
	for (; blk->workers < WORKERS; blk->workers++) {
		err = -pthread_create(&blk->worker[blk->workers], NULL, worker_thread, blk);
		if (err < 0)
			goto fail;
	}
	err = virtio_mmio_create(m, slot, legacy, blk->image.read_only ? &blk_ro_ops : &blk_ops,
	                         blk, &blk->transport);
	if (err < 0)
		goto fail;
	/* No driver runs yet: the config space is ours to fill without the lock. */
	fill_config(blk);
	return 0;

fail:
	blk_destroy(blk);
	return err;
}

/*
 * Images.
 */

int virtio_blk_lock(int fd, bool read_only)
{
	struct flock lock = {
	        .l_type = read_only ? F_RDLCK : F_WRLCK,
	        .l_whence = SEEK_SET,
	};

	if (fcntl(fd, F_OFD_SETLK, &lock) < 0)
		return errno == EACCES ? -EAGAIN : -errno;
	return 0;
}

static int image_fail(struct virtio_blk_image *image, int err, char *why, size_t why_len,
                      const char *path, const char *what)
{
	snprintf(why, why_len, "disk %s %s", path, what);
	virtio_blk_image_close(image);
	return err;
}

/* The serial: given, or the file's name; at most 20 bytes. */
static void set_serial(struct virtio_blk_image *image, const char *path, const char *serial)
{
	const char *base = strrchr(path, '/');

	if (!serial || !serial[0])
		serial = base && base[1] ? base + 1 : path;
	snprintf(image->serial, sizeof(image->serial), "%.*s", VIRTIO_BLK_ID_BYTES, serial);
}

int virtio_blk_image_open(const char *path, bool read_only, const char *serial,
                          struct virtio_blk_image *image, char *why, size_t why_len)
{
	char what[200];
	struct stat st;
	int err;

	memset(image, 0, sizeof(*image));
	image->fd = -1;
	image->read_only = read_only;
	snprintf(image->path, sizeof(image->path), "%s", path);
	set_serial(image, path, serial);
	image->fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (image->fd < 0) {
		err = -errno;
		if (err == -ENOENT)
			return image_fail(image, err, why, why_len, path, "does not exist");
		if (err == -EISDIR)
			return image_fail(image, err, why, why_len, path, "is a directory");
		if (!read_only && (err == -EACCES || err == -EROFS || err == -EPERM)) {
			snprintf(what, sizeof(what),
			         "cannot be opened for writing: %s (add ,ro for a read-only disk)",
			         strerror(-err));
			return image_fail(image, err, why, why_len, path, what);
		}
		snprintf(what, sizeof(what), "cannot be opened: %s", strerror(-err));
		return image_fail(image, err, why, why_len, path, what);
	}
	if (fstat(image->fd, &st) < 0) {
		err = -errno;
		snprintf(what, sizeof(what), "cannot be examined: %s", strerror(-err));
		return image_fail(image, err, why, why_len, path, what);
	}
	if (S_ISDIR(st.st_mode))
		return image_fail(image, -EISDIR, why, why_len, path, "is a directory");
	if (!S_ISREG(st.st_mode))
		return image_fail(image, -EINVAL, why, why_len, path,
		                  "is not a regular file (raw image files only)");
	if (st.st_size == 0)
		return image_fail(image, -EINVAL, why, why_len, path,
		                  "is empty (make one with 'kennel-engine disk create FILE SIZE')");
	if (st.st_size % VIRTIO_BLK_SECTOR_SIZE != 0) {
		snprintf(what, sizeof(what),
		         "is %lld bytes, not a whole number of 512-byte sectors",
		         (long long)st.st_size);
		return image_fail(image, -EINVAL, why, why_len, path, what);
	}
	err = virtio_blk_lock(image->fd, read_only);
	if (err == -EAGAIN)
		return image_fail(image, err, why, why_len, path,
		                  "is in use by another engine (locked)");
	if (err < 0) {
		snprintf(what, sizeof(what), "cannot be locked: %s", strerror(-err));
		return image_fail(image, err, why, why_len, path, what);
	}
	image->capacity = (uint64_t)st.st_size / VIRTIO_BLK_SECTOR_SIZE;
	return 0;
}

void virtio_blk_image_close(struct virtio_blk_image *image)
{
	if (image->fd >= 0)
		close(image->fd);
	image->fd = -1;
}
