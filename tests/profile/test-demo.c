// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "Demo Linux (riscv64)" template: the profile it makes, where the
 * cached guest is, building it through the recipe (with stand-in recipes
 * for progress, failure and cancellation, and the real one when the guest
 * is cached), and the template saved by the store and booted by the real
 * engine.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/profile-store.h"
#include "demo-guest.h"

static char *work_dir;

static void test_template(void)
{
	g_autoptr(KennelProfile) p = kennel_profile_new_demo("/cache/demo-123");
	g_autoptr(GError) error = NULL;

	g_assert_cmpstr(kennel_profile_get_name(p), ==, "Demo Linux (riscv64)");
	g_assert_null(kennel_profile_get_path(p));
	g_assert_cmpint(kennel_profile_get_boot_method(p), ==, KENNEL_BOOT_DIRECT);
	g_assert_cmpstr(kennel_profile_get_kernel(p), ==, "/cache/demo-123/Image");
	g_assert_cmpstr(kennel_profile_get_initrd(p), ==, "/cache/demo-123/initramfs.cpio.gz");
	g_assert_cmpuint(kennel_profile_get_vcpus(p), ==, 2);
	g_assert_cmpint(kennel_profile_get_network(p), ==, KENNEL_NETWORK_USER);
	g_assert_cmpint(kennel_profile_get_console(p), ==, KENNEL_CONSOLE_PTY);
	kennel_profile_set_id(p, "demo");
	g_assert_true(kennel_profile_validate(p, &error));
	g_assert_no_error(error);
}

static void test_recipe_dir(void)
{
	g_autofree char *dir = NULL;
	g_autofree char *script = NULL;

	g_unsetenv("KENNEL_DEMO_RECIPE_DIR");
	dir = kennel_demo_guest_get_recipe_dir();
	script = g_build_filename(dir, "build-demo-guest.sh", NULL);
	g_test_message("recipe: %s", dir);
	g_assert_true(g_file_test(script, G_FILE_TEST_IS_REGULAR));
}

static void test_guest_dir(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *saved = g_strdup(g_getenv("KENNEL_DEMO_GUEST_DIR"));

	g_setenv("KENNEL_DEMO_GUEST_DIR", "/somewhere/else", TRUE);
	dir = kennel_demo_guest_get_dir(&error);
	g_assert_cmpstr(dir, ==, "/somewhere/else");
	g_clear_pointer(&dir, g_free);

	g_unsetenv("KENNEL_DEMO_GUEST_DIR");
	dir = kennel_demo_guest_get_dir(&error);
	g_assert_no_error(error);
	g_test_message("demo guest: %s", dir);
	g_assert_nonnull(strstr(dir, "/kennel/guests/demo-"));
	if (saved)
		g_setenv("KENNEL_DEMO_GUEST_DIR", saved, TRUE);
}

/* A stand-in recipe: build-demo-guest.sh with the given body. */
static char *fake_recipe(const char *name, const char *body)
{
	g_autofree char *dir = g_build_filename(work_dir, name, NULL);
	g_autofree char *script = g_build_filename(dir, "build-demo-guest.sh", NULL);
	g_autofree char *text = g_strdup_printf("#!/bin/bash\n%s\n", body);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_file_set_contents(script, text, -1, &error);
	g_assert_no_error(error);
	g_setenv("KENNEL_DEMO_RECIPE_DIR", dir, TRUE);
	return g_steal_pointer(&dir);
}

struct run {
	GPtrArray *lines;
	double last_fraction;
	gboolean monotonic;
	gboolean done;
	char *dir;
	GError *error;
	GCancellable *cancel_on_line; /* cancel when this many lines came */
	guint cancel_after;
};

static void on_progress(const char *line, double fraction, gpointer data)
{
	struct run *r = data;

	g_test_message("progress %.2f: %s", fraction, line);
	g_ptr_array_add(r->lines, g_strdup(line));
	if (fraction < r->last_fraction)
		r->monotonic = FALSE;
	r->last_fraction = fraction;
	if (r->cancel_on_line && r->lines->len == r->cancel_after)
		g_cancellable_cancel(r->cancel_on_line);
}

static void on_built(GObject *source, GAsyncResult *result, gpointer data)
{
	struct run *r = data;

	r->dir = kennel_demo_guest_build_finish(result, &r->error);
	r->done = TRUE;
}

