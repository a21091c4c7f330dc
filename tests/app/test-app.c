/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The app end to end, in a real (virtual) X server with empty XDG
 * directories: the window, driven through its actions and its template's
 * widgets the way a person's clicks would drive them.
 *
 *   /app/demo-guest   create the demo guest through the assistant, start
 *                     it, see KENNEL-GUEST-READY in the Console, a real
 *                     frame in the Display, type a sum and read the result
 *                     back, watch Details, Shut Down: stopped.
 *   /app/engine-killed  SIGKILL the engine of a running guest: the view
 *                     shows the crashed state and the app still answers.
 *   /app/broken-profile a hand-broken .ini: a readable message in the
 *                     list, and the other guests still there.
 *
 * Screenshots of every step go to BUILD/tests/app/screenshots/.
 */
#include <glib/gstdio.h>
#include <signal.h>

#include "app-guest-test.h"
#include "kennel-application.h"
#include "kennel-new-guest-dialog.h"
#include "kennel-window.h"

static KennelApplication *app;
static KennelWindow *window;

static guint boot_timeout_ms(void)
{
	const char *s = g_getenv("KENNEL_BOOT_TIMEOUT");

	return (s ? (guint)atoi(s) : 100) * 1000;
}

static void shot(const char *name)
{
	app_test_spin(700);
	app_test_screenshot(GTK_WIDGET(window), name);
}

/* --- the demo guest --- */

static gboolean store_has_guest(gpointer data)
{
	return g_list_model_get_n_items(G_LIST_MODEL(kennel_window_get_store(window))) > 0;
}

/* The assistant's window, once it is open. */
static KennelNewGuestDialog *find_assistant(void)
{
	GListModel *toplevels = gtk_window_get_toplevels(); /* not ours */

	for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
		g_autoptr(GObject) w = g_list_model_get_item(toplevels, i);

		if (KENNEL_IS_NEW_GUEST_DIALOG(w))
			return KENNEL_NEW_GUEST_DIALOG(w);
	}
	return NULL;
}

static gboolean assistant_open(gpointer data)
{
	return find_assistant() != NULL;
}

static void click(GtkWidget *assistant, const char *name)
{
	GtkWidget *button =
	        GTK_WIDGET(app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, name));

	g_assert_true(gtk_widget_is_sensitive(button));
	g_signal_emit_by_name(button, "clicked");
}

/*
 * The demo guest, created through the assistant on first use: New Guest,
 * "Demo Linux (riscv64)" (the choice it starts with), Next.
 */
static KennelGuestView *demo_view(void)
{
	GListModel *store = G_LIST_MODEL(kennel_window_get_store(window));
	g_autoptr(KennelProfile) profile = NULL;

	if (g_list_model_get_n_items(store) == 0) {
		GtkWidget *assistant;

		g_assert_true(
		        gtk_widget_activate_action(GTK_WIDGET(window), "win.new-guest", NULL));
		g_assert_true(app_test_wait(assistant_open, NULL, 5000));
		assistant = GTK_WIDGET(find_assistant());
		app_test_spin(500);
		app_test_screenshot(assistant, "01b-assistant-source");
		g_assert_true(gtk_check_button_get_active(GTK_CHECK_BUTTON(
		        app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "demo_check"))));
		click(assistant, "next_button");
		/* The recipe finds its cache at once (run-xvfb.sh points at it). */
		g_assert_true(app_test_wait(store_has_guest, NULL, 120 * 1000));
	}
	profile = g_list_model_get_item(store, 0);
	return kennel_window_get_guest_view(window, kennel_profile_get_id(profile));
}

static gboolean display_shows_something(gpointer data)
{
	KennelGuestView *view = data;
	g_autoptr(GdkTexture) frame = kennel_display_get_frame(kennel_guest_view_get_display(view));

	return frame && app_test_count_colors(frame, 8) >= 2;
}

static gboolean display_gave_up(gpointer data)
{
	KennelGuestView *view = data;

	return g_str_equal(
	        app_test_visible_child(GTK_WIDGET(view), KENNEL_TYPE_GUEST_VIEW, "display_stack"),
	        "no-screen");
}

static gboolean display_settled(gpointer data)
{
	return display_shows_something(data) || display_gave_up(data);
}

static gboolean has_stats(gpointer data)
{
	return kennel_details_get_value(kennel_guest_view_get_details(data), "total-ips") != NULL;
}

