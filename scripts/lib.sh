# SPDX-License-Identifier: GPL-2.0
#
# Shared definitions for the series tooling.  Sourced, never run.
#
# The series exists for two bases, each with a queue of patches under
# patches/QUEUE/ (series, NNNN-*.patch, cover-letter):
#
#   mainline   Linux 7.1 or later: what is mailed upstream
#   6.12       the series on the newest base that Debian's registry has
#              (linux-source-6.12): what CI and a Debian 12 machine run
#              with no other tree
#
# The base is chosen by KERNEL_SRC=DIR (a tree or a git checkout),
# KERNEL_TARBALL=FILE, or BASE=6.12 (Debian's tarball, the default), and
# its version picks the queue.  Each queue has a build
# directory of its own, $BUILD_ROOT/QUEUE ("make distclean" removes them):
#
#   pristine/        the unpacked base tree, never modified
#   base.info        where the base came from and its version
#   linux/           the working tree: pristine + the queue, via quilt
#   imported/        the queue as last copied into linux/patches
#   uml/, x86_64/... kunit.py build directories (out of tree)
#   results/         KTAP logs, kunit.py JSON and summaries

set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# BUILD names the root (make's BUILD=DIR); base_init sets BUILD to the
# queue's directory in it, so children find the root in BUILD_ROOT.
BUILD_ROOT=${BUILD_ROOT:-${BUILD:-$TOP/build}}
case $BUILD_ROOT in /*) ;; *) BUILD_ROOT=$TOP/$BUILD_ROOT ;; esac
export BUILD_ROOT
QUEUES="mainline 6.12"
# The values that make's variables take: the one list of each, which
# scripts/check-vars checks before any work and the scripts go by (BASE
# has base_known).
ARCHES="um x86_64 arm64 i386"
PAGE_SIZES="4k 64k"
VARIANTS="normal debug module e2e"
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-$(nproc)}
PROG=$(basename "$0")
# make exports ARCH even when it is not set: an empty ARCH would break kbuild.
[ -n "${ARCH:-}" ] || unset ARCH

die()
{
	echo "$PROG: error: $*" >&2
	exit 1
}

info()
{
	echo "$PROG: $*"
}

# Print "VERSION.PATCHLEVEL.SUBLEVEL" of the kernel Makefile read from stdin.
makefile_version()
{
	awk -F' = ' '
		$1 == "VERSION" { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		END { if (v != "" && p != "") print v "." p "." (s == "" ? 0 : s) }
	'
}

# Print the version of the kernel tree in $1.
kernel_version()
{
	makefile_version <"$1/Makefile" 2>/dev/null
}

# Print the queue that takes a base of version $1, or nothing.
queue_of()
{
	case $1 in
	6.12.*) echo 6.12 ;;
	[0-9]*)
		local major=${1%%.*} minor
		minor=${1#*.}
		minor=${minor%%.*}
		if [ "$major" -gt 7 ] || { [ "$major" -eq 7 ] && [ "$minor" -ge 1 ]; }; then
			echo mainline
		fi ;;
	esac
}

QUEUES_THERE="the series has queues for mainline (KERNEL_SRC=DIR, 7.1 or later) and 6.12 (BASE=6.12, Debian's linux-source-6.12)"

# base_known: refuse a BASE that names no queue (without KERNEL_SRC or
# KERNEL_TARBALL; BASE defaults to 6.12).
base_known()
{
	case ${BASE:=6.12} in
	6.12) ;;
	mainline) die "BASE=mainline: point KERNEL_SRC at a mainline tree (7.1 or later)" ;;
	*) die "BASE=$BASE: $QUEUES_THERE" ;;
	esac
}

# base_init: find the base the variables name, its version and its queue,
# and set BASE_ORIGIN, BASE_SRC, BASE_VERSION, QUEUE and the paths of the
# queue's build directory.  A tarball's version is read from its Makefile
# once (the top-level Makefile comes early in a kernel tarball) and kept
# in $BUILD_ROOT/tarballs.
base_init()
{
	local what key

	if [ -n "${KERNEL_SRC:-}" ]; then
		what="KERNEL_SRC=$KERNEL_SRC"
		[ -d "$KERNEL_SRC" ] || die "$what is not a directory"
		BASE_SRC=$(cd "$KERNEL_SRC" && pwd)
		BASE_ORIGIN=dir:$BASE_SRC
		[ -f "$BASE_SRC/Makefile" ] && [ -d "$BASE_SRC/mm" ] ||
			die "$what is not a kernel tree (no Makefile or mm/)"
		BASE_VERSION=$(kernel_version "$BASE_SRC")
		[ -n "$BASE_VERSION" ] ||
			die "$what is not a kernel tree (no version in its Makefile)"
	else
		if [ -n "${KERNEL_TARBALL:-}" ]; then
			what="KERNEL_TARBALL=$KERNEL_TARBALL"
			[ -f "$KERNEL_TARBALL" ] || die "$what: no such file"
			BASE_SRC=$(cd "$(dirname "$KERNEL_TARBALL")" && pwd)/$(basename "$KERNEL_TARBALL")
		else
			base_known
			BASE_SRC=/usr/src/linux-source-$BASE.tar.xz
			what=$BASE_SRC
			[ -f "$BASE_SRC" ] ||
				die "$BASE_SRC not found: run scripts/install-deps (as root) or set KERNEL_SRC or KERNEL_TARBALL"
		fi
		BASE_ORIGIN=tarball:$BASE_SRC:$(stat -c %s:%Y "$BASE_SRC")
		key=$BASE_ORIGIN
		BASE_VERSION=$(awk -v k="$key" '$1 == k { print $2 }' \
			"$BUILD_ROOT/tarballs" 2>/dev/null | tail -n1)
		if [ -z "$BASE_VERSION" ]; then
			BASE_VERSION=$(tar -xOf "$BASE_SRC" --wildcards \
				--no-wildcards-match-slash --occurrence=1 '*/Makefile' \
				2>/dev/null | makefile_version) || true
			[ -n "$BASE_VERSION" ] ||
				die "cannot unpack $BASE_SRC (corrupt or not a kernel tarball): no top-level Makefile in it"
			mkdir -p "$BUILD_ROOT"
			echo "$key $BASE_VERSION" >>"$BUILD_ROOT/tarballs"
		fi
	fi
	QUEUE=$(queue_of "$BASE_VERSION")
	[ -n "$QUEUE" ] ||
		die "$what is Linux $BASE_VERSION; $QUEUES_THERE"
	BUILD=$BUILD_ROOT/$QUEUE
	PRISTINE=$BUILD/pristine
	TREE=$BUILD/linux
	IMPORTED=$BUILD/imported
	RESULTS=$BUILD/results
	PATCHES=${PATCHES:-$TOP/patches/$QUEUE}
	MUTATIONS=$TOP/scripts/mutations/$QUEUE
	# Every tree lives in a directory of its own beside its build
	# directories (linux/ next to uml/), so that with CCACHE_BASEDIR the
	# compiler command lines of two trees are the same and one's objects
	# serve the other.  The inode cache keeps the hashes of the headers
	# every object includes (some 8% of a build from a full ccache).
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1 CCACHE_INODECACHE=1
}

