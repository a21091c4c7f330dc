/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The app's paths that test-app.c does not walk, with real parts: the
 * real engine, the real demo guest, real profile files and disk images on
 * disk, the real recipe.  Each test opens a window of its own (in a real,
 * virtual X server with empty XDG directories, tests/app/run-xvfb.sh) and
 * drives it through its actions, its template's widgets and, for the
 * keyboard, xdotool's XTEST key presses, the way a person would.
 *
 *   /app-paths/demo-build-cancel  New Guest, "Demo Linux" with an empty
 *                     cache: guests/build-demo-guest.sh starts (its first
 *                     step unpacks /usr/src/linux-source, no network), the
 *                     bar moves and names the step; Cancel: the build's
 *                     whole process group ends on SIGTERM and is reaped,
 *                     the recipe removed its staging directory, no guest
 *                     was made, the assistant closed, and New Guest opens
 *                     on the choice of source again.
 *   /app-paths/edit-clone-delete  a guest with a new sparse disk (made with
 *                     the store's API, as the assistant makes it; its
 *                     kernel is a file that never boots): Edit (name,
 *                     memory) from the row's menu changes the .ini on disk;
 *                     Clone makes a second guest with a copy of the disk
 *                     (same bytes, own file); Delete names the disk that
 *                     goes, Cancel keeps everything, Delete removes profile
 *                     and disk and leaves the clone be; a guest with only a
 *                     read-only disk is told that no disk is deleted, and
 *                     none is.
 *   /app-paths/display-typing     the demo guest's screen: a click grabs
 *                     the keyboard, xdotool types a command (upper case,
 *                     symbols) into the shell on tty1, whose answer (a
 *                     product the test never sends) arrives on the Console;
 *                     Ctrl+Alt gives the keyboard back.
 *   /app-paths/close-ask          closing the window with a running guest
 *                     asks; Cancel keeps window and engine, "Shut Down and
 *                     Close" closes the window and the engine exits.
 *   /app-paths/close-stop-guests  close-action = stop-guests: no question,
 *                     the window closes and the engine exits.
 *
 * The guest tests fail if the demo guest is not built (run-xvfb.sh finds it
 * through KENNEL_DEMO_GUEST_DIR; tools/run-tests.sh builds it first); the
 * keyboard needs xdotool (tools/setup.sh installs it).
 * Screenshots of every step go to BUILD/tests/app/screenshots/paths-*.png.
 */
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "app-guest-test.h"
#include "app/profile-store.h"
#include "kennel-application.h"
#include "kennel-guest-row.h"
#include "kennel-new-guest-dialog.h"
#include "kennel-window.h"
#include "profile/demo-guest.h"

static KennelApplication *app;
static KennelWindow *window;
static gboolean window_destroyed;
/*
 * Set in main() while the process has one thread (setenv is not safe
 * later): the demo guest's directory, taken out of the environment so that
 * the app has to run the recipe, and an empty cache for that recipe.
 */
static char *demo_dir;
static char *empty_cache;
/* Where scratch directories go: run-xvfb.sh's temporary tree, removed even after a crash. */
static char *scratch_root;

static char *make_scratch_dir(const char *name)
{
	char *path = g_strdup_printf("%s/%s-XXXXXX", scratch_root, name);

	g_assert_nonnull(g_mkdtemp(path));
	return path;
}

/* --- the window --- */

static void on_window_destroy(GtkWidget *widget, gpointer data)
{
	window_destroyed = TRUE;
}

static void open_window(void)
{
	g_assert_null(window);
	window = kennel_window_new(app);
	window_destroyed = FALSE;
	g_signal_connect(window, "destroy", G_CALLBACK(on_window_destroy), NULL);
	gtk_window_set_default_size(GTK_WINDOW(window), 1100, 720);
	gtk_window_present(GTK_WINDOW(window));
	app_test_spin(500);
}

/* Destroys the window unless a test closed it already. */
static void drop_window(void)
{
	if (window && !window_destroyed)
		gtk_window_destroy(GTK_WINDOW(window));
	window = NULL;
	app_test_spin(200);
}

static void shot(const char *name)
{
	g_autofree char *full = g_strconcat("paths-", name, NULL);

	app_test_spin(500);
	app_test_screenshot(GTK_WIDGET(window), full);
}

static GListModel *store_model(void)
{
	return G_LIST_MODEL(kennel_window_get_store(window));
}

/* The first visible toplevel of type (the assistant, a message dialog), or NULL. */
static GtkWindow *find_toplevel(GType type)
{
	GListModel *toplevels = gtk_window_get_toplevels(); /* not ours */

	for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
		g_autoptr(GObject) w = g_list_model_get_item(toplevels, i);

		if (G_TYPE_CHECK_INSTANCE_TYPE(w, type) && gtk_widget_get_visible(GTK_WIDGET(w)))
			return GTK_WINDOW(w);
	}
	return NULL;
}

static gboolean assistant_open(gpointer data)
{
	return find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG) != NULL;
}

