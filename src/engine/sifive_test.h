/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "sifive,test" syscon: one register that powers the machine off,
 * reboots it, or ends it with a failure code.
 */
#ifndef KENNEL_ENGINE_SIFIVE_TEST_H
#define KENNEL_ENGINE_SIFIVE_TEST_H

#include <stdint.h>

struct machine;

#define SIFIVE_TEST_BASE 0x00100000ull
#define SIFIVE_TEST_SIZE 0x1000ull

/* The values a guest writes (the low 16 bits; a failure code sits above them). */
#define SIFIVE_TEST_FAIL  0x3333
#define SIFIVE_TEST_PASS  0x5555 /* power off */
#define SIFIVE_TEST_RESET 0x7777 /* reboot */

int sifive_test_create(struct machine *m, uint64_t base);

#endif
