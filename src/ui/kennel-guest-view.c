/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelGuestView: one guest, open.
 *
 * The journey of a start: Start makes a KennelSupervisor for the guest's
 * profile file, which spawns `kennel-engine run --profile FILE` and
 * connects to it (launch).  Once connected the view asks for the console
 * first, so that not a line of the boot is missed, then tells the engine
 * to start the vCPUs, then asks for the display.  From then on the
 * supervisor's "state" drives what the header offers and which page the
 * view shows, and its "statistics" (about once a second) feed Details.
 *
 * When the engine dies without saying it stopped, the state becomes
 * crashed: the view shows the engine's last words and a Restart button.
 * Nothing of this touches the rest of the app.
 */
#include <glib/gi18n.h>
#include <unistd.h>

#include "kennel-config.h"
#include "kennel-guest-view.h"

struct _KennelGuestView {
	GtkWidget parent_instance;

	KennelProfile *profile;
	KennelSupervisor *supervisor;
	GCancellable *cancellable;
	GSettings *settings;
	gboolean resize_guest;

	GtkWidget *box;
	AdwViewSwitcherTitle *switcher_title;
	GtkWidget *start_button;
	GtkWidget *pause_button;
	GtkWidget *resume_button;
	GtkWidget *shutdown_button;
	GtkWidget *grab_hint;
	GtkStack *content_stack;
	AdwViewStack *view_stack;
	GtkStack *display_stack;
	KennelDisplay *display;
	KennelConsoleView *console;
	KennelDetails *details;
	AdwStatusPage *off_page;
	AdwStatusPage *crashed_page;
	AdwStatusPage *no_screen_page;
	GtkTextView *log_view;
};

G_DEFINE_FINAL_TYPE(KennelGuestView, kennel_guest_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_PROFILE, PROP_STATE, PROP_SUPERVISOR, PROP_RESIZE_GUEST, N_PROPS };
static GParamSpec *props[N_PROPS];

KennelGuestView *kennel_guest_view_new(KennelProfile *profile)
{
	return g_object_new(KENNEL_TYPE_GUEST_VIEW, "profile", profile, NULL);
}

KennelProfile *kennel_guest_view_get_profile(KennelGuestView *self)
{
	g_return_val_if_fail(KENNEL_IS_GUEST_VIEW(self), NULL);
	return self->profile;
}

KennelSupervisor *kennel_guest_view_get_supervisor(KennelGuestView *self)
{
	g_return_val_if_fail(KENNEL_IS_GUEST_VIEW(self), NULL);
	return self->supervisor;
}

KennelGuestState kennel_guest_view_get_state(KennelGuestView *self)
{
	g_return_val_if_fail(KENNEL_IS_GUEST_VIEW(self), KENNEL_GUEST_STATE_STOPPED);
	return self->supervisor ? kennel_supervisor_get_state(self->supervisor)
	                        : KENNEL_GUEST_STATE_STOPPED;
}

gboolean kennel_guest_view_is_running(KennelGuestView *self)
{
	KennelGuestState state = kennel_guest_view_get_state(self);

	return state != KENNEL_GUEST_STATE_STOPPED && state != KENNEL_GUEST_STATE_CRASHED;
}

KennelDisplay *kennel_guest_view_get_display(KennelGuestView *self)
{
	return self->display;
}

KennelConsoleView *kennel_guest_view_get_console(KennelGuestView *self)
{
	return self->console;
}

KennelDetails *kennel_guest_view_get_details(KennelGuestView *self)
{
	return self->details;
}

void kennel_guest_view_show_page(KennelGuestView *self, const char *name)
{
	g_return_if_fail(KENNEL_IS_GUEST_VIEW(self));
	adw_view_stack_set_visible_child_name(self->view_stack, name);
}

const char *kennel_guest_state_get_label(KennelGuestState state)
{
	switch (state) {
	case KENNEL_GUEST_STATE_STARTING: return _("Starting");
	case KENNEL_GUEST_STATE_RUNNING: return _("Running");
	case KENNEL_GUEST_STATE_PAUSED: return _("Paused");
	case KENNEL_GUEST_STATE_STOPPING: return _("Shutting down");
	case KENNEL_GUEST_STATE_STOPPED: return _("Off");
	case KENNEL_GUEST_STATE_CRASHED: return _("Crashed");
	default: return "";
	}
}

/* --- what the header offers and which page shows, from the state --- */

