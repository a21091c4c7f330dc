// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw mode for the host terminal, and putting it back.
 *
 * A terminal left in raw mode is a broken shell for the person at it, so
 * we restore it on every way out: a normal exit (atexit) and the signals
 * that end a process with a core or an abort.  SIGINT, SIGTERM and SIGHUP
 * are handled elsewhere as clean stops, which end in exit() and so in the
 * atexit handler.
 */
#include "term.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int saved_fd = -1;
static volatile sig_atomic_t raw_active;

void term_restore(void)
{
	if (raw_active) {
		tcsetattr(saved_fd, TCSAFLUSH, &saved);
		raw_active = 0;
	}
}

static void restore_at_exit(void)
{
	term_restore();
}

/* tcsetattr() is async-signal-safe; then the signal does what it would have. */
static void fatal_signal(int sig)
{
	term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_fatal_signals(void)
{
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGQUIT, SIGTRAP};
	struct sigaction sa = {.sa_handler = fatal_signal, .sa_flags = SA_RESETHAND};

	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}

/*
 * Raw input: no line editing, no echo, no signals from Ctrl-C or Ctrl-Z,
 * no CR/LF translation or flow control.  Output processing stays on, so
 * the engine's own messages still start at the left margin.
 */
int term_raw_enable(int fd)
{
	static bool registered;
	struct termios raw;

	if (tcgetattr(fd, &saved) < 0)
		return -errno;
	raw = saved;
	raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL |
	                           IXON | IXOFF);
	raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;

	saved_fd = fd;
	if (!registered) {
		atexit(restore_at_exit);
		catch_fatal_signals();
		registered = true;
	}
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return -errno;
	raw_active = 1;
	return 0;
}
