// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The small platform devices: the sifive,test syscon (poweroff, reboot,
 * failure codes) and the goldfish RTC (time, alarm, interrupt), driven by
 * a real guest (mmio-guest.c) on the real hv, which shows the RTC's
 * interrupt line and stops the VM when the syscon asks it to.
 */
#include <glib.h>
#include <time.h>

#include "goldfish_rtc.h"
#include "machine.h"
#include "mmio-guest.h"
#include "sifive_test.h"

struct fixture {
	struct machine *m;
	struct mmio_guest *guest;
};

static void setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};

	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(sifive_test_create(f->m, SIFIVE_TEST_BASE), ==, 0);
	g_assert_cmpint(goldfish_rtc_create(f->m, GOLDFISH_RTC_BASE, HV_RISCV_IRQ_RTC), ==, 0);
	f->guest = mmio_guest_start(f->m);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	mmio_guest_destroy(f->guest);
	machine_destroy(f->m);
}

/*
 * A syscon write that must stop the VM with this reason and code.  The hv
 * keeps the first exit request only, so each write gets a fresh start.
 */
static void syscon_write_exits(struct fixture *f, uint64_t value, unsigned size,
                               enum hv_exit_reason reason, int code)
{
	struct mmio_access x = {
	        .gpa = SIFIVE_TEST_BASE, .value = value, .size = size, .write = true};
	struct hv_exit exit;

	g_assert_false(mmio_guest_exit_requested(f->guest));
	(void)mmio_guest_run(f->guest, &x, 1); /* the VM may stop before the guest says done */
	g_assert_cmpuint(x.fault, ==, 0);
	g_assert_true(mmio_guest_exit_requested(f->guest));
	exit = mmio_guest_restart(f->guest);
	g_assert_cmpint(exit.reason, ==, reason);
	g_assert_cmpint(exit.code, ==, code);
}

/* A syscon access that must leave the VM running. */
static void syscon_write_ignored(struct fixture *f, uint64_t offset, uint64_t value)
{
	mmio_guest_write(f->guest, SIFIVE_TEST_BASE + offset, value, 4);
	g_assert_false(mmio_guest_exit_requested(f->guest));
}

static void test_syscon_codes(struct fixture *f, gconstpointer data)
{
	syscon_write_exits(f, 0x5555, 4, HV_EXIT_POWEROFF, 0);
	syscon_write_exits(f, 0x7777, 4, HV_EXIT_REBOOT, 0);
	syscon_write_exits(f, 0x3333 | (42u << 16), 4, HV_EXIT_FAILURE, 42);
	syscon_write_exits(f, 0x3333 | (0xffffu << 16), 4, HV_EXIT_FAILURE, 0xffff);
	syscon_write_exits(f, 0x3333, 4, HV_EXIT_FAILURE, 0);
}

static void test_syscon_ignores(struct fixture *f, gconstpointer data)
{
	static const uint32_t ignored[] = {0, 1, 0x5554, 0x12345, 0x4444, 0xffffffff};

	for (unsigned i = 0; i < G_N_ELEMENTS(ignored); i++)
		syscon_write_ignored(f, 0, ignored[i]);
	/* Only offset 0 is the register; the rest of the page does nothing. */
	syscon_write_ignored(f, 4, 0x5555);
	syscon_write_ignored(f, 0xffc, 0x5555);
	g_assert_true(mmio_guest_mapped(f->guest, SIFIVE_TEST_BASE + SIFIVE_TEST_SIZE - 1));
	g_assert_cmphex(mmio_guest_read(f->guest, SIFIVE_TEST_BASE, 4), ==, 0);
	g_assert_false(mmio_guest_exit_requested(f->guest));
	/* A 64-bit write of the pass value still counts (its low word). */
	syscon_write_exits(f, 0xdead00000000ull | 0x5555, 8, HV_EXIT_POWEROFF, 0);
	/* And after the restart, the syscon still works. */
	syscon_write_exits(f, 0x7777, 4, HV_EXIT_REBOOT, 0);
}

static uint64_t rtc_read(struct fixture *f, unsigned reg)
{
	return mmio_guest_read(f->guest, GOLDFISH_RTC_BASE + reg, 4);
}

static void rtc_write(struct fixture *f, unsigned reg, uint32_t value)
{
	mmio_guest_write(f->guest, GOLDFISH_RTC_BASE + reg, value, 4);
}

static uint64_t rtc_time(struct fixture *f)
{
	uint64_t low = rtc_read(f, 0x00);

	return rtc_read(f, 0x04) << 32 | low;
}

static bool rtc_irq(struct fixture *f)
{
	int level = hv_irq_get(f->m->vm, HV_RISCV_IRQ_RTC);

	g_assert_true(level == 0 || level == 1);
	return level;
}

