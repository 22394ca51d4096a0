# Runs irqlab on SCENARIO into OUT (waves off: they are not what is checked) and checks
# every timeline.json it wrote (one per personality in a comparison) with the Chrome JSON
# trace checker CHECK under PYTHON.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${IRQLAB} run ${SCENARIO} --out ${OUT} -c waves=false RESULT_VARIABLE run_status)
if(NOT run_status EQUAL 0)
  message(FATAL_ERROR "irqlab run ${SCENARIO} failed: ${run_status}")
endif()
file(GLOB_RECURSE timelines ${OUT}/timeline.json)
if(NOT timelines)
  message(FATAL_ERROR "no timeline.json under ${OUT}")
endif()
foreach(timeline IN LISTS timelines)
  execute_process(COMMAND ${PYTHON} ${CHECK} ${timeline} RESULT_VARIABLE check_status)
  if(NOT check_status EQUAL 0)
    message(FATAL_ERROR "${timeline} is not a valid Chrome JSON trace")
  endif()
endforeach()
