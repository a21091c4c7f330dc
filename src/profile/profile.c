// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest profiles: the one parser of a guest's key file.
 *
 * A profile's journey: a file on disk is read into a GKeyFile, which we
 * keep (comments and keys we do not know survive that way).  Each known key
 * is read and checked for its type (parse_*), then the whole profile is
 * checked for ranges and combinations (check_properties) -- the same
 * function that validates a profile the app has edited.  Saving starts from
 * the kept GKeyFile, overwrites the keys we know, and writes the text
 * atomically.  The engine turns a profile into its own command line
 * (kennel_profile_to_engine_args), so that options given after it win.
 */
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "profile-private.h"

#define FORMAT_VERSION 1

G_DEFINE_QUARK(kennel - profile - error - quark, kennel_profile_error)

G_DEFINE_ENUM_TYPE(KennelAccelerator, kennel_accelerator,
                   G_DEFINE_ENUM_VALUE(KENNEL_ACCELERATOR_AUTO, "auto"),
                   G_DEFINE_ENUM_VALUE(KENNEL_ACCELERATOR_EMULATE, "emulate"))
G_DEFINE_ENUM_TYPE(KennelBootMethod, kennel_boot_method,
                   G_DEFINE_ENUM_VALUE(KENNEL_BOOT_DIRECT, "direct"),
                   G_DEFINE_ENUM_VALUE(KENNEL_BOOT_FIRMWARE, "firmware"))
G_DEFINE_ENUM_TYPE(KennelNetwork, kennel_network, G_DEFINE_ENUM_VALUE(KENNEL_NETWORK_NONE, "none"),
                   G_DEFINE_ENUM_VALUE(KENNEL_NETWORK_USER, "user"),
                   G_DEFINE_ENUM_VALUE(KENNEL_NETWORK_RESTRICT, "restrict"))
G_DEFINE_ENUM_TYPE(KennelConsole, kennel_console, G_DEFINE_ENUM_VALUE(KENNEL_CONSOLE_PTY, "pty"),
                   G_DEFINE_ENUM_VALUE(KENNEL_CONSOLE_NONE, "none"))

/* The groups and keys this version knows; anything else is kept as is. */
static const char *const guest_keys[] = {
        "version", "id",      "name",  "architecture", "accelerator", "vcpus", "memory",
        "display", "console", "notes", "created",      "last-run",    NULL,
};
static const char *const boot_keys[] = {"method", "kernel", "initrd", "cmdline", "firmware", NULL};
static const char *const network_keys[] = {"mode", "forwards", NULL};
static const char *const disk_keys[] = {"file", "read-only", "serial", NULL};

