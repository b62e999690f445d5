// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for invalidate_inode_pages2_range().
 *
 * The contract under test, as its kerneldoc states it: dirty data is never
 * discarded (a dirty folio is passed to ->launder_folio once and removed only
 * if it is clean afterwards), a folio that cannot be removed stays in the
 * page cache, the walk goes on past it, and the call returns 0, the first
 * error from ->launder_folio, or -EBUSY.
 *
 * Each case builds a file on a private pseudo filesystem whose
 * ->launder_folio and ->release_folio do, folio by folio, what the case asks.
 * Every page holds a pattern made of its index and a generation number, so
 * that a case can tell whether the data of a page is still cached, reached
 * the backing store, or was lost.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/writeback.h>

/*
 * 6.1 compatibility: what the mainline version of this file uses and 6.1
 * lacks.  KUnit actions are built on KUnit resources, which are released in
 * reverse order too.  KUNIT_FAIL_AND_ABORT() is 6.1's KUNIT_ASSERT_FAILURE().
 */
#ifndef KUNIT_DEFINE_ACTION_WRAPPER
typedef void (kunit_action_t)(void *);

#define KUNIT_DEFINE_ACTION_WRAPPER(wrapper, orig, arg_type)	\
	static void wrapper(void *in)				\
	{							\
		orig((arg_type)in);				\
	}
#endif
#ifndef KUNIT_FAIL_AND_ABORT
#define KUNIT_FAIL_AND_ABORT KUNIT_ASSERT_FAILURE
#endif

struct tinv_action {
	kunit_action_t *action;
	void *arg;
};

static int tinv_action_init(struct kunit_resource *res, void *context)
{
	res->data = kmemdup(context, sizeof(struct tinv_action), GFP_KERNEL);
	return res->data ? 0 : -ENOMEM;
}

static void tinv_action_free(struct kunit_resource *res)
{
	struct tinv_action *a = res->data;

	a->action(a->arg);
	kfree(a);
}

static int tinv_add_action_or_reset(struct kunit *test,
				    kunit_action_t *action, void *arg)
{
	struct tinv_action a = { .action = action, .arg = arg };

	if (kunit_alloc_resource(test, tinv_action_init, tinv_action_free,
				 GFP_KERNEL, &a))
		return 0;
	action(arg);
	return -ENOMEM;
}

/*
 * kunit_vm_mmap() as an explicit pair: after a failed assertion, 6.1 runs the
 * cleanup in another thread, which cannot unmap from this kthread's mm, and
 * the kthread's exit tears the mm down only later.  So a case asserts nothing
 * between tinv_vm_mmap() and tinv_vm_munmap(), and no mapping outlives the
 * file.  6.1 does not export mm_alloc(): a module skips the case.
 */
static unsigned long tinv_vm_mmap(struct kunit *test, struct file *file,
				  unsigned long addr, unsigned long len,
				  unsigned long prot, unsigned long flag,
				  unsigned long offset)
{
	struct mm_struct *mm;

	if (IS_MODULE(CONFIG_TRUNCATE_KUNIT_TEST))
		kunit_skip(test, "mm_alloc() is not exported in 6.1: build the test in (=y)");
	mm = mm_alloc();
	if (!mm)
		return 0;
	mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(mm);
	addr = vm_mmap(file, addr, len, prot, flag, offset);
	if (IS_ERR_VALUE(addr)) {
		kthread_unuse_mm(mm);
		mmput(mm);
	}
	return addr;
}

static void tinv_vm_munmap(unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = current->mm;

	vm_munmap(addr, len);
	kthread_unuse_mm(mm);
	mmput(mm);
}

#define TINV_MAGIC		0x74696e76	/* "tinv" */
#define TINV_PAGES		64		/* the file's size, in pages */
#define TINV_BAD_GEN		U32_MAX		/* the page holds no pattern */
#define TINV_WB_DELAY_MS	20

/**
 * struct tinv_page - What a page holds and how its folio behaves.
 * @state: The letter of its folio in the case's layout (see struct
 *	tinv_case), or 0.
 * @gen: The generation last written to the page in the page cache.
 * @stored: The generation the backing store holds for the page.
 * @launders: ->launder_folio calls on the folio that starts here.
 */
struct tinv_page {
	char state;
	u32 gen;
	u32 stored;
	int launders;
};

