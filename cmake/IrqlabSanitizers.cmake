# The sanitizer build and the fuzzers (docs/reliability.md).
#
# IRQLAB_SANITIZE=address,undefined compiles the project's C and C++ code with those
# sanitizers. It needs clang: g++ 12's UBSan did not finish compiling the Verilated SoC in
# 30 CPU-minutes, clang 14 takes seconds. Verilator's code (its runtime and the generated
# models) is compiled without them and at -O1 without debug information
# (IRQLAB_VERILATED_COMPILE_OPTIONS, applied by irqlab_verilate; IRQLAB_SANITIZE_VERILATED=ON
# instruments it as well): it is not ours, the only
# reports it ever gave were the FST writer's known ones (sanitize/ubsan.supp), and
# instrumenting it cost a large part of the build that CI's budget cannot carry
# (docs/reliability.md has the figures). ASan still checks every access our code makes,
# including into the models' memory, and its allocator still serves the models.
# Every executable then carries the runtime options of sanitize/default_options.cpp
# (the UBSan suppressions, halting on the first report, LeakSanitizer off), so ctest, the
# tests' child processes and a developer running a binary by hand all get them.
#
# IRQLAB_FUZZ=ON adds the libFuzzer targets of fuzz/ (needs IRQLAB_SANITIZE too: they
# share its build directory and its instrumented libraries).
set(IRQLAB_SANITIZE "" CACHE STRING "sanitizers for every target, e.g. address,undefined (clang only)")
# ON instruments Verilator's code too (a longer build, by hand: its UBSan reports are the
# ones sanitize/ubsan.supp lists).
option(IRQLAB_SANITIZE_VERILATED "also instrument Verilator's runtime and the Verilated models" OFF)
option(IRQLAB_FUZZ "build the libFuzzer targets of fuzz/ (clang, with IRQLAB_SANITIZE)" OFF)

if(IRQLAB_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "IRQLAB_SANITIZE needs clang: configure with CC=clang CXX=clang++")
  endif()
  # UBSan stays recoverable at compile time so that its suppressions apply (a check
  # compiled not to recover dies even when suppressed); halt_on_error makes every report
  # that is not suppressed fatal at run time.
  add_compile_options(-fsanitize=${IRQLAB_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${IRQLAB_SANITIZE})
  # Appended after the project's options on Verilator's sources only (the last -O wins).
  if(NOT IRQLAB_SANITIZE_VERILATED)
    set(IRQLAB_VERILATED_COMPILE_OPTIONS -fno-sanitize=all -O1 -g0)
  endif()
  # The runtime options every executable links (here, not in sanitize/, since an RTL
  # variant of `irqlab tune`, cmake/IrqlabRtlVariant.cmake, links them too).
  add_library(irqlab_sanitizer_options OBJECT ${CMAKE_SOURCE_DIR}/sanitize/default_options.cpp)
  target_compile_definitions(irqlab_sanitizer_options PRIVATE
    IRQLAB_UBSAN_SUPPRESSIONS="${CMAKE_SOURCE_DIR}/sanitize/ubsan.supp")
elseif(IRQLAB_FUZZ)
  message(FATAL_ERROR "IRQLAB_FUZZ needs IRQLAB_SANITIZE (e.g. address,undefined)")
endif()

# Links sanitize/'s default runtime options into every executable defined in `dir` and
# below it; called once the project's directories are added.
function(irqlab_add_sanitizer_options dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_link_libraries(${target} PRIVATE irqlab_sanitizer_options)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir ${subdirs})
    irqlab_add_sanitizer_options(${subdir})
  endforeach()
endfunction()
