/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_NEW_GUEST_DIALOG_H
#define KENNEL_NEW_GUEST_DIALOG_H

#include <adwaita.h>

#include "app/profile-store.h"

G_BEGIN_DECLS

/*
 * KennelNewGuestDialog: the new-guest assistant, and the editor of an
 * existing guest.  New: choose a source (the demo Linux, a Linux kernel
 * and initramfs, or a firmware and a disk image), then the name, vCPUs,
 * memory, disk, network and port forwards, checked as you type with the
 * profile validator's own messages.  Signal "done" (KennelProfile, or NULL
 * if cancelled) when it closes.
 */
#define KENNEL_TYPE_NEW_GUEST_DIALOG (kennel_new_guest_dialog_get_type())
G_DECLARE_FINAL_TYPE(KennelNewGuestDialog, kennel_new_guest_dialog, KENNEL, NEW_GUEST_DIALOG,
                     AdwWindow)

KennelNewGuestDialog *kennel_new_guest_dialog_new(KennelProfileStore *store);
/* Edits profile (a guest of store) instead of making a new one. */
KennelNewGuestDialog *kennel_new_guest_dialog_new_edit(KennelProfileStore *store,
                                                       KennelProfile *profile);

/* Skips the choice: builds or finds the demo guest at once. */
void kennel_new_guest_dialog_create_demo(KennelNewGuestDialog *self);

G_END_DECLS

#endif
