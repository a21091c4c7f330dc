/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stand-in for the hv in device tests: it implements hv.h with plain
 * memory for RAM and a table of MMIO regions, runs no CPU, and remembers
 * what the devices told it (interrupt line levels, exit requests, boot
 * states), which the real hv has no way to show.  A test plays the guest
 * by calling fake_hv_mmio_read/write at guest-physical addresses.
 */
#ifndef KENNEL_TESTS_FAKE_HV_H
#define KENNEL_TESTS_FAKE_HV_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/hv.h"

uint64_t fake_hv_mmio_read(struct hv_vm *vm, uint64_t gpa, unsigned size);
void fake_hv_mmio_write(struct hv_vm *vm, uint64_t gpa, uint64_t value, unsigned size);
/* Whether gpa lies in a registered MMIO region. */
bool fake_hv_mmio_mapped(struct hv_vm *vm, uint64_t gpa);

bool fake_hv_irq_level(struct hv_vm *vm, unsigned line);
/* How many times the line went from low to high. */
unsigned fake_hv_irq_raises(struct hv_vm *vm, unsigned line);

/* The first exit requested (reason HV_EXIT_NONE if none), and how many requests came. */
struct hv_exit fake_hv_exit_request(struct hv_vm *vm);
unsigned fake_hv_exit_requests(struct hv_vm *vm);
void fake_hv_clear_exit(struct hv_vm *vm);

const struct hv_vcpu_boot *fake_hv_vcpu_boot(struct hv_vm *vm, unsigned vcpu);

#endif
