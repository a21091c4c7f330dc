/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelApplication: the app object.  It owns the settings and the
 * app-wide actions (quit, preferences, about) and opens the one main
 * window.  The window owns the guests.
 */
#include <glib/gi18n.h>

#include "kennel-application.h"
#include "kennel-config.h"
#include "kennel-preferences-window.h"
#include "kennel-window.h"

struct _KennelApplication {
	AdwApplication parent_instance;

	GSettings *settings;
	gboolean demo; /* --demo: make the demo guest at once if there are no guests */
};

G_DEFINE_FINAL_TYPE(KennelApplication, kennel_application, ADW_TYPE_APPLICATION)

KennelApplication *kennel_application_new(void)
{
	return g_object_new(KENNEL_TYPE_APPLICATION, "application-id", APP_ID, "flags",
	                    G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/org/kennel/Kennel",
	                    NULL);
}

GSettings *kennel_application_get_settings(KennelApplication *self)
{
	g_return_val_if_fail(KENNEL_IS_APPLICATION(self), NULL);
	return self->settings;
}

static void quit_activated(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	KennelApplication *self = user_data;
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(self));

	/* Closing the window asks about running guests; quitting goes the same way. */
	if (window)
		gtk_window_close(window);
	else
		g_application_quit(G_APPLICATION(self));
}

static void preferences_activated(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	KennelApplication *self = user_data;
	GtkWindow *parent = gtk_application_get_active_window(GTK_APPLICATION(self));
	KennelPreferencesWindow *prefs = kennel_preferences_window_new(self->settings);

	gtk_window_set_transient_for(GTK_WINDOW(prefs), parent);
	gtk_window_present(GTK_WINDOW(prefs));
}

static void about_activated(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	KennelApplication *self = user_data;
	GtkWindow *parent = gtk_application_get_active_window(GTK_APPLICATION(self));
	static const char *developers[] = {"The Kennel developers", NULL};
	GtkWidget *about;

	about = g_object_new(ADW_TYPE_ABOUT_WINDOW, "transient-for", parent, "application-name",
	                     _("Kennel"), "application-icon", APP_ID, "version", PACKAGE_VERSION,
	                     "developer-name", _("The Kennel developers"), "developers", developers,
	                     "comments", _("Run small virtual machines and look inside them"),
	                     "license-type", GTK_LICENSE_GPL_2_0, "copyright",
	                     "© 2026 The Kennel developers",
	                     /* Translators: your names, one per line. */
	                     "translator-credits", _("translator-credits"), NULL);
	gtk_window_present(GTK_WINDOW(about));
}

static const GActionEntry app_actions[] = {
        {"quit", quit_activated, NULL, NULL, NULL, {0}},
        {"preferences", preferences_activated, NULL, NULL, NULL, {0}},
        {"about", about_activated, NULL, NULL, NULL, {0}},
};

static void kennel_application_startup(GApplication *app)
{
	KennelApplication *self = KENNEL_APPLICATION(app);
	static const char *quit_accels[] = {"<primary>q", NULL};
	static const char *prefs_accels[] = {"<primary>comma", NULL};
	static const char *new_accels[] = {"<primary>n", NULL};

	G_APPLICATION_CLASS(kennel_application_parent_class)->startup(app);

	self->settings = g_settings_new(APP_ID);
	g_action_map_add_action_entries(G_ACTION_MAP(self), app_actions, G_N_ELEMENTS(app_actions),
	                                self);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "app.quit", quit_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "app.preferences",
	                                      prefs_accels);
	gtk_application_set_accels_for_action(GTK_APPLICATION(self), "win.new-guest", new_accels);
}

static gint kennel_application_handle_local_options(GApplication *app, GVariantDict *options)
{
	KennelApplication *self = KENNEL_APPLICATION(app);

	self->demo = g_variant_dict_contains(options, "demo");
	return -1; /* go on: activate */
}

static void kennel_application_activate(GApplication *app)
{
	KennelApplication *self = KENNEL_APPLICATION(app);
	GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(app));

	if (!window)
		window = GTK_WINDOW(kennel_window_new(self));
	gtk_window_present(window);

#ifdef KENNEL_HAVE_GUESTS
	/* tools/run-demo.sh: a first start goes straight to the demo guest. */
	if (self->demo) {
		KennelProfileStore *store = kennel_window_get_store(KENNEL_WINDOW(window));

		if (!store || g_list_model_get_n_items(G_LIST_MODEL(store)) == 0)
			kennel_window_create_demo_guest(KENNEL_WINDOW(window), TRUE);
	}
#endif
	self->demo = FALSE;
}

static void kennel_application_dispose(GObject *object)
{
	KennelApplication *self = KENNEL_APPLICATION(object);

	g_clear_object(&self->settings);
	G_OBJECT_CLASS(kennel_application_parent_class)->dispose(object);
}

static void kennel_application_class_init(KennelApplicationClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GApplicationClass *app_class = G_APPLICATION_CLASS(klass);

	object_class->dispose = kennel_application_dispose;
	app_class->startup = kennel_application_startup;
	app_class->activate = kennel_application_activate;
	app_class->handle_local_options = kennel_application_handle_local_options;
}

static void kennel_application_init(KennelApplication *self)
{
	const GOptionEntry entries[] = {
	        {"demo", 0, 0, G_OPTION_ARG_NONE, NULL,
	         N_("Create and start the demo guest if there are no guests yet"), NULL},
	        {NULL},
	};

	g_application_add_main_option_entries(G_APPLICATION(self), entries);
}
