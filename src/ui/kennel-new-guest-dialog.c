/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KennelNewGuestDialog: the new-guest assistant, and the guest editor.
 *
 * The demo source is one click: the demo guest's recipe runs (or finds its
 * cache at once), its progress lines drive the bar, Cancel stops the whole
 * build, and the finished guest goes straight into the store.  The other
 * two sources lead to one page of settings.  Every change rebuilds a
 * draft profile and runs the profile library's validator on it, so the
 * message under the form is the one the engine would give, and Create
 * stays insensitive until it is empty.
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kennel-config.h"
#include "kennel-new-guest-dialog.h"
#include "profile/demo-guest.h"

enum { DISK_NONE, DISK_NEW, DISK_EXISTING };
enum { NET_NONE, NET_USER, NET_ISOLATED };
enum { SOURCE_DEMO, SOURCE_KERNEL, SOURCE_FIRMWARE };

struct _KennelNewGuestDialog {
	AdwWindow parent_instance;

	KennelProfileStore *store;
	KennelProfile *editing; /* NULL: a new guest */
	GCancellable *cancellable;
	GSettings *settings;
	int source;
	char *kernel, *initrd, *firmware, *disk_file;
	gboolean valid;
	gboolean done;

	GtkButton *cancel_button;
	GtkButton *next_button;
	GtkStack *stack;
	GtkCheckButton *demo_check;
	GtkCheckButton *kernel_check;
	GtkCheckButton *firmware_check;
	AdwStatusPage *demo_page;
	GtkProgressBar *demo_progress;
	GtkLabel *demo_step;
	AdwPreferencesGroup *boot_group;
	AdwActionRow *kernel_row;
	AdwActionRow *initrd_row;
	AdwEntryRow *cmdline_row;
	AdwActionRow *firmware_row;
	GtkButton *kernel_button;
	GtkButton *initrd_button;
	GtkButton *firmware_button;
	AdwEntryRow *name_row;
	GtkAdjustment *vcpus_adjustment;
	GtkAdjustment *memory_adjustment;
	AdwPreferencesGroup *disk_group;
	AdwComboRow *disk_mode_row;
	AdwActionRow *disk_size_row;
	GtkAdjustment *disk_size_adjustment;
	AdwActionRow *disk_file_row;
	GtkButton *disk_file_button;
	AdwComboRow *network_row;
	AdwEntryRow *forwards_row;
	GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE(KennelNewGuestDialog, kennel_new_guest_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void finish(KennelNewGuestDialog *self, KennelProfile *profile)
{
	if (self->done)
		return;
	self->done = TRUE;
	g_signal_emit(self, signals[SIGNAL_DONE], 0, profile);
	gtk_window_destroy(GTK_WINDOW(self));
}

/* --- the draft: the form's fields as a profile --- */

static GStrv parse_forwards(const char *text)
{
	g_auto(GStrv) parts = g_strsplit_set(text ? text : "", ", \t", -1);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	for (guint i = 0; parts[i]; i++)
		if (*parts[i])
			g_strv_builder_add(builder, parts[i]);
	return g_strv_builder_end(builder);
}

static void apply_fields(KennelNewGuestDialog *self, KennelProfile *profile)
{
	const char *cmdline = gtk_editable_get_text(GTK_EDITABLE(self->cmdline_row));
	g_auto(GStrv) forwards =
	        parse_forwards(gtk_editable_get_text(GTK_EDITABLE(self->forwards_row)));
	static const KennelNetwork networks[] = {KENNEL_NETWORK_NONE, KENNEL_NETWORK_USER,
	                                         KENNEL_NETWORK_RESTRICT};
	guint net = adw_combo_row_get_selected(self->network_row);

	kennel_profile_set_name(profile, gtk_editable_get_text(GTK_EDITABLE(self->name_row)));
	kennel_profile_set_vcpus(profile, (guint)gtk_adjustment_get_value(self->vcpus_adjustment));
	kennel_profile_set_memory(profile,
	                          (guint64)gtk_adjustment_get_value(self->memory_adjustment) << 20);
	if (self->source == SOURCE_KERNEL) {
		kennel_profile_set_boot_method(profile, KENNEL_BOOT_DIRECT);
		kennel_profile_set_kernel(profile, self->kernel);
		kennel_profile_set_initrd(profile, self->initrd);
		kennel_profile_set_cmdline(profile, *cmdline ? cmdline : NULL);
	} else if (self->source == SOURCE_FIRMWARE) {
		kennel_profile_set_boot_method(profile, KENNEL_BOOT_FIRMWARE);
		kennel_profile_set_firmware(profile, self->firmware);
	}
	kennel_profile_set_network(profile, networks[MIN(net, G_N_ELEMENTS(networks) - 1)]);
	kennel_profile_set_forwards(profile, (const char *const *)forwards);
}

/* Checks the form with the profile library's messages; NULL if all is well. */
static char *check_form(KennelNewGuestDialog *self)
{
	g_autoptr(KennelProfile) draft = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) forwards =
	        parse_forwards(gtk_editable_get_text(GTK_EDITABLE(self->forwards_row)));
	guint disk = adw_combo_row_get_selected(self->disk_mode_row);

	/* What was just typed first: a forward the parser rejects says why. */
	for (guint i = 0; forwards[i]; i++)
		if (!kennel_profile_check_forward(forwards[i], &error))
			return g_strdup(error->message);
	if (!*gtk_editable_get_text(GTK_EDITABLE(self->name_row)))
		return g_strdup(_("Give the guest a name."));
	if (self->source == SOURCE_KERNEL && !self->kernel)
		return g_strdup(_("Choose the kernel to boot."));
	if (self->source == SOURCE_FIRMWARE && !self->firmware)
		return g_strdup(_("Choose the firmware to start."));
	if (!self->editing && disk == DISK_EXISTING && !self->disk_file)
		return g_strdup(_("Choose the disk image."));

	draft = self->editing ? kennel_profile_copy(self->editing) : kennel_profile_new("");
	apply_fields(self, draft);
	if (!self->editing && disk == DISK_EXISTING)
		kennel_profile_add_disk(draft, self->disk_file, FALSE);
	if (!kennel_profile_validate(draft, &error) || !kennel_profile_check_files(draft, &error))
		return g_strdup(error->message);
	return NULL;
}

static void revalidate(KennelNewGuestDialog *self)
{
	g_autofree char *problem = NULL;
	guint disk = adw_combo_row_get_selected(self->disk_mode_row);

	gtk_widget_set_visible(GTK_WIDGET(self->disk_size_row), disk == DISK_NEW);
	gtk_widget_set_visible(GTK_WIDGET(self->disk_file_row), disk == DISK_EXISTING);
	if (!g_str_equal(gtk_stack_get_visible_child_name(self->stack), "settings"))
		return;
	problem = check_form(self);
	self->valid = problem == NULL;
	gtk_label_set_text(self->error_label, problem ? problem : "");
	gtk_widget_set_visible(GTK_WIDGET(self->error_label), problem != NULL);
	gtk_widget_set_sensitive(GTK_WIDGET(self->next_button), self->valid);
}

static void on_changed(gpointer data)
{
	revalidate(KENNEL_NEW_GUEST_DIALOG(data));
}

/* --- files --- */

static void set_file_row(AdwActionRow *row, const char *path)
{
	g_autofree char *base = path ? g_path_get_basename(path) : NULL;

	adw_action_row_set_subtitle(row, base ? base : _("None chosen"));
	gtk_widget_set_tooltip_text(GTK_WIDGET(row), path);
}

static void on_file_chosen(GtkNativeDialog *chooser, int response, gpointer data)
{
	KennelNewGuestDialog *self = data;
	char **slot = g_object_get_data(G_OBJECT(chooser), "slot");
	AdwActionRow *row = g_object_get_data(G_OBJECT(chooser), "row");

	if (response == GTK_RESPONSE_ACCEPT) {
		g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(chooser));

		g_free(*slot);
		*slot = g_file_get_path(file);
		set_file_row(row, *slot);
		revalidate(self);
	}
	g_object_unref(chooser);
}

