// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VNC server without a guest: a display drawn by the test, a
 * connection handed in with vnc_server_add_client_fd() (the path the app's
 * control channel takes), and a libvncclient client on the other end of a
 * socketpair.  Damage reaches the client, a new size reaches it too, and
 * --vnc's address parser says what it accepts.
 */
#include <errno.h>
#include <glib.h>
#include <rfb/rfbclient.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "display.h"
#include "vnc.h"

static int updates, rects;

static void got_rect(rfbClient *c, int x, int y, int w, int h)
{
	rects++;
}

/* Only updates with pixels count (a cursor shape alone comes as an empty update). */
static void finished(rfbClient *c)
{
	if (rects > 0)
		updates++;
	rects = 0;
}

static void quiet(const char *fmt, ...)
{
}

/* Handles server messages until `updates` passes `from` (or 10 s pass). */
static void wait_update(rfbClient *c, int from)
{
	for (int i = 0; i < 100 && updates == from; i++)
		if (WaitForMessage(c, 100000) > 0)
			g_assert_true(HandleRFBServerMessage(c));
	g_assert_cmpint(updates, >, from);
}

static uint32_t client_pixel(rfbClient *c, int x, int y)
{
	uint32_t v;

	memcpy(&v, c->frameBuffer + ((size_t)y * c->width + x) * 4, 4);
	return v & 0xffffff;
}

static void test_handed_in_fd(void)
{
	struct vnc_options o = {0};
	struct vnc_server *s;
	struct display *d;
	char why[256];
	int sv[2], from;
	rfbClient *c;

	rfbClientLog = rfbClientErr = quiet;
	g_assert_cmpint(display_create(640, 480, &d), ==, 0);
	g_assert_cmpint(vnc_server_create(d, NULL, NULL, &o, why, sizeof(why), &s), ==, 0);
	g_assert_true(vnc_server_display(s) == d);
	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
	g_assert_cmpint(vnc_server_add_client_fd(s, sv[0]), ==, 0);

	c = rfbGetClient(8, 3, 4);
	c->GotFrameBufferUpdate = got_rect;
	c->FinishedFrameBufferUpdate = finished;
	c->canHandleNewFBSize = TRUE;
	c->appData.encodingsString = "raw";
	c->sock = sv[1];
	c->listenSpecified = TRUE;
	g_assert_true(rfbInitClient(c, NULL, NULL));
	g_assert_cmpint(c->width, ==, 640);
	g_assert_cmpint(c->height, ==, 480);
	g_assert_cmpuint(vnc_server_clients(s), ==, 1);

	/* The gpu's side: draw a rectangle, damage it. */
	from = updates;
	SendFramebufferUpdateRequest(c, 0, 0, 640, 480, FALSE);
	wait_update(c, from);
	pthread_mutex_lock(&d->lock);
	for (int y = 100; y < 110; y++)
		for (int x = 200; x < 220; x++)
			d->pixels[y * 640 + x] = DISPLAY_RGB(0x12, 0x34, 0x56);
	display_damage_locked(d, &(struct display_rect){200, 100, 20, 10});
	pthread_mutex_unlock(&d->lock);
	from = updates;
	SendFramebufferUpdateRequest(c, 0, 0, 640, 480, TRUE);
	wait_update(c, from);
	g_assert_cmphex(client_pixel(c, 205, 105), ==, DISPLAY_RGB(0x12, 0x34, 0x56));
	g_assert_cmphex(client_pixel(c, 199, 105), ==, 0);

	/* A new scanout size reaches the client. */
	pthread_mutex_lock(&d->lock);
	g_assert_cmpint(display_resize_locked(d, 800, 600), ==, 0);
	pthread_mutex_unlock(&d->lock);
	for (int i = 0; i < 20 && c->width != 800; i++) {
		from = updates;
		SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, TRUE);
		wait_update(c, from);
	}
	g_assert_cmpint(c->width, ==, 800);
	g_assert_cmpint(c->height, ==, 600);

	/* Sizes the host may ask for. */
	g_assert_cmpint(display_request_size(d, 32, 100), ==, -EINVAL);
	g_assert_cmpint(display_request_size(d, 9000, 3000), ==, -EINVAL);
	g_assert_cmpint(display_request_size(d, 1280, 720), ==, 0);

	vnc_server_destroy(s);
	free(c->frameBuffer); /* libvncclient leaves its framebuffer to us */
	rfbClientCleanup(c);
	display_destroy(d);
	g_assert_cmpint(vnc_server_add_client_fd(NULL, -1), ==, -EBADF);
}

static void test_listen_parse(void)
{
	struct vnc_listen l;
	char why[256];

	g_assert_cmpint(vnc_listen_parse("unix:/tmp/x.sock", &l, why, sizeof(why)), ==, 0);
	g_assert_cmpint(l.kind, ==, VNC_LISTEN_UNIX);
	g_assert_cmpstr(l.path, ==, "/tmp/x.sock");
	g_assert_cmpint(vnc_listen_parse("tcp:127.0.0.1:5900", &l, why, sizeof(why)), ==, 0);
	g_assert_true(l.kind == VNC_LISTEN_TCP && l.loopback && !l.ipv6 && l.port == 5900);
	g_assert_cmpint(vnc_listen_parse("tcp:127.1.2.3:1", &l, why, sizeof(why)), ==, 0);
	g_assert_true(l.loopback);
	g_assert_cmpint(vnc_listen_parse("tcp:[::1]:5901", &l, why, sizeof(why)), ==, 0);
	g_assert_true(l.loopback && l.ipv6);
	g_assert_cmpstr(l.address, ==, "::1");
	g_assert_cmpint(vnc_listen_parse("tcp:0.0.0.0:5900", &l, why, sizeof(why)), ==, 0);
	g_assert_false(l.loopback);
	g_assert_cmpint(vnc_listen_parse("tcp:[::]:5900", &l, why, sizeof(why)), ==, 0);
	g_assert_false(l.loopback);
	g_assert_cmpint(vnc_listen_parse("tcp:localhost:5900", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(vnc_listen_parse("tcp:::1:5900", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(vnc_listen_parse("tcp:127.0.0.1:0", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(vnc_listen_parse("tcp:127.0.0.1:65536", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(vnc_listen_parse("tcp:127.0.0.1", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(vnc_listen_parse("unix:", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_cmpint(vnc_listen_parse("5900", &l, why, sizeof(why)), ==, -EINVAL);
	g_assert_nonnull(strstr(why, "unix:PATH"));
}

/* A network address without a password: refused by the server itself too. */
static void test_refuses_without_password(void)
{
	struct vnc_options o = {0};
	struct vnc_server *s = NULL;
	struct display *d;
	char why[256];

	g_assert_cmpint(display_create(640, 480, &d), ==, 0);
	g_assert_cmpint(vnc_listen_parse("tcp:0.0.0.0:5999", &o.listen, why, sizeof(why)), ==, 0);
	g_assert_cmpint(vnc_server_create(d, NULL, NULL, &o, why, sizeof(why), &s), ==, -EPERM);
	g_assert_null(s);
	g_assert_nonnull(strstr(why, "password"));
	display_destroy(d);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/vnc/handed-in-fd", test_handed_in_fd);
	g_test_add_func("/vnc/listen-parse", test_listen_parse);
	g_test_add_func("/vnc/refuses-without-password", test_refuses_without_password);
	return g_test_run();
}
