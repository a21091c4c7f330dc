// SPDX-License-Identifier: GPL-2.0-or-later
/* Sizes and the `run` command line, parsed without running anything. */
#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "options.h"
#include "units.h"

static void test_parse_size(void)
{
	static const struct {
		const char *text;
		int err;
		uint64_t bytes;
	} cases[] = {
	        {"256M", 0, 256 * MiB},
	        {"256", 0, 256 * MiB},
	        {"1G", 0, GiB},
	        {"1g", 0, GiB},
	        {"512K", 0, 512 * KiB},
	        {"2GiB", 0, 2 * GiB},
	        {"64MB", 0, 64 * MiB},
	        {"1T", 0, 1024 * GiB},
	        {"4096B", 0, 4096},
	        {"xyz", -EINVAL, 0},
	        {"", -EINVAL, 0},
	        {"-1G", -EINVAL, 0},
	        {"1X", -EINVAL, 0},
	        {"1Gx", -EINVAL, 0},
	        {" 1G", -EINVAL, 0},
	        {"99999999999999999999", -ERANGE, 0},
	        {"99999999999P", -ERANGE, 0},
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint64_t bytes = 0;
		int err = parse_size(cases[i].text, &bytes);

		g_assert_cmpint(err, ==, cases[i].err);
		if (err == 0)
			g_assert_cmpuint(bytes, ==, cases[i].bytes);
	}
}

static void test_format_size(void)
{
	char buf[32];

	g_assert_cmpstr(format_size(16 * MiB, buf, sizeof(buf)), ==, "16 MiB");
	g_assert_cmpstr(format_size(MiB + MiB / 2, buf, sizeof(buf)), ==, "1.5 MiB");
	g_assert_cmpstr(format_size(2 * GiB, buf, sizeof(buf)), ==, "2 GiB");
	g_assert_cmpstr(format_size(4096, buf, sizeof(buf)), ==, "4 KiB");
	g_assert_cmpstr(format_size(100, buf, sizeof(buf)), ==, "100 bytes");
}

static int parse(struct run_options *o, char *why, const char *first, ...)
{
	const char *argv[32] = {"run"};
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *arg = first; arg; arg = va_arg(ap, const char *))
		argv[argc++] = arg;
	va_end(ap);
	return run_options_parse(argc, (char **)argv, o, why, 256);
}

static void test_run_options(void)
{
	struct run_options o;
	char why[256];

	g_assert_cmpint(parse(&o, why, "--kernel", "Image", NULL), ==, 0);
	g_assert_cmpstr(o.kernel, ==, "Image");
	g_assert_cmpuint(o.mem, ==, 256 * MiB);
	g_assert_cmpuint(o.cpus, ==, 1);
	g_assert_false(o.stats);

	g_assert_cmpint(parse(&o, why, "-k", "K", "-i", "I", "-a", "console=hvc0", "-m", "1G", "-c",
	                      "4", "--stats", "--firmware", "F", NULL),
	                ==, 0);
	g_assert_cmpstr(o.initrd, ==, "I");
	g_assert_cmpstr(o.append, ==, "console=hvc0");
	g_assert_cmpstr(o.firmware, ==, "F");
	g_assert_cmpuint(o.mem, ==, GiB);
	g_assert_cmpuint(o.cpus, ==, 4);
	g_assert_true(o.stats);

	g_assert_cmpint(parse(&o, why, "--firmware=F", "--mem=16M", "--cpus=8", NULL), ==, 0);
	g_assert_cmpuint(o.mem, ==, 16 * MiB);
	g_assert_cmpuint(o.cpus, ==, 8);
	g_assert_cmpint(parse(&o, why, "--help", NULL), ==, 0);
	g_assert_true(o.help);
	g_assert_cmpint(parse(&o, why, "--mem", "16G", "-k", "K", NULL), ==, 0);
}

static void test_run_options_errors(void)
{
	static const struct {
		const char *args[4];
		const char *phrase;
	} cases[] = {
	        {{"-k", "K", "--cpus", "0"}, "--cpus 0 is impossible"},
	        {{"-k", "K", "--cpus", "9"}, "1 to 8 vCPUs"},
	        {{"-k", "K", "--cpus", "abc"}, "'abc' is not a number"},
	        {{"-k", "K", "--cpus", "-1"}, "not a number"},
	        {{"-k", "K", "--mem", "1K"}, "too small: the least is 16 MiB"},
	        {{"-k", "K", "--mem", "99T"}, "too large: the most is 16 GiB"},
	        {{"-k", "K", "--mem", "xyz"}, "'xyz' is not a size"},
	        {{"-k", "K", "--mem", "20001K"}, "4 KiB pages"},
	        {{"-k", "K", "--bogus"}, "unknown option '--bogus'"},
	        {{"-k", "K", "-z"}, "unknown option '-z'"},
	        {{"-k", "K", "extra"}, "unexpected argument 'extra'"},
	        {{"--initrd", "I"}, "nothing to boot"},
	        {{"--append", "x"}, "nothing to boot"},
	        {{"--firmware", "F", "--initrd", "I"}, "--initrd needs --kernel"},
	        {{"--kernel"}, "--kernel needs a value"},
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		struct run_options o;
		char why[256] = "";
		const char *argv[6] = {"run"};
		int argc = 1;

		for (unsigned a = 0; a < 4 && cases[i].args[a]; a++)
			argv[argc++] = cases[i].args[a];
		g_assert_cmpint(run_options_parse(argc, (char **)argv, &o, why, sizeof(why)), ==,
		                -EINVAL);
		if (!strstr(why, cases[i].phrase))
			g_error("\"%s\" does not say \"%s\"", why, cases[i].phrase);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/units/parse-size", test_parse_size);
	g_test_add_func("/units/format-size", test_format_size);
	g_test_add_func("/options/run", test_run_options);
	g_test_add_func("/options/run-errors", test_run_options_errors);
	return g_test_run();
}