/* g_set_str() arrived in GLib 2.76; we build against 2.74. */
static gboolean set_str(char **field, const char *value)
{
	char *copy;

	if (g_strcmp0(*field, value) == 0)
		return FALSE;
	copy = g_strdup(value);
	g_free(*field);
	*field = copy;
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* KennelProfileDisk                                                         */

struct _KennelProfileDisk {
	GObject parent_instance;
	char *file;
	gboolean read_only;
	char *serial;
	GPtrArray *extra; /* unknown keys of its group: key, value, key, value... */
};

G_DEFINE_FINAL_TYPE(KennelProfileDisk, kennel_profile_disk, G_TYPE_OBJECT)

enum {
	DISK_PROP_0,
	DISK_PROP_FILE,
	DISK_PROP_READ_ONLY,
	DISK_PROP_SERIAL,
	DISK_N_PROPS,
};
static GParamSpec *disk_props[DISK_N_PROPS];

static void kennel_profile_disk_finalize(GObject *object)
{
	KennelProfileDisk *self = KENNEL_PROFILE_DISK(object);

	g_free(self->file);
	g_free(self->serial);
	g_ptr_array_unref(self->extra);
	G_OBJECT_CLASS(kennel_profile_disk_parent_class)->finalize(object);
}

static void kennel_profile_disk_get_property(GObject *object, guint id, GValue *value,
                                             GParamSpec *pspec)
{
	KennelProfileDisk *self = KENNEL_PROFILE_DISK(object);

	switch (id) {
	case DISK_PROP_FILE: g_value_set_string(value, self->file); break;
	case DISK_PROP_READ_ONLY: g_value_set_boolean(value, self->read_only); break;
	case DISK_PROP_SERIAL: g_value_set_string(value, self->serial); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void kennel_profile_disk_set_property(GObject *object, guint id, const GValue *value,
                                             GParamSpec *pspec)
{
	KennelProfileDisk *self = KENNEL_PROFILE_DISK(object);

	switch (id) {
	case DISK_PROP_FILE: kennel_profile_disk_set_file(self, g_value_get_string(value)); break;
	case DISK_PROP_READ_ONLY:
		kennel_profile_disk_set_read_only(self, g_value_get_boolean(value));
		break;
	case DISK_PROP_SERIAL:
		kennel_profile_disk_set_serial(self, g_value_get_string(value));
		break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void kennel_profile_disk_class_init(KennelProfileDiskClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = kennel_profile_disk_finalize;
	object_class->get_property = kennel_profile_disk_get_property;
	object_class->set_property = kennel_profile_disk_set_property;
	disk_props[DISK_PROP_FILE] = g_param_spec_string(
	        "file", NULL, NULL, NULL,
	        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	disk_props[DISK_PROP_READ_ONLY] = g_param_spec_boolean(
	        "read-only", NULL, NULL, FALSE,
	        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	disk_props[DISK_PROP_SERIAL] = g_param_spec_string(
	        "serial", NULL, NULL, NULL,
	        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, DISK_N_PROPS, disk_props);
}

static void kennel_profile_disk_init(KennelProfileDisk *self)
{
	self->extra = g_ptr_array_new_with_free_func(g_free);
}

KennelProfileDisk *kennel_profile_disk_new(const char *file, gboolean read_only)
{
	KennelProfileDisk *self = g_object_new(KENNEL_TYPE_PROFILE_DISK, NULL);

	self->file = g_strdup(file);
	self->read_only = read_only;
	return self;
}

const char *kennel_profile_disk_get_file(KennelProfileDisk *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_DISK(self), NULL);
	return self->file;
}

void kennel_profile_disk_set_file(KennelProfileDisk *self, const char *file)
{
	g_return_if_fail(KENNEL_IS_PROFILE_DISK(self));
	if (set_str(&self->file, file))
		g_object_notify_by_pspec(G_OBJECT(self), disk_props[DISK_PROP_FILE]);
}

gboolean kennel_profile_disk_get_read_only(KennelProfileDisk *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_DISK(self), FALSE);
	return self->read_only;
}

void kennel_profile_disk_set_read_only(KennelProfileDisk *self, gboolean read_only)
{
	g_return_if_fail(KENNEL_IS_PROFILE_DISK(self));
	read_only = !!read_only;
	if (self->read_only == read_only)
		return;
	self->read_only = read_only;
	g_object_notify_by_pspec(G_OBJECT(self), disk_props[DISK_PROP_READ_ONLY]);
}

const char *kennel_profile_disk_get_serial(KennelProfileDisk *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE_DISK(self), NULL);
	return self->serial;
}

void kennel_profile_disk_set_serial(KennelProfileDisk *self, const char *serial)
{
	g_return_if_fail(KENNEL_IS_PROFILE_DISK(self));
	if (serial && !*serial)
		serial = NULL;
	if (set_str(&self->serial, serial))
		g_object_notify_by_pspec(G_OBJECT(self), disk_props[DISK_PROP_SERIAL]);
}

static KennelProfileDisk *disk_copy(KennelProfileDisk *disk)
{
	KennelProfileDisk *copy = kennel_profile_disk_new(disk->file, disk->read_only);

	copy->serial = g_strdup(disk->serial);
	for (guint i = 0; i < disk->extra->len; i++)
		g_ptr_array_add(copy->extra, g_strdup(disk->extra->pdata[i]));
	return copy;
}

/* ------------------------------------------------------------------------ */
/* KennelProfile                                                             */

struct _KennelProfile {
	GObject parent_instance;

	char *id, *name, *architecture;
	KennelAccelerator accelerator;
	guint vcpus;
	guint64 memory;
	KennelBootMethod boot_method;
	char *kernel, *initrd, *cmdline, *firmware;
	KennelNetwork network;
	GStrv forwards;
	gboolean display_enabled;
	guint display_width, display_height;
	KennelConsole console;
	char *notes;
	GDateTime *created, *last_run;
	GListStore *disks;

	char *path, *data_dir;
	GKeyFile *original; /* as loaded: comments and unknown keys, or NULL */
	guint loaded_version;
	GPtrArray *warnings; /* of GError */
};

G_DEFINE_FINAL_TYPE(KennelProfile, kennel_profile, G_TYPE_OBJECT)

enum {
	PROP_0,
	PROP_ID,
	PROP_NAME,
	PROP_ARCHITECTURE,
	PROP_ACCELERATOR,
	PROP_VCPUS,
	PROP_MEMORY,
	PROP_BOOT_METHOD,
	PROP_KERNEL,
	PROP_INITRD,
	PROP_CMDLINE,
	PROP_FIRMWARE,
	PROP_NETWORK,
	PROP_FORWARDS,
	PROP_DISPLAY_ENABLED,
	PROP_DISPLAY_WIDTH,
	PROP_DISPLAY_HEIGHT,
	PROP_CONSOLE,
	PROP_NOTES,
	PROP_CREATED,
	PROP_LAST_RUN,
	PROP_PATH,
	PROP_DATA_DIR,
	N_PROPS,
};
static GParamSpec *props[N_PROPS];

static void notify(KennelProfile *self, guint prop)
{
	g_object_notify_by_pspec(G_OBJECT(self), props[prop]);
}

static void set_string_prop(KennelProfile *self, char **field, const char *value, guint prop)
{
	if (value && !*value)
		value = NULL; /* "" and NULL both mean unset */
	if (set_str(field, value))
		notify(self, prop);
}

static void kennel_profile_finalize(GObject *object)
{
	KennelProfile *self = KENNEL_PROFILE(object);

	g_free(self->id);
	g_free(self->name);
	g_free(self->architecture);
	g_free(self->kernel);
	g_free(self->initrd);
	g_free(self->cmdline);
	g_free(self->firmware);
	g_strfreev(self->forwards);
	g_free(self->notes);
	g_clear_pointer(&self->created, g_date_time_unref);
	g_clear_pointer(&self->last_run, g_date_time_unref);
	g_object_unref(self->disks);
	g_free(self->path);
	g_free(self->data_dir);
	g_clear_pointer(&self->original, g_key_file_unref);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(kennel_profile_parent_class)->finalize(object);
}

static void kennel_profile_get_property(GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
	KennelProfile *self = KENNEL_PROFILE(object);

	switch (id) {
	case PROP_ID: g_value_set_string(value, self->id); break;
	case PROP_NAME: g_value_set_string(value, self->name); break;
	case PROP_ARCHITECTURE: g_value_set_string(value, self->architecture); break;
	case PROP_ACCELERATOR: g_value_set_enum(value, self->accelerator); break;
	case PROP_VCPUS: g_value_set_uint(value, self->vcpus); break;
	case PROP_MEMORY: g_value_set_uint64(value, self->memory); break;
	case PROP_BOOT_METHOD: g_value_set_enum(value, self->boot_method); break;
	case PROP_KERNEL: g_value_set_string(value, self->kernel); break;
	case PROP_INITRD: g_value_set_string(value, self->initrd); break;
	case PROP_CMDLINE: g_value_set_string(value, self->cmdline); break;
	case PROP_FIRMWARE: g_value_set_string(value, self->firmware); break;
	case PROP_NETWORK: g_value_set_enum(value, self->network); break;
	case PROP_FORWARDS: g_value_set_boxed(value, self->forwards); break;
	case PROP_DISPLAY_ENABLED: g_value_set_boolean(value, self->display_enabled); break;
	case PROP_DISPLAY_WIDTH: g_value_set_uint(value, self->display_width); break;
	case PROP_DISPLAY_HEIGHT: g_value_set_uint(value, self->display_height); break;
	case PROP_CONSOLE: g_value_set_enum(value, self->console); break;
	case PROP_NOTES: g_value_set_string(value, self->notes); break;
	case PROP_CREATED: g_value_set_boxed(value, self->created); break;
	case PROP_LAST_RUN: g_value_set_boxed(value, self->last_run); break;
	case PROP_PATH: g_value_set_string(value, self->path); break;
	case PROP_DATA_DIR: g_value_set_string(value, self->data_dir); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void kennel_profile_set_property(GObject *object, guint id, const GValue *value,
                                        GParamSpec *pspec)
{
	KennelProfile *self = KENNEL_PROFILE(object);

	switch (id) {
	case PROP_ID: kennel_profile_set_id(self, g_value_get_string(value)); break;
	case PROP_NAME: kennel_profile_set_name(self, g_value_get_string(value)); break;
	case PROP_ACCELERATOR: kennel_profile_set_accelerator(self, g_value_get_enum(value)); break;
	case PROP_VCPUS: kennel_profile_set_vcpus(self, g_value_get_uint(value)); break;
	case PROP_MEMORY: kennel_profile_set_memory(self, g_value_get_uint64(value)); break;
	case PROP_BOOT_METHOD: kennel_profile_set_boot_method(self, g_value_get_enum(value)); break;
	case PROP_KERNEL: kennel_profile_set_kernel(self, g_value_get_string(value)); break;
	case PROP_INITRD: kennel_profile_set_initrd(self, g_value_get_string(value)); break;
	case PROP_CMDLINE: kennel_profile_set_cmdline(self, g_value_get_string(value)); break;
	case PROP_FIRMWARE: kennel_profile_set_firmware(self, g_value_get_string(value)); break;
	case PROP_NETWORK: kennel_profile_set_network(self, g_value_get_enum(value)); break;
	case PROP_FORWARDS: kennel_profile_set_forwards(self, g_value_get_boxed(value)); break;
	case PROP_DISPLAY_ENABLED:
		kennel_profile_set_display(self, g_value_get_boolean(value), self->display_width,
		                           self->display_height);
		break;
	case PROP_DISPLAY_WIDTH:
		kennel_profile_set_display(self, self->display_enabled, g_value_get_uint(value),
		                           self->display_height);
		break;
	case PROP_DISPLAY_HEIGHT:
		kennel_profile_set_display(self, self->display_enabled, self->display_width,
		                           g_value_get_uint(value));
		break;
	case PROP_CONSOLE: kennel_profile_set_console(self, g_value_get_enum(value)); break;
	case PROP_NOTES: kennel_profile_set_notes(self, g_value_get_string(value)); break;
	case PROP_CREATED: kennel_profile_set_created(self, g_value_get_boxed(value)); break;
	case PROP_LAST_RUN: kennel_profile_set_last_run(self, g_value_get_boxed(value)); break;
	case PROP_DATA_DIR: kennel_profile_set_data_dir(self, g_value_get_string(value)); break;
	default: G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void kennel_profile_class_init(KennelProfileClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
	const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

	object_class->finalize = kennel_profile_finalize;
	object_class->get_property = kennel_profile_get_property;
	object_class->set_property = kennel_profile_set_property;

	props[PROP_ID] = g_param_spec_string("id", NULL, NULL, NULL, rw);
	props[PROP_NAME] = g_param_spec_string("name", NULL, NULL, NULL, rw);
	props[PROP_ARCHITECTURE] = g_param_spec_string("architecture", NULL, NULL, "riscv64", ro);
	props[PROP_ACCELERATOR] = g_param_spec_enum(
	        "accelerator", NULL, NULL, KENNEL_TYPE_ACCELERATOR, KENNEL_ACCELERATOR_AUTO, rw);
	props[PROP_VCPUS] =
	        g_param_spec_uint("vcpus", NULL, NULL, 1, KENNEL_PROFILE_VCPUS_MAX, 1, rw);
	props[PROP_MEMORY] =
	        g_param_spec_uint64("memory", NULL, NULL, KENNEL_PROFILE_MEMORY_MIN,
	                            KENNEL_PROFILE_MEMORY_MAX, KENNEL_PROFILE_MEMORY_DEFAULT, rw);
	props[PROP_BOOT_METHOD] = g_param_spec_enum(
	        "boot-method", NULL, NULL, KENNEL_TYPE_BOOT_METHOD, KENNEL_BOOT_DIRECT, rw);
	props[PROP_KERNEL] = g_param_spec_string("kernel", NULL, NULL, NULL, rw);
	props[PROP_INITRD] = g_param_spec_string("initrd", NULL, NULL, NULL, rw);
	props[PROP_CMDLINE] = g_param_spec_string("cmdline", NULL, NULL, NULL, rw);
	props[PROP_FIRMWARE] = g_param_spec_string("firmware", NULL, NULL, NULL, rw);
	props[PROP_NETWORK] = g_param_spec_enum("network", NULL, NULL, KENNEL_TYPE_NETWORK,
	                                        KENNEL_NETWORK_NONE, rw);
	props[PROP_FORWARDS] = g_param_spec_boxed("forwards", NULL, NULL, G_TYPE_STRV, rw);
	props[PROP_DISPLAY_ENABLED] = g_param_spec_boolean("display-enabled", NULL, NULL, TRUE, rw);
	props[PROP_DISPLAY_WIDTH] = g_param_spec_uint("display-width", NULL, NULL, 0,
	                                              KENNEL_PROFILE_DISPLAY_MAX, 0, rw);
	props[PROP_DISPLAY_HEIGHT] = g_param_spec_uint("display-height", NULL, NULL, 0,
	                                               KENNEL_PROFILE_DISPLAY_MAX, 0, rw);
	props[PROP_CONSOLE] = g_param_spec_enum("console", NULL, NULL, KENNEL_TYPE_CONSOLE,
	                                        KENNEL_CONSOLE_PTY, rw);
	props[PROP_NOTES] = g_param_spec_string("notes", NULL, NULL, NULL, rw);
	props[PROP_CREATED] = g_param_spec_boxed("created", NULL, NULL, G_TYPE_DATE_TIME, rw);
	props[PROP_LAST_RUN] = g_param_spec_boxed("last-run", NULL, NULL, G_TYPE_DATE_TIME, rw);
	props[PROP_PATH] = g_param_spec_string("path", NULL, NULL, NULL, ro);
	props[PROP_DATA_DIR] = g_param_spec_string("data-dir", NULL, NULL, NULL, rw);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void kennel_profile_init(KennelProfile *self)
{
	self->architecture = g_strdup("riscv64");
	self->accelerator = KENNEL_ACCELERATOR_AUTO;
	self->vcpus = 1;
	self->memory = KENNEL_PROFILE_MEMORY_DEFAULT;
	self->boot_method = KENNEL_BOOT_DIRECT;
	self->network = KENNEL_NETWORK_NONE;
	self->display_enabled = TRUE;
	self->console = KENNEL_CONSOLE_PTY;
	self->disks = g_list_store_new(KENNEL_TYPE_PROFILE_DISK);
	self->data_dir = kennel_profile_default_data_dir();
	self->warnings = g_ptr_array_new_with_free_func((GDestroyNotify)g_error_free);
}

KennelProfile *kennel_profile_new(const char *name)
{
	KennelProfile *self = g_object_new(KENNEL_TYPE_PROFILE, NULL);

	self->name = g_strdup(name);
	return self;
}

/* ------------------------------------------------------------------------ */
/* Sizes, forwards, paths                                                    */

/* 0, -EINVAL (not a size) or -ERANGE (does not fit in 64 bits). */
static int parse_size(const char *text, guint64 *bytes)
{
	static const char letters[] = "KMGTP";
	guint64 number;
	const char *suffix;
	char *end;
	guint shift = 20; /* a plain number is MiB, as with --mem */

	if (!g_ascii_isdigit(text[0]))
		return -EINVAL;
	errno = 0;
	number = g_ascii_strtoull(text, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	suffix = end;
	if (*suffix) {
		const char *letter = strchr(letters, g_ascii_toupper(*suffix));

		if (g_ascii_strcasecmp(suffix, "B") == 0) {
			shift = 0;
		} else if (!letter || !*letter ||
		           (suffix[1] && g_ascii_strcasecmp(suffix + 1, "B") != 0 &&
		            g_ascii_strcasecmp(suffix + 1, "iB") != 0)) {
			return -EINVAL;
		} else {
			shift = 10 * (guint)(letter - letters + 1);
		}
	}
	if (shift && number > (G_MAXUINT64 >> shift))
		return -ERANGE;
	*bytes = number << shift;
	return 0;
}

gboolean kennel_profile_parse_size(const char *text, guint64 *bytes)
{
	return parse_size(text, bytes) == 0;
}

char *kennel_profile_format_size(guint64 bytes)
{
	static const char letters[] = "KMGTP";
	int i = -1;

	while (i < 4 && bytes != 0 && bytes % 1024 == 0) {
		bytes /= 1024;
		i++;
	}
	if (i < 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT "B", bytes);
	return g_strdup_printf("%" G_GUINT64_FORMAT "%c", bytes, letters[i]);
}

static gboolean parse_port(const char *text, guint *port)
{
	guint64 n;

	if (!g_ascii_string_to_unsigned(text, 10, 1, 65535, &n, NULL))
		return FALSE;
	*port = (guint)n;
	return TRUE;
}

/* tcp|udp:[HOSTADDR]:HOSTPORT-:GUESTPORT; on success the parts. */
static gboolean split_forward(const char *forward, char **proto, guint *host_port,
                              guint *guest_port, char **why)
{
	g_auto(GStrv) sides = NULL;
	const char *host, *colon;
	g_autofree char *addr = NULL;

	if (!g_str_has_prefix(forward, "tcp:") && !g_str_has_prefix(forward, "udp:")) {
		*why = g_strdup("does not start with tcp: or udp:");
		return FALSE;
	}
	sides = g_strsplit(forward + 4, "-", 2);
	if (g_strv_length(sides) != 2 || sides[1][0] != ':') {
		*why = g_strdup("is not PROTO:[HOSTADDR]:HOSTPORT-:GUESTPORT");
		return FALSE;
	}
	host = sides[0];
	colon = strrchr(host, ':');
	if (!colon) {
		*why = g_strdup("is not PROTO:[HOSTADDR]:HOSTPORT-:GUESTPORT (no ':' before the "
		                "host port)");
		return FALSE;
	}
	addr = g_strndup(host, (gsize)(colon - host));
	if (*addr) {
		g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(addr);

		if (!inet || g_inet_address_get_family(inet) != G_SOCKET_FAMILY_IPV4) {
			*why = g_strdup_printf("host address '%s' is not an IPv4 address", addr);
			return FALSE;
		}
	}
	if (!parse_port(colon + 1, host_port)) {
		*why = g_strdup_printf("host port '%s' is not a port (1 to 65535)", colon + 1);
		return FALSE;
	}
	if (!parse_port(sides[1] + 1, guest_port)) {
		*why = g_strdup_printf("guest port '%s' is not a port (1 to 65535)", sides[1] + 1);
		return FALSE;
	}
	if (proto)
		*proto = g_strndup(forward, 3);
	return TRUE;
}

gboolean kennel_profile_check_forward(const char *forward, GError **error)
{
	g_autofree char *why = NULL;
	guint host_port, guest_port;

	if (split_forward(forward, NULL, &host_port, &guest_port, &why))
		return TRUE;
	g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_INVALID_VALUE, "'%s' %s",
	            forward, why);
	return FALSE;
}

char *kennel_profile_default_data_dir(void)
{
	return g_build_filename(g_get_user_data_dir(), "kennel", NULL);
}

char *kennel_profile_default_config_dir(void)
{
	return g_build_filename(g_get_user_config_dir(), "kennel", "guests", NULL);
}

char *kennel_profile_resolve_path(KennelProfile *self, const char *path)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	if (!path)
		return NULL;
	if (g_path_is_absolute(path))
		return g_strdup(path);
	return g_build_filename(self->data_dir, path, NULL);
}

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

/* "FILE: [Group] key: what is wrong" -- the shape of every message. */
static GError *make_error(const char *source, const char *group, const char *key, gint code,
                          const char *fmt, va_list ap) G_GNUC_PRINTF(5, 0);

static GError *make_error(const char *source, const char *group, const char *key, gint code,
                          const char *fmt, va_list ap)
{
	g_autofree char *what = g_strdup_vprintf(fmt, ap);

	if (group && key)
		return g_error_new(KENNEL_PROFILE_ERROR, code, "%s: [%s] %s: %s", source, group,
		                   key, what);
	if (group)
		return g_error_new(KENNEL_PROFILE_ERROR, code, "%s: [%s]: %s", source, group, what);
	return g_error_new(KENNEL_PROFILE_ERROR, code, "%s: %s", source, what);
}

static gboolean fail(GError **error, const char *source, const char *group, const char *key,
                     gint code, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

static gboolean fail(GError **error, const char *source, const char *group, const char *key,
                     gint code, const char *fmt, ...)
{
	va_list ap;
	GError *e;

	va_start(ap, fmt);
	e = make_error(source, group, key, code, fmt, ap);
	va_end(ap);
	g_propagate_error(error, e);
	return FALSE;
}

static void warn(KennelProfile *self, const char *source, const char *group, const char *key,
                 const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void warn(KennelProfile *self, const char *source, const char *group, const char *key,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(self->warnings,
	                make_error(source, group, key, KENNEL_PROFILE_ERROR_UNKNOWN_KEY, fmt, ap));
	va_end(ap);
}

/* What a profile is called in messages before it has a file. */
static char *source_of(KennelProfile *self)
{
	if (self->path)
		return g_strdup(self->path);
	if (self->name)
		return g_strdup_printf("guest '%s'", self->name);
	return g_strdup("new guest");
}

/* ------------------------------------------------------------------------ */
/* Checks of the properties: ranges and combinations                         */

static gboolean id_is_valid(const char *id)
{
	if (!id[0] || id[0] == '.' || strlen(id) > 128)
		return FALSE;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return FALSE;
	return TRUE;
}

/* What virtio-blk's ID can hold and --disk ...,serial=ID can carry. */
static gboolean serial_is_valid(const char *serial)
{
	if (strlen(serial) > KENNEL_PROFILE_DISK_SERIAL_MAX)
		return FALSE;
	for (const char *p = serial; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == ',')
			return FALSE;
	return TRUE;
}

static gboolean check_properties(KennelProfile *self, const char *source, GError **error)
{
	g_autofree char *size = NULL;
	g_autofree char *least = NULL;
	g_autofree char *most = NULL;
	guint n_disks;

	if (!self->id)
		return fail(error, source, "Guest", "id", KENNEL_PROFILE_ERROR_MISSING_KEY,
		            "missing: every guest has an id (the file name without .ini)");
	if (!id_is_valid(self->id))
		return fail(error, source, "Guest", "id", KENNEL_PROFILE_ERROR_INVALID_VALUE,
		            "'%s' is not an id: letters, digits, '-', '_' and '.', not first",
		            self->id);
	if (!self->name || !*self->name)
		return fail(error, source, "Guest", "name", KENNEL_PROFILE_ERROR_MISSING_KEY,
		            "missing: every guest has a name");
	if (self->vcpus < 1 || self->vcpus > KENNEL_PROFILE_VCPUS_MAX)
		return fail(error, source, "Guest", "vcpus", KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
		            "%u is out of range: a guest has 1 to %d vCPUs", self->vcpus,
		            KENNEL_PROFILE_VCPUS_MAX);
	size = kennel_profile_format_size(self->memory);
	least = kennel_profile_format_size(KENNEL_PROFILE_MEMORY_MIN);
	most = kennel_profile_format_size(KENNEL_PROFILE_MEMORY_MAX);
	if (self->memory < KENNEL_PROFILE_MEMORY_MIN || self->memory > KENNEL_PROFILE_MEMORY_MAX)
		return fail(error, source, "Guest", "memory", KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
		            "%s is out of range: %s to %s", size, least, most);
	if (self->memory % 4096 != 0)
		return fail(error, source, "Guest", "memory", KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
		            "%s is not a whole number of 4 KiB pages", size);
	if (self->display_enabled && (self->display_width || self->display_height) &&
	    (self->display_width < KENNEL_PROFILE_DISPLAY_MIN ||
	     self->display_height < KENNEL_PROFILE_DISPLAY_MIN ||
	     self->display_width > KENNEL_PROFILE_DISPLAY_MAX ||
	     self->display_height > KENNEL_PROFILE_DISPLAY_MAX))
		return fail(error, source, "Guest", "display", KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
		            "%ux%u is out of range: each side is %d to %d pixels",
		            self->display_width, self->display_height, KENNEL_PROFILE_DISPLAY_MIN,
		            KENNEL_PROFILE_DISPLAY_MAX);

	switch (self->boot_method) {
	case KENNEL_BOOT_DIRECT:
		if (!self->kernel)
			return fail(error, source, "Boot", "kernel",
			            KENNEL_PROFILE_ERROR_MISSING_KEY,
			            "missing: a direct boot needs a kernel");
		if (self->firmware)
			return fail(error, source, "Boot", "firmware",
			            KENNEL_PROFILE_ERROR_INVALID_VALUE,
			            "a direct boot has no firmware (use method=firmware)");
		break;
	case KENNEL_BOOT_FIRMWARE:
		if (!self->firmware)
			return fail(error, source, "Boot", "firmware",
			            KENNEL_PROFILE_ERROR_MISSING_KEY,
			            "missing: a firmware boot needs a firmware file");
		break;
	}
	if (self->initrd && !self->kernel)
		return fail(error, source, "Boot", "initrd", KENNEL_PROFILE_ERROR_INVALID_VALUE,
		            "an initrd needs a kernel");

	for (guint i = 0; self->forwards && self->forwards[i]; i++) {
		g_autofree char *why = NULL;
		g_autofree char *proto = NULL;
		guint host_port, guest_port;

		if (!split_forward(self->forwards[i], &proto, &host_port, &guest_port, &why))
			return fail(error, source, "Network", "forwards",
			            KENNEL_PROFILE_ERROR_INVALID_VALUE, "'%s' %s",
			            self->forwards[i], why);
		for (guint j = 0; j < i; j++) {
			g_autofree char *other_proto = NULL;
			g_autofree char *ignored = NULL;
			guint other_port, other_guest;

			if (split_forward(self->forwards[j], &other_proto, &other_port,
			                  &other_guest, &ignored) &&
			    other_port == host_port && strcmp(proto, other_proto) == 0)
				return fail(error, source, "Network", "forwards",
				            KENNEL_PROFILE_ERROR_INVALID_VALUE,
				            "'%s' and '%s' forward the same host port",
				            self->forwards[j], self->forwards[i]);
		}
	}
	if (self->forwards && self->forwards[0] && self->network == KENNEL_NETWORK_NONE)
		return fail(error, source, "Network", "forwards",
		            KENNEL_PROFILE_ERROR_INVALID_VALUE,
		            "port forwards need a network (mode=user or mode=restrict)");

	n_disks = g_list_model_get_n_items(G_LIST_MODEL(self->disks));
	if (n_disks > KENNEL_PROFILE_DISKS_MAX)
		return fail(error, source, NULL, NULL, KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
		            "%u disks: a guest has at most %d", n_disks, KENNEL_PROFILE_DISKS_MAX);
	for (guint i = 0; i < n_disks; i++) {
		g_autoptr(KennelProfileDisk) disk =
		        g_list_model_get_item(G_LIST_MODEL(self->disks), i);
		g_autofree char *group = g_strdup_printf("Disk %u", i);

		if (!disk->file)
			return fail(error, source, group, "file", KENNEL_PROFILE_ERROR_MISSING_KEY,
			            "missing: a disk needs its image file");
		if (strchr(disk->file, ','))
			return fail(error, source, group, "file",
			            KENNEL_PROFILE_ERROR_INVALID_VALUE,
			            "'%s': a disk's file name cannot hold a ',' (the engine's "
			            "--disk FILE,ro takes it for the end of the name)",
			            disk->file);
		if (disk->serial && !serial_is_valid(disk->serial))
			return fail(error, source, group, "serial",
			            KENNEL_PROFILE_ERROR_INVALID_VALUE,
			            "'%s' is not a serial: up to %d printable ASCII characters, "
			            "no ','",
			            disk->serial, KENNEL_PROFILE_DISK_SERIAL_MAX);
	}
	return TRUE;
}

gboolean kennel_profile_validate(KennelProfile *self, GError **error)
{
	g_autofree char *source = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), FALSE);
	source = source_of(self);
	return check_properties(self, source, error);
}

static gboolean check_file(KennelProfile *self, const char *source, const char *group,
                           const char *key, const char *file, GError **error)
{
	g_autofree char *path = kennel_profile_resolve_path(self, file);
	GStatBuf st;

	if (!file)
		return TRUE;
	if (g_stat(path, &st) < 0)
		return fail(error, source, group, key, KENNEL_PROFILE_ERROR_MISSING_FILE, "%s: %s",
		            path, g_strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return fail(error, source, group, key, KENNEL_PROFILE_ERROR_MISSING_FILE,
		            "%s is not a regular file", path);
	return TRUE;
}

gboolean kennel_profile_check_files(KennelProfile *self, GError **error)
{
	g_autofree char *source = NULL;
	guint n;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), FALSE);
	source = source_of(self);
	if (!check_file(self, source, "Boot", "kernel", self->kernel, error) ||
	    !check_file(self, source, "Boot", "initrd", self->initrd, error) ||
	    !check_file(self, source, "Boot", "firmware", self->firmware, error))
		return FALSE;
	n = g_list_model_get_n_items(G_LIST_MODEL(self->disks));
	for (guint i = 0; i < n; i++) {
		g_autoptr(KennelProfileDisk) disk =
		        g_list_model_get_item(G_LIST_MODEL(self->disks), i);
		g_autofree char *group = g_strdup_printf("Disk %u", i);

		if (!check_file(self, source, group, "file", disk->file, error))
			return FALSE;
	}
	return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

struct reader {
	KennelProfile *self;
	GKeyFile *kf;
	const char *source;
	GError **error;
};

/* The raw value, or NULL if absent. */
static char *get_raw(struct reader *r, const char *group, const char *key)
{
	return g_key_file_get_value(r->kf, group, key, NULL);
}

/* A string, with the key file's escapes undone.  absent: *out = NULL. */
static gboolean read_string(struct reader *r, const char *group, const char *key, char **out)
{
	g_autoptr(GError) e = NULL;

	*out = NULL;
	if (!g_key_file_has_key(r->kf, group, key, NULL))
		return TRUE;
	*out = g_key_file_get_string(r->kf, group, key, &e);
	if (*out)
		return TRUE;
	return fail(r->error, r->source, group, key, KENNEL_PROFILE_ERROR_WRONG_TYPE,
	            "not a text string (%s)", e->message);
}

/* Replaces *field by the key's string if the key is there and not empty. */
static gboolean read_string_field(struct reader *r, const char *group, const char *key,
                                  char **field)
{
	char *value;

	if (!read_string(r, group, key, &value))
		return FALSE;
	if (value && *value) {
		g_free(*field);
		*field = value;
	} else {
		g_free(value);
	}
	return TRUE;
}

static gboolean read_enum(struct reader *r, const char *group, const char *key, GType type,
                          int *out)
{
	g_autofree char *value = get_raw(r, group, key);
	g_autoptr(GEnumClass) klass = NULL;
	g_autoptr(GString) words = NULL;
	GEnumValue *v;

	if (!value)
		return TRUE;
	klass = g_type_class_ref(type);
	v = g_enum_get_value_by_nick(klass, value);
	if (v) {
		*out = v->value;
		return TRUE;
	}
	words = g_string_new(NULL);
	for (guint i = 0; i < klass->n_values; i++)
		g_string_append_printf(words, "%s%s",
		                       i ? (i + 1 == klass->n_values ? " or " : ", ") : "",
		                       klass->values[i].value_nick);
	return fail(r->error, r->source, group, key, KENNEL_PROFILE_ERROR_INVALID_VALUE,
	            "'%s' is not %s", value, words->str);
}

static gboolean read_uint(struct reader *r, const char *group, const char *key, guint *out)
{
	g_autofree char *value = get_raw(r, group, key);
	guint64 n;

	if (!value)
		return TRUE;
	if (!g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT, &n, NULL))
		return fail(r->error, r->source, group, key, KENNEL_PROFILE_ERROR_WRONG_TYPE,
		            "'%s' is not a whole number", value);
	*out = (guint)n;
	return TRUE;
}

static gboolean read_boolean(struct reader *r, const char *group, const char *key, gboolean *out)
{
	g_autofree char *value = get_raw(r, group, key);

	if (!value)
		return TRUE;
	if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
		*out = TRUE;
	else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
		*out = FALSE;
	else
		return fail(r->error, r->source, group, key, KENNEL_PROFILE_ERROR_WRONG_TYPE,
		            "'%s' is not true or false", value);
	return TRUE;
}

static gboolean read_time(struct reader *r, const char *group, const char *key, GDateTime **out)
{
	g_autofree char *value = get_raw(r, group, key);
	g_autoptr(GTimeZone) utc = NULL;
	GDateTime *when;

	if (!value || !*value)
		return TRUE;
	utc = g_time_zone_new_utc();
	when = g_date_time_new_from_iso8601(value, utc);
	if (!when)
		return fail(r->error, r->source, group, key, KENNEL_PROFILE_ERROR_WRONG_TYPE,
		            "'%s' is not an ISO 8601 date and time (like 2026-11-23T17:00:00Z)",
		            value);
	g_clear_pointer(out, g_date_time_unref);
	*out = g_date_time_to_utc(when);
	g_date_time_unref(when);
	return TRUE;
}

static gboolean read_memory(struct reader *r)
{
	g_autofree char *value = get_raw(r, "Guest", "memory");
	int err;

	if (!value)
		return TRUE;
	err = parse_size(value, &r->self->memory);
	if (err < 0) {
		g_autofree char *most = kennel_profile_format_size(KENNEL_PROFILE_MEMORY_MAX);

		if (err == -ERANGE)
			return fail(r->error, r->source, "Guest", "memory",
			            KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
			            "'%s' is out of range: the most is %s", value, most);
		return fail(r->error, r->source, "Guest", "memory", KENNEL_PROFILE_ERROR_WRONG_TYPE,
		            "'%s' is not a size (like 512M or 2G: a number and K, M or G)", value);
	}
	return TRUE;
}

static gboolean read_display(struct reader *r)
{
	g_autofree char *value = get_raw(r, "Guest", "display");
	KennelProfile *self = r->self;
	g_auto(GStrv) sides = NULL;
	guint64 w, h;

	if (!value)
		return TRUE; /* a display at the engine's default size */
	if (strcmp(value, "off") == 0) {
		self->display_enabled = FALSE;
		return TRUE;
	}
	sides = g_strsplit(value, "x", 2);
	if (g_strv_length(sides) != 2 ||
	    !g_ascii_string_to_unsigned(sides[0], 10, 0, G_MAXUINT, &w, NULL) ||
	    !g_ascii_string_to_unsigned(sides[1], 10, 0, G_MAXUINT, &h, NULL))
		return fail(r->error, r->source, "Guest", "display",
		            KENNEL_PROFILE_ERROR_INVALID_VALUE,
		            "'%s' is not WIDTHxHEIGHT (like 1024x768) or off", value);
	self->display_enabled = TRUE;
	self->display_width = (guint)w;
	self->display_height = (guint)h;
	if (w == 0 || h == 0)
		return fail(r->error, r->source, "Guest", "display",
		            KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
		            "%s is out of range: each side is %d to %d pixels", value,
		            KENNEL_PROFILE_DISPLAY_MIN, KENNEL_PROFILE_DISPLAY_MAX);
	return TRUE;
}

static gboolean read_guest(struct reader *r)
{
	KennelProfile *self = r->self;
	g_autofree char *arch = NULL;
	g_autofree char *accel = NULL;
	int value;

	if (!g_key_file_has_group(r->kf, "Guest"))
		return fail(r->error, r->source, "Guest", NULL, KENNEL_PROFILE_ERROR_MISSING_KEY,
		            "missing: a guest profile starts with a [Guest] group");
	if (!read_uint(r, "Guest", "version", &self->loaded_version))
		return FALSE;
	if (!read_string_field(r, "Guest", "id", &self->id) ||
	    !read_string_field(r, "Guest", "name", &self->name) ||
	    !read_string(r, "Guest", "architecture", &arch))
		return FALSE;
	if (arch && strcmp(arch, "riscv64") != 0) {
		if (strcmp(arch, "x86_64") == 0)
			return fail(r->error, r->source, "Guest", "architecture",
			            KENNEL_PROFILE_ERROR_NOT_AVAILABLE,
			            "x86_64 is not available yet: this Kennel runs riscv64 guests");
		return fail(r->error, r->source, "Guest", "architecture",
		            KENNEL_PROFILE_ERROR_INVALID_VALUE,
		            "'%s' is not an architecture Kennel knows (riscv64)", arch);
	}
	accel = get_raw(r, "Guest", "accelerator");
	if (accel && strcmp(accel, "kvm") == 0)
		return fail(r->error, r->source, "Guest", "accelerator",
		            KENNEL_PROFILE_ERROR_NOT_AVAILABLE,
		            "kvm is not available yet: use auto or emulate");
	value = (int)self->accelerator;
	if (!read_enum(r, "Guest", "accelerator", KENNEL_TYPE_ACCELERATOR, &value))
		return FALSE;
	self->accelerator = value;
	if (!read_uint(r, "Guest", "vcpus", &self->vcpus) || !read_memory(r) || !read_display(r))
		return FALSE;
	value = (int)self->console;
	if (!read_enum(r, "Guest", "console", KENNEL_TYPE_CONSOLE, &value))
		return FALSE;
	self->console = value;
	return read_string_field(r, "Guest", "notes", &self->notes) &&
	       read_time(r, "Guest", "created", &self->created) &&
	       read_time(r, "Guest", "last-run", &self->last_run);
}

static gboolean read_boot(struct reader *r)
{
	KennelProfile *self = r->self;
	int value = (int)self->boot_method;

	if (!g_key_file_has_group(r->kf, "Boot"))
		return fail(r->error, r->source, "Boot", NULL, KENNEL_PROFILE_ERROR_MISSING_KEY,
		            "missing: a guest profile has a [Boot] group (method, kernel...)");
	if (!read_enum(r, "Boot", "method", KENNEL_TYPE_BOOT_METHOD, &value))
		return FALSE;
	self->boot_method = value;
	return read_string_field(r, "Boot", "kernel", &self->kernel) &&
	       read_string_field(r, "Boot", "initrd", &self->initrd) &&
	       read_string_field(r, "Boot", "cmdline", &self->cmdline) &&
	       read_string_field(r, "Boot", "firmware", &self->firmware);
}

static gboolean read_network(struct reader *r)
{
	KennelProfile *self = r->self;
	int value = (int)self->network;
	g_autoptr(GError) e = NULL;

	if (!read_enum(r, "Network", "mode", KENNEL_TYPE_NETWORK, &value))
		return FALSE;
	self->network = value;
	if (!g_key_file_has_key(r->kf, "Network", "forwards", NULL))
		return TRUE;
	g_strfreev(self->forwards);
	self->forwards = g_key_file_get_string_list(r->kf, "Network", "forwards", NULL, &e);
	if (!self->forwards)
		return fail(r->error, r->source, "Network", "forwards",
		            KENNEL_PROFILE_ERROR_WRONG_TYPE, "not a list of forwards (%s)",
		            e->message);
	if (!self->forwards[0])
		g_clear_pointer(&self->forwards, g_strfreev);
	return TRUE;
}

/* "Disk 3" -> 3; -1 if the group is not a disk group. */
static int disk_group_index(const char *group)
{
	guint64 n;

	if (!g_str_has_prefix(group, "Disk "))
		return -1;
	if (!g_ascii_string_to_unsigned(group + 5, 10, 0, 999, &n, NULL))
		return -1;
	return (int)n;
}

static gint compare_disk_groups(gconstpointer a, gconstpointer b)
{
	return disk_group_index(*(const char *const *)a) -
	       disk_group_index(*(const char *const *)b);
}

/* A known key, or a translation of one (name[fr]). */
static gboolean is_known(const char *const *keys, const char *key)
{
	const char *bracket = strchr(key, '[');
	g_autofree char *base = NULL;

	if (!bracket)
		return g_strv_contains(keys, key);
	base = g_strndup(key, (gsize)(bracket - key));
	return g_strv_contains(keys, base);
}

static gboolean read_disks(struct reader *r)
{
	g_auto(GStrv) groups = g_key_file_get_groups(r->kf, NULL);
	g_autoptr(GPtrArray) disk_groups = g_ptr_array_new();

	for (guint i = 0; groups[i]; i++)
		if (disk_group_index(groups[i]) >= 0)
			g_ptr_array_add(disk_groups, groups[i]);
	g_ptr_array_sort(disk_groups, compare_disk_groups);
	for (guint i = 0; i < disk_groups->len; i++) {
		const char *group = disk_groups->pdata[i];
		g_autoptr(KennelProfileDisk) disk = kennel_profile_disk_new(NULL, FALSE);
		g_auto(GStrv) keys = NULL;

		if (i > 0 && disk_group_index(group) == disk_group_index(disk_groups->pdata[i - 1]))
			return fail(r->error, r->source, group, NULL,
			            KENNEL_PROFILE_ERROR_INVALID_VALUE,
			            "two groups name the same disk (%s and %s)",
			            (const char *)disk_groups->pdata[i - 1], group);
		if (!read_string_field(r, group, "file", &disk->file) ||
		    !read_boolean(r, group, "read-only", &disk->read_only) ||
		    !read_string_field(r, group, "serial", &disk->serial))
			return FALSE;
		if (!disk->file)
			return fail(r->error, r->source, group, "file",
			            KENNEL_PROFILE_ERROR_MISSING_KEY,
			            "missing: a disk needs its image file");
		keys = g_key_file_get_keys(r->kf, group, NULL, NULL);
		for (guint k = 0; keys[k]; k++) {
			if (is_known(disk_keys, keys[k]))
				continue;
			g_ptr_array_add(disk->extra, g_strdup(keys[k]));
			g_ptr_array_add(disk->extra, get_raw(r, group, keys[k]));
		}
		g_list_store_append(r->self->disks, disk);
	}
	if (disk_groups->len > KENNEL_PROFILE_DISKS_MAX)
		return fail(r->error, r->source, disk_groups->pdata[KENNEL_PROFILE_DISKS_MAX], NULL,
		            KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "%u disks: a guest has at most %d",
		            disk_groups->len, KENNEL_PROFILE_DISKS_MAX);
	return TRUE;
}

/* Unknown groups and keys: warnings, and they stay in the kept GKeyFile. */
static void warn_unknown(struct reader *r)
{
	g_auto(GStrv) groups = g_key_file_get_groups(r->kf, NULL);
	const char *newer = r->self->loaded_version > FORMAT_VERSION
	                            ? " (written by a newer Kennel; kept on save)"
	                            : " (kept on save; a typo?)";

	for (guint i = 0; groups[i]; i++) {
		const char *const *known = NULL;
		g_auto(GStrv) keys = NULL;

		if (strcmp(groups[i], "Guest") == 0)
			known = guest_keys;
		else if (strcmp(groups[i], "Boot") == 0)
			known = boot_keys;
		else if (strcmp(groups[i], "Network") == 0)
			known = network_keys;
		else if (disk_group_index(groups[i]) >= 0)
			known = disk_keys;
		if (!known) {
			warn(r->self, r->source, groups[i], NULL, "unknown group%s", newer);
			continue;
		}
		keys = g_key_file_get_keys(r->kf, groups[i], NULL, NULL);
		for (guint k = 0; keys && keys[k]; k++)
			if (!is_known(known, keys[k]))
				warn(r->self, r->source, groups[i], keys[k], "unknown key%s",
				     newer);
	}
}

static KennelProfile *load(GKeyFile *kf, const char *source, const char *path, const char *data_dir,
                           GError **error)
{
	g_autoptr(KennelProfile) self = g_object_new(KENNEL_TYPE_PROFILE, NULL);
	struct reader r = {self, kf, source, error};

	if (data_dir)
		set_str(&self->data_dir, data_dir);
	self->path = g_strdup(path);
	if (!read_guest(&r) || !read_boot(&r) || !read_network(&r) || !read_disks(&r))
		return NULL;
	if (!check_properties(self, source, error))
		return NULL;
	warn_unknown(&r);
	if (path) {
		g_autofree char *base = g_path_get_basename(path);
		g_autofree char *expected = g_strconcat(self->id, ".ini", NULL);

		if (strcmp(base, expected) != 0)
			warn(self, source, "Guest", "id",
			     "'%s' does not match the file name %s (the store saves it as %s)",
			     self->id, base, expected);
	}
	self->original = g_key_file_ref(kf);
	return g_steal_pointer(&self);
}

KennelProfile *kennel_profile_new_from_data(const char *data, gssize length, const char *source,
                                            const char *data_dir, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) e = NULL;

	g_return_val_if_fail(data != NULL, NULL);
	if (!source)
		source = "profile";
	if (length < 0)
		length = (gssize)strlen(data);
	if (!g_key_file_load_from_data(kf, data, (gsize)length,
	                               G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
	                               &e)) {
		fail(error, source, NULL, NULL, KENNEL_PROFILE_ERROR_PARSE, "not a key file: %s",
		     e->message);
		return NULL;
	}
	return load(kf, source, NULL, data_dir, error);
}

KennelProfile *kennel_profile_new_from_file(const char *path, const char *data_dir, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) e = NULL;
	g_autofree char *data = NULL;
	gsize length;

	g_return_val_if_fail(path != NULL, NULL);
	if (!g_file_get_contents(path, &data, &length, &e)) {
		fail(error, path, NULL, NULL, KENNEL_PROFILE_ERROR_PARSE, "cannot read it: %s",
		     e->message);
		return NULL;
	}
	if (!g_key_file_load_from_data(kf, data, length,
	                               G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
	                               &e)) {
		fail(error, path, NULL, NULL, KENNEL_PROFILE_ERROR_PARSE, "not a key file: %s",
		     e->message);
		return NULL;
	}
	return load(kf, path, path, data_dir, error);
}

GPtrArray *kennel_profile_get_warnings(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->warnings;
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void put_string(GKeyFile *kf, const char *group, const char *key, const char *value)
{
	if (value && *value)
		g_key_file_set_string(kf, group, key, value);
	else
		g_key_file_remove_key(kf, group, key, NULL);
}

static void put_time(GKeyFile *kf, const char *group, const char *key, GDateTime *when)
{
	g_autofree char *text = NULL;

	if (when) {
		g_autoptr(GDateTime) utc = g_date_time_to_utc(when);

		text = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
	}
	put_string(kf, group, key, text);
}

static const char *nick(GType type, int value)
{
	/* The reference is kept: the nick must outlive this call. */
	GEnumClass *klass = g_type_class_ref(type);

	return g_enum_get_value(klass, value)->value_nick;
}

static GKeyFile *build_keyfile(KennelProfile *self)
{
	GKeyFile *kf = g_key_file_new();
	g_autofree char *memory = kennel_profile_format_size(self->memory);
	g_autofree char *display = NULL;
	g_autofree char *version = NULL;
	g_auto(GStrv) groups = NULL;
	guint n_disks;

	if (self->original) {
		gsize length;
		g_autofree char *text = g_key_file_to_data(self->original, &length, NULL);

		g_key_file_load_from_data(kf, text, length,
		                          G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
		                          NULL);
	}
	/* A newer Kennel's version number stays: its keys are still in the file. */
	version = g_strdup_printf("%u", MAX(self->loaded_version, FORMAT_VERSION));
	g_key_file_set_value(kf, "Guest", "version", version);
	if (!self->original)
		g_key_file_set_comment(kf, NULL, NULL,
		                       " A Kennel guest profile: see docs/profiles.md", NULL);
	put_string(kf, "Guest", "id", self->id);
	put_string(kf, "Guest", "name", self->name);
	put_string(kf, "Guest", "architecture", self->architecture);
	g_key_file_set_value(kf, "Guest", "accelerator",
	                     nick(KENNEL_TYPE_ACCELERATOR, self->accelerator));
	g_key_file_set_uint64(kf, "Guest", "vcpus", self->vcpus);
	g_key_file_set_value(kf, "Guest", "memory", memory);
	if (!self->display_enabled)
		display = g_strdup("off");
	else if (self->display_width && self->display_height)
		display = g_strdup_printf("%ux%u", self->display_width, self->display_height);
	put_string(kf, "Guest", "display", display);
	g_key_file_set_value(kf, "Guest", "console", nick(KENNEL_TYPE_CONSOLE, self->console));
	put_string(kf, "Guest", "notes", self->notes);
	put_time(kf, "Guest", "created", self->created);
	put_time(kf, "Guest", "last-run", self->last_run);

	g_key_file_set_value(kf, "Boot", "method",
	                     nick(KENNEL_TYPE_BOOT_METHOD, self->boot_method));
	put_string(kf, "Boot", "kernel", self->kernel);
	put_string(kf, "Boot", "initrd", self->initrd);
	put_string(kf, "Boot", "cmdline", self->cmdline);
	put_string(kf, "Boot", "firmware", self->firmware);

	g_key_file_set_value(kf, "Network", "mode", nick(KENNEL_TYPE_NETWORK, self->network));
	if (self->forwards && self->forwards[0])
		g_key_file_set_string_list(kf, "Network", "forwards",
		                           (const char *const *)self->forwards,
		                           g_strv_length(self->forwards));
	else
		g_key_file_remove_key(kf, "Network", "forwards", NULL);

	/* Disks are written afresh, numbered from 0, each with its unknown keys. */
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i]; i++)
		if (disk_group_index(groups[i]) >= 0)
			g_key_file_remove_group(kf, groups[i], NULL);
	n_disks = g_list_model_get_n_items(G_LIST_MODEL(self->disks));
	for (guint i = 0; i < n_disks; i++) {
		g_autoptr(KennelProfileDisk) disk =
		        g_list_model_get_item(G_LIST_MODEL(self->disks), i);
		g_autofree char *group = g_strdup_printf("Disk %u", i);

		put_string(kf, group, "file", disk->file);
		g_key_file_set_boolean(kf, group, "read-only", disk->read_only);
		put_string(kf, group, "serial", disk->serial);
		for (guint k = 0; k + 1 < disk->extra->len; k += 2)
			g_key_file_set_value(kf, group, disk->extra->pdata[k],
			                     disk->extra->pdata[k + 1]);
	}
	return kf;
}

char *kennel_profile_to_data(KennelProfile *self, gsize *length)
{
	g_autoptr(GKeyFile) kf = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	kf = build_keyfile(self);
	return g_key_file_to_data(kf, length, NULL);
}

static ssize_t plain_write(int fd, const void *buf, size_t count)
{
	return write(fd, buf, count);
}

ssize_t (*kennel_profile_write_fn)(int fd, const void *buf, size_t count) = plain_write;

static gboolean io_fail(GError **error, const char *path, const char *what, int err)
{
	g_set_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO, "%s: %s: %s", path, what,
	            g_strerror(err));
	return FALSE;
}

/*
 * The atomic write.  The new text goes to a temporary file next to the old
 * one and reaches the disk (fsync) before rename() puts it in the old
 * one's place; then the directory is synced so that the rename itself is
 * durable.  Until the rename, the old file is untouched; after it, the new
 * one is complete.  A failure at any step removes the temporary file.
 */
gboolean kennel_profile_write_file(const char *path, const char *data, gsize length, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
	gsize done = 0;
	int fd, dirfd, err;

	if (g_mkdir_with_parents(dir, 0700) < 0)
		return io_fail(error, dir, "cannot create the directory", errno);
	fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0644);
	if (fd < 0)
		return io_fail(error, path, "cannot create a temporary file to save it", errno);
	while (done < length) {
		ssize_t n = kennel_profile_write_fn(fd, data + done, length - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			goto fail;
		}
		done += (gsize)n;
	}
	if (fsync(fd) < 0) {
		err = errno;
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		err = errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err = errno;
		goto fail;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd >= 0) {
		fsync(dirfd);
		close(dirfd);
	}
	return TRUE;

fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return io_fail(error, path, "cannot save it (the old file is unchanged)", err);
}

gboolean kennel_profile_save_to_file(KennelProfile *self, const char *path, GError **error)
{
	g_autofree char *data = NULL;
	gsize length;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	{
		g_autofree char *source = g_strdup(path);

		if (!check_properties(self, source, error))
			return FALSE;
	}
	data = kennel_profile_to_data(self, &length);
	if (!kennel_profile_write_file(path, data, length, error))
		return FALSE;
	/* What is on disk now is what later saves start from. */
	g_clear_pointer(&self->original, g_key_file_unref);
	self->original = g_key_file_new();
	g_key_file_load_from_data(self->original, data, length,
	                          G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, NULL);
	self->loaded_version = MAX(self->loaded_version, FORMAT_VERSION);
	/* Disk groups are rewritten from the disk objects; drop them here. */
	{
		g_auto(GStrv) groups = g_key_file_get_groups(self->original, NULL);

		for (guint i = 0; groups[i]; i++)
			if (disk_group_index(groups[i]) >= 0)
				g_key_file_remove_group(self->original, groups[i], NULL);
	}
	if (g_strcmp0(self->path, path) != 0) {
		set_str(&self->path, path);
		notify(self, PROP_PATH);
	}
	return TRUE;
}

gboolean kennel_profile_save(KennelProfile *self, GError **error)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), FALSE);
	if (!self->path) {
		g_autofree char *source = source_of(self);

		return fail(error, source, NULL, NULL, KENNEL_PROFILE_ERROR_IO,
		            "has no file yet (save it through the store)");
	}
	return kennel_profile_save_to_file(self, self->path, error);
}

