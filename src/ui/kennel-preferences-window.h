/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_PREFERENCES_WINDOW_H
#define KENNEL_PREFERENCES_WINDOW_H

#include <adwaita.h>

G_BEGIN_DECLS

#define KENNEL_TYPE_PREFERENCES_WINDOW (kennel_preferences_window_get_type())
G_DECLARE_FINAL_TYPE(KennelPreferencesWindow, kennel_preferences_window, KENNEL, PREFERENCES_WINDOW,
                     AdwPreferencesWindow)

KennelPreferencesWindow *kennel_preferences_window_new(GSettings *settings);

G_END_DECLS

#endif
