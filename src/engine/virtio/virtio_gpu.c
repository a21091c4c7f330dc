// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-gpu, 2D (see virtio_gpu.h).
 *
 * The journey of a frame.  The guest's DRM driver draws into pages of its
 * own RAM (the fbdev shadow buffer, or a client's dumb buffer).  It has
 * told us, once, that those pages back resource N (ATTACH_BACKING: a
 * scatter list of guest-physical ranges, which we check against RAM and
 * keep as host pointers).  When it has drawn, it sends TRANSFER_TO_HOST_2D
 * for the rectangle that changed: we copy those rows from the pages into
 * the resource's host memory.  Then RESOURCE_FLUSH for the same rectangle:
 * if resource N is on the scanout, we convert that part to the display's
 * pixel format, add it to the display's damage, and the VNC thread wakes
 * to send it.  Nothing happens between frames: an idle screen costs
 * nothing.
 *
 * All the device's state is touched only on the transport's backend
 * thread (service) or under the transport's lock (config writes, reset),
 * so it needs no lock of its own; the display has its own.  A size
 * request from the host comes from another thread: it sets a flag and
 * wakes the backend thread, which raises the config event.
 */
#include "virtio_gpu.h"

#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "display.h"
#include "machine.h"
#include "virtio_mmio.h"

#define GPU_CONFIG_SIZE 16
/* A guest that sends bad commands in a loop gets this many log lines. */
#define GPU_ERROR_REPORTS 20

enum { CTRLQ = 0, CURSORQ = 1 };

/* struct virtio_gpu_ctrl_hdr: type, flags, fence_id, ctx_id, ring_idx, padding[3]. */
#define HDR_SIZE 24

struct gpu_backing {
	uint64_t gpa;   /* for the log */
	uint8_t *host;  /* hv_ram_ptr() of the whole entry */
	uint32_t len;   /* bytes */
	uint64_t start; /* offset of this entry in the backing as a whole */
};

struct gpu_resource {
	uint32_t id, format, width, height;
	uint8_t *data; /* width * height * 4 bytes in the guest's format */
	struct gpu_backing *backing;
	unsigned nr_backing;
	uint64_t backing_len;
	struct gpu_resource *next;
};

struct virtio_gpu {
	struct virtio_mmio *t;
	struct hv_vm *vm;
	struct display *display;
	struct gpu_resource *resources;
	unsigned nr_resources;
	uint64_t resource_bytes;

	/* Scanout 0: which resource and which part of it. */
	uint32_t scanout_id;
	struct display_rect scanout;

	uint32_t events_read;
	atomic_bool size_requested;
	bool trace; /* KENNEL_GPU_TRACE: log each flush with a timestamp */
	unsigned errors;

	struct virtq_chain chain;
	uint8_t req[HDR_SIZE + 40];
	uint8_t resp[HDR_SIZE + 8 + 1024];
};

/* Where each channel sits in a pixel of each format (byte offsets). */
struct gpu_format {
	uint32_t id;
	uint8_t r, g, b, a; /* a == 4: no alpha */
};

static const struct gpu_format formats[] = {
        {VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 2, 1, 0, 3},
        {VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 2, 1, 0, 4},
        {VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM, 1, 2, 3, 0},
        {VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM, 1, 2, 3, 4},
        {VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, 0, 1, 2, 3},
        {VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM, 3, 2, 1, 4},
        {VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM, 3, 2, 1, 0},
        {VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM, 0, 1, 2, 4},
};

static const struct gpu_format *find_format(uint32_t id)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].id == id)
			return &formats[i];
	return NULL;
}

