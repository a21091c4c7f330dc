// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile store: the guests the app lists.
 *
 * Loading reads every <id>.ini of the config directory through the one
 * parser (profile.c).  A file that does not parse becomes a load error and
 * the others load all the same; then the store-level rules are checked:
 * ids are unique, and no disk is written by one guest while another one
 * uses it.  Every change goes to disk at once with an atomic save, so that
 * the files are the truth and the list is their picture.
 */
#include "profile-store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/disk-image.h"

struct _KennelProfileStore {
	GObject parent_instance;
	char *config_dir, *data_dir;
	GPtrArray *profiles;    /* of KennelProfile, the list's order */
	GPtrArray *load_errors; /* of GError */
};

static void list_model_iface_init(GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(KennelProfileStore, kennel_profile_store, G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
	PROP_0,
	PROP_CONFIG_DIR,
	PROP_DATA_DIR,
	PROP_N_LOAD_ERRORS,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static GType list_get_item_type(GListModel *model)
{
	return KENNEL_TYPE_PROFILE;
}

static guint list_get_n_items(GListModel *model)
{
	return KENNEL_PROFILE_STORE(model)->profiles->len;
}

static gpointer list_get_item(GListModel *model, guint position)
{
	KennelProfileStore *self = KENNEL_PROFILE_STORE(model);

	if (position >= self->profiles->len)
		return NULL;
	return g_object_ref(self->profiles->pdata[position]);
}

static void list_model_iface_init(GListModelInterface *iface)
{
	iface->get_item_type = list_get_item_type;
	iface->get_n_items = list_get_n_items;
	iface->get_item = list_get_item;
}

static void kennel_profile_store_finalize(GObject *object)
{
	KennelProfileStore *self = KENNEL_PROFILE_STORE(object);

	g_free(self->config_dir);
	g_free(self->data_dir);
	g_ptr_array_unref(self->profiles);
	g_ptr_array_unref(self->load_errors);
	G_OBJECT_CLASS(kennel_profile_store_parent_class)->finalize(object);
}

static void kennel_profile_store_get_property(GObject *object, guint id, GValue *value,
                                              GParamSpec *pspec)
{
	KennelProfileStore *self = KENNEL_PROFILE_STORE(object);

	switch (id) {
	case PROP_CONFIG_DIR: g_value_set_string(value, self->config_dir); break;
	case PROP_DATA_DIR: g_value_set_string(value, self->data_dir); break;
	case PROP_N_LOAD_ERRORS: g_value_set_uint(value, self->load_errors->len); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void kennel_profile_store_set_property(GObject *object, guint id, const GValue *value,
                                              GParamSpec *pspec)
{
	KennelProfileStore *self = KENNEL_PROFILE_STORE(object);

	switch (id) {
	case PROP_CONFIG_DIR:
		g_free(self->config_dir);
		self->config_dir = g_value_dup_string(value);
		break;
	case PROP_DATA_DIR:
		g_free(self->data_dir);
		self->data_dir = g_value_dup_string(value);
		break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void kennel_profile_store_constructed(GObject *object)
{
	KennelProfileStore *self = KENNEL_PROFILE_STORE(object);

	G_OBJECT_CLASS(kennel_profile_store_parent_class)->constructed(object);
	if (!self->config_dir)
		self->config_dir = kennel_profile_default_config_dir();
	if (!self->data_dir)
		self->data_dir = kennel_profile_default_data_dir();
}

static void kennel_profile_store_class_init(KennelProfileStoreClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = kennel_profile_store_finalize;
	object_class->get_property = kennel_profile_store_get_property;
	object_class->set_property = kennel_profile_store_set_property;
	object_class->constructed = kennel_profile_store_constructed;
	props[PROP_CONFIG_DIR] = g_param_spec_string("config-dir", NULL, NULL, NULL,
	                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
	                                                     G_PARAM_STATIC_STRINGS);
	props[PROP_DATA_DIR] = g_param_spec_string("data-dir", NULL, NULL, NULL,
	                                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
	                                                   G_PARAM_STATIC_STRINGS);
	props[PROP_N_LOAD_ERRORS] = g_param_spec_uint("n-load-errors", NULL, NULL, 0, G_MAXUINT, 0,
	                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void kennel_profile_store_init(KennelProfileStore *self)
{
	self->profiles = g_ptr_array_new_with_free_func(g_object_unref);
	self->load_errors = g_ptr_array_new_with_free_func((GDestroyNotify)g_error_free);
}

KennelProfileStore *kennel_profile_store_new_for_dirs(const char *config_dir, const char *data_dir)
{
	return g_object_new(KENNEL_TYPE_PROFILE_STORE, "config-dir", config_dir, "data-dir",
	                    data_dir, NULL);
}

KennelProfileStore *kennel_profile_store_new(void)
{
	return kennel_profile_store_new_for_dirs(NULL, NULL);
}

const char *kennel_profile_store_get_config_dir(KennelProfileStore *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	return self->config_dir;
}

const char *kennel_profile_store_get_data_dir(KennelProfileStore *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	return self->data_dir;
}

char *kennel_profile_store_get_disks_dir(KennelProfileStore *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	return g_build_filename(self->data_dir, "disks", NULL);
}

GPtrArray *kennel_profile_store_get_load_errors(KennelProfileStore *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	return self->load_errors;
}

KennelProfile *kennel_profile_store_find(KennelProfileStore *self, const char *id)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	for (guint i = 0; i < self->profiles->len; i++)
		if (g_strcmp0(kennel_profile_get_id(self->profiles->pdata[i]), id) == 0)
			return self->profiles->pdata[i];
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Store-level rules                                                         */

/* One name per file: symlinks and ".." resolved where the file exists. */
static char *disk_identity(KennelProfile *profile, KennelProfileDisk *disk)
{
	g_autofree char *path =
	        kennel_profile_resolve_path(profile, kennel_profile_disk_get_file(disk));
	char *real = realpath(path, NULL);

	if (real) {
		char *copy = g_strdup(real);

		free(real);
		return copy;
	}
	return g_canonicalize_filename(path, NULL);
}

static const char *source_of(KennelProfile *profile)
{
	const char *path = kennel_profile_get_path(profile);

	return path ? path : kennel_profile_get_name(profile);
}

/* Does other use a disk that profile's disk i shares and one of them writes? */
static gboolean disk_conflict(KennelProfile *profile, KennelProfile *other, GError **error)
{
	GListModel *mine = kennel_profile_get_disks(profile);
	GListModel *theirs = kennel_profile_get_disks(other);

	for (guint i = 0; i < g_list_model_get_n_items(mine); i++) {
		g_autoptr(KennelProfileDisk) a = g_list_model_get_item(mine, i);
		g_autofree char *a_path = disk_identity(profile, a);

		for (guint j = 0; j < g_list_model_get_n_items(theirs); j++) {
			g_autoptr(KennelProfileDisk) b = g_list_model_get_item(theirs, j);
			g_autofree char *b_path = disk_identity(other, b);

			if (strcmp(a_path, b_path) != 0)
				continue;
			if (kennel_profile_disk_get_read_only(a) &&
			    kennel_profile_disk_get_read_only(b))
				continue;
			g_set_error(
			        error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_SHARED_DISK,
			        "%s: [Disk %u] file: %s is also disk %u of guest '%s' (%s), and "
			        "%s writes to it: give each guest its own copy, or make both "
			        "read-only",
			        source_of(profile), i, a_path, j, kennel_profile_get_name(other),
			        source_of(other),
			        kennel_profile_disk_get_read_only(a) ? "that guest" : "this guest");
			return TRUE;
		}
	}
	return FALSE;
}

/* The store's rules for profile against every guest but itself and skip. */
static gboolean check_against(KennelProfileStore *self, KennelProfile *profile, KennelProfile *skip,
                              GError **error)
{
	for (guint i = 0; i < self->profiles->len; i++) {
		KennelProfile *other = self->profiles->pdata[i];

		if (other == profile || other == skip)
			continue;
		if (g_strcmp0(kennel_profile_get_id(other), kennel_profile_get_id(profile)) == 0) {
			g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_DUPLICATE_ID,
			            "%s: [Guest] id: '%s' is already the id of guest '%s' (%s)",
			            source_of(profile), kennel_profile_get_id(profile),
			            kennel_profile_get_name(other), source_of(other));
			return FALSE;
		}
		if (disk_conflict(profile, other, error))
			return FALSE;
	}
	return TRUE;
}

gboolean kennel_profile_store_check(KennelProfileStore *self, KennelProfile *profile,
                                    GError **error)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), FALSE);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), FALSE);
	return check_against(self, profile, NULL, error);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

static gint compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return g_utf8_collate(kennel_profile_get_name(*(KennelProfile *const *)a),
	                      kennel_profile_get_name(*(KennelProfile *const *)b));
}

gboolean kennel_profile_store_load(KennelProfileStore *self, GError **error)
{
	g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) e = NULL;
	guint old_len = self->profiles->len;
	const char *entry;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), FALSE);
	dir = g_dir_open(self->config_dir, 0, &e);
	if (!dir && !g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
		            "%s: cannot read the guests' directory: %s", self->config_dir,
		            e->message);
		return FALSE;
	}
	while (dir && (entry = g_dir_read_name(dir)))
		if (entry[0] != '.' && g_str_has_suffix(entry, ".ini"))
			g_ptr_array_add(names, g_strdup(entry));
	g_ptr_array_sort(names, compare_strings);

	/* The old list goes; the new one is what the files say now. */
	g_ptr_array_set_size(self->load_errors, 0);
	g_ptr_array_set_size(self->profiles, 0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_build_filename(self->config_dir, names->pdata[i], NULL);
		GError *load_error = NULL;
		KennelProfile *profile =
		        kennel_profile_new_from_file(path, self->data_dir, &load_error);

		if (!profile) {
			g_ptr_array_add(self->load_errors, load_error);
			continue;
		}
		g_ptr_array_add(loaded, profile);
	}
	/* Store-level rules, in file-name order: the first file keeps its id. */
	for (guint i = 0; i < loaded->len; i++) {
		KennelProfile *profile = loaded->pdata[i];
		GError *check_error = NULL;

		if (!kennel_profile_store_check(self, profile, &check_error)) {
			g_ptr_array_add(self->load_errors, check_error);
			if (check_error->code == KENNEL_PROFILE_ERROR_DUPLICATE_ID)
				continue;
		}
		g_ptr_array_add(self->profiles, g_object_ref(profile));
	}
	g_ptr_array_sort(self->profiles, compare_names);
	g_list_model_items_changed(G_LIST_MODEL(self), 0, old_len, self->profiles->len);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_N_LOAD_ERRORS]);
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Changes                                                                   */