static gboolean message_open(gpointer data)
{
	return find_toplevel(ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean message_closed(gpointer data)
{
	return find_toplevel(ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

/* The button labelled label (mnemonic included) inside widget. */
static GtkWidget *find_button(GtkWidget *widget, const char *label)
{
	if (GTK_IS_BUTTON(widget) &&
	    g_strcmp0(gtk_button_get_label(GTK_BUTTON(widget)), label) == 0)
		return widget;
	for (GtkWidget *c = gtk_widget_get_first_child(widget); c;
	     c = gtk_widget_get_next_sibling(c)) {
		GtkWidget *found = find_button(c, label);

		if (found)
			return found;
	}
	return NULL;
}

/* Clicks a message dialog's response button, as a person would. */
static void click_response(GtkWindow *dialog, const char *label)
{
	GtkWidget *button = find_button(GTK_WIDGET(dialog), label);

	g_assert_nonnull(button);
	g_assert_true(gtk_widget_is_sensitive(button));
	g_signal_emit_by_name(button, "clicked");
}

/* Answers a message dialog and waits until it is gone and its work is done. */
static void answer(GtkWindow *dialog, const char *label)
{
	click_response(dialog, label);
	g_assert_true(app_test_wait(message_closed, NULL, 5000));
	app_test_spin(200);
}

static void click(gpointer assistant, const char *name)
{
	GtkWidget *button =
	        GTK_WIDGET(app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, name));

	g_assert_true(gtk_widget_get_visible(button));
	g_assert_true(gtk_widget_is_sensitive(button));
	g_signal_emit_by_name(button, "clicked");
}

/* --- processes --- */

/* The state letter of /proc/PID/stat and its process group; 0 if gone. */
static char proc_state(pid_t pid, pid_t *pgid, pid_t *ppid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
	g_autofree char *stat = NULL;
	const char *paren;
	char state = 0;
	int pp = 0, pg = 0;

	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return 0;
	/* The command may hold spaces and parentheses: the state follows the last ')'. */
	paren = strrchr(stat, ')');
	if (!paren || sscanf(paren + 1, " %c %d %d", &state, &pp, &pg) != 3)
		return 0;
	if (pgid)
		*pgid = pg;
	if (ppid)
		*ppid = pp;
	return state;
}

/* Whether the process runs (a zombie has exited: it only waits to be reaped). */
static gboolean pid_alive(pid_t pid)
{
	char state = proc_state(pid, NULL, NULL);

	return state && state != 'Z' && state != 'X';
}

static gboolean pid_gone(gpointer data)
{
	return !pid_alive(GPOINTER_TO_INT(data));
}

/* Not even a zombie: our child, exited and reaped. */
static gboolean pid_reaped(gpointer data)
{
	return proc_state(GPOINTER_TO_INT(data), NULL, NULL) == 0;
}

/* The processes of group pgid, zombies left out. */
static GArray *group_members(pid_t pgid)
{
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_autoptr(GDir) dir = g_dir_open("/proc", 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		pid_t pid = atoi(name), pg = 0;
		char state;

		if (pid <= 0)
			continue;
		state = proc_state(pid, &pg, NULL);
		if (state && state != 'Z' && state != 'X' && pg == pgid)
			g_array_append_val(pids, pid);
	}
	return pids;
}

static gboolean group_gone(gpointer data)
{
	g_autoptr(GArray) members = group_members(GPOINTER_TO_INT(data));

	return members->len == 0;
}

static char *cmdline_of(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", pid);
	char *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, NULL))
		return NULL;
	for (gsize i = 0; i + 1 < len; i++)
		if (!data[i])
			data[i] = ' ';
	return data;
}

/* Our child that runs the demo guest's recipe (a build, not --print-dir); 0 if none. */
static pid_t find_recipe_child(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc", 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		pid_t pid = atoi(name), ppid = 0;
		g_autofree char *cmdline = NULL;

		if (pid <= 0 || !proc_state(pid, NULL, &ppid) || ppid != getpid())
			continue;
		cmdline = cmdline_of(pid);
		if (cmdline && strstr(cmdline, "build-demo-guest.sh") && !strstr(cmdline, "--"))
			return pid;
	}
	return 0;
}

static gboolean recipe_child_found(gpointer data)
{
	return find_recipe_child() != 0;
}

/* --- the demo guest's build, cancelled --- */

typedef struct {
	GtkProgressBar *bar;
	GtkLabel *step;
} Progress;

static gboolean progress_names_step(gpointer data)
{
	Progress *p = data;

	return gtk_progress_bar_get_fraction(p->bar) > 0 &&
	       strstr(gtk_label_get_text(p->step), "] step ");
}

/* How many entries of the directory match the glob pattern (all: NULL). */
static guint count_files(const char *path, const char *pattern)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const char *name;
	guint n = 0;

	while (dir && (name = g_dir_read_name(dir)))
		n += !pattern || g_pattern_match_simple(pattern, name);
	return n;
}

static void remove_tree(const char *path)
{
	const char *argv[] = {"rm", "-rf", "--", path, NULL};

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
	                           NULL, NULL, NULL));
}

