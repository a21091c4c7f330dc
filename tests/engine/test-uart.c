// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The 16550A register model, driven the way a guest driver would drive it:
 * by a real guest (mmio-guest.c) whose loads and stores reach the UART
 * through the real hv, which also shows the interrupt line's level.
 */
#include <fcntl.h>
#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "machine.h"
#include "mmio-guest.h"
#include "uart16550.h"

enum {
	RBR = 0,
	THR = 0,
	DLL = 0,
	IER = 1,
	DLM = 1,
	IIR = 2,
	FCR = 2,
	LCR = 3,
	MCR = 4,
	LSR = 5,
	MSR = 6,
	SCR = 7
};

struct fixture {
	struct machine *m;
	struct console *console;
	struct mmio_guest *guest;
	int out[2]; /* what the UART transmits comes out of out[0] */
};

static void setup(struct fixture *f, gconstpointer data)
{
	struct hv_vm_config config = {.vcpus = 1, .ram_size = 16 << 20};

	g_assert_cmpint(pipe2(f->out, O_NONBLOCK), ==, 0);
	g_assert_cmpint(console_create(f->out[1], &f->console), ==, 0);
	g_assert_cmpint(machine_create(&config, &f->m), ==, 0);
	g_assert_cmpint(uart16550_create(f->m, UART16550_BASE, HV_RISCV_IRQ_UART, f->console, NULL),
	                ==, 0);
	f->guest = mmio_guest_start(f->m);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	mmio_guest_destroy(f->guest);
	console_destroy(f->console);
	machine_destroy(f->m);
	close(f->out[0]);
	close(f->out[1]);
}

static uint8_t rd(struct fixture *f, unsigned reg)
{
	uint64_t value = mmio_guest_read(f->guest, UART16550_BASE + reg, 1);

	g_assert_cmphex(value, <=, 0xff);
	return (uint8_t)value;
}

static void wr(struct fixture *f, unsigned reg, uint8_t value)
{
	mmio_guest_write(f->guest, UART16550_BASE + reg, value, 1);
}

static bool irq(struct fixture *f)
{
	int level = hv_irq_get(f->m->vm, HV_RISCV_IRQ_UART);

	g_assert_true(level == 0 || level == 1);
	return level;
}

static void feed(struct fixture *f, const char *text)
{
	size_t len = strlen(text);

	g_assert_cmpuint(console_feed(f->console, (const uint8_t *)text, len, false), ==, len);
}

static gchar *transmitted(struct fixture *f)
{
	char buf[256];
	ssize_t n = read(f->out[0], buf, sizeof(buf) - 1);

	return g_strndup(buf, n > 0 ? (gsize)n : 0);
}

static void test_reset_state(struct fixture *f, gconstpointer data)
{
	g_assert_true(mmio_guest_mapped(f->guest, UART16550_BASE));
	g_assert_true(mmio_guest_mapped(f->guest, UART16550_BASE + UART16550_SIZE - 1));
	g_assert_false(mmio_guest_mapped(f->guest, UART16550_BASE + UART16550_SIZE));
	g_assert_cmphex(rd(f, IER), ==, 0x00);
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	g_assert_cmphex(rd(f, LCR), ==, 0x00);
	g_assert_cmphex(rd(f, MCR), ==, 0x00);
	g_assert_cmphex(rd(f, LSR), ==, 0x60); /* THRE | TEMT */
	g_assert_cmphex(rd(f, MSR), ==, 0xb0); /* DCD | DSR | CTS, no deltas */
	g_assert_false(irq(f));
}

static void test_dlab(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;

	wr(f, IER, 0x05);
	wr(f, LCR, 0x83); /* DLAB, 8 bits */
	wr(f, DLL, 0x02);
	wr(f, DLM, 0x01);
	g_assert_cmphex(rd(f, DLL), ==, 0x02);
	g_assert_cmphex(rd(f, DLM), ==, 0x01);
	g_assert_cmphex(rd(f, LCR), ==, 0x83);
	wr(f, LCR, 0x03);
	g_assert_cmphex(rd(f, IER), ==, 0x05); /* untouched by the DLM write */
	out = transmitted(f);
	g_assert_cmpstr(out, ==, ""); /* the DLL write sent nothing */
	wr(f, LCR, 0x83);
	g_assert_cmphex(rd(f, DLL), ==, 0x02); /* the divisor stays */
}

static void test_transmit(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;

	for (const char *p = "hello\r\n"; *p; p++) {
		g_assert_cmphex(rd(f, LSR) & 0x60, ==, 0x60);
		wr(f, THR, (uint8_t)*p);
	}
	out = transmitted(f);
	g_assert_cmpstr(out, ==, "hello\r\n");
	g_assert_cmphex(rd(f, LSR), ==, 0x60);
}

static void test_receive(struct fixture *f, gconstpointer data)
{
	g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0);
	g_assert_cmphex(rd(f, RBR), ==, 0);
	feed(f, "abc");
	g_assert_cmphex(rd(f, LSR), ==, 0x61);
	g_assert_cmphex(rd(f, RBR), ==, 'a');
	g_assert_cmphex(rd(f, RBR), ==, 'b');
	g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0x01);
	g_assert_cmphex(rd(f, RBR), ==, 'c');
	g_assert_cmphex(rd(f, LSR), ==, 0x60);
}