# one_of VALUE LIST: VALUE is a word of LIST.
one_of()
{
	case " $2 " in *" $1 "*) return 0 ;; esac
	return 1
}

# or_list WORD...: "a, b or c".
or_list()
{
	local s=$1

	shift
	while [ $# -gt 1 ]; do
		s="$s, $1"
		shift
	done
	[ $# -eq 0 ] || s="$s or $1"
	echo "$s"
}

# check_vars: die at the first of make's variables ARCH, PAGES, VARIANT
# set to a value it does not take, with the values it takes.  BASE is
# base_known's.
check_vars()
{
	[ -z "${ARCH:-}" ] || one_of "$ARCH" "$ARCHES" ||
		die "ARCH=$ARCH: use $(or_list $ARCHES)"
	[ -z "${PAGES:-}" ] || one_of "$PAGES" "$PAGE_SIZES" ||
		die "PAGES=$PAGES: use $(or_list $PAGE_SIZES) (arm64)"
	[ -z "${VARIANT:-}" ] || one_of "$VARIANT" "$VARIANTS" ||
		die "VARIANT=$VARIANT: use $(or_list $VARIANTS)"
}

# What is kept between build directories, like ccache: each tarball
# unpacked (scripts/base-tree) and its git repository (scripts/git-series).
BASE_CACHE=${BASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/invalidate-series}

# QEMU's accelerator for x86_64 guests: KVM where a guest really boots
# with it (on some hosts /dev/kvm opens but the guest hangs early, as on
# the machines CI runs on), else TCG.  A property of the machine, probed
# once per user: kept in $KVM_VERDICT with the host's kernel and QEMU's
# version, and probed again when either changes (or the file is deleted).
KVM_VERDICT=$BASE_CACHE/kvm.verdict

kvm_key()
{
	echo "$(uname -r), $(qemu-system-x86_64 --version 2>/dev/null | head -n1)"
}

# kvm_cached: the verdict kept for this machine, or nothing.
kvm_cached()
{
	[ -f "$KVM_VERDICT" ] && [ "$(sed -n 2p "$KVM_VERDICT")" = "$(kvm_key)" ] &&
		sed -n 1p "$KVM_VERDICT"
}

# kvm_verdict KUNIT_PY BUILD_DIR QEMU_ARGS: kvm or tcg; without a kept
# verdict, boots the kernel of BUILD_DIR under KVM through kunit.py, with
# the run's own QEMU arguments (a guest was seen to boot under KVM with
# one CPU and hang with two), and keeps what it found.
kvm_verdict()
{
	local kunit=$1 bdir=$2 args=$3 v

	v=$(kvm_cached) || v=
	if [ -z "$v" ]; then
		v=tcg
		if [ -w /dev/kvm ] &&
			bounded 60 "$PYTHON" "$kunit" exec --arch=x86_64 --build_dir="$bdir" \
				--timeout=45 --qemu_args="$args -accel kvm" \
				--raw_output=all no_such_suite_ 2>&1 |
			grep -q '^ *KTAP version'; then
			v=kvm
		fi
		mkdir -p "$BASE_CACHE"
		printf '%s\n%s\n' "$v" "$(kvm_key)" >"$KVM_VERDICT.tmp" &&
			mv -f "$KVM_VERDICT.tmp" "$KVM_VERDICT"
	fi
	echo "$v"
}

# base_cache_name ORIGIN: the cache's name for a tarball base, from the
# tarball's name, size and time (base.info's origin=), without suffix.
base_cache_name()
{
	local tarball=${1#tarball:}

	printf '%s/%s-%s' "$BASE_CACHE" "$(basename "${tarball%%:*}")" \
		"$(printf '%s\n' "$1" | sha256sum | cut -c1-16)"
}

# The results of "make check" as a whole: the cost of each step.
CHECK_RESULTS=$BUILD_ROOT/check

# The quilt settings we rely on, whatever /etc/quilt.quiltrc or ~/.quiltrc say.
QUILTRC=$TOP/scripts/quiltrc
quilt_()
{
	QUILT_PATCHES=patches QUILT_SERIES=series \
		quilt --quiltrc="$QUILTRC" "$@"
}

# Patches named in a series file, in order, without comments or blank lines.
series_patches()
{
	sed -e 's/#.*//' -e 's/[[:space:]]\+-p[0-9]\+//' -e 's/[[:space:]]*$//' \
		-e '/^$/d' "$1"
}

# series_files SERIES_DIR: the files that the patches of a series change
# or add, one per line.
series_files()
{
	local p

	series_patches "$1/series" | while IFS= read -r p; do
		sed -n 's|^+++ b/||p' "$1/$p"
	done | sort -u
}

# renew DIR FILE...: give each FILE of DIR (if present) an inode of its
# own, dated now.  A tree hard-linked from another keeps the other's
# times: where it differs from the tree last built in the same build
# directory, make would take the objects for current.  Renewing what
# differs makes make rebuild exactly that, without touching the tree the
# links point to.
renew()
{
	local d=$1 f

	shift
	for f; do
		[ -f "$d/$f" ] || continue
		cp "$d/$f" "$d/$f.renew" && mv -f "$d/$f.renew" "$d/$f" ||
			die "cannot renew $d/$f"
	done
}

# variant_run NAME COMMAND...: run COMMAND on the variant tree, a
# hard-linked copy of the tree in $BUILD/variant/linux (a mutant, a prefix
# of the series), whose build directory is $BUILD/variant/NAME (uml,
# x86_64, ...).  kbuild writes the source tree's absolute path into every
# object's command line, so a build from another path rebuilds everything.
# Where a mount namespace can be made (as root, or in a user namespace),
# COMMAND runs in one of its own where the variant's tree and build
# directory are mounted over $TREE and $BUILD/NAME: the variant is built
# in place of the tree, and make rebuilds only what differs from the
# build directory it started from (a copy of $BUILD/NAME, see
# variant_seed).  Elsewhere it is built at its own paths, from ccache.
# COMMAND finds the paths to use in VARIANT_TREE and VARIANT_OUT;
# KUNIT_IN_PLACE=1 says which case it is.
variant_run()
{
	local name=$1 v=$BUILD/variant
	local -a ns=(unshare --mount --propagation private)

	shift
	mkdir -p "$v/$name"
	[ "$(id -u)" -eq 0 ] || ns=(unshare --user --map-root-user --mount --propagation private)
	if [ -d "$TREE" ] && mkdir -p "$BUILD/$name" && "${ns[@]}" true 2>/dev/null; then
		VARIANT_TREE=$TREE VARIANT_OUT=$BUILD/$name KUNIT_IN_PLACE=1 \
			"${ns[@]}" -- /bin/bash -c 'mount --bind "$1" "$2" && mount --bind "$3" "$4" &&
				shift 4 && exec "$@"' variant "$v/linux" "$TREE" "$v/$name" "$BUILD/$name" "$@"
	else
		VARIANT_TREE=$v/linux VARIANT_OUT=$v/$name KUNIT_IN_PLACE= "$@"
	fi
}

# variant_seed NAME: start the variant's build directory NAME as a copy
# of the tree's, for variant_run to build on, if there is one.
variant_seed()
{
	rm -rf "$BUILD/variant/$1"
	[ ! -f "$BUILD/$1/.config" ] || cp -a "$BUILD/$1" "$BUILD/variant/$1"
}

# $PATCHES as a user reads it: patches/6.12 rather than a full path.
patches_dir()
{
	case $PATCHES in
	"$TOP"/*) echo "${PATCHES#"$TOP"/}" ;;
	*) echo "$PATCHES" ;;
	esac
}

# Check that the series in $PATCHES is consistent: every line names an
# existing file and every *.patch file is listed.
check_series()
{
	local p n=0 d

	d=$(patches_dir)
	[ -f "$PATCHES/series" ] || die "$d/series: missing"
	while IFS= read -r p; do
		n=$((n + 1))
		[ -f "$PATCHES/$p" ] ||
			die "$d/series names $p, which does not exist"
	done < <(series_patches "$PATCHES/series")
	for p in "$PATCHES"/*.patch; do
		[ -e "$p" ] || continue
		series_patches "$PATCHES/series" | grep -qxF "${p##*/}" ||
			die "$d/${p##*/} is not listed in $d/series"
	done
	[ "$n" -gt 0 ] || die "$d/series lists no patch"
}

# Whether patch file $1 stays ours (Patch-mainline: Never): applied for our
# own runs, never mailed.
is_local_patch()
{
	patch_headers "$1" | grep -q '^Patch-mainline: Never'
}

# Our own series in $PATCHES: every patch before the first local one.
own_patches()
{
	local p

	while IFS= read -r p; do
		is_local_patch "$PATCHES/$p" && break
		echo "$p"
	done < <(series_patches "$PATCHES/series")
}

# The patches of $PATCHES that "make mail" sends, a prefix of the queue.
# From the mainline queue: every patch up to the first local one
# (check-series makes sure that local ones come last).  From
# patches/6.12: the backports of upstream commits ("Patch-mainline:
# vX.Y") that open it, none today; nothing of our own series.
mailed_patches()
{
	local p st

	while IFS= read -r p; do
		st=$(patch_headers "$PATCHES/$p" | sed -n 's/^Patch-mainline: //p')
		case ${PATCHES##*/}:$st in
		*:Never*) break ;;
		6.*:v[0-9]*) ;;
		6.*:*) break ;;
		esac
		echo "$p"
	done < <(series_patches "$PATCHES/series")
}

