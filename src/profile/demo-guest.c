// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The demo guest template.  The guest itself (a Linux kernel and a BusyBox
 * initramfs) is built by guests/build-demo-guest.sh and cached under
 * $XDG_CACHE_HOME/kennel/guests/demo-<hash>; the script is the one authority
 * on where that is (the hash covers the recipe and the Debian packages), so
 * we ask it rather than compute the hash again.
 */
#include "demo-guest.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KENNEL_DEMO_RECIPE_DIR
#error "KENNEL_DEMO_RECIPE_DIR: set by src/profile/meson.build"
#endif

#define SCRIPT        "build-demo-guest.sh"
#define TAIL_LINES    20
#define KILL_GRACE_MS 10000

char *kennel_demo_guest_get_recipe_dir(void)
{
	const char *env = g_getenv("KENNEL_DEMO_RECIPE_DIR");

	return g_strdup(env && *env ? env : KENNEL_DEMO_RECIPE_DIR);
}

static char *script_path(GError **error)
{
	g_autofree char *dir = kennel_demo_guest_get_recipe_dir();
	g_autofree char *script = g_build_filename(dir, SCRIPT, NULL);

	if (!g_file_test(script, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            "The demo guest's recipe is missing: %s does not exist "
		            "(KENNEL_DEMO_RECIPE_DIR names another directory)",
		            script);
		return NULL;
	}
	return g_steal_pointer(&script);
}

char *kennel_demo_guest_get_dir(GError **error)
{
	const char *env = g_getenv("KENNEL_DEMO_GUEST_DIR");
	g_autofree char *script = NULL;
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	char *dir;

	if (env && *env)
		return g_strdup(env);
	script = script_path(error);
	if (!script)
		return NULL;
	proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
	                        error, "bash", script, "--print-dir", NULL);
	if (!proc || !g_subprocess_communicate_utf8(proc, NULL, NULL, &out, &err, error))
		return NULL;
	if (!g_subprocess_get_successful(proc)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s --print-dir failed: %s",
		            script, err ? g_strstrip(err) : "");
		return NULL;
	}
	dir = g_strdup(g_strstrip(out));
	if (!*dir) {
		g_free(dir);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s --print-dir printed nothing",
		            script);
		return NULL;
	}
	return dir;
}

gboolean kennel_demo_guest_is_built(const char *guest_dir)
{
	g_autofree char *image = g_build_filename(guest_dir, "Image", NULL);
	g_autofree char *initramfs = g_build_filename(guest_dir, "initramfs.cpio.gz", NULL);

	return g_file_test(image, G_FILE_TEST_IS_REGULAR) &&
	       g_file_test(initramfs, G_FILE_TEST_IS_REGULAR);
}

KennelProfile *kennel_profile_new_demo(const char *guest_dir)
{
	KennelProfile *p = kennel_profile_new(KENNEL_DEMO_GUEST_NAME);
	g_autofree char *image = g_build_filename(guest_dir, "Image", NULL);
	g_autofree char *initramfs = g_build_filename(guest_dir, "initramfs.cpio.gz", NULL);

	kennel_profile_set_boot_method(p, KENNEL_BOOT_DIRECT);
	kennel_profile_set_kernel(p, image);
	kennel_profile_set_initrd(p, initramfs);
	/* hvc0 (the SBI console) takes the kernel's log; the shell is on hvc1, the
	 * virtio console the app shows (docs/demo-guest.md). */
	kennel_profile_set_cmdline(p, "console=hvc0 earlycon=sbi");
	kennel_profile_set_vcpus(p, 2);
	kennel_profile_set_memory(p, KENNEL_PROFILE_MEMORY_DEFAULT);
	kennel_profile_set_network(p, KENNEL_NETWORK_USER);
	kennel_profile_set_display(p, TRUE, 0, 0);
	kennel_profile_set_console(p, KENNEL_CONSOLE_PTY);
	kennel_profile_set_notes(p, "Linux 6.1 and BusyBox, built by Kennel's guests/ recipe. "
	                            "A shell waits on the console; 'poweroff' ends the guest.");
	return p;
}

