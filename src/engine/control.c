// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's end of org.kennel.Engine1 (see control.h).
 *
 * The journey of one connection: the app made a socketpair and gave us one
 * end as fd N.  On our own thread, with a GMainContext of its own, we wrap
 * the fd in a GSocketConnection and authenticate the app as a D-Bus server
 * would (EXTERNAL: the kernel vouches for the peer's uid over the unix
 * socket).  Then we export one object, /org/kennel/Engine, and only then
 * let messages in, so that the app's first call always finds it.
 *
 * Methods act on the hv directly (pause, resume, an exit request) or
 * through the run loop (Start opens a gate run.c waits at; Reset asks the
 * hv for a reboot, which run.c already knows how to do).  The run loop in
 * turn tells us the state; we publish it as the State property and the
 * StateChanged signal.  If the app hangs up -- it quit, crashed or was
 * killed, the kernel closes its end either way -- we shut the guest down
 * as Shutdown would, with a short timeout, and the engine exits: no engine
 * outlives its app.
 */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dbus/kennel-engine1-error.h"
#include "kennel-engine1.h"
#include "machine.h"
#include "virtio/virtio_mmio.h"

#define OBJECT_PATH "/org/kennel/Engine"

struct control {
	struct control_target target;
	int fd;
	GMainContext *context;
	GMainLoop *loop;
	GThread *thread;
	/* Only on the control thread: */
	GDBusConnection *connection;
	KennelEngine1 *skeleton;
	bool published_any;
	enum control_state published;
	GSource *shutdown_timer;
	GSource *press_timer; /* pressing again until the guest's driver is up */
	GSource *stats_timer;
	GDBusMethodInvocation *pending_start; /* Start answers once the vCPUs run */
	gint64 sample_us;                     /* when the rates were last computed */
	guint64 sample_instret[HV_MAX_VCPUS]; /* each vCPU's count then */
	guint64 sample_total;
	/* Shared, under lock: */
	GMutex lock;
	GCond changed;
	bool started, cancelled;
	bool broken; /* the connection never came up */
	bool ran;    /* the vCPUs have run (the guest may have stopped again since) */
	enum control_state state;
};

static const char *const state_names[] = {
        [CONTROL_STARTING] = "starting", [CONTROL_RUNNING] = "running",
        [CONTROL_PAUSED] = "paused",     [CONTROL_STOPPING] = "stopping",
        [CONTROL_STOPPED] = "stopped",   [CONTROL_CRASHED] = "crashed",
};

const char *control_state_name(enum control_state state)
{
	return state < G_N_ELEMENTS(state_names) ? state_names[state] : "unknown";
}

/* Runs func on the control thread, soon, in the order asked. */
static void run_in_loop(struct control *c, GSourceFunc func, gpointer data, GDestroyNotify destroy)
{
	GSource *source = g_idle_source_new();

	g_source_set_callback(source, func, data, destroy);
	g_source_attach(source, c->context);
	g_source_unref(source);
}

static GSource *add_timeout(struct control *c, guint ms, GSourceFunc func)
{
	GSource *source = g_timeout_source_new(ms);

	g_source_set_callback(source, func, c, NULL);
	g_source_attach(source, c->context);
	return source;
}

static void remove_source(GSource **source)
{
	if (*source) {
		g_source_destroy(*source);
		g_source_unref(*source);
		*source = NULL;
	}
}

/* --- State ------------------------------------------------------------------------------- */

enum control_state control_get_state(struct control *c)
{
	g_mutex_lock(&c->lock);
	enum control_state state = c->state;
	g_mutex_unlock(&c->lock);
	return state;
}