# address_problem ADDRESS: why ADDRESS cannot be a person's, or nothing:
# a reserved domain (RFC 2606: .example, .invalid, .test, .localhost,
# example.com/.org/.net), a noreply address, or one git made up.
address_problem()
{
	local a=${1,,}

	case $a in
	?*@?*) ;;
	*) echo "not a mail address"; return ;;
	esac
	case $a in
	*noreply* | *no-reply*) echo "a noreply address"; return ;;
	*"(none)"*) echo "an address git made up"; return ;;
	esac
	case .${a##*@} in
	*.example | *.invalid | *.test | *.localhost | *.example.com | *.example.org | *.example.net)
		echo "a reserved domain" ;;
	*.*.*) ;;
	*) echo "no mail domain" ;;
	esac
}

# The identity "scripts/mail --check" signs with: a fictional person, so
# that the check runs, and tests the refusal of placeholders, whatever
# identity the machine has.  Never sent: check-mail runs git send-email
# with --dry-run.
MAIL_TEST_NAME="Tessa Mailcheck"
MAIL_TEST_EMAIL=tessa.mailcheck@kernel.org

# upstream_backport PATCH: whether PATCH is a backport of someone else's
# upstream commit ("commit <sha> upstream." opens its changelog).
upstream_backport()
{
	awk '/^$/ && !b { b = 1; next } b && NF { print; exit }' "$1" |
		grep -qE '^commit [0-9a-f]{12,40} upstream\.$'
}