static void test_rx_interrupt(struct fixture *f, gconstpointer data)
{
	wr(f, IER, 0x01);
	g_assert_false(irq(f));
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	feed(f, "xy");
	g_assert_true(irq(f)); /* raised by the arrival itself, not by a register access */
	g_assert_cmphex(rd(f, IIR), ==, 0x04);
	g_assert_cmphex(rd(f, RBR), ==, 'x');
	g_assert_true(irq(f));
	g_assert_cmphex(rd(f, RBR), ==, 'y');
	g_assert_false(irq(f)); /* lowered when no cause remains */
	g_assert_cmphex(rd(f, IIR), ==, 0x01);

	feed(f, "z");
	g_assert_true(irq(f));
	wr(f, IER, 0x00); /* disabling the cause lowers the line too */
	g_assert_false(irq(f));
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	wr(f, IER, 0x01);
	g_assert_true(irq(f));
}

static void test_fifo(struct fixture *f, gconstpointer data)
{
	char got[21] = {0};

	wr(f, FCR, 0x87); /* enable, clear both, trigger level 8 */
	g_assert_cmphex(rd(f, IIR), ==, 0xc1);
	wr(f, IER, 0x01);
	feed(f, "012");
	g_assert_cmphex(rd(f, IIR), ==, 0xcc); /* below the trigger level: timeout */
	feed(f, "3456789abcdefghij");
	g_assert_cmphex(rd(f, IIR), ==, 0xc4); /* at or above it: data available */
	for (int i = 0; i < 20; i++) {
		g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0x01);
		got[i] = (char)rd(f, RBR);
	}
	g_assert_cmpstr(got, ==, "0123456789abcdefghij");
	g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0);
	g_assert_false(irq(f));

	/* Trigger level 1: one byte is "data available". */
	wr(f, FCR, 0x01);
	feed(f, "q");
	g_assert_cmphex(rd(f, IIR), ==, 0xc4);
	g_assert_cmphex(rd(f, RBR), ==, 'q');
	/* FIFO off: the IIR's top bits go back to 0. */
	wr(f, FCR, 0x00);
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
}

static void test_thr_empty_interrupt(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;

	/* The check Linux's 8250 driver makes at startup. */
	wr(f, IER, 0x02);
	g_assert_true(irq(f));
	g_assert_cmphex(rd(f, IIR), ==, 0x02);
	g_assert_false(irq(f)); /* reading IIR acknowledged it */
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	wr(f, IER, 0x00);
	wr(f, IER, 0x02);
	g_assert_cmphex(rd(f, IIR), ==, 0x02); /* enabling it again raises it again */
	/* Writing THR: once the byte is out, THR is empty and the interrupt is back. */
	wr(f, THR, 'A');
	g_assert_true(irq(f));
	g_assert_cmphex(rd(f, IIR), ==, 0x02);
	/* Rewriting IER with the bit still set raises nothing new. */
	wr(f, IER, 0x02);
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	wr(f, IER, 0x00);
	g_assert_false(irq(f));
	out = transmitted(f);
	g_assert_cmpstr(out, ==, "A");
}

static void test_iir_priority(struct fixture *f, gconstpointer data)
{
	wr(f, IER, 0x0f);
	wr(f, MCR, 0x10); /* loopback: modem inputs change, so MSR has deltas */
	g_assert_true(irq(f));
	/* THR empty (raised by enabling ETBEI) outranks modem status. */
	g_assert_cmphex(rd(f, IIR), ==, 0x02);
	g_assert_cmphex(rd(f, IIR), ==, 0x00); /* then modem status */
	g_assert_cmphex(rd(f, MSR) & 0x0f, !=, 0);
	g_assert_cmphex(rd(f, IIR), ==, 0x01); /* reading MSR cleared it */
	g_assert_false(irq(f));

	/* In loopback, 17 bytes overrun the 16-byte FIFO: line status comes first. */
	for (int i = 0; i < 17; i++)
		wr(f, THR, (uint8_t)('a' + i));
	g_assert_cmphex(rd(f, IIR), ==, 0x06);
	g_assert_cmphex(rd(f, LSR), ==, 0x63); /* THRE | TEMT | OE | DR */
	g_assert_cmphex(rd(f, IIR), ==, 0x04); /* then received data */
	for (int i = 0; i < 16; i++)
		g_assert_cmphex(rd(f, RBR), ==, 'a' + i);
	g_assert_cmphex(rd(f, IIR), ==, 0x02); /* then THR empty, which this read acknowledges */
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	g_assert_false(irq(f));
}

