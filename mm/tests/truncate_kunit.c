// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for invalidate_inode_pages2_range().
 *
 * invalidate_inode_pages2_range() is what direct I/O, network filesystems
 * and FUSE rely on to drop stale page cache.  Its contract:
 *
 *  - dirty data is never dropped: a dirty folio that could not be laundered
 *    stays in the cache, dirty, with its contents intact;
 *  - the walk never stops at a failure and a failure is never forgotten;
 *  - it returns 0 only if every folio in the range was invalidated,
 *    -EBUSY if some folio was merely busy, and an error returned by
 *    ->launder_folio() in preference to -EBUSY (the first such error);
 *  - dirty folios are laundered exactly once, clean ones never;
 *  - folios under writeback are waited for, mapped folios are unmapped;
 *  - the range is inclusive at both ends and large folios are handled whole.
 *
 * The tests build a synthetic address_space: an inode on a private pseudo
 * filesystem whose address_space_operations let each case choose, per folio
 * index, what ->launder_folio() and ->release_folio() do.  Every page holds
 * a pattern derived from its index and a "generation" number, so that the
 * tests can tell whether the data of a folio survived, reached the backing
 * store (a per-index generation recorded by ->launder_folio()) or was lost.
 *
 * A second suite, truncate_invalidate_bench, measures on the same
 * address_space what invalidation costs per folio.  It is skipped unless
 * the truncate_kunit.bench parameter asks for it (see the end of the file).
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
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/pseudo_fs.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#define TINV_MAGIC		0x74696e76	/* "tinv" */
#define TINV_NO_GEN		U32_MAX		/* page holds no valid pattern */
#define TINV_FILE_PAGES		128		/* i_size, in pages */
#define TINV_MAX_INDEX		((pgoff_t)(MAX_LFS_FILESIZE >> PAGE_SHIFT))
#define TINV_WB_DELAY_MS	20
#define TINV_MAX_SPECIAL	4
#define TINV_MAX_REPORTS	4		/* failing folios reported per test */

/* States a test folio is created in (TINV_FOLIO alone means clean). */
#define TINV_FOLIO		BIT(0)
#define TINV_DIRTY		(TINV_FOLIO | BIT(1))
#define TINV_PRIVATE		(TINV_FOLIO | BIT(2))
#define TINV_WRITEBACK		(TINV_FOLIO | BIT(3))

/**
 * enum tinv_launder - What ->launder_folio() does with a folio.
 * @TINV_LAUNDER_CLEAN: Write the data to the backing store, clean the folio
 *	and return 0.
 * @TINV_LAUNDER_FAIL: Return the slot's error, leave the folio dirty.
 * @TINV_LAUNDER_KEEP_DIRTY: Return 0 but leave the folio dirty.
 */
enum tinv_launder {
	TINV_LAUNDER_CLEAN,
	TINV_LAUNDER_FAIL,
	TINV_LAUNDER_KEEP_DIRTY,
};

/**
 * struct tinv_slot - Behaviour and history of the folio at one index.
 * @launder: What ->launder_folio() does.
 * @err: Error returned by ->launder_folio() for %TINV_LAUNDER_FAIL.
 * @refuse_release: ->release_folio() refuses to free the private data.
 * @launders: Number of ->launder_folio() calls.
 * @reads: Number of ->read_folio() calls.
 * @gen: Generation last written into the cached folio.
 * @stored: Generation held by the backing store.
 */
struct tinv_slot {
	enum tinv_launder launder;
	int err;
	bool refuse_release;
	atomic_t launders;
	atomic_t reads;
	u32 gen;
	u32 stored;
};

/**
 * struct tinv_fixture - A synthetic address_space and its surroundings.
 * @test: The test that owns the fixture.
 * @mnt: Private mount of the test's pseudo filesystem.
 * @inode: The inode whose mapping is invalidated.
 * @mapping: @inode's address_space.
 * @file: An open file on @inode, for mmap().
 * @slots: &struct tinv_slot by folio index.
 * @call_returned: The invalidation under test has returned.
 * @failures: Folios that tinv_expect_folio() found wrong.
 */
struct tinv_fixture {
	struct kunit *test;
	struct vfsmount *mnt;
	struct inode *inode;
	struct address_space *mapping;
	struct file *file;
	struct xarray slots;
	bool call_returned;
	unsigned int failures;
};

/**
 * struct tinv_writeback - A folio whose writeback ends from a work item.
 * @work: Ends the writeback after %TINV_WB_DELAY_MS.
 * @fx: The fixture the folio belongs to.
 * @folio: The folio, with a reference held until writeback ends (NULL
 *	until writeback starts).
 * @was_cached: The folio was still in the mapping when writeback ended.
 * @call_returned: The invalidation had returned when writeback ended.
 * @ended: Writeback has ended.
 */
struct tinv_writeback {
	struct delayed_work work;
	struct tinv_fixture *fx;
	struct folio *folio;
	bool was_cached;
	bool call_returned;
	bool ended;
};

/* ---- Page contents ---------------------------------------------------- */

static u32 tinv_word(pgoff_t index, u32 gen, unsigned int i)
{
	return gen ^ ((u32)index * 0x9e3779b9) ^ (i * 0x85ebca6b);
}

static void tinv_fill_page(void *addr, pgoff_t index, u32 gen)
{
	u32 *w = addr;
	unsigned int i;

	w[0] = gen;
	for (i = 1; i < PAGE_SIZE / sizeof(*w); i++)
		w[i] = tinv_word(index, gen, i);
}

static u32 tinv_page_gen(const void *addr, pgoff_t index)
{
	const u32 *w = addr;
	unsigned int i;

	for (i = 1; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i] != tinv_word(index, w[0], i))
			return TINV_NO_GEN;
	return w[0];
}

static void tinv_fill_folio(struct folio *folio, u32 gen)
{
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		void *addr = kmap_local_folio(folio, i * PAGE_SIZE);

		tinv_fill_page(addr, folio->index + i, gen);
		kunmap_local(addr);
	}
	flush_dcache_folio(folio);
}

/* The generation held by every page of @folio, or TINV_NO_GEN. */
static u32 tinv_folio_gen(struct folio *folio)
{
	u32 gen = TINV_NO_GEN;
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		void *addr = kmap_local_folio(folio, i * PAGE_SIZE);
		u32 page_gen = tinv_page_gen(addr, folio->index + i);

		kunmap_local(addr);
		if (page_gen == TINV_NO_GEN || (i && page_gen != gen))
			return TINV_NO_GEN;
		gen = page_gen;
	}
	return gen;
}

/* ---- The synthetic filesystem ----------------------------------------- */

static struct tinv_fixture *tinv_fx(struct folio *folio)
{
	return folio->mapping->host->i_private;
}

static struct tinv_slot *tinv_slot(struct tinv_fixture *fx, pgoff_t index)
{
	return xa_load(&fx->slots, index);
}

static int tinv_read_folio(struct file *file, struct folio *folio)
{
	struct tinv_slot *slot = tinv_slot(tinv_fx(folio), folio->index);
	u32 gen = 0;

	if (slot) {
		atomic_inc(&slot->reads);
		gen = READ_ONCE(slot->stored);
	}
	tinv_fill_folio(folio, gen);
	folio_mark_uptodate(folio);
	folio_unlock(folio);
	return 0;
}

static int tinv_launder_folio(struct folio *folio)
{
	struct tinv_slot *slot = tinv_slot(tinv_fx(folio), folio->index);

	if (!slot)
		return -ENOENT;
	atomic_inc(&slot->launders);
	switch (slot->launder) {
	case TINV_LAUNDER_FAIL:
		return slot->err;
	case TINV_LAUNDER_KEEP_DIRTY:
		return 0;
	case TINV_LAUNDER_CLEAN:
		break;
	}
	if (folio_clear_dirty_for_io(folio))
		WRITE_ONCE(slot->stored, tinv_folio_gen(folio));
	return 0;
}

static bool tinv_release_folio(struct folio *folio, gfp_t gfp)
{
	struct tinv_slot *slot = tinv_slot(tinv_fx(folio), folio->index);

	if (slot && slot->refuse_release)
		return false;
	folio_detach_private(folio);
	return true;
}