/* The State property and StateChanged follow c->state; control thread. */
static gboolean publish_state(gpointer data)
{
	struct control *c = data;
	enum control_state state = control_get_state(c);

	if (c->pending_start && state != CONTROL_STARTING) {
		GDBusMethodInvocation *start = g_steal_pointer(&c->pending_start);
		bool ran;

		g_mutex_lock(&c->lock);
		ran = c->ran;
		g_mutex_unlock(&c->lock);
		/*
		 * A guest that ran and stopped at once (a failure code in its first
		 * instructions) did start: Start succeeds and the state says the rest.
		 */
		if (!ran && (state == CONTROL_STOPPED || state == CONTROL_CRASHED))
			g_dbus_method_invocation_return_error_literal(
			        start, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_FAILED,
			        "The guest stopped before it started.");
		else
			kennel_engine1_complete_start(c->skeleton, start);
	}
	if (!c->skeleton || (c->published_any && c->published == state))
		return G_SOURCE_REMOVE;
	c->published_any = true;
	c->published = state;
	kennel_engine1_set_state(c->skeleton, control_state_name(state));
	kennel_engine1_emit_state_changed(c->skeleton, control_state_name(state));
	return G_SOURCE_REMOVE;
}

void control_set_state(struct control *c, enum control_state state)
{
	g_mutex_lock(&c->lock);
	c->state = state;
	if (state == CONTROL_RUNNING)
		c->ran = true;
	g_mutex_unlock(&c->lock);
	run_in_loop(c, publish_state, c, NULL);
}

/* Moves from one of the states in `from` (a bit mask) to `to`; false if not in one. */
static bool transition(struct control *c, unsigned from, enum control_state to)
{
	bool ok;

	g_mutex_lock(&c->lock);
	ok = (from & (1u << c->state)) != 0;
	if (ok)
		c->state = to;
	g_mutex_unlock(&c->lock);
	if (ok)
		publish_state(c);
	return ok;
}

#define IN(s) (1u << (s))

static gboolean emit_error(gpointer data)
{
	struct control *c = ((void **)data)[0];
	const char *message = ((void **)data)[1];

	if (c->skeleton)
		kennel_engine1_emit_error(c->skeleton, message);
	return G_SOURCE_REMOVE;
}

static void free_error(gpointer data)
{
	g_free(((void **)data)[1]);
	g_free(data);
}

void control_error(struct control *c, const char *fmt, ...)
{
	void **data = g_new(void *, 2);
	va_list ap;

	va_start(ap, fmt);
	data[0] = c;
	data[1] = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	run_in_loop(c, emit_error, data, free_error);
}

/* --- The start gate ---------------------------------------------------------------------- */

int control_wait_start(struct control *c)
{
	int err;

	g_mutex_lock(&c->lock);
	while (!c->started && !c->cancelled)
		g_cond_wait(&c->changed, &c->lock);
	err = c->broken ? -ENOTCONN : c->cancelled ? -ECANCELED : 0;
	g_mutex_unlock(&c->lock);
	return err;
}

void control_cancel_start(struct control *c)
{
	g_mutex_lock(&c->lock);
	c->cancelled = true;
	g_cond_broadcast(&c->changed);
	g_mutex_unlock(&c->lock);
}

/* --- Stopping ---------------------------------------------------------------------------- */

static void force_stop(struct control *c)
{
	remove_source(&c->shutdown_timer);
	remove_source(&c->press_timer);
	hv_vm_request_exit(c->target.machine->vm, HV_EXIT_STOPPED, 0);
}

static gboolean shutdown_timed_out(gpointer data)
{
	struct control *c = data;

	if (c->skeleton)
		kennel_engine1_emit_error(c->skeleton,
		                          "The guest did not power off in time; it was stopped.");
	fprintf(stderr, "kennel-engine: the guest did not power off in time; stopping it\n");
	g_source_unref(c->shutdown_timer);
	c->shutdown_timer = NULL;
	force_stop(c);
	return G_SOURCE_REMOVE;
}

/* Presses the power button; a driver that is not up yet gets another press soon. */
static gboolean press_power_button(gpointer data)
{
	struct control *c = data;
	int err = c->target.power_button(c->target.opaque);

	if (err == -EAGAIN || err == -EBUSY) {
		if (!c->press_timer)
			c->press_timer = add_timeout(c, 250, press_power_button);
		return G_SOURCE_CONTINUE;
	}
	if (err < 0)
		fprintf(stderr, "kennel-engine: cannot press the power button: %s\n",
		        strerror(-err));
	else
		fprintf(stderr, "kennel-engine: pressed the guest's power button\n");
	remove_source(&c->press_timer);
	return G_SOURCE_REMOVE;
}

/*
 * Graceful: press the guest's power button and give it timeout_ms to power
 * off.  A guest with no power button cannot be asked, so it is stopped.
 * The earlier deadline wins when asked twice.
 */