/* "Demo Linux (riscv64)" -> "demo-linux-riscv64": ASCII, lower case, dashes. */
static char *slugify(const char *name)
{
	GString *slug = g_string_new(NULL);
	g_autofree char *ascii = g_str_to_ascii(name ? name : "", "C");

	for (const char *p = ascii; *p && slug->len < 32; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(slug, g_ascii_tolower(*p));
		else if (slug->len && slug->str[slug->len - 1] != '-')
			g_string_append_c(slug, '-');
	}
	while (slug->len && slug->str[slug->len - 1] == '-')
		g_string_truncate(slug, slug->len - 1);
	if (!slug->len)
		g_string_append(slug, "guest");
	return g_string_free(slug, FALSE);
}

char *kennel_profile_store_new_id(KennelProfileStore *self, const char *name)
{
	g_autofree char *slug = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	slug = slugify(name);
	for (;;) {
		g_autofree char *id = g_strdup_printf("%s-%06x", slug, g_random_int() & 0xffffff);
		g_autofree char *file = g_strconcat(id, ".ini", NULL);
		g_autofree char *path = g_build_filename(self->config_dir, file, NULL);

		if (!kennel_profile_store_find(self, id) && !g_file_test(path, G_FILE_TEST_EXISTS))
			return g_steal_pointer(&id);
	}
}

