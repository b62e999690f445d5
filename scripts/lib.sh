# SPDX-License-Identifier: GPL-2.0
#
# Shared definitions for the series tooling.  Sourced, never run.
#
# Layout of the build directory (ignored by git, "make distclean" removes it):
#
#   $BUILD/pristine/        the unpacked base tree, never modified
#   $BUILD/base.info        where the base came from and its version
#   $BUILD/linux/           the working tree: pristine + the series, via quilt
#   $BUILD/imported/        the series as last copied into $BUILD/linux/patches
#   $BUILD/uml/, uml-debug/ kunit.py build directories (out of tree)
#   $BUILD/results/         KTAP logs, kunit.py JSON and summaries

set -eu

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
PRISTINE=$BUILD/pristine
TREE=$BUILD/linux
IMPORTED=$BUILD/imported
RESULTS=$BUILD/results
PATCHES=${PATCHES:-$TOP/patches}
DEFAULT_TARBALL=/usr/src/linux-source-6.12.tar.xz
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-$(nproc)}
PROG=$(basename "$0")
# make exports ARCH even when it is not set: an empty ARCH would break kbuild.
[ -n "${ARCH:-}" ] || unset ARCH

# Every tree lives in a directory of its own beside its build directories
# (linux/ next to uml/), so that with CCACHE_BASEDIR the compiler command
# lines of two trees are the same and one's objects serve the other.
export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1

die()
{
	echo "$PROG: error: $*" >&2
	exit 1
}

info()
{
	echo "$PROG: $*"
}

# The quilt settings we rely on, whatever /etc/quilt.quiltrc or ~/.quiltrc say.
QUILTRC=$TOP/scripts/quiltrc
quilt_()
{
	QUILT_PATCHES=patches QUILT_SERIES=series \
		quilt --quiltrc="$QUILTRC" "$@"
}

# Print "VERSION.PATCHLEVEL.SUBLEVEL" of the kernel tree in $1.
kernel_version()
{
	awk -F' = ' '
		$1 == "VERSION" { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		END { if (v != "" && p != "") print v "." p "." (s == "" ? 0 : s) }
	' "$1/Makefile" 2>/dev/null
}

# Patches named in a series file, in order, without comments or blank lines.
series_patches()
{
	sed -e 's/#.*//' -e 's/[[:space:]]\+-p[0-9]\+//' -e 's/[[:space:]]*$//' \
		-e '/^$/d' "$1"
}

# Check that the series in $PATCHES is consistent: every line names an
# existing file and every *.patch file is listed.
check_series()
{
	local p n=0

	[ -f "$PATCHES/series" ] || die "$PATCHES/series: missing"
	while IFS= read -r p; do
		n=$((n + 1))
		[ -f "$PATCHES/$p" ] ||
			die "patches/series names $p, which does not exist"
	done < <(series_patches "$PATCHES/series")
	for p in "$PATCHES"/*.patch; do
		[ -e "$p" ] || continue
		series_patches "$PATCHES/series" | grep -qxF "${p##*/}" ||
			die "patches/${p##*/} is not listed in patches/series"
	done
	[ "$n" -gt 0 ] || die "patches/series lists no patch"
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