static void begin_shutdown(struct control *c, guint timeout_ms)
{
	if (!transition(c, IN(CONTROL_RUNNING) | IN(CONTROL_PAUSED) | IN(CONTROL_STOPPING),
	                CONTROL_STOPPING))
		return;
	hv_vm_resume(c->target.machine->vm); /* a paused guest cannot hear the button */
	if (!c->target.power_button) {
		fprintf(stderr, "kennel-engine: the guest has no power button; stopping it\n");
		force_stop(c);
		return;
	}
	if (!c->press_timer)
		press_power_button(c);
	if (c->shutdown_timer && g_source_get_ready_time(c->shutdown_timer) <=
	                                 g_get_monotonic_time() + timeout_ms * 1000)
		return;
	remove_source(&c->shutdown_timer);
	c->shutdown_timer = add_timeout(c, timeout_ms, shutdown_timed_out);
}

/* The app is gone: no engine outlives its app. */
static void hang_up(struct control *c)
{
	fprintf(stderr, "kennel-engine: the control connection closed; shutting the guest down\n");
	g_mutex_lock(&c->lock);
	bool started = c->started;
	if (!started)
		c->cancelled = true;
	g_cond_broadcast(&c->changed);
	g_mutex_unlock(&c->lock);
	if (started)
		begin_shutdown(c, CONTROL_HANGUP_TIMEOUT_MS);
}

/* No app to talk to: like a hang-up, but before Start the engine fails. */
static void connection_failed(struct control *c)
{
	g_mutex_lock(&c->lock);
	c->broken = true;
	g_mutex_unlock(&c->lock);
	hang_up(c);
}

static void on_closed(GDBusConnection *connection, gboolean remote_peer_vanished, GError *error,
                      gpointer data)
{
	hang_up(data);
}

/* --- Statistics -------------------------------------------------------------------------- */

static GVariant *counts_by_name(const guint64 *counts, unsigned n, const char *(*name)(unsigned))
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a{st}"));
	for (unsigned i = 0; i < n; i++)
		if (counts[i])
			g_variant_builder_add(&b, "{st}", name(i), (guint64)counts[i]);
	return g_variant_builder_end(&b);
}

static const char *sbi_name(unsigned ext)
{
	return hv_sbi_ext_name((enum hv_sbi_ext)ext);
}

static guint64 sum(const uint64_t *counts, unsigned n)
{
	guint64 total = 0;

	for (unsigned i = 0; i < n; i++)
		total += counts[i];
	return total;
}

static GVariant *vcpu_statistics(const struct hv_vcpu_stats *s, double ips)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "instructions", "t", (guint64)s->instret);
	g_variant_dict_insert(&d, "instructions-per-second", "d", ips);
	g_variant_dict_insert(&d, "exceptions", "t", sum(s->exceptions, HV_STAT_CAUSES));
	g_variant_dict_insert(&d, "interrupts", "t", sum(s->interrupts, HV_STAT_CAUSES));
	g_variant_dict_insert(&d, "sbi-calls", "t", sum(s->sbi_calls, HV_SBI_EXT_COUNT));
	g_variant_dict_insert_value(&d, "sbi-calls-by-extension",
	                            counts_by_name(s->sbi_calls, HV_SBI_EXT_COUNT, sbi_name));
	g_variant_dict_insert_value(
	        &d, "exceptions-by-cause",
	        counts_by_name(s->exceptions, HV_STAT_CAUSES, hv_exception_name));
	g_variant_dict_insert_value(
	        &d, "interrupts-by-cause",
	        counts_by_name(s->interrupts, HV_STAT_CAUSES, hv_interrupt_name));
	g_variant_dict_insert(&d, "wfi-seconds", "d", (double)s->wfi_ns / 1e9);
	g_variant_dict_insert(&d, "mmio-exits", "t", (guint64)s->mmio_exits);
	g_variant_dict_insert(&d, "tlb-misses", "t", (guint64)s->tlb_misses);
	g_variant_dict_insert(&d, "code-flushes", "t", (guint64)s->code_flushes);
	return g_variant_dict_end(&d);
}

