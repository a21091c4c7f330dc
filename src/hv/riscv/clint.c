/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CLINT: per-hart software interrupts (msip) and timer compare
 * registers (mtimecmp), and the shared clock (mtime, 10 MHz from the
 * host's monotonic clock).  mtimecmp is read by its hart when it polls
 * its timers; a write kicks the hart so a sleeping one recomputes when to
 * wake.
 */
#include "exec.h"

#define MSIP_BASE     0x0000
#define MTIMECMP_BASE 0x4000
#define MTIME         0xbff8

/* A 4-byte access touches one half of a 64-bit register. */
static uint64_t read_part(uint64_t reg, uint64_t offset, unsigned size)
{
	if (size == 8)
		return reg;
	return (reg >> (8 * (offset & 4))) & 0xffffffffull;
}

static uint64_t write_part(uint64_t reg, uint64_t offset, unsigned size, uint64_t value)
{
	if (size == 8)
		return value;
	unsigned shift = 8 * (unsigned)(offset & 4);
	return (reg & ~(0xffffffffull << shift)) | ((value & 0xffffffffull) << shift);
}

static uint64_t clint_read(void *opaque, uint64_t offset, unsigned size)
{
	struct hv_vm *vm = opaque;
	unsigned n = vm->config.vcpus;
	if (offset < MSIP_BASE + 4 * n && size == 4)
		return (atomic_load(&vm->harts[offset / 4]->mip) & RV_MIP_MSIP) ? 1 : 0;
	if (offset >= MTIMECMP_BASE && offset < MTIMECMP_BASE + 8 * n && size >= 4)
		return read_part(atomic_load(&vm->harts[(offset - MTIMECMP_BASE) / 8]->mtimecmp),
		                 offset, size);
	if (offset >= MTIME && offset < MTIME + 8 && size >= 4)
		return read_part(rv_mtime(vm), offset, size);
	return 0;
}

static void clint_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct hv_vm *vm = opaque;
	unsigned n = vm->config.vcpus;
	if (offset < MSIP_BASE + 4 * n && size == 4) {
		struct rv_hart *h = vm->harts[offset / 4];
		if (value & 1)
			atomic_fetch_or(&h->mip, RV_MIP_MSIP);
		else
			atomic_fetch_and(&h->mip, ~RV_MIP_MSIP);
		rv_hart_kick(h, RV_REQ_INTERRUPT);
	} else if (offset >= MTIMECMP_BASE && offset < MTIMECMP_BASE + 8 * n && size >= 4) {
		struct rv_hart *h = vm->harts[(offset - MTIMECMP_BASE) / 8];
		atomic_store(&h->mtimecmp,
		             write_part(atomic_load(&h->mtimecmp), offset, size, value));
		rv_hart_kick(h, RV_REQ_INTERRUPT);
	}
	/* mtime is read-only here: the guest clock follows the host's. */
}

static const struct hv_mmio_ops clint_ops = {.read = clint_read, .write = clint_write};

int rv_clint_create(struct hv_vm *vm)
{
	return hv_mmio_register(vm, HV_RISCV_CLINT_BASE, HV_RISCV_CLINT_SIZE, &clint_ops, vm);
}
