// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KennelSupervisor (see supervisor.h).
 *
 * The journey: launch makes a socketpair, gives one end to the engine as
 * its fd 3 and spawns it with its stdout and stderr on one pipe.  On our
 * end we run the client half of a peer-to-peer D-Bus handshake and make a
 * proxy for /org/kennel/Engine.  From then on the engine's StateChanged,
 * Error and property changes become our properties, and each method is
 * one D-Bus call.  Meanwhile we read the engine's output line by line and
 * keep the last ones.  When the engine exits and its output has ended, we
 * decide how it went: it said "stopped" and exited normally, or it did not
 * and it crashed.
 */
#include "supervisor.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "dbus/kennel-engine1-error.h"
#include "kennel-engine1.h"

#define OBJECT_PATH "/org/kennel/Engine"
/* Calls wait this long for the engine (pause waits for every vCPU to park). */
#define CALL_TIMEOUT_MS 30000

struct _KennelSupervisor {
	GObject parent_instance;

	GStrv argv;
	GSubprocess *process;
	char *pid;
	GDBusConnection *connection;
	KennelEngine1 *proxy;
	GCancellable *cancellable; /* the connection: cancelled by disconnect */
	GCancellable *lifetime;    /* watching the engine: cancelled when we go */
	GTask *launch_task;

	KennelGuestState state;
	GVariant *statistics;
	guint display_width, display_height;
	char *last_error;
	GQueue log; /* of char *, at most KENNEL_SUPERVISOR_LOG_LINES */
	gboolean engine_said_stopped;
	gboolean engine_exited, output_ended, finished;
	gboolean killed_by_us; /* the connection failed, so we ended the engine */
	gboolean reached;      /* the engine answered on D-Bus at least once */
	int wait_status;
};

G_DEFINE_FINAL_TYPE(KennelSupervisor, kennel_supervisor, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_STATE,
	PROP_STATISTICS,
	PROP_DISPLAY_WIDTH,
	PROP_DISPLAY_HEIGHT,
	PROP_LAST_ERROR,
	PROP_LOG_TAIL,
	PROP_ENGINE_EXITED,
	N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GEnumValue guest_state_values[] = {
        {KENNEL_GUEST_STATE_STARTING, "KENNEL_GUEST_STATE_STARTING", "starting"},
        {KENNEL_GUEST_STATE_RUNNING, "KENNEL_GUEST_STATE_RUNNING", "running"},
        {KENNEL_GUEST_STATE_PAUSED, "KENNEL_GUEST_STATE_PAUSED", "paused"},
        {KENNEL_GUEST_STATE_STOPPING, "KENNEL_GUEST_STATE_STOPPING", "stopping"},
        {KENNEL_GUEST_STATE_STOPPED, "KENNEL_GUEST_STATE_STOPPED", "stopped"},
        {KENNEL_GUEST_STATE_CRASHED, "KENNEL_GUEST_STATE_CRASHED", "crashed"},
        {0, NULL, NULL},
};

GType kennel_guest_state_get_type(void)
{
	static gsize type = 0;

	if (g_once_init_enter(&type))
		g_once_init_leave(&type,
		                  g_enum_register_static("KennelGuestState", guest_state_values));
	return type;
}

const char *kennel_guest_state_to_string(KennelGuestState state)
{
	if (state > KENNEL_GUEST_STATE_CRASHED)
		return "unknown";
	return guest_state_values[state].value_nick;
}

static gboolean state_from_string(const char *name, KennelGuestState *state)
{
	for (guint i = 0; guest_state_values[i].value_nick; i++) {
		if (g_strcmp0(name, guest_state_values[i].value_nick) == 0) {
			*state = guest_state_values[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

/* --- What we know ---------------------------------------------------------------------- */

static gboolean is_final(KennelGuestState state)
{
	return state == KENNEL_GUEST_STATE_STOPPED || state == KENNEL_GUEST_STATE_CRASHED;
}

static void set_state(KennelSupervisor *self, KennelGuestState state)
{
	if (self->state == state)
		return;
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
}

static void set_last_error(KennelSupervisor *self, const char *message)
{
	g_free(self->last_error);
	self->last_error = g_strdup(message);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_LAST_ERROR]);
}

/*
 * The engine's word on its state.  Until the engine has exited, "stopped"
 * and "crashed" are what it says; we make them final once it is gone.
 */
static void engine_state(KennelSupervisor *self, const char *name)
{
	KennelGuestState state;

	if (!state_from_string(name, &state) || is_final(self->state))
		return;
	if (state == KENNEL_GUEST_STATE_STOPPED) {
		self->engine_said_stopped = TRUE;
		state = KENNEL_GUEST_STATE_STOPPING; /* stopped once the engine has exited */
	}
	set_state(self, state);
}

static void update_statistics(KennelSupervisor *self)
{
	GVariant *statistics = kennel_engine1_get_statistics(self->proxy);

	if (!statistics)
		return;
	g_clear_pointer(&self->statistics, g_variant_unref);
	self->statistics = g_variant_ref(statistics);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATISTICS]);
}

static void update_display(KennelSupervisor *self)
{
	guint width = kennel_engine1_get_display_width(self->proxy);
	guint height = kennel_engine1_get_display_height(self->proxy);

	if (width != self->display_width) {
		self->display_width = width;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_DISPLAY_WIDTH]);
	}
	if (height != self->display_height) {
		self->display_height = height;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_DISPLAY_HEIGHT]);
	}
}