/**
 * struct tinv_fixture - A file whose page cache a case invalidates.
 * @mapping: The file's address_space.
 * @file: An open file, for mmap().
 * @page: &struct tinv_page by page index.
 * @wb_work: Ends the writeback of @wb_folio.
 * @wb_folio: A folio under writeback, with a reference, or NULL.
 * @returned: The invalidation under test has returned.
 * @wb_ended_late: The writeback ended after the invalidation returned.
 */
struct tinv_fixture {
	struct address_space *mapping;
	struct file *file;
	struct tinv_page page[TINV_PAGES];
	struct delayed_work wb_work;
	struct folio *wb_folio;
	bool returned;
	bool wb_ended_late;
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
	return state && strchr("dkeny", state);
}

static struct tinv_fixture *tinv_fx(struct folio *folio)
{
	return folio->mapping->host->i_private;
}

static int tinv_read_folio(struct file *file, struct folio *folio)
{
	tinv_fill_folio(tinv_fx(folio), folio, true);
	folio_mark_uptodate(folio);
	folio_unlock(folio);
	return 0;
}

static int tinv_launder_folio(struct folio *folio)
{
	struct tinv_fixture *fx = tinv_fx(folio);
	struct tinv_page *p = &fx->page[folio->index];
	long i;

	p->launders++;
	switch (p->state) {
	case 'e':
		return -EIO;
	case 'n':
		return -ENOSPC;
	case 'y':
		return -EBUSY;
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
	if (tinv_fx(folio)->page[folio->index].state == 'b')
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

static const struct address_space_operations tinv_aops = {
	.dirty_folio		= filemap_dirty_folio,
	.read_folio		= tinv_read_folio,
	.launder_folio		= tinv_launder_folio,
	.release_folio		= tinv_release_folio,
	.invalidate_folio	= tinv_invalidate_folio,
};

static const struct address_space_operations tinv_aops_no_launder = {
	.dirty_folio		= filemap_dirty_folio,
	.read_folio		= tinv_read_folio,
	.release_folio		= tinv_release_folio,
	.invalidate_folio	= tinv_invalidate_folio,
};

static const struct file_operations tinv_fops = {
	.mmap		= generic_file_mmap,
};

static int tinv_init_fs_context(struct fs_context *fc)
{
	if (!init_pseudo(fc, TINV_MAGIC))
		return -ENOMEM;
	fc->s_iflags |= SB_I_NOEXEC | SB_I_NODEV;
	return 0;
}

static struct file_system_type tinv_fs_type = {
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

static void tinv_writeback_work(struct work_struct *work)
{
	tinv_end_writeback(container_of(to_delayed_work(work),
					struct tinv_fixture, wb_work));
}

static void tinv_writeback_release(struct tinv_fixture *fx)
{
	cancel_delayed_work_sync(&fx->wb_work);
	if (fx->wb_folio)
		tinv_end_writeback(fx);
}

KUNIT_DEFINE_ACTION_WRAPPER(tinv_kern_unmount, kern_unmount,
			    struct vfsmount *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_iput, iput, struct inode *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_fput, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(tinv_writeback_release_action,
			    tinv_writeback_release, struct tinv_fixture *);

static void tinv_defer(struct kunit *test, kunit_action_t *action, void *arg)
{
	KUNIT_ASSERT_EQ(test, tinv_add_action_or_reset(test, action, arg), 0);
}

/**
 * tinv_fixture_create() - Create an empty file for a case.
 * @test: The test context.
 * @launder: Give the file's mapping a ->launder_folio operation.
 *
 * Mounts a private instance of the test's pseudo filesystem and creates a
 * regular file of %TINV_PAGES pages on it, with nothing cached, and an open
 * file for mmap().  Everything is released by KUnit actions.
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
	INIT_DELAYED_WORK(&fx->wb_work, tinv_writeback_work);

	mnt = kern_mount(&tinv_fs_type);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mnt);
	tinv_defer(test, tinv_kern_unmount, mnt);

	inode = new_inode(mnt->mnt_sb);
	KUNIT_ASSERT_NOT_NULL(test, inode);
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	inode->i_private = fx;
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
	tinv_defer(test, tinv_writeback_release_action, fx);
	return fx;
}

/*
 * Cache a folio of 2^@order pages at @index in the state of letter @state,
 * holding generation 1; the backing store holds generation 1 for a clean
 * folio, 0 for a dirty one.
 */
static void tinv_add_folio(struct kunit *test, struct tinv_fixture *fx,
			   pgoff_t index, unsigned int order, char state)
{
	bool dirty = tinv_dirty(state);
	struct folio *folio;
	long i;

	KUNIT_ASSERT_TRUE_MSG(test, state && strchr("cdkenybw", state),
			      "unknown state '%c' at %lu", state, index);
	for (i = 0; i < 1L << order; i++)
		fx->page[index + i] = (struct tinv_page) {
			.state = state, .gen = 1, .stored = dirty ? 0 : 1,
		};

	folio = filemap_alloc_folio(mapping_gfp_mask(fx->mapping), order);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	if (filemap_add_folio(fx->mapping, folio, index,
			      mapping_gfp_mask(fx->mapping))) {
		folio_put(folio);
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
	folio_unlock(folio);
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
 *	'e', 'n', 'y' a dirty folio, for which ->launder_folio fails with
 *	-EIO, -ENOSPC or -EBUSY,
 *	'b' a clean folio with private data that ->release_folio keeps,
 *	'w' a clean folio under writeback, which ends a little later;
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
 * clean ('d' without ->launder_folio, 'k', 'e', 'n', 'y') or released ('b')
 * stays, with its data.  No data is ever lost.
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

static void tinv_case_desc(const struct tinv_case *tc, char *desc)
{
	strscpy(desc, tc->name, KUNIT_PARAM_DESC_SIZE);
}

static bool tinv_in_range(const struct tinv_case *tc, pgoff_t index)
{
	return tc->whole || (index >= tc->start && index <= tc->end);
}

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
	pgoff_t i;

	KUNIT_EXPECT_EQ_MSG(test, fx->page[index].launders,
			    reached && dirty && !tc->no_launder ? 1 : 0,
			    "index %lu: ->launder_folio calls", index);

	for (i = index; i <= last; i++) {
		struct folio *folio = filemap_get_folio(fx->mapping, i);
		struct tinv_page *p = &fx->page[i];
		bool stays = !reached || (fails && tinv_in_range(tc, i));
		bool goes = reached && !fails && tinv_in_range(tc, i);

		if (!folio) {
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

/*
 * Build the file a row describes, invalidate its range, and check the
 * return value and every folio.
 */
static void tinv_run(struct kunit *test)
{
	const struct tinv_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, !tc->no_launder);
	unsigned int order[TINV_PAGES] = {};
	bool starts[TINV_PAGES] = {};
	const char *s = tc->layout;
	pgoff_t index = 0;
	int ret;

	while (*s) {
		unsigned int len = 1;
		char state = *s;

		if (*s == '<') {
			len = strcspn(s + 1, ">");
			state = s[1];
			KUNIT_ASSERT_TRUE_MSG(test, s[len + 1] == '>' &&
					      is_power_of_2(len) &&
					      index % len == 0,
					      "bad large folio at %lu", index);
			if (!mapping_large_folio_support(fx->mapping))
				kunit_skip(test, "no large folios in this page cache");
			s += 2;
		}
		KUNIT_ASSERT_LE(test, index + len, TINV_PAGES);
		if (state != '.') {
			starts[index] = true;
			order[index] = ilog2(len);
			tinv_add_folio(test, fx, index, order[index], state);
		}
		s += len;
		index += len;
	}

	if (fx->wb_folio)
		schedule_delayed_work(&fx->wb_work,
				      msecs_to_jiffies(TINV_WB_DELAY_MS));
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
		if (starts[index])
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
	{ "-EBUSY from ->launder_folio, then launder error", "cycec", TINV_ALL,
	  .ret = -EIO },
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

KUNIT_ARRAY_PARAM(dirty, dirty_cases, tinv_case_desc);
KUNIT_ARRAY_PARAM(walk, walk_cases, tinv_case_desc);
KUNIT_ARRAY_PARAM(result, result_cases, tinv_case_desc);
KUNIT_ARRAY_PARAM(precedence, precedence_cases, tinv_case_desc);
KUNIT_ARRAY_PARAM(range, range_cases, tinv_case_desc);
KUNIT_ARRAY_PARAM(large, large_cases, tinv_case_desc);

static void dirty_folio_laundered_or_kept(struct kunit *test)
{
	tinv_run(test);
}

static void failure_does_not_stop_walk(struct kunit *test)
{
	tinv_run(test);
}

static void failure_is_reported(struct kunit *test)
{
	tinv_run(test);
}

static void launder_error_outranks_busy(struct kunit *test)
{
	tinv_run(test);
}

static void only_range_is_invalidated(struct kunit *test)
{
	tinv_run(test);
}

static void large_folio_handled_whole(struct kunit *test)
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

static void tinv_map_case_desc(const struct tinv_map_case *tc, char *desc)
{
	strscpy(desc, tc->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(map, map_cases, tinv_map_case_desc);

/*
 * Data written through a shared mapping survives the invalidation, is read
 * back through the mapping afterwards, and a write after it reaches the page
 * cache: what NFS users lost in 2006.
 */
static void mapped_data_survives(struct kunit *test)
{
	const struct tinv_map_case *tc = test->param_value;
	struct tinv_fixture *fx = tinv_fixture_create(test, !tc->no_launder);
	unsigned long addr;
	pgoff_t index;
	u32 *buf;
	int ret;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	addr = tinv_vm_mmap(test, fx->file, 0, TINV_MAP_PAGES * PAGE_SIZE,
			    PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr) || !addr,
			       "vm_mmap() returned %ld", (long)addr);
	/* From here on until tinv_vm_munmap(), expect but never assert. */

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		struct folio *folio;

		if (tc->write) {
			tinv_fill_page(buf, index, 2);
			KUNIT_EXPECT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
			fx->page[index].gen = 2;
		} else {
			KUNIT_EXPECT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		}
		folio = filemap_get_folio(fx->mapping, index);
		KUNIT_EXPECT_NOT_NULL(test, folio);
		if (!folio)
			continue;
		KUNIT_EXPECT_TRUE(test, folio_mapped(folio));
		folio_put(folio);
	}

	ret = invalidate_inode_pages2_range(fx->mapping, 0, TINV_MAP_PAGES - 1);
	KUNIT_EXPECT_EQ(test, ret, tc->ret);

	for (index = 0; index < TINV_MAP_PAGES; index++) {
		struct folio *folio = filemap_get_folio(fx->mapping, index);

		if (folio) {
			KUNIT_EXPECT_FALSE_MSG(test, folio_mapped(folio),
					       "index %lu: still mapped", index);
			folio_put(folio);
		}
		KUNIT_EXPECT_EQ_MSG(test, !folio, tc->ret == 0,
				    "index %lu: %s", index,
				    tc->ret ? "removed" : "not removed");
	}

	/* Faults from here on map the neighbours too (fault-around). */
	for (index = 0; index < TINV_MAP_PAGES; index++) {
		void __user *uaddr = (void __user *)addr + index * PAGE_SIZE;
		struct tinv_page *p = &fx->page[index];
		struct folio *folio;

		KUNIT_EXPECT_EQ(test, copy_from_user(buf, uaddr, PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ_MSG(test, tinv_page_gen(buf, index), p->gen,
				    "index %lu: read back through the mapping",
				    index);

		tinv_fill_page(buf, index, 3);
		KUNIT_EXPECT_EQ(test, copy_to_user(uaddr, buf, PAGE_SIZE), 0);
		folio = filemap_get_folio(fx->mapping, index);
		KUNIT_EXPECT_NOT_NULL_MSG(test, folio,
					  "index %lu: write after it not cached",
					  index);
		if (!folio)
			continue;
		KUNIT_EXPECT_EQ_MSG(test,
				    tinv_folio_gen(folio, index - folio->index), 3,
				    "index %lu: write after it lost", index);
		KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
		folio_put(folio);
	}
	tinv_vm_munmap(addr, TINV_MAP_PAGES * PAGE_SIZE);
}

static struct kunit_case truncate_invalidate_cases[] = {
	KUNIT_CASE_PARAM(dirty_folio_laundered_or_kept, dirty_gen_params),
	KUNIT_CASE_PARAM(failure_does_not_stop_walk, walk_gen_params),
	KUNIT_CASE_PARAM(failure_is_reported, result_gen_params),
	KUNIT_CASE_PARAM(launder_error_outranks_busy, precedence_gen_params),
	KUNIT_CASE_PARAM(only_range_is_invalidated, range_gen_params),
	KUNIT_CASE_PARAM(large_folio_handled_whole, large_gen_params),
	KUNIT_CASE_PARAM(mapped_data_survives, map_gen_params),
	{}
};

static struct kunit_suite truncate_invalidate_suite = {
	.name = "truncate_invalidate",
	.test_cases = truncate_invalidate_cases,
};

kunit_test_suites(&truncate_invalidate_suite);

MODULE_DESCRIPTION("KUnit tests for invalidate_inode_pages2_range()");
MODULE_LICENSE("GPL");