/* ------------------------------------------------------------------------ */
/* Copy, engine arguments                                                    */

/*
 * Every guest gets a MAC address of its own, the same at every start: the
 * locally administered prefix QEMU and Kennel use (52:54:00) and three
 * bytes of a hash (FNV-1a) of the guest's id.
 */
static char *guest_mac(const char *id)
{
	guint32 hash = 2166136261u;

	for (const char *c = id ? id : ""; *c; c++)
		hash = (hash ^ (guchar)*c) * 16777619u;
	return g_strdup_printf("52:54:00:%02x:%02x:%02x", (hash >> 16) & 0xff, (hash >> 8) & 0xff,
	                       hash & 0xff);
}

KennelProfile *kennel_profile_copy(KennelProfile *self)
{
	KennelProfile *copy;
	guint n;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	copy = g_object_new(KENNEL_TYPE_PROFILE, NULL);
	copy->id = g_strdup(self->id);
	copy->name = g_strdup(self->name);
	set_str(&copy->architecture, self->architecture);
	copy->accelerator = self->accelerator;
	copy->vcpus = self->vcpus;
	copy->memory = self->memory;
	copy->boot_method = self->boot_method;
	copy->kernel = g_strdup(self->kernel);
	copy->initrd = g_strdup(self->initrd);
	copy->cmdline = g_strdup(self->cmdline);
	copy->firmware = g_strdup(self->firmware);
	copy->network = self->network;
	copy->forwards = g_strdupv(self->forwards);
	copy->display_enabled = self->display_enabled;
	copy->display_width = self->display_width;
	copy->display_height = self->display_height;
	copy->console = self->console;
	copy->notes = g_strdup(self->notes);
	copy->created = self->created ? g_date_time_ref(self->created) : NULL;
	copy->last_run = self->last_run ? g_date_time_ref(self->last_run) : NULL;
	set_str(&copy->data_dir, self->data_dir);
	copy->original = self->original ? g_key_file_ref(self->original) : NULL;
	copy->loaded_version = self->loaded_version;
	n = g_list_model_get_n_items(G_LIST_MODEL(self->disks));
	for (guint i = 0; i < n; i++) {
		g_autoptr(KennelProfileDisk) disk =
		        g_list_model_get_item(G_LIST_MODEL(self->disks), i);
		g_autoptr(KennelProfileDisk) disk2 = disk_copy(disk);

		g_list_store_append(copy->disks, disk2);
	}
	return copy;
}