/* One sample; with update, the instruction rates are measured from the previous one. */
static GVariant *sample_statistics(struct control *c, bool update)
{
	struct machine *m = c->target.machine;
	gint64 now = g_get_monotonic_time();
	double interval = c->sample_us ? (double)(now - c->sample_us) / 1e6 : 0;
	guint64 total = 0, disk_read = 0, disk_written = 0, net_received = 0, net_sent = 0;
	guint64 instret[HV_MAX_VCPUS] = {0};
	GVariantBuilder vcpus, devices;
	struct virtio_mmio *t = NULL;
	GVariantDict d;

	g_variant_builder_init(&vcpus, G_VARIANT_TYPE("aa{sv}"));
	for (unsigned n = 0; n < m->cpus && n < HV_MAX_VCPUS; n++) {
		struct hv_vcpu_stats s = {0};
		double ips = 0;

		hv_vcpu_get_stats(m->vm, n, &s);
		instret[n] = s.instret;
		total += s.instret;
		if (interval > 0 && s.instret >= c->sample_instret[n])
			ips = (double)(s.instret - c->sample_instret[n]) / interval;
		g_variant_builder_add_value(&vcpus, vcpu_statistics(&s, ips));
	}
	g_variant_builder_init(&devices, G_VARIANT_TYPE("aa{sv}"));
	while ((t = virtio_mmio_next(m, t))) {
		struct virtio_mmio_stats s;
		GVariantDict dev;

		virtio_mmio_get_stats(t, &s);
		g_variant_dict_init(&dev, NULL);
		g_variant_dict_insert(&dev, "name", "s", s.name);
		g_variant_dict_insert(&dev, "slot", "u", s.slot);
		g_variant_dict_insert(&dev, "kicks", "t", (guint64)s.kicks);
		g_variant_dict_insert(&dev, "interrupts", "t", (guint64)s.interrupts);
		g_variant_dict_insert(&dev, "bytes-read", "t", (guint64)s.bytes_read);
		g_variant_dict_insert(&dev, "bytes-written", "t", (guint64)s.bytes_written);
		g_variant_builder_add_value(&devices, g_variant_dict_end(&dev));
		if (strcmp(s.name, "virtio-blk") == 0) {
			disk_read += s.bytes_read;
			disk_written += s.bytes_written;
		} else if (strcmp(s.name, "virtio-net") == 0) {
			net_received += s.bytes_read;
			net_sent += s.bytes_written;
		}
	}

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "time", "t", (guint64)now);
	g_variant_dict_insert(&d, "interval", "d", interval);
	g_variant_dict_insert(&d, "instructions", "t", total);
	g_variant_dict_insert(&d, "instructions-per-second", "d",
	                      interval > 0 && total >= c->sample_total
	                              ? (double)(total - c->sample_total) / interval
	                              : 0.0);
	g_variant_dict_insert_value(&d, "vcpus", g_variant_builder_end(&vcpus));
	g_variant_dict_insert_value(&d, "devices", g_variant_builder_end(&devices));
	g_variant_dict_insert(&d, "disk-bytes-read", "t", disk_read);
	g_variant_dict_insert(&d, "disk-bytes-written", "t", disk_written);
	g_variant_dict_insert(&d, "net-bytes-received", "t", net_received);
	g_variant_dict_insert(&d, "net-bytes-sent", "t", net_sent);
	if (update) {
		c->sample_us = now;
		c->sample_total = total;
		memcpy(c->sample_instret, instret, sizeof(instret));
	}
	return g_variant_dict_end(&d);
}

static void refresh_display_size(struct control *c);

static gboolean refresh_statistics(gpointer data)
{
	struct control *c = data;

	if (c->skeleton)
		kennel_engine1_set_statistics(c->skeleton, sample_statistics(c, true));
	refresh_display_size(c);
	return G_SOURCE_CONTINUE;
}

/* --- Methods ----------------------------------------------------------------------------- */

static void return_error(GDBusMethodInvocation *invocation, KennelEngine1Error code,
                         const char *message)
{
	g_dbus_method_invocation_return_error_literal(invocation, KENNEL_ENGINE1_ERROR, code,
	                                              message);
}

