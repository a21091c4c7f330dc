/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelDetails: the engine's statistics as rows a class can read.  The
 * engine samples its counters about once a second (the Statistics
 * property); each sample updates the rows in place, adding rows for
 * vCPUs and devices as they appear and dropping those that went away.
 */
#include <glib/gi18n.h>
#include <inttypes.h>

#include "kennel-details.h"

struct _KennelDetails {
	GtkWidget parent_instance;

	GtkStack *stack;
	AdwPreferencesGroup *machine_group;
	AdwPreferencesGroup *vcpu_group;
	AdwPreferencesGroup *device_group;
	AdwPreferencesGroup *io_group;

	GHashTable *rows;   /* id -> AdwActionRow */
	GHashTable *values; /* id -> GtkLabel (the value at the row's end) */
	GHashTable *seen;   /* ids updated by the current sample */
};

G_DEFINE_FINAL_TYPE(KennelDetails, kennel_details, GTK_TYPE_WIDGET)

GtkWidget *kennel_details_new(void)
{
	return g_object_new(KENNEL_TYPE_DETAILS, NULL);
}

/* Instructions per second, the way a person says it: "12.3 million/s". */
static char *format_rate(double per_second)
{
	if (per_second >= 1e9)
		return g_strdup_printf(_("%.2f billion/s"), per_second / 1e9);
	if (per_second >= 1e6)
		return g_strdup_printf(_("%.1f million/s"), per_second / 1e6);
	if (per_second >= 1e3)
		return g_strdup_printf(_("%.1f thousand/s"), per_second / 1e3);
	return g_strdup_printf(_("%.0f/s"), per_second);
}

static void set_row(KennelDetails *self, AdwPreferencesGroup *group, const char *id,
                    const char *title, const char *subtitle, const char *value)
{
	AdwActionRow *row = g_hash_table_lookup(self->rows, id);
	GtkLabel *label;

	if (!row) {
		row = ADW_ACTION_ROW(adw_action_row_new());
		label = GTK_LABEL(gtk_label_new(NULL));
		gtk_widget_add_css_class(GTK_WIDGET(label), "kennel-stat-value");
		gtk_widget_add_css_class(GTK_WIDGET(label), "numeric");
		gtk_label_set_selectable(label, TRUE);
		adw_action_row_add_suffix(row, GTK_WIDGET(label));
		gtk_widget_set_name(GTK_WIDGET(row), id);
		adw_preferences_group_add(group, GTK_WIDGET(row));
		g_hash_table_insert(self->rows, g_strdup(id), row);
		g_hash_table_insert(self->values, g_strdup(id), label);
	}
	label = g_hash_table_lookup(self->values, id);
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
	adw_action_row_set_subtitle(row, subtitle ? subtitle : "");
	gtk_label_set_text(label, value);
	g_hash_table_add(self->seen, g_strdup(id));
}

static guint64 dict_u64(GVariantDict *dict, const char *key)
{
	guint64 v = 0;

	g_variant_dict_lookup(dict, key, "t", &v);
	return v;
}

static double dict_double(GVariantDict *dict, const char *key)
{
	double v = 0;

	g_variant_dict_lookup(dict, key, "d", &v);
	return v;
}

static void update_vcpus(KennelDetails *self, GVariant *vcpus)
{
	GVariantIter iter;
	GVariant *child;
	guint i = 0;

	g_variant_iter_init(&iter, vcpus);
	while ((child = g_variant_iter_next_value(&iter))) {
		g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(child);
		g_autofree char *id = g_strdup_printf("vcpu%u-ips", i);
		g_autofree char *title = g_strdup_printf(_("vCPU %u"), i);
		g_autofree char *rate = NULL, *subtitle = NULL;

		rate = format_rate(dict_double(&dict, "instructions-per-second"));
		subtitle = g_strdup_printf(
		        _("%" PRIu64 " exceptions · %" PRIu64 " interrupts · %" PRIu64
		          " SBI calls · %.1f s asleep (WFI)"),
		        dict_u64(&dict, "exceptions"), dict_u64(&dict, "interrupts"),
		        dict_u64(&dict, "sbi-calls"), dict_double(&dict, "wfi-seconds"));
		set_row(self, self->vcpu_group, id, title, subtitle, rate);
		g_variant_unref(child);
		i++;
	}
}

static void update_devices(KennelDetails *self, GVariant *devices)
{
	GVariantIter iter;
	GVariant *child;

	g_variant_iter_init(&iter, devices);
	while ((child = g_variant_iter_next_value(&iter))) {
		g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(child);
		const char *name = "?";
		guint slot = 0;
		g_autofree char *id = NULL, *title = NULL, *value = NULL, *subtitle = NULL;
		g_autofree char *read = NULL, *written = NULL;

		g_variant_dict_lookup(&dict, "name", "&s", &name);
		g_variant_dict_lookup(&dict, "slot", "u", &slot);
		id = g_strdup_printf("device%u", slot);
		/* Translators: a virtio device and its virtio-mmio slot, "virtio-blk (slot 8)". */
		title = g_strdup_printf(_("%s (slot %u)"), name, slot);
		value = g_strdup_printf(_("%" PRIu64 " kicks · %" PRIu64 " interrupts"),
		                        dict_u64(&dict, "kicks"), dict_u64(&dict, "interrupts"));
		read = g_format_size(dict_u64(&dict, "bytes-read"));
		written = g_format_size(dict_u64(&dict, "bytes-written"));
		/* Translators: bytes the guest read from and wrote to a device. */
		subtitle = g_strdup_printf(_("%s read · %s written"), read, written);
		set_row(self, self->device_group, id, title, subtitle, value);
		g_variant_unref(child);
	}
}

