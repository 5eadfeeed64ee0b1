#!/usr/bin/env bash
# A newer librdkafka than Debian 12's 2.0.2, for measurements only: the librdkafka.so.1 that
# Confluent bundles in its Python client's manylinux wheel (PyPI `confluent-kafka`), unpacked
# into .cache/librdkafka-<wheel version>/ (git-ignored). upsertkit is compiled against Debian's
# headers; librdkafka keeps its C ABI, so the same binaries run with either library through
# LD_LIBRARY_PATH (scripts/perf-e2e.sh --librdkafka DIR). Prints the directory.
#   scripts/librdkafka-from-pypi.sh [WHEEL_VERSION]     default 2.16.2 (bundles librdkafka 2.16)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-2.16.2}
dir=$PWD/.cache/librdkafka-$version
if [[ -f $dir/librdkafka.so.1 ]]; then
  echo "$dir"
  exit 0
fi
bin=$(scripts/python-venv.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
  --only-binary=:all: --platform manylinux_2_28_x86_64 --python-version 3.11 \
  -d "$work" "confluent-kafka==$version" >&2
wheel=$(find "$work" -name 'confluent_kafka-*.whl' | sed -n 1p)
[[ -n $wheel ]] || { echo "librdkafka-from-pypi: no wheel of confluent-kafka $version" >&2; exit 1; }
"$bin/python" - "$wheel" "$work/unpacked" <<'EOF'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
EOF
library=$(find "$work/unpacked" -path '*confluent_kafka.libs/librdkafka*.so*' | sed -n 1p)
[[ -n $library ]] || { echo "librdkafka-from-pypi: the wheel holds no librdkafka" >&2; exit 1; }
mkdir -p "$dir"
cp "$library" "$dir/librdkafka.so.1"
echo "$dir"
