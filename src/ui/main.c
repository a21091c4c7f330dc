/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kennel app starts here.  Everything a person sees is in the
 * KennelApplication and the widgets it opens; every running guest lives in
 * its own kennel-engine process, so nothing in this process runs a guest.
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "kennel-application.h"
#include "kennel-config.h"

int main(int argc, char *argv[])
{
	g_autoptr(KennelApplication) app = NULL;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	/* The engine next to the app, unless told otherwise ($KENNEL_ENGINE). */
	if (!g_getenv("KENNEL_ENGINE")) {
		g_autofree char *engine = g_build_filename(BINDIR, "kennel-engine", NULL);

		if (g_file_test(engine, G_FILE_TEST_IS_EXECUTABLE))
			g_setenv("KENNEL_ENGINE", engine, TRUE);
	}

	app = kennel_application_new();
	return g_application_run(G_APPLICATION(app), argc, argv);
}
