// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The split-ring walker against rings built in the RAM of a real hv VM.
 *
 * No vCPU runs: the test plays the driver by writing descriptor tables
 * and rings with hv_ram_write(), then calls the walker as a device's
 * backend would.  Every well-formed request must come back as iovecs that
 * lie inside the RAM mapping; every broken rule must stop the queue with
 * -EPROTO and a reason, and still leave every iovec inside RAM.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "hv/hv.h"
#include "ring-builder.h"
#include "virtio/virtqueue.h"

#define RAM_SIZE   (16ull << 20)
#define RAM        HV_RISCV_RAM_BASE
#define DESC       (RAM + 0x1000) /* then the rings: ring_layout(DESC, QUEUE_SIZE) */
#define AVAIL      (DESC + RING_AVAIL_OFFSET)
#define USED       (DESC + RING_USED_OFFSET)
#define INDIRECT   (RAM + 0x4000)
#define INDIRECT2  (RAM + 0x5000)
#define BUF        (RAM + 0x10000)
#define QUEUE_SIZE 8

struct fixture {
	struct hv_vm *vm;
	struct virtq vq;
	struct virtq_chain chain;
	struct ring ring; /* the driver's side of vq */
};

/* Entry i of an indirect table at table, or of the queue's own. */
static void desc_at(struct fixture *f, uint64_t table, unsigned i, uint64_t addr, uint32_t len,
                    uint16_t flags, uint16_t next)
{
	ring_write_desc(f->vm, table, i, addr, len, flags, next);
}

static void desc(struct fixture *f, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
                 uint16_t next)
{
	ring_write_desc(f->vm, DESC, i, addr, len, flags, next);
}

/* Makes the chain at head available, as a driver does. */
static void publish(struct fixture *f, uint16_t head)
{
	ring_publish(&f->ring, head);
}

static void start(struct fixture *f, bool indirect, bool event_idx)
{
	g_assert_cmpint(virtq_init(&f->vq, f->vm, &f->ring.layout, indirect, event_idx), ==, 0);
}

static void setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = RAM_SIZE, .sbi = true};

	memset(f, 0, sizeof(*f));
	g_assert_cmpint(hv_vm_create(&config, &f->vm), ==, 0);
	ring_init(&f->ring, f->vm, ring_layout(DESC, QUEUE_SIZE));
	start(f, true, false);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	hv_vm_destroy(f->vm);
}

/* The walker's promise: every buffer it hands out lies inside the RAM mapping. */
static void assert_inside_ram(struct fixture *f)
{
	const uint8_t *ram = hv_ram_ptr(f->vm, RAM, RAM_SIZE, false);
	unsigned n = f->chain.readable + f->chain.writable;

	g_assert_nonnull(ram);
	g_assert_cmpuint(n, <=, VIRTQ_MAX_SIZE);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *base = f->chain.iov[i].iov_base;

		g_assert_true(base >= ram && base <= ram + RAM_SIZE);
		g_assert_cmpuint(f->chain.iov[i].iov_len, <=, (size_t)(ram + RAM_SIZE - base));
	}
}

static void assert_broken(struct fixture *f, const char *words)
{
	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, -EPROTO);
	g_assert_nonnull(f->vq.broken);
	g_test_message("broken: %s", f->vq.broken);
	g_assert_nonnull(strstr(f->vq.broken, words));
	assert_inside_ram(f);
	/* Broken stays broken: nothing more comes out of the queue. */
	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, -EPROTO);
}

static void test_empty(struct fixture *f, gconstpointer data)
{
	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, 0);
	g_assert_null(f->vq.broken);
}

