/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A 16550A UART: the serial port that firmware (OpenSBI, U-Boot) and
 * Linux's 8250 driver talk to before, or instead of, the SBI console.
 */
#ifndef KENNEL_ENGINE_UART16550_H
#define KENNEL_ENGINE_UART16550_H

#include <stdint.h>

struct machine;
struct console;
struct uart16550;

#define UART16550_BASE       0x10000000ull
#define UART16550_SIZE       0x100ull
#define UART16550_CLOCK_HZ   3686400u
#define UART16550_FIFO_BYTES 16

/*
 * Creates the UART at base, raising PLIC source irq, transmitting to and
 * receiving from console.  The first UART created becomes the machine's
 * stdout-path.  The machine owns the device afterwards.
 */
int uart16550_create(struct machine *m, uint64_t base, unsigned irq, struct console *console,
                     struct uart16550 **out);

#endif
