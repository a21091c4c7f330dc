/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's VNC server: the guest's screen and input over RFB, with
 * libvncserver.
 *
 * One thread runs the server.  It sleeps in poll() on its own wake-up
 * eventfd, its listening sockets and its clients' sockets, so an idle
 * screen costs nothing.  The gpu rings it through the display listener
 * when the guest flushed a rectangle; it copies that rectangle into its
 * framebuffer, marks it modified and lets libvncserver send it to the
 * clients that asked for an update.  Key and pointer events from clients
 * go to the virtio-input keyboard and tablet.
 *
 * It listens on no network port unless told to:
 *   - unix:PATH      a unix socket (mode 0600) that we accept on ourselves,
 *                    handing each connection to rfbNewClient();
 *   - tcp:ADDR:PORT  a TCP port on one address (IPv4, or [IPv6]); anything
 *                    but loopback (127.0.0.0/8, [::1]) needs a password;
 *   - nothing        only connections handed in through
 *                    vnc_server_add_client_fd() (the app's control channel).
 */
#ifndef KENNEL_ENGINE_VNC_H
#define KENNEL_ENGINE_VNC_H

#include <stdbool.h>
#include <stddef.h>

#include "display.h"

struct virtio_input;
struct vnc_server;

enum vnc_listen_kind {
	VNC_LISTEN_NONE = 0,
	VNC_LISTEN_UNIX,
	VNC_LISTEN_TCP,
};

struct vnc_listen {
	enum vnc_listen_kind kind;
	char path[108];   /* unix: the socket's path */
	char address[64]; /* tcp: the numeric address, without brackets */
	bool ipv6;
	bool loopback;
	unsigned port;
};

/* Parses unix:PATH or tcp:ADDR:PORT; -EINVAL with a message in why. */
int vnc_listen_parse(const char *spec, struct vnc_listen *out, char *why, size_t why_len);

struct vnc_options {
	struct vnc_listen listen;
	const char *password; /* NULL: no password (only allowed without a network listener) */
	bool view_only;       /* clients see the screen; their keys and pointer are ignored */
};

/*
 * Starts the server for display d (keyboard and tablet may be NULL).
 * Returns 0, or -errno with a message in why (e.g. the port is taken).
 */
int vnc_server_create(struct display *d, struct virtio_input *keyboard, struct virtio_input *tablet,
                      const struct vnc_options *o, char *why, size_t why_len,
                      struct vnc_server **out);
/* Stops the thread, disconnects every client, removes the unix socket. */
void vnc_server_destroy(struct vnc_server *s);

/*
 * Hands a connected stream socket to the server (any thread): it becomes a
 * VNC client on the server's thread.  The server owns fd afterwards, even
 * on failure.  Returns 0 or -errno.
 */
int vnc_server_add_client_fd(struct vnc_server *s, int fd);

/* The display the server shows, for display_request_size() and display_get_size(). */
struct display *vnc_server_display(struct vnc_server *s);

/* How many clients are connected now (any thread). */
unsigned vnc_server_clients(struct vnc_server *s);

#endif
