#!/usr/bin/env bash
# Runs interop.py with fastavro from a virtualenv under SOURCE_DIR/.cache/venv (git-ignored),
# creating it the first time (needs python3-venv, see scripts/install-deps.sh, and PyPI).
#   run.sh SOURCE_DIR DRIVER WORKDIR
set -euo pipefail
source_dir=$1
driver=$2
workdir=$3
venv=$source_dir/.cache/venv
if ! "$venv/bin/python" -c 'import fastavro' 2>/dev/null; then
  echo "avro interop: creating $venv with fastavro"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'fastavro>=1.9'
fi
rm -rf "$workdir"
mkdir -p "$workdir"
exec "$venv/bin/python" "$(dirname "$0")/interop.py" "$driver" "$workdir"