static void choose_file(KennelNewGuestDialog *self, const char *title, char **slot,
                        AdwActionRow *row)
{
	GtkFileChooserNative *chooser = gtk_file_chooser_native_new(
	        title, GTK_WINDOW(self), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));

	gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(chooser), TRUE);
	g_object_set_data(G_OBJECT(chooser), "slot", slot);
	g_object_set_data(G_OBJECT(chooser), "row", row);
	g_signal_connect(chooser, "response", G_CALLBACK(on_file_chosen), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

static void on_kernel_button(GtkButton *button, gpointer data)
{
	KennelNewGuestDialog *self = data;
	choose_file(self, _("Choose the Kernel"), &self->kernel, self->kernel_row);
}

static void on_initrd_button(GtkButton *button, gpointer data)
{
	KennelNewGuestDialog *self = data;
	choose_file(self, _("Choose the Initramfs"), &self->initrd, self->initrd_row);
}

static void on_firmware_button(GtkButton *button, gpointer data)
{
	KennelNewGuestDialog *self = data;
	choose_file(self, _("Choose the Firmware"), &self->firmware, self->firmware_row);
}

static void on_disk_file_button(GtkButton *button, gpointer data)
{
	KennelNewGuestDialog *self = data;
	choose_file(self, _("Choose the Disk Image"), &self->disk_file, self->disk_file_row);
}

/* --- pages --- */

static void show_settings(KennelNewGuestDialog *self)
{
	gboolean kernel = self->source == SOURCE_KERNEL;
	gboolean firmware = self->source == SOURCE_FIRMWARE;

	gtk_widget_set_visible(GTK_WIDGET(self->kernel_row), kernel);
	gtk_widget_set_visible(GTK_WIDGET(self->initrd_row), kernel);
	gtk_widget_set_visible(GTK_WIDGET(self->cmdline_row), kernel);
	gtk_widget_set_visible(GTK_WIDGET(self->firmware_row), firmware);
	gtk_widget_set_visible(GTK_WIDGET(self->disk_group), self->editing == NULL);
	if (firmware && !self->editing)
		adw_combo_row_set_selected(self->disk_mode_row, DISK_EXISTING);
	gtk_button_set_label(self->next_button, self->editing ? _("_Save") : _("C_reate"));
	gtk_stack_set_visible_child_name(self->stack, "settings");
	revalidate(self);
}

static void demo_progress(const char *line, double fraction, gpointer data)
{
	KennelNewGuestDialog *self = data;

	gtk_progress_bar_set_fraction(self->demo_progress, CLAMP(fraction, 0.0, 1.0));
	gtk_label_set_text(self->demo_step, line);
}

static void add_demo(KennelNewGuestDialog *self, const char *dir);

static void demo_built(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(KennelNewGuestDialog) self = data;
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = kennel_demo_guest_build_finish(result, &error);

	if (self->done)
		return;
	if (!dir) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			finish(self, NULL);
			return;
		}
		adw_status_page_set_title(self->demo_page, _("The Demo Guest Could Not Be Built"));
		adw_status_page_set_description(self->demo_page, error->message);
		gtk_button_set_label(self->cancel_button, _("_Close"));
		return;
	}
	add_demo(self, dir);
}

