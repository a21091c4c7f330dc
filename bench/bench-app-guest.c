/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The app with one running guest: the UI process's RSS, and the CPU the
 * UI uses while the guest sits idle at its prompt, with the Display page
 * shown and with the Console page shown.  The guest (the demo guest) runs
 * in its own engine process, which is measured apart.
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24' BUILD/tests/app/bench-app-guest [SECONDS]
 *
 * (with GSETTINGS_SCHEMA_DIR=BUILD/data, KENNEL_ENGINE=BUILD/src/engine/kennel-engine,
 * KENNEL_DEMO_GUEST_DIR and empty XDG directories: tests/app/run-xvfb.sh sets them).
 */
#include <stdio.h>
#include <sys/resource.h>

#include "app-guest-test.h"
#include "kennel-application.h"
#include "kennel-new-guest-dialog.h"
#include "kennel-window.h"

static long rss_kib(const char *pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%s/status", pid);
	g_autofree char *text = NULL;
	const char *line;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -1;
	line = strstr(text, "VmRSS:");
	return line ? atol(line + 6) : -1;
}

static double cpu_seconds(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
	       (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static KennelWindow *window;

static gboolean has_guest(gpointer data)
{
	return g_list_model_get_n_items(G_LIST_MODEL(kennel_window_get_store(window))) > 0;
}

static void measure(KennelGuestView *view, const char *page, int seconds)
{
	const char *pid = kennel_supervisor_get_engine_pid(kennel_guest_view_get_supervisor(view));
	KennelDisplay *display = kennel_guest_view_get_display(view);
	gint64 t0;
	double c0, wall;
	guint64 updates, bytes;

	kennel_guest_view_show_page(view, page);
	app_test_spin(3000); /* settle */
	t0 = g_get_monotonic_time();
	c0 = cpu_seconds();
	updates = kennel_display_get_update_count(display);
	bytes = kennel_display_get_uploaded_bytes(display);
	app_test_spin(seconds * 1000);
	wall = (g_get_monotonic_time() - t0) / 1e6;
	printf("UI with the guest idle, %s page: %.2f %% of a CPU over %d s; UI RSS %ld MiB, "
	       "engine RSS %ld MiB; screen updates %.1f/s, %.0f KiB/s uploaded\n",
	       page, 100 * (cpu_seconds() - c0) / wall, seconds, rss_kib("self") / 1024,
	       rss_kib(pid) / 1024, (kennel_display_get_update_count(display) - updates) / wall,
	       (kennel_display_get_uploaded_bytes(display) - bytes) / 1024.0 / wall);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 20;
	g_autoptr(KennelApplication) app = NULL;
	g_autoptr(KennelProfile) profile = NULL;
	KennelGuestView *view;
	KennelNewGuestDialog *dialog;

	gtk_init();
	app = app_test_application_new(TRUE);
	window = kennel_window_new(app);
	gtk_window_set_default_size(GTK_WINDOW(window), 1100, 720);
	gtk_window_present(GTK_WINDOW(window));
	app_test_spin(500);
	printf("renderer: %s\n", G_OBJECT_TYPE_NAME(gtk_native_get_renderer(GTK_NATIVE(window))));

	dialog = kennel_new_guest_dialog_new(kennel_window_get_store(window));
	gtk_window_present(GTK_WINDOW(dialog));
	kennel_new_guest_dialog_create_demo(dialog);
	if (!app_test_wait(has_guest, NULL, 60000)) {
		fprintf(stderr, "no demo guest\n");
		return 1;
	}
	profile = g_list_model_get_item(G_LIST_MODEL(kennel_window_get_store(window)), 0);
	view = kennel_window_get_guest_view(window, kennel_profile_get_id(profile));
	gtk_widget_activate_action(GTK_WIDGET(window), "win.start-guest", "s",
	                           kennel_profile_get_id(profile));
	if (!app_test_wait_state(view, KENNEL_GUEST_STATE_RUNNING, 60000) ||
	    !app_test_wait_console(view, "KENNEL-GUEST-READY", 200000)) {
		fprintf(stderr, "the guest did not come up\n");
		return 1;
	}
	measure(view, "display", seconds);
	measure(view, "console", seconds);
	measure(view, "details", seconds);
	kennel_guest_view_force_off(view);
	app_test_spin(2000);
	gtk_window_destroy(GTK_WINDOW(window));
	return 0;
}
