/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The yardstick for the app's RSS: a bare libadwaita window of the app's
 * size (header bar, status page, a button) and nothing of Kennel. What a
 * GTK 4 + libadwaita process costs with the chosen renderer before the app
 * adds anything; bench/bench-app.sh subtracts it from the app's RSS.
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24' BUILD/tests/app/bench-app-baseline
 *
 * Prints the renderer and the process's RSS three seconds after the
 * window was shown.
 */
#include <adwaita.h>
#include <stdio.h>

#include "app-test.h"

static long rss_kib(void)
{
	g_autofree char *text = NULL;
	const char *line;

	if (!g_file_get_contents("/proc/self/status", &text, NULL, NULL))
		return -1;
	line = strstr(text, "VmRSS:");
	return line ? atol(line + 6) : -1;
}

int main(void)
{
	GtkWidget *window, *box, *status, *button;

	adw_init();
	window = adw_window_new();
	box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	gtk_box_append(GTK_BOX(box), adw_header_bar_new());
	status = adw_status_page_new();
	adw_status_page_set_icon_name(ADW_STATUS_PAGE(status), "computer-symbolic");
	adw_status_page_set_title(ADW_STATUS_PAGE(status), "No Guests");
	button = gtk_button_new_with_label("Create");
	gtk_widget_add_css_class(button, "suggested-action");
	gtk_widget_add_css_class(button, "pill");
	gtk_widget_set_halign(button, GTK_ALIGN_CENTER);
	adw_status_page_set_child(ADW_STATUS_PAGE(status), button);
	gtk_widget_set_vexpand(status, TRUE);
	gtk_box_append(GTK_BOX(box), status);
	adw_window_set_content(ADW_WINDOW(window), box);
	gtk_window_set_default_size(GTK_WINDOW(window), 1100, 720);
	gtk_window_present(GTK_WINDOW(window));
	app_test_spin(3000);
	printf("bare libadwaita window (%s): RSS %ld MiB\n",
	       G_OBJECT_TYPE_NAME(gtk_native_get_renderer(GTK_NATIVE(window))), rss_kib() / 1024);
	gtk_window_destroy(GTK_WINDOW(window));
	return 0;
}
