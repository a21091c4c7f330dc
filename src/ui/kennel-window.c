/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelWindow: the main window.  Its first page lists the guests; with
 * none, it offers the demo guest, so that a first start ends in a running
 * Linux after one click.  Each open guest gets a page of its own (a
 * KennelGuestView), kept while the guest runs so that its console and
 * screen survive going back to the list.
 */
#include <glib/gi18n.h>
#include <sys/resource.h>

#include "kennel-config.h"
#include "kennel-window.h"
#ifdef KENNEL_HAVE_GUESTS
#include "app/profile-store.h"
#include "kennel-guest-row.h"
#include "kennel-guest-view.h"
#include "kennel-new-guest-dialog.h"
#endif

struct _KennelWindow {
	AdwApplicationWindow parent_instance;

	GSettings *settings;

	AdwToastOverlay *toast_overlay;
	GtkStack *main_stack;
	GtkStack *list_stack;
	GtkListBox *guest_list;
	AdwPreferencesGroup *problems_group;
	GtkListBox *problem_list;
	AdwStatusPage *empty_page;

#ifdef KENNEL_HAVE_GUESTS
	KennelProfileStore *store;
	GHashTable *views;      /* profile id -> KennelGuestView, one page of main_stack each */
	gboolean closing;       /* the person agreed to stop the running guests */
	gboolean start_created; /* start the guest the next dialog creates */
#endif
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

#ifdef KENNEL_HAVE_GUESTS
/* --- the guests: the store's profiles, a view and a row for each --- */

static KennelGuestView *find_view(KennelWindow *self, GVariant *param)
{
	return g_hash_table_lookup(self->views, g_variant_get_string(param, NULL));
}

static void add_problem(KennelWindow *self, const GError *error)
{
	AdwActionRow *row = ADW_ACTION_ROW(adw_action_row_new());
	GtkWidget *icon = gtk_image_new_from_icon_name("dialog-warning-symbolic");

	adw_action_row_add_prefix(row, icon);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), error->message);
	adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
	adw_action_row_set_title_lines(row, 0);
	gtk_list_box_append(self->problem_list, GTK_WIDGET(row));
}

/*
 * Brings the list in line with the store: a view (a page of the window)
 * for every guest, a row for every guest, in the store's order.  A guest
 * that left the store keeps its view while it still runs.
 */
static void sync_guests(KennelWindow *self)
{
	GListModel *model = G_LIST_MODEL(self->store);
	guint n = g_list_model_get_n_items(model);
	GPtrArray *errors = kennel_profile_store_get_load_errors(self->store);
	g_autoptr(GHashTable) present = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter iter;
	gpointer key, value;
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->guest_list))))
		gtk_list_box_remove(self->guest_list, child);
	for (guint i = 0; i < n; i++) {
		g_autoptr(KennelProfile) profile = g_list_model_get_item(model, i);
		const char *id = kennel_profile_get_id(profile);
		KennelGuestView *view = g_hash_table_lookup(self->views, id);

		if (!view) {
			view = kennel_guest_view_new(profile);
			g_hash_table_insert(self->views, g_strdup(id), g_object_ref_sink(view));
			gtk_stack_add_named(self->main_stack, GTK_WIDGET(view), id);
		}
		g_hash_table_add(present, (gpointer)id);
		gtk_list_box_append(self->guest_list, kennel_guest_row_new(view));
	}
	g_hash_table_iter_init(&iter, self->views);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (g_hash_table_contains(present, key) ||
		    kennel_guest_view_is_running(KENNEL_GUEST_VIEW(value)))
			continue;
		if (gtk_stack_get_visible_child(self->main_stack) == value)
			gtk_stack_set_visible_child_name(self->main_stack, "guests");
		gtk_stack_remove(self->main_stack, GTK_WIDGET(value));
		g_hash_table_iter_remove(&iter);
	}

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->problem_list))))
		gtk_list_box_remove(self->problem_list, child);
	for (guint i = 0; i < errors->len; i++)
		add_problem(self, g_ptr_array_index(errors, i));
	gtk_widget_set_visible(GTK_WIDGET(self->problems_group), errors->len > 0);
	gtk_stack_set_visible_child_name(self->list_stack,
	                                 n == 0 && errors->len == 0 ? "empty" : "list");
}

static void on_items_changed(GListModel *model, guint position, guint removed, guint added,
                             gpointer data)
{
	sync_guests(KENNEL_WINDOW(data));
}

