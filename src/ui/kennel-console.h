/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_CONSOLE_H
#define KENNEL_CONSOLE_H

#include <gtk/gtk.h>
#include <vte/vte.h>

G_BEGIN_DECLS

/*
 * KennelConsole: a guest's virtio console in a VteTerminal, on the pty the
 * engine handed over (OpenConsole).  Copy, paste and font zoom as actions
 * ("console.copy", "console.paste", "console.zoom-in", "console.zoom-out",
 * "console.zoom-reset") with the usual terminal shortcuts.  Property
 * "font-scale"; signal "closed" when the guest's end goes away.
 */
#define KENNEL_TYPE_CONSOLE (kennel_console_get_type())
G_DECLARE_FINAL_TYPE(KennelConsole, kennel_console, KENNEL, CONSOLE, GtkWidget)

GtkWidget *kennel_console_new(void);

/* Takes ownership of fd (the pty from OpenConsole). */
gboolean kennel_console_open_fd(KennelConsole *self, int fd, GError **error);
void kennel_console_close(KennelConsole *self);
gboolean kennel_console_get_connected(KennelConsole *self);

VteTerminal *kennel_console_get_terminal(KennelConsole *self);
/* All the text the terminal holds, scroll-back included. */
char *kennel_console_get_text(KennelConsole *self);
/* Types text as if from the keyboard. */
void kennel_console_feed_child(KennelConsole *self, const char *text);

double kennel_console_get_font_scale(KennelConsole *self);
void kennel_console_set_font_scale(KennelConsole *self, double scale);

G_END_DECLS

#endif