/* Converts n pixels of format f to the display's format (alpha kept if with_alpha). */
static void convert_pixels(const struct gpu_format *f, const uint8_t *src, uint32_t *dst,
                           unsigned n, bool with_alpha)
{
	for (unsigned i = 0; i < n; i++, src += 4) {
		uint32_t a = f->a < 4 ? src[f->a] : 0xff;

		dst[i] = DISPLAY_RGB(src[f->r], src[f->g], src[f->b]) | (with_alpha ? a << 24 : 0);
	}
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static const char *command_name(uint32_t type)
{
	switch (type) {
	case VIRTIO_GPU_CMD_GET_DISPLAY_INFO: return "GET_DISPLAY_INFO";
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D: return "RESOURCE_CREATE_2D";
	case VIRTIO_GPU_CMD_RESOURCE_UNREF: return "RESOURCE_UNREF";
	case VIRTIO_GPU_CMD_SET_SCANOUT: return "SET_SCANOUT";
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH: return "RESOURCE_FLUSH";
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: return "TRANSFER_TO_HOST_2D";
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING: return "RESOURCE_ATTACH_BACKING";
	case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING: return "RESOURCE_DETACH_BACKING";
	case VIRTIO_GPU_CMD_GET_EDID: return "GET_EDID";
	case VIRTIO_GPU_CMD_UPDATE_CURSOR: return "UPDATE_CURSOR";
	case VIRTIO_GPU_CMD_MOVE_CURSOR: return "MOVE_CURSOR";
	default: return "an unknown command";
	}
}

/*
 * A bad command: one log line (for the first GPU_ERROR_REPORTS), and the
 * error code for the response.
 */
static uint32_t gpu_error(struct virtio_gpu *g, uint32_t cmd, uint32_t code, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static uint32_t gpu_error(struct virtio_gpu *g, uint32_t cmd, uint32_t code, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	g->errors++;
	if (g->errors > GPU_ERROR_REPORTS)
		return code;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fprintf(stderr, "kennel-engine: virtio-gpu: %s (0x%x): %s%s\n", command_name(cmd), cmd, why,
	        g->errors == GPU_ERROR_REPORTS ? " (further reports suppressed)" : "");
	return code;
}

static struct gpu_resource *find_resource(struct virtio_gpu *g, uint32_t id)
{
	for (struct gpu_resource *r = g->resources; r; r = r->next)
		if (r->id == id)
			return r;
	return NULL;
}

/* Whether rect r lies inside a width x height image; overflow-safe. */
static bool rect_inside(const struct display_rect *r, uint32_t width, uint32_t height)
{
	return r->x <= width && r->width <= width - r->x && r->y <= height &&
	       r->height <= height - r->y;
}

static void read_rect(const uint8_t *p, struct display_rect *r)
{
	r->x = get32(p);
	r->y = get32(p + 4);
	r->width = get32(p + 8);
	r->height = get32(p + 12);
}

static void free_backing(struct gpu_resource *res)
{
	free(res->backing);
	res->backing = NULL;
	res->nr_backing = 0;
	res->backing_len = 0;
}

static void destroy_resource(struct virtio_gpu *g, struct gpu_resource *res)
{
	struct gpu_resource **p = &g->resources;

	while (*p && *p != res)
		p = &(*p)->next;
	if (*p)
		*p = res->next;
	g->nr_resources--;
	g->resource_bytes -= (uint64_t)res->width * res->height * 4;
	free_backing(res);
	free(res->data);
	free(res);
}

/* The display shows black at its current size once the scanout is off. */
static void disable_scanout(struct virtio_gpu *g)
{
	struct display *d = g->display;

	g->scanout_id = 0;
	pthread_mutex_lock(&d->lock);
	memset(d->pixels, 0, (size_t)d->width * d->height * 4);
	display_damage_locked(d, &(struct display_rect){0, 0, d->width, d->height});
	pthread_mutex_unlock(&d->lock);
}

/*
 * Copies rect r of the scanout's resource (in resource coordinates, already
 * inside the scanout) to the display.  Display lock held.
 */
static void show_rect(struct virtio_gpu *g, struct gpu_resource *res, const struct display_rect *r)
{
	struct display *d = g->display;
	const struct gpu_format *f = find_format(res->format);
	size_t stride = (size_t)res->width * 4;
	unsigned dx = r->x - g->scanout.x, dy = r->y - g->scanout.y;

	for (unsigned row = 0; row < r->height; row++) {
		const uint8_t *src = res->data + (r->y + row) * stride + (size_t)r->x * 4;
		uint32_t *dst = d->pixels + (size_t)(dy + row) * d->width + dx;

		convert_pixels(f, src, dst, r->width, false);
	}
	display_damage_locked(d, &(struct display_rect){dx, dy, r->width, r->height});
}

/* Intersects a with b into out; false if they do not meet. */
static bool intersect(const struct display_rect *a, const struct display_rect *b,
                      struct display_rect *out)
{
	uint64_t x0 = a->x > b->x ? a->x : b->x, y0 = a->y > b->y ? a->y : b->y;
	uint64_t ax1 = (uint64_t)a->x + a->width, bx1 = (uint64_t)b->x + b->width;
	uint64_t ay1 = (uint64_t)a->y + a->height, by1 = (uint64_t)b->y + b->height;
	uint64_t x1 = ax1 < bx1 ? ax1 : bx1, y1 = ay1 < by1 ? ay1 : by1;

	if (x1 <= x0 || y1 <= y0)
		return false;
	*out = (struct display_rect){(unsigned)x0, (unsigned)y0, (unsigned)(x1 - x0),
	                             (unsigned)(y1 - y0)};
	return true;
}

/*
 * The commands.  Each takes the request (header included, req_len bytes
 * of it read) and returns the response type; those with a payload write it
 * after the header in g->resp and set *resp_len.
 */

static uint32_t cmd_get_display_info(struct virtio_gpu *g, size_t *resp_len)
{
	unsigned width, height;
	uint8_t *mode = g->resp + HDR_SIZE;

	display_get_requested_size(g->display, &width, &height);
	memset(mode, 0, 24 * VIRTIO_GPU_MAX_SCANOUTS);
	put32(mode + 8, width);
	put32(mode + 12, height);
	put32(mode + 16, 1); /* enabled */
	*resp_len = HDR_SIZE + 24 * VIRTIO_GPU_MAX_SCANOUTS;
	return VIRTIO_GPU_RESP_OK_DISPLAY_INFO;
}

static uint32_t cmd_get_edid(struct virtio_gpu *g, size_t *resp_len)
{
	uint32_t scanout = get32(g->req + HDR_SIZE);
	uint8_t *out = g->resp + HDR_SIZE;
	unsigned width, height;

	if (scanout != 0)
		return gpu_error(g, VIRTIO_GPU_CMD_GET_EDID, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID,
		                 "no scanout %u", scanout);
	display_get_requested_size(g->display, &width, &height);
	memset(out, 0, 8 + 1024);
	put32(out, 128);
	virtio_gpu_make_edid(out + 8, width, height);
	*resp_len = HDR_SIZE + 8 + 1024;
	return VIRTIO_GPU_RESP_OK_EDID;
}

static uint32_t cmd_resource_create_2d(struct virtio_gpu *g)
{
	const uint8_t *p = g->req + HDR_SIZE;
	uint32_t id = get32(p), format = get32(p + 4), width = get32(p + 8), height = get32(p + 12);
	uint32_t cmd = VIRTIO_GPU_CMD_RESOURCE_CREATE_2D;
	struct gpu_resource *res;
	uint64_t bytes;

	if (id == 0 || find_resource(g, id))
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID,
		                 "resource id %u is %s", id, id ? "taken" : "reserved");
	if (!find_format(format))
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, "unknown format %u",
		                 format);
	if (width == 0 || height == 0 || width > VIRTIO_GPU_MAX_DIMENSION ||
	    height > VIRTIO_GPU_MAX_DIMENSION)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "impossible size %ux%u", width, height);
	bytes = (uint64_t)width * height * 4;
	if (g->nr_resources >= VIRTIO_GPU_MAX_RESOURCES ||
	    bytes > VIRTIO_GPU_MAX_RESOURCE_BYTES - g->resource_bytes)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY,
		                 "%ux%u would pass the limit of %u resources or %llu MiB", width,
		                 height, VIRTIO_GPU_MAX_RESOURCES,
		                 (unsigned long long)(VIRTIO_GPU_MAX_RESOURCE_BYTES >> 20));
	res = calloc(1, sizeof(*res));
	if (res)
		res->data = calloc(1, bytes);
	if (!res || !res->data) {
		free(res);
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, "out of host memory");
	}
	res->id = id;
	res->format = format;
	res->width = width;
	res->height = height;
	res->next = g->resources;
	g->resources = res;
	g->nr_resources++;
	g->resource_bytes += bytes;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static uint32_t cmd_resource_unref(struct virtio_gpu *g)
{
	uint32_t id = get32(g->req + HDR_SIZE);
	struct gpu_resource *res = find_resource(g, id);

	if (!res)
		return gpu_error(g, VIRTIO_GPU_CMD_RESOURCE_UNREF,
		                 VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, "no resource %u", id);
	if (g->scanout_id == id)
		disable_scanout(g);
	destroy_resource(g, res);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* Reads len bytes at offset off of the chain's readable part; false if it is shorter. */
static bool chain_read_at(const struct virtq_chain *chain, size_t off, void *dst, size_t len)
{
	uint8_t *out = dst;

	for (unsigned i = 0; i < chain->readable && len > 0; i++) {
		size_t n = chain->iov[i].iov_len;

		if (off >= n) {
			off -= n;
			continue;
		}
		n -= off;
		if (n > len)
			n = len;
		memcpy(out, (uint8_t *)chain->iov[i].iov_base + off, n);
		out += n;
		len -= n;
		off = 0;
	}
	return len == 0;
}

/*
 * ATTACH_BACKING: the header is followed by nr_entries of {le64 addr, le32
 * length, le32 padding}.  Every entry must lie inside guest RAM.
 */
static uint32_t cmd_attach_backing(struct virtio_gpu *g)
{
	uint32_t cmd = VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING;
	uint32_t id = get32(g->req + HDR_SIZE), n = get32(g->req + HDR_SIZE + 4);
	struct gpu_resource *res = find_resource(g, id);
	struct gpu_backing *backing;
	uint64_t total = 0;

	if (!res)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, "no resource %u",
		                 id);
	if (res->backing)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_UNSPEC,
		                 "resource %u already has backing", id);
	if (n == 0 || n > VIRTIO_GPU_MAX_BACKING)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "%u entries (1 to %u allowed)", n, VIRTIO_GPU_MAX_BACKING);
	if (g->chain.readable_bytes < HDR_SIZE + 8 + (size_t)n * 16)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "%u entries announced, fewer sent", n);
	backing = calloc(n, sizeof(*backing));
	if (!backing)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, "out of host memory");
	for (uint32_t i = 0; i < n; i++) {
		uint8_t entry[16];
		uint64_t addr;
		uint32_t len;

		chain_read_at(&g->chain, HDR_SIZE + 8 + (size_t)i * 16, entry, sizeof(entry));
		addr = get64(entry);
		len = get32(entry + 8);
		backing[i].host = len ? hv_ram_ptr(g->vm, addr, len, false) : NULL;
		if (len == 0 || !backing[i].host) {
			free(backing);
			return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
			                 "entry %u [0x%llx, +0x%x) is not inside guest RAM", i,
			                 (unsigned long long)addr, len);
		}
		backing[i].gpa = addr;
		backing[i].len = len;
		backing[i].start = total;
		total += len;
	}
	res->backing = backing;
	res->nr_backing = n;
	res->backing_len = total;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static uint32_t cmd_detach_backing(struct virtio_gpu *g)
{
	uint32_t id = get32(g->req + HDR_SIZE);
	struct gpu_resource *res = find_resource(g, id);

	if (!res)
		return gpu_error(g, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING,
		                 VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, "no resource %u", id);
	if (!res->backing)
		return gpu_error(g, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING,
		                 VIRTIO_GPU_RESP_ERR_UNSPEC, "resource %u has no backing", id);
	free_backing(res);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static uint32_t cmd_set_scanout(struct virtio_gpu *g)
{
	uint32_t cmd = VIRTIO_GPU_CMD_SET_SCANOUT;
	const uint8_t *p = g->req + HDR_SIZE;
	uint32_t scanout = get32(p + 16), id = get32(p + 20);
	struct gpu_resource *res;
	struct display *d = g->display;
	struct display_rect r;
	int err;

	read_rect(p, &r);
	if (scanout != 0)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, "no scanout %u",
		                 scanout);
	if (id == 0) {
		disable_scanout(g);
		return VIRTIO_GPU_RESP_OK_NODATA;
	}
	res = find_resource(g, id);
	if (!res)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, "no resource %u",
		                 id);
	if (r.width == 0 || r.height == 0 || !rect_inside(&r, res->width, res->height))
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "rectangle %ux%u+%u+%u is not inside resource %u (%ux%u)", r.width,
		                 r.height, r.x, r.y, id, res->width, res->height);
	pthread_mutex_lock(&d->lock);
	err = display_resize_locked(d, r.width, r.height);
	if (err == 0) {
		g->scanout_id = id;
		g->scanout = r;
		show_rect(g, res, &r);
	}
	pthread_mutex_unlock(&d->lock);
	if (err < 0)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY,
		                 "cannot show a %ux%u scanout", r.width, r.height);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* Copies len bytes at offset off of the resource's backing to dst; false past its end. */
