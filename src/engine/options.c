// SPDX-License-Identifier: GPL-2.0-or-later
/* The command line of `kennel-engine run`: parsing and checking. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "boot.h"
#include "display.h"
#include "vnc.h"

enum {
	OPT_KERNEL = 'k',
	OPT_INITRD = 'i',
	OPT_APPEND = 'a',
	OPT_FIRMWARE = 'f',
	OPT_MEM = 'm',
	OPT_CPUS = 'c',
	OPT_HELP = 'h',
	OPT_STATS = 256,
	OPT_VERSION,
	OPT_CONSOLE,
	OPT_NO_VIRTIO,
	OPT_VIRTIO_LEGACY,
	OPT_CONTROL_FD,
	OPT_DISK,
	OPT_NET,
	OPT_FORWARD,
	OPT_MAC,
	OPT_DISPLAY,
	OPT_NO_DISPLAY,
	OPT_VNC,
	OPT_VNC_PASSWORD_FILE,
	OPT_VNC_VIEW_ONLY,
};

static const struct option long_options[] = {
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"initrd", required_argument, NULL, OPT_INITRD},
        {"append", required_argument, NULL, OPT_APPEND},
        {"firmware", required_argument, NULL, OPT_FIRMWARE},
        {"mem", required_argument, NULL, OPT_MEM},
        {"cpus", required_argument, NULL, OPT_CPUS},
        {"stats", no_argument, NULL, OPT_STATS},
        {"console", required_argument, NULL, OPT_CONSOLE},
        {"no-virtio", no_argument, NULL, OPT_NO_VIRTIO},
        {"virtio-legacy", no_argument, NULL, OPT_VIRTIO_LEGACY},
        {"control-fd", required_argument, NULL, OPT_CONTROL_FD},
        {"disk", required_argument, NULL, OPT_DISK},
        {"net", required_argument, NULL, OPT_NET},
        {"forward", required_argument, NULL, OPT_FORWARD},
        {"mac", required_argument, NULL, OPT_MAC},
        {"display", required_argument, NULL, OPT_DISPLAY},
        {"no-display", no_argument, NULL, OPT_NO_DISPLAY},
        {"vnc", required_argument, NULL, OPT_VNC},
        {"vnc-password-file", required_argument, NULL, OPT_VNC_PASSWORD_FILE},
        {"vnc-view-only", no_argument, NULL, OPT_VNC_VIEW_ONLY},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
};

static int fail(char *why, size_t why_len, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void run_options_usage(FILE *out)
{
	fprintf(out,
	        "Usage: kennel-engine run [OPTION...]\n"
	        "\n"
	        "Boots a riscv64 guest headless, with its console on stdin and stdout.\n"
	        "\n"
	        "  -k, --kernel FILE    a riscv64 Linux Image or ELF kernel\n"
	        "  -i, --initrd FILE    an initial RAM disk for the kernel\n"
	        "  -a, --append STRING  the kernel command line (default: \"%s\",\n"
	        "                       or \"%s\" with --firmware)\n"
	        "  -f, --firmware FILE  M-mode firmware (ELF or flat binary) such as OpenSBI;\n"
	        "                       without it the engine answers SBI calls itself\n"
	        "  -m, --mem SIZE       RAM, e.g. 256M or 1G (K, M, G suffixes; default 256M,\n"
	        "                       16M to 16G; a plain number is MiB)\n"
	        "  -c, --cpus N         number of vCPUs, 1 to %d (default 1)\n"
	        "      --profile FILE   boot the guest a profile describes (docs/profiles.md);\n"
	        "                       options given as well override the profile's\n"
	        "      --stats          print each vCPU's statistics to stderr at exit\n"
	        "      --console WHERE  the virtio console: stdio (stdin and stdout, the\n"
	        "                       default) or pty (a new pty, its path printed on stderr)\n"
	        "      --no-virtio      no virtio devices (console, rng, power button, disks,\n"
	        "                       net, display)\n"
	        "      --virtio-legacy  virtio-mmio version 1 (legacy) instead of 2\n"
	        "      --disk FILE[,ro][,serial=ID]\n"
	        "                       a raw disk image as a virtio-blk disk (/dev/vda, vdb...;\n"
	        "                       up to %d); ro: read-only; serial: up to 20 characters\n"
	        "                       (default: the file's name).  Make images with\n"
	        "                       'kennel-engine disk create FILE SIZE'\n"
	        "      --net none|user[,restrict]\n"
	        "                       the guest's network: none (the default) or a virtio-net\n"
	        "                       on user-mode networking (DHCP gives 10.0.2.15, the host\n"
	        "                       is 10.0.2.2, DNS 10.0.2.3); restrict: the guest reaches\n"
	        "                       nothing, only forwarded ports reach it\n"
	        "      --forward tcp|udp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT\n"
	        "                       forward a host port to the guest (repeatable; HOSTADDR\n"
	        "                       defaults to 127.0.0.1, GUESTADDR to 10.0.2.15)\n"
	        "      --mac ADDRESS    the guest's MAC address (default %s)\n"
	        "      --display WxH    the screen (virtio-gpu, keyboard, tablet) and the size\n"
	        "                       the guest is asked for (default %ux%u)\n"
	        "      --no-display     no screen, keyboard or tablet\n"
	        "      --vnc WHERE      show the screen over VNC: unix:PATH (a unix socket)\n"
	        "                       or tcp:ADDR:PORT (e.g. tcp:127.0.0.1:5900; any\n"
	        "                       address but loopback needs a password)\n"
	        "      --vnc-password-file FILE  the VNC password: the file's first line\n"
	        "                       (or $KENNEL_VNC_PASSWORD; VNC uses 8 characters)\n"
	        "      --vnc-view-only  VNC clients see the screen but cannot type or point\n"
	        "      --control-fd N   be driven over GDBus (org.kennel.Engine1) on the\n"
	        "                       socket fd N, as the Kennel app does; the console\n"
	        "                       is then a pty unless --console says otherwise\n"
	        "  -h, --help           this help\n"
	        "      --version        the version\n"
	        "\n"
	        "Give --kernel, --firmware or both.  On a terminal, Ctrl-A h lists the console\n"
	        "keys (Ctrl-A x quits).  Exit status: the guest's (0 after a poweroff, its\n"
	        "failure code otherwise), 1 if the machine could not be set up, 2 for a bad\n"
	        "command line, 70 if the hypervisor failed, 128+N after signal N.\n",
	        BOOT_DEFAULT_APPEND_DIRECT, BOOT_DEFAULT_APPEND_FIRMWARE, RUN_CPUS_MAX,
	        RUN_DISKS_MAX, NET_DEFAULT_MAC, DISPLAY_DEFAULT_WIDTH, DISPLAY_DEFAULT_HEIGHT);
}

static int parse_cpus(const char *text, unsigned *cpus, char *why, size_t why_len)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end != '\0')
		return fail(why, why_len, "--cpus '%s' is not a number", text);
	if (errno == ERANGE || n < 1 || n > RUN_CPUS_MAX)
		return fail(why, why_len, "--cpus %s is impossible: a machine has 1 to %d vCPUs",
		            text, RUN_CPUS_MAX);
	*cpus = (unsigned)n;
	return 0;
}

static int parse_mem(const char *text, uint64_t *mem, char *why, size_t why_len)
{
	char size[32];
	int err = parse_size(text, mem);

	if (err == -EINVAL)
		return fail(why, why_len,
		            "--mem '%s' is not a size (try 256M or 1G: a number and K, M or G)",
		            text);
	if (err == -ERANGE || *mem > RUN_MEM_MAX)
		return fail(why, why_len, "--mem %s is too large: the most is %s", text,
		            format_size(RUN_MEM_MAX, size, sizeof(size)));
	if (*mem < RUN_MEM_MIN)
		return fail(why, why_len, "--mem %s is too small: the least is %s", text,
		            format_size(RUN_MEM_MIN, size, sizeof(size)));
	if (*mem % 4096 != 0)
		return fail(why, why_len, "--mem %s is not a whole number of 4 KiB pages", text);
	return 0;
}

static int parse_console(const char *text, enum run_console *console, char *why, size_t why_len)
{
	if (strcmp(text, "stdio") == 0)
		*console = RUN_CONSOLE_STDIO;
	else if (strcmp(text, "pty") == 0)
		*console = RUN_CONSOLE_PTY;
	else
		return fail(why, why_len, "--console '%s' is not stdio or pty", text);
	return 0;
}

static int parse_control_fd(const char *text, int *fd, char *why, size_t why_len)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno == ERANGE || n > INT_MAX)
		return fail(why, why_len, "--control-fd '%s' is not a file descriptor number",
		            text);
	*fd = (int)n;
	return 0;
}

static int parse_display(const char *text, struct run_options *o, char *why, size_t why_len)
{
	unsigned long w, h;
	char *x, *end;

	errno = 0;
	w = strtoul(text, &x, 10);
	if (x == text || (*x != 'x' && *x != 'X') || x[1] < '0' || x[1] > '9')
		return fail(why, why_len, "--display '%s' is not WIDTHxHEIGHT, e.g. 1024x768",
		            text);
	h = strtoul(x + 1, &end, 10);
	if (*end != '\0' || errno == ERANGE)
		return fail(why, why_len, "--display '%s' is not WIDTHxHEIGHT, e.g. 1024x768",
		            text);
	if (w < DISPLAY_MIN_WIDTH || w > DISPLAY_MAX_WIDTH || h < DISPLAY_MIN_HEIGHT ||
	    h > DISPLAY_MAX_HEIGHT)
		return fail(why, why_len, "--display %s is impossible: %ux%u to %ux%u", text,
		            DISPLAY_MIN_WIDTH, DISPLAY_MIN_HEIGHT, DISPLAY_MAX_WIDTH,
		            DISPLAY_MAX_HEIGHT);
	o->display_width = (unsigned)w;
	o->display_height = (unsigned)h;
	return 0;
}

static int check_display(const struct run_options *o, char *why, size_t why_len)
{
	struct vnc_listen listen;
	const char *env = getenv("KENNEL_VNC_PASSWORD");

	if ((o->no_display || o->no_virtio) && (o->vnc || o->vnc_view_only || o->vnc_password_file))
		return fail(why, why_len, "--vnc options need the display: drop %s",
		            o->no_display ? "--no-display" : "--no-virtio");
	if (!o->vnc)
		return 0;
	if (vnc_listen_parse(o->vnc, &listen, why, why_len) < 0)
		return -EINVAL;
	if (listen.kind == VNC_LISTEN_TCP && !listen.loopback && !o->vnc_password_file &&
	    !(env && *env))
		return fail(why, why_len,
		            "--vnc %s would let anyone on the network see and control the guest: "
		            "give a password with --vnc-password-file FILE (or KENNEL_VNC_PASSWORD "
		            "in the environment), or listen on loopback (tcp:127.0.0.1:PORT)",
		            o->vnc);
	return 0;
}

/* A serial is printable ASCII without commas (it ends the suboption). */
static bool serial_ok(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] < 0x21 || text[i] > 0x7e)
			return false;
	return len > 0 && len <= 20;
}

