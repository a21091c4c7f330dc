// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virtio-blk, in two parts.
 *
 * Request parsing: chains built in the RAM of a real hv VM, taken by the
 * ring walker, then virtio_blk_parse() and virtio_blk_execute() against a
 * real image file, as the device does: good requests in every layout, and
 * every hostile one (no header, no status byte, sectors past the end or
 * wrapping, odd lengths, writes to a read-only disk, bad discard segments)
 * answered with IOERR, UNSUPP or "needs a reset".
 *
 * The device: virtio-blk behind the virtio-mmio transport, driven by the
 * tiny guest of tests/engine/mmio-guest.c: identity and config space,
 * requests through the ioeventfd and the worker threads, many in flight,
 * a chain without a header (DEVICE_NEEDS_RESET), a reset with requests in
 * flight, and the image lock.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine.h"
#include "mmio-guest.h"
#include "ring-builder.h"
#include "virtio/virtio_blk.h"
#include "virtio/virtio_mmio.h"

#define RAM        HV_RISCV_RAM_BASE
#define RING       (RAM + (8u << 20)) /* past the mmio guest's program and list */
#define HDR        (RING + 0x4000)    /* request headers, 16 bytes apart */
#define STATUS     (RING + 0x5000)    /* status bytes, one apart */
#define BUF        (RING + 0x10000)
#define QSIZE      64
#define SLOT       8
#define BASE       (VIRTIO_MMIO_BASE + SLOT * VIRTIO_MMIO_SIZE)
#define DISK_BYTES (1u << 20)

struct fixture {
	struct machine *m;
	struct mmio_guest *guest; /* device tests only */
	char *dir, *path;
	struct virtio_blk_image image; /* parse tests only */
	struct virtq vq;               /* parse tests only */
	struct virtio_blk_request *r;
	struct ring ring;         /* ring_layout(RING, QSIZE) */
	uint8_t disk[DISK_BYTES]; /* what the image holds */
};

/* ---- building requests in guest RAM (the rings: ring-builder.h) ---- */

static uint8_t get8(struct fixture *f, uint64_t gpa)
{
	uint8_t v;

	g_assert_cmpint(hv_ram_read(f->m->vm, gpa, &v, 1), ==, 0);
	return v;
}

static void header(struct fixture *f, uint64_t gpa, uint32_t type, uint64_t sector)
{
	uint8_t raw[16] = {0};
	uint32_t t = htole32(type);
	uint64_t s = htole64(sector);

	memcpy(raw, &t, 4);
	memcpy(raw + 8, &s, 8);
	g_assert_cmpint(hv_ram_write(f->m->vm, gpa, raw, 16), ==, 0);
}

/* The usual three-part request: header, data, status. */
static uint16_t request(struct fixture *f, unsigned n, uint32_t type, uint64_t sector,
                        uint64_t data, uint32_t len, bool data_writable)
{
	struct ring_buf bufs[3] = {
	        {HDR + 16 * n, 16, false},
	        {data, len, data_writable},
	        {STATUS + n, 1, true},
	};

	header(f, HDR + 16 * n, type, sector);
	g_assert_cmpint(hv_ram_write(f->m->vm, STATUS + n, "\xff", 1), ==, 0);
	if (len == 0) {
		bufs[1] = bufs[2];
		return ring_post_chain(&f->ring, bufs, 2);
	}
	return ring_post_chain(&f->ring, bufs, 3);
}

static void make_image(struct fixture *f)
{
	GError *error = NULL;

	f->dir = g_dir_make_tmp("kennel-blk-XXXXXX", &error);
	g_assert_no_error(error);
	f->path = g_build_filename(f->dir, "disk.img", NULL);
	for (unsigned i = 0; i < DISK_BYTES; i++)
		f->disk[i] = (uint8_t)(i * 7 + i / 512);
	g_assert_true(g_file_set_contents(f->path, (const char *)f->disk, DISK_BYTES, &error));
	g_assert_no_error(error);
}

static void remove_image(struct fixture *f)
{
	g_unlink(f->path);
	g_rmdir(f->dir);
	g_free(f->path);
	g_free(f->dir);
}

static void read_image(struct fixture *f, uint8_t *out)
{
	int fd = open(f->path, O_RDONLY);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(pread(fd, out, DISK_BYTES, 0), ==, DISK_BYTES);
	close(fd);
}

