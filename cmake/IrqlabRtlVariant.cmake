# An RTL variant of irqlab for `irqlab tune` (docs/tune.md, "RTL parameters"): the SoC
# Verilated from a varied description, linked against the archives of a main build.
#
# Configured by tools/rtl_variant.py as a second build tree of this project with
#   -DIRQLAB_RTL_VARIANT_OF=<main build dir>   (its CMakeCache.txt and archives are used)
#   -DIRQLAB_RTL_VARIANT_GEN=<dir>              (tools/socgen.py's output for the variant)
# The variant compiles only what depends on the model's build: the Verilated model (from
# the main build's sources and Verilator options, with the generated SoC top), the model's
# seam (IRQLAB_RTL_SEAM_SOURCES, against the generated cosim/soc_map.h) and the entry point
# (cli/main.cpp). Verilator's runtime and everything else come from the main build's
# archives; its model's objects define the same symbols as the variant's and are never
# pulled, since the variant's are linked as objects before any archive is searched.
# -DIRQLAB_RTL_VARIANT_TEST_MODEL=ON (rtl_variant.py --test-model, for the tune tests only):
# the model (irqlab_verilate's TEST_MODEL), its seam and main.cpp are compiled at -O1, since
# nothing measures a test's simulation speed; a user's tune keeps the build type's level.
option(IRQLAB_RTL_VARIANT_TEST_MODEL "compile the variant at -O1 (tests only)" OFF)
# File by file: main.cpp includes SystemC and the seam the Verilated model, which cannot
# follow it in one unity unit; a variant compiles only these few files anyway.
set(CMAKE_UNITY_BUILD OFF)

load_cache(${IRQLAB_RTL_VARIANT_OF} READ_WITH_PREFIX MAIN_
  IRQLAB_COSIM_TOP_SOURCES IRQLAB_COSIM_TOP_VERILATOR_ARGS IRQLAB_RTL_SEAM_SOURCES
  IRQLAB_COSIM_MODEL_COMPILE_OPTIONS IRQLAB_COSIM_MODEL_DEFINITIONS)
include(${IRQLAB_RTL_VARIANT_OF}/irqlab_rtl_variant_inputs.cmake)

# The main build's SoC top replaced by the variant's (socgen writes the same relative path).
set(model_sources "")
foreach(source ${MAIN_IRQLAB_COSIM_TOP_SOURCES})
  if(source STREQUAL "${CMAKE_SOURCE_DIR}/rtl/soc/irqlab_soc.sv")
    set(source "${IRQLAB_RTL_VARIANT_GEN}/rtl/soc/irqlab_soc.sv")
  endif()
  list(APPEND model_sources "${source}")
endforeach()

set(test_model "")
if(IRQLAB_RTL_VARIANT_TEST_MODEL)
  set(test_model TEST_MODEL)
endif()

# The model as an object library: its objects are linked whole, before any archive.
add_library(irqlab_variant_model OBJECT)
irqlab_verilate(irqlab_variant_model
  SOURCES ${model_sources}
  TOP_MODULE irqlab_cosim_top
  PREFIX Virqlab_cosim_top
  TRACE_FST
  ${test_model}
  VERILATOR_ARGS ${MAIN_IRQLAB_COSIM_TOP_VERILATOR_ARGS})
get_target_property(sources irqlab_variant_model SOURCES)
list(FILTER sources EXCLUDE REGEX "^${VERILATOR_ROOT}/include/")  # the main build's runtime
set_property(TARGET irqlab_variant_model PROPERTY SOURCES ${sources})
target_compile_options(irqlab_variant_model PRIVATE ${MAIN_IRQLAB_COSIM_MODEL_COMPILE_OPTIONS})
target_compile_definitions(irqlab_variant_model PRIVATE ${MAIN_IRQLAB_COSIM_MODEL_DEFINITIONS})

add_executable(irqlab ${CMAKE_SOURCE_DIR}/cosim/cli/main.cpp ${MAIN_IRQLAB_RTL_SEAM_SOURCES})
# The variant's soc_map.h before the sources' (the seam reads the RTL's parameters from it).
target_include_directories(irqlab BEFORE PRIVATE ${IRQLAB_RTL_VARIANT_GEN}/cosim)
target_include_directories(irqlab PRIVATE ${CMAKE_SOURCE_DIR}/cosim ${CMAKE_SOURCE_DIR}/kernel
                           ${CMAKE_SOURCE_DIR}/models)
if(IRQLAB_RTL_VARIANT_TEST_MODEL)
  target_compile_options(irqlab PRIVATE -O1)  # after the build type's -O3, so it wins
endif()
target_link_libraries(irqlab PRIVATE irqlab_variant_model
  -Wl,--start-group
  -Wl,--whole-archive ${IRQLAB_MAIN_WHOLE_ARCHIVES} -Wl,--no-whole-archive
  ${IRQLAB_MAIN_ARCHIVES}
  -Wl,--end-group
  CLI11::CLI11 spdlog::spdlog yaml-cpp nlohmann_json::nlohmann_json PkgConfig::SYSTEMC
  PkgConfig::PCAP ZLIB::ZLIB OpenSSL::Crypto Threads::Threads)
# A variant of the sanitizer build (rtl_variant.py passes its IRQLAB_SANITIZE and flags):
# its code instrumented as the main build's, with the same runtime options.
if(IRQLAB_SANITIZE)
  target_link_libraries(irqlab PRIVATE irqlab_sanitizer_options)
endif()
