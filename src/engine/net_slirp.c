// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User-mode networking over libslirp (see net_slirp.h).
 *
 * slirp wants an event loop: before each sleep, slirp_pollfds_fill() names
 * the sockets to watch and how long we may sleep; after it,
 * slirp_pollfds_poll() reads the sockets that are ready and runs slirp's
 * TCP timers.  The virtio backend thread we run on can wait on one extra
 * fd only, so the sockets go into an epoll set, and that set is the fd:
 * every fill re-registers each socket with the events slirp wants now
 * (EPOLL_CTL_MOD, or ADD for a socket that is new or whose number came
 * back after a close) and drops the ones slirp no longer names.
 *
 * slirp's own timers (timer_new/timer_mod: IPv6 router advertisements in
 * this version, unused with IPv6 off, but kept working) live in a small
 * list here and fire from net_slirp_poll().
 */
#include "net_slirp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#define GUEST_ERROR_REPORTS 10

struct net_timer {
	struct net_timer *next;
	struct net_slirp *ns;
	SlirpTimerId id; /* with timer_new_opaque */
	SlirpTimerCb cb; /* with timer_new */
	void *cb_opaque;
	int64_t expire_ms; /* -1: not armed */
};

struct watched {
	int fd;
	int events;  /* SLIRP_POLL_* slirp asked for */
	int revents; /* SLIRP_POLL_* that came */
};

struct net_slirp {
	Slirp *slirp;
	net_slirp_receive_fn receive;
	void *opaque;
	int epoll_fd;
	bool filled; /* a fill waits for its poll */
	bool kicked; /* slirp asked to be run again soon (its notify callback) */

	/* This round's sockets (index = what add_poll returned) and the last round's. */
	struct watched *watch;
	size_t num_watch, cap_watch;
	int *registered;
	size_t num_registered, cap_registered;

	struct net_timer *timers;
	unsigned guest_errors;
};

/* ---- parsing ---- */

static int fail(char *why, size_t why_len, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool parse_port(const char *text, size_t len, uint16_t *port)
{
	unsigned long n = 0;

	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		n = n * 10 + (unsigned long)(text[i] - '0');
	}
	if (n < 1 || n > 65535)
		return false;
	*port = (uint16_t)n;
	return true;
}

/* An IPv4 address in dotted-quad form, of len characters; empty gives dflt. */
static bool parse_addr(const char *text, size_t len, const char *dflt, struct in_addr *addr)
{
	char buf[INET_ADDRSTRLEN];

	if (len == 0)
		return inet_pton(AF_INET, dflt, addr) == 1;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, addr) == 1;
}

#define FORWARD_SYNTAX "tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT"

int net_forward_parse(const char *text, struct net_forward *fwd, char *why, size_t why_len)
{
	const char *colon = strchr(text, ':'), *dash, *host, *hport, *guest, *gport;
	struct in_addr net, mask;

	memset(fwd, 0, sizeof(*fwd));
	if (!colon)
		return fail(why, why_len,
		            "--forward '%s' does not start with tcp: or udp: (expected %s)", text,
		            FORWARD_SYNTAX);
	if ((size_t)(colon - text) == 3 && strncmp(text, "tcp", 3) == 0)
		fwd->udp = false;
	else if ((size_t)(colon - text) == 3 && strncmp(text, "udp", 3) == 0)
		fwd->udp = true;
	else
		return fail(why, why_len, "--forward '%s': the protocol '%.*s' is not tcp or udp",
		            text, (int)(colon - text), text);
	host = colon + 1;
	dash = strchr(host, '-');
	if (!dash)
		return fail(why, why_len,
		            "--forward '%s': no '-' between the host part and the guest part "
		            "(expected %s)",
		            text, FORWARD_SYNTAX);
	hport = memrchr(host, ':', (size_t)(dash - host));
	if (!hport)
		return fail(why, why_len,
		            "--forward '%s': the host part '%.*s' has no ':' before the port "
		            "(expected %s)",
		            text, (int)(dash - host), host, FORWARD_SYNTAX);
	if (!parse_addr(host, (size_t)(hport - host), "127.0.0.1", &fwd->host_addr))
		return fail(why, why_len,
		            "--forward '%s': the host address '%.*s' is not an IPv4 address", text,
		            (int)(hport - host), host);
	hport++;
	if (!parse_port(hport, (size_t)(dash - hport), &fwd->host_port))
		return fail(why, why_len,
		            "--forward '%s': the host port '%.*s' is not a port (1-65535)", text,
		            (int)(dash - hport), hport);
	guest = dash + 1;
	gport = strrchr(guest, ':');
	if (!gport)
		return fail(why, why_len,
		            "--forward '%s': the guest part '%s' has no ':' before the port "
		            "(expected %s)",
		            text, guest, FORWARD_SYNTAX);
	if (!parse_addr(guest, (size_t)(gport - guest), NET_GUEST_ADDR, &fwd->guest_addr))
		return fail(why, why_len,
		            "--forward '%s': the guest address '%.*s' is not an IPv4 address", text,
		            (int)(gport - guest), guest);
	inet_pton(AF_INET, NET_GUEST_NETWORK, &net);
	inet_pton(AF_INET, NET_GUEST_NETMASK, &mask);
	if ((fwd->guest_addr.s_addr & mask.s_addr) != net.s_addr)
		return fail(
		        why, why_len,
		        "--forward '%s': the guest address '%.*s' is not in the guest's network "
		        "%s/24",
		        text, (int)(gport - guest), guest, NET_GUEST_NETWORK);
	gport++;
	if (!parse_port(gport, strlen(gport), &fwd->guest_port))
		return fail(why, why_len,
		            "--forward '%s': the guest port '%s' is not a port (1-65535)", text,
		            gport);
	return 0;
}

