// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile store on real directories: loading with a broken file among
 * good ones, duplicate ids and shared writable disks, then create, rename,
 * clone (sparse copies and fresh disks) and delete (with and without the
 * disks).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/profile-store.h"
#include "profile-private.h"

struct fixture {
	char *root, *config, *data, *disks;
	KennelProfileStore *store;
};

static void put(struct fixture *f, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(f->config, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
}

static char *disk_path(struct fixture *f, const char *name)
{
	return g_build_filename(f->disks, name, NULL);
}

/* A sparse image: size bytes, with data only where we write it. */
static void make_image(const char *path, off_t size, gboolean with_data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(ftruncate(fd, size), ==, 0);
	if (with_data) {
		g_autofree guint8 *buf = g_malloc(1 << 20);

		for (guint i = 0; i < (1 << 20); i++)
			buf[i] = (guint8)(i * 7 + 3);
		g_assert_cmpint(pwrite(fd, "boot sector", 11, 0), ==, 11);
		g_assert_cmpint(pwrite(fd, buf, 1 << 20, 10 << 20), ==, 1 << 20);
		g_assert_cmpint(pwrite(fd, buf, 4096, size - 4096), ==, 4096);
	}
	close(fd);
}

static void fixture_set_up(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->root = g_dir_make_tmp("kennel-store-XXXXXX", &error);
	g_assert_no_error(error);
	f->config = g_build_filename(f->root, "config", "kennel", "guests", NULL);
	f->data = g_build_filename(f->root, "data", "kennel", NULL);
	f->disks = g_build_filename(f->data, "disks", NULL);
	g_assert_cmpint(g_mkdir_with_parents(f->config, 0700), ==, 0);
	g_assert_cmpint(g_mkdir_with_parents(f->disks, 0700), ==, 0);
	f->store = kennel_profile_store_new_for_dirs(f->config, f->data);
	kennel_profile_no_reflink = FALSE;
}

static void fixture_tear_down(struct fixture *f, gconstpointer data)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->root);

	g_clear_object(&f->store);
	if (system(cmd) != 0)
		g_printerr("# could not remove %s\n", f->root);
	g_free(f->root);
	g_free(f->config);
	g_free(f->data);
	g_free(f->disks);
}

static KennelProfile *item(struct fixture *f, guint i)
{
	g_autoptr(KennelProfile) p = g_list_model_get_item(G_LIST_MODEL(f->store), i);

	return p; /* the store keeps its reference */
}

static void load(struct fixture *f)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(kennel_profile_store_load(f->store, &error));
	g_assert_no_error(error);
}

#define GUEST(id, name) "[Guest]\nid=" id "\nname=" name "\n[Boot]\nkernel=/boot/Image\n"

static void test_empty_dir(struct fixture *f, gconstpointer data)
{
	g_autofree char *absent = g_build_filename(f->root, "absent", NULL);
	g_autoptr(KennelProfileStore) store = kennel_profile_store_new_for_dirs(absent, f->data);
	g_autoptr(GError) error = NULL;

	g_assert_true(kennel_profile_store_load(store, &error));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(store)), ==, 0);
	g_assert_cmpuint(kennel_profile_store_get_load_errors(store)->len, ==, 0);
}

static void test_broken_file(struct fixture *f, gconstpointer data)
{
	g_autofree char *broken = g_build_filename(f->config, "bravo.ini", NULL);
	GPtrArray *errors;
	GError *e;

	put(f, "alpha.ini", GUEST("alpha", "Alpha"));
	put(f, "bravo.ini", GUEST("bravo", "Bravo") "[Guest]\nmemory=a lot\n");
	put(f, "charlie.ini", GUEST("charlie", "Charlie"));
	put(f, ".charlie.ini.X1Y2Z3", "a temporary file of an interrupted save");
	put(f, "notes.txt", "not a profile");
	load(f);

	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(f->store)), ==, 2);
	g_assert_cmpstr(kennel_profile_get_id(item(f, 0)), ==, "alpha");
	g_assert_cmpstr(kennel_profile_get_id(item(f, 1)), ==, "charlie");
	errors = kennel_profile_store_get_load_errors(f->store);
	g_assert_cmpuint(errors->len, ==, 1);
	e = errors->pdata[0];
	g_test_message("%s", e->message);
	g_assert_error(e, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_WRONG_TYPE);
	g_assert_true(g_str_has_prefix(e->message, broken));
	g_assert_nonnull(strstr(e->message, "[Guest] memory: "));
	g_assert_nonnull(kennel_profile_store_find(f->store, "charlie"));
	g_assert_null(kennel_profile_store_find(f->store, "bravo"));
}

