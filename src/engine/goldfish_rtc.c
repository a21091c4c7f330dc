// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The goldfish RTC: the guest's wall clock.
 *
 * Time is a 64-bit count of nanoseconds since the Unix epoch, read as two
 * 32-bit halves.  Reading TIME_LOW takes a snapshot of the whole value
 * and TIME_HIGH returns the upper half of that snapshot, so the two halves
 * always belong together.  Setting the time works the same way round:
 * TIME_HIGH first, and the write to TIME_LOW makes it so.  We never touch
 * the host's clock: the guest's time is the host's plus an offset.
 *
 * The alarm is written the same way (ALARM_HIGH, then ALARM_LOW arms
 * it).  When guest time reaches it, a small thread of ours marks the
 * interrupt pending, and the line is up while it is pending and enabled.
 */
#include "goldfish_rtc.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "fdt_writer.h"
#include "machine.h"

enum {
	REG_TIME_LOW = 0x00,
	REG_TIME_HIGH = 0x04,
	REG_ALARM_LOW = 0x08,
	REG_ALARM_HIGH = 0x0c,
	REG_IRQ_ENABLED = 0x10,
	REG_CLEAR_ALARM = 0x14,
	REG_ALARM_STATUS = 0x18,
	REG_CLEAR_INTERRUPT = 0x1c,
};

#define NSEC_PER_SEC 1000000000ll

struct goldfish_rtc {
	struct machine *machine;
	uint64_t base;
	unsigned irq;

	pthread_mutex_t lock;
	pthread_cond_t alarm_changed;
	uint64_t offset_ns;      /* guest time minus host time, modulo 2^64 */
	uint32_t time_high_read; /* the snapshot's upper half */
	uint32_t time_high_set;  /* written before TIME_LOW sets the time */
	uint64_t alarm_ns;
	bool alarm_armed;
	bool irq_enabled;
	bool irq_pending;
	bool stopping;
	pthread_t alarm_thread;
};

static int64_t host_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static uint64_t guest_now(const struct goldfish_rtc *r)
{
	return (uint64_t)host_ns(CLOCK_REALTIME) + r->offset_ns;
}

static void update_irq(struct goldfish_rtc *r)
{
	hv_irq_set(r->machine->vm, r->irq, r->irq_pending && r->irq_enabled);
}

static uint64_t rtc_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct goldfish_rtc *r = opaque;
	uint64_t now, value = 0;

	pthread_mutex_lock(&r->lock);
	switch (offset) {
	case REG_TIME_LOW:
		now = guest_now(r);
		r->time_high_read = (uint32_t)(now >> 32);
		value = (uint32_t)now;
		break;
	case REG_TIME_HIGH: value = r->time_high_read; break;
	case REG_ALARM_LOW: value = (uint32_t)r->alarm_ns; break;
	case REG_ALARM_HIGH: value = (uint32_t)(r->alarm_ns >> 32); break;
	case REG_IRQ_ENABLED: value = r->irq_enabled; break;
	case REG_ALARM_STATUS: value = r->alarm_armed; break;
	default: break;
	}
	pthread_mutex_unlock(&r->lock);
	return value;
}

static void set_time(struct goldfish_rtc *r, uint32_t low)
{
	uint64_t wanted = ((uint64_t)r->time_high_set << 32) | low;

	r->offset_ns = wanted - (uint64_t)host_ns(CLOCK_REALTIME);
	pthread_cond_signal(&r->alarm_changed);
}

static void arm_alarm(struct goldfish_rtc *r, uint32_t low)
{
	r->alarm_ns = (r->alarm_ns & ~0xffffffffull) | low;
	r->alarm_armed = true;
	pthread_cond_signal(&r->alarm_changed);
}

