# The library's dependencies, found the same way from the source tree and from an installed
# package (upsertkitConfig.cmake sets UPSERTKIT_FROM_PACKAGE and includes this file too).
#
# - simdjson: its CMake package (simdjson::simdjson).
# - Boost: the headers (Boost::headers, for Hana).
# - librdkafka: its CMake package RdKafka (RdKafka::rdkafka) if there is one, else the
#   pkg-config module `rdkafka` (Debian ships no CMake package for it), wrapped in the imported
#   target upsertkit::rdkafka.
# - RocksDB, for the optional state store (upsertkit::rocksdb) only: _upsertkit_find_rocksdb()
#   at the end, called by CMakeLists.txt when UPSERTKIT_ROCKSDB is on and by the package config
#   only when the component `rocksdb` is asked for. Nothing else ever looks for RocksDB.
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

# _upsertkit_find_rocksdb(<found_var> <reason_var>): RocksDB (Debian: librocksdb-dev) as the
# imported target upsertkit::librocksdb, which upsertkit::rocksdb links. Taken from RocksDB's
# CMake package when there is one (RocksDB::rocksdb-shared, else RocksDB::rocksdb, the static
# library: vcpkg's static triplets and conan's default install only that one); else, as some
# builds of RocksDB install no CMake package, from find_library(rocksdb) and <rocksdb/db.h>
# (a shared library: a static librocksdb.a found that way would lack its compression
# libraries). Sets <found_var> to TRUE or FALSE, and <reason_var> to why not.
#
# The package is looked for QUIET, not with find_dependency(RocksDB CONFIG): find_dependency
# returns from the package config on failure, which would leave no room for the fallback and
# would fail find_package(upsertkit) as a whole even for OPTIONAL_COMPONENTS rocksdb.
function(_upsertkit_find_rocksdb found_var reason_var)
  set(${found_var} TRUE PARENT_SCOPE)
  if(TARGET upsertkit::librocksdb)
    return()
  endif()
  find_package(RocksDB CONFIG QUIET)
  set(include_dir "")
  if(TARGET RocksDB::rocksdb-shared)
    set(library RocksDB::rocksdb-shared)
  elseif(TARGET RocksDB::rocksdb)
    set(library RocksDB::rocksdb)
  else()
    find_path(UPSERTKIT_ROCKSDB_INCLUDE_DIR rocksdb/db.h
              DOC "RocksDB's include directory (when RocksDB has no CMake package)")
    find_library(UPSERTKIT_ROCKSDB_LIBRARY rocksdb
                 DOC "RocksDB's library (when RocksDB has no CMake package)")
    if(NOT UPSERTKIT_ROCKSDB_INCLUDE_DIR OR NOT UPSERTKIT_ROCKSDB_LIBRARY)
      set(${found_var} FALSE PARENT_SCOPE)
      set(${reason_var}
          "upsertkit's rocksdb component needs RocksDB: no CMake package RocksDB, and no \
library rocksdb with <rocksdb/db.h> (install librocksdb-dev, or add RocksDB's prefix to \
CMAKE_PREFIX_PATH)"
          PARENT_SCOPE)
      return()
    endif()
    set(library ${UPSERTKIT_ROCKSDB_LIBRARY})
    set(include_dir ${UPSERTKIT_ROCKSDB_INCLUDE_DIR})
  endif()
  # Our own name whichever way RocksDB was found, so the exported upsertkit::rocksdb names
  # upsertkit::librocksdb (as upsertkit::rdkafka above).
  add_library(upsertkit::librocksdb INTERFACE IMPORTED)
  target_link_libraries(upsertkit::librocksdb INTERFACE ${library})
  if(include_dir)
    target_include_directories(upsertkit::librocksdb INTERFACE ${include_dir})
  endif()
endfunction()
