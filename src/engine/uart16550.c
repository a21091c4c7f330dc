// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The 16550A UART.
 *
 * Eight byte-wide registers, some of which mean two things: offset 0 is
 * the receive buffer when read and the transmit holding register when
 * written, offset 2 is the interrupt identification when read and the FIFO
 * control when written, and while the Divisor Latch Access Bit (LCR bit 7)
 * is set, offsets 0 and 1 are the baud-rate divisor instead.  The numbers
 * below are the datasheet's.
 *
 * Our line has no wire and no speed.  A byte written to THR is on the
 * host's stdout at once, so the transmitter is always empty.  Received
 * bytes come from the console's input queue, which acts as the UART's
 * receive FIFO: a byte leaves the queue only when the guest reads RBR.
 * The divisor is kept (a driver reads it back) but changes nothing.
 *
 * The interrupt line is level-triggered: after every register access or
 * arrival of input we work out whether any enabled cause is pending, and
 * set the line to exactly that.
 */
#include "uart16550.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "console.h"
#include "fdt_writer.h"
#include "machine.h"

/* Register offsets. */
enum {
	REG_RBR_THR_DLL = 0,
	REG_IER_DLM = 1,
	REG_IIR_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7,
};

/* Interrupt Enable Register. */
#define IER_RX_DATA     0x01 /* ERBFI: received data available */
#define IER_THR_EMPTY   0x02 /* ETBEI: transmitter holding register empty */
#define IER_LINE_STATUS 0x04 /* ELSI: receiver line status */
#define IER_MODEM       0x08 /* EDSSI: modem status */
#define IER_MASK        0x0f

/* Interrupt Identification Register: bit 0 set means "nothing pending". */
#define IIR_NONE         0x01
#define IIR_LINE_STATUS  0x06 /* highest priority */
#define IIR_RX_DATA      0x04
#define IIR_RX_TIMEOUT   0x0c /* fewer bytes than the trigger level are waiting */
#define IIR_THR_EMPTY    0x02
#define IIR_MODEM        0x00 /* lowest priority */
#define IIR_FIFO_ENABLED 0xc0

/* FIFO Control Register. */
#define FCR_ENABLE        0x01
#define FCR_CLEAR_RX      0x02
#define FCR_CLEAR_TX      0x04
#define FCR_TRIGGER_SHIFT 6

/* Line Control Register. */
#define LCR_DLAB 0x80

/* Modem Control Register. */
#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

/* Line Status Register. */
#define LSR_DATA_READY 0x01
#define LSR_OVERRUN    0x02
#define LSR_THR_EMPTY  0x20
#define LSR_TX_EMPTY   0x40 /* TEMT: holding and shift registers both empty */
#define LSR_ERRORS     0x1e /* overrun, parity, framing, break */

/* Modem Status Register: four "changed" bits, then the four input lines. */
#define MSR_DELTAS 0x0f
#define MSR_CTS    0x10
#define MSR_DSR    0x20
#define MSR_RI     0x40
#define MSR_DCD    0x80
#define MSR_TERI   0x04 /* RI went from on to off */

struct uart16550 {
	struct machine *machine;
	struct console *console;
	uint64_t base;
	unsigned irq;
	char node_path[48];

	pthread_mutex_t lock; /* guards the registers: any vCPU, and the input thread */
	uint8_t ier, fcr, lcr, mcr, lsr_errors, msr, scr;
	uint8_t dll, dlm;
	bool thr_empty_pending; /* the THR-empty interrupt, until IIR is read or THR written */
	bool irq_level;         /* what we last told the PLIC */

	/* Loopback mode (MCR bit 4): what the guest transmits comes back here. */
	uint8_t loop_fifo[UART16550_FIFO_BYTES];
	unsigned loop_head, loop_count;
};

static bool fifo_enabled(const struct uart16550 *u)
{
	return u->fcr & FCR_ENABLE;
}

static unsigned rx_trigger_level(const struct uart16550 *u)
{
	static const unsigned levels[4] = {1, 4, 8, 14};

	return levels[u->fcr >> FCR_TRIGGER_SHIFT];
}

/* How many received bytes the guest could read now (at most a FIFO's worth). */
static unsigned rx_available(struct uart16550 *u)
{
	size_t pending;

	if (u->mcr & MCR_LOOP)
		return u->loop_count;
	pending = u->console ? console_pending(u->console) : 0;
	return pending > UART16550_FIFO_BYTES ? UART16550_FIFO_BYTES : (unsigned)pending;
}

static int rx_take_byte(struct uart16550 *u)
{
	int byte;

	if (u->mcr & MCR_LOOP) {
		if (u->loop_count == 0)
			return -1;
		byte = u->loop_fifo[u->loop_head];
		u->loop_head = (u->loop_head + 1) % UART16550_FIFO_BYTES;
		u->loop_count--;
		return byte;
	}
	return u->console ? console_read_byte(u->console) : -1;
}

