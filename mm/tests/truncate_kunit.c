// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mm/truncate.c: invalidate_inode_pages2_range(),
 * invalidate_mapping_pages(), truncate_inode_pages_range(),
 * truncate_pagecache(), truncate_pagecache_range() and
 * pagecache_isize_extended().
 *
 * The contract of invalidate_inode_pages2_range(), as its kerneldoc states
 * it: dirty data is never discarded (a dirty folio is passed to
 * ->launder_folio once and removed only if it is clean afterwards), a folio
 * that cannot be removed stays in the page cache, the walk goes on past it,
 * and the call returns 0, the first error from ->launder_folio, or -EBUSY.
 * Unlike invalidate_mapping_pages(), it removes a folio whatever its
 * reference count, unmaps it from user space but leaves a process's private
 * copy of a page alone, and hands every folio it removes to ->free_folio.
 *
 * invalidate_mapping_pages() is the hint that drops what nobody uses: it
 * removes only clean folios that are unlocked, unmapped, not under
 * writeback and without another reference, never waits, and returns the
 * number of indices whose contents it invalidated.
 *
 * truncate_inode_pages_range() removes what its byte range covers, dirty
 * or not, after writeback, zeroes what it covers of a page it does not
 * remove, and leaves every other byte as it was.  truncate_pagecache()
 * also discards a process's private copies past the new EOF;
 * truncate_pagecache_range(), a hole punch, leaves them alone.
 * pagecache_isize_extended() zeroes what a dirty folio holds past the old
 * EOF and write-protects that folio, when blocks are smaller than a page.
 *
 * Each case builds a file on a private pseudo filesystem whose
 * ->launder_folio and ->release_folio do, folio by folio, what the case asks.
 * Every page holds a pattern made of its index and a generation number, so
 * that a case can tell whether the data of a page is still cached, reached
 * the backing store, or was lost.
 *
 * A write of 1 to /proc/sys/vm/drop_caches reaches this filesystem's
 * superblocks too, and can evict the clean folios of a case that runs
 * meanwhile; compaction can wait for the lock of a folio that a case holds
 * locked, and a transient reference from a PFN walker can keep a clean
 * folio that a case expects to go.  These are known sources of spurious
 * failures.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/log2.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/swap.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#define TINV_MAGIC		0x74696e76	/* "tinv" */
#define TINV_PAGES		64		/* the file's size, in pages */
#define TINV_BAD_GEN		U32_MAX		/* the page holds no pattern */

/**
 * struct tinv_page - What a page holds and how its folio behaves.
 * @state: The letter of its folio in the case's layout (see struct
 *	tinv_case), or 0.
 * @gen: The generation last written to the page in the page cache.
 * @stored: The generation the backing store holds for the page.
 * @launders: ->launder_folio calls on the folio that starts here.
 * @frees: ->free_folio calls on the folio that starts here.
 */
struct tinv_page {
	char state;
	u32 gen;
	u32 stored;
	int launders;
	int frees;
};

/**
 * struct tinv_fixture - A file whose page cache a case invalidates.
 * @test: The case.
 * @mapping: The file's address_space.
 * @file: An open file, for mmap().
 * @page: &struct tinv_page by page index.
 * @wb_work: Ends the writeback of @wb_folio.
 * @wb_folio: A folio under writeback, with a reference, or NULL.
 * @locked_folio: A folio that the case holds locked, with a reference, or
 *	NULL.
 * @lock_work: Unlocks @locked_folio.
 * @returned: The invalidation under test has returned.
 * @wb_ended_late: The writeback ended after the invalidation returned.
 * @unlocked_early: @locked_folio was unlocked before the invalidation
 *	returned.
 * @mkwrites: ->page_mkwrite calls through the file's mappings.
 */
struct tinv_fixture {
	struct kunit *test;
	struct address_space *mapping;
	struct file *file;
	struct tinv_page page[TINV_PAGES];
	struct delayed_work wb_work;
	struct folio *wb_folio;
	struct folio *locked_folio;
	struct delayed_work lock_work;
	bool returned;
	bool wb_ended_late;
	bool unlocked_early;
	int mkwrites;
};

static u32 tinv_word(pgoff_t index, u32 gen, unsigned int i)
{
	return gen ^ ((u32)index * 0x9e3779b9) ^ (i * 0x85ebca6b);
}

/* Write generation @gen into the page at @index, mapped at @addr. */
static void tinv_fill_page(u32 *addr, pgoff_t index, u32 gen)
{
	unsigned int i;

	addr[0] = gen;
	for (i = 1; i < PAGE_SIZE / sizeof(u32); i++)
		addr[i] = tinv_word(index, gen, i);
}

/* The generation the page at @index, mapped at @addr, holds. */
static u32 tinv_page_gen(const u32 *addr, pgoff_t index)
{
	unsigned int i;

	for (i = 1; i < PAGE_SIZE / sizeof(u32); i++)
		if (addr[i] != tinv_word(index, addr[0], i))
			return TINV_BAD_GEN;
	return addr[0];
}

/* The generation that page @i of @folio holds. */
static u32 tinv_folio_gen(struct folio *folio, long i)
{
	u32 *addr = kmap_local_folio(folio, i * PAGE_SIZE);
	u32 gen = tinv_page_gen(addr, folio->index + i);

	kunmap_local(addr);
	return gen;
}

/* Write into each page of @folio the generation its &tinv_page names. */
static void tinv_fill_folio(struct tinv_fixture *fx, struct folio *folio,
			    bool stored)
{
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		struct tinv_page *p = &fx->page[folio->index + i];
		u32 *addr = kmap_local_folio(folio, i * PAGE_SIZE);

		tinv_fill_page(addr, folio->index + i,
			       stored ? p->stored : p->gen);
		kunmap_local(addr);
	}
	flush_dcache_folio(folio);
}

/* Whether the letter @state stands for a dirty folio. */
static bool tinv_dirty(char state)
{
	return state && strchr("dkenh", state);
}

/*
 * The fixture of the file that @folio belongs to, or NULL once the case
 * has ended (see tinv_fixture_release()).
 */
static struct tinv_fixture *tinv_fx(struct folio *folio)
{
	return folio->mapping->host->i_private;
}

static int tinv_read_folio(struct file *file, struct folio *folio)
{
	struct tinv_fixture *fx = tinv_fx(folio);

	if (fx) {
		tinv_fill_folio(fx, folio, true);
		folio_mark_uptodate(folio);
	}
	folio_unlock(folio);
	return fx ? 0 : -EIO;
}

static int tinv_launder_folio(struct folio *folio)
{
	struct tinv_fixture *fx = tinv_fx(folio);
	struct tinv_page *p;
	long i;

	if (!fx)
		return -EIO;
	p = &fx->page[folio->index];
	p->launders++;
	switch (p->state) {
	case 'e':
		return -EIO;
	case 'n':
		return -ENOSPC;
	case 'k':
		return 0;
	}
	if (folio_clear_dirty_for_io(folio))
		for (i = 0; i < folio_nr_pages(folio); i++)
			fx->page[folio->index + i].stored =
				tinv_folio_gen(folio, i);
	return 0;
}