static bool backing_read(const struct gpu_resource *res, uint64_t off, uint8_t *dst, size_t len)
{
	unsigned lo = 0, hi = res->nr_backing;

	if (off > res->backing_len || len > res->backing_len - off)
		return false;
	/* The entry holding off: the last one that starts at or before it. */
	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;

		if (res->backing[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	for (unsigned i = lo; len > 0 && i < res->nr_backing; i++) {
		const struct gpu_backing *b = &res->backing[i];
		uint64_t in = off - b->start;
		size_t n = b->len - in < len ? (size_t)(b->len - in) : len;

		memcpy(dst, b->host + in, n);
		dst += n;
		len -= n;
		off += n;
	}
	return len == 0;
}

/*
 * TRANSFER_TO_HOST_2D: rows of rect r come from the backing at offset,
 * offset + stride, ... (the driver gives offset = y * stride + x * 4).
 */
static uint32_t cmd_transfer_to_host_2d(struct virtio_gpu *g)
{
	uint32_t cmd = VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D;
	const uint8_t *p = g->req + HDR_SIZE;
	uint64_t offset = get64(p + 16);
	uint32_t id = get32(p + 24);
	struct gpu_resource *res = find_resource(g, id);
	struct display_rect r;
	size_t stride, row_bytes;

	read_rect(p, &r);
	if (!res)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, "no resource %u",
		                 id);
	if (!res->backing)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_UNSPEC, "resource %u has no backing",
		                 id);
	if (!rect_inside(&r, res->width, res->height))
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "rectangle %ux%u+%u+%u is not inside resource %u (%ux%u)", r.width,
		                 r.height, r.x, r.y, id, res->width, res->height);
	stride = (size_t)res->width * 4;
	row_bytes = (size_t)r.width * 4;
	for (unsigned row = 0; row < r.height; row++) {
		uint64_t src = offset + (uint64_t)row * stride;
		uint8_t *dst = res->data + (r.y + row) * stride + (size_t)r.x * 4;

		if (src < offset || !backing_read(res, src, dst, row_bytes))
			return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
			                 "row %u at offset 0x%llx is past the backing (%llu bytes)",
			                 row, (unsigned long long)src,
			                 (unsigned long long)res->backing_len);
	}
	virtio_mmio_count_bytes(g->t, 0, (uint64_t)row_bytes * r.height);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static void trace_flush(const struct display_rect *r)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "kennel-engine: virtio-gpu: flush at %lld.%09ld: %ux%u+%u+%u\n",
	        (long long)now.tv_sec, now.tv_nsec, r->width, r->height, r->x, r->y);
}