void kennel_profile_assign(KennelProfile *self, KennelProfile *src)
{
	GListModel *disks;
	g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_if_fail(KENNEL_IS_PROFILE(self));
	g_return_if_fail(KENNEL_IS_PROFILE(src));
	if (self == src)
		return;
	g_object_freeze_notify(G_OBJECT(self));
	kennel_profile_set_name(self, src->name);
	kennel_profile_set_accelerator(self, src->accelerator);
	kennel_profile_set_vcpus(self, src->vcpus);
	kennel_profile_set_memory(self, src->memory);
	kennel_profile_set_boot_method(self, src->boot_method);
	kennel_profile_set_kernel(self, src->kernel);
	kennel_profile_set_initrd(self, src->initrd);
	kennel_profile_set_cmdline(self, src->cmdline);
	kennel_profile_set_firmware(self, src->firmware);
	kennel_profile_set_network(self, src->network);
	kennel_profile_set_forwards(self, (const char *const *)src->forwards);
	kennel_profile_set_display(self, src->display_enabled, src->display_width,
	                           src->display_height);
	kennel_profile_set_console(self, src->console);
	kennel_profile_set_notes(self, src->notes);
	disks = G_LIST_MODEL(src->disks);
	for (guint i = 0; i < g_list_model_get_n_items(disks); i++) {
		g_autoptr(KennelProfileDisk) disk = g_list_model_get_item(disks, i);

		g_ptr_array_add(copies, disk_copy(disk));
	}
	g_list_store_splice(self->disks, 0, g_list_model_get_n_items(G_LIST_MODEL(self->disks)),
	                    copies->pdata, copies->len);
	g_object_thaw_notify(G_OBJECT(self));
}