static bool tinv_release_folio(struct folio *folio, gfp_t gfp)
{
	struct tinv_fixture *fx = tinv_fx(folio);

	if (fx && fx->page[folio->index].state == 'b')
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

/*
 * The folio has left the page cache: ->mapping is gone, ->index stays.  It
 * is counted only while the case that removes it runs, in its thread.
 */
static void tinv_free_folio(struct folio *folio)
{
	struct kunit *test = kunit_get_current_test();
	struct tinv_fixture *fx = test ? test->priv : NULL;

	if (fx && folio->index < TINV_PAGES)
		fx->page[folio->index].frees++;
}

static const struct address_space_operations tinv_aops = {
	.dirty_folio		= filemap_dirty_folio,
	.read_folio		= tinv_read_folio,
	.launder_folio		= tinv_launder_folio,
	.release_folio		= tinv_release_folio,
	.invalidate_folio	= tinv_invalidate_folio,
	.free_folio		= tinv_free_folio,
};

static const struct address_space_operations tinv_aops_no_launder = {
	.dirty_folio		= filemap_dirty_folio,
	.read_folio		= tinv_read_folio,
	.release_folio		= tinv_release_folio,
	.invalidate_folio	= tinv_invalidate_folio,
	.free_folio		= tinv_free_folio,
};

#ifdef CONFIG_MMU
/* Count the write faults that the page cache sees, then handle them. */
static vm_fault_t tinv_page_mkwrite(struct vm_fault *vmf)
{
	struct tinv_fixture *fx = vmf->vma->vm_file->f_mapping->host->i_private;

	if (fx)
		fx->mkwrites++;
	return filemap_page_mkwrite(vmf);
}

static const struct vm_operations_struct tinv_vm_ops = {
	.fault		= filemap_fault,
	.map_pages	= filemap_map_pages,
	.page_mkwrite	= tinv_page_mkwrite,
};

static int tinv_mmap_prepare(struct vm_area_desc *desc)
{
	int ret = generic_file_mmap_prepare(desc);

	if (!ret)
		desc->vm_ops = &tinv_vm_ops;
	return ret;
}
#else
#define tinv_mmap_prepare	generic_file_mmap_prepare
#endif

static const struct file_operations tinv_fops = {
	.mmap_prepare	= tinv_mmap_prepare,
};

static int tinv_init_fs_context(struct fs_context *fc)
{
	if (!init_pseudo(fc, TINV_MAGIC))
		return -ENOMEM;
	fc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;
	return 0;
}

static struct file_system_type tinv_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "truncate_kunit",
	.init_fs_context	= tinv_init_fs_context,
	.kill_sb		= kill_anon_super,
};

static void tinv_end_writeback(struct tinv_fixture *fx)
{
	fx->wb_ended_late = READ_ONCE(fx->returned);
	folio_end_writeback(fx->wb_folio);
	folio_put(fx->wb_folio);
	fx->wb_folio = NULL;
}

/* Unlock the folio that the case holds locked, if any. */
static void tinv_unlock_held(struct tinv_fixture *fx)
{
	if (fx->locked_folio) {
		folio_unlock(fx->locked_folio);
		folio_put(fx->locked_folio);
		fx->locked_folio = NULL;
	}
}

/*
 * End the writeback once the call under test waits for it (the folio has a
 * waiter) or has returned without waiting, which the case then sees: no
 * timing decides what the case sees.
 */
static void tinv_writeback_work(struct work_struct *work)
{
	struct tinv_fixture *fx = container_of(to_delayed_work(work),
					       struct tinv_fixture, wb_work);

	if (!folio_test_waiters(fx->wb_folio) && !READ_ONCE(fx->returned)) {
		schedule_delayed_work(&fx->wb_work, 1);
		return;
	}
	tinv_end_writeback(fx);
}

/*
 * Unlock the folio that the case holds locked once the call under test
 * waits for it or has returned, as for the writeback: a call that waits
 * for the lock returns, and the case sees that it waited.
 */
static void tinv_lock_work(struct work_struct *work)
{
	struct tinv_fixture *fx = container_of(to_delayed_work(work),
					       struct tinv_fixture, lock_work);

	if (!folio_test_waiters(fx->locked_folio) && !READ_ONCE(fx->returned)) {
		schedule_delayed_work(&fx->lock_work, 1);
		return;
	}
	fx->unlocked_early = !READ_ONCE(fx->returned);
	tinv_unlock_held(fx);
}

/*
 * The file can outlive the case: the last fput() of a kernel thread is
 * deferred, and so is the one in the teardown of the test's mm.  Before
 * KUnit frees the fixture, end the writeback the case started, detach the
 * fixture from the inode and from the case, and empty the page cache, so
 * that no folio is left for reclaim or migration to pass to ->release_folio
 * and no operation of the file can reach the fixture.  The invalidate lock
 * keeps faults out meanwhile; a later read fails with -EIO.
 */
static void tinv_fixture_release(struct tinv_fixture *fx)
{
	struct address_space *mapping = fx->mapping;

	cancel_delayed_work_sync(&fx->wb_work);
	if (fx->wb_folio)
		tinv_end_writeback(fx);
	cancel_delayed_work_sync(&fx->lock_work);
	tinv_unlock_held(fx);
	filemap_invalidate_lock(mapping);
	mapping->host->i_private = NULL;
	fx->test->priv = NULL;
	truncate_inode_pages(mapping, 0);
	filemap_invalidate_unlock(mapping);
}

KUNIT_DEFINE_ACTION_WRAPPER(tinv_kern_unmount, kern_unmount,
			    struct vfsmount *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_iput, iput, struct inode *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_fput, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_fixture_release_action,
			    tinv_fixture_release, struct tinv_fixture *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_folio_put, folio_put, struct folio *);

static void tinv_defer(struct kunit *test, kunit_action_t *action, void *arg)
{
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, action, arg), 0);
}

/**
 * tinv_fixture_create() - Create an empty file for a case.
 * @test: The test context.
 * @launder: Give the file's mapping a ->launder_folio operation.
 *
 * Mounts a private instance of the test's pseudo filesystem and creates a
 * regular file of %TINV_PAGES pages on it, with nothing cached, and an open
 * file for mmap().  Everything is released by KUnit actions, and the file
 * forgets the fixture before KUnit frees it (tinv_fixture_release()).
 *
 * Return: the fixture; the case is aborted if it cannot be created.
 */
static struct tinv_fixture *tinv_fixture_create(struct kunit *test,
						bool launder)
{
	struct tinv_fixture *fx;
	struct vfsmount *mnt;
	struct inode *inode;
	struct file *file;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	INIT_DELAYED_WORK(&fx->wb_work, tinv_writeback_work);
	INIT_DELAYED_WORK(&fx->lock_work, tinv_lock_work);

	mnt = kern_mount(&tinv_fs_type);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);
	tinv_defer(test, tinv_kern_unmount, mnt);

	inode = new_inode(mnt->mnt_sb);
	KUNIT_ASSERT_NOT_NULL(test, inode);
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	inode->i_mapping->a_ops = launder ? &tinv_aops : &tinv_aops_no_launder;
	mapping_set_large_folios(inode->i_mapping);
	mapping_set_unevictable(inode->i_mapping);
	i_size_write(inode, (loff_t)TINV_PAGES << PAGE_SHIFT);
	fx->mapping = inode->i_mapping;
	tinv_defer(test, tinv_iput, inode);

	ihold(inode);
	file = alloc_file_pseudo(inode, mnt, "truncate_kunit", O_RDWR,
				 &tinv_fops);
	if (IS_ERR(file))
		iput(inode);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	fx->file = file;
	tinv_defer(test, tinv_fput, file);

	/* Runs first, and before KUnit frees @fx, allocated before it. */
	inode->i_private = fx;
	test->priv = fx;
	tinv_defer(test, tinv_fixture_release_action, fx);
	return fx;
}

/*
 * Cache a folio of 2^@order pages at @index in the state of letter @state,
 * holding generation 1; the backing store holds generation 1 for a clean
 * folio, 0 for a dirty one.  Skips the case if the page cache gives a
 * smaller folio (a large allocation may fall back to a smaller order).
 */
