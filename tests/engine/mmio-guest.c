// SPDX-License-Identifier: GPL-2.0-or-later
/* A tiny guest that makes a device test's register accesses: see mmio-guest.h. */
#include "mmio-guest.h"

#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "machine.h"

/* The doorbell's registers (8 bytes each). */
enum {
	DOORBELL_COUNT = 0x00, /* read: waits for a list, returns its length (0: park) */
	DOORBELL_LIST = 0x08,  /* read: the list's guest-physical address */
	DOORBELL_DONE = 0x10,  /* write: the list is done */
	DOORBELL_SIZE = 0x1000,
};

/* The program at the start of RAM, the list 1 MiB further on. */
#define PROGRAM_GPA HV_RISCV_RAM_BASE
#define LIST_GPA    (HV_RISCV_RAM_BASE + (1u << 20))
#define LIST_MAX    16384u
#define ENTRY_BYTES 40u /* kind, address, value, result, fault: 8 bytes each */

/* An entry's kind: 1-4 read 1, 2, 4, 8 bytes; 5-8 write them. */
#define KIND_READ  1u
#define KIND_WRITE 5u

#define WAIT_MS    20000 /* for the guest to finish a list, even on a loaded machine */

struct mmio_guest {
	struct machine *m;
	int done_fd; /* an eventfd: the guest wrote DOORBELL_DONE */

	pthread_mutex_t lock;
	pthread_cond_t posted_cond;
	uint64_t posted, taken, done; /* list sequence numbers */
	uint64_t count;               /* length of the posted list */
	bool stopping;                /* tells a waiting vCPU to park */
};

/* The doorbell, as the guest's vCPU thread sees it. */

static uint64_t doorbell_read(void *opaque, uint64_t offset, unsigned size)
{
	struct mmio_guest *g = opaque;
	uint64_t value = 0;

	pthread_mutex_lock(&g->lock);
	switch (offset) {
	case DOORBELL_COUNT:
		while (g->taken == g->posted && !g->stopping)
			pthread_cond_wait(&g->posted_cond, &g->lock);
		if (!g->stopping) {
			g->taken = g->posted;
			value = g->count;
		}
		break;
	case DOORBELL_LIST: value = LIST_GPA; break;
	default: break;
	}
	pthread_mutex_unlock(&g->lock);
	return value;
}

static void doorbell_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct mmio_guest *g = opaque;
	uint64_t one = 1;

	if (offset != DOORBELL_DONE)
		return;
	pthread_mutex_lock(&g->lock);
	g->done = g->taken;
	pthread_mutex_unlock(&g->lock);
	g_assert_cmpint(write(g->done_fd, &one, sizeof(one)), ==, sizeof(one));
}

static const struct hv_mmio_ops doorbell_ops = {
        .read = doorbell_read,
        .write = doorbell_write,
};

/*
 * The guest's program, assembled here (two passes, so that branches can
 * point forward).  All instructions are 32 bits wide, which the trap
 * handler relies on to step over a faulting access.
 */

enum { ZERO = 0, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13 };
enum { CSR_MTVEC = 0x305, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342 };

enum label {
	L_LOOP,
	L_NEXT,
	L_KIND1, /* L_KIND1 + k - 1 handles kind k */
	L_KIND8 = L_KIND1 + 7,
	L_RESULT,
	L_TRAP,
	L_PARK,
	L_COUNT
};

struct assembler {
	uint32_t code[128];
	unsigned n;
	unsigned label[L_COUNT];
};

static void emit(struct assembler *a, uint32_t insn)
{
	g_assert_cmpuint(a->n, <, G_N_ELEMENTS(a->code));
	a->code[a->n++] = insn;
}

static void label(struct assembler *a, enum label l)
{
	a->label[l] = a->n;
}

/* The byte offset from the instruction about to be emitted to label l. */
static int32_t offset_to(const struct assembler *a, enum label l)
{
	return ((int32_t)a->label[l] - (int32_t)a->n) * 4;
}

