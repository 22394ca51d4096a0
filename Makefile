# The two front doors: `make run` and `make test`. Both install what is missing,
# configure and build with CMake, then run the default scenario (and write its HTML
# report, printing its path) or every test.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/ipsec.yaml
OUT_DIR ?= out
BENCH_ARGS ?=

.PHONY: all deps configure build run test bench format-check tidy clean

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

# Guard rails on changed code (docs/development.md): formatting of the lines changed since
# FORMAT_BASE, clang-tidy on the .cpp files changed since TIDY_BASE (or on TIDY_FILES).
FORMAT_BASE ?= main
TIDY_BASE ?= main
TIDY_FILES ?=

format-check:
	@bash tools/format-check.sh $(FORMAT_BASE)

tidy: configure
	@BUILD_DIR=$(BUILD_DIR) TIDY_BASE=$(TIDY_BASE) bash tools/tidy.sh $(TIDY_FILES)

clean:
	rm -rf $(BUILD_DIR) $(OUT_DIR)
