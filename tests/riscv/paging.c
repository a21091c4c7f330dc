/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * paging: address translation.  Built twice: with LEVELS = 3 as program
 * "sv39" and with LEVELS = 4 as program "sv48".
 *
 * The page tables are built here, at run time, in a pool of zeroed pages:
 *   - VA 0 .. 1 GiB: one gigapage, identity, for the devices;
 *   - RAM: identity, the first 2 MiB page by page (so that the .usertext
 *     page can be U's), the rest by megapages -- all for S except
 *     .usertext;
 *   - test pages at VA 0x4000_0000 + n * 4 KiB, each a view of one of a few
 *     physical pages (data, a second data page, a page of code) with the
 *     permissions a check needs; and superpages further up.
 * Each access is made by a one-instruction probe (paging_probes.S) run in
 * S- or U-mode; the M-mode handler records any fault (or the S handler,
 * when page faults are delegated) and the check then looks at the cause,
 * the faulting address in mtval/stval, and the PTE.
 *
 * Proves: 4 KiB, 2 MiB and 1 GiB leaves (and 512 GiB with Sv48) translate
 * loads, stores and fetches;
 * a misaligned superpage is a page fault; the hardware sets A on any access
 * and D on a store; and the page faults 12 (fetch), 13 (load) and 15
 * (store), with the virtual address in mtval, for: a non-present PTE, a
 * reserved W-without-R PTE, a non-leaf PTE at the last level, a U page
 * from S without SUM, a fetch from a U page from S even with SUM, an S page
 * from U, a load from an execute-only page without MXR, a store to a
 * read-only page, a fetch from a non-executable page, a non-canonical
 * address, and a 32-bit instruction whose second half is on an unmapped
 * page (mepc at the instruction, mtval at the second page); SUM lets S
 * load and store U pages; MXR makes execute-only pages readable; MPRV with
 * MPP = S (or U) makes M-mode loads and stores translate with that mode's
 * rights; a PTE change becomes visible after sfence.vma (global and for
 * one address); delegated page faults reach the S handler with stval; satp
 * reads back and MODE = Bare turns translation off.
 */
#include "rvtest.h"

#if !defined(LEVELS) || (LEVELS != 3 && LEVELS != 4)
#error "build with -DLEVELS=3 (Sv39) or -DLEVELS=4 (Sv48)"
#endif
#if LEVELS == 3
#define SATP_MODE    8UL
#define NONCANONICAL 0x0000004000000000UL /* bit 38 set, bits 63:39 clear */
#else
#define SATP_MODE    9UL
#define NONCANONICAL 0x0000800000000000UL /* bit 47 set, bits 63:48 clear */
#endif

#define PTE_V       BIT(0)
#define PTE_R       BIT(1)
#define PTE_W       BIT(2)
#define PTE_X       BIT(3)
#define PTE_U       BIT(4)
#define PTE_A       BIT(6)
#define PTE_D       BIT(7)

#define PAGE        4096UL
#define MEGA        (PAGE << 9)
#define GIGA        (MEGA << 9)
#define TERA        (GIGA << 9)
#define RAM_SIZE    (64UL << 20)

#define VA_BASE     0x40000000UL
#define VA(n)       (VA_BASE + (n)*PAGE)
#define VA_MEGA     0x40200000UL
#define VA_MEGA_BAD 0x40400000UL
#define VA_GIGA     0xc0000000UL
#define VA_GIGA_BAD 0x100000000UL
#define VA_TERA     0x8000000000UL
#define VA_TERA_BAD 0x10000000000UL
#define PA_HIGH     (RAM_BASE + (48UL << 20)) /* a megapage nothing else uses */

#define MAGIC1      0x1111222233334444UL
#define MAGIC2      0x5555666677778888UL
#define MAGIC3      0x9999aaaabbbbccccUL

enum probe { LD, SD, EXEC };
long probe_ld_s(long, long), probe_sd_s(long, long), probe_exec_s(long, long);
long probe_ld_u(long, long), probe_sd_u(long, long), probe_exec_u(long, long);
long probe_sfence_s(long, long);
static long (*const probes[2][3])(long, long) = {
        {probe_ld_u, probe_sd_u, probe_exec_u},
        {probe_ld_s, probe_sd_s, probe_exec_s},
};
extern char exec_page[], __usertext_start[], __usertext_end[];

static uint64_t pool[48][512] __attribute__((aligned(4096)));
static unsigned pool_used;
static uint64_t *root;
static uint64_t data_page[512] __attribute__((aligned(4096)));
static uint64_t data_page2[512] __attribute__((aligned(4096)));
static uint64_t ad_page[512] __attribute__((aligned(4096)));
static uint16_t split[2][2048] __attribute__((aligned(4096)));

static uint64_t *new_table(void)
{
	CHECK(pool_used < 48, HARNESS_SETUP);
	uint64_t *t = pool[pool_used++];
	for (int i = 0; i < 512; i++)
		t[i] = 0;
	return t;
}

/* Install a leaf: level 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB. */
static volatile uint64_t *map(uint64_t va, uint64_t pa, int level, uint64_t flags)
{
	uint64_t *t = root;
	for (int l = LEVELS - 1; l > level; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_V))
			*e = ((uint64_t)new_table() >> 12) << 10 | PTE_V;
		t = (uint64_t *)((*e >> 10) << 12);
	}
	volatile uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
	*e = (pa >> 12) << 10 | flags;
	__asm__ volatile("sfence.vma" ::: "memory");
	return e;
}

