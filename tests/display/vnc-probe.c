// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vnc-probe: a small VNC client (libvncclient) that the display tests and
 * benchmarks drive line by line on stdin; it answers on stdout.
 *
 *   vnc-probe unix:PATH | tcp:HOST:PORT [PASSWORD]
 *
 * It connects (on a unix socket through an fd it connects itself, handed
 * to libvncclient as client->sock), then reads commands:
 *
 *   frame [MS]            full update request; "frame W H" when it arrived
 *   update [MS]           incremental request; "update T X Y W H" (T: the
 *                         CLOCK_MONOTONIC second when it was complete; the
 *                         bounding box of its rectangles) or "timeout"
 *   count MS              incremental requests for MS milliseconds; prints
 *                         "count UPDATES PIXELS"
 *   pixel X Y             "pixel RRGGBB"
 *   uniform X Y W H       "uniform 1" if every pixel there is the same, else
 *                         "uniform 0 N" (N distinct colours, up to 100)
 *   type TEXT             types TEXT like a US keyboard: Shift around the
 *                         shifted characters; \n is Return; "typed"
 *   keysym HEX            presses and releases one keysym; "typed"
 *   pointer X Y MASK      a pointer event; "pointed"
 *   resize W H            SetDesktopSize; "resize-sent" (or "resize-unsupported")
 *   wait-size W H [MS]    processes updates until the framebuffer is W x H:
 *                         "size W H" or "timeout W H"
 *   cursor                "cursor W H HOTX HOTY" for the last cursor shape, or
 *                         "cursor none"
 *   quit
 *
 * Every command gets exactly one line back ("error ..." on failure).
 */
#include <ctype.h>
#include <errno.h>
#include <rfb/keysym.h>
#include <rfb/rfbclient.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *password;
static int updated, xbox0 = -1, ybox0, xbox1, ybox1;
static double update_time;
static double area; /* pixels received in rectangles, for "count" */
static int cursor_w = -1, cursor_h, cursor_hx, cursor_hy;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void got_update(rfbClient *c, int x, int y, int w, int h)
{
	area += (double)w * h;
	if (xbox0 < 0 || x < xbox0)
		xbox0 = x;
	if (ybox0 < 0 || y < ybox0)
		ybox0 = y;
	if (x + w > xbox1)
		xbox1 = x + w;
	if (y + h > ybox1)
		ybox1 = y + h;
}

/* Only updates with pixels count (a cursor shape alone comes as an empty update). */
static void finished_update(rfbClient *c)
{
	if (xbox0 < 0)
		return;
	updated++;
	update_time = now();
}

static char *get_password(rfbClient *c)
{
	return strdup(password ? password : "");
}

static void got_cursor(rfbClient *c, int xhot, int yhot, int width, int height, int bpp)
{
	cursor_w = width;
	cursor_h = height;
	cursor_hx = xhot;
	cursor_hy = yhot;
}

static void quiet(const char *fmt, ...)
{
}

static void reset_box(void)
{
	xbox0 = ybox0 = -1;
	xbox1 = ybox1 = 0;
}

/* Handles server messages until `updated` moves past `from` or ms pass. */
static int wait_update(rfbClient *c, int from, int ms)
{
	double end = now() + ms / 1000.0;

	while (updated == from) {
		double left = end - now();
		int n;

		if (left <= 0)
			return 0;
		n = WaitForMessage(c, (unsigned)(left * 1e6 > 100000 ? 100000 : left * 1e6));
		if (n < 0)
			return -1;
		if (n > 0 && !HandleRFBServerMessage(c))
			return -1;
	}
	return 1;
}

/*
 * Reads what the server sends for ms milliseconds.  A client must keep
 * reading: libvncserver writes synchronously, so a client that does not
 * read blocks the server's thread once the socket's buffer is full.
 */
static void pump(rfbClient *c, int ms)
{
	double end = now() + ms / 1000.0;

	do {
		int n = WaitForMessage(c, 1000);

		if (n < 0 || (n > 0 && !HandleRFBServerMessage(c)))
			return;
	} while (now() < end);
}