char *kennel_profile_store_create_disk(KennelProfileStore *self, const char *name, guint64 size,
                                       GError **error)
{
	g_autofree char *dir = NULL;
	g_autofree char *slug = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	dir = kennel_profile_store_get_disks_dir(self);
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
		            "%s: cannot create the directory: %s", dir, g_strerror(errno));
		return NULL;
	}
	slug = slugify(name);
	for (;;) {
		g_autofree char *file =
		        g_strdup_printf("disks/%s-%06x.img", slug, g_random_int() & 0xffffff);
		g_autofree char *path = g_build_filename(self->data_dir, file, NULL);
		GError *e = NULL;

		if (kennel_disk_image_create(path, size, &e))
			return g_steal_pointer(&file);
		if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
			g_propagate_error(error, e);
			return NULL;
		}
		g_error_free(e); /* taken: another name */
	}
}

static char *path_for_id(KennelProfileStore *self, const char *id)
{
	g_autofree char *file = g_strconcat(id, ".ini", NULL);

	return g_build_filename(self->config_dir, file, NULL);
}

/* Checks, saves as <id>.ini and appends: the end of add and clone. */
static gboolean save_new(KennelProfileStore *self, KennelProfile *profile, GError **error)
{
	g_autofree char *path = path_for_id(self, kennel_profile_get_id(profile));

	if (!kennel_profile_store_check(self, profile, error))
		return FALSE;
	if (!kennel_profile_save_to_file(profile, path, error))
		return FALSE;
	g_ptr_array_add(self->profiles, g_object_ref(profile));
	g_list_model_items_changed(G_LIST_MODEL(self), self->profiles->len - 1, 0, 1);
	return TRUE;
}

