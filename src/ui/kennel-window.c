/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelWindow: the main window.  Its first page lists the guests; with
 * none, it offers the demo guest, so that a first start ends in a running
 * Linux after one click.  Each open guest gets a page of its own (a
 * KennelGuestView), kept while the guest runs so that its console and
 * screen survive going back to the list.
 */
#include <glib/gi18n.h>

#include "kennel-config.h"
#include "kennel-window.h"

struct _KennelWindow {
	AdwApplicationWindow parent_instance;

	GSettings *settings;

	AdwToastOverlay *toast_overlay;
	GtkStack *main_stack;
	GtkStack *list_stack;
	GtkListBox *guest_list;
	AdwPreferencesGroup *problems_group;
	GtkListBox *problem_list;
};

G_DEFINE_FINAL_TYPE(KennelWindow, kennel_window, ADW_TYPE_APPLICATION_WINDOW)

KennelWindow *kennel_window_new(KennelApplication *app)
{
	return g_object_new(KENNEL_TYPE_WINDOW, "application", app, NULL);
}

void kennel_window_toast(KennelWindow *self, const char *message)
{
	g_return_if_fail(KENNEL_IS_WINDOW(self));
	adw_toast_overlay_add_toast(self->toast_overlay, adw_toast_new(message));
}

static void new_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_window_toast(KENNEL_WINDOW(widget), _("Guests cannot be created yet."));
}

static void create_demo_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_window_toast(KENNEL_WINDOW(widget), _("Guests cannot be created yet."));
}

static void show_guests_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);

	gtk_stack_set_visible_child_name(self->main_stack, "guests");
}

/* The window's size survives a restart (and is the size a restart opens at). */
static void restore_size(KennelWindow *self)
{
	gtk_window_set_default_size(GTK_WINDOW(self),
	                            g_settings_get_int(self->settings, "window-width"),
	                            g_settings_get_int(self->settings, "window-height"));
	if (g_settings_get_boolean(self->settings, "window-maximized"))
		gtk_window_maximize(GTK_WINDOW(self));
}

static void save_size(KennelWindow *self)
{
	int width, height;

	gtk_window_get_default_size(GTK_WINDOW(self), &width, &height);
	g_settings_delay(self->settings);
	g_settings_set_int(self->settings, "window-width", width);
	g_settings_set_int(self->settings, "window-height", height);
	g_settings_set_boolean(self->settings, "window-maximized",
	                       gtk_window_is_maximized(GTK_WINDOW(self)));
	g_settings_apply(self->settings);
}

static gboolean kennel_window_close_request(GtkWindow *window)
{
	save_size(KENNEL_WINDOW(window));
	return GTK_WINDOW_CLASS(kennel_window_parent_class)->close_request(window);
}

static void kennel_window_constructed(GObject *object)
{
	KennelWindow *self = KENNEL_WINDOW(object);

	G_OBJECT_CLASS(kennel_window_parent_class)->constructed(object);
	self->settings = g_settings_new(APP_ID);
	restore_size(self);
}

static void kennel_window_dispose(GObject *object)
{
	KennelWindow *self = KENNEL_WINDOW(object);

	g_clear_object(&self->settings);
	G_OBJECT_CLASS(kennel_window_parent_class)->dispose(object);
}

static void kennel_window_class_init(KennelWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GtkWindowClass *window_class = GTK_WINDOW_CLASS(klass);

	object_class->constructed = kennel_window_constructed;
	object_class->dispose = kennel_window_dispose;
	window_class->close_request = kennel_window_close_request;

	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/kennel/Kennel/kennel-window.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, toast_overlay);
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, main_stack);
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, list_stack);
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, guest_list);
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, problems_group);
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, problem_list);

	gtk_widget_class_install_action(widget_class, "win.new-guest", NULL, new_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.create-demo-guest", NULL,
	                                create_demo_activated);
	gtk_widget_class_install_action(widget_class, "win.show-guests", NULL,
	                                show_guests_activated);
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Left, GDK_ALT_MASK,
	                                    "win.show-guests", NULL);
}

static void kennel_window_init(KennelWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}