static void on_properties_changed(GDBusProxy *proxy, GVariant *changed, GStrv invalidated,
                                  KennelSupervisor *self)
{
	const char *state;

	if (g_variant_lookup(changed, "State", "&s", &state))
		engine_state(self, state);
	if (g_variant_lookup_value(changed, "Statistics", NULL))
		update_statistics(self);
	update_display(self);
}

static void on_state_changed(KennelEngine1 *proxy, const char *state, KennelSupervisor *self)
{
	engine_state(self, state);
}

static void on_error(KennelEngine1 *proxy, const char *message, KennelSupervisor *self)
{
	set_last_error(self, message);
}

/* --- The engine's output --------------------------------------------------------------- */

static void keep_line(KennelSupervisor *self, char *line)
{
	g_debug("engine %s: %s", self->pid ? self->pid : "?", line);
	g_queue_push_tail(&self->log, line);
	while (self->log.length > KENNEL_SUPERVISOR_LOG_LINES)
		g_free(g_queue_pop_head(&self->log));
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_LOG_TAIL]);
}

static void engine_finished(KennelSupervisor *self);

/* Holds no reference: a supervisor that is dropped cancels this (and its engine lives on). */
static void read_line(GObject *source, GAsyncResult *result, gpointer data)
{
	KennelSupervisor *self = data;
	GDataInputStream *input = G_DATA_INPUT_STREAM(source);
	g_autoptr(GError) error = NULL;
	char *line = g_data_input_stream_read_line_finish_utf8(input, result, NULL, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	if (!line && error && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)) {
		/* Not UTF-8: keep going with the next line. */
		line = g_strdup("(a line that is not UTF-8)");
		g_clear_error(&error);
	}
	if (!line) {
		self->output_ended = TRUE;
		engine_finished(self);
		return;
	}
	keep_line(self, line);
	g_data_input_stream_read_line_async(input, G_PRIORITY_DEFAULT, self->lifetime, read_line,
	                                    self);
}

/* --- The engine's end ------------------------------------------------------------------ */

/*
 * Both the process and its output are over: how did it go?  It said
 * "stopped" and exited normally (a SIGTERM it caught counts), or it
 * exited 0: stopped.  Anything else is a crash.
 */
