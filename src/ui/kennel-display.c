/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelDisplay: the guest's screen, as the engine's VNC server sends it.
 *
 * The journey of a frame: the guest draws into its virtio-gpu scanout, the
 * engine's libvncserver sends the changed rectangles over the socket the
 * app got from OpenDisplay, and here libvncclient, on a worker thread of
 * our own, writes them into its framebuffer and tells us which rectangle
 * changed (GotFrameBufferUpdate).  The worker adds the rectangle to a
 * damage region and wakes the main thread, which turns only the damaged
 * tiles of the framebuffer into new GdkMemoryTextures once the update is
 * complete (FinishedFrameBufferUpdate): an idle screen
 * costs nothing, a blinking cursor re-uploads one 128 x 128 tile, and a
 * hidden display keeps its damage until it is shown again.
 * Snapshot draws the tiles scaled to fit, the aspect kept.
 *
 * The way back: key presses become X keysyms (GDK's keyvals are keysyms)
 * and pointer motion, buttons and scrolling become RFB pointer events in
 * framebuffer coordinates; the engine turns them into virtio-input events.
 *
 * One mutex guards the rfbClient: the worker holds it while it handles a
 * message (which writes the framebuffer and may answer the server), the
 * main thread while it copies tiles or sends input.  Waiting for the next
 * message happens outside it.
 */
#include <glib/gi18n.h>
#include <math.h>
#include <rfb/rfbclient.h>
#include <string.h>

#include "kennel-display.h"

#define TILE 128

struct _KennelDisplay {
	GtkWidget parent_instance;

	/* Shared with the worker: under lock. */
	GMutex lock;
	rfbClient *client;
	cairo_region_t *damage;
	gboolean size_changed;
	guint flush_id;
	int fb_width, fb_height;

	GThread *thread;
	gint stop;        /* atomic: the worker should hang up */
	guint generation; /* which connection a late "disconnected" belongs to */

	/* Main thread only. */
	gboolean connected;
	int width, height; /* of the tiles below */
	guint tiles_x, tiles_y;
	GdkTexture **tiles;
	guint64 updates;
	guint64 uploaded_bytes;
	int button_mask;
	double last_x, last_y;
	gboolean grabbed;
	GtkEventController *grab_controller; /* on the toplevel while grabbed */
	gboolean ctrl_down, alt_down;
	gboolean resize_guest;
	guint resize_id;
	int requested_width, requested_height;
};

G_DEFINE_FINAL_TYPE(KennelDisplay, kennel_display, GTK_TYPE_WIDGET)

enum {
	PROP_0,
	PROP_CONNECTED,
	PROP_GRABBED,
	PROP_GUEST_WIDTH,
	PROP_GUEST_HEIGHT,
	PROP_RESIZE_GUEST,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

enum { SIGNAL_DISCONNECTED, SIGNAL_RESIZE_REQUEST, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char client_tag[] = "kennel-display";

GtkWidget *kennel_display_new(void)
{
	return g_object_new(KENNEL_TYPE_DISPLAY, NULL);
}

/* libvncclient's log goes to GLib's debug log, not to stderr. */
static void rfb_log(const char *format, ...)
{
	va_list args;
	g_autofree char *text = NULL;

	va_start(args, format);
	text = g_strdup_vprintf(format, args);
	va_end(args);
	g_debug("vnc: %s", g_strchomp(text));
}

/* --- the worker's side: called by libvncclient with lock held --- */

static gboolean flush_damage(gpointer data);

static void schedule_flush(KennelDisplay *self)
{
	if (!self->flush_id)
		self->flush_id = g_idle_add_full(G_PRIORITY_DEFAULT, flush_damage,
		                                 g_object_ref(self), g_object_unref);
}

static rfbBool malloc_framebuffer(rfbClient *client)
{
	KennelDisplay *self = rfbClientGetClientData(client, (void *)client_tag);
	size_t size = (size_t)client->width * client->height * 4;

	free(client->frameBuffer);
	client->frameBuffer = calloc(1, size ? size : 4);
	if (!client->frameBuffer)
		return FALSE;
	self->fb_width = client->width;
	self->fb_height = client->height;
	self->size_changed = TRUE;
	schedule_flush(self);
	return TRUE;
}

static void got_update(rfbClient *client, int x, int y, int w, int h)
{
	KennelDisplay *self = rfbClientGetClientData(client, (void *)client_tag);
	cairo_rectangle_int_t rect = {x, y, w, h};

	cairo_region_union_rectangle(self->damage, &rect);
}

/* The whole update is in: show it (never half a frame). */
static void finished_update(rfbClient *client)
{
	schedule_flush(rfbClientGetClientData(client, (void *)client_tag));
}

/* Frees the client (lock taken here); rfbClientCleanup closes the socket. */
static void free_client(KennelDisplay *self)
{
	g_mutex_lock(&self->lock);
	if (self->client) {
		free(self->client->frameBuffer);
		self->client->frameBuffer = NULL;
		rfbClientCleanup(self->client);
		self->client = NULL;
	}
	if (self->flush_id) {
		g_source_remove(self->flush_id);
		self->flush_id = 0;
	}
	g_mutex_unlock(&self->lock);
}

static gboolean disconnected_idle(gpointer data)
{
	KennelDisplay *self = KENNEL_DISPLAY(g_object_get_data(data, "display"));
	const char *message = g_object_get_data(data, "message");

	/* kennel_display_close() or a new connection got here first. */
	if (GPOINTER_TO_UINT(g_object_get_data(data, "generation")) != self->generation ||
	    !self->thread)
		return G_SOURCE_REMOVE;
	{
		g_thread_join(self->thread);
		self->thread = NULL;
	}
	free_client(self);
	if (self->connected) {
		self->connected = FALSE;
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
	}
	kennel_display_set_grabbed(self, FALSE);
	g_signal_emit(self, signals[SIGNAL_DISCONNECTED], 0, message);
	return G_SOURCE_REMOVE;
}

static void report_disconnect(KennelDisplay *self, const char *message)
{
	/* A plain GObject carries the message and a ref to the main thread. */
	GObject *note = g_object_new(G_TYPE_OBJECT, NULL);

	g_object_set_data_full(note, "display", g_object_ref(self), g_object_unref);
	g_object_set_data_full(note, "message", g_strdup(message), g_free);
	g_object_set_data(note, "generation", GUINT_TO_POINTER(self->generation));
	g_idle_add_full(G_PRIORITY_DEFAULT, disconnected_idle, note, g_object_unref);
}

static gpointer worker(gpointer data)
{
	KennelDisplay *self = data;
	rfbClient *client = self->client;
	gboolean ok;

	/* The RFB handshake: version, security (none on this private socket), init. */
	g_mutex_lock(&self->lock);
	ok = rfbInitClient(client, NULL, NULL);
	if (!ok)
		self->client = NULL; /* rfbInitClient freed it */
	g_mutex_unlock(&self->lock);
	if (!ok) {
		report_disconnect(self, _("The guest’s screen did not answer."));
		return NULL;
	}

	while (!g_atomic_int_get(&self->stop)) {
		/* Bytes libvncclient already read count as a waiting message. */
		if (client->buffered == 0) {
			int n = WaitForMessage(client, 100 * 1000);
			if (n < 0)
				break;
			if (n == 0)
				continue;
		}
		g_mutex_lock(&self->lock);
		ok = HandleRFBServerMessage(client);
		g_mutex_unlock(&self->lock);
		if (!ok)
			break;
	}
	report_disconnect(self, g_atomic_int_get(&self->stop)
	                                ? NULL
	                                : _("The connection to the guest’s screen was lost."));
	return NULL;
}

/* --- the main thread's side --- */

static void free_tiles(KennelDisplay *self)
{
	for (guint i = 0; i < self->tiles_x * self->tiles_y; i++)
		g_clear_object(&self->tiles[i]);
	g_clear_pointer(&self->tiles, g_free);
	self->tiles_x = self->tiles_y = 0;
}

/* One tile from the framebuffer (lock held), with the unused byte set opaque. */
static GdkTexture *make_tile(KennelDisplay *self, int x, int y, int w, int h)
{
	const guint8 *fb = (const guint8 *)self->client->frameBuffer;
	int fb_stride = self->fb_width * 4;
	guint8 *pixels = g_malloc((gsize)w * h * 4);
	g_autoptr(GBytes) bytes = NULL;

	for (int row = 0; row < h; row++) {
		guint8 *dst = pixels + (gsize)row * w * 4;

		memcpy(dst, fb + (gsize)(y + row) * fb_stride + x * 4, (gsize)w * 4);
		for (int col = 0; col < w; col++)
			dst[col * 4 + 3] = 0xff;
	}
	bytes = g_bytes_new_take(pixels, (gsize)w * h * 4);
	return gdk_memory_texture_new(w, h, GDK_MEMORY_R8G8B8A8_PREMULTIPLIED, bytes, (gsize)w * 4);
}

static gboolean flush_damage(gpointer data)
{
	KennelDisplay *self = data;
	gboolean size_changed;

	g_mutex_lock(&self->lock);
	self->flush_id = 0;
	if (!self->client || !self->client->frameBuffer) {
		g_mutex_unlock(&self->lock);
		return G_SOURCE_REMOVE;
	}
	/* Hidden (another page of the guest view is shown): keep the damage
	 * and upload it when the widget is mapped again, so that a screen no
	 * one looks at costs no copies. */
	if (!gtk_widget_get_mapped(GTK_WIDGET(self)) && !self->size_changed) {
		g_mutex_unlock(&self->lock);
		return G_SOURCE_REMOVE;
	}
	size_changed = self->size_changed;
	if (size_changed) {
		cairo_rectangle_int_t all = {0, 0, self->fb_width, self->fb_height};

		free_tiles(self);
		self->width = self->fb_width;
		self->height = self->fb_height;
		self->tiles_x = (self->width + TILE - 1) / TILE;
		self->tiles_y = (self->height + TILE - 1) / TILE;
		self->tiles = g_new0(GdkTexture *, self->tiles_x * self->tiles_y);
		cairo_region_union_rectangle(self->damage, &all);
		self->size_changed = FALSE;
	}
	for (guint ty = 0; ty < self->tiles_y; ty++) {
		for (guint tx = 0; tx < self->tiles_x; tx++) {
			cairo_rectangle_int_t tile = {tx * TILE, ty * TILE, 0, 0};

			tile.width = MIN(TILE, self->width - tile.x);
			tile.height = MIN(TILE, self->height - tile.y);
			if (cairo_region_contains_rectangle(self->damage, &tile) ==
			    CAIRO_REGION_OVERLAP_OUT)
				continue;
			g_clear_object(&self->tiles[ty * self->tiles_x + tx]);
			self->tiles[ty * self->tiles_x + tx] =
			        make_tile(self, tile.x, tile.y, tile.width, tile.height);
			self->uploaded_bytes += (gsize)tile.width * tile.height * 4;
		}
	}
	cairo_region_destroy(self->damage);
	self->damage = cairo_region_create();
	g_mutex_unlock(&self->lock);

	self->updates++;
	if (size_changed) {
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_GUEST_WIDTH]);
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_GUEST_HEIGHT]);
		gtk_widget_queue_resize(GTK_WIDGET(self));
	}
	gtk_widget_queue_draw(GTK_WIDGET(self));
	return G_SOURCE_REMOVE;
}

