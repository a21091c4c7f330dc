// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host side of the guest's console (see console.h): output straight
 * to a file descriptor, input through a byte queue fed by a thread.
 */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUEUE_SIZE 65536

struct console_listener {
	void (*input_ready)(void *opaque);
	void *opaque;
};

struct console {
	int out_fd;
	pthread_mutex_t out_lock; /* one guest write at a time reaches the fd */

	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t room;  /* signalled when the guest takes bytes */
	uint8_t queue[QUEUE_SIZE];
	size_t head, count;
	struct console_listener listeners[CONSOLE_MAX_LISTENERS];
	unsigned nlisteners;
	bool stopping;

	/* The input thread. */
	bool input_running;
	pthread_t input_thread;
	int in_fd;
	int stop_pipe[2];
	bool escapes;
	bool escape_seen; /* the last byte was the escape key */
	struct console_escape_ops escape_ops;
};

int console_create(int out_fd, struct console **out)
{
	struct console *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->out_fd = out_fd;
	c->in_fd = -1;
	c->stop_pipe[0] = c->stop_pipe[1] = -1;
	pthread_mutex_init(&c->out_lock, NULL);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->room, NULL);
	*out = c;
	return 0;
}

void console_destroy(struct console *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stopping = true;
	pthread_cond_broadcast(&c->room);
	pthread_mutex_unlock(&c->lock);
	if (c->input_running) {
		ssize_t ignored = write(c->stop_pipe[1], "", 1);

		(void)ignored;
		pthread_join(c->input_thread, NULL);
	}
	if (c->stop_pipe[0] >= 0) {
		close(c->stop_pipe[0]);
		close(c->stop_pipe[1]);
	}
	pthread_cond_destroy(&c->room);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->out_lock);
	free(c);
}

/* Waits until fd can take more output (it may be non-blocking). */
static void wait_writable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};

	poll(&p, 1, 100);
}

void console_write(struct console *c, const uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&c->out_lock);
	while (len > 0) {
		ssize_t n = write(c->out_fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			wait_writable(c->out_fd);
			continue;
		}
		if (n <= 0)
			break; /* nobody is reading any more: the output is lost */
		buf += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&c->out_lock);
}

size_t console_pending(struct console *c)
{
	size_t count;

	pthread_mutex_lock(&c->lock);
	count = c->count;
	pthread_mutex_unlock(&c->lock);
	return count;
}

int console_read_byte(struct console *c)
{
	int byte = -1;

	pthread_mutex_lock(&c->lock);
	if (c->count > 0) {
		byte = c->queue[c->head];
		c->head = (c->head + 1) % QUEUE_SIZE;
		c->count--;
		pthread_cond_broadcast(&c->room);
	}
	pthread_mutex_unlock(&c->lock);
	return byte;
}

void console_flush_input(struct console *c)
{
	pthread_mutex_lock(&c->lock);
	c->head = c->count = 0;
	pthread_cond_broadcast(&c->room);
	pthread_mutex_unlock(&c->lock);
}

static void notify_listeners(struct console *c)
{
	struct console_listener listeners[CONSOLE_MAX_LISTENERS];
	unsigned n;

	pthread_mutex_lock(&c->lock);
	n = c->nlisteners;
	memcpy(listeners, c->listeners, sizeof(listeners));
	pthread_mutex_unlock(&c->lock);
	for (unsigned i = 0; i < n; i++)
		listeners[i].input_ready(listeners[i].opaque);
}

size_t console_feed(struct console *c, const uint8_t *buf, size_t len, bool wait)
{
	size_t queued = 0;

	pthread_mutex_lock(&c->lock);
	while (queued < len && !c->stopping) {
		if (c->count == QUEUE_SIZE) {
			if (!wait)
				break;
			/* Let the devices see what is there before we sleep. */
			pthread_mutex_unlock(&c->lock);
			notify_listeners(c);
			pthread_mutex_lock(&c->lock);
			while (c->count == QUEUE_SIZE && !c->stopping)
				pthread_cond_wait(&c->room, &c->lock);
			continue;
		}
		c->queue[(c->head + c->count) % QUEUE_SIZE] = buf[queued++];
		c->count++;
	}
	pthread_mutex_unlock(&c->lock);
	if (queued > 0)
		notify_listeners(c);
	return queued;
}

