# Runs COMMAND (a ;-list) and passes only when it exits with EXPECTED exactly.
# CTest's WILL_FAIL passes on any non-zero exit, a sanitizer's abort included;
# this checks the one code the test expects (exit_codes.h).
# Usage: cmake -DEXPECTED=2 "-DCOMMAND=prog|arg|..." -P expect_exit.cmake (| between the words:
# add_test passes a ; through as it is).
string(REPLACE "|" ";" command "${COMMAND}")
execute_process(COMMAND ${command} RESULT_VARIABLE code OUTPUT_QUIET)
if(NOT code STREQUAL EXPECTED)
  message(FATAL_ERROR "${command}: exit ${code}, expected ${EXPECTED}")
endif()