static void tinv_add_folio(struct kunit *test, struct tinv_fixture *fx,
			   pgoff_t index, unsigned int order, char state)
{
	bool dirty = tinv_dirty(state);
	struct folio *folio;
	long i;

	for (i = 0; i < 1L << order; i++)
		fx->page[index + i] = (struct tinv_page) {
			.state = state, .gen = 1, .stored = dirty ? 0 : 1,
		};

	folio = __filemap_get_folio(fx->mapping, index,
				    FGP_LOCK | FGP_CREAT |
				    fgf_set_order(PAGE_SIZE << order),
				    mapping_gfp_mask(fx->mapping));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, folio);
	if (folio->index != index || folio_order(folio) != order) {
		unsigned int got = folio_order(folio);
		bool smaller = folio->index == index && got < order;

		folio_unlock(folio);
		folio_put(folio);
		if (smaller)
			kunit_skip(test, "index %lu: a folio of order %u, not %u",
				   index, got, order);
		KUNIT_FAIL_AND_ABORT(test, "index %lu: no folio of order %u",
				     index, order);
	}
	tinv_fill_folio(fx, folio, false);
	folio_mark_uptodate(folio);
	if (state == 'b')
		folio_attach_private(folio, fx);
	if (dirty)
		folio_mark_dirty(folio);
	if (state == 'w') {
		folio_get(folio);
		fx->wb_folio = folio;
		folio_start_writeback(folio);
	}
	if (state == 'l') {
		/* Locked by someone else: the case, until it unlocks it. */
		fx->locked_folio = folio;
		return;
	}
	folio_unlock(folio);
	if (state == 'r' || state == 'h')
		/* The reference of the lookup stays until the case ends. */
		tinv_defer(test, tinv_folio_put, folio);
	else
		folio_put(folio);
}

/**
 * struct tinv_case - A file, a range to invalidate and the return value.
 * @name: What the row shows.
 * @layout: The file, a character a page from index 0:
 *	'.' no folio,
 *	'c' a clean folio,
 *	'd' a dirty folio, which ->launder_folio writes back,
 *	'k' a dirty folio, which ->launder_folio leaves dirty, returning 0,
 *	(as btrfs does),
 *	'e', 'n' a dirty folio, for which ->launder_folio fails with -EIO
 *	or -ENOSPC,
 *	'b' a clean folio with private data that ->release_folio keeps (as
 *	NFS does while a write is not committed),
 *	'r' a clean folio with an extra reference, held until the case ends,
 *	'h' a dirty folio with an extra reference, held until the case ends
 *	(not in these rows),
 *	'w' a clean folio under writeback, which ends once the call waits
 *	for it; one at most;
 *	'l' a clean folio that the case holds locked until the call waits
 *	for it or has returned; one at most, and not in these rows;
 *	"<dddd>" is one folio of four pages, in the state of its letter.
 * @start: First index of the range.
 * @end: Last index of the range.
 * @whole: Call invalidate_inode_pages2() instead.
 * @no_launder: The mapping has no ->launder_folio.
 * @ret: The expected return value.
 *
 * What must become of each folio follows from its letter: one that the
 * range does not reach stays as it is; in the range, a clean or laundered
 * folio goes, a dirty one is laundered once, and one that cannot be made
 * clean ('d' without ->launder_folio, 'k', 'e', 'n') or released ('b')
 * stays, with its data.  No data is ever lost, and each folio that goes is
 * passed to ->free_folio once.
 */
struct tinv_case {
	const char *name;
	const char *layout;
	pgoff_t start;
	pgoff_t end;
	bool whole;
	bool no_launder;
	int ret;
};

/* Check what became of the folio of 2^@order pages at @index. */
static void tinv_check_folio(struct kunit *test, struct tinv_fixture *fx,
			     const struct tinv_case *tc, pgoff_t index,
			     unsigned int order)
{
	char state = fx->page[index].state;
	bool dirty = tinv_dirty(state);
	pgoff_t last = index + (1UL << order) - 1;
	bool reached = tc->whole || (tc->start <= tc->end &&
				     index <= tc->end && last >= tc->start);
	bool fails = state == 'b' ||
		     (dirty && (state != 'd' || tc->no_launder));
	struct folio *head = filemap_get_folio(fx->mapping, index);
	pgoff_t i;

	KUNIT_EXPECT_EQ_MSG(test, fx->page[index].launders,
			    reached && dirty && !tc->no_launder ? 1 : 0,
			    "index %lu: ->launder_folio calls", index);
	KUNIT_EXPECT_EQ_MSG(test, fx->page[index].frees, IS_ERR(head) ? 1 : 0,
			    "index %lu: ->free_folio calls", index);
	if (!IS_ERR(head))
		folio_put(head);

	for (i = index; i <= last; i++) {
		struct folio *folio = filemap_get_folio(fx->mapping, i);
		struct tinv_page *p = &fx->page[i];
		bool stays = !reached || fails;
		bool goes = reached && !fails;

		if (IS_ERR(folio)) {
			KUNIT_EXPECT_FALSE_MSG(test, stays,
					       "index %lu: removed", i);
			KUNIT_EXPECT_EQ_MSG(test, p->stored, p->gen,
					    "index %lu: data lost", i);
			continue;
		}
		KUNIT_EXPECT_FALSE_MSG(test, goes, "index %lu: not removed", i);
		KUNIT_EXPECT_EQ_MSG(test, tinv_folio_gen(folio, i - folio->index),
				    p->gen, "index %lu: data changed", i);
		if (dirty && !(reached && !fails))
			KUNIT_EXPECT_TRUE_MSG(test, folio_test_dirty(folio),
					      "index %lu: dirty data marked clean",
					      i);
		folio_put(folio);
	}
}

/* Fail a row whose @layout holds one of @states, which its case ignores. */
static void tinv_reject_states(struct kunit *test, const char *layout,
			       const char *states)
{
	const char *s = strpbrk(layout, states);

	KUNIT_ASSERT_NULL_MSG(test, s, "state '%c' is not modelled by this case",
			      s ? *s : ' ');
}

/*
 * Cache the folios that @layout describes (see struct tinv_case): @state
 * and @order receive the letter and the order of the folio that starts at
 * each index, 0 elsewhere.
 */
static void tinv_build(struct kunit *test, struct tinv_fixture *fx,
		       const char *layout, char *state, unsigned int *order)
{
	unsigned int writeback = 0, locked = 0;
	const char *s = layout;
	pgoff_t index = 0;

	/* Read the layout first: a bad row fails before anything is built. */
	while (*s) {
		unsigned int len = 1;

		KUNIT_ASSERT_LT(test, index, TINV_PAGES);
		state[index] = *s;
		if (*s == '<') {
			len = strcspn(s + 1, ">");
			state[index] = s[1];
			KUNIT_ASSERT_TRUE_MSG(test, s[len + 1] == '>' &&
					      is_power_of_2(len) &&
					      index % len == 0,
					      "bad large folio at %lu", index);
			order[index] = ilog2(len);
			s += 2;
		}
		KUNIT_ASSERT_LE(test, index + len, TINV_PAGES);
		KUNIT_ASSERT_TRUE_MSG(test, strchr(".cdkenbrwlh", state[index]),
				      "unknown state '%c' at %lu",
				      state[index], index);
		if (state[index] == '.')
			state[index] = 0;
		if (state[index] == 'w')
			writeback++;
		if (state[index] == 'l')
			locked++;
		s += len;
		index += len;
	}
	/* A second one would take the place of the first in @fx. */
	KUNIT_ASSERT_LE_MSG(test, writeback, 1,
			    "more than one folio under writeback");
	KUNIT_ASSERT_LE_MSG(test, locked, 1, "more than one locked folio");

	for (index = 0; index < TINV_PAGES; index++) {
		if (order[index] && !mapping_large_folio_support(fx->mapping))
			kunit_skip(test, "no large folios in this page cache");
		if (state[index])
			tinv_add_folio(test, fx, index, order[index],
				       state[index]);
	}
}

