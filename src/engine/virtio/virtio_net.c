// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-net on libslirp.
 *
 * Two queues: the receiveq (0), where the driver posts empty buffers for
 * the frames that come to the guest, and the transmitq (1), where it posts
 * the frames the guest sends.  Every frame travels behind a small header,
 * struct virtio_net_hdr, which says how its checksum stands and (with
 * MRG_RXBUF) over how many receive buffers it spans.
 *
 * The journey of a frame from the guest: the driver kicks the transmitq;
 * our backend thread wakes, takes the chain, reads the header (hostile, like
 * everything the guest wrote: it is copied once and checked), completes the
 * checksum if the driver left it to us (VIRTIO_NET_F_CSUM), and hands the
 * frame to slirp with net_slirp_input().
 *
 * The journey of a frame to the guest: slirp produces it, during
 * net_slirp_input() (an ARP or TCP answer) or when one of its host sockets
 * has data (net_slirp_poll()), and calls our receive callback.  We put a
 * header and the frame into the driver's receive buffers, as many as it
 * takes with MRG_RXBUF, and interrupt the driver once for the whole batch.
 * When the driver has posted no buffers, frames wait in a bounded backlog
 * and we ask the driver to kick us when it posts more.
 *
 * slirp is not thread-safe, so it lives on this device's backend thread
 * alone: the transport's prepare_wait hook adds slirp's epoll set and next
 * timeout to the thread's poll(), and service() runs slirp after every
 * wake-up.  Everything in this file runs on that thread with the device
 * lock held.
 *
 * The link's MTU is VIRTIO_NET_MTU (64 KiB, VIRTIO_NET_F_MTU): the guest's
 * CPU is emulated, and fewer, bigger frames cost it far fewer cycles.
 */
#include "virtio_net.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_mmio.h"

enum { RECEIVEQ = 0, TRANSMITQ = 1 };

/* struct virtio_net_config (5.1.4): mac, status, max_virtqueue_pairs, mtu. */
#define CONFIG_MAC       0
#define CONFIG_STATUS    6
#define CONFIG_MAX_PAIRS 8
#define CONFIG_MTU       10
#define CONFIG_SIZE      12
#define NET_S_LINK_UP    1

#define ETH_HEADER_LEN   14
/* Frames waiting for receive buffers: at most this many, and this many bytes. */
#define BACKLOG_FRAMES 1024
#define BACKLOG_BYTES  (4u << 20)
/* A receive buffer's first descriptors that we use (Linux posts 1, or 17 for big frames). */
#define RX_IOV_MAX   24
#define DROP_REPORTS 5

/* A receive buffer taken from the receiveq but not yet filled. */
struct rx_buf {
	uint16_t head;
	unsigned niov;
	size_t bytes;
	struct iovec iov[RX_IOV_MAX];
};

struct rx_frame {
	struct rx_frame *next;
	size_t len;
	uint8_t data[];
};

struct virtio_net {
	struct virtio_mmio *transport;
	struct net_slirp *slirp;
	uint8_t mac[6];

	/* What the driver negotiated, refreshed on every service(). */
	size_t hdr_len;
	bool mrg_rxbuf, csum, guest_csum;

	/* Receive buffers taken, in ring order from rx_first. */
	struct rx_buf rx[VIRTQ_MAX_SIZE];
	unsigned rx_first, rx_count;

	/* Frames for the guest that found no buffer yet. */
	struct rx_frame *backlog, *backlog_tail;
	unsigned backlog_frames;
	size_t backlog_bytes;
	uint64_t dropped;

	struct virtq_chain tx_chain, rx_chain;
	uint8_t tx_frame[VIRTIO_NET_MAX_FRAME];
};

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Copies len bytes from offset `skip` of the chain's readable buffers; returns the count. */
static size_t chain_read_at(const struct virtq_chain *chain, size_t skip, uint8_t *dst, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < chain->readable && done < len; i++) {
		size_t n = chain->iov[i].iov_len;
		const uint8_t *src = chain->iov[i].iov_base;

		if (skip >= n) {
			skip -= n;
			continue;
		}
		src += skip;
		n -= skip;
		skip = 0;
		if (n > len - done)
			n = len - done;
		memcpy(dst + done, src, n);
		done += n;
	}
	return done;
}

