/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the hypervisor did for each vCPU, for people (--stats, Ctrl-A s). */
#ifndef KENNEL_ENGINE_STATS_H
#define KENNEL_ENGINE_STATS_H

#include <stdio.h>

#include "hv/hv.h"

void print_vcpu_stats(FILE *out, struct hv_vm *vm, unsigned cpus);

#endif
