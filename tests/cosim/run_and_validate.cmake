# Runs irqlab on a scenario and checks every results.json the run leaves (the top one and,
# for a comparison, each personality's) against docs/results.schema.json.
#   cmake -DIRQLAB=... -DPYTHON=... -DSOURCE_DIR=... -DSCENARIO=... -DOUT=... [-DARGS=-c:k=v]
#         -DEXPECT_SCHEMA=irqlab.results/3 -P run_and_validate.cmake
# ARGS: extra arguments of `irqlab run`, separated by ':' (a ';' would split the test's command).
string(REPLACE ":" ";" ARGS "${ARGS}")
file(REMOVE_RECURSE "${OUT}")
execute_process(COMMAND "${IRQLAB}" run "${SCENARIO}" --no-waves --out "${OUT}" ${ARGS}
                OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "irqlab run ${SCENARIO} ${ARGS} exited ${status}:\n${output}")
endif()
file(GLOB_RECURSE results LIST_DIRECTORIES false "${OUT}/results.json" "${OUT}/*/results.json")
list(REMOVE_DUPLICATES results)
list(LENGTH results count)
if(count EQUAL 0)
  message(FATAL_ERROR "irqlab run ${SCENARIO} left no results.json in ${OUT}")
endif()
execute_process(COMMAND "${PYTHON}" "${SOURCE_DIR}/tools/validate_results.py" ${results}
                OUTPUT_VARIABLE report ERROR_VARIABLE report RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "results do not match docs/results.schema.json:\n${report}")
endif()
file(READ "${OUT}/results.json" top)
string(JSON schema GET "${top}" schema)
if(NOT schema STREQUAL EXPECT_SCHEMA)
  message(FATAL_ERROR "${OUT}/results.json: schema ${schema}, expected ${EXPECT_SCHEMA}")
endif()
message(STATUS "${count} results.json valid: ${results}")
