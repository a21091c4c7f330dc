/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User-mode networking: the guest's Ethernet link ends in libslirp.
 *
 * slirp is a whole small IPv4 network in a library.  Frames the guest sends
 * go in with net_slirp_input(); slirp answers ARP, DHCP (the guest gets
 * 10.0.2.15) and DNS (10.0.2.3, relayed to the host's resolver) itself,
 * and turns the guest's TCP connections and UDP datagrams into ordinary
 * sockets of this process: the guest reaches the host's loopback as
 * 10.0.2.2 and the world through the host.  Frames for the guest come out
 * through the receive callback.  Host port forwards are listening sockets
 * whose connections slirp carries to a port of the guest.
 *
 * In restricted mode the guest reaches nothing at all (not the host, not
 * the world, not the DNS relay) except by answering on a forwarded port;
 * DHCP still works.
 *
 * slirp is not thread-safe.  Everything here except the parsers must run
 * on one thread: Kennel runs it on the virtio-net backend thread, which
 * waits on the fd net_slirp_prepare() returns (an epoll set of every
 * socket slirp wants watched) with the timeout it gives, and calls
 * net_slirp_poll() after every wait.
 */
#ifndef KENNEL_ENGINE_NET_SLIRP_H
#define KENNEL_ENGINE_NET_SLIRP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_FORWARDS_MAX 32

/* The guest's network, as slirp sets it up. */
#define NET_GUEST_NETWORK "10.0.2.0"
#define NET_GUEST_NETMASK "255.255.255.0"
#define NET_GUEST_HOST    "10.0.2.2" /* the host (its loopback) and the gateway */
#define NET_GUEST_DNS     "10.0.2.3"
#define NET_GUEST_ADDR    "10.0.2.15" /* what DHCP gives the guest */

/*
 * The guest's MAC address when the user gives none.  Every guest has a
 * slirp network of its own, so two guests with the same address never
 * meet; the app gives each guest profile its own anyway.
 */
#define NET_DEFAULT_MAC "52:54:00:12:34:56"

/* A host port forward: connections to host_addr:host_port go to guest_addr:guest_port. */
struct net_forward {
	bool udp;
	struct in_addr host_addr;  /* 127.0.0.1 unless the user gave one */
	struct in_addr guest_addr; /* 10.0.2.15 unless the user gave one */
	uint16_t host_port, guest_port;
};

/*
 * Parses `tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT`.  Returns 0, or
 * -EINVAL with a message in why that names the part that is wrong.
 */
int net_forward_parse(const char *text, struct net_forward *fwd, char *why, size_t why_len);

/* Parses a MAC address `xx:xx:xx:xx:xx:xx` (unicast, not all zero). */
int net_mac_parse(const char *text, uint8_t mac[6], char *why, size_t why_len);

/* Prints a forward as the user would write it, e.g. "tcp:127.0.0.1:8080-10.0.2.15:80". */
void net_forward_format(const struct net_forward *fwd, char *buf, size_t len);

struct net_slirp_config {
	bool restricted;
	size_t mtu; /* of the guest's link; slirp's segments are sized to it */
	const struct net_forward *forwards;
	unsigned num_forwards;
};

/* slirp has a frame for the guest (an Ethernet frame without FCS). */
typedef void (*net_slirp_receive_fn)(void *opaque, const uint8_t *frame, size_t len);

struct net_slirp;

/*
 * Creates the network and its forwards' listening sockets.  Returns 0, or a
 * negative errno with a message in why (a forward whose port is taken
 * names itself).
 */
int net_slirp_create(const struct net_slirp_config *config, net_slirp_receive_fn receive,
                     void *opaque, struct net_slirp **out, char *why, size_t why_len);
void net_slirp_destroy(struct net_slirp *ns);

/* A frame from the guest. */
void net_slirp_input(struct net_slirp *ns, const uint8_t *frame, size_t len);

/*
 * Before a wait: returns the fd to wait on for POLLIN (slirp's sockets) and
 * lowers *timeout_ms (-1: forever) to slirp's next timer.
 */
int net_slirp_prepare(struct net_slirp *ns, int *timeout_ms);

/*
 * After a wait (whatever woke it): lets slirp serve its sockets and run its
 * timers.  Does nothing unless net_slirp_prepare() came first.
 */
void net_slirp_poll(struct net_slirp *ns);

#endif
