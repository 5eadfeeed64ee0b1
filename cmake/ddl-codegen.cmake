# upsertkit_generate_schema(<name> SQL <file.sql> [HEADER <out.hpp>] [NAMESPACE <ns>]
#                           [TABLES <table>[=<Struct>]...] [GUARD <macro>] [STRING_VIEW]
#                           [FORMATS_FROM_WITH])
#
# Generates, at build time, the C++ header of the CREATE TABLE statements in <file.sql> (a Flink
# SQL script): per table a struct, its Boost.Hana adaptation, `<table>_table` (upsertkit::table
# with the PRIMARY KEY) and `<table>_options` (the WITH clause); docs/ddl.md, "Generating the
# struct from the DDL". The header is generated again whenever <file.sql> (or the generator)
# changes, and only rewritten when its text changes.
#
#   <name>             an INTERFACE library to link: it carries the header's directory as an
#                      include directory, upsertkit::core, and the dependency on the generation,
#                      so `#include "<header's file name>"` works in its users' sources. The
#                      header's path is also set in the variable <name>_HEADER.
#   SQL                the script, relative to the current source directory
#   HEADER             the header to write, relative to the current binary directory
#                      (default: <name>.hpp)
#   NAMESPACE          the namespace of the declarations (`a::b` allowed; default: global)
#   TABLES             only these tables (default: every CREATE TABLE), `name=Struct` to name
#                      a table's struct (default: the table name with a capital first letter)
#   GUARD              the include guard (default: from the namespace and the header's name)
#   STRING_VIEW        STRING/VARCHAR/CHAR columns as std::string_view instead of std::string
#   FORMATS_FROM_WITH  compile each table for the formats its WITH clause names (formats<...>)
#
# The generator is the executable target upsertkit_ddl_codegen, defined by the first call from a
# main() written into the build tree (only headers are installed), built for the host with the
# project's compiler. When cross-compiling, build it for the build machine separately and set
# UPSERTKIT_DDL_CODEGEN_EXECUTABLE to it.
set(UPSERTKIT_DDL_CODEGEN_EXECUTABLE "" CACHE FILEPATH
    "An upsertkit_ddl_codegen to run instead of building one (e.g. when cross-compiling)")

function(upsertkit_generate_schema name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "STRING_VIEW;FORMATS_FROM_WITH"
                        "SQL;HEADER;NAMESPACE;GUARD" "TABLES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
            "upsertkit_generate_schema(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SQL)
    message(FATAL_ERROR "upsertkit_generate_schema(${name}): SQL <file.sql> is required")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR "upsertkit_generate_schema(${name}): a target ${name} exists already")
  endif()
  if(NOT arg_HEADER)
    set(arg_HEADER ${name}.hpp)
  endif()
  get_filename_component(sql "${arg_SQL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(header "${arg_HEADER}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  get_filename_component(header_dir "${header}" DIRECTORY)
  if(NOT EXISTS "${sql}")
    message(FATAL_ERROR "upsertkit_generate_schema(${name}): ${sql} does not exist")
  endif()

  set(args "")
  if(arg_NAMESPACE)
    list(APPEND args --namespace ${arg_NAMESPACE})
  endif()
  foreach(table IN LISTS arg_TABLES)
    list(APPEND args --table ${table})
  endforeach()
  if(arg_GUARD)
    list(APPEND args --guard ${arg_GUARD})
  endif()
  if(arg_STRING_VIEW)
    list(APPEND args --string-view)
  endif()
  if(arg_FORMATS_FROM_WITH)
    list(APPEND args --formats-from-with)
  endif()

  if(UPSERTKIT_DDL_CODEGEN_EXECUTABLE)
    set(tool "${UPSERTKIT_DDL_CODEGEN_EXECUTABLE}")
    set(tool_dependency "${UPSERTKIT_DDL_CODEGEN_EXECUTABLE}")
  else()
    _upsertkit_ddl_codegen_target()
    set(tool upsertkit_ddl_codegen)
    # A file-level dependency too: a rebuilt generator generates the header again.
    set(tool_dependency upsertkit_ddl_codegen)
  endif()
  file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${header}")
  add_custom_command(
    OUTPUT "${header}"
    COMMAND ${tool} ${args} --output "${header}" "${sql}"
    DEPENDS "${sql}" ${tool_dependency}
    COMMENT "upsertkit: generating ${shown} from ${arg_SQL}"
    VERBATIM)
  add_custom_target(${name}_generate ALL DEPENDS "${header}")

  add_library(${name} INTERFACE)
  target_include_directories(${name} INTERFACE "${header_dir}")
  target_link_libraries(${name} INTERFACE upsertkit::core)
  # Followed in its place by every target that links it (an interface library builds nothing).
  add_dependencies(${name} ${name}_generate)
  set(${name}_HEADER "${header}" PARENT_SCOPE)
endfunction()

# The generator's executable, once per build.
function(_upsertkit_ddl_codegen_target)
  if(TARGET upsertkit_ddl_codegen)
    return()
  endif()
  set(source "${CMAKE_BINARY_DIR}/upsertkit_ddl_codegen_main.cpp")
  file(CONFIGURE OUTPUT "${source}" CONTENT
       "// Written by upsertkit_generate_schema(): the DDL-to-header generator's main().
#include <upsertkit/ddl_codegen.hpp>

int main(int argc, char** argv) { return upsertkit::ddl::codegen_main(argc, argv); }
")
  add_executable(upsertkit_ddl_codegen "${source}")
  target_link_libraries(upsertkit_ddl_codegen PRIVATE upsertkit::core)
endfunction()