static void i_type(struct assembler *a, uint32_t opcode, uint32_t f3, unsigned rd, unsigned rs1,
                   int32_t imm)
{
	g_assert_true(imm >= -2048 && imm < 2048);
	emit(a, (uint32_t)imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opcode);
}

static void s_type(struct assembler *a, uint32_t f3, unsigned rs2, unsigned rs1, int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	g_assert_true(imm >= -2048 && imm < 2048);
	emit(a, (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | 0x23);
}

static void branch(struct assembler *a, uint32_t f3, unsigned rs1, unsigned rs2, enum label l)
{
	uint32_t u = (uint32_t)offset_to(a, l);

	emit(a, (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	                (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63);
}

static void jump(struct assembler *a, enum label l)
{
	uint32_t u = (uint32_t)offset_to(a, l);

	emit(a, (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 |
	                (u >> 12 & 0xff) << 12 | ZERO << 7 | 0x6f);
}

#define ADDI(rd, rs1, imm)     i_type(a, 0x13, 0, rd, rs1, imm)
#define LOAD(f3, rd, rs1, imm) i_type(a, 0x03, f3, rd, rs1, imm)
#define LD(rd, rs1, imm)       LOAD(3, rd, rs1, imm)
#define SD(rs2, rs1, imm)      s_type(a, 3, rs2, rs1, imm)
#define CSRW(csr, rs1)         i_type(a, 0x73, 1, ZERO, rs1, csr) /* csrrw zero, csr, rs1 */
#define CSRR(rd, csr)          i_type(a, 0x73, 2, rd, ZERO, csr)  /* csrrs rd, csr, zero */
#define BEQ(rs1, rs2, l)       branch(a, 0, rs1, rs2, l)
#define BNE(rs1, rs2, l)       branch(a, 1, rs1, rs2, l)

static void assemble(struct assembler *a)
{
	/* funct3 of lbu, lhu, lwu, ld and of sb, sh, sw, sd, by log2(size). */
	static const uint32_t load_f3[4] = {4, 5, 6, 3}, store_f3[4] = {0, 1, 2, 3};

	a->n = 0;
	emit(a, (uint32_t)(MMIO_GUEST_DOORBELL >> 12) << 12 | S0 << 7 | 0x37); /* lui s0 */
	emit(a, T0 << 7 | 0x17);                                               /* auipc t0, 0 */
	ADDI(T0, T0, offset_to(a, L_TRAP) + 4);
	CSRW(CSR_MTVEC, T0);

	/* Wait for a list: t2 = its length, s1 = its first entry. */
	label(a, L_LOOP);
	LD(T2, S0, DOORBELL_COUNT);
	BEQ(T2, ZERO, L_PARK);
	LD(S1, S0, DOORBELL_LIST);

	/* One entry: a0 = kind, a1 = address, a2 = value; a3 = result. */
	label(a, L_NEXT);
	LD(A0, S1, 0);
	LD(A1, S1, 8);
	LD(A2, S1, 16);
	ADDI(A3, ZERO, 0);
	SD(ZERO, S1, 32);
	for (int kind = 1; kind <= 8; kind++) {
		ADDI(T1, ZERO, kind);
		BEQ(A0, T1, L_KIND1 + kind - 1);
	}
	jump(a, L_RESULT);
	for (unsigned log2 = 0; log2 < 4; log2++) {
		label(a, L_KIND1 + KIND_READ - 1 + log2);
		LOAD(load_f3[log2], A3, A1, 0);
		jump(a, L_RESULT);
	}
	for (unsigned log2 = 0; log2 < 4; log2++) {
		label(a, L_KIND1 + KIND_WRITE - 1 + log2);
		s_type(a, store_f3[log2], A2, A1, 0);
		jump(a, L_RESULT);
	}
	label(a, L_RESULT);
	SD(A3, S1, 24);
	ADDI(S1, S1, ENTRY_BYTES);
	ADDI(T2, T2, -1);
	BNE(T2, ZERO, L_NEXT);
	SD(ZERO, S0, DOORBELL_DONE);
	jump(a, L_LOOP);

	/* An access trapped: note the cause in the entry and step over it. */
	label(a, L_TRAP);
	CSRR(T0, CSR_MCAUSE);
	SD(T0, S1, 32);
	CSRR(T0, CSR_MEPC);
	ADDI(T0, T0, 4);
	CSRW(CSR_MEPC, T0);
	emit(a, 0x30200073); /* mret */

	/* Nothing more to do: sleep until the VM stops. */
	label(a, L_PARK);
	emit(a, 0x10500073); /* wfi */
	jump(a, L_PARK);
}

static void load_program(struct mmio_guest *g)
{
	struct assembler a = {0};
	struct hv_vcpu_boot boot = {.priv = HV_PRIV_M, .pc = PROGRAM_GPA};

	assemble(&a); /* learns where the labels are */
	assemble(&a);
	g_assert_cmpint(hv_ram_write(g->m->vm, PROGRAM_GPA, a.code, a.n * 4), ==, 0);
	g_assert_cmpint(hv_vcpu_set_boot(g->m->vm, 0, &boot), ==, 0);
}

static void drain(int fd)
{
	uint64_t count;

	while (read(fd, &count, sizeof(count)) == sizeof(count))
		;
}

static void start(struct mmio_guest *g)
{
	load_program(g);
	pthread_mutex_lock(&g->lock);
	g->posted = g->taken = g->done = 0;
	g->stopping = false;
	pthread_mutex_unlock(&g->lock);
	drain(g->done_fd);
	g_assert_cmpint(hv_vm_start(g->m->vm), ==, 0);
}

struct mmio_guest *mmio_guest_start(struct machine *m)
{
	struct mmio_guest *g = g_new0(struct mmio_guest, 1);

	g->m = m;
	g->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	g_assert_cmpint(g->done_fd, >=, 0);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->posted_cond, NULL);
	g_assert_cmpuint(hv_vm_get_config(m->vm)->vcpus, ==, 1);
	g_assert_false(hv_vm_get_config(m->vm)->sbi); /* the guest runs in M-mode */
	g_assert_cmpint(
	        hv_mmio_register(m->vm, MMIO_GUEST_DOORBELL, DOORBELL_SIZE, &doorbell_ops, g), ==,
	        0);
	start(g);
	return g;
}

/* Lets a vCPU waiting at the doorbell go on (to park), so that the VM can stop. */
static void release_vcpu(struct mmio_guest *g)
{
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_broadcast(&g->posted_cond);
	pthread_mutex_unlock(&g->lock);
}

void mmio_guest_destroy(struct mmio_guest *g)
{
	release_vcpu(g);
	hv_vm_request_exit(g->m->vm, HV_EXIT_STOPPED, 0);
	g_assert_cmpint(hv_vm_wait(g->m->vm, NULL), ==, 0);
	pthread_cond_destroy(&g->posted_cond);
	pthread_mutex_destroy(&g->lock);
	close(g->done_fd);
	g_free(g);
}

static bool readable(int fd, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

bool mmio_guest_exit_requested(struct mmio_guest *g)
{
	return readable(hv_vm_exit_fd(g->m->vm), 0);
}

static enum mmio_guest_outcome run_list(struct mmio_guest *g, struct mmio_access *accesses,
                                        size_t count)
{
	uint64_t *list = hv_ram_ptr(g->m->vm, LIST_GPA, count * ENTRY_BYTES, true);
	struct pollfd fds[2] = {
	        {.fd = g->done_fd, .events = POLLIN},
	        {.fd = hv_vm_exit_fd(g->m->vm), .events = POLLIN},
	};
	gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000ll;
	uint64_t seq;

	g_assert_nonnull(list);
	for (size_t i = 0; i < count; i++) {
		const struct mmio_access *x = &accesses[i];
		unsigned log2 = x->size == 1 ? 0 : x->size == 2 ? 1 : x->size == 4 ? 2 : 3;

		g_assert_true(x->size == 1u << log2);
		list[5 * i] = (x->write ? KIND_WRITE : KIND_READ) + log2;
		list[5 * i + 1] = x->gpa;
		list[5 * i + 2] = x->value;
		list[5 * i + 3] = list[5 * i + 4] = 0xdeadbeef; /* the guest must overwrite these */
	}

	pthread_mutex_lock(&g->lock);
	g_assert_false(g->stopping);
	g->count = count;
	seq = ++g->posted;
	pthread_cond_broadcast(&g->posted_cond);
	pthread_mutex_unlock(&g->lock);

	for (;;) {
		bool done;

		pthread_mutex_lock(&g->lock);
		done = g->done == seq;
		pthread_mutex_unlock(&g->lock);
		if (done)
			break;
		if (fds[1].revents & POLLIN)
			return MMIO_GUEST_EXITED;
		if (g_get_monotonic_time() > deadline)
			g_error("the guest did not finish %zu accesses in %d ms", count, WAIT_MS);
		fds[0].revents = fds[1].revents = 0;
		if (poll(fds, 2, 100) < 0)
			g_assert_cmpint(errno, ==, EINTR);
		if (fds[0].revents & POLLIN)
			drain(g->done_fd);
	}

	for (size_t i = 0; i < count; i++) {
		accesses[i].result = list[5 * i + 3];
		accesses[i].fault = (unsigned)list[5 * i + 4];
	}
	return MMIO_GUEST_DONE;
}

enum mmio_guest_outcome mmio_guest_run(struct mmio_guest *g, struct mmio_access *accesses,
                                       size_t count)
{
	for (size_t done = 0; done < count;) {
		size_t n = MIN(count - done, LIST_MAX);

		if (run_list(g, accesses + done, n) == MMIO_GUEST_EXITED)
			return MMIO_GUEST_EXITED;
		done += n;
	}
	return MMIO_GUEST_DONE;
}

static struct mmio_access access_one(struct mmio_guest *g, uint64_t gpa, uint64_t value,
                                     unsigned size, bool write)
{
	struct mmio_access x = {.gpa = gpa, .value = value, .size = size, .write = write};

	if (mmio_guest_run(g, &x, 1) != MMIO_GUEST_DONE)
		g_error("the VM exited at a %u-byte %s at 0x%" G_GINT64_MODIFIER "x", size,
		        write ? "write" : "read", gpa);
	return x;
}

uint64_t mmio_guest_read(struct mmio_guest *g, uint64_t gpa, unsigned size)
{
	struct mmio_access x = access_one(g, gpa, 0, size, false);

	g_assert_cmpuint(x.fault, ==, 0);
	return x.result;
}

void mmio_guest_write(struct mmio_guest *g, uint64_t gpa, uint64_t value, unsigned size)
{
	struct mmio_access x = access_one(g, gpa, value, size, true);

	g_assert_cmpuint(x.fault, ==, 0);
	g_assert_cmpuint(x.result, ==, 0);
}

bool mmio_guest_mapped(struct mmio_guest *g, uint64_t gpa)
{
	struct mmio_access x = access_one(g, gpa, 0, 1, false);

	g_assert_true(x.fault == 0 || x.fault == 5); /* load access fault */
	return x.fault == 0;
}

struct hv_exit mmio_guest_restart(struct mmio_guest *g)
{
	struct hv_exit exit;

	g_assert_true(mmio_guest_exit_requested(g)); /* or the wait below would never end */
	release_vcpu(g);
	g_assert_cmpint(hv_vm_wait(g->m->vm, &exit), ==, 0);
	g_assert_cmpint(hv_vm_reset(g->m->vm), ==, 0);
	start(g);
	return exit;
}
