// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `kennel-engine run`: the headless engine.
 *
 * This is the Launcher's main loop.  We build the machine (the hv VM and
 * our platform devices), connect the console to stdio, load the images,
 * and start the vCPUs.  Then we wait for the VM to exit and decide what
 * that means: a poweroff ends the run, a reboot loads the images again and
 * starts over, a failure code or a signal ends it with an exit status.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input-event-codes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boot.h"
#include "console.h"
#include "control.h"
#include "display.h"
#include "goldfish_rtc.h"
#include "machine.h"
#include "options.h"
#include "profile_args.h"
#include "sifive_test.h"
#include "stats.h"
#include "term.h"
#include "uart16550.h"
#include "virtio/virtio_blk.h"
#include "virtio/virtio_console.h"
#include "virtio/virtio_gpu.h"
#include "virtio/virtio_input.h"
#include "virtio/virtio_net.h"
#include "virtio/virtio_rng.h"
#include "vnc.h"

#define PROGRAM "kennel-engine"

/* The signals that stop the guest cleanly; a thread of ours waits for them. */
struct signal_watch {
	sigset_t set;
	pthread_t thread;
	struct hv_vm *vm;
	struct control *_Atomic control; /* with --control-fd: a signal ends the wait for Start */
	atomic_int signal;               /* the signal that arrived, or 0 */
	atomic_bool closing;             /* the watch is being taken down */
};

struct engine {
	struct run_options options;
	struct machine *machine;
	struct console *console;
	struct virtio_console *virtio_console; /* NULL without virtio */
	/* The screen (NULL with --no-display): the gpu shows it, the VNC server reads it. */
	struct display *display;
	struct virtio_input *keyboard, *tablet;
	struct vnc_server *vnc;
	struct signal_watch signals;
	bool signals_running;
	char console_path[128];                       /* the virtio console's pty, or "" */
	struct control *control;                      /* with --control-fd */
	struct virtio_input *power_button;            /* NULL without virtio */
	enum hv_exit_reason last_exit;                /* why the guest last stopped */
	struct virtio_blk_image disks[RUN_DISKS_MAX]; /* open until a device takes them */
};

static void sbi_console_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct engine *e = opaque;

	console_write(e->console, buf, len);
}

/* Once the virtio console on stdio is running, stdin is its alone (see run_virtio_console). */
static int sbi_console_read(void *opaque)
{
	struct engine *e = opaque;

	if (virtio_console_owns_input(e->virtio_console))
		return -1;
	return console_read_byte(e->console);
}

static const struct hv_console_ops sbi_console_ops = {
        .write = sbi_console_write,
        .read = sbi_console_read,
};

static void escape_quit(void *opaque)
{
	struct engine *e = opaque;

	hv_vm_request_exit(e->machine->vm, HV_EXIT_STOPPED, 0);
}

static void escape_stats(void *opaque)
{
	struct engine *e = opaque;

	fprintf(stderr, "\n");
	print_machine_stats(stderr, e->machine);
}

static void *signal_thread(void *opaque)
{
	struct signal_watch *w = opaque;
	int sig;

	while (sigwait(&w->set, &sig) == 0) {
		if (atomic_load(&w->closing))
			break;
		atomic_store(&w->signal, sig);
		hv_vm_request_exit(w->vm, HV_EXIT_STOPPED, sig);
		struct control *control = atomic_load(&w->control);
		if (control)
			control_cancel_start(control);
	}
	return NULL;
}

/*
 * Blocks the stop signals in this thread (and so in every thread created
 * after it) and lets one thread take them with sigwait(), where it may
 * safely call into the hv.  Must run before any other thread starts.
 */
static void block_stop_signals(struct signal_watch *w)
{
	sigemptyset(&w->set);
	sigaddset(&w->set, SIGINT);
	sigaddset(&w->set, SIGTERM);
	sigaddset(&w->set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &w->set, NULL);
	signal(SIGPIPE, SIG_IGN); /* a closed stdout is an error from write(), not death */
}