/* --disk FILE[,ro][,serial=ID]: FILE ends at the first comma. */
static int parse_disk(const char *text, struct run_options *o, char *why, size_t why_len)
{
	const char *comma = strchr(text, ',');
	size_t path_len = comma ? (size_t)(comma - text) : strlen(text);
	struct run_disk *d;

	if (o->num_disks == RUN_DISKS_MAX)
		return fail(why, why_len, "too many --disk options: the most is %d", RUN_DISKS_MAX);
	if (path_len == 0)
		return fail(why, why_len, "--disk '%s' names no file", text);
	if (path_len >= RUN_DISK_PATH_MAX)
		return fail(why, why_len, "--disk: the file name is too long");
	d = &o->disks[o->num_disks];
	memset(d, 0, sizeof(*d));
	memcpy(d->path, text, path_len);
	while (comma) {
		const char *sub = comma + 1, *end;
		size_t len;

		comma = strchr(sub, ',');
		end = comma ? comma : sub + strlen(sub);
		len = (size_t)(end - sub);
		if (len == 2 && strncmp(sub, "ro", 2) == 0) {
			d->read_only = true;
		} else if (len >= 7 && strncmp(sub, "serial=", 7) == 0) {
			if (!serial_ok(sub + 7, len - 7))
				return fail(why, why_len,
				            "--disk %s: serial '%.*s' is not 1 to 20 printable "
				            "characters",
				            d->path, (int)(len - 7), sub + 7);
			memcpy(d->serial, sub + 7, len - 7);
		} else {
			return fail(why, why_len,
			            "--disk %s: unknown suboption '%.*s' (known: ro, serial=ID)",
			            d->path, (int)len, sub);
		}
	}
	o->num_disks++;
	return 0;
}

