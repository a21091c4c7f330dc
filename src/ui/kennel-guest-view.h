/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_GUEST_VIEW_H
#define KENNEL_GUEST_VIEW_H

#include <adwaita.h>

#include "app/supervisor.h"
#include "kennel-console-view.h"
#include "kennel-details.h"
#include "kennel-display.h"
#include "profile/profile.h"

G_BEGIN_DECLS

/*
 * KennelGuestView: one guest, open.  A header bar with Start, Pause or
 * Resume, Shut Down and a menu (Force Off, Reset, keys to send), and the
 * guest's Display, Console and Details.  It owns the guest's
 * KennelSupervisor while the guest runs.  Properties: "profile",
 * "state" (a KennelGuestState; stopped while no engine runs),
 * "supervisor".
 */
#define KENNEL_TYPE_GUEST_VIEW (kennel_guest_view_get_type())
G_DECLARE_FINAL_TYPE(KennelGuestView, kennel_guest_view, KENNEL, GUEST_VIEW, GtkWidget)

KennelGuestView *kennel_guest_view_new(KennelProfile *profile);

/* "Running", "Off", ... for a person (translated). */
const char *kennel_guest_state_get_label(KennelGuestState state);

KennelProfile *kennel_guest_view_get_profile(KennelGuestView *self);
KennelGuestState kennel_guest_view_get_state(KennelGuestView *self);
/* NULL while no engine was started. */
KennelSupervisor *kennel_guest_view_get_supervisor(KennelGuestView *self);
/* Whether an engine runs (anything but stopped or crashed). */
gboolean kennel_guest_view_is_running(KennelGuestView *self);

/* The actions, as the header's buttons call them ("guest.start", ...). */
void kennel_guest_view_start(KennelGuestView *self);
void kennel_guest_view_shutdown(KennelGuestView *self);
void kennel_guest_view_force_off(KennelGuestView *self);

/* Shows the "display", "console" or "details" page. */
void kennel_guest_view_show_page(KennelGuestView *self, const char *name);

KennelDisplay *kennel_guest_view_get_display(KennelGuestView *self);
KennelConsoleView *kennel_guest_view_get_console(KennelGuestView *self);
KennelDetails *kennel_guest_view_get_details(KennelGuestView *self);

G_END_DECLS

#endif
