/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The display: where the guest's screen meets whoever shows it.
 *
 * The virtio-gpu device is the guest's graphics card; the VNC server is
 * the monitor cable.  Between them sits this small struct: the picture
 * the scanout currently shows (always 32-bit pixels in one fixed format,
 * whatever format the guest's resource has), the rectangle that changed
 * since the monitor last looked, the cursor image, and the mode the host
 * would like the guest to use.
 *
 * The gpu writes under the lock and rings the monitor's bell (the
 * listener); the VNC thread then copies what changed into its own
 * framebuffer under the same lock.  Nobody else touches the pixels, so a
 * guest that frees its scanout resource mid-frame can never make the VNC
 * thread read freed memory.
 *
 * The host side (the VNC client's SetDesktopSize, the control interface)
 * asks for a new size with display_request_size(); the gpu tells the guest
 * through a config-change event, and the guest's driver follows with a new
 * SET_SCANOUT whose size then shows up in display_get_size().
 */
#ifndef KENNEL_ENGINE_DISPLAY_H
#define KENNEL_ENGINE_DISPLAY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define DISPLAY_DEFAULT_WIDTH  1024
#define DISPLAY_DEFAULT_HEIGHT 768
/* Sizes a guest may be asked for: the range guest profiles allow (src/profile). */
#define DISPLAY_MIN_WIDTH  64
#define DISPLAY_MIN_HEIGHT 64
#define DISPLAY_MAX_WIDTH  8192
#define DISPLAY_MAX_HEIGHT 8192
/* The largest scanout the gpu shows (a guest may set up a larger one than asked). */
#define DISPLAY_MAX_PIXELS  (8192u * 8192u)
#define DISPLAY_CURSOR_SIZE 64

/*
 * Pixels are uint32_t in the VNC server's native format: red in bits 0-7,
 * green in 8-15, blue in 16-23 (bytes R, G, B, X in memory, little
 * endian); the cursor keeps alpha in bits 24-31.
 */
#define DISPLAY_RGB(r, g, b) ((uint32_t)(r) | (uint32_t)(g) << 8 | (uint32_t)(b) << 16)

struct display_rect {
	unsigned x, y, width, height;
};

/* Who shows the display (the VNC server); called with the display lock held. */
struct display_listener {
	void (*update)(void *opaque); /* pixels, size or cursor changed: come and look */
	void *opaque;
};

/* Who makes the picture (the gpu); called with no display lock held, from any thread. */
struct display_source {
	void (*size_requested)(void *opaque, unsigned width, unsigned height);
	void *opaque;
};

struct display {
	pthread_mutex_t lock;

	/* What the scanout shows now. */
	unsigned width, height;
	uint32_t *pixels;           /* width * height */
	uint64_t generation;        /* bumped at every size change */
	bool damaged;               /* damage is meaningful */
	struct display_rect damage; /* bounding box of what changed since the last look */

	/* The cursor: an image (alpha in the top byte) and where it points. */
	bool cursor_changed, cursor_visible;
	unsigned cursor_width, cursor_height, cursor_hot_x, cursor_hot_y;
	uint32_t cursor[DISPLAY_CURSOR_SIZE * DISPLAY_CURSOR_SIZE];
	unsigned cursor_x, cursor_y;

	/* The mode the host wants the guest to use. */
	unsigned requested_width, requested_height;

	/* Statistics: flushes from the guest, updates looked at by the monitor. */
	uint64_t flushes;

	struct display_listener listener;
	struct display_source source;
};

int display_create(unsigned width, unsigned height, struct display **out);
void display_destroy(struct display *d);

void display_set_listener(struct display *d, const struct display_listener *l);
void display_set_source(struct display *d, const struct display_source *s);

/*
 * The host asks the guest for a new size (any thread).  -EINVAL for a
 * size outside DISPLAY_MIN/MAX; otherwise the guest is told, and follows
 * if its driver does (the current size changes when it sets its scanout).
 */
int display_request_size(struct display *d, unsigned width, unsigned height);
/* The size the scanout has now (any thread). */
void display_get_size(struct display *d, unsigned *width, unsigned *height);
/* The size the host last asked for. */
void display_get_requested_size(struct display *d, unsigned *width, unsigned *height);

/*
 * For the gpu, with d->lock held.
 */
/* A new scanout size; the pixels are cleared to black.  -ENOMEM, -EINVAL. */
int display_resize_locked(struct display *d, unsigned width, unsigned height);
/* Adds a rectangle (already clipped to the display) to the damage and tells the listener. */
void display_damage_locked(struct display *d, const struct display_rect *r);
/* The cursor changed (image or visibility): tells the listener. */
void display_cursor_changed_locked(struct display *d);

#endif
