/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_CONSOLE_VIEW_H
#define KENNEL_CONSOLE_VIEW_H

#include <gtk/gtk.h>
#include <vte/vte.h>

G_BEGIN_DECLS

/*
 * KennelConsoleView: a guest's virtio console in a VteTerminal, on the pty the
 * engine handed over (OpenConsole).  Copy, paste and font zoom as actions
 * ("console.copy", "console.paste", "console.zoom-in", "console.zoom-out",
 * "console.zoom-reset") with the usual terminal shortcuts.  Property
 * "font-scale"; signal "closed" when the guest's end goes away.
 */
#define KENNEL_TYPE_CONSOLE_VIEW (kennel_console_view_get_type())
G_DECLARE_FINAL_TYPE(KennelConsoleView, kennel_console_view, KENNEL, CONSOLE_VIEW, GtkWidget)

GtkWidget *kennel_console_view_new(void);

/* Takes ownership of fd (the pty from OpenConsole). */
gboolean kennel_console_view_open_fd(KennelConsoleView *self, int fd, GError **error);
void kennel_console_view_close(KennelConsoleView *self);
gboolean kennel_console_view_get_connected(KennelConsoleView *self);

VteTerminal *kennel_console_view_get_terminal(KennelConsoleView *self);
/* All the text the terminal holds, scroll-back included. */
char *kennel_console_view_get_text(KennelConsoleView *self);
/* Types text as if from the keyboard. */
void kennel_console_view_feed_child(KennelConsoleView *self, const char *text);

double kennel_console_view_get_font_scale(KennelConsoleView *self);
void kennel_console_view_set_font_scale(KennelConsoleView *self, double scale);

G_END_DECLS

#endif