static void add_demo(KennelNewGuestDialog *self, const char *dir)
{
	g_autoptr(KennelProfile) demo = kennel_profile_new_demo(dir);
	g_autoptr(GError) error = NULL;
	KennelProfile *added = kennel_profile_store_add(self->store, demo, &error);

	if (!added) {
		adw_status_page_set_title(self->demo_page, _("The Demo Guest Could Not Be Saved"));
		adw_status_page_set_description(self->demo_page, error->message);
		gtk_button_set_label(self->cancel_button, _("_Close"));
		return;
	}
	finish(self, added);
}

void kennel_new_guest_dialog_create_demo(KennelNewGuestDialog *self)
{
	g_autofree char *dir = NULL;

	g_return_if_fail(KENNEL_IS_NEW_GUEST_DIALOG(self));
	gtk_widget_set_visible(GTK_WIDGET(self->next_button), FALSE);
	gtk_stack_set_visible_child_name(self->stack, "demo");
	gtk_progress_bar_set_fraction(self->demo_progress, 0);
	/* Already built (or named by $KENNEL_DEMO_GUEST_DIR): no need to run the recipe. */
	dir = kennel_demo_guest_get_dir(NULL);
	if (dir && kennel_demo_guest_is_built(dir)) {
		add_demo(self, dir);
		return;
	}
	kennel_demo_guest_build_async(self->cancellable, demo_progress, g_object_ref(self),
	                              g_object_unref, demo_built, g_object_ref(self));
}

