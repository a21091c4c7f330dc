// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-console, port 0, on stdio or on a pty.
 *
 * Two queues: the receiveq (0), where the driver posts empty buffers for
 * what the person types, and the transmitq (1), where it posts what the
 * guest prints.  The backend thread wakes on a kick (new output, or new
 * empty buffers), on input from the host (the stdio console's listener
 * wakes it; a pty's master is in its poll set), and every
 * VIRTIO_CONSOLE_SIZE_POLL_MS to look at the host terminal's size.  When
 * that changes we update cols and rows in config space and raise the
 * config interrupt; Linux then resizes the tty, and the guest's
 * `stty size` follows.
 */
#include "virtio_console.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "console.h"
#include "pty_port.h"
#include "virtio_mmio.h"

enum { RECEIVEQ = 0, TRANSMITQ = 1 };

/* struct virtio_console_config (5.3.4): cols, rows, max_nr_ports, emerg_wr. */
#define CONFIG_COLS     0
#define CONFIG_ROWS     2
#define CONFIG_EMERG_WR 8
#define CONFIG_SIZE     12

#define DEFAULT_COLS    80
#define DEFAULT_ROWS    24

struct virtio_console {
	struct virtio_mmio *transport;
	struct console *stdio; /* on stdio, else NULL */
	int size_fd;           /* where the window size comes from, or -1 */
	struct pty_port *pty;  /* on a pty, else NULL */
	uint16_t cols, rows;   /* as last told to the driver */
	bool size_told;        /* since the driver last started */
	atomic_bool owns_input;
	uint8_t input[4096]; /* typed on the pty, not yet in a guest buffer */
	size_t input_len;
	struct virtq_chain chain;
};

bool virtio_console_owns_input(struct virtio_console *vc)
{
	return vc && atomic_load(&vc->owns_input);
}

void virtio_console_stop(struct virtio_console *vc)
{
	if (vc)
		virtio_mmio_stop(vc->transport);
}

size_t virtio_console_take_output(const struct virtq_chain *chain, uint8_t *buf, size_t len)
{
	return virtq_chain_read(chain, buf, len);
}

static void host_write(struct virtio_console *vc, const uint8_t *buf, size_t len)
{
	if (vc->stdio)
		console_write(vc->stdio, buf, len);
	else
		pty_port_write(vc->pty, buf, len);
}

/* The host terminal's size, or 80x24 when there is no terminal to ask. */
static void host_size(struct virtio_console *vc, uint16_t *cols, uint16_t *rows)
{
	struct winsize ws = {0};
	int fd = vc->pty ? pty_port_master_fd(vc->pty) : vc->size_fd;

	*cols = DEFAULT_COLS;
	*rows = DEFAULT_ROWS;
	if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Tells the driver the size when it changed, or when it has not heard it yet. */
static void update_size(struct virtio_mmio *t, struct virtio_console *vc)
{
	uint8_t *config = virtio_mmio_config(t);
	uint16_t cols, rows;

	host_size(vc, &cols, &rows);
	if (vc->size_told && cols == vc->cols && rows == vc->rows)
		return;
	vc->cols = cols;
	vc->rows = rows;
	vc->size_told = true;
	put_le16(config + CONFIG_COLS, cols);
	put_le16(config + CONFIG_ROWS, rows);
	virtio_mmio_config_changed(t);
}

/* Everything the guest printed goes to the host, in order. */
static int drain_transmitq(struct virtio_mmio *t, struct virtio_console *vc)
{
	int ret;

	while ((ret = virtio_mmio_pop(t, TRANSMITQ, &vc->chain)) > 0) {
		for (unsigned i = 0; i < vc->chain.readable; i++) {
			host_write(vc, vc->chain.iov[i].iov_base, vc->chain.iov[i].iov_len);
			virtio_mmio_count_bytes(t, 0, vc->chain.iov[i].iov_len);
		}
		virtio_mmio_push(t, TRANSMITQ, vc->chain.head, 0);
	}
	return ret;
}

/* Typed bytes waiting for the guest: the stdio queue, or what we read from the pty. */
static bool input_waiting(struct virtio_console *vc)
{
	if (vc->stdio)
		return console_pending(vc->stdio) > 0;
	if (vc->input_len == 0)
		vc->input_len = pty_port_read(vc->pty, vc->input, sizeof(vc->input));
	return vc->input_len > 0;
}

/* Moves typed bytes into one receive buffer; returns how many. */
static size_t fill_receive_buffer(struct virtio_console *vc)
{
	uint8_t buf[sizeof(vc->input)];
	size_t room = vc->chain.writable_bytes, n = 0;
	int byte;

	if (room > sizeof(buf))
		room = sizeof(buf);
	if (vc->stdio) {
		while (n < room && (byte = console_read_byte(vc->stdio)) >= 0)
			buf[n++] = (uint8_t)byte;
		return virtq_chain_write(&vc->chain, buf, n);
	}
	n = virtq_chain_write(&vc->chain, vc->input, vc->input_len < room ? vc->input_len : room);
	memmove(vc->input, vc->input + n, vc->input_len - n);
	vc->input_len -= n;
	return n;
}

/*
 * What the person typed goes into the driver's empty receive buffers.  We
 * take a buffer only when there is something to put in it: a buffer once
 * taken must be given back.
 */
static int fill_receiveq(struct virtio_mmio *t, struct virtio_console *vc)
{
	int ret = 0;

	while (input_waiting(vc)) {
		ret = virtio_mmio_pop(t, RECEIVEQ, &vc->chain);
		if (ret <= 0)
			break;
		size_t n = fill_receive_buffer(vc);

		virtio_mmio_count_bytes(t, n, 0);
		virtio_mmio_push(t, RECEIVEQ, vc->chain.head, (uint32_t)n);
	}
	return ret;
}

static void console_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_console *vc = dev;

	if (vc->stdio)
		atomic_store(&vc->owns_input, virtio_mmio_queue_ready(t, RECEIVEQ));
	update_size(t, vc);
	do {
		if (drain_transmitq(t, vc) < 0 || fill_receiveq(t, vc) < 0)
			return;
		virtio_mmio_notify(t, TRANSMITQ);
		virtio_mmio_notify(t, RECEIVEQ);
	} while (virtio_mmio_arm(t, TRANSMITQ));
	/* Empty receive buffers wait for input; input, not the driver, wakes us for them. */
	virtio_mmio_arm(t, RECEIVEQ);
	if (vc->pty)
		pty_port_flush(vc->pty);
}

/*
 * Wake up for the size poll; on a pty also for typed input (when we have
 * room for it) and for a slow reader that can take more output.
 */
static void console_prepare_wait(struct virtio_mmio *t, void *dev, struct pollfd *extra,
                                 int *timeout_ms)
{
	struct virtio_console *vc = dev;

	*timeout_ms = VIRTIO_CONSOLE_SIZE_POLL_MS;
	if (!vc->pty || !pty_port_attached(vc->pty))
		return; /* detached: the master would report POLLHUP forever */
	extra->fd = pty_port_master_fd(vc->pty);
	extra->events = 0;
	if (vc->input_len == 0)
		extra->events |= POLLIN;
	if (pty_port_pending(vc->pty) > 0)
		extra->events |= POLLOUT;
}

/* emerg_wr: one character straight out, before the queues work (5.3.4). */
static void console_config_write(struct virtio_mmio *t, void *dev, uint64_t offset, uint64_t value,
                                 unsigned size)
{
	struct virtio_console *vc = dev;
	uint8_t byte = (uint8_t)value;

	if (offset == CONFIG_EMERG_WR && size == 4)
		host_write(vc, &byte, 1);
}

static void console_reset(struct virtio_mmio *t, void *dev)
{
	struct virtio_console *vc = dev;

	vc->size_told = false;
	atomic_store(&vc->owns_input, false);
}

static void virtio_console_destroy(void *dev)
{
	struct virtio_console *vc = dev;

	pty_port_close(vc->pty);
	free(vc);
}

static const struct virtio_device_ops console_ops = {
        .name = "virtio-console",
        .device_id = VIRTIO_ID_CONSOLE,
        .features = (1ull << VIRTIO_CONSOLE_F_SIZE) | (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE),
        .num_queues = 2,
        .config_size = CONFIG_SIZE,
        .service = console_service,
        .prepare_wait = console_prepare_wait,
        .config_write = console_config_write,
        .reset = console_reset,
        .destroy = virtio_console_destroy,
};

/* The stdio console's queue got input: wake our backend to hand it over. */
static void stdio_input_ready(void *opaque)
{
	struct virtio_console *vc = opaque;

	if (vc->transport)
		virtio_mmio_wake(vc->transport);
}

static int create(struct machine *m, unsigned slot, bool legacy, struct virtio_console *vc,
                  struct virtio_console **out)
{
	int err = virtio_mmio_create(m, slot, legacy, &console_ops, vc, &vc->transport);

	if (err < 0)
		return err;
	if (vc->stdio)
		console_add_listener(vc->stdio, stdio_input_ready, vc);
	if (out)
		*out = vc;
	return 0;
}

int virtio_console_create_stdio(struct machine *m, unsigned slot, bool legacy,
                                struct console *stdio, int size_fd, struct virtio_console **out)
{
	struct virtio_console *vc = calloc(1, sizeof(*vc));
	int err;

	if (!vc)
		return -ENOMEM;
	vc->stdio = stdio;
	vc->size_fd = size_fd;
	err = create(m, slot, legacy, vc, out);
	if (err < 0)
		free(vc);
	return err;
}

int virtio_console_create_pty(struct machine *m, unsigned slot, bool legacy, char *path,
                              size_t path_len, struct virtio_console **out)
{
	struct virtio_console *vc = calloc(1, sizeof(*vc));
	int err;

	if (!vc)
		return -ENOMEM;
	vc->size_fd = -1;
	err = pty_port_open(&vc->pty, path, path_len);
	if (err < 0)
		goto free_console;
	err = create(m, slot, legacy, vc, out);
	if (err < 0)
		goto close_pty;
	return 0;

close_pty:
	pty_port_close(vc->pty);
free_console:
	free(vc);
	return err;
}
