/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "app-test.h"

static gboolean timed_out(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

static gboolean tick(gpointer data)
{
	return G_SOURCE_CONTINUE;
}

/*
 * The tick wakes the loop now and then: a condition may change without
 * any event of this main context (a process that exits, a file written).
 */
gboolean app_test_wait(gboolean (*cond)(gpointer data), gpointer data, guint timeout_ms)
{
	gboolean expired = FALSE;
	guint id = g_timeout_add(timeout_ms, timed_out, &expired);
	guint tick_id = g_timeout_add(100, tick, NULL);

	while (!cond(data) && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(id);
	g_source_remove(tick_id);
	return cond(data);
}

/* No tick here: the benchmarks measure the UI's idle CPU while spinning. */
void app_test_spin(guint ms)
{
	gboolean expired = FALSE;

	g_timeout_add(ms, timed_out, &expired);
	while (!expired)
		g_main_context_iteration(NULL, TRUE);
}

/*
 * What the X server shows, as a person would see it (ImageMagick's
 * import); the widget's own rendering where import is missing.
 */
static gboolean import_screen(const char *path)
{
	g_autofree char *import = g_find_program_in_path("import");
	const char *argv[] = {import, "-window", "root", path, NULL};
	int status = -1;

	if (!import || !g_getenv("DISPLAY"))
		return FALSE;
	return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
	                    NULL, &status, NULL) &&
	       status == 0;
}

void app_test_screenshot(GtkWidget *widget, const char *name)
{
	g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
	g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new();
	g_autoptr(GskRenderNode) node = NULL;
	g_autoptr(GdkTexture) texture = NULL;
	g_autofree char *dir = NULL, *path = NULL;
	GskRenderer *renderer;
	int w = gtk_widget_get_width(widget), h = gtk_widget_get_height(widget);

	dir = g_build_filename(g_getenv("KENNEL_BUILD_ROOT") ? g_getenv("KENNEL_BUILD_ROOT") : ".",
	                       "tests", "app", "screenshots", NULL);
	g_mkdir_with_parents(dir, 0755);
	path = g_strdup_printf("%s/%s.png", dir, name);
	if (import_screen(path)) {
		g_test_message("screenshot: %s", path);
		return;
	}
	if (w <= 0 || h <= 0 || !gtk_widget_get_native(widget))
		return;
	gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), w, h);
	node = gtk_snapshot_free_to_node(g_steal_pointer(&snapshot));
	if (!node)
		return;
	renderer = gtk_native_get_renderer(gtk_widget_get_native(widget));
	texture = gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, w, h));
	if (gdk_texture_save_to_png(texture, path))
		g_test_message("screenshot: %s", path);
}

static guint8 *download(GdkTexture *texture, gsize *stride)
{
	int w = gdk_texture_get_width(texture), h = gdk_texture_get_height(texture);
	guint8 *data = g_malloc((gsize)w * h * 4);

	*stride = (gsize)w * 4;
	gdk_texture_download(texture, data, *stride); /* B, G, R, A in memory */
	return data;
}

guint32 app_test_pixel(GdkTexture *texture, int x, int y)
{
	gsize stride;
	g_autofree guint8 *data = download(texture, &stride);
	const guint8 *p = data + y * stride + x * 4;

	return (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];
}

guint app_test_count_colors(GdkTexture *texture, guint limit)
{
	gsize stride;
	g_autofree guint8 *data = download(texture, &stride);
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	int w = gdk_texture_get_width(texture), h = gdk_texture_get_height(texture);

	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			const guint8 *p = data + y * stride + x * 4;
			guint32 rgb = (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];

			g_hash_table_add(seen, GUINT_TO_POINTER(rgb + 1));
			if (g_hash_table_size(seen) >= limit)
				return limit;
		}
	}
	return g_hash_table_size(seen);
}