static gboolean create_guest(KennelNewGuestDialog *self, GError **error)
{
	g_autoptr(KennelProfile) profile = kennel_profile_new("");
	g_autofree char *disk_path = NULL;
	guint disk = adw_combo_row_get_selected(self->disk_mode_row);
	KennelProfile *added;

	apply_fields(self, profile);
	if (disk == DISK_NEW) {
		guint64 size = (guint64)gtk_adjustment_get_value(self->disk_size_adjustment) << 30;

		/* Sparse, in the store's disks directory, written relative to the data dir. */
		disk_path = kennel_profile_store_create_disk(
		        self->store, kennel_profile_get_name(profile), size, error);
		if (!disk_path)
			return FALSE;
		kennel_profile_add_disk(profile, disk_path, FALSE);
	} else if (disk == DISK_EXISTING) {
		kennel_profile_add_disk(profile, self->disk_file, FALSE);
	}
	added = kennel_profile_store_add(self->store, profile, error);
	if (!added) {
		if (disk_path) {
			g_autofree char *full = g_build_filename(
			        kennel_profile_store_get_data_dir(self->store), disk_path, NULL);

			g_unlink(g_path_is_absolute(disk_path) ? disk_path : full);
		}
		return FALSE;
	}
	finish(self, added);
	return TRUE;
}

static void on_next(GtkButton *button, gpointer data)
{
	KennelNewGuestDialog *self = data;
	const char *page = gtk_stack_get_visible_child_name(self->stack);
	g_autoptr(GError) error = NULL;

	if (g_str_equal(page, "source")) {
		if (gtk_check_button_get_active(self->demo_check)) {
			kennel_new_guest_dialog_create_demo(self);
			return;
		}
		self->source = gtk_check_button_get_active(self->kernel_check) ? SOURCE_KERNEL
		                                                               : SOURCE_FIRMWARE;
		show_settings(self);
		return;
	}
	revalidate(self);
	if (!self->valid)
		return;
	if (self->editing) {
		g_autoptr(KennelProfile) edited = kennel_profile_copy(self->editing);

		/* All of it or nothing: the guest keeps its settings if this fails. */
		apply_fields(self, edited);
		if (!kennel_profile_store_update(self->store, self->editing, edited, &error)) {
			gtk_label_set_text(self->error_label, error->message);
			gtk_widget_set_visible(GTK_WIDGET(self->error_label), TRUE);
			return;
		}
		finish(self, self->editing);
		return;
	}
	if (!create_guest(self, &error)) {
		gtk_label_set_text(self->error_label, error->message);
		gtk_widget_set_visible(GTK_WIDGET(self->error_label), TRUE);
	}
}