KennelProfile *kennel_profile_store_add(KennelProfileStore *self, KennelProfile *profile,
                                        GError **error)
{
	g_autofree char *id = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), NULL);
	g_return_val_if_fail(!kennel_profile_get_path(profile), NULL);
	id = kennel_profile_store_new_id(self, kennel_profile_get_name(profile));
	kennel_profile_set_id(profile, id);
	kennel_profile_set_data_dir(profile, self->data_dir);
	if (!kennel_profile_get_created(profile))
		kennel_profile_set_created(profile, now);
	if (!save_new(self, profile, error))
		return NULL;
	return profile;
}

gboolean kennel_profile_store_save(KennelProfileStore *self, KennelProfile *profile, GError **error)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), FALSE);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), FALSE);
	if (!kennel_profile_store_check(self, profile, error))
		return FALSE;
	return kennel_profile_save(profile, error);
}

gboolean kennel_profile_store_update(KennelProfileStore *self, KennelProfile *profile,
                                     KennelProfile *edited, GError **error)
{
	g_autoptr(KennelProfile) backup = NULL;
	g_autoptr(KennelProfile) candidate = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), FALSE);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), FALSE);
	g_return_val_if_fail(KENNEL_IS_PROFILE(edited), FALSE);
	/* First on a stand-in, so that a refused edit changes nothing. */
	candidate = kennel_profile_copy(profile);
	kennel_profile_assign(candidate, edited);
	if (!kennel_profile_validate(candidate, error) ||
	    !check_against(self, candidate, profile, error))
		return FALSE;
	backup = kennel_profile_copy(profile);
	kennel_profile_assign(profile, edited);
	if (kennel_profile_save(profile, error))
		return TRUE;
	kennel_profile_assign(profile, backup);
	return FALSE;
}

gboolean kennel_profile_store_rename(KennelProfileStore *self, KennelProfile *profile,
                                     const char *name, GError **error)
{
	g_autofree char *old = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), FALSE);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), FALSE);
	old = g_strdup(kennel_profile_get_name(profile));
	kennel_profile_set_name(profile, name);
	if (kennel_profile_save(profile, error))
		return TRUE;
	kennel_profile_set_name(profile, old); /* the file still has the old one */
	return FALSE;
}

/* What a clone needs to do with its disks: sources and destinations. */
typedef struct clone_job clone_job;
struct clone_job {
	KennelProfile *clone; /* new, unsaved */
	KennelCloneDisks mode;
	GPtrArray *sources;      /* absolute paths, NULL for a shared read-only disk */
	GPtrArray *destinations; /* absolute paths */
};

