/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelDisplay against a real libvncserver on the other end of a
 * socketpair (the way the engine hands over OpenDisplay's fd): the first
 * frame arrives and is drawn, a small change re-uploads one tile only (and
 * none while the widget is hidden),
 * keys and pointer reach the server, a resized server framebuffer resizes
 * the widget's frame, and a server that hangs up is reported.
 */
#include <rfb/rfb.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app-test.h"
#include "kennel-display.h"

#define W 640
#define H 400

typedef struct {
	rfbScreenInfoPtr screen;
	GMutex lock;  /* the events below */
	GArray *keys; /* guint32: keysym | down << 31 */
	int ptr_x, ptr_y, ptr_mask, ptr_events;
	GtkWidget *window;
	KennelDisplay *display;
	guint64 updates;
	gboolean disconnected;
	char *message;
	gboolean server_down; /* rfbShutdownServer ran (it must not run twice) */
	int server_sock;
} Fixture;

static void on_key(rfbBool down, rfbKeySym keysym, rfbClientPtr cl)
{
	Fixture *f = cl->screen->screenData;
	guint32 v = keysym | (down ? 1u << 31 : 0);

	g_mutex_lock(&f->lock);
	g_array_append_val(f->keys, v);
	g_mutex_unlock(&f->lock);
}

static void on_pointer(int mask, int x, int y, rfbClientPtr cl)
{
	Fixture *f = cl->screen->screenData;

	g_mutex_lock(&f->lock);
	f->ptr_x = x;
	f->ptr_y = y;
	f->ptr_mask = mask;
	f->ptr_events++;
	g_mutex_unlock(&f->lock);
}

static void fill(rfbScreenInfoPtr s, int x0, int y0, int w, int h, guint32 rgb)
{
	for (int y = y0; y < y0 + h; y++) {
		for (int x = x0; x < x0 + w; x++) {
			guint8 *p = (guint8 *)s->frameBuffer + (y * s->width + x) * 4;
			p[0] = rgb >> 16;
			p[1] = rgb >> 8;
			p[2] = rgb;
			p[3] = 0;
		}
	}
	rfbMarkRectAsModified(s, x0, y0, x0 + w, y0 + h);
}

static void setup(Fixture *f, gconstpointer data)
{
	int sv[2];
	rfbClientPtr cl;

	g_assert_no_errno(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	g_mutex_init(&f->lock);
	f->keys = g_array_new(FALSE, FALSE, sizeof(guint32));

	/* The server: 32-bit pixels, R G B X in memory, speaking only on sv[1]. */
	f->screen = rfbGetScreen(NULL, NULL, W, H, 8, 3, 4);
	f->screen->frameBuffer = calloc(W * H, 4);
	f->screen->screenData = f;
	f->screen->kbdAddEvent = on_key;
	f->screen->ptrAddEvent = on_pointer;
	f->screen->port = f->screen->ipv6port = 0;
	f->screen->autoPort = FALSE;
	f->screen->httpPort = 0;
	f->screen->cursor = NULL; /* no cursor drawn into the frames */
	fill(f->screen, 0, 0, W / 2, H, 0xff0000);
	fill(f->screen, W / 2, 0, W / 2, H, 0x0000ff);
	rfbInitServer(f->screen);
	rfbRunEventLoop(f->screen, 10000, TRUE);
	/* A client on a socket we already have, served by a thread of its own. */
	f->server_sock = sv[1];
	cl = rfbNewClient(f->screen, sv[1]);
	g_assert_nonnull(cl);
	rfbStartOnHoldClient(cl);

	f->window = gtk_window_new();
	gtk_window_set_default_size(GTK_WINDOW(f->window), W, H);
	f->display = KENNEL_DISPLAY(kennel_display_new());
	gtk_window_set_child(GTK_WINDOW(f->window), GTK_WIDGET(f->display));
	gtk_window_present(GTK_WINDOW(f->window));
	kennel_display_open_fd(f->display, sv[0]);
}

static void teardown(Fixture *f, gconstpointer data)
{
	gtk_window_destroy(GTK_WINDOW(f->window));
	if (!f->server_down)
		rfbShutdownServer(f->screen, TRUE);
	free(f->screen->frameBuffer);
	rfbScreenCleanup(f->screen);
	g_array_unref(f->keys);
	g_free(f->message);
	g_mutex_clear(&f->lock);
}

static gboolean has_frame(gpointer data)
{
	Fixture *f = data;
	return kennel_display_get_guest_width(f->display) > 0 &&
	       kennel_display_get_update_count(f->display) > f->updates;
}

typedef struct {
	Fixture *f;
	int x, y;
	guint32 rgb;
} PixelWait;

static gboolean pixel_is(gpointer data)
{
	PixelWait *w = data;
	g_autoptr(GdkTexture) frame = kennel_display_get_frame(w->f->display);

	return frame && gdk_texture_get_width(frame) > w->x &&
	       app_test_pixel(frame, w->x, w->y) == w->rgb;
}

/* Waits until the frame shows rgb at x, y. */
static gboolean wait_pixel(Fixture *f, int x, int y, guint32 rgb)
{
	PixelWait w = {f, x, y, rgb};

	return app_test_wait(pixel_is, &w, 10000);
}

static void test_first_frame(Fixture *f, gconstpointer data)
{
	g_autoptr(GdkTexture) frame = NULL;

	g_assert_true(app_test_wait(has_frame, f, 10000));
	g_assert_true(wait_pixel(f, W - 10, H - 10, 0x0000ff));
	g_assert_cmpuint(kennel_display_get_guest_width(f->display), ==, W);
	g_assert_cmpuint(kennel_display_get_guest_height(f->display), ==, H);
	frame = kennel_display_get_frame(f->display);
	g_assert_nonnull(frame);
	g_assert_cmphex(app_test_pixel(frame, 10, 10), ==, 0xff0000);
	g_assert_cmphex(app_test_pixel(frame, W - 10, H - 10), ==, 0x0000ff);
	g_assert_cmpuint(app_test_count_colors(frame, 16), ==, 2);
	app_test_spin(200);
	app_test_screenshot(f->window, "display-first-frame");
}

/* A 10 x 10 change inside one 128 x 128 tile uploads that tile and no other. */
static void test_damage_only(Fixture *f, gconstpointer data)
{
	guint64 before;
	g_autoptr(GdkTexture) frame = NULL;

	g_assert_true(wait_pixel(f, W - 10, H - 10, 0x0000ff));
	app_test_spin(300); /* let any follow-up updates land */
	f->updates = kennel_display_get_update_count(f->display);
	before = kennel_display_get_uploaded_bytes(f->display);
	fill(f->screen, 140, 140, 10, 10, 0x00ff00);
	g_assert_true(app_test_wait(has_frame, f, 10000));
	g_assert_cmpuint(kennel_display_get_uploaded_bytes(f->display) - before, ==, 128 * 128 * 4);
	frame = kennel_display_get_frame(f->display);
	g_assert_cmphex(app_test_pixel(frame, 145, 145), ==, 0x00ff00);
}

/* Hidden (another page shown), it uploads nothing; shown again, the change
 * it missed arrives as one tile. */
static void test_hidden(Fixture *f, gconstpointer data)
{
	guint64 before;

	g_assert_true(wait_pixel(f, W - 10, H - 10, 0x0000ff));
	app_test_spin(300);
	gtk_widget_set_visible(GTK_WIDGET(f->display), FALSE);
	f->updates = kennel_display_get_update_count(f->display);
	before = kennel_display_get_uploaded_bytes(f->display);
	fill(f->screen, 140, 140, 10, 10, 0x00ff00);
	/* The client has the pixels (the frame is read from its framebuffer)... */
	g_assert_true(wait_pixel(f, 145, 145, 0x00ff00));
	app_test_spin(300);
	/* ...but no tile was made of them. */
	g_assert_cmpuint(kennel_display_get_update_count(f->display), ==, f->updates);
	g_assert_cmpuint(kennel_display_get_uploaded_bytes(f->display), ==, before);
	gtk_widget_set_visible(GTK_WIDGET(f->display), TRUE);
	g_assert_true(app_test_wait(has_frame, f, 10000));
	g_assert_cmpuint(kennel_display_get_uploaded_bytes(f->display) - before, ==, 128 * 128 * 4);
}

static gboolean got_keys(gpointer data)
{
	Fixture *f = data;
	guint n;

	g_mutex_lock(&f->lock);
	n = f->keys->len;
	g_mutex_unlock(&f->lock);
	return n >= 6;
}

static void test_send_keys(Fixture *f, gconstpointer data)
{
	const guint cad[] = {GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_Delete};
	const guint32 want[] = {
	        GDK_KEY_Control_L | 1u << 31,
	        GDK_KEY_Alt_L | 1u << 31,
	        GDK_KEY_Delete | 1u << 31,
	        GDK_KEY_Delete,
	        GDK_KEY_Alt_L,
	        GDK_KEY_Control_L,
	};

	g_assert_true(app_test_wait(has_frame, f, 10000));
	kennel_display_send_keys(f->display, cad, G_N_ELEMENTS(cad));
	g_assert_true(app_test_wait(got_keys, f, 5000));
	g_mutex_lock(&f->lock);
	g_assert_cmpmem(f->keys->data, f->keys->len * sizeof(guint32), want, sizeof(want));
	g_mutex_unlock(&f->lock);
}

static gboolean got_pointer(gpointer data)
{
	Fixture *f = data;
	gboolean done;

	g_mutex_lock(&f->lock);
	done = f->ptr_events > 0 && f->ptr_mask == 0 && f->ptr_x > 0;
	g_mutex_unlock(&f->lock);
	return done;
}

/* A click lands in framebuffer coordinates and grabs the keyboard. */
static void test_pointer_and_grab(Fixture *f, gconstpointer data)
{
	GtkWidget *widget = GTK_WIDGET(f->display);
	int w, h;
	double scale, ox, oy;

	g_assert_true(app_test_wait(has_frame, f, 10000));
	app_test_spin(200);
	w = gtk_widget_get_width(widget);
	h = gtk_widget_get_height(widget);
	scale = MIN((double)w / W, (double)h / H);
	ox = (w - W * scale) / 2;
	oy = (h - H * scale) / 2;
	/* The click gesture's handlers, as a real click would run them. */
	{
		GListModel *controllers = gtk_widget_observe_controllers(widget);
		for (guint i = 0; i < g_list_model_get_n_items(controllers); i++) {
			g_autoptr(GObject) c = g_list_model_get_item(controllers, i);
			if (GTK_IS_GESTURE_CLICK(c)) {
				g_signal_emit_by_name(c, "pressed", 1, ox + 100 * scale,
				                      oy + 50 * scale);
				g_signal_emit_by_name(c, "released", 1, ox + 100 * scale,
				                      oy + 50 * scale);
			}
		}
		g_object_unref(controllers);
	}
	g_assert_true(app_test_wait(got_pointer, f, 5000));
	g_mutex_lock(&f->lock);
	g_assert_cmpint(f->ptr_x, ==, 100);
	g_assert_cmpint(f->ptr_y, ==, 50);
	g_mutex_unlock(&f->lock);
	g_assert_true(kennel_display_get_grabbed(f->display));
	kennel_display_set_grabbed(f->display, FALSE);
	g_assert_false(kennel_display_get_grabbed(f->display));
}

static gboolean is_800_wide(gpointer data)
{
	return kennel_display_get_guest_width(((Fixture *)data)->display) == 800;
}

/* The server changes its size (the guest picked a new mode): so does the frame. */
static void test_resize(Fixture *f, gconstpointer data)
{
	char *bigger = calloc(800 * 600, 4);
	char *old = f->screen->frameBuffer;

	g_assert_true(app_test_wait(has_frame, f, 10000));
	f->updates = kennel_display_get_update_count(f->display);
	rfbNewFramebuffer(f->screen, bigger, 800, 600, 8, 3, 4);
	free(old);
	fill(f->screen, 0, 0, 800, 600, 0x123456);
	g_assert_true(wait_pixel(f, 790, 590, 0x123456));
	g_assert_true(app_test_wait(is_800_wide, f, 5000));
	g_assert_cmpuint(kennel_display_get_guest_width(f->display), ==, 800);
	g_assert_cmpuint(kennel_display_get_guest_height(f->display), ==, 600);
}

static void on_disconnected(KennelDisplay *display, const char *message, gpointer data)
{
	Fixture *f = data;

	f->disconnected = TRUE;
	f->message = g_strdup(message);
}

static gboolean is_disconnected(gpointer data)
{
	return ((Fixture *)data)->disconnected;
}

static gboolean server_has_no_client(gpointer data)
{
	return ((Fixture *)data)->screen->clientHead == NULL;
}

static void test_hang_up(Fixture *f, gconstpointer data)
{
	g_assert_true(app_test_wait(has_frame, f, 10000));
	g_signal_connect(f->display, "disconnected", G_CALLBACK(on_disconnected), f);
	/* The engine's end goes away (libvncserver's own shutdown races its client threads). */
	shutdown(f->server_sock, SHUT_RDWR);
	g_assert_true(app_test_wait(is_disconnected, f, 10000));
	g_assert_nonnull(f->message);
	g_assert_false(kennel_display_get_connected(f->display));
	/* Let the server's client thread finish with the dead client before teardown. */
	g_assert_true(app_test_wait(server_has_no_client, f, 10000));
}

int main(int argc, char **argv)
{
	gtk_test_init(&argc, &argv, NULL);
	g_test_add("/display/first-frame", Fixture, NULL, setup, test_first_frame, teardown);
	g_test_add("/display/damage-only", Fixture, NULL, setup, test_damage_only, teardown);
	g_test_add("/display/hidden", Fixture, NULL, setup, test_hidden, teardown);
	g_test_add("/display/send-keys", Fixture, NULL, setup, test_send_keys, teardown);
	g_test_add("/display/pointer-and-grab", Fixture, NULL, setup, test_pointer_and_grab,
	           teardown);
	g_test_add("/display/resize", Fixture, NULL, setup, test_resize, teardown);
	g_test_add("/display/hang-up", Fixture, NULL, setup, test_hang_up, teardown);
	return g_test_run();
}
