# SPDX-License-Identifier: GPL-2.0
#
# KVM arm64 FP/SIMD/SVE component: from a fresh Debian 12 machine to arm64
# kernels booted under QEMU, running the KVM selftests.
#
#   make deps       install what is missing (idempotent)
#   make kernel     unpack/patch the base kernel, build every kernel flavour
#   make selftests  build the KVM selftests and pack the initramfs
#   make run        the main job: boot a kernel and run the demo VMM
#   make check      host tests, kernels, lint, selftests over the matrix,
#                   summary
#   make bench      deterministic (-icount) FP exit benchmark, C versus Rust
#   make lint       rustfmt, CLIPPY=1 and uncalled functions (in make check)
#   make mutants    mutation testing of the component (not in make check)
#   make vmm-check  Debian's QEMU as the VMM, migrating an SVE guest, in
#                   every cell (make check runs it in some)
#   make series     the patch series for git am, in out/series/
#   make series-check  build every prefix of the series (not in make check)
#
# KDIR=<tree>   build into your own 6.12 tree instead of the Debian source.
# KERNELS=...   which flavours to build and test (default: c rust c-debug
#               rust-debug; make run and make bench use the plain ones).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := run
.DELETE_ON_ERROR:
# Keep the generated .config files: they are not intermediates to delete.
.SECONDARY:

TOP   := $(CURDIR)
BUILD := $(TOP)/build
OUT   := $(TOP)/out
DEPS  := $(BUILD)/deps

KVER     := 6.12
KTARBALL := /usr/src/linux-source-$(KVER).tar.xz
ifdef KDIR
KSRC  := $(abspath $(KDIR))
STATE := $(BUILD)/kdir-state
else
KSRC  := $(BUILD)/linux-source-$(KVER)
STATE := $(BUILD)/state
endif

export PATH := /usr/lib/llvm-19/bin:$(HOME)/.cargo/bin:$(PATH)
JOBS  ?= $(shell nproc)
KMAKE  = $(MAKE) -s -C $(KSRC) ARCH=arm64 LLVM=1 -j$(JOBS)

# Kernel flavours: each is a build directory and a list of config fragments.
# c: the C fpsimd.c and sve.c (the oracle); rust: CONFIG_KVM_ARM64_FPSIMD_RUST;
# c-debug, rust-debug: the same with the kernel's checkers.
KERNELS ?= c rust c-debug rust-debug
FRAGS_c    := configs/base.config configs/test.config
FRAGS_rust := configs/base.config configs/test.config configs/rust.config
# The debug flavours: the same kernels with KASAN, UBSAN, lockdep and the
# preemption and sleep checks (configs/debug.config).
FRAGS_c-debug    := $(FRAGS_c) configs/debug.config
FRAGS_rust-debug := $(FRAGS_rust) configs/debug.config


KSELFTEST := $(BUILD)/kselftest
INITRAMFS := $(BUILD)/initramfs.cpio.gz
DEMO      := $(BUILD)/demo/aarch64-unknown-linux-musl/release/fp-demo-vmm

.PHONY: deps tree kernel selftests demo initramfs run check vmm-check unit lint bench mutants series series-check clean distclean

deps:
	@scripts/deps.sh $(DEPS)

# ---------------------------------------------------------------- the tree

$(BUILD)/linux-source-$(KVER)/Makefile: | deps
	@echo "  UNPACK  $(KTARBALL)"
	@mkdir -p $(BUILD)
	@tar -C $(BUILD) -xf $(KTARBALL)
	@touch $@

# Bring the tree to the series' final tree: the hunks of each patch of
# patches/series (scripts/apply-patches.sh), then the repository files the
# series adds, copied to their places (scripts/series.py install, which
# also removes those an earlier series installed and this one no longer
# has). Unchanged files (and their timestamps) are left alone, so Kbuild
# rebuilds only what really changed.
tree: $(KSRC)/Makefile
	@scripts/apply-patches.sh $(KSRC) patches $(STATE)
	@scripts/series.py install $(KSRC) $(STATE)

