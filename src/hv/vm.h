/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inside of a VM, shared by the hv's own files (never by the engine,
 * which sees only hv.h).
 */
#ifndef KENNEL_HV_VM_H
#define KENNEL_HV_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "hv.h"

struct rv_hart;
struct rv_plic;

#define HV_MAX_MMIO_REGIONS 64
#define HV_MAX_IOEVENTFDS   128

struct hv_mmio_region {
	uint64_t base, size;
	const struct hv_mmio_ops *ops;
	void *opaque;
};

struct hv_ioeventfd {
	uint64_t gpa;
	unsigned size;
	bool datamatch;
	uint64_t value;
	int fd;
};

enum hv_run_state { HV_STATE_CREATED, HV_STATE_RUNNING, HV_STATE_EXITED };

struct hv_vm {
	struct hv_vm_config config;

	/* Guest RAM: [ram_base, ram_base + ram_size) maps to ram[0..]. */
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	/*
	 * Who watches each RAM page, two bits per hart: the low byte says
	 * "this hart decoded instructions from this page", the high byte "this
	 * hart holds an LR reservation in this page".  A store to a watched
	 * page takes the slow path, which tells the watchers: their decoded
	 * code is stale, or their reservation is broken.
	 */
	_Atomic uint16_t *page_watch;
	uint64_t ram_pages;

	struct hv_mmio_region mmio[HV_MAX_MMIO_REGIONS];
	unsigned mmio_count;
	struct hv_ioeventfd ioeventfds[HV_MAX_IOEVENTFDS];
	unsigned ioeventfd_count;

	struct rv_hart *harts[HV_MAX_VCPUS];
	struct rv_plic *plic;

	const struct hv_console_ops *console_ops;
	void *console_opaque;

	/* mtime = (host monotonic ns - clock_base_ns) / 100 */
	uint64_t clock_base_ns;

	/* Run control, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	enum hv_run_state state;
	bool paused;
	unsigned parked;
	bool exit_requested;
	struct hv_exit exit;
	int exit_fd;
};

/* Find the MMIO region holding gpa, or NULL. */
struct hv_mmio_region *hv_mmio_find(struct hv_vm *vm, uint64_t gpa);
/* A guest store to a device register: ioeventfds first, then the region. */
bool hv_mmio_store(struct hv_vm *vm, uint64_t gpa, unsigned size, uint64_t value);
bool hv_mmio_load(struct hv_vm *vm, uint64_t gpa, unsigned size, uint64_t *value);
#define HV_WATCH_CODE(hart)        ((uint16_t)(1u << (hart)))
#define HV_WATCH_RESERVATION(hart) ((uint16_t)(0x100u << (hart)))
#define HV_WATCH_ALL_CODE          0x00ffu
/*
 * Guest RAM at [gpa, gpa+len) is about to be written by hart `writer`
 * (-1: a device): drop code decoded from it and break other harts' LR
 * reservations on it.
 */
void hv_ram_written(struct hv_vm *vm, uint64_t gpa, uint64_t len, int writer);

/* The host clock that guest time (mtime) and WFI deadlines follow. */
static inline uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline bool hv_gpa_in_ram(const struct hv_vm *vm, uint64_t gpa, uint64_t len)
{
	return gpa >= vm->ram_base && len <= vm->ram_size &&
	       gpa - vm->ram_base <= vm->ram_size - len;
}

/* plic.c and clint.c: the interrupt controller and timers. */
int rv_plic_create(struct hv_vm *vm);
void rv_plic_destroy(struct hv_vm *vm);
void rv_plic_reset(struct hv_vm *vm);
int rv_plic_set_irq(struct hv_vm *vm, unsigned line, bool level);
int rv_plic_get_irq(struct hv_vm *vm, unsigned line);
int rv_clint_create(struct hv_vm *vm);

#endif
