/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_GUEST_ROW_H
#define KENNEL_GUEST_ROW_H

#include <adwaita.h>

#include "kennel-guest-view.h"

G_BEGIN_DECLS

/*
 * KennelGuestRow: one guest in the list: name, architecture, memory and
 * vCPUs, its state, a Start / Shut Down button and a menu (edit, clone,
 * delete).  Activating it opens the guest.  The buttons run the window's
 * actions with the guest's id as target (win.start-guest, win.stop-guest,
 * win.open-guest, win.edit-guest, win.clone-guest, win.delete-guest).
 */
#define KENNEL_TYPE_GUEST_ROW (kennel_guest_row_get_type())
G_DECLARE_FINAL_TYPE(KennelGuestRow, kennel_guest_row, KENNEL, GUEST_ROW, AdwActionRow)

GtkWidget *kennel_guest_row_new(KennelGuestView *view);
KennelGuestView *kennel_guest_row_get_view(KennelGuestRow *self);

G_END_DECLS

#endif