static int parse_net(const char *text, struct run_options *o, char *why, size_t why_len)
{
	if (strcmp(text, "none") == 0) {
		o->net = RUN_NET_NONE;
		o->net_restrict = false;
	} else if (strcmp(text, "user") == 0) {
		o->net = RUN_NET_USER;
		o->net_restrict = false;
	} else if (strcmp(text, "user,restrict") == 0) {
		o->net = RUN_NET_USER;
		o->net_restrict = true;
	} else if (strncmp(text, "user,", 5) == 0) {
		return fail(why, why_len, "--net '%s': unknown option '%s' (only restrict)", text,
		            text + 5);
	} else {
		return fail(why, why_len, "--net '%s' is not none, user or user,restrict", text);
	}
	return 0;
}

static int add_forward(const char *text, struct run_options *o, char *why, size_t why_len)
{
	struct net_forward fwd;
	int err = net_forward_parse(text, &fwd, why, why_len);

	if (err < 0)
		return err;
	if (o->num_forwards == NET_FORWARDS_MAX)
		return fail(why, why_len, "--forward '%s': at most %d forwards", text,
		            NET_FORWARDS_MAX);
	for (unsigned i = 0; i < o->num_forwards; i++) {
		const struct net_forward *f = &o->forwards[i];

		if (f->udp == fwd.udp && f->host_port == fwd.host_port &&
		    (f->host_addr.s_addr == fwd.host_addr.s_addr || !f->host_addr.s_addr ||
		     !fwd.host_addr.s_addr))
			return fail(why, why_len,
			            "--forward '%s': host %s port %u is already forwarded", text,
			            fwd.udp ? "udp" : "tcp", fwd.host_port);
	}
	o->forwards[o->num_forwards++] = fwd;
	return 0;
}

