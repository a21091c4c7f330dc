/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kennel's hypercalls: the SBI, answered by the hv itself in direct boot.
 *
 * lguest's guests called the Host with hypercalls; a RISC-V kernel calls
 * its M-mode firmware with ecall, a7 naming the extension, a6 the function
 * and a0..a5 the arguments.  In direct boot there is no firmware: the
 * ecall lands here, and we do what OpenSBI would, then return to the
 * instruction after the ecall with an error code in a0 and a value in a1.
 */
#include <sched.h>

#include "exec.h"

enum {
	SBI_SUCCESS = 0,
	SBI_ERR_FAILED = -1,
	SBI_ERR_NOT_SUPPORTED = -2,
	SBI_ERR_INVALID_PARAM = -3,
	SBI_ERR_INVALID_ADDRESS = -5,
	SBI_ERR_ALREADY_AVAILABLE = -6,
	SBI_ERR_ALREADY_STARTED = -7,
	SBI_ERR_ALREADY_STOPPED = -8,
};

enum {
	EXT_BASE = 0x10,
	EXT_TIME = 0x54494d45,
	EXT_IPI = 0x735049,
	EXT_RFENCE = 0x52464e43,
	EXT_HSM = 0x48534d,
	EXT_SRST = 0x53525354,
	EXT_DBCN = 0x4442434e,
};

#define SBI_SPEC_VERSION   (2u << 24) /* 2.0 */
#define SBI_IMPL_ID_KENNEL 0x4b4e     /* "KN": not a registered id, just ours */
#define SBI_IMPL_VERSION   1

struct sbi_result {
	int64_t error;
	uint64_t value;
};

static struct sbi_result ok(uint64_t value)
{
	return (struct sbi_result){SBI_SUCCESS, value};
}

static struct sbi_result fail(int64_t error)
{
	return (struct sbi_result){error, 0};
}

/* The harts an IPI or fence names: a mask of up to 64 harts from hart_mask_base (-1 = all). */
static uint64_t selected_harts(struct hv_vm *vm, uint64_t mask, uint64_t base, bool *valid)
{
	unsigned n = vm->config.vcpus;
	uint64_t all = n >= 64 ? ~0ull : (1ull << n) - 1;
	*valid = true;
	if (base == ~0ull)
		return all;
	if (base >= n) {
		*valid = false;
		return 0;
	}
	uint64_t selected = mask << base;
	if ((selected >> base) != mask || (selected & ~all)) {
		*valid = false;
		return 0;
	}
	return selected;
}

/* Wait until a remote hart has flushed its TLB, flushing our own meanwhile so two harts never wait
 * on each other. */
static void wait_for_flush(struct rv_hart *self, struct rv_hart *other)
{
	while ((atomic_load(&other->requests) & RV_REQ_TLB_FLUSH) && !atomic_load(&other->asleep) &&
	       !(atomic_load(&self->requests) & RV_REQ_EXIT)) {
		if (atomic_load(&self->requests) & RV_REQ_TLB_FLUSH) {
			atomic_fetch_and(&self->requests, ~(uint32_t)RV_REQ_TLB_FLUSH);
			rv_tlb_flush(self);
		}
		sched_yield();
	}
}

static void send_ipi(struct rv_hart *h, uint64_t harts)
{
	for (unsigned n = 0; n < h->vm->config.vcpus; n++) {
		if (!(harts >> n & 1))
			continue;
		struct rv_hart *t = h->vm->harts[n];
		atomic_fetch_or(&t->mip, RV_MIP_SSIP);
		rv_hart_kick(t, RV_REQ_INTERRUPT);
	}
}

static void remote_fence(struct rv_hart *h, uint64_t harts, bool tlb)
{
	for (unsigned n = 0; n < h->vm->config.vcpus; n++) {
		if (!(harts >> n & 1))
			continue;
		struct rv_hart *t = h->vm->harts[n];
		if (t == h) {
			if (tlb)
				rv_tlb_flush(h);
			continue; /* our own stale code is dropped when this block ends */
		}
		rv_hart_kick(t, tlb ? RV_REQ_TLB_FLUSH : RV_REQ_INTERRUPT);
	}
	if (!tlb)
		return;
	for (unsigned n = 0; n < h->vm->config.vcpus; n++)
		if ((harts >> n & 1) && h->vm->harts[n] != h)
			wait_for_flush(h, h->vm->harts[n]);
}

