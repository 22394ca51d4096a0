# irqlab_verilate(): Verilator's verilate() made safe for incremental builds.
#
# verilate() reads the list of files Verilator generates when CMake configures, and it
# re-runs Verilator at configure time only when its command line changes. After an RTL
# edit the first build would compile a stale file list. Passing a hash of the sources on
# the command line, and making the sources configure dependencies, re-verilates at
# configure time whenever the RTL changes, so the list is always current.
# Verilator's code is not ours to warn about: its generated and runtime sources are
# compiled with -w, and its include directories are marked SYSTEM so that our sources
# that include the Verilated model's headers are not flooded either. In the sanitizer build
# those sources also take IRQLAB_VERILATED_COMPILE_OPTIONS (cmake/IrqlabSanitizers.cmake).
# Called more than once on one target, it adds another model to it; the models then share
# one compiled copy of Verilator's runtime.
# The model's `__Slow` files (construction, reset, initial settle, the trace's declarations:
# code that runs once per model) are compiled at -O1, the evaluation files at the project's
# level: -O3, which the simulation's speed needs in the evaluation, costs a sixth more
# compile in those files for nothing (docs/reliability.md, "Build CPU time").
# TEST_MODEL: a model only tests run, whose speed nothing measures (the RTL block suites,
# the new-device demo): its evaluation files are compiled at -O1 too (the SoC's largest
# evaluation file: 9.2 CPU s at -O3, 4.9 at -O1).
# Takes SOURCES, TOP_MODULE, PREFIX, TRACE_FST, SYSTEMC and VERILATOR_ARGS, as verilate() does.
function(irqlab_verilate target)
  cmake_parse_arguments(ARG "TRACE_FST;SYSTEMC;TEST_MODEL" "TOP_MODULE;PREFIX" "SOURCES;VERILATOR_ARGS" ${ARGN})
  set(hashes "")
  foreach(source ${ARG_SOURCES})
    get_filename_component(path "${source}" ABSOLUTE)
    file(MD5 "${path}" hash)
    string(APPEND hashes "${hash}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
  endforeach()
  string(MD5 sources_hash "${hashes}")
  set(flags "")
  if(ARG_TRACE_FST)
    list(APPEND flags TRACE_FST)
  endif()
  if(ARG_SYSTEMC)
    list(APPEND flags SYSTEMC)
  endif()
  if(ARG_TEST_MODEL)
    list(APPEND flags OPT_FAST -O1)
  endif()
  verilate(${target} SOURCES ${ARG_SOURCES} TOP_MODULE ${ARG_TOP_MODULE} PREFIX ${ARG_PREFIX} ${flags}
           OPT_SLOW -O1
           VERILATOR_ARGS ${ARG_VERILATOR_ARGS} -DIRQLAB_RTL_HASH_${sources_hash})
  set(verilated_dir "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${target}.dir/${ARG_PREFIX}.dir")
  target_include_directories(${target} SYSTEM PUBLIC "${verilated_dir}"
                             "${VERILATOR_ROOT}/include" "${VERILATOR_ROOT}/include/vltstd")
  get_target_property(target_sources ${target} SOURCES)
  foreach(source ${target_sources})
    if(source MATCHES "^(${verilated_dir}|${VERILATOR_ROOT}/include)/.*\\.cpp$")
      # The runtime's sources are already marked when an earlier model of the target added them.
      get_property(options SOURCE "${source}" PROPERTY COMPILE_OPTIONS)
      if(NOT "-w" IN_LIST options)
        set_property(SOURCE "${source}" APPEND PROPERTY COMPILE_OPTIONS -w ${IRQLAB_VERILATED_COMPILE_OPTIONS})
        set_property(SOURCE "${source}" PROPERTY SKIP_UNITY_BUILD_INCLUSION ON)
      endif()
    endif()
  endforeach()
endfunction()