static void wrong_state(struct control *c, GDBusMethodInvocation *invocation, const char *what)
{
	g_autofree char *message = g_strdup_printf("Cannot %s a guest that is %s.", what,
	                                           control_state_name(control_get_state(c)));

	return_error(invocation, KENNEL_ENGINE1_ERROR_WRONG_STATE, message);
}

static gboolean handle_start(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                             struct control *c)
{
	g_mutex_lock(&c->lock);
	bool ok = !c->started && !c->cancelled && c->state == CONTROL_STARTING;
	if (ok)
		c->started = true;
	g_cond_broadcast(&c->changed);
	g_mutex_unlock(&c->lock);
	if (!ok)
		wrong_state(c, invocation, "start");
	else
		c->pending_start = invocation; /* answered by publish_state() once running */
	return TRUE;
}

static gboolean handle_pause(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                             struct control *c)
{
	int err;

	if (control_get_state(c) != CONTROL_RUNNING) {
		wrong_state(c, invocation, "pause");
		return TRUE;
	}
	err = hv_vm_pause(c->target.machine->vm);
	if (err < 0) {
		return_error(invocation, KENNEL_ENGINE1_ERROR_WRONG_STATE,
		             "The guest is not running just now (rebooting or stopping).");
		return TRUE;
	}
	if (!transition(c, IN(CONTROL_RUNNING), CONTROL_PAUSED)) {
		hv_vm_resume(c->target.machine->vm);
		wrong_state(c, invocation, "pause");
		return TRUE;
	}
	kennel_engine1_complete_pause(object, invocation);
	return TRUE;
}

static gboolean handle_resume(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                              struct control *c)
{
	if (!transition(c, IN(CONTROL_PAUSED), CONTROL_RUNNING)) {
		wrong_state(c, invocation, "resume");
		return TRUE;
	}
	hv_vm_resume(c->target.machine->vm);
	kennel_engine1_complete_resume(object, invocation);
	return TRUE;
}

static gboolean handle_shutdown(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                                guint timeout_ms, struct control *c)
{
	enum control_state state = control_get_state(c);

	if (state == CONTROL_STARTING) {
		control_cancel_start(c); /* nothing ran yet: nothing to shut down */
	} else if (state == CONTROL_RUNNING || state == CONTROL_PAUSED ||
	           state == CONTROL_STOPPING) {
		begin_shutdown(c, timeout_ms ? timeout_ms : CONTROL_SHUTDOWN_TIMEOUT_MS);
	} else {
		wrong_state(c, invocation, "shut down");
		return TRUE;
	}
	kennel_engine1_complete_shutdown(object, invocation);
	return TRUE;
}

static gboolean handle_force_stop(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                                  struct control *c)
{
	enum control_state state = control_get_state(c);

	if (state == CONTROL_STARTING) {
		control_cancel_start(c);
	} else if (transition(c, IN(CONTROL_RUNNING) | IN(CONTROL_PAUSED) | IN(CONTROL_STOPPING),
	                      CONTROL_STOPPING)) {
		force_stop(c);
	} else {
		wrong_state(c, invocation, "stop");
		return TRUE;
	}
	kennel_engine1_complete_force_stop(object, invocation);
	return TRUE;
}

/* Like the reset button: run.c's reboot path loads the images again. */
static gboolean handle_reset(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                             struct control *c)
{
	if (!transition(c, IN(CONTROL_RUNNING) | IN(CONTROL_PAUSED), CONTROL_RUNNING)) {
		wrong_state(c, invocation, "reset");
		return TRUE;
	}
	hv_vm_request_exit(c->target.machine->vm, HV_EXIT_REBOOT, 0);
	hv_vm_resume(c->target.machine->vm);
	kennel_engine1_complete_reset(object, invocation);
	return TRUE;
}

/*
 * A new fd on the terminal end of the console pty (its slave): what a
 * terminal widget reads and writes.  The pty keeps what the guest printed
 * while nobody had it open and replays that to the next reader.
 */
