// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-gpu and virtio-input driven by a tiny guest (tests/engine/mmio-guest.c)
 * on the real hv, with their rings in the VM's RAM: the test plays the
 * driver.  A frame goes through CREATE_2D, ATTACH_BACKING (two scattered
 * pieces), TRANSFER_TO_HOST_2D, SET_SCANOUT and RESOURCE_FLUSH to the
 * display, converted; EDID and display info; a host size request raises
 * the config event; the cursor queue; and every kind of bad command gets
 * its error response while the device goes on working.  Then the input
 * devices' config space and event queue, the power button's press, and
 * the keymap.
 */
#include <endian.h>
#include <glib.h>
#include <linux/input-event-codes.h>
#include <rfb/keysym.h>
#include <string.h>

#include "display.h"
#include "keymap.h"
#include "machine.h"
#include "mmio-guest.h"
#include "ring-builder.h" /* WAIT_FOR */
#include "virtio/virtio_gpu.h"
#include "virtio/virtio_input.h"
#include "virtio/virtio_mmio.h"

#define SLOT   3
#define BASE   (VIRTIO_MMIO_BASE + SLOT * VIRTIO_MMIO_SIZE)
#define IRQ    (HV_RISCV_IRQ_VIRTIO_FIRST + SLOT)
#define RAM    HV_RISCV_RAM_BASE
#define RING0  (RAM + (8u << 20)) /* past the mmio guest's program and list */
#define RING1  (RING0 + 0x4000)
#define REQ    (RING0 + 0x10000)
#define RESP   (RING0 + 0x12000)
#define FB     (RING0 + 0x20000)
#define QSIZE  8
#define KBD    4
#define TABLET 5
#define POWER  6

struct fixture {
	struct machine *m;
	struct display *display;
	struct virtio_input *keyboard, *tablet, *power;
	struct mmio_guest *guest;
	uint16_t avail_idx[2];
};

static uint64_t slot_base(unsigned slot)
{
	return VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SIZE;
}

static uint32_t reg_at(struct fixture *f, unsigned slot, uint64_t offset)
{
	return (uint32_t)mmio_guest_read(f->guest, slot_base(slot) + offset, 4);
}

static void set_reg_at(struct fixture *f, unsigned slot, uint64_t offset, uint32_t value)
{
	mmio_guest_write(f->guest, slot_base(slot) + offset, value, 4);
}

static uint32_t reg(struct fixture *f, uint64_t offset)
{
	return reg_at(f, SLOT, offset);
}

static void set_reg(struct fixture *f, uint64_t offset, uint32_t value)
{
	set_reg_at(f, SLOT, offset, value);
}

static void put16(struct fixture *f, uint64_t gpa, uint16_t v)
{
	uint16_t *p = hv_ram_ptr(f->m->vm, gpa, 2, true);

	__atomic_store_n(p, htole16(v), __ATOMIC_RELEASE);
}

static uint16_t get16(struct fixture *f, uint64_t gpa)
{
	uint16_t *p = hv_ram_ptr(f->m->vm, gpa, 2, false);

	return le16toh(__atomic_load_n(p, __ATOMIC_ACQUIRE));
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

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static void setup_queue(struct fixture *f, unsigned slot, unsigned q, uint64_t ring)
{
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_SEL, q);
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_NUM, QSIZE);
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)ring);
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)(ring + 0x1000));
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)(ring + 0x2000));
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_READY, 1);
}

