#!/usr/bin/env bash
# Installs the Debian packages upsertkit needs to build, test and benchmark, skipping what is
# already there (so a warm machine pays nothing). Run as root or with sudo available.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  librdkafka-dev libsimdjson-dev libboost-dev librocksdb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev clang-format
  kcat
  # packaging checks (the API reference, conan/jsonschema from PyPI) and the Avro
  # interoperability test (fastavro): Python packages live in a virtualenv under .cache/
  doxygen python3 python3-venv
  # the real Kafka broker of the integration tests: fetched with Maven, run on Java 17
  openjdk-17-jre-headless maven openssl
  # the end-to-end benchmark (scripts/perf-e2e.sh): the JVM peers are compiled with Maven,
  # each process is measured with GNU time, per-record instructions with valgrind
  openjdk-17-jdk-headless time valgrind
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
[[ $(id -u) == 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
