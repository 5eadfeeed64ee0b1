# The library's dependencies, found the same way from the source tree and from an installed
# package (upsertkitConfig.cmake sets UPSERTKIT_FROM_PACKAGE and includes this file too).
#
# - simdjson: its CMake package (simdjson::simdjson).
# - Boost: the headers (Boost::headers, for Hana).
# - librdkafka: its CMake package RdKafka (RdKafka::rdkafka) if there is one, else the
#   pkg-config module `rdkafka` (Debian ships no CMake package for it), wrapped in the imported
#   target upsertkit::rdkafka.
#
# From the source tree a missing dependency is a configure error. From the package it makes
# find_package(upsertkit) fail the way find_package does (an error if REQUIRED, else
# upsertkit_FOUND is false), with the reason in upsertkit_NOT_FOUND_MESSAGE.
include(CMakeFindDependencyMacro)

macro(_upsertkit_find_dependency)
  if(UPSERTKIT_FROM_PACKAGE)
    find_dependency(${ARGN})
  else()
    find_package(${ARGN} REQUIRED)
  endif()
endmacro()

_upsertkit_find_dependency(simdjson CONFIG)
# RocksDB (Debian: librocksdb-dev) for the optional state store; its CMake package gives
# RocksDB::rocksdb-shared (RocksDB::rocksdb is the static library).
if(UPSERTKIT_ROCKSDB AND NOT UPSERTKIT_FROM_PACKAGE)
  find_package(RocksDB CONFIG REQUIRED)
endif()
_upsertkit_find_dependency(Boost 1.74)

if(NOT TARGET upsertkit::rdkafka)
  # librdkafka's own CMake package (upstream's CMake build, vcpkg, conan) when there is one,
  # else its pkg-config module (Debian and most distributions ship only that).
  find_package(RdKafka CONFIG QUIET)
  if(TARGET RdKafka::rdkafka)
    set(_upsertkit_rdkafka RdKafka::rdkafka)
    set(_upsertkit_global) # as visible as RdKafka::rdkafka: this directory and below
  else()
    _upsertkit_find_dependency(PkgConfig)
    if(UPSERTKIT_FROM_PACKAGE)
      set(_upsertkit_quiet)
      if(upsertkit_FIND_QUIETLY)
        set(_upsertkit_quiet QUIET)
      endif()
      pkg_check_modules(UPSERTKIT_RDKAFKA ${_upsertkit_quiet} IMPORTED_TARGET GLOBAL rdkafka)
      unset(_upsertkit_quiet)
      if(NOT UPSERTKIT_RDKAFKA_FOUND)
        set(upsertkit_FOUND FALSE)
        set(upsertkit_NOT_FOUND_MESSAGE
            "upsertkit needs librdkafka: no CMake package RdKafka and no pkg-config module \
`rdkafka` (install librdkafka-dev, or add its prefix to CMAKE_PREFIX_PATH or PKG_CONFIG_PATH)")
        return()
      endif()
    else()
      pkg_check_modules(UPSERTKIT_RDKAFKA REQUIRED IMPORTED_TARGET GLOBAL rdkafka)
    endif()
    set(_upsertkit_rdkafka PkgConfig::UPSERTKIT_RDKAFKA)
    set(_upsertkit_global GLOBAL)
  endif()
  # A target of our own name (not an alias), so the exported upsertkit::upsertkit names
  # upsertkit::rdkafka whichever way librdkafka was found.
  add_library(upsertkit::rdkafka INTERFACE IMPORTED ${_upsertkit_global})
  target_link_libraries(upsertkit::rdkafka INTERFACE ${_upsertkit_rdkafka})
  unset(_upsertkit_rdkafka)
  unset(_upsertkit_global)
endif()