static int start_signal_watch(struct signal_watch *w, struct hv_vm *vm)
{
	w->vm = vm;
	return -pthread_create(&w->thread, NULL, signal_thread, w);
}

static void stop_signal_watch(struct signal_watch *w)
{
	atomic_store(&w->closing, true);
	pthread_kill(w->thread, SIGHUP);
	pthread_join(w->thread, NULL);
}

/* virtio-mmio slots: the console first (so that it is the guest's hvc1), then rng. */
enum {
	VIRTIO_SLOT_CONSOLE = 0,
	VIRTIO_SLOT_RNG = 1,
	VIRTIO_SLOT_NET = 2,
	VIRTIO_SLOT_GPU = 3,
	VIRTIO_SLOT_KEYBOARD = 4,
	VIRTIO_SLOT_TABLET = 5,
	VIRTIO_SLOT_POWER_BUTTON = 6,
	VIRTIO_SLOT_DISK0 = 8, /* disk i is in slot 8 + i */
};

/*
 * The virtio console on stdio shares stdin and stdout with the SBI console
 * and the UART.  The guest's shell runs on it (hvc1) while the kernel
 * keeps polling hvc0, so once its driver is up, stdin goes to it alone.
 * On a pty it has a terminal of its own, and stdio stays with the others.
 */
static int add_virtio_console(struct engine *e, bool legacy)
{
	char *path = e->console_path;
	int size_fd = isatty(STDIN_FILENO)    ? STDIN_FILENO
	              : isatty(STDOUT_FILENO) ? STDOUT_FILENO
	                                      : -1;
	int err;

	if (e->options.console == RUN_CONSOLE_STDIO)
		return virtio_console_create_stdio(e->machine, VIRTIO_SLOT_CONSOLE, legacy,
		                                   e->console, size_fd, &e->virtio_console);
	err = virtio_console_create_pty(e->machine, VIRTIO_SLOT_CONSOLE, legacy, path,
	                                sizeof(e->console_path), &e->virtio_console);
	if (err == 0)
		fprintf(stderr, PROGRAM ": virtio console on %s\n", path);
	return err;
}

/* The screen: a virtio-gpu showing the display, and the keyboard and tablet beside it. */
static int add_display(struct engine *e, bool legacy)
{
	int err;

	if (e->options.no_display)
		return 0;
	err = display_create(e->options.display_width, e->options.display_height, &e->display);
	if (err == 0)
		err = virtio_gpu_create(e->machine, VIRTIO_SLOT_GPU, legacy, e->display, NULL);
	if (err == 0)
		err = virtio_input_create(e->machine, VIRTIO_SLOT_KEYBOARD, legacy,
		                          VIRTIO_INPUT_KEYBOARD, &e->keyboard);
	if (err == 0)
		err = virtio_input_create(e->machine, VIRTIO_SLOT_TABLET, legacy,
		                          VIRTIO_INPUT_TABLET, &e->tablet);
	return err;
}

/* --net user: virtio-net on slirp, with the user's forwards (and only those) listening. */
static int add_virtio_net(struct engine *e, bool legacy)
{
	struct virtio_net_options net = {
	        .slirp =
	                {
	                        .restricted = e->options.net_restrict,
	                        .forwards = e->options.forwards,
	                        .num_forwards = e->options.num_forwards,
	                },
	};
	char why[256];
	int err;

	if (e->options.mac_given)
		memcpy(net.mac, e->options.mac, sizeof(net.mac));
	else
		net_mac_parse(NET_DEFAULT_MAC, net.mac, why, sizeof(why));
	err = virtio_net_create(e->machine, VIRTIO_SLOT_NET, legacy, &net, why, sizeof(why));
	if (err < 0)
		fprintf(stderr, PROGRAM ": network: %s\n", why);
	return err;
}