static void test_demo_build_cancel(void)
{
	g_autofree char *entries = NULL, *config = NULL, *work = NULL;
	g_autoptr(GArray) members = NULL;
	g_autoptr(GTimer) timer = g_timer_new();
	GtkWindow *assistant;
	Progress progress;
	pid_t recipe;

	/* An empty cache and no shortcut to a built guest (main()): the recipe has to run. */
	g_assert_null(g_getenv("KENNEL_DEMO_GUEST_DIR"));
	g_assert_cmpstr(g_getenv("XDG_CACHE_HOME"), ==, empty_cache);
	{
		g_autofree char *kennel_cache = g_build_filename(empty_cache, "kennel", NULL);

		g_assert_false(g_file_test(kennel_cache, G_FILE_TEST_EXISTS));
	}
	open_window();
	g_assert_cmpstr(app_test_visible_child(window, KENNEL_TYPE_WINDOW, "list_stack"), ==,
	                "empty");

	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.new-guest", NULL));
	g_assert_true(app_test_wait(assistant_open, NULL, 5000));
	assistant = find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG);
	g_assert_true(gtk_check_button_get_active(GTK_CHECK_BUTTON(
	        app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "demo_check"))));
	click(assistant, "next_button");
	g_assert_cmpstr(app_test_visible_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "stack"),
	                ==, "demo");

	/* The recipe runs as our child, in a process group of its own. */
	g_assert_true(app_test_wait(recipe_child_found, NULL, 10 * 1000));
	recipe = find_recipe_child();
	{
		pid_t pgid = 0;

		g_assert_cmpint(proc_state(recipe, &pgid, NULL), !=, 0);
		g_assert_cmpint(pgid, ==, recipe);
	}

	/* Its first step (unpacking /usr/src/linux-source, no network) moves the bar. */
	progress.bar = GTK_PROGRESS_BAR(
	        app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "demo_progress"));
	progress.step =
	        GTK_LABEL(app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "demo_step"));
	if (!app_test_wait(progress_names_step, &progress, 30 * 1000)) {
		g_test_message("fraction %.2f, step '%s'",
		               gtk_progress_bar_get_fraction(progress.bar),
		               gtk_label_get_text(progress.step));
		g_assert_not_reached();
	}
	g_test_message("after %.1f s: fraction %.2f, '%s'", g_timer_elapsed(timer, NULL),
	               gtk_progress_bar_get_fraction(progress.bar),
	               gtk_label_get_text(progress.step));
	g_assert_cmpfloat(gtk_progress_bar_get_fraction(progress.bar), <, 1.0);
	members = group_members(recipe);
	g_assert_cmpuint(members->len, >=, 1);
	g_test_message("the build's process group %d has %u processes", recipe, members->len);
	app_test_spin(300);
	app_test_screenshot(GTK_WIDGET(assistant), "paths-01-demo-build");

	/* Cancel: every process of the build ends (SIGTERM; SIGKILL after 10 s). */
	g_timer_start(timer);
	click(assistant, "cancel_button");
	g_assert_true(app_test_wait(group_gone, GINT_TO_POINTER(recipe), 20 * 1000));
	g_test_message("the build stopped %.1f s after Cancel", g_timer_elapsed(timer, NULL));
	/* On SIGTERM: the SIGKILL that follows a build deaf to it comes after 10 s. */
	g_assert_cmpfloat(g_timer_elapsed(timer, NULL), <, 9.0);
	g_assert_true(app_test_wait(pid_reaped, GINT_TO_POINTER(recipe), 5000));
	g_assert_false(recipe_child_found(NULL));
	/* It stopped on SIGTERM, as asked, and its exit trap removed the staging
	 * directory and the half-unpacked kernel tree (.linux-unpack.XXXXXX). */
	entries = g_build_filename(empty_cache, "kennel", "guests", NULL);
	g_assert_cmpuint(count_files(entries, NULL), ==, 0);
	work = g_build_filename(empty_cache, "kennel", "build", NULL);
	g_assert_cmpuint(count_files(work, ".linux-unpack.*"), ==, 0);

	/* No guest: not in the store, not on disk; the window offers the demo again. */
	app_test_spin(300);
	g_assert_cmpuint(g_list_model_get_n_items(store_model()), ==, 0);
	config = g_build_filename(g_get_user_config_dir(), "kennel", "guests", NULL);
	g_assert_cmpuint(count_files(config, "*.ini"), ==, 0);
	g_assert_null(find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG));
	g_assert_cmpstr(app_test_visible_child(window, KENNEL_TYPE_WINDOW, "list_stack"), ==,
	                "empty");
	shot("02-build-cancelled");

	/* And the assistant starts over at the choice of source. */
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.new-guest", NULL));
	g_assert_true(app_test_wait(assistant_open, NULL, 5000));
	assistant = find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG);
	g_assert_cmpstr(app_test_visible_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "stack"),
	                ==, "source");
	g_assert_true(gtk_widget_is_sensitive(GTK_WIDGET(
	        app_test_child(assistant, KENNEL_TYPE_NEW_GUEST_DIALOG, "next_button"))));
	gtk_window_close(assistant);
	app_test_spin(200);
	g_assert_null(find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG));

	drop_window();
}

/* --- edit, clone, delete --- */

static GtkWidget *row_of(const char *id)
{
	GtkWidget *list = GTK_WIDGET(app_test_child(window, KENNEL_TYPE_WINDOW, "guest_list"));

	for (GtkWidget *row = gtk_widget_get_first_child(list); row;
	     row = gtk_widget_get_next_sibling(row))
		if (KENNEL_IS_GUEST_ROW(row) && g_str_equal(gtk_widget_get_name(row), id))
			return row;
	return NULL;
}

