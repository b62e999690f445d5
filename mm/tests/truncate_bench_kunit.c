// SPDX-License-Identifier: GPL-2.0
/*
 * A benchmark and a race test for invalidate_inode_pages2_range().
 *
 * What these suites report depends on timing, so they are kept apart from
 * the truncate suite (truncate_kunit.c):
 *
 * truncate_bench times invalidate_inode_pages2_range() per
 * folio: on clean folios, on dirty folios it cannot launder, on clean ones
 * with one in 32 dirty, on dirty ones that ->launder_folio cleans; and, on
 * the same clean mapping, truncate_inode_pages_range() (the lower bound)
 * and invalidate_mapping_pages().  Only the call is timed.  Its cases are
 * skipped unless the parameter truncate_bench_kunit.bench is "full" (every
 * range size, 7 repetitions) or "smoke" (the smallest size, once).  Each
 * row and range size prints one line:
 *
 *   bench: fn=ip2r_clean order=0 folios=4096 median_ns_per_folio=123.4
 *   min=120.1 max=130.2 reps=7
 *
 * (on a single line): the median, fastest and slowest of the repetitions,
 * divided by the number of folios.
 *
 * truncate_race runs a writer thread against repeated
 * invalidation of the same pages for half a second and checks that no
 * write is lost.
 *
 * Both use a file on a private pseudo filesystem whose ->launder_folio
 * writes a folio back by recording the generation each page holds.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#define TBENCH_MAGIC		0x74626e6b	/* "tbnk" */
#define TBENCH_BAD_GEN		U32_MAX		/* the page holds no pattern */
#define TBENCH_LRU_BATCH	32		/* at least a folio batch */

/**
 * struct tbench_fixture - A file of a private pseudo filesystem.
 * @mapping: The file's address_space.
 * @stored: By page index, the generation the backing store holds.
 * @pages: The file's size in pages, the length of @stored.
 * @reads: ->read_folio calls.
 */
struct tbench_fixture {
	struct address_space *mapping;
	u32 *stored;
	pgoff_t pages;
	atomic_t reads;
};

static u32 tbench_word(pgoff_t index, u32 gen, unsigned int i)
{
	return gen ^ ((u32)index * 0x9e3779b9) ^ (i * 0x85ebca6b);
}

/* Write generation @gen into page @i of @folio. */
static void tbench_fill_page(struct folio *folio, long i, u32 gen)
{
	u32 *addr = kmap_local_folio(folio, i * PAGE_SIZE);
	unsigned int w;

	addr[0] = gen;
	for (w = 1; w < PAGE_SIZE / sizeof(u32); w++)
		addr[w] = tbench_word(folio->index + i, gen, w);
	kunmap_local(addr);
}

/* The generation that page @i of @folio holds. */
static u32 tbench_page_gen(struct folio *folio, long i)
{
	u32 *addr = kmap_local_folio(folio, i * PAGE_SIZE);
	u32 gen = addr[0];
	unsigned int w;

	for (w = 1; w < PAGE_SIZE / sizeof(u32); w++)
		if (addr[w] != tbench_word(folio->index + i, gen, w)) {
			gen = TBENCH_BAD_GEN;
			break;
		}
	kunmap_local(addr);
	return gen;
}

static struct tbench_fixture *tbench_fx(struct folio *folio)
{
	return folio->mapping->host->i_private;
}

static bool tbench_in_file(struct tbench_fixture *fx, struct folio *folio)
{
	return folio->index + folio_nr_pages(folio) <= fx->pages;
}

/* Write the locked @folio back if it is dirty. */
static void tbench_write_back(struct tbench_fixture *fx, struct folio *folio)
{
	long i;

	if (folio_clear_dirty_for_io(folio))
		for (i = 0; i < folio_nr_pages(folio); i++)
			WRITE_ONCE(fx->stored[folio->index + i],
				   tbench_page_gen(folio, i));
}

static int tbench_read_folio(struct file *file, struct folio *folio)
{
	struct tbench_fixture *fx = tbench_fx(folio);
	long i;

	if (!tbench_in_file(fx, folio)) {
		folio_unlock(folio);
		return -EIO;
	}
	atomic_inc(&fx->reads);
	for (i = 0; i < folio_nr_pages(folio); i++)
		tbench_fill_page(folio, i,
				 READ_ONCE(fx->stored[folio->index + i]));
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
	folio_unlock(folio);
	return 0;
}