/* ------------------------------------------------------------------------ */
/* Building                                                                  */

/* How far along a build is when the recipe starts a step (by its name). */
static const struct {
	const char *step;
	double fraction;
} step_fractions[] = {
        {"unpack linux-source", 0.02}, {"configure kernel", 0.04},
        {"build kernel Image", 0.06},  {"kernel Image: inputs unchanged", 0.80},
        {"gen_init_cpio", 0.80},       {"fetch busybox", 0.82},
        {"unpack busybox", 0.84},      {"configure busybox", 0.86},
        {"build busybox", 0.87},       {"busybox: inputs unchanged", 0.95},
        {"initramfs", 0.95},           {"manifest", 0.97},
        {"install into cache", 0.99},
};

struct build {
	GSubprocess *proc;
	pid_t pgid;
	GDataInputStream *lines;
	GOutputStream *out;
	KennelDemoProgressFunc progress;
	gpointer progress_data;
	GDestroyNotify progress_notify;
	double fraction;
	GQueue tail; /* the last lines of the log, for an error message */
	int pending; /* stderr, stdout and the exit still to come */
	GCancellable *cancellable;
	gulong cancel_id;
	guint kill_timer;
	GMainContext *context; /* the caller's, where the callbacks run */
	gboolean cancelled;
};

static void build_free(struct build *b)
{
	if (b->cancel_id)
		g_cancellable_disconnect(b->cancellable, b->cancel_id);
	if (b->kill_timer) {
		GSource *source = g_main_context_find_source_by_id(b->context, b->kill_timer);

		if (source)
			g_source_destroy(source);
	}
	g_main_context_unref(b->context);
	g_clear_object(&b->cancellable);
	g_clear_object(&b->proc);
	g_clear_object(&b->lines);
	g_clear_object(&b->out);
	g_queue_clear_full(&b->tail, g_free);
	if (b->progress_notify)
		b->progress_notify(b->progress_data);
	g_free(b);
}

static void child_setup(gpointer data)
{
	setpgid(0, 0); /* its own process group, so that a cancel reaches make and gcc */
}

static gboolean kill_hard(gpointer data)
{
	struct build *b = data;

	b->kill_timer = 0;
	if (b->pgid > 0)
		kill(-b->pgid, SIGKILL);
	return G_SOURCE_REMOVE;
}

/*
 * May run in any thread (the one that cancels).  SIGTERM to the whole
 * process group; a build that ignores it gets SIGKILL after a grace period
 * (timed from our own main context only, where the timer is safe to add).
 */
static void on_cancelled(GCancellable *cancellable, gpointer data)
{
	struct build *b = data;

	b->cancelled = TRUE;
	if (b->pgid <= 0)
		return;
	kill(-b->pgid, SIGTERM);
	if (g_main_context_is_owner(b->context) && !b->kill_timer) {
		GSource *source = g_timeout_source_new(KILL_GRACE_MS);

		g_source_set_callback(source, kill_hard, b, NULL);
		b->kill_timer = g_source_attach(source, b->context);
		g_source_unref(source);
	}
}

static void finish(GTask *task)
{
	struct build *b = g_task_get_task_data(task);
	g_autofree char *out = NULL;
	char *dir, *nl;
	gsize len;

	if (--b->pending > 0)
		return;
	if (b->cancelled || g_cancellable_is_cancelled(b->cancellable)) {
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
		                        "The demo guest's build was cancelled");
		return;
	}
	if (!g_subprocess_get_successful(b->proc)) {
		g_autoptr(GString) log = g_string_new(NULL);

		for (GList *l = b->tail.head; l; l = l->next)
			g_string_append_printf(log, "\n%s", (const char *)l->data);
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED,
		                        "Building the demo guest failed (exit status %d):%s",
		                        g_subprocess_get_if_exited(b->proc)
		                                ? g_subprocess_get_exit_status(b->proc)
		                                : 128 + g_subprocess_get_term_sig(b->proc),
		                        log->str);
		return;
	}
	/* The last line of stdout is the guest's directory. */
	len = g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(b->out));
	out = g_strndup(g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(b->out)), len);
	g_strstrip(out);
	nl = strrchr(out, '\n');
	dir = g_strdup(nl ? nl + 1 : out);
	if (!*dir || !kennel_demo_guest_is_built(dir)) {
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_FAILED,
		                        "The demo guest's build ended, but '%s' holds no guest",
		                        dir);
		g_free(dir);
		return;
	}
	g_task_return_pointer(task, dir, g_free);
}

