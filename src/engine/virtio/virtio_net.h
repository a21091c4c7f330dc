/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net (device ID 1): the guest's eth0, wired to libslirp's
 * user-mode network (net_slirp.h).
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_NET_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net_slirp.h"

struct machine;
struct virtq_chain;

#define VIRTIO_ID_NET 1

/* Feature bits (virtio 1.2, 5.1.3). */
#define VIRTIO_NET_F_CSUM       0  /* we complete checksums the driver left partial */
#define VIRTIO_NET_F_GUEST_CSUM 1  /* the driver accepts frames with DATA_VALID */
#define VIRTIO_NET_F_MTU        3  /* config space has the link's MTU */
#define VIRTIO_NET_F_MAC        5  /* config space has the MAC address */
#define VIRTIO_NET_F_MRG_RXBUF  15 /* a received frame may span several buffers */
#define VIRTIO_NET_F_STATUS     16 /* config space has the link status */

/* virtio_net_hdr flags and gso types (5.1.6). */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE     0

/*
 * The header before every frame: 12 bytes with VIRTIO_F_VERSION_1 or
 * MRG_RXBUF (num_buffers included), 10 otherwise (legacy).
 */
#define VIRTIO_NET_HDR_LEN        12
#define VIRTIO_NET_HDR_LEN_LEGACY 10

/*
 * The link's MTU: big frames mean fewer of them for a slow guest CPU to
 * handle.  (Overridable at build time, -DVIRTIO_NET_MTU=1500, to measure.)
 */
#ifndef VIRTIO_NET_MTU
#define VIRTIO_NET_MTU 65520
#endif
/* The largest frame either way: the MTU plus an Ethernet header (and a VLAN tag). */
#define VIRTIO_NET_MAX_FRAME (VIRTIO_NET_MTU + 18)

struct virtio_net_options {
	uint8_t mac[6];
	struct net_slirp_config slirp;
};

/*
 * Creates the network (slirp, the forwards' sockets) and the device in
 * virtio-mmio slot `slot`.  Returns 0, or a negative errno with a message
 * in why.
 */
int virtio_net_create(struct machine *m, unsigned slot, bool legacy,
                      const struct virtio_net_options *options, char *why, size_t why_len);

/*
 * A transmit request: the header and the frame, as the guest wrote them.
 * Copies the frame into buf (cap bytes), completing its checksum if the
 * header asks and csum_ok (VIRTIO_NET_F_CSUM was negotiated).  Returns the
 * frame's length, or -EINVAL for a request to drop (too short, too long,
 * a GSO type we did not offer, a checksum outside the frame).  For the
 * device and the fuzzer.
 */
long virtio_net_tx_frame(const struct virtq_chain *chain, size_t hdr_len, bool csum_ok,
                         uint8_t *buf, size_t cap);

#endif
