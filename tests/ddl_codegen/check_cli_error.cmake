# Run by the tests ddl_codegen.cli.*: TOOL on SQL must fail with exit status 1, write nothing to
# OUTPUT, and print one message matching the regular expression in EXPECTED_FILE, where <SQL>
# stands for the path of SQL.
file(REMOVE ${OUTPUT})
execute_process(COMMAND ${TOOL} --output ${OUTPUT} ${SQL} RESULT_VARIABLE status
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${EXPECTED_FILE} expected)
string(STRIP "${expected}" expected)
string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" sql_regex "${SQL}")
string(REPLACE "<SQL>" "${sql_regex}" expected "${expected}")
if(NOT status EQUAL 1)
  message(FATAL_ERROR "exit status ${status}, not 1; stderr:\n${err}")
endif()
if(EXISTS ${OUTPUT})
  message(FATAL_ERROR "${OUTPUT} was written")
endif()
if(NOT err MATCHES "^${expected}\n$")
  message(FATAL_ERROR "stderr:\n${err}\ndoes not match:\n${expected}")
endif()
message(STATUS "${err}")