static void test_duplicate_id(struct fixture *f, gconstpointer data)
{
	g_autofree char *second = g_build_filename(f->config, "two.ini", NULL);
	GPtrArray *errors;
	GError *e;

	put(f, "one.ini", GUEST("one", "First"));
	put(f, "two.ini", GUEST("one", "Second"));
	load(f);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(f->store)), ==, 1);
	g_assert_cmpstr(kennel_profile_get_name(item(f, 0)), ==, "First");
	errors = kennel_profile_store_get_load_errors(f->store);
	g_assert_cmpuint(errors->len, ==, 1);
	e = errors->pdata[0];
	g_test_message("%s", e->message);
	g_assert_error(e, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_DUPLICATE_ID);
	g_assert_true(g_str_has_prefix(e->message, second));
	g_assert_nonnull(strstr(e->message, "[Guest] id: 'one'"));
}

static void test_shared_disk(struct fixture *f, gconstpointer data)
{
	g_autofree char *shared = disk_path(f, "shared.img");
	g_autofree char *base = disk_path(f, "base.img");
	g_autofree char *text = NULL;
	g_autofree char *second = g_build_filename(f->config, "writer2.ini", NULL);
	g_autoptr(KennelProfile) newcomer = kennel_profile_new("Newcomer");
	g_autoptr(KennelProfileDisk) disk = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *errors;
	GError *e;

	make_image(shared, 1 << 20, FALSE);
	make_image(base, 1 << 20, FALSE);
	/* One writes it by a relative path, one reads it by the absolute one. */
	put(f, "writer1.ini", GUEST("writer1", "Writer") "[Disk 0]\nfile=disks/shared.img\n");
	text = g_strdup_printf(GUEST("writer2", "Reader") "[Disk 0]\nfile=%s\nread-only=true\n",
	                       shared);
	put(f, "writer2.ini", text);
	/* Two readers of one base image are fine. */
	put(f, "r1.ini", GUEST("r1", "R1") "[Disk 0]\nfile=disks/base.img\nread-only=true\n");
	put(f, "r2.ini", GUEST("r2", "R2") "[Disk 0]\nfile=disks/base.img\nread-only=true\n");
	load(f);

	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(f->store)), ==, 4);
	errors = kennel_profile_store_get_load_errors(f->store);
	g_assert_cmpuint(errors->len, ==, 1);
	e = errors->pdata[0];
	g_test_message("%s", e->message);
	g_assert_error(e, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_SHARED_DISK);
	g_assert_true(g_str_has_prefix(e->message, second));
	g_assert_nonnull(strstr(e->message, "[Disk 0] file: "));

	/* The same rule for a guest about to join: it may not write the base image. */
	kennel_profile_set_kernel(newcomer, "/boot/Image");
	kennel_profile_add_disk(newcomer, base, FALSE);
	g_assert_null(kennel_profile_store_add(f->store, newcomer, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_SHARED_DISK);
	g_test_message("%s", error->message);
	g_clear_error(&error);
	disk = g_list_model_get_item(kennel_profile_get_disks(newcomer), 0);
	kennel_profile_disk_set_read_only(disk, TRUE);
	g_assert_nonnull(kennel_profile_store_add(f->store, newcomer, &error));
	g_assert_no_error(error);
}

static guint changes;

static void count_changes(GListModel *model, guint position, guint removed, guint added,
                          gpointer data)
{
	changes++;
}