static void set_timer(struct rv_hart *h, uint64_t when)
{
	atomic_store(&h->sbi_timecmp, when);
	atomic_fetch_and(&h->mip, ~RV_MIP_STIP);
	rv_poll_timers(h);
}

static void console_write(struct rv_hart *h, const uint8_t *bytes, size_t len)
{
	if (h->vm->console_ops && h->vm->console_ops->write)
		h->vm->console_ops->write(h->vm->console_opaque, bytes, len);
}

static int console_read(struct rv_hart *h)
{
	if (h->vm->console_ops && h->vm->console_ops->read)
		return h->vm->console_ops->read(h->vm->console_opaque);
	return -1;
}

static struct sbi_result base_call(unsigned fid, uint64_t arg0)
{
	switch (fid) {
	case 0: return ok(SBI_SPEC_VERSION);
	case 1: return ok(SBI_IMPL_ID_KENNEL);
	case 2: return ok(SBI_IMPL_VERSION);
	case 3:
		switch (arg0) {
		case EXT_BASE:
		case EXT_TIME:
		case EXT_IPI:
		case EXT_RFENCE:
		case EXT_HSM:
		case EXT_SRST:
		case EXT_DBCN:
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
		case 5:
		case 6:
		case 7:
		case 8: return ok(1);
		}
		return ok(0);
	case 4:
	case 5:
	case 6: return ok(0); /* mvendorid, marchid, mimpid */
	}
	return fail(SBI_ERR_NOT_SUPPORTED);
}

static struct sbi_result hsm_call(struct rv_hart *h, unsigned fid, const uint64_t *a)
{
	struct hv_vm *vm = h->vm;
	if (fid == 1) { /* hart_stop: this hart goes to sleep until started again */
		atomic_store(&h->hsm_state, RV_HSM_STOPPED);
		rv_hart_kick(h, RV_REQ_INTERRUPT); /* leave the run loop */
		return ok(0);
	}
	if (fid == 3) { /* hart_suspend: only the default retentive suspend, like WFI */
		if (a[0] != 0)
			return fail(SBI_ERR_NOT_SUPPORTED);
		rv_hart_wfi(h);
		return ok(0);
	}
	if (a[0] >= vm->config.vcpus)
		return fail(SBI_ERR_INVALID_PARAM);
	struct rv_hart *t = vm->harts[a[0]];
	if (fid == 2)
		return ok((uint64_t)atomic_load(&t->hsm_state));
	if (fid != 0)
		return fail(SBI_ERR_NOT_SUPPORTED);
	/* hart_start */
	if (!hv_gpa_in_ram(vm, a[1], 2))
		return fail(SBI_ERR_INVALID_ADDRESS);
	int expected = RV_HSM_STOPPED;
	t->hsm_start_pc = a[1];
	t->hsm_start_arg = a[2];
	if (!atomic_compare_exchange_strong(&t->hsm_state, &expected, RV_HSM_START_PENDING))
		return fail(SBI_ERR_ALREADY_AVAILABLE);
	rv_hart_kick(t, RV_REQ_HSM_START);
	return ok(0);
}

static struct sbi_result dbcn_call(struct rv_hart *h, unsigned fid, const uint64_t *a)
{
	if (fid == 2) {
		uint8_t byte = (uint8_t)a[0];
		console_write(h, &byte, 1);
		return ok(0);
	}
	if (fid > 1 || a[2] != 0)
		return fail(SBI_ERR_NOT_SUPPORTED);
	/* The buffer is a physical address range that must lie in RAM. */
	uint8_t *buf = hv_ram_ptr(h->vm, a[1], a[0], fid == 1);
	if (!buf && a[0] != 0)
		return fail(SBI_ERR_INVALID_PARAM);
	if (fid == 0) {
		console_write(h, buf, a[0]);
		return ok(a[0]);
	}
	uint64_t n = 0;
	for (int c; n < a[0] && (c = console_read(h)) >= 0; n++)
		buf[n] = (uint8_t)c;
	return ok(n);
}

