// SPDX-License-Identifier: GPL-2.0
/*
 * What users see of invalidate_inode_pages2_range(): no write is lost and
 * no stale data is read when writers through a shared mapping, through
 * write(2) and through O_DIRECT race on one file, or when an NFS client
 * revalidates its cache while a writer keeps dirtying a shared mapping.
 *
 * In 2006 NFS users lost data written through mmap when the client
 * invalidated its cache: invalidate_inode_pages2() dropped dirty pages.
 * O_DIRECT writers racing buffered or mapped writers saw stale data.
 *
 * Each scenario runs rounds of concurrent writers on a file of a few
 * stripes, each stripe owned by one writer or shared by all of them.
 * Every write stamps its bytes with a pattern derived from a unique stamp
 * and the file offset, which is never zero.  An in-memory model follows
 * the file: a writer's own stripes exactly, byte by byte; a shared stripe,
 * which writers only write in whole pages, by page: after a round each
 * byte of a page must hold what the last write to the page of one of the
 * writers put there (stores through a mapping are not atomic, so racing
 * writes may each leave some bytes, but an older write must not show).
 * After each round the file is synced and read back, first as stored
 * (O_DIRECT, or the exported file on the NFS server) and then through the
 * page cache (read(2) and every mapping that stayed in place).
 *
 *   lost:  bytes stored that differ from the model (a write that vanished,
 *          or an older one that came back);
 *   stale: bytes read through the page cache that differ from the model,
 *          and zero bytes seen by a reader during a round.
 *
 * Both must be 0.  Page cache coherency between mapped and O_DIRECT I/O
 * is only promised per page: writers never share a page with sub-page
 * writes.  Writeback goes by folio, and a folio dirtied through a mapping
 * may be written back whole: the NFS client does so, pages not written
 * included, over what others stored there.  Readahead makes large folios,
 * so the test turns it off (POSIX_FADV_RANDOM, MADV_RANDOM) to keep its
 * folios to a page, unless -L.
 *
 * Where an O_DIRECT write finds a page it cannot invalidate (the page was
 * dirtied again through the mapping), the kernel warns of a "Page cache
 * invalidation failure on direct I/O" and the next fsync() or msync()
 * fails with EIO: the test counts those and checks the data all the same.
 *
 * With -e EXPORT, DIR is an NFS mount of EXPORT, which this test writes
 * directly as the server's own user would; two more scenarios make the
 * client invalidate its cache under a writer that writes through a shared
 * mapping: by file locks (the NFS coherency point) while the server side
 * writes other pages, and by attribute changes on the server seen by a
 * forced GETATTR and acted on by mmap(2).  While the client has the file
 * open for writing, a changed change attribute alone does not invalidate
 * its cache (it could be the client's own write coming back).
 *
 * Usage: invalidate_mmap_coherency [-t SECONDS] [-n ROUNDS] [-o OPS]
 *                                  [-s SEED] [-e EXPORT] [-L] [-r NAME] DIR
 *
 * It builds on its own as well, with -static for a minimal root file
 * system: it needs -I .. (for kselftest.h) and -lpthread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest.h"

#ifndef STATX_DIOALIGN
#define STATX_DIOALIGN		0x00002000U
#endif

/* Who writes: W_INIT stamps the initial content. */
enum writer {
	W_INIT,
	W_MMAP,
	W_DIO,
	W_BUF,
	W_SERVER,
	NR_WRITERS,
	SHARED = NR_WRITERS,	/* stripe owner: every writer, whole pages */
};

static const char * const writer_name[] = {
	"initial", "mmap", "dio", "buffered", "server",
};

enum helper {
	H_READER = 1 << 0,	/* reads through a read-only shared mapping */
	H_LOCKER = 1 << 1,	/* takes file locks: NFS coherency points */
	H_ATTRS = 1 << 2,	/* changes times and mode on the server */
	H_GETATTR = 1 << 3,	/* forced GETATTR, then mmap(2) revalidates */
};

struct scenario {
	const char *name;
	const unsigned char *layout;	/* owners of stripes, repeated */
	unsigned int nr_layout;
	unsigned int writers;		/* bitmask of enum writer */
	unsigned int helpers;		/* bitmask of enum helper */
	bool msync;			/* the mapped writer syncs each write */
	bool server;			/* needs -e EXPORT */
};

