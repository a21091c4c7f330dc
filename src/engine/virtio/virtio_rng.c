// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-rng: the simplest virtio device there is.  It has one queue, the
 * requestq.  The driver posts empty device-writable buffers; we fill them
 * with bytes from the host's getrandom() and give them back.  No feature
 * bits, no config space.  A request may carry read-only buffers too; we
 * ignore them.
 */
#include "virtio_rng.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include "virtio_mmio.h"

struct virtio_rng {
	struct virtq_chain chain;
};

static size_t fill_buffer(uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom(buf + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

size_t virtio_rng_fill(struct virtq_chain *chain)
{
	size_t total = 0;

	for (unsigned i = chain->readable; i < chain->readable + chain->writable; i++) {
		size_t want = chain->iov[i].iov_len, got;

		if (want > VIRTIO_RNG_MAX_REQUEST - total)
			want = VIRTIO_RNG_MAX_REQUEST - total;
		got = fill_buffer(chain->iov[i].iov_base, want);
		total += got;
		if (got < want || total == VIRTIO_RNG_MAX_REQUEST)
			break;
	}
	return total;
}

/* Fill every request the driver has posted; interrupt it once at the end. */
static void rng_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_rng *rng = dev;
	int ret;

	do {
		while ((ret = virtio_mmio_pop(t, 0, &rng->chain)) > 0) {
			size_t n = virtio_rng_fill(&rng->chain);

			virtio_mmio_count_bytes(t, n, 0);
			virtio_mmio_push(t, 0, rng->chain.head, (uint32_t)n);
		}
		if (ret < 0)
			return;
		virtio_mmio_notify(t, 0);
	} while (virtio_mmio_arm(t, 0));
}

static const struct virtio_device_ops rng_ops = {
        .name = "virtio-rng",
        .device_id = VIRTIO_ID_RNG,
        .num_queues = 1,
        .service = rng_service,
        .destroy = free,
};

int virtio_rng_create(struct machine *m, unsigned slot, bool legacy)
{
	struct virtio_rng *rng = calloc(1, sizeof(*rng));
	int err;

	if (!rng)
		return -ENOMEM;
	err = virtio_mmio_create(m, slot, legacy, &rng_ops, rng, NULL);
	if (err < 0)
		free(rng);
	return err;
}