static uint32_t cmd_resource_flush(struct virtio_gpu *g)
{
	uint32_t cmd = VIRTIO_GPU_CMD_RESOURCE_FLUSH;
	const uint8_t *p = g->req + HDR_SIZE;
	uint32_t id = get32(p + 16);
	struct gpu_resource *res = find_resource(g, id);
	struct display *d = g->display;
	struct display_rect r, visible;

	read_rect(p, &r);
	if (!res)
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, "no resource %u",
		                 id);
	if (!rect_inside(&r, res->width, res->height))
		return gpu_error(g, cmd, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "rectangle %ux%u+%u+%u is not inside resource %u (%ux%u)", r.width,
		                 r.height, r.x, r.y, id, res->width, res->height);
	if (g->scanout_id != id || !intersect(&r, &g->scanout, &visible))
		return VIRTIO_GPU_RESP_OK_NODATA; /* not on the screen */
	if (g->trace)
		trace_flush(&r);
	pthread_mutex_lock(&d->lock);
	show_rect(g, res, &visible);
	pthread_mutex_unlock(&d->lock);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/*
 * The cursor queue: struct virtio_gpu_update_cursor is the header, then
 * pos {scanout_id, x, y, padding}, resource_id, hot_x, hot_y, padding.
 */
static void cursor_command(struct virtio_gpu *g, uint32_t type)
{
	const uint8_t *p = g->req + HDR_SIZE;
	uint32_t scanout = get32(p), x = get32(p + 4), y = get32(p + 8);
	uint32_t id = get32(p + 16), hot_x = get32(p + 20), hot_y = get32(p + 24);
	struct display *d = g->display;
	struct gpu_resource *res = NULL;

	if (scanout != 0) {
		gpu_error(g, type, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, "no scanout %u",
		          scanout);
		return;
	}
	if (type == VIRTIO_GPU_CMD_UPDATE_CURSOR && id != 0) {
		res = find_resource(g, id);
		if (!res) {
			gpu_error(g, type, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID,
			          "no resource %u", id);
			return;
		}
		if (res->width > DISPLAY_CURSOR_SIZE || res->height > DISPLAY_CURSOR_SIZE) {
			gpu_error(g, type, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
			          "a %ux%u cursor is larger than %ux%u", res->width, res->height,
			          DISPLAY_CURSOR_SIZE, DISPLAY_CURSOR_SIZE);
			return;
		}
	}
	pthread_mutex_lock(&d->lock);
	d->cursor_x = x;
	d->cursor_y = y;
	if (type == VIRTIO_GPU_CMD_UPDATE_CURSOR) {
		d->cursor_visible = res != NULL;
		if (res) {
			const struct gpu_format *f = find_format(res->format);

			d->cursor_width = res->width;
			d->cursor_height = res->height;
			d->cursor_hot_x = hot_x < res->width ? hot_x : res->width - 1;
			d->cursor_hot_y = hot_y < res->height ? hot_y : res->height - 1;
			for (unsigned row = 0; row < res->height; row++)
				convert_pixels(f, res->data + (size_t)row * res->width * 4,
				               d->cursor + row * res->width, res->width, true);
		}
	}
	display_cursor_changed_locked(d);
	pthread_mutex_unlock(&d->lock);
}