void net_forward_format(const struct net_forward *fwd, char *buf, size_t len)
{
	char host[INET_ADDRSTRLEN], guest[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &fwd->host_addr, host, sizeof(host));
	inet_ntop(AF_INET, &fwd->guest_addr, guest, sizeof(guest));
	snprintf(buf, len, "%s:%s:%u-%s:%u", fwd->udp ? "udp" : "tcp", host, fwd->host_port, guest,
	         fwd->guest_port);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int net_mac_parse(const char *text, uint8_t mac[6], char *why, size_t why_len)
{
	const char *p = text;

	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(p[0]), lo = hi < 0 ? -1 : hex_digit(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':') || (i == 5 && p[2] != '\0'))
			return fail(why, why_len,
			            "--mac '%s' is not a MAC address (six hex pairs: "
			            "52:54:00:12:34:56)",
			            text);
		mac[i] = (uint8_t)(hi << 4 | lo);
		p += 3;
	}
	if (mac[0] & 1)
		return fail(why, why_len,
		            "--mac %s is a multicast address (the first byte must be even)", text);
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return fail(why, why_len, "--mac %s: the all-zero address is not a station's",
		            text);
	return 0;
}

/* ---- slirp's callbacks (all on our one thread) ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *ns = opaque;

	ns->receive(ns->opaque, buf, len);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	struct net_slirp *ns = opaque;

	if (++ns->guest_errors <= GUEST_ERROR_REPORTS)
		fprintf(stderr, "kennel-engine: virtio-net: the guest sent a bad packet: %s%s\n",
		        msg,
		        ns->guest_errors == GUEST_ERROR_REPORTS ? " (further reports suppressed)"
		                                                : "");
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t cb_clock_get_ns(void *opaque)
{
	return now_ns();
}

static struct net_timer *timer_add(struct net_slirp *ns)
{
	struct net_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ns = ns;
	t->expire_ms = -1;
	t->next = ns->timers;
	ns->timers = t;
	return t;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct net_timer *t = timer_add(opaque);

	if (t) {
		t->cb = cb;
		t->cb_opaque = cb_opaque;
	}
	return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct net_timer *t = timer_add(opaque);

	if (t) {
		t->id = id;
		t->cb_opaque = cb_opaque;
	}
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct net_slirp *ns = opaque;

	for (struct net_timer **p = &ns->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct net_timer *t = timer;

	t->expire_ms = expire_ms;
}

static void cb_register_poll_fd(int fd, void *opaque)
{
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
}

static void cb_notify(void *opaque)
{
	struct net_slirp *ns = opaque;

	ns->kicked = true;
}

static const SlirpCb slirp_callbacks = {
        .send_packet = cb_send_packet,
        .guest_error = cb_guest_error,
        .clock_get_ns = cb_clock_get_ns,
        .timer_new = cb_timer_new,
        .timer_free = cb_timer_free,
        .timer_mod = cb_timer_mod,
        .register_poll_fd = cb_register_poll_fd,
        .unregister_poll_fd = cb_unregister_poll_fd,
        .notify = cb_notify,
        .timer_new_opaque = cb_timer_new_opaque,
};

/* ---- the event loop's two halves ---- */

