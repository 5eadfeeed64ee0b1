#!/usr/bin/env bash
# Makes .cache/venv (git-ignored) with the pinned Python tools of scripts/python-requirements.txt,
# from PyPI; does nothing when they are already there. Prints the venv's bin directory.
# Needs python3 with venv (Debian: python3-venv, from scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$PWD/.cache/venv
requirements=scripts/python-requirements.txt
stamp=$venv/.requirements

if [[ -x $venv/bin/python ]] && cmp -s "$requirements" "$stamp"; then
  echo "$venv/bin"
  exit 0
fi
python=python3
[[ -x /usr/bin/python3 ]] && python=/usr/bin/python3 # Debian's, with python3-venv
[[ -x $venv/bin/python ]] || "$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
cp "$requirements" "$stamp"
echo "$venv/bin"