/* Two readable buffers then one writable: a request and room for the reply. */
static void test_chain(struct fixture *f, gconstpointer data)
{
	static const char request[] = "hello";

	g_assert_cmpint(hv_ram_write(f->vm, BUF, request, 5), ==, 0);
	desc(f, 3, BUF, 2, VIRTQ_DESC_F_NEXT, 5);
	desc(f, 5, BUF + 2, 3, VIRTQ_DESC_F_NEXT, 1);
	desc(f, 1, BUF + 0x100, 64, VIRTQ_DESC_F_WRITE, 0);
	publish(f, 3);

	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, 1);
	g_assert_cmpuint(f->chain.head, ==, 3);
	g_assert_cmpuint(f->chain.readable, ==, 2);
	g_assert_cmpuint(f->chain.writable, ==, 1);
	g_assert_cmpuint(f->chain.readable_bytes, ==, 5);
	g_assert_cmpuint(f->chain.writable_bytes, ==, 64);
	assert_inside_ram(f);

	char got[8] = {0};
	g_assert_cmpuint(virtq_chain_read(&f->chain, got, sizeof(got)), ==, 5);
	g_assert_cmpstr(got, ==, "hello");
	g_assert_cmpuint(virtq_chain_write(&f->chain, "world", 5), ==, 5);

	g_assert_cmpint(virtq_push(&f->vq, f->chain.head, 5), ==, 0);
	g_assert_cmpuint(ring_used_idx(&f->ring), ==, 1);
	g_assert_cmpuint(ring_used_id(&f->ring, 0), ==, 3);
	g_assert_cmpuint(ring_used_len(&f->ring, 0), ==, 5);
	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, 0);
}

static void test_indirect(struct fixture *f, gconstpointer data)
{
	desc_at(f, INDIRECT, 0, BUF, 16, VIRTQ_DESC_F_NEXT, 2);
	desc_at(f, INDIRECT, 2, BUF + 16, 16, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc_at(f, INDIRECT, 1, BUF + 32, 16, VIRTQ_DESC_F_WRITE, 0);
	desc(f, 0, INDIRECT, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);

	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, 1);
	g_assert_cmpuint(f->chain.readable, ==, 1);
	g_assert_cmpuint(f->chain.writable, ==, 2);
	assert_inside_ram(f);
}

/* Many requests round the ring, more than its size in total. */
static void test_wraps(struct fixture *f, gconstpointer data)
{
	for (unsigned n = 0; n < 3 * QUEUE_SIZE; n++) {
		desc(f, n % QUEUE_SIZE, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
		publish(f, n % QUEUE_SIZE);
		g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, 1);
		g_assert_cmpuint(f->chain.head, ==, n % QUEUE_SIZE);
		g_assert_cmpint(virtq_push(&f->vq, f->chain.head, 8), ==, 0);
	}
	g_assert_cmpuint(ring_used_idx(&f->ring), ==, 3 * QUEUE_SIZE);
}

