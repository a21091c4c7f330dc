/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelConsole: the guest's console.  The engine keeps the guest's
 * virtio console on a pty and hands the app a file descriptor for it;
 * VteTerminal reads the guest's output from it and writes what is typed.
 * The terminal's size goes to the pty (TIOCSWINSZ), which the engine
 * passes on to the guest (VIRTIO_CONSOLE_F_SIZE), so a resized window
 * resizes the guest's tty.  Output printed before the app looked is
 * replayed by the engine, so the boot log is there too.
 */
#include <glib/gi18n.h>

#include "kennel-console.h"

#define SCALE_MIN  0.5
#define SCALE_MAX  4.0
#define SCALE_STEP 1.1

struct _KennelConsole {
	GtkWidget parent_instance;

	GtkWidget *overlay;
	VteTerminal *terminal;
	gboolean connected;
};

G_DEFINE_FINAL_TYPE(KennelConsole, kennel_console, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_FONT_SCALE, PROP_CONNECTED, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

GtkWidget *kennel_console_new(void)
{
	return g_object_new(KENNEL_TYPE_CONSOLE, NULL);
}

VteTerminal *kennel_console_get_terminal(KennelConsole *self)
{
	g_return_val_if_fail(KENNEL_IS_CONSOLE(self), NULL);
	return self->terminal;
}

gboolean kennel_console_open_fd(KennelConsole *self, int fd, GError **error)
{
	g_autoptr(VtePty) pty = NULL;

	g_return_val_if_fail(KENNEL_IS_CONSOLE(self), FALSE);
	pty = vte_pty_new_foreign_sync(fd, NULL, error);
	if (!pty)
		return FALSE; /* the fd was closed on failure */
	vte_terminal_set_pty(self->terminal, pty);
	self->connected = TRUE;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
	return TRUE;
}

void kennel_console_close(KennelConsole *self)
{
	g_return_if_fail(KENNEL_IS_CONSOLE(self));
	if (!self->connected)
		return;
	vte_terminal_set_pty(self->terminal, NULL);
	self->connected = FALSE;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
}

gboolean kennel_console_get_connected(KennelConsole *self)
{
	g_return_val_if_fail(KENNEL_IS_CONSOLE(self), FALSE);
	return self->connected;
}

char *kennel_console_get_text(KennelConsole *self)
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

void kennel_console_feed_child(KennelConsole *self, const char *text)
{
	g_return_if_fail(KENNEL_IS_CONSOLE(self));
	vte_terminal_feed_child(self->terminal, text, -1);
}

double kennel_console_get_font_scale(KennelConsole *self)
{
	g_return_val_if_fail(KENNEL_IS_CONSOLE(self), 1.0);
	return vte_terminal_get_font_scale(self->terminal);
}

void kennel_console_set_font_scale(KennelConsole *self, double scale)
{
	g_return_if_fail(KENNEL_IS_CONSOLE(self));
	scale = CLAMP(scale, SCALE_MIN, SCALE_MAX);
	if (scale == vte_terminal_get_font_scale(self->terminal))
		return;
	vte_terminal_set_font_scale(self->terminal, scale);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_FONT_SCALE]);
}

static void on_eof(VteTerminal *terminal, gpointer data)
{
	KennelConsole *self = data;

	kennel_console_close(self);
	g_signal_emit(self, signals[SIGNAL_CLOSED], 0);
}

static void action_copy(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelConsole *self = KENNEL_CONSOLE(widget);

	if (vte_terminal_get_has_selection(self->terminal))
		vte_terminal_copy_clipboard_format(self->terminal, VTE_FORMAT_TEXT);
}

static void action_paste(GtkWidget *widget, const char *name, GVariant *param)
{
	vte_terminal_paste_clipboard(KENNEL_CONSOLE(widget)->terminal);
}

static void action_zoom(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelConsole *self = KENNEL_CONSOLE(widget);
	double scale = kennel_console_get_font_scale(self);

	if (g_str_equal(name, "console.zoom-in"))
		scale *= SCALE_STEP;
	else if (g_str_equal(name, "console.zoom-out"))
		scale /= SCALE_STEP;
	else
		scale = 1.0;
	kennel_console_set_font_scale(self, scale);
}

static void kennel_console_get_property(GObject *object, guint prop_id, GValue *value,
                                        GParamSpec *pspec)
{
	KennelConsole *self = KENNEL_CONSOLE(object);

	switch (prop_id) {
	case PROP_FONT_SCALE: g_value_set_double(value, kennel_console_get_font_scale(self)); break;
	case PROP_CONNECTED: g_value_set_boolean(value, self->connected); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void kennel_console_set_property(GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
	KennelConsole *self = KENNEL_CONSOLE(object);

	switch (prop_id) {
	case PROP_FONT_SCALE: kennel_console_set_font_scale(self, g_value_get_double(value)); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static gboolean kennel_console_grab_focus(GtkWidget *widget)
{
	return gtk_widget_grab_focus(GTK_WIDGET(KENNEL_CONSOLE(widget)->terminal));
}

static void kennel_console_dispose(GObject *object)
{
	KennelConsole *self = KENNEL_CONSOLE(object);

	/* The terminal drops its pty itself (set_pty(NULL) here crashes VTE 0.70). */
	self->connected = FALSE;
	gtk_widget_dispose_template(GTK_WIDGET(self), KENNEL_TYPE_CONSOLE);
	self->terminal = NULL;
	G_OBJECT_CLASS(kennel_console_parent_class)->dispose(object);
}

static void kennel_console_class_init(KennelConsoleClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->get_property = kennel_console_get_property;
	object_class->set_property = kennel_console_set_property;
	object_class->dispose = kennel_console_dispose;
	widget_class->grab_focus = kennel_console_grab_focus;

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
	                                            "/org/kennel/Kennel/kennel-console.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelConsole, overlay);
	gtk_widget_class_bind_template_child(widget_class, KennelConsole, terminal);
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);

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
static void add_shortcuts(KennelConsole *self)
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

static void kennel_console_init(KennelConsole *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	add_shortcuts(self);
	g_signal_connect(self->terminal, "eof", G_CALLBACK(on_eof), self);
}