static void load_guests(KennelWindow *self)
{
	g_autoptr(GError) error = NULL;

	if (!kennel_profile_store_load(self->store, &error))
		kennel_window_toast(self, error->message);
	sync_guests(self);
}

static void open_guest(KennelWindow *self, KennelProfile *profile)
{
	sync_guests(self);
	gtk_stack_set_visible_child_name(self->main_stack, kennel_profile_get_id(profile));
}

static void on_dialog_done(KennelNewGuestDialog *dialog, KennelProfile *profile, gpointer data)
{
	KennelWindow *self = data;

	if (profile) {
		open_guest(self, profile);
		if (self->start_created)
			gtk_widget_activate_action(GTK_WIDGET(self), "win.start-guest", "s",
			                           kennel_profile_get_id(profile));
	}
	self->start_created = FALSE;
}

static KennelNewGuestDialog *open_dialog(KennelWindow *self, KennelNewGuestDialog *dialog)
{
	gtk_window_set_transient_for(GTK_WINDOW(dialog), GTK_WINDOW(self));
	g_signal_connect_object(dialog, "done", G_CALLBACK(on_dialog_done), self, 0);
	gtk_window_present(GTK_WINDOW(dialog));
	return dialog;
}

static void new_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);

	open_dialog(self, kennel_new_guest_dialog_new(self->store));
}

static void create_demo_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);

	kennel_new_guest_dialog_create_demo(
	        open_dialog(self, kennel_new_guest_dialog_new(self->store)));
}

static void open_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);
	KennelGuestView *view = find_view(self, param);

	if (view)
		gtk_stack_set_visible_child(self->main_stack, GTK_WIDGET(view));
}

static void start_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);
	KennelGuestView *view = find_view(self, param);
	g_autoptr(GError) error = NULL;

	if (!view)
		return;
	/* The store's rules between guests (no writable disk in two of them). */
	if (!kennel_profile_store_check(self->store, kennel_guest_view_get_profile(view), &error)) {
		kennel_window_toast(self, error->message);
		return;
	}
	kennel_guest_view_start(view);
	gtk_stack_set_visible_child(self->main_stack, GTK_WIDGET(view));
}

static void stop_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelGuestView *view = find_view(KENNEL_WINDOW(widget), param);

	if (view)
		kennel_guest_view_shutdown(view);
}

static void edit_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);
	KennelGuestView *view = find_view(self, param);

	if (view)
		open_dialog(self, kennel_new_guest_dialog_new_edit(
		                          self->store, kennel_guest_view_get_profile(view)));
}

static void cloned(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelWindow) self = data;
	g_autoptr(GError) error = NULL;
	KennelProfile *clone =
	        kennel_profile_store_clone_finish(KENNEL_PROFILE_STORE(source), result, &error);

	if (!clone) {
		kennel_window_toast(self, error->message);
		return;
	}
	sync_guests(self);
	kennel_window_toast(self, _("Guest cloned"));
}

static void clone_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);
	KennelGuestView *view = find_view(self, param);
	KennelProfile *profile;
	g_autofree char *clone_name = NULL;

	if (!view)
		return;
	profile = kennel_guest_view_get_profile(view);
	/* Translators: the name of a clone of the guest named %s. */
	clone_name = g_strdup_printf(_("%s (Copy)"), kennel_profile_get_name(profile));
	kennel_profile_store_clone_async(self->store, profile, clone_name, KENNEL_CLONE_COPY_DISKS,
	                                 NULL, cloned, g_object_ref(self));
}

static void on_delete_response(AdwMessageDialog *dialog, const char *response, gpointer data)
{
	KennelWindow *self = data;
	KennelProfile *profile = g_object_get_data(G_OBJECT(dialog), "profile");
	g_autoptr(GError) error = NULL;

	if (!g_str_equal(response, "delete"))
		return;
	if (!kennel_profile_store_delete(self->store, profile, TRUE, &error))
		kennel_window_toast(self, error->message);
	gtk_stack_set_visible_child_name(self->main_stack, "guests");
	sync_guests(self);
}

