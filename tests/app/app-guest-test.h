/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the app's tests (and bench-app-guest) that drive the real window. */
#ifndef KENNEL_APP_GUEST_TEST_H
#define KENNEL_APP_GUEST_TEST_H

#include "app-test.h"
#include "kennel-application.h"
#include "kennel-guest-view.h"

/*
 * The app as `kennel` makes it, but not unique (a test runs beside anything),
 * registered.  Tests turn animations off, so that screenshots show where a
 * step ended, not half of it; benchmarks keep them, as a person has them
 * (the GL renderer's memory differs).  After gtk_init() or gtk_test_init().
 */
KennelApplication *app_test_application_new(gboolean animations);
/* A template child of widget (of class type) by its id; asserts it exists. */
GObject *app_test_child(gpointer widget, GType type, const char *name);
/* The visible page's name of the GtkStack that is widget's template child stack. */
const char *app_test_visible_child(gpointer widget, GType type, const char *stack);
/* Waits up to ms for the view's guest to reach state. */
gboolean app_test_wait_state(KennelGuestView *view, KennelGuestState state, guint ms);
/* Waits up to ms for text to appear in the view's Console. */
gboolean app_test_wait_console(KennelGuestView *view, const char *text, guint ms);

#endif