int console_add_listener(struct console *c, void (*input_ready)(void *opaque), void *opaque)
{
	int err = 0;

	pthread_mutex_lock(&c->lock);
	if (c->nlisteners == CONSOLE_MAX_LISTENERS) {
		err = -ENOSPC;
	} else {
		c->listeners[c->nlisteners].input_ready = input_ready;
		c->listeners[c->nlisteners].opaque = opaque;
		c->nlisteners++;
	}
	pthread_mutex_unlock(&c->lock);
	return err;
}

static void print_escape_help(void)
{
	fprintf(stderr, "\n"
	                "kennel-engine console keys:\n"
	                "  Ctrl-A x       quit (stop the guest)\n"
	                "  Ctrl-A s       print the vCPU statistics\n"
	                "  Ctrl-A h       this help\n"
	                "  Ctrl-A Ctrl-A  send Ctrl-A to the guest\n");
}

/*
 * Interprets the byte after Ctrl-A.  Returns true if the byte should go
 * on to the guest (only a second Ctrl-A does).
 */
static bool handle_escape(struct console *c, uint8_t key)
{
	switch (key) {
	case CONSOLE_ESCAPE_KEY: return true;
	case 'x':
	case 'X':
		if (c->escape_ops.quit)
			c->escape_ops.quit(c->escape_ops.opaque);
		return false;
	case 's':
	case 'S':
		if (c->escape_ops.stats)
			c->escape_ops.stats(c->escape_ops.opaque);
		return false;
	case 'h':
	case 'H':
	case '?': print_escape_help(); return false;
	default: return false;
	}
}

/* Removes escape sequences from buf in place; returns the bytes left for the guest. */
static size_t filter_escapes(struct console *c, uint8_t *buf, size_t len)
{
	size_t kept = 0;

	for (size_t i = 0; i < len; i++) {
		if (c->escape_seen) {
			c->escape_seen = false;
			if (handle_escape(c, buf[i]))
				buf[kept++] = buf[i];
		} else if (buf[i] == CONSOLE_ESCAPE_KEY) {
			c->escape_seen = true;
		} else {
			buf[kept++] = buf[i];
		}
	}
	return kept;
}

/*
 * The input thread: waits for bytes on the input fd (or for the stop
 * pipe), and queues them.  A terminal is a person typing: if the guest is
 * not reading, extra keys are dropped so that Ctrl-A x still gets through.
 * A pipe or file waits for the guest instead, so that no byte is lost.
 */
static void *input_thread(void *opaque)
{
	struct console *c = opaque;
	uint8_t buf[256];

	for (;;) {
		struct pollfd fds[2] = {
		        {.fd = c->in_fd, .events = POLLIN},
		        {.fd = c->stop_pipe[0], .events = POLLIN},
		};
		ssize_t n;
		size_t len;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents)
			break;
		n = read(c->in_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break; /* end of input: the guest just gets no more */
		len = (size_t)n;
		if (c->escapes)
			len = filter_escapes(c, buf, len);
		if (len > 0)
			console_feed(c, buf, len, !c->escapes);
	}
	return NULL;
}

int console_start_input(struct console *c, int in_fd, bool escapes,
                        const struct console_escape_ops *escape_ops)
{
	int err;

	if (c->input_running)
		return -EBUSY;
	if (pipe2(c->stop_pipe, O_CLOEXEC) < 0)
		return -errno;
	c->in_fd = in_fd;
	c->escapes = escapes;
	if (escape_ops)
		c->escape_ops = *escape_ops;
	err = -pthread_create(&c->input_thread, NULL, input_thread, c);
	if (err < 0)
		goto close_pipe;
	c->input_running = true;
	return 0;

close_pipe:
	close(c->stop_pipe[0]);
	close(c->stop_pipe[1]);
	c->stop_pipe[0] = c->stop_pipe[1] = -1;
	return err;
}
