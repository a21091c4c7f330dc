// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest profiles: parsing and validation (a table of malformed files, each
 * error naming the file, the group and the key), unknown keys kept through
 * a save, atomic saves under an injected failure and a crash, and the
 * engine command line a profile turns into.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "profile-private.h"
#include "profile.h"

static char *work_dir;

/* A valid profile; the cases below append to it or replace parts of it. */
#define GUEST_HEAD  \
	"[Guest]\n" \
	"id=t1\n"   \
	"name=Test\n"
#define BOOT_OK           \
	"[Boot]\n"        \
	"method=direct\n" \
	"kernel=/boot/Image\n"
#define VALID GUEST_HEAD BOOT_OK

static char *write_temp(const char *name, const char *text)
{
	char *path = g_build_filename(work_dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	return path;
}

static char *read_text(const char *path)
{
	g_autoptr(GError) error = NULL;
	char *text = NULL;

	g_file_get_contents(path, &text, NULL, &error);
	g_assert_no_error(error);
	return text;
}

static void test_valid_minimal(void)
{
	g_autofree char *path = write_temp("t1.ini", VALID);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, "/data", &error);

	g_assert_no_error(error);
	g_assert_cmpstr(kennel_profile_get_id(p), ==, "t1");
	g_assert_cmpstr(kennel_profile_get_name(p), ==, "Test");
	g_assert_cmpstr(kennel_profile_get_architecture(p), ==, "riscv64");
	g_assert_cmpint(kennel_profile_get_accelerator(p), ==, KENNEL_ACCELERATOR_AUTO);
	g_assert_cmpuint(kennel_profile_get_vcpus(p), ==, 1);
	g_assert_cmpuint(kennel_profile_get_memory(p), ==, 256u << 20);
	g_assert_cmpint(kennel_profile_get_boot_method(p), ==, KENNEL_BOOT_DIRECT);
	g_assert_cmpstr(kennel_profile_get_kernel(p), ==, "/boot/Image");
	g_assert_null(kennel_profile_get_initrd(p));
	g_assert_cmpint(kennel_profile_get_network(p), ==, KENNEL_NETWORK_NONE);
	g_assert_true(kennel_profile_get_display_enabled(p));
	g_assert_cmpuint(kennel_profile_get_display_width(p), ==, 0);
	g_assert_cmpint(kennel_profile_get_console(p), ==, KENNEL_CONSOLE_PTY);
	g_assert_cmpuint(g_list_model_get_n_items(kennel_profile_get_disks(p)), ==, 0);
	g_assert_cmpuint(kennel_profile_get_warnings(p)->len, ==, 0);
	g_assert_cmpstr(kennel_profile_get_path(p), ==, path);
}

static void test_valid_full(void)
{
	static const char text[] =
	        "[Guest]\n"
	        "version=1\n"
	        "id=full\n"
	        "name=Full guest\n"
	        "architecture=riscv64\n"
	        "accelerator=emulate\n"
	        "vcpus=4\n"
	        "memory=2G\n"
	        "display=1280x800\n"
	        "console=none\n"
	        "notes=first line\\nsecond line\n"
	        "created=2026-11-23T10:00:00Z\n"
	        "last-run=2026-11-23T12:30:00+01:00\n"
	        "[Boot]\n"
	        "method=firmware\n"
	        "firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin\n"
	        "kernel=images/Image\n"
	        "initrd=images/initrd\n"
	        "cmdline=console=ttyS0 quiet\n"
	        "[Network]\n"
	        "mode=restrict\n"
	        "forwards=tcp:127.0.0.1:8080-:80;udp::5353-:53;\n"
	        "[Disk 1]\n"
	        "file=/srv/base.img\n"
	        "read-only=true\n"
	        "[Disk 0]\n"
	        "file=disks/full-0.img\n"
	        "read-only=false\n";
	g_autofree char *path = write_temp("full.ini", text);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, "/data", &error);
	g_autoptr(KennelProfileDisk) d0 = NULL;
	g_autoptr(KennelProfileDisk) d1 = NULL;
	g_autofree char *created = NULL;
	g_autofree char *last_run = NULL;
	const char *const *forwards;

	g_assert_no_error(error);
	g_assert_cmpint(kennel_profile_get_accelerator(p), ==, KENNEL_ACCELERATOR_EMULATE);
	g_assert_cmpuint(kennel_profile_get_vcpus(p), ==, 4);
	g_assert_cmpuint(kennel_profile_get_memory(p), ==, G_GUINT64_CONSTANT(2) << 30);
	g_assert_cmpuint(kennel_profile_get_display_width(p), ==, 1280);
	g_assert_cmpuint(kennel_profile_get_display_height(p), ==, 800);
	g_assert_cmpint(kennel_profile_get_console(p), ==, KENNEL_CONSOLE_NONE);
	g_assert_cmpstr(kennel_profile_get_notes(p), ==, "first line\nsecond line");
	created = g_date_time_format_iso8601(kennel_profile_get_created(p));
	last_run = g_date_time_format_iso8601(kennel_profile_get_last_run(p));
	g_assert_cmpstr(created, ==, "2026-11-23T10:00:00Z");
	g_assert_cmpstr(last_run, ==, "2026-11-23T11:30:00Z");
	g_assert_cmpint(kennel_profile_get_boot_method(p), ==, KENNEL_BOOT_FIRMWARE);
	g_assert_cmpstr(kennel_profile_get_cmdline(p), ==, "console=ttyS0 quiet");
	g_assert_cmpint(kennel_profile_get_network(p), ==, KENNEL_NETWORK_RESTRICT);
	forwards = kennel_profile_get_forwards(p);
	g_assert_cmpuint(g_strv_length((char **)forwards), ==, 2);
	g_assert_cmpstr(forwards[0], ==, "tcp:127.0.0.1:8080-:80");
	g_assert_cmpstr(forwards[1], ==, "udp::5353-:53");
	/* Disks come in their numbers' order, whatever the groups' order. */
	g_assert_cmpuint(g_list_model_get_n_items(kennel_profile_get_disks(p)), ==, 2);
	d0 = g_list_model_get_item(kennel_profile_get_disks(p), 0);
	d1 = g_list_model_get_item(kennel_profile_get_disks(p), 1);
	g_assert_cmpstr(kennel_profile_disk_get_file(d0), ==, "disks/full-0.img");
	g_assert_false(kennel_profile_disk_get_read_only(d0));
	g_assert_cmpstr(kennel_profile_disk_get_file(d1), ==, "/srv/base.img");
	g_assert_true(kennel_profile_disk_get_read_only(d1));
	g_assert_cmpuint(kennel_profile_get_warnings(p)->len, ==, 0);
}