static const unsigned char layout_mmap_dio[] = { W_MMAP, W_DIO };
static const unsigned char layout_shared[] = { SHARED };
static const unsigned char layout_buf_dio[] = { W_BUF, W_DIO, SHARED };
static const unsigned char layout_mmap_server[] = { W_MMAP, W_SERVER };
static const unsigned char layout_mmap[] = { W_MMAP };

#define LAYOUT(l)	.layout = l, .nr_layout = sizeof(l)
#define BIT(w)		(1U << (w))

static const struct scenario scenarios[] = {
	{ "mmap_dio_disjoint_msync", LAYOUT(layout_mmap_dio),
	  BIT(W_MMAP) | BIT(W_DIO), 0, true, false },
	{ "mmap_dio_disjoint", LAYOUT(layout_mmap_dio),
	  BIT(W_MMAP) | BIT(W_DIO), 0, false, false },
	{ "mmap_dio_overlap_msync", LAYOUT(layout_shared),
	  BIT(W_MMAP) | BIT(W_DIO), 0, true, false },
	{ "mmap_dio_overlap", LAYOUT(layout_shared),
	  BIT(W_MMAP) | BIT(W_DIO), 0, false, false },
	{ "buffered_dio_mmap_reader", LAYOUT(layout_buf_dio),
	  BIT(W_BUF) | BIT(W_DIO), H_READER, false, false },
	{ "nfs_mmap_vs_server_write", LAYOUT(layout_mmap_server),
	  BIT(W_MMAP) | BIT(W_SERVER), H_LOCKER, false, true },
	{ "nfs_mmap_vs_server_attrs", LAYOUT(layout_mmap),
	  BIT(W_MMAP), H_ATTRS | H_GETATTR, false, true },
};

#define STRIPE_UNITS	2	/* pages in a stripe */
#define NR_STRIPES	24	/* stripes in the file */
#define NO_STAMP	0xffffffffU
#define MAX_DETAILS	8

/* Options */
static const char *dir, *export, *only;
static bool large_folios;
static unsigned int seconds = 10, max_rounds = 1000, ops = 32;
static unsigned long seed;

/* The scenario running */
static const struct scenario *sc;
static size_t unit, align, size, stripe;
static unsigned int nr_units;
static char path[PATH_MAX], spath[PATH_MAX];
static int fd, fd_dio, fd_lock = -1, fd_srv = -1;
static unsigned char *map, *rmap, *model;
static unsigned int *last[NR_WRITERS];
static atomic_uint seq;
static atomic_bool stop;
static atomic_ulong writes[NR_WRITERS], zeros, revalidations, wb_eio;
static double deadline;
static unsigned long lost, stale;
static unsigned int details;
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static char err[256];

