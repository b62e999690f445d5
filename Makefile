# SPDX-License-Identifier: GPL-2.0
#
# Entry points of the invalidate_inode_pages2_range() series.  Run "make
# help" for the list.  Everything is built under $(BUILD), default ./build,
# in a directory for each queue (build/6.12, build/mainline).

export BUILD KERNEL_SRC KERNEL_TARBALL BASE T VARIANT REROLL ARCH PAGES MUST_RUN
export E2E_SECONDS E2E_OPS E2E_RUNS E2E_ARGS E2E_TEST_SRC
export BENCH ROUNDS BENCH_MEM STEP_PREFIX SCOPE

S := scripts
build_root := $(or $(BUILD),$(CURDIR)/build)

# make check and make check-all-arches run a fixed set (UML, x86_64 and
# arm64, normal and debug, every case): a variable that picks one run
# would quietly change what they prove.
matrix_goals := $(filter check check-all-arches,$(MAKECMDGOALS))
ifneq ($(matrix_goals),)
$(foreach v,ARCH PAGES VARIANT T MUST_RUN,$(if $(filter-out um normal,$($(v))),\
	$(error make $(matrix_goals) runs every architecture, variant and case: unset $(v)=$($(v)), which picks one run of make, make kunit-debug or make bench)))
endif

# ARCH, PAGES and VARIANT take the values listed in scripts/lib.sh:
# another is refused before any work.  (make 4.3 does not export to
# $(shell): pass them.)
vars_error := $(shell ARCH='$(ARCH)' PAGES='$(PAGES)' VARIANT='$(VARIANT)' \
	$(S)/check-vars)
ifneq ($(vars_error),)
$(error $(vars_error))
endif

# A base that has no queue (BASE=6.1, a 6.1 tree) is refused here, in one
# line, before any step runs.
ifneq ($(KERNEL_SRC)$(KERNEL_TARBALL)$(BASE),)
base_refused := $(shell BUILD='$(BUILD)' BASE='$(BASE)' KERNEL_SRC='$(KERNEL_SRC)' \
	KERNEL_TARBALL='$(KERNEL_TARBALL)' $(S)/queue --known 2>&1 >/dev/null)
ifneq ($(base_refused),)
$(error $(base_refused))
endif
endif

.PHONY: all kunit kunit-debug deps base-tree prepare check check-series check-mirror \
	check-tooling check-mutations check-static check-bisect check-docs \
	check-git-am check-mail mail mirror export reset drop clean distclean help \
	check-x86_64 check-x86_64-debug check-module check-arm64 \
	check-i386 check-nommu check-all-arches e2e \
	check-e2e check-start check-queue check-bases check-fresh-root costs

all: kunit

help:
	@echo 'make deps         install missing packages (as root), incl. linux-source-6.12'
	@echo 'make prepare      unpack the base tree once and apply its queue with quilt'
	@echo 'make              (make kunit) build UML and run the KUnit suite'
	@echo 'make kunit-debug  the same with lockdep, DEBUG_VM and friends'
	@echo 'make ARCH=x86_64  the same under QEMU (also ARCH=arm64 PAGES=4k|64k)'
	@echo 'make check        what CI runs: the tree-free checks, the CI steps on 6.12'
	@echo '                  (UML, x86_64, i386, !MMU, static, mutations...) and the fresh'
	@echo '                  root; with a base (KERNEL_SRC=DIR, BASE=6.12), every step on'
	@echo '                  that base (also module, arm64, debug, e2e...)'
	@echo 'make costs        COSTS.md: what each step of the last make check cost'
	@echo 'make check-all-arches  the suite alone on UML, x86_64 and arm64 (4K, 64K), i386, !MMU'
	@echo 'make check-module the suite as a module under KASAN, unloaded, then compaction'
	@echo 'make check-i386   the suite on i386 with HIGHMEM4G and 2 GiB under QEMU (kmap_local)'
	@echo 'make check-nommu  the suite compiles on riscv64 without an MMU (nommu_virt_defconfig)'
	@echo 'make check-fresh-root  install-deps in a new Debian 12 root, then run every program there'
	@echo 'make e2e          boot the x86_64 kernel, race mmap/O_DIRECT/NFS writers (check-e2e: short)'
	@echo 'make bench        invalidate_inode_pages2_range() ns per folio, base vs patched (ARCH=x86_64 too)'
	@echo 'make check-bench  the same, 1K folios once: does the benchmark still run?'
	@echo 'make mail         write the queue as mails for git send-email (REROLL=N: vN)'
	@echo 'make mirror       regenerate the mirrored files from patches/'
	@echo 'make export       copy the quilt stack of the build tree back into its queue'
	@echo 'make reset        drop unexported work in the build tree (saved first)'
	@echo 'make drop         drop exported work too: patches/ and its mirror as committed (saved first)'
	@echo 'make clean        remove build products, keep the unpacked bases'
	@echo 'make distclean    remove build/ entirely'
	@echo 'The base: BASE=6.12 (default: the series on the newest base that Debian'"'"'s'
	@echo '          registry has, what CI and a Debian 12 machine run with no other tree),'
	@echo '          KERNEL_SRC=DIR (a tree: mainline 7.1 or later, or 6.12.y),'
	@echo '          KERNEL_TARBALL=FILE; its version picks patches/mainline or 6.12.'
	@echo 'Variables: BUILD=DIR, T=suite.case (one test), VARIANT=normal|debug|module|e2e,'
	@echo '           ARCH=um|x86_64|arm64|i386, PAGES=4k|64k (arm64),'
	@echo '           MUST_RUN="SUITE..." (a skip there fails the run)'

