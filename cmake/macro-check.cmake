# Run by the test header_check.no_internal_macros (see header-check.cmake): preprocesses SOURCE
# (every public header) with -dM and fails on any UPSERTKIT_ macro other than the include
# guards (..._HPP) and UPSERTKIT_VERSION*, and on <sys/mman.h>'s macros (the memory store
# declares the three calls it makes instead of including that header).
execute_process(COMMAND ${COMPILER} -std=c++20 -dM -E -I${INCLUDE_DIR} ${SOURCE}
                OUTPUT_VARIABLE defined ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the public headers do not preprocess:\n${errors}")
endif()
string(REGEX MATCHALL "#define UPSERTKIT_[A-Za-z0-9_]+" ours "${defined}")
set(leaked "")
foreach(line IN LISTS ours)
  string(REPLACE "#define " "" name "${line}")
  if(name MATCHES "_HPP$" OR name MATCHES "^UPSERTKIT_VERSION(_MAJOR|_MINOR|_PATCH)?$")
    continue()
  endif()
  list(APPEND leaked ${name})
endforeach()
foreach(name IN ITEMS PROT_READ MAP_ANONYMOUS MAP_FAILED MADV_HUGEPAGE)
  if(defined MATCHES "#define ${name} ")
    list(APPEND leaked ${name})
  endif()
endforeach()
list(LENGTH ours count)
if(leaked)
  message(FATAL_ERROR "macros leak out of the public headers: ${leaked}")
endif()
message(STATUS "no internal macro leaks (${count} UPSERTKIT_ macros, all guards or the version)")