struct worker {
	pthread_t thread;
	unsigned int kind;		/* enum writer, or enum helper */
	unsigned long long rng;
	unsigned char *buf;		/* aligned for O_DIRECT */
	unsigned int *stripes;		/* stripes this writer may write */
	unsigned int nr_stripes;
	double slowest;			/* longest write or helper call, s */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Record the first failure of a thread and stop the round. */
static void fail(const char *what, int error)
{
	pthread_mutex_lock(&err_lock);
	if (!err[0])
		snprintf(err, sizeof(err), "%s: %s", what, strerror(error));
	pthread_mutex_unlock(&err_lock);
	atomic_store(&stop, true);
}

/* Note how long the call that began at @start took. */
static void took(struct worker *w, double start)
{
	double t = now() - start;

	if (t > w->slowest)
		w->slowest = t;
}

static unsigned long long mix64(unsigned long long x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static unsigned long rnd(struct worker *w, unsigned long n)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (w->rng * 0x2545f4914f6cdd1dULL >> 11) % n;
}

/* What a write stamped @stamp puts at [@off, @off + @len): never zero. */
static void pattern(unsigned char *buf, size_t off, size_t len,
		    unsigned int stamp)
{
	size_t i = 0;

	while (i < len) {
		unsigned long long word = mix64(stamp ^ mix64((off + i) >> 3)) |
					  0x0101010101010101ULL;
		unsigned int b;

		for (b = (off + i) & 7; b < 8 && i < len; b++, i++)
			buf[i] = word >> (8 * b);
	}
}

static unsigned int new_stamp(unsigned int kind)
{
	return kind << 24 | (atomic_fetch_add(&seq, 1) & 0xffffff);
}

static unsigned int owner_of(unsigned int u)
{
	return sc->layout[(u / STRIPE_UNITS) % sc->nr_layout];
}

/* Write [off, off + len) the way @w->kind writes: 0 or -1 on error. */
static int do_write(struct worker *w, size_t off, size_t len)
{
	ssize_t ret;
	int wfd;

	switch (w->kind) {
	case W_MMAP:
		memcpy(map + off, w->buf, len);
		/* on NFS, sync one write in eight: mixed clean and dirty pages */
		if (sc->msync || (sc->server && !rnd(w, 8))) {
			size_t start = off & ~(unit - 1);

			if (msync(map + start, off + len - start, MS_SYNC)) {
				if (errno != EIO)
					return -1;
				atomic_fetch_add(&wb_eio, 1);
			}
		}
		return 0;
	case W_DIO:
		wfd = fd_dio;
		break;
	case W_SERVER:
		wfd = fd_srv;
		break;
	default:
		wfd = fd;
		break;
	}
	ret = pwrite(wfd, w->buf, len, off);
	if (ret == (ssize_t)len)
		return 0;
	if (ret >= 0)
		errno = EIO;	/* a short write: the model cannot follow */
	return -1;
}

static void *writer(void *arg)
{
	struct worker *w = arg;
	unsigned int i;

	for (i = 0; i < ops && !atomic_load(&stop); i++) {
		unsigned int s = w->stripes[rnd(w, w->nr_stripes)];
		size_t start = (size_t)s * stripe, off, len;
		unsigned int stamp = new_stamp(w->kind);
		bool shared = owner_of(s * STRIPE_UNITS) == SHARED;
		double t = now();

		if (t > deadline)
			break;
		if (shared) {
			/* whole pages, as mapped and direct I/O only agree per page */
			unsigned int first = rnd(w, STRIPE_UNITS);

			off = start + first * unit;
			len = (1 + rnd(w, STRIPE_UNITS - first)) * unit;
		} else if (w->kind == W_DIO) {
			off = start + rnd(w, stripe / align) * align;
			len = (1 + rnd(w, (start + stripe - off) / align)) * align;
		} else {
			off = start + rnd(w, stripe);
			len = 1 + rnd(w, start + stripe - off);
		}
		pattern(w->buf, off, len, stamp);
		if (do_write(w, off, len)) {
			fail(writer_name[w->kind], errno);
			break;
		}
		took(w, t);
		atomic_fetch_add(&writes[w->kind], 1);
		if (shared) {
			size_t u;

			for (u = off / unit; u < (off + len) / unit; u++)
				last[w->kind][u] = stamp;
		} else {
			memcpy(model + off, w->buf, len);
		}
	}
	return NULL;
}

static void *reader(void *arg)
{
	while (!atomic_load(&stop)) {
		size_t off;

		for (off = 0; off < size && !atomic_load(&stop); off += unit) {
			const unsigned char *p = rmap + off, *end = p + unit;

			while ((p = memchr(p, 0, end - p))) {
				atomic_fetch_add(&zeros, 1);
				p++;
			}
		}
	}
	return NULL;
}

/*
 * NFS: each lock flushes, zaps the cache and revalidates the mapping.  The
 * locks are taken on a file of their own: unlocking waits for the I/O of
 * the file, which the mapped writer keeps busy.
 */
static void *locker(void *arg)
{
	struct flock fl = { .l_whence = SEEK_SET, .l_len = unit };
	struct worker *w = arg;

	while (!atomic_load(&stop)) {
		double t = now();

		fl.l_type = F_WRLCK;
		if (fcntl(fd_lock, F_SETLKW, &fl)) {
			fail("lock", errno);
			break;
		}
		fl.l_type = F_UNLCK;
		if (fcntl(fd_lock, F_SETLK, &fl)) {
			fail("unlock", errno);
			break;
		}
		took(w, t);
		atomic_fetch_add(&revalidations, 1);
		pause_ms(2);
	}
	return NULL;
}

/*
 * NFS: an O_DIRECT read leaves buffered mode, in which the client takes a
 * changed change attribute for its own writes; a forced GETATTR then marks
 * the cache invalid, and mmap(2) revalidates it.
 */
static void *getattr(void *arg)
{
	struct worker *w = arg;
	struct statx stx;
	void *p;

	while (!atomic_load(&stop)) {
		double t = now();

		if (pread(fd_dio, w->buf, align, 0) != (ssize_t)align) {
			fail("O_DIRECT read", errno);
			break;
		}
		if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC,
			  STATX_BASIC_STATS, &stx)) {
			fail("statx", errno);
			break;
		}
		p = mmap(NULL, unit, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			fail("mmap", errno);
			break;
		}
		munmap(p, unit);
		took(w, t);
		atomic_fetch_add(&revalidations, 1);
		pause_ms(2);
	}
	return NULL;
}