static void test_add_rename(struct fixture *f, gconstpointer data)
{
	g_autoptr(KennelProfile) p = kennel_profile_new("Demo Linux (riscv64)");
	g_autoptr(KennelProfileStore) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	KennelProfile *added, *reloaded;
	const char *id;

	load(f);
	changes = 0;
	g_signal_connect(f->store, "items-changed", G_CALLBACK(count_changes), NULL);
	kennel_profile_set_kernel(p, "/boot/Image");
	added = kennel_profile_store_add(f->store, p, &error);
	g_assert_no_error(error);
	g_assert_true(added == p);
	g_assert_cmpuint(changes, ==, 1);
	id = kennel_profile_get_id(p);
	g_test_message("id %s", id);
	g_assert_true(g_str_has_prefix(id, "demo-linux-riscv64-"));
	g_assert_cmpuint(strlen(id), ==, strlen("demo-linux-riscv64-") + 6);
	g_assert_nonnull(kennel_profile_get_created(p));
	path = g_strdup_printf("%s/%s.ini", f->config, id);
	g_assert_cmpstr(kennel_profile_get_path(p), ==, path);
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));

	g_assert_true(kennel_profile_store_rename(f->store, p, "Renamed", &error));
	g_assert_no_error(error);
	g_assert_cmpstr(kennel_profile_get_path(p), ==, path);

	again = kennel_profile_store_new_for_dirs(f->config, f->data);
	g_assert_true(kennel_profile_store_load(again, &error));
	reloaded = kennel_profile_store_find(again, id);
	g_assert_nonnull(reloaded);
	g_assert_cmpstr(kennel_profile_get_name(reloaded), ==, "Renamed");
	g_assert_true(g_date_time_equal(kennel_profile_get_created(reloaded),
	                                kennel_profile_get_created(p)));
}

static void test_create_disk(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new("Lab guest");
	g_autofree char *file = NULL;
	g_autofree char *path = NULL;
	GStatBuf st;

	load(f);
	file = kennel_profile_store_create_disk(f->store, "Lab guest", G_GUINT64_CONSTANT(8) << 30,
	                                        &error);
	g_assert_no_error(error);
	g_test_message("%s", file);
	g_assert_true(g_str_has_prefix(file, "disks/lab-guest-"));
	g_assert_true(g_str_has_suffix(file, ".img"));
	kennel_profile_set_kernel(p, "/boot/Image");
	kennel_profile_add_disk(p, file, FALSE);
	g_assert_nonnull(kennel_profile_store_add(f->store, p, &error));
	path = kennel_profile_resolve_path(p, file);
	g_assert_true(g_str_has_prefix(path, f->disks));
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpuint((guint64)st.st_size, ==, G_GUINT64_CONSTANT(8) << 30);
	g_assert_cmpuint((guint64)st.st_blocks, <, 64); /* all holes */
	kennel_profile_set_kernel(p, file);             /* any file that exists */
	g_assert_true(kennel_profile_check_files(p, &error));
	g_assert_no_error(error);
}