static int tbench_launder_folio(struct folio *folio)
{
	struct tbench_fixture *fx = tbench_fx(folio);

	if (!tbench_in_file(fx, folio))
		return -EIO;
	tbench_write_back(fx, folio);
	return 0;
}

static const struct address_space_operations tbench_aops = {
	.dirty_folio	= filemap_dirty_folio,
	.read_folio	= tbench_read_folio,
	.launder_folio	= tbench_launder_folio,
};

static const struct address_space_operations tbench_aops_no_launder = {
	.dirty_folio	= filemap_dirty_folio,
	.read_folio	= tbench_read_folio,
};

static int tbench_init_fs_context(struct fs_context *fc)
{
	if (!init_pseudo(fc, TBENCH_MAGIC))
		return -ENOMEM;
	fc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;
	return 0;
}

static struct file_system_type tbench_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "truncate_bench_kunit",
	.init_fs_context	= tbench_init_fs_context,
	.kill_sb		= kill_anon_super,
};

KUNIT_DEFINE_ACTION_WRAPPER(tbench_kvfree, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(tbench_kern_unmount, kern_unmount,
			    struct vfsmount *);
KUNIT_DEFINE_ACTION_WRAPPER(tbench_iput, iput, struct inode *);
KUNIT_DEFINE_ACTION_WRAPPER(tbench_kthread_stop, kthread_stop,
			    struct task_struct *);

static void tbench_defer(struct kunit *test, kunit_action_t *action,
			 void *arg)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, arg), 0);
}

/**
 * tbench_fixture_create() - Create an empty file for a case.
 * @test: The test context.
 * @launder: Give the file's mapping a ->launder_folio operation.
 * @pages: The file's size, in pages.
 *
 * Mounts a private instance of the pseudo filesystem and creates a regular
 * file of @pages pages on it, with nothing cached and generation 0 in the
 * backing store.  Everything is released by KUnit actions.
 *
 * Return: the fixture; the case is aborted if it cannot be created.
 */
static struct tbench_fixture *tbench_fixture_create(struct kunit *test,
						    bool launder, pgoff_t pages)
{
	struct tbench_fixture *fx;
	struct vfsmount *mnt;
	struct inode *inode;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->stored = kvcalloc(pages, sizeof(*fx->stored), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->stored);
	tbench_defer(test, tbench_kvfree, fx->stored);
	fx->pages = pages;

	mnt = kern_mount(&tbench_fs_type);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);
	tbench_defer(test, tbench_kern_unmount, mnt);

	inode = new_inode(mnt->mnt_sb);
	KUNIT_ASSERT_NOT_NULL(test, inode);
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	inode->i_private = fx;
	inode->i_mapping->a_ops = launder ? &tbench_aops :
					    &tbench_aops_no_launder;
	mapping_set_large_folios(inode->i_mapping);
	mapping_set_unevictable(inode->i_mapping);
	i_size_write(inode, (loff_t)pages << PAGE_SHIFT);
	fx->mapping = inode->i_mapping;
	tbench_defer(test, tbench_iput, inode);
	return fx;
}

/* ---- truncate_bench ---------------------------------------------------- */

static char *bench;
module_param(bench, charp, 0444);
MODULE_PARM_DESC(bench,
		 "Run the truncate_bench suite: full or smoke (default: skip it)");

#define TBENCH_REPS		7
#define TBENCH_MIXED		32	/* one folio in 32 dirty */
#define TBENCH_NS_LEN		24

static const unsigned long tbench_sizes[] = {
	1024, 4096, 16384, 65536, 262144,
};

/**
 * enum tbench_fn - The function a benchmark row times.
 * @TBENCH_IP2R: invalidate_inode_pages2_range().
 * @TBENCH_TRUNCATE: truncate_inode_pages_range().
 * @TBENCH_INVALIDATE: invalidate_mapping_pages().
 */
enum tbench_fn {
	TBENCH_IP2R,
	TBENCH_TRUNCATE,
	TBENCH_INVALIDATE,
};

/**
 * struct tbench_case - One benchmark row.
 * @name: Its name in the output (fn=).
 * @fn: The function timed, over the whole populated range.
 * @order: The order of every folio.
 * @dirty_every: One folio in this many is dirty (1: all, 0: none).
 * @launder: The mapping has a ->launder_folio, which cleans dirty folios.
 */
struct tbench_case {
	const char *name;
	enum tbench_fn fn;
	unsigned int order;
	unsigned int dirty_every;
	bool launder;
};

