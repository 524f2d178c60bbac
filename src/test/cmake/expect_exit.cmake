# Runs COMMAND (a ;-list) and passes only when it exits with EXPECTED exactly.
# CTest's WILL_FAIL passes on any non-zero exit, a sanitizer's abort included;
# this checks the one code the test expects (exit_codes.h).
# Usage: cmake -DEXPECTED=2 -DCOMMAND="prog;arg;..." -P expect_exit.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_QUIET)
if(NOT code STREQUAL EXPECTED)
  message(FATAL_ERROR "${COMMAND}: exit ${code}, expected ${EXPECTED}")
endif()