static void start_driver(struct fixture *f, unsigned slot, uint64_t features)
{
	uint32_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	set_reg_at(f, slot, VIRTIO_MMIO_STATUS, 0);
	set_reg_at(f, slot, VIRTIO_MMIO_STATUS, s);
	set_reg_at(f, slot, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	set_reg_at(f, slot, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	set_reg_at(f, slot, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	set_reg_at(f, slot, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	set_reg_at(f, slot, VIRTIO_MMIO_STATUS, s | VIRTIO_STATUS_FEATURES_OK);
	g_assert_cmpuint(reg_at(f, slot, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, !=, 0);
	setup_queue(f, slot, 0, RING0);
	setup_queue(f, slot, 1, RING1);
	set_reg_at(f, slot, VIRTIO_MMIO_STATUS,
	           s | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};

	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(display_create(1024, 768, &f->display), ==, 0);
	g_assert_cmpint(virtio_gpu_create(f->m, SLOT, false, f->display, NULL), ==, 0);
	g_assert_cmpint(virtio_input_create(f->m, KBD, false, VIRTIO_INPUT_KEYBOARD, &f->keyboard),
	                ==, 0);
	g_assert_cmpint(virtio_input_create(f->m, TABLET, false, VIRTIO_INPUT_TABLET, &f->tablet),
	                ==, 0);
	g_assert_cmpint(
	        virtio_input_create(f->m, POWER, false, VIRTIO_INPUT_POWER_BUTTON, &f->power), ==,
	        0);
	f->guest = mmio_guest_start(f->m);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	mmio_guest_destroy(f->guest);
	machine_destroy(f->m);
	display_destroy(f->display);
}

/*
 * Posts one request on queue q of the gpu: the request readable at REQ,
 * then (if resp_len) a writable buffer at RESP; waits until it is used.
 */
static void post_request(struct fixture *f, unsigned slot, unsigned q, const void *req,
                         size_t req_len, size_t resp_len)
{
	uint64_t ring = q ? RING1 : RING0;
	uint16_t head = (uint16_t)((f->avail_idx[q] * 2) % QSIZE);
	uint8_t desc[32] = {0};
	uint16_t used = get16(f, ring + 0x2000 + 2);

	if (req_len)
		g_assert_cmpint(hv_ram_write(f->m->vm, REQ, req, req_len), ==, 0);
	g_assert_nonnull(memset(hv_ram_ptr(f->m->vm, RESP, 4096, true), 0xee, 4096));
	put64(desc, REQ);
	put32(desc + 8, (uint32_t)req_len);
	desc[12] = resp_len ? VIRTQ_DESC_F_NEXT : 0;
	desc[14] = (uint8_t)(head + 1);
	put64(desc + 16, RESP);
	put32(desc + 24, (uint32_t)resp_len);
	desc[28] = VIRTQ_DESC_F_WRITE;
	g_assert_cmpint(hv_ram_write(f->m->vm, ring + 16ull * head, desc, 32), ==, 0);
	put16(f, ring + 0x1000 + 4 + 2 * (f->avail_idx[q] % QSIZE), head);
	f->avail_idx[q]++;
	put16(f, ring + 0x1000 + 2, f->avail_idx[q]);
	set_reg_at(f, slot, VIRTIO_MMIO_QUEUE_NOTIFY, q);
	WAIT_FOR(get16(f, ring + 0x2000 + 2) == (uint16_t)(used + 1));
}

/* A control command: header (type, flags, fence) + body; returns the response type. */
static uint32_t command(struct fixture *f, uint32_t type, const void *body, size_t body_len,
                        size_t resp_len)
{
	uint8_t req[512] = {0};

	g_assert_cmpuint(body_len, <=, sizeof(req) - 24);
	put32(req, type);
	if (body_len)
		memcpy(req + 24, body, body_len);
	post_request(f, SLOT, 0, req, 24 + body_len, resp_len);
	return get32(hv_ram_ptr(f->m->vm, RESP, 4, false));
}

static uint32_t create_2d(struct fixture *f, uint32_t id, uint32_t format, uint32_t w, uint32_t h)
{
	uint8_t b[16];

	put32(b, id);
	put32(b + 4, format);
	put32(b + 8, w);
	put32(b + 12, h);
	return command(f, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, b, sizeof(b), 24);
}

struct entry {
	uint64_t addr;
	uint32_t len;
};

static uint32_t attach(struct fixture *f, uint32_t id, const struct entry *e, unsigned n,
                       uint32_t claimed)
{
	uint8_t b[8 + 16 * 16] = {0};

	g_assert_cmpuint(n, <=, 16);
	put32(b, id);
	put32(b + 4, claimed);
	for (unsigned i = 0; i < n; i++) {
		put64(b + 8 + 16 * i, e[i].addr);
		put32(b + 16 + 16 * i, e[i].len);
	}
	return command(f, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, b, 8 + 16 * n, 24);
}

static void rect(uint8_t *b, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	put32(b, x);
	put32(b + 4, y);
	put32(b + 8, w);
	put32(b + 12, h);
}

static uint32_t transfer(struct fixture *f, uint32_t id, uint32_t x, uint32_t y, uint32_t w,
                         uint32_t h, uint64_t offset)
{
	uint8_t b[32] = {0};

	rect(b, x, y, w, h);
	put64(b + 16, offset);
	put32(b + 24, id);
	return command(f, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, b, sizeof(b), 24);
}

static uint32_t set_scanout(struct fixture *f, uint32_t scanout, uint32_t id, uint32_t w,
                            uint32_t h)
{
	uint8_t b[24];

	rect(b, 0, 0, w, h);
	put32(b + 16, scanout);
	put32(b + 20, id);
	return command(f, VIRTIO_GPU_CMD_SET_SCANOUT, b, sizeof(b), 24);
}

static uint32_t flush(struct fixture *f, uint32_t id, uint32_t x, uint32_t y, uint32_t w,
                      uint32_t h)
{
	uint8_t b[24] = {0};

	rect(b, x, y, w, h);
	put32(b + 16, id);
	return command(f, VIRTIO_GPU_CMD_RESOURCE_FLUSH, b, sizeof(b), 24);
}

static uint32_t display_pixel(struct fixture *f, unsigned x, unsigned y)
{
	uint32_t v;

	pthread_mutex_lock(&f->display->lock);
	v = f->display->pixels[(size_t)y * f->display->width + x];
	pthread_mutex_unlock(&f->display->lock);
	return v;
}

/* A 64x32 B8G8R8X8 frame in two scattered pieces of guest RAM, onto the display. */
static void test_frame(struct fixture *f, gconstpointer data)
{
	struct entry pieces[2] = {{FB + 0x3000, 4096}, {FB, 4096}};
	uint8_t *p0 = hv_ram_ptr(f->m->vm, FB + 0x3000, 4096, true);
	uint8_t *p1 = hv_ram_ptr(f->m->vm, FB, 4096, true);
	unsigned w, h;

	start_driver(f, SLOT, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_GPU_F_EDID));
	/* Rows 0-15 in the first piece: bytes B, G, R, X = 0x30, 0x60, 0x90. */
	for (int i = 0; i < 4096; i += 4)
		memcpy(p0 + i, "\x30\x60\x90\x00", 4), memcpy(p1 + i, "\xc0\x10\x20\x00", 4);
	g_assert_cmphex(create_2d(f, 7, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 64, 32), ==,
	                VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(attach(f, 7, pieces, 2, 2), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(transfer(f, 7, 0, 0, 64, 32, 0), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(set_scanout(f, 0, 7, 64, 32), ==, VIRTIO_GPU_RESP_OK_NODATA);
	display_get_size(f->display, &w, &h);
	g_assert_cmpuint(w, ==, 64);
	g_assert_cmpuint(h, ==, 32);
	g_assert_cmphex(display_pixel(f, 0, 0), ==, DISPLAY_RGB(0x90, 0x60, 0x30));
	g_assert_cmphex(display_pixel(f, 63, 31), ==, DISPLAY_RGB(0x20, 0x10, 0xc0));

	/* A partial update: one rectangle, transferred then flushed. */
	memcpy(p1 + 4096 - 4, "\x01\x02\x03\x00", 4); /* pixel (63, 31) */
	g_assert_cmphex(transfer(f, 7, 60, 31, 4, 1, 31 * 256 + 60 * 4), ==,
	                VIRTIO_GPU_RESP_OK_NODATA);
	pthread_mutex_lock(&f->display->lock);
	f->display->damaged = false;
	pthread_mutex_unlock(&f->display->lock);
	g_assert_cmphex(flush(f, 7, 60, 31, 4, 1), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(display_pixel(f, 63, 31), ==, DISPLAY_RGB(0x03, 0x02, 0x01));
	g_assert_true(f->display->damaged);
	g_assert_cmpuint(f->display->damage.x, ==, 60);
	g_assert_cmpuint(f->display->damage.width, ==, 4);
	g_assert_cmphex(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, ==, 0);
}

/* GET_DISPLAY_INFO and GET_EDID describe the requested mode; a fence is echoed. */
static void test_display_info(struct fixture *f, gconstpointer data)
{
	uint8_t req[32] = {0}, *resp = hv_ram_ptr(f->m->vm, RESP, 4096, false), sum = 0;

	start_driver(f, SLOT, (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_GPU_F_EDID));
	put32(req, VIRTIO_GPU_CMD_GET_DISPLAY_INFO);
	put32(req + 4, VIRTIO_GPU_FLAG_FENCE);
	put64(req + 8, 0x1234567890ull);
	post_request(f, SLOT, 0, req, 24, 24 + 24 * 16);
	g_assert_cmphex(get32(resp), ==, VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
	g_assert_cmphex(get32(resp + 4), ==, VIRTIO_GPU_FLAG_FENCE);
	g_assert_cmphex(get32(resp + 8), ==, 0x34567890);
	g_assert_cmpuint(get32(resp + 24 + 8), ==, 1024);
	g_assert_cmpuint(get32(resp + 24 + 12), ==, 768);
	g_assert_cmpuint(get32(resp + 24 + 16), ==, 1);

	g_assert_cmphex(command(f, VIRTIO_GPU_CMD_GET_EDID, "\0\0\0\0\0\0\0\0", 8, 24 + 8 + 1024),
	                ==, VIRTIO_GPU_RESP_OK_EDID);
	g_assert_cmpuint(get32(resp + 24), ==, 128);
	g_assert_true(memcmp(resp + 32, "\0\xff\xff\xff\xff\xff\xff\0", 8) == 0);
	for (int i = 0; i < 128; i++)
		sum += resp[32 + i];
	g_assert_cmpuint(sum, ==, 0);
	/* The preferred timing: 1024 x 768. */
	g_assert_cmpuint(resp[32 + 56] | (resp[32 + 58] >> 4) << 8, ==, 1024);
	g_assert_cmpuint(resp[32 + 59] | (resp[32 + 61] >> 4) << 8, ==, 768);

	/* A monitor larger than a detailed timing holds: the largest that fits. */
	uint8_t big[128];
	virtio_gpu_make_edid(big, 8192, 8192);
	sum = 0;
	for (int i = 0; i < 128; i++)
		sum += big[i];
	g_assert_cmpuint(sum, ==, 0);
	g_assert_cmpuint(big[56] | (big[58] >> 4) << 8, ==, 4095);
	g_assert_cmpuint(big[54] | big[55] << 8, ==, 0xffff);
}

/* The host asks for 800x600: config event, display info follows, events_clear. */
static void test_resize_event(struct fixture *f, gconstpointer data)
{
	uint8_t *resp = hv_ram_ptr(f->m->vm, RESP, 4096, false);

	start_driver(f, SLOT, 1ull << VIRTIO_F_VERSION_1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + VIRTIO_GPU_CONFIG_NUM_SCANOUTS), ==, 1);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + VIRTIO_GPU_CONFIG_EVENTS_READ), ==, 0);
	g_assert_cmpint(display_request_size(f->display, 10, 100), ==, -EINVAL);
	g_assert_cmpint(display_request_size(f->display, 800, 600), ==, 0);
	WAIT_FOR(reg(f, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + VIRTIO_GPU_CONFIG_EVENTS_READ), ==,
	                 VIRTIO_GPU_EVENT_DISPLAY);
	g_assert_cmphex(command(f, VIRTIO_GPU_CMD_GET_DISPLAY_INFO, NULL, 0, 24 + 24 * 16), ==,
	                VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
	g_assert_cmpuint(get32(resp + 24 + 8), ==, 800);
	g_assert_cmpuint(get32(resp + 24 + 12), ==, 600);
	set_reg(f, VIRTIO_MMIO_CONFIG + VIRTIO_GPU_CONFIG_EVENTS_CLEAR, VIRTIO_GPU_EVENT_DISPLAY);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + VIRTIO_GPU_CONFIG_EVENTS_READ), ==, 0);
}

/*
 * Bad commands: each gets its error response, and the device goes on
 * (no DEVICE_NEEDS_RESET; a good command afterwards works).
 */
static void test_bad_commands(struct fixture *f, gconstpointer data)
{
	struct entry outside = {RAM + (16u << 20) - 4096, 8192}; /* runs past the end of RAM */
	struct entry below = {0x1000, 4096};                     /* not RAM at all */
	struct entry wrap = {~0ull - 100, 4096};                 /* wraps around */
	struct entry good = {FB, 64 * 64 * 4};
	uint8_t b[32] = {0};

	start_driver(f, SLOT, 1ull << VIRTIO_F_VERSION_1);
	g_assert_cmphex(create_2d(f, 1, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 64, 64), ==,
	                VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(attach(f, 1, &outside, 1, 1), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(attach(f, 1, &below, 1, 1), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(attach(f, 1, &wrap, 1, 1), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(attach(f, 1, &good, 1, 100), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(attach(f, 1, &good, 1, 1u << 30), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(attach(f, 99, &good, 1, 1), ==, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	g_assert_cmphex(set_scanout(f, 0, 42, 64, 64), ==, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	g_assert_cmphex(set_scanout(f, 3, 1, 64, 64), ==, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID);
	g_assert_cmphex(set_scanout(f, 0, 1, 65, 64), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(transfer(f, 1, 0, 0, 64, 64, 0), ==, VIRTIO_GPU_RESP_ERR_UNSPEC);
	g_assert_cmphex(attach(f, 1, &good, 1, 1), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(attach(f, 1, &good, 1, 1), ==, VIRTIO_GPU_RESP_ERR_UNSPEC);
	/* Rectangles outside the resource, overflowing, or past the backing. */
	g_assert_cmphex(transfer(f, 1, 60, 0, 8, 1, 0), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(transfer(f, 1, 0xfffffff0u, 0, 0x20, 1, 0), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(transfer(f, 1, 0, 0, 64, 64, 4), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(transfer(f, 1, 0, 0, 1, 1, ~0ull - 2), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(flush(f, 1, 0, 0, 64, 65), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(flush(f, 5, 0, 0, 1, 1), ==, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	/* Resources: ids, formats, sizes, the memory bound. */
	g_assert_cmphex(create_2d(f, 1, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 4, 4), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	g_assert_cmphex(create_2d(f, 0, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 4, 4), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	g_assert_cmphex(create_2d(f, 2, 99, 4, 4), ==, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(create_2d(f, 2, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 0, 4), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	g_assert_cmphex(create_2d(f, 2, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 16384, 16384), ==,
	                VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY);
	g_assert_cmphex(command(f, VIRTIO_GPU_CMD_RESOURCE_UNREF, "\x09\0\0\0\0\0\0\0", 8, 24), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	g_assert_cmphex(
	        command(f, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING, "\x09\0\0\0\0\0\0\0", 8, 24), ==,
	        VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	/* Unknown and short commands. */
	g_assert_cmphex(command(f, 0x0200, NULL, 0, 24), ==, VIRTIO_GPU_RESP_ERR_UNSPEC);
	put32(b, VIRTIO_GPU_CMD_SET_SCANOUT);
	post_request(f, SLOT, 0, b, 30, 24);
	g_assert_cmphex(get32(hv_ram_ptr(f->m->vm, RESP, 4, false)), ==,
	                VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);

	/* Still alive: a good frame goes through. */
	g_assert_cmphex(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, ==, 0);
	g_assert_cmphex(transfer(f, 1, 0, 0, 64, 64, 0), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(set_scanout(f, 0, 1, 64, 64), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(command(f, VIRTIO_GPU_CMD_RESOURCE_UNREF, "\x01\0\0\0\0\0\0\0", 8, 24), ==,
	                VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(flush(f, 1, 0, 0, 1, 1), ==, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
}

/* The cursor queue: an image with alpha and a hot spot, then a move, then hidden. */
static void test_cursor(struct fixture *f, gconstpointer data)
{
	struct entry e = {FB, 64 * 64 * 4};
	uint8_t *p = hv_ram_ptr(f->m->vm, FB, 64 * 64 * 4, true), c[56] = {0};

	start_driver(f, SLOT, 1ull << VIRTIO_F_VERSION_1);
	memset(p, 0, 64 * 64 * 4);
	memcpy(p + 4 * (2 * 64 + 3), "\x11\x22\x33\xff", 4); /* (3, 2): B, G, R, A */
	g_assert_cmphex(create_2d(f, 5, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 64, 64), ==,
	                VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(attach(f, 5, &e, 1, 1), ==, VIRTIO_GPU_RESP_OK_NODATA);
	g_assert_cmphex(transfer(f, 5, 0, 0, 64, 64, 0), ==, VIRTIO_GPU_RESP_OK_NODATA);
	put32(c, VIRTIO_GPU_CMD_UPDATE_CURSOR);
	put32(c + 24 + 4, 100); /* x */
	put32(c + 24 + 8, 200); /* y */
	put32(c + 40, 5);       /* resource */
	put32(c + 44, 3);       /* hot_x */
	put32(c + 48, 2);       /* hot_y */
	post_request(f, SLOT, 1, c, sizeof(c), 0);
	pthread_mutex_lock(&f->display->lock);
	g_assert_true(f->display->cursor_visible && f->display->cursor_changed);
	g_assert_cmpuint(f->display->cursor_hot_x, ==, 3);
	g_assert_cmpuint(f->display->cursor_hot_y, ==, 2);
	g_assert_cmphex(f->display->cursor[2 * 64 + 3], ==,
	                0xff000000u | DISPLAY_RGB(0x33, 0x22, 0x11));
	g_assert_cmphex(f->display->cursor[0] >> 24, ==, 0);
	pthread_mutex_unlock(&f->display->lock);

	put32(c, VIRTIO_GPU_CMD_MOVE_CURSOR);
	put32(c + 24 + 4, 300);
	post_request(f, SLOT, 1, c, sizeof(c), 0);
	g_assert_cmpuint(f->display->cursor_x, ==, 300);
	put32(c, VIRTIO_GPU_CMD_UPDATE_CURSOR);
	put32(c + 40, 0);
	post_request(f, SLOT, 1, c, sizeof(c), 0);
	g_assert_false(f->display->cursor_visible);
	/* A cursor on a missing resource: logged, ignored. */
	put32(c + 40, 77);
	post_request(f, SLOT, 1, c, sizeof(c), 0);
	g_assert_cmphex(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, ==, 0);
}

static uint8_t config8(struct fixture *f, unsigned slot, unsigned offset)
{
	return (uint8_t)mmio_guest_read(f->guest, slot_base(slot) + VIRTIO_MMIO_CONFIG + offset, 1);
}

static void select_config(struct fixture *f, unsigned slot, uint8_t select, uint8_t subsel)
{
	mmio_guest_write(f->guest, slot_base(slot) + VIRTIO_MMIO_CONFIG, select, 1);
	mmio_guest_write(f->guest, slot_base(slot) + VIRTIO_MMIO_CONFIG + 1, subsel, 1);
}

static void expect_events(const struct virtio_input_event *ev, unsigned n, const char *want)
{
	GString *got = g_string_new(NULL);

	for (unsigned i = 0; i < n; i++)
		g_string_append_printf(got, "%s%u:%u:%d", i ? " " : "", ev[i].type, ev[i].code,
		                       ev[i].value);
	g_assert_cmpstr(got->str, ==, want);
	g_string_free(got, TRUE);
}

/* An input device's name, as the driver reads it (select ID_NAME). */
static void assert_input_name(struct fixture *f, unsigned slot, const char *want)
{
	char name[129] = {0};

	select_config(f, slot, VIRTIO_INPUT_CFG_ID_NAME, 0);
	g_assert_cmpuint(config8(f, slot, 2), ==, strlen(want));
	for (unsigned i = 0; i < config8(f, slot, 2); i++)
		name[i] = (char)config8(f, slot, 8 + i);
	g_assert_cmpstr(name, ==, want);
}

/* Posts one empty 8-byte buffer on an input device's event queue; returns the event in it. */
static struct virtio_input_event next_event(struct fixture *f, unsigned slot)
{
	const uint8_t *buf;

	post_request(f, slot, 0, NULL, 0, 8);
	buf = hv_ram_ptr(f->m->vm, RESP, 8, false);
	return (struct virtio_input_event){buf[0] | buf[1] << 8, buf[2] | buf[3] << 8,
	                                   (int32_t)get32(buf + 4)};
}

/* The input devices' config space and an event on the tablet's event queue. */
static void test_input(struct fixture *f, gconstpointer data)
{
	struct virtio_input_event ev[2] = {{EV_ABS, ABS_X, 1234}, {EV_SYN, SYN_REPORT, 0}};

	g_assert_cmpuint(reg_at(f, KBD, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_INPUT);
	assert_input_name(f, KBD, "Kennel virtio keyboard");
	select_config(f, KBD, VIRTIO_INPUT_CFG_EV_BITS, EV_KEY);
	g_assert_cmpuint(config8(f, KBD, 2), ==, 32);
	g_assert_cmphex(config8(f, KBD, 8 + KEY_A / 8) & (1 << (KEY_A % 8)), !=, 0);
	select_config(f, KBD, VIRTIO_INPUT_CFG_EV_BITS, EV_ABS);
	g_assert_cmpuint(config8(f, KBD, 2), ==, 0);
	select_config(f, TABLET, VIRTIO_INPUT_CFG_ABS_INFO, ABS_Y);
	g_assert_cmpuint(config8(f, TABLET, 2), ==, 20);
	g_assert_cmpuint(config8(f, TABLET, 12) | config8(f, TABLET, 13) << 8, ==,
	                 VIRTIO_INPUT_ABS_MAX);
	select_config(f, TABLET, VIRTIO_INPUT_CFG_EV_BITS, EV_KEY);
	g_assert_cmphex(config8(f, TABLET, 8 + BTN_LEFT / 8) & (1 << (BTN_LEFT % 8)), !=, 0);

	/* Before DRIVER_OK, events are dropped. */
	g_assert_cmpint(virtio_input_send(f->tablet, ev, 2), ==, -ENODEV);
	start_driver(f, TABLET, 1ull << VIRTIO_F_VERSION_1);
	g_assert_cmpint(virtio_input_send(f->tablet, ev, 2), ==, 0);
	memset(ev, 0, sizeof(ev));     /* from here on, what the guest got */
	ev[0] = next_event(f, TABLET); /* one empty 8-byte buffer ... */
	ev[1] = next_event(f, TABLET); /* ... and the next gets the SYN */
	expect_events(ev, 2, "3:0:1234 0:0:0");
	g_assert_cmpuint(virtio_input_delivered(f->tablet), ==, 2);
}

/*
 * The power button: the name and the one key the guest sees (what acpid and
 * logind look for), no LEDs, and a press as four events once the driver runs.
 */
static void test_power_button(struct fixture *f, gconstpointer data)
{
	struct virtio_input_event ev[4];

	g_assert_cmpuint(reg_at(f, POWER, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_INPUT);
	assert_input_name(f, POWER, "Kennel Power Button");
	select_config(f, POWER, VIRTIO_INPUT_CFG_EV_BITS, EV_KEY);
	g_assert_cmpuint(config8(f, POWER, 2), ==, KEY_POWER / 8 + 1);
	for (unsigned i = 0; i < 128; i++)
		g_assert_cmphex(config8(f, POWER, 8 + i), ==,
		                i == KEY_POWER / 8 ? 1u << (KEY_POWER % 8) : 0);
	select_config(f, POWER, VIRTIO_INPUT_CFG_EV_BITS, EV_LED);
	g_assert_cmpuint(config8(f, POWER, 2), ==, 0);
	select_config(f, POWER, VIRTIO_INPUT_CFG_ABS_INFO, ABS_X);
	g_assert_cmpuint(config8(f, POWER, 2), ==, 0);

	/* Nobody hears a press before DRIVER_OK. */
	g_assert_cmpint(virtio_input_press(f->power, KEY_POWER), ==, -ENODEV);
	start_driver(f, POWER, 1ull << VIRTIO_F_VERSION_1);
	g_assert_cmpint(virtio_input_press(f->power, KEY_POWER), ==, 0);
	for (unsigned i = 0; i < 4; i++)
		ev[i] = next_event(f, POWER);
	expect_events(ev, 4, "1:116:1 0:0:0 1:116:0 0:0:0");
	g_assert_cmpuint(virtio_input_delivered(f->power), ==, 4);
}

/* The keymap: Shift and AltGr made right around characters, caps lock, repeats. */
static void test_keymap(void)
{
	struct keymap_state s = {0};
	struct virtio_input_event ev[KEYMAP_MAX_EVENTS];
	struct keymap_key k;
	unsigned n;

	g_assert_true(keymap_lookup('a', &k) && k.code == KEY_A);
	g_assert_true(keymap_lookup('?', &k) && k.code == KEY_SLASH && (k.flags & KEYMAP_SHIFT));
	g_assert_true(keymap_lookup(XK_F12, &k) && k.code == KEY_F12);
	g_assert_true(keymap_lookup(XK_KP_5, &k) && k.code == KEY_KP5);
	g_assert_true(keymap_lookup(XK_Left, &k) && k.code == KEY_LEFT);
	g_assert_true(keymap_lookup(0xe4, &k) && k.code == KEY_Q && (k.flags & KEYMAP_ALTGR));
	g_assert_false(keymap_lookup(0x4e00, &k)); /* a CJK ideograph */

	/* 'A' without Shift held: Shift goes down around it. */
	n = keymap_translate(&s, true, 'A', ev);
	expect_events(ev, n, "1:42:1 0:0:0 1:30:1 0:0:0 1:42:0 0:0:0");
	n = keymap_translate(&s, false, 'A', ev);
	expect_events(ev, n, "1:30:0 0:0:0");
	/* '/' with Shift held (a German client's Shift+7): Shift let go around it. */
	keymap_translate(&s, true, XK_Shift_L, ev);
	n = keymap_translate(&s, true, '/', ev);
	expect_events(ev, n, "1:42:0 0:0:0 1:53:1 0:0:0 1:42:1 0:0:0");
	keymap_translate(&s, false, '/', ev);
	keymap_translate(&s, false, XK_Shift_L, ev);
	/* 'Ä': Shift and AltGr (right Alt) with q. */
	n = keymap_translate(&s, true, 0xc4, ev);
	expect_events(ev, n, "1:42:1 1:100:1 0:0:0 1:16:1 0:0:0 1:42:0 1:100:0 0:0:0");
	keymap_translate(&s, false, 0xc4, ev);
	/* Caps Lock on: 'a' needs Shift, 'A' does not. */
	keymap_translate(&s, true, XK_Caps_Lock, ev);
	keymap_translate(&s, false, XK_Caps_Lock, ev);
	n = keymap_translate(&s, true, 'A', ev);
	expect_events(ev, n, "1:30:1 0:0:0");
	/* A key the client repeats: value 2. */
	n = keymap_translate(&s, true, 'A', ev);
	expect_events(ev, n, "1:30:2 0:0:0");
	n = keymap_release_all(&s, ev);
	expect_events(ev, n, "1:30:0 0:0:0");
	g_assert_cmpuint(keymap_translate(&s, false, 'A', ev), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/virtio-gpu/frame", struct fixture, NULL, setup, test_frame, teardown);
	g_test_add("/virtio-gpu/display-info-edid-fence", struct fixture, NULL, setup,
	           test_display_info, teardown);
	g_test_add("/virtio-gpu/resize-event", struct fixture, NULL, setup, test_resize_event,
	           teardown);
	g_test_add("/virtio-gpu/bad-commands", struct fixture, NULL, setup, test_bad_commands,
	           teardown);
	g_test_add("/virtio-gpu/cursor", struct fixture, NULL, setup, test_cursor, teardown);
	g_test_add("/virtio-input/config-and-events", struct fixture, NULL, setup, test_input,
	           teardown);
	g_test_add("/virtio-input/power-button", struct fixture, NULL, setup, test_power_button,
	           teardown);
	g_test_add_func("/keymap/translate", test_keymap);
	return g_test_run();
}