/* The server's own user changes times and mode of the exported file. */
static void *attrs(void *arg)
{
	struct timespec times[2] = { { 0 }, { 0 } };
	unsigned int i;

	for (i = 0; !atomic_load(&stop); i++) {
		times[0].tv_sec = 1000000000 + i;
		times[1].tv_sec = times[0].tv_sec;
		if (futimens(fd_srv, times) || fchmod(fd_srv, i & 1 ? 0664 : 0644)) {
			fail("server attributes", errno);
			break;
		}
		pause_ms(2);
	}
	return NULL;
}

static int read_full(int rfd, unsigned char *buf)
{
	size_t done = 0;

	while (done < size) {
		ssize_t ret = pread(rfd, buf + done, size - done, done);

		if (ret <= 0) {
			if (!ret)
				errno = ENODATA;
			return -1;
		}
		done += ret;
	}
	return 0;
}

/* The write whose bytes @view holds at the word of @off, if any. */
static unsigned int identify(const unsigned char *view, size_t off)
{
	unsigned int k, s, end = atomic_load(&seq) & 0xffffff;
	unsigned char word[8];

	off &= ~(size_t)7;
	for (k = 0; k < NR_WRITERS; k++) {
		for (s = 0; s <= end; s++) {
			pattern(word, off, sizeof(word), k << 24 | s);
			if (!memcmp(word, view + off, sizeof(word)))
				return k << 24 | s;
		}
	}
	return NO_STAMP;
}

static void report(const char *what, unsigned int u, size_t n, size_t first,
		   const unsigned char *view, unsigned char expected)
{
	unsigned int stamp;

	if (details++ >= MAX_DETAILS)
		return;
	stamp = identify(view, first);
	ksft_print_msg("%s: page %u (%s): %zu bytes, first %zu: %#x not %#x, from %s write %u\n",
		       what, u, owner_of(u) == SHARED ? "shared" : writer_name[owner_of(u)],
		       n, first, view[first], expected,
		       stamp == NO_STAMP ? "no" : writer_name[stamp >> 24], stamp & 0xffffff);
}

/* Count bytes of @view that differ from the model; describe the first. */
static unsigned long compare(const unsigned char *view, const char *what)
{
	unsigned long bad = 0;
	unsigned int u;

	for (u = 0; u < nr_units; u++) {
		size_t off = (size_t)u * unit, i, n = 0, first = 0;

		if (!memcmp(view + off, model + off, unit))
			continue;
		for (i = off; i < off + unit; i++) {
			if (view[i] != model[i] && !n++)
				first = i;
		}
		bad += n;
		report(what, u, n, first, view, model[first]);
	}
	return bad;
}

/*
 * A shared page written in a round must hold, byte by byte, what the last
 * write to it of one of its writers put there: stores through a mapping
 * are not atomic, so two racing writes may each leave some of their bytes,
 * but an older write or zeroes must not show.  Count the bytes that hold
 * none of them, and go on from what is stored.
 */
