// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control interface end to end: a KennelSupervisor spawns a real
 * kennel-engine with the real demo guest and drives it over real
 * peer-to-peer GDBus on a socketpair.  TAP (GLib's test harness).
 *
 * The engine is $KENNEL_ENGINE; the guest is $KENNEL_DEMO_GUEST_DIR or
 * what guests/build-demo-guest.sh --print-dir names (the guest tests skip
 * without it).  Timeouts are generous ($KENNEL_BOOT_TIMEOUT, 100 s): the
 * machine may be busy.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <rfb/rfbclient.h>

#include "dbus/kennel-engine1-error.h"
#include "supervisor.h"

static const char *engine_path;
static char *guest_dir;
static int boot_timeout_s = 100;

/* --- Helpers ----------------------------------------------------------------------------- */

static gboolean wake(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

/* Runs the main loop until done(data) or timeout_s; returns done(data). */
static gboolean wait_until(gboolean (*done)(gpointer), gpointer data, int timeout_s)
{
	gboolean timed_out = FALSE;
	guint timer = g_timeout_add_seconds(timeout_s, wake, &timed_out);

	while (!done(data) && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(timer);
	return done(data);
}

static void sleep_in_loop(int ms)
{
	gboolean woke = FALSE;

	g_timeout_add(ms, wake, &woke);
	while (!woke)
		g_main_context_iteration(NULL, TRUE);
}

struct expect_state {
	KennelSupervisor *supervisor;
	KennelGuestState state;
};

static gboolean in_state(gpointer data)
{
	struct expect_state *e = data;

	return kennel_supervisor_get_state(e->supervisor) == e->state;
}

static void assert_state_within(KennelSupervisor *s, KennelGuestState state, int timeout_s)
{
	struct expect_state e = {s, state};

	if (!wait_until(in_state, &e, timeout_s)) {
		g_autofree char *log = kennel_supervisor_dup_log_tail(s);

		g_test_message("engine log:\n%s", log);
		g_error("state %s, not %s after %d s (last error: %s)",
		        kennel_guest_state_to_string(kennel_supervisor_get_state(s)),
		        kennel_guest_state_to_string(state), timeout_s,
		        kennel_supervisor_get_last_error(s));
	}
}

/* An async call, waited for. */
struct call {
	GAsyncResult *result;
};

static void got_result(GObject *source, GAsyncResult *result, gpointer data)
{
	struct call *call = data;

	call->result = g_object_ref(result);
}

static gboolean call_done(gpointer data)
{
	return ((struct call *)data)->result != NULL;
}

static GAsyncResult *wait_call(struct call *call)
{
	g_assert_true(wait_until(call_done, call, boot_timeout_s));
	return call->result;
}

#define CALL(s, method, ...)                                                                       \
	({                                                                                         \
		struct call call_ = {0};                                                           \
		g_autoptr(GError) error_ = NULL;                                                   \
		kennel_supervisor_##method##_async(s, ##__VA_ARGS__, NULL, got_result, &call_);    \
		gboolean ok_ = kennel_supervisor_##method##_finish(s, wait_call(&call_), &error_); \
		g_object_unref(call_.result);                                                      \
		g_assert_no_error(error_);                                                         \
		ok_;                                                                               \
	})

static gboolean have_guest(void)
{
	if (guest_dir)
		return TRUE;
	g_test_skip("no demo guest (guests/build-demo-guest.sh builds it)");
	return FALSE;
}

/*
 * A supervisor for the demo guest; kennel_run: the guest's one command
 * (kennel.run=, after which it powers off), or NULL for the interactive
 * guest with its shell on the console.
 */
/* Whether this engine has a screen at all (--display), read from its --help. */
static gboolean engine_has_display(void)
{
	const char *argv[] = {engine_path, "run", "--help", NULL};
	g_autofree char *out = NULL;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
	                           NULL, NULL, NULL));
	return strstr(out, "--no-display") != NULL;
}

/* new_guest() with one more engine option (NULL: none). */
static KennelSupervisor *new_guest_with(const char *kennel_run, const char *option)
{
	g_autofree char *kernel = g_build_filename(guest_dir, "Image", NULL);
	g_autofree char *initrd = g_build_filename(guest_dir, "initramfs.cpio.gz", NULL);
	g_autofree char *append =
	        kennel_run ? g_strdup_printf("console=hvc0 kennel.run=\"%s\"", kennel_run)
	                   : g_strdup("console=hvc0");
	const char *argv[] = {engine_path, "run",      "--kernel", kernel, "--initrd",
	                      initrd,      "--append", append,     option, NULL};

	return kennel_supervisor_new_for_argv(argv);
}

static KennelSupervisor *new_guest(const char *kennel_run)
{
	return new_guest_with(kennel_run, NULL);
}

static void launch(KennelSupervisor *s)
{
	struct call call = {0};
	g_autoptr(GError) error = NULL;

	kennel_supervisor_launch_async(s, NULL, got_result, &call);
	g_assert_true(kennel_supervisor_launch_finish(s, wait_call(&call), &error));
	g_object_unref(call.result);
	g_assert_no_error(error);
	g_assert_cmpint(kennel_supervisor_get_state(s), ==, KENNEL_GUEST_STATE_STARTING);
}

static KennelSupervisor *launch_and_start(const char *kennel_run)
{
	KennelSupervisor *s = new_guest(kennel_run);

	launch(s);
	g_assert_true(CALL(s, start));
	assert_state_within(s, KENNEL_GUEST_STATE_RUNNING, boot_timeout_s);
	return s;
}

static int open_console(KennelSupervisor *s)
{
	struct call call = {0};
	g_autoptr(GError) error = NULL;
	int fd;

	kennel_supervisor_open_console_async(s, NULL, got_result, &call);
	fd = kennel_supervisor_open_console_finish(s, wait_call(&call), &error);
	g_object_unref(call.result);
	g_assert_no_error(error);
	g_assert_cmpint(fd, >=, 0);
	g_assert_true(isatty(fd));
	return fd;
}

/*
 * Reads the console until needle shows up (keeping the main loop going);
 * the text read.  With a command, types it every few seconds until then:
 * a line typed while the guest's shell was still starting is lost.
 */
static char *console_until(int fd, const char *command, const char *needle, int timeout_s)
{
	GString *got = g_string_new(NULL);
	gint64 typed = 0;
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;

	while (!strstr(got->str, needle) && g_get_monotonic_time() < deadline) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		char buf[4096];
		ssize_t n;

		while (g_main_context_iteration(NULL, FALSE))
			;
		if (command && g_get_monotonic_time() - typed > 5 * G_USEC_PER_SEC) {
			g_assert_cmpint(write(fd, command, strlen(command)), ==,
			                (ssize_t)strlen(command));
			typed = g_get_monotonic_time();
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n > 0)
			g_string_append_len(got, buf, n);
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			break;
	}
	if (!strstr(got->str, needle)) {
		g_test_message("console so far:\n%s", got->str);
		g_error("no '%s' on the console within %d s", needle, timeout_s);
	}
	return g_string_free(got, FALSE);
}