# --------------------------------------------------------------- kernels

# A Rust flavour differs from its C flavour only in
# CONFIG_KVM_ARM64_FPSIMD_RUST. Its first build starts from a copy of the
# C flavour's build directory when that one is built: Kbuild then rebuilds
# only what depends on the option, and the Rust crates (measured: 2 min 10 s
# instead of 4.5 min for the plain kernel, the same vmlinux symbols).
SEED_rust       := c
SEED_rust-debug := c-debug

# The .config is regenerated only when a fragment changes.
.SECONDEXPANSION:
$(BUILD)/kernel-%/.config: $$(FRAGS_$$*) scripts/kconfig.sh $(wildcard patches/*.patch) | tree
	@if [ ! -e $@ ] && [ -n "$(SEED_$*)" ] && \
	    [ -e $(BUILD)/kernel-$(SEED_$*)/vmlinux ]; then \
		echo "  SEED    kernel-$* from kernel-$(SEED_$*)"; \
		mkdir -p $(BUILD)/kernel-$*; \
		cp -a $(BUILD)/kernel-$(SEED_$*)/. $(BUILD)/kernel-$*/; \
	fi
	@echo "  CONFIG  kernel-$*"
	@scripts/kconfig.sh $(KSRC) $(BUILD)/kernel-$* $(FRAGS_$*)

kernel-%: tree $(BUILD)/kernel-%/.config
	@echo "  KERNEL  kernel-$* ($(BUILD)/kernel-$*)"
	@$(KMAKE) O=$(BUILD)/kernel-$* Image

kernel: deps tree $(addprefix kernel-,$(KERNELS))

# ------------------------------------------------------------- selftests

selftests: kernel-c
	@echo "  HEADERS kernel-c"
	@$(KMAKE) O=$(BUILD)/kernel-c headers_install
	@echo "  KSFT    kvm"
	@$(MAKE) -s -C $(KSRC)/tools/testing/selftests -j$(JOBS) TARGETS=kvm \
		ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- TARGET_ARCH=-static \
		O=$(BUILD)/kernel-c INSTALL_PATH=$(KSELFTEST) install >/dev/null
	@scripts/mkvmm.py driver $(KSELFTEST)
	@$(MAKE) -s initramfs

demo:
	@echo "  CARGO   fp-demo-vmm"
	@CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=rust-lld \
		cargo build -q --release --manifest-path demo/Cargo.toml \
		--target aarch64-unknown-linux-musl --target-dir $(BUILD)/demo

$(BUILD)/kvm-hold: qemu/kvm-hold.c
	@echo "  CC      kvm-hold"
	@aarch64-linux-gnu-gcc -static -O2 -Wall -Werror -o $@ $<

initramfs: demo $(BUILD)/kvm-hold
	@scripts/mkinitramfs.sh $(INITRAMFS) $(DEPS)/busybox/bin/busybox \
		qemu/init $(KSELFTEST) $(DEMO) qemu/ksft-args.sh $(BUILD)/kvm-hold
	@scripts/mkvmm.py payload $(DEPS)/qemu-vmm/root $(BUILD) $(INITRAMFS)

# ------------------------------------------------------------ main jobs

# The demo boots the Rust kernel (the last plain flavour in KERNELS) and
# builds only that kernel (and the C one, whose headers the selftests use).
RUN_KERNEL ?= $(lastword $(filter-out %-debug,$(KERNELS)))
RUN_CPU    ?= sve=on
RUN_MODE   ?= vhe
RUN_ARGS   ?=

run: deps tree kernel-c kernel-$(RUN_KERNEL) selftests
	@scripts/run.py --build $(BUILD) --out $(OUT) --initramfs $(INITRAMFS) \
		--matrix qemu/matrix.json --kernel $(RUN_KERNEL) \
		--cpu "$(RUN_CPU)" --mode $(RUN_MODE) --args="$(RUN_ARGS)"

# Host tests of the pure logic the kernel crate shares (rust/lib.rs).
unit:
	@echo "  CARGO   test rust/"
	@cargo test -q --manifest-path rust/Cargo.toml --target-dir $(BUILD)/cargo

# rustfmt --check on every .rs file, and a CLIPPY=1 build of the Rust crate
# in a copy of the Rust kernel's build directory (scripts/lint.sh); any
# finding fails. make check runs it when it tests the Rust kernel.
lint: tree kernel-rust
	@scripts/lint.sh $(KSRC) $(BUILD)/kernel-rust

# The emulator of the qemu_vmm boots (qemu/matrix.json, "vmm"; scripts/deps.sh).
VMM_EMULATOR := $(DEPS)/qemu-outer/root/usr/bin/qemu-system-aarch64

check: deps unit kernel selftests $(if $(filter rust,$(KERNELS)),lint)
	@scripts/check.py --build $(BUILD) --out $(OUT) --initramfs $(INITRAMFS) \
		--matrix qemu/matrix.json --kernels "$(KERNELS)" --ksrc $(KSRC) \
		--vmm-emulator $(VMM_EMULATOR)

# qemu_vmm alone (qemu/vmm/qemu_vmm.sh): Debian's arm64 QEMU as the VMM
# inside the plain kernels, in every cell, not only those of make check.
vmm-check: deps kernel-c kernel-rust selftests
	@scripts/check.py --build $(BUILD) --out $(OUT)/vmm --initramfs $(INITRAMFS) \
		--matrix qemu/matrix.json --kernels "$(filter-out %-debug,$(KERNELS))" \
		--ksrc $(KSRC) --vmm --vmm-emulator $(VMM_EMULATOR)

# The benchmark runs the plain kernels (never the debug flavours) in the
# BENCH_MODES, with fp_exit_bench's arguments in BENCH_ARGS (comma-separated).
BENCH_KERNELS ?= $(filter-out %-debug,$(KERNELS))
BENCH_MODES   ?= vhe
BENCH_ARGS    ?=

bench: deps tree $(addprefix kernel-,$(BENCH_KERNELS)) selftests
	@scripts/bench.py --build $(BUILD) --out $(OUT) --initramfs $(INITRAMFS) \
		--matrix qemu/matrix.json --kernels "$(BENCH_KERNELS)" --ksrc $(KSRC) \
		--modes "$(BENCH_MODES)" --args "$(BENCH_ARGS)"

# The series (scripts/series.py): out/series/, git format-patch against the
# Debian base with a cover letter, checked with checkpatch.pl --strict and
# git am; series-check builds every prefix of it with the component's
# option off and on (not part of make check). Every patch is From: and
# Signed-off-by: SERIES_IDENTITY.
SERIES_IDENTITY ?= KVM FP team <kvm-fp@example.org>
SERIES_ARGS = --tarball $(KTARBALL) --build $(BUILD) --out $(OUT) \
	--identity "$(SERIES_IDENTITY)"

series: deps $(BUILD)/linux-source-$(KVER)/Makefile
	@scripts/series.py make $(SERIES_ARGS) --ksrc $(BUILD)/linux-source-$(KVER)

series-check: series
	@scripts/series.py check $(SERIES_ARGS) --off "$(FRAGS_c)" --on "$(FRAGS_rust)"

# Mutation testing (scripts/mutants.py; not part of make check): each
# mutant of the component, built into the Rust kernel and run against the
# selftests that should catch it. MUTANTS=<regex> picks some.
mutants: deps tree kernel-rust selftests
	@scripts/mutants.py --build $(BUILD) --ksrc $(KSRC) --initramfs $(INITRAMFS) \
		--matrix qemu/matrix.json --out $(OUT)

clean:
	rm -rf $(BUILD)/kernel-* $(BUILD)/kselftest $(BUILD)/demo $(INITRAMFS) $(OUT)

distclean:
	rm -rf $(BUILD) $(OUT)
