/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the hypervisor and the devices did, for people (--stats, Ctrl-A s). */
#ifndef KENNEL_ENGINE_STATS_H
#define KENNEL_ENGINE_STATS_H

#include <stdio.h>

struct machine;

/* Each vCPU's statistics from the hv, then each virtio device's. */
void print_machine_stats(FILE *out, struct machine *m);

#endif