/* The disks that deleting the guest deletes with it: its writable ones. */
static char *writable_disks(KennelProfile *profile)
{
	GListModel *disks = kennel_profile_get_disks(profile);
	g_autoptr(GString) list = g_string_new(NULL);

	for (guint i = 0; i < g_list_model_get_n_items(disks); i++) {
		g_autoptr(KennelProfileDisk) disk = g_list_model_get_item(disks, i);
		g_autofree char *base = NULL;

		if (kennel_profile_disk_get_read_only(disk))
			continue;
		base = g_path_get_basename(kennel_profile_disk_get_file(disk));
		if (list->len)
			g_string_append(list, ", ");
		g_string_append(list, base);
	}
	return list->len ? g_string_free(g_steal_pointer(&list), FALSE) : NULL;
}

static void delete_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelWindow *self = KENNEL_WINDOW(widget);
	KennelGuestView *view = find_view(self, param);
	KennelProfile *profile;
	AdwMessageDialog *dialog;
	g_autofree char *disks = NULL, *body = NULL;

	if (!view)
		return;
	profile = kennel_guest_view_get_profile(view);
	if (kennel_guest_view_is_running(view)) {
		kennel_window_toast(self, _("Shut the guest down before deleting it."));
		return;
	}
	disks = writable_disks(profile);
	if (disks)
		/* Translators: %s is a list of disk image files. */
		body = g_strdup_printf(_("Its settings and its disk images (%s) will be deleted. "
		                         "This cannot be undone."),
		                       disks);
	else
		body = g_strdup(_("Its settings will be deleted. It has no disk image of its own, "
		                  "so no disk is deleted."));
	dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(GTK_WINDOW(self), NULL, body));
	adw_message_dialog_format_heading(dialog, _("Delete “%s”?"),
	                                  kennel_profile_get_name(profile));
	adw_message_dialog_add_responses(dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
	                                 NULL);
	adw_message_dialog_set_response_appearance(dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_default_response(dialog, "cancel");
	adw_message_dialog_set_close_response(dialog, "cancel");
	g_object_set_data_full(G_OBJECT(dialog), "profile", g_object_ref(profile), g_object_unref);
	g_signal_connect_object(dialog, "response", G_CALLBACK(on_delete_response), self, 0);
	gtk_window_present(GTK_WINDOW(dialog));
}

static guint count_running(KennelWindow *self)
{
	GHashTableIter iter;
	gpointer value;
	guint n = 0;

	g_hash_table_iter_init(&iter, self->views);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		n += kennel_guest_view_is_running(KENNEL_GUEST_VIEW(value));
	return n;
}

static gboolean close_now(gpointer data)
{
	gtk_window_close(GTK_WINDOW(data));
	return G_SOURCE_REMOVE;
}

static void on_close_response(AdwMessageDialog *dialog, const char *response, gpointer data)
{
	KennelWindow *self = data;

	if (!g_str_equal(response, "stop"))
		return;
	self->closing = TRUE;
	/* Not from inside the response: the dialog closes itself after it, and a
	 * window destroyed under it leaves it a dangling transient parent. */
	g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, close_now, g_object_ref(self), g_object_unref);
}

/*
 * Closing with running guests: ask, or (the stop-guests setting) just go.
 * Dropping a guest's supervisor closes its engine's connection, and the
 * engine then shuts its guest down and exits by itself.
 */
static gboolean confirm_close(KennelWindow *self)
{
	guint running = count_running(self);
	AdwMessageDialog *dialog;

	if (self->closing || running == 0 ||
	    g_settings_get_enum(self->settings, "close-action") == 1)
		return TRUE;
	dialog = ADW_MESSAGE_DIALOG(adw_message_dialog_new(
	        GTK_WINDOW(self),
	        ngettext("Shut Down the Running Guest?", "Shut Down the Running Guests?", running),
	        _("Closing Kennel shuts down every guest that is running.")));
	adw_message_dialog_add_responses(dialog, "cancel", _("_Cancel"), "stop",
	                                 _("_Shut Down and Close"), NULL);
	adw_message_dialog_set_response_appearance(dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_default_response(dialog, "cancel");
	adw_message_dialog_set_close_response(dialog, "cancel");
	g_signal_connect_object(dialog, "response", G_CALLBACK(on_close_response), self, 0);
	gtk_window_present(GTK_WINDOW(dialog));
	return FALSE;
}

KennelGuestView *kennel_window_get_guest_view(KennelWindow *self, const char *id)
{
	g_return_val_if_fail(KENNEL_IS_WINDOW(self), NULL);
	return g_hash_table_lookup(self->views, id);
}

KennelProfileStore *kennel_window_get_store(KennelWindow *self)
{
	g_return_val_if_fail(KENNEL_IS_WINDOW(self), NULL);
	return self->store;
}

void kennel_window_create_demo_guest(KennelWindow *self, gboolean start)
{
	g_return_if_fail(KENNEL_IS_WINDOW(self));
	self->start_created = start;
	gtk_widget_activate_action(GTK_WIDGET(self), "win.create-demo-guest", NULL);
}

void kennel_window_reload(KennelWindow *self)
{
	g_return_if_fail(KENNEL_IS_WINDOW(self));
	load_guests(self);
}
#else
static void new_guest_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_window_toast(KENNEL_WINDOW(widget), _("Guests cannot be created yet."));
}

