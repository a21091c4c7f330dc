/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelSupervisor: the app's side of one running guest.
 *
 * One per running guest.  It spawns `kennel-engine run ... --control-fd 3`
 * with one end of a socketpair as the engine's fd 3, speaks
 * org.kennel.Engine1 to it over the other end (peer-to-peer GDBus), and
 * turns what it hears into properties a window can bind to: the state,
 * the statistics (refreshed by the engine about once a second), the
 * display size, the last error and the tail of the engine's log (its
 * stdout and stderr, the last KENNEL_SUPERVISOR_LOG_LINES lines).
 *
 * If the engine dies without having said it stopped (a crash, SIGKILL),
 * the state becomes KENNEL_GUEST_STATE_CRASHED, last-error says how it
 * died and log-tail keeps its last words.  The profile and the disks are
 * never touched here.  Dropping the last reference closes the connection:
 * the engine then shuts its guest down and exits by itself.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KENNEL_SUPERVISOR_LOG_LINES 50

typedef enum {
	KENNEL_GUEST_STATE_STARTING, /* spawned, connecting, or waiting for start */
	KENNEL_GUEST_STATE_RUNNING,
	KENNEL_GUEST_STATE_PAUSED,
	KENNEL_GUEST_STATE_STOPPING, /* shutdown asked; the guest has until its timeout */
	KENNEL_GUEST_STATE_STOPPED,  /* the engine exited after the guest stopped */
	KENNEL_GUEST_STATE_CRASHED,  /* the guest or the engine failed; see last-error and log-tail
	                              */
} KennelGuestState;

#define KENNEL_TYPE_GUEST_STATE (kennel_guest_state_get_type())
GType kennel_guest_state_get_type(void);
/* "starting", "running", ... as on D-Bus. */
const char *kennel_guest_state_to_string(KennelGuestState state);

#define KENNEL_TYPE_SUPERVISOR (kennel_supervisor_get_type())
G_DECLARE_FINAL_TYPE(KennelSupervisor, kennel_supervisor, KENNEL, SUPERVISOR, GObject)

/*
 * The engine's command line without --control-fd (the supervisor adds
 * "--control-fd 3"), e.g. { "kennel-engine", "run", "--kernel", K, NULL }.
 */
KennelSupervisor *kennel_supervisor_new_for_argv(const char *const *argv);
/*
 * `kennel-engine run --profile PATH`; the engine is $KENNEL_ENGINE if set,
 * else kennel-engine from PATH.
 */
KennelSupervisor *kennel_supervisor_new_for_profile(const char *profile_path);

/*
 * Spawns the engine and connects to it; completes once the engine's
 * properties are known (state "starting": call start next).  A failure to
 * spawn or to connect leaves the supervisor crashed, with last-error set.
 */
void kennel_supervisor_launch_async(KennelSupervisor *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_launch_finish(KennelSupervisor *self, GAsyncResult *result,
                                         GError **error);

/*
 * The methods of org.kennel.Engine1.  Errors from the engine are in the
 * KENNEL_ENGINE1_ERROR domain (dbus/kennel-engine1-error.h), e.g.
 * KENNEL_ENGINE1_ERROR_WRONG_STATE or KENNEL_ENGINE1_ERROR_NO_DISPLAY; a
 * supervisor whose engine is gone answers G_IO_ERROR_NOT_CONNECTED.
 */
void kennel_supervisor_start_async(KennelSupervisor *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_start_finish(KennelSupervisor *self, GAsyncResult *result,
                                        GError **error);
void kennel_supervisor_pause_async(KennelSupervisor *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_pause_finish(KennelSupervisor *self, GAsyncResult *result,
                                        GError **error);
void kennel_supervisor_resume_async(KennelSupervisor *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_resume_finish(KennelSupervisor *self, GAsyncResult *result,
                                         GError **error);
/* timeout_ms 0: the engine's default (30 s); then the guest is stopped as by force_stop. */
void kennel_supervisor_shutdown_async(KennelSupervisor *self, guint timeout_ms,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean kennel_supervisor_shutdown_finish(KennelSupervisor *self, GAsyncResult *result,
                                           GError **error);
void kennel_supervisor_force_stop_async(KennelSupervisor *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_force_stop_finish(KennelSupervisor *self, GAsyncResult *result,
                                             GError **error);
void kennel_supervisor_reset_async(KennelSupervisor *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_reset_finish(KennelSupervisor *self, GAsyncResult *result,
                                        GError **error);
void kennel_supervisor_set_display_size_async(KennelSupervisor *self, guint width, guint height,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
gboolean kennel_supervisor_set_display_size_finish(KennelSupervisor *self, GAsyncResult *result,
                                                   GError **error);
/*
 * The console: an fd on the terminal end of the guest's console pty (for
 * vte_pty_new_foreign_sync()); the caller owns it.  -1 on error.
 */
void kennel_supervisor_open_console_async(KennelSupervisor *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
int kennel_supervisor_open_console_finish(KennelSupervisor *self, GAsyncResult *result,
                                          GError **error);
/* The display: a connected socket speaking RFB (VNC); the caller owns it.  -1 on error. */
void kennel_supervisor_open_display_async(KennelSupervisor *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
int kennel_supervisor_open_display_finish(KennelSupervisor *self, GAsyncResult *result,
                                          GError **error);

/* Closes the connection, as quitting the app would: the engine shuts its guest down and exits. */
void kennel_supervisor_disconnect(KennelSupervisor *self);

KennelGuestState kennel_supervisor_get_state(KennelSupervisor *self);
/* The latest statistics (a{sv}, keys in data/org.kennel.Engine1.xml), or NULL. */
GVariant *kennel_supervisor_get_statistics(KennelSupervisor *self);
guint kennel_supervisor_get_display_width(KennelSupervisor *self);
guint kennel_supervisor_get_display_height(KennelSupervisor *self);
/* The last error the engine reported, or how it died; NULL if none. */
const char *kennel_supervisor_get_last_error(KennelSupervisor *self);
/* The engine's last lines of output, newline-separated. */
char *kennel_supervisor_dup_log_tail(KennelSupervisor *self);
/* The engine's process ID as a string, NULL before launch or after exit. */
const char *kennel_supervisor_get_engine_pid(KennelSupervisor *self);
/* Whether the engine process has exited, and its wait status (as from waitpid). */
gboolean kennel_supervisor_get_engine_exited(KennelSupervisor *self, int *wait_status);

G_END_DECLS
