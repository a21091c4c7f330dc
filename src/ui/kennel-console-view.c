/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelConsoleView: the guest's console.  The engine keeps the guest's
 * virtio console on a pty and hands the app a file descriptor for it;
 * VteTerminal reads the guest's output from it and writes what is typed.
 * The terminal's size goes to the pty (TIOCSWINSZ), which the engine
 * passes on to the guest (VIRTIO_CONSOLE_F_SIZE), so a resized window
 * resizes the guest's tty.  Output printed before the app looked is
 * replayed by the engine, so the boot log is there too.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "kennel-console-view.h"

#define SCALE_MIN  0.5
#define SCALE_MAX  4.0
#define SCALE_STEP 1.1

struct _KennelConsoleView {
	GtkWidget parent_instance;

	GtkWidget *overlay;
	VteTerminal *terminal;
	gboolean connected;

	/*
	 * The bridge, when the fd is the terminal end (slave) of the engine's
	 * pty: VTE needs a master, so it gets a pty of our own, and bytes are
	 * copied between our pty's slave and the engine's fd.
	 */
	int engine_fd;    /* the fd from OpenConsole; -1 without a bridge */
	int bridge_slave; /* the slave of VTE's pty */
	guint engine_watch, slave_watch;
	int rows, cols; /* the size last passed on to engine_fd */
};

G_DEFINE_FINAL_TYPE(KennelConsoleView, kennel_console_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_FONT_SCALE, PROP_CONNECTED, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

GtkWidget *kennel_console_view_new(void)
{
	return g_object_new(KENNEL_TYPE_CONSOLE_VIEW, NULL);
}

VteTerminal *kennel_console_view_get_terminal(KennelConsoleView *self)
{
	g_return_val_if_fail(KENNEL_IS_CONSOLE_VIEW(self), NULL);
	return self->terminal;
}

static void stop_bridge(KennelConsoleView *self)
{
	g_clear_handle_id(&self->engine_watch, g_source_remove);
	g_clear_handle_id(&self->slave_watch, g_source_remove);
	if (self->engine_fd >= 0)
		close(self->engine_fd);
	if (self->bridge_slave >= 0)
		close(self->bridge_slave);
	self->engine_fd = self->bridge_slave = -1;
	self->rows = self->cols = 0;
}

static void on_eof(VteTerminal *terminal, gpointer data);

/* Writes all of buf to a non-blocking fd, waiting for room when it is full. */
static gboolean write_all(int fd, const char *buf, gssize len)
{
	while (len > 0) {
		gssize n = write(fd, buf, len);

		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {fd, POLLOUT, 0};

			if (poll(&pfd, 1, 1000) <= 0)
				return FALSE;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		buf += n;
		len -= n;
	}
	return TRUE;
}

static gboolean copy(int from, int to)
{
	char buf[16384];
	gssize n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return TRUE;
	return n > 0 && write_all(to, buf, n);
}

/* The guest printed something: on to VTE. */
static gboolean on_engine_readable(int fd, GIOCondition condition, gpointer data)
{
	KennelConsoleView *self = data;

	if (copy(self->engine_fd, self->bridge_slave))
		return G_SOURCE_CONTINUE;
	/* The engine's end went away (the guest stopped, the engine exited). */
	self->engine_watch = 0;
	on_eof(self->terminal, self);
	return G_SOURCE_REMOVE;
}

/* Something was typed: on to the guest. */
static gboolean on_slave_readable(int fd, GIOCondition condition, gpointer data)
{
	KennelConsoleView *self = data;

	if (copy(self->bridge_slave, self->engine_fd))
		return G_SOURCE_CONTINUE;
	self->slave_watch = 0;
	return G_SOURCE_REMOVE;
}

/* The terminal's rows and columns, passed on to the guest's tty. */
static void sync_size(KennelConsoleView *self)
{
	struct winsize ws = {0};

	if (self->engine_fd < 0)
		return;
	ws.ws_row = vte_terminal_get_row_count(self->terminal);
	ws.ws_col = vte_terminal_get_column_count(self->terminal);
	if (ws.ws_row == self->rows && ws.ws_col == self->cols)
		return;
	self->rows = ws.ws_row;
	self->cols = ws.ws_col;
	ioctl(self->engine_fd, TIOCSWINSZ, &ws);
}

static gboolean open_bridge(KennelConsoleView *self, int fd, GError **error)
{
	g_autoptr(VtePty) pty = vte_pty_new_sync(VTE_PTY_DEFAULT, NULL, error);
	char name[64];
	struct termios tio;

	if (!pty) {
		close(fd);
		return FALSE;
	}
	if (ptsname_r(vte_pty_get_fd(pty), name, sizeof(name)) != 0 ||
	    (self->bridge_slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		int saved = errno;

		close(fd);
		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved),
		            "Cannot open the console's terminal: %s", g_strerror(saved));
		return FALSE;
	}
	/* Raw: the bytes pass as they are; echo and line editing are the guest's. */
	if (tcgetattr(self->bridge_slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(self->bridge_slave, TCSANOW, &tio);
	}
	self->engine_fd = fd;
	g_unix_set_fd_nonblocking(fd, TRUE, NULL);
	self->engine_watch =
	        g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_engine_readable, self);
	self->slave_watch = g_unix_fd_add(self->bridge_slave, G_IO_IN | G_IO_HUP | G_IO_ERR,
	                                  on_slave_readable, self);
	vte_terminal_set_pty(self->terminal, pty);
	sync_size(self);
	return TRUE;
}