static void tinv_invalidate_folio(struct folio *folio, size_t offset,
				  size_t len)
{
	if (offset == 0 && len == folio_size(folio))
		folio_detach_private(folio);
}

/* Keep test folios where the test put them. */
static int tinv_migrate_folio(struct address_space *mapping,
			      struct folio *dst, struct folio *src,
			      enum migrate_mode mode)
{
	return -EBUSY;
}

static const struct address_space_operations tinv_aops = {
	.dirty_folio		= filemap_dirty_folio,
	.read_folio		= tinv_read_folio,
	.launder_folio		= tinv_launder_folio,
	.release_folio		= tinv_release_folio,
	.invalidate_folio	= tinv_invalidate_folio,
	.migrate_folio		= tinv_migrate_folio,
};

static const struct address_space_operations tinv_aops_no_launder = {
	.dirty_folio		= filemap_dirty_folio,
	.read_folio		= tinv_read_folio,
	.release_folio		= tinv_release_folio,
	.invalidate_folio	= tinv_invalidate_folio,
	.migrate_folio		= tinv_migrate_folio,
};

static const struct file_operations tinv_fops = {
	.mmap		= generic_file_mmap,
};

static int tinv_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, TINV_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type tinv_fs_type = {
	.name			= "truncate_kunit",
	.init_fs_context	= tinv_init_fs_context,
	.kill_sb		= kill_anon_super,
};

/* ---- Resource-managed fixtures ---------------------------------------- */

KUNIT_DEFINE_ACTION_WRAPPER(tinv_xa_destroy, xa_destroy, struct xarray *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_kern_unmount, kern_unmount,
			    struct vfsmount *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_fput, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_folio_put, folio_put, struct folio *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_kthread_stop, kthread_stop,
			    struct task_struct *);

static void tinv_inode_release(struct tinv_fixture *fx)
{
	truncate_inode_pages(fx->mapping, 0);
	iput(fx->inode);
}

KUNIT_DEFINE_ACTION_WRAPPER(tinv_inode_release_action, tinv_inode_release,
			    struct tinv_fixture *);

/**
 * tinv_fixture_create() - Create a synthetic address_space for a test.
 * @test: The test context.
 * @launder: Give the mapping a ->launder_folio() operation.
 *
 * Mounts a private instance of the test's pseudo filesystem and creates an
 * empty regular inode on it, with the test's address_space_operations and
 * an open file for mmap().  Teardown (page cache truncation, iput(), fput()
 * and unmount) is registered as KUnit actions.
 *
 * Return: the fixture; the test is aborted if it cannot be created.
 */
static struct tinv_fixture *tinv_fixture_create(struct kunit *test,
						bool launder)
{
	struct tinv_fixture *fx;
	struct inode *inode;
	struct file *file;
	int ret;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;

	xa_init(&fx->slots);
	ret = kunit_add_action_or_reset(test, tinv_xa_destroy, &fx->slots);
	KUNIT_ASSERT_EQ(test, ret, 0);

	fx->mnt = kern_mount(&tinv_fs_type);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fx->mnt);
	ret = kunit_add_action_or_reset(test, tinv_kern_unmount, fx->mnt);
	KUNIT_ASSERT_EQ(test, ret, 0);

	inode = alloc_anon_inode(fx->mnt->mnt_sb);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, inode);
	inode->i_mode |= S_IFREG;
	inode->i_private = fx;
	inode->i_mapping->a_ops = launder ? &tinv_aops : &tinv_aops_no_launder;
	mapping_set_unevictable(inode->i_mapping);
	mapping_set_large_folios(inode->i_mapping);
	i_size_write(inode, (loff_t)TINV_FILE_PAGES << PAGE_SHIFT);
	fx->inode = inode;
	fx->mapping = inode->i_mapping;
	ret = kunit_add_action_or_reset(test, tinv_inode_release_action, fx);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ihold(inode);
	file = alloc_file_pseudo(inode, fx->mnt, "truncate_kunit", O_RDWR,
				 &tinv_fops);
	if (IS_ERR(file))
		iput(inode);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	fx->file = file;
	ret = kunit_add_action_or_reset(test, tinv_fput, file);
	KUNIT_ASSERT_EQ(test, ret, 0);

	return fx;
}

/**
 * tinv_slot_get() - Find or create the slot of a folio index.
 * @fx: The fixture.
 * @index: The index of the folio (its first page).
 *
 * Return: the slot, zeroed when new (launder cleans, release succeeds).
 */
static struct tinv_slot *tinv_slot_get(struct tinv_fixture *fx,
				       pgoff_t index)
{
	struct kunit *test = fx->test;
	struct tinv_slot *slot = tinv_slot(fx, index);

	if (slot)
		return slot;
	slot = kunit_kzalloc(test, sizeof(*slot), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slot);
	KUNIT_ASSERT_EQ(test, xa_err(xa_store(&fx->slots, index, slot,
					      GFP_KERNEL)), 0);
	return slot;
}

static void tinv_writeback_end(struct tinv_writeback *wb)
{
	struct folio *folio = wb->folio;

	wb->was_cached = READ_ONCE(folio->mapping) == wb->fx->mapping;
	wb->call_returned = READ_ONCE(wb->fx->call_returned);
	folio_end_writeback(folio);
	folio_put(folio);
	WRITE_ONCE(wb->ended, true);
}

static void tinv_writeback_work(struct work_struct *work)
{
	tinv_writeback_end(container_of(work, struct tinv_writeback,
					work.work));
}

static void tinv_writeback_release(struct tinv_writeback *wb)
{
	cancel_delayed_work_sync(&wb->work);
	if (wb->folio && !wb->ended)
		tinv_writeback_end(wb);
}

KUNIT_DEFINE_ACTION_WRAPPER(tinv_writeback_release_action,
			    tinv_writeback_release, struct tinv_writeback *);

/**
 * tinv_writeback_alloc() - Prepare to put a folio under writeback.
 * @fx: The fixture.
 *
 * Allocates the tracker that tinv_writeback_start() uses, before any folio
 * is locked, and registers the action that ends the writeback if the test
 * ends before the tracker's work ran.
 *
 * Return: the writeback tracker.
 */
static struct tinv_writeback *tinv_writeback_alloc(struct tinv_fixture *fx)
{
	struct kunit *test = fx->test;
	struct tinv_writeback *wb;
	int ret;

	wb = kunit_kzalloc(test, sizeof(*wb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, wb);
	wb->fx = fx;
	INIT_DELAYED_WORK(&wb->work, tinv_writeback_work);
	ret = kunit_add_action_or_reset(test, tinv_writeback_release_action,
					wb);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return wb;
}

/*
 * Put the locked @folio under writeback, which ends when @wb's work runs:
 * queue it with tinv_writeback_arm().
 */
static void tinv_writeback_start(struct tinv_writeback *wb,
				 struct folio *folio)
{
	folio_get(folio);
	wb->folio = folio;
	folio_start_writeback(folio);
}

/**
 * tinv_writeback_arm() - End a folio's writeback a little later.
 * @wb: The writeback tracker of a folio under writeback.
 *
 * Queues the work that ends the writeback after %TINV_WB_DELAY_MS, from
 * another context than the test's.
 */
static void tinv_writeback_arm(struct tinv_writeback *wb)
{
	schedule_delayed_work(&wb->work, msecs_to_jiffies(TINV_WB_DELAY_MS));
}

/**
 * tinv_add_folio() - Add a folio with known contents to the page cache.
 * @fx: The fixture.
 * @index: Index of the folio's first page, aligned to its size.
 * @order: Order of the folio.
 * @state: TINV_FOLIO, optionally with TINV_DIRTY, TINV_PRIVATE and
 *	TINV_WRITEBACK.
 * @wbp: If @state has TINV_WRITEBACK, where to store the writeback tracker.
 *
 * Every page of the folio is filled with the pattern of generation 1, while
 * the backing store holds generation 0, so that dropped data shows.
 *
 * Return: the folio's slot.
 */
static struct tinv_slot *tinv_add_folio(struct tinv_fixture *fx,
					pgoff_t index, unsigned int order,
					unsigned int state,
					struct tinv_writeback **wbp)
{
	struct kunit *test = fx->test;
	gfp_t gfp = mapping_gfp_mask(fx->mapping);
	struct tinv_slot *slot = tinv_slot_get(fx, index);
	struct tinv_writeback *wb = NULL;
	struct folio *folio;
	int ret;