deps:
	@$(S)/install-deps

base-tree: deps
	@$(S)/timed base-tree $(S)/base-tree

prepare: base-tree
	@$(S)/timed apply $(S)/apply

kunit: prepare
	@$(S)/timed kunit $(S)/run-kunit

kunit-debug: prepare
	@VARIANT=debug $(S)/timed kunit-debug $(S)/run-kunit

# make check: the checks that need no kernel tree (every queue), then the
# checks of a base, with the fresh root beside them.  Without a base
# (what CI runs): 6.12, the series on the newest base that Debian's
# registry has, what CI and a Debian 12 machine run with no other tree,
# with ci_steps, within CI's budget (a cold run from a fresh clone in 60
# minutes on 2 cores).  With one base (KERNEL_SRC, KERNEL_TARBALL or
# BASE): every step, full_steps.  Quick checks first, kernel builds last.
# Each step's wall time goes to $(build_root)/check/timings, printed at
# the end and written to $(build_root)/check/costs.md; "make costs" writes
# COSTS.md from the same files.
ifeq ($(KERNEL_SRC)$(KERNEL_TARBALL)$(BASE),)
check_base := BASE=6.12
check_scope := ci
else
check_base :=
check_scope := full
endif

# The fresh root runs beside the bases' checks (scripts/beside): it keeps
# about one CPU busy, and its output is shown when they are done.
check: check-start deps check-series check-mirror check-tooling
	@$(S)/beside $(build_root)/check/fresh-root.log \
		$(MAKE) --no-print-directory check-fresh-root -- \
		$(MAKE) --no-print-directory check-bases
	@$(S)/check-summary check/tooling check/fresh-root \
		$$(cat $(build_root)/check/results)
	@date +%s >$(build_root)/check/end && \
		$(S)/costs $(build_root)/check/costs.md

check-bases:
	@$(MAKE) --no-print-directory check-queue $(check_base) SCOPE=$(check_scope)

# The steps of a base, and the result directories they leave (under
# build/QUEUE/results/).  SCOPE=ci: ci_steps; SCOPE=full (the default):
# full_steps.  A step is a make target; add one to a list, and its
# results to the list beside it.
# (make 4.3 does not export to $(shell): name what scripts/queue reads)
queue = $(shell BUILD='$(BUILD)' BASE='$(BASE)' KERNEL_SRC='$(KERNEL_SRC)' \
	KERNEL_TARBALL='$(KERNEL_TARBALL)' $(S)/queue)
# CI's steps: the tree-free ones, UML with the mutations and every
# prefix of the series, then one kernel per property UML cannot show:
# x86_64 with the suite as a module under KASAN, DEBUG_VM and lockdep
# (large folios, two CPUs, and the unload with what follows it), i386
# with HIGHMEM, and the !MMU build.  The full run adds the built-in
# x86_64 run, debug on UML and x86_64, arm64, e2e and the benchmark.
ci_steps := prepare check-docs check-git-am check-mail kunit check-static \
	check-mutations check-bisect check-module check-i386 check-nommu
ci_results := uml mutations x86_64-module i386 nommu
full_steps := $(ci_steps) check-x86_64 kunit-debug check-x86_64-debug \
	check-arm64 check-e2e check-bench
full_results := $(ci_results) x86_64 uml-debug x86_64-debug \
	arm64-4k arm64-64k e2e
ifeq ($(SCOPE),ci)
steps = $(ci_steps)
results = $(ci_results)
else
steps = $(full_steps)
results = $(full_results)
endif

check-queue:
	@q=$(queue) && [ -n "$$q" ] && \
	$(MAKE) --no-print-directory STEP_PREFIX=$$q/ $(steps) && \
	printf '%s\n' $(addprefix $(queue)/results/,$(results)) \
		>>$(build_root)/check/results