static void tbench_case_desc(const struct tbench_case *bc, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s order %u", bc->name,
		 bc->order);
}

static bool tbench_smoke(void)
{
	return !strcmp(bench, "smoke");
}

/* The folios of @nr that @bc's call must leave cached. */
static unsigned long tbench_kept(const struct tbench_case *bc,
				 unsigned long nr)
{
	if (bc->fn != TBENCH_IP2R || bc->launder || !bc->dirty_every)
		return 0;
	return DIV_ROUND_UP(nr, bc->dirty_every);
}

/*
 * Order-0 folios wait in a per-CPU batch before they reach the LRU, with a
 * reference that makes invalidate_mapping_pages() skip them and defers the
 * freeing of those that the other functions remove.  TBENCH_LRU_BATCH
 * clean folios added after the range push the range's folios out of this
 * CPU's batch; they lie outside the range and are never timed.
 */
static unsigned long tbench_fillers(const struct tbench_case *bc)
{
	return bc->order ? 0 : TBENCH_LRU_BATCH;
}

/* Cache a folio of 2^@order pages at @index, holding generation 1. */
static void tbench_add_folio(struct kunit *test, struct tbench_fixture *fx,
			     pgoff_t index, unsigned int order, bool dirty)
{
	gfp_t gfp = mapping_gfp_mask(fx->mapping);
	struct folio *folio;
	long i;
	int ret;

	folio = folio_alloc(gfp, order);
	KUNIT_ASSERT_NOT_NULL_MSG(test, folio, "index %lu: order %u", index,
				  order);
	ret = filemap_add_folio(fx->mapping, folio, index, gfp);
	if (ret)
		folio_put(folio);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "index %lu: filemap_add_folio()",
			    index);
	for (i = 0; i < folio_nr_pages(folio); i++)
		tbench_fill_page(folio, i, 1);
	flush_dcache_folio(folio);
	folio_mark_uptodate(folio);
	if (dirty)
		folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
}

/* Fill the empty mapping with the @nr folios of @bc's range. */
static void tbench_populate(struct kunit *test, struct tbench_fixture *fx,
			    const struct tbench_case *bc, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		tbench_add_folio(test, fx, i << bc->order, bc->order,
				 bc->dirty_every && !(i % bc->dirty_every));
		cond_resched();
	}
	for (i = 0; i < tbench_fillers(bc); i++)
		tbench_add_folio(test, fx, (nr << bc->order) + i, 0, false);
}

/* Time one call of @bc's function on the @nr folios of its range. */
static u64 tbench_call(struct tbench_fixture *fx, const struct tbench_case *bc,
		       unsigned long nr, int *ret)
{
	pgoff_t last = (nr << bc->order) - 1;
	u64 start, end;

	*ret = 0;
	start = ktime_get_ns();
	switch (bc->fn) {
	case TBENCH_IP2R:
		*ret = invalidate_inode_pages2_range(fx->mapping, 0, last);
		break;
	case TBENCH_TRUNCATE:
		truncate_inode_pages_range(fx->mapping, 0,
					   ((loff_t)(last + 1) << PAGE_SHIFT) - 1);
		break;
	case TBENCH_INVALIDATE:
		invalidate_mapping_pages(fx->mapping, 0, last);
		break;
	}
	end = ktime_get_ns();
	return end - start;
}

static int tbench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Print @ns / @nr with one decimal into @buf. */
static void tbench_ns(char *buf, u64 ns, unsigned long nr)
{
	u32 tenth;
	u64 whole = div_u64_rem(div_u64(ns * 10, nr), 10, &tenth);

	snprintf(buf, TBENCH_NS_LEN, "%llu.%u", whole, tenth);
}

/**
 * tbench_size() - Time one row on one range size and report it.
 * @test: The test context.
 * @fx: The fixture, with an empty mapping.
 * @bc: The row.
 * @nr: The number of folios in the range.
 * @reps: The number of repetitions.
 *
 * Before each repetition the mapping is filled again, unless the previous
 * one left every folio in place.  Each call is checked: its return value
 * and the pages it leaves must be those of the row.  A range that would
 * take more than half of the RAM is skipped, with a line that says so.
 */