static void loop_put_byte(struct uart16550 *u, uint8_t byte)
{
	if (u->loop_count == UART16550_FIFO_BYTES) {
		u->lsr_errors |= LSR_OVERRUN;
		return;
	}
	u->loop_fifo[(u->loop_head + u->loop_count) % UART16550_FIFO_BYTES] = byte;
	u->loop_count++;
}

/*
 * The modem inputs.  Normally the host end is always ready: CTS, DSR and
 * DCD on.  In loopback the outputs are wired back to the inputs: RTS to
 * CTS, DTR to DSR, OUT1 to RI and OUT2 to DCD.
 */
static uint8_t modem_inputs(const struct uart16550 *u)
{
	uint8_t in = 0;

	if (!(u->mcr & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	if (u->mcr & MCR_RTS)
		in |= MSR_CTS;
	if (u->mcr & MCR_DTR)
		in |= MSR_DSR;
	if (u->mcr & MCR_OUT1)
		in |= MSR_RI;
	if (u->mcr & MCR_OUT2)
		in |= MSR_DCD;
	return in;
}

/* Records changed modem inputs in the MSR's delta bits. */
static void update_modem_status(struct uart16550 *u)
{
	uint8_t old = u->msr & ~MSR_DELTAS, now = modem_inputs(u);
	uint8_t changed = old ^ now;
	uint8_t deltas = u->msr & MSR_DELTAS;

	if (changed & MSR_CTS)
		deltas |= 0x01;
	if (changed & MSR_DSR)
		deltas |= 0x02;
	if ((old & MSR_RI) && !(now & MSR_RI))
		deltas |= MSR_TERI;
	if (changed & MSR_DCD)
		deltas |= 0x08;
	u->msr = now | deltas;
}

/* The interrupt identification, highest-priority cause first. */
static uint8_t pending_interrupt(struct uart16550 *u)
{
	unsigned available;

	if ((u->ier & IER_LINE_STATUS) && (u->lsr_errors & LSR_ERRORS))
		return IIR_LINE_STATUS;
	if (u->ier & IER_RX_DATA) {
		available = rx_available(u);
		if (available > 0) {
			if (fifo_enabled(u) && available < rx_trigger_level(u))
				return IIR_RX_TIMEOUT;
			return IIR_RX_DATA;
		}
	}
	if ((u->ier & IER_THR_EMPTY) && u->thr_empty_pending)
		return IIR_THR_EMPTY;
	if ((u->ier & IER_MODEM) && (u->msr & MSR_DELTAS))
		return IIR_MODEM;
	return IIR_NONE;
}

/* Sets the line to whether any enabled cause remains.  Called with the lock held. */
static void update_irq(struct uart16550 *u)
{
	bool level = pending_interrupt(u) != IIR_NONE;

	if (level != u->irq_level) {
		u->irq_level = level;
		hv_irq_set(u->machine->vm, u->irq, level);
	}
}

static uint8_t read_lsr(struct uart16550 *u)
{
	uint8_t lsr = LSR_THR_EMPTY | LSR_TX_EMPTY | u->lsr_errors;

	if (rx_available(u) > 0)
		lsr |= LSR_DATA_READY;
	u->lsr_errors = 0; /* reading the LSR clears the error bits */
	return lsr;
}

static uint8_t read_iir(struct uart16550 *u)
{
	uint8_t iir = pending_interrupt(u);

	/* Reading IIR while it names THR-empty acknowledges that interrupt. */
	if (iir == IIR_THR_EMPTY)
		u->thr_empty_pending = false;
	if (fifo_enabled(u))
		iir |= IIR_FIFO_ENABLED;
	return iir;
}

static uint8_t read_register(struct uart16550 *u, unsigned reg)
{
	bool dlab = u->lcr & LCR_DLAB;
	uint8_t value;
	int byte;

	switch (reg) {
	case REG_RBR_THR_DLL:
		if (dlab)
			return u->dll;
		byte = rx_take_byte(u);
		return byte < 0 ? 0 : (uint8_t)byte;
	case REG_IER_DLM: return dlab ? u->dlm : u->ier;
	case REG_IIR_FCR: return read_iir(u);
	case REG_LCR: return u->lcr;
	case REG_MCR: return u->mcr;
	case REG_LSR: return read_lsr(u);
	case REG_MSR:
		value = u->msr;
		u->msr &= ~MSR_DELTAS; /* reading the MSR clears the delta bits */
		return value;
	case REG_SCR: return u->scr;
	default: return 0;
	}
}

static void transmit(struct uart16550 *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP)
		loop_put_byte(u, byte);
	else if (u->console)
		console_write(u->console, &byte, 1);
	/* The byte is gone at once, so the holding register is empty again. */
	u->thr_empty_pending = true;
}

static void write_ier(struct uart16550 *u, uint8_t value)
{
	uint8_t old = u->ier;

	u->ier = value & IER_MASK;
	/* Enabling the THR-empty interrupt while THR is empty raises it. */
	if (!(old & IER_THR_EMPTY) && (u->ier & IER_THR_EMPTY))
		u->thr_empty_pending = true;
}

static void write_fcr(struct uart16550 *u, uint8_t value)
{
	/* Turning the FIFOs on or off empties them, as does the clear bit. */
	if (((value ^ u->fcr) & FCR_ENABLE) || (value & FCR_CLEAR_RX))
		u->loop_head = u->loop_count = 0;
	/* Only the FIFO enable and trigger level are remembered. */
	u->fcr = value & (FCR_ENABLE | (3u << FCR_TRIGGER_SHIFT));
	if (!(u->fcr & FCR_ENABLE))
		u->fcr = 0;
}

static void write_mcr(struct uart16550 *u, uint8_t value)
{
	if ((u->mcr ^ value) & MCR_LOOP)
		u->loop_head = u->loop_count = 0;
	u->mcr = value & MCR_MASK;
	update_modem_status(u);
}

static void write_register(struct uart16550 *u, unsigned reg, uint8_t value)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_RBR_THR_DLL:
		if (dlab)
			u->dll = value;
		else
			transmit(u, value);
		break;
	case REG_IER_DLM:
		if (dlab)
			u->dlm = value;
		else
			write_ier(u, value);
		break;
	case REG_IIR_FCR: write_fcr(u, value); break;
	case REG_LCR: u->lcr = value; break;
	case REG_MCR: write_mcr(u, value); break;
	case REG_SCR: u->scr = value; break;
	default: break; /* LSR and MSR are read-only */
	}
}

