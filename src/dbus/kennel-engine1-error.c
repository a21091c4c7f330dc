// SPDX-License-Identifier: GPL-2.0-or-later
/* The org.kennel.Engine1 error domain (see kennel-engine1-error.h). */
#include "kennel-engine1-error.h"

static const GDBusErrorEntry kennel_engine1_error_entries[] = {
        {KENNEL_ENGINE1_ERROR_FAILED, "org.kennel.Engine1.Error.Failed"},
        {KENNEL_ENGINE1_ERROR_WRONG_STATE, "org.kennel.Engine1.Error.WrongState"},
        {KENNEL_ENGINE1_ERROR_NO_CONSOLE, "org.kennel.Engine1.Error.NoConsole"},
        {KENNEL_ENGINE1_ERROR_NO_DISPLAY, "org.kennel.Engine1.Error.NoDisplay"},
};

GQuark kennel_engine1_error_quark(void)
{
	static gsize quark = 0;

	g_dbus_error_register_error_domain("kennel-engine1-error-quark", &quark,
	                                   kennel_engine1_error_entries,
	                                   G_N_ELEMENTS(kennel_engine1_error_entries));
	return (GQuark)quark;
}