static guint count_rows(void)
{
	GtkWidget *list = GTK_WIDGET(app_test_child(window, KENNEL_TYPE_WINDOW, "guest_list"));
	guint n = 0;

	for (GtkWidget *row = gtk_widget_get_first_child(list); row;
	     row = gtk_widget_get_next_sibling(row))
		n += KENNEL_IS_GUEST_ROW(row);
	return n;
}

/* The item of the menu (or of its sections) whose action is action; FALSE if none. */
static gboolean find_menu_item(GMenuModel *menu, const char *action, GVariant **target)
{
	for (int i = 0; i < g_menu_model_get_n_items(menu); i++) {
		g_autofree char *name = NULL;
		g_autoptr(GMenuModel) section =
		        g_menu_model_get_item_link(menu, i, G_MENU_LINK_SECTION);

		if (section && find_menu_item(section, action, target))
			return TRUE;
		if (g_menu_model_get_item_attribute(menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
		    g_str_equal(name, action)) {
			*target = g_menu_model_get_item_attribute_value(
			        menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
			return TRUE;
		}
	}
	return FALSE;
}

/* Chooses the item of the guest row's "More" menu that activates action. */
static void row_menu(const char *id, const char *action)
{
	GtkWidget *row = row_of(id);
	GtkMenuButton *button;
	g_autoptr(GVariant) target = NULL;

	g_assert_nonnull(row);
	button = GTK_MENU_BUTTON(app_test_child(row, KENNEL_TYPE_GUEST_ROW, "menu_button"));
	g_assert_true(find_menu_item(gtk_menu_button_get_menu_model(button), action, &target));
	g_assert_nonnull(target);
	g_assert_true(gtk_widget_activate_action_variant(GTK_WIDGET(button), action, target));
}

static char *read_ini(KennelProfile *profile)
{
	char *text = NULL;

	g_assert_nonnull(kennel_profile_get_path(profile));
	g_assert_true(g_file_get_contents(kennel_profile_get_path(profile), &text, NULL, NULL));
	return text;
}

static char *ini_value(const char *path, const char *group, const char *key)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	g_assert_true(g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL));
	return g_key_file_get_value(kf, group, key, NULL);
}

/* The absolute path of the guest's first disk. */
static char *disk_path(KennelProfile *profile)
{
	g_autoptr(KennelProfileDisk) disk =
	        g_list_model_get_item(kennel_profile_get_disks(profile), 0);

	g_assert_nonnull(disk);
	return kennel_profile_resolve_path(profile, kennel_profile_disk_get_file(disk));
}

#define MARK_OFFSET (G_GUINT64_CONSTANT(300) << 20)

static void write_mark(const char *path, const char *mark)
{
	FILE *f = fopen(path, "r+b");

	g_assert_nonnull(f);
	g_assert_cmpint(fseeko(f, MARK_OFFSET, SEEK_SET), ==, 0);
	g_assert_cmpuint(fwrite(mark, 1, strlen(mark), f), ==, strlen(mark));
	g_assert_cmpint(fclose(f), ==, 0);
}

static char *read_mark(const char *path, gsize len)
{
	FILE *f = fopen(path, "rb");
	char *buf = g_malloc0(len + 1);

	g_assert_nonnull(f);
	g_assert_cmpint(fseeko(f, MARK_OFFSET, SEEK_SET), ==, 0);
	g_assert_cmpuint(fread(buf, 1, len, f), ==, len);
	fclose(f);
	return buf;
}

static guint64 file_size(const char *path)
{
	GStatBuf st;

	g_assert_cmpint(g_stat(path, &st), ==, 0);
	return (guint64)st.st_size;
}

static gboolean store_has_two(gpointer data)
{
	return g_list_model_get_n_items(store_model()) == 2;
}

/* The message dialog that deleting guest id brings up (still open). */
static GtkWindow *ask_delete(const char *id, const char *must_say)
{
	GtkWindow *dialog;
	const char *body;

	row_menu(id, "win.delete-guest");
	g_assert_true(app_test_wait(message_open, NULL, 5000));
	dialog = find_toplevel(ADW_TYPE_MESSAGE_DIALOG);
	body = adw_message_dialog_get_body(ADW_MESSAGE_DIALOG(dialog));
	g_test_message("Delete asks: %s — %s",
	               adw_message_dialog_get_heading(ADW_MESSAGE_DIALOG(dialog)), body);
	g_assert_nonnull(strstr(body, must_say));
	return dialog;
}