static void add_arg(GPtrArray *args, const char *option, char *value)
{
	g_ptr_array_add(args, g_strdup(option));
	if (value)
		g_ptr_array_add(args, value);
}

GStrv kennel_profile_to_engine_args(KennelProfile *self, GError **error)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *memory = NULL;
	guint n;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	if (!kennel_profile_validate(self, error))
		return NULL;
	if (self->boot_method == KENNEL_BOOT_FIRMWARE)
		add_arg(args, "--firmware", kennel_profile_resolve_path(self, self->firmware));
	if (self->kernel)
		add_arg(args, "--kernel", kennel_profile_resolve_path(self, self->kernel));
	if (self->initrd)
		add_arg(args, "--initrd", kennel_profile_resolve_path(self, self->initrd));
	if (self->cmdline)
		add_arg(args, "--append", g_strdup(self->cmdline));
	/* The engine's --mem wants K, M or G; T and P never fit in range. */
	memory = kennel_profile_format_size(self->memory);
	add_arg(args, "--mem", g_steal_pointer(&memory));
	add_arg(args, "--cpus", g_strdup_printf("%u", self->vcpus));
	n = g_list_model_get_n_items(G_LIST_MODEL(self->disks));
	for (guint i = 0; i < n; i++) {
		g_autoptr(KennelProfileDisk) disk =
		        g_list_model_get_item(G_LIST_MODEL(self->disks), i);
		g_autofree char *path = kennel_profile_resolve_path(self, disk->file);

		add_arg(args, "--disk",
		        g_strdup_printf("%s%s%s%s", path, disk->read_only ? ",ro" : "",
		                        disk->serial ? ",serial=" : "",
		                        disk->serial ? disk->serial : ""));
	}
	/* No --net at all is the engine's "none". */
	if (self->network == KENNEL_NETWORK_USER)
		add_arg(args, "--net", g_strdup("user"));
	else if (self->network == KENNEL_NETWORK_RESTRICT)
		add_arg(args, "--net", g_strdup("user,restrict"));
	if (self->network != KENNEL_NETWORK_NONE)
		add_arg(args, "--mac", guest_mac(self->id));
	for (guint i = 0; self->forwards && self->forwards[i]; i++)
		add_arg(args, "--forward", g_strdup(self->forwards[i]));
	/* A display at the default size needs no option. */
	if (!self->display_enabled)
		add_arg(args, "--no-display", NULL);
	else if (self->display_width && self->display_height)
		add_arg(args, "--display",
		        g_strdup_printf("%ux%u", self->display_width, self->display_height));
	g_ptr_array_add(args, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&args), FALSE);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