	if ((state & TINV_WRITEBACK) == TINV_WRITEBACK)
		wb = tinv_writeback_alloc(fx);
	folio = filemap_alloc_folio(gfp, order);
	KUNIT_ASSERT_NOT_NULL_MSG(test, folio, "index %lu: order %u", index,
				  order);
	ret = filemap_add_folio(fx->mapping, folio, index, gfp);
	if (ret)
		folio_put(folio);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "index %lu: filemap_add_folio()",
			    index);

	slot->gen = 1;
	tinv_fill_folio(folio, slot->gen);
	folio_mark_uptodate(folio);
	if ((state & TINV_PRIVATE) == TINV_PRIVATE)
		folio_attach_private(folio, slot);
	if ((state & TINV_DIRTY) == TINV_DIRTY)
		folio_mark_dirty(folio);
	if (wb) {
		tinv_writeback_start(wb, folio);
		*wbp = wb;
	}
	folio_unlock(folio);
	folio_put(folio);
	return slot;
}

/**
 * tinv_get_folio() - Look a folio up in the fixture's page cache.
 * @fx: The fixture.
 * @index: Any page index inside the folio.
 *
 * Return: the folio with a reference the test drops, or NULL if absent.
 */
static struct folio *tinv_get_folio(struct tinv_fixture *fx, pgoff_t index)
{
	struct folio *folio = filemap_get_folio(fx->mapping, index);

	if (IS_ERR(folio))
		return NULL;
	KUNIT_ASSERT_EQ(fx->test,
			kunit_add_action_or_reset(fx->test, tinv_folio_put,
						  folio), 0);
	return folio;
}

/* ---- Checks ------------------------------------------------------------ */

/* Like tinv_get_folio(), for a reference the caller drops itself. */
static struct folio *tinv_peek_folio(struct tinv_fixture *fx, pgoff_t index)
{
	struct folio *folio = filemap_get_folio(fx->mapping, index);

	return IS_ERR(folio) ? NULL : folio;
}

static const char *tinv_check_kept(struct tinv_fixture *fx, pgoff_t index,
				   unsigned int order, bool dirty,
				   pgoff_t *at)
{
	struct folio *first = tinv_peek_folio(fx, index);
	const char *what = NULL;
	unsigned long i;

	if (!first)
		return "folio dropped from the cache";
	for (i = 1; i < 1UL << order && !what; i++) {
		struct folio *folio = tinv_peek_folio(fx, index + i);

		*at = index + i;
		if (!folio)
			what = "part of the large folio dropped";
		else if (folio != first)
			what = "large folio split";
		if (folio)
			folio_put(folio);
	}
	if (what)
		goto out;
	*at = index;
	if (first->index != index || folio_order(first) != order)
		what = "folio replaced";
	else if (folio_test_dirty(first) != dirty)
		what = dirty ? "dirty folio cleaned" : "clean folio dirtied";
	else if (folio_test_writeback(first))
		what = "folio still under writeback";
	else if (folio_mapped(first))
		what = "folio still mapped";
	else if (tinv_folio_gen(first) != tinv_slot(fx, index)->gen)
		what = "folio contents changed";
out:
	folio_put(first);
	return what;
}

static const char *tinv_check_removed(struct tinv_fixture *fx, pgoff_t index,
				      unsigned int order, bool dirty,
				      pgoff_t *at)
{
	struct tinv_slot *slot = tinv_slot(fx, index);
	unsigned long i;

	for (i = 0; i < 1UL << order; i++) {
		struct folio *folio = tinv_peek_folio(fx, index + i);

		*at = index + i;
		if (folio) {
			folio_put(folio);
			return "folio not invalidated";
		}
	}
	*at = index;
	if (dirty && READ_ONCE(slot->stored) != slot->gen)
		return "dirty data dropped without being written back";
	return NULL;
}

/**
 * tinv_expect_folio() - Check what became of one folio.
 * @fx: The fixture.
 * @index: Index of the folio's first page.
 * @order: Order of the folio.
 * @kept: Whether the folio must still be in the cache.
 * @dirty: Whether the folio was dirty.
 * @launders: Expected number of ->launder_folio() calls.
 *
 * A kept folio must still be in the cache, whole, unmapped, not under
 * writeback, with its dirty state and the data last written to it.  In
 * place of a removed one nothing may be cached, and if it was dirty, its
 * data must have reached the backing store.  Only the first few failures
 * of a test are reported, so that a broken walk does not flood the log.
 */
static void tinv_expect_folio(struct tinv_fixture *fx, pgoff_t index,
			      unsigned int order, bool kept, bool dirty,
			      unsigned int launders)
{
	struct kunit *test = fx->test;
	int calls = atomic_read(&tinv_slot(fx, index)->launders);
	const char *what;
	pgoff_t at = index;

	if (kept)
		what = tinv_check_kept(fx, index, order, dirty, &at);
	else
		what = tinv_check_removed(fx, index, order, dirty, &at);

	if ((what || calls != launders) &&
	    ++fx->failures > TINV_MAX_REPORTS)
		return;
	KUNIT_EXPECT_NULL_MSG(test, what, "index %lu: %s", at, what);
	KUNIT_EXPECT_EQ_MSG(test, calls, launders,
			    "index %lu: ->launder_folio() calls", index);
}

/* Fail with the number of failures tinv_expect_folio() did not report. */
static void tinv_expect_reported(struct tinv_fixture *fx)
{
	if (fx->failures > TINV_MAX_REPORTS)
		KUNIT_FAIL(fx->test, "%u more folios failed, not reported",
			   fx->failures - TINV_MAX_REPORTS);
}

/* ---- Table-driven cases ------------------------------------------------ */

/**
 * struct tinv_special - A folio with non-default state or behaviour.
 * @index: Index of its first page.
 * @order: Its order.
 * @state: TINV_FOLIO, optionally with TINV_DIRTY, TINV_PRIVATE and
 *	TINV_WRITEBACK (0 ends the list).
 * @launder: What ->launder_folio() does with it.
 * @err: Error for %TINV_LAUNDER_FAIL.
 * @refuse_release: ->release_folio() refuses it.
 * @kept: Expected to stay in the cache.
 * @launders: Expected number of ->launder_folio() calls.
 */
struct tinv_special {
	pgoff_t index;
	unsigned int order;
	unsigned int state;
	enum tinv_launder launder;
	int err;
	bool refuse_release;
	bool kept;
	unsigned int launders;
};

/**
 * struct tinv_case - One invalidation scenario and its expected outcome.
 * @name: Description of the row.
 * @no_launder: The mapping has no ->launder_folio().
 * @whole: Call invalidate_inode_pages2() instead of the range variant.
 * @nr: Order-0 folios at indices 0..@nr - 1, unless a special one covers
 *	the index; in the range they must be removed, outside it kept.
 * @fill: State of those folios, beyond TINV_FOLIO.
 * @start: First index of the range.
 * @end: Last index of the range (inclusive).
 * @ret: Expected return value.
 * @sp: Folios with their own state, behaviour and expected outcome.
 */
struct tinv_case {
	const char *name;
	bool no_launder;
	bool whole;
	pgoff_t nr;
	unsigned int fill;
	pgoff_t start;
	pgoff_t end;
	int ret;
	struct tinv_special sp[TINV_MAX_SPECIAL];
};

static void tinv_case_desc(const struct tinv_case *tc, char *desc)
{
	strscpy(desc, tc->name, KUNIT_PARAM_DESC_SIZE);
}

static const struct tinv_special *tinv_covering(const struct tinv_case *tc,
						pgoff_t index)
{
	const struct tinv_special *sp;

	for (sp = tc->sp; sp < tc->sp + TINV_MAX_SPECIAL && sp->state; sp++)
		if (index >= sp->index && index - sp->index < 1UL << sp->order)
			return sp;
	return NULL;
}