static unsigned long check_shared(const unsigned char *stored, unsigned char *cand)
{
	unsigned int u, k, nr, stamps[NR_WRITERS];
	unsigned long bad = 0;

	for (u = 0; u < nr_units; u++) {
		size_t off = (size_t)u * unit, i, n = 0, first = 0;

		if (owner_of(u) != SHARED)
			continue;
		for (k = 0, nr = 0; k < NR_WRITERS; k++) {
			if (last[k][u] == NO_STAMP)
				continue;
			stamps[nr] = last[k][u];
			pattern(cand + nr++ * unit, off, unit, last[k][u]);
			last[k][u] = NO_STAMP;
		}
		if (!nr)
			continue;	/* not written: compare() checks it */
		for (i = 0; i < unit; i++) {
			for (k = 0; k < nr; k++) {
				if (stored[off + i] == cand[k * unit + i])
					break;
			}
			if (k == nr && !n++)
				first = i;
		}
		if (n) {
			report("lost", u, n, off + first, stored, cand[first]);
			for (k = 0; k < nr && details <= MAX_DETAILS; k++)
				ksft_print_msg("lost: page %u: last %s write %u\n", u,
					       writer_name[stamps[k] >> 24], stamps[k] & 0xffffff);
		}
		bad += n;
		memcpy(model + off, stored + off, unit);
	}
	return bad;
}

static int sync_file(void)
{
	if (map && msync(map, size, MS_SYNC)) {
		if (errno != EIO)
			return -1;
		atomic_fetch_add(&wb_eio, 1);
	}
	if (fsync(fd)) {
		if (errno != EIO)
			return -1;
		atomic_fetch_add(&wb_eio, 1);
	}
	return 0;
}

/* Compare what is stored, then what the page cache shows, to the model. */
static int checkpoint(unsigned char *view, unsigned char *tmp)
{
	struct flock fl = { .l_whence = SEEK_SET };
	struct stat st;

	if (sync_file()) {
		fail("fsync", errno);
		return -1;
	}
	if (read_full(sc->server ? fd_srv : fd_dio, view)) {
		fail(sc->server ? "read on the server" : "O_DIRECT read", errno);
		return -1;
	}
	lost += check_shared(view, tmp);
	lost += compare(view, "lost");
	/* count each loss once: the next round starts from what is stored */
	memcpy(model, view, size);

	/* NFS: a lock is where the client must see the server's writes */
	if (sc->helpers & H_LOCKER) {
		fl.l_type = F_WRLCK;
		if (!fcntl(fd_lock, F_SETLKW, &fl)) {
			fl.l_type = F_UNLCK;
			fcntl(fd_lock, F_SETLK, &fl);
		} else {
			fail("lock", errno);
			return -1;
		}
	}
	/* read(2) first: on NFS it revalidates what the mappings show */
	if (read_full(fd, view)) {
		fail("read", errno);
		return -1;
	}
	stale += compare(view, "stale (read)");
	if (map)
		stale += compare(map, "stale (mmap writer)");
	if (rmap)
		stale += compare(rmap, "stale (mmap reader)");
	if (fstat(fd, &st) || st.st_size != (off_t)size) {
		fail("file size changed", errno ? errno : EINVAL);
		return -1;
	}
	return 0;
}

/*
 * NFS: how many times the client invalidated the data cache of a file of
 * the mount that holds DIR (nfs_invalidate_mapping(), which calls
 * invalidate_inode_pages2()), from /proc/self/mountstats; -1 if not NFS.
 */
static long nfs_invalidations(void)
{
	char line[512], mnt[PATH_MAX], type[16], real[PATH_MAX];
	unsigned long ev[3];
	size_t best = 0, n;
	long val = -1;
	bool in = false;
	FILE *f;

	if (!realpath(dir, real))
		return -1;
	f = fopen("/proc/self/mountstats", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "device %*s mounted on %4095s with fstype %15s",
			   mnt, type) == 2) {
			n = strlen(mnt);
			in = !strncmp(type, "nfs", 3) && !strncmp(real, mnt, n) &&
			     (real[n] == '/' || !real[n] || n == 1) && n >= best;
			if (in)
				best = n;
		} else if (in && sscanf(line, " events: %lu %lu %lu",
					&ev[0], &ev[1], &ev[2]) == 3) {
			val = ev[2];
		}
	}
	fclose(f);
	return val;
}