static void clone_job_free(struct clone_job *job)
{
	g_clear_object(&job->clone);
	g_ptr_array_unref(job->sources);
	g_ptr_array_unref(job->destinations);
	g_free(job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(clone_job, clone_job_free)

static struct clone_job *clone_prepare(KennelProfileStore *self, KennelProfile *profile,
                                       const char *name, KennelCloneDisks mode)
{
	struct clone_job *job = g_new0(struct clone_job, 1);
	g_autofree char *id = kennel_profile_store_new_id(self, name);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	GListModel *disks;

	job->mode = mode;
	job->sources = g_ptr_array_new_with_free_func(g_free);
	job->destinations = g_ptr_array_new_with_free_func(g_free);
	job->clone = kennel_profile_copy(profile);
	kennel_profile_set_id(job->clone, id);
	kennel_profile_set_name(job->clone, name);
	kennel_profile_set_data_dir(job->clone, self->data_dir);
	kennel_profile_set_created(job->clone, now);
	kennel_profile_set_last_run(job->clone, NULL);
	disks = kennel_profile_get_disks(job->clone);
	for (guint i = 0; i < g_list_model_get_n_items(disks); i++) {
		g_autoptr(KennelProfileDisk) disk = g_list_model_get_item(disks, i);
		g_autofree char *file = NULL;

		if (kennel_profile_disk_get_read_only(disk))
			continue; /* shared: nobody writes it */
		file = g_strdup_printf("disks/%s-%u.img", id, i);
		g_ptr_array_add(job->sources, kennel_profile_resolve_path(
		                                      profile, kennel_profile_disk_get_file(disk)));
		g_ptr_array_add(job->destinations, g_build_filename(self->data_dir, file, NULL));
		kennel_profile_disk_set_file(disk, file);
	}
	return job;
}

/* The slow part, in any thread: copy or create the disks. */
static gboolean clone_disks(struct clone_job *job, GCancellable *cancellable, GError **error)
{
	for (guint i = 0; i < job->sources->len; i++) {
		const char *src = job->sources->pdata[i], *dst = job->destinations->pdata[i];
		g_autofree char *dir = g_path_get_dirname(dst);
		gboolean ok;

		if (g_mkdir_with_parents(dir, 0700) < 0) {
			g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
			            "%s: cannot create the directory: %s", dir, g_strerror(errno));
			ok = FALSE;
		} else if (job->mode == KENNEL_CLONE_COPY_DISKS) {
			ok = kennel_disk_image_copy(src, dst, cancellable, error);
		} else {
			GStatBuf st;

			if (g_stat(src, &st) < 0) {
				g_set_error(error, KENNEL_PROFILE_ERROR,
				            KENNEL_PROFILE_ERROR_MISSING_FILE, "%s: %s", src,
				            g_strerror(errno));
				ok = FALSE;
			} else {
				ok = kennel_disk_image_create(dst, (guint64)st.st_size, error);
			}
		}
		if (!ok) {
			/* Take back the copies made so far. */
			for (guint j = 0; j < i; j++)
				g_unlink(job->destinations->pdata[j]);
			return FALSE;
		}
	}
	return TRUE;
}

static KennelProfile *clone_finish_job(KennelProfileStore *self, struct clone_job *job,
                                       GError **error)
{
	if (!save_new(self, job->clone, error)) {
		for (guint i = 0; i < job->destinations->len; i++)
			g_unlink(job->destinations->pdata[i]);
		return NULL;
	}
	return job->clone;
}

KennelProfile *kennel_profile_store_clone(KennelProfileStore *self, KennelProfile *profile,
                                          const char *name, KennelCloneDisks disks,
                                          GCancellable *cancellable, GError **error)
{
	g_autoptr(clone_job) job = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), NULL);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	job = clone_prepare(self, profile, name, disks);
	if (!kennel_profile_validate(job->clone, error) || !clone_disks(job, cancellable, error))
		return NULL;
	return clone_finish_job(self, job, error);
}