/* The size of each command's request, header included. */
static size_t request_size(uint32_t type)
{
	switch (type) {
	case VIRTIO_GPU_CMD_GET_DISPLAY_INFO: return HDR_SIZE;
	case VIRTIO_GPU_CMD_GET_EDID: return HDR_SIZE + 8;
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D: return HDR_SIZE + 16;
	case VIRTIO_GPU_CMD_RESOURCE_UNREF: return HDR_SIZE + 8;
	case VIRTIO_GPU_CMD_SET_SCANOUT: return HDR_SIZE + 24;
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH: return HDR_SIZE + 24;
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: return HDR_SIZE + 32;
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING: return HDR_SIZE + 8;
	case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING: return HDR_SIZE + 8;
	case VIRTIO_GPU_CMD_UPDATE_CURSOR:
	case VIRTIO_GPU_CMD_MOVE_CURSOR: return HDR_SIZE + 32;
	default: return HDR_SIZE;
	}
}

static uint32_t run_command(struct virtio_gpu *g, uint32_t type, size_t *resp_len)
{
	switch (type) {
	case VIRTIO_GPU_CMD_GET_DISPLAY_INFO: return cmd_get_display_info(g, resp_len);
	case VIRTIO_GPU_CMD_GET_EDID: return cmd_get_edid(g, resp_len);
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D: return cmd_resource_create_2d(g);
	case VIRTIO_GPU_CMD_RESOURCE_UNREF: return cmd_resource_unref(g);
	case VIRTIO_GPU_CMD_SET_SCANOUT: return cmd_set_scanout(g);
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH: return cmd_resource_flush(g);
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: return cmd_transfer_to_host_2d(g);
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING: return cmd_attach_backing(g);
	case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING: return cmd_detach_backing(g);
	default:
		return gpu_error(g, type, VIRTIO_GPU_RESP_ERR_UNSPEC,
		                 "not supported by this 2D device");
	}
}