static long run(int mode, enum probe kind, uint64_t va, long arg)
{
	if (mode == PRV_U)
		return run_in_user(probes[0][kind], va, arg);
	return run_in(mode, probes[1][kind], va, arg);
}

static uint64_t probe_addr(int mode, enum probe kind)
{
	return (uint64_t)probes[mode == PRV_U ? 0 : 1][kind];
}

/* The access must work; returns what the probe returned. */
static long ok(int code, int mode, enum probe kind, uint64_t va, long arg)
{
	trap_arm();
	long r = run(mode, kind, va, arg);
	if (trap_taken())
		test_fail(code, hb()->m_cause, hb()->m_tval);
	hb()->armed = 0;
	return r;
}

/* The access must fault into M with `cause`, mtval = va, mepc = the probe. */
static void fault(int code, int mode, enum probe kind, uint64_t va, long arg, uint64_t cause)
{
	trap_arm();
	run(mode, kind, va, arg);
	CHECK(trap_taken(), code);
	CHECK_EQ(hb()->m_cause, cause, code);
	CHECK_EQ(hb()->m_tval, va, code);
	CHECK_EQ(hb()->m_epc, kind == EXEC ? va : probe_addr(mode, kind), code);
}

/* The same, for a fault delegated to the S handler. */
static void sfault(int code, int mode, enum probe kind, uint64_t va, long arg, uint64_t cause)
{
	trap_arm();
	run(mode, kind, va, arg);
	CHECK(trap_taken(), code);
	CHECK_EQ(hb()->s_cause, cause, code);
	CHECK_EQ(hb()->s_tval, va, code);
	CHECK_EQ(hb()->s_epc, kind == EXEC ? va : probe_addr(mode, kind), code);
}

/* An M-mode load or store with mstatus.MPRV = 1 and MPP = mpp. */
static uint64_t mprv_load(uint64_t va, int mpp)
{
	uint64_t v = 0;
	csr_clear(mstatus, MSTATUS_MPP);
	csr_set(mstatus, (unsigned long)mpp << 11);
	__asm__ volatile("csrs mstatus, %1\n\t"
	                 "ld %0, 0(%2)\n\t"
	                 "csrc mstatus, %1"
	                 : "+r"(v)
	                 : "r"(MSTATUS_MPRV), "r"(va)
	                 : "memory");
	return v;
}

static void mprv_store(uint64_t va, uint64_t value, int mpp)
{
	csr_clear(mstatus, MSTATUS_MPP);
	csr_set(mstatus, (unsigned long)mpp << 11);
	__asm__ volatile("csrs mstatus, %0\n\t"
	                 "sd %1, 0(%2)\n\t"
	                 "csrc mstatus, %0"
	                 :
	                 : "r"(MSTATUS_MPRV), "r"(value), "r"(va)
	                 : "memory");
}