void kennel_display_open_fd(KennelDisplay *self, int fd)
{
	rfbClient *client;

	g_return_if_fail(KENNEL_IS_DISPLAY(self));
	kennel_display_close(self);

	rfbClientLog = rfb_log;
	rfbClientErr = rfb_log;
	/* 8 bits per colour, 3 colours, 4 bytes a pixel: R, G, B, unused. */
	client = rfbGetClient(8, 3, 4);
	rfbClientSetClientData(client, (void *)client_tag, self);
	client->MallocFrameBuffer = malloc_framebuffer;
	client->GotFrameBufferUpdate = got_update;
	client->FinishedFrameBufferUpdate = finished_update;
	client->canHandleNewFBSize = TRUE;
	/* A local socket: raw pixels cost the least CPU on both ends. */
	client->appData.encodingsString = "copyrect raw";
	client->appData.useRemoteCursor = FALSE;
	client->programName = "kennel";
	/* Already connected: no host to dial, just the handshake on fd. */
	client->sock = fd;
	client->listenSpecified = TRUE;

	self->client = client;
	self->generation++;
	g_atomic_int_set(&self->stop, 0);
	self->connected = TRUE;
	self->thread = g_thread_new("kennel-vnc", worker, self);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
}

void kennel_display_close(KennelDisplay *self)
{
	g_return_if_fail(KENNEL_IS_DISPLAY(self));
	if (self->thread) {
		g_atomic_int_set(&self->stop, 1);
		g_thread_join(self->thread);
		self->thread = NULL;
	}
	free_client(self);
	if (self->connected) {
		self->connected = FALSE;
		g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
	}
}