static gboolean handle_open_console(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                                    GUnixFDList *in_fds, struct control *c)
{
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GError) error = NULL;
	int fd, index;

	if (!c->target.console_path) {
		return_error(invocation, KENNEL_ENGINE1_ERROR_NO_CONSOLE,
		             "This guest has no console (it was started with --no-virtio or "
		             "--console stdio).");
		return TRUE;
	}
	fd = open(c->target.console_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		g_dbus_method_invocation_return_error(invocation, KENNEL_ENGINE1_ERROR,
		                                      KENNEL_ENGINE1_ERROR_FAILED,
		                                      "Cannot open the console %s: %s",
		                                      c->target.console_path, g_strerror(errno));
		return TRUE;
	}
	fds = g_unix_fd_list_new();
	index = g_unix_fd_list_append(fds, fd, &error);
	close(fd);
	if (index < 0) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return TRUE;
	}
	kennel_engine1_complete_open_console(object, invocation, fds, g_variant_new_handle(index));
	return TRUE;
}

/* DisplayWidth and DisplayHeight follow the guest's screen; control thread. */
static void refresh_display_size(struct control *c)
{
	unsigned width = 0, height = 0;

	if (!c->skeleton || !c->target.get_display_size)
		return;
	c->target.get_display_size(c->target.opaque, &width, &height);
	if (kennel_engine1_get_display_width(c->skeleton) != width)
		kennel_engine1_set_display_width(c->skeleton, width);
	if (kennel_engine1_get_display_height(c->skeleton) != height)
		kennel_engine1_set_display_height(c->skeleton, height);
}

static void no_display(GDBusMethodInvocation *invocation)
{
	return_error(invocation, KENNEL_ENGINE1_ERROR_NO_DISPLAY, "This guest has no display.");
}

/* A new VNC client: one end of a socketpair goes to the server, the other to the app. */
static gboolean handle_open_display(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                                    GUnixFDList *in_fds, struct control *c)
{
	g_autoptr(GUnixFDList) fds = NULL;
	g_autoptr(GError) error = NULL;
	int fd = -1, index, err;

	if (!c->target.open_display) {
		no_display(invocation);
		return TRUE;
	}
	err = c->target.open_display(c->target.opaque, &fd);
	if (err < 0) {
		g_dbus_method_invocation_return_error(
		        invocation, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_FAILED,
		        "Cannot connect to the display: %s", g_strerror(-err));
		return TRUE;
	}
	fds = g_unix_fd_list_new();
	index = g_unix_fd_list_append(fds, fd, &error);
	close(fd);
	if (index < 0) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return TRUE;
	}
	kennel_engine1_complete_open_display(object, invocation, fds, g_variant_new_handle(index));
	return TRUE;
}

static gboolean handle_set_display_size(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                                        guint width, guint height, struct control *c)
{
	int err;

	if (!c->target.set_display_size) {
		no_display(invocation);
		return TRUE;
	}
	err = c->target.set_display_size(c->target.opaque, width, height);
	if (err < 0) {
		g_dbus_method_invocation_return_error(
		        invocation, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_FAILED,
		        "Cannot make the display %u x %u: %s", width, height,
		        err == -EINVAL ? "not a size the display can have" : g_strerror(-err));
		return TRUE;
	}
	kennel_engine1_complete_set_display_size(object, invocation);
	return TRUE;
}

static gboolean handle_get_statistics(KennelEngine1 *object, GDBusMethodInvocation *invocation,
                                      struct control *c)
{
	kennel_engine1_complete_get_statistics(object, invocation, sample_statistics(c, false));
	return TRUE;
}

/* --- The connection ---------------------------------------------------------------------- */

static void export_engine(struct control *c)
{
	g_autoptr(GError) error = NULL;

	c->skeleton = kennel_engine1_skeleton_new();
	kennel_engine1_set_state(c->skeleton, control_state_name(control_get_state(c)));
	kennel_engine1_set_statistics(c->skeleton, sample_statistics(c, true));
	g_signal_connect(c->skeleton, "handle-start", G_CALLBACK(handle_start), c);
	g_signal_connect(c->skeleton, "handle-pause", G_CALLBACK(handle_pause), c);
	g_signal_connect(c->skeleton, "handle-resume", G_CALLBACK(handle_resume), c);
	g_signal_connect(c->skeleton, "handle-shutdown", G_CALLBACK(handle_shutdown), c);
	g_signal_connect(c->skeleton, "handle-force-stop", G_CALLBACK(handle_force_stop), c);
	g_signal_connect(c->skeleton, "handle-reset", G_CALLBACK(handle_reset), c);
	g_signal_connect(c->skeleton, "handle-open-console", G_CALLBACK(handle_open_console), c);
	g_signal_connect(c->skeleton, "handle-open-display", G_CALLBACK(handle_open_display), c);
	g_signal_connect(c->skeleton, "handle-set-display-size",
	                 G_CALLBACK(handle_set_display_size), c);
	g_signal_connect(c->skeleton, "handle-get-statistics", G_CALLBACK(handle_get_statistics),
	                 c);
	if (!g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(c->skeleton), c->connection,
	                                      OBJECT_PATH, &error)) {
		fprintf(stderr, "kennel-engine: cannot export %s: %s\n", OBJECT_PATH,
		        error->message);
		connection_failed(c);
		return;
	}
	refresh_display_size(c);
	publish_state(c);
	c->stats_timer = add_timeout(c, 1000, refresh_statistics);
}