static bool tinv_in_range(const struct tinv_case *tc, pgoff_t index)
{
	return tc->whole || (index >= tc->start && index <= tc->end);
}

/*
 * Build the mapping a row describes, invalidate its range and check every
 * folio, the return value and the page count.
 */
static void tinv_run(struct kunit *test, const struct tinv_case *tc)
{
	struct tinv_writeback *wbs[TINV_MAX_SPECIAL] = {};
	const struct tinv_special *sp;
	unsigned long kept_pages = 0;
	struct tinv_fixture *fx;
	pgoff_t index;
	int i, ret;

	fx = tinv_fixture_create(test, !tc->no_launder);

	for (i = 0, sp = tc->sp; i < TINV_MAX_SPECIAL && sp->state; i++, sp++) {
		struct tinv_slot *slot;

		if (sp->order && !mapping_large_folio_support(fx->mapping))
			kunit_skip(test,
				   "no large folios in the page cache without CONFIG_TRANSPARENT_HUGEPAGE");
		slot = tinv_add_folio(fx, sp->index, sp->order, sp->state,
				      &wbs[i]);
		slot->launder = sp->launder;
		slot->err = sp->err;
		slot->refuse_release = sp->refuse_release;
		if (sp->kept)
			kept_pages += 1UL << sp->order;
	}
	for (index = 0; index < tc->nr; index++) {
		if (tinv_covering(tc, index))
			continue;
		tinv_add_folio(fx, index, 0, TINV_FOLIO | tc->fill, NULL);
		if (!tinv_in_range(tc, index))
			kept_pages++;
	}

	for (i = 0; i < TINV_MAX_SPECIAL; i++)
		if (wbs[i])
			tinv_writeback_arm(wbs[i]);
	if (tc->whole)
		ret = invalidate_inode_pages2(fx->mapping);
	else
		ret = invalidate_inode_pages2_range(fx->mapping, tc->start,
						    tc->end);
	WRITE_ONCE(fx->call_returned, true);

	KUNIT_EXPECT_EQ_MSG(test, ret, tc->ret,
			    "return value for range [%lu, %lu]",
			    tc->start, tc->end);

	for (i = 0, sp = tc->sp; i < TINV_MAX_SPECIAL && sp->state; i++, sp++) {
		bool dirty = (sp->state & TINV_DIRTY) == TINV_DIRTY;

		if (wbs[i]) {
			flush_delayed_work(&wbs[i]->work);
			KUNIT_EXPECT_TRUE_MSG(test, wbs[i]->was_cached,
					      "index %lu: removed while under writeback",
					      sp->index);
			KUNIT_EXPECT_FALSE_MSG(test, wbs[i]->call_returned,
					       "index %lu: invalidation did not wait for writeback",
					       sp->index);
		}
		tinv_expect_folio(fx, sp->index, sp->order, sp->kept, dirty,
				  sp->launders);
	}

	for (index = 0; index < tc->nr; index++) {
		bool dirty = (tc->fill & TINV_DIRTY) == TINV_DIRTY;
		bool in_range = tinv_in_range(tc, index);

		if (!tinv_covering(tc, index))
			tinv_expect_folio(fx, index, 0, !in_range, dirty,
					  in_range && dirty ? 1 : 0);
	}
	tinv_expect_reported(fx);

	KUNIT_EXPECT_EQ(test, fx->mapping->nrpages, kept_pages);
}

#define TINV_SP(...)	{ __VA_ARGS__ }

/* C1: dirty data is never dropped, clean folios around it are. */
static const struct tinv_case dirty_survives_cases[] = {
	{
		.name = "dirty folio without launder_folio",
		.no_launder = true, .nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY, .kept = true) },
	}, {
		.name = "dirty folio whose launder_folio fails",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "dirty folio that launder_folio leaves dirty",
		.nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_KEEP_DIRTY,
				.kept = true, .launders = 1) },
	}, {
		.name = "dirty folio with private data whose launder_folio fails",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY | TINV_PRIVATE,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "dirty folios at both ends of the range",
		.no_launder = true, .nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 0, .state = TINV_DIRTY, .kept = true),
			TINV_SP(.index = 7, .state = TINV_DIRTY, .kept = true) },
	},
};

KUNIT_ARRAY_PARAM(dirty_survives, dirty_survives_cases, tinv_case_desc);

static void dirty_folio_survives(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C2: failures at the first, a middle and the last index of 3 batches. */
static const struct tinv_case walk_cases[] = {
	{
		.name = "busy folios at first, middle and last index",
		.no_launder = true, .nr = 70, .end = 69, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 0, .state = TINV_DIRTY, .kept = true),
			TINV_SP(.index = 35, .state = TINV_DIRTY, .kept = true),
			TINV_SP(.index = 69, .state = TINV_DIRTY, .kept = true) },
	}, {
		.name = "launder_folio errors at first, middle and last index",
		.nr = 70, .end = 69, .ret = -EIO,
		.sp = { TINV_SP(.index = 0, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1),
			TINV_SP(.index = 35, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1),
			TINV_SP(.index = 69, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "release_folio refusals at first, middle and last index",
		.nr = 70, .start = 2, .end = 71, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 2, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true),
			TINV_SP(.index = 35, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true),
			TINV_SP(.index = 71, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true) },
	},
};

KUNIT_ARRAY_PARAM(walk, walk_cases, tinv_case_desc);

static void failure_does_not_stop_walk(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C3: later successes never turn a failure into 0. */
static const struct tinv_case sticky_cases[] = {
	{
		.name = "busy folio followed by two batches of clean folios",
		.no_launder = true, .nr = 70, .end = 69, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 0, .state = TINV_DIRTY, .kept = true) },
	}, {
		.name = "launder_folio error followed by laundered folios",
		.nr = 70, .fill = TINV_DIRTY, .end = 69, .ret = -EIO,
		.sp = { TINV_SP(.index = 1, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "release_folio refusal followed by clean folios",
		.nr = 40, .end = 39, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 0, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true) },
	},
};

KUNIT_ARRAY_PARAM(sticky, sticky_cases, tinv_case_desc);

static void failure_is_sticky(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C4: 0 only if every folio in the range was invalidated. */
static const struct tinv_case success_cases[] = {
	{
		.name = "clean folios",
		.nr = 8, .end = 7, .ret = 0,
	}, {
		.name = "clean folios with private data",
		.nr = 8, .fill = TINV_PRIVATE, .end = 7, .ret = 0,
	}, {
		.name = "dirty folios laundered",
		.nr = 8, .fill = TINV_DIRTY, .end = 7, .ret = 0,
	}, {
		.name = "mixed states over two batches",
		.nr = 40, .end = 39, .ret = 0,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY, .launders = 1),
			TINV_SP(.index = 5, .state = TINV_DIRTY | TINV_PRIVATE,
				.launders = 1),
			TINV_SP(.index = 33, .state = TINV_PRIVATE) },
	},
};

KUNIT_ARRAY_PARAM(success, success_cases, tinv_case_desc);

static void success_returns_zero(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C4: -EBUSY for folios that are merely busy. */
static const struct tinv_case busy_cases[] = {
	{
		.name = "dirty folio without launder_folio",
		.no_launder = true, .nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY, .kept = true) },
	}, {
		.name = "release_folio refuses",
		.nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true) },
	}, {
		.name = "still dirty after launder_folio",
		.nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_KEEP_DIRTY,
				.kept = true, .launders = 1) },
	},
};

KUNIT_ARRAY_PARAM(busy, busy_cases, tinv_case_desc);

static void busy_folio_returns_ebusy(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C4: an error from ->launder_folio() reaches the caller. */
static const struct tinv_case launder_error_cases[] = {
	{
		.name = "launder_folio returns -EIO",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "launder_folio returns -ENOSPC",
		.nr = 8, .end = 7, .ret = -ENOSPC,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -ENOSPC,
				.kept = true, .launders = 1) },
	},
};

KUNIT_ARRAY_PARAM(launder_error, launder_error_cases, tinv_case_desc);