static void engine_finished(KennelSupervisor *self)
{
	int status = self->wait_status;
	g_autofree char *message = NULL;

	if (!self->engine_exited || !self->output_ended || self->finished)
		return;
	self->finished = TRUE;
	g_clear_pointer(&self->pid, g_free);
	g_clear_object(&self->proxy);
	if (self->connection)
		g_dbus_connection_close(self->connection, NULL, NULL, NULL);
	g_clear_object(&self->connection);

	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || self->engine_said_stopped) &&
	    self->state != KENNEL_GUEST_STATE_CRASHED) {
		set_state(self, KENNEL_GUEST_STATE_STOPPED);
		return;
	}
	if (!self->reached && WIFEXITED(status))
		message = g_strdup_printf("The engine could not start (exit status %d); its log "
		                          "says why.",
		                          WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && !self->killed_by_us)
		message = g_strdup_printf("The engine was killed by signal %d (%s).",
		                          WTERMSIG(status), g_strsignal(WTERMSIG(status)));
	else if (!self->last_error)
		message = g_strdup_printf("The engine stopped with exit status %d.",
		                          WEXITSTATUS(status));
	if (message)
		set_last_error(self, message);
	set_state(self, KENNEL_GUEST_STATE_CRASHED);
}

/* Holds no reference, as read_line(). */
static void engine_exited(GObject *source, GAsyncResult *result, gpointer data)
{
	KennelSupervisor *self = data;
	g_autoptr(GError) error = NULL;

	if (!g_subprocess_wait_finish(G_SUBPROCESS(source), result, &error) &&
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self->engine_exited = TRUE;
	self->wait_status = g_subprocess_get_status(G_SUBPROCESS(source));
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_ENGINE_EXITED]);
	if (self->launch_task) {
		g_autoptr(GTask) task = g_steal_pointer(&self->launch_task);

		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
		                        "The engine exited before it could be reached");
	}
	engine_finished(self);
}

/* --- Launch ------------------------------------------------------------------------------ */

static void launch_failed(KennelSupervisor *self, GError *error)
{
	set_last_error(self, error->message);
	if (self->process && !self->engine_exited) {
		self->killed_by_us = TRUE;
		g_subprocess_force_exit(self->process);
	} else
		set_state(self, KENNEL_GUEST_STATE_CRASHED);
	if (self->launch_task) {
		g_autoptr(GTask) task = g_steal_pointer(&self->launch_task);

		g_task_return_error(task, g_error_copy(error));
	}
}

static void proxy_ready(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelSupervisor) self = data;
	g_autoptr(GError) error = NULL;
	KennelEngine1 *proxy = kennel_engine1_proxy_new_finish(result, &error);
	const char *state;

	if (!proxy) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			launch_failed(self, error);
		return;
	}
	self->proxy = proxy;
	self->reached = TRUE;
	g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(proxy), CALL_TIMEOUT_MS);
	g_signal_connect(proxy, "g-properties-changed", G_CALLBACK(on_properties_changed), self);
	g_signal_connect(proxy, "state-changed", G_CALLBACK(on_state_changed), self);
	g_signal_connect(proxy, "error", G_CALLBACK(on_error), self);
	state = kennel_engine1_get_state(proxy);
	if (state)
		engine_state(self, state);
	update_statistics(self);
	update_display(self);
	if (self->launch_task) {
		g_autoptr(GTask) task = g_steal_pointer(&self->launch_task);

		g_task_return_boolean(task, TRUE);
	}
}

static void connected(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelSupervisor) self = data;
	g_autoptr(GError) error = NULL;

	self->connection = g_dbus_connection_new_finish(result, &error);
	if (!self->connection) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			launch_failed(self, error);
		return;
	}
	kennel_engine1_proxy_new(self->connection, G_DBUS_PROXY_FLAGS_NONE, NULL, OBJECT_PATH,
	                         self->cancellable, proxy_ready, g_object_ref(self));
}