/*
 * The registers are bytes at offsets 0..7 (reg-shift 0).  A wider access
 * reads or writes the low byte; anything past the eighth byte reads as
 * zero and ignores writes.
 */
static uint64_t uart_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct uart16550 *u = opaque;
	uint8_t value = 0;

	if (offset >= 8)
		return 0;
	pthread_mutex_lock(&u->lock);
	value = read_register(u, (unsigned)offset);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return value;
}

static void uart_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct uart16550 *u = opaque;

	if (offset >= 8)
		return;
	pthread_mutex_lock(&u->lock);
	write_register(u, (unsigned)offset, (uint8_t)value);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static const struct hv_mmio_ops uart_mmio_ops = {
        .read = uart_mmio_read,
        .write = uart_mmio_write,
};

/* Input arrived on the console: the receive interrupt may now be due. */
static void uart_input_ready(void *opaque)
{
	struct uart16550 *u = opaque;

	pthread_mutex_lock(&u->lock);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

/* The power-on state: everything off, transmitter empty. */
static void uart_reset(void *dev)
{
	struct uart16550 *u = dev;

	pthread_mutex_lock(&u->lock);
	u->ier = u->fcr = u->lcr = u->mcr = u->lsr_errors = u->scr = 0;
	u->dll = u->dlm = 0;
	u->thr_empty_pending = false;
	u->loop_head = u->loop_count = 0;
	u->msr = modem_inputs(u);
	u->irq_level = false;
	hv_irq_set(u->machine->vm, u->irq, false);
	pthread_mutex_unlock(&u->lock);
}

static int uart_fdt_node(struct machine *m, void *dev, struct fdt_writer *w)
{
	struct uart16550 *u = dev;

	machine_fdt_begin_device(m, w, "serial", "ns16550a", u->base, UART16550_SIZE, u->irq);
	fdtw_u32(w, "clock-frequency", UART16550_CLOCK_HZ);
	fdtw_u32(w, "reg-shift", 0);
	fdtw_u32(w, "reg-io-width", 1);
	fdtw_end_node(w);
	return 0;
}

static void uart_destroy(void *dev)
{
	struct uart16550 *u = dev;

	pthread_mutex_destroy(&u->lock);
	free(u);
}

static const struct machine_device_ops uart_device_ops = {
        .name = "uart16550",
        .fdt_node = uart_fdt_node,
        .reset = uart_reset,
        .destroy = uart_destroy,
};

int uart16550_create(struct machine *m, uint64_t base, unsigned irq, struct console *console,
                     struct uart16550 **out)
{
	struct uart16550 *u;
	int err;

	if (irq == 0 || irq > HV_RISCV_PLIC_NDEV)
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->machine = m;
	u->console = console;
	u->base = base;
	u->irq = irq;
	u->msr = modem_inputs(u);
	pthread_mutex_init(&u->lock, NULL);
	snprintf(u->node_path, sizeof(u->node_path), "/soc/serial@%llx", (unsigned long long)base);

	err = machine_add_device(m, &uart_device_ops, u, base, UART16550_SIZE, &uart_mmio_ops);
	if (err < 0)
		goto free_uart;
	/* From here on the machine owns u. */
	if (console) {
		err = console_add_listener(console, uart_input_ready, u);
		if (err < 0)
			return err;
	}
	if (!m->stdout_path[0])
		snprintf(m->stdout_path, sizeof(m->stdout_path), "%s", u->node_path);
	if (out)
		*out = u;
	return 0;

free_uart:
	pthread_mutex_destroy(&u->lock);
	free(u);
	return err;
}
