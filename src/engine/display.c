// SPDX-License-Identifier: GPL-2.0-or-later
/* The display between the gpu and the VNC server (see display.h). */
#include "display.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool size_ok(unsigned width, unsigned height)
{
	return width >= DISPLAY_MIN_WIDTH && width <= DISPLAY_MAX_WIDTH &&
	       height >= DISPLAY_MIN_HEIGHT && height <= DISPLAY_MAX_HEIGHT;
}

int display_create(unsigned width, unsigned height, struct display **out)
{
	struct display *d;

	if (!size_ok(width, height))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	pthread_mutex_init(&d->lock, NULL);
	d->requested_width = width;
	d->requested_height = height;
	/* Until the guest sets a scanout, the monitor shows black at the requested size. */
	if (display_resize_locked(d, width, height) < 0) {
		display_destroy(d);
		return -ENOMEM;
	}
	*out = d;
	return 0;
}

void display_destroy(struct display *d)
{
	if (!d)
		return;
	free(d->pixels);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void display_set_listener(struct display *d, const struct display_listener *l)
{
	pthread_mutex_lock(&d->lock);
	if (l)
		d->listener = *l;
	else
		memset(&d->listener, 0, sizeof(d->listener));
	pthread_mutex_unlock(&d->lock);
}

void display_set_source(struct display *d, const struct display_source *s)
{
	pthread_mutex_lock(&d->lock);
	if (s)
		d->source = *s;
	else
		memset(&d->source, 0, sizeof(d->source));
	pthread_mutex_unlock(&d->lock);
}

int display_request_size(struct display *d, unsigned width, unsigned height)
{
	struct display_source source;

	if (!size_ok(width, height))
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	d->requested_width = width;
	d->requested_height = height;
	source = d->source;
	pthread_mutex_unlock(&d->lock);
	if (source.size_requested)
		source.size_requested(source.opaque, width, height);
	return 0;
}

void display_get_size(struct display *d, unsigned *width, unsigned *height)
{
	pthread_mutex_lock(&d->lock);
	*width = d->width;
	*height = d->height;
	pthread_mutex_unlock(&d->lock);
}

void display_get_requested_size(struct display *d, unsigned *width, unsigned *height)
{
	pthread_mutex_lock(&d->lock);
	*width = d->requested_width;
	*height = d->requested_height;
	pthread_mutex_unlock(&d->lock);
}

static void tell_listener(struct display *d)
{
	if (d->listener.update)
		d->listener.update(d->listener.opaque);
}

int display_resize_locked(struct display *d, unsigned width, unsigned height)
{
	uint32_t *pixels;

	if (width == 0 || height == 0 || (uint64_t)width * height > DISPLAY_MAX_PIXELS)
		return -EINVAL;
	if (width == d->width && height == d->height)
		return 0;
	pixels = calloc((size_t)width * height, sizeof(*pixels));
	if (!pixels)
		return -ENOMEM;
	free(d->pixels);
	d->pixels = pixels;
	d->width = width;
	d->height = height;
	d->generation++;
	d->damaged = true;
	d->damage = (struct display_rect){0, 0, width, height};
	tell_listener(d);
	return 0;
}

void display_damage_locked(struct display *d, const struct display_rect *r)
{
	unsigned x1, y1;

	if (r->width == 0 || r->height == 0)
		return;
	d->flushes++;
	if (!d->damaged) {
		d->damage = *r;
		d->damaged = true;
	} else {
		x1 = d->damage.x + d->damage.width;
		y1 = d->damage.y + d->damage.height;
		if (r->x + r->width > x1)
			x1 = r->x + r->width;
		if (r->y + r->height > y1)
			y1 = r->y + r->height;
		if (r->x < d->damage.x)
			d->damage.x = r->x;
		if (r->y < d->damage.y)
			d->damage.y = r->y;
		d->damage.width = x1 - d->damage.x;
		d->damage.height = y1 - d->damage.y;
	}
	tell_listener(d);
}

void display_cursor_changed_locked(struct display *d)
{
	d->cursor_changed = true;
	tell_listener(d);
}
