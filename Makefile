# The two front doors: `make run` and `make test`. Both install what is missing,
# configure and build with CMake, then run the default scenario (and write its HTML
# report, printing its path) or every test.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/ipsec.yaml
OUT_DIR ?= out
BENCH_ARGS ?=

.PHONY: all deps configure build run test bench format-check tidy clean build-sanitize test-sanitize fuzz

all: build

deps:
	@bash tools/setup-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/cosim/irqlab run $(SCENARIO) --out $(OUT_DIR)
	$(BUILD_DIR)/cosim/irqlab report $(OUT_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD_DIR)/bench/irqlab_bench $(BENCH_ARGS)

# The sanitizer build (docs/reliability.md): clang with ASan and UBSan at -O1 in its own
# directory (Verilator's code uninstrumented). `make test-sanitize`, which CI runs, builds it
# and runs every C++ test of the suite there (not the RTL lint and synthesis, the
# generated-file and Python checks, nor the bench, which this build leaves out), the
# planted bugs and the fuzzers' corpus replays. `make fuzz` then runs each fuzzer for
# FUZZ_SECONDS.

SANITIZE_BUILD_DIR ?= build-sanitize
SANITIZE ?= address,undefined
SANITIZE_CMAKE_ARGS ?=
SANITIZE_EXCLUDE ?= ^rtl_synth|^rtl_lint|^new_device_generate$$|_current$$
FUZZERS ?= scenario_fuzzer pcap_fuzzer esp_fuzzer mmio_fuzzer
FUZZ_SECONDS ?= 60

$(SANITIZE_BUILD_DIR)/CMakeCache.txt: | deps
	CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
	  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
	  -DIRQLAB_SANITIZE=$(SANITIZE) -DIRQLAB_FUZZ=ON $(SANITIZE_CMAKE_ARGS)

build-sanitize: deps $(SANITIZE_BUILD_DIR)/CMakeCache.txt
	cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)

test-sanitize: build-sanitize
	cd $(SANITIZE_BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -LE 'tools|bench' -E '$(SANITIZE_EXCLUDE)'

fuzz: deps $(SANITIZE_BUILD_DIR)/CMakeCache.txt
	cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS) --target $(FUZZERS)
	bash fuzz/run.sh $(SANITIZE_BUILD_DIR) $(FUZZ_SECONDS)

# Guard rails on changed code (docs/development.md): formatting of the lines changed since
# FORMAT_BASE, clang-tidy on the .cpp files changed since TIDY_BASE (or on TIDY_FILES).
FORMAT_BASE ?= main
TIDY_BASE ?= main
TIDY_FILES ?=

format-check:
	@bash tools/format-check.sh $(FORMAT_BASE)

# clang-tidy needs each source's own compile command, which a unity build replaces by its
# batches' (docs/development.md): tidy reads those of a configured, never built tree
# without unity builds.
TIDY_BUILD_DIR ?= build-tidy

$(TIDY_BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(TIDY_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DIRQLAB_UNITY_BUILD=OFF

tidy: deps $(TIDY_BUILD_DIR)/CMakeCache.txt
	@BUILD_DIR=$(TIDY_BUILD_DIR) TIDY_BASE=$(TIDY_BASE) bash tools/tidy.sh $(TIDY_FILES)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_BUILD_DIR) $(TIDY_BUILD_DIR) $(OUT_DIR)