static int add_virtio_devices(struct engine *e)
{
	bool legacy = e->options.virtio_legacy;
	int err;

	if (e->options.no_virtio)
		return 0;
	err = add_virtio_console(e, legacy);
	if (err == 0)
		err = virtio_rng_create(e->machine, VIRTIO_SLOT_RNG, legacy);
	for (unsigned i = 0; err == 0 && i < e->options.num_disks; i++)
		err = virtio_blk_create(e->machine, VIRTIO_SLOT_DISK0 + i, legacy, &e->disks[i]);
	if (err == 0 && e->options.net == RUN_NET_USER)
		err = add_virtio_net(e, legacy);
	if (err == 0)
		err = add_display(e, legacy);
	/* Last, so that the guest numbers the other devices as before it existed. */
	if (err == 0)
		err = virtio_input_create(e->machine, VIRTIO_SLOT_POWER_BUTTON, legacy,
		                          VIRTIO_INPUT_POWER_BUTTON, &e->power_button);
	return err;
}

/*
 * The disk images, opened and locked before anything else is built, so
 * that a wrong file or a disk in use ends the run with a clear message.
 */
static int open_disks(struct engine *e)
{
	char why[512];

	for (unsigned i = 0; i < RUN_DISKS_MAX; i++)
		e->disks[i].fd = -1;
	for (unsigned i = 0; i < e->options.num_disks; i++) {
		const struct run_disk *d = &e->options.disks[i];
		int err = virtio_blk_image_open(d->path, d->read_only, d->serial, &e->disks[i], why,
		                                sizeof(why));

		if (err < 0) {
			fprintf(stderr, PROGRAM ": %s\n", why);
			return err;
		}
	}
	return 0;
}

static void close_disks(struct engine *e)
{
	for (unsigned i = 0; i < RUN_DISKS_MAX; i++)
		virtio_blk_image_close(&e->disks[i]);
}

/* The VNC password: the first line of --vnc-password-file, or $KENNEL_VNC_PASSWORD. */
static int read_vnc_password(struct engine *e, char *buf, size_t len)
{
	const char *env = getenv("KENNEL_VNC_PASSWORD");
	FILE *f;

	buf[0] = '\0';
	if (e->options.vnc_password_file) {
		f = fopen(e->options.vnc_password_file, "re");
		if (!f) {
			fprintf(stderr, PROGRAM ": cannot read the VNC password from %s: %s\n",
			        e->options.vnc_password_file, strerror(errno));
			return -errno;
		}
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		fclose(f);
		buf[strcspn(buf, "\r\n")] = '\0';
	} else if (env) {
		snprintf(buf, len, "%s", env);
	} else {
		return 0;
	}
	if (buf[0] == '\0') {
		fprintf(stderr, PROGRAM ": the VNC password is empty\n");
		return -EINVAL;
	}
	return 1;
}

/*
 * The VNC server exists whenever the display does: without --vnc it
 * listens nowhere, and connections come only through
 * vnc_server_add_client_fd() (the app's control channel).
 */
static int start_vnc(struct engine *e)
{
	struct vnc_options o = {.view_only = e->options.vnc_view_only};
	char why[256], password[128];
	int err;

	if (!e->display)
		return 0;
	if (e->options.vnc && vnc_listen_parse(e->options.vnc, &o.listen, why, sizeof(why)) < 0) {
		fprintf(stderr, PROGRAM ": %s\n", why);
		return -EINVAL;
	}
	err = read_vnc_password(e, password, sizeof(password));
	if (err < 0)
		return err;
	if (err > 0)
		o.password = password;
	err = vnc_server_create(e->display, e->keyboard, e->tablet, &o, why, sizeof(why), &e->vnc);
	memset(password, 0, sizeof(password));
	if (err < 0) {
		fprintf(stderr, PROGRAM ": VNC: %s\n", why);
		return err;
	}
	if (o.listen.kind == VNC_LISTEN_UNIX)
		fprintf(stderr, PROGRAM ": VNC on unix:%s\n", o.listen.path);
	else if (o.listen.kind == VNC_LISTEN_TCP)
		fprintf(stderr, PROGRAM ": VNC on %s%s%s:%u\n", o.listen.ipv6 ? "[" : "",
		        o.listen.address, o.listen.ipv6 ? "]" : "", o.listen.port);
	return 0;
}