static void launder_error_reaches_caller(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C4: a launder error outranks -EBUSY whatever the order; first one wins. */
static const struct tinv_case precedence_cases[] = {
	{
		.name = "busy folio, then launder_folio error",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 2, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true),
			TINV_SP(.index = 5, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "launder_folio error, then busy folio",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1),
			TINV_SP(.index = 5, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true) },
	}, {
		.name = "launder_folio error, then busy folio in a later batch",
		.nr = 45, .end = 44, .ret = -EIO,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1),
			TINV_SP(.index = 40, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_KEEP_DIRTY,
				.kept = true, .launders = 1) },
	}, {
		.name = "two launder_folio errors: the first one is returned",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1),
			TINV_SP(.index = 5, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -ENOSPC,
				.kept = true, .launders = 1) },
	}, {
		.name = "launder_folio -EBUSY counts as busy",
		.nr = 8, .end = 7, .ret = -EIO,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EBUSY,
				.kept = true, .launders = 1),
			TINV_SP(.index = 5, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	}, {
		.name = "two launder_folio errors in different batches",
		.nr = 45, .end = 44, .ret = -ENOSPC,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -ENOSPC,
				.kept = true, .launders = 1),
			TINV_SP(.index = 40, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	},
};

KUNIT_ARRAY_PARAM(precedence, precedence_cases, tinv_case_desc);

static void launder_error_outranks_busy(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C5: a dirty folio is laundered exactly once, then removed. */
static const struct tinv_case laundered_once_cases[] = {
	{
		.name = "single dirty folio",
		.nr = 8, .end = 7, .ret = 0,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY, .launders = 1) },
	}, {
		.name = "dirty folio with private data",
		.nr = 8, .end = 7, .ret = 0,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY | TINV_PRIVATE,
				.launders = 1) },
	}, {
		.name = "every folio dirty, three batches",
		.nr = 70, .fill = TINV_DIRTY, .end = 69, .ret = 0,
	},
};

KUNIT_ARRAY_PARAM(laundered_once, laundered_once_cases, tinv_case_desc);

static void dirty_folio_laundered_once(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C5: a clean folio is never laundered. */
static const struct tinv_case never_laundered_cases[] = {
	{
		.name = "clean folios, two batches",
		.nr = 40, .end = 39, .ret = 0,
	}, {
		.name = "clean folio whose release_folio refuses",
		.nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_PRIVATE,
				.refuse_release = true, .kept = true) },
	}, {
		.name = "clean folio between dirty ones",
		.nr = 8, .end = 7, .ret = 0,
		.sp = { TINV_SP(.index = 2, .state = TINV_DIRTY, .launders = 1),
			TINV_SP(.index = 3, .state = TINV_FOLIO),
			TINV_SP(.index = 4, .state = TINV_DIRTY, .launders = 1) },
	},
};

KUNIT_ARRAY_PARAM(never_laundered, never_laundered_cases, tinv_case_desc);

static void clean_folio_never_laundered(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C6: writeback is waited for, and the folio is not removed meanwhile. */
static const struct tinv_case writeback_cases[] = {
	{
		.name = "clean folio under writeback",
		.nr = 8, .end = 7, .ret = 0,
		.sp = { TINV_SP(.index = 3, .state = TINV_WRITEBACK) },
	}, {
		.name = "folio redirtied under writeback is laundered after it",
		.nr = 8, .end = 7, .ret = 0,
		.sp = { TINV_SP(.index = 3, .state = TINV_WRITEBACK | TINV_DIRTY,
				.launders = 1) },
	}, {
		.name = "folio redirtied under writeback without launder_folio",
		.no_launder = true, .nr = 8, .end = 7, .ret = -EBUSY,
		.sp = { TINV_SP(.index = 3, .state = TINV_WRITEBACK | TINV_DIRTY,
				.kept = true) },
	}, {
		.name = "folios under writeback in two batches",
		.nr = 40, .end = 39, .ret = 0,
		.sp = { TINV_SP(.index = 3, .state = TINV_WRITEBACK),
			TINV_SP(.index = 35, .state = TINV_WRITEBACK) },
	},
};

KUNIT_ARRAY_PARAM(writeback, writeback_cases, tinv_case_desc);

static void writeback_is_waited_for(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C8: the range is inclusive; what lies outside it is untouched. */
static const struct tinv_case range_cases[] = {
	{
		.name = "dirty folios just outside the range are untouched",
		.nr = 16, .start = 4, .end = 9, .ret = 0,
		.sp = { TINV_SP(.index = 3, .state = TINV_DIRTY, .kept = true),
			TINV_SP(.index = 10, .state = TINV_DIRTY, .kept = true) },
	}, {
		.name = "single-index range",
		.nr = 8, .start = 5, .end = 5, .ret = 0,
		.sp = { TINV_SP(.index = 5, .state = TINV_DIRTY, .launders = 1) },
	}, {
		.name = "start > end is a no-op",
		.nr = 16, .start = 9, .end = 4, .ret = 0,
		.sp = { TINV_SP(.index = 6, .state = TINV_DIRTY, .kept = true) },
	}, {
		.name = "empty mapping",
		.nr = 0, .start = 0, .end = 15, .ret = 0,
	}, {
		.name = "range past the last folio",
		.nr = 4, .start = 10, .end = 20, .ret = 0,
	}, {
		.name = "invalidate_inode_pages2() covers the whole mapping",
		.whole = true, .nr = 4, .ret = 0,
		.sp = { TINV_SP(.index = 1000, .state = TINV_FOLIO),
			TINV_SP(.index = TINV_MAX_INDEX, .state = TINV_DIRTY,
				.launders = 1) },
	},
};

KUNIT_ARRAY_PARAM(range, range_cases, tinv_case_desc);

static void range_is_inclusive(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* C9: a large folio overlapping an end of the range is handled whole. */
static const struct tinv_case large_cases[] = {
	{
		.name = "clean large folio over the start is removed whole",
		.nr = 12, .start = 6, .end = 9, .ret = 0,
		.sp = { TINV_SP(.index = 4, .order = 2, .state = TINV_FOLIO) },
	}, {
		.name = "clean large folio over the end is removed whole",
		.nr = 12, .start = 2, .end = 9, .ret = 0,
		.sp = { TINV_SP(.index = 8, .order = 2, .state = TINV_FOLIO) },
	}, {
		.name = "dirty large folio over the start is laundered whole",
		.nr = 12, .start = 6, .end = 9, .ret = 0,
		.sp = { TINV_SP(.index = 4, .order = 2, .state = TINV_DIRTY,
				.launders = 1) },
	}, {
		.name = "dirty large folio over the start stays whole",
		.no_launder = true, .nr = 12, .start = 6, .end = 9,
		.ret = -EBUSY,
		.sp = { TINV_SP(.index = 4, .order = 2, .state = TINV_DIRTY,
				.kept = true) },
	}, {
		.name = "large folio over the end stays whole on launder error",
		.nr = 12, .start = 2, .end = 9, .ret = -EIO,
		.sp = { TINV_SP(.index = 8, .order = 2, .state = TINV_DIRTY,
				.launder = TINV_LAUNDER_FAIL, .err = -EIO,
				.kept = true, .launders = 1) },
	},
};

KUNIT_ARRAY_PARAM(large, large_cases, tinv_case_desc);

static void large_folio_handled_whole(struct kunit *test)
{
	tinv_run(test, test->param_value);
}

/* ---- C7: folios mapped into a user address space ---------------------- */

#define TINV_MAP_PAGES	4
#define TINV_GEN_BEFORE	3	/* written through the mapping before */
#define TINV_GEN_AFTER	9	/* written through the mapping after */

/**
 * struct tinv_map_case - A scenario with folios mapped into user space.
 * @name: Description of the row.
 * @no_launder: The mapping has no ->launder_folio().
 * @write_before: Dirty the folios through the mapping before invalidating.
 * @kept: The folios are expected to stay in the cache.
 * @ret: Expected return value.
 */
struct tinv_map_case {
	const char *name;
	bool no_launder;
	bool write_before;
	bool kept;
	int ret;
};

static const struct tinv_map_case map_cases[] = {
	{
		.name = "clean mapped folios are unmapped and removed",
		.ret = 0,
	}, {
		.name = "mapped folios dirtied through the mapping are laundered",
		.write_before = true, .ret = 0,
	}, {
		.name = "mapped folios dirtied through the mapping stay without launder_folio",
		.no_launder = true, .write_before = true, .kept = true,
		.ret = -EBUSY,
	},
};

static void tinv_map_case_desc(const struct tinv_map_case *tc, char *desc)
{
	strscpy(desc, tc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(map, map_cases, tinv_map_case_desc);

static void mapped_folio_is_unmapped(struct kunit *test)
{
	const struct tinv_map_case *tc = test->param_value;
	struct folio *old[TINV_MAP_PAGES];
	u32 gen = tc->write_before ? TINV_GEN_BEFORE : 0;
	struct tinv_fixture *fx;
	unsigned long addr;
	pgoff_t index;
	void *buf;
	int ret;

	if (!IS_ENABLED(CONFIG_MMU))
		kunit_skip(test, "needs an MMU to map the file into user space");

	fx = tinv_fixture_create(test, !tc->no_launder);
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	addr = kunit_vm_mmap(test, fx->file, 0, TINV_MAP_PAGES * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_ASSERT_FALSE_MSG(test, !addr || IS_ERR_VALUE(addr),
			       "vm_mmap() returned %ld", (long)addr);

	/* Fault the folios in: by reading, or by writing generation 3. */
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)(addr + index * PAGE_SIZE);
		struct tinv_slot *slot = tinv_slot_get(fx, index);

		if (tc->write_before) {
			tinv_fill_page(buf, index, gen);
			KUNIT_ASSERT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
			slot->gen = gen;
		} else {
			KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
			KUNIT_ASSERT_EQ(test, tinv_page_gen(buf, index), 0);
		}
		old[index] = tinv_get_folio(fx, index);
		KUNIT_ASSERT_NOT_NULL_MSG(test, old[index],
					  "index %lu: not faulted in", index);
		KUNIT_ASSERT_TRUE_MSG(test, folio_mapped(old[index]),
				      "index %lu: not mapped", index);
		KUNIT_ASSERT_EQ_MSG(test, folio_test_dirty(old[index]),
				    tc->write_before,
				    "index %lu: dirty state after fault", index);
	}

	ret = invalidate_inode_pages2_range(fx->mapping, 0,
					    TINV_MAP_PAGES - 1);
	KUNIT_EXPECT_EQ(test, ret, tc->ret);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		struct address_space *mapping = READ_ONCE(old[index]->mapping);

		KUNIT_EXPECT_FALSE_MSG(test, folio_mapped(old[index]),
				       "index %lu: still mapped", index);
		KUNIT_EXPECT_PTR_EQ_MSG(test, mapping,
					tc->kept ? fx->mapping : NULL,
					"index %lu: folio %s", index,
					tc->kept ? "removed" : "not removed");
		tinv_expect_folio(fx, index, 0, tc->kept, tc->write_before,
				  tc->write_before && !tc->no_launder ? 1 : 0);
	}
	tinv_expect_reported(fx);

	/*
	 * What was written before is read back through the mapping: from the
	 * kept folio, or from the backing store into a new one.
	 */
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)(addr + index * PAGE_SIZE);

		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ_MSG(test, tinv_page_gen(buf, index), gen,
				    "index %lu: data read back through the mapping",
				    index);
		KUNIT_EXPECT_EQ_MSG(test,
				    atomic_read(&tinv_slot(fx, index)->reads),
				    tc->kept ? 1 : 2,
				    "index %lu: ->read_folio() calls", index);
	}

	/* A write after the call lands in the page cache, not a stale folio. */
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)(addr + index * PAGE_SIZE);
		struct folio *folio;

		tinv_fill_page(buf, index, TINV_GEN_AFTER);
		KUNIT_ASSERT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
		folio = tinv_get_folio(fx, index);
		KUNIT_EXPECT_NOT_NULL_MSG(test, folio,
					  "index %lu: write after invalidation not cached",
					  index);
		if (!folio)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, tinv_folio_gen(folio), TINV_GEN_AFTER,
				    "index %lu: write after invalidation lost",
				    index);
		KUNIT_EXPECT_TRUE_MSG(test, folio_test_dirty(folio),
				      "index %lu: written folio not dirty", index);
		if (!tc->kept) {
			KUNIT_EXPECT_PTR_NE_MSG(test, folio, old[index],
						"index %lu: removed folio reused",
						index);
			KUNIT_EXPECT_EQ_MSG(test, tinv_folio_gen(old[index]), gen,
					    "index %lu: write reached the removed folio",
					    index);
		}
	}

	vm_munmap(addr, TINV_MAP_PAGES * PAGE_SIZE);
}