/* The edit dialog's way: edit a copy, then update; a refused edit changes nothing. */
static void test_update(struct fixture *f, gconstpointer data)
{
	g_autofree char *base = disk_path(f, "base.img");
	g_autoptr(KennelProfile) edited = NULL;
	g_autoptr(KennelProfileStore) again = NULL;
	g_autoptr(GError) error = NULL;
	KennelProfile *p, *reloaded;

	make_image(base, 1 << 20, FALSE);
	put(f, "ed.ini", GUEST("ed", "Editable") "keep=me\n");
	put(f, "other.ini",
	    GUEST("other", "Other") "[Disk 0]\nfile=disks/base.img\nread-only=true\n");
	load(f);
	p = kennel_profile_store_find(f->store, "ed");
	edited = kennel_profile_copy(p);
	kennel_profile_set_name(edited, "Edited");
	kennel_profile_set_vcpus(edited, 4);
	kennel_profile_add_disk(edited, "disks/base.img", FALSE); /* other reads it */
	g_assert_false(kennel_profile_store_update(f->store, p, edited, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_SHARED_DISK);
	g_clear_error(&error);
	g_assert_cmpstr(kennel_profile_get_name(p), ==, "Editable");
	g_assert_cmpuint(kennel_profile_get_vcpus(p), ==, 1);

	kennel_profile_remove_disk(edited, 0);
	kennel_profile_add_disk(edited, "disks/base.img", TRUE);
	g_assert_true(kennel_profile_store_update(f->store, p, edited, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(kennel_profile_get_name(p), ==, "Edited");
	g_assert_cmpuint(kennel_profile_get_vcpus(p), ==, 4);
	g_assert_cmpstr(kennel_profile_get_id(p), ==, "ed");

	again = kennel_profile_store_new_for_dirs(f->config, f->data);
	g_assert_true(kennel_profile_store_load(again, &error));
	reloaded = kennel_profile_store_find(again, "ed");
	g_assert_cmpuint(kennel_profile_get_vcpus(reloaded), ==, 4);
	g_assert_cmpuint(g_list_model_get_n_items(kennel_profile_get_disks(reloaded)), ==, 1);
	g_assert_cmpuint(kennel_profile_get_warnings(reloaded)->len, ==, 1); /* keep=me, kept */
	g_assert_cmpuint(kennel_profile_store_get_load_errors(again)->len, ==, 0);
}

static gboolean files_equal(const char *a, const char *b)
{
	g_autofree char *cmd = g_strdup_printf("cmp -s '%s' '%s'", a, b);

	return system(cmd) == 0;
}

static guint64 allocated(const char *path)
{
	GStatBuf st;

	g_assert_cmpint(g_stat(path, &st), ==, 0);
	return (guint64)st.st_blocks * 512;
}

static guint64 file_size(const char *path)
{
	GStatBuf st;

	g_assert_cmpint(g_stat(path, &st), ==, 0);
	return (guint64)st.st_size;
}

/* A guest with a writable 64 MiB sparse disk and a read-only base image. */
static KennelProfile *make_cloneable(struct fixture *f)
{
	g_autofree char *own = disk_path(f, "orig-0.img");
	g_autofree char *base = disk_path(f, "base.img");

	make_image(own, 64 << 20, TRUE);
	make_image(base, 1 << 20, FALSE);
	put(f, "orig.ini",
	    GUEST("orig", "Original") "mystery=42\n"
	                              "[Disk 0]\nfile=disks/orig-0.img\n"
	                              "[Disk 1]\nfile=disks/base.img\nread-only=true\n");
	load(f);
	return kennel_profile_store_find(f->store, "orig");
}

static void check_clone(struct fixture *f, KennelProfile *orig, KennelProfile *clone,
                        gboolean copied)
{
	g_autoptr(KennelProfileDisk) d0 = g_list_model_get_item(kennel_profile_get_disks(clone), 0);
	g_autoptr(KennelProfileDisk) d1 = g_list_model_get_item(kennel_profile_get_disks(clone), 1);
	g_autofree char *expected = g_strdup_printf("disks/%s-0.img", kennel_profile_get_id(clone));
	g_autofree char *src = disk_path(f, "orig-0.img");
	g_autofree char *dst = kennel_profile_resolve_path(clone, kennel_profile_disk_get_file(d0));
	g_autofree char *ini = NULL;
	g_autofree char *text = NULL;

	g_assert_cmpstr(kennel_profile_get_name(clone), ==, "Copy");
	g_assert_cmpstr(kennel_profile_get_id(clone), !=, kennel_profile_get_id(orig));
	g_assert_cmpstr(kennel_profile_disk_get_file(d0), ==, expected);
	g_assert_cmpstr(kennel_profile_disk_get_file(d1), ==, "disks/base.img");
	g_assert_cmpuint(file_size(dst), ==, file_size(src));
	g_test_message("allocated: original %" G_GUINT64_FORMAT ", clone %" G_GUINT64_FORMAT,
	               allocated(src), allocated(dst));
	if (copied) {
		g_assert_true(files_equal(src, dst));
		/* Holes stayed holes: about the 1 MiB of data, not 64 MiB. */
		g_assert_cmpuint(allocated(dst), <=, allocated(src) + (256 << 10));
		g_assert_cmpuint(allocated(dst), <, 8 << 20);
	} else {
		g_assert_false(files_equal(src, dst));
		g_assert_cmpuint(allocated(dst), <, 64 << 10);
	}
	/* Saved, with the original's unknown key. */
	ini = g_strdup_printf("%s/%s.ini", f->config, kennel_profile_get_id(clone));
	g_assert_true(g_file_get_contents(ini, &text, NULL, NULL));
	g_assert_nonnull(strstr(text, "mystery=42"));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(f->store)), ==, 2);
}

static void test_clone_copy(struct fixture *f, gconstpointer data)
{
	KennelProfile *orig = make_cloneable(f), *clone;
	g_autoptr(GError) error = NULL;

	kennel_profile_no_reflink = GPOINTER_TO_INT(data);
	clone = kennel_profile_store_clone(f->store, orig, "Copy", KENNEL_CLONE_COPY_DISKS, NULL,
	                                   &error);
	g_assert_no_error(error);
	check_clone(f, orig, clone, TRUE);
}

static void test_clone_fresh(struct fixture *f, gconstpointer data)
{
	KennelProfile *orig = make_cloneable(f), *clone;
	g_autoptr(GError) error = NULL;

	clone = kennel_profile_store_clone(f->store, orig, "Copy", KENNEL_CLONE_FRESH_DISKS, NULL,
	                                   &error);
	g_assert_no_error(error);
	check_clone(f, orig, clone, FALSE);
}

static void clone_done(GObject *source, GAsyncResult *result, gpointer data)
{
	KennelProfile **out = data;
	g_autoptr(GError) error = NULL;

	*out = kennel_profile_store_clone_finish(KENNEL_PROFILE_STORE(source), result, &error);
	g_assert_no_error(error);
}

static void test_clone_async(struct fixture *f, gconstpointer data)
{
	KennelProfile *orig = make_cloneable(f), *clone = NULL;

	kennel_profile_no_reflink = TRUE;
	kennel_profile_store_clone_async(f->store, orig, "Copy", KENNEL_CLONE_COPY_DISKS, NULL,
	                                 clone_done, &clone);
	while (!clone)
		g_main_context_iteration(NULL, TRUE);
	check_clone(f, orig, clone, TRUE);
}

static void test_clone_cancelled(struct fixture *f, gconstpointer data)
{
	KennelProfile *orig = make_cloneable(f);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) dir = NULL;
	guint n = 0;

	kennel_profile_no_reflink = TRUE;
	g_cancellable_cancel(cancellable);
	g_assert_null(kennel_profile_store_clone(f->store, orig, "Copy", KENNEL_CLONE_COPY_DISKS,
	                                         cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	/* Nothing left behind: the two original disks only, one profile. */
	dir = g_dir_open(f->disks, 0, NULL);
	while (g_dir_read_name(dir))
		n++;
	g_assert_cmpuint(n, ==, 2);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(f->store)), ==, 1);
}

