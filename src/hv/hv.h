/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Host: Kennel's hypervisor core, as a small C API.
 *
 * lguest split a hypervisor in two: the Host, which ran the guest's CPU,
 * and the Launcher, a user program that laid out guest memory and served
 * its devices.  Kennel keeps that split.  This header is the Host.  The
 * engine (our Launcher) creates a VM, puts a kernel into its RAM,
 * registers the device registers it wants to trap, and starts the vCPUs.
 *
 * Everything here is plain C with no GLib, and every function returns 0 or
 * a negative errno.  The only backend today is a software RISC-V CPU; the
 * API is shaped so that a KVM backend can implement it later (RAM is one
 * host mapping, MMIO is trap-and-emulate, notifications are eventfds,
 * interrupts are lines).
 */
#ifndef KENNEL_HV_H
#define KENNEL_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HV_MAX_VCPUS 8

enum hv_arch {
	HV_ARCH_RISCV64 = 0,
};

enum hv_accel {
	HV_ACCEL_AUTO = 0, /* the best backend that works here */
	HV_ACCEL_EMULATE,  /* the software CPU */
	HV_ACCEL_KVM,      /* not yet: hv_vm_create() returns -ENOTSUP */
};

/*
 * The riscv64 "virt"-compatible machine.  The hv itself owns the
 * interrupt controller (PLIC) and the timers (CLINT); the engine owns
 * every other device and describes them all in the device tree.
 */
#define HV_RISCV_CLINT_BASE 0x02000000ull
#define HV_RISCV_CLINT_SIZE 0x00010000ull
#define HV_RISCV_PLIC_BASE  0x0c000000ull
#define HV_RISCV_PLIC_SIZE  0x00600000ull
#define HV_RISCV_RAM_BASE   0x80000000ull
/* mtime ticks at 10 MHz, read from the host's monotonic clock. */
#define HV_RISCV_TIMEBASE_HZ 10000000ull
/* PLIC sources 1..HV_RISCV_PLIC_NDEV; 0 means "no interrupt". */
#define HV_RISCV_PLIC_NDEV 95
/* Interrupt lines of the machine's devices (PLIC source numbers, as QEMU's virt). */
#define HV_RISCV_IRQ_UART         10
#define HV_RISCV_IRQ_RTC          11
#define HV_RISCV_IRQ_VIRTIO_FIRST 32 /* virtio-mmio slot n uses 32 + n */
#define HV_RISCV_VIRTIO_SLOTS     32
/*
 * PLIC contexts: hart h has context 2h for M-mode and 2h + 1 for S-mode
 * external interrupts (the same numbering as QEMU's virt machine).
 */

struct hv_vm_config {
	enum hv_arch arch;
	enum hv_accel accel;
	unsigned vcpus;    /* 1..HV_MAX_VCPUS */
	uint64_t ram_size; /* bytes, a multiple of 4096; RAM starts at the arch's RAM base */
	/*
	 * Direct boot: the hv answers the guest's SBI calls itself (Kennel's
	 * hypercalls) and the harts start in S-mode; only the boot hart runs,
	 * the others wait for an HSM hart_start.  When false the harts start
	 * in M-mode and run whatever firmware the engine loaded.
	 */
	bool sbi;
};

struct hv_vm;

int hv_vm_create(const struct hv_vm_config *config, struct hv_vm **out);
void hv_vm_destroy(struct hv_vm *vm);
const struct hv_vm_config *hv_vm_get_config(const struct hv_vm *vm);

/* The ISA string for the device tree, e.g. "rv64imafdc_zicsr_zifencei". */
const char *hv_vcpu_isa_string(const struct hv_vm *vm);
/* The MMU for the device tree's mmu-type, e.g. "riscv,sv48". */
const char *hv_vcpu_mmu_type(const struct hv_vm *vm);

/*
 * Guest RAM: one host mapping.  Every guest-physical address the engine
 * touches goes through these helpers, which check the whole range against
 * RAM (with no overflow) and return NULL / -EFAULT otherwise.
 *
 * hv_ram_ptr() with for_write=true also tells the CPU that the range is
 * about to change, so that any instructions it decoded from those pages
 * are thrown away (a DMA write over code, e.g. a block read into the page
 * cache, must not leave stale instructions behind).
 */
uint64_t hv_ram_base(const struct hv_vm *vm);
uint64_t hv_ram_size(const struct hv_vm *vm);
void *hv_ram_ptr(struct hv_vm *vm, uint64_t gpa, uint64_t len, bool for_write);
int hv_ram_read(struct hv_vm *vm, uint64_t gpa, void *dst, size_t len);
int hv_ram_write(struct hv_vm *vm, uint64_t gpa, const void *src, size_t len);

/*
 * MMIO: trap-and-emulate.  A guest load or store inside [base, base+size)
 * calls these on the vCPU's thread, with offset relative to base and size
 * 1, 2, 4 or 8.  Devices lock their own state.  Regions may not overlap
 * RAM or each other (-EEXIST).
 */
struct hv_mmio_ops {
	uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
	void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
};
int hv_mmio_register(struct hv_vm *vm, uint64_t base, uint64_t size, const struct hv_mmio_ops *ops,
                     void *opaque);