static void on_cancel(GtkButton *button, gpointer data)
{
	KennelNewGuestDialog *self = data;

	/* Stops a demo build too (its whole process group). */
	g_cancellable_cancel(self->cancellable);
	finish(self, NULL);
}

static gboolean kennel_new_guest_dialog_close_request(GtkWindow *window)
{
	KennelNewGuestDialog *self = KENNEL_NEW_GUEST_DIALOG(window);

	g_cancellable_cancel(self->cancellable);
	if (!self->done) {
		self->done = TRUE;
		g_signal_emit(self, signals[SIGNAL_DONE], 0, NULL);
	}
	return GTK_WINDOW_CLASS(kennel_new_guest_dialog_parent_class)->close_request(window);
}

/* --- construction --- */

static void fill_defaults(KennelNewGuestDialog *self)
{
	gtk_adjustment_set_value(self->vcpus_adjustment,
	                         g_settings_get_uint(self->settings, "default-vcpus"));
	gtk_adjustment_set_value(self->memory_adjustment,
	                         g_settings_get_uint(self->settings, "default-memory-mib"));
	gtk_editable_set_text(GTK_EDITABLE(self->name_row), _("New Guest"));
	adw_combo_row_set_selected(self->network_row, NET_USER);
	set_file_row(self->kernel_row, NULL);
	set_file_row(self->initrd_row, NULL);
	set_file_row(self->firmware_row, NULL);
	set_file_row(self->disk_file_row, NULL);
}

static void fill_from(KennelNewGuestDialog *self, KennelProfile *profile)
{
	const char *const *forwards = kennel_profile_get_forwards(profile);
	g_autofree char *joined = forwards ? g_strjoinv(", ", (char **)forwards) : NULL;
	KennelNetwork network = kennel_profile_get_network(profile);

	gtk_editable_set_text(GTK_EDITABLE(self->name_row), kennel_profile_get_name(profile));
	gtk_adjustment_set_value(self->vcpus_adjustment, kennel_profile_get_vcpus(profile));
	gtk_adjustment_set_value(self->memory_adjustment,
	                         (double)(kennel_profile_get_memory(profile) >> 20));
	self->source = kennel_profile_get_boot_method(profile) == KENNEL_BOOT_FIRMWARE
	                       ? SOURCE_FIRMWARE
	                       : SOURCE_KERNEL;
	self->kernel = g_strdup(kennel_profile_get_kernel(profile));
	self->initrd = g_strdup(kennel_profile_get_initrd(profile));
	self->firmware = g_strdup(kennel_profile_get_firmware(profile));
	set_file_row(self->kernel_row, self->kernel);
	set_file_row(self->initrd_row, self->initrd);
	set_file_row(self->firmware_row, self->firmware);
	gtk_editable_set_text(
	        GTK_EDITABLE(self->cmdline_row),
	        kennel_profile_get_cmdline(profile) ? kennel_profile_get_cmdline(profile) : "");
	adw_combo_row_set_selected(self->network_row, network == KENNEL_NETWORK_USER ? NET_USER
	                                              : network == KENNEL_NETWORK_RESTRICT
	                                                      ? NET_ISOLATED
	                                                      : NET_NONE);
	gtk_editable_set_text(GTK_EDITABLE(self->forwards_row), joined ? joined : "");
}

KennelNewGuestDialog *kennel_new_guest_dialog_new(KennelProfileStore *store)
{
	KennelNewGuestDialog *self = g_object_new(KENNEL_TYPE_NEW_GUEST_DIALOG, NULL);

	self->store = g_object_ref(store);
	fill_defaults(self);
	return self;
}

KennelNewGuestDialog *kennel_new_guest_dialog_new_edit(KennelProfileStore *store,
                                                       KennelProfile *profile)
{
	KennelNewGuestDialog *self = g_object_new(KENNEL_TYPE_NEW_GUEST_DIALOG, NULL);

	self->store = g_object_ref(store);
	self->editing = g_object_ref(profile);
	gtk_window_set_title(GTK_WINDOW(self), _("Edit Guest"));
	fill_defaults(self);
	fill_from(self, profile);
	show_settings(self);
	return self;
}

