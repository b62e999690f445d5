# SPDX-License-Identifier: GPL-2.0
#
# The work in the build tree $TREE that its quilt stack does not hold yet.
# Sourced after lib.sh and base_init, never run.
#
# Two kinds, found without a full diff of the tree:
#
#  - unrefreshed changes of an applied patch, at any depth of the stack:
#    for each applied patch, its files before it (its backups in
#    .pc/PATCH/) with the patch applied, in a scratch directory, against
#    the same files after it (the backups of the next applied patch that
#    touches them, else the tree).  A file added with "quilt edit" and
#    changed is one of them, as is one changed in an editor.
#  - changes made outside quilt, to a file that no applied patch touches:
#    the tree is a copy of pristine/ with the times kept (cp -a), so only
#    the files whose size or time differ from pristine's are compared
#    (about 0.3 s for 80000 files; pristine's list is made once).  Python's
#    caches (__pycache__, kunit.py makes them) are not work.

# stack_changes [DIR]: print "PATCH<TAB>FILE" for each unrefreshed change
# and "-<TAB>FILE" for each change outside quilt.  With DIR, also write
# the changes there as diffs: DIR/PATCH.diff (patch -p1 on the tree with
# PATCH on top takes it) and DIR/outside-quilt.diff (against pristine).
stack_changes()
{
	local save=${1:-} tmp i j p f want have
	local -a applied

	tmp=$(mktemp -d)
	applied=()
	[ ! -f "$TREE/.pc/applied-patches" ] ||
		mapfile -t applied <"$TREE/.pc/applied-patches"
	: >"$tmp/touched"
	for ((i = 0; i < ${#applied[@]}; i++)); do
		p=${applied[i]}
		(cd "$TREE/.pc/$p" && find . -type f ! -name .timestamp ! -name .needs_refresh \
			! -name '*~' -printf '%P\n') | sort >"$tmp/files.$i"
		cat "$tmp/files.$i" >>"$tmp/touched"
		mkdir "$tmp/$i"
		while IFS= read -r f; do
			# quilt keeps an empty backup for a file the patch adds.
			[ -s "$TREE/.pc/$p/$f" ] || continue
			mkdir -p "$tmp/$i/$(dirname "$f")"
			cp -p "$TREE/.pc/$p/$f" "$tmp/$i/$f"
		done <"$tmp/files.$i"
		patch -d "$tmp/$i" -p1 -s -F0 -E --no-backup-if-mismatch -r - \
			<"$TREE/patches/$p" >/dev/null 2>&1 || : >"$tmp/$i.broken"
		while IFS= read -r f; do
			want=$tmp/$i/$f
			have=$TREE/$f
			for ((j = i + 1; j < ${#applied[@]}; j++)); do
				if [ -e "$TREE/.pc/${applied[j]}/$f" ]; then
					have=$TREE/.pc/${applied[j]}/$f
					break
				fi
			done
			same_file "$want" "$have" && [ ! -e "$tmp/$i.broken" ] && continue
			printf '%s\t%s\n' "$p" "$f"
			[ -z "$save" ] || file_diff "$want" "$have" "$f" >>"$save/$p.diff"
		done <"$tmp/files.$i"
	done

	# Outside quilt: what differs from pristine in size or time, less
	# what an applied patch touches (checked above).
	local plist=$BUILD/pristine.list
	if [ ! -s "$plist" ] || [ "$PRISTINE" -nt "$plist" ]; then
		tree_list "$PRISTINE" >"$plist.tmp" && mv -f "$plist.tmp" "$plist"
	fi
	tree_list "$TREE" >"$tmp/tree.list"
	LC_ALL=C sort -u "$tmp/touched" >"$tmp/touched.sorted"
	comm -3 "$plist" "$tmp/tree.list" | sed "s/^\t//" | cut -f1 | LC_ALL=C sort -u |
		LC_ALL=C comm -23 - "$tmp/touched.sorted" >"$tmp/candidates"
	while IFS= read -r f; do
		same_file "$PRISTINE/$f" "$TREE/$f" && continue
		printf -- '-\t%s\n' "$f"
		[ -z "$save" ] || file_diff "$PRISTINE/$f" "$TREE/$f" "$f" >>"$save/outside-quilt.diff"
	done <"$tmp/candidates"
	rm -rf "$tmp"
}

# tree_list DIR: path, size and time of every file of DIR but quilt's
# own and Python's caches, sorted.
tree_list()
{
	(cd "$1" && find . -path ./.pc -prune -o -path ./patches -prune -o \
		-name __pycache__ -prune -o -type f -printf '%P\t%s\t%T@\n' -o \
		-type l -printf '%P\t%s\t%T@\n') | LC_ALL=C sort
}

# same_file A B: A and B have the same content; a missing file is empty,
# as quilt has it.  Symbolic links compare by target.
same_file()
{
	if [ -L "$1" ] || [ -L "$2" ]; then
		[ "$(readlink "$1" 2>/dev/null)" = "$(readlink "$2" 2>/dev/null)" ]
	elif [ -s "$1" ] && [ -s "$2" ]; then
		cmp -s "$1" "$2"
	else
		[ ! -s "$1" ] && [ ! -s "$2" ]
	fi
}

# file_diff OLD NEW PATH: a unified diff of PATH from OLD to NEW, with
# a/ and b/ prefixes; /dev/null for a side that is missing.
file_diff()
{
	local a=a/$3 b=b/$3 old=$1 new=$2

	[ -s "$old" ] || { old=/dev/null; a=/dev/null; }
	[ -e "$new" ] || { new=/dev/null; b=/dev/null; }
	diff -u --label "$a" --label "$b" "$old" "$new" || true
}

# stack_clean WHAT: stop when the tree holds work that no patch holds,
# in one line: WHAT (what doing it now would do to that work), the files,
# and how to keep or drop them.
stack_clean()
{
	local what=$1 changes

	changes=$(stack_changes)
	[ -n "$changes" ] || return 0
	die "$what in $TREE: $(printf '%s\n' "$changes" | awk -F'\t' -v q="'" '
		$1 == "-" { out = out (out ? ", " : "") $2; next }
		!($1 in files) { order[++n] = $1 }
		{ files[$1] = files[$1] (files[$1] ? ", " : "") $2 }
		END {
			for (i = 1; i <= n; i++) {
				s = s (s ? "; " : "") files[order[i]] " not refreshed into " order[i]
				keep = keep (keep ? ", " : "") q "scripts/quilt refresh " order[i] q
			}
			if (out != "") {
				s = s (s ? "; " : "") out " changed outside quilt"
				keep = keep (keep ? ", " : "") q "scripts/quilt add" q " the file and apply the diff that " q "make reset" q " saves"
			}
			print s ": keep it with " keep " and " q "make export" q ", or drop it with " q "make reset" q " (which saves it first)"
		}')"
}
