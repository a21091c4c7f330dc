// SPDX-License-Identifier: GPL-2.0-or-later
/* A stand-in for the hv in device tests: see fake-hv.h. */
#include "fake-hv.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REGIONS 64
#define MAX_LINES   (HV_RISCV_PLIC_NDEV + 1)

struct region {
	uint64_t base, size;
	const struct hv_mmio_ops *ops;
	void *opaque;
};

struct hv_vm {
	struct hv_vm_config config;
	uint8_t *ram;
	struct region regions[MAX_REGIONS];
	unsigned nregions;
	pthread_mutex_t lock;
	bool level[MAX_LINES];
	unsigned raises[MAX_LINES];
	struct hv_exit exit;
	unsigned exit_requests;
	struct hv_vcpu_boot boot[HV_MAX_VCPUS];
};

int hv_vm_create(const struct hv_vm_config *config, struct hv_vm **out)
{
	struct hv_vm *vm;

	if (config->vcpus < 1 || config->vcpus > HV_MAX_VCPUS || config->ram_size % 4096)
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->ram = calloc(1, config->ram_size);
	if (!vm->ram) {
		free(vm);
		return -ENOMEM;
	}
	vm->config = *config;
	pthread_mutex_init(&vm->lock, NULL);
	*out = vm;
	return 0;
}

void hv_vm_destroy(struct hv_vm *vm)
{
	if (!vm)
		return;
	pthread_mutex_destroy(&vm->lock);
	free(vm->ram);
	free(vm);
}

const struct hv_vm_config *hv_vm_get_config(const struct hv_vm *vm)
{
	return &vm->config;
}

const char *hv_vcpu_isa_string(const struct hv_vm *vm)
{
	return "rv64imafdc_zicsr_zifencei";
}

const char *hv_vcpu_mmu_type(const struct hv_vm *vm)
{
	return "riscv,sv48";
}

uint64_t hv_ram_base(const struct hv_vm *vm)
{
	return HV_RISCV_RAM_BASE;
}

uint64_t hv_ram_size(const struct hv_vm *vm)
{
	return vm->config.ram_size;
}

void *hv_ram_ptr(struct hv_vm *vm, uint64_t gpa, uint64_t len, bool for_write)
{
	uint64_t offset = gpa - HV_RISCV_RAM_BASE;

	if (gpa < HV_RISCV_RAM_BASE || offset > vm->config.ram_size ||
	    len > vm->config.ram_size - offset)
		return NULL;
	return vm->ram + offset;
}

int hv_ram_read(struct hv_vm *vm, uint64_t gpa, void *dst, size_t len)
{
	void *src = hv_ram_ptr(vm, gpa, len, false);

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

int hv_mmio_register(struct hv_vm *vm, uint64_t base, uint64_t size, const struct hv_mmio_ops *ops,
                     void *opaque)
{
	for (unsigned i = 0; i < vm->nregions; i++) {
		const struct region *r = &vm->regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return -EEXIST;
	}
	if (vm->nregions == MAX_REGIONS)
		return -ENOSPC;
	vm->regions[vm->nregions++] = (struct region){base, size, ops, opaque};
	return 0;
}

static const struct region *find_region(struct hv_vm *vm, uint64_t gpa)
{
	for (unsigned i = 0; i < vm->nregions; i++)
		if (gpa - vm->regions[i].base < vm->regions[i].size)
			return &vm->regions[i];
	return NULL;
}

bool fake_hv_mmio_mapped(struct hv_vm *vm, uint64_t gpa)
{
	return find_region(vm, gpa) != NULL;
}

uint64_t fake_hv_mmio_read(struct hv_vm *vm, uint64_t gpa, unsigned size)
{
	const struct region *r = find_region(vm, gpa);

	return r ? r->ops->read(r->opaque, gpa - r->base, size) : 0;
}

void fake_hv_mmio_write(struct hv_vm *vm, uint64_t gpa, uint64_t value, unsigned size)
{
	const struct region *r = find_region(vm, gpa);

	if (r)
		r->ops->write(r->opaque, gpa - r->base, value, size);
}

int hv_ioeventfd_register(struct hv_vm *vm, uint64_t gpa, unsigned size, bool datamatch,
                          uint64_t value, int fd)
{
	return -ENOSYS;
}

int hv_irq_set(struct hv_vm *vm, unsigned line, bool level)
{
	if (line == 0 || line >= MAX_LINES)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	if (level && !vm->level[line])
		vm->raises[line]++;
	vm->level[line] = level;
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

bool fake_hv_irq_level(struct hv_vm *vm, unsigned line)
{
	bool level;

	pthread_mutex_lock(&vm->lock);
	level = line < MAX_LINES && vm->level[line];
	pthread_mutex_unlock(&vm->lock);
	return level;
}

unsigned fake_hv_irq_raises(struct hv_vm *vm, unsigned line)
{
	unsigned raises;

	pthread_mutex_lock(&vm->lock);
	raises = line < MAX_LINES ? vm->raises[line] : 0;
	pthread_mutex_unlock(&vm->lock);
	return raises;
}

void hv_set_sbi_console(struct hv_vm *vm, const struct hv_console_ops *ops, void *opaque)
{
}

int hv_vcpu_set_boot(struct hv_vm *vm, unsigned vcpu, const struct hv_vcpu_boot *boot)
{
	if (vcpu >= vm->config.vcpus)
		return -EINVAL;
	vm->boot[vcpu] = *boot;
	return 0;
}

const struct hv_vcpu_boot *fake_hv_vcpu_boot(struct hv_vm *vm, unsigned vcpu)
{
	return &vm->boot[vcpu];
}

void hv_vm_request_exit(struct hv_vm *vm, enum hv_exit_reason reason, int code)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->exit_requests++ == 0)
		vm->exit = (struct hv_exit){reason, code};
	pthread_mutex_unlock(&vm->lock);
}

struct hv_exit fake_hv_exit_request(struct hv_vm *vm)
{
	return vm->exit;
}

unsigned fake_hv_exit_requests(struct hv_vm *vm)
{
	return vm->exit_requests;
}

void fake_hv_clear_exit(struct hv_vm *vm)
{
	vm->exit = (struct hv_exit){HV_EXIT_NONE, 0};
	vm->exit_requests = 0;
}

const char *hv_exit_reason_name(enum hv_exit_reason reason)
{
	return "fake";
}

int hv_vm_start(struct hv_vm *vm)
{
	return -ENOSYS;
}

int hv_vm_pause(struct hv_vm *vm)
{
	return -ENOSYS;
}

int hv_vm_resume(struct hv_vm *vm)
{
	return -ENOSYS;
}

bool hv_vm_is_paused(struct hv_vm *vm)
{
	return false;
}

int hv_vm_wait(struct hv_vm *vm, struct hv_exit *exit)
{
	return -ENOSYS;
}

int hv_vm_exit_fd(struct hv_vm *vm)
{
	return -ENOSYS;
}

int hv_vm_reset(struct hv_vm *vm)
{
	return 0;
}

int hv_vcpu_get_stats(struct hv_vm *vm, unsigned vcpu, struct hv_vcpu_stats *out)
{
	memset(out, 0, sizeof(*out));
	return 0;
}

const char *hv_sbi_ext_name(enum hv_sbi_ext ext)
{
	return "ext";
}

const char *hv_exception_name(unsigned cause)
{
	return "exception";
}

const char *hv_interrupt_name(unsigned cause)
{
	return "interrupt";
}
