#!/usr/bin/env bash
# The demo: builds upsertkit-orders and runs the seed's Example 1 end to end: it starts the
# embedded (in-process) Kafka cluster, writes the seed's three records into a topic, reads
# them back through the upsert source and prints the seed's four changelog rows.
#   scripts/demo.sh                              the embedded cluster
#   scripts/demo.sh --brokers HOST:PORT --topic T  a real broker's topic, read to its end
#   scripts/demo.sh --replay FILE                your own KEY<TAB>VALUE lines (NULL = null)
#   scripts/demo.sh ARGS...                      any other upsertkit-orders arguments
# It builds in build/demo (the `demo` preset), a tree no other script uses, so the README's two
# commands work in either order on one clone (scripts/test.sh runs this script first to prove it).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2
cmake --preset demo >/dev/null
cmake --build --preset demo --target upsertkit-orders >&2

exec build/demo/examples/upsertkit-orders "$@"