static gboolean scroll_log_to_end(gpointer data)
{
	KennelGuestView *self = data;
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->log_view);

	gtk_text_view_scroll_to_mark(self->log_view, gtk_text_buffer_get_insert(buffer), 0, TRUE, 0,
	                             1);
	return G_SOURCE_REMOVE;
}

static void show_log(KennelGuestView *self)
{
	GtkTextIter end;
	g_autofree char *tail = kennel_supervisor_dup_log_tail(self->supervisor);
	const char *error = kennel_supervisor_get_last_error(self->supervisor);
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(self->log_view);

	adw_status_page_set_description(self->crashed_page,
	                                error ? error : _("The guest’s engine stopped."));
	gtk_text_buffer_set_text(buffer, tail && *tail ? tail : _("(The engine printed nothing.)"),
	                         -1);
	/* The last lines are the ones that tell. */
	gtk_text_buffer_get_end_iter(buffer, &end);
	gtk_text_buffer_move_mark(buffer, gtk_text_buffer_get_insert(buffer), &end);
	g_idle_add_full(G_PRIORITY_LOW, scroll_log_to_end, g_object_ref(self), g_object_unref);
}

static void update_state(KennelGuestView *self)
{
	KennelGuestState state = kennel_guest_view_get_state(self);
	gboolean running = kennel_guest_view_is_running(self);
	gboolean on = state == KENNEL_GUEST_STATE_RUNNING || state == KENNEL_GUEST_STATE_PAUSED;

	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.start", !running);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.pause",
	                              state == KENNEL_GUEST_STATE_RUNNING);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.resume",
	                              state == KENNEL_GUEST_STATE_PAUSED);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.shutdown", on);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.force-off", running);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.reset", on);
	gtk_widget_action_set_enabled(GTK_WIDGET(self), "guest.send-keys",
	                              on && kennel_display_get_connected(self->display));

	gtk_widget_set_visible(self->start_button, !running);
	gtk_widget_set_visible(self->pause_button, running && state != KENNEL_GUEST_STATE_PAUSED);
	gtk_widget_set_visible(self->resume_button, state == KENNEL_GUEST_STATE_PAUSED);
	gtk_widget_set_visible(self->shutdown_button, running);
	adw_view_switcher_title_set_subtitle(self->switcher_title,
	                                     kennel_guest_state_get_label(state));

	if (running) {
		gtk_stack_set_visible_child_name(self->content_stack, "running");
	} else {
		kennel_display_close(self->display);
		kennel_details_update(self->details, NULL);
		if (state == KENNEL_GUEST_STATE_CRASHED) {
			show_log(self);
			gtk_stack_set_visible_child_name(self->content_stack, "crashed");
		} else {
			gtk_stack_set_visible_child_name(self->content_stack, "off");
		}
	}
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
}

static void on_state(KennelSupervisor *supervisor, GParamSpec *pspec, gpointer data)
{
	update_state(KENNEL_GUEST_VIEW(data));
}

/* Details follow the statistics only while someone looks at them: an idle UI stays idle. */
static void refresh_details(KennelGuestView *self)
{
	if (!self->supervisor || !kennel_guest_view_is_running(self) ||
	    !gtk_widget_get_mapped(GTK_WIDGET(self->details)))
		return;
	kennel_details_update(self->details, kennel_supervisor_get_statistics(self->supervisor));
}

static void on_statistics(KennelSupervisor *supervisor, GParamSpec *pspec, gpointer data)
{
	refresh_details(KENNEL_GUEST_VIEW(data));
}

static void on_details_map(GtkWidget *details, gpointer data)
{
	refresh_details(KENNEL_GUEST_VIEW(data));
}

static void drop_supervisor(KennelGuestView *self)
{
	if (!self->supervisor)
		return;
	g_signal_handlers_disconnect_by_data(self->supervisor, self);
	/* The last reference: the engine shuts its guest down and exits by itself. */
	g_clear_object(&self->supervisor);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_SUPERVISOR]);
}

/* --- starting: launch, console, start, display --- */

static void display_opened(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;
	int fd = kennel_supervisor_open_display_finish(KENNEL_SUPERVISOR(source), result, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
	    KENNEL_SUPERVISOR(source) != self->supervisor) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (fd < 0) {
		adw_status_page_set_description(self->no_screen_page, error->message);
		gtk_stack_set_visible_child_name(self->display_stack, "no-screen");
		adw_view_stack_set_visible_child_name(self->view_stack, "console");
		return;
	}
	gtk_stack_set_visible_child_name(self->display_stack, "screen");
	kennel_display_open_fd(self->display, fd);
	update_state(self);
}

