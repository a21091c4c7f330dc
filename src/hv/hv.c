/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Host's front door: creating a VM, its RAM, its device regions,
 * ioeventfds and interrupt lines, and running, pausing and stopping it.
 * This file knows nothing about instructions; riscv/ does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "riscv/exec.h"
#include "vm.h"

#define CODE_ARENA_SIZE (4u << 20) /* decoded instructions per hart */

static int check_config(const struct hv_vm_config *c)
{
	if (c->arch != HV_ARCH_RISCV64)
		return -EINVAL;
	if (c->accel == HV_ACCEL_KVM)
		return -ENOTSUP;
	if (c->vcpus < 1 || c->vcpus > HV_MAX_VCPUS)
		return -EINVAL;
	if (c->ram_size < (1u << 20) || c->ram_size % 4096 || c->ram_size > (64ull << 30))
		return -EINVAL;
	return 0;
}

static void hart_free(struct rv_hart *h)
{
	if (!h)
		return;
	if (h->arena)
		munmap(h->arena, h->arena_size);
	pthread_mutex_destroy(&h->sleep_lock);
	pthread_cond_destroy(&h->wake);
	free(h);
}

static int hart_create(struct hv_vm *vm, unsigned index, struct rv_hart **out)
{
	struct rv_hart *h = aligned_alloc(64, (sizeof(*h) + 63) & ~(size_t)63);
	if (!h)
		return -ENOMEM;
	memset(h, 0, sizeof(*h));
	h->vm = vm;
	h->index = index;
	h->boot.priv = vm->config.sbi ? HV_PRIV_S : HV_PRIV_M;
	h->boot.pc = HV_RISCV_RAM_BASE;
	h->boot.a0 = index;
	h->boot.stopped = vm->config.sbi && index != 0;
	pthread_mutex_init(&h->sleep_lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &attr);
	pthread_condattr_destroy(&attr);
	h->arena_size = CODE_ARENA_SIZE;
	h->arena = mmap(NULL, h->arena_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                -1, 0);
	if (h->arena == MAP_FAILED) {
		h->arena = NULL;
		hart_free(h);
		return -ENOMEM;
	}
	*out = h;
	return 0;
}

int hv_vm_create(const struct hv_vm_config *config, struct hv_vm **out)
{
	int err = check_config(config);
	if (err)
		return err;
	struct hv_vm *vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->config = *config;
	vm->exit_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->changed, NULL);

	vm->ram_base = HV_RISCV_RAM_BASE;
	vm->ram_size = config->ram_size;
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		err = -ENOMEM;
		goto fail;
	}
	vm->ram_pages = vm->ram_size >> 12;
	vm->page_watch = calloc(vm->ram_pages, sizeof(*vm->page_watch));
	if (!vm->page_watch) {
		err = -ENOMEM;
		goto fail;
	}
	vm->exit_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->exit_fd < 0) {
		err = -errno;
		goto fail;
	}
	vm->clock_base_ns = monotonic_ns();
	for (unsigned n = 0; n < config->vcpus; n++) {
		err = hart_create(vm, n, &vm->harts[n]);
		if (err)
			goto fail;
	}
	err = rv_plic_create(vm);
	if (err)
		goto fail;
	err = rv_clint_create(vm);
	if (err)
		goto fail;
	for (unsigned n = 0; n < config->vcpus; n++)
		rv_hart_reset(vm->harts[n]);
	*out = vm;
	return 0;
fail:
	hv_vm_destroy(vm);
	return err;
}

void hv_vm_destroy(struct hv_vm *vm)
{
	if (!vm)
		return;
	if (vm->state == HV_STATE_RUNNING) {
		hv_vm_request_exit(vm, HV_EXIT_STOPPED, 0);
		hv_vm_wait(vm, NULL);
	}
	rv_plic_destroy(vm);
	for (unsigned n = 0; n < HV_MAX_VCPUS; n++)
		hart_free(vm->harts[n]);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	free((void *)vm->page_watch);
	if (vm->exit_fd >= 0)
		close(vm->exit_fd);
	pthread_mutex_destroy(&vm->lock);
	pthread_cond_destroy(&vm->changed);
	free(vm);
}

const struct hv_vm_config *hv_vm_get_config(const struct hv_vm *vm)
{
	return &vm->config;
}