static void push_one(struct fixture *f)
{
	desc(f, 0, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
	publish(f, 0);
	g_assert_cmpint(virtq_pop(&f->vq, &f->chain), ==, 1);
	g_assert_cmpint(virtq_push(&f->vq, 0, 8), ==, 0);
}

/* Without EVENT_IDX: interrupt unless the driver set VIRTQ_AVAIL_F_NO_INTERRUPT. */
static void test_no_interrupt_flag(struct fixture *f, gconstpointer data)
{
	g_assert_false(virtq_should_interrupt(&f->vq)); /* nothing used yet */
	push_one(f);
	g_assert_true(virtq_should_interrupt(&f->vq));
	g_assert_false(virtq_should_interrupt(&f->vq));       /* nothing new since */
	ring_put16(f->vm, AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT); /* avail->flags */
	push_one(f);
	g_assert_false(virtq_should_interrupt(&f->vq));
}

/*
 * EVENT_IDX: the driver asks to hear only once used->idx passes used_event;
 * we tell it the avail->idx we want to hear about in avail_event.
 */
static void test_event_idx(struct fixture *f, gconstpointer data)
{
	uint64_t used_event = ring_used_event_gpa(&f->ring.layout);
	uint64_t avail_event = ring_avail_event_gpa(&f->ring.layout);

	start(f, true, true);
	ring_put16(f->vm, used_event, 0);
	push_one(f); /* used->idx 0 -> 1 crosses used_event 0 */
	g_assert_true(virtq_should_interrupt(&f->vq));

	ring_put16(f->vm, used_event, 3); /* "tell me when entry 3 is used" */
	push_one(f);                      /* 1 -> 2 */
	g_assert_false(virtq_should_interrupt(&f->vq));
	push_one(f); /* 2 -> 3 */
	g_assert_false(virtq_should_interrupt(&f->vq));
	push_one(f); /* 3 -> 4: entry 3 is used */
	g_assert_true(virtq_should_interrupt(&f->vq));

	/* Two at once, jumping over used_event, still interrupts. */
	ring_put16(f->vm, used_event, 4);
	push_one(f);
	push_one(f);
	g_assert_true(virtq_should_interrupt(&f->vq));

	/* arm: avail_event is where we are; nothing new is waiting. */
	g_assert_false(virtq_arm_notification(&f->vq));
	g_assert_cmpuint(ring_get16(f->vm, avail_event), ==, f->ring.avail_idx);
	desc(f, 0, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
	publish(f, 0);
	g_assert_true(virtq_arm_notification(&f->vq));

	g_assert_true(virtq_need_event(5, 6, 5));
	g_assert_false(virtq_need_event(6, 6, 5));
	g_assert_true(virtq_need_event(0xffff, 1, 0xfffe)); /* across the wrap */
}

static void test_loop(struct fixture *f, gconstpointer data)
{
	desc(f, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	desc(f, 1, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
	publish(f, 0);
	assert_broken(f, "longer than the queue");
}

static void test_self_loop_writable(struct fixture *f, gconstpointer data)
{
	desc(f, 2, BUF, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	publish(f, 2);
	assert_broken(f, "longer than the queue");
}

static void test_head_out_of_range(struct fixture *f, gconstpointer data)
{
	publish(f, QUEUE_SIZE);
	assert_broken(f, "head index");
}

static void test_next_out_of_range(struct fixture *f, gconstpointer data)
{
	desc(f, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 0xffff);
	publish(f, 0);
	assert_broken(f, "beyond its table");
}

/* Three direct descriptors and an indirect table of the queue's size: one too many. */
static void test_chain_longer_than_queue(struct fixture *f, gconstpointer data)
{
	for (unsigned i = 0; i < QUEUE_SIZE; i++)
		desc_at(f, INDIRECT, i, BUF, 8, i + 1 < QUEUE_SIZE ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	desc(f, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	desc(f, 1, INDIRECT, 16 * QUEUE_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "longer than the queue");
}

static void test_outside_ram(struct fixture *f, gconstpointer data)
{
	desc(f, 0, RAM + RAM_SIZE - 4, 8, VIRTQ_DESC_F_WRITE, 0);
	publish(f, 0);
	assert_broken(f, "outside guest RAM");
}

static void test_below_ram(struct fixture *f, gconstpointer data)
{
	desc(f, 0, 0x1000, 8, 0, 0);
	publish(f, 0);
	assert_broken(f, "outside guest RAM");
}

static void test_length_overflow(struct fixture *f, gconstpointer data)
{
	desc(f, 0, UINT64_MAX - 4, 0x100, 0, 0);
	publish(f, 0);
	assert_broken(f, "wraps around");
}

static void test_huge_length(struct fixture *f, gconstpointer data)
{
	desc(f, 0, BUF, UINT32_MAX, VIRTQ_DESC_F_WRITE, 0);
	publish(f, 0);
	assert_broken(f, "outside guest RAM");
}

static void test_indirect_in_indirect(struct fixture *f, gconstpointer data)
{
	desc_at(f, INDIRECT2, 0, BUF, 8, 0, 0);
	desc_at(f, INDIRECT, 0, INDIRECT2, 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc(f, 0, INDIRECT, 16, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "inside an indirect table");
}

static void test_indirect_bad_length(struct fixture *f, gconstpointer data)
{
	desc(f, 0, INDIRECT, 20, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "multiple of 16");
}

static void test_indirect_zero_length(struct fixture *f, gconstpointer data)
{
	desc(f, 0, INDIRECT, 0, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "multiple of 16");
}

static void test_indirect_outside_ram(struct fixture *f, gconstpointer data)
{
	desc(f, 0, RAM + RAM_SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "outside guest RAM");
}

static void test_indirect_with_next(struct fixture *f, gconstpointer data)
{
	desc_at(f, INDIRECT, 0, BUF, 8, 0, 0);
	desc(f, 0, INDIRECT, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
	publish(f, 0);
	assert_broken(f, "NEXT");
}

static void test_indirect_not_negotiated(struct fixture *f, gconstpointer data)
{
	start(f, false, false);
	desc_at(f, INDIRECT, 0, BUF, 8, 0, 0);
	desc(f, 0, INDIRECT, 16, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "without VIRTIO_F_RING_INDIRECT_DESC");
}

static void test_indirect_loop(struct fixture *f, gconstpointer data)
{
	desc_at(f, INDIRECT, 0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	desc_at(f, INDIRECT, 1, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
	desc(f, 0, INDIRECT, 32, VIRTQ_DESC_F_INDIRECT, 0);
	publish(f, 0);
	assert_broken(f, "longer than the queue");
}

static void test_readable_after_writable(struct fixture *f, gconstpointer data)
{
	desc(f, 0, BUF, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(f, 1, BUF + 8, 8, 0, 0);
	publish(f, 0);
	assert_broken(f, "readable buffer follows a device-writable");
}

static void test_avail_jump(struct fixture *f, gconstpointer data)
{
	ring_put16(f->vm, ring_avail_idx_gpa(&f->ring.layout), QUEUE_SIZE + 1);
	assert_broken(f, "jumped");
}

static void test_bad_layouts(struct fixture *f, gconstpointer data)
{
	struct virtq_layout outside = {QUEUE_SIZE, RAM + RAM_SIZE - 16, AVAIL, USED};
	struct virtq_layout misaligned = {QUEUE_SIZE, DESC + 8, AVAIL, USED};
	struct virtq_layout too_big = {VIRTQ_MAX_SIZE + 1, DESC, AVAIL, USED};
	struct virtq_layout zero = {0, DESC, AVAIL, USED};
	struct virtq_layout used_outside = {QUEUE_SIZE, DESC, AVAIL, RAM + RAM_SIZE - 8};

	g_assert_cmpint(virtq_init(&f->vq, f->vm, &outside, true, true), ==, -EPROTO);
	g_assert_cmpint(virtq_init(&f->vq, f->vm, &misaligned, true, true), ==, -EPROTO);
	g_assert_cmpint(virtq_init(&f->vq, f->vm, &too_big, true, true), ==, -EPROTO);
	g_assert_cmpint(virtq_init(&f->vq, f->vm, &zero, true, true), ==, -EPROTO);
	g_assert_cmpint(virtq_init(&f->vq, f->vm, &used_outside, true, true), ==, -EPROTO);
	g_assert_nonnull(strstr(f->vq.broken, "used ring"));
}

int main(int argc, char **argv)
{
	static const struct {
		const char *path;
		void (*fn)(struct fixture *, gconstpointer);
	} tests[] = {
	        {"/virtqueue/empty", test_empty},
	        {"/virtqueue/chain", test_chain},
	        {"/virtqueue/indirect", test_indirect},
	        {"/virtqueue/wraps", test_wraps},
	        {"/virtqueue/no-interrupt-flag", test_no_interrupt_flag},
	        {"/virtqueue/event-idx", test_event_idx},
	        {"/virtqueue/hostile/loop", test_loop},
	        {"/virtqueue/hostile/self-loop", test_self_loop_writable},
	        {"/virtqueue/hostile/head-out-of-range", test_head_out_of_range},
	        {"/virtqueue/hostile/next-out-of-range", test_next_out_of_range},
	        {"/virtqueue/hostile/chain-longer-than-queue", test_chain_longer_than_queue},
	        {"/virtqueue/hostile/outside-ram", test_outside_ram},
	        {"/virtqueue/hostile/below-ram", test_below_ram},
	        {"/virtqueue/hostile/length-overflow", test_length_overflow},
	        {"/virtqueue/hostile/huge-length", test_huge_length},
	        {"/virtqueue/hostile/indirect-in-indirect", test_indirect_in_indirect},
	        {"/virtqueue/hostile/indirect-bad-length", test_indirect_bad_length},
	        {"/virtqueue/hostile/indirect-zero-length", test_indirect_zero_length},
	        {"/virtqueue/hostile/indirect-outside-ram", test_indirect_outside_ram},
	        {"/virtqueue/hostile/indirect-with-next", test_indirect_with_next},
	        {"/virtqueue/hostile/indirect-not-negotiated", test_indirect_not_negotiated},
	        {"/virtqueue/hostile/indirect-loop", test_indirect_loop},
	        {"/virtqueue/hostile/readable-after-writable", test_readable_after_writable},
	        {"/virtqueue/hostile/avail-idx-jump", test_avail_jump},
	        {"/virtqueue/hostile/bad-layouts", test_bad_layouts},
	};

	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(tests); i++)
		g_test_add(tests[i].path, struct fixture, NULL, setup, tests[i].fn, teardown);
	return g_test_run();
}