/*
 * ioeventfd (lguest's LHREQ_EVENTFD, KVM's KVM_IOEVENTFD): a guest write
 * of `size` bytes to `gpa` -- and, if datamatch, of exactly `value` --
 * signals `fd` (an eventfd) instead of calling the region's write op.
 * The address must lie in a registered MMIO region.
 */
int hv_ioeventfd_register(struct hv_vm *vm, uint64_t gpa, unsigned size, bool datamatch,
                          uint64_t value, int fd);

/*
 * Interrupt lines (lguest's LHREQ_IRQ): level-triggered inputs of the
 * interrupt controller, callable from any thread.
 */
int hv_irq_set(struct hv_vm *vm, unsigned line, bool level);
/* The level a line was last set to: 1 or 0, or -EINVAL for no such line. */
int hv_irq_get(struct hv_vm *vm, unsigned line);

/*
 * The SBI debug console (DBCN and the legacy putchar/getchar calls), in
 * direct-boot mode.  write() may be called from any vCPU thread; read()
 * returns a byte or -1 when nothing is waiting.
 */
struct hv_console_ops {
	void (*write)(void *opaque, const uint8_t *buf, size_t len);
	int (*read)(void *opaque);
};
void hv_set_sbi_console(struct hv_vm *vm, const struct hv_console_ops *ops, void *opaque);

/* Where and how a vCPU starts: set before hv_vm_start(). */
enum hv_priv {
	HV_PRIV_U = 0,
	HV_PRIV_S = 1,
	HV_PRIV_M = 3,
};
struct hv_vcpu_boot {
	enum hv_priv priv;
	uint64_t pc;
	uint64_t a0, a1, a2;
	bool stopped; /* starts in the HSM "stopped" state (direct boot, secondary harts) */
};
int hv_vcpu_set_boot(struct hv_vm *vm, unsigned vcpu, const struct hv_vcpu_boot *boot);

/* Why a VM stopped running. */
enum hv_exit_reason {
	HV_EXIT_NONE = 0,
	HV_EXIT_POWEROFF, /* the guest powered off: code is 0 */
	HV_EXIT_REBOOT,   /* the guest asked for a reset */
	HV_EXIT_FAILURE,  /* the guest reported failure (sifive,test fail code, SBI SRST failure) */
	HV_EXIT_STOPPED,  /* the host asked: hv_vm_request_exit() */
	HV_EXIT_ERROR,    /* an internal error of the hv */
};
struct hv_exit {
	enum hv_exit_reason reason;
	int code;
};
const char *hv_exit_reason_name(enum hv_exit_reason reason);

/*
 * Running.  hv_vm_start() starts one host thread per vCPU.  Pause stops
 * every vCPU at an instruction boundary and returns when they are all
 * parked; resume lets them go on.  hv_vm_request_exit() may be called by
 * a device (the poweroff syscon) or the engine from any thread; the first
 * request wins.  hv_vm_wait() blocks until the VM exited and its threads
 * are joined.  hv_vm_exit_fd() is an eventfd that becomes readable when
 * the VM exits, for event loops.  hv_vm_reset() puts every vCPU back to
 * its boot state (call it after hv_vm_wait(), then hv_vm_start() again).
 */
int hv_vm_start(struct hv_vm *vm);
int hv_vm_pause(struct hv_vm *vm);
int hv_vm_resume(struct hv_vm *vm);
bool hv_vm_is_paused(struct hv_vm *vm);
void hv_vm_request_exit(struct hv_vm *vm, enum hv_exit_reason reason, int code);
int hv_vm_wait(struct hv_vm *vm, struct hv_exit *exit);
int hv_vm_exit_fd(struct hv_vm *vm);
int hv_vm_reset(struct hv_vm *vm);

/* Per-vCPU statistics, for --stats and the app's Details view. */
#define HV_STAT_CAUSES 24 /* exception and interrupt causes 0..23 */
enum hv_sbi_ext {
	HV_SBI_LEGACY = 0,
	HV_SBI_BASE,
	HV_SBI_TIME,
	HV_SBI_IPI,
	HV_SBI_RFENCE,
	HV_SBI_HSM,
	HV_SBI_SRST,
	HV_SBI_DBCN,
	HV_SBI_OTHER,
	HV_SBI_EXT_COUNT,
};
struct hv_vcpu_stats {
	uint64_t instret;                     /* instructions retired */
	uint64_t exceptions[HV_STAT_CAUSES];  /* synchronous traps by cause */
	uint64_t interrupts[HV_STAT_CAUSES];  /* interrupts taken by cause */
	uint64_t sbi_calls[HV_SBI_EXT_COUNT]; /* hypercalls answered by the hv */
	uint64_t wfi_ns;                      /* time asleep in WFI */
	uint64_t mmio_exits;                  /* device register accesses */
	uint64_t tlb_misses;                  /* page-table walks */
	uint64_t code_flushes;                /* decoded-code cache flushes */
};
int hv_vcpu_get_stats(struct hv_vm *vm, unsigned vcpu, struct hv_vcpu_stats *out);
const char *hv_sbi_ext_name(enum hv_sbi_ext ext);
const char *hv_exception_name(unsigned cause);
const char *hv_interrupt_name(unsigned cause);

#endif