const char *hv_vcpu_isa_string(const struct hv_vm *vm)
{
	(void)vm;
	return "rv64imafdc_zicsr_zifencei_zicntr";
}

const char *hv_vcpu_mmu_type(const struct hv_vm *vm)
{
	(void)vm;
	return "riscv,sv48";
}

/* RAM */

uint64_t hv_ram_base(const struct hv_vm *vm)
{
	return vm->ram_base;
}

uint64_t hv_ram_size(const struct hv_vm *vm)
{
	return vm->ram_size;
}

void hv_ram_written(struct hv_vm *vm, uint64_t gpa, uint64_t len, int writer)
{
	if (len == 0)
		return;
	uint64_t first = (gpa - vm->ram_base) >> 12, last = (gpa - vm->ram_base + len - 1) >> 12;
	for (uint64_t p = first; p <= last; p++) {
		uint16_t watchers = atomic_load_explicit(&vm->page_watch[p], memory_order_relaxed);
		if (!watchers)
			continue;
		if (watchers & HV_WATCH_ALL_CODE) {
			uint16_t holders =
			        atomic_fetch_and(&vm->page_watch[p], (uint16_t)~HV_WATCH_ALL_CODE);
			for (unsigned n = 0; n < vm->config.vcpus; n++)
				if (holders & HV_WATCH_CODE(n))
					rv_hart_kick(vm->harts[n], RV_REQ_CODE_FLUSH);
		}
		for (unsigned n = 0; n < vm->config.vcpus; n++)
			if ((watchers & HV_WATCH_RESERVATION(n)) && (int)n != writer)
				rv_reservation_break(vm->harts[n], gpa, len);
	}
}

void *hv_ram_ptr(struct hv_vm *vm, uint64_t gpa, uint64_t len, bool for_write)
{
	if (!hv_gpa_in_ram(vm, gpa, len))
		return NULL;
	if (for_write)
		hv_ram_written(vm, gpa, len, -1);
	return vm->ram + (gpa - vm->ram_base);
}

