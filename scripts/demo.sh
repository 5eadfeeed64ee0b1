#!/usr/bin/env bash
# The demo: builds upsertkit-orders and replays the seed's Example 1 records through the
# upsert source semantics, printing the seed's four changelog rows.
#   scripts/demo.sh                   the seed's three records
#   scripts/demo.sh --replay FILE     your own KEY<TAB>VALUE lines (NULL = null)
#   scripts/demo.sh ARGS...           any other upsertkit-orders arguments
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2
cmake --preset release -DUPSERTKIT_BUILD_TESTS=OFF -DUPSERTKIT_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build --preset release --target upsertkit-orders >&2

exe=build/release/examples/upsertkit-orders
if [[ " $* " == *" --replay "* ]]; then
  exec "$exe" "$@"
fi
echo "== the seed's three records (key TAB value):" >&2
cat examples/orders/seed-example-1.tsv >&2
echo "== the changelog:" >&2
exec "$exe" --replay examples/orders/seed-example-1.tsv "$@"