static void run_build(struct run *r, GCancellable *cancellable)
{
	r->lines = g_ptr_array_new_with_free_func(g_free);
	r->monotonic = TRUE;
	kennel_demo_guest_build_async(cancellable, on_progress, r, NULL, on_built, r);
	while (!r->done)
		g_main_context_iteration(NULL, TRUE);
}

static void run_clear(struct run *r)
{
	g_ptr_array_unref(r->lines);
	g_free(r->dir);
	g_clear_error(&r->error);
}

static void test_build_progress(void)
{
	g_autofree char *guest = g_build_filename(work_dir, "built-guest", NULL);
	g_autofree char *body =
	        g_strdup_printf("echo '[guest] building demo guest abc into %s' >&2\n"
	                        "echo '[guest] step unpack linux-source-6.1 6.1.1' >&2\n"
	                        "echo '[guest] step build kernel Image (make -j2 Image)' >&2\n"
	                        "echo '[guest] step build busybox (static, make -j2)' >&2\n"
	                        "echo '[guest] step install into cache' >&2\n"
	                        "mkdir -p '%s' && touch '%s/Image' '%s/initramfs.cpio.gz'\n"
	                        "echo 'noise on stdout'\n"
	                        "echo '%s'\n",
	                        guest, guest, guest, guest, guest);
	g_autofree char *recipe = fake_recipe("recipe-ok", body);
	struct run r = {0};

	run_build(&r, NULL);
	g_assert_no_error(r.error);
	g_assert_cmpstr(r.dir, ==, guest);
	g_assert_cmpuint(r.lines->len, ==, 5);
	g_assert_cmpstr(r.lines->pdata[2], ==, "[guest] step build kernel Image (make -j2 Image)");
	g_assert_true(r.monotonic);
	g_assert_cmpfloat(r.last_fraction, >, 0.9);
	run_clear(&r);
}

static void test_build_failure(void)
{
	g_autofree char *recipe = fake_recipe(
	        "recipe-fail", "echo '[guest] step build kernel Image' >&2\n"
	                       "echo '[guest] FAILED at step '\\''build kernel Image'\\''' >&2\n"
	                       "exit 1\n");
	struct run r = {0};

	run_build(&r, NULL);
	g_assert_null(r.dir);
	g_assert_error(r.error, G_IO_ERROR, G_IO_ERROR_FAILED);
	g_test_message("%s", r.error->message);
	g_assert_nonnull(strstr(r.error->message, "exit status 1"));
	g_assert_nonnull(strstr(r.error->message, "FAILED at step 'build kernel Image'"));
	run_clear(&r);
}