const char *kennel_profile_get_id(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->id;
}

void kennel_profile_set_id(KennelProfile *self, const char *id)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->id, id, PROP_ID);
}

const char *kennel_profile_get_name(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->name;
}

void kennel_profile_set_name(KennelProfile *self, const char *name)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->name, name, PROP_NAME);
}

const char *kennel_profile_get_architecture(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->architecture;
}

KennelAccelerator kennel_profile_get_accelerator(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), KENNEL_ACCELERATOR_AUTO);
	return self->accelerator;
}

void kennel_profile_set_accelerator(KennelProfile *self, KennelAccelerator accelerator)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (self->accelerator == accelerator)
		return;
	self->accelerator = accelerator;
	notify(self, PROP_ACCELERATOR);
}

guint kennel_profile_get_vcpus(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), 1);
	return self->vcpus;
}

void kennel_profile_set_vcpus(KennelProfile *self, guint vcpus)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (self->vcpus == vcpus)
		return;
	self->vcpus = vcpus;
	notify(self, PROP_VCPUS);
}

guint64 kennel_profile_get_memory(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), 0);
	return self->memory;
}

void kennel_profile_set_memory(KennelProfile *self, guint64 bytes)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (self->memory == bytes)
		return;
	self->memory = bytes;
	notify(self, PROP_MEMORY);
}

