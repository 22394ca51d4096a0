# Fails when a rule ID of research/kernel-semantics.md has no test whose name carries it.
# A rule "L-SI-10" is covered by a GoogleTest named like "...L_SI_10_...".
# Usage: cmake -DRULES=<kernel-semantics.md> -DTESTS=<tests/kernel> -P check_rule_coverage.cmake
if(NOT EXISTS "${RULES}")
  message(FATAL_ERROR "rule file not found: ${RULES}")
endif()
file(READ "${RULES}" rules_text)
string(REGEX MATCHALL "\\*\\*[A-Z]+(-[A-Z]+)?-[0-9]+\\*\\*" rule_marks "${rules_text}")
list(REMOVE_DUPLICATES rule_marks)

file(GLOB test_files "${TESTS}/*.cpp")
set(test_names "")
foreach(file ${test_files})
  file(STRINGS "${file}" lines REGEX "^TEST(_F)?\\(")
  list(APPEND test_names ${lines})
endforeach()
string(JOIN "\n" tests_text ${test_names})

set(missing "")
set(count 0)
foreach(mark ${rule_marks})
  string(REPLACE "*" "" rule "${mark}")
  string(REPLACE "-" "_" id "${rule}")
  math(EXPR count "${count} + 1")
  # The ID must not run on into more digits (L_SI_1 is not L_SI_10).
  if(NOT tests_text MATCHES "[^A-Za-z0-9]${id}(_[A-Za-z]|[^0-9_A-Za-z])")
    list(APPEND missing "${rule}")
  endif()
endforeach()

if(missing)
  string(JOIN ", " missing_text ${missing})
  list(LENGTH missing n)
  message(FATAL_ERROR "${n} of ${count} rules have no test: ${missing_text}")
endif()
message(STATUS "all ${count} rules of ${RULES} have a test")
