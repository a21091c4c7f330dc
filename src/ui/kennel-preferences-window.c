/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelPreferencesWindow: the settings a person may change, each bound
 * straight to its GSettings key, so there is nothing to apply or save.
 */
#include <glib/gi18n.h>

#include "kennel-preferences-window.h"

struct _KennelPreferencesWindow {
	AdwPreferencesWindow parent_instance;

	GSettings *settings;
	GtkAdjustment *memory_adjustment;
	GtkAdjustment *vcpus_adjustment;
	AdwComboRow *close_row;
	GtkSwitch *resize_switch;
};

G_DEFINE_FINAL_TYPE(KennelPreferencesWindow, kennel_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* close-action is an enum in the schema; the combo row shows its nicks in order. */
static gboolean close_get_mapping(GValue *value, GVariant *variant, gpointer user_data)
{
	g_value_set_uint(value, g_str_equal(g_variant_get_string(variant, NULL), "stop-guests"));
	return TRUE;
}

static GVariant *close_set_mapping(const GValue *value, const GVariantType *type,
                                   gpointer user_data)
{
	return g_variant_new_string(g_value_get_uint(value) == 1 ? "stop-guests" : "ask");
}

KennelPreferencesWindow *kennel_preferences_window_new(GSettings *settings)
{
	KennelPreferencesWindow *self = g_object_new(KENNEL_TYPE_PREFERENCES_WINDOW, NULL);

	self->settings = g_object_ref(settings);
	g_settings_bind(settings, "default-memory-mib", self->memory_adjustment, "value",
	                G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(settings, "default-vcpus", self->vcpus_adjustment, "value",
	                G_SETTINGS_BIND_DEFAULT);
	g_settings_bind_with_mapping(settings, "close-action", self->close_row, "selected",
	                             G_SETTINGS_BIND_DEFAULT, close_get_mapping, close_set_mapping,
	                             NULL, NULL);
	g_settings_bind(settings, "resize-guest-display", self->resize_switch, "active",
	                G_SETTINGS_BIND_DEFAULT);
	return self;
}

static void kennel_preferences_window_dispose(GObject *object)
{
	KennelPreferencesWindow *self = KENNEL_PREFERENCES_WINDOW(object);

	g_clear_object(&self->settings);
	G_OBJECT_CLASS(kennel_preferences_window_parent_class)->dispose(object);
}

static void kennel_preferences_window_class_init(KennelPreferencesWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = kennel_preferences_window_dispose;
	gtk_widget_class_set_template_from_resource(
	        widget_class, "/org/kennel/Kennel/kennel-preferences-window.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelPreferencesWindow,
	                                     memory_adjustment);
	gtk_widget_class_bind_template_child(widget_class, KennelPreferencesWindow,
	                                     vcpus_adjustment);
	gtk_widget_class_bind_template_child(widget_class, KennelPreferencesWindow, close_row);
	gtk_widget_class_bind_template_child(widget_class, KennelPreferencesWindow, resize_switch);
}

static void kennel_preferences_window_init(KennelPreferencesWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}