/*
 * Build the file a row describes, invalidate its range, and check the
 * return value and every folio.
 */
static void tinv_run(struct kunit *test)
{
	const struct tinv_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, !tc->no_launder);
	unsigned int order[TINV_PAGES] = {};
	char state[TINV_PAGES] = {};
	pgoff_t index;
	int ret;

	tinv_reject_states(test, tc->layout, "lh");
	tinv_build(test, fx, tc->layout, state, order);
	if (fx->wb_folio)
		schedule_delayed_work(&fx->wb_work, 1);
	if (tc->whole)
		ret = invalidate_inode_pages2(fx->mapping);
	else
		ret = invalidate_inode_pages2_range(fx->mapping, tc->start,
						    tc->end);
	WRITE_ONCE(fx->returned, true);
	flush_delayed_work(&fx->wb_work);

	KUNIT_EXPECT_EQ(test, ret, tc->ret);
	KUNIT_EXPECT_FALSE_MSG(test, fx->wb_ended_late,
			       "returned before the writeback ended");
	for (index = 0; index < TINV_PAGES; index++)
		if (state[index])
			tinv_check_folio(test, fx, tc, index, order[index]);
}

#define TINV_ALL	.start = 0, .end = TINV_PAGES - 1
#define C8		"cccccccc"
#define C32		"cccccccccccccccccccccccccccccccc"

/*
 * Dirty folios are written back or kept, never skipped or dropped.  The first
 * row fails if dirty folios are skipped and success reported, as 6.14-rc
 * did before commit 927289988068 ("mm/truncate: don't skip dirty page in
 * folio_unmap_invalidate()"), or dropped, as in 2006.
 */
static const struct tinv_case dirty_cases[] = {
	{ "dirty folio is laundered and removed", "cdcdc", TINV_ALL, .ret = 0 },
	{ "dirty folio without ->launder_folio stays", "cdcdc", TINV_ALL,
	  .no_launder = true, .ret = -EBUSY },
	{ "dirty folio whose ->launder_folio fails stays", "cecec", TINV_ALL,
	  .ret = -EIO },
	{ "dirty folio that ->launder_folio leaves dirty stays", "ckc",
	  TINV_ALL, .ret = -EBUSY },
};

/* A folio that cannot be invalidated does not stop the walk. */
static const struct tinv_case walk_cases[] = {
	{ "busy folios first, in the middle and last", "b" C32 "b" C8 "b",
	  TINV_ALL, .ret = -EBUSY },
	{ "launder errors first, in the middle and last", "e" C32 "e" C8 "e",
	  TINV_ALL, .ret = -EIO },
	{ "dirty folios without ->launder_folio", "d" C32 "d" C8 "d",
	  TINV_ALL, .no_launder = true, .ret = -EBUSY },
};

/* Every failure reaches the caller, whatever follows it. */
static const struct tinv_case result_cases[] = {
	{ "every folio invalidated", "cdc.cwc", TINV_ALL, .ret = 0 },
	{ "busy folio, then many invalidated", "b" C32 C8, TINV_ALL,
	  .ret = -EBUSY },
	{ "launder error, then many laundered", "edddddddddd" C32, TINV_ALL,
	  .ret = -EIO },
	{ "launder error is returned as it is", "cnc", TINV_ALL,
	  .ret = -ENOSPC },
};

/*
 * An error from ->launder_folio outranks -EBUSY, whatever the order, and of
 * two launder errors the first is returned.
 */
static const struct tinv_case precedence_cases[] = {
	{ "busy folio, then launder error", "cbcec", TINV_ALL, .ret = -EIO },
	{ "launder error, then busy folio", "cecbc", TINV_ALL, .ret = -EIO },
	{ "launder error, then folio left dirty", "ceckc", TINV_ALL,
	  .ret = -EIO },
	{ "launder error, then busy folio far later", "e" C32 C8 "b",
	  TINV_ALL, .ret = -EIO },
	{ "two launder errors: the first", "cecnc", TINV_ALL, .ret = -EIO },
	{ "two launder errors, the other order", "cncec", TINV_ALL,
	  .ret = -ENOSPC },
};

/* Only the range is invalidated; it is inclusive at both ends. */
static const struct tinv_case range_cases[] = {
	{ "dirty folios next to the range are untouched", "dcccd", .start = 1,
	  .end = 3, .ret = 0 },
	{ "single-page range", "cdc", .start = 1, .end = 1, .ret = 0 },
	{ "start after end does nothing", "cdcdc", .start = 3, .end = 1,
	  .ret = 0 },
	{ "range past the last folio", "dd", .start = 10, .end = 20, .ret = 0 },
	{ "invalidate_inode_pages2() takes the whole file", "d" C32 "d",
	  .whole = true, .ret = 0 },
	{ "writeback is waited for", "cwc", .start = 1, .end = 1, .ret = 0 },
};

/*
 * Unlike invalidate_mapping_pages(), which leaves a folio that someone else
 * holds, invalidate_inode_pages2_range() removes it whatever its reference
 * count: a direct write must not leave stale data cached.
 */
static const struct tinv_case refcount_cases[] = {
	{ "folios with an extra reference are removed", "crcrc", TINV_ALL,
	  .ret = 0 },
	{ "dirty folio next to referenced ones is laundered", "rdr", TINV_ALL,
	  .ret = 0 },
	{ "large folio with an extra reference is removed", "cccc<rrrr>",
	  TINV_ALL, .ret = 0 },
};

/*
 * A large folio that the range reaches is handled as one folio: laundered
 * once, and removed or kept with all its data.
 */
static const struct tinv_case large_cases[] = {
	{ "clean large folio over the start", "cccc<cccc>cccc", .start = 6,
	  .end = 11, .ret = 0 },
	{ "dirty large folio over the end", "cccc<dddd>cccc", .start = 2,
	  .end = 5, .ret = 0 },
	{ "dirty large folio without ->launder_folio", "cccc<dddd>",
	  TINV_ALL, .no_launder = true, .ret = -EBUSY },
	{ "large folio whose launder fails, last in the file", "<eeee>",
	  TINV_ALL, .ret = -EIO },
	{ "large folio whose launder fails, range from its middle",
	  "<eeee>", .start = 2, .end = 9, .ret = -EIO },
};

KUNIT_ARRAY_PARAM_DESC(dirty, dirty_cases, name);
KUNIT_ARRAY_PARAM_DESC(walk, walk_cases, name);
KUNIT_ARRAY_PARAM_DESC(result, result_cases, name);
KUNIT_ARRAY_PARAM_DESC(precedence, precedence_cases, name);
KUNIT_ARRAY_PARAM_DESC(range, range_cases, name);
KUNIT_ARRAY_PARAM_DESC(large, large_cases, name);
KUNIT_ARRAY_PARAM_DESC(refcount, refcount_cases, name);

static void invalidate2_dirty_folio_laundered_or_kept(struct kunit *test)
{
	tinv_run(test);
}

static void invalidate2_failure_does_not_stop_walk(struct kunit *test)
{
	tinv_run(test);
}

static void invalidate2_failure_is_reported(struct kunit *test)
{
	tinv_run(test);
}