/*
 * One request from the control queue: read it, run it, answer it.  The
 * answer echoes the fence (5.7.6.7: the device signals a fenced command
 * done by answering it; we answer in order, once the work is done).
 */
static void control_request(struct virtio_gpu *g)
{
	size_t got = virtq_chain_read(&g->chain, g->req, sizeof(g->req));
	size_t resp_len = HDR_SIZE;
	uint32_t type = got >= HDR_SIZE ? get32(g->req) : 0, resp;

	memset(g->resp, 0, HDR_SIZE);
	if (got < HDR_SIZE)
		resp = gpu_error(g, type, VIRTIO_GPU_RESP_ERR_UNSPEC,
		                 "a request of %zu bytes is shorter than the header", got);
	else if (got < request_size(type))
		resp = gpu_error(g, type, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		                 "a request of %zu bytes is shorter than its %zu", got,
		                 request_size(type));
	else
		resp = run_command(g, type, &resp_len);
	if (resp >= VIRTIO_GPU_RESP_ERR_UNSPEC)
		resp_len = HDR_SIZE;
	put32(g->resp, resp);
	if (got >= HDR_SIZE && (get32(g->req + 4) & VIRTIO_GPU_FLAG_FENCE)) {
		put32(g->resp + 4, VIRTIO_GPU_FLAG_FENCE);
		put64(g->resp + 8, get64(g->req + 8));
		put32(g->resp + 16, get32(g->req + 16)); /* ctx_id */
	}
	virtio_mmio_push(g->t, CTRLQ, g->chain.head,
	                 (uint32_t)virtq_chain_write(&g->chain, g->resp, resp_len));
}

