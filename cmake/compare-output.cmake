# Runs EXE (with the list ARGS, if given) and fails unless it exits 0 and its stdout equals the
# file EXPECTED.
execute_process(COMMAND ${EXE} ${ARGS} OUTPUT_VARIABLE actual RESULT_VARIABLE status)
file(READ ${EXPECTED} expected)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${EXE} exited with ${status}")
endif()
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output of ${EXE} differs.\n--- expected\n${expected}--- actual\n${actual}")
endif()