gboolean kennel_display_get_connected(KennelDisplay *self)
{
	g_return_val_if_fail(KENNEL_IS_DISPLAY(self), FALSE);
	return self->connected;
}

guint kennel_display_get_guest_width(KennelDisplay *self)
{
	g_return_val_if_fail(KENNEL_IS_DISPLAY(self), 0);
	return self->width;
}

guint kennel_display_get_guest_height(KennelDisplay *self)
{
	g_return_val_if_fail(KENNEL_IS_DISPLAY(self), 0);
	return self->height;
}

guint64 kennel_display_get_update_count(KennelDisplay *self)
{
	return self->updates;
}

guint64 kennel_display_get_uploaded_bytes(KennelDisplay *self)
{
	return self->uploaded_bytes;
}

GdkTexture *kennel_display_get_frame(KennelDisplay *self)
{
	GdkTexture *frame = NULL;

	g_return_val_if_fail(KENNEL_IS_DISPLAY(self), NULL);
	g_mutex_lock(&self->lock);
	if (self->client && self->client->frameBuffer && self->fb_width > 0)
		frame = make_tile(self, 0, 0, self->fb_width, self->fb_height);
	g_mutex_unlock(&self->lock);
	return frame;
}

/* Where the frame goes in the widget: scaled to fit, centred. */
static gboolean frame_geometry(KennelDisplay *self, double *scale, double *ox, double *oy)
{
	int w = gtk_widget_get_width(GTK_WIDGET(self));
	int h = gtk_widget_get_height(GTK_WIDGET(self));

	if (self->width <= 0 || self->height <= 0 || w <= 0 || h <= 0)
		return FALSE;
	*scale = MIN((double)w / self->width, (double)h / self->height);
	*ox = (w - self->width * *scale) / 2;
	*oy = (h - self->height * *scale) / 2;
	return TRUE;
}