static char *read_console_until(int fd, const char *needle, int timeout_s)
{
	return console_until(fd, NULL, needle, timeout_s);
}

static guint64 instructions(KennelSupervisor *s)
{
	GVariant *stats = kennel_supervisor_get_statistics(s);
	guint64 n = 0;

	g_assert_nonnull(stats);
	g_assert_true(g_variant_lookup(stats, "instructions", "t", &n));
	return n;
}

/* The statistics property's instruction count, after the engine refreshed it twice. */
static guint64 instructions_after_refresh(KennelSupervisor *s)
{
	sleep_in_loop(2500);
	return instructions(s);
}

static gboolean engine_exited(gpointer data)
{
	return kennel_supervisor_get_engine_exited(data, NULL);
}

static int wait_engine_exit(KennelSupervisor *s, int timeout_s)
{
	int status = 0;

	if (!wait_until(engine_exited, s, timeout_s))
		g_error("the engine did not exit within %d s", timeout_s);
	kennel_supervisor_get_engine_exited(s, &status);
	return status;
}

/* --- Tests ------------------------------------------------------------------------------- */

/*
 * The whole life of an interactive guest: start, the console (twice),
 * statistics, pause and resume, the calls that must fail, and a graceful
 * shutdown through the guest's power button.
 */
static void test_lifecycle(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *boot = NULL, *echo = NULL, *again = NULL, *log = NULL;
	struct call call = {0};
	GVariant *stats;
	guint64 before, after;
	int fd, status;

	if (!have_guest())
		return;
	s = launch_and_start(NULL);

	/* The console: the boot replayed, then a shell that answers. */
	fd = open_console(s);
	boot = read_console_until(fd, "KENNEL-GUEST-READY", boot_timeout_s);
	echo = console_until(fd, "echo marker-$((6*7))\n", "marker-42", boot_timeout_s);
	close(fd);

	/* A second OpenConsole gets a working console too. */
	fd = open_console(s);
	again = console_until(fd, "echo again-$((7*7))\n", "again-49", boot_timeout_s);

	/* Statistics: per vCPU and per device. */
	before = instructions_after_refresh(s);
	g_assert_cmpuint(before, >, 0);
	stats = kennel_supervisor_get_statistics(s);
	{
		g_autoptr(GVariant) vcpus = g_variant_lookup_value(stats, "vcpus", NULL);
		g_autoptr(GVariant) devices = g_variant_lookup_value(stats, "devices", NULL);
		g_autoptr(GVariant) vcpu0 = NULL;
		g_autoptr(GVariant) console = NULL;
		guint64 kicks = 0, sbi = 0;
		const char *name = NULL;

		g_assert_nonnull(vcpus);
		g_assert_cmpuint(g_variant_n_children(vcpus), ==, 1);
		vcpu0 = g_variant_get_child_value(vcpus, 0);
		g_assert_true(g_variant_lookup(vcpu0, "sbi-calls", "t", &sbi));
		g_assert_cmpuint(sbi, >, 0);
		g_assert_nonnull(devices);
		g_assert_cmpuint(g_variant_n_children(devices), >=, 1);
		console = g_variant_get_child_value(devices, 0);
		g_assert_true(g_variant_lookup(console, "name", "&s", &name));
		g_assert_cmpstr(name, ==, "virtio-console");
		g_assert_true(g_variant_lookup(console, "kicks", "t", &kicks));
		g_assert_cmpuint(kicks, >, 0);
	}

	/* Pause: the instruction count stands still; resume: it moves again. */
	g_assert_true(CALL(s, pause));
	g_assert_cmpint(kennel_supervisor_get_state(s), ==, KENNEL_GUEST_STATE_PAUSED);
	before = instructions_after_refresh(s);
	after = instructions_after_refresh(s);
	g_assert_cmpuint(after, ==, before);
	g_assert_true(CALL(s, resume));
	g_assert_cmpint(kennel_supervisor_get_state(s), ==, KENNEL_GUEST_STATE_RUNNING);
	g_free(console_until(fd, "echo resumed-$((2*3))\n", "resumed-6", boot_timeout_s));
	after = instructions_after_refresh(s);
	g_assert_cmpuint(after, >, before);

	/* Reset: the machine starts over from its images and the guest boots again (a second
	 * READY on a console we already read past). */
	g_assert_true(CALL(s, reset));
	g_assert_cmpint(kennel_supervisor_get_state(s), ==, KENNEL_GUEST_STATE_RUNNING);
	g_free(read_console_until(fd, "KENNEL-GUEST-READY", boot_timeout_s));
	g_free(console_until(fd, "echo reset-$((3*3))\n", "reset-9", boot_timeout_s));

	/* What must fail, fails with a clear error. */
	kennel_supervisor_start_async(s, NULL, got_result, &call);
	g_assert_false(kennel_supervisor_start_finish(s, wait_call(&call), &error));
	g_assert_error(error, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_WRONG_STATE);
	g_clear_object(&call.result);
	g_clear_error(&error);
	kennel_supervisor_resume_async(s, NULL, got_result, &call);
	g_assert_false(kennel_supervisor_resume_finish(s, wait_call(&call), &error));
	g_assert_error(error, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_WRONG_STATE);
	g_clear_object(&call.result);
	g_clear_error(&error);

	/* Graceful: the power button, the guest's own poweroff, exit status 0. */
	g_assert_true(CALL(s, shutdown, 0));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, boot_timeout_s);
	status = wait_engine_exit(s, 10);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	log = kennel_supervisor_dup_log_tail(s);
	g_assert_nonnull(strstr(log, "reboot: Power down")); /* the guest powered off itself */
	g_assert_null(kennel_supervisor_get_last_error(s));
	close(fd);
}

