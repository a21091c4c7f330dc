/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hv API, exercised with the real software CPU: RAM bounds, MMIO
 * registration, a program that computes and reports, pause and resume,
 * ioeventfds, PLIC and timer interrupts, WFI sleep, and counters shared by
 * harts on separate host threads.  The guest program is hv-guest.S.
 */
#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "hv/hv.h"

#define RESULT_BASE 0x00200000ull

enum scenario { SUM, SPIN, NOTIFY, EXTERNAL, TIMER, AMO_COUNTER, LRSC_COUNTER, IDLE, MIP_RMW };

struct result_device {
	struct hv_vm *vm;
	_Atomic uint64_t value;
	_Atomic int results;
	_Atomic int ready;
	_Atomic int ready2;
};

static uint64_t result_read(void *opaque, uint64_t offset, unsigned size)
{
	return 0;
}

static void result_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct result_device *d = opaque;
	if (offset == 0) {
		atomic_store(&d->value, value);
		atomic_fetch_add(&d->results, 1);
		hv_vm_request_exit(d->vm, HV_EXIT_POWEROFF, 0);
	} else if (offset == 8) {
		atomic_store(&d->ready, 1);
	} else if (offset == 16) {
		atomic_store(&d->ready2, 1);
	} else {
		/* a store the ioeventfd did not take */
		atomic_store(&d->value, value);
		atomic_fetch_add(&d->results, 1);
		hv_vm_request_exit(d->vm, HV_EXIT_POWEROFF, 0);
	}
}

static const struct hv_mmio_ops result_ops = {.read = result_read, .write = result_write};

static struct hv_vm *make_vm(unsigned vcpus, enum scenario scenario, struct result_device *dev)
{
	struct hv_vm_config config = {
	        .arch = HV_ARCH_RISCV64, .vcpus = vcpus, .ram_size = 16 << 20};
	struct hv_vm *vm = NULL;
	g_assert_cmpint(hv_vm_create(&config, &vm), ==, 0);

	gchar *image = NULL;
	gsize length = 0;
	GError *error = NULL;
	g_assert_true(g_file_get_contents(g_getenv("HV_GUEST_BIN"), &image, &length, &error));
	g_assert_no_error(error);
	g_assert_cmpint(hv_ram_write(vm, HV_RISCV_RAM_BASE, image, length), ==, 0);
	g_free(image);

	for (unsigned n = 0; n < vcpus; n++) {
		struct hv_vcpu_boot boot = {.priv = HV_PRIV_M,
		                            .pc = HV_RISCV_RAM_BASE,
		                            .a0 = n,
		                            .a1 = vcpus,
		                            .a2 = scenario};
		g_assert_cmpint(hv_vcpu_set_boot(vm, n, &boot), ==, 0);
	}
	dev->vm = vm;
	g_assert_cmpint(hv_mmio_register(vm, RESULT_BASE, 0x1000, &result_ops, dev), ==, 0);
	return vm;
}

static uint64_t run_to_result(struct hv_vm *vm, struct result_device *dev)
{
	struct hv_exit exit;
	g_assert_cmpint(hv_vm_start(vm), ==, 0);
	g_assert_cmpint(hv_vm_wait(vm, &exit), ==, 0);
	g_assert_cmpint(exit.reason, ==, HV_EXIT_POWEROFF);
	g_assert_cmpint(atomic_load(&dev->results), >=, 1);
	return atomic_load(&dev->value);
}

static uint64_t instret(struct hv_vm *vm)
{
	struct hv_vcpu_stats stats;
	g_assert_cmpint(hv_vcpu_get_stats(vm, 0, &stats), ==, 0);
	return stats.instret;
}

static void test_create_rejects_bad_configs(void)
{
	struct hv_vm *vm = NULL;
	struct hv_vm_config zero_cpus = {.arch = HV_ARCH_RISCV64, .vcpus = 0, .ram_size = 16 << 20};
	struct hv_vm_config many_cpus = {.arch = HV_ARCH_RISCV64, .vcpus = 9, .ram_size = 16 << 20};
	struct hv_vm_config odd_ram = {
	        .arch = HV_ARCH_RISCV64, .vcpus = 1, .ram_size = (16 << 20) + 1};
	struct hv_vm_config kvm = {
	        .arch = HV_ARCH_RISCV64, .accel = HV_ACCEL_KVM, .vcpus = 1, .ram_size = 16 << 20};
	g_assert_cmpint(hv_vm_create(&zero_cpus, &vm), ==, -EINVAL);
	g_assert_cmpint(hv_vm_create(&many_cpus, &vm), ==, -EINVAL);
	g_assert_cmpint(hv_vm_create(&odd_ram, &vm), ==, -EINVAL);
	g_assert_cmpint(hv_vm_create(&kvm, &vm), ==, -ENOTSUP);
	g_assert_null(vm);
}