/* ---- parsing, with our own queue (no transport) ---- */

static void parse_setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20, .sbi = true};
	char why[256];

	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	ring_init(&f->ring, f->m->vm, ring_layout(RING, QSIZE));
	g_assert_cmpint(virtq_init(&f->vq, f->m->vm, &f->ring.layout, true, false), ==, 0);
	make_image(f);
	g_assert_cmpint(virtio_blk_image_open(f->path, data != NULL, "test-serial", &f->image, why,
	                                      sizeof(why)),
	                ==, 0);
	f->r = g_malloc0(sizeof(*f->r));
	f->r->allow_discard = f->r->allow_write_zeroes = true;
}

static void parse_teardown(struct fixture *f, gconstpointer data)
{
	virtio_blk_image_close(&f->image);
	remove_image(f);
	g_free(f->r);
	machine_destroy(f->m);
}

/* Pops the next chain and runs it as the device would; returns the parse result. */
static enum virtio_blk_parsed run(struct fixture *f)
{
	enum virtio_blk_parsed p;
	char why[160] = "";

	g_assert_cmpint(virtq_pop(&f->vq, &f->r->chain), ==, 1);
	p = virtio_blk_parse(&f->image, f->r, why, sizeof(why));
	if (p == VIRTIO_BLK_BROKEN)
		g_test_message("broken: %s", why);
	if (p == VIRTIO_BLK_DO_IO)
		virtio_blk_execute(&f->image, f->r);
	if (p != VIRTIO_BLK_BROKEN)
		virtio_blk_complete(f->r);
	return p;
}

static void test_read(struct fixture *f, gconstpointer data)
{
	uint8_t got[4096];

	request(f, 0, VIRTIO_BLK_T_IN, 3, BUF, sizeof(got), true);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS), ==, VIRTIO_BLK_S_OK);
	g_assert_cmpuint(f->r->written, ==, sizeof(got) + 1);
	g_assert_cmpint(hv_ram_read(f->m->vm, BUF, got, sizeof(got)), ==, 0);
	g_assert_true(memcmp(got, f->disk + 3 * 512, sizeof(got)) == 0);
}

/* The last sector, read into data and status that share one buffer. */
static void test_read_any_layout(struct fixture *f, gconstpointer data)
{
	uint64_t last = DISK_BYTES / 512 - 1;
	struct ring_buf bufs[4] = {
	        {HDR, 4, false},
	        {HDR + 4, 12, false},
	        {BUF, 100, true},
	        {BUF + 100, 412 + 1, true},
	};
	uint8_t got[512];

	header(f, HDR, VIRTIO_BLK_T_IN, last);
	ring_post_chain(&f->ring, bufs, 4);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, BUF + 512), ==, VIRTIO_BLK_S_OK);
	g_assert_cmpint(hv_ram_read(f->m->vm, BUF, got, sizeof(got)), ==, 0);
	g_assert_true(memcmp(got, f->disk + last * 512, 512) == 0);
}

static void test_write(struct fixture *f, gconstpointer data)
{
	uint8_t pattern[1024], disk[DISK_BYTES];

	memset(pattern, 0x5a, sizeof(pattern));
	g_assert_cmpint(hv_ram_write(f->m->vm, BUF, pattern, sizeof(pattern)), ==, 0);
	request(f, 0, VIRTIO_BLK_T_OUT, 10, BUF, sizeof(pattern), false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS), ==, VIRTIO_BLK_S_OK);
	g_assert_cmpuint(f->r->written, ==, 1);
	request(f, 1, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS + 1), ==, VIRTIO_BLK_S_OK);
	read_image(f, disk);
	memcpy(f->disk + 10 * 512, pattern, sizeof(pattern));
	g_assert_true(memcmp(disk, f->disk, DISK_BYTES) == 0);
}

static void test_get_id(struct fixture *f, gconstpointer data)
{
	char id[20];

	request(f, 0, VIRTIO_BLK_T_GET_ID, 0, BUF, 20, true);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DONE);
	g_assert_cmpuint(get8(f, STATUS), ==, VIRTIO_BLK_S_OK);
	g_assert_cmpuint(f->r->written, ==, 21);
	g_assert_cmpint(hv_ram_read(f->m->vm, BUF, id, sizeof(id)), ==, 0);
	g_assert_cmpmem(id, 11, "test-serial", 11);
	g_assert_cmpuint(id[11], ==, 0);
}