/* Without a display, OpenDisplay and SetDisplaySize say so. */
static void test_no_display(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	g_autoptr(GError) error = NULL;
	struct call call = {0};

	if (!have_guest())
		return;
	/* An engine with a screen gets none: --no-display. */
	s = new_guest_with(NULL, engine_has_display() ? "--no-display" : NULL);
	launch(s);
	g_assert_cmpuint(kennel_supervisor_get_display_width(s), ==, 0);
	g_assert_cmpuint(kennel_supervisor_get_display_height(s), ==, 0);
	kennel_supervisor_open_display_async(s, NULL, got_result, &call);
	g_assert_cmpint(kennel_supervisor_open_display_finish(s, wait_call(&call), &error), ==, -1);
	g_assert_error(error, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_NO_DISPLAY);
	g_assert_cmpstr(error->message, ==, "This guest has no display.");
	g_clear_object(&call.result);
	g_clear_error(&error);
	kennel_supervisor_set_display_size_async(s, 1024, 768, NULL, got_result, &call);
	g_assert_false(kennel_supervisor_set_display_size_finish(s, wait_call(&call), &error));
	g_assert_error(error, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_NO_DISPLAY);
	g_clear_object(&call.result);

	/* Never started: ForceStop ends the engine without booting anything. */
	g_assert_true(CALL(s, force_stop));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, 30);
}