static void tbench_size(struct kunit *test, struct tbench_fixture *fx,
			const struct tbench_case *bc, unsigned long nr,
			unsigned int reps)
{
	unsigned long pages = nr << bc->order;
	unsigned long fillers = tbench_fillers(bc);
	unsigned long kept = tbench_kept(bc, nr) << bc->order;
	/* Other CPUs' batches may hold folios added before a migration. */
	unsigned long slack = bc->fn == TBENCH_INVALIDATE ?
			      (num_online_cpus() - 1) * TBENCH_LRU_BATCH : 0;
	char median[TBENCH_NS_LEN], fastest[TBENCH_NS_LEN];
	char slowest[TBENCH_NS_LEN];
	u64 ns[TBENCH_REPS];
	unsigned int rep;
	int ret;

	if (pages > totalram_pages() / 2) {
		kunit_info(test,
			   "bench: fn=%s order=%u folios=%lu skipped: needs %lu MiB of page cache, more than half of the %lu MiB of RAM\n",
			   bc->name, bc->order, nr, pages >> (20 - PAGE_SHIFT),
			   totalram_pages() >> (20 - PAGE_SHIFT));
		return;
	}

	for (rep = 0; rep < reps; rep++) {
		if (fx->mapping->nrpages != pages + fillers) {
			truncate_inode_pages(fx->mapping, 0);
			tbench_populate(test, fx, bc, nr);
		}
		ns[rep] = tbench_call(fx, bc, nr, &ret);
		KUNIT_ASSERT_EQ_MSG(test, ret, kept ? -EBUSY : 0,
				    "fn=%s folios=%lu: return value", bc->name,
				    nr);
		KUNIT_ASSERT_GE_MSG(test, fx->mapping->nrpages, kept + fillers,
				    "fn=%s folios=%lu: pages left in the cache",
				    bc->name, nr);
		KUNIT_ASSERT_LE_MSG(test, fx->mapping->nrpages,
				    kept + fillers + slack,
				    "fn=%s folios=%lu: pages left in the cache",
				    bc->name, nr);
		cond_resched();
	}
	truncate_inode_pages(fx->mapping, 0);

	sort(ns, reps, sizeof(*ns), tbench_cmp, NULL);
	tbench_ns(median, ns[reps / 2], nr);
	tbench_ns(fastest, ns[0], nr);
	tbench_ns(slowest, ns[reps - 1], nr);
	kunit_info(test,
		   "bench: fn=%s order=%u folios=%lu median_ns_per_folio=%s min=%s max=%s reps=%u\n",
		   bc->name, bc->order, nr, median, fastest, slowest, reps);
}

static void tbench_run(struct kunit *test)
{
	const struct tbench_case *bc = test->param_value;
	unsigned int reps = tbench_smoke() ? 1 : TBENCH_REPS;
	size_t sizes = tbench_smoke() ? 1 : ARRAY_SIZE(tbench_sizes);
	pgoff_t pages = (tbench_sizes[sizes - 1] << bc->order) +
			tbench_fillers(bc);
	struct tbench_fixture *fx;
	size_t i;

	fx = tbench_fixture_create(test, bc->launder, pages);
	if (bc->order && !mapping_large_folio_support(fx->mapping))
		kunit_skip(test, "no large folios in this page cache");
	for (i = 0; i < sizes; i++)
		tbench_size(test, fx, bc, tbench_sizes[i], reps);
}

static const struct tbench_case ip2r_bench_cases[] = {
	{ .name = "ip2r_clean", .fn = TBENCH_IP2R },
	{ .name = "ip2r_clean", .fn = TBENCH_IP2R, .order = 2 },
	{ .name = "ip2r_dirty", .fn = TBENCH_IP2R, .dirty_every = 1 },
	{ .name = "ip2r_dirty", .fn = TBENCH_IP2R, .dirty_every = 1,
	  .order = 2 },
	{ .name = "ip2r_mixed", .fn = TBENCH_IP2R,
	  .dirty_every = TBENCH_MIXED },
	{ .name = "ip2r_mixed", .fn = TBENCH_IP2R,
	  .dirty_every = TBENCH_MIXED, .order = 2 },
	{ .name = "ip2r_launder", .fn = TBENCH_IP2R, .dirty_every = 1,
	  .launder = true },
	{ .name = "ip2r_launder", .fn = TBENCH_IP2R, .dirty_every = 1,
	  .launder = true, .order = 2 },
};

static const struct tbench_case truncate_bench_cases[] = {
	{ .name = "truncate_clean", .fn = TBENCH_TRUNCATE },
	{ .name = "truncate_clean", .fn = TBENCH_TRUNCATE, .order = 2 },
};

