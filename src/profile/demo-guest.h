/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in "Demo Linux (riscv64)" template: a profile that points at the
 * demo guest cached by the guests/ recipe, and a way to build it (about 20
 * minutes) when it is missing, with progress lines and cancellation.
 */
#ifndef KENNEL_DEMO_GUEST_H
#define KENNEL_DEMO_GUEST_H

#include <gio/gio.h>

#include "profile.h"

G_BEGIN_DECLS

#define KENNEL_DEMO_GUEST_NAME "Demo Linux (riscv64)"

/*
 * The directory of the guests/ recipe (build-demo-guest.sh and its files):
 * $KENNEL_DEMO_RECIPE_DIR if set, else the directory configured at build
 * time (meson option demo_recipe_dir; by default the source tree's guests/,
 * or $datadir/kennel/guests with -Dinstall_demo_recipe=true).
 */
char *kennel_demo_guest_get_recipe_dir(void);

/*
 * The demo guest's cache directory, $XDG_CACHE_HOME/kennel/guests/demo-<hash>
 * (`build-demo-guest.sh --print-dir`, which builds nothing), or
 * $KENNEL_DEMO_GUEST_DIR if set.  It may not be built yet.
 */
char *kennel_demo_guest_get_dir(GError **error);

/* Are the kernel Image and initramfs.cpio.gz there? */
gboolean kennel_demo_guest_is_built(const char *guest_dir);

/*
 * A new, unsaved profile named "Demo Linux (riscv64)" for the guest in
 * guest_dir: direct boot of its Image and initramfs.cpio.gz, 2 vCPUs,
 * 256 MiB, user networking, a display at the engine's default size.  Give
 * it to kennel_profile_store_add to keep it.
 */
KennelProfile *kennel_profile_new_demo(const char *guest_dir);

/*
 * Progress of a build: each line the recipe logs ("[guest] step build
 * kernel Image ..."), and an estimate of the fraction done (0 to 1) from
 * the steps seen so far.  Called in the thread-default main context of the
 * caller of kennel_demo_guest_build_async.
 */
typedef void (*KennelDemoProgressFunc)(const char *line, double fraction, gpointer user_data);

/*
 * Runs build-demo-guest.sh (which returns at once if the guest is cached).
 * Cancelling stops the whole build (SIGTERM to its process group); the
 * recipe writes its cache entry only when complete, so nothing half-built
 * stays.  finish returns the guest directory.
 */
void kennel_demo_guest_build_async(GCancellable *cancellable, KennelDemoProgressFunc progress,
                                   gpointer progress_data, GDestroyNotify progress_notify,
                                   GAsyncReadyCallback callback, gpointer user_data);
char *kennel_demo_guest_build_finish(GAsyncResult *result, GError **error);

G_END_DECLS

#endif
