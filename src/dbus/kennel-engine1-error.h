/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The errors of org.kennel.Engine1, as one GError domain that the engine
 * returns and the app receives: each code is a D-Bus error name
 * (org.kennel.Engine1.Error.*), so a KennelSupervisor caller can match
 * g_error_matches (error, KENNEL_ENGINE1_ERROR, KENNEL_ENGINE1_ERROR_NO_DISPLAY).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	KENNEL_ENGINE1_ERROR_FAILED,      /* org.kennel.Engine1.Error.Failed */
	KENNEL_ENGINE1_ERROR_WRONG_STATE, /* org.kennel.Engine1.Error.WrongState */
	KENNEL_ENGINE1_ERROR_NO_CONSOLE,  /* org.kennel.Engine1.Error.NoConsole */
	KENNEL_ENGINE1_ERROR_NO_DISPLAY,  /* org.kennel.Engine1.Error.NoDisplay */
} KennelEngine1Error;

#define KENNEL_ENGINE1_ERROR (kennel_engine1_error_quark())
GQuark kennel_engine1_error_quark(void);

G_END_DECLS
