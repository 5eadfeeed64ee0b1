#!/usr/bin/env bash
# Proves each way of taking upsertkit into another project (docs/packaging.md), from outside
# this repository's build:
#   install       `cmake --install` into a staging prefix, with the component rocksdb: files in
#                 GNUInstallDirs places, no absolute path of the prefix inside them; then the
#                 tree is moved elsewhere (relocatable) and every consumer below uses the moved copy
#   find_package  tests/find_package built against the moved prefix, run, output compared; its
#                 find_package(upsertkit) without COMPONENTS neither looks for RocksDB nor links it
#   find_package.rocksdb
#                 tests/find_package/rocksdb (find_package(upsertkit REQUIRED COMPONENTS rocksdb),
#                 a RocksDB state store committed, reopened and checked) built, run, output compared
#   rocksdb-component
#                 the same consumer with RocksDB's CMake package hidden (the find_library
#                 fallback); with RocksDB hidden altogether, find_package(upsertkit) still works,
#                 the component is not found (OPTIONAL_COMPONENTS: upsertkit found without it;
#                 REQUIRED: an error naming librocksdb-dev), and an unknown component is refused
#   version       SameMajorVersion: MAJOR.0 is found (not ExactVersion or SameMinorVersion),
#                 the next major is not; librdkafka's CMake package (RdKafka) is taken when
#                 there is one (a stand-in here); with neither it nor the pkg-config module
#                 find_package(upsertkit) reports not found, and why
#   pkg-config    tests/find_package/main.cpp compiled with `pkg-config --cflags --libs
#                 upsertkit` (g++, and clang++-14 when present), run, output compared;
#                 pkg-config.rocksdb: tests/find_package/rocksdb/main.cpp with upsertkit-rocksdb
#   add_subdirectory, fetchcontent
#                 tests/add_subdirectory and tests/fetchcontent (a file:// git URL of this
#                 repository at HEAD when the work tree is clean, else SOURCE_DIR): built, run,
#                 and none of our tests, examples or benchmarks in their build
#   vcpkg         the overlay port's manifest against vcpkg's schema, and its portfile's steps
#                 emulated with plain cmake, without and with the feature rocksdb
#                 (scripts/vcpkg-port-check.sh)
#   api-docs      the API reference built by Doxygen with zero warnings (scripts/api-docs.sh)
#   conan         `conan create` of the recipe and its test_package, offline, dependencies
#                 from the system, without and with the option with_rocksdb
#                 (scripts/conan-check.sh; conan from PyPI in .cache/venv)
# Release builds with Ninja, no sanitizers; the checks after `install` run one per core at a
# time. Ends with "packaging: N passed, M failed".
# Options: --keep (keep the temporary directory), --no-vcpkg, --no-conan.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$PWD

keep=0
run_vcpkg=1
run_conan=1
for arg in "$@"; do
  case $arg in
    --keep) keep=1 ;;
    --no-vcpkg) run_vcpkg=0 ;;
    --no-conan) run_conan=0 ;;
    *) echo "usage: $0 [--keep] [--no-vcpkg] [--no-conan]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/upsertkit-packaging.XXXXXX")
if ((keep)); then
  echo "packaging: keeping $work"
else
  trap 'rm -rf "$work"' EXIT
fi

version=$(sed -nE 's/^ *VERSION ([0-9]+\.[0-9]+\.[0-9]+)$/\1/p' CMakeLists.txt | head -n 1)
major=${version%%.*}
sed "s/@VERSION@/$version/" tests/find_package/expected.txt >"$work/expected.txt"
rocksdb_expected=$root/tests/find_package/rocksdb/expected.txt

cmake_common=(-G Ninja -DCMAKE_BUILD_TYPE=Release)
stage=$work/stage      # where `cmake --install` puts the tree
prefix=$work/moved     # where it is moved to before any consumer uses it
passed=0
failed=0

# check NAME FUNCTION [ARGS]: runs FUNCTION in the background with its output in a log, at most
# one per core at a time (each builds with -j 1: one compiler at a time); report() waits for
# them and says how each went, in the order they were started, with the log of each failure.
checks=()
check() {
  local name=$1
  shift
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n; done
  (
    start=$SECONDS
    if "$@" >"$work/$name.log" 2>&1; then verdict=ok; else verdict=FAILED; fi
    echo "$verdict $((SECONDS - start))" >"$work/$name.verdict"
  ) &
  checks+=("$name")
}

