/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest profiles: what a guest is.  One GKeyFile per guest, read and
 * written by this one parser, which the app (the store, the assistant) and
 * the engine (`kennel-engine run --profile FILE`) share.  The file format
 * and every rule are in docs/profiles.md.
 */
#ifndef KENNEL_PROFILE_H
#define KENNEL_PROFILE_H

#include <gio/gio.h>

G_BEGIN_DECLS

/* Errors: every message names the file, the [group] and the key. */
#define KENNEL_PROFILE_ERROR (kennel_profile_error_quark())
GQuark kennel_profile_error_quark(void);

typedef enum {
	KENNEL_PROFILE_ERROR_PARSE,         /* not a key file, or unreadable */
	KENNEL_PROFILE_ERROR_UNKNOWN_KEY,   /* only ever a warning: see get_warnings */
	KENNEL_PROFILE_ERROR_MISSING_KEY,   /* a required key or group is absent */
	KENNEL_PROFILE_ERROR_WRONG_TYPE,    /* "abc" where a number or boolean belongs */
	KENNEL_PROFILE_ERROR_OUT_OF_RANGE,  /* memory, vCPUs, ports, display size, disks */
	KENNEL_PROFILE_ERROR_INVALID_VALUE, /* not one of the allowed words, bad syntax */
	KENNEL_PROFILE_ERROR_NOT_AVAILABLE, /* a valid choice this version lacks (kvm) */
	KENNEL_PROFILE_ERROR_MISSING_FILE,  /* a kernel, initrd, firmware or disk is absent */
	KENNEL_PROFILE_ERROR_DUPLICATE_ID,  /* store: two profiles with one id */
	KENNEL_PROFILE_ERROR_SHARED_DISK,   /* store: one writable disk in two guests */
	KENNEL_PROFILE_ERROR_IO,            /* saving, copying or deleting failed */
} KennelProfileError;

typedef enum {
	KENNEL_ACCELERATOR_AUTO,    /* the best this machine has (today: emulate) */
	KENNEL_ACCELERATOR_EMULATE, /* the software RV64GC CPU */
} KennelAccelerator;

typedef enum {
	KENNEL_BOOT_DIRECT,   /* the engine loads kernel (+ initrd) and answers SBI */
	KENNEL_BOOT_FIRMWARE, /* M-mode firmware (OpenSBI), optionally kernel + initrd */
} KennelBootMethod;

typedef enum {
	KENNEL_NETWORK_NONE,
	KENNEL_NETWORK_USER,     /* libslirp: DHCP, DNS, outgoing connections */
	KENNEL_NETWORK_RESTRICT, /* libslirp, no outgoing connections (forwards only) */
} KennelNetwork;

typedef enum {
	KENNEL_CONSOLE_PTY,  /* the app shows the virtio console in a terminal */
	KENNEL_CONSOLE_NONE, /* the app opens no terminal */
} KennelConsole;

GType kennel_accelerator_get_type(void) G_GNUC_CONST;
GType kennel_boot_method_get_type(void) G_GNUC_CONST;
GType kennel_network_get_type(void) G_GNUC_CONST;
GType kennel_console_get_type(void) G_GNUC_CONST;
#define KENNEL_TYPE_ACCELERATOR (kennel_accelerator_get_type())
#define KENNEL_TYPE_BOOT_METHOD (kennel_boot_method_get_type())
#define KENNEL_TYPE_NETWORK     (kennel_network_get_type())
#define KENNEL_TYPE_CONSOLE     (kennel_console_get_type())

/* Limits (the engine's --cpus and --mem ranges). */
#define KENNEL_PROFILE_VCPUS_MAX       8
#define KENNEL_PROFILE_MEMORY_MIN      (G_GUINT64_CONSTANT(16) << 20)
#define KENNEL_PROFILE_MEMORY_MAX      (G_GUINT64_CONSTANT(16) << 30)
#define KENNEL_PROFILE_MEMORY_DEFAULT  (G_GUINT64_CONSTANT(256) << 20)
#define KENNEL_PROFILE_DISKS_MAX       8  /* virtio-mmio slots 8..15 */
#define KENNEL_PROFILE_DISK_SERIAL_MAX 20 /* virtio-blk's ID string */
#define KENNEL_PROFILE_DISPLAY_MIN     64
#define KENNEL_PROFILE_DISPLAY_MAX     8192

