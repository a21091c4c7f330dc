/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_DISPLAY_H
#define KENNEL_DISPLAY_H

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * KennelDisplay: a guest's screen.  It speaks RFB (VNC) with libvncclient
 * over a connected stream socket that the engine handed over (OpenDisplay),
 * shows the frames scaled to fit with the aspect kept, and forwards the
 * keyboard and pointer.  Properties: "connected", "grabbed" (the keyboard
 * goes to the guest, app shortcuts included, until Ctrl+Alt),
 * "guest-width", "guest-height", "resize-guest" (emit "resize-request"
 * when the widget's size changes).  Signals: "disconnected" (a message for
 * a person, or NULL when closed on purpose), "resize-request" (width,
 * height in device pixels).
 */
#define KENNEL_TYPE_DISPLAY (kennel_display_get_type())
G_DECLARE_FINAL_TYPE(KennelDisplay, kennel_display, KENNEL, DISPLAY, GtkWidget)

GtkWidget *kennel_display_new(void);

/* Takes ownership of fd (a connected RFB stream) and starts talking. */
void kennel_display_open_fd(KennelDisplay *self, int fd);
/* Hangs up; "connected" becomes FALSE. */
void kennel_display_close(KennelDisplay *self);
gboolean kennel_display_get_connected(KennelDisplay *self);

/* Presses the keys in order, then releases them in reverse (X keysyms). */
void kennel_display_send_keys(KennelDisplay *self, const guint *keyvals, guint n_keyvals);

gboolean kennel_display_get_grabbed(KennelDisplay *self);
void kennel_display_set_grabbed(KennelDisplay *self, gboolean grabbed);

guint kennel_display_get_guest_width(KennelDisplay *self);
guint kennel_display_get_guest_height(KennelDisplay *self);
gboolean kennel_display_get_resize_guest(KennelDisplay *self);
void kennel_display_set_resize_guest(KennelDisplay *self, gboolean resize_guest);

/* For tests and benchmarks: the whole current frame, and counters. */
GdkTexture *kennel_display_get_frame(KennelDisplay *self);
guint64 kennel_display_get_update_count(KennelDisplay *self);
guint64 kennel_display_get_uploaded_bytes(KennelDisplay *self);

G_END_DECLS

#endif
