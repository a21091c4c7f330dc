// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kennel-engine: one guest's engine.  The app starts one per running
 * guest; on its own it is a command-line program with subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "disk.h"
#include "options.h"
#include "run.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: kennel-engine COMMAND [OPTION...]\n"
	             "\n"
	             "Commands:\n"
	             "  run        boot a riscv64 guest headless, console on stdio\n"
	             "  disk create [--force] FILE SIZE\n"
	             "             make a sparse raw disk image for --disk\n"
	             "  help [COMMAND]  this help, or a command's\n"
	             "  version    print the version\n"
	             "\n"
	             "Options:\n"
	             "  -h, --help     this help\n"
	             "      --version  print the version\n"
	             "\n"
	             "'kennel-engine run --help' describes the run command,\n"
	             "'kennel-engine disk --help' the disk command.\n");
}

int main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : NULL;

	if (!command) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(command, "run") == 0)
		return run_command(argc - 1, argv + 1);
	if (strcmp(command, "disk") == 0)
		return disk_command(argc - 1, argv + 1);
	if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
	    strcmp(command, "help") == 0) {
		if (argc > 2 && strcmp(command, "help") == 0 && strcmp(argv[2], "run") == 0)
			run_options_usage(stdout);
		else if (argc > 2 && strcmp(command, "help") == 0 && strcmp(argv[2], "disk") == 0)
			disk_usage(stdout);
		else
			usage(stdout);
		return 0;
	}
	if (strcmp(command, "--version") == 0 || strcmp(command, "version") == 0) {
		printf("kennel-engine %s\n", KENNEL_VERSION);
		return 0;
	}
	fprintf(stderr, "kennel-engine: unknown command '%s'\n", command);
	fprintf(stderr, "Try 'kennel-engine --help'.\n");
	return EXIT_USAGE;
}
