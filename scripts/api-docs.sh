#!/usr/bin/env bash
# Builds the API reference from the headers' comments with Doxygen (docs/Doxyfile) into
# build/api-docs/html (index.html), and fails on any Doxygen warning. Doxygen comes from
# Debian's package `doxygen` (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v doxygen >/dev/null; then
  echo "api-docs: doxygen is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
version=$(sed -nE 's/^ *VERSION ([0-9]+\.[0-9]+\.[0-9]+)$/\1/p' CMakeLists.txt | head -n 1)
rm -rf build/api-docs
mkdir -p build/api-docs
log=build/api-docs/doxygen-warnings.txt
# WARN_AS_ERROR = FAIL_ON_WARNINGS makes doxygen exit non-zero; an empty log is checked too.
status=0
{ cat docs/Doxyfile; echo "PROJECT_NUMBER = $version"; echo "WARN_LOGFILE = $log"; } |
  doxygen - || status=$?
if ((status != 0)) || [[ -s $log ]]; then
  cat "$log" >&2
  echo "api-docs: doxygen failed or warned ($(wc -l <"$log") lines above)" >&2
  exit 1
fi
echo "api-docs: build/api-docs/html/index.html (doxygen $(doxygen --version), 0 warnings)"
