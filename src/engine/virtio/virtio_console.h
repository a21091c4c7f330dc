/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-console (device ID 3), port 0 only: the guest's /dev/hvc1 when
 * the SBI console is its hvc0.  Its window size follows the host's
 * terminal (VIRTIO_CONSOLE_F_SIZE).
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_CONSOLE_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct console;
struct virtio_console;

#define VIRTIO_CONSOLE_F_SIZE        0
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2

/* How often the backend looks at the host terminal's size, in ms. */
#define VIRTIO_CONSOLE_SIZE_POLL_MS 200

/*
 * On stdio: output to `stdio` (the engine's console), input from its
 * queue, the size from the terminal on size_fd (-1: not a terminal).
 */
int virtio_console_create_stdio(struct machine *m, unsigned slot, bool legacy,
                                struct console *stdio, int size_fd, struct virtio_console **out);
/* On a new pty, whose slave path is copied into path. */
int virtio_console_create_pty(struct machine *m, unsigned slot, bool legacy, char *path,
                              size_t path_len, struct virtio_console **out);

/*
 * On stdio, once the guest's driver is running and has posted receive
 * buffers, stdin belongs to this console: the other consoles (the SBI
 * console the kernel polls) must not take its bytes.
 */
bool virtio_console_owns_input(struct virtio_console *vc);

/*
 * Stops the console's backend (NULL is fine): call it before destroying
 * the stdio console it writes to and reads from.
 */
void virtio_console_stop(struct virtio_console *vc);

/*
 * A request on the transmit queue: the guest's bytes (for the fuzzer and
 * the device).  Copies at most len bytes out of the chain into buf.
 */
struct virtq_chain;
size_t virtio_console_take_output(const struct virtq_chain *chain, uint8_t *buf, size_t len);

#endif