/* The machine: the hv VM, then our devices at their places in the memory map. */
static int build_machine(struct engine *e)
{
	struct hv_vm_config config = {
	        .arch = HV_ARCH_RISCV64,
	        .accel = HV_ACCEL_AUTO,
	        .vcpus = e->options.cpus,
	        .ram_size = e->options.mem,
	        .sbi = e->options.firmware == NULL,
	};
	struct machine *m;
	int err;

	err = machine_create(&config, &e->machine);
	if (err < 0) {
		fprintf(stderr, PROGRAM ": cannot create the VM: %s\n", strerror(-err));
		return err;
	}
	m = e->machine;
	err = sifive_test_create(m, SIFIVE_TEST_BASE);
	if (err == 0)
		err = goldfish_rtc_create(m, GOLDFISH_RTC_BASE, HV_RISCV_IRQ_RTC);
	if (err == 0)
		err = uart16550_create(m, UART16550_BASE, HV_RISCV_IRQ_UART, e->console, NULL);
	if (err == 0)
		err = add_virtio_devices(e);
	if (err < 0) {
		fprintf(stderr, PROGRAM ": cannot create the devices: %s\n", strerror(-err));
		return err;
	}
	hv_set_sbi_console(m->vm, &sbi_console_ops, e);
	return 0;
}

static int boot(struct engine *e)
{
	struct boot_config config = {
	        .kernel = e->options.kernel,
	        .initrd = e->options.initrd,
	        .firmware = e->options.firmware,
	        .bootargs = e->options.append,
	};
	struct boot_plan plan;
	int err;

	err = boot_load(e->machine, &config, &plan);
	if (err < 0) {
		fprintf(stderr, PROGRAM ": %s\n", plan.error);
		return err;
	}
	if (plan.warning[0])
		fprintf(stderr, PROGRAM ": warning: %s\n", plan.warning);
	return 0;
}

/* The console on stdio; raw mode and the escape key only for a terminal. */
static int connect_stdio(struct engine *e)
{
	const struct console_escape_ops escape_ops = {
	        .quit = escape_quit,
	        .stats = escape_stats,
	        .opaque = e,
	};
	bool tty = isatty(STDIN_FILENO);

	if (tty && term_raw_enable(STDIN_FILENO) < 0)
		tty = false;
	return console_start_input(e->console, STDIN_FILENO, tty, &escape_ops);
}

static int exit_status(struct engine *e, const struct hv_exit *exit)
{
	int sig;

	e->last_exit = exit->reason;
	switch (exit->reason) {
	case HV_EXIT_POWEROFF: return 0;
	case HV_EXIT_FAILURE:
		fprintf(stderr, PROGRAM ": the guest reported failure (code %d)\n", exit->code);
		return exit->code < 1 ? 1 : exit->code > 255 ? 255 : exit->code;
	case HV_EXIT_STOPPED:
		sig = atomic_load(&e->signals.signal);
		if (sig == 0)
			return 0; /* Ctrl-A x */
		fprintf(stderr, PROGRAM ": stopped by signal %d (%s)\n", sig, strsignal(sig));
		return 128 + sig;
	case HV_EXIT_ERROR:
		fprintf(stderr, PROGRAM ": the hypervisor failed (code %d)\n", exit->code);
		return EXIT_HV_ERROR;
	default:
		fprintf(stderr, PROGRAM ": the VM stopped for an unexpected reason: %s\n",
		        hv_exit_reason_name(exit->reason));
		return EXIT_HV_ERROR;
	}
}

