/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The goldfish RTC: wall-clock time in nanoseconds, and one alarm.
 */
#ifndef KENNEL_ENGINE_GOLDFISH_RTC_H
#define KENNEL_ENGINE_GOLDFISH_RTC_H

#include <stdint.h>

struct machine;

#define GOLDFISH_RTC_BASE 0x00101000ull
#define GOLDFISH_RTC_SIZE 0x1000ull

int goldfish_rtc_create(struct machine *m, uint64_t base, unsigned irq);

#endif