struct bad_case {
	const char *what;
	const char *text;
	KennelProfileError code;
	const char *group; /* NULL: the message names no group */
	const char *key;   /* NULL: the message names the group only */
};

static const struct bad_case bad_cases[] = {
        {"not a key file", "this is not [a key file\n", KENNEL_PROFILE_ERROR_PARSE, NULL, NULL},
        {"no [Guest] group", BOOT_OK, KENNEL_PROFILE_ERROR_MISSING_KEY, "Guest", NULL},
        {"no id", "[Guest]\nname=x\n" BOOT_OK, KENNEL_PROFILE_ERROR_MISSING_KEY, "Guest", "id"},
        {"bad id", "[Guest]\nid=../etc\nname=x\n" BOOT_OK, KENNEL_PROFILE_ERROR_INVALID_VALUE,
         "Guest", "id"},
        {"no name", "[Guest]\nid=t1\n" BOOT_OK, KENNEL_PROFILE_ERROR_MISSING_KEY, "Guest", "name"},
        {"name not UTF-8", "[Guest]\nid=t1\nname=\xff\xfe\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_WRONG_TYPE, "Guest", "name"},
        {"vcpus not a number", GUEST_HEAD "vcpus=two\n" BOOT_OK, KENNEL_PROFILE_ERROR_WRONG_TYPE,
         "Guest", "vcpus"},
        {"vcpus negative", GUEST_HEAD "vcpus=-1\n" BOOT_OK, KENNEL_PROFILE_ERROR_WRONG_TYPE,
         "Guest", "vcpus"},
        {"vcpus 0", GUEST_HEAD "vcpus=0\n" BOOT_OK, KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Guest",
         "vcpus"},
        {"vcpus 9", GUEST_HEAD "vcpus=9\n" BOOT_OK, KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Guest",
         "vcpus"},
        {"memory not a size", GUEST_HEAD "memory=lots\n" BOOT_OK, KENNEL_PROFILE_ERROR_WRONG_TYPE,
         "Guest", "memory"},
        {"memory bad unit", GUEST_HEAD "memory=512X\n" BOOT_OK, KENNEL_PROFILE_ERROR_WRONG_TYPE,
         "Guest", "memory"},
        {"memory too small", GUEST_HEAD "memory=8M\n" BOOT_OK, KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
         "Guest", "memory"},
        {"memory too large", GUEST_HEAD "memory=17G\n" BOOT_OK, KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
         "Guest", "memory"},
        {"memory beyond 64 bits", GUEST_HEAD "memory=99999999999999999999\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Guest", "memory"},
        {"memory not whole pages", GUEST_HEAD "memory=16385K\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Guest", "memory"},
        {"kvm not yet", GUEST_HEAD "accelerator=kvm\n" BOOT_OK, KENNEL_PROFILE_ERROR_NOT_AVAILABLE,
         "Guest", "accelerator"},
        {"unknown accelerator", GUEST_HEAD "accelerator=fast\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Guest", "accelerator"},
        {"x86_64 not yet", GUEST_HEAD "architecture=x86_64\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_NOT_AVAILABLE, "Guest", "architecture"},
        {"unknown architecture", GUEST_HEAD "architecture=pdp11\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Guest", "architecture"},
        {"display not a size", GUEST_HEAD "display=big\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Guest", "display"},
        {"display too small", GUEST_HEAD "display=10x10\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Guest", "display"},
        {"display zero", GUEST_HEAD "display=0x768\n" BOOT_OK, KENNEL_PROFILE_ERROR_OUT_OF_RANGE,
         "Guest", "display"},
        {"display too large", GUEST_HEAD "display=10000x768\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Guest", "display"},
        {"unknown console", GUEST_HEAD "console=serial\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Guest", "console"},
        {"created not a date", GUEST_HEAD "created=yesterday\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_WRONG_TYPE, "Guest", "created"},
        {"last-run not a date", GUEST_HEAD "last-run=2026-13-45T99:00:00Z\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_WRONG_TYPE, "Guest", "last-run"},
        {"version not a number", GUEST_HEAD "version=one\n" BOOT_OK,
         KENNEL_PROFILE_ERROR_WRONG_TYPE, "Guest", "version"},
        {"no [Boot] group", GUEST_HEAD, KENNEL_PROFILE_ERROR_MISSING_KEY, "Boot", NULL},
        {"unknown boot method", GUEST_HEAD "[Boot]\nmethod=pxe\nkernel=/k\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Boot", "method"},
        {"direct boot without kernel", GUEST_HEAD "[Boot]\nmethod=direct\ninitrd=/i\n",
         KENNEL_PROFILE_ERROR_MISSING_KEY, "Boot", "kernel"},
        {"direct boot with firmware", GUEST_HEAD BOOT_OK "firmware=/fw\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Boot", "firmware"},
        {"firmware boot without firmware", GUEST_HEAD "[Boot]\nmethod=firmware\nkernel=/k\n",
         KENNEL_PROFILE_ERROR_MISSING_KEY, "Boot", "firmware"},
        {"initrd without kernel", GUEST_HEAD "[Boot]\nmethod=firmware\nfirmware=/f\ninitrd=/i\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Boot", "initrd"},
        {"unknown network", VALID "[Network]\nmode=bridge\n", KENNEL_PROFILE_ERROR_INVALID_VALUE,
         "Network", "mode"},
        {"forward without ports", VALID "[Network]\nmode=user\nforwards=tcp:8080:80\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Network", "forwards"},
        {"forward bad protocol", VALID "[Network]\nmode=user\nforwards=sctp::80-:80\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Network", "forwards"},
        {"forward port too large", VALID "[Network]\nmode=user\nforwards=tcp::99999-:80\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Network", "forwards"},
        {"forward bad address", VALID "[Network]\nmode=user\nforwards=tcp:1.2.3.4.5:80-:80\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Network", "forwards"},
        {"forward twice", VALID "[Network]\nmode=user\nforwards=tcp::80-:80;tcp::80-:81\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Network", "forwards"},
        {"forward without network", VALID "[Network]\nmode=none\nforwards=tcp::80-:80\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Network", "forwards"},
        {"disk read-only not boolean", VALID "[Disk 0]\nfile=/d.img\nread-only=maybe\n",
         KENNEL_PROFILE_ERROR_WRONG_TYPE, "Disk 0", "read-only"},
        {"disk file with a comma", VALID "[Disk 0]\nfile=/a,b.img\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Disk 0", "file"},
        {"disk serial too long", VALID "[Disk 0]\nfile=/a.img\nserial=123456789012345678901\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Disk 0", "serial"},
        {"disk serial with a comma", VALID "[Disk 0]\nfile=/a.img\nserial=a,b\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Disk 0", "serial"},
        {"disk without file", VALID "[Disk 0]\nread-only=true\n", KENNEL_PROFILE_ERROR_MISSING_KEY,
         "Disk 0", "file"},
        {"disk twice", VALID "[Disk 1]\nfile=/a.img\n[Disk 01]\nfile=/b.img\n",
         KENNEL_PROFILE_ERROR_INVALID_VALUE, "Disk 01", NULL},
        {"nine disks",
         VALID "[Disk 0]\nfile=/0\n[Disk 1]\nfile=/1\n[Disk 2]\nfile=/2\n[Disk 3]\nfile=/3\n"
               "[Disk 4]\nfile=/4\n[Disk 5]\nfile=/5\n[Disk 6]\nfile=/6\n[Disk 7]\nfile=/7\n"
               "[Disk 8]\nfile=/8\n",
         KENNEL_PROFILE_ERROR_OUT_OF_RANGE, "Disk 8", NULL},
};

/* The message starts "FILE: [Group] key: " -- exactly that group and key. */
static void check_names(const char *message, const char *path, const char *group, const char *key)
{
	g_autofree char *prefix = NULL;

	if (group && key)
		prefix = g_strdup_printf("%s: [%s] %s: ", path, group, key);
	else if (group)
		prefix = g_strdup_printf("%s: [%s]: ", path, group);
	else
		prefix = g_strdup_printf("%s: ", path);
	if (!g_str_has_prefix(message, prefix))
		g_error("message \"%s\" does not start with \"%s\"", message, prefix);
}

static void test_malformed(gconstpointer data)
{
	const struct bad_case *c = data;
	g_autofree char *path = write_temp("t1.ini", c->text);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, "/data", &error);

	g_assert_null(p);
	g_assert_error(error, KENNEL_PROFILE_ERROR, (gint)c->code);
	g_test_message("%s", error->message);
	check_names(error->message, path, c->group, c->key);
}

static void test_unreadable(void)
{
	g_autofree char *path = g_build_filename(work_dir, "absent.ini", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, NULL, &error);

	g_assert_null(p);
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_PARSE);
	check_names(error->message, path, NULL, NULL);
}

static void test_missing_files(void)
{
	g_autofree char *kernel = write_temp("Image", "kernel");
	g_autofree char *text = NULL;
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = NULL;

	/* Loading does not need the files (a kernel on an unplugged disk)... */
	text = g_strdup_printf("[Guest]\nid=t1\nname=x\n[Boot]\nkernel=Image\ninitrd=%s/absent\n",
	                       work_dir);
	path = write_temp("t1.ini", text);
	p = kennel_profile_new_from_file(path, work_dir, &error);
	g_assert_no_error(error);
	/* ...checking them does, and names the key.  Relative paths are in data_dir. */
	g_assert_false(kennel_profile_check_files(p, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_MISSING_FILE);
	check_names(error->message, path, "Boot", "initrd");
	g_clear_error(&error);

	kennel_profile_set_initrd(p, NULL);
	kennel_profile_add_disk(p, "disks/none.img", FALSE);
	g_assert_false(kennel_profile_check_files(p, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_MISSING_FILE);
	check_names(error->message, path, "Disk 0", "file");
	g_clear_error(&error);

	kennel_profile_remove_disk(p, 0);
	g_assert_true(kennel_profile_check_files(p, &error));
	g_assert_no_error(error);
}

static void test_unknown_keys_warn(void)
{
	static const char text[] = VALID "colour=red\n"
	                                 "[Guest]\n"
	                                 "memroy=1G\n"
	                                 "[Sound]\n"
	                                 "card=ac97\n"
	                                 "[Disk 0]\n"
	                                 "file=/d.img\n"
	                                 "cache=none\n";
	g_autofree char *path = write_temp("t1.ini", text);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, NULL, &error);
	GPtrArray *warnings;
	const char *expected[][2] = {
	        {"Guest", "memroy"}, {"Boot", "colour"}, {"Sound", NULL}, {"Disk 0", "cache"}};

	g_assert_no_error(error);
	warnings = kennel_profile_get_warnings(p);
	g_assert_cmpuint(warnings->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < warnings->len; i++) {
		GError *w = warnings->pdata[i];

		g_test_message("%s", w->message);
		g_assert_error(w, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_UNKNOWN_KEY);
		check_names(w->message, path, expected[i][0], expected[i][1]);
	}
}

static void test_id_file_mismatch_warns(void)
{
	g_autofree char *path = write_temp("other.ini", VALID);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, NULL, &error);
	GPtrArray *warnings;

	g_assert_no_error(error);
	warnings = kennel_profile_get_warnings(p);
	g_assert_cmpuint(warnings->len, ==, 1);
	check_names(((GError *)warnings->pdata[0])->message, path, "Guest", "id");
}

/* Edits through properties are checked by validate with the same messages. */
static void test_validate_edits(void)
{
	g_autoptr(KennelProfile) p = kennel_profile_new("Edited");
	g_autoptr(GError) error = NULL;
	const char *const forwards[] = {"tcp::2222-:22", NULL};
	const char *const bad_forwards[] = {"tcp::2222", NULL};

	g_assert_false(kennel_profile_validate(p, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_MISSING_KEY);
	check_names(error->message, "guest 'Edited'", "Guest", "id");
	g_clear_error(&error);

	kennel_profile_set_id(p, "edited");
	kennel_profile_set_kernel(p, "/k");
	g_assert_true(kennel_profile_validate(p, &error));
	g_assert_no_error(error);

	kennel_profile_set_memory(p, 8u << 20);
	g_assert_false(kennel_profile_validate(p, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_OUT_OF_RANGE);
	check_names(error->message, "guest 'Edited'", "Guest", "memory");
	g_clear_error(&error);
	kennel_profile_set_memory(p, 1u << 30);

	kennel_profile_set_network(p, KENNEL_NETWORK_USER);
	kennel_profile_set_forwards(p, bad_forwards);
	g_assert_false(kennel_profile_validate(p, &error));
	check_names(error->message, "guest 'Edited'", "Network", "forwards");
	g_clear_error(&error);
	kennel_profile_set_forwards(p, forwards);
	g_assert_true(kennel_profile_validate(p, &error));

	g_assert_true(kennel_profile_check_forward("udp:10.0.0.1:53-:53", NULL));
	g_assert_false(kennel_profile_check_forward("tcp:localhost:80-:80", NULL));
}

static void test_sizes(void)
{
	static const struct {
		const char *text;
		gboolean ok;
		guint64 bytes;
	} cases[] = {
	        {"256M", TRUE, 256u << 20}, {"256", TRUE, 256u << 20}, {"1G", TRUE, 1u << 30},
	        {"2GiB", TRUE, 2ull << 30}, {"64MB", TRUE, 64u << 20}, {"4096B", TRUE, 4096},
	        {"512k", TRUE, 512u << 10}, {"1X", FALSE, 0},          {"", FALSE, 0},
	        {"-1G", FALSE, 0},          {"1Gx", FALSE, 0},
	};
	static const struct {
		guint64 bytes;
		const char *text;
	} formats[] = {
	        {256u << 20, "256M"}, {2ull << 30, "2G"},   {1536u << 10, "1536K"},
	        {100, "100B"},        {16ull << 40, "16T"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		guint64 bytes = 0;

		g_assert_cmpint(kennel_profile_parse_size(cases[i].text, &bytes), ==, cases[i].ok);
		if (cases[i].ok)
			g_assert_cmpuint(bytes, ==, cases[i].bytes);
	}
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_autofree char *text = kennel_profile_format_size(formats[i].bytes);

		g_assert_cmpstr(text, ==, formats[i].text);
	}
}

/* Every property survives save and load; the file says what was set. */
static void test_round_trip_properties(void)
{
	g_autoptr(KennelProfile) p = kennel_profile_new("Round trip");
	g_autoptr(KennelProfile) q = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDateTime) when = g_date_time_new_utc(2026, 11, 23, 17, 5, 9.75);
	g_autofree char *path = g_build_filename(work_dir, "rt.ini", NULL);
	g_autofree char *first = NULL;
	g_autofree char *second = NULL;
	const char *const forwards[] = {"tcp:127.0.0.1:8080-:80", "udp::5353-:53", NULL};

	kennel_profile_set_id(p, "rt");
	kennel_profile_set_accelerator(p, KENNEL_ACCELERATOR_EMULATE);
	kennel_profile_set_vcpus(p, 3);
	kennel_profile_set_memory(p, 1536u << 20);
	kennel_profile_set_boot_method(p, KENNEL_BOOT_FIRMWARE);
	kennel_profile_set_firmware(p, "fw_jump.bin");
	kennel_profile_set_kernel(p, "Image");
	kennel_profile_set_initrd(p, "initrd; with ; semicolons");
	kennel_profile_set_cmdline(p, "console=ttyS0 kennel.run=\"echo hi\"");
	kennel_profile_set_network(p, KENNEL_NETWORK_USER);
	kennel_profile_set_forwards(p, forwards);
	kennel_profile_set_display(p, FALSE, 0, 0);
	kennel_profile_set_console(p, KENNEL_CONSOLE_NONE);
	kennel_profile_set_notes(p, "  leading spaces\nand a second line\\with a backslash");
	kennel_profile_set_created(p, when);
	kennel_profile_set_last_run(p, when);
	kennel_profile_add_disk(p, "disks/rt-0.img", FALSE);
	kennel_profile_disk_set_serial(kennel_profile_add_disk(p, "/abs/base.img", TRUE), "BASE-1");

	g_assert_true(kennel_profile_save_to_file(p, path, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(kennel_profile_get_path(p), ==, path);
	first = read_text(path);
	g_test_message("%s", first);
	g_assert_nonnull(strstr(first, "memory=1536M\n"));
	g_assert_nonnull(strstr(first, "display=off\n"));
	g_assert_nonnull(strstr(first, "created=2026-11-23T17:05:09Z\n"));
	g_assert_nonnull(
	        strstr(first, "[Disk 1]\nfile=/abs/base.img\nread-only=true\nserial=BASE-1\n"));

	q = kennel_profile_new_from_file(path, work_dir, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(kennel_profile_get_warnings(q)->len, ==, 0);
	g_assert_cmpstr(kennel_profile_get_notes(q), ==, kennel_profile_get_notes(p));
	g_assert_cmpstr(kennel_profile_get_initrd(q), ==, "initrd; with ; semicolons");
	g_assert_cmpstr(kennel_profile_get_cmdline(q), ==, kennel_profile_get_cmdline(p));
	g_assert_true(g_strv_equal(kennel_profile_get_forwards(q), forwards));
	g_assert_false(kennel_profile_get_display_enabled(q));
	g_assert_true(
	        g_date_time_equal(kennel_profile_get_created(q), kennel_profile_get_created(p)));
	g_assert_cmpuint(g_list_model_get_n_items(kennel_profile_get_disks(q)), ==, 2);
	/* The same file again, byte for byte. */
	g_assert_true(kennel_profile_save(q, &error));
	second = read_text(path);
	g_assert_cmpstr(first, ==, second);
}

static void assert_value(GKeyFile *kf, const char *group, const char *key, const char *expected)
{
	g_autofree char *value = g_key_file_get_value(kf, group, key, NULL);

	g_assert_cmpstr(value, ==, expected);
}

/* Unknown keys, unknown groups, comments and translations survive a save. */
static void test_round_trip_unknown(void)
{
	static const char text[] = "# my favourite guest\n"
	                           "[Guest]\n"
	                           "version=2\n"
	                           "id=t1\n"
	                           "name=Old name\n"
	                           "name[fr]=Ancien nom\n"
	                           "# newer Kennels know this\n"
	                           "balloon=true\n"
	                           "vcpus=2\n"
	                           "[Boot]\n"
	                           "kernel=/boot/Image\n"
	                           "initrd=/boot/initrd\n"
	                           "secure-boot=off\n"
	                           "[Sound]\n"
	                           "card=ac97\n"
	                           "[Disk 0]\n"
	                           "file=/a.img\n"
	                           "cache=writeback\n"
	                           "[Disk 1]\n"
	                           "file=/b.img\n"
	                           "read-only=true\n"
	                           "discard=unmap\n";
	g_autofree char *path = write_temp("t1.ini", text);
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, NULL, &error);
	g_autoptr(KennelProfile) q = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *saved = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(kennel_profile_get_warnings(p)->len, ==, 5);
	g_assert_nonnull(strstr(((GError *)kennel_profile_get_warnings(p)->pdata[0])->message,
	                        "newer Kennel"));
	kennel_profile_set_name(p, "New name");
	kennel_profile_set_initrd(p, NULL);
	kennel_profile_remove_disk(p, 0);
	g_assert_true(kennel_profile_save(p, &error));
	g_assert_no_error(error);
	saved = read_text(path);
	g_test_message("%s", saved);

	g_assert_true(g_key_file_load_from_file(
	        kf, path, G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, &error));
	assert_value(kf, "Guest", "balloon", "true");
	{
		g_autofree char *fr = g_key_file_get_locale_string(kf, "Guest", "name", "fr", NULL);

		g_assert_cmpstr(fr, ==, "Ancien nom");
	}
	assert_value(kf, "Guest", "name", "New name");
	assert_value(kf, "Guest", "version", "2");
	assert_value(kf, "Boot", "secure-boot", "off");
	g_assert_false(g_key_file_has_key(kf, "Boot", "initrd", NULL));
	assert_value(kf, "Sound", "card", "ac97");
	/* Disk 1 became Disk 0 and took its own unknown key with it. */
	assert_value(kf, "Disk 0", "file", "/b.img");
	assert_value(kf, "Disk 0", "discard", "unmap");
	g_assert_false(g_key_file_has_key(kf, "Disk 0", "cache", NULL));
	g_assert_false(g_key_file_has_group(kf, "Disk 1"));
	g_assert_nonnull(strstr(saved, "# my favourite guest\n"));
	g_assert_nonnull(strstr(saved, "# newer Kennels know this\nballoon=true\n"));

	/* And the saved file loads again with the same warnings (less the dropped disk). */
	q = kennel_profile_new_from_file(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(kennel_profile_get_name(q), ==, "New name");
	g_assert_cmpuint(kennel_profile_get_warnings(q)->len, ==, 4);
}

/* --- atomic saves -------------------------------------------------------- */

static gsize fail_after;      /* bytes the injected write lets through */
static gboolean crash_inside; /* SIGKILL ourselves instead of failing */

static ssize_t failing_write(int fd, const void *buf, size_t count)
{
	if (fail_after == 0) {
		if (crash_inside)
			raise(SIGKILL);
		errno = EIO;
		return -1;
	}
	count = MIN(count, fail_after);
	fail_after -= count;
	return write(fd, buf, count);
}

/* Only the profile itself in the directory: no temporary file left behind. */
static void assert_dir_holds_only(const char *dir, const char *name)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *entry;
	guint n = 0;

	g_assert_nonnull(d);
	while ((entry = g_dir_read_name(d))) {
		g_assert_cmpstr(entry, ==, name);
		n++;
	}
	g_assert_cmpuint(n, ==, 1);
}

static KennelProfile *make_saved(const char *dir, char **path, char **text)
{
	KennelProfile *p = kennel_profile_new("Atomic");
	g_autoptr(GError) error = NULL;

	*path = g_build_filename(dir, "atomic.ini", NULL);
	kennel_profile_set_id(p, "atomic");
	kennel_profile_set_kernel(p, "/boot/Image");
	kennel_profile_set_notes(p, "the old notes");
	g_assert_true(kennel_profile_save_to_file(p, *path, &error));
	g_assert_no_error(error);
	*text = read_text(*path);
	/* The next save writes something longer, so a torn write would show. */
	kennel_profile_set_notes(p, "the new notes, much longer than the old ones, "
	                            "so that half a write is easy to see");
	return p;
}

static void test_atomic_injected_failure(void)
{
	g_autofree char *dir = g_build_filename(work_dir, "atomic-fail", NULL);
	g_autofree char *path = NULL;
	g_autofree char *old = NULL;
	g_autofree char *now = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = make_saved(dir, &path, &old);

	fail_after = 40;
	crash_inside = FALSE;
	kennel_profile_write_fn = failing_write;
	g_assert_false(kennel_profile_save(p, &error));
	kennel_profile_write_fn = write;
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, path));
	now = read_text(path);
	g_assert_cmpstr(now, ==, old);
	assert_dir_holds_only(dir, "atomic.ini");
	g_clear_error(&error);

	/* And the next save, with a working disk, succeeds. */
	g_assert_true(kennel_profile_save(p, &error));
	g_assert_no_error(error);
	g_free(now);
	now = read_text(path);
	g_assert_nonnull(strstr(now, "much longer"));
}

/* A process killed in the middle of a save leaves the old file intact. */
static void test_atomic_crash(void)
{
	g_autofree char *dir = g_build_filename(work_dir, "atomic-crash", NULL);
	g_autofree char *path = NULL;
	g_autofree char *old = NULL;
	g_autofree char *now = NULL;
	g_autoptr(KennelProfile) p = make_saved(dir, &path, &old);
	g_autoptr(KennelProfile) reloaded = NULL;
	g_autoptr(GError) error = NULL;
	int status;
	pid_t pid;

	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		fail_after = 60;
		crash_inside = TRUE;
		kennel_profile_write_fn = failing_write;
		kennel_profile_save(p, NULL);
		_exit(0); /* not reached: the write kills us */
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status));
	g_assert_cmpint(WTERMSIG(status), ==, SIGKILL);
	now = read_text(path);
	g_assert_cmpstr(now, ==, old);
	reloaded = kennel_profile_new_from_file(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(kennel_profile_get_notes(reloaded), ==, "the old notes");
}

/* A directory we may not write into: the save fails, the old file stays. */
static void test_atomic_read_only_dir(void)
{
	g_autofree char *dir = g_build_filename(work_dir, "atomic-ro", NULL);
	g_autofree char *path = NULL;
	g_autofree char *old = NULL;
	g_autofree char *now = NULL;
	g_autoptr(KennelProfile) p = make_saved(dir, &path, &old);
	g_autoptr(GError) error = NULL;

	if (geteuid() == 0) {
		g_test_skip("root writes into read-only directories");
		return;
	}
	g_assert_cmpint(g_chmod(dir, 0500), ==, 0);
	g_assert_false(kennel_profile_save(p, &error));
	g_chmod(dir, 0700);
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO);
	now = read_text(path);
	g_assert_cmpstr(now, ==, old);
}

/*
 * A disk that fills up (here: RLIMIT_FSIZE, which root cannot ignore) in
 * the middle of a save, in a child process: the save fails, the old file
 * stays.
 */
static void test_atomic_disk_full(void)
{
	g_autofree char *dir = g_build_filename(work_dir, "atomic-full", NULL);
	g_autofree char *path = NULL;
	g_autofree char *old = NULL;
	g_autofree char *now = NULL;
	g_autoptr(KennelProfile) p = make_saved(dir, &path, &old);
	int status;
	pid_t pid;

	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		struct rlimit limit = {.rlim_cur = 64, .rlim_max = 64};
		GError *error = NULL;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &limit);
		if (kennel_profile_save(p, &error))
			_exit(1);
		_exit(g_error_matches(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_IO) ? 0
		                                                                            : 2);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	now = read_text(path);
	g_assert_cmpstr(now, ==, old);
	assert_dir_holds_only(dir, "atomic.ini");
}