report() {
  wait
  local name verdict seconds
  for name in ${checks[@]+"${checks[@]}"}; do
    read -r verdict seconds <"$work/$name.verdict" || verdict=FAILED
    if [[ $verdict == ok ]]; then
      passed=$((passed + 1))
      echo "packaging: ok      $name (${seconds} s)"
    else
      failed=$((failed + 1))
      echo "packaging: FAILED  $name (${seconds:-?} s); last lines of its log:"
      tail -n 40 "$work/$name.log" | sed 's/^/    /'
    fi
  done
  checks=()
}

# run_and_compare EXE [EXPECTED]: runs EXE and compares its output with EXPECTED (default:
# tests/find_package/expected.txt); fails if they differ or EXE fails.
run_and_compare() {
  local actual
  actual=$(mktemp "$work/actual.XXXXXX")
  "$1" >"$actual"
  local status=$?
  diff -u "${2:-$work/expected.txt}" "$actual" || return 1
  return $status
}

check_install() {
  cmake -S "$root" -B "$work/build-install" "${cmake_common[@]}" -DCMAKE_INSTALL_PREFIX="$stage" \
    -DUPSERTKIT_BUILD_TESTS=OFF -DUPSERTKIT_BUILD_EXAMPLES=OFF \
    -DUPSERTKIT_BUILD_BENCHMARKS=OFF -DUPSERTKIT_INSTALL=ON -DUPSERTKIT_ROCKSDB=ON || return 1
  cmake --install "$work/build-install" || return 1
  local file missing=0
  for file in include/upsertkit/upsertkit.hpp include/upsertkit/kafka/client.hpp \
    share/upsertkit/cmake/upsertkitConfig.cmake share/upsertkit/cmake/upsertkitConfigVersion.cmake \
    share/upsertkit/cmake/upsertkitTargets.cmake share/upsertkit/cmake/upsertkitDependencies.cmake \
    share/upsertkit/cmake/upsertkitSeparateCompilation.cmake \
    include/upsertkit/separate_compilation.hpp share/pkgconfig/upsertkit.pc \
    share/upsertkit/cmake/upsertkitRocksdbTargets.cmake share/pkgconfig/upsertkit-rocksdb.pc; do
    [[ -f $stage/$file ]] || { echo "missing: $file"; missing=1; }
  done
  # Every header of include/ is installed, and nothing else is.
  diff <(cd include && find upsertkit -type f | sort) <(cd "$stage/include" && find . -type f | sed 's|^\./||' | sort) ||
    missing=1
  # The comment CMake writes into a SameMajorVersion file (AnyNewerVersion has no such line).
  grep -q 'only if the requested major version is the same as the current one' \
    "$stage/share/upsertkit/cmake/upsertkitConfigVersion.cmake" || {
    echo "the version file is not SameMajorVersion"
    missing=1
  }
  if grep -rl "$stage" "$stage"; then
    echo "the files above name the install prefix: the tree is not relocatable"
    missing=1
  fi
  ((missing == 0)) || return 1
  mv "$stage" "$prefix"
}

check_find_package() {
  cmake -S tests/find_package -B "$work/build-find-package" "${cmake_common[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" | tee "$work/find-package-configure.txt" || return 1
  grep -qx -- "-- upsertkit_VERSION=$version" "$work/find-package-configure.txt" || return 1
  cmake --build "$work/build-find-package" -j 1 || return 1
  # upsertkit::config alone (no simdjson, no librdkafka) builds a WITH-clause reader.
  "$work/build-find-package/config_only" | grep -qx "topic = payments" || return 1
  run_and_compare "$work/build-find-package/consumer" || return 1
  run_and_compare "$work/build-find-package/consumer_separate" || return 1
  # Without COMPONENTS, RocksDB is neither looked for (tests/find_package/CMakeLists.txt checks
  # that no RocksDB target or variable exists) nor linked, though the package has the component.
  if ninja -C "$work/build-find-package" -t commands | grep -i rocksdb; then
    echo "find_package(upsertkit) without COMPONENTS brought RocksDB into the build (above)"
    return 1
  fi
}

