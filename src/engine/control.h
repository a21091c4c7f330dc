/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `--control-fd N`: the engine driven by the app over GDBus.
 *
 * The app spawns the engine with one end of a socketpair as fd N and
 * speaks org.kennel.Engine1 (data/org.kennel.Engine1.xml) to it,
 * peer-to-peer.  This part owns that connection: a GLib main loop on a
 * thread of its own serves the methods, publishes the state and, once a
 * second, the statistics.  The engine's run loop (run.c) stays plain C:
 * it waits for Start, tells us the state as the guest runs and stops, and
 * finishes us before it exits.  docs/control.md has the whole story.
 */
#ifndef KENNEL_ENGINE_CONTROL_H
#define KENNEL_ENGINE_CONTROL_H

#include <stdbool.h>

struct machine;
struct control;

enum control_state {
	CONTROL_STARTING = 0, /* built and loaded; the vCPUs wait for Start */
	CONTROL_RUNNING,
	CONTROL_PAUSED,
	CONTROL_STOPPING, /* Shutdown: the power button was pressed, the timeout runs */
	CONTROL_STOPPED,  /* powered off or stopped; the engine exits next */
	CONTROL_CRASHED,  /* the guest or the hv failed; the engine exits next */
};

const char *control_state_name(enum control_state state);

/* What the control thread acts on. */
struct control_target {
	struct machine *machine;
	const char *console_path; /* the console pty's slave, or NULL */
	/*
	 * Presses the guest's power button (NULL: it has none); 0 or -errno.
	 * -EAGAIN (the guest's driver is not up yet) and -EBUSY (presses still
	 * queued) mean "press again later": Shutdown retries every 250 ms.
	 */
	int (*power_button)(void *opaque);
	/*
	 * The screen (all NULL: the guest has none).  open_display connects a
	 * new client to the VNC server and gives back the other end of its
	 * stream socket, which the caller owns; 0 or -errno.  set_display_size
	 * asks the guest for a size (0 or -errno, -EINVAL for an impossible
	 * one); get_display_size reads the current one.  Any thread.
	 */
	int (*open_display)(void *opaque, int *fd);
	int (*set_display_size)(void *opaque, unsigned width, unsigned height);
	void (*get_display_size)(void *opaque, unsigned *width, unsigned *height);
	void *opaque;
};

/* Time the guest gets to power off after Shutdown(0), and after the app hung up. */
#define CONTROL_SHUTDOWN_TIMEOUT_MS 30000
#define CONTROL_HANGUP_TIMEOUT_MS   5000

/*
 * Starts serving the connection on fd (which we own from now on).  The
 * target must outlive the control.  0 or -errno.
 */
int control_start(int fd, const struct control_target *target, struct control **out);

/*
 * Blocks until the app calls Start (0), or until the connection closed or
 * control_cancel_start() was called before that (-ECANCELED), or the
 * connection could not be set up at all (-ENOTCONN).
 */
int control_wait_start(struct control *c);
/* Wakes control_wait_start() with -ECANCELED (any thread, e.g. a signal's). */
void control_cancel_start(struct control *c);

/* The run loop's news: any thread. */
void control_set_state(struct control *c, enum control_state state);
enum control_state control_get_state(struct control *c);
void control_error(struct control *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The guest is done: publishes the last state, flushes what the app has
 * not received yet, closes the connection and frees c (NULL is fine).
 */
void control_finish(struct control *c);

#endif