static void start_guest(KennelGuestView *view)
{
	const char *id = kennel_profile_get_id(kennel_guest_view_get_profile(view));

	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.start-guest", "s", id));
	if (!app_test_wait_state(view, KENNEL_GUEST_STATE_RUNNING, 60 * 1000)) {
		KennelSupervisor *supervisor = kennel_guest_view_get_supervisor(view);
		g_autofree char *log =
		        supervisor ? kennel_supervisor_dup_log_tail(supervisor) : NULL;

		shot("failed-start");
		g_test_message("state %s, error %s, log:\n%s",
		               kennel_guest_state_to_string(kennel_guest_view_get_state(view)),
		               supervisor ? kennel_supervisor_get_last_error(supervisor) : "-",
		               log);
		g_assert_not_reached();
	}
}

static void test_demo_guest(void)
{
	KennelGuestView *view;
	g_autofree char *command = NULL, *answer = NULL;
	int a = g_random_int_range(1000, 9999), b = g_random_int_range(1000, 9999);

	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "list_stack"), ==,
	        "empty");
	shot("01-empty");

	view = demo_view();
	g_assert_nonnull(view);
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.show-guests", NULL));
	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "main_stack"), ==,
	        "guests");
	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "list_stack"), ==,
	        "list");
	shot("02-guest-list");

	start_guest(view);
	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(view), KENNEL_TYPE_GUEST_VIEW, "content_stack"),
	        ==, "running");

	/* Console: the boot, up to the demo guest's readiness line. */
	kennel_guest_view_show_page(view, "console");
	g_assert_true(app_test_wait_console(view, "KENNEL-GUEST-READY", boot_timeout_ms()));
	shot("03-console");

	/* Typing reaches the guest: it computes a product we did not send. */
	command = g_strdup_printf("echo $((%d*%d))\r", a, b);
	answer = g_strdup_printf("\n%d", a * b);
	kennel_console_view_feed_child(kennel_guest_view_get_console(view), command);
	g_assert_true(app_test_wait_console(view, answer, 30 * 1000));
	shot("04-console-typed");

	/* Display: a frame that is not one colour (the guest's console on fbcon). */
	kennel_guest_view_show_page(view, "display");
	g_assert_true(app_test_wait(display_settled, view, boot_timeout_ms()));
	shot("05-display");
	if (display_gave_up(view))
		g_test_incomplete("this engine has no display (OpenDisplay said so)");
	else
		g_assert_true(display_shows_something(view));

	/* Details: the statistics arrive about once a second. */
	kennel_guest_view_show_page(view, "details");
	g_assert_true(app_test_wait(has_stats, view, 10 * 1000));
	shot("06-details");

	/* Shut Down: the guest powers off, the engine exits, the view says off. */
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(view), "guest.shutdown", NULL));
	g_assert_true(app_test_wait_state(view, KENNEL_GUEST_STATE_STOPPED, 60 * 1000));
	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(view), KENNEL_TYPE_GUEST_VIEW, "content_stack"),
	        ==, "off");
	shot("07-stopped");
}

/* --- the assistant's checks --- */

static const char *error_text(GtkWidget *assistant)
{
	GtkWidget *label =
	        GTK_WIDGET(app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "error_label"));

	return gtk_widget_get_visible(label) ? gtk_label_get_text(GTK_LABEL(label)) : NULL;
}

static void test_assistant_checks(void)
{
	GtkWidget *assistant, *next, *forwards;
	GObject *memory;

	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.new-guest", NULL));
	g_assert_true(app_test_wait(assistant_open, NULL, 5000));
	assistant = GTK_WIDGET(find_assistant());
	next = GTK_WIDGET(app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "next_button"));
	gtk_check_button_set_active(
	        GTK_CHECK_BUTTON(
	                app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "kernel_check")),
	        TRUE);
	click(assistant, "next_button");
	g_assert_cmpstr(app_test_visible_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "stack"),
	                ==, "settings");

	/* No kernel yet: said inline, and Create cannot be pressed. */
	g_assert_nonnull(strstr(error_text(assistant), "kernel"));
	g_assert_false(gtk_widget_is_sensitive(next));

	/* A forward the profile parser rejects: its own message. */
	forwards =
	        GTK_WIDGET(app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "forwards_row"));
	gtk_editable_set_text(GTK_EDITABLE(forwards), "tcp::99999-:80");
	g_test_message("the assistant says: %s", error_text(assistant));
	g_assert_nonnull(strstr(error_text(assistant), "99999"));
	g_assert_false(gtk_widget_is_sensitive(next));
	gtk_widget_set_size_request(assistant, 620, 680);
	app_test_spin(500);
	app_test_screenshot(assistant, "01c-assistant-checks");

	/* Memory is bounded by the spin button to what the validator accepts. */
	memory = app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "memory_adjustment");
	g_assert_cmpfloat(gtk_adjustment_get_upper(GTK_ADJUSTMENT(memory)), ==, 16384);

	gtk_window_close(GTK_WINDOW(assistant));
	app_test_spin(200);
	g_assert_null(find_assistant());
}