/* The O_DIRECT alignment: statx, else the disk's logical block size. */
static size_t dio_align(int dfd, const char **how)
{
	unsigned int lbs = 0;
	struct statx stx;
	struct stat st;
	char sys[64];
	FILE *f;

	if (!statx(dfd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align) {
		*how = "statx";
		return stx.stx_dio_offset_align;
	}
	if (!fstat(dfd, &st)) {
		snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u/queue/logical_block_size",
			 major(st.st_dev), minor(st.st_dev));
		f = fopen(sys, "r");
		if (f) {
			if (fscanf(f, "%u", &lbs) != 1)
				lbs = 0;
			fclose(f);
		}
	}
	if (lbs) {
		*how = "logical block size";
		return lbs;
	}
	*how = "default";
	return 512;
}

static int setup_error(char *msg, size_t len, const char *what, int error)
{
	if (error)
		snprintf(msg, len, "%s: %s", what, strerror(error));
	else
		snprintf(msg, len, "%s", what);
	return -1;
}

static int setup(char *msg, size_t len)
{
	const char *how;
	struct stat st, sst;
	int ifd;

	snprintf(path, sizeof(path), "%s/imc-%s.%d", dir, sc->name, getpid());
	size = (size_t)NR_STRIPES * stripe;
	nr_units = size / unit;
	if (posix_memalign((void **)&model, unit, size))
		return setup_error(msg, len, "out of memory", 0);
	pattern(model, 0, size, new_stamp(W_INIT));

	/* on NFS the server's side creates the file, the client opens it */
	if (sc->server) {
		snprintf(spath, sizeof(spath), "%s/%s", export, strrchr(path, '/') + 1);
		fd_srv = open(spath, O_RDWR | O_CREAT | O_TRUNC, 0644);
		ifd = fd_srv;
	} else {
		/* not through the page cache, which would keep large folios */
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		ifd = open(path, O_RDWR | O_DIRECT);
	}
	if (ifd < 0)
		return setup_error(msg, len, sc->server ? spath : path, errno);
	if (pwrite(ifd, model, size, 0) != (ssize_t)size || fsync(ifd))
		return setup_error(msg, len, "initial write", errno);
	if (!sc->server)
		close(ifd);
	if (sc->server) {
		fd = open(path, O_RDWR);
		if (fd < 0)
			return setup_error(msg, len, path, errno);
		if (fstat(fd, &st) || fstat(fd_srv, &sst) || st.st_ino != sst.st_ino) {
			snprintf(msg, len, "%.200s is not an NFS mount of %.200s",
				 dir, export);
			return -1;
		}
	}
	fd_dio = open(path, O_RDWR | O_DIRECT);
	if (fd_dio < 0)
		return setup_error(msg, len, "O_DIRECT open", errno);
	if (sc->helpers & H_LOCKER) {
		fd_lock = open(path, O_RDWR);
		if (fd_lock < 0)
			return setup_error(msg, len, path, errno);
	}
	if (!large_folios)
		posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	align = dio_align(fd_dio, &how);
	if (align > unit || unit % align)
		return setup_error(msg, len, "O_DIRECT alignment does not divide the page size", 0);
	ksft_print_msg("%s: %s, %zu bytes, %zu-byte pages, O_DIRECT alignment %zu (%s)\n",
		       sc->name, path, size, unit, align, how);
	if (sc->writers & BIT(W_MMAP)) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			map = NULL;
			return setup_error(msg, len, "mmap", errno);
		}
		if (!large_folios)
			madvise(map, size, MADV_RANDOM);
	}
	if (sc->helpers & H_READER) {
		rmap = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (rmap == MAP_FAILED) {
			rmap = NULL;
			return setup_error(msg, len, "mmap", errno);
		}
		if (!large_folios)
			madvise(rmap, size, MADV_RANDOM);
	}
	return 0;
}

static void teardown(void)
{
	unsigned int k;

	if (map)
		munmap(map, size);
	if (rmap)
		munmap(rmap, size);
	map = NULL;
	rmap = NULL;
	if (fd_dio >= 0)
		close(fd_dio);
	if (fd_lock >= 0)
		close(fd_lock);
	if (fd >= 0 && fd != fd_srv)
		close(fd);
	if (fd_srv >= 0)
		close(fd_srv);
	fd = -1;
	fd_dio = -1;
	fd_lock = -1;
	fd_srv = -1;
	unlink(path);
	free(model);
	model = NULL;
	for (k = 0; k < NR_WRITERS; k++) {
		free(last[k]);
		last[k] = NULL;
	}
}

