// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-net's parsers: the transmit header and checksum completion
 * (chains built by hand, split at awkward places), --forward and --mac.
 * The device with its queues and slirp runs under the demo guest
 * (demo-net.py); this is the part a hostile guest or a typo reaches.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "net_slirp.h"
#include "virtio/virtio_net.h"
#include "virtio/virtqueue.h"

static struct virtq_chain chain;
static uint8_t frame[VIRTIO_NET_MAX_FRAME];

/* A chain of readable buffers cut from `bytes` at the given lengths (the rest in the last). */
static void make_chain(uint8_t *bytes, size_t len, const size_t *cuts, unsigned ncuts)
{
	size_t at = 0;

	memset(&chain, 0, sizeof(chain));
	for (unsigned i = 0; i < ncuts && at < len; i++) {
		size_t n = MIN(cuts[i], len - at);

		chain.iov[chain.readable++] = (struct iovec){bytes + at, n};
		at += n;
	}
	if (at < len)
		chain.iov[chain.readable++] = (struct iovec){bytes + at, len - at};
	chain.readable_bytes = len;
}

/* The one's complement sum of buf[start, len) folded: 0xffff when a checksum there is right. */
static uint16_t ones_sum(const uint8_t *buf, size_t start, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = start; i + 1 < len; i += 2)
		sum += (uint32_t)buf[i] << 8 | buf[i + 1];
	if (i < len)
		sum += (uint32_t)buf[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* header (12 bytes) + Ethernet + IPv4 + UDP with an odd-length payload */
static size_t udp_request(uint8_t *req, uint8_t flags, uint16_t start, uint16_t offset)
{
	size_t len = VIRTIO_NET_HDR_LEN + 14 + 20 + 8 + 37;

	memset(req, 0, len);
	req[0] = flags;
	req[6] = (uint8_t)start;
	req[7] = (uint8_t)(start >> 8);
	req[8] = (uint8_t)offset;
	req[9] = (uint8_t)(offset >> 8);
	for (size_t i = VIRTIO_NET_HDR_LEN; i < len; i++)
		req[i] = (uint8_t)(i * 7 + 3);
	/* The driver seeds the checksum field with the pseudo-header sum. */
	req[VIRTIO_NET_HDR_LEN + start + offset] = 0x12;
	req[VIRTIO_NET_HDR_LEN + start + offset + 1] = 0x34;
	return len;
}

static void test_tx_plain(void)
{
	uint8_t req[256];
	size_t len = udp_request(req, 0, 0, 0);
	size_t cuts[] = {5, 9, 1};
	long n;

	make_chain(req, len, cuts, G_N_ELEMENTS(cuts));
	n = virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame));
	g_assert_cmpint(n, ==, (long)(len - VIRTIO_NET_HDR_LEN));
	g_assert_cmpmem(frame, n, req + VIRTIO_NET_HDR_LEN, n);
	/* The legacy header is two bytes shorter: the frame starts earlier. */
	n = virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN_LEGACY, false, frame, sizeof(frame));
	g_assert_cmpint(n, ==, (long)(len - VIRTIO_NET_HDR_LEN_LEGACY));
	g_assert_cmpmem(frame, n, req + VIRTIO_NET_HDR_LEN_LEGACY, n);
}

static void test_tx_checksum(void)
{
	uint8_t req[256];
	uint16_t start = 14 + 20, offset = 6; /* the UDP checksum field */
	size_t len = udp_request(req, VIRTIO_NET_HDR_F_NEEDS_CSUM, start, offset);
	size_t cuts[] = {3, 12, 35, 1, 7};
	uint32_t sum;
	long n;

	make_chain(req, len, cuts, G_N_ELEMENTS(cuts));
	n = virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame));
	g_assert_cmpint(n, ==, (long)(len - VIRTIO_NET_HDR_LEN));
	/* Right: the data, the checksum and the pseudo-header sum the driver seeded add up. */
	sum = ones_sum(frame, start, (size_t)n) + 0x1234u;
	g_assert_cmphex((sum & 0xffff) + (sum >> 16), ==, 0xffff);
	g_assert_cmpmem(frame, start + offset, req + VIRTIO_NET_HDR_LEN, start + offset);
	/* The guest's buffer is not touched: the checksum goes into our copy. */
	g_assert_cmphex(req[VIRTIO_NET_HDR_LEN + start + offset], ==, 0x12);
}