/* libvncclient on the fd OpenDisplay passed: frames arrive, and a new size. */
static int vnc_updates;

static void vnc_got_update(rfbClient *c, int x, int y, int w, int h)
{
	vnc_updates++;
}

static void vnc_quiet(const char *fmt, ...)
{
}

/* Lets the client handle server messages (and the main loop run) until done or timeout_s. */
static gboolean vnc_until(rfbClient *c, gboolean (*done)(rfbClient *), int timeout_s)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;

	while (!done(c) && g_get_monotonic_time() < deadline) {
		while (g_main_context_iteration(NULL, FALSE))
			;
		if (WaitForMessage(c, 100000) > 0)
			g_assert_true(HandleRFBServerMessage(c));
	}
	return done(c);
}

static gboolean vnc_has_update(rfbClient *c)
{
	return vnc_updates > 0;
}

static gboolean vnc_is_800x600(rfbClient *c)
{
	return c->width == 800 && c->height == 600;
}

static gboolean display_is_800x600(gpointer data)
{
	return kennel_supervisor_get_display_width(data) == 800 &&
	       kennel_supervisor_get_display_height(data) == 600;
}

static gboolean has_display_size(gpointer data)
{
	return kennel_supervisor_get_display_width(data) > 0;
}

static void test_display(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	g_autoptr(GError) error = NULL;
	struct call call = {0};
	rfbClient *c;
	int fd;

	if (!have_guest())
		return;
	if (!engine_has_display()) {
		g_test_skip("this engine has no screen (no --display); no-display covers it");
		return;
	}
	s = launch_and_start(NULL);
	g_assert_true(wait_until(has_display_size, s, 30));

	kennel_supervisor_open_display_async(s, NULL, got_result, &call);
	fd = kennel_supervisor_open_display_finish(s, wait_call(&call), &error);
	g_clear_object(&call.result);
	g_assert_no_error(error);
	g_assert_cmpint(fd, >=, 0);

	rfbClientLog = rfbClientErr = vnc_quiet;
	c = rfbGetClient(8, 3, 4);
	c->GotFrameBufferUpdate = vnc_got_update;
	c->canHandleNewFBSize = TRUE;
	c->appData.encodingsString = "raw";
	c->sock = fd; /* libvncclient closes it */
	c->listenSpecified = TRUE;
	g_assert_true(rfbInitClient(c, NULL, NULL));
	g_assert_cmpint(c->width, ==, (int)kennel_supervisor_get_display_width(s));
	g_assert_cmpint(c->height, ==, (int)kennel_supervisor_get_display_height(s));
	SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, FALSE);
	g_assert_true(vnc_until(c, vnc_has_update, boot_timeout_s));

	/* SetDisplaySize: the guest follows, and so do the property and the client. */
	g_assert_true(CALL(s, set_display_size, 800, 600));
	g_assert_true(wait_until(display_is_800x600, s, boot_timeout_s));
	SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, TRUE);
	g_assert_true(vnc_until(c, vnc_is_800x600, boot_timeout_s));
	rfbClientCleanup(c);

	g_assert_true(CALL(s, force_stop));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, 30);
}