static void build_tables(void)
{
	uint64_t rwx = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;

	root = new_table();
	map(0, 0, 2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
	for (uint64_t pa = RAM_BASE; pa < RAM_BASE + MEGA; pa += PAGE) {
		uint64_t f = rwx;
		if (pa >= (uint64_t)__usertext_start && pa < (uint64_t)__usertext_end)
			f = PTE_V | PTE_R | PTE_X | PTE_U | PTE_A;
		map(pa, pa, 0, f);
	}
	for (uint64_t pa = RAM_BASE + MEGA; pa < RAM_BASE + RAM_SIZE; pa += MEGA)
		map(pa, pa, 1, rwx);
}

int test_main(void);
int test_main(void)
{
	const uint64_t ad = PTE_A | PTE_D;
	uint64_t data = (uint64_t)data_page, code = (uint64_t)exec_page;

	data_page[0] = MAGIC1;
	data_page2[0] = MAGIC2;
	build_tables();
	uint64_t satp = SATP_MODE << 60 | (uint64_t)root >> 12;
	csr_write(satp, satp);
	__asm__ volatile("sfence.vma" ::: "memory");
	CHECK_EQ(csr_read(satp), satp, 1);

	/* ---- plain 4 KiB translation ---- */
	map(VA(0), data, 0, PTE_V | PTE_R | PTE_W | ad);
	map(VA(1), data, 0, PTE_V | PTE_R | PTE_W | PTE_U | ad);
	map(VA(2), code, 0, PTE_V | PTE_R | PTE_X | ad);
	map(VA(3), code, 0, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
	CHECK_EQ(ok(2, PRV_S, LD, VA(0), 0), MAGIC1, 2);
	ok(3, PRV_S, SD, VA(0) + 8, MAGIC3);
	CHECK_EQ(data_page[1], MAGIC3, 3);
	CHECK_EQ(ok(4, PRV_U, LD, VA(1), 0), MAGIC1, 4);
	CHECK_EQ(ok(5, PRV_S, EXEC, VA(2), 0), 0x42, 5);
	CHECK_EQ(ok(6, PRV_U, EXEC, VA(3), 0), 0x42, 6);

	/* ---- superpages ---- */
	*(volatile uint64_t *)(PA_HIGH + 0x1238) = MAGIC2;
	map(VA_MEGA, PA_HIGH, 1, PTE_V | PTE_R | PTE_W | ad);
	CHECK_EQ(ok(7, PRV_S, LD, VA_MEGA + 0x1238, 0), MAGIC2, 7);
	map(VA_GIGA, RAM_BASE, 2, PTE_V | PTE_R | PTE_W | PTE_X | ad);
	CHECK_EQ(ok(8, PRV_S, LD, VA_GIGA + (data - RAM_BASE), 0), MAGIC1, 8);
	map(VA_MEGA_BAD, PA_HIGH + PAGE, 1, PTE_V | PTE_R | PTE_W | ad);
	fault(9, PRV_S, LD, VA_MEGA_BAD + 8, 0, CAUSE_LOAD_PAGE_FAULT);
	map(VA_GIGA_BAD, RAM_BASE + MEGA, 2, PTE_V | PTE_R | PTE_W | ad);
	fault(10, PRV_S, LD, VA_GIGA_BAD, 0, CAUSE_LOAD_PAGE_FAULT);
#if LEVELS == 4
	map(VA_TERA, 0, 3, PTE_V | PTE_R | PTE_W | ad);
	CHECK_EQ(ok(11, PRV_S, LD, VA_TERA + data, 0), MAGIC1, 11);
	map(VA_TERA_BAD, GIGA, 3, PTE_V | PTE_R | PTE_W | ad);
	fault(12, PRV_S, SD, VA_TERA_BAD, 0, CAUSE_STORE_PAGE_FAULT);
#else
	/* (no 512 GiB pages in Sv39: 11 and 12 use the other superpages more) */
	CHECK_EQ(ok(11, PRV_S, EXEC, VA_GIGA + (code - RAM_BASE), 0), 0x42, 11);
	ok(12, PRV_S, SD, VA_MEGA + 0x1240, MAGIC3);
	CHECK_EQ(*(volatile uint64_t *)(PA_HIGH + 0x1240), MAGIC3, 12);
#endif

	/* ---- A and D, set by the hardware ---- */
	volatile uint64_t *pte = map(VA(4), (uint64_t)ad_page, 0, PTE_V | PTE_R | PTE_W);
	ok(13, PRV_S, LD, VA(4), 0);
	CHECK_EQ(*pte & (PTE_A | PTE_D), PTE_A, 13);
	ok(14, PRV_S, SD, VA(4), 1);
	CHECK_EQ(*pte & (PTE_A | PTE_D), PTE_A | PTE_D, 14);
	pte = map(VA(5), code, 0, PTE_V | PTE_R | PTE_X);
	ok(15, PRV_S, EXEC, VA(5), 0);
	CHECK_EQ(*pte & (PTE_A | PTE_D), PTE_A, 15);
	pte = map(VA(4), (uint64_t)ad_page, 0, PTE_V | PTE_R | PTE_W | PTE_A);
	ok(16, PRV_S, SD, VA(4), 2); /* A already set: D still gets set */
	CHECK_EQ(*pte & (PTE_A | PTE_D), PTE_A | PTE_D, 16);

	/* ---- page faults: not present, reserved, not a leaf ---- */
	map(VA(6), data, 0, 0);
	fault(17, PRV_S, LD, VA(6), 0, CAUSE_LOAD_PAGE_FAULT);
	fault(18, PRV_S, SD, VA(6), 0, CAUSE_STORE_PAGE_FAULT);
	fault(19, PRV_S, EXEC, VA(6), 0, CAUSE_FETCH_PAGE_FAULT);
	map(VA(7), data, 0, PTE_V | PTE_W | ad); /* W without R */
	fault(20, PRV_S, LD, VA(7), 0, CAUSE_LOAD_PAGE_FAULT);
	fault(21, PRV_S, SD, VA(7), 0, CAUSE_STORE_PAGE_FAULT);
	map(VA(16), data, 0, PTE_V); /* a pointer, at level 0 */
	fault(22, PRV_S, LD, VA(16), 0, CAUSE_LOAD_PAGE_FAULT);

	/* ---- U pages from S: SUM ---- */
	fault(23, PRV_S, LD, VA(1), 0, CAUSE_LOAD_PAGE_FAULT);
	fault(24, PRV_S, SD, VA(1), 0, CAUSE_STORE_PAGE_FAULT);
	csr_set(mstatus, MSTATUS_SUM);
	CHECK_EQ(ok(25, PRV_S, LD, VA(1), 0), MAGIC1, 25);
	ok(26, PRV_S, SD, VA(1) + 16, MAGIC2);
	CHECK_EQ(data_page[2], MAGIC2, 26);
	fault(27, PRV_S, EXEC, VA(3), 0, CAUSE_FETCH_PAGE_FAULT); /* never fetch */
	csr_clear(mstatus, MSTATUS_SUM);

	/* ---- S pages from U ---- */
	fault(28, PRV_U, LD, VA(0), 0, CAUSE_LOAD_PAGE_FAULT);
	fault(29, PRV_U, SD, VA(0), 0, CAUSE_STORE_PAGE_FAULT);
	fault(30, PRV_U, EXEC, VA(2), 0, CAUSE_FETCH_PAGE_FAULT);

	/* ---- execute-only pages and MXR ---- */
	map(VA(11), data, 0, PTE_V | PTE_X | PTE_A);
	map(VA(12), data, 0, PTE_V | PTE_X | PTE_U | PTE_A);
	fault(31, PRV_S, LD, VA(11), 0, CAUSE_LOAD_PAGE_FAULT);
	fault(32, PRV_U, LD, VA(12), 0, CAUSE_LOAD_PAGE_FAULT);
	csr_set(mstatus, MSTATUS_MXR);
	CHECK_EQ(ok(33, PRV_S, LD, VA(11), 0), MAGIC1, 33);
	CHECK_EQ(ok(34, PRV_U, LD, VA(12), 0), MAGIC1, 34);
	csr_clear(mstatus, MSTATUS_MXR);

	/* ---- read-only, non-executable ---- */
	map(VA(13), data, 0, PTE_V | PTE_R | PTE_A);
	CHECK_EQ(ok(35, PRV_S, LD, VA(13), 0), MAGIC1, 35);
	fault(36, PRV_S, SD, VA(13), 0, CAUSE_STORE_PAGE_FAULT);
	fault(37, PRV_S, EXEC, VA(0), 0, CAUSE_FETCH_PAGE_FAULT);
	fault(38, PRV_U, EXEC, VA(1), 0, CAUSE_FETCH_PAGE_FAULT);

	/* ---- non-canonical addresses ---- */
	fault(39, PRV_S, LD, NONCANONICAL, 0, CAUSE_LOAD_PAGE_FAULT);
	fault(40, PRV_S, SD, NONCANONICAL | VA(0), 0, CAUSE_STORE_PAGE_FAULT);
	fault(41, PRV_S, EXEC, NONCANONICAL | VA(2), 0, CAUSE_FETCH_PAGE_FAULT);
	fault(42, PRV_U, LD, ~NONCANONICAL & ~0xfffUL, 0, CAUSE_LOAD_PAGE_FAULT);

	/* ---- an instruction across a page boundary, second page unmapped ---- */
	split[0][2047] = 0x0513; /* addi a0, a0, 1 = 0x00150513, low half ... */
	split[1][0] = 0x0015;    /* ... high half */
	__asm__ volatile("fence.i" ::: "memory");
	map(VA(17), (uint64_t)split[0], 0, PTE_V | PTE_R | PTE_X | ad);
	map(VA(18), (uint64_t)split[1], 0, 0);
	trap_arm();
	run(PRV_S, EXEC, VA(17) + PAGE - 2, 0);
	CHECK(trap_taken(), 43);
	CHECK_EQ(hb()->m_cause, CAUSE_FETCH_PAGE_FAULT, 43);
	CHECK_EQ(hb()->m_epc, VA(17) + PAGE - 2, 44);
	CHECK_EQ(hb()->m_tval, VA(18), 45);

	/* ---- MPRV: M-mode loads and stores with S's (or U's) view ---- */
	CHECK_EQ(mprv_load(VA(0), PRV_S), MAGIC1, 46);
	mprv_store(VA(0) + 24, MAGIC3, PRV_S);
	CHECK_EQ(data_page[3], MAGIC3, 47);
	trap_arm();
	mprv_load(VA(1), PRV_S); /* a U page, SUM = 0 */
	CHECK(trap_taken(), 48);
	CHECK_EQ(hb()->m_cause, CAUSE_LOAD_PAGE_FAULT, 48);
	CHECK_EQ(hb()->m_tval, VA(1), 48);
	CHECK_EQ(mprv_load(VA(1), PRV_U), MAGIC1, 49);

	/* ---- sfence.vma makes a PTE change visible ---- */
	pte = map(VA(15), data, 0, PTE_V | PTE_R | ad);
	CHECK_EQ(ok(50, PRV_S, LD, VA(15), 0), MAGIC1, 50);
	*pte = ((uint64_t)data_page2 >> 12) << 10 | PTE_V | PTE_R | ad;
	__asm__ volatile("sfence.vma" ::: "memory");
	CHECK_EQ(ok(51, PRV_S, LD, VA(15), 0), MAGIC2, 51);
	*pte = (data >> 12) << 10 | PTE_V | PTE_R | ad;
	__asm__ volatile("sfence.vma %0, zero" ::"r"(VA(15)) : "memory");
	CHECK_EQ(ok(52, PRV_S, LD, VA(15), 0), MAGIC1, 52);
	*pte = 0; /* unmapped; this time S does the sfence */
	run_in(PRV_S, probe_sfence_s, VA(15), 0);
	fault(53, PRV_S, LD, VA(15), 0, CAUSE_LOAD_PAGE_FAULT);

	/* ---- page faults delegated to S ---- */
	csr_write(medeleg, BIT(CAUSE_FETCH_PAGE_FAULT) | BIT(CAUSE_LOAD_PAGE_FAULT) |
	                           BIT(CAUSE_STORE_PAGE_FAULT));
	uint64_t m_count = hb()->m_count;
	sfault(54, PRV_S, LD, VA(6), 0, CAUSE_LOAD_PAGE_FAULT);
	sfault(55, PRV_U, SD, VA(0), 0, CAUSE_STORE_PAGE_FAULT);
	sfault(56, PRV_U, EXEC, VA(2), 0, CAUSE_FETCH_PAGE_FAULT);
	CHECK_EQ(hb()->m_count, m_count, 57);
	csr_write(medeleg, 0);

	/* ---- MODE = Bare: no translation ---- */
	csr_write(satp, 0);
	__asm__ volatile("sfence.vma" ::: "memory");
	CHECK_EQ(csr_read(satp), 0, 58);
	CHECK_EQ(ok(59, PRV_S, LD, data, 0), MAGIC1, 59);

	return 0;
}
