# Every public header must compile on its own: one generated translation unit per header,
# including only that header, compiled (syntax only) as a test of its own. The compiler is
# called directly, so these tests can run in parallel with each other and with the build.
function(upsertkit_add_header_checks include_dir)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${include_dir} ${include_dir}/upsertkit/*.hpp)
  list(TRANSFORM UPSERTKIT_UNCHECKED_HEADERS PREPEND upsertkit/ OUTPUT_VARIABLE unchecked)
  list(REMOVE_ITEM headers ${unchecked})
  foreach(header IN LISTS headers)
    string(MAKE_C_IDENTIFIER ${header} name)
    set(source ${CMAKE_CURRENT_BINARY_DIR}/header_check/${name}.cpp)
    file(CONFIGURE OUTPUT ${source} CONTENT "#include <${header}>\n")
    add_test(NAME header_check.${header}
             COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fsyntax-only ${UPSERTKIT_WARNING_FLAGS}
                     -Werror -I${include_dir} ${source})
  endforeach()
endfunction()

# A program that must NOT compile. Its first diagnostic must match every regex in FIRST_ERROR,
# the whole output every regex in OUTPUT; with MAX_ERRORS, the compiler may print no more
# errors than that (cmake/compile-fail.cmake).
function(upsertkit_add_compile_fail_test name source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "MAX_ERRORS" "FIRST_ERROR;OUTPUT")
  set(max "")
  if(DEFINED arg_MAX_ERRORS)
    set(max -DMAX_ERRORS=${arg_MAX_ERRORS})
  endif()
  add_test(NAME compile_fail.${name}
           COMMAND ${CMAKE_COMMAND} -DCOMPILER=${CMAKE_CXX_COMPILER}
                   -DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include -DSOURCE=${source}
                   "-DFIRST_ERROR=${arg_FIRST_ERROR}" "-DOUTPUT=${arg_OUTPUT}" ${max} -P
                   ${PROJECT_SOURCE_DIR}/cmake/compile-fail.cmake)
endfunction()

# No macro of ours leaks out of the public headers but the include guards and the version:
# a translation unit includes every public header, the preprocessor lists what is defined
# after them (-dM), and cmake/macro-check.cmake refuses any other UPSERTKIT_ macro.
function(upsertkit_add_macro_check include_dir)
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${include_dir} ${include_dir}/upsertkit/*.hpp)
  list(TRANSFORM UPSERTKIT_UNCHECKED_HEADERS PREPEND upsertkit/ OUTPUT_VARIABLE unchecked)
  list(REMOVE_ITEM headers ${unchecked})
  set(content "")
  foreach(header IN LISTS headers)
    string(APPEND content "#include <${header}>\n")
  endforeach()
  set(source ${CMAKE_CURRENT_BINARY_DIR}/header_check/all_public_headers.cpp)
  file(CONFIGURE OUTPUT ${source} CONTENT "${content}")
  add_test(NAME header_check.no_internal_macros
           COMMAND ${CMAKE_COMMAND} -DCOMPILER=${CMAKE_CXX_COMPILER} -DINCLUDE_DIR=${include_dir}
                   -DSOURCE=${source} -P ${PROJECT_SOURCE_DIR}/cmake/macro-check.cmake)
  # The same with the definitions compiled in (separate_compilation.hpp includes every .ipp
  # file then), and every .ipp file must be one it includes.
  add_test(NAME header_check.no_internal_macros_separate_compilation
           COMMAND ${CMAKE_COMMAND} -DCOMPILER=${CMAKE_CXX_COMPILER} -DINCLUDE_DIR=${include_dir}
                   -DSOURCE=${source} -DSEPARATE_COMPILATION=ON
                   -P ${PROJECT_SOURCE_DIR}/cmake/macro-check.cmake)
endfunction()