/* A guest that ignores its power button: Shutdown waits, ForceStop stops it. */
static void test_force_stop(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	g_autofree char *log = NULL;
	int fd, status;

	if (!have_guest())
		return;
	/* kennel.run guests run no acpid: nobody listens to the power button. */
	s = launch_and_start("echo ignoring > /dev/hvc1; sleep 100000");
	fd = open_console(s);
	g_free(read_console_until(fd, "ignoring", boot_timeout_s));
	g_assert_true(CALL(s, shutdown, 600000));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPING, 10);
	sleep_in_loop(3000);
	g_assert_cmpint(kennel_supervisor_get_state(s), ==, KENNEL_GUEST_STATE_STOPPING);
	g_assert_true(CALL(s, force_stop));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, 30);
	status = wait_engine_exit(s, 10);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	log = kennel_supervisor_dup_log_tail(s);
	g_assert_null(strstr(log, "reboot: Power down"));
	close(fd);
}

/* The same guest with a short Shutdown timeout: stopped when it runs out, and told why. */
static void test_shutdown_timeout(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	gint64 asked;
	int fd;

	if (!have_guest())
		return;
	s = launch_and_start("echo ignoring > /dev/hvc1; sleep 100000");
	fd = open_console(s);
	g_free(read_console_until(fd, "ignoring", boot_timeout_s));
	asked = g_get_monotonic_time();
	g_assert_true(CALL(s, shutdown, 3000));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, 60);
	g_assert_cmpint(g_get_monotonic_time() - asked, >=, 2900 * 1000);
	g_assert_nonnull(kennel_supervisor_get_last_error(s));
	g_assert_nonnull(strstr(kennel_supervisor_get_last_error(s), "did not power off"));
	close(fd);
}

