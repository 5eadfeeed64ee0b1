# Run by the test header_check.no_internal_macros (see header-check.cmake): preprocesses SOURCE
# (every public header) with -dM and fails on any UPSERTKIT_ macro other than the include
# guards (..._HPP) and UPSERTKIT_VERSION*, and on <sys/mman.h>'s macros (the memory store
# declares the three calls it makes instead of including that header).
# With SEPARATE_COMPILATION, UPSERTKIT_SEPARATE_COMPILATION is defined (and allowed), so that
# separate_compilation.hpp includes the definitions (.ipp files); each .ipp file of the tree
# must then be one it includes.
set(flags "")
if(SEPARATE_COMPILATION)
  set(flags -DUPSERTKIT_SEPARATE_COMPILATION)
  file(READ ${INCLUDE_DIR}/upsertkit/separate_compilation.hpp listing)
  file(GLOB_RECURSE definitions RELATIVE ${INCLUDE_DIR}/upsertkit ${INCLUDE_DIR}/upsertkit/*.ipp)
  foreach(file IN LISTS definitions)
    # simd_namespace.ipp opens a namespace; it defines no function.
    if(NOT file STREQUAL "formats/simd_namespace.ipp" AND NOT listing MATCHES "#include \"${file}\"")
      message(FATAL_ERROR "upsertkit/separate_compilation.hpp does not include ${file}")
    endif()
  endforeach()
endif()
execute_process(COMMAND ${COMPILER} -std=c++20 ${flags} -dM -E -I${INCLUDE_DIR} ${SOURCE}
                OUTPUT_VARIABLE defined ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the public headers do not preprocess:\n${errors}")
endif()
string(REGEX MATCHALL "#define UPSERTKIT_[A-Za-z0-9_]+" ours "${defined}")
set(leaked "")
foreach(line IN LISTS ours)
  string(REPLACE "#define " "" name "${line}")
  if(name MATCHES "_HPP$" OR name MATCHES "^UPSERTKIT_VERSION(_MAJOR|_MINOR|_PATCH)?$" OR
     (SEPARATE_COMPILATION AND name STREQUAL "UPSERTKIT_SEPARATE_COMPILATION"))
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
