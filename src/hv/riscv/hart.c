/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hart's life on its host thread: reset, run, sleep in WFI, wait while
 * stopped (HSM) or paused, and answer the mailbox.
 *
 * Sleeping and waking follow one rule: a sleeper marks itself asleep
 * BEFORE it looks at its mailbox, and a kicker fills the mailbox BEFORE
 * it looks whether the hart is asleep.  So either the sleeper sees the
 * request, or the kicker sees the sleeper and wakes it; no wake-up is
 * lost.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec.h"

uint64_t rv_mtime(struct hv_vm *vm)
{
	return (monotonic_ns() - vm->clock_base_ns) / (1000000000ull / HV_RISCV_TIMEBASE_HZ);
}

void rv_hart_kick(struct rv_hart *h, uint32_t requests)
{
	atomic_fetch_or(&h->requests, requests);
	if (atomic_load(&h->asleep)) {
		pthread_mutex_lock(&h->sleep_lock);
		pthread_cond_signal(&h->wake);
		pthread_mutex_unlock(&h->sleep_lock);
	}
}

/* Direct boot: the hv plays M-mode firmware, so S-mode gets what OpenSBI would give it. */
static void reset_as_sbi_firmware(struct rv_hart *h)
{
	h->medeleg = 0xb1ff; /* every exception but ecalls from S and M */
	h->mideleg = RV_MIP_SSIP | RV_MIP_STIP | RV_MIP_SEIP;
	h->mcounteren = 0xffffffff;
}

void rv_hart_reset(struct rv_hart *h)
{
	memset(h->x, 0, sizeof(h->x));
	memset(h->f, 0, sizeof(h->f));
	h->fflags = h->frm = 0;
	h->mstatus = (2ull << 32) | (2ull << 34); /* UXL = SXL = 64 bits */
	/* MXL = 64 bits; extensions A C D F I M S U */
	h->misa = (2ull << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) |
	          (1 << 18) | (1 << 20);
	h->medeleg = h->mideleg = h->mie = h->mtvec = h->mscratch = h->mepc = 0;
	h->mcause = h->mtval = h->mcounteren = h->mcountinhibit = h->menvcfg = 0;
	h->stvec = h->sscratch = h->sepc = h->scause = h->stval = h->satp = 0;
	/*
	 * scounteren resets to "U-mode may read cycle, time and instret".
	 * Its reset value is unspecified, and Linux 6.1 never writes it but
	 * lets user programs (the vDSO's clock_gettime) read time directly.
	 */
	h->scounteren = 0x7;
	h->senvcfg = 0;
	memset(h->pmpcfg, 0, sizeof(h->pmpcfg));
	memset(h->pmpaddr, 0, sizeof(h->pmpaddr));
	h->mhartid = h->index;
	h->instret_offset = -h->retired; /* instret reads 0 */
	h->reservation_valid = false;
	atomic_store(&h->reservation_broken, false);
	if (h->vm->config.sbi)
		reset_as_sbi_firmware(h);

	h->pc = h->boot.pc;
	h->x[10] = h->boot.a0;
	h->x[11] = h->boot.a1;
	h->x[12] = h->boot.a2;
	h->priv = (unsigned)h->boot.priv;

	atomic_store(&h->mip, 0);
	atomic_store(&h->ext_irq, 0);
	atomic_store(&h->mtimecmp, UINT64_MAX);
	atomic_store(&h->sbi_timecmp, UINT64_MAX);
	atomic_store(&h->requests, 0);
	atomic_store(&h->hsm_state, h->boot.stopped ? RV_HSM_STOPPED : RV_HSM_STARTED);
	atomic_store(&h->asleep, false);

	rv_tlb_flush(h);
	rv_update_regimes(h);
	rv_code_cache_flush(h);
	h->stats.code_flushes = 0;
	h->check_interrupts = true;
	h->poll_at = h->retired;
}

static bool should_wake(struct rv_hart *h)
{
	return atomic_load(&h->requests) != 0 || rv_pending_enabled_interrupts(h) != 0;
}

/* The earliest mtime at which an enabled timer interrupt becomes pending. */
static uint64_t timer_deadline(struct rv_hart *h)
{
	uint64_t deadline = UINT64_MAX;
	if (h->mie & RV_MIP_MTIP)
		deadline = atomic_load(&h->mtimecmp);
	if (h->vm->config.sbi && (h->mie & RV_MIP_STIP)) {
		uint64_t s = atomic_load(&h->sbi_timecmp);
		if (s < deadline)
			deadline = s;
	}
	return deadline;
}