static void kennel_new_guest_dialog_dispose(GObject *object)
{
	KennelNewGuestDialog *self = KENNEL_NEW_GUEST_DIALOG(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->store);
	g_clear_object(&self->editing);
	g_clear_object(&self->settings);
	g_clear_pointer(&self->kernel, g_free);
	g_clear_pointer(&self->initrd, g_free);
	g_clear_pointer(&self->firmware, g_free);
	g_clear_pointer(&self->disk_file, g_free);
	G_OBJECT_CLASS(kennel_new_guest_dialog_parent_class)->dispose(object);
}

static void kennel_new_guest_dialog_class_init(KennelNewGuestDialogClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	GtkWindowClass *window_class = GTK_WINDOW_CLASS(klass);

	object_class->dispose = kennel_new_guest_dialog_dispose;
	window_class->close_request = kennel_new_guest_dialog_close_request;

	signals[SIGNAL_DONE] = g_signal_new("done", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
	                                    NULL, NULL, NULL, G_TYPE_NONE, 1, KENNEL_TYPE_PROFILE);

	gtk_widget_class_set_template_from_resource(
	        widget_class, "/org/kennel/Kennel/kennel-new-guest-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, KennelNewGuestDialog, name)
	BIND(cancel_button);
	BIND(next_button);
	BIND(stack);
	BIND(demo_check);
	BIND(kernel_check);
	BIND(firmware_check);
	BIND(demo_page);
	BIND(demo_progress);
	BIND(demo_step);
	BIND(boot_group);
	BIND(kernel_row);
	BIND(initrd_row);
	BIND(cmdline_row);
	BIND(firmware_row);
	BIND(kernel_button);
	BIND(initrd_button);
	BIND(firmware_button);
	BIND(name_row);
	BIND(vcpus_adjustment);
	BIND(memory_adjustment);
	BIND(disk_group);
	BIND(disk_mode_row);
	BIND(disk_size_row);
	BIND(disk_size_adjustment);
	BIND(disk_file_row);
	BIND(disk_file_button);
	BIND(network_row);
	BIND(forwards_row);
	BIND(error_label);
#undef BIND
	gtk_widget_class_add_binding_action(widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void kennel_new_guest_dialog_init(KennelNewGuestDialog *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->cancellable = g_cancellable_new();
	self->settings = g_settings_new(APP_ID);

	g_signal_connect(self->next_button, "clicked", G_CALLBACK(on_next), self);
	g_signal_connect(self->cancel_button, "clicked", G_CALLBACK(on_cancel), self);
	g_signal_connect(self->kernel_button, "clicked", G_CALLBACK(on_kernel_button), self);
	g_signal_connect(self->initrd_button, "clicked", G_CALLBACK(on_initrd_button), self);
	g_signal_connect(self->firmware_button, "clicked", G_CALLBACK(on_firmware_button), self);
	g_signal_connect(self->disk_file_button, "clicked", G_CALLBACK(on_disk_file_button), self);
	g_signal_connect_swapped(self->name_row, "changed", G_CALLBACK(on_changed), self);
	g_signal_connect_swapped(self->cmdline_row, "changed", G_CALLBACK(on_changed), self);
	g_signal_connect_swapped(self->forwards_row, "changed", G_CALLBACK(on_changed), self);
	g_signal_connect_swapped(self->vcpus_adjustment, "value-changed", G_CALLBACK(on_changed),
	                         self);
	g_signal_connect_swapped(self->memory_adjustment, "value-changed", G_CALLBACK(on_changed),
	                         self);
	g_signal_connect_swapped(self->disk_mode_row, "notify::selected", G_CALLBACK(on_changed),
	                         self);
	g_signal_connect_swapped(self->network_row, "notify::selected", G_CALLBACK(on_changed),
	                         self);
}