check_find_package_rocksdb() {
  local build=$work/build-find-package-rocksdb
  cmake -S tests/find_package/rocksdb -B "$build" "${cmake_common[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" | tee "$work/find-package-rocksdb-configure.txt" || return 1
  # Debian's librocksdb-dev has a CMake package: it is taken before the find_library fallback.
  grep -qx -- "-- upsertkit::librocksdb links RocksDB::rocksdb-shared" \
    "$work/find-package-rocksdb-configure.txt" || return 1
  cmake --build "$build" -j 1 || return 1
  ninja -C "$build" -t commands | grep -q 'librocksdb\.so' || return 1
  run_and_compare "$build/rocksdb_consumer" "$rocksdb_expected"
}

check_rocksdb_component() {
  # RocksDB's CMake package hidden: the fallback (find_library, <rocksdb/db.h>) links it.
  local build=$work/build-rocksdb-fallback
  cmake -S tests/find_package/rocksdb -B "$build" "${cmake_common[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_DISABLE_FIND_PACKAGE_RocksDB=ON |
    tee "$work/rocksdb-fallback-configure.txt" || return 1
  grep -qE -- "^-- upsertkit::librocksdb links /.*/librocksdb\.so$" \
    "$work/rocksdb-fallback-configure.txt" || return 1
  cmake --build "$build" -j 1 || return 1
  run_and_compare "$build/rocksdb_consumer" "$rocksdb_expected" || return 1

  # RocksDB hidden altogether: no CMake package, and its header directory ignored by find_path.
  local dir=$work/rocksdb-component-project
  local hide=(-DCMAKE_DISABLE_FIND_PACKAGE_RocksDB=ON "-DCMAKE_IGNORE_PATH=/usr/include;/usr/local/include")
  mkdir -p "$dir"
  cat >"$dir/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.21)
project(upsertkit_rocksdb_component_test LANGUAGES CXX)
if(EXPECT STREQUAL "required")
  find_package(upsertkit REQUIRED COMPONENTS rocksdb)
  message(FATAL_ERROR "find_package(upsertkit REQUIRED COMPONENTS rocksdb) passed without RocksDB")
endif()
# Without COMPONENTS: found, and RocksDB not even looked for.
find_package(upsertkit REQUIRED)
if(TARGET upsertkit::rocksdb OR TARGET upsertkit::librocksdb OR DEFINED RocksDB_DIR)
  message(FATAL_ERROR "find_package(upsertkit) without COMPONENTS looked for RocksDB")
endif()
# OPTIONAL_COMPONENTS: upsertkit is found, the component is not.
find_package(upsertkit OPTIONAL_COMPONENTS rocksdb)
if(NOT upsertkit_FOUND OR upsertkit_rocksdb_FOUND OR TARGET upsertkit::rocksdb)
  message(FATAL_ERROR "OPTIONAL_COMPONENTS rocksdb without RocksDB: upsertkit_FOUND \
${upsertkit_FOUND}, upsertkit_rocksdb_FOUND ${upsertkit_rocksdb_FOUND}")
endif()
# COMPONENTS: not found, and why.
find_package(upsertkit QUIET COMPONENTS rocksdb)
if(upsertkit_FOUND OR upsertkit_rocksdb_FOUND OR NOT upsertkit_NOT_FOUND_MESSAGE MATCHES "librocksdb-dev")
  message(FATAL_ERROR "COMPONENTS rocksdb without RocksDB: found, or no reason: \
${upsertkit_NOT_FOUND_MESSAGE}")
endif()
message(STATUS "rocksdb not found, as expected: ${upsertkit_NOT_FOUND_MESSAGE}")
find_package(upsertkit QUIET COMPONENTS no_such_component)
if(upsertkit_FOUND OR NOT upsertkit_NOT_FOUND_MESSAGE MATCHES "no component no_such_component")
  message(FATAL_ERROR "an unknown component was accepted: ${upsertkit_NOT_FOUND_MESSAGE}")
endif()
EOF
  cmake -S "$dir" -B "$work/build-rocksdb-hidden" -DCMAKE_PREFIX_PATH="$prefix" "${hide[@]}" ||
    return 1
  # REQUIRED: a configure error that names the package to install.
  if cmake -S "$dir" -B "$work/build-rocksdb-required" -DCMAKE_PREFIX_PATH="$prefix" "${hide[@]}" \
    -DEXPECT=required >"$work/rocksdb-required.txt" 2>&1; then
    cat "$work/rocksdb-required.txt"
    return 1
  fi
  cat "$work/rocksdb-required.txt"
  tr -s ' \n' ' ' <"$work/rocksdb-required.txt" |
    grep -q "Reason given by package: upsertkit's rocksdb component needs RocksDB.*librocksdb-dev"
}