static uint32_t pixel(rfbClient *c, int x, int y)
{
	uint32_t v;

	memcpy(&v, c->frameBuffer + ((size_t)y * c->width + x) * 4, 4);
	return v; /* R in bits 0-7, G 8-15, B 16-23 (the client's default format) */
}

static void send_key(rfbClient *c, uint32_t keysym)
{
	SendKeyEvent(c, keysym, TRUE);
	SendKeyEvent(c, keysym, FALSE);
}

/* Types like a US keyboard: the client holds Shift for shifted characters. */
static void type_text(rfbClient *c, const char *text)
{
	static const char shifted[] = "~!@#$%^&*()_+{}|:\"<>?";

	for (const char *p = text; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		bool shift = isupper(ch) || strchr(shifted, ch);

		if (ch == '\\' && p[1] == 'n') {
			send_key(c, XK_Return);
			p++;
			continue;
		}
		if (shift)
			SendKeyEvent(c, XK_Shift_L, TRUE);
		send_key(c, ch);
		if (shift)
			SendKeyEvent(c, XK_Shift_L, FALSE);
		pump(c, 2);
	}
}

static int connect_unix(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(addr.sun_path))
		return -1;
	strcpy(addr.sun_path, path);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static rfbClient *open_client(const char *where)
{
	rfbClient *c = rfbGetClient(8, 3, 4);

	c->GotFrameBufferUpdate = got_update;
	c->FinishedFrameBufferUpdate = finished_update;
	c->GetPassword = get_password;
	c->GotCursorShape = got_cursor;
	c->canHandleNewFBSize = TRUE;
	c->appData.useRemoteCursor = TRUE;
	c->appData.encodingsString = "raw";
	if (strncmp(where, "unix:", 5) == 0) {
		c->sock = connect_unix(where + 5);
		if (c->sock < 0) {
			fprintf(stderr, "vnc-probe: cannot connect to %s: %s\n", where,
			        strerror(errno));
			rfbClientCleanup(c);
			return NULL;
		}
		c->listenSpecified = TRUE;
	} else if (strncmp(where, "tcp:", 4) == 0) {
		char *host = strdup(where + 4), *colon = strrchr(host, ':');

		if (!colon)
			return NULL;
		*colon = '\0';
		c->serverHost = host;
		c->serverPort = atoi(colon + 1);
	} else {
		return NULL;
	}
	if (!rfbInitClient(c, NULL, NULL))
		return NULL; /* rfbInitClient freed the client */
	return c;
}