static void watchdog(int sig)
{
	static const char msg[] = "Bail out! no progress: a system call hangs\n";

	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(KSFT_FAIL);
	_exit(KSFT_FAIL);
}

static const char *worker_name(const struct worker *w)
{
	if (w->stripes)
		return writer_name[w->kind];
	switch (w->kind) {
	case H_READER:
		return "reader";
	case H_LOCKER:
		return "lock";
	case H_GETATTR:
		return "getattr";
	case H_ATTRS:
		return "server attributes";
	}
	return "none";
}

static int start(struct worker *w, void *(*fn)(void *))
{
	errno = pthread_create(&w->thread, NULL, fn, w);
	if (errno)
		fail("pthread_create", errno);
	return errno;
}

static void run(const struct scenario *s)
{
	struct worker workers[NR_WRITERS + 4] = { 0 };
	unsigned char *view = NULL, *tmp = NULL;
	unsigned int rounds = 0, nw = 0, nh = 0, i, k, slowest = 0;
	char msg[PATH_MAX + 128] = "";
	double begin = now(), slowest_check = 0, slowest_op = 0, t;
	long inval = nfs_invalidations();
	bool ok;

	sc = s;
	lost = 0;
	stale = 0;
	details = 0;
	err[0] = 0;
	atomic_store(&stop, false);
	for (k = 0; k < NR_WRITERS; k++)
		atomic_store(&writes[k], 0);
	atomic_store(&zeros, 0);
	atomic_store(&revalidations, 0);
	atomic_store(&wb_eio, 0);
	fd = -1;
	fd_dio = -1;
	fd_lock = -1;
	fd_srv = -1;

	if (only && !strstr(sc->name, only)) {
		ksft_test_result_skip("%s: not selected by -r %s\n", sc->name, only);
		return;
	}
	if (sc->server && !export) {
		ksft_test_result_skip("%s: needs -e EXPORT, DIR being its NFS mount\n",
				      sc->name);
		return;
	}
	if (setup(msg, sizeof(msg)))
		goto out;
	for (k = 0; k < NR_WRITERS; k++) {
		last[k] = malloc(nr_units * sizeof(*last[k]));
		if (!last[k])
			goto nomem;
		for (i = 0; i < nr_units; i++)
			last[k][i] = NO_STAMP;
	}
	if (posix_memalign((void **)&view, unit, size) ||
	    posix_memalign((void **)&tmp, unit, NR_WRITERS * unit))
		goto nomem;

	/* Writers, and the stripes each may write */
	for (k = 0; k < NR_WRITERS; k++) {
		struct worker *w = &workers[nw];
		unsigned int st;

		if (!(sc->writers & BIT(k)))
			continue;
		w->kind = k;
		w->stripes = calloc(NR_STRIPES, sizeof(*w->stripes));
		if (!w->stripes || posix_memalign((void **)&w->buf, unit, stripe))
			goto nomem;
		for (st = 0; st < NR_STRIPES; st++) {
			unsigned int o = owner_of(st * STRIPE_UNITS);

			if (o == k || o == SHARED)
				w->stripes[w->nr_stripes++] = st;
		}
		nw++;
	}
	nh = nw;
	for (k = H_READER; k <= H_GETATTR; k <<= 1) {
		if (!(sc->helpers & k))
			continue;
		workers[nh].kind = k;
		if (posix_memalign((void **)&workers[nh].buf, unit, unit))
			goto nomem;
		nh++;
	}

	deadline = begin + seconds;
	alarm(seconds * 4 + 120);
	while (rounds < max_rounds && now() < deadline && !err[0]) {
		for (i = 0; i < nh; i++)
			workers[i].rng = mix64(seed ^ ((unsigned long long)rounds << 32) ^
					       (i + 1) * 0x9e3779b97f4a7c15ULL) | 1;
		atomic_store(&stop, false);
		for (i = nw; i < nh; i++) {
			void *(*fn)(void *) = workers[i].kind == H_READER ? reader :
					      workers[i].kind == H_LOCKER ? locker :
					      workers[i].kind == H_ATTRS ? attrs : getattr;

			if (start(&workers[i], fn)) {
				nh = i;
				break;
			}
		}
		for (i = 0; i < nw && !err[0]; i++) {
			if (start(&workers[i], writer)) {
				nw = i;
				break;
			}
		}
		for (i = 0; i < nw; i++)
			pthread_join(workers[i].thread, NULL);
		atomic_store(&stop, true);
		for (i = nw; i < nh; i++)
			pthread_join(workers[i].thread, NULL);
		t = now();
		if (err[0] || checkpoint(view, tmp))
			break;
		if (now() - t > slowest_check)
			slowest_check = now() - t;
		rounds++;
	}
	alarm(0);
	if (err[0])
		snprintf(msg, sizeof(msg), "%s", err);
	if (inval >= 0) {
		inval = nfs_invalidations() - inval;
		ksft_print_msg("%s: the NFS client invalidated its data cache %ld times\n",
			       sc->name, inval);
		/* else the scenario did not test what it is for */
		if (sc->server && !inval && !msg[0])
			snprintf(msg, sizeof(msg), "the client never invalidated its cache");
	}
	goto out;
nomem:
	snprintf(msg, sizeof(msg), "out of memory");
out:
	stale += atomic_load(&zeros);
	ok = !msg[0] && !lost && !stale && rounds;
	ksft_print_msg("%s: %u rounds, %.1f s; writes: mmap %lu dio %lu buffered %lu server %lu\n",
		       s->name, rounds, now() - begin, atomic_load(&writes[W_MMAP]),
		       atomic_load(&writes[W_DIO]), atomic_load(&writes[W_BUF]),
		       atomic_load(&writes[W_SERVER]));
	ksft_print_msg("%s: cache revalidations %lu, fsync/msync EIO %lu\n",
		       s->name, atomic_load(&revalidations), atomic_load(&wb_eio));
	for (i = 0; i < NR_WRITERS + 4; i++) {
		if (workers[i].slowest > slowest_op) {
			slowest_op = workers[i].slowest;
			slowest = i;
		}
	}
	ksft_print_msg("%s: slowest call %.3f s (%s), slowest check %.3f s\n",
		       s->name, slowest_op, worker_name(&workers[slowest]), slowest_check);
	ksft_print_msg("%s: lost %lu bytes, stale %lu bytes (%lu zero bytes seen)\n",
		       s->name, lost, stale, atomic_load(&zeros));
	if (msg[0])
		ksft_print_msg("%s: %s\n", s->name, msg);
	ksft_test_result(ok, "%s\n", s->name);
	for (i = 0; i < NR_WRITERS + 4; i++) {
		free(workers[i].buf);
		free(workers[i].stripes);
	}
	free(view);
	free(tmp);
	teardown();
}