KennelBootMethod kennel_profile_get_boot_method(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), KENNEL_BOOT_DIRECT);
	return self->boot_method;
}

void kennel_profile_set_boot_method(KennelProfile *self, KennelBootMethod method)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (self->boot_method == method)
		return;
	self->boot_method = method;
	notify(self, PROP_BOOT_METHOD);
}

const char *kennel_profile_get_kernel(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->kernel;
}

void kennel_profile_set_kernel(KennelProfile *self, const char *kernel)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->kernel, kernel, PROP_KERNEL);
}

const char *kennel_profile_get_initrd(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->initrd;
}

void kennel_profile_set_initrd(KennelProfile *self, const char *initrd)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->initrd, initrd, PROP_INITRD);
}

const char *kennel_profile_get_cmdline(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->cmdline;
}

void kennel_profile_set_cmdline(KennelProfile *self, const char *cmdline)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->cmdline, cmdline, PROP_CMDLINE);
}

const char *kennel_profile_get_firmware(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->firmware;
}

void kennel_profile_set_firmware(KennelProfile *self, const char *firmware)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->firmware, firmware, PROP_FIRMWARE);
}

KennelNetwork kennel_profile_get_network(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), KENNEL_NETWORK_NONE);
	return self->network;
}

void kennel_profile_set_network(KennelProfile *self, KennelNetwork network)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (self->network == network)
		return;
	self->network = network;
	notify(self, PROP_NETWORK);
}