static uint64_t host_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Waits (up to 5 s) for the alarm thread to fire: ALARM_STATUS drops to 0. */
static void wait_alarm_fired(struct fixture *f)
{
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (rtc_read(f, 0x18) != 0 && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	g_assert_cmpuint(rtc_read(f, 0x18), ==, 0);
}

static void test_rtc_time(struct fixture *f, gconstpointer data)
{
	uint64_t before = host_time_ns(), t = rtc_time(f), after = host_time_ns();

	g_assert_cmpuint(t, >=, before);
	g_assert_cmpuint(t, <=, after);
	/* TIME_HIGH is the half that the last TIME_LOW read latched. */
	(void)rtc_read(f, 0x00);
	g_assert_cmpuint(rtc_read(f, 0x04), ==, t >> 32);
}

static void test_rtc_set_time(struct fixture *f, gconstpointer data)
{
	uint64_t wanted = 1000000000ull * 86400 * 365; /* 1971 */
	uint64_t t;

	rtc_write(f, 0x04, (uint32_t)(wanted >> 32));
	rtc_write(f, 0x00, (uint32_t)wanted);
	t = rtc_time(f);
	g_assert_cmpuint(t, >=, wanted);
	g_assert_cmpuint(t, <, wanted + 5000000000ull);
	machine_reset_devices(f->m); /* a reboot keeps the time, as a battery-backed RTC does */
	t = rtc_time(f);
	g_assert_cmpuint(t, >=, wanted);
	g_assert_cmpuint(t, <, wanted + 5000000000ull);
}

static void test_rtc_alarm(struct fixture *f, gconstpointer data)
{
	uint64_t alarm = rtc_time(f) + 500 * 1000000ull; /* half a second from now */
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	rtc_write(f, 0x0c, (uint32_t)(alarm >> 32));
	rtc_write(f, 0x08, (uint32_t)alarm);
	rtc_write(f, 0x10, 1);
	g_assert_cmpuint(rtc_read(f, 0x18), ==, 1); /* armed */
	g_assert_cmpuint(rtc_read(f, 0x08), ==, (uint32_t)alarm);
	g_assert_cmpuint(rtc_read(f, 0x0c), ==, alarm >> 32);
	g_assert_false(rtc_irq(f));
	while (!rtc_irq(f) && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	g_assert_true(rtc_irq(f));
	g_assert_cmpuint(rtc_time(f), >=, alarm);
	g_assert_cmpuint(rtc_read(f, 0x18), ==, 0); /* fired, no longer armed */
	rtc_write(f, 0x1c, 1);                      /* clear interrupt */
	g_assert_false(rtc_irq(f));
}

static void test_rtc_alarm_cleared(struct fixture *f, gconstpointer data)
{
	uint64_t alarm = rtc_time(f) + 30 * 1000000ull;

	rtc_write(f, 0x0c, (uint32_t)(alarm >> 32));
	rtc_write(f, 0x08, (uint32_t)alarm);
	rtc_write(f, 0x10, 1);
	rtc_write(f, 0x14, 1); /* clear alarm */
	g_assert_cmpuint(rtc_read(f, 0x18), ==, 0);
	g_usleep(100000);
	g_assert_false(rtc_irq(f));

	/* An alarm in the past fires at once, but stays masked while disabled. */
	rtc_write(f, 0x10, 0);
	rtc_write(f, 0x0c, 0);
	rtc_write(f, 0x08, 1);
	wait_alarm_fired(f);
	g_assert_false(rtc_irq(f));
	rtc_write(f, 0x10, 1);
	g_assert_true(rtc_irq(f));
	rtc_write(f, 0x1c, 1);
	g_assert_false(rtc_irq(f));

	/* A reset disarms the alarm and lowers the line. */
	rtc_write(f, 0x0c, 0);
	rtc_write(f, 0x08, 1);
	wait_alarm_fired(f);
	g_assert_true(rtc_irq(f));
	machine_reset_devices(f->m);
	g_assert_false(rtc_irq(f));
	g_assert_cmpuint(rtc_read(f, 0x10), ==, 0);
	g_assert_cmpuint(rtc_read(f, 0x18), ==, 0);
}

/* Any 32-bit access to any offset, any value: never a crash, and the whole page is mapped. */
static void test_any_access(struct fixture *f, gconstpointer data)
{
	enum { COUNT = 100000 };
	GRand *rand = g_rand_new_with_seed(99);
	struct mmio_access *x = g_new0(struct mmio_access, COUNT);
	unsigned reached = 0;

	for (int i = 0; i < COUNT; i++) {
		uint64_t offset = g_rand_int_range(rand, 0, GOLDFISH_RTC_SIZE);
		uint64_t value = (uint64_t)g_rand_int(rand) << 32 | g_rand_int(rand);

		x[i] = (struct mmio_access){.gpa = GOLDFISH_RTC_BASE + offset,
		                            .value = value,
		                            .size = 4,
		                            .write = g_rand_boolean(rand)};
	}
	g_assert_cmpint(mmio_guest_run(f->guest, x, COUNT), ==, MMIO_GUEST_DONE);
	for (int i = 0; i < COUNT; i++) {
		if (x[i].gpa % 4 == 0) {
			g_assert_cmpuint(x[i].fault, ==, 0);
			g_assert_cmphex(x[i].result, <=, 0xffffffffu);
			reached++;
		} else if (x[i].fault) {
			/* This hv refuses misaligned device accesses: an access fault. */
			g_assert_cmpuint(x[i].fault, ==, x[i].write ? 7 : 5);
		}
	}
	g_assert_cmpuint(reached, >, COUNT / 8);
	g_assert_false(mmio_guest_exit_requested(f->guest));
	g_free(x);
	g_rand_free(rand);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add(name, struct fixture, NULL, setup, fn, teardown)
	ADD("/sifive-test/codes", test_syscon_codes);
	ADD("/sifive-test/ignores", test_syscon_ignores);
	ADD("/goldfish-rtc/time", test_rtc_time);
	ADD("/goldfish-rtc/set-time", test_rtc_set_time);
	ADD("/goldfish-rtc/alarm", test_rtc_alarm);
	ADD("/goldfish-rtc/alarm-cleared", test_rtc_alarm_cleared);
	ADD("/goldfish-rtc/any-access", test_any_access);
#undef ADD
	return g_test_run();
}