static void invalidate2_launder_error_outranks_busy(struct kunit *test)
{
	tinv_run(test);
}

static void invalidate2_only_range_is_invalidated(struct kunit *test)
{
	tinv_run(test);
}

static void invalidate2_large_folio_handled_whole(struct kunit *test)
{
	tinv_run(test);
}

static void invalidate2_ignores_refcount(struct kunit *test)
{
	tinv_run(test);
}

#define TINV_MAP_PAGES	4

/**
 * struct tinv_map_case - Invalidation of folios mapped into user space.
 * @name: What the row shows.
 * @write: Write generation 2 through the mapping before the invalidation.
 * @no_launder: The mapping has no ->launder_folio.
 * @ret: The expected return value.
 */
struct tinv_map_case {
	const char *name;
	bool write;
	bool no_launder;
	int ret;
};

static const struct tinv_map_case map_cases[] = {
	{ "clean mapped folios are unmapped and removed", .ret = 0 },
	{ "folios written through the mapping are laundered", .write = true,
	  .ret = 0 },
	{ "folios written through the mapping stay without ->launder_folio",
	  .write = true, .no_launder = true, .ret = -EBUSY },
};

KUNIT_ARRAY_PARAM_DESC(map, map_cases, name);

/*
 * Map the first %TINV_MAP_PAGES pages of the file into the case's mm.  The
 * pseudo filesystem's backing_dev_info does no readahead (ra_pages is 0),
 * so a fault caches one page in an order-0 folio: the cases that map the
 * file count on it.
 */
static unsigned long tinv_mmap(struct kunit *test, struct tinv_fixture *fx,
			       unsigned long flags)
{
	unsigned long addr;

	if (!IS_ENABLED(CONFIG_MMU))
		kunit_skip(test, "no user mappings without an MMU");
	addr = kunit_vm_mmap(test, fx->file, 0, TINV_MAP_PAGES * PAGE_SIZE,
			     PROT_READ | PROT_WRITE, flags, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr) || !addr,
			       "vm_mmap() returned %ld", (long)addr);
	return addr;
}

/*
 * Data written through a shared mapping survives the invalidation, is read
 * back through the mapping afterwards, and a write after it reaches the page
 * cache: what NFS users lost in 2006.
 */
static void invalidate2_mapped_data_survives(struct kunit *test)
{
	const struct tinv_map_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, !tc->no_launder);
	unsigned long addr;
	pgoff_t index;
	u32 *buf;
	int ret;

	addr = tinv_mmap(test, fx, MAP_SHARED);
	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		struct folio *folio;

		if (tc->write) {
			tinv_fill_page(buf, index, 2);
			KUNIT_ASSERT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
			fx->page[index].gen = 2;
		} else {
			KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		}
		folio = filemap_get_folio(fx->mapping, index);
		KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
		KUNIT_EXPECT_TRUE(test, folio_mapped(folio));
		folio_put(folio);
	}

	ret = invalidate_inode_pages2_range(fx->mapping, 0, TINV_MAP_PAGES - 1);
	KUNIT_EXPECT_EQ(test, ret, tc->ret);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		struct folio *folio = filemap_get_folio(fx->mapping, index);

		if (!IS_ERR(folio)) {
			KUNIT_EXPECT_FALSE_MSG(test, folio_mapped(folio),
					       "index %lu: still mapped", index);
			folio_put(folio);
		}
		KUNIT_EXPECT_EQ_MSG(test, IS_ERR(folio), tc->ret == 0,
				    "index %lu: %s", index,
				    tc->ret ? "removed" : "not removed");
	}

	/* Faults from here on map the neighbours too (fault-around). */
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		struct tinv_page *p = &fx->page[index];
		struct folio *folio;

		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ_MSG(test, tinv_page_gen(buf, index), p->gen,
				    "index %lu: read back through the mapping",
				    index);

		tinv_fill_page(buf, index, 3);
		KUNIT_ASSERT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
		folio = filemap_get_folio(fx->mapping, index);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(folio),
				       "index %lu: write after it not cached",
				       index);
		KUNIT_EXPECT_EQ_MSG(test,
				    tinv_folio_gen(folio, index - folio->index), 3,
				    "index %lu: write after it lost", index);
		KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
		folio_put(folio);
	}
}

/*
 * Map the first %TINV_MAP_PAGES pages of the file privately, read each of
 * them (mapping the page cache, generation 1), then write generation 2 to
 * the odd ones, which become the process's own copies.  @buf is a page of
 * scratch space.
 */
static unsigned long tinv_map_private_copies(struct kunit *test,
					     struct tinv_fixture *fx, u32 *buf)
{
	unsigned long addr = tinv_mmap(test, fx, MAP_PRIVATE);
	pgoff_t index;

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		fx->page[index].gen = 1;
		fx->page[index].stored = 1;
	}
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;

		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
	}
	for (index = 1; index < TINV_MAP_PAGES; index += 2) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;

		tinv_fill_page(buf, index, 2);
		KUNIT_ASSERT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
	}
	return addr;
}

/*
 * The page cache is unmapped from user space, but a page that a process
 * wrote through a private mapping is its own copy: it keeps the process's
 * data, which never reaches the file.  Truncation discards such copies
 * ("even_cows"); invalidation must not.
 */
static void invalidate2_private_copy_kept(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	struct folio *folio;
	unsigned long addr;
	pgoff_t index;
	u32 *buf;
	int ret;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	addr = tinv_map_private_copies(test, fx, buf);
	/* Index 0 is mapped, so the invalidation has to unmap the range. */
	folio = filemap_get_folio(fx->mapping, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
	KUNIT_EXPECT_TRUE(test, folio_mapped(folio));
	folio_put(folio);

	ret = invalidate_inode_pages2_range(fx->mapping, 0, TINV_MAP_PAGES - 1);
	KUNIT_EXPECT_EQ(test, ret, 0);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		u32 want = index % 2 ? 2 : 1;

		folio = filemap_get_folio(fx->mapping, index);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(folio),
				      "index %lu: not removed", index);
		if (!IS_ERR(folio))
			folio_put(folio);
		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ_MSG(test, tinv_page_gen(buf, index), want,
				    "index %lu: %s", index, want == 2 ?
				    "private copy discarded" :
				    "read back through the mapping");
		KUNIT_EXPECT_EQ_MSG(test, fx->page[index].stored, 1,
				    "index %lu: private write reached the file",
				    index);
	}
}

/**
 * struct tinv_evict_case - A file and a range for invalidate_mapping_pages().
 * @name: What the row shows.
 * @layout: The file, as in &struct tinv_case.
 * @start: First index of the range.
 * @end: Last index of the range.
 * @ret: The number of indices it must report invalidated.
 *
 * A clean folio ('c') that lies wholly in the range goes; every other folio
 * stays as it is, with its data and its dirty bit.
 */
struct tinv_evict_case {
	const char *name;
	const char *layout;
	pgoff_t start;
	pgoff_t end;
	unsigned long ret;
};

/*
 * A small folio just added to the page cache waits in a per-CPU LRU batch,
 * with a reference that invalidate_mapping_pages() takes for a user's.
 * The callers that drop the cache on request drain the batches first
 * (drop_caches, POSIX_FADV_DONTNEED, invalidate_bdev()), and so do the
 * cases.
 */
static void tinv_drain_lru(void)
{
	lru_add_drain_all();
}

/*
 * Only what nobody uses goes, and each index of what goes counts.  The
 * locked folio is unlocked once the call waits for it, which makes the row
 * fail; the reference that the case holds on it would keep it anyway.  A
 * folio with an extra reference is the contrast case's.
 */