static gboolean spawn_engine(KennelSupervisor *self, GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GSocketConnection) stream = NULL;
	g_autoptr(GDataInputStream) output = NULL;
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
		int saved = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved),
		            "Cannot make a socket pair for the engine: %s", g_strerror(saved));
		return FALSE;
	}
	for (guint i = 0; self->argv[i]; i++)
		g_ptr_array_add(argv, self->argv[i]);
	g_ptr_array_add(argv, "--control-fd");
	g_ptr_array_add(argv, "3");
	g_ptr_array_add(argv, NULL);

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDERR_MERGE);
	g_subprocess_launcher_take_fd(launcher, fds[1], 3);
	self->process =
	        g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, error);
	if (!self->process) {
		close(fds[0]);
		g_prefix_error(error, "Cannot start the engine: ");
		return FALSE;
	}
	self->pid = g_strdup(g_subprocess_get_identifier(self->process));
	g_subprocess_wait_async(self->process, self->lifetime, engine_exited, self);

	output = g_data_input_stream_new(g_subprocess_get_stdout_pipe(self->process));
	g_data_input_stream_read_line_async(output, G_PRIORITY_DEFAULT, self->lifetime, read_line,
	                                    self);

	socket = g_socket_new_from_fd(fds[0], error);
	if (!socket) {
		close(fds[0]);
		return FALSE;
	}
	stream = g_socket_connection_factory_create_connection(socket);
	g_dbus_connection_new(G_IO_STREAM(stream), NULL,
	                      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL,
	                      self->cancellable, connected, g_object_ref(self));
	return TRUE;
}

void kennel_supervisor_launch_async(KennelSupervisor *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;

	g_return_if_fail(KENNEL_IS_SUPERVISOR(self));
	g_task_set_source_tag(task, kennel_supervisor_launch_async);
	if (self->process || self->launch_task) {
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_EXISTS,
		                        "This supervisor has already launched its engine");
		return;
	}
	self->launch_task = g_object_ref(task);
	if (!spawn_engine(self, &error))
		launch_failed(self, error);
}

gboolean kennel_supervisor_launch_finish(KennelSupervisor *self, GAsyncResult *result,
                                         GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* --- Methods ----------------------------------------------------------------------------- */

static void call_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GVariant) reply = g_dbus_proxy_call_with_unix_fd_list_finish(
	        G_DBUS_PROXY(source), &fds, result, &error);
	gint32 handle;
	int fd;

	if (!reply) {
		g_dbus_error_strip_remote_error(error);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (!g_variant_is_of_type(reply, G_VARIANT_TYPE("(h)"))) {
		g_task_return_int(task, 0);
		return;
	}
	g_variant_get(reply, "(h)", &handle);
	fd = fds ? g_unix_fd_list_get(fds, handle, &error) : -1;
	if (fd < 0) {
		if (!error)
			error = g_error_new(G_IO_ERROR, G_IO_ERROR_FAILED, "The engine sent no fd");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_int(task, fd);
}

static void call(KennelSupervisor *self, const char *method, GVariant *parameters,
                 gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback,
                 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	if (!self->proxy) {
		if (parameters)
			g_variant_unref(g_variant_ref_sink(parameters));
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
		                        "The engine is not connected");
		return;
	}
	g_dbus_proxy_call_with_unix_fd_list(G_DBUS_PROXY(self->proxy), method, parameters,
	                                    G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, NULL,
	                                    cancellable, call_done, g_steal_pointer(&task));
}

static gboolean call_finish(KennelSupervisor *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_int(G_TASK(result), error) >= 0 &&
	       !g_task_had_error(G_TASK(result));
}

static int call_finish_fd(KennelSupervisor *self, GAsyncResult *result, GError **error)
{
	g_autoptr(GError) local = NULL;
	gssize fd;

	g_return_val_if_fail(g_task_is_valid(result, self), -1);
	fd = g_task_propagate_int(G_TASK(result), &local);
	if (local) {
		g_propagate_error(error, g_steal_pointer(&local));
		return -1;
	}
	return (int)fd;
}

#define SIMPLE_METHOD(name, Method)                                                               \
	void kennel_supervisor_##name##_async(KennelSupervisor *self, GCancellable *cancellable,  \
	                                      GAsyncReadyCallback callback, gpointer user_data)   \
	{                                                                                         \
		g_return_if_fail(KENNEL_IS_SUPERVISOR(self));                                     \
		call(self, Method, NULL, kennel_supervisor_##name##_async, cancellable, callback, \
		     user_data);                                                                  \
	}                                                                                         \
	gboolean kennel_supervisor_##name##_finish(KennelSupervisor *self, GAsyncResult *result,  \
	                                           GError **error)                                \
	{                                                                                         \
		return call_finish(self, result, error);                                          \
	}