/*
 * Runs the guest until it is done.  A reboot puts the vCPUs and devices
 * back to their power-on state and loads the images again, as a machine
 * that is reset runs its boot ROM again.
 */
static int run_guest(struct engine *e)
{
	struct hv_exit exit = {0};
	int err;

	for (;;) {
		if (atomic_load(&e->signals.signal)) {
			exit.reason = HV_EXIT_STOPPED;
			return exit_status(e, &exit);
		}
		err = hv_vm_start(e->machine->vm);
		if (err < 0) {
			fprintf(stderr, PROGRAM ": cannot start the vCPUs: %s\n", strerror(-err));
			return EXIT_HV_ERROR;
		}
		if (e->control && control_get_state(e->control) == CONTROL_STARTING)
			control_set_state(e->control, CONTROL_RUNNING);
		err = hv_vm_wait(e->machine->vm, &exit);
		if (err < 0) {
			fprintf(stderr, PROGRAM ": lost the vCPUs: %s\n", strerror(-err));
			return EXIT_HV_ERROR;
		}
		if (exit.reason == HV_EXIT_REBOOT && atomic_load(&e->signals.signal))
			exit.reason = HV_EXIT_STOPPED; /* a signal during a reboot ends the run */
		if (exit.reason != HV_EXIT_REBOOT)
			return exit_status(e, &exit);
		fprintf(stderr, PROGRAM ": the guest rebooted\n");

		err = hv_vm_reset(e->machine->vm);
		if (err < 0) {
			fprintf(stderr, PROGRAM ": cannot reset the VM: %s\n", strerror(-err));
			return EXIT_HV_ERROR;
		}
		machine_reset_devices(e->machine);
		if (boot(e) < 0)
			return EXIT_SETUP_ERROR;
	}
}

/*
 * Driven by the app (--control-fd): the machine is built and its images
 * loaded; the vCPUs wait for Start.  Afterwards the guest runs as on the
 * command line, and the app hears how it ended: stopped (powered off, or
 * stopped by Shutdown, ForceStop or a signal) or crashed.
 */
static int press_power_button(void *opaque)
{
	struct engine *e = opaque;
	int err = virtio_input_press(e->power_button, KEY_POWER);

	/*
	 * Control presses again soon on -EAGAIN (the guest's driver is not up
	 * yet: nobody heard it) and on -EBUSY (the driver takes no events).
	 */
	if (err == -ENODEV)
		return -EAGAIN;
	if (err == -ENOSPC)
		return -EBUSY;
	return err;
}

/* OpenDisplay: a socketpair; one end becomes a client of our VNC server, the other goes to the app.
 */
static int open_display(void *opaque, int *fd)
{
	struct engine *e = opaque;
	int fds[2], err;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	err = vnc_server_add_client_fd(e->vnc, fds[0]); /* it owns fds[0] from here on */
	if (err < 0) {
		close(fds[1]);
		return err;
	}
	*fd = fds[1];
	return 0;
}

static int set_display_size(void *opaque, unsigned width, unsigned height)
{
	struct engine *e = opaque;

	return display_request_size(e->display, width, height);
}

static void get_display_size(void *opaque, unsigned *width, unsigned *height)
{
	struct engine *e = opaque;

	display_get_size(e->display, width, height);
}

