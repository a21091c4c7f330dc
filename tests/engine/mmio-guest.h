/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny guest that plays the device driver in the engine's device tests.
 *
 * The test builds a machine with the real hv and the devices it wants to
 * test, then starts this guest on it: a few dozen RISC-V instructions in
 * M-mode, written into RAM at the boot pc.  The test hands it a list of
 * register accesses; the guest's vCPU performs each one with a real load
 * or store (lbu/lhu/lwu/ld, sb/sh/sw/sd), so every access goes through the
 * software CPU's MMIO path and the hv's region table to the device's
 * registered ops, on the vCPU's own thread, exactly as a kernel's driver
 * would.  An access the hv refuses (nothing mapped there, or misaligned)
 * traps; the guest's trap handler notes the cause and goes on.
 *
 * The guest learns of work through a small register window of its own at
 * MMIO_GUEST_DOORBELL (a reading vCPU waits there until the test posts a
 * list), and says it is done by writing to it.  The list itself lies in
 * guest RAM.  If an access makes the VM exit (the sifive,test syscon),
 * the test sees the hv's exit eventfd become readable instead.
 */
#ifndef KENNEL_TESTS_MMIO_GUEST_H
#define KENNEL_TESTS_MMIO_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/hv.h"

struct machine;
struct mmio_guest;

/* Where the guest's own doorbell registers live: nothing of the machine's is there. */
#define MMIO_GUEST_DOORBELL 0x30000000ull

struct mmio_access {
	uint64_t gpa;
	uint64_t value; /* for a write */
	unsigned size;  /* 1, 2, 4 or 8 */
	bool write;
	/* Filled in by the guest: */
	uint64_t result; /* a read's value, zero-extended; 0 for a write */
	unsigned fault;  /* the trap's mcause (5 load, 7 store access fault), 0 if none */
};

enum mmio_guest_outcome {
	MMIO_GUEST_DONE,   /* every access was made */
	MMIO_GUEST_EXITED, /* the VM exited (a device asked it to) before the guest said done */
};

/*
 * Registers the doorbell on m's VM (which must not have started), loads the
 * guest and starts the VM.  Asserts on failure.
 */
struct mmio_guest *mmio_guest_start(struct machine *m);
/* Stops the VM and frees the guest: call before machine_destroy(). */
void mmio_guest_destroy(struct mmio_guest *g);

/* Makes the accesses, in order, on the vCPU. */
enum mmio_guest_outcome mmio_guest_run(struct mmio_guest *g, struct mmio_access *accesses,
                                       size_t count);

/* One access, which must neither fault nor end the VM. */
uint64_t mmio_guest_read(struct mmio_guest *g, uint64_t gpa, unsigned size);
void mmio_guest_write(struct mmio_guest *g, uint64_t gpa, uint64_t value, unsigned size);
/* Whether a one-byte read at gpa reaches a device (rather than trapping). */
bool mmio_guest_mapped(struct mmio_guest *g, uint64_t gpa);

/* Whether anyone has asked the VM to exit (its exit eventfd is readable). */
bool mmio_guest_exit_requested(struct mmio_guest *g);
/*
 * After MMIO_GUEST_EXITED: waits for the VM to stop, returns why, and
 * starts it again from its boot state (hv_vm_reset) with the guest
 * reloaded.  The devices are left as they are.
 */
struct hv_exit mmio_guest_restart(struct mmio_guest *g);

#endif
