# upsertkit_generate_schema() from a consumer's build (included by tests/find_package,
# tests/add_subdirectory and tests/fetchcontent): the seed's Example 1 statements become
# seed_schema.hpp at build time, and schema_consumer checks the generated table against them
# and reads the seed's records with it. scripts/packaging-tests.sh runs it and compares its
# output with schema_expected.txt.
if(NOT COMMAND upsertkit_generate_schema)
  message(FATAL_ERROR "the upsertkit package did not define upsertkit_generate_schema()")
endif()
upsertkit_generate_schema(seed_schema SQL ${CMAKE_CURRENT_LIST_DIR}/../ddl/seed-example-1.sql
                          NAMESPACE seed TABLES upsertKafkaSource=Order STRING_VIEW
                          FORMATS_FROM_WITH)
add_executable(schema_consumer ${CMAKE_CURRENT_LIST_DIR}/schema_consumer.cpp)
target_link_libraries(schema_consumer PRIVATE seed_schema upsertkit::pipeline)
target_compile_options(schema_consumer PRIVATE -Wall -Wextra -Wpedantic -Werror)
target_compile_definitions(
  schema_consumer PRIVATE SCHEMA_SQL="${CMAKE_CURRENT_LIST_DIR}/../ddl/seed-example-1.sql")