static void print_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-t SECONDS] [-n ROUNDS] [-o OPS] [-s SEED] [-e EXPORT] [-L] [-r NAME] DIR\n"
		"  DIR        directory on the file system under test\n"
		"  -e EXPORT  DIR is an NFS mount of EXPORT, a directory of this machine\n"
		"  -t         time bound of each scenario (default %u s)\n"
		"  -n         rounds of each scenario at most (default %u)\n"
		"  -o         writes of each writer in a round (default %u)\n"
		"  -s         random seed (default: time)\n"
		"  -L         leave readahead on, which makes large folios\n"
		"  -r NAME    run only the scenarios whose name contains NAME\n",
		prog, seconds, max_rounds, ops);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int opt;

	seed = time(NULL);
	while ((opt = getopt(argc, argv, "t:n:o:s:e:Lr:h")) != -1) {
		switch (opt) {
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			max_rounds = strtoul(optarg, NULL, 0);
			break;
		case 'o':
			ops = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			export = optarg;
			break;
		case 'L':
			large_folios = true;
			break;
		case 'r':
			only = optarg;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (optind != argc - 1 || !seconds || !max_rounds || !ops)
		print_usage(argv[0]);
	dir = argv[optind];
	unit = sysconf(_SC_PAGESIZE);
	stripe = STRIPE_UNITS * unit;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, watchdog);

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(scenarios));
	ksft_print_msg("dir %s%s%s, seed %lu, %u s, %u rounds, %u writes a round%s\n",
		       dir, export ? ", export " : "", export ? export : "", seed,
		       seconds, max_rounds, ops, large_folios ? ", readahead on" : "");
	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		run(&scenarios[i]);
	ksft_finished();
}
