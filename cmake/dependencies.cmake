# The library's dependencies, found the same way from the source tree and from an installed
# package (upsertkitConfig.cmake includes this file too).
include(CMakeFindDependencyMacro)

find_dependency(simdjson CONFIG)
find_dependency(Boost 1.74)

# librdkafka ships pkg-config files but no CMake package on Debian.
if(NOT TARGET upsertkit::rdkafka)
  find_dependency(PkgConfig)
  pkg_check_modules(UPSERTKIT_RDKAFKA REQUIRED IMPORTED_TARGET GLOBAL rdkafka)
  add_library(upsertkit::rdkafka ALIAS PkgConfig::UPSERTKIT_RDKAFKA)
endif()
