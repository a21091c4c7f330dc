/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelGuestRow: a guest in the main window's list.  It follows the
 * guest's profile (name, memory, vCPUs) and its view's state, and offers
 * the one button a person needs most: Start, or Shut Down when it runs.
 */
#include <glib/gi18n.h>

#include "kennel-guest-row.h"

struct _KennelGuestRow {
	AdwActionRow parent_instance;

	KennelGuestView *view;
	GtkLabel *state_label;
	GtkButton *power_button;
	GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE(KennelGuestRow, kennel_guest_row, ADW_TYPE_ACTION_ROW)

KennelGuestView *kennel_guest_row_get_view(KennelGuestRow *self)
{
	g_return_val_if_fail(KENNEL_IS_GUEST_ROW(self), NULL);
	return self->view;
}

static void update_profile(KennelGuestRow *self)
{
	KennelProfile *profile = kennel_guest_view_get_profile(self->view);
	guint64 bytes = kennel_profile_get_memory(profile);
	g_autofree char *memory = bytes % (G_GUINT64_CONSTANT(1) << 30) == 0
	                                  ? g_strdup_printf(_("%u GiB"), (guint)(bytes >> 30))
	                          : bytes % (1 << 20) == 0
	                                  ? g_strdup_printf(_("%u MiB"), (guint)(bytes >> 20))
	                                  : g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
	g_autofree char *subtitle = NULL;
	guint vcpus = kennel_profile_get_vcpus(profile);

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self), kennel_profile_get_name(profile));
	/* Translators: architecture · memory · number of virtual CPUs, "riscv64 · 256 MiB · 2
	 * vCPUs". */
	subtitle = g_strdup_printf(ngettext("%s · %s · %u vCPU", "%s · %s · %u vCPUs", vcpus),
	                           kennel_profile_get_architecture(profile), memory, vcpus);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(self), subtitle);
}

static void update_state(KennelGuestRow *self)
{
	KennelGuestState state = kennel_guest_view_get_state(self->view);
	const char *id = kennel_profile_get_id(kennel_guest_view_get_profile(self->view));
	gboolean running = kennel_guest_view_is_running(self->view);

	gtk_label_set_text(self->state_label, kennel_guest_state_get_label(state));
	if (running) {
		gtk_button_set_icon_name(self->power_button, "system-shutdown-symbolic");
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->power_button), _("Shut Down"));
		gtk_actionable_set_action_target(GTK_ACTIONABLE(self->power_button), "s", id);
		gtk_actionable_set_action_name(GTK_ACTIONABLE(self->power_button),
		                               "win.stop-guest");
	} else {
		gtk_button_set_icon_name(self->power_button, "media-playback-start-symbolic");
		gtk_widget_set_tooltip_text(GTK_WIDGET(self->power_button), _("Start"));
		gtk_actionable_set_action_target(GTK_ACTIONABLE(self->power_button), "s", id);
		gtk_actionable_set_action_name(GTK_ACTIONABLE(self->power_button),
		                               "win.start-guest");
	}
	if (state == KENNEL_GUEST_STATE_CRASHED)
		gtk_widget_add_css_class(GTK_WIDGET(self->state_label), "error");
	else
		gtk_widget_remove_css_class(GTK_WIDGET(self->state_label), "error");
}

static void on_profile_notify(GObject *profile, GParamSpec *pspec, gpointer data)
{
	update_profile(KENNEL_GUEST_ROW(data));
}

static void on_state(GObject *view, GParamSpec *pspec, gpointer data)
{
	update_state(KENNEL_GUEST_ROW(data));
}

static void append_item(GMenu *menu, const char *label, const char *action, const char *id)
{
	g_autoptr(GMenuItem) item = g_menu_item_new(label, NULL);

	g_menu_item_set_action_and_target_value(item, action, g_variant_new_string(id));
	g_menu_append_item(menu, item);
}

GtkWidget *kennel_guest_row_new(KennelGuestView *view)
{
	KennelGuestRow *self = g_object_new(KENNEL_TYPE_GUEST_ROW, NULL);
	KennelProfile *profile = kennel_guest_view_get_profile(view);
	const char *id = kennel_profile_get_id(profile);
	g_autoptr(GMenu) menu = g_menu_new();
	g_autoptr(GMenu) danger = g_menu_new();

	self->view = g_object_ref(view);
	gtk_widget_set_name(GTK_WIDGET(self), id);
	gtk_actionable_set_action_target(GTK_ACTIONABLE(self), "s", id);
	gtk_actionable_set_action_name(GTK_ACTIONABLE(self), "win.open-guest");

	append_item(menu, _("_Edit…"), "win.edit-guest", id);
	append_item(menu, _("_Clone"), "win.clone-guest", id);
	append_item(danger, _("_Delete…"), "win.delete-guest", id);
	g_menu_append_section(menu, NULL, G_MENU_MODEL(danger));
	gtk_menu_button_set_menu_model(self->menu_button, G_MENU_MODEL(menu));

	g_signal_connect_object(profile, "notify", G_CALLBACK(on_profile_notify), self, 0);
	g_signal_connect_object(view, "notify::state", G_CALLBACK(on_state), self, 0);
	update_profile(self);
	update_state(self);
	return GTK_WIDGET(self);
}

static void kennel_guest_row_dispose(GObject *object)
{
	KennelGuestRow *self = KENNEL_GUEST_ROW(object);

	g_clear_object(&self->view);
	G_OBJECT_CLASS(kennel_guest_row_parent_class)->dispose(object);
}

static void kennel_guest_row_class_init(KennelGuestRowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = kennel_guest_row_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/kennel/Kennel/kennel-guest-row.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelGuestRow, state_label);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestRow, power_button);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestRow, menu_button);
}

static void kennel_guest_row_init(KennelGuestRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}