static struct sbi_result srst_call(struct rv_hart *h, unsigned fid, const uint64_t *a)
{
	if (fid != 0 || a[0] > 2)
		return fail(SBI_ERR_INVALID_PARAM);
	if (a[0] == 0)
		hv_vm_request_exit(h->vm, a[1] == 1 ? HV_EXIT_FAILURE : HV_EXIT_POWEROFF,
		                   a[1] == 1);
	else
		hv_vm_request_exit(h->vm, HV_EXIT_REBOOT, 0);
	return ok(0);
}

/* The legacy (v0.1) calls: a0 in, a0 out, hart masks passed by (virtual) address. */
static int64_t legacy_call(struct rv_hart *h, unsigned eid, uint64_t a0)
{
	uint64_t mask = ~0ull;
	if ((eid >= 4 && eid <= 7) && a0 != 0 && rv_load(h, a0, 8, &mask) != 0)
		return SBI_ERR_INVALID_ADDRESS;
	bool valid;
	uint64_t harts = selected_harts(h->vm, mask, 0, &valid);
	if (a0 == 0 && eid >= 4 && eid <= 7)
		harts = selected_harts(h->vm, 0, ~0ull, &valid);
	switch (eid) {
	case 0: set_timer(h, a0); return 0;
	case 1: {
		uint8_t byte = (uint8_t)a0;
		console_write(h, &byte, 1);
		return 0;
	}
	case 2: return console_read(h);
	case 3: atomic_fetch_and(&h->mip, ~RV_MIP_SSIP); return 0;
	case 4: send_ipi(h, harts); return 0;
	case 5: remote_fence(h, harts, false); return 0;
	case 6:
	case 7: remote_fence(h, harts, true); return 0;
	case 8: hv_vm_request_exit(h->vm, HV_EXIT_POWEROFF, 0); return 0;
	}
	return SBI_ERR_NOT_SUPPORTED;
}

static enum hv_sbi_ext stat_slot(uint64_t eid)
{
	switch (eid) {
	case EXT_BASE: return HV_SBI_BASE;
	case EXT_TIME: return HV_SBI_TIME;
	case EXT_IPI: return HV_SBI_IPI;
	case EXT_RFENCE: return HV_SBI_RFENCE;
	case EXT_HSM: return HV_SBI_HSM;
	case EXT_SRST: return HV_SBI_SRST;
	case EXT_DBCN: return HV_SBI_DBCN;
	}
	return eid <= 8 ? HV_SBI_LEGACY : HV_SBI_OTHER;
}

void rv_sbi_call(struct rv_hart *h)
{
	uint64_t *x = h->x;
	uint64_t eid = x[17];
	unsigned fid = (unsigned)x[16];
	const uint64_t *a = &x[10];
	struct sbi_result r;
	bool valid;

	h->stats.sbi_calls[stat_slot(eid)]++;
	if (eid <= 8) {
		x[10] = (uint64_t)legacy_call(h, (unsigned)eid, a[0]);
		return;
	}
	switch (eid) {
	case EXT_BASE: r = base_call(fid, a[0]); break;
	case EXT_TIME:
		r = fid == 0 ? (set_timer(h, a[0]), ok(0)) : fail(SBI_ERR_NOT_SUPPORTED);
		break;
	case EXT_IPI: {
		uint64_t harts = selected_harts(h->vm, a[0], a[1], &valid);
		r = fid != 0 ? fail(SBI_ERR_NOT_SUPPORTED)
		    : !valid ? fail(SBI_ERR_INVALID_PARAM)
		             : (send_ipi(h, harts), ok(0));
		break;
	}
	case EXT_RFENCE: {
		uint64_t harts = selected_harts(h->vm, a[0], a[1], &valid);
		if (fid > 2)
			r = fail(SBI_ERR_NOT_SUPPORTED);
		else if (!valid)
			r = fail(SBI_ERR_INVALID_PARAM);
		else
			remote_fence(h, harts, fid != 0), r = ok(0);
		break;
	}
	case EXT_HSM: r = hsm_call(h, fid, a); break;
	case EXT_SRST: r = srst_call(h, fid, a); break;
	case EXT_DBCN: r = dbcn_call(h, fid, a); break;
	default: r = fail(SBI_ERR_NOT_SUPPORTED); break;
	}
	x[10] = (uint64_t)r.error;
	x[11] = r.value;
}