# The mail headers of a git format-patch file, folded lines joined.
patch_headers()
{
	awk '
		/^$/ { exit }
		/^[ \t]/ { line = line " " substr($0, 2); next }
		{ if (line != "") print line; line = $0 }
		END { if (line != "") print line }
	' "$1"
}

# patch_in DIR FILE: apply the patch FILE to the tree DIR with GNU patch,
# without fuzz and without leaving backups or rejects.  GNU patch writes
# each file anew, so a hard-linked copy of another tree can be patched
# without touching that tree.  On failure, print patch's first complaint
# and return 1.
patch_in()
{
	local out

	out=$(patch -d "$1" -p1 -s -F0 --no-backup-if-mismatch -r - <"$2" 2>&1) ||
		{ echo "$out" | head -n1; return 1; }
}

# first_line FILE [REGEX]: the first line of FILE that is not blank and
# does not match REGEX (progress lines a tool printed before failing),
# without its leading blanks.  A one-line error quotes a tool's first
# complaint: its later lines are the consequences.
first_line()
{
	awk -v skip="${2:-^$}" 'NF && $0 !~ skip { sub(/^[ \t]+/, ""); print; exit }' "$1"
}

# bounded SECONDS COMMAND...: run COMMAND under timeout(1), killed 10 s
# after SECONDS if a TERM did not end it, and return its status (124 or
# 137 when time ran out).  timeout(1) puts COMMAND in a process group of
# its own, where a signal to the group of make (a CI time limit, kill
# -TERM -PGID) does not reach it; so a TERM, INT or HUP to this shell is
# passed on to that group as a TERM, and the shell exits once COMMAND has
# ended.  Works in a pipeline too (bounded ... | tee log).
bounded()
{
	local secs=$1 pid rc saved

	shift
	saved=$(trap -p TERM INT HUP)
	timeout -k 10 "$secs" "$@" &
	pid=$!
	# shellcheck disable=SC2064
	trap "kill -TERM $pid 2>/dev/null; wait $pid; exit 143" TERM
	# shellcheck disable=SC2064
	trap "kill -TERM $pid 2>/dev/null; wait $pid; exit 130" INT
	# shellcheck disable=SC2064
	trap "kill -TERM $pid 2>/dev/null; wait $pid; exit 129" HUP
	rc=0
	wait "$pid" || rc=$?
	trap - TERM INT HUP
	eval "$saved"
	return $rc
}