/* --- a crash --- */

static void test_engine_killed(void)
{
	KennelGuestView *view = demo_view();
	KennelSupervisor *supervisor;
	const char *pid;

	start_guest(view);
	supervisor = kennel_guest_view_get_supervisor(view);
	pid = kennel_supervisor_get_engine_pid(supervisor);
	g_assert_nonnull(pid);
	g_assert_no_errno(kill(atoi(pid), SIGKILL));
	g_assert_true(app_test_wait_state(view, KENNEL_GUEST_STATE_CRASHED, 30 * 1000));
	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(view), KENNEL_TYPE_GUEST_VIEW, "content_stack"),
	        ==, "crashed");
	shot("08-crashed");

	/* The app still answers: back to the list, and the guest can start again. */
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.show-guests", NULL));
	app_test_spin(200);
	g_assert_cmpstr(
	        app_test_visible_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "main_stack"), ==,
	        "guests");
	start_guest(view);
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(view), "guest.force-off", NULL));
	g_assert_true(app_test_wait_state(view, KENNEL_GUEST_STATE_STOPPED, 30 * 1000));
}

/* --- a broken profile --- */

static void test_broken_profile(void)
{
	g_autofree char *dir = g_build_filename(g_get_user_config_dir(), "kennel", "guests", NULL);
	g_autofree char *path = g_build_filename(dir, "broken.ini", NULL);
	GtkListBox *problems, *guests;
	GtkWidget *row;
	const char *title;

	demo_view();
	g_mkdir_with_parents(dir, 0700);
	g_assert_true(g_file_set_contents(path,
	                                  "[Guest]\nid=broken\nname=Broken\nmemory=lots\n\n"
	                                  "[Boot]\nkernel=/nowhere/Image\n",
	                                  -1, NULL));
	kennel_window_reload(window);
	gtk_widget_activate_action(GTK_WIDGET(window), "win.show-guests", NULL);

	problems = GTK_LIST_BOX(
	        app_test_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "problem_list"));
	guests = GTK_LIST_BOX(app_test_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "guest_list"));
	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(
	        app_test_child(GTK_WIDGET(window), KENNEL_TYPE_WINDOW, "problems_group"))));
	row = GTK_WIDGET(gtk_list_box_get_row_at_index(problems, 0));
	g_assert_nonnull(row);
	title = adw_preferences_row_get_title(ADW_PREFERENCES_ROW(row));
	g_test_message("the app says: %s", title);
	g_assert_nonnull(strstr(title, "broken.ini"));
	g_assert_nonnull(strstr(title, "memory"));
	/* The demo guest still loads. */
	g_assert_nonnull(gtk_list_box_get_row_at_index(guests, 0));
	shot("09-broken-profile");
	g_unlink(path);
}

int main(int argc, char **argv)
{
	int status;

	gtk_test_init(&argc, &argv, NULL);
	app = app_test_application_new(FALSE);
	window = kennel_window_new(app);
	gtk_window_set_default_size(GTK_WINDOW(window), 1100, 720);
	gtk_window_present(GTK_WINDOW(window));
	app_test_spin(500);

	g_test_add_func("/app/demo-guest", test_demo_guest);
	g_test_add_func("/app/assistant-checks", test_assistant_checks);
	g_test_add_func("/app/engine-killed", test_engine_killed);
	g_test_add_func("/app/broken-profile", test_broken_profile);
	status = g_test_run();

	gtk_window_destroy(GTK_WINDOW(window));
	g_object_unref(app);
	return status;
}
