/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-rng (device ID 4): the guest's hardware random number generator,
 * fed from the host's getrandom().
 */
#ifndef KENNEL_ENGINE_VIRTIO_VIRTIO_RNG_H
#define KENNEL_ENGINE_VIRTIO_VIRTIO_RNG_H

#include <stdbool.h>
#include <stddef.h>

struct machine;
struct virtq_chain;

/* Creates a virtio-rng in virtio-mmio slot `slot` (version 1 if legacy). */
int virtio_rng_create(struct machine *m, unsigned slot, bool legacy);

/*
 * Fills a request's writable buffers with random bytes; returns how many
 * it wrote (at most VIRTIO_RNG_MAX_REQUEST).  For the device and the fuzzer.
 */
#define VIRTIO_RNG_MAX_REQUEST 65536
size_t virtio_rng_fill(struct virtq_chain *chain);

#endif