int hv_ram_read(struct hv_vm *vm, uint64_t gpa, void *dst, size_t len)
{
	const void *src = hv_ram_ptr(vm, gpa, len, false);
	if (!src)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int hv_ram_write(struct hv_vm *vm, uint64_t gpa, const void *src, size_t len)
{
	void *dst = hv_ram_ptr(vm, gpa, len, true);
	if (!dst)
		return -EFAULT;
	memcpy(dst, src, len);
	return 0;
}

/* MMIO and ioeventfds.  Both tables are filled before the VM starts and only read after. */

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

int hv_mmio_register(struct hv_vm *vm, uint64_t base, uint64_t size, const struct hv_mmio_ops *ops,
                     void *opaque)
{
	if (!ops || size == 0 || base + size < base)
		return -EINVAL;
	if (vm->state != HV_STATE_CREATED)
		return -EBUSY;
	if (ranges_overlap(base, size, vm->ram_base, vm->ram_size))
		return -EEXIST;
	for (unsigned n = 0; n < vm->mmio_count; n++)
		if (ranges_overlap(base, size, vm->mmio[n].base, vm->mmio[n].size))
			return -EEXIST;
	if (vm->mmio_count == HV_MAX_MMIO_REGIONS)
		return -ENOSPC;
	vm->mmio[vm->mmio_count++] = (struct hv_mmio_region){base, size, ops, opaque};
	return 0;
}

struct hv_mmio_region *hv_mmio_find(struct hv_vm *vm, uint64_t gpa)
{
	for (unsigned n = 0; n < vm->mmio_count; n++)
		if (gpa - vm->mmio[n].base < vm->mmio[n].size)
			return &vm->mmio[n];
	return NULL;
}

int hv_ioeventfd_register(struct hv_vm *vm, uint64_t gpa, unsigned size, bool datamatch,
                          uint64_t value, int fd)
{
	if (fd < 0 || (size != 1 && size != 2 && size != 4 && size != 8))
		return -EINVAL;
	if (vm->state != HV_STATE_CREATED)
		return -EBUSY;
	if (!hv_mmio_find(vm, gpa))
		return -ENOENT;
	if (vm->ioeventfd_count == HV_MAX_IOEVENTFDS)
		return -ENOSPC;
	vm->ioeventfds[vm->ioeventfd_count++] =
	        (struct hv_ioeventfd){gpa, size, datamatch, value, fd};
	return 0;
}

bool hv_mmio_load(struct hv_vm *vm, uint64_t gpa, unsigned size, uint64_t *value)
{
	struct hv_mmio_region *r = hv_mmio_find(vm, gpa);
	if (!r || gpa - r->base + size > r->size)
		return false;
	uint64_t v = r->ops->read ? r->ops->read(r->opaque, gpa - r->base, size) : 0;
	*value = size == 8 ? v : v & ((1ull << (8 * size)) - 1);
	return true;
}

bool hv_mmio_store(struct hv_vm *vm, uint64_t gpa, unsigned size, uint64_t value)
{
	for (unsigned n = 0; n < vm->ioeventfd_count; n++) {
		struct hv_ioeventfd *e = &vm->ioeventfds[n];
		if (e->gpa == gpa && e->size == size && (!e->datamatch || e->value == value)) {
			uint64_t one = 1;
			if (write(e->fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
				fprintf(stderr, "hv: ioeventfd write failed: %s\n",
				        strerror(errno));
			return true;
		}
	}
	struct hv_mmio_region *r = hv_mmio_find(vm, gpa);
	if (!r || gpa - r->base + size > r->size)
		return false;
	if (r->ops->write)
		r->ops->write(r->opaque, gpa - r->base, value, size);
	return true;
}

int hv_irq_set(struct hv_vm *vm, unsigned line, bool level)
{
	return rv_plic_set_irq(vm, line, level);
}

int hv_irq_get(struct hv_vm *vm, unsigned line)
{
	return rv_plic_get_irq(vm, line);
}

void hv_set_sbi_console(struct hv_vm *vm, const struct hv_console_ops *ops, void *opaque)
{
	vm->console_ops = ops;
	vm->console_opaque = opaque;
}

int hv_vcpu_set_boot(struct hv_vm *vm, unsigned vcpu, const struct hv_vcpu_boot *boot)
{
	if (vcpu >= vm->config.vcpus || !boot)
		return -EINVAL;
	if (boot->priv != HV_PRIV_M && boot->priv != HV_PRIV_S && boot->priv != HV_PRIV_U)
		return -EINVAL;
	if (vm->state == HV_STATE_RUNNING)
		return -EBUSY;
	vm->harts[vcpu]->boot = *boot;
	rv_hart_reset(vm->harts[vcpu]);
	return 0;
}

/* Running */

static void kick_all(struct hv_vm *vm, uint32_t requests)
{
	for (unsigned n = 0; n < vm->config.vcpus; n++)
		rv_hart_kick(vm->harts[n], requests);
}

int hv_vm_start(struct hv_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->state != HV_STATE_CREATED) {
		pthread_mutex_unlock(&vm->lock);
		return -EBUSY;
	}
	vm->state = HV_STATE_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	for (unsigned n = 0; n < vm->config.vcpus; n++) {
		struct rv_hart *h = vm->harts[n];
		int err = pthread_create(&h->thread, NULL, rv_hart_thread, h);
		if (err) {
			hv_vm_request_exit(vm, HV_EXIT_ERROR, 0);
			return -err;
		}
		h->thread_started = true;
	}
	return 0;
}

int hv_vm_pause(struct hv_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->state != HV_STATE_RUNNING || vm->exit_requested) {
		pthread_mutex_unlock(&vm->lock);
		return -EINVAL;
	}
	vm->paused = true;
	kick_all(vm, RV_REQ_PAUSE);
	while (vm->parked < vm->config.vcpus && !vm->exit_requested)
		pthread_cond_wait(&vm->changed, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

int hv_vm_resume(struct hv_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	vm->paused = false;
	pthread_cond_broadcast(&vm->changed);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

bool hv_vm_is_paused(struct hv_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	bool paused = vm->paused;
	pthread_mutex_unlock(&vm->lock);
	return paused;
}

void hv_vm_request_exit(struct hv_vm *vm, enum hv_exit_reason reason, int code)
{
	pthread_mutex_lock(&vm->lock);
	if (!vm->exit_requested) {
		vm->exit_requested = true;
		vm->exit = (struct hv_exit){reason, code};
		uint64_t one = 1;
		if (write(vm->exit_fd, &one, sizeof(one)) < 0)
			fprintf(stderr, "hv: exit eventfd write failed: %s\n", strerror(errno));
	}
	pthread_cond_broadcast(&vm->changed);
	pthread_mutex_unlock(&vm->lock);
	kick_all(vm, RV_REQ_EXIT);
}

int hv_vm_wait(struct hv_vm *vm, struct hv_exit *exit)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->state == HV_STATE_CREATED) {
		pthread_mutex_unlock(&vm->lock);
		return -EINVAL;
	}
	while (!vm->exit_requested)
		pthread_cond_wait(&vm->changed, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
	for (unsigned n = 0; n < vm->config.vcpus; n++) {
		struct rv_hart *h = vm->harts[n];
		if (h->thread_started) {
			pthread_join(h->thread, NULL);
			h->thread_started = false;
		}
	}
	pthread_mutex_lock(&vm->lock);
	vm->state = HV_STATE_EXITED;
	if (exit)
		*exit = vm->exit;
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

int hv_vm_exit_fd(struct hv_vm *vm)
{
	return vm->exit_fd;
}

int hv_vm_reset(struct hv_vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->state == HV_STATE_RUNNING) {
		pthread_mutex_unlock(&vm->lock);
		return -EBUSY;
	}
	vm->state = HV_STATE_CREATED;
	vm->exit_requested = false;
	vm->paused = false;
	vm->exit = (struct hv_exit){HV_EXIT_NONE, 0};
	uint64_t drain;
	if (read(vm->exit_fd, &drain, sizeof(drain)) < 0 && errno != EAGAIN)
		fprintf(stderr, "hv: exit eventfd read failed: %s\n", strerror(errno));
	pthread_mutex_unlock(&vm->lock);

	/* Fresh, zeroed RAM: the engine loads its images again. */
	madvise(vm->ram, vm->ram_size, MADV_DONTNEED);
	memset((void *)vm->page_watch, 0, vm->ram_pages * sizeof(*vm->page_watch));
	rv_plic_reset(vm);
	vm->clock_base_ns = monotonic_ns();
	for (unsigned n = 0; n < vm->config.vcpus; n++)
		rv_hart_reset(vm->harts[n]);
	return 0;
}

/* Statistics and names */

int hv_vcpu_get_stats(struct hv_vm *vm, unsigned vcpu, struct hv_vcpu_stats *out)
{
	if (vcpu >= vm->config.vcpus || !out)
		return -EINVAL;
	memcpy(out, &vm->harts[vcpu]->stats, sizeof(*out));
	return 0;
}

const char *hv_sbi_ext_name(enum hv_sbi_ext ext)
{
	static const char *const names[HV_SBI_EXT_COUNT] = {
	        "legacy", "base", "time", "ipi", "rfence", "hsm", "srst", "dbcn", "other"};
	return (unsigned)ext < HV_SBI_EXT_COUNT ? names[ext] : "?";
}

const char *hv_exception_name(unsigned cause)
{
	static const char *const names[] = {"instruction address misaligned",
	                                    "instruction access fault",
	                                    "illegal instruction",
	                                    "breakpoint",
	                                    "load address misaligned",
	                                    "load access fault",
	                                    "store/AMO address misaligned",
	                                    "store/AMO access fault",
	                                    "ecall from U-mode",
	                                    "ecall from S-mode",
	                                    "reserved",
	                                    "ecall from M-mode",
	                                    "instruction page fault",
	                                    "load page fault",
	                                    "reserved",
	                                    "store/AMO page fault"};
	return cause < sizeof(names) / sizeof(names[0]) ? names[cause] : "reserved";
}

const char *hv_interrupt_name(unsigned cause)
{
	static const char *const names[] = {
	        "reserved", "supervisor software", "reserved", "machine software",
	        "reserved", "supervisor timer",    "reserved", "machine timer",
	        "reserved", "supervisor external", "reserved", "machine external"};
	return cause < sizeof(names) / sizeof(names[0]) ? names[cause] : "reserved";
}

const char *hv_exit_reason_name(enum hv_exit_reason reason)
{
	switch (reason) {
	case HV_EXIT_NONE: return "none";
	case HV_EXIT_POWEROFF: return "poweroff";
	case HV_EXIT_REBOOT: return "reboot";
	case HV_EXIT_FAILURE: return "failure";
	case HV_EXIT_STOPPED: return "stopped";
	case HV_EXIT_ERROR: return "error";
	}
	return "?";
}
