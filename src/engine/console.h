/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host side of the guest's console: one line in, one line out.
 *
 * Output (UART transmit, SBI console writes) goes straight to a file
 * descriptor, normally stdout, unbuffered.  Input is a byte queue: the
 * engine's stdin thread fills it, and the guest's console devices take
 * bytes from it when the guest reads them.  A byte stays in the queue until
 * a device hands it to the guest, so a device the guest is not using (the
 * UART, while the kernel talks to the SBI console) never swallows input.
 *
 * When stdin is a terminal, Ctrl-A is an escape key, as in QEMU:
 *   Ctrl-A x       quit
 *   Ctrl-A s       print the vCPU statistics
 *   Ctrl-A h       help
 *   Ctrl-A Ctrl-A  send a Ctrl-A to the guest
 */
#ifndef KENNEL_ENGINE_CONSOLE_H
#define KENNEL_ENGINE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_ESCAPE_KEY 0x01 /* Ctrl-A */

struct console;

/* What the escape key can ask the engine to do (called from the input thread). */
struct console_escape_ops {
	void (*quit)(void *opaque);
	void (*stats)(void *opaque);
	void *opaque;
};

int console_create(int out_fd, struct console **out);
/* Stops the input thread (if any) and frees the console. */
void console_destroy(struct console *c);

/* Guest output: written to the output fd, all of it, right away. */
void console_write(struct console *c, const uint8_t *buf, size_t len);

/* Guest input: the number of bytes waiting, and the next one (-1 if none). */
size_t console_pending(struct console *c);
int console_read_byte(struct console *c);
/* Drops every byte waiting (used by tests). */
void console_flush_input(struct console *c);

/*
 * Host input: queues bytes for the guest.  When the queue is full the rest
 * is dropped, as a serial line overruns, unless wait is true: then the
 * caller waits for the guest to make room (used for pipes and files).
 * Returns the number of bytes queued.
 */
size_t console_feed(struct console *c, const uint8_t *buf, size_t len, bool wait);

/*
 * A device that wants to know when input arrives (the UART raises its
 * receive interrupt).  Called from the feeding thread, with no console lock
 * held.  Up to CONSOLE_MAX_LISTENERS.
 */
#define CONSOLE_MAX_LISTENERS 4
int console_add_listener(struct console *c, void (*input_ready)(void *opaque), void *opaque);

/*
 * Starts a thread that reads in_fd and feeds the queue until end of file.
 * With escapes, Ctrl-A sequences are interpreted (see above) instead of
 * being passed on.
 */
int console_start_input(struct console *c, int in_fd, bool escapes,
                        const struct console_escape_ops *escape_ops);

#endif