static void rtc_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct goldfish_rtc *r = opaque;
	uint32_t word = (uint32_t)value;

	pthread_mutex_lock(&r->lock);
	switch (offset) {
	case REG_TIME_LOW: set_time(r, word); break;
	case REG_TIME_HIGH: r->time_high_set = word; break;
	case REG_ALARM_LOW: arm_alarm(r, word); break;
	case REG_ALARM_HIGH: r->alarm_ns = ((uint64_t)word << 32) | (uint32_t)r->alarm_ns; break;
	case REG_IRQ_ENABLED:
		r->irq_enabled = word & 1;
		update_irq(r);
		break;
	case REG_CLEAR_ALARM: r->alarm_armed = false; break;
	case REG_CLEAR_INTERRUPT:
		r->irq_pending = false;
		update_irq(r);
		break;
	default: break;
	}
	pthread_mutex_unlock(&r->lock);
}

static const struct hv_mmio_ops rtc_mmio_ops = {
        .read = rtc_mmio_read,
        .write = rtc_mmio_write,
};

/* Sleeps on the condition for at most ns (monotonic clock). */
static void wait_at_most(struct goldfish_rtc *r, int64_t ns)
{
	int64_t until = host_ns(CLOCK_MONOTONIC) + ns;
	struct timespec deadline = {
	        .tv_sec = until / NSEC_PER_SEC,
	        .tv_nsec = until % NSEC_PER_SEC,
	};

	pthread_cond_timedwait(&r->alarm_changed, &r->lock, &deadline);
}

/*
 * The alarm thread sleeps until the alarm is due, at most a second at a
 * time so that a change of the host's clock is noticed, then raises the
 * interrupt.
 */
static void *alarm_thread(void *opaque)
{
	struct goldfish_rtc *r = opaque;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		int64_t left;

		if (!r->alarm_armed) {
			pthread_cond_wait(&r->alarm_changed, &r->lock);
			continue;
		}
		left = (int64_t)(r->alarm_ns - guest_now(r));
		if (left > 0) {
			wait_at_most(r, left < NSEC_PER_SEC ? left : NSEC_PER_SEC);
			continue;
		}
		r->alarm_armed = false;
		r->irq_pending = true;
		update_irq(r);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/*
 * A reset stops the alarm and clears the interrupt, but the clock keeps
 * its time, as a battery-backed RTC does across a reboot.
 */
static void rtc_reset(void *dev)
{
	struct goldfish_rtc *r = dev;

	pthread_mutex_lock(&r->lock);
	r->time_high_read = r->time_high_set = 0;
	r->alarm_ns = 0;
	r->alarm_armed = r->irq_enabled = r->irq_pending = false;
	update_irq(r);
	pthread_cond_signal(&r->alarm_changed);
	pthread_mutex_unlock(&r->lock);
}

static int rtc_fdt_node(struct machine *m, void *dev, struct fdt_writer *w)
{
	struct goldfish_rtc *r = dev;

	machine_fdt_begin_device(m, w, "rtc", "google,goldfish-rtc", r->base, GOLDFISH_RTC_SIZE,
	                         r->irq);
	fdtw_end_node(w);
	return 0;
}

static void rtc_free(struct goldfish_rtc *r)
{
	pthread_cond_destroy(&r->alarm_changed);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static void stop_alarm_thread(struct goldfish_rtc *r)
{
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->alarm_changed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->alarm_thread, NULL);
}

static void rtc_destroy(void *dev)
{
	stop_alarm_thread(dev);
	rtc_free(dev);
}

static const struct machine_device_ops rtc_device_ops = {
        .name = "goldfish-rtc",
        .fdt_node = rtc_fdt_node,
        .reset = rtc_reset,
        .destroy = rtc_destroy,
};

int goldfish_rtc_create(struct machine *m, uint64_t base, unsigned irq)
{
	pthread_condattr_t attr;
	struct goldfish_rtc *r;
	int err;

	if (irq == 0 || irq > HV_RISCV_PLIC_NDEV)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->machine = m;
	r->base = base;
	r->irq = irq;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->alarm_changed, &attr);
	pthread_condattr_destroy(&attr);

	err = -pthread_create(&r->alarm_thread, NULL, alarm_thread, r);
	if (err < 0)
		goto free_rtc;
	err = machine_add_device(m, &rtc_device_ops, r, base, GOLDFISH_RTC_SIZE, &rtc_mmio_ops);
	if (err < 0)
		goto stop_thread;
	return 0;

stop_thread:
	stop_alarm_thread(r);
free_rtc:
	rtc_free(r);
	return err;
}