static void test_delete(struct fixture *f, gconstpointer data)
{
	g_autofree char *keep_disk = disk_path(f, "keep.img");
	g_autofree char *gone_disk = disk_path(f, "gone.img");
	g_autofree char *base = disk_path(f, "base.img");
	g_autofree char *shared = disk_path(f, "shared.img");
	g_autoptr(GError) error = NULL;
	KennelProfile *p;
	g_autofree char *path = NULL;

	make_image(keep_disk, 1 << 20, TRUE);
	make_image(gone_disk, 1 << 20, TRUE);
	make_image(base, 1 << 20, FALSE);
	make_image(shared, 1 << 20, FALSE);
	put(f, "keep.ini", GUEST("keep", "Keep") "[Disk 0]\nfile=disks/keep.img\n");
	put(f, "gone.ini",
	    GUEST("gone", "Gone") "[Disk 0]\nfile=disks/gone.img\n"
	                          "[Disk 1]\nfile=disks/base.img\nread-only=true\n");
	put(f, "other.ini",
	    GUEST("other", "Other") "[Disk 0]\nfile=disks/base.img\nread-only=true\n");
	load(f);

	/* Without the disks: only the profile goes. */
	p = kennel_profile_store_find(f->store, "keep");
	path = g_strdup(kennel_profile_get_path(p));
	g_assert_true(kennel_profile_store_delete(f->store, p, FALSE, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(keep_disk, G_FILE_TEST_EXISTS));
	g_assert_null(kennel_profile_store_find(f->store, "keep"));

	/* With the disks: the writable one goes, the shared read-only base stays. */
	p = kennel_profile_store_find(f->store, "gone");
	g_free(path);
	path = g_strdup(kennel_profile_get_path(p));
	g_assert_true(kennel_profile_store_delete(f->store, p, TRUE, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(gone_disk, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(base, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(f->store)), ==, 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn, data) \
	g_test_add("/store/" name, struct fixture, data, fixture_set_up, fn, fixture_tear_down)
	ADD("empty-dir", test_empty_dir, NULL);
	ADD("broken-file", test_broken_file, NULL);
	ADD("duplicate-id", test_duplicate_id, NULL);
	ADD("shared-writable-disk", test_shared_disk, NULL);
	ADD("add-rename", test_add_rename, NULL);
	ADD("create-disk", test_create_disk, NULL);
	ADD("update", test_update, NULL);
	ADD("clone/copy", test_clone_copy, GINT_TO_POINTER(FALSE));
	ADD("clone/copy-extents", test_clone_copy, GINT_TO_POINTER(TRUE));
	ADD("clone/fresh", test_clone_fresh, NULL);
	ADD("clone/async", test_clone_async, NULL);
	ADD("clone/cancelled", test_clone_cancelled, NULL);
	ADD("delete", test_delete, NULL);
	return g_test_run();
}
