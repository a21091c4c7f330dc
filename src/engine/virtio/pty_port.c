// SPDX-License-Identifier: GPL-2.0-or-later
/* A pty with scroll-back for the guest's console (see pty_port.h). */
#include "pty_port.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct pty_port {
	int master;
	uint8_t ring[PTY_PORT_SCROLLBACK];
	size_t head, count; /* the oldest byte, and how many */
};

int pty_port_master_fd(const struct pty_port *p)
{
	return p->master;
}

size_t pty_port_pending(const struct pty_port *p)
{
	return p->count;
}

/*
 * The slave starts raw: a reader gets the guest's bytes as they are, and
 * nothing it reads is echoed back to us as if the person had typed it.
 * Opening and closing the slave once makes the master report POLLHUP
 * until a reader comes.
 */
static int prepare_slave(const char *path)
{
	struct termios tio;
	int slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	int err = 0;

	if (slave < 0)
		return -errno;
	if (tcgetattr(slave, &tio) == 0) {
		cfmakeraw(&tio);
		if (tcsetattr(slave, TCSANOW, &tio) < 0)
			err = -errno;
	}
	close(slave);
	return err;
}

int pty_port_open(struct pty_port **out, char *path, size_t path_len)
{
	struct pty_port *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (p->master < 0) {
		err = -errno;
		goto free_port;
	}
	if (grantpt(p->master) < 0 || unlockpt(p->master) < 0 ||
	    ptsname_r(p->master, path, path_len) != 0) {
		err = -errno;
		goto close_master;
	}
	err = prepare_slave(path);
	if (err < 0)
		goto close_master;
	*out = p;
	return 0;

close_master:
	close(p->master);
free_port:
	free(p);
	return err;
}

void pty_port_close(struct pty_port *p)
{
	if (!p)
		return;
	close(p->master);
	free(p);
}

bool pty_port_attached(struct pty_port *p)
{
	struct pollfd fd = {.fd = p->master, .events = POLLOUT};

	return poll(&fd, 1, 0) >= 0 && !(fd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* Appends to the ring; when it is full, the oldest bytes make room. */
void pty_port_write(struct pty_port *p, const uint8_t *buf, size_t len)
{
	if (len >= PTY_PORT_SCROLLBACK) {
		buf += len - PTY_PORT_SCROLLBACK;
		len = PTY_PORT_SCROLLBACK;
	}
	if (p->count + len > PTY_PORT_SCROLLBACK) {
		size_t drop = p->count + len - PTY_PORT_SCROLLBACK;

		p->head = (p->head + drop) % PTY_PORT_SCROLLBACK;
		p->count -= drop;
	}
	for (size_t i = 0; i < len; i++)
		p->ring[(p->head + p->count + i) % PTY_PORT_SCROLLBACK] = buf[i];
	p->count += len;
	pty_port_flush(p);
}

bool pty_port_flush(struct pty_port *p)
{
	while (p->count > 0 && pty_port_attached(p)) {
		size_t run = PTY_PORT_SCROLLBACK - p->head;
		ssize_t n;

		if (run > p->count)
			run = p->count;
		n = write(p->master, p->ring + p->head, run);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the reader is slow (EAGAIN) or gone (EIO): keep the rest */
		p->head = (p->head + (size_t)n) % PTY_PORT_SCROLLBACK;
		p->count -= (size_t)n;
	}
	return p->count > 0;
}

size_t pty_port_read(struct pty_port *p, uint8_t *buf, size_t len)
{
	ssize_t n;

	do {
		n = read(p->master, buf, len);
	} while (n < 0 && errno == EINTR);
	return n > 0 ? (size_t)n : 0; /* EAGAIN: nothing typed; EIO: nobody attached */
}