static void test_save_refuses_invalid(void)
{
	g_autofree char *path = g_build_filename(work_dir, "invalid.ini", NULL);
	g_autoptr(KennelProfile) p = kennel_profile_new("No kernel");
	g_autoptr(GError) error = NULL;

	kennel_profile_set_id(p, "invalid");
	g_assert_false(kennel_profile_save_to_file(p, path, &error));
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_MISSING_KEY);
	check_names(error->message, path, "Boot", "kernel");
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* --- the engine's command line ------------------------------------------- */

static void test_engine_args(void)
{
	g_autoptr(KennelProfile) p = kennel_profile_new("Args");
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) args = NULL;
	g_autofree char *joined = NULL;
	const char *const forwards[] = {"tcp:127.0.0.1:8080-:80", NULL};

	kennel_profile_set_id(p, "args");
	kennel_profile_set_data_dir(p, "/data");
	kennel_profile_set_kernel(p, "guests/Image");
	kennel_profile_set_initrd(p, "/abs/initrd");
	kennel_profile_set_cmdline(p, "console=hvc0 kennel.run=\"echo a b\"");
	kennel_profile_set_memory(p, 512u << 20);
	kennel_profile_set_vcpus(p, 2);

	/* The plain guest: no disk, no network, the default display. */
	args = kennel_profile_to_engine_args(p, &error);
	g_assert_no_error(error);
	joined = g_strjoinv("|", args);
	g_assert_cmpstr(joined, ==,
	                "--kernel|/data/guests/Image|--initrd|/abs/initrd|--append|"
	                "console=hvc0 kennel.run=\"echo a b\"|--mem|512M|--cpus|2");
	g_clear_pointer(&args, g_strfreev);
	g_clear_pointer(&joined, g_free);

	kennel_profile_add_disk(p, "disks/args-0.img", FALSE);
	kennel_profile_disk_set_serial(kennel_profile_add_disk(p, "/srv/base.img", TRUE), "base");
	kennel_profile_set_network(p, KENNEL_NETWORK_RESTRICT);
	kennel_profile_set_forwards(p, forwards);
	kennel_profile_set_display(p, TRUE, 1024, 768);
	kennel_profile_set_boot_method(p, KENNEL_BOOT_FIRMWARE);
	kennel_profile_set_firmware(p, "/fw/fw_jump.bin");
	args = kennel_profile_to_engine_args(p, &error);
	g_assert_no_error(error);
	joined = g_strjoinv("|", args);
	g_assert_cmpstr(
	        joined, ==,
	        "--firmware|/fw/fw_jump.bin|--kernel|/data/guests/Image|--initrd|"
	        "/abs/initrd|--append|console=hvc0 kennel.run=\"echo a b\"|--mem|512M|"
	        "--cpus|2|--disk|/data/disks/args-0.img|--disk|/srv/base.img,ro,serial=base|"
	        "--net|user,restrict|--mac|52:54:00:0a:a7:3c|--forward|tcp:127.0.0.1:8080-:80|"
	        "--display|1024x768");
	g_clear_pointer(&args, g_strfreev);
	g_clear_pointer(&joined, g_free);

	/* Another guest, another MAC address (a hash of the id). */
	kennel_profile_set_id(p, "args-2");
	args = kennel_profile_to_engine_args(p, &error);
	g_assert_no_error(error);
	joined = g_strjoinv("|", args);
	g_assert_null(strstr(joined, "52:54:00:0a:a7:3c"));
	g_assert_nonnull(strstr(joined, "|--mac|52:54:00:"));
	g_clear_pointer(&args, g_strfreev);
	g_clear_pointer(&joined, g_free);

	kennel_profile_set_display(p, FALSE, 0, 0);
	args = kennel_profile_to_engine_args(p, &error);
	joined = g_strjoinv("|", args);
	g_assert_true(g_str_has_suffix(joined, "|--no-display"));
	g_clear_pointer(&args, g_strfreev);

	/* An invalid profile gives no command line, but the reason. */
	kennel_profile_set_vcpus(p, 12);
	args = kennel_profile_to_engine_args(p, &error);
	g_assert_null(args);
	g_assert_error(error, KENNEL_PROFILE_ERROR, KENNEL_PROFILE_ERROR_OUT_OF_RANGE);
}

