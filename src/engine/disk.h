/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `kennel-engine disk`: disk image helpers (`disk create FILE SIZE`). */
#ifndef KENNEL_ENGINE_DISK_H
#define KENNEL_ENGINE_DISK_H

#include <stdio.h>

/* argv[0] is "disk"; returns the process exit status. */
int disk_command(int argc, char **argv);

void disk_usage(FILE *out);

#endif