/* The engine killed: crashed, with how it died and its last words. */
static void test_engine_killed(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	g_autofree char *log = NULL;
	int fd, status;

	if (!have_guest())
		return;
	s = launch_and_start(NULL);
	fd = open_console(s);
	g_free(read_console_until(fd, "KENNEL-GUEST-READY", boot_timeout_s));
	sleep_in_loop(500); /* the engine's stdout (the SBI console) has its READY line too */
	g_assert_cmpint(kill(atoi(kennel_supervisor_get_engine_pid(s)), SIGKILL), ==, 0);
	assert_state_within(s, KENNEL_GUEST_STATE_CRASHED, 30);
	status = wait_engine_exit(s, 10);
	g_assert_true(WIFSIGNALED(status));
	g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);
	g_assert_nonnull(strstr(kennel_supervisor_get_last_error(s), "killed by signal 9"));
	log = kennel_supervisor_dup_log_tail(s);
	g_assert_nonnull(strstr(log, "KENNEL-GUEST-READY"));
	close(fd);
}

/* The app hangs up: the engine shuts the guest down and exits on its own. */
static void test_hang_up(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	int fd, status;

	if (!have_guest())
		return;
	s = launch_and_start(NULL);
	fd = open_console(s);
	g_free(read_console_until(fd, "KENNEL-GUEST-READY", boot_timeout_s));
	kennel_supervisor_disconnect(s);
	status = wait_engine_exit(s, 30);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, 10);
	close(fd);
}

static gboolean process_gone(gpointer data)
{
	return kill(GPOINTER_TO_INT(data), 0) < 0 && errno == ESRCH;
}

/* The app drops its supervisor (a window closed): the engine goes too, and is reaped. */
static void test_dropped(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	int fd, pid;

	if (!have_guest())
		return;
	s = launch_and_start(NULL);
	fd = open_console(s);
	g_free(read_console_until(fd, "KENNEL-GUEST-READY", boot_timeout_s));
	pid = atoi(kennel_supervisor_get_engine_pid(s));
	g_clear_object(&s);
	g_assert_true(wait_until(process_gone, GINT_TO_POINTER(pid), 30));
	close(fd);
}

/*
 * A guest that reports failure (tests/engine's tiny guest that writes the
 * sifive,test failure code 42): crashed, with an Error that says so.
 */
static void test_guest_fails(void)
{
	const char *kernel = g_getenv("KENNEL_EXIT42_GUEST");
	g_autoptr(KennelSupervisor) s = NULL;
	int status;

	if (!kernel || !g_file_test(kernel, G_FILE_TEST_EXISTS)) {
		g_test_skip("no tiny guest (needs riscv64-linux-gnu-gcc)");
		return;
	}
	const char *argv[] = {engine_path, "run", "--kernel", kernel, NULL};
	s = kennel_supervisor_new_for_argv(argv);
	launch(s);
	g_assert_true(CALL(s, start));
	assert_state_within(s, KENNEL_GUEST_STATE_CRASHED, boot_timeout_s);
	status = wait_engine_exit(s, 10);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 42);
	g_assert_cmpstr(kennel_supervisor_get_last_error(s), ==,
	                "The guest stopped unexpectedly (exit status 42).");
}

/*
 * The way the app starts a guest: from its profile (run --profile FILE).
 * The profile file is the same afterwards, byte for byte.
 */
static void test_profile(void)
{
	g_autoptr(KennelSupervisor) s = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = NULL, *path = NULL, *profile = NULL, *after = NULL;
	g_autofree char *kernel = NULL, *initrd = NULL;
	int fd, status;

	if (!have_guest())
		return;
	dir = g_dir_make_tmp("kennel-control-XXXXXX", &error);
	g_assert_no_error(error);
	path = g_build_filename(dir, "control-test.ini", NULL);
	kernel = g_build_filename(guest_dir, "Image", NULL);
	initrd = g_build_filename(guest_dir, "initramfs.cpio.gz", NULL);
	profile = g_strdup_printf("[Guest]\nversion=1\nid=control-test\nname=Control test\n"
	                          "memory=256M\nconsole=pty\n\n"
	                          "[Boot]\nmethod=direct\nkernel=%s\ninitrd=%s\n"
	                          "cmdline=console=hvc0\n",
	                          kernel, initrd);
	g_assert_true(g_file_set_contents(path, profile, -1, &error));
	g_assert_no_error(error);

	s = kennel_supervisor_new_for_profile(path);
	launch(s);
	g_assert_true(CALL(s, start));
	assert_state_within(s, KENNEL_GUEST_STATE_RUNNING, boot_timeout_s);
	fd = open_console(s);
	g_free(console_until(fd, "echo profile-$((5*5))\n", "profile-25", boot_timeout_s));
	g_assert_true(CALL(s, shutdown, 0));
	assert_state_within(s, KENNEL_GUEST_STATE_STOPPED, boot_timeout_s);
	status = wait_engine_exit(s, 10);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	close(fd);

	g_assert_true(g_file_get_contents(path, &after, NULL, &error));
	g_assert_cmpstr(after, ==, profile);
	g_unlink(path);
	g_rmdir(dir);
}