/* The Internet checksum (RFC 1071) of buf[start, len), stored at buf[start + offset]. */
static void complete_checksum(uint8_t *buf, size_t len, size_t start, size_t offset)
{
	uint64_t sum = 0;
	size_t i;
	uint16_t folded;

	for (i = start; i + 1 < len; i += 2)
		sum += (uint32_t)buf[i] << 8 | buf[i + 1];
	if (i < len)
		sum += (uint32_t)buf[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	folded = (uint16_t)~sum;
	buf[start + offset] = (uint8_t)(folded >> 8);
	buf[start + offset + 1] = (uint8_t)folded;
}

long virtio_net_tx_frame(const struct virtq_chain *chain, size_t hdr_len, bool csum_ok,
                         uint8_t *buf, size_t cap)
{
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = {0};
	size_t len, start, offset;

	if (hdr_len > sizeof(hdr) || chain->readable_bytes < hdr_len)
		return -EINVAL;
	len = chain->readable_bytes - hdr_len;
	if (len < ETH_HEADER_LEN || len > cap)
		return -EINVAL;
	/* Each byte is read once: the guest may change its buffers meanwhile. */
	if (chain_read_at(chain, 0, hdr, hdr_len) != hdr_len ||
	    chain_read_at(chain, hdr_len, buf, len) != len)
		return -EINVAL;
	if (hdr[1] != VIRTIO_NET_HDR_GSO_NONE)
		return -EINVAL; /* we offered no segmentation offload */
	if (hdr[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (!csum_ok)
			return -EINVAL;
		start = get_le16(hdr + 6);
		offset = get_le16(hdr + 8);
		if (start >= len || offset > len - start || len - start - offset < 2)
			return -EINVAL;
		complete_checksum(buf, len, start, offset);
	}
	return (long)len;
}

/* ---- to the guest ---- */

static void drop_frame(struct virtio_net *net, const char *why)
{
	net->dropped++;
	if (net->dropped <= DROP_REPORTS)
		fprintf(stderr, "kennel-engine: virtio-net: dropped a frame for the guest: %s%s\n",
		        why, net->dropped == DROP_REPORTS ? " (further reports suppressed)" : "");
}

/*
 * Takes one more receive buffer from the driver into net->rx.  False when
 * there is none (or the driver broke a rule: the transport has marked the
 * device).
 */
static bool take_rx_buffer(struct virtio_mmio *t, struct virtio_net *net)
{
	struct virtq_chain *c = &net->rx_chain;
	struct rx_buf *b;

	if (net->rx_count == VIRTQ_MAX_SIZE || virtio_mmio_pop(t, RECEIVEQ, c) <= 0)
		return false;
	b = &net->rx[(net->rx_first + net->rx_count) % VIRTQ_MAX_SIZE];
	b->head = c->head;
	b->niov = 0;
	b->bytes = 0;
	for (unsigned i = c->readable; i < c->readable + c->writable && b->niov < RX_IOV_MAX; i++) {
		b->iov[b->niov++] = c->iov[i];
		b->bytes += c->iov[i].iov_len;
	}
	/* 5.1.6.3.1: every receive buffer holds at least the header. */
	if (b->bytes < net->hdr_len) {
		virtio_mmio_needs_reset(t, "receive buffer smaller than the virtio-net header");
		return false;
	}
	net->rx_count++;
	return true;
}

/* Writes len bytes at offset `at` of a receive buffer. */
static void rx_write(struct rx_buf *b, size_t at, const uint8_t *src, size_t len)
{
	for (unsigned i = 0; i < b->niov && len > 0; i++) {
		size_t n = b->iov[i].iov_len;

		if (at >= n) {
			at -= n;
			continue;
		}
		n -= at;
		if (n > len)
			n = len;
		memcpy((uint8_t *)b->iov[i].iov_base + at, src, n);
		src += n;
		len -= n;
		at = 0;
	}
}

/*
 * Puts one frame into receive buffers.  Returns false if the driver has
 * not posted enough of them yet (the frame must wait), true once the frame
 * is in the guest's hands or dropped for good.
 */
static bool deliver(struct virtio_mmio *t, struct virtio_net *net, const uint8_t *frame, size_t len)
{
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = {0};
	size_t need = net->hdr_len + len, have = 0, done = 0;
	unsigned used = 0;

	/* Enough buffers: one without MRG_RXBUF, as many as it takes with it. */
	while (have < need && (net->mrg_rxbuf || used == 0)) {
		if (used == net->rx_count && !take_rx_buffer(t, net))
			return used == VIRTQ_MAX_SIZE
			               ? (drop_frame(net, "receive buffers too small"), true)
			               : false;
		have += net->rx[(net->rx_first + used) % VIRTQ_MAX_SIZE].bytes;
		used++;
	}
	if (have < need) {
		drop_frame(net, "larger than the receive buffer");
		return true;
	}

	hdr[0] = net->guest_csum ? VIRTIO_NET_HDR_F_DATA_VALID : 0;
	hdr[1] = VIRTIO_NET_HDR_GSO_NONE;
	put_le16(hdr + 10, (uint16_t)used); /* num_buffers */
	for (unsigned i = 0; i < used; i++) {
		struct rx_buf *b = &net->rx[net->rx_first];
		size_t room = b->bytes, n = 0;

		if (i == 0) {
			rx_write(b, 0, hdr, net->hdr_len);
			n = net->hdr_len;
		}
		if (room - n > len - done) {
			rx_write(b, n, frame + done, len - done);
			n += len - done;
			done = len;
		} else {
			rx_write(b, n, frame + done, room - n);
			done += room - n;
			n = room;
		}
		virtio_mmio_push(t, RECEIVEQ, b->head, (uint32_t)n);
		net->rx_first = (net->rx_first + 1) % VIRTQ_MAX_SIZE;
		net->rx_count--;
	}
	virtio_mmio_count_bytes(t, len, 0);
	return true;
}

static void backlog_push(struct virtio_net *net, const uint8_t *frame, size_t len)
{
	struct rx_frame *f;

	if (net->backlog_frames >= BACKLOG_FRAMES || net->backlog_bytes + len > BACKLOG_BYTES) {
		net->dropped++; /* TCP sends it again; no report, this is flow control */
		return;
	}
	f = malloc(sizeof(*f) + len);
	if (!f) {
		net->dropped++;
		return;
	}
	f->next = NULL;
	f->len = len;
	memcpy(f->data, frame, len);
	if (net->backlog_tail)
		net->backlog_tail->next = f;
	else
		net->backlog = f;
	net->backlog_tail = f;
	net->backlog_frames++;
	net->backlog_bytes += len;
}

static void backlog_pop(struct virtio_net *net)
{
	struct rx_frame *f = net->backlog;

	net->backlog = f->next;
	if (!net->backlog)
		net->backlog_tail = NULL;
	net->backlog_frames--;
	net->backlog_bytes -= f->len;
	free(f);
}

static void backlog_flush(struct virtio_mmio *t, struct virtio_net *net)
{
	while (net->backlog && deliver(t, net, net->backlog->data, net->backlog->len))
		backlog_pop(net);
}

/* slirp has a frame for the guest (we are inside net_slirp_poll or net_slirp_input). */
static void slirp_receive(void *opaque, const uint8_t *frame, size_t len)
{
	struct virtio_net *net = opaque;
	struct virtio_mmio *t = net->transport;

	if (len > VIRTIO_NET_MAX_FRAME) {
		drop_frame(net, "larger than the MTU");
		return;
	}
	if (net->backlog)
		backlog_flush(t, net);
	if (net->backlog || !deliver(t, net, frame, len))
		backlog_push(net, frame, len);
}

/* ---- from the guest ---- */

static int drain_transmitq(struct virtio_mmio *t, struct virtio_net *net)
{
	int ret;

	while ((ret = virtio_mmio_pop(t, TRANSMITQ, &net->tx_chain)) > 0) {
		uint16_t head = net->tx_chain.head;
		long len = virtio_net_tx_frame(&net->tx_chain, net->hdr_len, net->csum,
		                               net->tx_frame, sizeof(net->tx_frame));

		/* The chain goes back first: slirp may answer at once, and that may interrupt. */
		virtio_mmio_push(t, TRANSMITQ, head, 0);
		if (len < 0)
			continue; /* a malformed frame is lost, as on a wire */
		virtio_mmio_count_bytes(t, 0, (uint64_t)len);
		net_slirp_input(net->slirp, net->tx_frame, (size_t)len);
	}
	return ret;
}

static void update_features(struct virtio_mmio *t, struct virtio_net *net)
{
	net->transport = t;
	net->mrg_rxbuf = virtio_mmio_has_feature(t, VIRTIO_NET_F_MRG_RXBUF);
	net->csum = virtio_mmio_has_feature(t, VIRTIO_NET_F_CSUM);
	net->guest_csum = virtio_mmio_has_feature(t, VIRTIO_NET_F_GUEST_CSUM);
	net->hdr_len = net->mrg_rxbuf || virtio_mmio_has_feature(t, VIRTIO_F_VERSION_1)
	                       ? VIRTIO_NET_HDR_LEN
	                       : VIRTIO_NET_HDR_LEN_LEGACY;
}

static void net_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_net *net = dev;
	bool again;

	update_features(t, net);
	net_slirp_poll(net->slirp);
	do {
		do {
			if (drain_transmitq(t, net) < 0)
				return;
			backlog_flush(t, net);
			virtio_mmio_notify(t, TRANSMITQ);
			virtio_mmio_notify(t, RECEIVEQ);
		} while (virtio_mmio_arm(t, TRANSMITQ));
		/* Frames waiting: have the driver kick us when it posts buffers. */
		again = net->backlog && virtio_mmio_arm(t, RECEIVEQ);
	} while (again);
}

static void net_prepare_wait(struct virtio_mmio *t, void *dev, struct pollfd *extra,
                             int *timeout_ms)
{
	struct virtio_net *net = dev;

	extra->fd = net_slirp_prepare(net->slirp, timeout_ms);
	extra->events = POLLIN;
}

/* The driver reset the device: the buffers it had posted are no longer ours. */
static void net_reset(struct virtio_mmio *t, void *dev)
{
	struct virtio_net *net = dev;

	net->rx_first = net->rx_count = 0;
	while (net->backlog)
		backlog_pop(net);
}

static void net_destroy(void *dev)
{
	struct virtio_net *net = dev;

	while (net->backlog)
		backlog_pop(net);
	net_slirp_destroy(net->slirp);
	free(net);
}

static const struct virtio_device_ops net_ops = {
        .name = "virtio-net",
        .device_id = VIRTIO_ID_NET,
        .features = (1ull << VIRTIO_NET_F_CSUM) | (1ull << VIRTIO_NET_F_GUEST_CSUM) |
                    (1ull << VIRTIO_NET_F_MTU) | (1ull << VIRTIO_NET_F_MAC) |
                    (1ull << VIRTIO_NET_F_MRG_RXBUF) | (1ull << VIRTIO_NET_F_STATUS),
        .num_queues = 2,
        .config_size = CONFIG_SIZE,
        .service = net_service,
        .prepare_wait = net_prepare_wait,
        .reset = net_reset,
        .destroy = net_destroy,
};

int virtio_net_create(struct machine *m, unsigned slot, bool legacy,
                      const struct virtio_net_options *options, char *why, size_t why_len)
{
	struct virtio_net *net = calloc(1, sizeof(*net));
	struct net_slirp_config config = options->slirp;
	uint8_t *cfg;
	int err;

	if (!net) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	memcpy(net->mac, options->mac, sizeof(net->mac));
	net->hdr_len = VIRTIO_NET_HDR_LEN;
	config.mtu = VIRTIO_NET_MTU;
	err = net_slirp_create(&config, slirp_receive, net, &net->slirp, why, why_len);
	if (err < 0) {
		free(net);
		return err;
	}
	err = virtio_mmio_create(m, slot, legacy, &net_ops, net, &net->transport);
	if (err < 0) {
		snprintf(why, why_len, "cannot add the virtio-net device: %s", strerror(-err));
		net_destroy(net);
		return err;
	}
	/* The driver reads config space only after it finds the device: no lock needed yet. */
	cfg = virtio_mmio_config(net->transport);
	memcpy(cfg + CONFIG_MAC, net->mac, sizeof(net->mac));
	put_le16(cfg + CONFIG_STATUS, NET_S_LINK_UP);
	put_le16(cfg + CONFIG_MAX_PAIRS, 1);
	put_le16(cfg + CONFIG_MTU, VIRTIO_NET_MTU);
	return 0;
}