static void show_sample(KennelDetails *self, GVariant *statistics)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(statistics);
	g_autoptr(GVariant) vcpus = NULL, devices = NULL;
	g_autofree char *total = NULL, *count = NULL;
	GHashTableIter iter;
	gpointer key, value;

	g_hash_table_remove_all(self->seen);

	total = format_rate(dict_double(&dict, "instructions-per-second"));
	set_row(self, self->machine_group, "total-ips", _("Instructions"),
	        _("All virtual CPUs together"), total);
	/* Grouped the locale's way (561,302,858): a bare run of nine digits
	 * is hard to read aloud. */
	count = g_strdup_printf("%'" G_GUINT64_FORMAT, dict_u64(&dict, "instructions"));
	set_row(self, self->machine_group, "total-instructions", _("Instructions So Far"), NULL,
	        count);

	vcpus = g_variant_dict_lookup_value(&dict, "vcpus", G_VARIANT_TYPE("aa{sv}"));
	if (vcpus)
		update_vcpus(self, vcpus);
	devices = g_variant_dict_lookup_value(&dict, "devices", G_VARIANT_TYPE("aa{sv}"));
	if (devices)
		update_devices(self, devices);

	{
		g_autofree char *dr = g_format_size(dict_u64(&dict, "disk-bytes-read"));
		g_autofree char *dw = g_format_size(dict_u64(&dict, "disk-bytes-written"));
		g_autofree char *nr = g_format_size(dict_u64(&dict, "net-bytes-received"));
		g_autofree char *ns = g_format_size(dict_u64(&dict, "net-bytes-sent"));
		g_autofree char *disk = g_strdup_printf(_("%s read · %s written"), dr, dw);
		/* Translators: network bytes the guest received and sent. */
		g_autofree char *net = g_strdup_printf(_("%s in · %s out"), nr, ns);

		set_row(self, self->io_group, "disk", _("Disks"), NULL, disk);
		set_row(self, self->io_group, "network", _("Network"), NULL, net);
	}

	/* Rows of vCPUs or devices that are gone. */
	g_hash_table_iter_init(&iter, self->rows);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (g_hash_table_contains(self->seen, key))
			continue;
		adw_preferences_group_remove(
		        ADW_PREFERENCES_GROUP(gtk_widget_get_ancestor(GTK_WIDGET(value),
		                                                      ADW_TYPE_PREFERENCES_GROUP)),
		        GTK_WIDGET(value));
		g_hash_table_remove(self->values, key);
		g_hash_table_iter_remove(&iter);
	}
	gtk_stack_set_visible_child_name(self->stack, "stats");
}

void kennel_details_update(KennelDetails *self, GVariant *statistics)
{
	g_return_if_fail(KENNEL_IS_DETAILS(self));
	if (!statistics || !g_variant_is_of_type(statistics, G_VARIANT_TYPE_VARDICT)) {
		gtk_stack_set_visible_child_name(self->stack, "empty");
		return;
	}
	show_sample(self, statistics);
}

const char *kennel_details_get_value(KennelDetails *self, const char *row_id)
{
	GtkLabel *label = g_hash_table_lookup(self->values, row_id);

	return label ? gtk_label_get_text(label) : NULL;
}

static void kennel_details_dispose(GObject *object)
{
	KennelDetails *self = KENNEL_DETAILS(object);

	g_clear_pointer(&self->rows, g_hash_table_unref);
	g_clear_pointer(&self->values, g_hash_table_unref);
	g_clear_pointer(&self->seen, g_hash_table_unref);
	gtk_widget_dispose_template(GTK_WIDGET(self), KENNEL_TYPE_DETAILS);
	G_OBJECT_CLASS(kennel_details_parent_class)->dispose(object);
}

static void kennel_details_class_init(KennelDetailsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = kennel_details_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/kennel/Kennel/kennel-details.ui");
	gtk_widget_class_bind_template_child(widget_class, KennelDetails, stack);
	gtk_widget_class_bind_template_child(widget_class, KennelDetails, machine_group);
	gtk_widget_class_bind_template_child(widget_class, KennelDetails, vcpu_group);
	gtk_widget_class_bind_template_child(widget_class, KennelDetails, device_group);
	gtk_widget_class_bind_template_child(widget_class, KennelDetails, io_group);
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void kennel_details_init(KennelDetails *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}