static const struct tinv_evict_case evict_cases[] = {
	{ "clean folios are removed and counted", "cc.cc", TINV_ALL,
	  .ret = 4 },
	{ "dirty folios stay", "cdcdc", TINV_ALL, .ret = 3 },
	{ "folio under writeback stays", "cwc", TINV_ALL, .ret = 2 },
	{ "locked folio is skipped, not waited for", "clc", TINV_ALL,
	  .ret = 2 },
	{ "folio whose private data is not released stays", "cbc", TINV_ALL,
	  .ret = 2 },
	{ "only the range, inclusive at both ends", "cccccc", .start = 1,
	  .end = 3, .ret = 3 },
	{ "large folio counts each of its indices", "<cccc>c", TINV_ALL,
	  .ret = 5 },
	{ "large folio across the end of the range stays", "cccc<cccc>",
	  .start = 0, .end = 5, .ret = 4 },
	{ "large folio across the start of the range stays", "<cccc>cccc",
	  .start = 2, .end = 7, .ret = 4 },
};

KUNIT_ARRAY_PARAM_DESC(evict, evict_cases, name);

/* Check that the folio at @index, of 2^@order pages, @goes or stays. */
static void tinv_check_evicted(struct kunit *test, struct tinv_fixture *fx,
			       pgoff_t index, unsigned int order, bool goes)
{
	char state = fx->page[index].state;
	pgoff_t i;

	KUNIT_EXPECT_EQ_MSG(test, fx->page[index].frees, goes ? 1 : 0,
			    "index %lu: ->free_folio calls", index);
	for (i = index; i < index + (1UL << order); i++) {
		struct folio *folio = filemap_get_folio(fx->mapping, i);

		if (IS_ERR(folio)) {
			KUNIT_EXPECT_TRUE_MSG(test, goes, "index %lu: removed",
					      i);
			continue;
		}
		KUNIT_EXPECT_FALSE_MSG(test, goes, "index %lu: not removed", i);
		KUNIT_EXPECT_EQ_MSG(test, tinv_folio_gen(folio, i - folio->index),
				    fx->page[i].gen, "index %lu: data changed", i);
		KUNIT_EXPECT_EQ_MSG(test, folio_test_dirty(folio),
				    tinv_dirty(state),
				    "index %lu: dirty bit changed", i);
		folio_put(folio);
	}
}

/*
 * Take back the reference on the folio under writeback that the case
 * dropped for the call.  If the page cache no longer holds the folio, the
 * call removed it under writeback: fail, and leave the folio alone, as
 * nothing holds it any more.
 */
static void tinv_retake_wb_folio(struct kunit *test, struct tinv_fixture *fx,
				 pgoff_t index)
{
	struct folio *folio = filemap_get_folio(fx->mapping, index);

	if (!IS_ERR(folio) && folio == fx->wb_folio)
		return;
	if (!IS_ERR(folio))
		folio_put(folio);
	fx->wb_folio = NULL;
	KUNIT_FAIL(test, "index %lu: removed under writeback", index);
}

static void invalidate_mapping_pages_removes_only_unused(struct kunit *test)
{
	const struct tinv_evict_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	unsigned int order[TINV_PAGES] = {};
	char state[TINV_PAGES] = {};
	pgoff_t wb_index = 0;
	unsigned long ret;
	pgoff_t index;

	tinv_build(test, fx, tc->layout, state, order);
	tinv_drain_lru();
	/*
	 * The lock is released once the call waits for it or has returned.
	 * The writeback ends when the case does; the reference that the case
	 * holds on that folio would keep it on its own, so only the page
	 * cache holds it during the call.
	 */
	if (fx->locked_folio)
		schedule_delayed_work(&fx->lock_work, 1);
	if (fx->wb_folio) {
		wb_index = fx->wb_folio->index;
		folio_put(fx->wb_folio);
	}
	ret = invalidate_mapping_pages(fx->mapping, tc->start, tc->end);
	WRITE_ONCE(fx->returned, true);
	cancel_delayed_work_sync(&fx->lock_work);
	tinv_unlock_held(fx);
	if (fx->wb_folio)
		tinv_retake_wb_folio(test, fx, wb_index);

	KUNIT_EXPECT_EQ(test, ret, tc->ret);
	KUNIT_EXPECT_FALSE_MSG(test, fx->unlocked_early,
			       "waited for the locked folio");
	for (index = 0; index < TINV_PAGES; index++) {
		pgoff_t last = index + (1UL << order[index]) - 1;

		if (state[index])
			tinv_check_evicted(test, fx, index, order[index],
					   state[index] == 'c' &&
					   index >= tc->start && last <= tc->end);
	}
}

/* A folio mapped into user space is in use: it stays, and stays mapped. */
static void invalidate_mapping_pages_keeps_mapped(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	unsigned long addr = tinv_mmap(test, fx, MAP_SHARED);
	unsigned long ret;
	pgoff_t index;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;

		fx->page[index].gen = 1;
		fx->page[index].stored = 1;
		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
	}
	tinv_drain_lru();

	ret = invalidate_mapping_pages(fx->mapping, 0, TINV_MAP_PAGES - 1);
	KUNIT_EXPECT_EQ(test, ret, 0);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		struct folio *folio = filemap_get_folio(fx->mapping, index);

		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(folio),
				       "index %lu: removed", index);
		KUNIT_EXPECT_TRUE_MSG(test, folio_mapped(folio),
				      "index %lu: unmapped", index);
		folio_put(folio);
		KUNIT_EXPECT_EQ_MSG(test, fx->page[index].frees, 0,
				    "index %lu: ->free_folio calls", index);
	}
}

/*
 * What sets the two apart: a folio that someone else holds is kept by
 * invalidate_mapping_pages(), a hint, and removed by
 * invalidate_inode_pages2_range(), which must leave nothing stale behind.
 * For invalidate_mapping_pages(), this is the row of an extra reference.
 */
static void invalidate_mapping_pages_contrast_invalidate2(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	unsigned int order[TINV_PAGES] = {};
	char state[TINV_PAGES] = {};
	struct folio *folio;

	tinv_build(test, fx, "crc", state, order);
	tinv_drain_lru();

	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(fx->mapping, 0, 2), 2);
	folio = filemap_get_folio(fx->mapping, 1);
	KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(folio),
			       "invalidate_mapping_pages() removed it");
	if (!IS_ERR(folio))
		folio_put(folio);

	KUNIT_EXPECT_EQ(test, invalidate_inode_pages2_range(fx->mapping, 0, 2),
			0);
	folio = filemap_get_folio(fx->mapping, 1);
	KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(folio),
			      "invalidate_inode_pages2_range() kept it");
	if (!IS_ERR(folio))
		folio_put(folio);
	KUNIT_EXPECT_EQ(test, fx->page[1].frees, 1);
}

/**
 * struct tinv_trunc_case - A file and a byte range to truncate.
 * @name: What the row shows.
 * @layout: The file, as in &struct tinv_case.
 * @lstart: First byte of the range.
 * @lend: Last byte of the range, or -1 for the end of the file.
 *
 * Every byte in the range reads zeros or is no longer cached, and every
 * other byte keeps its data.  A folio wholly in the range goes, dirty or
 * not, once its writeback has ended; a page that the range covers in part
 * stays, with its dirty bit.  Whether a large folio that the range covers
 * in part is split, dropped or kept whole is the page cache's choice: its
 * pages outside the range may go only if it is clean, and what stays of it
 * reads as above and keeps its dirty bit.
 */
struct tinv_trunc_case {
	const char *name;
	const char *layout;
	loff_t lstart;
	loff_t lend;
};