static void on_line(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	struct build *b = g_task_get_task_data(task);
	g_autofree char *line = NULL;
	const char *step;

	line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source), result, NULL,
	                                                 NULL);
	if (!line) {
		finish(task); /* end of the log (or a read error: the exit status tells) */
		return;
	}
	g_queue_push_tail(&b->tail, g_strdup(line));
	if (b->tail.length > TAIL_LINES)
		g_free(g_queue_pop_head(&b->tail));
	step = strstr(line, "] step ");
	for (guint i = 0; step && i < G_N_ELEMENTS(step_fractions); i++)
		if (g_str_has_prefix(step + 7, step_fractions[i].step))
			b->fraction = MAX(b->fraction, step_fractions[i].fraction);
	if (strstr(line, "up to date"))
		b->fraction = 1.0;
	if (b->progress)
		b->progress(line, b->fraction, b->progress_data);
	g_data_input_stream_read_line_async(b->lines, G_PRIORITY_DEFAULT, NULL, on_line,
	                                    g_steal_pointer(&task));
}

static void on_spliced(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;

	g_output_stream_splice_finish(G_OUTPUT_STREAM(source), result, NULL);
	finish(task);
}

static void on_exited(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GTask) task = data;
	struct build *b = g_task_get_task_data(task);

	g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
	b->pgid = 0; /* gone: never signal that number again */
	finish(task);
}

void kennel_demo_guest_build_async(GCancellable *cancellable, KennelDemoProgressFunc progress,
                                   gpointer progress_data, GDestroyNotify progress_notify,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autofree char *script = NULL;
	GError *error = NULL;
	struct build *b = g_new0(struct build, 1);
	const char *id;

	g_task_set_source_tag(task, kennel_demo_guest_build_async);
	b->progress = progress;
	b->progress_data = progress_data;
	b->progress_notify = progress_notify;
	b->cancellable = cancellable ? g_object_ref(cancellable) : NULL;
	b->context = g_main_context_ref_thread_default();
	g_queue_init(&b->tail);
	g_task_set_task_data(task, b, (GDestroyNotify)build_free);
	/* We watch the cancellable ourselves: the task ends when the build has stopped. */
	g_task_set_check_cancellable(task, FALSE);

	script = script_path(&error);
	if (!script) {
		g_task_return_error(task, error);
		return;
	}
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	g_subprocess_launcher_set_stdin_file_path(launcher, "/dev/null");
	g_subprocess_launcher_set_child_setup(launcher, child_setup, NULL, NULL);
	b->proc = g_subprocess_launcher_spawn(launcher, &error, "bash", script, NULL);
	if (!b->proc) {
		g_task_return_error(task, error);
		return;
	}
	id = g_subprocess_get_identifier(b->proc);
	b->pgid = id ? (pid_t)atoi(id) : 0;

	b->pending = 3;
	b->lines = g_data_input_stream_new(g_subprocess_get_stderr_pipe(b->proc));
	b->out = g_memory_output_stream_new_resizable();
	g_data_input_stream_read_line_async(b->lines, G_PRIORITY_DEFAULT, NULL, on_line,
	                                    g_object_ref(task));
	g_output_stream_splice_async(b->out, g_subprocess_get_stdout_pipe(b->proc),
	                             G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
	                                     G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
	                             G_PRIORITY_DEFAULT, NULL, on_spliced, g_object_ref(task));
	g_subprocess_wait_async(b->proc, NULL, on_exited, g_object_ref(task));
	if (cancellable) {
		b->cancel_id =
		        g_cancellable_connect(cancellable, G_CALLBACK(on_cancelled), b, NULL);
	}
}

char *kennel_demo_guest_build_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