static uint32_t to_epoll(int events)
{
	uint32_t e = 0;

	if (events & SLIRP_POLL_IN)
		e |= EPOLLIN;
	if (events & SLIRP_POLL_OUT)
		e |= EPOLLOUT;
	if (events & SLIRP_POLL_PRI)
		e |= EPOLLPRI;
	return e;
}

static int from_epoll(uint32_t e)
{
	int events = 0;

	if (e & EPOLLIN)
		events |= SLIRP_POLL_IN;
	if (e & EPOLLOUT)
		events |= SLIRP_POLL_OUT;
	if (e & EPOLLPRI)
		events |= SLIRP_POLL_PRI;
	if (e & EPOLLERR)
		events |= SLIRP_POLL_ERR;
	if (e & EPOLLHUP)
		events |= SLIRP_POLL_HUP;
	return events;
}

static bool grow(void **array, size_t *cap, size_t want, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (want <= *cap)
		return true;
	while (n < want)
		n *= 2;
	p = realloc(*array, n * size);
	if (!p)
		return false;
	*array = p;
	*cap = n;
	return true;
}

/* slirp names a socket to watch; its index comes back in cb_get_revents. */
static int cb_add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *ns = opaque;
	struct epoll_event ev = {.events = to_epoll(events)};
	size_t idx = ns->num_watch;

	if (!grow((void **)&ns->watch, &ns->cap_watch, idx + 1, sizeof(*ns->watch)))
		return -1;
	ns->watch[idx] = (struct watched){.fd = fd, .events = events};
	ns->num_watch++;
	ev.data.u32 = (uint32_t)idx;
	if (epoll_ctl(ns->epoll_fd, EPOLL_CTL_MOD, fd, &ev) < 0 && errno == ENOENT)
		epoll_ctl(ns->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
	return (int)idx;
}

static int cb_get_revents(int idx, void *opaque)
{
	struct net_slirp *ns = opaque;

	if (idx < 0 || (size_t)idx >= ns->num_watch)
		return 0;
	return ns->watch[idx].revents;
}

static bool watched_now(const struct net_slirp *ns, int fd)
{
	for (size_t i = 0; i < ns->num_watch; i++)
		if (ns->watch[i].fd == fd)
			return true;
	return false;
}

/* Sockets of the last round that slirp no longer names leave the epoll set. */
static void forget_unwatched(struct net_slirp *ns)
{
	size_t kept = 0;

	for (size_t i = 0; i < ns->num_registered; i++)
		if (!watched_now(ns, ns->registered[i]))
			epoll_ctl(ns->epoll_fd, EPOLL_CTL_DEL, ns->registered[i], NULL);
	if (!grow((void **)&ns->registered, &ns->cap_registered, ns->num_watch,
	          sizeof(*ns->registered)))
		return;
	for (size_t i = 0; i < ns->num_watch; i++)
		ns->registered[kept++] = ns->watch[i].fd;
	ns->num_registered = kept;
}

int net_slirp_prepare(struct net_slirp *ns, int *timeout_ms)
{
	uint32_t timeout = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;
	int64_t now_ms = now_ns() / 1000000;

	ns->num_watch = 0;
	slirp_pollfds_fill(ns->slirp, &timeout, cb_add_poll, ns);
	forget_unwatched(ns);
	ns->filled = true;
	for (struct net_timer *t = ns->timers; t; t = t->next) {
		if (t->expire_ms < 0)
			continue;
		if (t->expire_ms <= now_ms)
			timeout = 0;
		else if ((uint64_t)(t->expire_ms - now_ms) < timeout)
			timeout = (uint32_t)(t->expire_ms - now_ms);
	}
	if (ns->kicked)
		timeout = 0;
	ns->kicked = false;
	*timeout_ms = timeout > INT_MAX ? -1 : (int)timeout;
	return ns->epoll_fd;
}