static void clone_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	GError *error = NULL;

	if (clone_disks(data, cancellable, &error))
		g_task_return_boolean(task, TRUE);
	else
		g_task_return_error(task, error);
}

void kennel_profile_store_clone_async(KennelProfileStore *self, KennelProfile *profile,
                                      const char *name, KennelCloneDisks disks,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	struct clone_job *job;
	GError *error = NULL;

	g_return_if_fail(KENNEL_IS_PROFILE_STORE(self));
	g_return_if_fail(KENNEL_IS_PROFILE(profile));
	g_return_if_fail(name != NULL);
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, kennel_profile_store_clone_async);
	job = clone_prepare(self, profile, name, disks);
	g_task_set_task_data(task, job, (GDestroyNotify)clone_job_free);
	if (!kennel_profile_validate(job->clone, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_run_in_thread(task, clone_thread);
}

KennelProfile *kennel_profile_store_clone_finish(KennelProfileStore *self, GAsyncResult *result,
                                                 GError **error)
{
	GTask *task = G_TASK(result);

	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	if (!g_task_propagate_boolean(task, error))
		return NULL;
	/* Back in the store's thread: save and list it. */
	return clone_finish_job(self, g_task_get_task_data(task), error);
}

/* Is path a disk of a guest other than profile? */
static gboolean used_elsewhere(KennelProfileStore *self, KennelProfile *profile, const char *path)
{
	for (guint i = 0; i < self->profiles->len; i++) {
		KennelProfile *other = self->profiles->pdata[i];
		GListModel *disks = kennel_profile_get_disks(other);

		if (other == profile)
			continue;
		for (guint j = 0; j < g_list_model_get_n_items(disks); j++) {
			g_autoptr(KennelProfileDisk) disk = g_list_model_get_item(disks, j);
			g_autofree char *other_path = disk_identity(other, disk);

			if (strcmp(other_path, path) == 0)
				return TRUE;
		}
	}
	return FALSE;
}

gboolean kennel_profile_store_delete(KennelProfileStore *self, KennelProfile *profile,
                                     gboolean delete_disks, GError **error)
{
	g_autoptr(KennelProfile) keep = NULL;
	g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) failed = g_string_new(NULL);
	const char *path;
	guint position;

	g_return_val_if_fail(KENNEL_IS_PROFILE_STORE(self), FALSE);
	g_return_val_if_fail(KENNEL_IS_PROFILE(profile), FALSE);
	if (!g_ptr_array_find(self->profiles, profile, &position)) {
		g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
		            "guest '%s' is not in the store", kennel_profile_get_name(profile));
		return FALSE;
	}
	keep = g_object_ref(profile);
	if (delete_disks) {
		GListModel *disks = kennel_profile_get_disks(profile);

		for (guint i = 0; i < g_list_model_get_n_items(disks); i++) {
			g_autoptr(KennelProfileDisk) disk = g_list_model_get_item(disks, i);
			g_autofree char *disk_path = disk_identity(profile, disk);

			if (!kennel_profile_disk_get_read_only(disk) &&
			    !used_elsewhere(self, profile, disk_path))
				g_ptr_array_add(doomed, g_steal_pointer(&disk_path));
		}
	}
	/* The profile first: if it cannot go, nothing goes. */
	path = kennel_profile_get_path(profile);
	if (path && g_unlink(path) < 0 && errno != ENOENT) {
		g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
		            "%s: cannot delete it: %s", path, g_strerror(errno));
		return FALSE;
	}
	g_ptr_array_remove_index(self->profiles, position);
	g_list_model_items_changed(G_LIST_MODEL(self), position, 1, 0);
	for (guint i = 0; i < doomed->len; i++)
		if (g_unlink(doomed->pdata[i]) < 0 && errno != ENOENT)
			g_string_append_printf(failed, "%s%s (%s)", failed->len ? ", " : "",
			                       (const char *)doomed->pdata[i], g_strerror(errno));
	if (failed->len) {
		g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO,
		            "guest '%s' is deleted, but not its disk(s) %s",
		            kennel_profile_get_name(profile), failed->str);
		return FALSE;
	}
	return TRUE;
}