/* ---- C10: concurrent writer versus repeated invalidation --------------- */

#define TINV_RACE_PAGES		8
#define TINV_RACE_ROUNDS	10000000
#define TINV_RACE_WRITES	1000000
#define TINV_RACE_MSECS		500

/**
 * struct tinv_race_case - A writer-versus-invalidation race scenario.
 * @name: Description of the row.
 * @no_launder: The mapping has no ->launder_folio(); instead the
 *	invalidating context writes the range back before each invalidation,
 *	as direct I/O does.
 */
struct tinv_race_case {
	const char *name;
	bool no_launder;
};

static const struct tinv_race_case race_cases[] = {
	{ .name = "launder_folio writes dirty folios back" },
	{ .name = "range written back before invalidation, no launder_folio",
	  .no_launder = true },
};

static void tinv_race_case_desc(const struct tinv_race_case *tc, char *desc)
{
	strscpy(desc, tc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(race, race_cases, tinv_race_case_desc);

/**
 * struct tinv_race - State shared by the writer and the invalidator.
 * @fx: The fixture.
 * @started: The writer has written every folio once.
 * @deadline: Time (in jiffies) after which both sides stop.
 * @writes: Writes done by the writer.
 * @refills: Writes that found their folio invalidated and re-read it.
 * @lost: Writes the writer found lost when it came back to a folio.
 * @error: Error met by the writer.
 */
struct tinv_race {
	struct tinv_fixture *fx;
	struct completion started;
	unsigned long deadline;
	unsigned long writes;
	unsigned long refills;
	unsigned long lost;
	int error;
};

/* Write the next generation into the folio at @index. */
static void tinv_race_write(struct tinv_race *race, pgoff_t index)
{
	struct tinv_fixture *fx = race->fx;
	struct tinv_slot *slot = tinv_slot(fx, index);
	struct folio *folio;

	folio = __filemap_get_folio(fx->mapping, index, FGP_LOCK | FGP_CREAT,
				    mapping_gfp_mask(fx->mapping));
	if (IS_ERR(folio)) {
		race->error = PTR_ERR(folio);
		return;
	}
	if (!folio_test_uptodate(folio)) {
		/* Read the folio back from the backing store. */
		tinv_fill_folio(folio, READ_ONCE(slot->stored));
		folio_mark_uptodate(folio);
		race->refills++;
	}
	if (tinv_folio_gen(folio) != slot->gen)
		race->lost++;
	/* Let the invalidator run into the locked folio. */
	cond_resched();
	slot->gen++;
	tinv_fill_folio(folio, slot->gen);
	folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
	race->writes++;
}

static int tinv_race_writer(void *data)
{
	struct tinv_race *race = data;
	pgoff_t index = 0;

	while (!kthread_should_stop() && !race->error &&
	       race->writes < TINV_RACE_WRITES &&
	       time_before(jiffies, race->deadline)) {
		tinv_race_write(race, index);
		index = (index + 1) % TINV_RACE_PAGES;
		if (race->writes == TINV_RACE_PAGES)
			complete(&race->started);
		cond_resched();
	}
	complete(&race->started);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Write the dirty folios of the race range back, like filemap_fdatawrite. */
static void tinv_race_write_back(struct tinv_fixture *fx)
{
	pgoff_t index;

	for (index = 0; index < TINV_RACE_PAGES; index++) {
		struct folio *folio = filemap_lock_folio(fx->mapping, index);

		if (IS_ERR(folio))
			continue;
		if (folio_clear_dirty_for_io(folio))
			WRITE_ONCE(tinv_slot(fx, index)->stored,
				   tinv_folio_gen(folio));
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}
}

static void no_write_lost_under_race(struct kunit *test)
{
	const struct tinv_race_case *tc = test->param_value;
	unsigned long rounds = 0, lost;
	struct task_struct *writer;
	struct tinv_fixture *fx;
	struct tinv_race *race;
	pgoff_t index;
	int ret;

	fx = tinv_fixture_create(test, !tc->no_launder);
	for (index = 0; index < TINV_RACE_PAGES; index++)
		tinv_slot_get(fx, index);
	race = kunit_kzalloc(test, sizeof(*race), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, race);
	race->fx = fx;
	init_completion(&race->started);
	race->deadline = jiffies + msecs_to_jiffies(TINV_RACE_MSECS);

	writer = kthread_run(tinv_race_writer, race, "truncate_kunit_writer");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, writer);
	ret = kunit_add_action_or_reset(test, tinv_kthread_stop, writer);
	KUNIT_ASSERT_EQ(test, ret, 0);
	wait_for_completion(&race->started);

	/*
	 * On a uniprocessor the two sides take turns at the scheduling
	 * points: the writer's cond_resched() with a folio locked, and ours
	 * between writing the range back and invalidating it.
	 */
	while (rounds < TINV_RACE_ROUNDS &&
	       time_before(jiffies, race->deadline)) {
		if (tc->no_launder)
			tinv_race_write_back(fx);
		cond_resched();
		invalidate_inode_pages2_range(fx->mapping, 0,
					      TINV_RACE_PAGES - 1);
		rounds++;
		cond_resched();
	}
	kunit_release_action(test, tinv_kthread_stop, writer);

	/* Each latest generation is in the cache or in the backing store. */
	lost = race->lost;
	for (index = 0; index < TINV_RACE_PAGES; index++) {
		struct tinv_slot *slot = tinv_slot(fx, index);
		struct folio *folio = tinv_get_folio(fx, index);
		u32 gen = folio ? tinv_folio_gen(folio) :
				  READ_ONCE(slot->stored);

		KUNIT_EXPECT_EQ_MSG(test, gen, slot->gen,
				    "index %lu: latest write lost (%s)", index,
				    folio ? "cached" : "not cached");
		if (gen != slot->gen)
			lost++;
	}

	kunit_info(test, "%lu invalidations, %lu writes, %lu re-reads, %lu lost writes\n",
		   rounds, race->writes, race->refills, lost);
	KUNIT_EXPECT_EQ(test, race->error, 0);
	KUNIT_EXPECT_EQ(test, lost, 0);
	KUNIT_EXPECT_GT(test, rounds, 0);
	KUNIT_EXPECT_GT(test, race->writes, 0);
	KUNIT_EXPECT_GT(test, race->refills, 0);
}

static struct kunit_case truncate_invalidate_cases[] = {
	KUNIT_CASE_PARAM(dirty_folio_survives, dirty_survives_gen_params),
	KUNIT_CASE_PARAM(failure_does_not_stop_walk, walk_gen_params),
	KUNIT_CASE_PARAM(failure_is_sticky, sticky_gen_params),
	KUNIT_CASE_PARAM(success_returns_zero, success_gen_params),
	KUNIT_CASE_PARAM(busy_folio_returns_ebusy, busy_gen_params),
	KUNIT_CASE_PARAM(launder_error_reaches_caller,
			 launder_error_gen_params),
	KUNIT_CASE_PARAM(launder_error_outranks_busy, precedence_gen_params),
	KUNIT_CASE_PARAM(dirty_folio_laundered_once,
			 laundered_once_gen_params),
	KUNIT_CASE_PARAM(clean_folio_never_laundered,
			 never_laundered_gen_params),
	KUNIT_CASE_PARAM(writeback_is_waited_for, writeback_gen_params),
	KUNIT_CASE_PARAM(mapped_folio_is_unmapped, map_gen_params),
	KUNIT_CASE_PARAM(range_is_inclusive, range_gen_params),
	KUNIT_CASE_PARAM(large_folio_handled_whole, large_gen_params),
	KUNIT_CASE_PARAM_ATTR(no_write_lost_under_race, race_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite truncate_invalidate_suite = {
	.name = "truncate_invalidate",
	.test_cases = truncate_invalidate_cases,
};

/* ---- Benchmark: the cost of invalidation per folio -------------------- */

/*
 * truncate_invalidate_bench times invalidate_inode_pages2_range() on the
 * synthetic address_space of the tests above: clean folios, dirty folios it
 * cannot launder, a few dirty ones among clean ones, dirty folios that
 * ->launder_folio() cleans; and, on the same clean mapping,
 * truncate_inode_pages_range() (which drops folios unconditionally: the
 * lower bound) and invalidate_mapping_pages().  Only the call is timed, not
 * the population of the mapping.
 *
 * Its cases are slow and skipped unless truncate_kunit.bench is "full"
 * (every range size, TINV_BENCH_REPS repetitions) or "smoke" (the smallest
 * size, once), on the kernel command line or as a module parameter.  Each
 * row and range size prints one line:
 *
 *   bench: fn=ip2r_clean order=0 folios=4096 median_ns_per_folio=123.4
 *   min=120.1 max=130.2 reps=7
 *
 * (on a single line) where the times are the median, fastest and slowest of
 * the repetitions, divided by the number of folios.
 */

static char *bench;
module_param(bench, charp, 0444);
MODULE_PARM_DESC(bench,
		 "Run the truncate_invalidate_bench suite: full or smoke (default: skip it)");

#define TINV_BENCH_REPS		7
#define TINV_BENCH_MIXED	32	/* one folio in 32 dirty */

static const unsigned long tinv_bench_sizes[] = {
	1024, 4096, 16384, 65536, 262144,
};

/**
 * enum tinv_bench_fn - The function a benchmark row times.
 * @TINV_BENCH_IP2R: invalidate_inode_pages2_range().
 * @TINV_BENCH_TRUNCATE: truncate_inode_pages_range().
 * @TINV_BENCH_INVALIDATE: invalidate_mapping_pages().
 */
enum tinv_bench_fn {
	TINV_BENCH_IP2R,
	TINV_BENCH_TRUNCATE,
	TINV_BENCH_INVALIDATE,
};

/**
 * struct tinv_bench_case - One benchmark row.
 * @name: Its name in the output (fn=).
 * @fn: The function timed, over the whole populated range.
 * @order: Order of every folio.
 * @dirty_every: One folio in this many is dirty (1: all, 0: none).
 * @launder: The mapping has a ->launder_folio() that cleans dirty folios.
 */
struct tinv_bench_case {
	const char *name;
	enum tinv_bench_fn fn;
	unsigned int order;
	unsigned int dirty_every;
	bool launder;
};

static void tinv_bench_case_desc(const struct tinv_bench_case *bc,
				 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s order %u", bc->name,
		 bc->order);
}

static bool tinv_bench_smoke(void)
{
	return !strcmp(bench, "smoke");
}

/* Folios of @nr that invalidation of @bc's range must leave cached. */
static unsigned long tinv_bench_kept(const struct tinv_bench_case *bc,
				     unsigned long nr)
{
	if (bc->fn != TINV_BENCH_IP2R || bc->launder || !bc->dirty_every)
		return 0;
	return DIV_ROUND_UP(nr, bc->dirty_every);
}

/*
 * Order-0 folios wait in a per-CPU batch before they reach the LRU, with a
 * reference that makes invalidate_mapping_pages() skip them and defers the
 * freeing of those that the other functions remove.  PAGEVEC_SIZE clean
 * folios added after the range push the range's folios out of this CPU's
 * batch; they lie outside the range and are never timed.
 */
static unsigned long tinv_bench_fillers(const struct tinv_bench_case *bc)
{
	return bc->order ? 0 : PAGEVEC_SIZE;
}

/* Fill the fixture's empty mapping with the @nr folios of @bc's range. */
static void tinv_bench_populate(struct tinv_fixture *fx,
				const struct tinv_bench_case *bc,
				unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		bool dirty = bc->dirty_every && !(i % bc->dirty_every);

		tinv_add_folio(fx, i << bc->order, bc->order,
			       dirty ? TINV_DIRTY : TINV_FOLIO, NULL);
		cond_resched();
	}
	for (i = 0; i < tinv_bench_fillers(bc); i++)
		tinv_add_folio(fx, (nr << bc->order) + i, 0, TINV_FOLIO, NULL);
}

/* Time one call of @bc's function on the @nr folios of its range. */
static u64 tinv_bench_call(struct tinv_fixture *fx,
			   const struct tinv_bench_case *bc,
			   unsigned long nr, int *ret)
{
	pgoff_t last = (nr << bc->order) - 1;
	u64 start, end;

	*ret = 0;
	start = ktime_get_ns();
	switch (bc->fn) {
	case TINV_BENCH_IP2R:
		*ret = invalidate_inode_pages2_range(fx->mapping, 0, last);
		break;
	case TINV_BENCH_TRUNCATE:
		truncate_inode_pages_range(fx->mapping, 0,
					   ((loff_t)(last + 1) << PAGE_SHIFT) - 1);
		break;
	case TINV_BENCH_INVALIDATE:
		invalidate_mapping_pages(fx->mapping, 0, last);
		break;
	}
	end = ktime_get_ns();
	return end - start;
}

static int tinv_bench_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

#define TINV_BENCH_NS_LEN	24

/* Print @ns / @nr with one decimal into @buf. */
static void tinv_bench_ns(char *buf, u64 ns, unsigned long nr)
{
	u32 tenth;
	u64 whole = div_u64_rem(div_u64(ns * 10, nr), 10, &tenth);

	snprintf(buf, TINV_BENCH_NS_LEN, "%llu.%u", whole, tenth);
}

/**
 * tinv_bench_size() - Time one row on one range size and report it.
 * @fx: The fixture, with an empty mapping.
 * @bc: The row.
 * @nr: Number of folios in the range.
 * @reps: Number of repetitions.
 *
 * Before each repetition the mapping is filled again, unless the previous
 * one left every folio in place.  Each call is checked: its return value
 * and the pages it leaves must be those of the row.  A range that would
 * take more than half of the RAM is skipped, with a line that says so.
 */
static void tinv_bench_size(struct tinv_fixture *fx,
			    const struct tinv_bench_case *bc,
			    unsigned long nr, unsigned int reps)
{
	struct kunit *test = fx->test;
	unsigned long pages = nr << bc->order;
	unsigned long fillers = tinv_bench_fillers(bc);
	unsigned long kept = tinv_bench_kept(bc, nr) << bc->order;
	/* Other CPUs' batches may still hold folios added before a migration. */
	unsigned long slack = bc->fn == TINV_BENCH_INVALIDATE ?
			      (num_online_cpus() - 1) * PAGEVEC_SIZE : 0;
	char median[TINV_BENCH_NS_LEN], fastest[TINV_BENCH_NS_LEN];
	char slowest[TINV_BENCH_NS_LEN];
	u64 ns[TINV_BENCH_REPS];
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
			tinv_bench_populate(fx, bc, nr);
		}
		ns[rep] = tinv_bench_call(fx, bc, nr, &ret);
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

	sort(ns, reps, sizeof(*ns), tinv_bench_cmp, NULL);
	tinv_bench_ns(median, ns[reps / 2], nr);
	tinv_bench_ns(fastest, ns[0], nr);
	tinv_bench_ns(slowest, ns[reps - 1], nr);
	kunit_info(test,
		   "bench: fn=%s order=%u folios=%lu median_ns_per_folio=%s min=%s max=%s reps=%u\n",
		   bc->name, bc->order, nr, median, fastest, slowest, reps);
}

static void tinv_bench_run(struct kunit *test,
			   const struct tinv_bench_case *bc)
{
	unsigned int reps = tinv_bench_smoke() ? 1 : TINV_BENCH_REPS;
	size_t sizes = tinv_bench_smoke() ? 1 : ARRAY_SIZE(tinv_bench_sizes);
	struct tinv_fixture *fx;
	size_t i;

	fx = tinv_fixture_create(test, bc->launder);
	if (bc->order && !mapping_large_folio_support(fx->mapping))
		kunit_skip(test,
			   "no large folios in the page cache without CONFIG_TRANSPARENT_HUGEPAGE");
	for (i = 0; i < sizes; i++)
		tinv_bench_size(fx, bc, tinv_bench_sizes[i], reps);
}

static const struct tinv_bench_case ip2r_bench_cases[] = {
	{ .name = "ip2r_clean", .fn = TINV_BENCH_IP2R },
	{ .name = "ip2r_clean", .fn = TINV_BENCH_IP2R, .order = 2 },
	{ .name = "ip2r_dirty", .fn = TINV_BENCH_IP2R, .dirty_every = 1 },
	{ .name = "ip2r_dirty", .fn = TINV_BENCH_IP2R, .dirty_every = 1,
	  .order = 2 },
	{ .name = "ip2r_mixed", .fn = TINV_BENCH_IP2R,
	  .dirty_every = TINV_BENCH_MIXED },
	{ .name = "ip2r_mixed", .fn = TINV_BENCH_IP2R,
	  .dirty_every = TINV_BENCH_MIXED, .order = 2 },
	{ .name = "ip2r_launder", .fn = TINV_BENCH_IP2R, .dirty_every = 1,
	  .launder = true },
	{ .name = "ip2r_launder", .fn = TINV_BENCH_IP2R, .dirty_every = 1,
	  .launder = true, .order = 2 },
};

KUNIT_ARRAY_PARAM(ip2r_bench, ip2r_bench_cases, tinv_bench_case_desc);

/* invalidate_inode_pages2_range(): clean, dirty, mixed, laundered. */
static void invalidate_inode_pages2_range_cost(struct kunit *test)
{
	tinv_bench_run(test, test->param_value);
}

static const struct tinv_bench_case truncate_bench_cases[] = {
	{ .name = "truncate_clean", .fn = TINV_BENCH_TRUNCATE },
	{ .name = "truncate_clean", .fn = TINV_BENCH_TRUNCATE, .order = 2 },
};

KUNIT_ARRAY_PARAM(truncate_bench, truncate_bench_cases,
		  tinv_bench_case_desc);

/* truncate_inode_pages_range() on the same clean mapping: the lower bound. */
static void truncate_inode_pages_range_cost(struct kunit *test)
{
	tinv_bench_run(test, test->param_value);
}

static const struct tinv_bench_case imp_bench_cases[] = {
	{ .name = "imp_clean", .fn = TINV_BENCH_INVALIDATE },
	{ .name = "imp_clean", .fn = TINV_BENCH_INVALIDATE, .order = 2 },
};

KUNIT_ARRAY_PARAM(imp_bench, imp_bench_cases, tinv_bench_case_desc);

/* invalidate_mapping_pages() on the same clean mapping, for comparison. */
static void invalidate_mapping_pages_cost(struct kunit *test)
{
	tinv_bench_run(test, test->param_value);
}

/* Skip every case unless truncate_kunit.bench asks for them. */
static int tinv_bench_init(struct kunit *test)
{
	if (!bench || !*bench)
		kunit_skip(test,
			   "a benchmark: run it with truncate_kunit.bench=full or smoke");
	KUNIT_ASSERT_TRUE_MSG(test,
			      !strcmp(bench, "full") || tinv_bench_smoke(),
			      "truncate_kunit.bench=%s: use full or smoke",
			      bench);
	return 0;
}

static struct kunit_case truncate_invalidate_bench_cases[] = {
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

static struct kunit_suite truncate_invalidate_bench_suite = {
	.name = "truncate_invalidate_bench",
	.init = tinv_bench_init,
	.test_cases = truncate_invalidate_bench_cases,
};

kunit_test_suites(&truncate_invalidate_suite,
		  &truncate_invalidate_bench_suite);

MODULE_DESCRIPTION("KUnit tests and benchmark for invalidate_inode_pages2_range()");
MODULE_LICENSE("GPL");