check-start:
	@rm -rf $(build_root)/check && mkdir -p $(build_root)/check && \
		date +%s >$(build_root)/check/start && \
		echo '$(strip make check $(if $(KERNEL_SRC),KERNEL_SRC=$(KERNEL_SRC)) \
		$(if $(KERNEL_TARBALL),KERNEL_TARBALL=$(KERNEL_TARBALL)) \
		$(if $(BASE),BASE=$(BASE)))' >$(build_root)/check/command && \
		{ d=$$(ccache -k cache_dir 2>/dev/null) && [ -d "$$d" ] && \
			find "$$d" -type f -name '*R' | wc -l || echo 0; } \
		>$(build_root)/check/ccache

# x86_64 and arm64 (4K and 64K pages) run the large-folio and SMP cases
# that UML skips; there a skip in the suite fails the run (MUST_RUN).
check-x86_64: prepare
	@ARCH=x86_64 VARIANT=normal $(S)/timed x86_64 $(S)/run-kunit

check-x86_64-debug: prepare
	@ARCH=x86_64 VARIANT=debug $(S)/timed x86_64-debug $(S)/run-kunit

# The suite as a module, loaded under QEMU, as distributions build it,
# with KASAN and DEBUG_VM: then unloaded, memory compacted and the caches
# dropped, with the log still clean (nothing of a test outlives it).
check-module: prepare
	@ARCH=x86_64 VARIANT=module $(S)/timed x86_64-module $(S)/run-kunit

# i386 with HIGHMEM4G and 2 GiB: the suite's folios in highmem, reached
# through kmap_local, and a 32-bit pgoff_t.
check-i386: prepare
	@ARCH=i386 VARIANT=normal $(S)/timed i386 $(S)/run-kunit

# The KUnit objects compile for riscv64 without an MMU (no kernel run).
check-nommu: prepare
	@$(S)/timed nommu $(S)/check-nommu

check-arm64: prepare
	@ARCH=arm64 PAGES=4k VARIANT=normal $(S)/timed arm64-4k $(S)/run-kunit
	@ARCH=arm64 PAGES=64k VARIANT=normal $(S)/timed arm64-64k $(S)/run-kunit

# The suite alone on every architecture, without the other checks.
check-all-arches: kunit kunit-debug check-x86_64 check-x86_64-debug check-arm64 \
	check-module check-i386 check-nommu

# End to end: the x86_64 KUnit kernel boots an initramfs and runs the
# selftest invalidate_mmap_coherency on ext4 and on NFS over loopback.
# check-e2e is the same with 3-second scenarios (not in "make check").
e2e: prepare
	@$(S)/e2e

check-e2e: prepare
	@E2E_SECONDS=$${E2E_SECONDS:-3} $(S)/timed e2e $(S)/e2e

# The cost per folio of invalidate_inode_pages2_range(), base tree (the
# series without its mm/truncate.c change) against patched, side by side:
# $(BUILD)/bench/NAME/table.md and bench.png.  check-bench is a smoke run
# (1K folios, once) that "make check" runs to prove the benchmark works.
.PHONY: bench check-bench
bench: prepare
	@$(S)/bench

check-bench: prepare
	@BENCH=smoke $(S)/timed bench-smoke $(S)/bench

# Tree-free: every queue.
check-series:
	@$(S)/check-series

check-mirror:
	@$(S)/mirror --check

check-git-am: prepare
	@$(S)/timed git-am $(S)/git-series

check-mail: prepare
	@$(S)/timed mail $(S)/mail --check

mail: prepare
	@$(S)/mail

# The stand-in kernel needs only the base's kunit.py.
check-tooling: base-tree
	@$(S)/timed tooling $(S)/test-tooling

# A new Debian 12 root: scripts/install-deps from nothing, then every
# program the scripts call, run there once (as root; cached in ~/.cache).
check-fresh-root: deps
	@$(S)/timed fresh-root $(S)/check-fresh-root

check-docs: prepare
	@$(S)/timed docs $(S)/check-docs

# Both build in the UML configuration that "make kunit" makes.
check-static: kunit
	@$(S)/timed static $(S)/check-static

check-mutations: prepare
	@$(S)/timed mutations $(S)/check-mutations

check-bisect: kunit
	@$(S)/timed bisect $(S)/check-bisect

mirror:
	@$(S)/mirror

# COSTS.md, from the timings of the last "make check" (build/check/).
costs:
	@$(S)/costs COSTS.md

export:
	@$(S)/export

reset:
	@$(S)/reset

# Back to the committed series: patches/QUEUE as git has it, its mirror,
# and the build tree (everything dropped is saved under build/QUEUE/saved/).
drop:
	@$(S)/drop

# Everything but the unpacked bases, the quilt trees and the git
# repositories of the bases, which are slow to make and hold no build
# product.
clean:
	rm -rf $(build_root)/check $(filter-out $(foreach q,mainline 6.12,\
		$(addprefix $(build_root)/$(q)/,pristine base.info linux imported \
		base.git git saved)),$(wildcard $(build_root)/*/*))

distclean:
	rm -rf $(build_root)