static void test_loopback(struct fixture *f, gconstpointer data)
{
	g_autofree gchar *out = NULL;

	/* Linux's 8250 loopback probe: RTS and OUT2 come back as CTS and DCD. */
	wr(f, MCR, 0x1a);
	g_assert_cmphex(rd(f, MSR) & 0xf0, ==, 0x90);
	wr(f, MCR, 0x1f);
	g_assert_cmphex(rd(f, MSR) & 0xf0, ==, 0xf0);
	wr(f, MCR, 0x1b); /* OUT1 (RI) off: trailing edge of RI */
	g_assert_cmphex(rd(f, MSR) & 0x04, ==, 0x04);
	feed(f, "h"); /* host input waits while the UART talks to itself */
	wr(f, THR, 0x55);
	g_assert_cmphex(rd(f, RBR), ==, 0x55);
	g_assert_cmphex(rd(f, LSR) & 0x01, ==, 0);
	out = transmitted(f);
	g_assert_cmpstr(out, ==, "");
	wr(f, MCR, 0x00);
	g_assert_cmphex(rd(f, MSR) & 0xf0, ==, 0xb0);
	g_assert_cmphex(rd(f, RBR), ==, 'h');
}

static void test_scratch(struct fixture *f, gconstpointer data)
{
	wr(f, SCR, 0xa5);
	g_assert_cmphex(rd(f, SCR), ==, 0xa5);
	wr(f, IER, 0xff);
	g_assert_cmphex(rd(f, IER), ==, 0x0f); /* only four enable bits exist */
}

static void test_input_not_swallowed(struct fixture *f, gconstpointer data)
{
	/* The guest reading the SBI console instead must see every byte. */
	feed(f, "ok");
	(void)rd(f, LSR);
	(void)rd(f, IIR);
	wr(f, FCR, 0x07); /* a FIFO reset clears the UART, not the host's line */
	g_assert_cmpint(console_read_byte(f->console), ==, 'o');
	g_assert_cmpint(console_read_byte(f->console), ==, 'k');
	g_assert_cmpint(console_read_byte(f->console), ==, -1);
}

/*
 * The guest is untrusted: any access, any value, any size, never a crash.
 * Every aligned access must reach the UART (its whole region is mapped);
 * misaligned ones trap in this hv and never get to the device.
 */
static void test_any_access(struct fixture *f, gconstpointer data)
{
	enum { COUNT = 200000 };
	static const unsigned sizes[] = {1, 2, 4, 8};
	GRand *rand = g_rand_new_with_seed(1234);
	struct mmio_access *x = g_new0(struct mmio_access, COUNT);
	unsigned reached = 0;

	feed(f, "some input");
	wr(f, MCR, 0x10);
	for (int i = 0; i < COUNT; i++) {
		uint64_t offset = g_rand_int_range(rand, 0, UART16550_SIZE);
		unsigned size = sizes[g_rand_int_range(rand, 0, 4)];
		uint64_t value = (uint64_t)g_rand_int(rand) << 32 | g_rand_int(rand);

		/* Keep loopback on, so that stdout is left alone. */
		if (offset == MCR)
			value |= 0x10;
		x[i] = (struct mmio_access){.gpa = UART16550_BASE + offset,
		                            .value = value,
		                            .size = size,
		                            .write = g_rand_boolean(rand)};
	}
	g_assert_cmpint(mmio_guest_run(f->guest, x, COUNT), ==, MMIO_GUEST_DONE);
	for (int i = 0; i < COUNT; i++) {
		if (x[i].gpa % x[i].size == 0) {
			g_assert_cmpuint(x[i].fault, ==, 0);
			if (!x[i].write)
				g_assert_cmphex(x[i].result, <=, 0xff); /* byte registers */
			reached++;
		} else if (x[i].fault) {
			/* This hv refuses misaligned device accesses: an access fault. */
			g_assert_cmpuint(x[i].fault, ==, x[i].write ? 7 : 5);
		}
	}
	g_assert_cmpuint(reached, >, COUNT / 3);
	g_assert_cmphex(mmio_guest_read(f->guest, UART16550_BASE + 0x80, 4), ==, 0);
	g_assert_false(mmio_guest_exit_requested(f->guest));
	machine_reset_devices(f->m);
	g_assert_cmphex(rd(f, IER), ==, 0x00);
	g_assert_cmphex(rd(f, LCR), ==, 0x00);
	g_assert_cmphex(rd(f, MCR), ==, 0x00);
	g_assert_cmphex(rd(f, IIR), ==, 0x01);
	g_assert_false(irq(f));
	g_free(x);
	g_rand_free(rand);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add(name, struct fixture, NULL, setup, fn, teardown)
	ADD("/uart/reset-state", test_reset_state);
	ADD("/uart/dlab", test_dlab);
	ADD("/uart/transmit", test_transmit);
	ADD("/uart/receive", test_receive);
	ADD("/uart/rx-interrupt", test_rx_interrupt);
	ADD("/uart/fifo", test_fifo);
	ADD("/uart/thr-empty-interrupt", test_thr_empty_interrupt);
	ADD("/uart/iir-priority", test_iir_priority);
	ADD("/uart/loopback", test_loopback);
	ADD("/uart/scratch", test_scratch);
	ADD("/uart/input-not-swallowed", test_input_not_swallowed);
	ADD("/uart/any-access", test_any_access);
#undef ADD
	return g_test_run();
}
