/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The profile store: every guest profile in the config directory, as a
 * GListModel of KennelProfile for the app's list of guests, with the
 * operations that touch files (create, save, rename, clone, delete).
 * Rules in docs/profiles.md.
 */
#ifndef KENNEL_PROFILE_STORE_H
#define KENNEL_PROFILE_STORE_H

#include <gio/gio.h>

#include "profile/profile.h"

G_BEGIN_DECLS

typedef enum {
	KENNEL_CLONE_COPY_DISKS,  /* writable disks copied (sparse-aware) */
	KENNEL_CLONE_FRESH_DISKS, /* writable disks replaced by empty ones of the same size */
} KennelCloneDisks;

/*
 * Properties: "config-dir", "data-dir" (construct-only) and "n-load-errors"
 * (notify when the list of load errors changes).
 */
#define KENNEL_TYPE_PROFILE_STORE (kennel_profile_store_get_type())
G_DECLARE_FINAL_TYPE(KennelProfileStore, kennel_profile_store, KENNEL, PROFILE_STORE, GObject)

/* The default directories ($XDG_CONFIG_HOME/kennel/guests, $XDG_DATA_HOME/kennel). */
KennelProfileStore *kennel_profile_store_new(void);
KennelProfileStore *kennel_profile_store_new_for_dirs(const char *config_dir, const char *data_dir);

/*
 * (Re)reads every *.ini in the config directory.  A broken file does not
 * stop the others: its error goes to the load errors and the rest load.
 * A second file with an id already taken is not loaded (DUPLICATE_ID); two
 * guests sharing a disk that one of them writes both load, with a
 * SHARED_DISK load error.  FALSE only if the directory cannot be read (a
 * missing directory is an empty store).
 */
gboolean kennel_profile_store_load(KennelProfileStore *self, GError **error);

/*
 * The problems of the last load: a GPtrArray of GError (KENNEL_PROFILE_ERROR),
 * each message "FILE: [Group] key: what is wrong", for "guest X could not be
 * loaded" rows.  Never NULL.
 */
GPtrArray *kennel_profile_store_get_load_errors(KennelProfileStore *self);

const char *kennel_profile_store_get_config_dir(KennelProfileStore *self);
const char *kennel_profile_store_get_data_dir(KennelProfileStore *self);
/* $data-dir/disks: where the store puts the disks it creates. */
char *kennel_profile_store_get_disks_dir(KennelProfileStore *self);

KennelProfile *kennel_profile_store_find(KennelProfileStore *self, const char *id);

/*
 * What the store allows next to the other guests: a unique id, and no disk
 * that one guest writes and another uses (DUPLICATE_ID, SHARED_DISK).  The
 * app calls it before starting a guest, too.
 */
gboolean kennel_profile_store_check(KennelProfileStore *self, KennelProfile *profile,
                                    GError **error);

/* A fresh id for a name: its slug and a random suffix ("demo-linux-3f9a1c"). */
char *kennel_profile_store_new_id(KennelProfileStore *self, const char *name);

/*
 * A new, empty (sparse) disk image of size bytes in the store's disks
 * directory, named after name ("disks/lab-3f9a1c.img", relative to the data
 * dir, as profiles write it): give it to kennel_profile_add_disk().
 */
char *kennel_profile_store_create_disk(KennelProfileStore *self, const char *name, guint64 size,
                                       GError **error);

/*
 * Adds a new guest (from the assistant or a template): gives it a fresh id,
 * created = now, the store's data dir, checks and saves it as
 * <config-dir>/<id>.ini and appends it.  Returns it (owned by the store).
 */
KennelProfile *kennel_profile_store_add(KennelProfileStore *self, KennelProfile *profile,
                                        GError **error);

/* Saves a guest of the store after edits (check + atomic save). */
gboolean kennel_profile_store_save(KennelProfileStore *self, KennelProfile *profile,
                                   GError **error);

/*
 * Applies an edit dialog's copy: profile (a guest of the store) takes
 * edited's settings (kennel_profile_assign) if they are valid and keep the
 * store's rules, and is saved; on any failure it keeps its old settings.
 */
gboolean kennel_profile_store_update(KennelProfileStore *self, KennelProfile *profile,
                                     KennelProfile *edited, GError **error);

/* Renames: a new name, the same id and file. */
gboolean kennel_profile_store_rename(KennelProfileStore *self, KennelProfile *profile,
                                     const char *name, GError **error);

/*
 * Clones: a new guest with the same settings and a fresh id; its writable
 * disks are copied (or created empty) as disks/<new-id>-<n>.img under the
 * data dir; read-only disks are shared.  Returns the new guest (owned by the
 * store).  The async form copies in a thread.
 */
KennelProfile *kennel_profile_store_clone(KennelProfileStore *self, KennelProfile *profile,
                                          const char *name, KennelCloneDisks disks,
                                          GCancellable *cancellable, GError **error);
void kennel_profile_store_clone_async(KennelProfileStore *self, KennelProfile *profile,
                                      const char *name, KennelCloneDisks disks,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
KennelProfile *kennel_profile_store_clone_finish(KennelProfileStore *self, GAsyncResult *result,
                                                 GError **error);

/*
 * Deletes a guest's profile.  With delete_disks, its writable disks go too,
 * unless another guest of the store uses them; read-only disks are never
 * removed (they are usually shared base images).
 */
gboolean kennel_profile_store_delete(KennelProfileStore *self, KennelProfile *profile,
                                     gboolean delete_disks, GError **error);

G_END_DECLS

#endif
