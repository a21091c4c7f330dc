// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `--profile FILE`: the one place where the engine reads a guest profile.
 *
 * The profile becomes command-line options (kennel_profile_to_engine_args)
 * that go in front of the user's own, so that the engine has one parser
 * of options and the usual rule holds: a later option overrides an earlier
 * one (`--profile g.ini --mem 1G` runs g with 1 GiB).  GLib lives here and
 * in the profile library only.
 */
#include "profile_args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "profile/profile.h"

/* Finds --profile: its value and the argv positions it takes (1 or 2). */
static int find_profile(int argc, char **argv, const char **file, int *at, int *count)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--profile") == 0) {
			if (i + 1 >= argc)
				return -EINVAL;
			*file = argv[i + 1];
			*at = i;
			*count = 2;
			return 1;
		}
		if (strncmp(argv[i], "--profile=", 10) == 0) {
			*file = argv[i] + 10;
			*at = i;
			*count = 1;
			return 1;
		}
	}
	return 0;
}

/* Does the command line name a kernel, initrd, firmware or disk itself? */
static bool gives_files(int argc, char **argv)
{
	static const char *const options[] = {"--kernel", "--initrd", "--firmware", "--disk"};

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] == '-' && strchr("kif", argv[i][1]) && argv[i][1])
			return true;
		for (unsigned o = 0; o < G_N_ELEMENTS(options); o++) {
			size_t n = strlen(options[o]);

			if (strncmp(argv[i], options[o], n) == 0 &&
			    (argv[i][n] == '\0' || argv[i][n] == '='))
				return true;
		}
	}
	return false;
}

int profile_args_expand(int argc, char **argv, int *out_argc, char ***out_argv, char *why,
                        size_t why_len)
{
	g_autoptr(KennelProfile) profile = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) options = NULL;
	GPtrArray *args;
	const char *file = NULL;
	int at = 0, count = 0, found;
	GPtrArray *warnings;

	*out_argv = NULL;
	found = find_profile(argc, argv, &file, &at, &count);
	if (found < 0) {
		snprintf(why, why_len, "--profile needs a value");
		return -EINVAL;
	}
	if (!found)
		return 0;
	if (!*file) {
		snprintf(why, why_len, "--profile needs a file name");
		return -EINVAL;
	}
	for (int i = at + count; i < argc; i++) {
		if (strcmp(argv[i], "--profile") == 0 || strncmp(argv[i], "--profile=", 10) == 0) {
			snprintf(why, why_len, "--profile is given twice");
			return -EINVAL;
		}
	}

	profile = kennel_profile_new_from_file(file, NULL, &error);
	if (!profile) {
		snprintf(why, why_len, "%s", error->message);
		return -ENOENT;
	}
	warnings = kennel_profile_get_warnings(profile);
	for (unsigned i = 0; i < warnings->len; i++)
		fprintf(stderr, "kennel-engine run: warning: %s\n",
		        ((GError *)warnings->pdata[i])->message);
	/*
	 * A missing file is named by its profile key -- unless the command line
	 * gives files of its own, which the engine then checks as it opens them.
	 */
	if (!gives_files(argc, argv) && !kennel_profile_check_files(profile, &error)) {
		snprintf(why, why_len, "%s", error->message);
		return -ENOENT;
	}
	options = kennel_profile_to_engine_args(profile, &error);
	if (!options) {
		snprintf(why, why_len, "%s", error->message);
		return -ENOENT;
	}

	/* "run", the profile's options, then the command line's without --profile. */
	args = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(args, g_strdup(argv[0]));
	for (unsigned i = 0; options[i]; i++)
		g_ptr_array_add(args, g_strdup(options[i]));
	for (int i = 1; i < argc; i++)
		if (i < at || i >= at + count)
			g_ptr_array_add(args, g_strdup(argv[i]));
	*out_argc = (int)args->len;
	g_ptr_array_add(args, NULL);
	*out_argv = (char **)g_ptr_array_free(args, FALSE);
	return 0;
}

void profile_args_free(char **argv)
{
	g_strfreev(argv);
}