static int run_controlled(struct engine *e)
{
	const struct control_target target = {
	        .machine = e->machine,
	        .console_path = e->console_path[0] ? e->console_path : NULL,
	        .power_button = e->power_button ? press_power_button : NULL,
	        .open_display = e->vnc ? open_display : NULL,
	        .set_display_size = e->display ? set_display_size : NULL,
	        .get_display_size = e->display ? get_display_size : NULL,
	        .opaque = e,
	};
	int status, err;

	if (control_start(e->options.control_fd, &target, &e->control) < 0)
		return EXIT_SETUP_ERROR;
	atomic_store(&e->signals.control, e->control);
	if (atomic_load(&e->signals.signal))
		control_cancel_start(e->control);
	err = control_wait_start(e->control);
	if (err == -ENOTCONN)
		return EXIT_SETUP_ERROR; /* control.c said why */
	if (err < 0) {
		fprintf(stderr, PROGRAM ": stopped before the guest started\n");
		control_set_state(e->control, CONTROL_STOPPED);
		return 0;
	}
	status = run_guest(e);
	if (e->options.stats)
		print_machine_stats(stderr, e->machine);
	if (e->last_exit == HV_EXIT_POWEROFF || e->last_exit == HV_EXIT_STOPPED) {
		control_set_state(e->control, CONTROL_STOPPED);
	} else {
		control_error(e->control, "The guest stopped unexpectedly (exit status %d).",
		              status);
		control_set_state(e->control, CONTROL_CRASHED);
	}
	return status;
}

static int run_engine(struct engine *e)
{
	int status = EXIT_SETUP_ERROR, err;

	if (e->options.control_fd >= 0 && fcntl(e->options.control_fd, F_GETFD) < 0) {
		fprintf(stderr, PROGRAM ": --control-fd %d is not open\n", e->options.control_fd);
		return EXIT_SETUP_ERROR;
	}
	block_stop_signals(&e->signals);
	if (open_disks(e) < 0) {
		close_disks(e);
		return EXIT_SETUP_ERROR;
	}
	err = console_create(STDOUT_FILENO, &e->console);
	if (err < 0) {
		close_disks(e);
		return EXIT_SETUP_ERROR;
	}
	if (build_machine(e) < 0)
		goto destroy;
	if (start_vnc(e) < 0)
		goto destroy;
	if (start_signal_watch(&e->signals, e->machine->vm) < 0)
		goto destroy;
	e->signals_running = true;
	if (boot(e) < 0)
		goto destroy;
	if (e->options.control_fd >= 0) {
		status = run_controlled(e);
		goto destroy;
	}
	if (connect_stdio(e) < 0) {
		fprintf(stderr, PROGRAM ": cannot read the console input\n");
		goto destroy;
	}
	status = run_guest(e);
	if (e->options.stats)
		print_machine_stats(stderr, e->machine);

destroy:
	if (e->signals_running)
		stop_signal_watch(&e->signals);
	control_finish(e->control);             /* before the machine it looks at goes */
	virtio_console_stop(e->virtio_console); /* its backend uses the console */
	vnc_server_destroy(e->vnc);             /* before the input devices it feeds */
	console_destroy(e->console);            /* first: its input thread calls into the UART */
	machine_destroy(e->machine);
	display_destroy(e->display); /* after the gpu that draws on it */
	close_disks(e);              /* those no device took */
	term_restore();
	return status;
}

int run_command(int argc, char **argv)
{
	struct engine e = {0};
	char why[512];
	char **profile_argv = NULL;
	int err, status;

	/* --profile FILE: the profile's options go first, so that ours override them. */
	err = profile_args_expand(argc, argv, &argc, &profile_argv, why, sizeof(why));
	if (err < 0) {
		fprintf(stderr, PROGRAM " run: %s\n", why);
		return err == -ENOENT ? EXIT_SETUP_ERROR : EXIT_USAGE;
	}
	if (profile_argv)
		argv = profile_argv;
	if (run_options_parse(argc, argv, &e.options, why, sizeof(why)) < 0) {
		fprintf(stderr, PROGRAM " run: %s\n", why);
		fprintf(stderr, "Try '" PROGRAM " run --help'.\n");
		status = EXIT_USAGE;
	} else if (e.options.help) {
		run_options_usage(stdout);
		status = 0;
	} else if (e.options.version) {
		printf(PROGRAM " %s\n", KENNEL_VERSION);
		status = 0;
	} else {
		status = run_engine(&e);
	}
	profile_args_free(profile_argv); /* e.options points into it until here */
	return status;
}