static const struct tbench_case imp_bench_cases[] = {
	{ .name = "imp_clean", .fn = TBENCH_INVALIDATE },
	{ .name = "imp_clean", .fn = TBENCH_INVALIDATE, .order = 2 },
};

KUNIT_ARRAY_PARAM(ip2r_bench, ip2r_bench_cases, tbench_case_desc);
KUNIT_ARRAY_PARAM(truncate_bench, truncate_bench_cases, tbench_case_desc);
KUNIT_ARRAY_PARAM(imp_bench, imp_bench_cases, tbench_case_desc);

/* invalidate_inode_pages2_range(): clean, dirty, mixed, laundered. */
static void invalidate_inode_pages2_range_cost(struct kunit *test)
{
	tbench_run(test);
}

/* truncate_inode_pages_range() on the same clean mapping: the lower bound. */
static void truncate_inode_pages_range_cost(struct kunit *test)
{
	tbench_run(test);
}

/* invalidate_mapping_pages() on the same clean mapping, for comparison. */
static void invalidate_mapping_pages_cost(struct kunit *test)
{
	tbench_run(test);
}

/* Skip every case unless truncate_bench_kunit.bench asks for them. */
static int tbench_init(struct kunit *test)
{
	if (!bench || !*bench)
		kunit_skip(test,
			   "a benchmark: run it with truncate_bench_kunit.bench=full or smoke");
	KUNIT_ASSERT_TRUE_MSG(test, !strcmp(bench, "full") || tbench_smoke(),
			      "truncate_bench_kunit.bench=%s: use full or smoke",
			      bench);
	return 0;
}