static void connected(GObject *source, GAsyncResult *result, gpointer data)
{
	struct control *c = data;
	g_autoptr(GError) error = NULL;

	c->connection = g_dbus_connection_new_finish(result, &error);
	if (!c->connection) {
		fprintf(stderr, "kennel-engine: the control connection failed: %s\n",
		        error->message);
		connection_failed(c);
		return;
	}
	g_signal_connect(c->connection, "closed", G_CALLBACK(on_closed), c);
	export_engine(c);
	g_dbus_connection_start_message_processing(c->connection);
}

static void connect_app(struct control *c)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) socket = g_socket_new_from_fd(c->fd, &error);
	g_autoptr(GSocketConnection) stream = NULL;
	g_autofree char *guid = g_dbus_generate_guid();

	if (!socket) {
		fprintf(stderr, "kennel-engine: --control-fd %d is not a socket: %s\n", c->fd,
		        error->message);
		close(c->fd);
		connection_failed(c);
		return;
	}
	stream = g_socket_connection_factory_create_connection(socket);
	g_dbus_connection_new(G_IO_STREAM(stream), guid,
	                      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
	                              G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
	                      NULL, NULL, connected, c);
}

static gpointer control_thread(gpointer data)
{
	struct control *c = data;

	g_main_context_push_thread_default(c->context);
	connect_app(c);
	g_main_loop_run(c->loop);
	g_main_context_pop_thread_default(c->context);
	return NULL;
}

int control_start(int fd, const struct control_target *target, struct control **out)
{
	struct control *c = g_new0(struct control, 1);

	c->target = *target;
	c->fd = fd;
	c->state = CONTROL_STARTING;
	g_mutex_init(&c->lock);
	g_cond_init(&c->changed);
	c->context = g_main_context_new();
	c->loop = g_main_loop_new(c->context, FALSE);
	c->thread = g_thread_new("kennel-control", control_thread, c);
	*out = c;
	return 0;
}

/* Last words: the final state out of the door, then the connection closed. */
static gboolean finish(gpointer data)
{
	struct control *c = data;

	publish_state(c);
	remove_source(&c->shutdown_timer);
	remove_source(&c->press_timer);
	remove_source(&c->stats_timer);
	if (c->skeleton) {
		kennel_engine1_set_statistics(c->skeleton, sample_statistics(c, true));
		g_dbus_interface_skeleton_flush(G_DBUS_INTERFACE_SKELETON(c->skeleton));
		g_dbus_interface_skeleton_unexport(G_DBUS_INTERFACE_SKELETON(c->skeleton));
	}
	if (c->connection) {
		g_signal_handlers_disconnect_by_data(c->connection, c);
		g_dbus_connection_flush_sync(c->connection, NULL, NULL);
		g_dbus_connection_close_sync(c->connection, NULL, NULL);
	}
	g_main_loop_quit(c->loop);
	return G_SOURCE_REMOVE;
}

void control_finish(struct control *c)
{
	if (!c)
		return;
	run_in_loop(c, finish, c, NULL);
	g_thread_join(c->thread);
	g_clear_object(&c->skeleton);
	g_clear_object(&c->connection);
	g_main_loop_unref(c->loop);
	g_main_context_unref(c->context);
	g_mutex_clear(&c->lock);
	g_cond_clear(&c->changed);
	g_free(c);
}