static void run_timers(struct net_slirp *ns)
{
	int64_t now_ms = now_ns() / 1000000;
	bool fired;

	/* A callback may free or re-arm any timer: start over after each. */
	do {
		fired = false;
		for (struct net_timer *t = ns->timers; t; t = t->next) {
			if (t->expire_ms < 0 || t->expire_ms > now_ms)
				continue;
			t->expire_ms = -1;
			if (t->cb)
				t->cb(t->cb_opaque);
			else
				slirp_handle_timer(ns->slirp, t->id, t->cb_opaque);
			fired = true;
			break;
		}
	} while (fired);
}

void net_slirp_poll(struct net_slirp *ns)
{
	struct epoll_event events[64];
	int n;

	if (!ns->filled)
		return;
	ns->filled = false;
	for (size_t i = 0; i < ns->num_watch; i++)
		ns->watch[i].revents = 0;
	do {
		n = epoll_wait(ns->epoll_fd, events, 64, 0);
		for (int i = 0; i < n; i++)
			if (events[i].data.u32 < ns->num_watch)
				ns->watch[events[i].data.u32].revents =
				        from_epoll(events[i].events);
	} while (n == 64);
	slirp_pollfds_poll(ns->slirp, n < 0, cb_get_revents, ns);
	run_timers(ns);
}

void net_slirp_input(struct net_slirp *ns, const uint8_t *frame, size_t len)
{
	if (len <= INT_MAX)
		slirp_input(ns->slirp, frame, (int)len);
}

/* ---- setup ---- */

static int add_forward(struct net_slirp *ns, const struct net_forward *fwd, char *why,
                       size_t why_len)
{
	char text[96];
	int err;

	errno = 0;
	if (slirp_add_hostfwd(ns->slirp, fwd->udp, fwd->host_addr, fwd->host_port, fwd->guest_addr,
	                      fwd->guest_port) == 0)
		return 0;
	err = errno ? errno : EADDRINUSE;
	net_forward_format(fwd, text, sizeof(text));
	snprintf(why, why_len, "cannot forward %s: %s", text, strerror(err));
	return -err;
}

int net_slirp_create(const struct net_slirp_config *config, net_slirp_receive_fn receive,
                     void *opaque, struct net_slirp **out, char *why, size_t why_len)
{
	SlirpConfig cfg = {
	        .version = 4,
	        .restricted = config->restricted,
	        .in_enabled = true,
	        .in6_enabled = false,
	        .if_mtu = config->mtu,
	        .if_mru = config->mtu,
	};
	struct net_slirp *ns = calloc(1, sizeof(*ns));
	int err;

	if (!ns) {
		snprintf(why, why_len, "out of memory");
		return -ENOMEM;
	}
	ns->receive = receive;
	ns->opaque = opaque;
	ns->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (ns->epoll_fd < 0) {
		err = -errno;
		snprintf(why, why_len, "epoll_create1: %s", strerror(-err));
		goto free_ns;
	}
	inet_pton(AF_INET, NET_GUEST_NETWORK, &cfg.vnetwork);
	inet_pton(AF_INET, NET_GUEST_NETMASK, &cfg.vnetmask);
	inet_pton(AF_INET, NET_GUEST_HOST, &cfg.vhost);
	inet_pton(AF_INET, NET_GUEST_ADDR, &cfg.vdhcp_start);
	inet_pton(AF_INET, NET_GUEST_DNS, &cfg.vnameserver);
	ns->slirp = slirp_new(&cfg, &slirp_callbacks, ns);
	if (!ns->slirp) {
		err = -EINVAL;
		snprintf(why, why_len, "libslirp refused the network configuration");
		goto free_ns;
	}
	for (unsigned i = 0; i < config->num_forwards; i++) {
		err = add_forward(ns, &config->forwards[i], why, why_len);
		if (err < 0)
			goto free_ns;
	}
	*out = ns;
	return 0;

free_ns:
	net_slirp_destroy(ns);
	return err;
}

void net_slirp_destroy(struct net_slirp *ns)
{
	if (!ns)
		return;
	if (ns->slirp)
		slirp_cleanup(ns->slirp);
	while (ns->timers) {
		struct net_timer *t = ns->timers;

		ns->timers = t->next;
		free(t);
	}
	if (ns->epoll_fd >= 0)
		close(ns->epoll_fd);
	free(ns->watch);
	free(ns->registered);
	free(ns);
}