#define TINV_POS(n)	((loff_t)(n) * PAGE_SIZE)

static const struct tinv_trunc_case trunc_cases[] = {
	{ "folios wholly in the range go, dirty or not", "cdcdcd",
	  .lstart = TINV_POS(1), .lend = TINV_POS(4) - 1 },
	{ "writeback is waited for", "cwc", .lstart = 0, .lend = -1 },
	{ "partial pages at both ends are zeroed in the range", "ccc",
	  .lstart = 100, .lend = TINV_POS(2) + 299 },
	{ "dirty partial pages stay dirty", "ddd", .lstart = 100,
	  .lend = TINV_POS(2) + 299 },
	{ "the last byte is inclusive", "ccc", .lstart = TINV_POS(1),
	  .lend = TINV_POS(2) },
	{ "range inside one page", "ccc", .lstart = TINV_POS(1) + 100,
	  .lend = TINV_POS(1) + 199 },
	{ "-1 is the end of the file", "cc.dc", .lstart = TINV_POS(1) + 8,
	  .lend = -1 },
	{ "large folio across the start is zeroed in the range", "<cccc>cccc",
	  .lstart = TINV_POS(1) + 100, .lend = -1 },
	{ "dirty large folio across the end is zeroed in the range",
	  "cccc<dddd>", .lstart = 0, .lend = TINV_POS(5) + 99 },
	{ "dirty large folio that cannot be split keeps its data", "<hhhh>",
	  .lstart = TINV_POS(1) + 100, .lend = -1 },
	{ "range inside one large folio", "<cccc>",
	  .lstart = TINV_POS(1) + 100, .lend = TINV_POS(2) + 99 },
	{ "range inside one dirty large folio that cannot be split", "<hhhh>",
	  .lstart = TINV_POS(1) + 100, .lend = TINV_POS(2) + 99 },
};

KUNIT_ARRAY_PARAM_DESC(trunc, trunc_cases, name);

/*
 * Whether page @i of @folio holds generation @gen of page @index, with
 * zeros in [@zfrom, @zto); @buf is a page of scratch space.
 */
static bool tinv_page_is(struct folio *folio, long i, pgoff_t index, u32 gen,
			 size_t zfrom, size_t zto, u32 *buf)
{
	void *addr = kmap_local_folio(folio, i * PAGE_SIZE);
	bool same;

	tinv_fill_page(buf, index, gen);
	memset((char *)buf + zfrom, 0, zto - zfrom);
	same = !memcmp(addr, buf, PAGE_SIZE);
	kunmap_local(addr);
	return same;
}

/*
 * Check what truncation left of the folio of 2^@order pages at @index,
 * whatever shape the page cache gave what stays of it.
 */
static void tinv_check_truncated(struct kunit *test, struct tinv_fixture *fx,
				 const struct tinv_trunc_case *tc,
				 pgoff_t index, unsigned int order, u32 *buf)
{
	loff_t lend = tc->lend < 0 ? LLONG_MAX : tc->lend;
	char state = fx->page[index].state;
	bool dirty = tinv_dirty(state);
	pgoff_t last = index + (1UL << order) - 1;
	bool inside = TINV_POS(index) >= tc->lstart &&
		      TINV_POS(last + 1) - 1 <= lend;
	pgoff_t i;

	KUNIT_EXPECT_EQ_MSG(test, fx->page[index].launders, 0,
			    "index %lu: ->launder_folio calls", index);
	for (i = index; i <= last; i++) {
		struct folio *folio = filemap_get_folio(fx->mapping, i);
		struct tinv_page *p = &fx->page[i];
		loff_t start = TINV_POS(i);
		loff_t from = max(tc->lstart, start);
		loff_t to = min_t(loff_t, lend, start + PAGE_SIZE - 1) + 1;
		bool covered;

		if (from >= to) {
			from = start;
			to = start;
		}
		covered = from == start && to == start + PAGE_SIZE;
		if (IS_ERR(folio)) {
			KUNIT_EXPECT_TRUE_MSG(test, covered || (order && !dirty),
					      "index %lu: removed", i);
			continue;
		}
		KUNIT_EXPECT_FALSE_MSG(test, inside, "index %lu: not removed", i);
		KUNIT_EXPECT_TRUE_MSG(test,
				      tinv_page_is(folio, i - folio->index, i,
						   p->gen, from - start,
						   to - start, buf),
				      "index %lu: not zeroed in [%lld, %lld) and unchanged elsewhere",
				      i, from - start, to - start);
		KUNIT_EXPECT_EQ_MSG(test, folio_test_dirty(folio), dirty,
				    "index %lu: dirty bit changed", i);
		folio_put(folio);
	}
}

static void truncate_inode_pages_range_zeroes_and_removes(struct kunit *test)
{
	const struct tinv_trunc_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	unsigned int order[TINV_PAGES] = {};
	char state[TINV_PAGES] = {};
	pgoff_t index;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* Truncation waits for the lock: a locked folio would hang it. */
	tinv_reject_states(test, tc->layout, "l");
	tinv_build(test, fx, tc->layout, state, order);
	/*
	 * A reference in an LRU batch would make a split fail: large folios
	 * do not wait there today, but may one day.
	 */
	tinv_drain_lru();
	if (fx->wb_folio)
		schedule_delayed_work(&fx->wb_work, 1);
	truncate_inode_pages_range(fx->mapping, tc->lstart, tc->lend);
	WRITE_ONCE(fx->returned, true);
	flush_delayed_work(&fx->wb_work);

	KUNIT_EXPECT_FALSE_MSG(test, fx->wb_ended_late,
			       "returned before the writeback ended");
	for (index = 0; index < TINV_PAGES; index++)
		if (state[index])
			tinv_check_truncated(test, fx, tc, index, order[index],
					     buf);
}

/* Truncation unmaps the folios it removes from user space. */
static void truncate_inode_pages_range_unmaps(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	unsigned long addr = tinv_mmap(test, fx, MAP_SHARED);
	struct folio *folio[TINV_MAP_PAGES];
	pgoff_t index;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;

		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		folio[index] = filemap_get_folio(fx->mapping, index);
		KUNIT_ASSERT_FALSE(test, IS_ERR(folio[index]));
		tinv_defer(test, tinv_folio_put, folio[index]);
		KUNIT_EXPECT_TRUE(test, folio_mapped(folio[index]));
	}

	truncate_inode_pages_range(fx->mapping, TINV_POS(1), TINV_POS(3) - 1);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		bool in = index == 1 || index == 2;

		KUNIT_EXPECT_EQ_MSG(test, folio_mapped(folio[index]), !in,
				    "index %lu: %s", index,
				    in ? "still mapped" : "unmapped");
		KUNIT_EXPECT_EQ_MSG(test, folio[index]->mapping == fx->mapping,
				    !in, "index %lu: %s", index,
				    in ? "still cached" : "removed");
	}
}

/*
 * Truncation discards a process's private copies past the new EOF, as it
 * must: an access there faults.  Below it, they stay.
 */