/* An engine that cannot even start: crashed, with its own message in the log. */
static void test_engine_fails(void)
{
	const char *argv[] = {engine_path, "run", "--kernel", "/nonexistent/kennel-kernel", NULL};
	g_autoptr(KennelSupervisor) s = kennel_supervisor_new_for_argv(argv);
	g_autoptr(GError) error = NULL;
	g_autofree char *log = NULL;
	struct call call = {0};

	kennel_supervisor_launch_async(s, NULL, got_result, &call);
	kennel_supervisor_launch_finish(s, wait_call(&call), &error);
	g_clear_object(&call.result);
	assert_state_within(s, KENNEL_GUEST_STATE_CRASHED, 30);
	g_assert_cmpstr(kennel_supervisor_get_last_error(s), ==,
	                "The engine could not start (exit status 1); its log says why.");
	log = kennel_supervisor_dup_log_tail(s);
	g_assert_nonnull(strstr(log, "/nonexistent/kennel-kernel"));
}

static char *find_guest(void)
{
	const char *dir = g_getenv("KENNEL_DEMO_GUEST_DIR");
	g_autofree char *out = NULL;
	g_autofree char *script = NULL;
	g_autofree char *image = NULL;
	char *found = NULL;

	if (!dir || !*dir) {
		script = g_build_filename(g_getenv("KENNEL_SOURCE_ROOT") ?: ".",
		                          "guests/build-demo-guest.sh", NULL);
		const char *argv[] = {"bash", script, "--print-dir", NULL};
		if (g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
		                 NULL, NULL, NULL) &&
		    out) {
			g_strstrip(out);
			dir = strrchr(out, '\n') ? strrchr(out, '\n') + 1 : out;
		}
	}
	if (!dir || !*dir)
		return NULL;
	image = g_build_filename(dir, "Image", NULL);
	if (g_file_test(image, G_FILE_TEST_EXISTS))
		found = g_strdup(dir);
	return found;
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	engine_path = g_getenv("KENNEL_ENGINE");
	if (!engine_path)
		g_error("set KENNEL_ENGINE to the kennel-engine to test");
	if (g_getenv("KENNEL_BOOT_TIMEOUT"))
		boot_timeout_s = atoi(g_getenv("KENNEL_BOOT_TIMEOUT"));
	guest_dir = find_guest();
	signal(SIGPIPE, SIG_IGN);

	g_test_add_func("/control/engine-fails", test_engine_fails);
	g_test_add_func("/control/no-display", test_no_display);
	g_test_add_func("/control/display", test_display);
	g_test_add_func("/control/lifecycle", test_lifecycle);
	g_test_add_func("/control/profile", test_profile);
	g_test_add_func("/control/force-stop", test_force_stop);
	g_test_add_func("/control/shutdown-timeout", test_shutdown_timeout);
	g_test_add_func("/control/guest-fails", test_guest_fails);
	g_test_add_func("/control/engine-killed", test_engine_killed);
	g_test_add_func("/control/hang-up", test_hang_up);
	g_test_add_func("/control/dropped", test_dropped);
	return g_test_run();
}