gboolean kennel_console_view_open_fd(KennelConsoleView *self, int fd, GError **error)
{
	char name[64];

	g_return_val_if_fail(KENNEL_IS_CONSOLE_VIEW(self), FALSE);
	kennel_console_view_close(self);
	if (ptsname_r(fd, name, sizeof(name)) == 0) {
		/* A master: VTE can use it as it is. */
		g_autoptr(VtePty) pty = vte_pty_new_foreign_sync(fd, NULL, error);

		if (!pty)
			return FALSE;
		vte_terminal_set_pty(self->terminal, pty);
	} else if (!open_bridge(self, fd, error)) {
		return FALSE;
	}
	self->connected = TRUE;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
	return TRUE;
}

void kennel_console_view_close(KennelConsoleView *self)
{
	g_return_if_fail(KENNEL_IS_CONSOLE_VIEW(self));
	if (!self->connected)
		return;
	/*
	 * Without the bridge VTE's pty sees the hang-up and lets go of it
	 * itself; vte_terminal_set_pty(NULL) on a live pty crashes VTE 0.70.
	 */
	stop_bridge(self);
	self->connected = FALSE;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
}

gboolean kennel_console_view_get_connected(KennelConsoleView *self)
{
	g_return_val_if_fail(KENNEL_IS_CONSOLE_VIEW(self), FALSE);
	return self->connected;
}

char *kennel_console_view_get_text(KennelConsoleView *self)
{
	long rows = vte_terminal_get_row_count(self->terminal);
	long first = 0, last = 0;
	GtkAdjustment *vadj = gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(self->terminal));

	/* Every line VTE keeps: from the top of the scroll-back to the screen's end. */
	if (vadj) {
		first = (long)gtk_adjustment_get_lower(vadj);
		last = (long)gtk_adjustment_get_upper(vadj);
	}
	last = MAX(last, first + rows);
	return vte_terminal_get_text_range(self->terminal, first, 0, last, 0, NULL, NULL, NULL);
}

void kennel_console_view_feed_child(KennelConsoleView *self, const char *text)
{
	g_return_if_fail(KENNEL_IS_CONSOLE_VIEW(self));
	vte_terminal_feed_child(self->terminal, text, -1);
}

double kennel_console_view_get_font_scale(KennelConsoleView *self)
{
	g_return_val_if_fail(KENNEL_IS_CONSOLE_VIEW(self), 1.0);
	return vte_terminal_get_font_scale(self->terminal);
}

void kennel_console_view_set_font_scale(KennelConsoleView *self, double scale)
{
	g_return_if_fail(KENNEL_IS_CONSOLE_VIEW(self));
	scale = CLAMP(scale, SCALE_MIN, SCALE_MAX);
	if (scale == vte_terminal_get_font_scale(self->terminal))
		return;
	vte_terminal_set_font_scale(self->terminal, scale);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_FONT_SCALE]);
}

static void on_eof(VteTerminal *terminal, gpointer data)
{
	KennelConsoleView *self = data;

	kennel_console_view_close(self);
	g_signal_emit(self, signals[SIGNAL_CLOSED], 0);
}

static void action_copy(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelConsoleView *self = KENNEL_CONSOLE_VIEW(widget);

	if (vte_terminal_get_has_selection(self->terminal))
		vte_terminal_copy_clipboard_format(self->terminal, VTE_FORMAT_TEXT);
}

static void action_paste(GtkWidget *widget, const char *name, GVariant *param)
{
	vte_terminal_paste_clipboard(KENNEL_CONSOLE_VIEW(widget)->terminal);
}

static void action_zoom(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelConsoleView *self = KENNEL_CONSOLE_VIEW(widget);
	double scale = kennel_console_view_get_font_scale(self);

	if (g_str_equal(name, "console.zoom-in"))
		scale *= SCALE_STEP;
	else if (g_str_equal(name, "console.zoom-out"))
		scale /= SCALE_STEP;
	else
		scale = 1.0;
	kennel_console_view_set_font_scale(self, scale);
}

