# Tests, examples and benchmarks are built only when upsertkit is the top-level project, so
# add_subdirectory/FetchContent users get the library target and nothing else.
include(GNUInstallDirs)

option(UPSERTKIT_BUILD_TESTS "Build the tests" ${PROJECT_IS_TOP_LEVEL})
option(UPSERTKIT_BUILD_EXAMPLES "Build the examples" ${PROJECT_IS_TOP_LEVEL})
option(UPSERTKIT_BUILD_BENCHMARKS "Build the benchmarks" ${PROJECT_IS_TOP_LEVEL})
option(UPSERTKIT_INSTALL "Generate the install rules" ${PROJECT_IS_TOP_LEVEL})
# The RocksDB state store's target upsertkit::rocksdb (stores/rocksdb_store.hpp), its tests and
# its install (the package's component `rocksdb`): on in a checkout that builds the tests
# (scripts/install-deps.sh installs librocksdb-dev), off for add_subdirectory/FetchContent users
# and packages unless asked for (the vcpkg feature `rocksdb`, the conan option with_rocksdb).
option(UPSERTKIT_ROCKSDB "Build and install the RocksDB state store's target (and its tests)"
       ${UPSERTKIT_BUILD_TESTS})
option(UPSERTKIT_WARNINGS_AS_ERRORS "Treat warnings as errors in our own targets" OFF)

# Flags for our own test, example and benchmark targets (never for consumers of the library).
set(UPSERTKIT_WARNING_FLAGS -Wall -Wextra -Wpedantic)
if(UPSERTKIT_WARNINGS_AS_ERRORS)
  list(APPEND UPSERTKIT_WARNING_FLAGS -Werror)
endif()

# simdjson's On-Demand API is compiled into our code, and picks its kernel (haswell, westmere,
# fallback) from the compiler's target flags: without them it runs the scalar fallback.
# Our own binaries target the build machine; library users choose their own -march.
set(UPSERTKIT_ARCH_FLAGS "-march=native" CACHE STRING "Target flags for tests, examples and benchmarks")
set(CMAKE_CXX_EXTENSIONS OFF)
