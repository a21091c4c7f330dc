/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A pty for the guest's console, with scroll-back.
 *
 * The engine holds the pty's master; a person attaches to the slave
 * (`screen /dev/pts/N`, `picocom /dev/pts/N`).  Guest output goes into a
 * bounded ring (PTY_PORT_SCROLLBACK bytes, the oldest dropped first) and
 * leaves it only when someone is attached and reading, so that what the
 * guest printed before anyone attached -- the boot messages, the login
 * banner -- is replayed to the first reader instead of being lost.
 *
 * "Attached" is what the master's poll says: once no process holds the
 * slave open, the master reports POLLHUP.  We open and close the slave
 * ourselves when the pty is made, so that this is true from the start.
 */
#ifndef KENNEL_ENGINE_VIRTIO_PTY_PORT_H
#define KENNEL_ENGINE_VIRTIO_PTY_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PTY_PORT_SCROLLBACK 65536

struct pty_port;

/* Makes the pty; *path gets the slave's name (e.g. /dev/pts/3). */
int pty_port_open(struct pty_port **out, char *path, size_t path_len);
void pty_port_close(struct pty_port *p);
int pty_port_master_fd(const struct pty_port *p);

/* Guest output: kept in the ring, then written out as far as a reader takes it. */
void pty_port_write(struct pty_port *p, const uint8_t *buf, size_t len);
/* Writes out what the ring holds, if someone is attached; true if anything is left. */
bool pty_port_flush(struct pty_port *p);
/* Whether someone holds the slave open now. */
bool pty_port_attached(struct pty_port *p);
/* Bytes waiting in the ring. */
size_t pty_port_pending(const struct pty_port *p);
/* Reads what the person typed, without blocking: the count, 0 if nothing. */
size_t pty_port_read(struct pty_port *p, uint8_t *buf, size_t len);

#endif