check_version_and_dependencies() {
  local dir=$work/version-project
  mkdir -p "$dir"
  cat >"$dir/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.21)
project(upsertkit_version_test LANGUAGES CXX)
if(EXPECT STREQUAL "compatible")
  find_package(upsertkit $major.0 QUIET)
  if(NOT upsertkit_FOUND)
    message(FATAL_ERROR "upsertkit $major.0 not found")
  endif()
  find_package(upsertkit $((major + 1)) QUIET)
  if(upsertkit_FOUND)
    message(FATAL_ERROR "upsertkit $((major + 1)) found: the version file is not SameMajorVersion")
  endif()
elseif(EXPECT STREQUAL "rdkafka-cmake-package")
  find_package(upsertkit REQUIRED)
  get_target_property(links upsertkit::rdkafka INTERFACE_LINK_LIBRARIES)
  if(NOT links STREQUAL "RdKafka::rdkafka")
    message(FATAL_ERROR "upsertkit::rdkafka links \${links}, not RdKafka::rdkafka")
  endif()
  message(STATUS "librdkafka from its CMake package, as expected")
else()
  find_package(upsertkit QUIET)
  if(upsertkit_FOUND OR NOT upsertkit_NOT_FOUND_MESSAGE MATCHES "rdkafka")
    message(FATAL_ERROR "found without librdkafka, or no reason: \${upsertkit_NOT_FOUND_MESSAGE}")
  endif()
  message(STATUS "not found, as expected: \${upsertkit_NOT_FOUND_MESSAGE}")
endif()
EOF
  cmake -S "$dir" -B "$work/build-version" -DCMAKE_PREFIX_PATH="$prefix" -DEXPECT=compatible ||
    return 1
  PKG_CONFIG_LIBDIR=$work/empty PKG_CONFIG_PATH='' \
    cmake -S "$dir" -B "$work/build-no-rdkafka" -DCMAKE_PREFIX_PATH="$prefix" -DEXPECT=no-rdkafka ||
    return 1
  # librdkafka's own CMake package (as upstream's CMake build, vcpkg and conan install it) is
  # preferred to pkg-config: a stand-in package proves the config takes it.
  mkdir -p "$work/fake-rdkafka/lib/cmake/RdKafka"
  cat >"$work/fake-rdkafka/lib/cmake/RdKafka/RdKafkaConfig.cmake" <<'EOF'
add_library(RdKafka::rdkafka INTERFACE IMPORTED)
set_target_properties(RdKafka::rdkafka PROPERTIES INTERFACE_LINK_LIBRARIES rdkafka)
EOF
  PKG_CONFIG_LIBDIR=$work/empty PKG_CONFIG_PATH='' \
    cmake -S "$dir" -B "$work/build-rdkafka-cmake" -DCMAKE_PREFIX_PATH="$prefix;$work/fake-rdkafka" \
    -DEXPECT=rdkafka-cmake-package
}

# check_pkg_config COMPILER
check_pkg_config() {
  local compiler=$1 flags
  local -x PKG_CONFIG_PATH=$prefix/share/pkgconfig
  [[ $(pkg-config --modversion upsertkit) == "$version" ]] || return 1
  flags=$(pkg-config --cflags --libs upsertkit) || return 1
  echo "pkg-config --cflags --libs upsertkit: $flags"
  # shellcheck disable=SC2086 # flags are words
  "$compiler" -std=c++20 -O2 -Wall -Wextra -Wpedantic -Werror tests/find_package/main.cpp \
    -o "$work/pkg-config-$compiler" $flags || return 1
  run_and_compare "$work/pkg-config-$compiler"
}