static void truncate_pagecache_discards_private_copies(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	struct inode *inode = fx->mapping->host;
	pgoff_t eof = TINV_MAP_PAGES / 2;
	unsigned long addr;
	pgoff_t index;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	addr = tinv_map_private_copies(test, fx, buf);

	/* Under the lock that serializes truncates and writes, as required. */
	inode_lock(inode);
	truncate_setsize(inode, TINV_POS(eof));
	inode_unlock(inode);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		struct folio *folio = filemap_get_folio(fx->mapping, index);
		unsigned long left = copy_from_user(buf, uaddr, PAGE_SIZE);

		if (!IS_ERR(folio))
			folio_put(folio);
		if (index >= eof) {
			KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(folio),
					      "index %lu: cached past EOF", index);
			KUNIT_EXPECT_NE_MSG(test, left, 0,
					    "index %lu: %s past EOF", index,
					    index % 2 ? "private copy kept" :
					    "page still mapped");
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, left, 0, "index %lu: fault", index);
		KUNIT_EXPECT_EQ_MSG(test, tinv_page_gen(buf, index),
				    index % 2 ? 2 : 1, "index %lu: %s", index,
				    index % 2 ? "private copy lost" :
				    "data changed");
	}
}

/*
 * A hole punch removes the page cache in the hole but leaves a process's
 * private copies there alone, unlike truncation.
 */
static void truncate_pagecache_range_keeps_private_copies(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	unsigned long addr;
	pgoff_t index;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	addr = tinv_map_private_copies(test, fx, buf);

	/*
	 * The hole is index 1 (a private copy) and index 2 (shared).  The
	 * backing store of index 2 changes: the mapping reads the new data
	 * only if the hole punch unmapped the page cache's old copy.
	 */
	fx->page[2].stored = 3;
	truncate_pagecache_range(fx->mapping->host, TINV_POS(1),
				 TINV_POS(3) - 1);

	for (index = 1; index <= 2; index++) {
		struct folio *folio = filemap_get_folio(fx->mapping, index);

		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(folio),
				      "index %lu: cached in the hole", index);
		if (!IS_ERR(folio))
			folio_put(folio);
	}
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		u32 want = index == 2 ? 3 : index % 2 ? 2 : 1;

		KUNIT_ASSERT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ_MSG(test, tinv_page_gen(buf, index), want,
				    "index %lu: %s", index,
				    index == 2 ? "stale data still mapped" :
				    index % 2 ? "private copy discarded" :
				    "data changed");
	}
}

#define TINV_OLD_EOF	1000	/* inside page 0, not on a 512-byte block */

/*
 * Give the file 512-byte blocks and an EOF inside page 0, as a filesystem
 * with blocks smaller than a page has.
 */
static void tinv_small_blocks(struct tinv_fixture *fx)
{
	struct inode *inode = fx->mapping->host;

	inode->i_blkbits = 9;
	inode_lock(inode);
	i_size_write(inode, TINV_OLD_EOF);
	inode_unlock(inode);
}

/*
 * Grow i_size from @from to @to as a filesystem does: under i_rwsem, which
 * pagecache_isize_extended() requires, and after i_size is written.
 */
static void tinv_extend(struct inode *inode, loff_t from, loff_t to)
{
	inode_lock(inode);
	i_size_write(inode, to);
	pagecache_isize_extended(inode, from, to);
	inode_unlock(inode);
}

/*
 * Extending i_size exposes what a dirty folio holds past the old EOF (data
 * written through a mapping, which writeback would have zeroed): the
 * folio reads zeros there from now on, and keeps its data below.
 */
static void isize_extended_zeroes_past_old_eof(struct kunit *test)
{
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	struct inode *inode = fx->mapping->host;
	unsigned int order[TINV_PAGES] = {};
	char state[TINV_PAGES] = {};
	struct folio *folio;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	tinv_small_blocks(fx);
	tinv_build(test, fx, "d", state, order);

	tinv_extend(inode, TINV_OLD_EOF, TINV_POS(2));

	folio = filemap_get_folio(fx->mapping, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(folio));
	KUNIT_EXPECT_TRUE_MSG(test, tinv_page_is(folio, 0, 0, fx->page[0].gen,
						 TINV_OLD_EOF, PAGE_SIZE, buf),
			      "not zeroed past the old EOF, or changed below it");
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
	folio_put(folio);
}

/**
 * struct tinv_isize_case - An extension of i_size over 512-byte blocks.
 * @name: What the row shows.
 * @from: The old i_size, inside page 0.
 * @to: The new i_size, past the block that holds @from.
 */
struct tinv_isize_case {
	const char *name;
	loff_t from;
	loff_t to;
};

static const struct tinv_isize_case isize_cases[] = {
	{ "to a later page", TINV_OLD_EOF, TINV_POS(2) },
	{ "within the EOF page", TINV_OLD_EOF, 3000 },
	{ "from a block boundary", 1024, TINV_POS(2) },
};

KUNIT_ARRAY_PARAM_DESC(isize, isize_cases, name);

/*
 * The folio across the old EOF is write-protected, so that the filesystem
 * hears of the next write through a mapping (->page_mkwrite) and can
 * allocate the blocks that are now inside i_size.  When the extension
 * creates no block in that folio, the function returns early: the
 * kerneldoc does not promise it, and no row depends on it.
 */
static void isize_extended_write_protects_eof_folio(struct kunit *test)
{
	const struct tinv_isize_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, true);
	struct inode *inode = fx->mapping->host;
	unsigned long addr;
	u32 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	inode->i_blkbits = 9;
	inode_lock(inode);
	i_size_write(inode, tc->from);
	inode_unlock(inode);
	addr = tinv_mmap(test, fx, MAP_SHARED);

	/* The first write faults; the second one finds the page writable. */
	tinv_fill_page(buf, 0, 2);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, buf,
					   tc->from), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, buf,
					   tc->from), 0);
	KUNIT_ASSERT_EQ(test, fx->mkwrites, 1);

	tinv_extend(inode, tc->from, tc->to);

	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, buf,
					   tc->from), 0);
	KUNIT_EXPECT_EQ_MSG(test, fx->mkwrites, 2,
			    "a write after the extension did not fault");
}

static struct kunit_case truncate_cases[] = {
	KUNIT_CASE_PARAM(invalidate2_dirty_folio_laundered_or_kept, dirty_gen_params),
	KUNIT_CASE_PARAM(invalidate2_failure_does_not_stop_walk, walk_gen_params),
	KUNIT_CASE_PARAM(invalidate2_failure_is_reported, result_gen_params),
	KUNIT_CASE_PARAM(invalidate2_launder_error_outranks_busy, precedence_gen_params),
	KUNIT_CASE_PARAM(invalidate2_only_range_is_invalidated, range_gen_params),
	KUNIT_CASE_PARAM(invalidate2_large_folio_handled_whole, large_gen_params),
	KUNIT_CASE_PARAM(invalidate2_ignores_refcount, refcount_gen_params),
	KUNIT_CASE_PARAM(invalidate2_mapped_data_survives, map_gen_params),
	KUNIT_CASE(invalidate2_private_copy_kept),
	KUNIT_CASE_PARAM(invalidate_mapping_pages_removes_only_unused,
			 evict_gen_params),
	KUNIT_CASE(invalidate_mapping_pages_keeps_mapped),
	KUNIT_CASE(invalidate_mapping_pages_contrast_invalidate2),
	KUNIT_CASE_PARAM(truncate_inode_pages_range_zeroes_and_removes, trunc_gen_params),
	KUNIT_CASE(truncate_inode_pages_range_unmaps),
	KUNIT_CASE(truncate_pagecache_discards_private_copies),
	KUNIT_CASE(truncate_pagecache_range_keeps_private_copies),
	KUNIT_CASE(isize_extended_zeroes_past_old_eof),
	KUNIT_CASE_PARAM(isize_extended_write_protects_eof_folio,
			 isize_gen_params),
	{}
};

static struct kunit_suite truncate_suite = {
	.name = "truncate",
	.test_cases = truncate_cases,
};

kunit_test_suites(&truncate_suite);

MODULE_DESCRIPTION("KUnit tests for mm/truncate.c");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