static void command(rfbClient *c, char *line)
{
	char word[32] = "";
	int a = 0, b = 0, w = 0, h = 0, from, n;

	sscanf(line, "%31s", word);
	if (strcmp(word, "frame") == 0) {
		n = sscanf(line, "%*s %d", &a);
		from = updated;
		reset_box();
		SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, FALSE);
		while (wait_update(c, from, n == 1 ? a : 30000) > 0) {
			if (xbox0 == 0 && ybox0 == 0 && xbox1 == c->width && ybox1 == c->height)
				break;
			from = updated;
		}
		if (xbox0 == 0 && ybox0 == 0 && xbox1 == c->width && ybox1 == c->height)
			printf("frame %d %d\n", c->width, c->height);
		else
			printf("error no frame\n");
	} else if (strcmp(word, "update") == 0) {
		n = sscanf(line, "%*s %d", &a);
		from = updated;
		reset_box();
		SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, TRUE);
		if (wait_update(c, from, n == 1 ? a : 30000) > 0)
			printf("update %.6f %d %d %d %d\n", update_time, xbox0, ybox0,
			       xbox1 - xbox0, ybox1 - ybox0);
		else
			printf("timeout\n");
	} else if (strcmp(word, "count") == 0) {
		double end;
		int count = 0;

		sscanf(line, "%*s %d", &a);
		area = 0;
		end = now() + a / 1000.0;
		while (now() < end) {
			from = updated;
			reset_box();
			SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, TRUE);
			n = wait_update(c, from, (int)((end - now()) * 1000) + 1);
			if (n < 0)
				break;
			count += n;
		}
		printf("count %d %.0f\n", count, area);
	} else if (strcmp(word, "pixel") == 0) {
		if (sscanf(line, "%*s %d %d", &a, &b) != 2 || a < 0 || b < 0 || a >= c->width ||
		    b >= c->height) {
			printf("error bad pixel\n");
		} else {
			uint32_t v = pixel(c, a, b);

			printf("pixel %02x%02x%02x\n", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff);
		}
	} else if (strcmp(word, "uniform") == 0) {
		uint32_t seen[100];
		int distinct = 0;

		if (sscanf(line, "%*s %d %d %d %d", &a, &b, &w, &h) != 4 || a < 0 || b < 0 ||
		    w <= 0 || h <= 0 || a + w > c->width || b + h > c->height) {
			printf("error bad rectangle\n");
			return;
		}
		for (int y = b; y < b + h; y++)
			for (int x = a; x < a + w; x++) {
				uint32_t v = pixel(c, x, y) & 0xffffff;
				int i;

				for (i = 0; i < distinct && seen[i] != v; i++)
					;
				if (i == distinct && distinct < 100)
					seen[distinct++] = v;
			}
		if (distinct == 1)
			printf("uniform 1\n");
		else
			printf("uniform 0 %d\n", distinct);
	} else if (strcmp(word, "type") == 0) {
		type_text(c, line + strlen("type "));
		printf("typed\n");
	} else if (strcmp(word, "keysym") == 0) {
		unsigned keysym = 0;

		sscanf(line, "%*s %x", &keysym);
		send_key(c, keysym);
		pump(c, 2);
		printf("typed\n");
	} else if (strcmp(word, "pointer") == 0) {
		int mask = 0;

		sscanf(line, "%*s %d %d %d", &a, &b, &mask);
		SendPointerEvent(c, a, b, mask);
		pump(c, 2);
		printf("pointed\n");
	} else if (strcmp(word, "resize") == 0) {
		sscanf(line, "%*s %d %d", &w, &h);
		if (SendExtDesktopSize(c, (uint16_t)w, (uint16_t)h))
			printf("resize-sent\n");
		else
			printf("resize-unsupported\n");
	} else if (strcmp(word, "wait-size") == 0) {
		double end;

		a = 60000;
		sscanf(line, "%*s %d %d %d", &w, &h, &a);
		end = now() + a / 1000.0;
		while ((c->width != w || c->height != h) && now() < end) {
			from = updated;
			reset_box();
			SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, TRUE);
			if (wait_update(c, from, 500) < 0)
				break;
		}
		printf("%s %d %d\n", c->width == w && c->height == h ? "size" : "timeout", c->width,
		       c->height);
	} else if (strcmp(word, "cursor") == 0) {
		if (cursor_w < 0)
			printf("cursor none\n");
		else
			printf("cursor %d %d %d %d\n", cursor_w, cursor_h, cursor_hx, cursor_hy);
	} else {
		printf("error unknown command %s\n", word);
	}
}

int main(int argc, char **argv)
{
	char line[4096];
	rfbClient *c;

	if (argc < 2) {
		fprintf(stderr, "usage: vnc-probe unix:PATH|tcp:HOST:PORT [PASSWORD]\n");
		return 2;
	}
	password = argc > 2 ? argv[2] : NULL;
	if (!getenv("VNC_PROBE_DEBUG"))
		rfbClientLog = rfbClientErr = quiet;
	c = open_client(argv[1]);
	if (!c) {
		printf("error cannot connect\n");
		return 1;
	}
	printf("connected %d %d\n", c->width, c->height);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			break;
		command(c, line);
		fflush(stdout);
	}
	free(c->frameBuffer); /* libvncclient leaves its framebuffer to us */
	rfbClientCleanup(c);
	return 0;
}