static void create_demo_activated(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_window_toast(KENNEL_WINDOW(widget), _("Guests cannot be created yet."));
}
#endif

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
#ifdef KENNEL_HAVE_GUESTS
	if (!confirm_close(KENNEL_WINDOW(window)))
		return TRUE;
#endif
	save_size(KENNEL_WINDOW(window));
	return GTK_WINDOW_CLASS(kennel_window_parent_class)->close_request(window);
}

/*
 * For bench/bench-app.sh: KENNEL_EXIT_AFTER_FIRST_FRAME=1 prints when the
 * window's first frame was painted (CLOCK_REALTIME, microseconds, so that
 * the script can subtract the moment it ran the app) and quits.
 */
static void on_after_paint(GdkFrameClock *clock, gpointer data)
{
	GtkWindow *window = data;
	struct rusage usage;

	g_signal_handlers_disconnect_by_func(clock, on_after_paint, data);
	getrusage(RUSAGE_SELF, &usage);
	g_print("kennel: first frame at %" G_GINT64_FORMAT " us, cpu %ld us, maxrss %ld KiB\n",
	        g_get_real_time(),
	        (long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000 +
	                usage.ru_utime.tv_usec + usage.ru_stime.tv_usec,
	        usage.ru_maxrss);
	g_application_quit(G_APPLICATION(gtk_window_get_application(window)));
}

static void on_map_for_bench(GtkWidget *widget, gpointer data)
{
	GdkFrameClock *clock = gtk_widget_get_frame_clock(widget);

	if (clock)
		g_signal_connect(clock, "after-paint", G_CALLBACK(on_after_paint), widget);
}

static void kennel_window_constructed(GObject *object)
{
	KennelWindow *self = KENNEL_WINDOW(object);

	G_OBJECT_CLASS(kennel_window_parent_class)->constructed(object);
	self->settings = g_settings_new(APP_ID);
	restore_size(self);
	if (g_getenv("KENNEL_EXIT_AFTER_FIRST_FRAME"))
		g_signal_connect(self, "map", G_CALLBACK(on_map_for_bench), NULL);
#ifdef KENNEL_HAVE_GUESTS
	self->views = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->store = kennel_profile_store_new();
	g_signal_connect_object(self->store, "items-changed", G_CALLBACK(on_items_changed), self,
	                        0);
	load_guests(self);
#endif
}

static void kennel_window_dispose(GObject *object)
{
	KennelWindow *self = KENNEL_WINDOW(object);

	g_clear_object(&self->settings);
#ifdef KENNEL_HAVE_GUESTS
	g_clear_pointer(&self->views, g_hash_table_unref);
	g_clear_object(&self->store);
#endif
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
	gtk_widget_class_bind_template_child(widget_class, KennelWindow, empty_page);

	gtk_widget_class_install_action(widget_class, "win.new-guest", NULL, new_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.create-demo-guest", NULL,
	                                create_demo_activated);
	gtk_widget_class_install_action(widget_class, "win.show-guests", NULL,
	                                show_guests_activated);
#ifdef KENNEL_HAVE_GUESTS
	gtk_widget_class_install_action(widget_class, "win.open-guest", "s", open_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.start-guest", "s",
	                                start_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.stop-guest", "s", stop_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.edit-guest", "s", edit_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.clone-guest", "s",
	                                clone_guest_activated);
	gtk_widget_class_install_action(widget_class, "win.delete-guest", "s",
	                                delete_guest_activated);
#endif
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Left, GDK_ALT_MASK,
	                                    "win.show-guests", NULL);
}

static void kennel_window_init(KennelWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}
