// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hv's per-vCPU statistics, printed as a table a class can read: how
 * many instructions ran, which traps and interrupts happened and why,
 * which SBI calls (Kennel's hypercalls) the guest made, how long it slept.
 */
#include "stats.h"

#include <inttypes.h>
#include <stdbool.h>

#include "machine.h"
#include "virtio/virtio_mmio.h"

static void print_causes(FILE *out, const char *title, const uint64_t *counts,
                         const char *(*name)(unsigned cause))
{
	bool any = false;

	for (unsigned cause = 0; cause < HV_STAT_CAUSES; cause++) {
		if (counts[cause] == 0)
			continue;
		if (!any)
			fprintf(out, "  %s:\n", title);
		any = true;
		fprintf(out, "    %2u %-32s %14" PRIu64 "\n", cause, name(cause), counts[cause]);
	}
}

static void print_sbi_calls(FILE *out, const uint64_t *counts)
{
	bool any = false;

	for (unsigned ext = 0; ext < HV_SBI_EXT_COUNT; ext++) {
		if (counts[ext] == 0)
			continue;
		if (!any)
			fprintf(out, "  SBI calls:\n");
		any = true;
		fprintf(out, "    %-35s %14" PRIu64 "\n", hv_sbi_ext_name((enum hv_sbi_ext)ext),
		        counts[ext]);
	}
}

static void print_one(FILE *out, struct hv_vm *vm, unsigned vcpu)
{
	struct hv_vcpu_stats s;
	int err = hv_vcpu_get_stats(vm, vcpu, &s);

	if (err < 0) {
		fprintf(out, "vCPU %u: no statistics (error %d)\n", vcpu, err);
		return;
	}
	fprintf(out, "vCPU %u:\n", vcpu);
	fprintf(out, "  %-38s %14" PRIu64 "\n", "instructions retired", s.instret);
	fprintf(out, "  %-38s %14.3f\n", "time asleep in WFI (s)", (double)s.wfi_ns / 1e9);
	fprintf(out, "  %-38s %14" PRIu64 "\n", "MMIO exits (device registers)", s.mmio_exits);
	fprintf(out, "  %-38s %14" PRIu64 "\n", "TLB misses (page-table walks)", s.tlb_misses);
	fprintf(out, "  %-38s %14" PRIu64 "\n", "decoded-code flushes", s.code_flushes);
	print_causes(out, "exceptions", s.exceptions, hv_exception_name);
	print_causes(out, "interrupts", s.interrupts, hv_interrupt_name);
	print_sbi_calls(out, s.sbi_calls);
}

/* Each virtio device: how often the driver kicked it and it interrupted back. */
static void print_virtio(FILE *out, struct machine *m)
{
	struct virtio_mmio *t = NULL;
	struct virtio_mmio_stats s;

	while ((t = virtio_mmio_next(m, t))) {
		virtio_mmio_get_stats(t, &s);
		fprintf(out,
		        "%s (slot %u): %" PRIu64 " kicks, %" PRIu64 " interrupts, %" PRIu64
		        " bytes read, %" PRIu64 " bytes written\n",
		        s.name, s.slot, s.kicks, s.interrupts, s.bytes_read, s.bytes_written);
	}
}

void print_machine_stats(FILE *out, struct machine *m)
{
	fprintf(out, "kennel-engine: statistics\n");
	for (unsigned vcpu = 0; vcpu < m->cpus; vcpu++)
		print_one(out, m->vm, vcpu);
	print_virtio(out, m);
	fflush(out);
}