static void test_ram_bounds(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, SUM, &dev);
	uint64_t base = hv_ram_base(vm), size = hv_ram_size(vm);
	uint8_t byte = 0;

	g_assert_nonnull(hv_ram_ptr(vm, base, size, false));
	g_assert_nonnull(hv_ram_ptr(vm, base + size - 1, 1, false));
	g_assert_null(hv_ram_ptr(vm, base + size - 1, 2, false));
	g_assert_null(hv_ram_ptr(vm, base - 1, 1, false));
	g_assert_null(hv_ram_ptr(vm, base + 8, UINT64_MAX - 4, false)); /* would wrap around */
	g_assert_null(hv_ram_ptr(vm, UINT64_MAX, 2, false));
	g_assert_cmpint(hv_ram_read(vm, base + size, &byte, 1), ==, -EFAULT);
	g_assert_cmpint(hv_ram_write(vm, 0, &byte, 1), ==, -EFAULT);

	/* Device regions may not overlap RAM or each other. */
	g_assert_cmpint(hv_mmio_register(vm, base + 4096, 4096, &result_ops, &dev), ==, -EEXIST);
	g_assert_cmpint(hv_mmio_register(vm, RESULT_BASE + 0x800, 0x1000, &result_ops, &dev), ==,
	                -EEXIST);
	g_assert_cmpint(hv_mmio_register(vm, HV_RISCV_PLIC_BASE, 4, &result_ops, &dev), ==,
	                -EEXIST);
	g_assert_cmpint(hv_irq_set(vm, 0, true), ==, -EINVAL);
	g_assert_cmpint(hv_irq_set(vm, HV_RISCV_PLIC_NDEV + 1, true), ==, -EINVAL);
	hv_vm_destroy(vm);
}

static void test_program_computes(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, SUM, &dev);
	g_assert_cmpuint(run_to_result(vm, &dev), ==, 500500);
	g_assert_cmpuint(instret(vm), >, 3000);

	/* Reset and run again: the same answer from a fresh start. */
	g_assert_cmpint(hv_vm_reset(vm), ==, 0);
	gchar *image = NULL;
	gsize length = 0;
	g_assert_true(g_file_get_contents(g_getenv("HV_GUEST_BIN"), &image, &length, NULL));
	g_assert_cmpint(hv_ram_write(vm, HV_RISCV_RAM_BASE, image, length), ==, 0);
	g_free(image);
	atomic_store(&dev.value, 0);
	g_assert_cmpuint(run_to_result(vm, &dev), ==, 500500);
	hv_vm_destroy(vm);
}

static void test_pause_resume(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, SPIN, &dev);
	g_assert_cmpint(hv_vm_start(vm), ==, 0);
	g_usleep(20000);
	g_assert_cmpint(hv_vm_pause(vm), ==, 0);
	g_assert_true(hv_vm_is_paused(vm));
	uint64_t first = instret(vm);
	g_assert_cmpuint(first, >, 0);
	g_usleep(20000);
	g_assert_cmpuint(instret(vm), ==, first);
	g_assert_cmpint(hv_vm_resume(vm), ==, 0);
	g_usleep(20000);
	g_assert_cmpuint(instret(vm), >, first);

	struct hv_exit exit;
	hv_vm_request_exit(vm, HV_EXIT_STOPPED, 0);
	struct pollfd pfd = {.fd = hv_vm_exit_fd(vm), .events = POLLIN};
	g_assert_cmpint(poll(&pfd, 1, 5000), ==, 1);
	g_assert_cmpint(hv_vm_wait(vm, &exit), ==, 0);
	g_assert_cmpint(exit.reason, ==, HV_EXIT_STOPPED);
	hv_vm_destroy(vm);
}

static void test_ioeventfd(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, NOTIFY, &dev);
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(hv_ioeventfd_register(vm, 0x12345000, 4, false, 0, fd), ==, -ENOENT);
	g_assert_cmpint(hv_ioeventfd_register(vm, RESULT_BASE + 0x100, 4, true, 7, fd), ==, 0);
	g_assert_cmpuint(run_to_result(vm, &dev), ==, 9);
	uint64_t count = 0;
	g_assert_cmpint(read(fd, &count, sizeof(count)), ==, sizeof(count));
	g_assert_cmpuint(count, ==, 2);
	close(fd);
	hv_vm_destroy(vm);
}