/* Requests that are requests, but wrong: each gets its status, nothing breaks. */
static void test_bad_requests(struct fixture *f, gconstpointer data)
{
	static const struct {
		uint32_t type;
		uint64_t sector;
		uint32_t len;
		bool writable;
		uint8_t status;
	} cases[] = {
	        {VIRTIO_BLK_T_IN, DISK_BYTES / 512, 512, true, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_IN, DISK_BYTES / 512 - 1, 1024, true, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_IN, UINT64_MAX, 512, true, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_IN, UINT64_MAX / 512 + 1, 512, true, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_IN, 0, 100, true, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_OUT, DISK_BYTES / 512, 512, false, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_OUT, 0, 513, false, VIRTIO_BLK_S_IOERR},
	        {3, 0, 512, true, VIRTIO_BLK_S_UNSUPP},
	        {0xffffffff, 0, 512, true, VIRTIO_BLK_S_UNSUPP},
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		request(f, i, cases[i].type, cases[i].sector, BUF, cases[i].len, cases[i].writable);
		g_assert_cmpint(run(f), ==, VIRTIO_BLK_DONE);
		g_assert_cmpuint(get8(f, STATUS + i), ==, cases[i].status);
	}
	g_assert_null(f->vq.broken);
}

/* Not requests at all: the device needs a reset. */
static void test_broken_requests(struct fixture *f, gconstpointer data)
{
	struct ring_buf short_header[2] = {{HDR, 15, false}, {STATUS, 1, true}};
	struct ring_buf no_status[2] = {{HDR, 16, false}, {BUF, 512, false}};
	struct ring_buf empty_status[3] = {{HDR, 16, false}, {STATUS, 0, true}, {STATUS, 0, true}};

	header(f, HDR, VIRTIO_BLK_T_IN, 0);
	ring_post_chain(&f->ring, short_header, 2);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_BROKEN);
	ring_post_chain(&f->ring, no_status, 2);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_BROKEN);
	ring_post_chain(&f->ring, empty_status, 3);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_BROKEN);
}

static void segment(struct fixture *f, uint64_t gpa, uint64_t sector, uint32_t num, uint32_t flags)
{
	uint8_t raw[16];
	uint64_t s = htole64(sector);
	uint32_t n = htole32(num), fl = htole32(flags);

	memcpy(raw, &s, 8);
	memcpy(raw + 8, &n, 4);
	memcpy(raw + 12, &fl, 4);
	g_assert_cmpint(hv_ram_write(f->m->vm, gpa, raw, 16), ==, 0);
}

static void test_discard(struct fixture *f, gconstpointer data)
{
	uint8_t disk[DISK_BYTES];
	struct stat before, after;

	g_assert_cmpint(stat(f->path, &before), ==, 0);
	/* Two segments: [64 KiB, 192 KiB) and [512 KiB, 576 KiB). */
	segment(f, BUF, 128, 256, 0);
	segment(f, BUF + 16, 1024, 128, 0);
	request(f, 0, VIRTIO_BLK_T_DISCARD, 0, BUF, 32, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS), ==, VIRTIO_BLK_S_OK);
	read_image(f, disk);
	memset(f->disk + 128 * 512, 0, 256 * 512);
	memset(f->disk + 1024 * 512, 0, 128 * 512);
	g_assert_true(memcmp(disk, f->disk, DISK_BYTES) == 0);
	g_assert_cmpint(stat(f->path, &after), ==, 0);
	g_test_message("blocks %lld -> %lld", (long long)before.st_blocks,
	               (long long)after.st_blocks);
	g_assert_cmpint(after.st_blocks, <=, before.st_blocks - (192 * 1024) / 512);
	g_assert_cmpint(after.st_size, ==, DISK_BYTES);

	/* Write zeroes, with and without unmap. */
	segment(f, BUF, 2, 2, 0);
	segment(f, BUF + 16, 8, 1, 1);
	request(f, 1, VIRTIO_BLK_T_WRITE_ZEROES, 0, BUF, 32, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS + 1), ==, VIRTIO_BLK_S_OK);
	read_image(f, disk);
	memset(f->disk + 2 * 512, 0, 2 * 512);
	memset(f->disk + 8 * 512, 0, 512);
	g_assert_true(memcmp(disk, f->disk, DISK_BYTES) == 0);
}

