/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the app's tests under Xvfb. */
#ifndef KENNEL_APP_TEST_H
#define KENNEL_APP_TEST_H

#include <gtk/gtk.h>

/* Runs the main loop until cond(data) holds or timeout_ms passes. */
gboolean app_test_wait(gboolean (*cond)(gpointer data), gpointer data, guint timeout_ms);
/* Iterates the main loop for ms milliseconds. */
void app_test_spin(guint ms);
/* Saves what widget shows as BUILD/tests/app/NAME.png (a test artifact). */
void app_test_screenshot(GtkWidget *widget, const char *name);
/* The texture's pixel at x, y as 0xRRGGBB. */
guint32 app_test_pixel(GdkTexture *texture, int x, int y);
/* How many different colours the texture has (counting stops at limit). */
guint app_test_count_colors(GdkTexture *texture, guint limit);

#endif