static struct kunit_case bench_suite_cases[] = {
	KUNIT_CASE_PARAM_ATTR(invalidate_inode_pages2_range_cost,
			      ip2r_bench_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(truncate_inode_pages_range_cost,
			      truncate_bench_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM_ATTR(invalidate_mapping_pages_cost,
			      imp_bench_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite bench_suite = {
	.name = "truncate_bench",
	.init = tbench_init,
	.test_cases = bench_suite_cases,
};

/* ---- truncate_race ----------------------------------------------------- */

#define TBENCH_RACE_PAGES	8
#define TBENCH_RACE_ROUNDS	10000000
#define TBENCH_RACE_WRITES	1000000
#define TBENCH_RACE_MSECS	500

/**
 * struct tbench_race_case - How the invalidating side writes back.
 * @name: What the row shows.
 * @no_launder: The mapping has no ->launder_folio; instead the range is
 *	written back before each invalidation, as direct I/O does.
 */
struct tbench_race_case {
	const char *name;
	bool no_launder;
};

static const struct tbench_race_case race_cases[] = {
	{ "launder_folio writes dirty folios back" },
	{ "range written back before invalidation, no launder_folio",
	  .no_launder = true },
};

KUNIT_ARRAY_PARAM_DESC(race, race_cases, name);

/**
 * struct tbench_race - What the writer and the invalidator share.
 * @fx: The fixture.
 * @started: The writer has written every page once.
 * @deadline: When both sides stop, in jiffies.
 * @gen: By page index, the generation the writer wrote last.
 * @writes: Writes done.
 * @lost: Writes that the writer found lost when it came back to a page.
 * @error: An error the writer met.
 */
struct tbench_race {
	struct tbench_fixture *fx;
	struct completion started;
	unsigned long deadline;
	u32 gen[TBENCH_RACE_PAGES];
	unsigned long writes;
	unsigned long lost;
	int error;
};

/* Write the next generation into the page at @index, as write(2) would. */
static void tbench_race_write(struct tbench_race *race, pgoff_t index)
{
	struct address_space *mapping = race->fx->mapping;
	struct folio *folio;
	long i;

	for (;;) {
		folio = read_mapping_folio(mapping, index, NULL);
		if (IS_ERR(folio)) {
			race->error = PTR_ERR(folio);
			return;
		}
		folio_lock(folio);
		if (folio->mapping == mapping)
			break;
		/* Invalidated before we locked it: read it again. */
		folio_unlock(folio);
		folio_put(folio);
	}
	i = index - folio->index;
	if (tbench_page_gen(folio, i) != race->gen[index])
		race->lost++;
	/* Let the invalidator run into the locked folio. */
	cond_resched();
	tbench_fill_page(folio, i, ++race->gen[index]);
	flush_dcache_folio(folio);
	folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
	race->writes++;
}

static int tbench_race_writer(void *data)
{
	struct tbench_race *race = data;
	pgoff_t index = 0;

	while (!kthread_should_stop() && !race->error &&
	       race->writes < TBENCH_RACE_WRITES &&
	       time_before(jiffies, race->deadline)) {
		tbench_race_write(race, index);
		index = (index + 1) % TBENCH_RACE_PAGES;
		if (race->writes == TBENCH_RACE_PAGES)
			complete(&race->started);
		cond_resched();
	}
	complete(&race->started);

	/* kthread_stop() needs the task: wait for it. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Write the dirty folios of the range back, as filemap_write_and_wait. */
static void tbench_race_write_back(struct tbench_fixture *fx)
{
	pgoff_t index;

	for (index = 0; index < TBENCH_RACE_PAGES; index++) {
		struct folio *folio = filemap_lock_folio(fx->mapping, index);

		if (IS_ERR(folio))
			continue;
		tbench_write_back(fx, folio);
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}
}

/*
 * A writer thread rewrites the pages of a file, each time with a new
 * generation, while the test invalidates them again and again; every
 * write must reach the page cache or the backing store.  On one CPU the
 * two sides take turns at their cond_resched(): the writer's with a folio
 * locked, the test's between writing the range back and invalidating it.
 */
static void no_write_lost_under_race(struct kunit *test)
{
	const struct tbench_race_case *tc = test->param_value;
	struct tbench_fixture *fx;
	struct task_struct *writer;
	struct tbench_race *race;
	unsigned long rounds = 0, lost;
	unsigned int refills;
	pgoff_t index;

	fx = tbench_fixture_create(test, !tc->no_launder, TBENCH_RACE_PAGES);
	race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, race);
	race->fx = fx;
	init_completion(&race->started);

	/* Cache every page, so that what is read from here on is a re-read. */
	for (index = 0; index < TBENCH_RACE_PAGES; index++) {
		struct folio *folio = read_mapping_folio(fx->mapping, index,
							 NULL);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, folio);
		folio_put(folio);
	}
	atomic_set(&fx->reads, 0);

	race->deadline = jiffies + msecs_to_jiffies(TBENCH_RACE_MSECS);
	writer = kthread_run(tbench_race_writer, race, "truncate_bench_writer");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, writer);
	tbench_defer(test, tbench_kthread_stop, writer);
	wait_for_completion(&race->started);

	while (rounds < TBENCH_RACE_ROUNDS &&
	       time_before(jiffies, race->deadline)) {
		if (tc->no_launder)
			tbench_race_write_back(fx);
		cond_resched();
		invalidate_inode_pages2_range(fx->mapping, 0,
					      TBENCH_RACE_PAGES - 1);
		rounds++;
		cond_resched();
	}
	kunit_release_action(test, tbench_kthread_stop, writer);
	refills = atomic_read(&fx->reads);

	/* The latest generation of each page is cached or stored. */
	lost = race->lost;
	for (index = 0; index < TBENCH_RACE_PAGES; index++) {
		struct folio *folio = filemap_get_folio(fx->mapping, index);
		bool cached = !IS_ERR(folio);
		u32 gen;

		if (cached) {
			gen = tbench_page_gen(folio, index - folio->index);
			folio_put(folio);
		} else {
			gen = READ_ONCE(fx->stored[index]);
		}
		KUNIT_EXPECT_EQ_MSG(test, gen, race->gen[index],
				    "index %lu: latest write lost (%s)", index,
				    cached ? "cached" : "not cached");
		if (gen != race->gen[index])
			lost++;
	}

	kunit_info(test, "%lu invalidations, %lu writes, %u re-reads, %lu lost writes\n",
		   rounds, race->writes, refills, lost);
	KUNIT_EXPECT_EQ(test, race->error, 0);
	KUNIT_EXPECT_EQ(test, lost, 0);
	KUNIT_EXPECT_GT(test, rounds, 0);
	KUNIT_EXPECT_GT(test, race->writes, 0);
	KUNIT_EXPECT_GT(test, refills, 0);
}

static struct kunit_case race_suite_cases[] = {
	KUNIT_CASE_PARAM_ATTR(no_write_lost_under_race, race_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite race_suite = {
	.name = "truncate_race",
	.test_cases = race_suite_cases,
};

kunit_test_suites(&bench_suite, &race_suite);

MODULE_DESCRIPTION("KUnit benchmark and race test for invalidate_inode_pages2_range()");
MODULE_LICENSE("GPL");
