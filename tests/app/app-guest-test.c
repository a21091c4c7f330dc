/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "app-guest-test.h"

#include <string.h>

#include "kennel-console-view.h"

KennelApplication *app_test_application_new(gboolean animations)
{
	KennelApplication *app;

	g_object_set(gtk_settings_get_default(), "gtk-enable-animations", animations, NULL);
	app = g_object_new(KENNEL_TYPE_APPLICATION, "application-id", "org.kennel.Kennel", "flags",
	                   G_APPLICATION_NON_UNIQUE, "resource-base-path", "/org/kennel/Kennel",
	                   NULL);
	g_assert_true(g_application_register(G_APPLICATION(app), NULL, NULL));
	return app;
}

GObject *app_test_child(gpointer widget, GType type, const char *name)
{
	GObject *object = gtk_widget_get_template_child(GTK_WIDGET(widget), type, name);

	g_assert_nonnull(object);
	return object;
}

const char *app_test_visible_child(gpointer widget, GType type, const char *stack)
{
	return gtk_stack_get_visible_child_name(GTK_STACK(app_test_child(widget, type, stack)));
}

typedef struct {
	KennelGuestView *view;
	KennelGuestState state;
} StateWait;

static gboolean state_is(gpointer data)
{
	StateWait *w = data;

	return kennel_guest_view_get_state(w->view) == w->state;
}

gboolean app_test_wait_state(KennelGuestView *view, KennelGuestState state, guint ms)
{
	StateWait w = {view, state};

	return app_test_wait(state_is, &w, ms);
}

typedef struct {
	KennelGuestView *view;
	const char *text;
} TextWait;

static gboolean console_has(gpointer data)
{
	TextWait *w = data;
	g_autofree char *text =
	        kennel_console_view_get_text(kennel_guest_view_get_console(w->view));

	return text && strstr(text, w->text);
}

gboolean app_test_wait_console(KennelGuestView *view, const char *text, guint ms)
{
	TextWait w = {view, text};

	return app_test_wait(console_has, &w, ms);
}