static void test_tx_rejects(void)
{
	uint8_t req[256];
	size_t len = udp_request(req, VIRTIO_NET_HDR_F_NEEDS_CSUM, 34, 6), frame_len;
	long n;

	frame_len = len - VIRTIO_NET_HDR_LEN;
	make_chain(req, len, NULL, 0);
	/* NEEDS_CSUM without F_CSUM negotiated. */
	g_assert_cmpint(
	        virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, false, frame, sizeof(frame)), ==,
	        -EINVAL);
	/* The checksum field outside the frame, or its last byte just outside. */
	req[6] = (uint8_t)(frame_len - 1);
	req[7] = 0;
	req[8] = 0;
	g_assert_cmpint(virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame)),
	                ==, -EINVAL);
	req[6] = 0;
	req[8] = 0xff;
	req[9] = 0xff;
	g_assert_cmpint(virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame)),
	                ==, -EINVAL);
	/* The last two bytes are fine. */
	req[6] = (uint8_t)(frame_len - 2);
	req[8] = req[9] = 0;
	g_assert_cmpint(virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame)),
	                ==, (long)frame_len);
	/* A GSO type we never offered. */
	req[1] = 1;
	g_assert_cmpint(virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame)),
	                ==, -EINVAL);
	req[1] = 0;
	/* Shorter than the header; shorter than an Ethernet header; larger than the buffer. */
	make_chain(req, VIRTIO_NET_HDR_LEN - 1, NULL, 0);
	g_assert_cmpint(virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame)),
	                ==, -EINVAL);
	make_chain(req, VIRTIO_NET_HDR_LEN + 13, NULL, 0);
	g_assert_cmpint(virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, sizeof(frame)),
	                ==, -EINVAL);
	make_chain(req, len, NULL, 0);
	req[0] = 0;
	n = virtio_net_tx_frame(&chain, VIRTIO_NET_HDR_LEN, true, frame, frame_len - 1);
	g_assert_cmpint(n, ==, -EINVAL);
}

static void check_forward(const char *text, bool udp, const char *host, unsigned hport,
                          const char *guest, unsigned gport)
{
	struct net_forward fwd;
	char why[256] = "", h[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	g_assert_cmpint(net_forward_parse(text, &fwd, why, sizeof(why)), ==, 0);
	g_assert_cmpstr(why, ==, "");
	g_assert_cmpint(fwd.udp, ==, udp);
	g_assert_cmpstr(inet_ntop(AF_INET, &fwd.host_addr, h, sizeof(h)), ==, host);
	g_assert_cmpstr(inet_ntop(AF_INET, &fwd.guest_addr, g, sizeof(g)), ==, guest);
	g_assert_cmpuint(fwd.host_port, ==, hport);
	g_assert_cmpuint(fwd.guest_port, ==, gport);
}

static void check_forward_error(const char *text, const char *wanted)
{
	struct net_forward fwd;
	char why[256] = "";

	g_assert_cmpint(net_forward_parse(text, &fwd, why, sizeof(why)), ==, -EINVAL);
	if (!strstr(why, wanted))
		g_error("--forward %s: %s, expected %s", text, why, wanted);
}

static void test_forward(void)
{
	char text[96];
	struct net_forward fwd;

	check_forward("tcp::8080-:80", false, "127.0.0.1", 8080, "10.0.2.15", 80);
	check_forward("tcp:127.0.0.1:1-:65535", false, "127.0.0.1", 1, "10.0.2.15", 65535);
	check_forward("udp:0.0.0.0:5353-10.0.2.16:53", true, "0.0.0.0", 5353, "10.0.2.16", 53);
	check_forward_error("", "does not start with tcp: or udp:");
	check_forward_error("sctp::1-:1", "the protocol 'sctp'");
	check_forward_error("tcp::1:1", "no '-'");
	check_forward_error("tcp::0-:1", "the host port '0'");
	check_forward_error("tcp::65536-:1", "the host port '65536'");
	check_forward_error("tcp::+80-:1", "the host port '+80'");
	check_forward_error("tcp:::80-:1", "the host address ':'");
	check_forward_error("tcp:1.2.3.4.5:80-:1", "the host address '1.2.3.4.5'");
	check_forward_error("tcp::80-:", "the guest port ''");
	check_forward_error("tcp::80-:1x", "the guest port '1x'");
	check_forward_error("tcp::80-10.0.3.1:1", "not in the guest's network");
	check_forward_error("tcp::80-10.0.2:1", "the guest address '10.0.2'");

	g_assert_cmpint(net_forward_parse("udp::53-:5353", &fwd, text, sizeof(text)), ==, 0);
	net_forward_format(&fwd, text, sizeof(text));
	g_assert_cmpstr(text, ==, "udp:127.0.0.1:53-10.0.2.15:5353");
}

static void test_mac(void)
{
	uint8_t mac[6];
	const uint8_t want[6] = {0x52, 0x54, 0x00, 0xab, 0xCD, 0x01};
	char why[256];

	g_assert_cmpint(net_mac_parse("52:54:00:ab:CD:01", mac, why, sizeof(why)), ==, 0);
	g_assert_cmpmem(mac, 6, want, 6);
	g_assert_cmpint(net_mac_parse(NET_DEFAULT_MAC, mac, why, sizeof(why)), ==, 0);
	g_assert_cmpint(net_mac_parse("52:54:00:ab:cd", mac, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(net_mac_parse("52:54:00:ab:cd:01:02", mac, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(net_mac_parse("52-54-00-ab-cd-01", mac, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(net_mac_parse("52:54:00:ab:cd:0g", mac, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(net_mac_parse("03:00:00:00:00:01", mac, why, sizeof(why)), ==, -EINVAL);
	g_assert_nonnull(strstr(why, "multicast"));
	g_assert_cmpint(net_mac_parse("00:00:00:00:00:00", mac, why, sizeof(why)), ==, -EINVAL);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/virtio-net/tx/plain", test_tx_plain);
	g_test_add_func("/virtio-net/tx/checksum", test_tx_checksum);
	g_test_add_func("/virtio-net/tx/rejects", test_tx_rejects);
	g_test_add_func("/virtio-net/forward", test_forward);
	g_test_add_func("/virtio-net/mac", test_mac);
	return g_test_run();
}