/* One disk of a guest: [Disk N] file=, read-only=, serial=. */
#define KENNEL_TYPE_PROFILE_DISK (kennel_profile_disk_get_type())
G_DECLARE_FINAL_TYPE(KennelProfileDisk, kennel_profile_disk, KENNEL, PROFILE_DISK, GObject)

KennelProfileDisk *kennel_profile_disk_new(const char *file, gboolean read_only);
const char *kennel_profile_disk_get_file(KennelProfileDisk *self); /* as written */
void kennel_profile_disk_set_file(KennelProfileDisk *self, const char *file);
gboolean kennel_profile_disk_get_read_only(KennelProfileDisk *self);
void kennel_profile_disk_set_read_only(KennelProfileDisk *self, gboolean read_only);
/* The virtio-blk serial (/dev/disk/by-id/virtio-SERIAL), or NULL. */
const char *kennel_profile_disk_get_serial(KennelProfileDisk *self);
void kennel_profile_disk_set_serial(KennelProfileDisk *self, const char *serial);

/*
 * One guest.  Every setting is a GObject property with notify, so that the
 * app can bind widgets to it: "id", "name", "architecture", "accelerator",
 * "vcpus", "memory" (bytes), "boot-method", "kernel", "initrd", "cmdline",
 * "firmware", "network", "forwards" (GStrv), "display-enabled",
 * "display-width", "display-height" (0 x 0: the engine's default size),
 * "console", "notes", "created", "last-run" (GDateTime, UTC), and the
 * read-only "path" (the file it was loaded from or saved to) and
 * "data-dir" (what relative paths are resolved against).
 * Disks are a GListModel of KennelProfileDisk (kennel_profile_get_disks).
 */
#define KENNEL_TYPE_PROFILE (kennel_profile_get_type())
G_DECLARE_FINAL_TYPE(KennelProfile, kennel_profile, KENNEL, PROFILE, GObject)

/* A fresh profile: no id yet, 1 vCPU, 256 MiB, direct boot, no network. */
KennelProfile *kennel_profile_new(const char *name);

/*
 * Loading.  Fails on the first error; unknown groups and keys (from a newer
 * Kennel, or typos) only produce warnings and are written back on save.
 * data_dir: what relative file paths mean (NULL: kennel_profile_default_data_dir).
 */
KennelProfile *kennel_profile_new_from_file(const char *path, const char *data_dir, GError **error);
/* The same for text in memory; source names it in messages. */
KennelProfile *kennel_profile_new_from_data(const char *data, gssize length, const char *source,
                                            const char *data_dir, GError **error);
/*
 * The warnings of the last load: a GPtrArray of GError (domain
 * KENNEL_PROFILE_ERROR), each message naming the file, group and key.
 */
GPtrArray *kennel_profile_get_warnings(KennelProfile *self);

/* The checks a load makes, on the current properties (after edits). */
gboolean kennel_profile_validate(KennelProfile *self, GError **error);
/* Every file the guest uses (kernel, initrd, firmware, disks) exists. */
gboolean kennel_profile_check_files(KennelProfile *self, GError **error);

/*
 * Saving: atomically (a temporary file in the same directory, fsync,
 * rename, fsync of the directory).  Refuses an invalid profile.  A failure
 * at any step, or a crash, leaves the old file as it was.
 */
gboolean kennel_profile_save(KennelProfile *self, GError **error); /* to "path" */
gboolean kennel_profile_save_to_file(KennelProfile *self, const char *path, GError **error);
/* The file's text as save would write it (known keys + kept unknown ones). */
char *kennel_profile_to_data(KennelProfile *self, gsize *length);

/* A copy with every setting, disks and kept unknown keys, but no path. */
KennelProfile *kennel_profile_copy(KennelProfile *self);

/*
 * Gives self the settings of src -- everything the user edits: name, CPU,
 * memory, boot, network, display, console, notes, disks -- with notify; not
 * the id, path, data dir, created and last-run times or kept unknown keys.
 * For an edit dialog that works on a copy.
 */
void kennel_profile_assign(KennelProfile *self, KennelProfile *src);

/*
 * The `kennel-engine run` options that boot this guest (without "run"),
 * paths absolute: --kernel K [--initrd I] [--append A] [--firmware F]
 * --mem M --cpus N [--disk F[,ro]]... [--net user[,restrict]]
 * [--forward F]... [--display WxH | --no-display], where a disk is
 * FILE[,ro][,serial=ID].
 */