static void kennel_display_snapshot(GtkWidget *widget, GtkSnapshot *snapshot)
{
	KennelDisplay *self = KENNEL_DISPLAY(widget);
	double scale, ox, oy;

	if (!self->tiles || !frame_geometry(self, &scale, &ox, &oy))
		return;
	gtk_snapshot_save(snapshot);
	gtk_snapshot_translate(snapshot, &GRAPHENE_POINT_INIT(ox, oy));
	gtk_snapshot_scale(snapshot, scale, scale);
	for (guint ty = 0; ty < self->tiles_y; ty++) {
		for (guint tx = 0; tx < self->tiles_x; tx++) {
			GdkTexture *tile = self->tiles[ty * self->tiles_x + tx];

			if (!tile)
				continue;
			gtk_snapshot_append_texture(
			        snapshot, tile,
			        &GRAPHENE_RECT_INIT(tx * TILE, ty * TILE,
			                            gdk_texture_get_width(tile),
			                            gdk_texture_get_height(tile)));
		}
	}
	gtk_snapshot_restore(snapshot);
}

static void kennel_display_measure(GtkWidget *widget, GtkOrientation orientation, int for_size,
                                   int *minimum, int *natural, int *minimum_baseline,
                                   int *natural_baseline)
{
	KennelDisplay *self = KENNEL_DISPLAY(widget);

	*minimum = 64;
	*natural = orientation == GTK_ORIENTATION_HORIZONTAL ? MAX(self->width, 640)
	                                                     : MAX(self->height, 400);
}

static gboolean emit_resize_request(gpointer data)
{
	KennelDisplay *self = data;

	self->resize_id = 0;
	g_signal_emit(self, signals[SIGNAL_RESIZE_REQUEST], 0, (guint)self->requested_width,
	              (guint)self->requested_height);
	return G_SOURCE_REMOVE;
}

static void kennel_display_size_allocate(GtkWidget *widget, int width, int height, int baseline)
{
	KennelDisplay *self = KENNEL_DISPLAY(widget);
	int scale = gtk_widget_get_scale_factor(widget);

	if (!self->resize_guest || !self->connected || width < 64 || height < 64)
		return;
	/* Ask for the new size once the window has stopped moving. */
	if (width * scale == self->width && height * scale == self->height)
		return;
	self->requested_width = width * scale;
	self->requested_height = height * scale;
	if (self->resize_id)
		g_source_remove(self->resize_id);
	self->resize_id = g_timeout_add(300, emit_resize_request, self);
}

/* --- input --- */