static int check_combination(const struct run_options *o, char *why, size_t why_len)
{
	if (!o->kernel && !o->firmware)
		return fail(why, why_len,
		            "nothing to boot: give --kernel FILE, --firmware FILE or both");
	if (o->initrd && !o->kernel)
		return fail(why, why_len, "--initrd needs --kernel");
	if (o->no_virtio && o->console == RUN_CONSOLE_PTY)
		return fail(why, why_len,
		            "--console pty needs the virtio console: drop --no-virtio");
	if (o->no_virtio && o->num_disks > 0)
		return fail(why, why_len, "--disk needs virtio devices: drop --no-virtio");
	if (o->net != RUN_NET_NONE && o->no_virtio)
		return fail(why, why_len, "--net user needs virtio-net: drop --no-virtio");
	if (o->num_forwards && o->net == RUN_NET_NONE)
		return fail(why, why_len, "--forward needs a network: add --net user");
	if (o->mac_given && o->net == RUN_NET_NONE)
		return fail(why, why_len, "--mac needs a network: add --net user");
	return check_display(o, why, why_len);
}

int run_options_parse(int argc, char **argv, struct run_options *o, char *why, size_t why_len)
{
	int opt, err = 0;

	memset(o, 0, sizeof(*o));
	o->mem = RUN_MEM_DEFAULT;
	o->cpus = 1;
	o->control_fd = -1;
	o->display_width = DISPLAY_DEFAULT_WIDTH;
	o->display_height = DISPLAY_DEFAULT_HEIGHT;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":k:i:a:f:m:c:h", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL: o->kernel = optarg; break;
		case OPT_INITRD: o->initrd = optarg; break;
		case OPT_APPEND: o->append = optarg; break;
		case OPT_FIRMWARE: o->firmware = optarg; break;
		case OPT_MEM: err = parse_mem(optarg, &o->mem, why, why_len); break;
		case OPT_CPUS: err = parse_cpus(optarg, &o->cpus, why, why_len); break;
		case OPT_STATS: o->stats = true; break;
		case OPT_CONSOLE:
			err = parse_console(optarg, &o->console, why, why_len);
			o->console_given = true;
			break;
		case OPT_NO_VIRTIO: o->no_virtio = true; break;
		case OPT_VIRTIO_LEGACY: o->virtio_legacy = true; break;
		case OPT_CONTROL_FD:
			err = parse_control_fd(optarg, &o->control_fd, why, why_len);
			break;
		case OPT_DISK: err = parse_disk(optarg, o, why, why_len); break;
		case OPT_NET: err = parse_net(optarg, o, why, why_len); break;
		case OPT_FORWARD: err = add_forward(optarg, o, why, why_len); break;
		case OPT_MAC:
			err = net_mac_parse(optarg, o->mac, why, why_len);
			o->mac_given = true;
			break;
		case OPT_DISPLAY: err = parse_display(optarg, o, why, why_len); break;
		case OPT_NO_DISPLAY: o->no_display = true; break;
		case OPT_VNC: o->vnc = optarg; break;
		case OPT_VNC_PASSWORD_FILE: o->vnc_password_file = optarg; break;
		case OPT_VNC_VIEW_ONLY: o->vnc_view_only = true; break;
		case OPT_HELP: o->help = true; return 0;
		case OPT_VERSION: o->version = true; return 0;
		case ':': return fail(why, why_len, "%s needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return fail(why, why_len, "unknown option '-%c'", optopt);
			return fail(why, why_len, "unknown option '%s'", argv[optind - 1]);
		}
		if (err < 0)
			return err;
	}
	if (optind < argc)
		return fail(why, why_len, "unexpected argument '%s'", argv[optind]);
	/* Driven by the app: the console goes to its terminal widget, through a pty. */
	if (o->control_fd >= 0 && !o->console_given && !o->no_virtio)
		o->console = RUN_CONSOLE_PTY;
	return check_combination(o, why, why_len);
}
