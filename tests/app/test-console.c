/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelConsoleView on a real pty (the engine's console is one): the guest's
 * output shows up in the terminal, typing reaches the guest's end, the
 * zoom actions change the font scale, the terminal's size reaches the pty,
 * and a guest end that goes away is reported.  Each test runs twice: given
 * the pty's master (VTE uses it as it is), and given its slave, the way
 * the engine's OpenConsole hands it over (the view bridges it).
 */
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "app-test.h"
#include "kennel-config.h"
#include "kennel-console-view.h"

typedef struct {
	int guest; /* the guest's end: what the engine's virtio console would use */
	GtkWidget *window;
	KennelConsoleView *console;
	GString *typed;
	gboolean closed;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	int master, slave, mine;
	g_autoptr(GError) error = NULL;
	gboolean give_slave = GPOINTER_TO_INT(data);

	g_assert_no_errno(openpty(&master, &slave, NULL, NULL, NULL));
	/* The guest's side is the other end from the one the console gets. */
	f->guest = give_slave ? master : slave;
	mine = give_slave ? slave : master;
	if (give_slave) {
		struct termios t;

		/* As the engine keeps it: raw. */
		tcgetattr(slave, &t);
		cfmakeraw(&t);
		tcsetattr(slave, TCSANOW, &t);
	}
	fcntl(f->guest, F_SETFL, O_NONBLOCK);
	f->typed = g_string_new(NULL);
	f->window = gtk_window_new();
	gtk_window_set_default_size(GTK_WINDOW(f->window), 800, 500);
	f->console = KENNEL_CONSOLE_VIEW(kennel_console_view_new());
	gtk_window_set_child(GTK_WINDOW(f->window), GTK_WIDGET(f->console));
	gtk_window_present(GTK_WINDOW(f->window));
	g_assert_true(kennel_console_view_open_fd(f->console, mine, &error));
	g_assert_no_error(error);
	g_assert_true(kennel_console_view_get_connected(f->console));
}

static void teardown(Fixture *f, gconstpointer data)
{
	gtk_window_destroy(GTK_WINDOW(f->window));
	if (f->guest >= 0)
		close(f->guest);
	g_string_free(f->typed, TRUE);
}

static gboolean shows_ready(gpointer data)
{
	Fixture *f = data;
	g_autofree char *text = kennel_console_view_get_text(f->console);

	return text && strstr(text, "KENNEL-GUEST-READY");
}

static void test_output(Fixture *f, gconstpointer data)
{
	const char out[] = "Linux version 6.1 booting\r\nKENNEL-GUEST-READY\r\n~ # ";

	g_assert_cmpint(write(f->guest, out, sizeof(out) - 1), ==, sizeof(out) - 1);
	g_assert_true(app_test_wait(shows_ready, f, 5000));
	app_test_spin(100);
	app_test_screenshot(f->window, data ? "console-output-bridged" : "console-output");
}

static gboolean typed_arrived(gpointer data)
{
	Fixture *f = data;
	char buf[256];
	ssize_t n;

	while ((n = read(f->guest, buf, sizeof(buf))) > 0)
		g_string_append_len(f->typed, buf, n);
	return strstr(f->typed->str, "echo $((6*7))") != NULL;
}

static void test_typing(Fixture *f, gconstpointer data)
{
	struct termios t;

	/* The guest's tty in raw mode, as the engine keeps it: no echo, no line editing. */
	tcgetattr(f->guest, &t);
	cfmakeraw(&t);
	tcsetattr(f->guest, TCSANOW, &t);
	kennel_console_view_feed_child(f->console, "echo $((6*7))\r");
	g_assert_true(app_test_wait(typed_arrived, f, 5000));
}

static void test_zoom(Fixture *f, gconstpointer data)
{
	double before = kennel_console_view_get_font_scale(f->console);

	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(f->console), "console.zoom-in", NULL));
	g_assert_cmpfloat(kennel_console_view_get_font_scale(f->console), >, before);
	g_assert_true(
	        gtk_widget_activate_action(GTK_WIDGET(f->console), "console.zoom-reset", NULL));
	g_assert_cmpfloat(kennel_console_view_get_font_scale(f->console), ==, 1.0);
	g_assert_true(gtk_widget_activate_action(GTK_WIDGET(f->console), "console.zoom-out", NULL));
	g_assert_cmpfloat(kennel_console_view_get_font_scale(f->console), <, 1.0);
}

static gboolean has_size(gpointer data)
{
	Fixture *f = data;
	struct winsize ws = {0};

	ioctl(f->guest, TIOCGWINSZ, &ws);
	return ws.ws_col > 20 && ws.ws_row > 5;
}

/* The terminal's rows and columns reach the pty, and so the guest's tty. */
static void test_size(Fixture *f, gconstpointer data)
{
	struct winsize ws = {0};
	VteTerminal *terminal = kennel_console_view_get_terminal(f->console);

	g_assert_true(app_test_wait(has_size, f, 5000));
	ioctl(f->guest, TIOCGWINSZ, &ws);
	g_assert_cmpint(ws.ws_col, ==, vte_terminal_get_column_count(terminal));
	g_assert_cmpint(ws.ws_row, ==, vte_terminal_get_row_count(terminal));
}

static void on_closed(KennelConsoleView *console, gpointer data)
{
	((Fixture *)data)->closed = TRUE;
}

static gboolean is_closed(gpointer data)
{
	return ((Fixture *)data)->closed;
}

static void test_hang_up(Fixture *f, gconstpointer data)
{
	g_signal_connect(f->console, "closed", G_CALLBACK(on_closed), f);
	close(f->guest);
	f->guest = -1;
	g_assert_true(app_test_wait(is_closed, f, 5000));
	g_assert_false(kennel_console_view_get_connected(f->console));
}

int main(int argc, char **argv)
{
	gtk_test_init(&argc, &argv, NULL);
	for (int slave = 0; slave <= 1; slave++) {
		const char *end = slave ? "slave" : "master";
		g_autofree char *output = g_strdup_printf("/console/%s/output", end);
		g_autofree char *typing = g_strdup_printf("/console/%s/typing", end);
		g_autofree char *zoom = g_strdup_printf("/console/%s/zoom", end);
		g_autofree char *size = g_strdup_printf("/console/%s/size", end);
		g_autofree char *hang_up = g_strdup_printf("/console/%s/hang-up", end);
		gconstpointer data = GINT_TO_POINTER(slave);

		g_test_add(output, Fixture, data, setup, test_output, teardown);
		g_test_add(typing, Fixture, data, setup, test_typing, teardown);
		g_test_add(zoom, Fixture, data, setup, test_zoom, teardown);
		g_test_add(size, Fixture, data, setup, test_size, teardown);
		g_test_add(hang_up, Fixture, data, setup, test_hang_up, teardown);
	}
	return g_test_run();
}