static void send_pointer(KennelDisplay *self)
{
	double scale, ox, oy;
	int x, y;

	if (!frame_geometry(self, &scale, &ox, &oy))
		return;
	x = CLAMP((int)floor((self->last_x - ox) / scale), 0, self->width - 1);
	y = CLAMP((int)floor((self->last_y - oy) / scale), 0, self->height - 1);
	g_mutex_lock(&self->lock);
	if (self->client && self->connected)
		SendPointerEvent(self->client, x, y, self->button_mask);
	g_mutex_unlock(&self->lock);
}

static void send_key(KennelDisplay *self, guint keyval, gboolean down)
{
	g_mutex_lock(&self->lock);
	if (self->client && self->connected)
		SendKeyEvent(self->client, keyval, down);
	g_mutex_unlock(&self->lock);
}

void kennel_display_send_keys(KennelDisplay *self, const guint *keyvals, guint n_keyvals)
{
	g_return_if_fail(KENNEL_IS_DISPLAY(self));
	for (guint i = 0; i < n_keyvals; i++)
		send_key(self, keyvals[i], TRUE);
	for (guint i = n_keyvals; i > 0; i--)
		send_key(self, keyvals[i - 1], FALSE);
}

static void on_motion(GtkEventControllerMotion *controller, double x, double y, gpointer data)
{
	KennelDisplay *self = data;

	self->last_x = x;
	self->last_y = y;
	send_pointer(self);
}

/* RFB buttons: 1 left, 2 middle, 3 right as bits 0..2; 4/5 scroll up/down, 6/7 left/right. */
static int rfb_button(guint gdk_button)
{
	switch (gdk_button) {
	case GDK_BUTTON_PRIMARY: return rfbButton1Mask;
	case GDK_BUTTON_MIDDLE: return rfbButton2Mask;
	case GDK_BUTTON_SECONDARY: return rfbButton3Mask;
	default: return 0;
	}
}

static void on_pressed(GtkGestureClick *gesture, int n_press, double x, double y, gpointer data)
{
	KennelDisplay *self = data;
	guint button = gtk_gesture_single_get_current_button(GTK_GESTURE_SINGLE(gesture));

	gtk_widget_grab_focus(GTK_WIDGET(self));
	if (!self->grabbed)
		kennel_display_set_grabbed(self, TRUE);
	self->last_x = x;
	self->last_y = y;
	self->button_mask |= rfb_button(button);
	send_pointer(self);
}

static void on_released(GtkGestureClick *gesture, int n_press, double x, double y, gpointer data)
{
	KennelDisplay *self = data;
	guint button = gtk_gesture_single_get_current_button(GTK_GESTURE_SINGLE(gesture));

	self->last_x = x;
	self->last_y = y;
	self->button_mask &= ~rfb_button(button);
	send_pointer(self);
}

static gboolean on_scroll(GtkEventControllerScroll *controller, double dx, double dy, gpointer data)
{
	KennelDisplay *self = data;
	int mask = 0;

	if (dy < 0)
		mask = rfbWheelUpMask;
	else if (dy > 0)
		mask = rfbWheelDownMask;
	else if (dx < 0)
		mask = 1 << 5;
	else if (dx > 0)
		mask = 1 << 6;
	if (!mask)
		return FALSE;
	self->button_mask |= mask;
	send_pointer(self);
	self->button_mask &= ~mask;
	send_pointer(self);
	return TRUE;
}

/*
 * Keys.  While grabbed, Ctrl+Alt (either order) gives the keyboard back;
 * the guest then gets the releases of both, so that nothing stays pressed.
 */
static gboolean handle_key(KennelDisplay *self, guint keyval, gboolean down)
{
	gboolean is_ctrl = keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R;
	gboolean is_alt = keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R ||
	                  keyval == GDK_KEY_Meta_L || keyval == GDK_KEY_Meta_R;

	if (is_ctrl)
		self->ctrl_down = down;
	if (is_alt)
		self->alt_down = down;
	send_key(self, keyval, down);
	if (down && self->grabbed && self->ctrl_down && self->alt_down) {
		send_key(self, GDK_KEY_Control_L, FALSE);
		send_key(self, GDK_KEY_Alt_L, FALSE);
		self->ctrl_down = self->alt_down = FALSE;
		kennel_display_set_grabbed(self, FALSE);
	}
	return TRUE;
}

