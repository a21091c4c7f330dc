/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_DETAILS_H
#define KENNEL_DETAILS_H

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * KennelDetails: what the hypervisor is doing, from the engine's
 * statistics (a{sv}, the Statistics property of org.kennel.Engine1):
 * instructions per second per vCPU, traps, SBI calls, virtqueue kicks and
 * interrupts per device, disk and network bytes.
 */
#define KENNEL_TYPE_DETAILS (kennel_details_get_type())
G_DECLARE_FINAL_TYPE(KennelDetails, kennel_details, KENNEL, DETAILS, GtkWidget)

GtkWidget *kennel_details_new(void);
/* Shows a sample; NULL clears the view. */
void kennel_details_update(KennelDetails *self, GVariant *statistics);

/* For tests: the value shown in the row with this id ("total-ips", "vcpu0-ips", ...). */
const char *kennel_details_get_value(KennelDetails *self, const char *row_id);

G_END_DECLS

#endif
