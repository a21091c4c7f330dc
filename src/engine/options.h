/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line of `kennel-engine run`. */
#ifndef KENNEL_ENGINE_OPTIONS_H
#define KENNEL_ENGINE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "net_slirp.h"
#include "units.h"

#define RUN_MEM_DEFAULT (256 * MiB)
#define RUN_MEM_MIN     (16 * MiB)
#define RUN_MEM_MAX     (16 * GiB)
#define RUN_CPUS_MAX    8

/* --disk: virtio-blk disks, in virtio-mmio slots 8..15. */
#define RUN_DISKS_MAX     8
#define RUN_DISK_PATH_MAX 4096

/* Exit statuses of kennel-engine (see docs/engine.md). */
#define EXIT_SETUP_ERROR 1  /* a file or the machine could not be set up */
#define EXIT_USAGE       2  /* the command line is wrong */
#define EXIT_HV_ERROR    70 /* the hypervisor core failed (EX_SOFTWARE) */

/* Where the virtio console's port goes. */
enum run_console {
	RUN_CONSOLE_STDIO = 0, /* shares stdin/stdout with the SBI console and the UART */
	RUN_CONSOLE_PTY,       /* a new pty; its slave path is printed on stderr */
};

/* One --disk FILE[,ro][,serial=ID]. */
struct run_disk {
	char path[RUN_DISK_PATH_MAX];
	bool read_only;
	char serial[21]; /* empty: the file's name */
};

/* The guest's network. */
enum run_net {
	RUN_NET_NONE = 0, /* no network device */
	RUN_NET_USER,     /* virtio-net on libslirp's user-mode network */
};

struct run_options {
	const char *kernel, *initrd, *firmware, *append;
	uint64_t mem;
	unsigned cpus;
	bool stats;
	enum run_console console;
	bool console_given; /* --console was on the command line */
	int control_fd;     /* --control-fd: the app's GDBus socket, or -1 */
	bool no_virtio;     /* no virtio devices at all */
	bool virtio_legacy; /* virtio-mmio version 1 instead of 2 */
	struct run_disk disks[RUN_DISKS_MAX];
	unsigned num_disks;
	enum run_net net;
	bool net_restrict; /* --net user,restrict: the guest reaches nothing but forwards */
	struct net_forward forwards[NET_FORWARDS_MAX];
	unsigned num_forwards;
	bool mac_given;
	uint8_t mac[6];
	/* The screen: a virtio-gpu (with keyboard and tablet) unless no_display. */
	bool no_display;
	unsigned display_width, display_height;
	const char *vnc;               /* unix:PATH or tcp:ADDR:PORT, or NULL */
	const char *vnc_password_file; /* or KENNEL_VNC_PASSWORD in the environment */
	bool vnc_view_only;
	bool help, version; /* asked for; nothing else to do */
};

/*
 * Parses argv (argv[0] is "run").  Returns 0, or -EINVAL with a message in
 * why for a usage error.
 */
int run_options_parse(int argc, char **argv, struct run_options *o, char *why, size_t why_len);

void run_options_usage(FILE *out);

#endif
