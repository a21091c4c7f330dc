/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host terminal in raw mode: every key goes to the guest as typed
 * (Ctrl-C included), and the terminal is put back however the engine ends.
 */
#ifndef KENNEL_ENGINE_TERM_H
#define KENNEL_ENGINE_TERM_H

/*
 * Puts the terminal on fd into raw mode and arranges for it to be
 * restored at exit and on a fatal signal.  Returns 0 or -errno.
 */
int term_raw_enable(int fd);
/* Restores the terminal now (safe to call more than once, and from a signal handler). */
void term_restore(void);

#endif