static void cursor_request(struct virtio_gpu *g)
{
	size_t got = virtq_chain_read(&g->chain, g->req, sizeof(g->req));
	uint32_t type = got >= HDR_SIZE ? get32(g->req) : 0;

	if (got < request_size(VIRTIO_GPU_CMD_UPDATE_CURSOR))
		gpu_error(g, type, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
		          "a cursor request of %zu bytes", got);
	else if (type == VIRTIO_GPU_CMD_UPDATE_CURSOR || type == VIRTIO_GPU_CMD_MOVE_CURSOR)
		cursor_command(g, type);
	else
		gpu_error(g, type, VIRTIO_GPU_RESP_ERR_UNSPEC, "not a cursor command");
	virtio_mmio_push(g->t, CURSORQ, g->chain.head, 0);
}

static void put_config(struct virtio_gpu *g)
{
	uint8_t *config = virtio_mmio_config(g->t);

	put32(config + VIRTIO_GPU_CONFIG_EVENTS_READ, g->events_read);
	put32(config + VIRTIO_GPU_CONFIG_EVENTS_CLEAR, 0);
	put32(config + VIRTIO_GPU_CONFIG_NUM_SCANOUTS, 1);
	put32(config + VIRTIO_GPU_CONFIG_NUM_CAPSETS, 0);
}

static void serve_queue(struct virtio_gpu *g, unsigned q)
{
	int ret;

	do {
		while ((ret = virtio_mmio_pop(g->t, q, &g->chain)) > 0) {
			if (q == CTRLQ)
				control_request(g);
			else
				cursor_request(g);
		}
		if (ret < 0)
			return;
		virtio_mmio_notify(g->t, q);
	} while (virtio_mmio_arm(g->t, q));
}

static void gpu_service(struct virtio_mmio *t, void *dev)
{
	struct virtio_gpu *g = dev;

	g->t = t;
	if (atomic_exchange(&g->size_requested, false)) {
		/* The host wants a new mode: the guest reads GET_DISPLAY_INFO again. */
		g->events_read |= VIRTIO_GPU_EVENT_DISPLAY;
		put_config(g);
		virtio_mmio_config_changed(t);
	}
	serve_queue(g, CTRLQ);
	serve_queue(g, CURSORQ);
}

/* The driver acknowledges events by writing their bits to events_clear. */
static void gpu_config_write(struct virtio_mmio *t, void *dev, uint64_t offset, uint64_t value,
                             unsigned size)
{
	struct virtio_gpu *g = dev;

	g->t = t;
	if (offset == VIRTIO_GPU_CONFIG_EVENTS_CLEAR && size == 4) {
		g->events_read &= ~(uint32_t)value;
		put_config(g);
	}
}

static void free_resources(struct virtio_gpu *g)
{
	while (g->resources)
		destroy_resource(g, g->resources);
}

static void gpu_reset(struct virtio_mmio *t, void *dev)
{
	struct virtio_gpu *g = dev;
	struct display *d = g->display;

	g->t = t;
	free_resources(g);
	g->scanout_id = 0;
	g->events_read = 0;
	put_config(g);
	pthread_mutex_lock(&d->lock);
	if (d->cursor_visible) {
		d->cursor_visible = false;
		display_cursor_changed_locked(d);
	}
	pthread_mutex_unlock(&d->lock);
}

static void gpu_destroy(void *dev)
{
	struct virtio_gpu *g = dev;

	display_set_source(g->display, NULL);
	free_resources(g);
	free(g);
}

static void size_requested(void *opaque, unsigned width, unsigned height)
{
	struct virtio_gpu *g = opaque;

	atomic_store(&g->size_requested, true);
	if (g->t)
		virtio_mmio_wake(g->t);
}

static const struct virtio_device_ops gpu_ops = {
        .name = "virtio-gpu",
        .device_id = VIRTIO_ID_GPU,
        .features = 1ull << VIRTIO_GPU_F_EDID,
        .num_queues = 2,
        .config_size = GPU_CONFIG_SIZE,
        .service = gpu_service,
        .config_write = gpu_config_write,
        .reset = gpu_reset,
        .destroy = gpu_destroy,
};

int virtio_gpu_create(struct machine *m, unsigned slot, bool legacy, struct display *display,
                      struct virtio_gpu **out)
{
	struct virtio_gpu *g = calloc(1, sizeof(*g));
	struct virtio_mmio *t;
	int err;

	if (!g)
		return -ENOMEM;
	g->vm = m->vm;
	g->display = display;
	g->trace = getenv("KENNEL_GPU_TRACE") != NULL;
	err = virtio_mmio_create(m, slot, legacy, &gpu_ops, g, &t);
	if (err < 0) {
		free(g);
		return err;
	}
	/* The transport's first reset (gpu_reset) has set g->t and the config. */
	display_set_source(display, &(struct display_source){size_requested, g});
	if (out)
		*out = g;
	return 0;
}