static void started(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_start_finish(KENNEL_SUPERVISOR(source), result, &error)) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning("Starting %s: %s", kennel_profile_get_name(self->profile),
			          error->message);
		return;
	}
	if (KENNEL_SUPERVISOR(source) != self->supervisor)
		return;
	if (kennel_profile_get_display_enabled(self->profile)) {
		kennel_supervisor_open_display_async(self->supervisor, self->cancellable,
		                                     display_opened, g_object_ref(self));
	} else {
		adw_status_page_set_description(
		        self->no_screen_page,
		        _("This guest has no display; its console is on the Console page."));
		gtk_stack_set_visible_child_name(self->display_stack, "no-screen");
		adw_view_stack_set_visible_child_name(self->view_stack, "console");
	}
}

static void console_opened(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;
	int fd = kennel_supervisor_open_console_finish(KENNEL_SUPERVISOR(source), result, &error);

	if (fd >= 0 && KENNEL_SUPERVISOR(source) == self->supervisor) {
		if (!kennel_console_view_open_fd(self->console, fd, &error))
			g_warning("Console of %s: %s", kennel_profile_get_name(self->profile),
			          error->message);
	} else if (fd >= 0) {
		close(fd);
	} else if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_warning("Console of %s: %s", kennel_profile_get_name(self->profile),
		          error->message);
	}
	/* The console first, so that the boot's first line is in it; then the vCPUs. */
	if (KENNEL_SUPERVISOR(source) == self->supervisor &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		kennel_supervisor_start_async(self->supervisor, self->cancellable, started,
		                              g_object_ref(self));
}

static void launched(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_launch_finish(KENNEL_SUPERVISOR(source), result, &error)) {
		/* The supervisor is crashed now, with last-error: update_state shows it. */
		if (KENNEL_SUPERVISOR(source) == self->supervisor)
			update_state(self);
		return;
	}
	if (KENNEL_SUPERVISOR(source) != self->supervisor)
		return;
	kennel_supervisor_open_console_async(self->supervisor, self->cancellable, console_opened,
	                                     g_object_ref(self));
}

void kennel_guest_view_start(KennelGuestView *self)
{
	const char *path;

	g_return_if_fail(KENNEL_IS_GUEST_VIEW(self));
	if (kennel_guest_view_is_running(self))
		return;
	path = kennel_profile_get_path(self->profile);
	g_return_if_fail(path != NULL);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	drop_supervisor(self);
	kennel_console_view_close(self->console);
	vte_terminal_reset(kennel_console_view_get_terminal(self->console), TRUE, TRUE);

	self->supervisor = kennel_supervisor_new_for_profile(path);
	g_signal_connect(self->supervisor, "notify::state", G_CALLBACK(on_state), self);
	g_signal_connect(self->supervisor, "notify::statistics", G_CALLBACK(on_statistics), self);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_SUPERVISOR]);
	kennel_supervisor_launch_async(self->supervisor, self->cancellable, launched,
	                               g_object_ref(self));
	update_state(self);
}

/* --- the other buttons --- */

static void shutdown_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_shutdown_finish(KENNEL_SUPERVISOR(source), result, &error) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_warning("%s: %s", kennel_profile_get_name(self->profile), error->message);
}

static void force_stop_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_force_stop_finish(KENNEL_SUPERVISOR(source), result, &error) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_warning("%s: %s", kennel_profile_get_name(self->profile), error->message);
}

static void pause_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_pause_finish(KENNEL_SUPERVISOR(source), result, &error) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_warning("%s: %s", kennel_profile_get_name(self->profile), error->message);
}

static void resume_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_resume_finish(KENNEL_SUPERVISOR(source), result, &error) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_warning("%s: %s", kennel_profile_get_name(self->profile), error->message);
}

static void reset_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelGuestView) self = data;
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_reset_finish(KENNEL_SUPERVISOR(source), result, &error) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_warning("%s: %s", kennel_profile_get_name(self->profile), error->message);
}

void kennel_guest_view_shutdown(KennelGuestView *self)
{
	g_return_if_fail(KENNEL_IS_GUEST_VIEW(self));
	if (self->supervisor)
		kennel_supervisor_shutdown_async(self->supervisor, 0, self->cancellable,
		                                 shutdown_done, g_object_ref(self));
}