static void test_bad_segments(struct fixture *f, gconstpointer data)
{
	static const struct {
		uint32_t type;
		uint64_t sector;
		uint32_t num, flags, len;
		uint8_t status;
	} cases[] = {
	        {VIRTIO_BLK_T_DISCARD, 0, 8, 1, 16, VIRTIO_BLK_S_UNSUPP}, /* unmap on discard */
	        {VIRTIO_BLK_T_DISCARD, 0, 8, 2, 16, VIRTIO_BLK_S_UNSUPP},
	        {VIRTIO_BLK_T_WRITE_ZEROES, 0, 8, 4, 16, VIRTIO_BLK_S_UNSUPP},
	        {VIRTIO_BLK_T_DISCARD, DISK_BYTES / 512 - 4, 8, 0, 16, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_DISCARD, UINT64_MAX - 2, 8, 0, 16, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_DISCARD, 0, VIRTIO_BLK_MAX_DISCARD_SECTORS + 1, 0, 16,
	         VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_DISCARD, 0, 8, 0, 15, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_DISCARD, 0, 8, 0, 0, VIRTIO_BLK_S_IOERR},
	        {VIRTIO_BLK_T_DISCARD, 0, 8, 0, 16 * (VIRTIO_BLK_MAX_DISCARD_SEG + 1),
	         VIRTIO_BLK_S_IOERR},
	};
	uint8_t disk[DISK_BYTES];

	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		for (unsigned s = 0; s * 16 < cases[i].len; s++)
			segment(f, BUF + 16 * s, cases[i].sector, cases[i].num, cases[i].flags);
		request(f, i, cases[i].type, 0, BUF, cases[i].len, false);
		g_assert_cmpint(run(f), ==, VIRTIO_BLK_DONE);
		g_assert_cmpuint(get8(f, STATUS + i), ==, cases[i].status);
	}
	/* Not negotiated: UNSUPP. */
	f->r->allow_discard = false;
	segment(f, BUF, 0, 8, 0);
	request(f, 20, VIRTIO_BLK_T_DISCARD, 0, BUF, 16, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DONE);
	g_assert_cmpuint(get8(f, STATUS + 20), ==, VIRTIO_BLK_S_UNSUPP);
	read_image(f, disk);
	g_assert_true(memcmp(disk, f->disk, DISK_BYTES) == 0);
}

/* A read-only image: reads work, writes and discards are IOERR, flush is fine. */
static void test_read_only(struct fixture *f, gconstpointer data)
{
	uint8_t disk[DISK_BYTES];

	request(f, 0, VIRTIO_BLK_T_IN, 0, BUF, 512, true);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS), ==, VIRTIO_BLK_S_OK);
	request(f, 1, VIRTIO_BLK_T_OUT, 0, BUF, 512, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DONE);
	g_assert_cmpuint(get8(f, STATUS + 1), ==, VIRTIO_BLK_S_IOERR);
	segment(f, BUF, 0, 8, 0);
	request(f, 2, VIRTIO_BLK_T_DISCARD, 0, BUF, 16, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DONE);
	g_assert_cmpuint(get8(f, STATUS + 2), ==, VIRTIO_BLK_S_IOERR);
	request(f, 3, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false);
	g_assert_cmpint(run(f), ==, VIRTIO_BLK_DO_IO);
	g_assert_cmpuint(get8(f, STATUS + 3), ==, VIRTIO_BLK_S_OK);
	read_image(f, disk);
	g_assert_true(memcmp(disk, f->disk, DISK_BYTES) == 0);
}

/* ---- the device behind the transport, driven by the tiny guest ---- */

static uint32_t reg(struct fixture *f, uint64_t offset)
{
	return (uint32_t)mmio_guest_read(f->guest, BASE + offset, 4);
}

static void set_reg(struct fixture *f, uint64_t offset, uint32_t value)
{
	mmio_guest_write(f->guest, BASE + offset, value, 4);
}