/*
 * EDID 1.4 (VESA E-EDID): a monitor called "Kennel" whose preferred mode
 * is width x height at 60 Hz with CVT reduced blanking.
 */
void virtio_gpu_make_edid(uint8_t e[128], unsigned width, unsigned height)
{
	static const uint8_t header[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	static const uint8_t srgb_chroma[10] = {0xee, 0x91, 0xa3, 0x54, 0x4c,
	                                        0x99, 0x26, 0x0f, 0x50, 0x54};
	unsigned hblank = 160, hfront = 48, hsync = 32, vfront = 3, vsync = 5;
	unsigned vblank = height * 27600 / 972400 + 1; /* at least 460 us at 60 Hz */
	unsigned width_mm = width * 254 / 960, height_mm = height * 254 / 960; /* 96 dpi */
	uint64_t clock;
	uint8_t *dtd = e + 54, sum = 0;

	if (vblank < vfront + vsync + 6)
		vblank = vfront + vsync + 6;
	clock = (uint64_t)(width + hblank) * (height + vblank) * 60 / 10000; /* 10 kHz units */
	/*
	 * A detailed timing holds 12-bit sizes and a 16-bit clock: a larger
	 * monitor is described as the largest one that fits (and a lower
	 * refresh); GET_DISPLAY_INFO still gives the exact size.
	 */
	if (clock > 0xffff)
		clock = 0xffff;
	if (width > 4095)
		width = 4095;
	if (height > 4095)
		height = 4095;
	if (width_mm > 4095)
		width_mm = 4095;
	if (height_mm > 4095)
		height_mm = 4095;
	memset(e, 0, 128);
	memcpy(e, header, 8);
	e[8] = 0x2d; /* manufacturer "KNL": 5 bits per letter, A = 1 */
	e[9] = 0xcc;
	e[10] = 1;  /* product code */
	e[16] = 1;  /* week */
	e[17] = 36; /* year - 1990 */
	e[18] = 1;  /* EDID 1.4 */
	e[19] = 4;
	e[20] = 0xa0; /* digital, 8 bits per colour */
	e[21] = (uint8_t)(width_mm / 10);
	e[22] = (uint8_t)(height_mm / 10);
	e[23] = 120;  /* gamma 2.2 */
	e[24] = 0x06; /* sRGB, the first detailed timing is the preferred mode */
	memcpy(e + 25, srgb_chroma, 10);
	for (int i = 38; i < 54; i++)
		e[i] = 1; /* no standard timings */

	dtd[0] = (uint8_t)clock;
	dtd[1] = (uint8_t)(clock >> 8);
	dtd[2] = (uint8_t)width;
	dtd[3] = (uint8_t)hblank;
	dtd[4] = (uint8_t)((width >> 8) << 4 | (hblank >> 8));
	dtd[5] = (uint8_t)height;
	dtd[6] = (uint8_t)vblank;
	dtd[7] = (uint8_t)((height >> 8) << 4 | (vblank >> 8));
	dtd[8] = (uint8_t)hfront;
	dtd[9] = (uint8_t)hsync;
	dtd[10] = (uint8_t)(vfront << 4 | vsync);
	dtd[11] = 0;
	dtd[12] = (uint8_t)width_mm;
	dtd[13] = (uint8_t)height_mm;
	dtd[14] = (uint8_t)((width_mm >> 8) << 4 | (height_mm >> 8));
	dtd[17] = 0x1a; /* digital separate sync, hsync +, vsync - */

	/* Descriptor 2: the monitor's name. */
	memcpy(e + 72, (const uint8_t[]){0, 0, 0, 0xfc, 0}, 5);
	memcpy(e + 77, "Kennel\n      ", 13);
	/* Descriptor 3: range limits, 50-75 Hz, 30-160 kHz, 600 MHz. */
	memcpy(e + 90, (const uint8_t[]){0, 0, 0, 0xfd, 0, 50, 75, 30, 160, 60, 1, 0x0a}, 12);
	memset(e + 102, ' ', 6);
	/* Descriptor 4: unused. */
	memcpy(e + 108, (const uint8_t[]){0, 0, 0, 0x10, 0}, 5);

	for (int i = 0; i < 127; i++)
		sum += e[i];
	e[127] = (uint8_t)(0x100 - sum);
}