static struct timespec mtime_to_timespec(struct hv_vm *vm, uint64_t mtime)
{
	uint64_t ns = vm->clock_base_ns + mtime * (1000000000ull / HV_RISCV_TIMEBASE_HZ);
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ull),
	                      .tv_nsec = (long)(ns % 1000000000ull)};
	return ts;
}

/*
 * WFI: sleep the host thread until an interrupt is pending and enabled in
 * mie (whether or not mstatus lets it be taken), a timer due, or a request
 * arrives.  An idle guest therefore costs the host nothing.
 */
void rv_hart_wfi(struct rv_hart *h)
{
	rv_poll_timers(h);
	if (rv_pending_enabled_interrupts(h))
		return;
	uint64_t start = monotonic_ns();
	pthread_mutex_lock(&h->sleep_lock);
	atomic_store(&h->asleep, true);
	while (!should_wake(h)) {
		uint64_t deadline = timer_deadline(h);
		if (deadline == UINT64_MAX) {
			pthread_cond_wait(&h->wake, &h->sleep_lock);
		} else {
			struct timespec ts = mtime_to_timespec(h->vm, deadline);
			pthread_cond_timedwait(&h->wake, &h->sleep_lock, &ts);
		}
		rv_poll_timers(h);
	}
	atomic_store(&h->asleep, false);
	pthread_mutex_unlock(&h->sleep_lock);
	h->stats.wfi_ns += monotonic_ns() - start;
	h->check_interrupts = true;
}

/* Pause: park at an instruction boundary until the VM resumes or exits. */
static void park(struct rv_hart *h)
{
	struct hv_vm *vm = h->vm;
	pthread_mutex_lock(&vm->lock);
	atomic_store(&h->asleep, true);
	vm->parked++;
	pthread_cond_broadcast(&vm->changed);
	while (vm->paused && !vm->exit_requested)
		pthread_cond_wait(&vm->changed, &vm->lock);
	vm->parked--;
	atomic_fetch_and(&h->requests, ~(uint32_t)RV_REQ_PAUSE);
	atomic_store(&h->asleep, false);
	pthread_mutex_unlock(&vm->lock);
}

void rv_hart_process_requests(struct rv_hart *h)
{
	uint32_t r = atomic_load(&h->requests);
	if (r & RV_REQ_EXIT)
		return;
	uint32_t handled =
	        r & (RV_REQ_INTERRUPT | RV_REQ_TLB_FLUSH | RV_REQ_CODE_FLUSH | RV_REQ_HSM_START);
	atomic_fetch_and(&h->requests, ~handled);
	if (r & RV_REQ_INTERRUPT) {
		rv_poll_timers(h);
		h->check_interrupts = true;
	}
	if (r & RV_REQ_TLB_FLUSH)
		rv_tlb_flush(h);
	if (r & RV_REQ_CODE_FLUSH)
		rv_code_cache_flush(h);
	if (r & RV_REQ_PAUSE)
		park(h);
}

/* HSM: a stopped hart waits here until another hart starts it. */
static void wait_while_stopped(struct rv_hart *h)
{
	pthread_mutex_lock(&h->sleep_lock);
	atomic_store(&h->asleep, true);
	while (atomic_load(&h->hsm_state) == RV_HSM_STOPPED &&
	       !(atomic_load(&h->requests) & (RV_REQ_EXIT | RV_REQ_PAUSE)))
		pthread_cond_wait(&h->wake, &h->sleep_lock);
	atomic_store(&h->asleep, false);
	pthread_mutex_unlock(&h->sleep_lock);
}

/* SBI hart_start: begin in S-mode at the given address, a0 = hart id, a1 = the opaque value. */
static void start_from_hsm(struct rv_hart *h)
{
	h->pc = h->hsm_start_pc;
	h->x[10] = h->index;
	h->x[11] = h->hsm_start_arg;
	h->satp = 0;
	h->mstatus &= ~RV_MSTATUS_SIE;
	rv_set_priv(h, RV_PRIV_S);
	rv_tlb_flush(h);
	atomic_store(&h->hsm_state, RV_HSM_STARTED);
}

void *rv_hart_thread(void *arg)
{
	struct rv_hart *h = arg;
	for (;;) {
		uint32_t r = atomic_load(&h->requests);
		if (r & RV_REQ_EXIT)
			break;
		if (r & RV_REQ_PAUSE) {
			rv_hart_process_requests(h);
			continue;
		}
		int state = atomic_load(&h->hsm_state);
		if (state == RV_HSM_STOPPED) {
			wait_while_stopped(h);
			continue;
		}
		if (state == RV_HSM_START_PENDING)
			start_from_hsm(h);
		rv_run(h);
	}
	return NULL;
}
