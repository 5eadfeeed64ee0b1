# cmake -DOBJDUMP=... -DOBJECTS=a.o[;b.o] -P check_prefetch.cmake
# Passes when the probe's code holds the slot prefetch and the block's four line prefetches.
execute_process(COMMAND ${OBJDUMP} -d ${OBJECTS} OUTPUT_VARIABLE code RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "${OBJDUMP} -d ${OBJECTS} failed")
endif()
string(REGEX MATCHALL "prefetcht0" found "${code}")
list(LENGTH found count)
if(count LESS 5)
  message(FATAL_ERROR "the memory store's prefetches were compiled away: ${count} prefetcht0 "
                      "instructions, expected 5 (one slot, four block lines)")
endif()
message(STATUS "${count} prefetcht0 instructions")
