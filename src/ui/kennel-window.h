/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_WINDOW_H
#define KENNEL_WINDOW_H

#include <adwaita.h>

#include "kennel-application.h"

G_BEGIN_DECLS

/*
 * KennelWindow: the main window.  A list of the guests (or, with none, an
 * offer to create the demo guest), and a view per guest that is open.
 * Actions: win.new-guest, win.create-demo-guest, win.show-guests.
 */
#define KENNEL_TYPE_WINDOW (kennel_window_get_type())
G_DECLARE_FINAL_TYPE(KennelWindow, kennel_window, KENNEL, WINDOW, AdwApplicationWindow)

KennelWindow *kennel_window_new(KennelApplication *app);

/* Shows a short message at the bottom of the window. */
void kennel_window_toast(KennelWindow *self, const char *message);

#ifdef KENNEL_HAVE_GUESTS
#include "app/profile-store.h"
#include "kennel-guest-view.h"
/* The open guest with this id, or NULL (for tests). */
KennelGuestView *kennel_window_get_guest_view(KennelWindow *self, const char *id);
KennelProfileStore *kennel_window_get_store(KennelWindow *self);
/* The demo guest, made as the empty page's button makes it; started if asked. */
void kennel_window_create_demo_guest(KennelWindow *self, gboolean start);
/* Reads the guests' files again. */
void kennel_window_reload(KennelWindow *self);
#endif

G_END_DECLS

#endif