static void kennel_console_view_get_property(GObject *object, guint prop_id, GValue *value,
                                             GParamSpec *pspec)
{
	KennelConsoleView *self = KENNEL_CONSOLE_VIEW(object);

	switch (prop_id) {
	case PROP_FONT_SCALE:
		g_value_set_double(value, kennel_console_view_get_font_scale(self));
		break;
	case PROP_CONNECTED: g_value_set_boolean(value, self->connected); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void kennel_console_view_set_property(GObject *object, guint prop_id, const GValue *value,
                                             GParamSpec *pspec)
{
	KennelConsoleView *self = KENNEL_CONSOLE_VIEW(object);

	switch (prop_id) {
	case PROP_FONT_SCALE:
		kennel_console_view_set_font_scale(self, g_value_get_double(value));
		break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static gboolean kennel_console_view_grab_focus(GtkWidget *widget)
{
	return gtk_widget_grab_focus(GTK_WIDGET(KENNEL_CONSOLE_VIEW(widget)->terminal));
}

static void kennel_console_view_dispose(GObject *object)
{
	KennelConsoleView *self = KENNEL_CONSOLE_VIEW(object);

	/* The terminal drops its pty itself (set_pty(NULL) here crashes VTE 0.70). */
	stop_bridge(self);
	self->connected = FALSE;
	gtk_widget_dispose_template(GTK_WIDGET(self), KENNEL_TYPE_CONSOLE_VIEW);
	self->terminal = NULL;
	G_OBJECT_CLASS(kennel_console_view_parent_class)->dispose(object);
}

static void kennel_console_view_class_init(KennelConsoleViewClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->get_property = kennel_console_view_get_property;
	object_class->set_property = kennel_console_view_set_property;
	object_class->dispose = kennel_console_view_dispose;
	widget_class->grab_focus = kennel_console_view_grab_focus;

	props[PROP_FONT_SCALE] = g_param_spec_double(
	        "font-scale", NULL, NULL, SCALE_MIN, SCALE_MAX, 1.0,
	        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	props[PROP_CONNECTED] = g_param_spec_boolean("connected", NULL, NULL, FALSE,
	                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
	signals[SIGNAL_CLOSED] = g_signal_new("closed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
	                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);

	g_type_ensure(VTE_TYPE_TERMINAL);
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/kennel/Kennel/kennel-console-view.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelConsoleView, overlay);
	gtk_widget_class_bind_template_child(widget_class, KennelConsoleView, terminal);

	gtk_widget_class_install_action(widget_class, "console.copy", NULL, action_copy);
	gtk_widget_class_install_action(widget_class, "console.paste", NULL, action_paste);
	gtk_widget_class_install_action(widget_class, "console.zoom-in", NULL, action_zoom);
	gtk_widget_class_install_action(widget_class, "console.zoom-out", NULL, action_zoom);
	gtk_widget_class_install_action(widget_class, "console.zoom-reset", NULL, action_zoom);
}

/*
 * The terminal takes every key it is given, so the console's shortcuts
 * run in the capture phase, before the keys reach it.
 */
static void add_shortcuts(KennelConsoleView *self)
{
	static const struct {
		const char *trigger, *action;
	} shortcuts[] = {
	        {"<Control><Shift>c", "console.copy"},  {"<Control><Shift>v", "console.paste"},
	        {"<Control>plus", "console.zoom-in"},   {"<Control>equal", "console.zoom-in"},
	        {"<Control>minus", "console.zoom-out"}, {"<Control>0", "console.zoom-reset"},
	};
	GtkEventController *controller = gtk_shortcut_controller_new();

	gtk_event_controller_set_propagation_phase(controller, GTK_PHASE_CAPTURE);
	for (guint i = 0; i < G_N_ELEMENTS(shortcuts); i++)
		gtk_shortcut_controller_add_shortcut(
		        GTK_SHORTCUT_CONTROLLER(controller),
		        gtk_shortcut_new(gtk_shortcut_trigger_parse_string(shortcuts[i].trigger),
		                         gtk_named_action_new(shortcuts[i].action)));
	gtk_widget_add_controller(GTK_WIDGET(self), controller);
}

/* Like GtkBinLayout, and after every allocation the terminal's size goes to the guest. */
static void layout_measure(GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
	GtkWidget *child = gtk_widget_get_first_child(widget);

	*minimum = *natural = 0;
	if (child)
		gtk_widget_measure(child, orientation, for_size, minimum, natural, minimum_baseline,
		                   natural_baseline);
}

static gboolean sync_size_idle(gpointer data)
{
	sync_size(data);
	return G_SOURCE_REMOVE;
}

static void layout_allocate(GtkWidget *widget, int width, int height, int baseline)
{
	GtkWidget *child = gtk_widget_get_first_child(widget);

	if (child)
		gtk_widget_allocate(child, width, height, baseline, NULL);
	if (KENNEL_CONSOLE_VIEW(widget)->engine_fd >= 0)
		g_idle_add_full(G_PRIORITY_DEFAULT, sync_size_idle, g_object_ref(widget),
		                g_object_unref);
}

static void kennel_console_view_init(KennelConsoleView *self)
{
	self->engine_fd = self->bridge_slave = -1;
	gtk_widget_set_layout_manager(GTK_WIDGET(self),
	                              gtk_custom_layout_new(NULL, layout_measure, layout_allocate));
	gtk_widget_init_template(GTK_WIDGET(self));
	add_shortcuts(self);
	g_signal_connect(self->terminal, "eof", G_CALLBACK(on_eof), self);
}