SIMPLE_METHOD(start, "Start")
SIMPLE_METHOD(pause, "Pause")
SIMPLE_METHOD(resume, "Resume")
SIMPLE_METHOD(force_stop, "ForceStop")
SIMPLE_METHOD(reset, "Reset")

void kennel_supervisor_shutdown_async(KennelSupervisor *self, guint timeout_ms,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
	g_return_if_fail(KENNEL_IS_SUPERVISOR(self));
	call(self, "Shutdown", g_variant_new("(u)", timeout_ms), kennel_supervisor_shutdown_async,
	     cancellable, callback, user_data);
}

gboolean kennel_supervisor_shutdown_finish(KennelSupervisor *self, GAsyncResult *result,
                                           GError **error)
{
	return call_finish(self, result, error);
}

void kennel_supervisor_set_display_size_async(KennelSupervisor *self, guint width, guint height,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data)
{
	g_return_if_fail(KENNEL_IS_SUPERVISOR(self));
	call(self, "SetDisplaySize", g_variant_new("(uu)", width, height),
	     kennel_supervisor_set_display_size_async, cancellable, callback, user_data);
}

gboolean kennel_supervisor_set_display_size_finish(KennelSupervisor *self, GAsyncResult *result,
                                                   GError **error)
{
	return call_finish(self, result, error);
}

void kennel_supervisor_open_console_async(KennelSupervisor *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
	g_return_if_fail(KENNEL_IS_SUPERVISOR(self));
	call(self, "OpenConsole", NULL, kennel_supervisor_open_console_async, cancellable, callback,
	     user_data);
}

int kennel_supervisor_open_console_finish(KennelSupervisor *self, GAsyncResult *result,
                                          GError **error)
{
	return call_finish_fd(self, result, error);
}

void kennel_supervisor_open_display_async(KennelSupervisor *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
	g_return_if_fail(KENNEL_IS_SUPERVISOR(self));
	call(self, "OpenDisplay", NULL, kennel_supervisor_open_display_async, cancellable, callback,
	     user_data);
}

int kennel_supervisor_open_display_finish(KennelSupervisor *self, GAsyncResult *result,
                                          GError **error)
{
	return call_finish_fd(self, result, error);
}

void kennel_supervisor_disconnect(KennelSupervisor *self)
{
	g_return_if_fail(KENNEL_IS_SUPERVISOR(self));
	g_cancellable_cancel(self->cancellable);
	if (self->proxy)
		g_signal_handlers_disconnect_by_data(self->proxy, self);
	g_clear_object(&self->proxy);
	if (self->connection)
		g_dbus_connection_close(self->connection, NULL, NULL, NULL);
	g_clear_object(&self->connection);
}

/* --- Properties -------------------------------------------------------------------------- */

KennelGuestState kennel_supervisor_get_state(KennelSupervisor *self)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), KENNEL_GUEST_STATE_CRASHED);
	return self->state;
}

GVariant *kennel_supervisor_get_statistics(KennelSupervisor *self)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), NULL);
	return self->statistics;
}

guint kennel_supervisor_get_display_width(KennelSupervisor *self)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), 0);
	return self->display_width;
}

guint kennel_supervisor_get_display_height(KennelSupervisor *self)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), 0);
	return self->display_height;
}

const char *kennel_supervisor_get_last_error(KennelSupervisor *self)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), NULL);
	return self->last_error;
}

char *kennel_supervisor_dup_log_tail(KennelSupervisor *self)
{
	GString *tail = g_string_new(NULL);

	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), NULL);
	for (GList *l = self->log.head; l; l = l->next)
		g_string_append_printf(tail, "%s\n", (const char *)l->data);
	return g_string_free(tail, FALSE);
}

const char *kennel_supervisor_get_engine_pid(KennelSupervisor *self)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), NULL);
	return self->pid;
}

gboolean kennel_supervisor_get_engine_exited(KennelSupervisor *self, int *wait_status)
{
	g_return_val_if_fail(KENNEL_IS_SUPERVISOR(self), FALSE);
	if (wait_status)
		*wait_status = self->wait_status;
	return self->engine_exited;
}