void kennel_guest_view_force_off(KennelGuestView *self)
{
	g_return_if_fail(KENNEL_IS_GUEST_VIEW(self));
	if (self->supervisor)
		kennel_supervisor_force_stop_async(self->supervisor, self->cancellable,
		                                   force_stop_done, g_object_ref(self));
}

static void action_start(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_guest_view_start(KENNEL_GUEST_VIEW(widget));
}

static void action_pause(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(widget);

	if (self->supervisor)
		kennel_supervisor_pause_async(self->supervisor, self->cancellable, pause_done,
		                              g_object_ref(self));
}

static void action_resume(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(widget);

	if (self->supervisor)
		kennel_supervisor_resume_async(self->supervisor, self->cancellable, resume_done,
		                               g_object_ref(self));
}

static void action_shutdown(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_guest_view_shutdown(KENNEL_GUEST_VIEW(widget));
}

static void action_force_off(GtkWidget *widget, const char *name, GVariant *param)
{
	kennel_guest_view_force_off(KENNEL_GUEST_VIEW(widget));
}

static void action_reset(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(widget);

	if (self->supervisor)
		kennel_supervisor_reset_async(self->supervisor, self->cancellable, reset_done,
		                              g_object_ref(self));
}

/* The key combinations the menu offers; a desktop would catch them otherwise. */
static void action_send_keys(GtkWidget *widget, const char *name, GVariant *param)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(widget);
	const char *which = g_variant_get_string(param, NULL);
	guint keys[3] = {GDK_KEY_Control_L, GDK_KEY_Alt_L, 0};

	if (g_str_equal(which, "ctrl-alt-delete"))
		keys[2] = GDK_KEY_Delete;
	else if (g_str_equal(which, "ctrl-alt-backspace"))
		keys[2] = GDK_KEY_BackSpace;
	else if (g_str_equal(which, "ctrl-alt-f1"))
		keys[2] = GDK_KEY_F1;
	else if (g_str_equal(which, "ctrl-alt-f2"))
		keys[2] = GDK_KEY_F2;
	if (keys[2]) {
		kennel_display_send_keys(self->display, keys, 3);
	} else if (g_str_equal(which, "print")) {
		guint print = GDK_KEY_Print;
		kennel_display_send_keys(self->display, &print, 1);
	}
}

/* --- the display's signals --- */

static void on_display_disconnected(KennelDisplay *display, const char *message, gpointer data)
{
	KennelGuestView *self = data;

	if (message && kennel_guest_view_is_running(self)) {
		adw_status_page_set_description(self->no_screen_page, message);
		gtk_stack_set_visible_child_name(self->display_stack, "no-screen");
	}
	update_state(self);
}

static void size_set(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;

	if (!kennel_supervisor_set_display_size_finish(KENNEL_SUPERVISOR(source), result, &error))
		g_debug("SetDisplaySize: %s", error->message);
}

static void on_resize_request(KennelDisplay *display, guint width, guint height, gpointer data)
{
	KennelGuestView *self = data;

	if (self->supervisor && kennel_guest_view_is_running(self))
		kennel_supervisor_set_display_size_async(self->supervisor, width, height, NULL,
		                                         size_set, NULL);
}

static void on_grabbed(KennelDisplay *display, GParamSpec *pspec, gpointer data)
{
	KennelGuestView *self = data;

	gtk_widget_set_visible(self->grab_hint, kennel_display_get_grabbed(display));
}

/* --- GObject --- */

static void on_name(KennelProfile *profile, GParamSpec *pspec, gpointer data)
{
	KennelGuestView *self = data;

	adw_view_switcher_title_set_title(self->switcher_title, kennel_profile_get_name(profile));
	adw_status_page_set_description(self->off_page, kennel_profile_get_name(profile));
}