GStrv kennel_profile_to_engine_args(KennelProfile *self, GError **error);

/* $XDG_DATA_HOME/kennel and $XDG_CONFIG_HOME/kennel/guests. */
char *kennel_profile_default_data_dir(void);
char *kennel_profile_default_config_dir(void);
/* path if absolute, else data-dir/path. */
char *kennel_profile_resolve_path(KennelProfile *self, const char *path);

/* Sizes as the file writes them: "512M", "2G", "1536K". */
gboolean kennel_profile_parse_size(const char *text, guint64 *bytes);
char *kennel_profile_format_size(guint64 bytes);
/* A forward as --forward takes it: tcp|udp:[HOSTADDR]:HOSTPORT-:GUESTPORT. */
gboolean kennel_profile_check_forward(const char *forward, GError **error);

const char *kennel_profile_get_id(KennelProfile *self);
void kennel_profile_set_id(KennelProfile *self, const char *id);
const char *kennel_profile_get_name(KennelProfile *self);
void kennel_profile_set_name(KennelProfile *self, const char *name);
const char *kennel_profile_get_architecture(KennelProfile *self);
KennelAccelerator kennel_profile_get_accelerator(KennelProfile *self);
void kennel_profile_set_accelerator(KennelProfile *self, KennelAccelerator accelerator);
guint kennel_profile_get_vcpus(KennelProfile *self);
void kennel_profile_set_vcpus(KennelProfile *self, guint vcpus);
guint64 kennel_profile_get_memory(KennelProfile *self);
void kennel_profile_set_memory(KennelProfile *self, guint64 bytes);
KennelBootMethod kennel_profile_get_boot_method(KennelProfile *self);
void kennel_profile_set_boot_method(KennelProfile *self, KennelBootMethod method);
const char *kennel_profile_get_kernel(KennelProfile *self);
void kennel_profile_set_kernel(KennelProfile *self, const char *kernel);
const char *kennel_profile_get_initrd(KennelProfile *self);
void kennel_profile_set_initrd(KennelProfile *self, const char *initrd);
const char *kennel_profile_get_cmdline(KennelProfile *self);
void kennel_profile_set_cmdline(KennelProfile *self, const char *cmdline);
const char *kennel_profile_get_firmware(KennelProfile *self);
void kennel_profile_set_firmware(KennelProfile *self, const char *firmware);
KennelNetwork kennel_profile_get_network(KennelProfile *self);
void kennel_profile_set_network(KennelProfile *self, KennelNetwork network);
const char *const *kennel_profile_get_forwards(KennelProfile *self);
void kennel_profile_set_forwards(KennelProfile *self, const char *const *forwards);
gboolean kennel_profile_get_display_enabled(KennelProfile *self);
guint kennel_profile_get_display_width(KennelProfile *self);
guint kennel_profile_get_display_height(KennelProfile *self);
/* enabled with 0 x 0: the engine's default size. */
void kennel_profile_set_display(KennelProfile *self, gboolean enabled, guint width, guint height);
KennelConsole kennel_profile_get_console(KennelProfile *self);
void kennel_profile_set_console(KennelProfile *self, KennelConsole console);
const char *kennel_profile_get_notes(KennelProfile *self);
void kennel_profile_set_notes(KennelProfile *self, const char *notes);
GDateTime *kennel_profile_get_created(KennelProfile *self);
void kennel_profile_set_created(KennelProfile *self, GDateTime *when);
GDateTime *kennel_profile_get_last_run(KennelProfile *self);
void kennel_profile_set_last_run(KennelProfile *self, GDateTime *when);
const char *kennel_profile_get_path(KennelProfile *self);
const char *kennel_profile_get_data_dir(KennelProfile *self);
void kennel_profile_set_data_dir(KennelProfile *self, const char *data_dir);

/* Disks: a GListModel of KennelProfileDisk, in [Disk 0], [Disk 1]... order. */
GListModel *kennel_profile_get_disks(KennelProfile *self);
KennelProfileDisk *kennel_profile_add_disk(KennelProfile *self, const char *file,
                                           gboolean read_only);
void kennel_profile_remove_disk(KennelProfile *self, guint index);

G_END_DECLS

#endif