const char *const *kennel_profile_get_forwards(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return (const char *const *)self->forwards;
}

void kennel_profile_set_forwards(KennelProfile *self, const char *const *forwards)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (forwards && !forwards[0])
		forwards = NULL;
	if (!forwards && !self->forwards)
		return;
	if (forwards && self->forwards &&
	    g_strv_equal(forwards, (const char *const *)self->forwards))
		return;
	g_strfreev(self->forwards);
	self->forwards = g_strdupv((char **)forwards);
	notify(self, PROP_FORWARDS);
}

gboolean kennel_profile_get_display_enabled(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), FALSE);
	return self->display_enabled;
}

guint kennel_profile_get_display_width(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), 0);
	return self->display_width;
}

guint kennel_profile_get_display_height(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), 0);
	return self->display_height;
}

void kennel_profile_set_display(KennelProfile *self, gboolean enabled, guint width, guint height)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	enabled = !!enabled;
	g_object_freeze_notify(G_OBJECT(self));
	if (self->display_enabled != enabled) {
		self->display_enabled = enabled;
		notify(self, PROP_DISPLAY_ENABLED);
	}
	if (self->display_width != width) {
		self->display_width = width;
		notify(self, PROP_DISPLAY_WIDTH);
	}
	if (self->display_height != height) {
		self->display_height = height;
		notify(self, PROP_DISPLAY_HEIGHT);
	}
	g_object_thaw_notify(G_OBJECT(self));
}

KennelConsole kennel_profile_get_console(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), KENNEL_CONSOLE_PTY);
	return self->console;
}

void kennel_profile_set_console(KennelProfile *self, KennelConsole console)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (self->console == console)
		return;
	self->console = console;
	notify(self, PROP_CONSOLE);
}

const char *kennel_profile_get_notes(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->notes;
}

void kennel_profile_set_notes(KennelProfile *self, const char *notes)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_string_prop(self, &self->notes, notes, PROP_NOTES);
}

static void set_time(KennelProfile *self, GDateTime **field, GDateTime *when, guint prop)
{
	GDateTime *utc = NULL;

	if (when) {
		/* Whole seconds, as the file keeps them. */
		g_autoptr(GDateTime) u = g_date_time_to_utc(when);

		utc = g_date_time_add(u, -(GTimeSpan)g_date_time_get_microsecond(u));
	}
	if ((!utc && !*field) || (utc && *field && g_date_time_equal(utc, *field))) {
		g_clear_pointer(&utc, g_date_time_unref);
		return;
	}
	g_clear_pointer(field, g_date_time_unref);
	*field = utc;
	notify(self, prop);
}

GDateTime *kennel_profile_get_created(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->created;
}

void kennel_profile_set_created(KennelProfile *self, GDateTime *when)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_time(self, &self->created, when, PROP_CREATED);
}

GDateTime *kennel_profile_get_last_run(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->last_run;
}

void kennel_profile_set_last_run(KennelProfile *self, GDateTime *when)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	set_time(self, &self->last_run, when, PROP_LAST_RUN);
}

const char *kennel_profile_get_path(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->path;
}

const char *kennel_profile_get_data_dir(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return self->data_dir;
}

void kennel_profile_set_data_dir(KennelProfile *self, const char *data_dir)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	if (!data_dir)
		return;
	if (set_str(&self->data_dir, data_dir))
		notify(self, PROP_DATA_DIR);
}

GListModel *kennel_profile_get_disks(KennelProfile *self)
{
	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	return G_LIST_MODEL(self->disks);
}

KennelProfileDisk *kennel_profile_add_disk(KennelProfile *self, const char *file,
                                           gboolean read_only)
{
	g_autoptr(KennelProfileDisk) disk = NULL;

	g_return_val_if_fail(KENNEL_IS_PROFILE(self), NULL);
	disk = kennel_profile_disk_new(file, read_only);
	g_list_store_append(self->disks, disk);
	return disk; /* the store holds it */
}

void kennel_profile_remove_disk(KennelProfile *self, guint index)
{
	g_return_if_fail(KENNEL_IS_PROFILE(self));
	g_return_if_fail(index < g_list_model_get_n_items(G_LIST_MODEL(self->disks)));
	g_list_store_remove(self->disks, index);
}
