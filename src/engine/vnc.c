// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VNC server (see vnc.h).
 *
 * libvncserver keeps its own list of sockets and reads them with select()
 * inside rfbProcessEvents().  We do not let it run its own loop, which
 * would wake up on a timer: our thread waits in poll() for exactly the
 * things that can need work -- the wake-up eventfd (the gpu flushed, a
 * connection was handed in, we are stopping), our unix listener,
 * libvncserver's TCP listeners and every client's socket -- and then calls
 * rfbProcessEvents() with a zero timeout to let it do that work.
 */
#include "vnc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/input-event-codes.h>
#include <poll.h>
#include <pthread.h>
#include <rfb/rfb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "keymap.h"
#include "virtio/virtio_input.h"

#define MAX_PENDING_FDS 16
#define MAX_POLL_FDS    64

struct vnc_server {
	struct display *display;
	struct virtio_input *keyboard, *tablet;
	struct vnc_options options;
	char *passwords[2]; /* for rfbCheckPasswordByList */

	rfbScreenInfoPtr screen;
	uint32_t *framebuffer;    /* what libvncserver sends; only our thread touches it */
	uint64_t generation;      /* the display's size generation the framebuffer has */
	struct keymap_state keys; /* our thread only */
	int last_buttons;

	pthread_t thread;
	bool thread_running;
	int wake_fd;
	int listen_fd; /* unix:PATH, or -1 */

	pthread_mutex_t lock; /* the fields below */
	bool stopping;
	int pending_fds[MAX_PENDING_FDS];
	unsigned nr_pending_fds;

	atomic_uint clients;
};