static void test_copy(void)
{
	g_autofree char *path = write_temp("t1.ini", VALID "extra=1\n[Disk 0]\nfile=/x\nk=v\n");
	g_autoptr(GError) error = NULL;
	g_autoptr(KennelProfile) p = kennel_profile_new_from_file(path, NULL, &error);
	g_autoptr(KennelProfile) q = NULL;
	g_autofree char *a = NULL;
	g_autofree char *b = NULL;

	g_assert_no_error(error);
	q = kennel_profile_copy(p);
	g_assert_null(kennel_profile_get_path(q));
	a = kennel_profile_to_data(p, NULL);
	b = kennel_profile_to_data(q, NULL);
	g_assert_cmpstr(a, ==, b);
	/* The copy's disks are its own. */
	kennel_profile_remove_disk(q, 0);
	g_assert_cmpuint(g_list_model_get_n_items(kennel_profile_get_disks(p)), ==, 1);
}

static void count_notify(GObject *object, GParamSpec *pspec, gpointer data)
{
	(*(guint *)data)++;
}

static void test_notify(void)
{
	g_autoptr(KennelProfile) p = kennel_profile_new("Notify");
	guint count = 0;

	g_signal_connect(p, "notify", G_CALLBACK(count_notify), &count);
	g_object_set(p, "memory", (guint64)(1u << 30), "vcpus", 2u, NULL);
	g_assert_cmpuint(count, ==, 2);
	kennel_profile_set_vcpus(p, 2); /* no change: no notify */
	g_assert_cmpuint(count, ==, 2);
	kennel_profile_set_display(p, TRUE, 800, 600);
	g_assert_cmpuint(count, ==, 4);
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	int status;

	g_test_init(&argc, &argv, NULL);
	work_dir = g_dir_make_tmp("kennel-profile-XXXXXX", &error);
	g_assert_no_error(error);

	g_test_add_func("/profile/valid/minimal", test_valid_minimal);
	g_test_add_func("/profile/valid/full", test_valid_full);
	for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *name = g_strdup_printf("/profile/malformed/%s", bad_cases[i].what);

		g_test_add_data_func(name, &bad_cases[i], test_malformed);
	}
	g_test_add_func("/profile/malformed/unreadable", test_unreadable);
	g_test_add_func("/profile/missing-files", test_missing_files);
	g_test_add_func("/profile/unknown-keys-warn", test_unknown_keys_warn);
	g_test_add_func("/profile/id-file-mismatch", test_id_file_mismatch_warns);
	g_test_add_func("/profile/validate-edits", test_validate_edits);
	g_test_add_func("/profile/sizes", test_sizes);
	g_test_add_func("/profile/round-trip/properties", test_round_trip_properties);
	g_test_add_func("/profile/round-trip/unknown-keys", test_round_trip_unknown);
	g_test_add_func("/profile/atomic/injected-failure", test_atomic_injected_failure);
	g_test_add_func("/profile/atomic/crash", test_atomic_crash);
	g_test_add_func("/profile/atomic/read-only-dir", test_atomic_read_only_dir);
	g_test_add_func("/profile/atomic/disk-full", test_atomic_disk_full);
	g_test_add_func("/profile/save-refuses-invalid", test_save_refuses_invalid);
	g_test_add_func("/profile/engine-args", test_engine_args);
	g_test_add_func("/profile/copy", test_copy);
	g_test_add_func("/profile/notify", test_notify);

	status = g_test_run();
	{
		g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", work_dir);

		if (system(cmd) != 0)
			g_printerr("# could not remove %s\n", work_dir);
	}
	return status;
}