static gboolean on_key_pressed(GtkEventControllerKey *controller, guint keyval, guint keycode,
                               GdkModifierType state, gpointer data)
{
	KennelDisplay *self = data;

	if (!self->connected)
		return FALSE;
	return handle_key(self, keyval, TRUE);
}

static void on_key_released(GtkEventControllerKey *controller, guint keyval, guint keycode,
                            GdkModifierType state, gpointer data)
{
	KennelDisplay *self = data;

	/* While grabbed, the toplevel's controller saw this release already. */
	if (self->connected && (!self->grabbed || controller == (void *)self->grab_controller))
		handle_key(self, keyval, FALSE);
}

gboolean kennel_display_get_grabbed(KennelDisplay *self)
{
	g_return_val_if_fail(KENNEL_IS_DISPLAY(self), FALSE);
	return self->grabbed;
}

/*
 * Grabbing: a key controller in the capture phase on the toplevel sees
 * every key before the window's shortcuts do, and the compositor is asked
 * to keep its own shortcuts (Super, Alt+Tab) away while it can.
 */
void kennel_display_set_grabbed(KennelDisplay *self, gboolean grabbed)
{
	GtkRoot *root;
	GdkSurface *surface;

	g_return_if_fail(KENNEL_IS_DISPLAY(self));
	grabbed = grabbed && self->connected;
	if (self->grabbed == grabbed)
		return;
	self->grabbed = grabbed;
	root = gtk_widget_get_root(GTK_WIDGET(self));
	surface = root ? gtk_native_get_surface(GTK_NATIVE(root)) : NULL;
	if (grabbed && root) {
		self->grab_controller = gtk_event_controller_key_new();
		gtk_event_controller_set_propagation_phase(self->grab_controller,
		                                           GTK_PHASE_CAPTURE);
		g_signal_connect(self->grab_controller, "key-pressed", G_CALLBACK(on_key_pressed),
		                 self);
		g_signal_connect(self->grab_controller, "key-released", G_CALLBACK(on_key_released),
		                 self);
		gtk_widget_add_controller(GTK_WIDGET(root), self->grab_controller);
		if (GDK_IS_TOPLEVEL(surface))
			gdk_toplevel_inhibit_system_shortcuts(GDK_TOPLEVEL(surface), NULL);
	} else if (self->grab_controller) {
		GtkWidget *owner = gtk_event_controller_get_widget(self->grab_controller);

		if (owner)
			gtk_widget_remove_controller(owner, self->grab_controller);
		self->grab_controller = NULL;
		if (GDK_IS_TOPLEVEL(surface))
			gdk_toplevel_restore_system_shortcuts(GDK_TOPLEVEL(surface));
	}
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_GRABBED]);
}

gboolean kennel_display_get_resize_guest(KennelDisplay *self)
{
	g_return_val_if_fail(KENNEL_IS_DISPLAY(self), FALSE);
	return self->resize_guest;
}

void kennel_display_set_resize_guest(KennelDisplay *self, gboolean resize_guest)
{
	g_return_if_fail(KENNEL_IS_DISPLAY(self));
	resize_guest = !!resize_guest;
	if (self->resize_guest == resize_guest)
		return;
	self->resize_guest = resize_guest;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_RESIZE_GUEST]);
	if (resize_guest)
		gtk_widget_queue_allocate(GTK_WIDGET(self));
}