static void test_build_missing_recipe(void)
{
	g_autofree char *nowhere = g_build_filename(work_dir, "no-recipe", NULL);
	struct run r = {0};

	g_setenv("KENNEL_DEMO_RECIPE_DIR", nowhere, TRUE);
	run_build(&r, NULL);
	g_assert_error(r.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
	run_clear(&r);
}

/* Cancelling stops the recipe and what it started (its process group). */
static void test_build_cancel(void)
{
	g_autofree char *pidfile = g_build_filename(work_dir, "sleep.pid", NULL);
	g_autofree char *body = g_strdup_printf("sleep 300 &\n"
	                                        "echo $! > '%s'\n"
	                                        "echo '[guest] step build kernel Image' >&2\n"
	                                        "wait\n",
	                                        pidfile);
	g_autofree char *recipe = fake_recipe("recipe-slow", body);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autofree char *text = NULL;
	g_autofree char *proc = NULL;
	gint64 start = g_get_monotonic_time();
	struct run r = {0};

	r.cancel_on_line = cancellable;
	r.cancel_after = 1;
	run_build(&r, cancellable);
	g_assert_error(r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 30 * G_USEC_PER_SEC);
	/* The sleep was in the recipe's process group: it is gone too. */
	g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
	proc = g_strdup_printf("/proc/%d", atoi(text));
	for (int i = 0; i < 100 && g_file_test(proc, G_FILE_TEST_EXISTS); i++)
		g_usleep(50000);
	g_assert_false(g_file_test(proc, G_FILE_TEST_EXISTS));
	run_clear(&r);
}

/* The real recipe, when the guest is cached: it returns at once. */
static void test_build_real_cached(void)
{
	g_autofree char *saved = g_strdup(g_getenv("KENNEL_DEMO_GUEST_DIR"));
	g_autofree char *dir = NULL;
	g_autoptr(GError) error = NULL;
	struct run r = {0};

	g_unsetenv("KENNEL_DEMO_RECIPE_DIR");
	g_unsetenv("KENNEL_DEMO_GUEST_DIR");
	dir = kennel_demo_guest_get_dir(&error);
	if (saved)
		g_setenv("KENNEL_DEMO_GUEST_DIR", saved, TRUE);
	g_assert_no_error(error);
	if (!kennel_demo_guest_is_built(dir)) {
		g_test_skip("the demo guest is not built (guests/build-demo-guest.sh, ~20 min)");
		return;
	}
	run_build(&r, NULL);
	g_assert_no_error(r.error);
	g_assert_cmpstr(r.dir, ==, dir);
	g_assert_cmpfloat(r.last_fraction, ==, 1.0);
	run_clear(&r);
}

static char *demo_guest_dir(void)
{
	g_autofree char *saved = g_strdup(g_getenv("KENNEL_DEMO_RECIPE_DIR"));
	char *dir;

	g_unsetenv("KENNEL_DEMO_RECIPE_DIR");
	dir = kennel_demo_guest_get_dir(NULL);
	if (saved)
		g_setenv("KENNEL_DEMO_RECIPE_DIR", saved, TRUE);
	return dir;
}

/*
 * The template through the store and the engine: added to a store, saved,
 * booted with `kennel-engine run --profile`, with its own user networking:
 * the guest gets a DHCP lease from libslirp.
 */
static void test_template_boots(void)
{
	g_autofree char *guest = demo_guest_dir();
	g_autofree char *config = g_build_filename(work_dir, "boot-config", NULL);
	g_autofree char *data = g_build_filename(work_dir, "boot-data", NULL);
	g_autofree char *engine = NULL;
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autofree char *timeout = NULL;
	g_autoptr(KennelProfileStore) store = kennel_profile_store_new_for_dirs(config, data);
	g_autoptr(KennelProfile) demo = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	const char *build_root = g_getenv("KENNEL_BUILD_ROOT");
	const char *limit = g_getenv("KENNEL_BOOT_TIMEOUT");

	if (!guest || !kennel_demo_guest_is_built(guest)) {
		g_test_skip("the demo guest is not built (guests/build-demo-guest.sh)");
		return;
	}
	if (!build_root) {
		g_test_skip("KENNEL_BUILD_ROOT is not set (run through meson test)");
		return;
	}
	engine = g_build_filename(build_root, "src", "engine", "kennel-engine", NULL);
	demo = kennel_profile_new_demo(guest);
	kennel_profile_set_cmdline(
	        demo,
	        "console=hvc0 kennel.run=\"echo demo template $(nproc); ip -4 addr show eth0\"");
	g_assert_nonnull(kennel_profile_store_add(store, demo, &error));
	g_assert_no_error(error);
	g_assert_true(kennel_profile_check_files(demo, &error));

	timeout = g_strdup(limit && *limit ? limit : "100");
	proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                        &error, "timeout", timeout, engine, "run", "--profile",
	                        kennel_profile_get_path(demo), NULL);
	g_assert_no_error(error);
	g_assert_true(g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &err, &error));
	g_assert_no_error(error);
	if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != 0 ||
	    !strstr(out, "demo template 2") || !strstr(out, "inet 10.0.2.15/") ||
	    !strstr(out, "KENNEL-RUN-EXIT=0"))
		g_error("the demo template did not boot:\n%s\n%s", out, err);
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	int status;

	g_test_init(&argc, &argv, NULL);
	work_dir = g_dir_make_tmp("kennel-demo-XXXXXX", &error);
	g_assert_no_error(error);

	g_test_add_func("/demo/template", test_template);
	g_test_add_func("/demo/recipe-dir", test_recipe_dir);
	g_test_add_func("/demo/guest-dir", test_guest_dir);
	g_test_add_func("/demo/build/progress", test_build_progress);
	g_test_add_func("/demo/build/failure", test_build_failure);
	g_test_add_func("/demo/build/missing-recipe", test_build_missing_recipe);
	g_test_add_func("/demo/build/cancel", test_build_cancel);
	g_test_add_func("/demo/build/real-recipe-cached", test_build_real_cached);
	g_test_add_func("/demo/template-boots", test_template_boots);
	status = g_test_run();
	{
		g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", work_dir);

		if (system(cmd) != 0)
			g_printerr("# could not remove %s\n", work_dir);
	}
	return status;
}
