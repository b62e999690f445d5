# SPDX-License-Identifier: GPL-2.0
#
# make_fake_tree DIR VERSION: a stand-in for a kernel tree, enough for
# scripts/ and the real kunit.py (copied from the base tree) to run
# against it in seconds.  Its Makefile answers kunit.py's configure and
# build steps (7.1's kunit.py also builds compile_commands.json and
# scripts_gdb); the "kernel" it builds is a shell script that prints the
# KTAP of one suite of three cases.  Files in DIR choose what goes wrong:
#
#   BUILD_ERROR   the build fails with a compiler error
#   BUILD_HANG    the build hangs (sleep 600), as a long kernel build would
#   SCENARIO      pass (default), fail, crash, hang, warn, skip or noise
#                 (a kernel message inside the KTAP)

make_fake_tree()
{
	local dir=$1 version=$2

	mkdir -p "$dir/mm/tests" "$dir/tools/testing"
	cp -a "$PRISTINE/tools/testing/kunit" "$dir/tools/testing/kunit"
	printf 'int truncate(void)\n{\n\treturn 0;\n}\n' >"$dir/mm/truncate.c"
	printf 'obj-y += truncate.o\n' >"$dir/mm/Makefile"
	cat >"$dir/Makefile" <<MAKEFILE
VERSION = ${version%%.*}
PATCHLEVEL = $(echo "$version" | cut -d. -f2)
SUBLEVEL = ${version##*.}
EXTRAVERSION =
srctree := \$(CURDIR)

all:
	@if [ -f \$(srctree)/BUILD_HANG ]; then exec sleep 600; fi
	@if [ -f \$(srctree)/BUILD_ERROR ]; then \\
		echo "mm/truncate.c:3:17: error: expected ';' before '}' token" >&2; \\
		exit 2; fi
	@sed 's|@SRCTREE@|\$(srctree)|' \$(srctree)/fake-linux >\$(O)/linux
	@chmod +x \$(O)/linux

olddefconfig mrproper compile_commands.json scripts_gdb:
	@:
MAKEFILE
	cat >"$dir/fake-linux" <<'LINUX'
#!/bin/bash
scenario=$(cat @SRCTREE@/SCENARIO 2>/dev/null || echo pass)
case " $* " in
*" kunit.action=list "*)
	# kunit.filter_glob=SUITE[.CASE], as the kernel takes it.
	glob=$(printf '%s\n' "$@" | sed -n 's/^kunit.filter_glob=//p')
	case $glob in '') glob='*.*' ;; *.*) ;; *) glob=$glob.'*' ;; esac
	printf 'KTAP version 1\n1..1\n'
	for t in fake_suite.case_one fake_suite.case_two fake_suite.case_three; do
		# shellcheck disable=SC2053
		[[ $t != $glob ]] || echo "$t"
	done
	exit 0 ;;
esac
printf 'Linux version 6.12.0 (fake)\nKTAP version 1\n1..1\n    KTAP version 1\n'
# A device probed late announces itself where kunit.py expects the name.
[ "$scenario" != noise ] ||
	printf 'input: AT Raw Set 2 keyboard as /devices/platform/i8042/serio0/input/input2\n'
printf '    # Subtest: fake_suite\n    1..3\n    ok 1 case_one\n'
case $scenario in
crash) printf 'Kernel panic - not syncing: fake crash in case_two\n'; exit 1 ;;
hang) exec sleep 600 ;;
fail) printf '    # case_two: EXPECTATION FAILED at mm/tests/fake.c:1\n    not ok 2 case_two\n' ;;
warn) printf 'WARNING: CPU: 0 PID: 1 at mm/truncate.c:3 truncate+0x0/0x10\n    ok 2 case_two\n' ;;
skip) printf '    ok 2 case_two # SKIP needs large folios\n' ;;
*) printf '    ok 2 case_two\n' ;;
esac
suite=ok
[ "$scenario" != fail ] || suite='not ok'
printf '    ok 3 case_three\n%s 1 fake_suite\nreboot: System halted\n' "$suite"
LINUX
}
