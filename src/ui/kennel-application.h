/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KENNEL_APPLICATION_H
#define KENNEL_APPLICATION_H

#include <adwaita.h>

G_BEGIN_DECLS

#define KENNEL_TYPE_APPLICATION (kennel_application_get_type())
G_DECLARE_FINAL_TYPE(KennelApplication, kennel_application, KENNEL, APPLICATION, AdwApplication)

KennelApplication *kennel_application_new(void);
/* The app's settings (schema org.kennel.Kennel). */
GSettings *kennel_application_get_settings(KennelApplication *self);

G_END_DECLS

#endif