static void device_setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};
	struct virtio_blk_image image;
	char why[256];

	make_image(f);
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(virtio_blk_image_open(f->path, false, NULL, &image, why, sizeof(why)), ==,
	                0);
	g_assert_cmpint(virtio_blk_create(f->m, SLOT, false, &image), ==, 0);
	f->guest = mmio_guest_start(f->m);
	ring_init(&f->ring, f->m->vm, ring_layout(RING, QSIZE));
}

static void device_teardown(struct fixture *f, gconstpointer data)
{
	mmio_guest_destroy(f->guest);
	machine_destroy(f->m);
	remove_image(f);
}

static void start_driver(struct fixture *f)
{
	const uint32_t ok = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	ring_clear(&f->ring);
	set_reg(f, VIRTIO_MMIO_STATUS, 0);
	set_reg(f, VIRTIO_MMIO_STATUS, ok);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES,
	        (1u << VIRTIO_BLK_F_FLUSH) | (1u << VIRTIO_BLK_F_DISCARD));
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	set_reg(f, VIRTIO_MMIO_DRIVER_FEATURES, 1); /* VERSION_1 */
	set_reg(f, VIRTIO_MMIO_STATUS, ok | VIRTIO_STATUS_FEATURES_OK);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, !=, 0);
	ring_attach_mmio(&f->ring, f->guest, BASE, 0, false);
	set_reg(f, VIRTIO_MMIO_STATUS, ok | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void test_identity(struct fixture *f, gconstpointer data)
{
	uint32_t features;

	g_assert_cmpuint(reg(f, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_BLOCK);
	set_reg(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	features = reg(f, VIRTIO_MMIO_DEVICE_FEATURES);
	g_assert_cmphex(features & (1u << VIRTIO_BLK_F_FLUSH), !=, 0);
	g_assert_cmphex(features & (1u << VIRTIO_BLK_F_DISCARD), !=, 0);
	g_assert_cmphex(features & (1u << VIRTIO_BLK_F_WRITE_ZEROES), !=, 0);
	g_assert_cmphex(features & (1u << VIRTIO_BLK_F_BLK_SIZE), !=, 0);
	g_assert_cmphex(features & (1u << VIRTIO_BLK_F_SEG_MAX), !=, 0);
	g_assert_cmphex(features & (1u << VIRTIO_BLK_F_RO), ==, 0);
	g_assert_cmpuint(mmio_guest_read(f->guest, BASE + VIRTIO_MMIO_CONFIG, 8), ==,
	                 DISK_BYTES / 512);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + 12), ==, VIRTIO_BLK_SEG_MAX);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + 20), ==, 512);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_CONFIG + 40), ==, VIRTIO_BLK_MAX_DISCARD_SEG);
}

/*
 * Many reads at once: small ones the backend does itself (from the host's
 * page cache), large ones through the workers; each with the right bytes.
 */
static void test_in_flight(struct fixture *f, gconstpointer data)
{
	const unsigned n = 16, big = 288 * 1024, small = 8192;
	uint8_t *got = g_malloc(big);

	start_driver(f);
	for (unsigned i = 0; i < n; i++)
		request(f, i, VIRTIO_BLK_T_IN, 16 * i, BUF + (uint64_t)big * i, i % 2 ? big : small,
		        true);
	ring_notify(&f->ring);
	WAIT_FOR(ring_used_idx(&f->ring) == n);
	for (unsigned i = 0; i < n; i++) {
		unsigned len = i % 2 ? big : small;

		g_assert_cmpuint(get8(f, STATUS + i), ==, VIRTIO_BLK_S_OK);
		g_assert_cmpint(hv_ram_read(f->m->vm, BUF + (uint64_t)big * i, got, len), ==, 0);
		g_assert_true(memcmp(got, f->disk + 16 * 512 * i, len) == 0);
	}
	/* Every used entry gives the bytes written (data and status) for its request. */
	for (unsigned i = 0; i < n; i++) {
		uint32_t id = ring_used_id(&f->ring, i);

		g_assert_cmpuint(id % 3, ==, 0);
		g_assert_cmpuint(ring_used_len(&f->ring, i), ==, ((id / 3) % 2 ? big : small) + 1);
	}
	g_free(got);
}