static void test_edit_clone_delete(void)
{
	g_autofree char *dir = make_scratch_dir("files");
	g_autofree char *kernel = g_build_filename(dir, "Image", NULL);
	g_autofree char *base_image = g_build_filename(dir, "base.img", NULL);
	g_autofree char *disk = NULL, *before = NULL, *after = NULL, *memory = NULL;
	g_autofree char *name = NULL, *clone_disk = NULL, *clone_ini = NULL, *mark = NULL;
	g_autofree char *clone_id = NULL, *id = NULL, *path = NULL, *disk_base = NULL;
	g_autofree char *clone_disk_base = NULL, *plain_path = NULL, *plain_id = NULL;
	g_autoptr(KennelProfile) draft = NULL, plain_draft = NULL, clone = NULL;
	g_autoptr(GError) error = NULL;
	KennelProfileStore *store;
	KennelProfile *profile, *plain;
	GtkWindow *editor, *dialog;
	guint64 bytes = 0;

	/* A kernel file (the profile checks that it exists; nothing boots here). */
	g_assert_true(g_file_set_contents(kernel, "not booted in this test", -1, NULL));
	open_window();
	store = kennel_window_get_store(window);

	/* A guest with a new, sparse 1 GiB disk, made as the assistant makes one. */
	draft = kennel_profile_new("Lab");
	kennel_profile_set_kernel(draft, kernel);
	kennel_profile_set_memory(draft, G_GUINT64_CONSTANT(256) << 20);
	disk = kennel_profile_store_create_disk(store, "Lab", G_GUINT64_CONSTANT(1) << 30, &error);
	g_assert_no_error(error);
	kennel_profile_add_disk(draft, disk, FALSE);
	profile = kennel_profile_store_add(store, draft, &error);
	g_assert_no_error(error);
	id = g_strdup(kennel_profile_get_id(profile));
	path = g_strdup(kennel_profile_get_path(profile));
	g_clear_pointer(&disk, g_free);
	disk = disk_path(profile);
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpuint(file_size(disk), ==, G_GUINT64_CONSTANT(1) << 30);
	/* Something on the disk for the clone to copy, where a sparse file has holes. */
	mark = g_strdup_printf("kennel-mark-%08x", g_random_int());
	write_mark(disk, mark);
	app_test_spin(200);
	g_assert_nonnull(row_of(id));
	shot("03-guest-with-disk");

	/* Edit: name and memory, through the row's menu and the editor's Save. */
	before = read_ini(profile);
	row_menu(id, "win.edit-guest");
	g_assert_true(app_test_wait(assistant_open, NULL, 5000));
	editor = find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG);
	g_assert_cmpstr(app_test_visible_child(editor, KENNEL_TYPE_NEW_GUEST_DIALOG, "stack"), ==,
	                "settings");
	g_assert_cmpstr(gtk_editable_get_text(GTK_EDITABLE(
	                        app_test_child(editor, KENNEL_TYPE_NEW_GUEST_DIALOG, "name_row"))),
	                ==, "Lab");
	gtk_editable_set_text(
	        GTK_EDITABLE(app_test_child(editor, KENNEL_TYPE_NEW_GUEST_DIALOG, "name_row")),
	        "Lab Two");
	gtk_adjustment_set_value(GTK_ADJUSTMENT(app_test_child(editor, KENNEL_TYPE_NEW_GUEST_DIALOG,
	                                                       "memory_adjustment")),
	                         384);
	app_test_spin(300);
	app_test_screenshot(GTK_WIDGET(editor), "paths-04-edit");
	click(editor, "next_button");
	app_test_spin(300);
	g_assert_null(find_toplevel(KENNEL_TYPE_NEW_GUEST_DIALOG));

	after = read_ini(profile);
	g_assert_cmpstr(before, !=, after);
	name = ini_value(path, "Guest", "name");
	memory = ini_value(path, "Guest", "memory");
	g_test_message("after Edit: name=%s memory=%s", name, memory);
	g_assert_cmpstr(name, ==, "Lab Two");
	g_assert_true(kennel_profile_parse_size(memory, &bytes));
	g_assert_cmpuint(bytes, ==, G_GUINT64_CONSTANT(384) << 20);
	g_assert_cmpstr(adw_preferences_row_get_title(ADW_PREFERENCES_ROW(row_of(id))), ==,
	                "Lab Two");
	g_assert_nonnull(
	        strstr(adw_action_row_get_subtitle(ADW_ACTION_ROW(row_of(id))), "384 MiB"));
	/* Save opened the guest's page; back to the list, as with the header's back button. */
	g_assert_cmpstr(app_test_visible_child(window, KENNEL_TYPE_WINDOW, "main_stack"), ==, id);
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.show-guests", NULL));
	shot("05-edited");

	/* Clone: a second guest, with a copy of the disk in a file of its own. */
	row_menu(id, "win.clone-guest");
	g_assert_true(app_test_wait(store_has_two, NULL, 30 * 1000));
	for (guint i = 0; i < 2; i++) {
		g_autoptr(KennelProfile) p = g_list_model_get_item(store_model(), i);

		if (!g_str_equal(kennel_profile_get_id(p), id))
			clone = g_steal_pointer(&p);
	}
	g_assert_nonnull(clone);
	clone_id = g_strdup(kennel_profile_get_id(clone));
	clone_ini = g_strdup(kennel_profile_get_path(clone));
	clone_disk = disk_path(clone);
	g_test_message("clone %s: %s, disk %s", clone_id, kennel_profile_get_name(clone),
	               clone_disk);
	g_assert_cmpstr(kennel_profile_get_name(clone), ==, "Lab Two (Copy)");
	g_assert_true(g_file_test(clone_ini, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpstr(clone_disk, !=, disk);
	g_assert_cmpuint(file_size(clone_disk), ==, file_size(disk));
	{
		g_autofree char *copied = read_mark(clone_disk, strlen(mark));

		g_assert_cmpstr(copied, ==, mark);
	}
	{
		g_autofree char *clone_memory = ini_value(clone_ini, "Guest", "memory");

		g_assert_true(kennel_profile_parse_size(clone_memory, &bytes));
		g_assert_cmpuint(bytes, ==, G_GUINT64_CONSTANT(384) << 20);
	}
	/* Their own files: writing the clone's disk leaves the original's alone. */
	write_mark(clone_disk, "the-clone-writes");
	{
		g_autofree char *original = read_mark(disk, strlen(mark));

		g_assert_cmpstr(original, ==, mark);
	}
	app_test_spin(200);
	g_assert_cmpuint(count_rows(), ==, 2);
	g_assert_nonnull(row_of(clone_id));
	shot("06-cloned");

	/* Delete asks first, naming the disk that goes with the guest; Cancel keeps all. */
	disk_base = g_path_get_basename(disk);
	dialog = ask_delete(id, disk_base);
	g_assert_nonnull(
	        strstr(adw_message_dialog_get_body(ADW_MESSAGE_DIALOG(dialog)), "will be deleted"));
	app_test_screenshot(GTK_WIDGET(dialog), "paths-07-delete-question");
	click_response(dialog, "_Cancel");
	g_assert_true(app_test_wait(message_closed, NULL, 5000));
	g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(disk, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(g_list_model_get_n_items(store_model()), ==, 2);

	/* Delete: the profile and its disk go; the clone and its disk stay. */
	dialog = ask_delete(id, disk_base);
	answer(dialog, "_Delete");
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(disk, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(clone_ini, G_FILE_TEST_IS_REGULAR));
	g_assert_true(g_file_test(clone_disk, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpuint(g_list_model_get_n_items(store_model()), ==, 1);
	g_assert_null(row_of(id));
	g_assert_nonnull(row_of(clone_id));
	shot("08-deleted");

	/* A guest whose only disk is read-only (a shared base image): the question
	 * says no disk is deleted, and none is. */
	g_assert_true(g_file_set_contents(base_image, "a base image", -1, NULL));
	plain_draft = kennel_profile_new("Plain");
	kennel_profile_set_kernel(plain_draft, kernel);
	kennel_profile_add_disk(plain_draft, base_image, TRUE);
	plain = kennel_profile_store_add(store, plain_draft, &error);
	g_assert_no_error(error);
	plain_id = g_strdup(kennel_profile_get_id(plain));
	plain_path = g_strdup(kennel_profile_get_path(plain));
	app_test_spin(200);
	dialog = ask_delete(plain_id, "no disk is deleted");
	g_assert_null(strstr(adw_message_dialog_get_body(ADW_MESSAGE_DIALOG(dialog)), "base.img"));
	app_test_screenshot(GTK_WIDGET(dialog), "paths-09-delete-no-disk");
	answer(dialog, "_Delete");
	g_assert_false(g_file_test(plain_path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(base_image, G_FILE_TEST_IS_REGULAR));
	g_assert_true(g_file_test(clone_disk, G_FILE_TEST_IS_REGULAR));

	/* The clone, last: its own disk goes with it, and the list is empty again. */
	clone_disk_base = g_path_get_basename(clone_disk);
	dialog = ask_delete(clone_id, clone_disk_base);
	answer(dialog, "_Delete");
	g_assert_false(g_file_test(clone_ini, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(clone_disk, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(g_list_model_get_n_items(store_model()), ==, 0);
	g_assert_cmpstr(app_test_visible_child(window, KENNEL_TYPE_WINDOW, "list_stack"), ==,
	                "empty");

	drop_window();
	remove_tree(dir);
}

/* --- the demo guest running --- */

static gboolean demo_guest_built(void)
{
	if (demo_dir && kennel_demo_guest_is_built(demo_dir))
		return TRUE;
	g_test_fail_printf("no demo guest in '%s' (build it with guests/build-demo-guest.sh; "
	                   "run-xvfb.sh names it in KENNEL_DEMO_GUEST_DIR)",
	                   demo_dir ? demo_dir : "");
	return FALSE;
}

/* The demo guest's view: its profile made as the assistant makes it, if there is none. */
static KennelGuestView *demo_view(void)
{
	g_autoptr(KennelProfile) profile = NULL;

	if (g_list_model_get_n_items(store_model()) == 0) {
		g_autoptr(KennelProfile) demo = kennel_profile_new_demo(demo_dir);
		g_autoptr(GError) error = NULL;

		kennel_profile_store_add(kennel_window_get_store(window), demo, &error);
		g_assert_no_error(error);
		app_test_spin(200);
	}
	profile = g_list_model_get_item(store_model(), 0);
	return kennel_window_get_guest_view(window, kennel_profile_get_id(profile));
}

/* Starts the guest and waits for its readiness line; returns the engine's pid. */
static pid_t start_demo(KennelGuestView *view)
{
	const char *id = kennel_profile_get_id(kennel_guest_view_get_profile(view));
	KennelSupervisor *supervisor;

	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(window), "win.start-guest", "s", id));
	if (!app_test_wait_state(view, KENNEL_GUEST_STATE_RUNNING, 60 * 1000)) {
		supervisor = kennel_guest_view_get_supervisor(view);
		if (supervisor) {
			g_autofree char *log = kennel_supervisor_dup_log_tail(supervisor);

			g_test_message("error %s, log:\n%s",
			               kennel_supervisor_get_last_error(supervisor), log);
		}
		g_assert_not_reached();
	}
	kennel_guest_view_show_page(view, "console");
	g_assert_true(app_test_wait_console(view, "KENNEL-GUEST-READY", 100 * 1000));
	supervisor = kennel_guest_view_get_supervisor(view);
	g_assert_nonnull(kennel_supervisor_get_engine_pid(supervisor));
	return (pid_t)atoi(kennel_supervisor_get_engine_pid(supervisor));
}

static gboolean display_shows_something(gpointer data)
{
	g_autoptr(GdkTexture) frame = kennel_display_get_frame(KENNEL_DISPLAY(data));

	return frame && app_test_count_colors(frame, 8) >= 2;
}

static void xdotool_exited(GObject *source, GAsyncResult *result, gpointer data)
{
	g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
	*(gboolean *)data = TRUE;
}

/* Runs xdotool with args, the main loop turning meanwhile (GTK sees the keys as they come). */
static void xdotool(const char *const *args)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	g_auto(GStrv) argv = NULL;
	g_autoptr(GSubprocess) proc = NULL;
	g_autoptr(GError) error = NULL;
	gboolean done = FALSE;

	g_strv_builder_add(builder, "xdotool");
	g_strv_builder_addv(builder, (const char **)args);
	argv = g_strv_builder_end(builder);
	proc = g_subprocess_newv((const char *const *)argv, G_SUBPROCESS_FLAGS_NONE, &error);
	g_assert_no_error(error);
	g_subprocess_wait_async(proc, NULL, xdotool_exited, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(g_subprocess_get_successful(proc));
}

static gboolean display_released(gpointer data)
{
	return !kennel_display_get_grabbed(KENNEL_DISPLAY(data));
}

static gboolean display_grabbed(gpointer data)
{
	return kennel_display_get_grabbed(KENNEL_DISPLAY(data));
}

static void test_display_typing(void)
{
	KennelGuestView *view;
	KennelDisplay *display;
	GdkSurface *surface;
	double cx, cy, dx, dy;
	g_autofree char *xid = NULL, *x = NULL, *y = NULL;
	g_autofree char *tool = g_find_program_in_path("xdotool");
	gboolean answered = FALSE;

	if (!tool) {
		g_test_fail_printf("xdotool is missing (tools/setup.sh installs it)");
		return;
	}
	if (!demo_guest_built())
		return;
	open_window();
	view = demo_view();
	start_demo(view);
	/* BusyBox init starts the shells (hvc1, tty1) after the readiness line. */
	app_test_spin(1500);

	kennel_guest_view_show_page(view, "display");
	display = kennel_guest_view_get_display(view);
	g_assert_true(app_test_wait(display_shows_something, display, 60 * 1000));

	/* Where the Display is on the X window. */
	surface = gtk_native_get_surface(GTK_NATIVE(window));
	g_assert_true(GDK_IS_X11_SURFACE(surface));
	xid = g_strdup_printf("%lu", (gulong)gdk_x11_surface_get_xid(surface));
	g_assert_true(gtk_widget_translate_coordinates(
	        GTK_WIDGET(display), GTK_WIDGET(window),
	        gtk_widget_get_width(GTK_WIDGET(display)) / 2.0,
	        gtk_widget_get_height(GTK_WIDGET(display)) / 2.0, &cx, &cy));
	gtk_native_get_surface_transform(GTK_NATIVE(window), &dx, &dy);
	x = g_strdup_printf("%d", (int)(cx + dx));
	y = g_strdup_printf("%d", (int)(cy + dy));

	/* A click on the screen: the Display takes the keyboard. */
	xdotool((const char *[]){"mousemove", "--window", xid, x, y, "click", "1", NULL});
	g_assert_true(app_test_wait(display_grabbed, display, 5000));
	g_assert_true(gtk_widget_has_focus(GTK_WIDGET(display)));
	shot("10-display-grabbed");

	/*
	 * A command for the shell on tty1 (the framebuffer console): its answer
	 * goes to hvc1, the Console page.  The guest computes the product; the
	 * test never sends it.  A shell that was not reading yet gets a second go.
	 */
	for (int attempt = 0; attempt < 3 && !answered; attempt++) {
		int a = g_random_int_range(1000, 9999), b = g_random_int_range(1000, 9999);
		g_autofree char *command = g_strdup_printf("echo Kx$((%d*%d))Zq >/dev/hvc1", a, b);
		g_autofree char *answer = g_strdup_printf("Kx%dZq", a * b);

		g_test_message("typing: %s", command);
		xdotool((const char *[]){"type", "--delay", "40", "--", command, NULL});
		xdotool((const char *[]){"key", "Return", NULL});
		answered = app_test_wait_console(view, answer, 20 * 1000);
	}
	shot("11-display-typed");
	g_assert_true(answered);

	/* Ctrl+Alt gives the keyboard back. */
	xdotool((const char *[]){"key", "ctrl+alt", NULL});
	g_assert_true(app_test_wait(display_released, display, 5000));

	kennel_guest_view_show_page(view, "console");
	shot("12-console-answer");
	/* The guest keeps running for /app-paths/close-ask. */
}

/* --- closing the window with a running guest --- */

static GSettings *settings;

/* The engine, left without its app, shuts its guest down and exits. */
static void wait_engine_exit(pid_t engine)
{
	g_autoptr(GTimer) timer = g_timer_new();

	if (!app_test_wait(pid_gone, GINT_TO_POINTER(engine), 60 * 1000))
		g_error("the engine %d still runs a minute after the window closed", engine);
	g_test_message("the engine exited %.1f s after the window closed",
	               g_timer_elapsed(timer, NULL));
	g_assert_true(app_test_wait(pid_reaped, GINT_TO_POINTER(engine), 5000));
}

static void test_close_ask(void)
{
	KennelGuestView *view;
	GtkWindow *dialog;
	pid_t engine;

	if (!demo_guest_built())
		return;
	g_settings_set_string(settings, "close-action", "ask");
	if (!window)
		open_window();
	view = demo_view();
	if (!kennel_guest_view_is_running(view))
		start_demo(view);
	engine = (pid_t)atoi(
	        kennel_supervisor_get_engine_pid(kennel_guest_view_get_supervisor(view)));
	g_assert_true(pid_alive(engine));

	/* Close: a question, not a closed window. */
	gtk_window_close(GTK_WINDOW(window));
	g_assert_true(app_test_wait(message_open, NULL, 5000));
	dialog = find_toplevel(ADW_TYPE_MESSAGE_DIALOG);
	g_assert_true(gtk_window_get_transient_for(dialog) == GTK_WINDOW(window));
	g_test_message("closing asks: %s",
	               adw_message_dialog_get_heading(ADW_MESSAGE_DIALOG(dialog)));
	g_assert_nonnull(
	        strstr(adw_message_dialog_get_heading(ADW_MESSAGE_DIALOG(dialog)), "Shut Down"));
	g_assert_false(window_destroyed);
	shot("13-close-question");

	/* Cancel: the window stays, and so does the guest. */
	click_response(dialog, "_Cancel");
	g_assert_true(app_test_wait(message_closed, NULL, 5000));
	app_test_spin(2000);
	g_assert_false(window_destroyed);
	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(window)));
	g_assert_cmpint(kennel_guest_view_get_state(view), ==, KENNEL_GUEST_STATE_RUNNING);
	g_assert_true(pid_alive(engine));

	/* Again, and Shut Down and Close: the window closes, the engine exits. */
	gtk_window_close(GTK_WINDOW(window));
	g_assert_true(app_test_wait(message_open, NULL, 5000));
	dialog = find_toplevel(ADW_TYPE_MESSAGE_DIALOG);
	click_response(dialog, "_Shut Down and Close");
	app_test_spin(500);
	g_assert_true(window_destroyed);
	window = NULL;
	wait_engine_exit(engine);
}

static void test_close_stop_guests(void)
{
	KennelGuestView *view;
	pid_t engine;

	if (!demo_guest_built())
		return;
	g_settings_set_string(settings, "close-action", "stop-guests");
	open_window();
	view = demo_view();
	engine = start_demo(view);
	g_assert_true(pid_alive(engine));

	/* No question: the window closes at once, and the engine exits. */
	gtk_window_close(GTK_WINDOW(window));
	app_test_spin(500);
	g_assert_null(find_toplevel(ADW_TYPE_MESSAGE_DIALOG));
	g_assert_true(window_destroyed);
	window = NULL;
	wait_engine_exit(engine);
	g_settings_reset(settings, "close-action");
}

int main(int argc, char **argv)
{
	int status;

	demo_dir = g_strdup(g_getenv("KENNEL_DEMO_GUEST_DIR"));
	g_unsetenv("KENNEL_DEMO_GUEST_DIR");
	scratch_root =
	        g_strdup(g_getenv("XDG_CACHE_HOME") ? g_getenv("XDG_CACHE_HOME") : g_get_tmp_dir());
	empty_cache = make_scratch_dir("empty-cache");
	g_setenv("XDG_CACHE_HOME", empty_cache, TRUE);
	gtk_test_init(&argc, &argv, NULL);
	app = app_test_application_new(FALSE);
	settings = g_settings_new("org.kennel.Kennel");

	g_test_add_func("/app-paths/demo-build-cancel", test_demo_build_cancel);
	g_test_add_func("/app-paths/edit-clone-delete", test_edit_clone_delete);
	g_test_add_func("/app-paths/display-typing", test_display_typing);
	g_test_add_func("/app-paths/close-ask", test_close_ask);
	g_test_add_func("/app-paths/close-stop-guests", test_close_stop_guests);
	status = g_test_run();

	drop_window();
	g_object_unref(settings);
	g_object_unref(app);
	remove_tree(empty_cache);
	g_free(empty_cache);
	g_free(scratch_root);
	g_free(demo_dir);
	return status;
}