check_pkg_config_rocksdb() {
  local flags
  local -x PKG_CONFIG_PATH=$prefix/share/pkgconfig
  [[ $(pkg-config --modversion upsertkit-rocksdb) == "$version" ]] || return 1
  if pkg-config --libs upsertkit | grep rocksdb; then
    echo "upsertkit.pc brings RocksDB: it is upsertkit-rocksdb.pc's alone"
    return 1
  fi
  flags=$(pkg-config --cflags --libs upsertkit-rocksdb) || return 1
  echo "pkg-config --cflags --libs upsertkit-rocksdb: $flags"
  [[ " $flags " == *" -lrocksdb "* ]] || return 1
  # shellcheck disable=SC2086 # flags are words
  g++ -std=c++20 -O2 -Wall -Wextra -Wpedantic -Werror tests/find_package/rocksdb/main.cpp \
    -o "$work/pkg-config-rocksdb" $flags || return 1
  run_and_compare "$work/pkg-config-rocksdb" "$rocksdb_expected"
}

# no_own_targets BUILD_DIR: none of our tests, examples or benchmarks in that build.
no_own_targets() {
  local targets
  targets=$(ninja -C "$1" -t targets all) || return 1
  if grep -E '^(upsertkit_tests|upsertkit_broker_tests|upsertkit-orders|upsertkit_core_bench)[:.]' <<<"$targets"; then
    echo "the consumer's build has our own targets (above)"
    return 1
  fi
}

check_add_subdirectory() {
  cmake -S tests/add_subdirectory -B "$work/build-add-subdirectory" "${cmake_common[@]}" \
    -DUPSERTKIT_SOURCE_DIR="$root" || return 1
  no_own_targets "$work/build-add-subdirectory" || return 1
  cmake --build "$work/build-add-subdirectory" -j 1 || return 1
  run_and_compare "$work/build-add-subdirectory/consumer"
}

check_fetchcontent() {
  local from
  if git -C "$root" rev-parse --git-dir >/dev/null 2>&1 &&
    [[ -z $(git -C "$root" status --porcelain) ]]; then
    from=(-DUPSERTKIT_GIT_REPOSITORY="file://$root" -DUPSERTKIT_GIT_TAG="$(git -C "$root" rev-parse HEAD)")
  else
    echo "the work tree has changes (or is no git checkout): FetchContent from SOURCE_DIR"
    from=(-DUPSERTKIT_SOURCE_DIR="$root")
  fi
  echo "FetchContent from: ${from[*]}"
  cmake -S tests/fetchcontent -B "$work/build-fetchcontent" "${cmake_common[@]}" "${from[@]}" ||
    return 1
  no_own_targets "$work/build-fetchcontent" || return 1
  cmake --build "$work/build-fetchcontent" -j 1 || return 1
  run_and_compare "$work/build-fetchcontent/consumer"
}

check_vcpkg() {
  scripts/vcpkg-port-check.sh "$work/vcpkg"
}

check_api_docs() {
  scripts/api-docs.sh
}

check_conan() {
  scripts/conan-check.sh
}

# The installed tree first: the consumers below use it.
check install check_install
report
if [[ -d $prefix ]]; then
  check find_package check_find_package
  check find_package.rocksdb check_find_package_rocksdb
  check version-and-dependencies check_version_and_dependencies
  check rocksdb-component check_rocksdb_component
  check pkg-config.g++ check_pkg_config g++
  if command -v clang++-14 >/dev/null; then
    check pkg-config.clang++-14 check_pkg_config clang++-14
  fi
  check pkg-config.rocksdb check_pkg_config_rocksdb
fi
check add_subdirectory check_add_subdirectory
check fetchcontent check_fetchcontent
if ((run_vcpkg)); then
  check vcpkg-port check_vcpkg
fi
check api-docs check_api_docs
if ((run_conan)); then
  check conan check_conan
fi

report
echo "packaging: $passed passed, $failed failed"
((failed == 0))