static void test_external_interrupt(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, EXTERNAL, &dev);
	g_assert_cmpint(hv_vm_start(vm), ==, 0);
	for (int n = 0; n < 5000 && !atomic_load(&dev.ready); n++)
		g_usleep(1000);
	g_assert_true(atomic_load(&dev.ready));
	g_usleep(10000);
	g_assert_cmpint(atomic_load(&dev.results), ==,
	                0); /* nothing happens before the line rises */
	g_assert_cmpint(hv_irq_get(vm, 5), ==, 0);
	g_assert_cmpint(hv_irq_set(vm, 5, true), ==, 0);
	g_assert_cmpint(hv_irq_get(vm, 5), ==, 1);
	g_assert_cmpint(hv_irq_get(vm, 0), ==, -EINVAL);
	struct hv_exit exit;
	g_assert_cmpint(hv_vm_wait(vm, &exit), ==, 0);
	g_assert_cmpuint(atomic_load(&dev.value), ==, 5); /* the claim returned source 5 */
	struct hv_vcpu_stats stats;
	hv_vcpu_get_stats(vm, 0, &stats);
	g_assert_cmpuint(stats.interrupts[11], ==, 1);
	hv_vm_destroy(vm);
}

static void wait_for(_Atomic int *flag)
{
	for (int n = 0; n < 5000 && !atomic_load(flag); n++)
		g_usleep(1000);
	g_assert_true(atomic_load(flag));
}

/* Firmware sets STIP with csrs mip while a device interrupt is pending (OpenSBI does). */
static void test_mip_read_modify_write(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, MIP_RMW, &dev);
	g_assert_cmpint(hv_vm_start(vm), ==, 0);
	wait_for(&dev.ready);
	g_assert_cmpint(hv_irq_set(vm, 5, true), ==, 0);
	wait_for(&dev.ready2);
	g_assert_cmpint(hv_irq_set(vm, 5, false), ==, 0);
	struct hv_exit exit;
	g_assert_cmpint(hv_vm_wait(vm, &exit), ==, 0);
	g_assert_cmpint(atomic_load(&dev.results), ==, 1);
	g_assert_cmpuint(atomic_load(&dev.value), ==, 0); /* SEIP fell with the line */
	hv_vm_destroy(vm);
}

static void test_timer_interrupt(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, TIMER, &dev);
	g_assert_cmpuint(run_to_result(vm, &dev), ==, (1ull << 63) | 7);
	struct hv_vcpu_stats stats;
	hv_vcpu_get_stats(vm, 0, &stats);
	g_assert_cmpuint(stats.wfi_ns, >, 0); /* it slept until the timer was due */
	hv_vm_destroy(vm);
}

static void test_wfi_sleeps(void)
{
	struct result_device dev = {0};
	struct hv_vm *vm = make_vm(1, IDLE, &dev);
	g_assert_cmpint(hv_vm_start(vm), ==, 0);
	g_usleep(100000);
	uint64_t before = instret(vm);
	g_usleep(100000);
	/* Asleep: no instructions retire while nothing can wake it. */
	g_assert_cmpuint(instret(vm), ==, before);
	hv_vm_request_exit(vm, HV_EXIT_STOPPED, 0);
	g_assert_cmpint(hv_vm_wait(vm, NULL), ==, 0);
	hv_vm_destroy(vm);
}

static void test_shared_counter(gconstpointer data)
{
	enum scenario scenario = GPOINTER_TO_INT(data);
	for (unsigned harts = 2; harts <= 4; harts += 2) {
		struct result_device dev = {0};
		struct hv_vm *vm = make_vm(harts, scenario, &dev);
		g_assert_cmpuint(run_to_result(vm, &dev), ==, 100000ull * harts);
		hv_vm_destroy(vm);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hv/create/rejects-bad-configs", test_create_rejects_bad_configs);
	g_test_add_func("/hv/ram/bounds", test_ram_bounds);
	g_test_add_func("/hv/run/computes", test_program_computes);
	g_test_add_func("/hv/run/pause-resume", test_pause_resume);
	g_test_add_func("/hv/ioeventfd", test_ioeventfd);
	g_test_add_func("/hv/irq/external", test_external_interrupt);
	g_test_add_func("/hv/irq/timer", test_timer_interrupt);
	g_test_add_func("/hv/irq/mip-read-modify-write", test_mip_read_modify_write);
	g_test_add_func("/hv/wfi/sleeps", test_wfi_sleeps);
	g_test_add_data_func("/hv/smp/amo-counter", GINT_TO_POINTER(AMO_COUNTER),
	                     test_shared_counter);
	g_test_add_data_func("/hv/smp/lrsc-counter", GINT_TO_POINTER(LRSC_COUNTER),
	                     test_shared_counter);
	return g_test_run();
}