static void kennel_guest_view_get_property(GObject *object, guint prop_id, GValue *value,
                                           GParamSpec *pspec)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(object);

	switch (prop_id) {
	case PROP_PROFILE: g_value_set_object(value, self->profile); break;
	case PROP_STATE: g_value_set_enum(value, kennel_guest_view_get_state(self)); break;
	case PROP_SUPERVISOR: g_value_set_object(value, self->supervisor); break;
	case PROP_RESIZE_GUEST: g_value_set_boolean(value, self->resize_guest); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void kennel_guest_view_set_property(GObject *object, guint prop_id, const GValue *value,
                                           GParamSpec *pspec)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(object);

	switch (prop_id) {
	case PROP_PROFILE: self->profile = g_value_dup_object(value); break;
	case PROP_RESIZE_GUEST:
		if (self->resize_guest != g_value_get_boolean(value)) {
			self->resize_guest = g_value_get_boolean(value);
			kennel_display_set_resize_guest(self->display, self->resize_guest);
			g_object_notify_by_pspec(object, pspec);
		}
		break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void kennel_guest_view_constructed(GObject *object)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(object);

	G_OBJECT_CLASS(kennel_guest_view_parent_class)->constructed(object);
	g_signal_connect_object(self->profile, "notify::name", G_CALLBACK(on_name), self, 0);
	on_name(self->profile, NULL, self);
	self->settings = g_settings_new(APP_ID);
	g_settings_bind(self->settings, "resize-guest-display", self, "resize-guest",
	                G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(self->settings, "console-font-scale", self->console, "font-scale",
	                G_SETTINGS_BIND_DEFAULT);
	update_state(self);
}

static void kennel_guest_view_dispose(GObject *object)
{
	KennelGuestView *self = KENNEL_GUEST_VIEW(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	drop_supervisor(self);
	g_clear_object(&self->settings);
	gtk_widget_dispose_template(GTK_WIDGET(self), KENNEL_TYPE_GUEST_VIEW);
	g_clear_object(&self->profile);
	G_OBJECT_CLASS(kennel_guest_view_parent_class)->dispose(object);
}

static void kennel_guest_view_class_init(KennelGuestViewClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->get_property = kennel_guest_view_get_property;
	object_class->set_property = kennel_guest_view_set_property;
	object_class->constructed = kennel_guest_view_constructed;
	object_class->dispose = kennel_guest_view_dispose;

	props[PROP_PROFILE] = g_param_spec_object("profile", NULL, NULL, KENNEL_TYPE_PROFILE,
	                                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
	                                                  G_PARAM_STATIC_STRINGS);
	props[PROP_STATE] = g_param_spec_enum("state", NULL, NULL, KENNEL_TYPE_GUEST_STATE,
	                                      KENNEL_GUEST_STATE_STOPPED,
	                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_SUPERVISOR] =
	        g_param_spec_object("supervisor", NULL, NULL, KENNEL_TYPE_SUPERVISOR,
	                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_RESIZE_GUEST] = g_param_spec_boolean(
	        "resize-guest", NULL, NULL, FALSE,
	        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);

	g_type_ensure(KENNEL_TYPE_DISPLAY);
	g_type_ensure(KENNEL_TYPE_CONSOLE_VIEW);
	g_type_ensure(KENNEL_TYPE_DETAILS);
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/kennel/Kennel/kennel-guest-view.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, box);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, switcher_title);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, start_button);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, pause_button);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, resume_button);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, shutdown_button);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, grab_hint);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, content_stack);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, view_stack);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, display_stack);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, display);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, console);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, details);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, off_page);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, crashed_page);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, no_screen_page);
	gtk_widget_class_bind_template_child(widget_class, KennelGuestView, log_view);
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);

	gtk_widget_class_install_action(widget_class, "guest.start", NULL, action_start);
	gtk_widget_class_install_action(widget_class, "guest.pause", NULL, action_pause);
	gtk_widget_class_install_action(widget_class, "guest.resume", NULL, action_resume);
	gtk_widget_class_install_action(widget_class, "guest.shutdown", NULL, action_shutdown);
	gtk_widget_class_install_action(widget_class, "guest.force-off", NULL, action_force_off);
	gtk_widget_class_install_action(widget_class, "guest.reset", NULL, action_reset);
	gtk_widget_class_install_action(widget_class, "guest.send-keys", "s", action_send_keys);
	gtk_widget_class_install_property_action(widget_class, "guest.resize-guest",
	                                         "resize-guest");
}

static void kennel_guest_view_init(KennelGuestView *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->cancellable = g_cancellable_new();
	g_signal_connect(self->display, "disconnected", G_CALLBACK(on_display_disconnected), self);
	g_signal_connect(self->display, "resize-request", G_CALLBACK(on_resize_request), self);
	g_signal_connect(self->display, "notify::grabbed", G_CALLBACK(on_grabbed), self);
	g_signal_connect(self->details, "map", G_CALLBACK(on_details_map), self);
}
