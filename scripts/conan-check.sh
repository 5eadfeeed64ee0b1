#!/usr/bin/env bash
# `conan create` of cmake/packaging/conan (the recipe and its test_package) with conan from
# PyPI in .cache/venv and a conan home of its own under .cache/ (the user's ~/.conan2 is not
# touched), offline: no remote is asked, librdkafka, simdjson and Boost come from Debian's
# packages (profile cmake/packaging/conan/profiles/debian12); then again with the option
# with_rocksdb (RocksDB from Debian's librocksdb-dev). Run by scripts/packaging-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(scripts/python-venv.sh)
export CONAN_HOME=$PWD/.cache/conan-home
profile=cmake/packaging/conan/profiles/debian12

# test_package builds inside its folder: leave the checkout as it was.
trap 'rm -rf cmake/packaging/conan/test_package/build cmake/packaging/conan/test_package/CMakeUserPresets.json' EXIT

"$bin/conan" version
"$bin/conan" create cmake/packaging/conan -pr:h "$profile" -pr:b "$profile" --build=missing \
  --no-remote
echo "conan create: ok"
# The option with_rocksdb: the component rocksdb (librocksdb-dev from the system), a package of
# its own (another package id), and test_package's RocksDB consumer too.
"$bin/conan" create cmake/packaging/conan -pr:h "$profile" -pr:b "$profile" --build=missing \
  --no-remote -o "upsertkit/*:with_rocksdb=True"
echo "conan create -o upsertkit/*:with_rocksdb=True: ok"