static void kennel_display_get_property(GObject *object, guint prop_id, GValue *value,
                                        GParamSpec *pspec)
{
	KennelDisplay *self = KENNEL_DISPLAY(object);

	switch (prop_id) {
	case PROP_CONNECTED: g_value_set_boolean(value, self->connected); break;
	case PROP_GRABBED: g_value_set_boolean(value, self->grabbed); break;
	case PROP_GUEST_WIDTH: g_value_set_uint(value, self->width); break;
	case PROP_GUEST_HEIGHT: g_value_set_uint(value, self->height); break;
	case PROP_RESIZE_GUEST: g_value_set_boolean(value, self->resize_guest); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void kennel_display_set_property(GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
	KennelDisplay *self = KENNEL_DISPLAY(object);

	switch (prop_id) {
	case PROP_GRABBED: kennel_display_set_grabbed(self, g_value_get_boolean(value)); break;
	case PROP_RESIZE_GUEST:
		kennel_display_set_resize_guest(self, g_value_get_boolean(value));
		break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

/* Shown again: upload what changed while it was hidden. */
static void kennel_display_map(GtkWidget *widget)
{
	KennelDisplay *self = KENNEL_DISPLAY(widget);

	GTK_WIDGET_CLASS(kennel_display_parent_class)->map(widget);
	g_mutex_lock(&self->lock);
	if (self->client && (self->size_changed || !cairo_region_is_empty(self->damage)))
		schedule_flush(self);
	g_mutex_unlock(&self->lock);
}

static void kennel_display_unroot(GtkWidget *widget)
{
	kennel_display_set_grabbed(KENNEL_DISPLAY(widget), FALSE);
	GTK_WIDGET_CLASS(kennel_display_parent_class)->unroot(widget);
}

static void kennel_display_dispose(GObject *object)
{
	KennelDisplay *self = KENNEL_DISPLAY(object);

	kennel_display_close(self);
	if (self->resize_id) {
		g_source_remove(self->resize_id);
		self->resize_id = 0;
	}
	free_tiles(self);
	G_OBJECT_CLASS(kennel_display_parent_class)->dispose(object);
}

static void kennel_display_finalize(GObject *object)
{
	KennelDisplay *self = KENNEL_DISPLAY(object);

	cairo_region_destroy(self->damage);
	g_mutex_clear(&self->lock);
	G_OBJECT_CLASS(kennel_display_parent_class)->finalize(object);
}

static void kennel_display_class_init(KennelDisplayClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->get_property = kennel_display_get_property;
	object_class->set_property = kennel_display_set_property;
	object_class->dispose = kennel_display_dispose;
	object_class->finalize = kennel_display_finalize;
	widget_class->snapshot = kennel_display_snapshot;
	widget_class->measure = kennel_display_measure;
	widget_class->size_allocate = kennel_display_size_allocate;
	widget_class->map = kennel_display_map;
	widget_class->unroot = kennel_display_unroot;

	props[PROP_CONNECTED] = g_param_spec_boolean("connected", NULL, NULL, FALSE,
	                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_GRABBED] = g_param_spec_boolean("grabbed", NULL, NULL, FALSE,
	                                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
	                                                   G_PARAM_STATIC_STRINGS);
	props[PROP_GUEST_WIDTH] = g_param_spec_uint("guest-width", NULL, NULL, 0, G_MAXUINT, 0,
	                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_GUEST_HEIGHT] = g_param_spec_uint("guest-height", NULL, NULL, 0, G_MAXUINT, 0,
	                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_RESIZE_GUEST] = g_param_spec_boolean(
	        "resize-guest", NULL, NULL, FALSE,
	        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);

	signals[SIGNAL_DISCONNECTED] =
	        g_signal_new("disconnected", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
	signals[SIGNAL_RESIZE_REQUEST] =
	        g_signal_new("resize-request", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                     NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

	gtk_widget_class_set_css_name(widget_class, "kennel-display");
	gtk_widget_class_set_accessible_role(widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void kennel_display_init(KennelDisplay *self)
{
	GtkEventController *controller;
	GtkGesture *click;

	g_mutex_init(&self->lock);
	self->damage = cairo_region_create();
	gtk_widget_set_focusable(GTK_WIDGET(self), TRUE);
	gtk_widget_set_hexpand(GTK_WIDGET(self), TRUE);
	gtk_widget_set_vexpand(GTK_WIDGET(self), TRUE);
	gtk_widget_add_css_class(GTK_WIDGET(self), "kennel-display");

	controller = gtk_event_controller_motion_new();
	g_signal_connect(controller, "motion", G_CALLBACK(on_motion), self);
	gtk_widget_add_controller(GTK_WIDGET(self), controller);

	click = gtk_gesture_click_new();
	gtk_gesture_single_set_button(GTK_GESTURE_SINGLE(click), 0);
	g_signal_connect(click, "pressed", G_CALLBACK(on_pressed), self);
	g_signal_connect(click, "released", G_CALLBACK(on_released), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(click));

	controller = gtk_event_controller_scroll_new(GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
	                                             GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
	g_signal_connect(controller, "scroll", G_CALLBACK(on_scroll), self);
	gtk_widget_add_controller(GTK_WIDGET(self), controller);

	controller = gtk_event_controller_key_new();
	g_signal_connect(controller, "key-pressed", G_CALLBACK(on_key_pressed), self);
	g_signal_connect(controller, "key-released", G_CALLBACK(on_key_released), self);
	gtk_widget_add_controller(GTK_WIDGET(self), controller);
}