static int fail(char *why, size_t why_len, int err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static int fail(char *why, size_t why_len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return err;
}

/* libvncserver's log lines: only with KENNEL_VNC_DEBUG (it is chatty). */
static void vnc_log(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("KENNEL_VNC_DEBUG"))
		return;
	fprintf(stderr, "kennel-engine: vnc: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static int parse_port(const char *text, unsigned *port)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || n < 1 || n > 65535)
		return -EINVAL;
	*port = (unsigned)n;
	return 0;
}

static int parse_tcp(const char *spec, struct vnc_listen *out, char *why, size_t why_len)
{
	const char *colon = strrchr(spec, ':');
	size_t len;
	unsigned char addr[16];

	if (!colon || parse_port(colon + 1, &out->port) < 0)
		return fail(why, why_len, -EINVAL,
		            "--vnc tcp:%s: give an address and a port, e.g. tcp:127.0.0.1:5900",
		            spec);
	len = (size_t)(colon - spec);
	if (len >= 2 && spec[0] == '[' && spec[len - 1] == ']') {
		spec++;
		len -= 2;
		out->ipv6 = true;
	}
	if (len == 0 || len >= sizeof(out->address))
		return fail(why, why_len, -EINVAL, "--vnc tcp: the address is missing or too long");
	memcpy(out->address, spec, len);
	out->address[len] = '\0';
	if (inet_pton(out->ipv6 ? AF_INET6 : AF_INET, out->address, addr) != 1)
		return fail(why, why_len, -EINVAL, "--vnc tcp: '%s' is not a numeric %s address%s",
		            out->address, out->ipv6 ? "IPv6" : "IPv4",
		            out->ipv6 ? "" : " (write IPv6 as [::1])");
	out->loopback = out->ipv6 ? memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0
	                          : addr[0] == 127;
	out->kind = VNC_LISTEN_TCP;
	return 0;
}

int vnc_listen_parse(const char *spec, struct vnc_listen *out, char *why, size_t why_len)
{
	memset(out, 0, sizeof(*out));
	if (strncmp(spec, "unix:", 5) == 0) {
		if (spec[5] == '\0' || strlen(spec + 5) >= sizeof(out->path))
			return fail(why, why_len, -EINVAL,
			            "--vnc unix:PATH: the path is empty or longer than %zu bytes",
			            sizeof(out->path) - 1);
		strcpy(out->path, spec + 5);
		out->kind = VNC_LISTEN_UNIX;
		return 0;
	}
	if (strncmp(spec, "tcp:", 4) == 0)
		return parse_tcp(spec + 4, out, why, why_len);
	return fail(why, why_len, -EINVAL, "--vnc '%s' is not unix:PATH or tcp:ADDR:PORT", spec);
}

static void wake(struct vnc_server *s)
{
	uint64_t one = 1;
	ssize_t ignored = write(s->wake_fd, &one, sizeof(one));

	(void)ignored;
}

/* The display listener: the gpu changed something (display lock held). */
static void display_update(void *opaque)
{
	wake(opaque);
}

/*
 * Input.  libvncserver calls these on our thread; a view-only server never
 * sees them (the clients are marked viewOnly), but we check anyway.
 */
static void send_input(struct virtio_input *in, const struct virtio_input_event *ev, unsigned n)
{
	if (in && n > 0)
		virtio_input_send(in, ev, n);
}

static void key_event(rfbBool down, rfbKeySym keysym, rfbClientPtr cl)
{
	struct vnc_server *s = cl->screen->screenData;
	struct virtio_input_event ev[KEYMAP_MAX_EVENTS];

	if (s->options.view_only)
		return;
	send_input(s->keyboard, ev, keymap_translate(&s->keys, down, keysym, ev));
}

static void release_all_keys(struct vnc_server *s)
{
	struct virtio_input_event ev[KEYMAP_MAX_EVENTS];
	unsigned n;

	while ((n = keymap_release_all(&s->keys, ev)) > 0)
		send_input(s->keyboard, ev, n);
}

static void release_keys_hook(rfbClientPtr cl)
{
	release_all_keys(cl->screen->screenData);
}

/* Scales a pixel coordinate to the tablet's 0..VIRTIO_INPUT_ABS_MAX. */
static int32_t scale(int v, int size)
{
	if (v < 0 || size <= 1)
		return 0;
	if (v >= size)
		v = size - 1;
	return (int32_t)((int64_t)v * VIRTIO_INPUT_ABS_MAX / (size - 1));
}

static void pointer_event(int buttons, int x, int y, rfbClientPtr cl)
{
	static const uint16_t button_codes[3] = {BTN_LEFT, BTN_MIDDLE, BTN_RIGHT};
	struct vnc_server *s = cl->screen->screenData;
	struct virtio_input_event ev[12];
	unsigned n = 0;
	int changed = buttons ^ s->last_buttons;

	if (s->options.view_only)
		return;
	ev[n++] = (struct virtio_input_event){EV_ABS, ABS_X, scale(x, cl->screen->width)};
	ev[n++] = (struct virtio_input_event){EV_ABS, ABS_Y, scale(y, cl->screen->height)};
	for (int b = 0; b < 3; b++)
		if (changed & (1 << b))
			ev[n++] = (struct virtio_input_event){EV_KEY, button_codes[b],
			                                      (buttons >> b) & 1};
	/* Buttons 4 and 5 are the wheel: one step per press. */
	if ((changed & buttons) & 8)
		ev[n++] = (struct virtio_input_event){EV_REL, REL_WHEEL, 1};
	if ((changed & buttons) & 16)
		ev[n++] = (struct virtio_input_event){EV_REL, REL_WHEEL, -1};
	ev[n++] = (struct virtio_input_event){EV_SYN, SYN_REPORT, 0};
	s->last_buttons = buttons;
	send_input(s->tablet, ev, n);
	rfbDefaultPtrAddEvent(buttons, x, y, cl); /* where libvncserver draws the cursor */
}

/* A client's SetDesktopSize (ExtendedDesktopSize): ask the guest for the size. */
static int desktop_size_hook(int width, int height, int nscreens,
                             struct rfbExtDesktopScreen *screens, rfbClientPtr cl)
{
	struct vnc_server *s = cl->screen->screenData;

	if (s->options.view_only)
		return rfbExtDesktopSize_ResizeProhibited;
	if (width < 0 || height < 0 ||
	    display_request_size(s->display, (unsigned)width, (unsigned)height) < 0)
		return rfbExtDesktopSize_InvalidScreenLayout;
	return rfbExtDesktopSize_Success;
}

static void client_gone(rfbClientPtr cl)
{
	struct vnc_server *s = cl->screen->screenData;

	atomic_fetch_sub(&s->clients, 1);
	release_all_keys(s);
}

static enum rfbNewClientAction new_client(rfbClientPtr cl)
{
	struct vnc_server *s = cl->screen->screenData;

	cl->viewOnly = s->options.view_only;
	cl->clientGoneHook = client_gone;
	atomic_fetch_add(&s->clients, 1);
	return RFB_CLIENT_ACCEPT;
}

/* The guest's cursor as a rich cursor (pixels, and a mask from alpha). */
static rfbCursorPtr make_cursor(const struct display *d)
{
	unsigned w = d->cursor_width, h = d->cursor_height;
	rfbCursorPtr c = calloc(1, sizeof(*c));
	unsigned char *alpha = malloc((size_t)w * h);

	if (!c || !alpha)
		goto fail;
	c->richSource = malloc((size_t)w * h * 4);
	if (!c->richSource)
		goto fail;
	for (unsigned i = 0; i < w * h; i++) {
		uint32_t p = d->cursor[i];

		memcpy(c->richSource + 4 * i, &p, 4);
		c->richSource[4 * i + 3] = 0;
		alpha[i] = (unsigned char)(p >> 24);
	}
	c->mask = (unsigned char *)rfbMakeMaskFromAlphaSource((int)w, (int)h, alpha);
	if (!c->mask)
		goto fail;
	free(alpha);
	c->width = (unsigned short)w;
	c->height = (unsigned short)h;
	c->xhot = (unsigned short)d->cursor_hot_x;
	c->yhot = (unsigned short)d->cursor_hot_y;
	c->foreRed = c->foreGreen = c->foreBlue = 0xffff;
	c->cleanup = c->cleanupMask = c->cleanupRichSource = c->cleanupSource = TRUE;
	return c;

fail:
	if (c)
		free(c->richSource);
	free(c);
	free(alpha);
	return NULL;
}

/*
 * The display changed: take what changed into our framebuffer.  A new
 * size means a new framebuffer (rfbNewFramebuffer tells the clients).
 */
static void take_display(struct vnc_server *s)
{
	struct display *d = s->display;
	uint32_t *old = NULL;
	unsigned width = 0, height = 0;
	struct display_rect r = {0};
	bool resized = false, damaged = false, cursor = false, cursor_visible = false;
	rfbCursorPtr new_cursor = NULL;

	pthread_mutex_lock(&d->lock);
	if (d->generation != s->generation) {
		uint32_t *fb = malloc((size_t)d->width * d->height * 4);

		if (fb) {
			memcpy(fb, d->pixels, (size_t)d->width * d->height * 4);
			old = s->framebuffer;
			s->framebuffer = fb;
			s->generation = d->generation;
			width = d->width;
			height = d->height;
			resized = true;
			d->damaged = false;
		}
	} else if (d->damaged) {
		r = d->damage;
		for (unsigned row = r.y; row < r.y + r.height; row++)
			memcpy(s->framebuffer + (size_t)row * d->width + r.x,
			       d->pixels + (size_t)row * d->width + r.x, (size_t)r.width * 4);
		d->damaged = false;
		damaged = true;
	}
	if (d->cursor_changed) {
		d->cursor_changed = false;
		cursor = true;
		cursor_visible = d->cursor_visible;
		if (cursor_visible)
			new_cursor = make_cursor(d);
	}
	pthread_mutex_unlock(&d->lock);

	if (resized) {
		rfbNewFramebuffer(s->screen, (char *)s->framebuffer, (int)width, (int)height, 8, 3,
		                  4);
		free(old);
	} else if (damaged) {
		rfbMarkRectAsModified(s->screen, (int)r.x, (int)r.y, (int)(r.x + r.width),
		                      (int)(r.y + r.height));
	}
	if (cursor && (new_cursor || !cursor_visible))
		rfbSetCursor(s->screen, new_cursor);
}

static void add_client(struct vnc_server *s, int fd)
{
	if (!rfbNewClient(s->screen, fd))
		vnc_log("a handed-in connection was refused\n");
}

static void take_pending_fds(struct vnc_server *s)
{
	int fds[MAX_PENDING_FDS];
	unsigned n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_pending_fds;
	memcpy(fds, s->pending_fds, n * sizeof(int));
	s->nr_pending_fds = 0;
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 0; i < n; i++)
		add_client(s, fds[i]);
}

