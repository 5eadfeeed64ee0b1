#!/usr/bin/env bash
# The demo: builds upsertkit-orders and runs the seed's Example 1 end to end: it starts the
# embedded (in-process) Kafka cluster, writes the seed's three records into a topic, reads
# them back through the upsert source and prints the seed's four changelog rows.
#   scripts/demo.sh                              the embedded cluster
#   scripts/demo.sh --brokers HOST:PORT --topic T  a real broker's topic, read to its end
#   scripts/demo.sh --replay FILE                your own KEY<TAB>VALUE lines (NULL = null)
#   scripts/demo.sh ARGS...                      any other upsertkit-orders arguments
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2
cmake --preset release -DUPSERTKIT_BUILD_TESTS=OFF -DUPSERTKIT_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build --preset release --target upsertkit-orders >&2

exec build/release/examples/upsertkit-orders "$@"