/* A chain without a header: DEVICE_NEEDS_RESET; after a reset, it works again. */
static void test_needs_reset(struct fixture *f, gconstpointer data)
{
	struct ring_buf bad[2] = {{HDR, 8, false}, {STATUS, 1, true}};

	start_driver(f);
	ring_post_chain(&f->ring, bad, 2);
	ring_notify(&f->ring);
	WAIT_FOR(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	g_assert_cmpuint(ring_used_idx(&f->ring), ==, 0);

	start_driver(f);
	g_assert_cmpuint(reg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET, ==, 0);
	request(f, 0, VIRTIO_BLK_T_IN, 0, BUF, 512, true);
	ring_notify(&f->ring);
	WAIT_FOR(ring_used_idx(&f->ring) == 1);
	g_assert_cmpuint(get8(f, STATUS), ==, VIRTIO_BLK_S_OK);
}

/*
 * A reset while requests are in flight returns only when the workers are
 * done with them: afterwards nothing more lands in guest RAM.
 */
static void test_reset_in_flight(struct fixture *f, gconstpointer data)
{
	/* Above INLINE_MAX, so that the workers read; a buffer each (no overlapping DMA). */
	const unsigned n = 12, len = 300 * 1024;

	for (unsigned round = 0; round < 5; round++) {
		uint8_t *ram;

		start_driver(f);
		ram = hv_ram_ptr(f->m->vm, BUF, (uint64_t)n * len, true);
		for (unsigned i = 0; i < n; i++)
			request(f, i, VIRTIO_BLK_T_IN, 0, BUF + (uint64_t)len * i, len, true);
		ring_notify(&f->ring);
		g_usleep(100 * round);
		set_reg(f, VIRTIO_MMIO_STATUS, 0);
		/* Once the reset has returned, what is in RAM stays. */
		memset(ram, 0xee, (size_t)n * len);
		g_usleep(20000);
		for (size_t i = 0; i < (size_t)n * len; i++)
			if (ram[i] != 0xee)
				g_error("byte %zu of the buffers changed after the reset", i);
	}
}

/* An image an engine uses cannot be opened again, read-only or not. */
static void test_lock(struct fixture *f, gconstpointer data)
{
	struct virtio_blk_image again;
	char why[256];

	g_assert_cmpint(virtio_blk_image_open(f->path, false, NULL, &again, why, sizeof(why)), ==,
	                -EAGAIN);
	g_assert_nonnull(strstr(why, "is in use by another engine (locked)"));
	g_assert_cmpint(virtio_blk_image_open(f->path, true, NULL, &again, why, sizeof(why)), ==,
	                -EAGAIN);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *path;
		void (*fn)(struct fixture *, gconstpointer);
		bool read_only;
	} parse_tests[] = {
	        {"/virtio-blk/parse/read", test_read},
	        {"/virtio-blk/parse/read-any-layout", test_read_any_layout},
	        {"/virtio-blk/parse/write-flush", test_write},
	        {"/virtio-blk/parse/get-id", test_get_id},
	        {"/virtio-blk/parse/bad-requests", test_bad_requests},
	        {"/virtio-blk/parse/broken-requests", test_broken_requests},
	        {"/virtio-blk/parse/discard-write-zeroes", test_discard},
	        {"/virtio-blk/parse/bad-segments", test_bad_segments},
	        {"/virtio-blk/parse/read-only", test_read_only, true},
	};
	static const struct {
		const char *path;
		void (*fn)(struct fixture *, gconstpointer);
	} device_tests[] = {
	        {"/virtio-blk/device/identity", test_identity},
	        {"/virtio-blk/device/in-flight", test_in_flight},
	        {"/virtio-blk/device/needs-reset", test_needs_reset},
	        {"/virtio-blk/device/reset-in-flight", test_reset_in_flight},
	        {"/virtio-blk/device/lock", test_lock},
	};

	g_test_init(&argc, &argv, NULL);
	for (unsigned i = 0; i < G_N_ELEMENTS(parse_tests); i++)
		g_test_add(parse_tests[i].path, struct fixture,
		           parse_tests[i].read_only ? "ro" : NULL, parse_setup, parse_tests[i].fn,
		           parse_teardown);
	for (unsigned i = 0; i < G_N_ELEMENTS(device_tests); i++)
		g_test_add(device_tests[i].path, struct fixture, NULL, device_setup,
		           device_tests[i].fn, device_teardown);
	return g_test_run();
}