static void kennel_supervisor_get_property(GObject *object, guint prop_id, GValue *value,
                                           GParamSpec *pspec)
{
	KennelSupervisor *self = KENNEL_SUPERVISOR(object);

	switch (prop_id) {
	case PROP_STATE: g_value_set_enum(value, self->state); break;
	case PROP_STATISTICS: g_value_set_variant(value, self->statistics); break;
	case PROP_DISPLAY_WIDTH: g_value_set_uint(value, self->display_width); break;
	case PROP_DISPLAY_HEIGHT: g_value_set_uint(value, self->display_height); break;
	case PROP_LAST_ERROR: g_value_set_string(value, self->last_error); break;
	case PROP_LOG_TAIL: g_value_take_string(value, kennel_supervisor_dup_log_tail(self)); break;
	case PROP_ENGINE_EXITED: g_value_set_boolean(value, self->engine_exited); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void kennel_supervisor_dispose(GObject *object)
{
	KennelSupervisor *self = KENNEL_SUPERVISOR(object);

	/* The engine notices the closed connection, shuts its guest down and exits. */
	kennel_supervisor_disconnect(self);
	g_cancellable_cancel(self->lifetime);
	g_clear_object(&self->process);
	G_OBJECT_CLASS(kennel_supervisor_parent_class)->dispose(object);
}

static void kennel_supervisor_finalize(GObject *object)
{
	KennelSupervisor *self = KENNEL_SUPERVISOR(object);

	g_strfreev(self->argv);
	g_free(self->pid);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->lifetime);
	g_clear_pointer(&self->statistics, g_variant_unref);
	g_free(self->last_error);
	g_queue_clear_full(&self->log, g_free);
	G_OBJECT_CLASS(kennel_supervisor_parent_class)->finalize(object);
}

static void kennel_supervisor_class_init(KennelSupervisorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = kennel_supervisor_get_property;
	object_class->dispose = kennel_supervisor_dispose;
	object_class->finalize = kennel_supervisor_finalize;

	properties[PROP_STATE] = g_param_spec_enum(
	        "state", NULL, NULL, KENNEL_TYPE_GUEST_STATE, KENNEL_GUEST_STATE_STARTING,
	        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_STATISTICS] = g_param_spec_variant(
	        "statistics", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL,
	        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_DISPLAY_WIDTH] = g_param_spec_uint(
	        "display-width", NULL, NULL, 0, G_MAXUINT, 0,
	        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_DISPLAY_HEIGHT] = g_param_spec_uint(
	        "display-height", NULL, NULL, 0, G_MAXUINT, 0,
	        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_LAST_ERROR] = g_param_spec_string(
	        "last-error", NULL, NULL, NULL,
	        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	properties[PROP_LOG_TAIL] = g_param_spec_string("log-tail", NULL, NULL, NULL,
	                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
	                                                        G_PARAM_STATIC_STRINGS);
	properties[PROP_ENGINE_EXITED] = g_param_spec_boolean(
	        "engine-exited", NULL, NULL, FALSE,
	        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	/* Engine errors arrive as KENNEL_ENGINE1_ERROR codes once the domain is registered. */
	(void)kennel_engine1_error_quark();
}

static void kennel_supervisor_init(KennelSupervisor *self)
{
	self->cancellable = g_cancellable_new();
	self->lifetime = g_cancellable_new();
	self->state = KENNEL_GUEST_STATE_STARTING;
	g_queue_init(&self->log);
}

KennelSupervisor *kennel_supervisor_new_for_argv(const char *const *argv)
{
	KennelSupervisor *self;

	g_return_val_if_fail(argv && argv[0], NULL);
	self = g_object_new(KENNEL_TYPE_SUPERVISOR, NULL);
	self->argv = g_strdupv((char **)argv);
	return self;
}

KennelSupervisor *kennel_supervisor_new_for_profile(const char *profile_path)
{
	const char *engine = g_getenv("KENNEL_ENGINE");
	const char *argv[] = {engine && *engine ? engine : "kennel-engine", "run", "--profile",
	                      profile_path, NULL};

	g_return_val_if_fail(profile_path, NULL);
	return kennel_supervisor_new_for_argv(argv);
}