static void accept_unix(struct vnc_server *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd >= 0)
		add_client(s, fd);
}

static bool stopping(struct vnc_server *s)
{
	bool stop;

	pthread_mutex_lock(&s->lock);
	stop = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

/* Everything the thread waits for: at most MAX_POLL_FDS; returns the count. */
static unsigned collect_fds(struct vnc_server *s, struct pollfd *fds)
{
	rfbClientIteratorPtr it;
	rfbClientPtr cl;
	unsigned n = 0;

	fds[n++] = (struct pollfd){.fd = s->wake_fd, .events = POLLIN};
	if (s->listen_fd >= 0)
		fds[n++] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
	if (s->screen->listenSock >= 0)
		fds[n++] = (struct pollfd){.fd = s->screen->listenSock, .events = POLLIN};
	if (s->screen->listen6Sock >= 0)
		fds[n++] = (struct pollfd){.fd = s->screen->listen6Sock, .events = POLLIN};
	it = rfbGetClientIterator(s->screen);
	while ((cl = rfbClientIteratorNext(it)) && n < MAX_POLL_FDS)
		if (cl->sock >= 0)
			fds[n++] = (struct pollfd){.fd = cl->sock, .events = POLLIN};
	rfbReleaseClientIterator(it);
	return n;
}

static void *server_thread(void *opaque)
{
	struct vnc_server *s = opaque;

	for (;;) {
		struct pollfd fds[MAX_POLL_FDS];
		unsigned n = collect_fds(s, fds);
		uint64_t count;

		if (poll(fds, n, -1) < 0 && errno != EINTR)
			break;
		if (fds[0].revents && read(s->wake_fd, &count, sizeof(count)) < 0)
			count = 0;
		if (stopping(s))
			break;
		take_pending_fds(s);
		if (s->listen_fd >= 0 && fds[1].revents)
			accept_unix(s);
		take_display(s);
		rfbProcessEvents(s->screen, 0);
	}
	return NULL;
}

static int listen_unix(struct vnc_server *s, char *why, size_t why_len)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	strcpy(addr.sun_path, s->options.listen.path);
	/* A socket left by an engine that died may go; anything else stays. */
	if (lstat(addr.sun_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(addr.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(why, why_len, -errno, "cannot make a unix socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    chmod(addr.sun_path, 0600) < 0 || listen(fd, 8) < 0) {
		int err = -errno;

		close(fd);
		return fail(why, why_len, err, "cannot listen on %s: %s", addr.sun_path,
		            strerror(-err));
	}
	s->listen_fd = fd;
	return 0;
}

/*
 * libvncserver listens on every address of port 5900, IPv4 and IPv6, unless
 * told otherwise: we set both interfaces and both ports every time.
 */
static int setup_tcp(struct vnc_server *s, char *why, size_t why_len)
{
	rfbScreenInfoPtr screen = s->screen;
	const struct vnc_listen *l = &s->options.listen;

	screen->autoPort = FALSE;
	screen->port = -1;
	screen->ipv6port = -1;
	screen->listenInterface = htonl(INADDR_LOOPBACK);
	screen->listen6Interface = "::1";
	screen->udpPort = 0;
	screen->httpDir = NULL;
	screen->httpPort = -1;
	screen->http6Port = -1;
	if (l->kind != VNC_LISTEN_TCP)
		return 0;
	if (l->ipv6) {
		screen->listen6Interface = s->options.listen.address;
		screen->ipv6port = (int)l->port;
	} else {
		if (inet_pton(AF_INET, l->address, &screen->listenInterface) != 1)
			return fail(why, why_len, -EINVAL, "bad address %s", l->address);
		screen->port = (int)l->port;
	}
	return 0;
}

static int check_tcp(struct vnc_server *s, char *why, size_t why_len)
{
	const struct vnc_listen *l = &s->options.listen;

	if (l->kind != VNC_LISTEN_TCP)
		return 0;
	if ((l->ipv6 ? s->screen->listen6Sock : s->screen->listenSock) < 0)
		return fail(why, why_len, -EADDRINUSE, "cannot listen on %s%s%s:%u",
		            l->ipv6 ? "[" : "", l->address, l->ipv6 ? "]" : "", l->port);
	return 0;
}

static int make_screen(struct vnc_server *s, char *why, size_t why_len)
{
	int argc = 1;
	char *argv[] = {"kennel-engine", NULL};
	struct display *d = s->display;
	rfbScreenInfoPtr screen;
	int err;

	pthread_mutex_lock(&d->lock);
	s->framebuffer = malloc((size_t)d->width * d->height * 4);
	if (s->framebuffer)
		memcpy(s->framebuffer, d->pixels, (size_t)d->width * d->height * 4);
	s->generation = d->generation;
	screen = rfbGetScreen(&argc, argv, (int)d->width, (int)d->height, 8, 3, 4);
	d->damaged = false;
	pthread_mutex_unlock(&d->lock);
	if (!s->framebuffer || !screen) {
		if (screen)
			rfbScreenCleanup(screen);
		return fail(why, why_len, -ENOMEM, "out of memory");
	}
	s->screen = screen;
	screen->screenData = s;
	screen->frameBuffer = (char *)s->framebuffer;
	screen->desktopName = "Kennel";
	screen->alwaysShared = TRUE;
	screen->deferUpdateTime = 0;    /* send as soon as asked: we wake only for damage */
	screen->deferPtrUpdateTime = 0; /* and take pointer events as they come */
	screen->handleEventsEagerly = FALSE;
	screen->kbdAddEvent = key_event;
	screen->kbdReleaseAllKeys = release_keys_hook;
	screen->ptrAddEvent = pointer_event;
	screen->setDesktopSizeHook = desktop_size_hook;
	screen->newClientHook = new_client;
	if (s->options.password) {
		s->passwords[0] = strdup(s->options.password);
		if (!s->passwords[0])
			return fail(why, why_len, -ENOMEM, "out of memory");
		screen->authPasswdData = s->passwords;
		screen->passwordCheck = rfbCheckPasswordByList;
	}
	err = setup_tcp(s, why, why_len);
	if (err < 0)
		return err;
	FD_ZERO(&screen->allFds);
	rfbInitServer(screen);
	return check_tcp(s, why, why_len);
}

int vnc_server_create(struct display *d, struct virtio_input *keyboard, struct virtio_input *tablet,
                      const struct vnc_options *o, char *why, size_t why_len,
                      struct vnc_server **out)
{
	struct vnc_server *s;
	int err;

	if (o->listen.kind == VNC_LISTEN_TCP && !o->listen.loopback && !o->password)
		return fail(why, why_len, -EPERM,
		            "--vnc %s is not a loopback address: give a password "
		            "(--vnc-password-file or KENNEL_VNC_PASSWORD)",
		            o->listen.address);
	s = calloc(1, sizeof(*s));
	if (!s)
		return fail(why, why_len, -ENOMEM, "out of memory");
	s->display = d;
	s->keyboard = keyboard;
	s->tablet = tablet;
	s->options = *o;
	s->listen_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	rfbLog = vnc_log;
	rfbErr = vnc_log;
	s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->wake_fd < 0) {
		err = fail(why, why_len, -errno, "eventfd: %s", strerror(errno));
		goto fail;
	}
	err = make_screen(s, why, why_len);
	if (err == 0 && o->listen.kind == VNC_LISTEN_UNIX)
		err = listen_unix(s, why, why_len);
	if (err < 0)
		goto fail;
	display_set_listener(d, &(struct display_listener){display_update, s});
	err = -pthread_create(&s->thread, NULL, server_thread, s);
	if (err < 0) {
		display_set_listener(d, NULL);
		fail(why, why_len, err, "cannot start the VNC thread: %s", strerror(-err));
		goto fail;
	}
	s->thread_running = true;
	*out = s;
	return 0;

fail:
	vnc_server_destroy(s);
	return err;
}

void vnc_server_destroy(struct vnc_server *s)
{
	if (!s)
		return;
	display_set_listener(s->display, NULL);
	if (s->thread_running) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_mutex_unlock(&s->lock);
		wake(s);
		pthread_join(s->thread, NULL);
	}
	for (unsigned i = 0; i < s->nr_pending_fds; i++)
		close(s->pending_fds[i]);
	if (s->screen) {
		rfbShutdownServer(s->screen, TRUE);
		rfbScreenCleanup(s->screen);
	}
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->options.listen.path);
	}
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	free(s->passwords[0]);
	free(s->framebuffer);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int vnc_server_add_client_fd(struct vnc_server *s, int fd)
{
	int err = 0;

	if (fd < 0)
		return -EBADF;
	pthread_mutex_lock(&s->lock);
	if (s->stopping || s->nr_pending_fds == MAX_PENDING_FDS)
		err = s->stopping ? -ESHUTDOWN : -EAGAIN;
	else
		s->pending_fds[s->nr_pending_fds++] = fd;
	pthread_mutex_unlock(&s->lock);
	if (err < 0)
		close(fd);
	else
		wake(s);
	return err;
}

struct display *vnc_server_display(struct vnc_server *s)
{
	return s->display;
}

unsigned vnc_server_clients(struct vnc_server *s)
{
	return atomic_load(&s->clients);
}
